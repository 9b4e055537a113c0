package app

import (
	"context"
	"time"
)

// Role names shown in the window and used by the permission checks (R-A4, R-A5).
const (
	RoleCommittee = "团委管理员"  // acts on its whole subtree
	RoleBranch    = "团支部管理员" // acts on its branch only
	RoleMember    = "团员"     // 个人中心 only
)

// AdminResult tells what AddAdmin did.
type AdminResult struct {
	Admin           Admin
	AccountCreated  bool   // the person had no account: one was made (R-A3)
	InitialPassword string // when AccountCreated: the last 8 characters of the 身份证号
}

// AddAdmin makes one of an organization's current cadres its administrator
// (管理员变更 → 添加管理员, R-A2, R-A3). A person with no account gets one at
// once, with the initial password, to be changed at first sign-in.
func (s *Service) AddAdmin(ctx context.Context, ss *Session, orgID int64, idNo string) (AdminResult, error) {
	idNo = NormalizeID(idNo)
	if _, err := ParseID(idNo, s.now()); err != nil {
		return AdminResult{}, err
	}
	hash, err := HashPassword(InitialPassword(idNo))
	if err != nil {
		return AdminResult{}, err
	}
	var res AdminResult
	err = s.Store.Write(ctx, func(tx Tx) error {
		o, err := s.manageable(tx, ss, orgID)
		if err != nil {
			return err
		}
		cadres, err := tx.Cadres(o.ID)
		if err != nil {
			return err
		}
		var c *Cadre
		for i := range cadres {
			if cadres[i].IDNo == idNo {
				c = &cadres[i]
			}
		}
		if c == nil {
			return Errorf(EConflict, "身份证号 %s 不是“%s”的团干部。添加管理员前，请先在“录入本级团干部”中把此人录入为本组织团干部。", MaskID(idNo), o.Name)
		}
		current, err := tx.Admins(o.ID)
		if err != nil {
			return err
		}
		for _, a := range current {
			if a.IDNo == idNo {
				return Errorf(EConflict, "%s 已经是“%s”的管理员。", c.Name, o.Name)
			}
		}
		if _, err := tx.Account(idNo); IsNotFound(err) {
			if err := tx.InsertAccount(Account{IDNo: idNo, Name: c.Name, PassHash: hash, MustChange: true, CreatedAt: s.now()}); err != nil {
				return err
			}
			res.AccountCreated, res.InitialPassword = true, InitialPassword(idNo)
		} else if err != nil {
			return err
		}
		if err := tx.InsertAdmin(o.ID, idNo, s.now()); err != nil {
			return err
		}
		res.Admin = Admin{OrgID: o.ID, IDNo: idNo, Name: c.Name, GrantedAt: s.now()}
		after := c.Name + "（" + MaskID(idNo) + "）"
		if res.AccountCreated {
			after += "，新建账号"
		}
		return s.audit(tx, ss, Change{Action: ActAddAdmin, Object: o.FullName, OrgID: o.ID, After: after})
	})
	return res, err
}

// Admins returns an organization's current administrators.
func (s *Service) Admins(ctx context.Context, ss *Session, orgID int64) (out []Admin, err error) {
	err = s.Store.Read(ctx, func(tx Tx) error {
		if _, err := s.manageable(tx, ss, orgID); err != nil {
			return err
		}
		out, err = tx.Admins(orgID)
		return err
	})
	return out, err
}

// RevokeAdmin takes away a person's administration of an organization
// (撤销, R-A3): the person, the account and the history stay. The last
// administrator cannot be revoked while no administrator above can act for
// the organization.
func (s *Service) RevokeAdmin(ctx context.Context, ss *Session, orgID int64, idNo string) error {
	idNo = NormalizeID(idNo)
	return s.Store.Write(ctx, func(tx Tx) error {
		o, err := s.manageable(tx, ss, orgID)
		if err != nil {
			return err
		}
		admins, err := tx.Admins(o.ID)
		if err != nil {
			return err
		}
		var target *Admin
		for i := range admins {
			if admins[i].IDNo == idNo {
				target = &admins[i]
			}
		}
		if target == nil {
			return Errorf(ENotFound, "身份证号 %s 不是“%s”的管理员。", MaskID(idNo), o.Name)
		}
		if len(admins) == 1 {
			above, err := s.adminAbove(tx, o)
			if err != nil {
				return err
			}
			if !above {
				return Errorf(EConflict, "%s 是“%s”唯一的管理员，且上级组织没有管理员可以代为管理，不能撤销。请先添加新的管理员，再撤销。", target.Name, o.Name)
			}
		}
		if err := tx.RevokeAdmin(o.ID, idNo, s.now()); err != nil {
			return err
		}
		return s.audit(tx, ss, Change{Action: ActRevokeAdmin, Object: o.FullName, OrgID: o.ID, Before: target.Name + "（" + MaskID(idNo) + "）"})
	})
}

// adminAbove reports whether any ancestor of o has an administrator.
func (s *Service) adminAbove(tx Tx, o Org) (bool, error) {
	for p := o.ParentID; p != 0; {
		admins, err := tx.Admins(p)
		if err != nil {
			return false, err
		}
		if len(admins) > 0 {
			return true, nil
		}
		parent, err := tx.Org(p)
		if err != nil {
			return false, err
		}
		p = parent.ParentID
	}
	return false, nil
}

// ResetPassword sets a person's password back to the initial rule (the last
// 8 characters of the 身份证号) and forces a change at the next sign-in
// (R-A1, R-X6). An administrator of the member's branch or above may reset
// a member; an administrator above an organization may reset its
// administrators and cadres.
func (s *Service) ResetPassword(ctx context.Context, ss *Session, idNo string) error {
	idNo = NormalizeID(idNo)
	hash, err := HashPassword(InitialPassword(idNo))
	if err != nil {
		return err
	}
	return s.Store.Write(ctx, func(tx Tx) error {
		if err := ready(ss); err != nil {
			return err
		}
		allowed, isMember := false, false
		name := ""
		var orgID int64 // where the entry shows in the audit trail
		if m, err := tx.Member(idNo); err == nil {
			o, err := tx.Org(m.OrgID)
			if err != nil {
				return err
			}
			allowed, name, isMember, orgID = ss.CanManage(o), m.Name, true, o.ID
		} else if !IsNotFound(err) {
			return err
		}
		acc, accErr := tx.Account(idNo)
		if accErr != nil && !IsNotFound(accErr) {
			return accErr
		}
		if accErr == nil {
			name = acc.Name
			orgs, err := tx.AdminOrgs(idNo)
			if err != nil {
				return err
			}
			if !isMember {
				allowed = len(orgs) > 0
				if allowed {
					orgID = orgs[0].ID
				}
			}
			// Resetting gives the initial password to whoever resets: never
			// to someone below an organization the person administers.
			for _, o := range orgs {
				if !ss.CanManage(o) {
					allowed = false
				}
			}
		}
		if name == "" {
			return Errorf(ENotFound, "没有身份证号为 %s 的团员或账号，请核对。", MaskID(idNo))
		}
		if !allowed {
			return Errorf(EForbidden, "%s 不在您管理的组织内，请由其所在团支部或上级组织的管理员重置密码。", MaskID(idNo))
		}
		if idNo == ss.Account.IDNo {
			return Errorf(EConflict, "不能重置自己的密码，请使用“修改密码”。")
		}
		if accErr == nil {
			acc.PassHash, acc.MustChange, acc.Failed, acc.LockedUntil = hash, true, 0, time.Time{}
			if err := tx.UpdateAccount(acc); err != nil {
				return err
			}
		} else if err := tx.InsertAccount(Account{IDNo: idNo, Name: name, PassHash: hash, MustChange: true, CreatedAt: s.now()}); err != nil {
			return err
		}
		return s.audit(tx, ss, Change{Action: ActResetPassword, Object: name + "（" + MaskID(idNo) + "）", OrgID: orgID, Member: idNo, After: "初始密码，须在下次登录时修改"})
	})
}

// MyRecord returns the signed-in person's own member record (个人中心, R-A5).
func (s *Service) MyRecord(ctx context.Context, ss *Session) (Member, error) {
	m, _, _, err := s.MyGraduation(ctx, ss)
	return m, err
}

// MyGraduation returns the signed-in member's own record (as MyRecord)
// with its identity (R-D3: 毕业生, 延迟毕业团员, 教师 or "") and expected
// graduation month: a delayed graduate's own, otherwise the branch's (R-G1).
// One read, for the personal centre.
func (s *Service) MyGraduation(ctx context.Context, ss *Session) (m Member, identity, month string, err error) {
	if err := ready(ss); err != nil {
		return Member{}, "", "", err
	}
	err = s.Store.Read(ctx, func(tx Tx) error {
		if m, err = tx.Member(ss.Account.IDNo); err != nil {
			return err
		}
		o, err := tx.Org(m.OrgID)
		if err != nil {
			return err
		}
		identity, month = Identity(m, o), o.GradMonth
		return nil
	})
	if IsNotFound(err) {
		return Member{}, "", "", Errorf(ENotFound, "您的身份证号没有登记为团员，个人中心没有团籍信息。")
	}
	switch m.Mark {
	case MarkDelayed:
		month = m.MarkMonth
	case MarkTeacher:
		month = ""
	}
	return m, identity, month, err
}
