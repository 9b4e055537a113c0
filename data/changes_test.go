package data

import (
	"errors"
	"testing"

	"tuanwu/app"
)

// Issue 14 item 3, on both backends: the change mark (the audit head) that
// one desk commits is what another desk on the same store reads next, and
// a write that rolls back leaves it where it was.
func TestAuditHeadAcrossDesks_Issue14_3(t *testing.T) {
	s1, loc := openTest(t)
	s2, err := Open(loc)
	if err != nil {
		t.Fatalf("second desk: %v", err)
	}
	defer s2.Close()
	head := func(s *Store) int64 {
		var h int64
		read(t, s, func(tx app.Tx) (err error) { h, err = tx.AuditHead(); return err })
		return h
	}
	entry := app.AuditEntry{At: testNow, Actor: "系统", Action: "新增团员", Object: "张三"}
	steps := []struct {
		name    string
		desk    *Store
		write   func(tx app.Tx) error
		advance int64
	}{
		{"empty store", nil, nil, 0},
		{"desk 1 writes one entry", s1, func(tx app.Tx) error { return tx.AppendAudit(entry) }, 1},
		{"desk 2 writes two", s2, func(tx app.Tx) error { return tx.AppendAudits([]app.AuditEntry{entry, entry}) }, 2},
		{"desk 1 rolls back", s1, func(tx app.Tx) error {
			if err := tx.AppendAudit(entry); err != nil {
				return err
			}
			return errors.New("refused")
		}, 0},
	}
	var want int64
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			if st.desk != nil {
				st.desk.Write(t.Context(), st.write)
			}
			want += st.advance
			if h1, h2 := head(s1), head(s2); h1 != want || h2 != want {
				t.Fatalf("heads %d (desk 1), %d (desk 2); want %d", h1, h2, want)
			}
		})
	}
}
