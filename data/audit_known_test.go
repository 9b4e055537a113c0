package data

import (
	"context"
	"strings"
	"testing"
	"time"

	"tuanwu/app"
	"tuanwu/data/pgtest"
)

// auditEntries are entries whose records test appendRecord: Chinese,
// empty and long fields, numbers of every size, another time zone,
// invalid UTF-8, and (the fifth) a NUL byte, which makes the entries of
// its call be read back.
var auditEntries = []app.AuditEntry{
	{At: testNow, Actor: "330106198805120015", Action: "发起组织关系转接", Object: "转接第 12 号 张三（330102********001X）", OrgID: 2106,
		Member: "33010220050315002X", Before: "浙江明理大学团委/旅游与城乡规划学院团委/2026级旅游管理4班团支部", After: "升学，转出组织发起，转入“共青团江苏某某大学研究生院委员会”"},
	{At: testNow, Actor: "系统", Action: "到期处理"},
	{At: time.Date(2031, 2, 3, 4, 5, 6, 0, time.UTC), Actor: "a", Action: "b", OrgID: -7, After: strings.Repeat("长", 5000)},
	{At: testNow, Actor: "x", Action: "y", OrgID: 1 << 62, Object: "bad \xff\xfe utf-8", Before: "1:2:3", After: "9:"},
	{At: testNow, Actor: "x", Action: "nul", Before: "a\x00b"},
	{At: testNow.In(time.FixedZone("", -3*3600)), Actor: "x", Action: "z", Member: "0"},
}

// Issue 10 item 12: the records sealing builds in Go for the entries
// AppendAudit(s) wrote are the stored rows' records, byte for byte, so the
// chain they seal verifies — whether the entries come alone, in bulk, or
// between entries inserted set-wise in SQL (which are read back).
func TestAuditKnownRecords_MatchStoredRows_Issue10Item12(t *testing.T) {
	pgtest.SQLiteOnly(t, "its entries hold invalid UTF-8 and a NUL byte, which PostgreSQL's text columns refuse; the sealing code is the same on both stores, and the chain tests run on both")
	plain := append(append([]app.AuditEntry{}, auditEntries[:4]...), auditEntries[5:]...)
	tests := []struct {
		name  string
		write func(tx *txn) error
		known int // entries whose records were kept
	}{
		{"one at a time", func(tx *txn) error {
			for _, e := range auditEntries {
				if err := tx.AppendAudit(e); err != nil {
					return err
				}
			}
			return nil
		}, 5},
		{"in bulk", func(tx *txn) error { return tx.AppendAudits(plain) }, 5},
		{"in bulk, with a NUL byte", func(tx *txn) error { return tx.AppendAudits(auditEntries) }, 0},
		{"in bulk, past a chunk", func(tx *txn) error {
			var many []app.AuditEntry
			for len(many) < 2500 {
				many = append(many, plain...)
			}
			return tx.AppendAudits(many)
		}, 2500},
		{"between set-wise entries", func(tx *txn) error {
			setWise := `INSERT INTO audit (at, actor, action, object) SELECT at, '系统', '默认通过', object FROM audit ORDER BY id LIMIT 3`
			if _, err := tx.exec(setWise); err != nil {
				return err
			}
			if err := tx.AppendAudits(auditEntries[:3]); err != nil {
				return err
			}
			if _, err := tx.exec(setWise); err != nil {
				return err
			}
			if err := tx.AppendAudit(auditEntries[3]); err != nil {
				return err
			}
			if err := tx.AppendAudits(auditEntries[4:]); err != nil {
				return err
			}
			_, err := tx.exec(setWise)
			return err
		}, 4},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := auditStore(t, 2)
			var known []knownRecords
			write(t, s, func(tx app.Tx) error {
				if err := tc.write(tx.(*txn)); err != nil {
					return err
				}
				known = tx.(*txn).known
				return nil
			})
			n := 0
			for _, k := range known {
				n += k.n()
				for i := range k.ends {
					var stored string
					if err := s.r.QueryRow("SELECT "+recordSQL+" FROM audit a WHERE a.id = ?", k.first+int64(i)).Scan(&stored); err != nil {
						t.Fatal(err)
					}
					if got := string(k.record(i)); got != stored {
						t.Errorf("entry %d: record built %q, stored %q", k.first+int64(i), got, stored)
					}
				}
			}
			if n != tc.known {
				t.Errorf("%d records kept for sealing, want %d", n, tc.known)
			}
			c := verify(t, s)
			if !c.Intact {
				t.Fatalf("VerifyAudit = %+v, want intact", c)
			}
		})
	}
}

// Issue 10 item 12: a record kept for sealing that is not the stored
// row's (a fault in appendRecord) is noticed, and the entries are sealed
// from the table: the chain still verifies.
func TestAuditKnownRecords_WrongRecordReadBack_Issue10Item12(t *testing.T) {
	s := auditStore(t, 1)
	write(t, s, func(tx app.Tx) error {
		tt := tx.(*txn)
		if err := tt.AppendAudits(auditEntries[:3]); err != nil {
			return err
		}
		k := &tt.known[len(tt.known)-1]
		k.buf[len(k.buf)-1] ^= 1 // the last record, one byte off
		return nil
	})
	if c := verify(t, s); !c.Intact || c.Entries != 4 {
		t.Fatalf("VerifyAudit = %+v, want 4 intact entries", c)
	}
}

// Issue 10 item 12: a large write's WAL is checkpointed after its commit
// (not in it, under the write lock), and the automatic checkpoint of the
// writer's connection is back to SQLite's default for the next writes.
func TestBigWrite_CheckpointAfterCommit_Issue10Item12(t *testing.T) {
	pgtest.SQLiteOnly(t, "the WAL checkpoint is SQLite's")
	s, _ := openTest(t)
	var held []time.Duration
	TimeWrites(func(d time.Duration) { held = append(held, d) })
	defer TimeWrites(nil)
	many := make([]app.AuditEntry, bigWrite)
	for i := range many {
		many[i] = auditEntries[0]
	}
	write(t, s, func(tx app.Tx) error { return tx.AppendAudits(many) })
	if len(held) != 1 {
		t.Fatalf("%d write transactions timed, want 1", len(held))
	}
	ctx := context.Background()
	var busy, log, done int
	if err := s.w.QueryRowContext(ctx, "PRAGMA wal_checkpoint(PASSIVE)").Scan(&busy, &log, &done); err != nil {
		t.Fatal(err)
	}
	if log != done {
		t.Errorf("after the write, %d of %d WAL frames are in the store file; want all", done, log)
	}
	if got := pragma(t, s.w, "wal_autocheckpoint"); got != "1000" {
		t.Errorf("wal_autocheckpoint = %s after a large write, want 1000", got)
	}
	write(t, s, func(tx app.Tx) error { return tx.AppendAudit(auditEntries[1]) })
	if got := pragma(t, s.w, "wal_autocheckpoint"); got != "1000" {
		t.Errorf("wal_autocheckpoint = %s after a small write, want 1000", got)
	}
	if c := verify(t, s); !c.Intact || c.Entries != bigWrite+1 {
		t.Fatalf("VerifyAudit = %+v, want %d intact entries", c, bigWrite+1)
	}
}
