package data

import (
	"errors"
	"fmt"
	"testing"

	"tuanwu/app"
)

// Issue 14 (1,000,000-member exports on the server): a roster streams.
// On PostgreSQL, Members walks a server-side cursor, cursorBatch rows at a
// time, instead of reading the whole result first: while the walk is under
// way the transaction holds an open cursor (pg_cursors), and the rows come
// in the roster's order across batches. A walk inside a walk, a walk left
// early and a walk after it in the same transaction all work; on SQLite the
// same calls give the same rows.
func TestMembersStreamCursor_Issue14(t *testing.T) {
	s, _ := openTest(t)
	n := 2*cursorBatch + 7
	var root, branch app.Org
	write(t, s, func(tx app.Tx) error {
		root = addOrg(t, tx, 0, "浙江明理大学团委", app.KindCommittee)
		branch = addOrg(t, tx, root.ID, "2024级会计学1班团支部", app.KindBranch)
		ms := make([]app.Member, n)
		for i := range ms {
			ms[i] = app.Member{OrgID: branch.ID, Name: fmt.Sprintf("团员%05d", i), IDNo: cursorID(i), JoinMonth: "2018-05",
				Status: app.StatusActive, CreatedAt: testNow, UpdatedAt: testNow}
		}
		return tx.InsertMembers(ms)
	})
	stop := errors.New("stop")
	read(t, s, func(tx app.Tx) error {
		var names []string
		cursorsSeen := -1
		inner := 0
		err := tx.Members(app.MemberQuery{OrgID: root.ID}, func(m app.Member) error {
			if len(names) == cursorBatch+1 && s.pg {
				// In the second batch: the walk's cursor is open.
				if err := tx.(*txn).tx.QueryRow("SELECT count(*) FROM pg_cursors WHERE name LIKE 'tuanwu_cursor_%'").Scan(&cursorsSeen); err != nil {
					return err
				}
			}
			if len(names) == 10 {
				// A walk inside the walk, left early.
				if err := tx.Members(app.MemberQuery{OrgID: branch.ID}, func(app.Member) error {
					if inner++; inner == 3 {
						return stop
					}
					return nil
				}); !errors.Is(err, stop) {
					return fmt.Errorf("inner walk: %v", err)
				}
			}
			if m.OrgName == "" {
				return fmt.Errorf("%s without its organization", m.Name)
			}
			names = append(names, m.Name)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if len(names) != n {
			t.Fatalf("walked %d members, want %d", len(names), n)
		}
		for i := 1; i < len(names); i++ {
			if names[i-1] >= names[i] {
				t.Fatalf("out of order at %d: %s, %s", i, names[i-1], names[i])
			}
		}
		if s.pg && cursorsSeen != 1 {
			t.Errorf("open cursors during the walk: %d, want 1 (the rows were read whole)", cursorsSeen)
		}
		// After a walk left early, the next walk in the transaction.
		k := 0
		if err := tx.Members(app.MemberQuery{OrgID: root.ID, Limit: 5}, func(app.Member) error { k++; return nil }); err != nil || k != 5 {
			t.Fatalf("walk after: %d members, %v", k, err)
		}
		if s.pg {
			var left int
			if err := tx.(*txn).tx.QueryRow("SELECT count(*) FROM pg_cursors WHERE name LIKE 'tuanwu_cursor_%'").Scan(&left); err != nil || left != 0 {
				t.Errorf("cursors left open: %d (%v)", left, err)
			}
		}
		return nil
	})
}

// cursorID is a valid 身份证号 made from i.
func cursorID(i int) string {
	first := fmt.Sprintf("330102%04d%02d%02d%03d", 1998+i%6, 1+i/6%12, 1+i/72%28, i/2016%1000)
	return first + string(app.IDCheckChar(first))
}
