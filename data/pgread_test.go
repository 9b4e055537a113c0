package data

import (
	"context"
	"database/sql"
	"reflect"
	"strings"
	"testing"
	"time"

	"tuanwu/app"
	"tuanwu/data/pgtest"
)

// The read transactions of the PostgreSQL store send their BEGIN with
// their first statement and their ROLLBACK with the connection's next
// pipeline (pgread.go). These tests prove that a read still sees one
// snapshot, that the change mark it reads with its BEGIN is that
// snapshot's, that its values are what pgx's database/sql driver gives,
// and that a finished read does not keep its transaction open.

func pgOnly(t *testing.T) {
	t.Helper()
	if !pgtest.OnPG() {
		t.Skip("PostgreSQL run only: the read pipelining of pgread.go")
	}
}

// countMembers counts members with a plain statement of the transaction.
func countMembers(t *testing.T, tx app.Tx) int {
	t.Helper()
	var n int
	if err := tx.(*txn).tx.QueryRowContext(context.Background(), "SELECT count(*) FROM members").Scan(&n); err != nil {
		t.Fatalf("count members: %v", err)
	}
	return n
}

func TestPGReadOneSnapshot_Issue14(t *testing.T) {
	pgOnly(t)
	s1, loc := openTest(t)
	var branch app.Org
	write(t, s1, func(tx app.Tx) error {
		root := addOrg(t, tx, 0, "浙江明理大学团委", app.KindCommittee)
		branch = addOrg(t, tx, root.ID, "计科2201团支部", app.KindBranch)
		addMember(t, tx, newMember(branch.ID, "张三", idOf(t, "33010620030101001"), ""))
		return tx.AppendAudit(app.AuditEntry{At: testNow, Actor: "系统", Action: "新增团员"})
	})
	s2, err := Open(loc)
	if err != nil {
		t.Fatalf("second desk: %v", err)
	}
	defer s2.Close()
	n := 0
	otherDesk := func() {
		n++
		write(t, s2, func(tx app.Tx) error {
			addMember(t, tx, newMember(branch.ID, "李四", idOf(t, "3301062003010100"+string(rune('1'+n))), ""))
			return tx.AppendAudit(app.AuditEntry{At: testNow, Actor: "系统", Action: "新增团员"})
		})
	}
	for _, first := range []string{"count", "mark"} {
		t.Run("first statement "+first, func(t *testing.T) {
			var before, after int
			var mark1, mark2 int64
			read(t, s1, func(tx app.Tx) (err error) {
				if first == "mark" {
					mark1, err = tx.AuditHead()
					before = countMembers(t, tx)
				} else {
					before = countMembers(t, tx)
					mark1, err = tx.AuditHead()
				}
				if err != nil {
					return err
				}
				otherDesk() // commits while this read is open
				after = countMembers(t, tx)
				mark2, err = tx.AuditHead()
				return err
			})
			if after != before || mark2 != mark1 {
				t.Fatalf("one read saw %d then %d members, change mark %d then %d: want one snapshot", before, after, mark1, mark2)
			}
			var now int
			var head int64
			read(t, s1, func(tx app.Tx) (err error) {
				now = countMembers(t, tx)
				head, err = tx.AuditHead()
				return err
			})
			if now != before+1 || head <= mark1 {
				t.Fatalf("the next read saw %d members (want %d) and change mark %d (want > %d)", now, before+1, head, mark1)
			}
		})
	}
}

func TestPGReadFirstStatementValues_Issue14(t *testing.T) {
	pgOnly(t)
	s, _ := openTest(t)
	const q = `/* PostgreSQL */ SELECT 1::int2, 2::int4, 3::int8, -4::int8, true, 'a'::text, '团'::varchar, NULL::text,
		1.5::float8, 2.5::float4, 12.34::numeric, '\x0102'::bytea, '2026-12-01'::date, '2026-12-01 10:00:00+08'::timestamptz,
		'{"a": 1}'::jsonb, sum(x), max(x) FROM (VALUES (9000000000::bigint), (1)) v(x)`
	ctx := context.Background()
	tx, err := s.r.BeginTx(withChangeMark(ctx), &sql.TxOptions{ReadOnly: true, Isolation: sql.LevelRepeatableRead})
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	row := func() []any {
		rows, err := tx.QueryContext(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		cols, _ := rows.Columns()
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if !rows.Next() {
			t.Fatalf("no row: %v", rows.Err())
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		return vals
	}
	first := row()  // with the BEGIN, decoded by pgread.go
	second := row() // on its own, decoded by pgx's stdlib
	if !reflect.DeepEqual(first, second) {
		t.Fatalf("first statement's values differ from stdlib's:\n%#v\n%#v", first, second)
	}
	if first[2] != int64(3) || first[5] != "a" || first[6] != "团" || first[7] != nil || first[15] != "9000000001" {
		t.Fatalf("values: %#v", first)
	}
}

// TestPGReadEndsSoon: a finished read's transaction ends within owedFor
// even when the desk reads nothing more, so that it holds no table locks:
// a schema change from another session gets its lock.
func TestPGReadEndsSoon_Issue14(t *testing.T) {
	pgOnly(t)
	s, loc := openTest(t)
	read(t, s, func(tx app.Tx) error { countMembers(t, tx); return nil })
	db, err := sql.Open("pgx", loc)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	conn, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	begun := time.Now()
	for _, q := range []string{"BEGIN", "SET LOCAL lock_timeout = '5s'", "LOCK TABLE members IN ACCESS EXCLUSIVE MODE", "ROLLBACK"} {
		if _, err := conn.ExecContext(ctx, q); err != nil {
			t.Fatalf("%s after a finished read (%v later): %v", q, time.Since(begun), err)
		}
	}
	var open int
	if err := conn.QueryRowContext(ctx, `SELECT count(*) FROM pg_stat_activity
		WHERE datname = current_database() AND application_name = 'tuanwu' AND state LIKE 'idle in transaction%'`).Scan(&open); err != nil {
		t.Fatal(err)
	}
	if open != 0 {
		t.Fatalf("%d connections of the store still idle in a transaction", open)
	}
	// And the store reads and writes on after its connection's ROLLBACK was sent alone.
	write(t, s, func(tx app.Tx) error { addOrg(t, tx, 0, "浙江明理大学团委", app.KindCommittee); return nil })
	read(t, s, func(tx app.Tx) error { countMembers(t, tx); return nil })
}

// TestPGReadFailedFirstStatement: a read whose first statement fails
// reports its error, and the connection serves the next read and write.
func TestPGReadFailedFirstStatement_Issue14(t *testing.T) {
	pgOnly(t)
	s, _ := openTest(t)
	for i := 0; i < 3; i++ { // more than the pool's idle connections would hide
		err := s.Read(context.Background(), func(tx app.Tx) error {
			_, err := tx.(*txn).tx.QueryContext(context.Background(), "SELECT no_such_column FROM members")
			return err
		})
		if err == nil || !strings.Contains(err.Error(), "no_such_column") {
			t.Fatalf("read of a missing column: %v", err)
		}
	}
	write(t, s, func(tx app.Tx) error { addOrg(t, tx, 0, "浙江明理大学团委", app.KindCommittee); return nil })
	read(t, s, func(tx app.Tx) error {
		if n := countMembers(t, tx); n != 0 {
			t.Fatalf("%d members", n)
		}
		return nil
	})
}
