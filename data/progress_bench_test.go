package data_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"tuanwu/app"
	"tuanwu/data"
	"tuanwu/data/datatest"
)

// The season's progress (R-W6) on a 100,000-member demo store whose 2023
// undergraduates and 2025 postgraduates (about 26,800) are marked for
// 2027-06: of these graduates, 10,000 have
// transferred out to outside organizations (finished by default), 3,000 are
// in progress, 1,000 are kept at school, the rest have not started.

var (
	seasonOnce sync.Once
	seasonPath string
	seasonErr  error
)

func seasonStore(b *testing.B) string {
	b.Helper()
	seasonOnce.Do(func() {
		seasonPath = filepath.Join(os.TempDir(), fmt.Sprintf("tuanwu-bench-grad100k-v%d.db", data.LatestVersion()))
		if st, err := data.Open(seasonPath); err == nil {
			var done string
			st.Read(context.Background(), func(tx app.Tx) (err error) { done, err = tx.Setting("bench_complete"); return err })
			st.Close()
			if done == "3" {
				return
			}
		}
		for _, s := range []string{"", "-wal", "-shm"} {
			os.Remove(seasonPath + s)
		}
		seasonErr = buildGradStore(seasonPath)
	})
	if seasonErr != nil {
		b.Fatalf("build the graduates store: %v", seasonErr)
	}
	return seasonPath
}

func buildGradStore(path string) error {
	if err := datatest.Build(path, 100_000); err != nil {
		return err
	}
	st, err := data.Open(path)
	if err != nil {
		return err
	}
	defer st.Close()
	ctx := context.Background()
	clock := time.Date(2027, 5, 1, 10, 0, 0, 0, app.Shanghai)
	svc := app.NewService(st)
	svc.Now = func() time.Time { return clock }
	sess, err := svc.SignIn(ctx, app.DemoAdminID, datatest.Password)
	if err != nil {
		return err
	}
	var ids []int64
	err = st.Read(ctx, func(tx app.Tx) error {
		// The 2023 undergraduates and the 2025 postgraduates: about 26,800.
		for _, text := range []string{"2023级", "2025级"} {
			list, err := tx.FindOrgs(app.OrgFilter{Text: text})
			if err != nil {
				return err
			}
			for _, o := range list {
				if o.IsBranch() && (text == "2023级" || strings.Contains(o.Name, "硕士")) {
					ids = append(ids, o.ID)
				}
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	if _, err := svc.MarkGraduation(ctx, sess, app.GradMark{OrgIDs: ids, Month: "2027-06"}); err != nil {
		return err
	}
	var grads []string
	for _, id := range ids {
		if err := svc.ListMembers(ctx, sess, app.MemberQuery{OrgID: id}, func(m app.Member) error { grads = append(grads, m.IDNo); return nil }); err != nil {
			return err
		}
	}
	if len(grads) < 25_000 {
		return fmt.Errorf("only %d graduates", len(grads))
	}
	start := func(list []string, in app.TransferInput) error {
		for i := 0; i < len(list); i += 1000 {
			in.IDNos = list[i:min(i+1000, len(list))]
			if _, err := svc.StartTransfer(ctx, sess, in); err != nil {
				return err
			}
		}
		return nil
	}
	out := func(name string) app.TransferInput {
		return app.TransferInput{Reason: app.ReasonStudy, Unit: "某大学", Address: "某地", Outside: &app.OutsideInput{Name: name, Province: "江苏"}}
	}
	if err := start(grads[:10_000], out("共青团江苏某某大学研究生院委员会")); err != nil {
		return err
	}
	clock = clock.AddDate(0, 0, 16)
	if _, err := svc.Sweep(ctx); err != nil {
		return err
	}
	if err := start(grads[10_000:13_000], out("共青团江苏另一所大学研究生院委员会")); err != nil {
		return err
	}
	if err := start(grads[13_000:14_000], app.TransferInput{Reason: app.ReasonUnemployed, KeepMonths: 6}); err != nil {
		return err
	}
	return st.Write(ctx, func(tx app.Tx) error { return tx.SetSetting("bench_complete", "3") })
}

// BenchmarkGraduatesReport100k: the season's progress of the whole school
// through the use case. Pair: BenchmarkGraduatesReport100kBare; the ratio
// should be at most 1.5.
func BenchmarkGraduatesReport100k(b *testing.B) {
	path := seasonStore(b)
	svc, sess := datatest.Open(b, path)
	ctx := context.Background()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		rep, err := svc.GraduatesReport(ctx, sess, "2027", 0)
		if err != nil || rep.Total.Finished != 10_000 || rep.Total.InProgress != 3_000 || rep.Total.Kept != 1_000 {
			b.Fatalf("report %+v, %v", rep.Total, err)
		}
	}
}

// BenchmarkGraduatesReport100kBare: one plain grouped query on the same
// store giving the same numbers: the graduates (active unmarked members of
// the year's branches, and the finished transfers that took one out of
// them) by college and by where their transfer stands.
func BenchmarkGraduatesReport100kBare(b *testing.B) {
	path := seasonStore(b)
	db := bareDB(b, path)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		rows, err := db.Query(`SELECT substr(g.path, 4, instr(substr(g.path, 4), '/') - 1) AS college,
				CASE WHEN g.st = '已完成' AND g.reason = '出国（境）学习研究' THEN 'abroad' WHEN g.st = '已完成' THEN 'done'
					WHEN g.st IN ('审批中', '待分配团支部') THEN 'running' WHEN g.st = '留校保留' THEN 'kept' ELSE 'none' END AS cat,
				count(*)
			FROM (SELECT o.path AS path, '' AS reason,
					ifnull((SELECT t.state FROM transfers t WHERE t.id_no = m.id_no AND t.state IN ('审批中', '待分配团支部', '留校保留') ORDER BY t.id DESC LIMIT 1), '') AS st
				FROM orgs o JOIN members m ON m.org_id = o.id
				WHERE o.kind = '团支部' AND o.grad_month >= '2027-' AND o.grad_month < '2027-~' AND m.status = '在团' AND m.mark = ''
				UNION ALL
				SELECT t.from_path, t.reason, t.state FROM transfers t LEFT JOIN orgs d ON d.id = t.to_org
				WHERE t.grad_month >= '2027-' AND t.grad_month < '2027-~' AND t.grad_month <> '' AND +t.state = '已完成'
					AND NOT (ifnull(d.grad_month, '') >= '2027-' AND ifnull(d.grad_month, '') < '2027-~')) g
			GROUP BY college, cat`)
		if err != nil {
			b.Fatal(err)
		}
		total := 0
		for rows.Next() {
			var college, cat string
			var n int
			if err := rows.Scan(&college, &cat, &n); err != nil {
				b.Fatal(err)
			}
			total += n
		}
		rows.Close()
		if total < 25_000 {
			b.Fatalf("total %d", total)
		}
	}
}
