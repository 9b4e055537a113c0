package app_test

import (
	"context"
	"fmt"
	"testing"

	"tuanwu/app"
	"tuanwu/data"
)

const demoMembers = 3000

// demoStore runs Demo on a fresh store with the fixed clock.
func demoStore(t *testing.T, seed int64) (*app.Service, *data.Store, app.DemoResult) {
	t.Helper()
	svc, st, _ := newService(t)
	calls, last := 0, 0
	res, err := svc.Demo(context.Background(), app.DemoOptions{Members: demoMembers, Seed: seed}, func(done, total int) {
		calls++
		if total != demoMembers || done <= last || done > total {
			t.Errorf("progress(%d, %d) after %d", done, total, last)
		}
		last = done
	})
	if err != nil {
		t.Fatalf("Demo: %v", err)
	}
	if calls == 0 || last != demoMembers {
		t.Errorf("progress called %d times, last done %d; want at least once, ending at %d", calls, last, demoMembers)
	}
	return svc, st, res
}

// allMembers reads every member straight from the store, in entry order.
func allMembers(t *testing.T, st *data.Store) []app.Member {
	t.Helper()
	var out []app.Member
	err := st.Read(context.Background(), func(tx app.Tx) error {
		return tx.Members(app.MemberQuery{IncludeLeft: true}, func(m app.Member) error { out = append(out, m); return nil })
	})
	if err != nil {
		t.Fatalf("Members: %v", err)
	}
	return out
}

// R-M2, R-X1, R-X2, R-X3, R-A1: the demo university is deterministic for a
// seed, and every member it writes is one the entry form would accept.
func TestDemo_DeterministicAndValid(t *testing.T) {
	ctx := context.Background()
	svc1, st1, res1 := demoStore(t, 0)
	_, st2, res2 := demoStore(t, 0)

	if res1.Members != demoMembers || res1.Orgs == 0 || res1.Root.Name != "浙江明理大学团委" {
		t.Fatalf("DemoResult = %+v", res1)
	}
	if res1.Orgs != res2.Orgs || res1.Members != res2.Members || res1.Root.ID != res2.Root.ID {
		t.Fatalf("two runs differ: %+v vs %+v", res1, res2)
	}
	m1, m2 := allMembers(t, st1), allMembers(t, st2)
	// The demo's own members and the freshman it received from a high
	// school (R-W4), whose record is still to complete.
	if len(m1) != demoMembers+1 || len(m2) != demoMembers+1 || !m1[demoMembers].Incomplete {
		t.Fatalf("members: %d and %d, want %d and one received from outside", len(m1), len(m2), demoMembers+1)
	}
	for i := range m1 {
		if a, b := fmt.Sprintf("%+v", m1[i]), fmt.Sprintf("%+v", m2[i]); a != b {
			t.Fatalf("member %d differs between runs with the same seed:\n%s\n%s", i, a, b)
		}
	}

	t.Run("R-M2 R-X1 R-X2 every member passes ValidateMember unchanged", func(t *testing.T) {
		bad := 0
		for _, m := range m1[:demoMembers] {
			v, err := app.ValidateMember(m, svcTestNow)
			if err != nil {
				if bad++; bad <= 5 {
					t.Errorf("demo member %s %s (%s): %v", m.Name, m.IDNo, m.OrgName, err)
				}
				continue
			}
			if v != m {
				if bad++; bad <= 5 {
					t.Errorf("demo member %s is not normalised:\nstored    %+v\nvalidated %+v", m.IDNo, m, v)
				}
			}
		}
		if bad > 0 {
			t.Errorf("%d of %d demo members are invalid", bad, len(m1))
		}
	})
	t.Run("R-X3 R-X1 IDs and 团员编号 are unique", func(t *testing.T) {
		ids, nos := map[string]bool{}, map[string]bool{}
		withNo := 0
		for _, m := range m1 {
			if ids[m.IDNo] {
				t.Errorf("duplicate 身份证号 %s", m.IDNo)
			}
			ids[m.IDNo] = true
			if m.MemberNo != "" {
				withNo++
				if nos[m.MemberNo] {
					t.Errorf("duplicate 团员编号 %s", m.MemberNo)
				}
				nos[m.MemberNo] = true
			}
		}
		if withNo < demoMembers/2 {
			t.Errorf("only %d of %d demo members have a 团员编号", withNo, demoMembers)
		}
	})
	t.Run("R-O1 members are only in branches", func(t *testing.T) {
		kinds := map[int64]string{}
		err := st1.Read(ctx, func(tx app.Tx) error {
			for _, m := range m1 {
				if m.Departed() {
					continue // R-W3: kept where they went, outside the tree
				}
				if _, ok := kinds[m.OrgID]; !ok {
					o, err := tx.Org(m.OrgID)
					if err != nil {
						return err
					}
					kinds[m.OrgID] = o.Kind
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		for id, k := range kinds {
			if k != app.KindBranch {
				t.Errorf("org %d holding members is a %s", id, k)
			}
		}
	})
	t.Run("store check finds no problems", func(t *testing.T) {
		for i, st := range []*data.Store{st1, st2} {
			p, err := st.Check(ctx)
			if err != nil || len(p) != 0 {
				t.Errorf("store %d: Check = %q, %v", i+1, p, err)
			}
		}
	})
	t.Run("R-A1 the demo admin signs in with the initial password", func(t *testing.T) {
		if _, err := app.ParseID(app.DemoAdminID, svcTestNow); err != nil {
			t.Errorf("DemoAdminID %s is not a valid 身份证号: %v", app.DemoAdminID, err)
		}
		if res1.AdminID != app.DemoAdminID || res1.InitialPassword != app.InitialPassword(app.DemoAdminID) {
			t.Errorf("DemoResult admin = %s / %s", res1.AdminID, res1.InitialPassword)
		}
		ss, err := svc1.SignIn(ctx, res1.AdminID, res1.InitialPassword)
		wantCode(t, "demo admin SignIn", err, app.EMustChange)
		if ss == nil || !ss.Owner {
			t.Fatalf("demo admin session = %+v, want the owner", ss)
		}
		ss.Account.MustChange = false // as after ChangePassword
		active, departed := 0, 0
		for _, m := range m1 {
			switch m.Status {
			case app.StatusActive:
				active++
			case app.StatusDeparted:
				departed++
			}
		}
		n, err := svc1.CountMembers(ctx, ss, app.MemberQuery{})
		if err != nil || n != active || departed < 10 {
			t.Errorf("CountMembers = %d, %v; want the %d active (%d left)", n, err, active, departed)
		}
		// R-W1, R-O3: a school's store: the tree holds the school only; the
		// other side of its transfers is in the outside directory.
		for _, scope := range []string{"北京", "广东"} {
			orgs, err := svc1.FindOrgs(ctx, ss, app.OrgSearch{Text: "团", Scope: scope})
			if err != nil || len(orgs) != 0 {
				t.Errorf("FindOrgs(%s) = %d orgs of the tree, %v; want none", scope, len(orgs), err)
			}
			dir, err := svc1.OutsideOrgs(ctx, ss, app.OutsideSearch{Scope: scope})
			if err != nil || len(dir) == 0 {
				t.Errorf("OutsideOrgs(%s) = %d, %v; want the demo's outside organizations", scope, len(dir), err)
			}
		}
		if tops, _ := svc1.RootOrgs(ctx, ss); len(tops) != 1 {
			t.Errorf("the demo has %d top-level organizations, want the school only", len(tops))
		}
		// The season it played (R-W2..R-W6): waiting outside steps, a
		// received freshman to complete, a season with finished transfers.
		kinds := map[string]bool{}
		notices, err := svc1.Notices(ctx, ss)
		if err != nil {
			t.Fatal(err)
		}
		for _, x := range notices {
			kinds[x.Kind] = true
		}
		for _, k := range []string{app.NoticeOutside, app.NoticeIncomplete, app.NoticeOverdue, app.NoticeUnmarked} {
			if !kinds[k] {
				t.Errorf("the demo's notices lack %s: %+v", k, notices)
			}
		}
		rep, err := svc1.GraduatesReport(ctx, ss, "2024", 0)
		if err != nil || rep.Total.Graduates == 0 || rep.Total.Finished == 0 || rep.Total.NotStarted == 0 || rep.Total.Kept != 1 || rep.Total.Abroad != 1 {
			t.Errorf("the demo's season: %+v, %v", rep.Total, err)
		}
	})
	t.Run("Demo refuses a store with data", func(t *testing.T) {
		_, err := svc1.Demo(ctx, app.DemoOptions{Members: 10}, nil)
		wantCode(t, "second Demo", err, app.EConflict)
	})
}

// The seed matters: another seed gives other members.
func TestDemo_OtherSeedDiffers(t *testing.T) {
	_, st1, _ := demoStore(t, 1)
	_, st2, _ := demoStore(t, 2)
	m1, m2 := allMembers(t, st1), allMembers(t, st2)
	same := 0
	for i := range m1 {
		if m1[i].IDNo == m2[i].IDNo {
			same++
		}
	}
	if same > len(m1)/10 {
		t.Errorf("%d of %d members have the same 身份证号 with seeds 1 and 2", same, len(m1))
	}
}

func TestDemo_RefusesBadSize(t *testing.T) {
	for _, n := range []int{-1, 1_000_001} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			svc, _, _ := newService(t)
			_, err := svc.Demo(context.Background(), app.DemoOptions{Members: n}, nil)
			wantCode(t, "Demo", err, app.EInvalid)
			if ok, _ := svc.Initialized(context.Background()); ok {
				t.Error("a refused Demo wrote organizations")
			}
		})
	}
}
