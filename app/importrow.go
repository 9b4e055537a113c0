package app

// ImportRow is one data row of an imported 团员团干部导入模板 (R-M4, R-X2):
// the member it describes and every problem found in it. A row with no
// problems can be imported.
type ImportRow struct {
	Row      int      // the spreadsheet's row number (1-based, as Excel shows it)
	Member   Member   // OrgID is set by the use case
	Problems []string // Chinese sentences, one per problem
	Existing string   // R-X3: where the ID is already registered, "" when new
}

// OK reports whether the row can be imported.
func (r ImportRow) OK() bool { return len(r.Problems) == 0 }

// ErrorReportRow is one line of 附件3 信息录入错误团员需上报删除的信息汇总表 (R-E1).
type ErrorReportRow struct {
	Org    string // 所在组织 (full path)
	Name   string
	IDNo   string
	Remark string // 身份证信息录入错误 or 姓名录入错误
}

// UnmarkedBranch is one branch of 附件4 目前尚未标记的团支部团员信息汇总表 (R-G6),
// with its members.
type UnmarkedBranch struct {
	Org     Org
	Members []Member
}
