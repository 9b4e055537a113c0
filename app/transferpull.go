package app

import (
	"context"
	"strings"
)

// PullTransfer is 办理转入 (R-T1): the receiving organization names the
// member by 姓名 and 身份证号 and starts the transfer towards itself; the
// member's present organization approves.
func (s *Service) PullTransfer(ctx context.Context, ss *Session, in TransferInput) (Transfer, error) {
	if err := ready(ss); err != nil {
		return Transfer{}, err
	}
	if len(in.IDNos) != 1 {
		return Transfer{}, Errorf(EInvalid, "办理转入请填写一名团员的姓名和身份证号。")
	}
	if in.Outside != nil {
		return Transfer{}, Errorf(EInvalid, "办理转入时，转入组织是本系统中的组织（--to）；来自校外组织的，请用“原所在校外组织”（--from-outside）填写。")
	}
	var out Transfer
	err := s.Store.Write(ctx, func(tx Tx) error {
		to, err := s.pullTarget(tx, ss, in.ToOrg)
		if err != nil {
			return err
		}
		if err := fillPullUnit(tx, &in, to); err != nil {
			return err
		}
		v, err := ValidateTransferInput(in, &to)
		if err != nil {
			return err
		}
		m, err := s.pulledMember(tx, &in)
		if err != nil {
			return err
		}
		from, err := s.pulledFrom(tx, ss, in, m, to)
		if err != nil {
			return err
		}
		out, err = s.start(tx, ss, m, from, &to, v, ByInOrg)
		return err
	})
	return out, err
}

// pullTarget is the receiving organization of 办理转入: the one given, or
// the session's top organization, which the session must manage.
func (s *Service) pullTarget(tx Tx, ss *Session, toID int64) (Org, error) {
	if toID == 0 {
		top := ss.Top()
		if top.ID == 0 {
			return Org{}, Errorf(EForbidden, "只有组织管理员才能办理转入。")
		}
		toID = top.ID
	}
	return s.manageable(tx, ss, toID)
}

// fillPullUnit: in 办理转入 (R-T1) the receiving side enters the member's
// 姓名 and 身份证号; the unit and its place are its own, taken from it when
// not given.
func fillPullUnit(tx Tx, in *TransferInput, to Org) error {
	if strings.TrimSpace(in.Unit) == "" {
		school, err := schoolOf(tx, to)
		if err != nil {
			return err
		}
		in.Unit = unitName(school.Name)
	}
	if strings.TrimSpace(in.Address) == "" {
		in.Address = "转入组织：" + to.FullName
	}
	return nil
}

// pulledMember is the member 办理转入 names by 姓名 and 身份证号 together:
// a member of this store, one who left and comes back (R-W3: the same
// record, from where they went unless told otherwise, which in is told),
// or a person not in this store received from outside (R-W4).
func (s *Service) pulledMember(tx Tx, in *TransferInput) (Member, error) {
	id := NormalizeID(in.IDNos[0])
	if _, err := ParseID(id, s.now()); err != nil {
		return Member{}, err
	}
	name := strings.TrimSpace(in.Name)
	if name == "" {
		return Member{}, Errorf(EInvalid, "办理转入须填写团员的姓名和身份证号，系统按两者一起查找。")
	}
	m, err := tx.Member(id)
	switch {
	case IsNotFound(err):
		if in.FromOutside == nil {
			return Member{}, Errorf(ENotFound, "系统中没有身份证号为 %s 的团员。从校外组织转入的团员（如高中毕业的新生），请填写其原所在组织（--from-outside）；尚未入团的，请用“团员团干部导入模板”或新增团员录入。", MaskID(id))
		}
		if _, err := ValidateName(name); err != nil {
			return Member{}, err
		}
		return Member{IDNo: id, Name: name, Status: StatusActive}, nil
	case err != nil:
		return Member{}, err
	case name != m.Name:
		return Member{}, Errorf(EConflict, "身份证号 %s 登记的姓名与填写的“%s”不一致，请核对姓名和身份证号。", MaskID(id), name)
	case m.Departed():
		if in.FromOutside == nil {
			in.FromOutside = &OutsideInput{Name: m.LeftTo}
			if o, err := tx.Org(m.OrgID); err == nil && o.Outside {
				in.FromOutside.Name = o.Name
			}
		}
	case in.FromOutside != nil:
		o, err := tx.Org(m.OrgID)
		if err != nil {
			return Member{}, err
		}
		return Member{}, Errorf(EConflict, "%s 已是本系统的团员（在“%s”），不是从校外组织转入；请去掉“原所在校外组织”（--from-outside）后办理转入。", m.Name, o.FullName)
	}
	return m, nil
}

// pulledFrom is where the pulled member comes from: the outside
// organization given (kept in the directory), or their organization here,
// which must not lie under the receiving one.
func (s *Service) pulledFrom(tx Tx, ss *Session, in TransferInput, m Member, to Org) (Org, error) {
	var from Org
	var err error
	if in.FromOutside != nil {
		if from, err = s.outside(tx, ss, *in.FromOutside, "", to.Province); err != nil {
			return Org{}, err
		}
	} else if from, err = tx.Org(m.OrgID); err != nil {
		return Org{}, err
	}
	if !from.Outside && to.Contains(from) {
		return Org{}, Errorf(EConflict, "%s 已在“%s”，无需办理转入。", m.Name, from.FullName)
	}
	return from, nil
}
