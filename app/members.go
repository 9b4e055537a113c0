package app

import (
	"context"
	"fmt"
	"strings"
)

// AddMember enters a new member into a branch (R-O1, R-M1, R-M2, R-X1,
// R-X2, R-X3). An ID already in the store is refused with where the member
// is, so the user can start a transfer in instead.
func (s *Service) AddMember(ctx context.Context, ss *Session, m Member) (Member, error) {
	v, err := ValidateMember(m, s.now())
	if err != nil {
		return Member{}, err
	}
	err = s.Store.Write(ctx, func(tx Tx) error {
		o, err := s.manageable(tx, ss, v.OrgID)
		if err != nil {
			return err
		}
		if !o.IsBranch() {
			return Errorf(EConflict, "团员只能录入到团支部，“%s”是%s，请选择其下的团支部。", o.FullName, o.Kind)
		}
		if err := s.checkUnique(tx, v); err != nil {
			return err
		}
		v.CreatedAt, v.UpdatedAt = s.now(), s.now()
		if err := tx.InsertMember(&v); err != nil {
			return err
		}
		v.OrgName = o.FullName
		return s.audit(tx, ss, Change{Action: ActAddMember, Object: v.Name + "（" + MaskID(v.IDNo) + "）", OrgID: o.ID, Member: v.IDNo, After: o.FullName})
	})
	if err != nil {
		return Member{}, err
	}
	return v, nil
}

// checkUnique refuses a 身份证号 or 团员编号 already in the store (R-X3, R-X1).
func (s *Service) checkUnique(tx Tx, m Member) error {
	if old, err := tx.Member(m.IDNo); err == nil {
		return Errorf(EConflict, "身份证号 %s 已注册：%s 现在在“%s”。同一人不能重复录入，如需转到本支部，请办理组织关系转入。",
			MaskID(m.IDNo), old.Name, old.OrgName)
	} else if !IsNotFound(err) {
		return err
	}
	return checkMemberNoFree(tx, m)
}

// checkMemberNoFree refuses a 团员编号 that another member already has (R-X1).
func checkMemberNoFree(tx Tx, m Member) error {
	if m.MemberNo != "" {
		if old, err := tx.MemberByNo(m.MemberNo); err == nil && old.IDNo != m.IDNo {
			return Errorf(EConflict, "团员编号 %s 已被“%s”（%s）使用，请核对团员编号。", m.MemberNo, old.Name, old.OrgName)
		} else if err != nil && !IsNotFound(err) {
			return err
		}
	}
	return nil
}

// EditMember changes the editable fields of a member (R-M1: 姓名 and
// 身份证号 never change). fields maps template names to new values.
func (s *Service) EditMember(ctx context.Context, ss *Session, idNo string, fields map[string]string) (Member, error) {
	return s.editMember(ctx, ss, idNo, "", fields)
}

// editMember is EditMember checking version v when set (changes.go).
func (s *Service) editMember(ctx context.Context, ss *Session, idNo string, v RecordVersion, fields map[string]string) (Member, error) {
	var out Member
	err := s.Store.Write(ctx, func(tx Tx) error {
		old, err := s.member(tx, ss, idNo)
		if err != nil {
			return err
		}
		if old.Departed() {
			return departedError(old)
		}
		if o, err := tx.Org(old.OrgID); err != nil {
			return err
		} else if !ss.CanManage(o) {
			return Errorf(EForbidden, "团员信息由所在团支部或上级组织的管理员修改；个人中心只能查看本人信息。")
		}
		if err := checkMemberVersion(tx, old, v); err != nil {
			return err
		}
		m := old
		var changed []string
		for k, val := range fields {
			if err := m.SetField(k, val); err != nil {
				return err
			}
		}
		if m, err = ValidateMember(m, s.now()); err != nil {
			return err
		}
		var before, after []string
		for _, f := range append(append([]string{}, MemberFields...), "发展日期") {
			if a, b := old.Field(f), m.Field(f); a != b {
				changed = append(changed, f)
				before = append(before, f+"="+a)
				after = append(after, f+"="+b)
			}
		}
		if m.Incomplete && len(m.MissingFields()) == 0 {
			// R-W4: the record of a person received from outside is whole.
			m.Incomplete = false
			changed = append(changed, "信息已补全")
		}
		if len(changed) == 0 {
			out = old
			return nil
		}
		if m.MemberNo != old.MemberNo {
			if err := checkMemberNoFree(tx, m); err != nil {
				return err
			}
		}
		m.UpdatedAt = s.now()
		if err := tx.UpdateMember(m); err != nil {
			return err
		}
		out = m
		return s.audit(tx, ss, Change{Action: ActEditMember, Object: m.Name + "（" + MaskID(m.IDNo) + "）", OrgID: m.OrgID, Member: m.IDNo, Before: strings.Join(before, "；"), After: strings.Join(after, "；")})
	})
	return out, err
}

func (s *Service) member(tx Tx, ss *Session, idNo string) (Member, error) {
	if err := ready(ss); err != nil {
		return Member{}, err
	}
	id := NormalizeID(idNo)
	m, err := tx.Member(id)
	if IsNotFound(err) {
		return Member{}, Errorf(ENotFound, "没有身份证号为 %s 的团员，请核对身份证号。", MaskID(id))
	}
	if err != nil {
		return Member{}, err
	}
	o, err := tx.Org(m.OrgID)
	if err != nil {
		return Member{}, err
	}
	if !ss.CanManage(o) && ss.Account.IDNo != m.IDNo && !(m.Departed() && ss.LeftUnder(m)) {
		return Member{}, Errorf(EForbidden, "团员 %s 不在您管理的组织内，您不能查看或修改其信息。", MaskID(id))
	}
	return m, nil
}

// departedError refuses a change to the record of a member who left (R-W3).
func departedError(m Member) error {
	return Errorf(EConflict, "%s 已于 %s 转出至“%s”（第 %d 号转接），记录作为历史保留，不能修改；如其返回本校，请办理转入。",
		m.Name, m.LeftAt.In(Shanghai).Format("2006-01-02"), m.LeftTo, m.LeftTransfer)
}

// Member returns one member by 身份证号.
func (s *Service) Member(ctx context.Context, ss *Session, idNo string) (m Member, err error) {
	err = s.Store.Read(ctx, func(tx Tx) error { m, err = s.member(tx, ss, idNo); return err })
	return m, err
}

// ListMembers calls fn for each member selected by q, in entry order. q.OrgID
// 0 means every organization the session manages.
func (s *Service) ListMembers(ctx context.Context, ss *Session, q MemberQuery, fn func(Member) error) error {
	return s.eachMember(ctx, ss, q, func(_ Tx, m Member) error { return fn(m) })
}

// ListMembersWithOrg is ListMembers giving each member's organization too
// (looked up once per organization, in the same transaction), for lists
// that show what depends on it, such as the identity of R-D3.
func (s *Service) ListMembersWithOrg(ctx context.Context, ss *Session, q MemberQuery, fn func(Member, Org) error) error {
	orgs := map[int64]Org{}
	return s.eachMember(ctx, ss, q, func(tx Tx, m Member) error {
		o, ok := orgs[m.OrgID]
		if !ok {
			var err error
			if o, err = tx.Org(m.OrgID); err != nil {
				return fmt.Errorf("organization of %s: %w", MaskID(m.IDNo), err)
			}
			orgs[m.OrgID] = o
		}
		return fn(m, o)
	})
}

// eachMember runs fn for each member q selects within the session's scope,
// in one read transaction.
func (s *Service) eachMember(ctx context.Context, ss *Session, q MemberQuery, fn func(Tx, Member) error) error {
	return s.Store.Read(ctx, func(tx Tx) error {
		qs, err := s.scope(tx, ss, q)
		if err != nil {
			return err
		}
		for _, q := range qs {
			if err := tx.Members(q, func(m Member) error { return fn(tx, m) }); err != nil {
				return err
			}
		}
		return nil
	})
}

// CountMembers returns how many members q selects.
func (s *Service) CountMembers(ctx context.Context, ss *Session, q MemberQuery) (int, error) {
	total := 0
	err := s.Store.Read(ctx, func(tx Tx) error {
		qs, err := s.scope(tx, ss, q)
		if err != nil {
			return err
		}
		for _, q := range qs {
			n, err := tx.CountMembers(q)
			if err != nil {
				return err
			}
			total += n
		}
		return nil
	})
	return total, err
}

// scope turns q into queries over organizations the session manages.
func (s *Service) scope(tx Tx, ss *Session, q MemberQuery) ([]MemberQuery, error) {
	q.Text = strings.TrimSpace(q.Text)
	if q.OrgID != 0 {
		if _, err := s.manageable(tx, ss, q.OrgID); err != nil {
			return nil, err
		}
		return []MemberQuery{q}, nil
	}
	if err := ready(ss); err != nil {
		return nil, err
	}
	if ss.Owner {
		return []MemberQuery{q}, nil
	}
	var qs []MemberQuery
	for _, a := range ss.Roots() {
		c := q
		c.OrgID = a.ID
		qs = append(qs, c)
	}
	if len(qs) == 0 {
		return nil, Errorf(EForbidden, "您不是任何组织的管理员，不能查看团员列表。")
	}
	return qs, nil
}
