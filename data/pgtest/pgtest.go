// Package pgtest gives tests a fresh database on the PostgreSQL server
// named by TUANWU_TEST_PG (a server URL whose user may create databases;
// .ci/test.sh starts a throwaway server and sets it). Only tests import it.
package pgtest

import (
	"context"
	"database/sql"
	"flag"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" driver, for the administration connection
)

// Env is the environment variable holding the test server's URL.
const Env = "TUANWU_TEST_PG"

// Enabled reports whether a test server is configured.
func Enabled() bool { v := os.Getenv(Env); return v != "" && v != "off" }

// Main runs a package's tests twice, as the store tests do (issue 14: one
// suite, two backends): on SQLite files, then, when Enabled, again with
// OnPG true. Benchmarks name their backend themselves (…_PG) and run once.
// It returns the exit code for os.Exit.
func Main(m *testing.M, pkg string) int {
	code := 0
	if !Only() {
		code = m.Run()
	}
	if code == 0 && Enabled() && flag.Lookup("test.bench").Value.String() == "" {
		onPG = true
		fmt.Println("--- " + pkg + ": the same tests on PostgreSQL (" + Env + ")")
		code = m.Run()
	}
	return code
}

var onPG bool

// OnPG reports whether this is Main's PostgreSQL run.
func OnPG() bool { return onPG }

// SQLiteOnly skips a test of what only a file store has in the PostgreSQL run.
func SQLiteOnly(tb testing.TB, why string) {
	tb.Helper()
	if onPG {
		tb.Skip("SQLite only: " + why)
	}
}

// StoreLoc is where a test's new, empty store goes: the file name in dir,
// or in the PostgreSQL run a fresh server database.
func StoreLoc(tb testing.TB, dir, name string) string {
	tb.Helper()
	if onPG {
		return URL(tb)
	}
	return filepath.Join(dir, name)
}

// Only reports whether TUANWU_TEST_PG_ONLY asks for the PostgreSQL runs alone.
func Only() bool { return Enabled() && os.Getenv(Env+"_ONLY") != "" }

var (
	adminOnce sync.Once
	admin     *sql.DB
	adminErr  error
	seq       atomic.Int64
)

func adminDB() (*sql.DB, error) {
	adminOnce.Do(func() {
		admin, adminErr = sql.Open("pgx", os.Getenv(Env))
		if adminErr == nil {
			adminErr = admin.Ping()
		}
	})
	return admin, adminErr
}

// WithDatabase returns the test server's URL with another database name.
func WithDatabase(name string) string {
	u, err := url.Parse(os.Getenv(Env))
	if err != nil {
		return ""
	}
	u.Path = "/" + name
	return u.String()
}

// Exec runs administration statements on the test server.
func Exec(tb testing.TB, stmts ...string) {
	tb.Helper()
	db, err := adminDB()
	if err != nil {
		tb.Fatalf("test server %s: %v", Env, err)
	}
	for _, s := range stmts {
		if _, err := db.Exec(s); err != nil {
			tb.Fatalf("%s: %v", s, err)
		}
	}
}

// ExecIn runs statements in the test server's database name.
func ExecIn(tb testing.TB, name string, stmts ...string) {
	tb.Helper()
	db, err := sql.Open("pgx", WithDatabase(name))
	if err != nil {
		tb.Fatal(err)
	}
	defer db.Close()
	for _, s := range stmts {
		if _, err := db.Exec(s); err != nil {
			tb.Fatalf("%s: %v", s, err)
		}
	}
}

// QueryIn returns the first column of the first row of q in database name.
func QueryIn(tb testing.TB, name, q string) string {
	tb.Helper()
	db, err := sql.Open("pgx", WithDatabase(name))
	if err != nil {
		tb.Fatal(err)
	}
	defer db.Close()
	var v sql.NullString
	if err := db.QueryRow(q).Scan(&v); err != nil {
		tb.Fatalf("%s: %v", q, err)
	}
	return v.String
}

// NewDatabase creates an empty database, dropped when the test ends, and
// returns its name. The test is skipped when no server is configured.
func NewDatabase(tb testing.TB) string {
	tb.Helper()
	if !Enabled() {
		tb.Skipf("no PostgreSQL test server: set %s (bash .ci/test.sh starts one)", Env)
	}
	db, err := adminDB()
	if err != nil {
		tb.Fatalf("test server %s: %v", Env, err)
	}
	name := fmt.Sprintf("tw_%d_%d", os.Getpid(), seq.Add(1))
	if _, err := db.Exec("CREATE DATABASE " + name + " TEMPLATE template0 ENCODING 'UTF8'"); err != nil {
		tb.Fatalf("create database: %v", err)
	}
	tb.Cleanup(func() {
		db.ExecContext(context.Background(), "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
	})
	return name
}

// URL returns the URL of a fresh empty database (see NewDatabase).
func URL(tb testing.TB) string {
	tb.Helper()
	return WithDatabase(NewDatabase(tb))
}

func init() {
	// A store reopened by its location (Path, which never shows the
	// password) finds the password where libpq's programs do.
	if u, err := url.Parse(os.Getenv(Env)); err == nil && u.User != nil {
		if p, ok := u.User.Password(); ok && os.Getenv("PGPASSWORD") == "" {
			os.Setenv("PGPASSWORD", p)
		}
	}
}
