package cli

import (
	"time"

	"tuanwu/app"
)

// orgJSON is an organization in --json output.
type orgJSON struct {
	ID          int64    `json:"id"`
	ParentID    int64    `json:"parent_id"`
	Name        string   `json:"name"`
	Path        string   `json:"path"`
	Kind        string   `json:"kind"`
	Category    string   `json:"category,omitempty"`
	Province    string   `json:"province"`
	MemberCount int      `json:"member_count"`
	ChildCount  int      `json:"child_count"`
	GradMonth   string   `json:"grad_month,omitempty"`
	GradReason  string   `json:"grad_reason,omitempty"`
	Depth       int      `json:"depth,omitempty"`
	Warnings    []string `json:"warnings,omitempty"`
}

func orgOut(o app.Org) orgJSON {
	return orgJSON{ID: o.ID, ParentID: o.ParentID, Name: o.Name, Path: o.FullName, Kind: o.Kind, Category: o.Category,
		Province: o.Province, MemberCount: o.MemberCount, ChildCount: o.ChildCount, GradMonth: o.GradMonth, GradReason: o.GradReason}
}

// memberJSON is a member in --json output: every R-X2 field, the derived
// birth date, gender and age, and the organization's full path.
type memberJSON struct {
	Name           string `json:"name"`
	IDNo           string `json:"id_no"`
	Gender         string `json:"gender"`
	Birth          string `json:"birth"`
	Age            int    `json:"age"`
	OrgID          int64  `json:"org_id"`
	Org            string `json:"org"`
	OrgPath        string `json:"org_path"`
	Ethnicity      string `json:"ethnicity"`
	Political      string `json:"political"`
	Education      string `json:"education"`
	JoinMonth      string `json:"join_month"`
	IsCadre        bool   `json:"is_cadre"`
	Phone          string `json:"phone"`
	Weibo          string `json:"weibo"`
	QQ             string `json:"qq"`
	Email          string `json:"email"`
	MemberNo       string `json:"member_no"`
	Post           string `json:"post"`
	PostSince      string `json:"post_since"`
	CadreNature    string `json:"cadre_nature"`
	PartyCommittee bool   `json:"party_committee"`
	DevelopedOn    string `json:"developed_on,omitempty"`
	Status         string `json:"status"`
	Identity       string `json:"identity"` // R-D3: 毕业生, 延迟毕业团员, 教师 or ""
	MarkMonth      string `json:"mark_month,omitempty"`
	MarkReason     string `json:"mark_reason,omitempty"`
	// Left is where a member who transferred out went (R-W3); nil for one who is here.
	Left *leftJSON `json:"left,omitempty"`
	// LeftTo is the destination's name of a member who left (CLI.md: 已转出 with the destination).
	LeftTo string `json:"destination,omitempty"`
	// Incomplete: received from outside, fields still to complete (R-W4).
	Incomplete bool `json:"incomplete,omitempty"`
}

// memberOut is m in --json output, in organization o (for its identity).
func memberOut(m app.Member, o app.Org, now time.Time) memberJSON {
	info := m.Info()
	return memberJSON{Name: m.Name, IDNo: m.IDNo, Gender: info.Gender(), Birth: info.Birth.Format("2006-01-02"),
		Age: app.AgeAt(info.Birth, now), OrgID: m.OrgID, Org: m.OrgName, OrgPath: m.OrgName, Ethnicity: m.Ethnicity,
		Political: m.Political, Education: m.Education, JoinMonth: m.JoinMonth, IsCadre: m.IsCadre, Phone: m.Phone,
		Weibo: m.Weibo, QQ: m.QQ, Email: m.Email, MemberNo: m.MemberNo, Post: m.Post, PostSince: m.PostSince,
		CadreNature: m.CadreNature, PartyCommittee: m.PartyCommittee, DevelopedOn: m.DevelopedOn, Status: m.Status,
		Identity: app.Identity(m, o), MarkMonth: m.MarkMonth, MarkReason: m.MarkReason, LeftTo: m.LeftTo, Incomplete: m.Incomplete}
}

// memberOut is m in --json output, its identity (R-D3) from its
// organization; a member whose organization the account cannot see (its own
// record, say) shows only its mark.
func (r *run) memberOut(m app.Member) memberJSON {
	o, err := r.svc.Org(r.ctx, r.sess, m.OrgID)
	if err != nil {
		o = app.Org{ID: m.OrgID}
	}
	j := memberOut(m, o, r.svc.Now())
	j.Left = r.leftOut(m)
	return j
}
