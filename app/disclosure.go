package app

import (
	"context"
	"fmt"
)

// Full 身份证号 leave the program only on purpose, and each time the audit
// trail says so, once per command with the count (issue 10, item 5): the
// window masks them until revealed; the headless commands mask them in text
// output unless --full-ids, and --json (for scripts) keeps them, audited
// the same way; the roster export with full IDs, 附件3 and 附件4 are audited
// as exports.

// AuditFullIDs records that what (a command or an export) showed or wrote n
// full 身份证号 of members in organization orgID (0: the session's own
// scope), or of one member when member is set.
func (s *Service) AuditFullIDs(ctx context.Context, ss *Session, what string, orgID int64, member string, n int) error {
	if err := ready(ss); err != nil {
		return err
	}
	return s.Store.Write(ctx, func(tx Tx) error {
		object := ""
		switch {
		case member != "":
			object = MaskID(member)
		case orgID != 0:
			o, err := tx.Org(orgID)
			if err != nil {
				return fmt.Errorf("audit full IDs: %w", err)
			}
			object = o.FullName
		default:
			top := ss.Top()
			orgID, object = top.ID, top.FullName
			if object == "" {
				object = top.Name
			}
		}
		if member != "" && orgID == 0 {
			if m, err := tx.Member(member); err == nil {
				orgID = m.OrgID
			}
		}
		return s.audit(tx, ss, Change{Action: ActViewFullIDs, Object: object, OrgID: orgID, Member: member, After: fmt.Sprintf("%s：%d 个完整身份证号", what, n)})
	})
}

// ListMembersFullIDs is ListMembersWithOrg for a listing that shows full
// 身份证号: it counts what q selects, records that count in the audit trail
// (nothing when there is none), then lists. It returns how many it listed.
func (s *Service) ListMembersFullIDs(ctx context.Context, ss *Session, q MemberQuery, what string, fn func(Member, Org) error) (int, error) {
	n, err := s.CountMembers(ctx, ss, q)
	if err != nil {
		return 0, err
	}
	if q.Limit > 0 && n > q.Limit {
		n = q.Limit
	}
	if n > 0 {
		if err := s.AuditFullIDs(ctx, ss, what, q.OrgID, "", n); err != nil {
			return 0, err
		}
	}
	listed := 0
	err = s.ListMembersWithOrg(ctx, ss, q, func(m Member, o Org) error { listed++; return fn(m, o) })
	return listed, err
}

// ExportUnmarked writes 附件4 of organization orgID (Unmarked, R-G6) with
// write, then records the export, which carries full 身份证号, with its
// count. A failed write records nothing; a failed record fails the export
// (the caller removes the file). It returns what was written.
func (s *Service) ExportUnmarked(ctx context.Context, ss *Session, orgID int64, write func([]UnmarkedBranch) error) ([]UnmarkedBranch, error) {
	list, err := s.Unmarked(ctx, ss, orgID)
	if err != nil {
		return nil, err
	}
	if err := write(list); err != nil {
		return nil, err
	}
	n := 0
	for _, b := range list {
		n += len(b.Members)
	}
	if err := s.auditExport(ctx, ss, "导出附件4（未标记毕业时间的团支部团员信息）", orgID, len(list), n); err != nil {
		return nil, err
	}
	return list, nil
}

// ExportErrorReport writes 附件3 (ErrorReport, R-E1) with write, then
// records the export, which carries full 身份证号, with its count, as
// ExportUnmarked does.
func (s *Service) ExportErrorReport(ctx context.Context, ss *Session, write func([]ErrorReportRow) error) ([]ErrorReportRow, error) {
	rows, err := s.ErrorReport(ctx, ss)
	if err != nil {
		return nil, err
	}
	if err := write(rows); err != nil {
		return nil, err
	}
	if err := s.auditExport(ctx, ss, "导出附件3（信息录入错误团员）", 0, -1, len(rows)); err != nil {
		return nil, err
	}
	return rows, nil
}

// auditExport records an export of n full 身份证号.
func (s *Service) auditExport(ctx context.Context, ss *Session, what string, orgID int64, branches, n int) error {
	return s.Store.Write(ctx, func(tx Tx) error {
		object := ""
		if orgID != 0 {
			o, err := tx.Org(orgID)
			if err != nil {
				return fmt.Errorf("audit export: %w", err)
			}
			object = o.FullName
		} else {
			top := ss.Top()
			orgID, object = top.ID, top.FullName
			if object == "" {
				object = top.Name
			}
		}
		after := fmt.Sprintf("共 %d 人（含完整身份证号）", n)
		if branches >= 0 {
			after = fmt.Sprintf("%d 个团支部，共 %d 人（含完整身份证号）", branches, n)
		}
		return s.audit(tx, ss, Change{Action: what, Object: object, OrgID: orgID, After: after})
	})
}
