package app

import (
	"strconv"
	"time"
)

// transferObject names a transfer in the audit trail.
func transferObject(t Transfer) string {
	return "转接第 " + strconv.FormatInt(t.No, 10) + " 号 " + t.Name + "（" + MaskID(t.IDNo) + "）"
}

func (s *Service) auditTransfer(tx Tx, ss *Session, t Transfer, action, before, after string) error {
	return tx.AppendAudit(AuditEntry{At: s.now(), Actor: ss.actor(), Action: action,
		Object: transferObject(t), OrgID: t.FromOrg, Member: t.IDNo, Before: before, After: after})
}

// AddMonths returns t n calendar months later, on the same day of the month
// or, when that month is shorter, its last day (08-31 + 6 months is 02-28
// or 02-29, never in March).
func AddMonths(t time.Time, n int) time.Time {
	y, m, d := t.Date()
	first := time.Date(y, m+time.Month(n), 1, t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), t.Location())
	last := first.AddDate(0, 1, -1).Day()
	if d > last {
		d = last
	}
	return first.AddDate(0, 0, d-1)
}
