package app

import "time"

// Account is a person's sign-in account (R-A1).
type Account struct {
	IDNo        string
	Name        string
	PassHash    string // argon2id PHC string
	MustChange  bool   // still on the initial password, or reset
	Failed      int    // failed sign-ins since the last success
	LockedUntil time.Time
	CreatedAt   time.Time
}

// Admin is a current administrator of an organization.
type Admin struct {
	OrgID     int64
	IDNo      string
	Name      string
	GrantedAt time.Time
}
