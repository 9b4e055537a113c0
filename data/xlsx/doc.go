// Package xlsx reads and writes the Excel workbooks of 团务台: it reads the
// national 团员团干部导入模板 (ReadMembers) and writes the empty template
// (WriteTemplate), the roster of an organization (WriteRoster), 附件3
// 信息录入错误团员需上报删除的信息汇总表 (WriteErrorReport), 附件4
// 目前尚未标记的团支部团员信息汇总表 (WriteUnmarked) and the
// 出国（境）学习研究团员登记册 (WriteAbroadRegister).
//
// The package only encodes and decodes: it works on io.Reader, io.Writer
// and app types, with no SQL and no widgets. Large sheets are read and
// written as streams. Files users choose are told apart before parsing
// (old .xls, password-protected workbooks, CSV or web pages renamed, junk),
// and every problem comes back as an *app.Error with a Chinese message
// that says how to fix it.
package xlsx
