package app

import (
	"context"
	"time"
)

// AuditEntry is one line of the audit trail: who did what to which record.
type AuditEntry struct {
	ID    int64
	At    time.Time
	Actor string // 身份证号 of the acting account, "系统" for automatic steps
	// ActorName is the acting account's name, filled by Service.Audit (not stored).
	ActorName string
	Action    string // a Chinese verb phrase: 新增团员, 修改组织名称, ...
	Object    string // what was changed: an organization path, a masked 身份证号
	OrgID     int64
	Member    string // the member's 身份证号 when the entry concerns a member
	Before    string
	After     string
}

// AuditFilter selects audit entries.
type AuditFilter struct {
	Since     time.Time
	Until     time.Time // exclusive; zero: no end
	Member    string    // the member concerned
	Actor     string    // who acted
	Person    string    // either the member concerned or who acted
	OrgID     int64
	UnderPath string // entries of organizations in this subtree (an Org.Path)
	Limit     int
}

// Audit returns audit entries. The store owner sees all; other
// administrators see those of organizations and members they manage.
func (s *Service) Audit(ctx context.Context, ss *Session, f AuditFilter) ([]AuditEntry, error) {
	var out []AuditEntry
	err := s.Store.Read(ctx, func(tx Tx) error {
		if err := ready(ss); err != nil {
			return err
		}
		if !ss.IsAdmin() {
			return Errorf(EForbidden, "只有组织管理员才能查看操作日志。")
		}
		if f.UnderPath != "" && !ss.CanManage(Org{Path: f.UnderPath}) {
			return Errorf(EForbidden, "您只能查看本组织及下级组织的操作日志。")
		}
		if f.OrgID != 0 {
			o, err := s.manageable(tx, ss, f.OrgID)
			if err != nil {
				return err
			}
			f.OrgID, f.UnderPath = 0, o.Path // the organization and everything below it
		}
		if f.Member != "" {
			if _, err := s.member(tx, ss, f.Member); IsNotFound(err) {
				// Not (or no longer) a member: a cadre or administrator, or a
				// deleted entry (R-E1) whose history stays. The owner sees all
				// of it, other administrators what happened in their subtree.
				if !ss.Owner && f.UnderPath == "" {
					f.UnderPath = ss.Top().Path
				}
			} else if err != nil {
				return err
			}
		}
		if !ss.Owner && f.UnderPath == "" && f.Member == "" {
			// Administrators below the root see what happened in their own subtree.
			if !ss.IsAdmin() {
				return Errorf(EForbidden, "只有组织管理员才能查看操作日志。")
			}
			var top Org
			for _, a := range ss.Orgs {
				if top.ID == 0 || len(a.Path) < len(top.Path) {
					top = a
				}
			}
			f.UnderPath = top.Path
		}
		var err error
		if out, err = tx.Audit(f); err != nil {
			return err
		}
		names := accountNames{}
		for i := range out {
			out[i].ActorName = names.of(tx, out[i].Actor)
		}
		return nil
	})
	return out, err
}
