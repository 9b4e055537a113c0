package ui

import (
	"os"
	"path/filepath"
	"testing"

	"tuanwu/data/pgtest"
)

// The window's tests run twice (issue 14: one suite, two backends): on
// SQLite files, then, when TUANWU_TEST_PG names a server, on PostgreSQL,
// where every window's store is a fresh server database (newStoreLoc).
// Tests of what only a file store has (backup and restore of .db files,
// the one-window-per-file lock, practice-store files) say so with
// sqliteOnly and are skipped in the second run.
var onPG bool

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m, "ui", &onPG)) }

// sqliteOnly skips a test of the file store in the PostgreSQL run.
func sqliteOnly(t testing.TB, why string) {
	t.Helper()
	if onPG {
		t.Skip("SQLite only: " + why)
	}
}

// newStoreLoc is the location of a new, empty store for one test: a file
// in t.TempDir(), or in the PostgreSQL run a fresh server database.
func newStoreLoc(t testing.TB) string {
	t.Helper()
	if onPG {
		return pgtest.URL(t)
	}
	return filepath.Join(t.TempDir(), "t.db")
}
