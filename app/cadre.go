package app

import "time"

// Cadre is a person entered as a cadre (团干部) of an organization (R-A2).
type Cadre struct {
	ID             int64
	OrgID          int64
	IDNo           string
	Name           string
	Post           string // 现任团内职务
	PostSince      string // 任现职年月 YYYY-MM
	Nature         string // 团干部性质
	PartyCommittee bool   // 是否同级党委（支部）成员
	Since          time.Time
	Ended          time.Time // zero while the post is held
}
