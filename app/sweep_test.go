package app_test

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"tuanwu/app"
	"tuanwu/data"
	"tuanwu/data/pgtest"
)

// TestDefaultPathsAgree_R_T4 holds the two paths of the default approval
// to one definition: on two copies of one store holding every kind of
// transfer (into a branch, to a committee that must assign, to and from an
// outside organization, a member coming back, an in-org's 办理转入 whose
// out-side approves first), the step-by-step path (advance, as an
// administrator's approval) and the store's set-wise path leave the same
// members, organization counts, transfers, steps and audit entries.
func TestDefaultPathsAgree_R_T4(t *testing.T) {
	if pgtest.OnPG() {
		t.Skip("SQLite only for now: the comparison reads both stores as files (the server run of the sweep is covered by the sweep tests)")
	}
	ctx := context.Background()
	w := buildOutsideWorld(t)
	// 甲 leaves for an outside organization (R-W3 on default).
	w.startOut(t, w.owner, "甲", beida)
	// 乙 goes to a committee: the default leaves 分配团支部 open (R-T3).
	if _, err := w.svc.StartTransfer(ctx, w.owner, app.TransferInput{IDNos: []string{w.ids["乙"]}, Reason: app.ReasonStudy,
		Unit: "本校", Address: "本校", ToOrg: w.econOrg.ID}); err != nil {
		t.Fatal(err)
	}
	// 丙 goes into a branch: the default finishes it and moves 丙.
	if _, err := w.svc.StartTransfer(ctx, w.owner, app.TransferInput{IDNos: []string{w.ids["丙"]}, Reason: app.ReasonStudy,
		Unit: "本校", Address: "本校", ToOrg: w.fresh.ID}); err != nil {
		t.Fatal(err)
	}
	// 戊 is pulled by the receiving college: the out-side approves first.
	if _, err := w.svc.PullTransfer(ctx, w.econ, app.TransferInput{Name: "戊", IDNos: []string{w.ids["戊"]}, Reason: app.ReasonStudy,
		Unit: "本校", Address: "本校", ToOrg: w.fresh.ID}); err != nil {
		t.Fatal(err)
	}
	// A newcomer from a school outside (R-W4).
	newcomer := idOf(t, "33010220070404004")
	if _, err := w.svc.PullTransfer(ctx, w.econ, app.TransferInput{Name: "林晓", IDNos: []string{newcomer}, Reason: app.ReasonStudy,
		Unit: "本校", Address: "本校", ToOrg: w.fresh.ID, FromOutside: &app.OutsideInput{Name: "杭州市第十四中学团委"}}); err != nil {
		t.Fatal(err)
	}
	// 丁 left for outside (answer recorded) and comes back (R-W3).
	tr := w.startOut(t, w.owner, "丁", "共青团浙江大学团委")
	if _, err := w.svc.RecordOutsideAnswer(ctx, w.owner, tr.No, app.OutsideAnswer{Approved: true}); err != nil {
		t.Fatal(err)
	}
	*w.clock = w.clock.AddDate(0, 0, 3)
	if _, err := w.svc.PullTransfer(ctx, w.law, app.TransferInput{Name: "丁", IDNos: []string{w.ids["丁"]}, Reason: app.ReasonStudy,
		Unit: "本校", Address: "本校", ToOrg: w.grad2.ID}); err != nil {
		t.Fatal(err)
	}

	copyPath := filepath.Join(t.TempDir(), "copy.db")
	if err := w.st.Backup(ctx, copyPath); err != nil {
		t.Fatal(err)
	}
	st2, err := data.Open(copyPath)
	if err != nil {
		t.Fatal(err)
	}
	defer st2.Close()
	svc2 := app.NewService(st2)
	at := w.clock.AddDate(0, 0, 40) // every step due, and the steps they open too
	*w.clock = at
	svc2.Now = func() time.Time { return at }
	w.svc.SweepStepwise()
	svc2.SweepSetWise()
	r1, err := w.svc.Sweep(ctx)
	if err != nil {
		t.Fatal(err)
	}
	r2, err := svc2.Sweep(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("sweep: %+v", r1)
	if r1 != r2 || r1.Defaulted < 6 || r1.Finished < 4 {
		t.Fatalf("stepwise %+v, set-wise %+v", r1, r2)
	}
	d1, d2 := dumpStore(t, w.st.Path()), dumpStore(t, copyPath)
	for _, table := range []string{"orgs", "members", "transfers", "transfer_steps", "audit"} {
		if d1[table] != d2[table] {
			t.Errorf("R-T4: the two paths differ in %s:\nstepwise:\n%s\nset-wise:\n%s", table, d1[table], d2[table])
		}
	}
	if p, err := st2.Check(ctx); err != nil || len(p) != 0 {
		t.Fatalf("set-wise store check: %v %q", err, p)
	}
	if p, err := w.st.Check(ctx); err != nil || len(p) != 0 {
		t.Fatalf("stepwise store check: %v %q", err, p)
	}
}

// dumpStore returns each table's rows as sorted text, without the row ids
// the two paths may number differently (members received from outside,
// audit entries) and without the audit chain's hashes, which follow the
// order of the entries.
func dumpStore(t *testing.T, path string) map[string]string {
	t.Helper()
	db, err := sql.Open("sqlite3", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	out := map[string]string{}
	for _, table := range []string{"orgs", "members", "transfers", "transfer_steps", "audit"} {
		rows, err := db.Query("SELECT * FROM " + table)
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.Columns()
		var lines []string
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			var b strings.Builder
			for i, c := range cols {
				if (c == "id" && (table == "members" || table == "audit")) || c == "hash" || c == "prev" {
					continue
				}
				if v, ok := vals[i].([]byte); ok {
					vals[i] = string(v)
				}
				fmt.Fprintf(&b, "%s=%v ", c, vals[i])
			}
			lines = append(lines, b.String())
		}
		rows.Close()
		sort.Strings(lines)
		out[table] = strings.Join(lines, "\n")
	}
	return out
}
