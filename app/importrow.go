package app

// ImportRow is one data row of an imported 团员团干部导入模板 (R-M4, R-X2):
// the member it describes and every problem found in it. A row with no
// problems can be imported.
type ImportRow struct {
	Row      int      // the spreadsheet's row number (1-based, as Excel shows it)
	Member   Member   // OrgID is set by the use case
	Problems []string // Chinese sentences, one per problem
	Existing string   // R-X3: where the ID is already registered, "" when new
	// Given is the row's cells as typed, by template column (姓名,
	// 身份证号码, then MemberFields), kept for rows found wrong while reading
	// so that the problem list gives them back as they were; nil otherwise.
	Given []string
}

// OK reports whether the row can be imported.
func (r ImportRow) OK() bool { return len(r.Problems) == 0 }

// Cells returns the row's cells by template column: as typed when they
// were kept (Given), else from Member.
func (r ImportRow) Cells() []string {
	if r.Given != nil {
		return r.Given
	}
	out := make([]string, 0, 2+len(MemberFields))
	out = append(out, r.Member.Name, r.Member.IDNo)
	for _, f := range MemberFields {
		out = append(out, r.Member.Field(f))
	}
	return out
}

// ProblemRows returns the rows that have problems, in order: the import
// problem list sent back to whoever filled the template.
func ProblemRows(rows []ImportRow) []ImportRow {
	var out []ImportRow
	for _, r := range rows {
		if !r.OK() {
			out = append(out, r)
		}
	}
	return out
}

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
