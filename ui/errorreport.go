package ui

import (
	"fmt"
	"io"

	"tuanwu/app"
)

// onErrorReport exports 附件3 (R-E1): an export that would have no rows is
// confirmed first, saying why; the file is named after what it is and the
// store's date.
func (u *UI) onErrorReport() {
	rows, err := u.svc.ErrorReport(u.ctx, u.sess)
	if err != nil {
		u.showError(err)
		return
	}
	if len(rows) > 0 {
		u.saveErrorReport()
		return
	}
	u.emptyExport = fitConfirm(u.Win, "附件3 将是空表", "仍然导出", "取消", 460, 140,
		wrapLabel("您管理的范围内没有上报为“信息录入错误”的团员（在团员列表中选中团员，用“更多操作 → 信息录入错误上报…”上报），导出的附件3 将是一张空表。仍要导出吗？"),
		func(ok bool) {
			if ok {
				u.saveErrorReport()
			}
		})
	u.emptyExport.Show()
}

// errorReportName is the file name proposed for 附件3.
func (u *UI) errorReportName() string {
	return datedName(u, "附件3-信息录入错误团员")
}

func (u *UI) saveErrorReport() {
	saveFile(u, "导出附件3", u.errorReportName(), func(w io.Writer) (string, error) {
		// 附件3 carries full 身份证号: the export is audited (issue 10, item 5).
		rows, err := u.svc.ExportErrorReport(u.ctx, u.sess, func(rows []app.ErrorReportRow) error { return u.Codecs.WriteErrorReport(w, rows) })
		if err != nil {
			return "", err
		}
		return fmt.Sprintf("共 %d 名信息录入错误团员。", len(rows)), nil
	})
}
