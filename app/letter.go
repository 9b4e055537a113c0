package app

import "time"

// Letter is one numbered 组织关系介绍信 (R-L1, R-L2, 附件2), as printed.
type Letter struct {
	No         int      // 第 N 号: unique and increasing per issuing committee, never reused
	Issuer     string   // the issuing committee's heading, e.g. 共青团浙江工商大学信息学院委员会
	School     string   // heading line 1 part: 共青团XX大学 (from the issuer)
	College    string   // heading line 1 part: XX 学院 (may be "")
	IssuerOrg  string   // the issuing committee's full path
	Transfers  []int64  // the transfers it introduces
	Recipient  string   // the receiving organization
	Names      []string // the members introduced
	DuesYear   int      // 团费交至 <year> 年 <month> 月
	DuesMonth  int
	Date       time.Time // the letter's date
	ValidDays  int       // （有效期限 <days> 天）
	Voided     bool      // a voided letter keeps its number
	VoidReason string
}

// Count returns how many members the letter introduces.
func (l Letter) Count() int { return len(l.Names) }
