package cli_test

import (
	"os"
	"testing"

	"tuanwu/data/pgtest"
)

// The headless tests run twice (issue 14: one suite, two backends): on
// SQLite files, then, when TUANWU_TEST_PG names a server, on PostgreSQL,
// where every harness gets a fresh database of its own. Tests of what only
// a file store has (backup and restore of .db files, locks, files that are
// not stores) say so with pgtest.SQLiteOnly and are skipped in the second run.
func TestMain(m *testing.M) { os.Exit(pgtest.Main(m, "ui/cli")) }
