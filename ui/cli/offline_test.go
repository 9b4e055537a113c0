package cli_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"tuanwu/app"
	"tuanwu/data"
	"tuanwu/data/pgtest"
	"tuanwu/ui/cli"
)

// stopAtWrite is a server store whose next write stops the server in the
// middle of the transaction.
type stopAtWrite struct {
	*data.Store
	stop func()
}

func (s *stopAtWrite) Write(ctx context.Context, fn func(app.Tx) error) error {
	return s.Store.Write(ctx, func(tx app.Tx) error {
		if err := fn(tx); err != nil {
			return err
		}
		if s.stop != nil {
			s.stop()
			s.stop = nil
		}
		return nil
	})
}

// Issue 14, Proof (kill the server, and restart it), headless: a command
// that finds the school server stopped — at its start, or in the middle of
// its write — exits 1 with the Chinese “无法连接学校服务器” sentence on
// stderr and nothing on stdout, writes nothing; once the server is back
// the same command line works.
func TestServerDown_Issue14(t *testing.T) {
	if !pgtest.OnPG() {
		t.Skip("PostgreSQL run only: stops and restarts a server of its own")
	}
	srv := pgtest.NewServer(t)
	h := newHarness(t)
	h.db = srv.URL
	mustOK(t, h.run("init", "--practice", "--org", rootName, "--province", "浙江", "--admin-name", adminName, "--admin-id", adminID))
	h.env["TUANWU_PASSWORD"] = app.InitialPassword(adminID)
	h.env["TUANWU_NEW_PASSWORD"] = newPass
	mustOK(t, h.run("passwd", "--as", adminID))
	h.env["TUANWU_PASSWORD"] = newPass
	delete(h.env, "TUANWU_NEW_PASSWORD")
	add := []string{"org", "add", "--parent", rootName, "--name", "信息学院团委", "--kind", "团委"}
	before := mustOK(t, h.as(adminID, "org", "list")).stdout

	for _, c := range []struct {
		name string
		run  func() result
	}{
		{"stopped before the command", func() result {
			srv.Stop(t)
			return h.as(adminID, add...)
		}},
		{"stopped in the middle of the write", func() result {
			var out, errb bytes.Buffer
			env := h.cliEnv(&out, &errb)
			env.OpenStore = func(path string) (app.Store, error) {
				st, err := data.Open(path)
				if err != nil {
					return nil, err
				}
				return &stopAtWrite{Store: st, stop: func() { srv.Stop(t) }}, nil
			}
			code := cli.Run(append(append([]string{}, add...), "--db", h.db, "--as", adminID, "--now", testNow, "--json"), env)
			return result{code, out.String(), errb.String()}
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := c.run()
			if r.code != 1 || r.stdout != "" || !strings.HasPrefix(r.stderr, "无法连接学校服务器") || strings.Count(r.stderr, "\n") != 1 {
				t.Fatalf("want exit 1 and one sentence 无法连接学校服务器… on stderr, got %s", r)
			}
			srv.Start(t)
			if got := mustOK(t, h.as(adminID, "org", "list")).stdout; got != before {
				t.Fatalf("the refused command wrote something:\nbefore %s\nafter  %s", before, got)
			}
			mustOK(t, h.as(adminID, "check"))
		})
	}
	mustOK(t, h.as(adminID, add...))
}
