package app

import (
	"time"
)

// Version is the program's version: main sets it from its -X version (the
// one place a release build sets it); 关于 and tuanwu version show it.
var Version = "dev"

// Shanghai is the time zone every date of the application is in.
var Shanghai = func() *time.Location {
	if loc, err := time.LoadLocation("Asia/Shanghai"); err == nil {
		return loc
	}
	return time.FixedZone("CST", 8*3600)
}()

// Service holds the use cases. The window and the headless commands call
// nothing else.
type Service struct {
	Store Store
	// Now returns the current time; tests and --now replace it.
	Now func() time.Time
	// sweepPath forces the default approvals' path (tests); see defaultAll.
	sweepPath int
}

// NewService returns a Service over store with the real clock.
func NewService(store Store) *Service {
	return &Service{Store: store, Now: func() time.Time { return time.Now().In(Shanghai) }}
}

func (s *Service) now() time.Time {
	if s.Now == nil {
		return time.Now().In(Shanghai)
	}
	return s.Now()
}

// Change is what an audit entry says changed (R-X6): the action, the
// object, the organization and member concerned, before → after.
type Change struct {
	Action        string // one of the Act… constants
	Object        string
	OrgID         int64
	Member        string
	Before, After string
}

// audit records c as done by the session (系统 when ss is nil) now.
func (s *Service) audit(tx Tx, ss *Session, c Change) error {
	return tx.AppendAudit(AuditEntry{At: s.now(), Actor: ss.actor(), Action: c.Action, Object: c.Object, OrgID: c.OrgID,
		Member: c.Member, Before: c.Before, After: c.After})
}

// IsNotFound reports whether err is an ENotFound error.
func IsNotFound(err error) bool { return ErrorCode(err) == ENotFound }
