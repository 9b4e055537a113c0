package cli_test

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"tuanwu/app"
	"tuanwu/data/pgtest"
)

// rePGStoreLine is version's line about a server store.
var rePGStoreLine = regexp.MustCompile(`存储 postgres://\S+ 的结构版本 \d+`)

var updateSession = flag.Bool("update-session", false, "rewrite testdata/session.golden from the current commands")

// TestScriptedSessionGolden runs one scripted session of the headless
// contract — set-up, organizations, members, marks, transfers inside and
// to and from outside organizations, letters, reports, refusals and usage
// errors, in text and --json — and compares every exit status, stdout and
// stderr byte for byte with testdata/session.golden. It holds refactorings
// (issue 13) to “no behaviour change”; a deliberate change of output is
// recorded with -update-session and reviewed in the diff.
func TestScriptedSessionGolden(t *testing.T) {
	h := newHarness(t)
	dir := h.dir
	m1, m2, m3 := idWith("33010220000101001"), idWith("33010220000202002"), idWith("33010220010303003")
	newcomer := idWith("33010220070404004")
	steps := []struct {
		env  map[string]string // set before the step
		args []string
	}{
		{nil, []string{"version"}},
		{nil, []string{"init", "--practice", "--org", rootName, "--province", "浙江", "--admin-name", adminName, "--admin-id", adminID}},
		{map[string]string{"TUANWU_PASSWORD": app.InitialPassword(adminID)}, []string{"--as", adminID, "org", "list"}},
		{map[string]string{"TUANWU_NEW_PASSWORD": newPass}, []string{"--as", adminID, "passwd"}},
		{map[string]string{"TUANWU_PASSWORD": newPass, "TUANWU_NEW_PASSWORD": ""}, []string{"--as", adminID, "org", "add", "--parent", rootName, "--name", "信息学院团委", "--kind", "团委"}},
		{nil, []string{"--as", adminID, "org", "add", "--parent", college, "--name", "2020级计算机1班团支部", "--kind", "团支部"}},
		{nil, []string{"--as", adminID, "org", "add", "--parent", college, "--name", "2021级软件工程1班团支部", "--kind", "团支部", "--json"}},
		{nil, []string{"--as", adminID, "org", "list"}},
		{nil, []string{"--as", adminID, "member", "add", "--org", branch, "--name", "张三", "--id", m1, "--field", "入团年月=2015-05"}},
		{nil, []string{"--as", adminID, "member", "add", "--org", branch, "--name", "李四", "--id", m2, "--field", "入团年月=2015-09", "--json"}},
		{nil, []string{"--as", adminID, "member", "add", "--org", branch2, "--name", "王五", "--id", m3, "--field", "入团年月=2016-04"}},
		{nil, []string{"--as", adminID, "member", "add", "--org", branch, "--name", "赵六", "--id", badCheck("33010220000101001")}},
		{nil, []string{"--as", adminID, "member", "list", "--org", college}},
		{nil, []string{"--as", adminID, "member", "list", "--org", college, "--json"}},
		{nil, []string{"--as", adminID, "member", "show", m1}},
		{nil, []string{"--as", adminID, "member", "edit", m1, "--field", "手机号码=13800000001"}},
		{nil, []string{"--as", adminID, "grad", "mark", branch, "--month", "2024-06"}},
		{nil, []string{"--as", adminID, "grad", "unmarked"}},
		{nil, []string{"--as", adminID, "member", "mark", m2, "--delayed", "2025-06", "--reason", "休学一年"}},
		{nil, []string{"--as", adminID, "transfer", "start", m1, "--reason", "升学", "--to", branch2, "--unit", "浙江测试大学", "--address", "杭州市", "--scope", "否"}},
		{nil, []string{"--as", adminID, "transfer", "list", "--pending"}},
		{nil, []string{"--as", adminID, "transfer", "approve", "1"}},
		{nil, []string{"--as", adminID, "transfer", "show", "1", "--json"}},
		{nil, []string{"--as", adminID, "transfer", "start", m3, "--reason", "升学", "--outside", "共青团北京大学信息科学技术学院委员会", "--scope", "北京", "--unit", "北京大学", "--address", "北京市海淀区"}},
		{nil, []string{"--as", adminID, "transfer", "approve", "2"}},
		{nil, []string{"--as", adminID, "letter", "2", "--out", filepath.Join(dir, "介绍信.pdf")}},
		{nil, []string{"--as", adminID, "letter", "list"}},
		{nil, []string{"--as", adminID, "transfer", "confirm", "2", "--note", "对方电话确认"}},
		{nil, []string{"--as", adminID, "member", "list", "--org", college, "--left"}},
		{nil, []string{"--as", adminID, "transfer", "pull", "--name", "林晓", "--id", newcomer, "--reason", "升学", "--to", branch, "--from-outside", "杭州市第十四中学团委"}},
		{nil, []string{"--as", adminID, "notices"}},
		{nil, []string{"--as", adminID, "sweep", "--now", "2025-08-01"}},
		{nil, []string{"--as", adminID, "transfer", "list", "--json"}},
		{nil, []string{"--as", adminID, "org", "outside"}},
		{nil, []string{"--as", adminID, "report", "graduates", "--year", "2024"}},
		{nil, []string{"--as", adminID, "org", "delete", branch2}},
		{nil, []string{"--as", adminID, "transfer", "approve", "99"}},
		{nil, []string{"--as", adminID, "member", "frobnicate"}},
		{nil, []string{"--as", adminID, "grad", "mark", branch}},
		{nil, []string{"--as", adminID, "check"}},
		{nil, []string{"--as", adminID, "audit", "--json"}},
	}
	var got strings.Builder
	for i, s := range steps {
		for k, v := range s.env {
			if v == "" {
				delete(h.env, k)
			} else {
				h.env[k] = v
			}
		}
		args := append([]string{"--db", h.db, "--now", testNow}, s.args...)
		if s.args[0] == "version" {
			args = append([]string{"--db", h.db}, s.args...)
		}
		r := h.raw(args...)
		fmt.Fprintf(&got, "### %d: tuanwu %s\nexit %d\n--- stdout\n%s--- stderr\n%s\n", i+1, strings.Join(s.args, " "), r.code, r.stdout, r.stderr)
	}
	out := strings.ReplaceAll(got.String(), dir, "$DIR")
	if pgtest.OnPG() {
		// The one line that names the store: version on a file that does
		// not exist yet says so; on the server database the test made
		// (empty, and brought to the current schema when opened) it gives
		// the schema version. Everything else is the same byte for byte.
		out = rePGStoreLine.ReplaceAllString(out, "存储 $$DIR/tuanwu.db 不存在（version 不会新建它）")
	}
	golden := filepath.Join("testdata", "session.golden")
	if *updateSession && !pgtest.OnPG() {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(golden, []byte(out), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (record it with -update-session)", err)
	}
	if out != string(want) {
		gl, wl := strings.Split(out, "\n"), strings.Split(string(want), "\n")
		for i := 0; i < len(gl) || i < len(wl); i++ {
			var g, w string
			if i < len(gl) {
				g = gl[i]
			}
			if i < len(wl) {
				w = wl[i]
			}
			if g != w {
				t.Fatalf("the scripted session differs from testdata/session.golden at line %d:\n got: %s\nwant: %s", i+1, g, w)
			}
		}
	}
}
