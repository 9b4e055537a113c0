package data_test

import (
	"context"
	"database/sql"
	"fmt"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"tuanwu/app"
	"tuanwu/data"
	"tuanwu/data/datatest"
	"tuanwu/data/pgtest"
)

// Issue 14 item 3: how an open window learns that another desk changed
// something. The change probe is what a window runs every 2 s: the newest
// audit entry's number (app.Service.ChangeMark, one read transaction with
// an indexed max(id)). BenchmarkChangeNotify_PG is the alternative on
// PostgreSQL: the time from a NOTIFY to its arrival at a desk that LISTENs
// on its own connection.

// BenchmarkChangeProbe: the probe on the 1,000,000-member SQLite store.
func BenchmarkChangeProbe(b *testing.B) {
	svc, _ := datatest.Open(b, datatest.Store1M(b))
	benchProbe(b, svc)
}

// BenchmarkChangeProbe_PG: the probe on a server database whose audit
// trail holds 100,000 entries.
func BenchmarkChangeProbe_PG(b *testing.B) {
	st, err := data.Open(pgtest.URL(b))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	fillAudit(b, st, 100_000)
	benchProbe(b, app.NewService(st))
}

func benchProbe(b *testing.B, svc *app.Service) {
	ctx := context.Background()
	first, err := svc.ChangeMark(ctx)
	if err != nil || first == 0 {
		b.Fatalf("ChangeMark = %d, %v", first, err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, changed, err := svc.Changed(ctx, first); err != nil || changed {
			b.Fatalf("Changed = %v, %v", changed, err)
		}
	}
}

// fillAudit appends n audit entries, in transactions of 5,000.
func fillAudit(b *testing.B, st *data.Store, n int) {
	at := time.Date(2026, 11, 27, 10, 0, 0, 0, app.Shanghai)
	for done := 0; done < n; {
		k := min(5000, n-done)
		list := make([]app.AuditEntry, k)
		for i := range list {
			list[i] = app.AuditEntry{At: at, Actor: "系统", Action: "修改团员信息", Object: fmt.Sprint(done + i)}
		}
		if err := st.Write(context.Background(), func(tx app.Tx) error { return tx.AppendAudits(list) }); err != nil {
			b.Fatal(err)
		}
		done += k
	}
}

// BenchmarkChangeNotify_PG: one NOTIFY sent by a desk (autocommit) and
// received by another desk waiting on a LISTEN connection.
func BenchmarkChangeNotify_PG(b *testing.B) {
	loc := pgtest.URL(b)
	ctx := context.Background()
	listener, err := pgx.Connect(ctx, loc)
	if err != nil {
		b.Fatal(err)
	}
	defer listener.Close(ctx)
	if _, err := listener.Exec(ctx, "LISTEN tuanwu_changes"); err != nil {
		b.Fatal(err)
	}
	sender, err := sql.Open("pgx", loc)
	if err != nil {
		b.Fatal(err)
	}
	defer sender.Close()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := sender.Exec("SELECT pg_notify('tuanwu_changes', $1)", fmt.Sprint(i)); err != nil {
			b.Fatal(err)
		}
		if _, err := listener.WaitForNotification(ctx); err != nil {
			b.Fatal(err)
		}
	}
}
