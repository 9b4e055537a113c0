package app_test

import (
	"context"
	"os"
	"testing"

	"tuanwu/data"
	"tuanwu/data/pgtest"
)

// The use-case tests run twice (issue 14: one test suite, two backends):
// on SQLite files, then, when TUANWU_TEST_PG names a server, on
// PostgreSQL, each test with a fresh database. A store built once as a
// file and copied for each test is moved up to the server by MigrateTo.
func TestMain(m *testing.M) { os.Exit(pgtest.Main(m, "app")) }

// storeLocation returns where a test's fresh store goes: a file in dir, or
// a fresh database on the test server.
func storeLocation(t testing.TB, dir, name string) string { return pgtest.StoreLoc(t, dir, name) }

// openFileStore opens the store file at path; on the PostgreSQL run it is
// first moved up to a fresh database, which is opened instead.
func openFileStore(t testing.TB, path string) (*data.Store, error) {
	t.Helper()
	if !pgtest.OnPG() {
		return data.Open(path)
	}
	f, err := data.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	url := pgtest.URL(t)
	if _, err := f.MigrateTo(context.Background(), url); err != nil {
		return nil, err
	}
	return data.Open(url)
}
