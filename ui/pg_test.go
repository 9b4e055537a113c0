package ui

import (
	"os"
	"testing"

	"tuanwu/data/pgtest"
)

// The window's tests run twice (issue 14: one suite, two backends): on
// SQLite files, then, when TUANWU_TEST_PG names a server, on PostgreSQL,
// where every window's store is a fresh server database (newStoreLoc).
// Tests of what only a file store has (backup and restore of .db files,
// the one-window-per-file lock, practice-store files) say so with
// pgtest.SQLiteOnly and are skipped in the second run.
func TestMain(m *testing.M) { os.Exit(pgtest.Main(m, "ui")) }

// newStoreLoc is the location of a new, empty store for one test: a file
// in t.TempDir(), or in the PostgreSQL run a fresh server database.
func newStoreLoc(t testing.TB) string { return pgtest.StoreLoc(t, t.TempDir(), "t.db") }
