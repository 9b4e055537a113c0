// Package datatest builds the large stores that benchmarks share. Only tests
// and benchmarks import it.
package datatest

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"
	"sync"
	"testing"
	"time"

	"tuanwu/app"
	"tuanwu/data"
	"tuanwu/data/pgtest"
)

// Now is the fixed clock of benchmark stores.
var Now = time.Date(2026, 11, 27, 10, 0, 0, 0, app.Shanghai)

// Password is the demo administrator's password in benchmark stores.
const Password = "Bench-2026!"

var (
	once      sync.Once
	bigPath   string
	bigErr    error
	BuildTime time.Duration // how long the 1,000,000-member store took to build
)

// Store1M returns the path of a 1,000,000-member demo store, built once per
// machine in the temporary folder (rebuilt when the schema changes) with the
// demo administrator's password changed to Password, 300,000 of whose
// members have transferred out (R-W3): active lists and counts must not
// slow down as members leave.
func Store1M(tb testing.TB) string {
	tb.Helper()
	once.Do(func() {
		bigPath = filepath.Join(os.TempDir(), fmt.Sprintf("tuanwu-bench-1m-left300k-v%d.db", data.LatestVersion()))
		if st, err := data.Open(bigPath); err == nil {
			var done string
			st.Read(context.Background(), func(tx app.Tx) (err error) { done, err = tx.Setting("bench_complete"); return err })
			st.Close()
			if done == "1" {
				return
			}
		}
		for _, suffix := range []string{"", "-wal", "-shm"} {
			os.Remove(bigPath + suffix)
		}
		start := time.Now()
		bigErr = Build(bigPath, 1_000_000)
		BuildTime = time.Since(start)
		if bigErr == nil {
			bigErr = Depart(bigPath, 300_000)
		}
		fmt.Fprintf(os.Stderr, "built the 1,000,000-member store in %.1f s (and 300,000 of them transferred out in %.1f s)\n",
			BuildTime.Seconds(), time.Since(start).Seconds()-BuildTime.Seconds())
	})
	if bigErr != nil {
		tb.Fatalf("build 1M store: %v", bigErr)
	}
	return bigPath
}

// Build writes a demo store of n members at path and prepares its administrator.
func Build(path string, n int) error {
	st, err := data.Open(path)
	if err != nil {
		return err
	}
	defer st.Close()
	svc := app.NewService(st)
	svc.Now = func() time.Time { return Now }
	ctx := context.Background()
	if _, err := svc.Demo(ctx, app.DemoOptions{Members: n}, nil); err != nil {
		return err
	}
	sess, err := svc.SignIn(ctx, app.DemoAdminID, app.InitialPassword(app.DemoAdminID))
	if app.ErrorCode(err) != app.EMustChange {
		return fmt.Errorf("sign in: %v", err)
	}
	if err := svc.ChangePassword(ctx, sess, app.InitialPassword(app.DemoAdminID), Password); err != nil {
		return err
	}
	return st.Write(ctx, func(tx app.Tx) error { return tx.SetSetting("bench_complete", "1") })
}

// Depart makes n members of the store at path (every 10th, 3 in 10, taken
// in entry order) members who transferred out to an outside organization
// (R-W3), as finished transfers out leave them, and keeps the member counts.
// It writes with plain SQL in one transaction: a fixture, not a use case.
func Depart(path string, n int) error {
	db, err := sql.Open("sqlite3", path+"?_foreign_keys=on&_busy_timeout=10000&_txlock=immediate")
	if err != nil {
		return err
	}
	defer db.Close()
	tx, err := db.Begin()
	if err != nil {
		return err
	}
	defer tx.Rollback()
	at := Now.AddDate(0, -5, 0).Format(time.RFC3339)
	res, err := tx.Exec(`INSERT INTO orgs (name, kind, category, province, created_at, outside, norm_name)
		VALUES ('共青团江苏某某大学研究生院委员会', '团委', '', '江苏', ?, 1, '共青团江苏某某大学研究生院委员会')`, at)
	if err != nil {
		return err
	}
	out, err := res.LastInsertId()
	if err != nil {
		return err
	}
	stmts := []string{
		fmt.Sprintf("UPDATE orgs SET path = '/%d/' WHERE id = %d", out, out),
		fmt.Sprintf(`UPDATE members SET status = '已转出', left_at = '%s', left_to = '共青团江苏某某大学研究生院委员会',
			left_path = (SELECT o.path FROM orgs o WHERE o.id = members.org_id), left_from = '', org_id = %d
			WHERE id IN (SELECT id FROM members WHERE status = '在团' AND id %% 10 < 3 ORDER BY id LIMIT %d)`, at, out, n),
		`UPDATE orgs SET member_count = (SELECT count(*) FROM members m WHERE m.org_id = orgs.id AND m.status = '在团')`,
		`UPDATE orgs SET subtree_count = (SELECT ifnull(sum(d.member_count), 0) FROM orgs d WHERE d.path >= orgs.path AND d.path < orgs.path || '~')`,
	}
	for _, q := range stmts {
		if _, err := tx.Exec(q); err != nil {
			return fmt.Errorf("depart: %w", err)
		}
	}
	var left int
	if err := tx.QueryRow("SELECT count(*) FROM members WHERE status = '已转出'").Scan(&left); err != nil {
		return err
	}
	if left < n {
		return fmt.Errorf("depart: %d members left, want %d", left, n)
	}
	return tx.Commit()
}

// Open opens the store at path with the fixed clock and signs in the demo administrator.
func Open(tb testing.TB, path string) (*app.Service, *app.Session) {
	tb.Helper()
	st, err := data.Open(path)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { st.Close() })
	svc := app.NewService(st)
	svc.Now = func() time.Time { return Now }
	sess, err := svc.SignIn(context.Background(), app.DemoAdminID, Password)
	if err != nil {
		tb.Fatal(err)
	}
	// The sign-in's password hashing took 64 MB: give it back now, not
	// while a benchmark that opened the store runs (the runtime returns it
	// in the background and that cost showed in the first run's figure).
	debug.FreeOSMemory()
	return svc, sess
}

// Empty returns the path of a new store in tb's temporary folder holding only
// a root organization whose administrator is the demo administrator, with
// the password Password.
func Empty(tb testing.TB) string {
	tb.Helper()
	path := filepath.Join(tb.TempDir(), "empty.db")
	st, err := data.Open(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer st.Close()
	svc := app.NewService(st)
	svc.Now = func() time.Time { return Now }
	ctx := context.Background()
	if _, err := svc.Init(ctx, app.InitInput{OrgName: "浙江明理大学团委", Province: "浙江", AdminName: "周明远", AdminID: app.DemoAdminID}); err != nil {
		tb.Fatal(err)
	}
	sess, _ := svc.SignIn(ctx, app.DemoAdminID, app.InitialPassword(app.DemoAdminID))
	if err := svc.ChangePassword(ctx, sess, app.InitialPassword(app.DemoAdminID), Password); err != nil {
		tb.Fatal(err)
	}
	return path
}

var (
	pgOnce sync.Once
	pgURL  string
	pgErr  error
)

// StorePG1M returns the location of the 1,000,000-member store of Store1M
// moved up to the PostgreSQL test server (TUANWU_TEST_PG), as the database
// tw_bench_1m_v<schema>, built once per server; tb is skipped without one.
func StorePG1M(tb testing.TB) string {
	tb.Helper()
	if !pgtest.Enabled() {
		tb.Skipf("no PostgreSQL test server: set %s", pgtest.Env)
	}
	file := Store1M(tb)
	pgOnce.Do(func() {
		name := fmt.Sprintf("tw_bench_1m_v%d", data.LatestVersion())
		pgURL = pgtest.WithDatabase(name)
		if st, err := data.Open(pgURL); err == nil {
			var done string
			st.Read(context.Background(), func(tx app.Tx) (err error) { done, err = tx.Setting("bench_complete"); return err })
			st.Close()
			if done == "1" {
				return
			}
		}
		pgtest.Exec(tb, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)", "CREATE DATABASE "+name+" TEMPLATE template0 ENCODING 'UTF8'")
		start := time.Now()
		st, err := data.Open(file)
		if err != nil {
			pgErr = err
			return
		}
		defer st.Close()
		if _, pgErr = st.MigrateTo(context.Background(), pgURL); pgErr == nil {
			pgtest.ExecIn(tb, name, "ANALYZE")
		}
		fmt.Fprintf(os.Stderr, "moved the 1,000,000-member store up to PostgreSQL in %.1f s\n", time.Since(start).Seconds())
	})
	if pgErr != nil {
		tb.Fatalf("1M store on PostgreSQL: %v", pgErr)
	}
	return pgURL
}
