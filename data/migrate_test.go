package data_test

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"testing"

	"tuanwu/app"
	"tuanwu/data"
)

// counts returns the row counts of the tables a migration must keep.
func counts(t *testing.T, path string) map[string]int {
	t.Helper()
	db, err := sql.Open("sqlite3", path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	out := map[string]int{}
	for _, table := range []string{"orgs", "members", "accounts", "cadres", "admins", "audit", "transfers", "transfer_steps", "letters", "letter_transfers", "settings"} {
		var n int
		if err := db.QueryRow("SELECT count(*) FROM " + table).Scan(&n); err != nil {
			t.Fatalf("count %s: %v", table, err)
		}
		out[table] = n
	}
	return out
}

// TestMigrateSchema3Store_R_W: a store made by the previous version (schema
// 3: the demo with transfers to top-level organizations of the store, one
// finished by default, one waiting for assignment, one pending, a letter)
// opens at the newest schema with nothing lost: every row kept, the
// transfers' organizations named as before, every key and count consistent.
func TestMigrateSchema3Store_R_W(t *testing.T) {
	if data.OnPG() {
		t.Skip("SQLite only: a schema-3 store file upgraded (server stores begin at schema 5)")
	}
	b, err := os.ReadFile(filepath.Join("testdata", "schema3-demo400.db"))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "old.db")
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	before := counts(t, path)
	st, err := data.Open(path)
	if err != nil {
		t.Fatalf("open a schema-3 store: %v", err)
	}
	defer st.Close()
	if st.SchemaVersion() != data.LatestVersion() {
		t.Fatalf("schema %d, want %d", st.SchemaVersion(), data.LatestVersion())
	}
	ctx := context.Background()
	if problems, err := st.Check(ctx); err != nil || len(problems) != 0 {
		t.Fatalf("check after migrating: %v %v", problems, err)
	}
	var list []app.Transfer
	if err := st.Read(ctx, func(tx app.Tx) (err error) { list, err = tx.Transfers(app.TransferFilter{}); return err }); err != nil {
		t.Fatal(err)
	}
	if len(list) != 3 {
		t.Fatalf("%d transfers after migrating, want 3", len(list))
	}
	for _, tr := range list {
		if tr.FromName == "" || tr.ToName == "" || tr.FromPath == "" || tr.FromOut || tr.ToOut {
			t.Errorf("transfer %d after migrating: from %q (%q) to %q", tr.No, tr.FromName, tr.FromPath, tr.ToName)
		}
		for _, s := range tr.Steps {
			if s.OrgName == "" || s.Outside {
				t.Errorf("transfer %d step %d: %+v", tr.No, s.Seq, s)
			}
		}
		if tr.No == 1 && (len(tr.Letters) != 1 || tr.Letters[0] != 1) {
			t.Errorf("transfer 1's letters: %v", tr.Letters)
		}
	}
	st.Close()
	after := counts(t, path)
	for k, v := range before {
		// Settings may gain rows (a migration records what it did); no
		// other table changes.
		if after[k] != v && !(k == "settings" && after[k] > v) {
			t.Errorf("%s: %d rows before, %d after", k, v, after[k])
		}
	}
	// The name snapshots are stored, not only read from the live tree.
	db, err := sql.Open("sqlite3", path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var empty int
	if err := db.QueryRow("SELECT count(*) FROM transfers WHERE from_name = '' OR to_name = ''").Scan(&empty); err != nil || empty != 0 {
		t.Errorf("%d transfers without name snapshots (%v)", empty, err)
	}
}
