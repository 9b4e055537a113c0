package app

import (
	"context"
	"strconv"
	"strings"
)

// Session is a signed-in account with what it may act on.
type Session struct {
	Account Account
	Orgs    []Org // organizations it administers
	Owner   bool  // administers the store's root: may act on every organization
}

// CanManage reports whether the session may act on organization o (R-A4).
func (ss *Session) CanManage(o Org) bool {
	if ss == nil || o.Outside {
		return false
	}
	if ss.Owner {
		return true
	}
	for _, a := range ss.Orgs {
		if a.Contains(o) {
			return true
		}
	}
	return false
}

func (ss *Session) actor() string {
	if ss == nil {
		return "系统"
	}
	return ss.Account.IDNo
}

func (s *Service) session(ctx context.Context, acc Account) (*Session, error) {
	ss := &Session{Account: acc}
	err := s.Store.Read(ctx, func(tx Tx) error {
		orgs, err := tx.AdminOrgs(acc.IDNo)
		if err != nil {
			return err
		}
		ss.Orgs = orgs
		rootID, err := s.rootID(tx)
		if err != nil {
			return err
		}
		for _, o := range orgs {
			if o.ID == rootID {
				ss.Owner = true
			}
		}
		return nil
	})
	return ss, err
}

func (s *Service) rootID(tx Tx) (int64, error) {
	v, err := tx.Setting("root_org")
	if err != nil || v == "" {
		return 0, err
	}
	return strconv.ParseInt(v, 10, 64)
}

// ready refuses a session that may not act yet.
func ready(ss *Session) error {
	if ss == nil {
		return Errorf(EUnauthorized, "请先登录。")
	}
	if ss.Account.MustChange {
		return Errorf(EMustChange, "请先修改初始密码，再进行其他操作。")
	}
	return nil
}

func (s *Service) manageable(tx Tx, ss *Session, orgID int64) (Org, error) {
	if err := ready(ss); err != nil {
		return Org{}, err
	}
	o, err := tx.Org(orgID)
	if err != nil {
		return Org{}, err
	}
	if !ss.CanManage(o) {
		return Org{}, Errorf(EForbidden, "您没有管理“%s”的权限，请联系其上级组织的管理员办理。", o.FullName)
	}
	return o, nil
}

// IsAdmin reports whether the session administers any organization.
func (ss *Session) IsAdmin() bool { return ss != nil && len(ss.Orgs) > 0 }

// Role returns the session's highest role.
func (ss *Session) Role() string {
	for _, o := range ss.Orgs {
		if !o.IsBranch() {
			return RoleCommittee
		}
	}
	if len(ss.Orgs) > 0 {
		return RoleBranch
	}
	return RoleMember
}

// CanCommittee reports whether the session acts on o as a committee
// administrator above or at o: what a branch administrator may not do,
// such as marking graduation times (R-A4).
func (ss *Session) CanCommittee(o Org) bool {
	if ss == nil || o.Outside {
		return false
	}
	if ss.Owner {
		return true
	}
	for _, a := range ss.Orgs {
		if !a.IsBranch() && a.Contains(o) {
			return true
		}
	}
	return false
}

// LeftUnder reports whether a member who transferred out left from an
// organization the session manages (R-W3): its record stays theirs to see.
func (ss *Session) LeftUnder(m Member) bool {
	return m.LeftPath != "" && ss.ManagesPath(m.LeftPath)
}

// ManagesPath reports whether the organization with this org path, which
// may be deleted since, lies in the session's subtrees.
func (ss *Session) ManagesPath(path string) bool {
	if ss == nil || path == "" {
		return false
	}
	if ss.Owner {
		return true
	}
	for _, a := range ss.Orgs {
		if a.Path != "" && strings.HasPrefix(path, a.Path) {
			return true
		}
	}
	return false
}

// Top returns the session's highest administered organization (the zero
// Org for a member's account).
func (ss *Session) Top() Org {
	var top Org
	for _, a := range ss.Orgs {
		if top.ID == 0 || len(a.Path) < len(top.Path) {
			top = a
		}
	}
	return top
}

// Roots returns the administered organizations that no other administered
// organization contains: the tops of the session's trees.
func (ss *Session) Roots() []Org {
	var out []Org
	for _, a := range ss.Orgs {
		if !ss.coveredAbove(a) {
			out = append(out, a)
		}
	}
	return out
}

// coveredAbove reports whether another administered organization contains o.
func (ss *Session) coveredAbove(o Org) bool {
	for _, b := range ss.Orgs {
		if b.ID != o.ID && b.Contains(o) {
			return true
		}
	}
	return false
}

// KeepsAbroadRegister reports whether the session keeps the register of
// 出国（境）学习研究 members (R-T2): the school's and the colleges'
// committees, not a branch.
func (ss *Session) KeepsAbroadRegister() bool {
	return ss.IsAdmin() && (ss.Owner || ss.Role() == RoleCommittee)
}
