package app

import "context"

// AbroadMember is a member of an 出国(境)学习研究团员团支部 as the store reads
// it for the register (R-T2).
type AbroadMember struct {
	Member  Member // with OrgName, the branch's full path
	College string // full path of the branch's parent: the college committee
	// Transfer is the member's latest finished 出国（境）学习研究 transfer,
	// with FromName; the zero Transfer (No 0) when there is none, as for a
	// member entered into the branch directly.
	Transfer Transfer
}

// AbroadRow is one line of the 出国（境）学习研究团员登记册 (R-T2): a member of a
// college's 出国(境)学习研究团员团支部 with the written application data of
// the transfer the school committee approved. A member entered into the
// branch directly has the application fields empty.
type AbroadRow struct {
	Name         string
	IDNo         string
	College      string // 所在学院: the college committee's full path
	FromOrg      string // 原团支部: full path of the transfer's origin
	Place        string // 境外学习研究地点
	Period       string // 期限
	Contact      string // 境内联系人
	ContactPhone string // 联系方式
	ApprovedOn   string // 批准日期 YYYY-MM-DD: the day the transfer finished
	Remark       string // 备注: the transfer's remark
	TransferNo   int64  // the transfer's number, 0 when there is none
}

// AbroadRegister returns the register of the members now in an
// 出国(境)学习研究团员团支部 within the session's organizations (the owner:
// all), for 登记造册 (R-T2). Only committee administrators keep the
// register; a branch administrator is refused. It reads in one
// transaction and changes nothing, like ErrorReport.
func (s *Service) AbroadRegister(ctx context.Context, ss *Session) ([]AbroadRow, error) {
	if err := ready(ss); err != nil {
		return nil, err
	}
	if !ss.KeepsAbroadRegister() {
		return nil, Errorf(EForbidden, "只有学校或学院团委的管理员才能导出出国（境）学习研究团员登记册。")
	}
	paths := []string{}
	if ss.Owner {
		paths = append(paths, "/")
	} else {
		for _, a := range ss.Orgs {
			if !a.IsBranch() {
				paths = append(paths, a.Path)
			}
		}
	}
	var out []AbroadRow
	err := s.Store.Read(ctx, func(tx Tx) error {
		seen := map[string]bool{}
		for _, p := range paths {
			list, err := tx.AbroadMembers(p)
			if err != nil {
				return err
			}
			for _, am := range list {
				if seen[am.Member.IDNo] {
					continue
				}
				seen[am.Member.IDNo] = true
				out = append(out, abroadRow(am))
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// abroadRow makes a register line of a member and its transfer.
func abroadRow(am AbroadMember) AbroadRow {
	m, t := am.Member, am.Transfer
	r := AbroadRow{Name: m.Name, IDNo: m.IDNo, College: am.College}
	if t.No == 0 {
		return r
	}
	r.FromOrg, r.Place, r.Period, r.Contact, r.ContactPhone = t.FromName, t.AbroadPlace, t.AbroadPeriod, t.Contact, t.ContactPhone
	r.Remark, r.TransferNo = t.Remark, t.No
	if !t.FinishedAt.IsZero() {
		r.ApprovedOn = t.FinishedAt.In(Shanghai).Format("2006-01-02")
	}
	return r
}
