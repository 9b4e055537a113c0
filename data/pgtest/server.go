package pgtest

import (
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// Server is a PostgreSQL server of one test's own, started by .ci/pg.sh in
// a temporary folder, for tests that stop and restart the server (issue 14:
// the server killed mid-transaction): stopping the shared test server would
// break the tests of other packages running beside them.
type Server struct {
	URL  string // a database URL, password included
	dir  string
	port string
}

// NewServer starts a server of the test's own and stops it when the test
// ends. The test is skipped when no test server is configured (the
// PostgreSQL run is off).
func NewServer(tb testing.TB) *Server {
	tb.Helper()
	if !Enabled() {
		tb.Skipf("no PostgreSQL test server: set %s (bash .ci/test.sh starts one)", Env)
	}
	script, err := findScript()
	if err != nil {
		tb.Fatal(err)
	}
	dir, err := os.MkdirTemp("", "tw-pgserver-")
	if err != nil {
		tb.Fatal(err)
	}
	s := &Server{dir: dir}
	out, err := exec.Command("bash", script, "start", dir).Output()
	if err != nil {
		os.RemoveAll(dir)
		tb.Fatalf("start a test server: %v %s", err, exitText(err))
	}
	tb.Cleanup(func() {
		exec.Command("bash", script, "stop", dir).Run()
		os.RemoveAll(dir)
	})
	u, err := url.Parse(strings.TrimSpace(string(out)))
	if err != nil {
		tb.Fatal(err)
	}
	s.port = u.Port()
	s.URL = u.String()
	// pg.sh's server commits without waiting for its log (fast, and a
	// test never outlives it); a server stopped at once must keep what it
	// committed, as a real one does: restart it with synchronous commits.
	if out, err := s.pgctl("-m", "fast", "-w", "stop"); err != nil {
		tb.Fatalf("restart the test server: %v %s", err, out)
	}
	s.Start(tb)
	return s
}

// Database returns the URL of database name on the server.
func (s *Server) Database(name string) string {
	u, _ := url.Parse(s.URL)
	u.Path = "/" + name
	return u.String()
}

// Stop stops the server at once, as a power cut would (pg_ctl stop -m
// immediate): connections drop, open transactions are lost, and the next
// start recovers from the log.
func (s *Server) Stop(tb testing.TB) {
	tb.Helper()
	if out, err := s.pgctl("-m", "immediate", "-w", "stop"); err != nil {
		tb.Fatalf("stop the test server: %v %s", err, out)
	}
}

// Start starts the stopped server again on the same port. Its commits
// wait for the log to be written (synchronous_commit), so that a server
// stopped at once keeps every transaction it committed; the log is not
// forced to the disk (fsync=off): the machine does not crash in a test.
func (s *Server) Start(tb testing.TB) {
	tb.Helper()
	opts := fmt.Sprintf("-c listen_addresses=127.0.0.1 -p %s -k %s -c fsync=off -c synchronous_commit=on -c max_connections=100", s.port, s.dir)
	if out, err := s.pgctl("-l", filepath.Join(s.dir, "server.log"), "-w", "-t", "60", "-o", opts, "start"); err != nil {
		tb.Fatalf("start the test server again: %v %s", err, out)
	}
}

func (s *Server) pgctl(args ...string) (string, error) {
	bin, err := pgBin("pg_ctl")
	if err != nil {
		return "", err
	}
	argv := append([]string{bin, "-D", filepath.Join(s.dir, "data")}, args...)
	if os.Geteuid() == 0 { // as pg.sh: postgres refuses to run as root
		argv = append([]string{"runuser", "-u", "nobody", "--"}, argv...)
	}
	out, err := exec.Command(argv[0], argv[1:]...).CombinedOutput()
	return string(out), err
}

// pgBin finds a PostgreSQL program as pg.sh does.
func pgBin(name string) (string, error) {
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	for i := len(dirs) - 1; i >= 0; i-- {
		if p := filepath.Join(dirs[i], name); fileExists(p) {
			return p, nil
		}
	}
	if p, err := exec.LookPath(name); err == nil {
		return p, nil
	}
	return "", fmt.Errorf("%s not found (apt-get install postgresql)", name)
}

// findScript finds .ci/pg.sh above the working directory.
func findScript() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if p := filepath.Join(dir, ".ci", "pg.sh"); fileExists(p) {
			return p, nil
		}
		up := filepath.Dir(dir)
		if up == dir {
			return "", fmt.Errorf(".ci/pg.sh not found above the working directory")
		}
		dir = up
	}
}

func fileExists(p string) bool { _, err := os.Stat(p); return err == nil }

func exitText(err error) string {
	if ee, ok := err.(*exec.ExitError); ok {
		return string(ee.Stderr)
	}
	return ""
}
