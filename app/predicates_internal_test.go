package app

import (
	"testing"
	"time"
)

// R-T2: the window's pickers offer exactly the organizations the use case
// accepts: AcceptsTransfer agrees with checkTarget for every kind and
// category, inside the store and outside it.
func TestAcceptsTransferAgreesWithCheckTarget_R_T2(t *testing.T) {
	cats := []string{"", CatNormal, CatTeacher, CatMixed, CatGraduate, CatTransit, CatAbroad, CatSpecial}
	n := 0
	for _, kind := range append(Kinds, "", "某类") {
		for _, cat := range cats {
			for _, outside := range []bool{false, true} {
				o := Org{Name: "某组织", Kind: kind, Category: cat, Province: "浙江", Outside: outside}
				want := checkTarget(TransferInput{Scope: "否"}, o) == nil
				if got := o.AcceptsTransfer(); got != want {
					t.Errorf("R-T2: %s/%s (outside %v): AcceptsTransfer %v, checkTarget accepts %v", kind, cat, outside, got, want)
				}
				n++
			}
		}
	}
	if n < 100 {
		t.Fatalf("only %d cases", n)
	}
}

// R-T3: a committee assigns a received member to one of its branches, but
// never to a 特殊单位专属库 or 出国(境)学习研究团员团支部.
func TestAcceptsAssignment_R_T3(t *testing.T) {
	for _, c := range []struct {
		kind, cat string
		want      bool
	}{
		{KindBranch, CatNormal, true},
		{KindBranch, CatTransit, true},
		{KindBranch, CatGraduate, true},
		{KindBranch, CatSpecial, false},
		{KindBranch, CatAbroad, false},
		{KindCommittee, "", false},
		{KindGeneralBranch, "", false},
	} {
		if got := (Org{Kind: c.kind, Category: c.cat}).AcceptsAssignment(); got != c.want {
			t.Errorf("R-T3: %s %s: %v, want %v", c.kind, c.cat, got, c.want)
		}
	}
}

// R-T4: a step is overdue (reminded, ※) from its tenth day, or once a
// sweep has flagged it; never when closed, never 分配团支部, never for a
// reminder dated after now (a practice store's date moved back).
func TestStepOverdue_R_T4(t *testing.T) {
	opened := time.Date(2026, 6, 1, 9, 0, 0, 0, Shanghai)
	open := Step{OpenedAt: opened, DueAt: opened.AddDate(0, 0, StepDays)}
	day := func(d int) time.Time { return opened.AddDate(0, 0, d) }
	reminded := open
	reminded.RemindedAt = day(10)
	closed := open
	closed.ActedAt = day(3)
	assign := Step{OpenedAt: opened, Kind: StepAssign}
	for _, c := range []struct {
		name string
		s    Step
		now  time.Time
		want bool
	}{
		{"day 9", open, day(9), false},
		{"day 9 23:59", open, day(10).Add(-time.Minute), false},
		{"day 10", open, day(10), true},
		{"day 14", open, day(14), true},
		{"reminded by a sweep", reminded, day(11), true},
		{"reminded later than now", reminded, day(5), false},
		{"closed", closed, day(12), false},
		{"分配团支部", assign, day(30), false},
	} {
		if got := c.s.Overdue(c.now); got != c.want {
			t.Errorf("R-T4 %s: Overdue = %v, want %v", c.name, got, c.want)
		}
	}
	if got := open.DaysWaited(day(10).Add(-time.Hour)); got != 9 {
		t.Errorf("DaysWaited = %d, want 9", got)
	}
}
