package app

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// TestPlanSteps_R_T3 holds the approval chain (R-T3, with R-T2's special
// and abroad reasons and R-W2's outside targets) for every reason, every
// initiator and every kind of target, inside this store or outside, without
// a store.
func TestPlanSteps_R_T3(t *testing.T) {
	from := Org{ID: 1, Kind: KindBranch}
	targets := map[string]Org{
		"inside branch":     {ID: 2, Kind: KindBranch},
		"inside committee":  {ID: 3, Kind: KindCommittee},
		"inside 团工委":        {ID: 4, Kind: KindWorkCommittee},
		"inside 团总支":        {ID: 5, Kind: KindGeneralBranch},
		"outside branch":    {ID: 6, Kind: KindBranch, Outside: true},
		"outside committee": {ID: 7, Kind: KindCommittee, Outside: true},
		"outside unknown":   {ID: 8, Outside: true}, // an outside organization whose kind is not known
	}
	approver := Org{ID: 9, Kind: KindProvince} // the 团省委 or the school committee
	plain := []string{ReasonStudy, ReasonJobWithOrg, ReasonJobNoOrg, ReasonAbroadOfficial, ReasonAbroadPrivate, ReasonUnemployed}
	// Steps as kind@org id.
	tests := []struct {
		reasons   []string
		initiator string
		targets   []string
		want      string
	}{
		// Started by an org: the other org approves; a committee of this store assigns.
		{plain, ByOutOrg, []string{"inside branch", "outside branch", "outside committee", "outside unknown"}, "转入审批@to"},
		{plain, ByOutOrg, []string{"inside committee", "inside 团工委", "inside 团总支"}, "转入审批@to 分配团支部@to"},
		{plain, ByInOrg, []string{"inside branch", "outside branch", "outside committee", "outside unknown"}, "转出审批@1"},
		{plain, ByInOrg, []string{"inside committee", "inside 团工委", "inside 团总支"}, "转出审批@1 分配团支部@to"},
		// Started by the member: the out-org approves, then the in-org.
		{plain, ByMember, []string{"inside branch", "outside branch", "outside committee", "outside unknown"}, "转出审批@1 转入审批@to"},
		{plain, ByMember, []string{"inside committee", "inside 团工委", "inside 团总支"}, "转出审批@1 转入审批@to 分配团支部@to"},
		// 转往特殊单位团组织: the 团省委 approves, inside or outside (R-W5).
		{[]string{ReasonSpecial}, ByOutOrg, nil, "省级审批@9"},
		{[]string{ReasonSpecial}, ByInOrg, nil, "省级审批@9"},
		{[]string{ReasonSpecial}, ByMember, nil, "转出审批@1 省级审批@9"},
		// 出国（境）学习研究: the school committee approves.
		{[]string{ReasonAbroadStudy}, ByOutOrg, nil, "学校团委审批@9"},
		{[]string{ReasonAbroadStudy}, ByInOrg, nil, "学校团委审批@9"},
		{[]string{ReasonAbroadStudy}, ByMember, nil, "转出审批@1 学校团委审批@9"},
	}
	covered := map[string]bool{}
	for _, tc := range tests {
		names := tc.targets
		if names == nil {
			for n := range targets {
				names = append(names, n)
			}
		}
		for _, reason := range tc.reasons {
			for _, name := range names {
				to := targets[name]
				key := reason + "/" + tc.initiator + "/" + name
				covered[key] = true
				t.Run(key, func(t *testing.T) {
					var got []string
					for i, st := range planSteps(reason, tc.initiator, from, to, approver) {
						if st.Seq != i+1 {
							t.Errorf("step %d has Seq %d", i+1, st.Seq)
						}
						if !st.OpenedAt.IsZero() || !st.DueAt.IsZero() {
							t.Errorf("step %d is opened: planSteps only plans", i+1)
						}
						got = append(got, fmt.Sprintf("%s@%d", st.Kind, st.OrgID))
					}
					want := strings.ReplaceAll(tc.want, "@to", fmt.Sprintf("@%d", to.ID))
					if g := strings.Join(got, " "); g != want {
						t.Errorf("steps = %s, want %s", g, want)
					}
				})
			}
		}
	}
	for _, reason := range Reasons {
		for _, initiator := range []string{ByOutOrg, ByInOrg, ByMember} {
			for name := range targets {
				if !covered[reason+"/"+initiator+"/"+name] {
					t.Errorf("no case for %s/%s/%s", reason, initiator, name)
				}
			}
		}
	}
}

// TestOpenFirst_R_T4: only the first step is opened, due in StepDays; a
// first 分配团支部 has no deadline.
func TestOpenFirst_R_T4(t *testing.T) {
	now := time.Date(2026, 6, 1, 9, 0, 0, 0, Shanghai)
	steps := openFirst([]Step{{Seq: 1, Kind: StepOut}, {Seq: 2, Kind: StepIn}}, now)
	if !steps[0].OpenedAt.Equal(now) || !steps[0].DueAt.Equal(now.AddDate(0, 0, StepDays)) {
		t.Errorf("first step opened %v due %v", steps[0].OpenedAt, steps[0].DueAt)
	}
	if !steps[1].OpenedAt.IsZero() || !steps[1].DueAt.IsZero() {
		t.Errorf("second step opened: %+v", steps[1])
	}
	assign := openFirst([]Step{{Seq: 1, Kind: StepAssign}}, now)
	if !assign[0].OpenedAt.Equal(now) || !assign[0].DueAt.IsZero() {
		t.Errorf("分配团支部 opened %v due %v", assign[0].OpenedAt, assign[0].DueAt)
	}
	if openFirst(nil, now) != nil {
		t.Error("no steps should stay none")
	}
}
