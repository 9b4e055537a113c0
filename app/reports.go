package app

import "context"

// ExportRoster walks the roster of an organization for an Excel export.
// Full 身份证号 are given only when asked for, and such an export is
// recorded in the audit trail; otherwise the encoder masks them.
func (s *Service) ExportRoster(ctx context.Context, ss *Session, orgID int64, fullIDs bool, fn func(Member) error) (Org, error) {
	var o Org
	err := s.Store.Read(ctx, func(tx Tx) (err error) { o, err = s.manageable(tx, ss, orgID); return err })
	if err != nil {
		return Org{}, err
	}
	if fullIDs {
		if err := s.Store.Write(ctx, func(tx Tx) error {
			return s.audit(tx, ss, Change{Action: ActExportFullIDs, Object: o.FullName, OrgID: o.ID, After: "团员名册（含完整身份证号）"})
		}); err != nil {
			return Org{}, err
		}
	}
	return o, s.ListMembers(ctx, ss, MemberQuery{OrgID: orgID}, fn)
}
