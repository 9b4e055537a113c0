package data

import (
	"context"
	"database/sql"
	"strings"
	"sync"
	"testing"
	"time"

	"tuanwu/app"
	"tuanwu/data/pgtest"
)

// killStore is a Store whose next write stops the server at a chosen
// point of the transaction, as a power cut or an administrator would.
type killStore struct {
	*Store
	at   string // "rows": after the transfers' rows, before their audit entries; "seal": after everything the use case wrote, before the audit seal and the commit
	kill func()
}

func (k *killStore) Write(ctx context.Context, fn func(app.Tx) error) error {
	return k.Store.Write(ctx, func(tx app.Tx) error {
		if k.kill == nil {
			return fn(tx)
		}
		kt := &killTx{Tx: tx, k: k}
		err := fn(kt)
		if err == nil && k.at == "seal" && k.kill != nil {
			k.fire()
		}
		return err
	})
}

func (k *killStore) fire() {
	if k.kill != nil {
		f := k.kill
		k.kill = nil
		f()
	}
}

type killTx struct {
	app.Tx
	k *killStore
}

func (t *killTx) AppendAudits(list []app.AuditEntry) error {
	if t.k.at == "rows" {
		t.k.fire()
	}
	return t.Tx.AppendAudits(list)
}

func (t *killTx) AppendAudit(e app.AuditEntry) error {
	if t.k.at == "rows" {
		t.k.fire()
	}
	return t.Tx.AppendAudit(e)
}

// storeDigest is what a half-written transfer start would change: the
// transfers, the members and the audit trail, as one digest per table.
func storeDigest(t *testing.T, url string) string {
	t.Helper()
	db, err := sql.Open("pgx", url)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var out []string
	for _, q := range []string{
		"SELECT count(*) || ':' || coalesce(md5(string_agg(CAST(x AS TEXT), ',' ORDER BY x.id)), '') FROM transfers x",
		"SELECT count(*) || ':' || coalesce(md5(string_agg(CAST(x AS TEXT), ',' ORDER BY x.id)), '') FROM members x",
		"SELECT count(*) || ':' || coalesce(md5(string_agg(CAST(x AS TEXT), ',' ORDER BY x.id)), '') FROM audit x",
	} {
		var s string
		if err := db.QueryRow(q).Scan(&s); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		out = append(out, s)
	}
	return strings.Join(out, " ")
}

// Issue 14, Proof (kill the server mid-transaction, and restart it): a
// branch secretary starts the transfers of 40 members in one transaction;
// the school server is stopped at once (pg_ctl stop -m immediate) in the
// middle of it. The use case ends with the Chinese “无法连接学校服务器”
// sentence (EUnavailable), so does the next one while the server is down;
// after the restart nothing of the transfer start is in the store (all or
// nothing), the audit chain verifies, and the same Store, not reopened,
// starts the same transfers.
func TestPGServerKilledMidTransaction_Issue14(t *testing.T) {
	if !pgtest.OnPG() {
		t.Skip("PostgreSQL run only: stops and restarts a server")
	}
	for _, at := range []string{"rows", "seal"} {
		t.Run(at, func(t *testing.T) {
			srv := pgtest.NewServer(t)
			st, err := Open(srv.URL)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { st.Close() })
			k := &killStore{Store: st, at: at}
			svc := app.NewService(k)
			svc.Now = func() time.Time { return testNow }
			ctx := context.Background()
			const admin = "330106199001010018"
			if _, err := svc.Init(ctx, app.InitInput{OrgName: "浙江明理大学团委", Province: "浙江", AdminName: "张三", AdminID: admin}); err != nil {
				t.Fatal(err)
			}
			if _, err := svc.SignIn(ctx, admin, app.InitialPassword(admin)); app.ErrorCode(err) != app.EMustChange {
				t.Fatalf("sign in: %v", err)
			}
			if err := svc.ChangePassword(ctx, mustSession(t, svc, admin, app.InitialPassword(admin)), app.InitialPassword(admin), "Secret-2026"); err != nil {
				t.Fatal(err)
			}
			ss := mustSession(t, svc, admin, "Secret-2026")
			root, err := svc.ResolveOrg(ctx, ss, "浙江明理大学团委")
			if err != nil {
				t.Fatal(err)
			}
			college, _, err := svc.AddOrg(ctx, ss, app.NewOrg{ParentID: root.ID, Name: "信息学院团委", Kind: app.KindCommittee})
			if err != nil {
				t.Fatal(err)
			}
			from, _, err := svc.AddOrg(ctx, ss, app.NewOrg{ParentID: college.ID, Name: "2020级本科1班团支部", Kind: app.KindBranch})
			if err != nil {
				t.Fatal(err)
			}
			to, _, err := svc.AddOrg(ctx, ss, app.NewOrg{ParentID: college.ID, Name: "2021级本科1班团支部", Kind: app.KindBranch})
			if err != nil {
				t.Fatal(err)
			}
			var ids []string
			for i := 0; i < 40; i++ {
				id17 := "33010620020101" + string(rune('0'+i/100%10)) + string(rune('0'+i/10%10)) + string(rune('0'+i%10))
				id := id17 + string(app.IDCheckChar(id17))
				if _, err := svc.AddMember(ctx, ss, app.Member{OrgID: from.ID, Name: "张" + string([]rune("甲乙丙丁")[i/10]) + string([]rune("一二三四五六七八九十")[i%10]), IDNo: id}); err != nil {
					t.Fatalf("AddMember %s: %v", id, err)
				}
				ids = append(ids, id)
			}
			in := app.TransferInput{IDNos: ids, Reason: app.ReasonStudy, ToOrg: to.ID, Unit: "浙江明理大学", Address: "杭州市"}
			before := storeDigest(t, srv.URL)

			k.kill = func() { srv.Stop(t) }
			_, err = svc.StartTransfer(ctx, ss, in)
			if !app.IsUnavailable(err) || !strings.Contains(app.ErrorMessage(err), "无法连接学校服务器") {
				t.Fatalf("transfer start with the server stopped at %q: %v (code %q), want EUnavailable 无法连接学校服务器", at, err, app.ErrorCode(err))
			}
			// While the server is down, every use case says the same.
			if _, err := svc.StartTransfer(ctx, ss, in); !app.IsUnavailable(err) {
				t.Fatalf("transfer start with the server down: %v, want EUnavailable", err)
			}
			if _, err := svc.ResolveOrg(ctx, ss, "浙江明理大学团委"); !app.IsUnavailable(err) {
				t.Fatalf("a read with the server down: %v, want EUnavailable", err)
			}

			srv.Start(t)
			if after := storeDigest(t, srv.URL); after != before {
				t.Fatalf("the interrupted transfer start left something behind:\nbefore %s\nafter  %s", before, after)
			}
			chain, err := st.VerifyAudit(ctx)
			if err != nil || !chain.Intact {
				t.Fatalf("audit chain after the restart: %+v, %v", chain, err)
			}
			// The same Store and service, not reopened, work again.
			trs, err := svc.StartTransfer(ctx, ss, in)
			if err != nil || len(trs) != len(ids) {
				t.Fatalf("transfer start after the restart: %d transfers, %v", len(trs), err)
			}
			chain, err = st.VerifyAudit(ctx)
			if err != nil || !chain.Intact {
				t.Fatalf("audit chain after the second start: %+v, %v", chain, err)
			}
			noProblems(t, st)
		})
	}
}

func mustSession(t *testing.T, svc *app.Service, id, pw string) *app.Session {
	t.Helper()
	ss, err := svc.SignIn(context.Background(), id, pw)
	if err != nil && app.ErrorCode(err) != app.EMustChange {
		t.Fatalf("sign in: %v", err)
	}
	if ss == nil {
		t.Fatalf("sign in gave no session: %v", err)
	}
	return ss
}

// Issue 14 (the server restarted): connections the server dropped while
// they sat idle in the desk's pool (here: ended by the administrator a
// moment ago) do not fail the next read or write: the same Store, not
// reopened, goes on on new connections. (A regression guard: it passed
// before pgConn.BeginTx mapped a dead connection to driver.ErrBadConn; the
// window's TestServerStoppedFormsKeepText_Issue14 is the one that failed.)
func TestPGIdleConnectionsDropped_Issue14(t *testing.T) {
	if !pgtest.OnPG() {
		t.Skip("PostgreSQL run only")
	}
	s, loc := openTest(t)
	db := loc[strings.LastIndex(loc, "/")+1:]
	db = db[:strings.IndexByte(db, '?')]
	var root app.Org
	write(t, s, func(tx app.Tx) error {
		root = addOrg(t, tx, 0, "浙江明理大学团委", app.KindCommittee)
		return nil
	})
	for round := 0; round < 3; round++ {
		// Several connections in the pool, all idle.
		var wg sync.WaitGroup
		for i := 0; i < 4; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				s.Read(context.Background(), func(tx app.Tx) error { time.Sleep(20 * time.Millisecond); _, err := tx.CountOrgs(); return err })
			}()
		}
		wg.Wait()
		pgtest.Exec(t, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '"+db+"' AND application_name = 'tuanwu'")
		var n int
		read(t, s, func(tx app.Tx) (err error) { n, err = tx.CountOrgs(); return err })
		if n != round+1 {
			t.Fatalf("%d organizations, want %d", n, round+1)
		}
		write(t, s, func(tx app.Tx) error {
			addOrg(t, tx, root.ID, "法学院团委"+string(rune('一'+round)), app.KindCommittee)
			return nil
		})
	}
	noProblems(t, s)
}
