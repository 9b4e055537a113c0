package cli_test

// End-to-end tests of the headless commands, driven through cli.Run exactly
// as a script would use the CLI.md contract: a fresh store in t.TempDir(),
// the password in TUANWU_PASSWORD, stdout and stderr captured, exit codes
// 0 done / 1 refused / 2 usage.

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"tuanwu/app"
	"tuanwu/data"
	"tuanwu/data/pgtest"
	"tuanwu/data/xlsx"
	"tuanwu/ui/cli"
)

// ---- harness ----

type result struct {
	code           int
	stdout, stderr string
}

type harness struct {
	t   *testing.T
	db  string // the store: a file in dir, or in the PostgreSQL run a server database
	dir string // a temporary folder for the files a test writes and reads
	env map[string]string
	// readSecret, when set, plays the terminal.
	readSecret func(prompt string) (string, error)
}

func newHarness(t *testing.T) *harness {
	t.Helper()
	dir := t.TempDir()
	db := filepath.Join(dir, "tuanwu.db")
	if pgtest.OnPG() {
		db = pgtest.URL(t)
	}
	return &harness{t: t, db: db, dir: dir, env: map[string]string{}}
}

func openStore(path string) (app.Store, error) {
	st, err := data.Open(path)
	if err != nil {
		return nil, err
	}
	return st, nil
}

// raw runs the command line exactly as given.
func (h *harness) raw(args ...string) result {
	h.t.Helper()
	var out, errb bytes.Buffer
	code := cli.Run(args, h.cliEnv(&out, &errb))
	return result{code, out.String(), errb.String()}
}

// cliEnv is the environment main gives the commands: the store, the letter
// renderer and the Excel codecs, with the harness's variables and terminal.
func (h *harness) cliEnv(out, errb io.Writer) cli.Env {
	return cli.Env{
		Stdout:       out,
		Stderr:       errb,
		Getenv:       func(k string) string { return h.env[k] },
		OpenStore:    openStore,
		SchemaLatest: data.LatestVersion(),
		ReadSecret:   h.readSecret,
		Codecs: app.Codecs{
			WriteLetters: writeLetters,
			ReadMembers:  xlsx.ReadMembers,
			WriteRoster: func(w io.Writer, title string, members func(yield func(app.Member) bool), mask bool, now time.Time) error {
				return xlsx.WriteRoster(w, title, members, xlsx.RosterOptions{MaskIDs: mask, Now: now})
			},
			WriteErrorReport:    xlsx.WriteErrorReport,
			WriteUnmarked:       xlsx.WriteUnmarked,
			WriteAbroadRegister: xlsx.WriteAbroadRegister, WriteGraduates: xlsx.WriteGraduates,
		},
		Restore: data.Restore, MigrateStore: migrateStore,
	}
}

// run appends --db to args.
func (h *harness) run(args ...string) result {
	h.t.Helper()
	return h.raw(append(args, "--db", h.db)...)
}

// as runs args as the given account with --db, --now and --json after the command.
func (h *harness) as(id string, args ...string) result {
	h.t.Helper()
	return h.raw(append(args, "--db", h.db, "--as", id, "--now", testNow, "--json")...)
}

const testNow = "2025-06-30"

func (r result) String() string {
	return "exit " + itoa(r.code) + "\nstdout: " + r.stdout + "\nstderr: " + r.stderr
}

func itoa(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}

func mustOK(t *testing.T, r result) result {
	t.Helper()
	if r.code != 0 {
		t.Fatalf("want exit 0, got %s", r)
	}
	if r.stderr != "" {
		t.Fatalf("exit 0 with stderr: %s", r)
	}
	return r
}

var hanRE = regexp.MustCompile(`\p{Han}`)

// mustRefuse checks exit 1 with one Chinese sentence on stderr and nothing on stdout.
func mustRefuse(t *testing.T, r result) string {
	t.Helper()
	if r.code != 1 {
		t.Fatalf("want exit 1 (refused), got %s", r)
	}
	if r.stdout != "" {
		t.Errorf("refusal wrote to stdout: %q", r.stdout)
	}
	msg := strings.TrimRight(r.stderr, "\n")
	if msg == "" || strings.Contains(msg, "\n") {
		t.Fatalf("refusal must be exactly one line on stderr, got %q", r.stderr)
	}
	if !hanRE.MatchString(msg) {
		t.Fatalf("refusal is not a Chinese sentence: %q", msg)
	}
	last, _ := lastRune(msg)
	if !strings.ContainsRune("。！？", last) {
		t.Errorf("refusal does not end as a Chinese sentence: %q", msg)
	}
	for _, bad := range []string{"panic", "error", "Error", "sqlite", "SQL", "详细信息"} {
		if strings.Contains(msg, bad) {
			t.Errorf("refusal leaks internals (%q): %q", bad, msg)
		}
	}
	return msg
}

func lastRune(s string) (rune, bool) {
	rs := []rune(s)
	if len(rs) == 0 {
		return 0, false
	}
	return rs[len(rs)-1], true
}

// mustUsage checks exit 2 with a message on stderr and nothing on stdout.
func mustUsage(t *testing.T, r result) {
	t.Helper()
	if r.code != 2 {
		t.Fatalf("want exit 2 (usage), got %s", r)
	}
	if r.stdout != "" {
		t.Errorf("usage error wrote to stdout: %q", r.stdout)
	}
	if !hanRE.MatchString(r.stderr) {
		t.Errorf("usage error without a Chinese explanation: %q", r.stderr)
	}
}

var snakeRE = regexp.MustCompile(`^[a-z][a-z0-9]*(_[a-z0-9]+)*$`)

// oneJSON parses stdout as exactly one JSON value and checks that every
// object key is English snake_case.
func oneJSON(t *testing.T, stdout string) any {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(stdout))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		t.Fatalf("stdout is not JSON: %v\n%s", err, stdout)
	}
	var extra any
	if err := dec.Decode(&extra); !errors.Is(err, io.EOF) {
		t.Fatalf("stdout holds more than one JSON value (%v):\n%s", err, stdout)
	}
	var walk func(any, string)
	walk = func(x any, at string) {
		switch x := x.(type) {
		case map[string]any:
			for k, e := range x {
				if !snakeRE.MatchString(k) {
					t.Errorf("JSON key %q at %s is not snake_case", k, at)
				}
				walk(e, at+"."+k)
			}
		case []any:
			for _, e := range x {
				walk(e, at+"[]")
			}
		}
	}
	walk(v, "$")
	return v
}

func obj(t *testing.T, stdout string) map[string]any {
	t.Helper()
	m, ok := oneJSON(t, stdout).(map[string]any)
	if !ok {
		t.Fatalf("want a JSON object, got:\n%s", stdout)
	}
	return m
}

func arr(t *testing.T, stdout string) []map[string]any {
	t.Helper()
	a, ok := oneJSON(t, stdout).([]any)
	if !ok {
		t.Fatalf("want a JSON array, got:\n%s", stdout)
	}
	out := make([]map[string]any, len(a))
	for i, e := range a {
		if out[i], ok = e.(map[string]any); !ok {
			t.Fatalf("array element %d is not an object:\n%s", i, stdout)
		}
	}
	return out
}

func str(m map[string]any, k string) string {
	s, _ := m[k].(string)
	return s
}

func num(m map[string]any, k string) int64 {
	n, _ := m[k].(json.Number)
	i, _ := n.Int64()
	return i
}

// idWith returns first17 with its GB 11643 MOD 11-2 check character, computed
// here independently of the program.
func idWith(first17 string) string {
	w := []int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i := 0; i < 17; i++ {
		sum += int(first17[i]-'0') * w[i]
	}
	return first17 + string("10X98765432"[sum%11])
}

// badCheck returns first17 with a wrong check character.
func badCheck(first17 string) string {
	good := idWith(first17)[17]
	for _, c := range "0123456789X" {
		if byte(c) != good {
			return first17 + string(c)
		}
	}
	panic("unreachable")
}

// ---- fixture ----

const (
	rootName   = "浙江测试大学团委"
	college    = rootName + "/信息学院团委"
	branch     = college + "/2020级计算机1班团支部"
	branch2    = college + "/2021级软件工程1班团支部"
	newPass    = "Tuanwu#2025pass"
	adminName  = "王立新"
	otherAdmin = "李管理"
)

var (
	adminID = idWith("33010619850315002")
	m1ID    = idWith("33010220020701001") // male, born 2002-07-01
	m2ID    = idWith("33010620030512002") // female, born 2003-05-12
)

// initStore runs init and changes the admin's initial password; it returns
// the harness with TUANWU_PASSWORD set to the new password.
func initStore(t *testing.T) *harness {
	t.Helper()
	h := newHarness(t)
	r := mustOK(t, h.run("init", "--practice", "--org", rootName, "--province", "浙江", "--admin-name", adminName, "--admin-id", adminID, "--json"))
	o := obj(t, r.stdout)
	if str(o, "admin_id") != adminID {
		t.Fatalf("init admin_id = %q, want %q", str(o, "admin_id"), adminID)
	}
	root, _ := o["org"].(map[string]any)
	if str(root, "kind") != "团委" || str(root, "province") != "浙江" || str(root, "name") != rootName {
		t.Fatalf("init root = %v; want 团委 (default kind) in 浙江", root)
	}
	h.env["TUANWU_PASSWORD"] = app.InitialPassword(adminID)
	h.env["TUANWU_NEW_PASSWORD"] = newPass
	mustOK(t, h.run("passwd", "--as", adminID))
	h.env["TUANWU_PASSWORD"] = newPass
	delete(h.env, "TUANWU_NEW_PASSWORD")
	return h
}

// buildTree adds 信息学院团委 and two branches, and returns the first branch's ID.
func buildTree(t *testing.T, h *harness) int64 {
	t.Helper()
	mustOK(t, h.as(adminID, "org", "add", "--parent", rootName, "--name", "信息学院团委", "--kind", "团委"))
	r := mustOK(t, h.as(adminID, "org", "add", "--parent", college, "--name", "2020级计算机1班团支部", "--kind", "团支部"))
	b := obj(t, r.stdout)
	if str(b, "path") != branch || str(b, "kind") != "团支部" || str(b, "category") != "普通" || str(b, "province") != "浙江" {
		t.Fatalf("branch = %v; want path %s, 团支部, category 普通 (default), province 浙江 (the parent's)", b, branch)
	}
	// The parent named by numeric ID.
	collegeID := orgID(t, h, college)
	r = mustOK(t, h.as(adminID, "org", "add", "--parent", itoa(int(collegeID)), "--name", "2021级软件工程1班团支部", "--kind", "团支部"))
	if p := str(obj(t, r.stdout), "path"); p != branch2 {
		t.Fatalf("branch under numeric parent: path %q, want %q", p, branch2)
	}
	return num(b, "id")
}

// orgID finds an organization's ID in org list --json.
func orgID(t *testing.T, h *harness, path string) int64 {
	t.Helper()
	for _, o := range arr(t, mustOK(t, h.as(adminID, "org", "list")).stdout) {
		if str(o, "path") == path {
			return num(o, "id")
		}
	}
	t.Fatalf("organization %s not in org list", path)
	return 0
}

func addMembers(t *testing.T, h *harness) {
	t.Helper()
	r := mustOK(t, h.as(adminID, "member", "add", "--org", branch, "--name", "张三", "--id", m1ID,
		"--field", "民族=汉族", "--field", "入团年月=2016-05", "--field", "手机号码=13800138000"))
	m := obj(t, r.stdout)
	if str(m, "id_no") != m1ID || str(m, "name") != "张三" {
		t.Fatalf("member add output: %v", m)
	}
	mustOK(t, h.as(adminID, "member", "add", "--org="+branch, "--name=李四", "--id="+m2ID,
		"--field=入团年月=2018-05", "--field=团员编号=201800000001", "--field=政治面貌=共青团员"))
}

// snapshot is everything a refusal must leave unchanged.
func snapshot(t *testing.T, h *harness) string {
	t.Helper()
	orgs := mustOK(t, h.as(adminID, "org", "list")).stdout
	members := mustOK(t, h.as(adminID, "member", "list", "--org", rootName)).stdout
	return orgs + "\n" + members
}

// ---- tests ----

// R-A1: the account on its initial password can run only passwd.
func TestInitialPasswordOnlyPasswd(t *testing.T) {
	h := newHarness(t)
	mustOK(t, h.run("init", "--practice", "--org", rootName, "--province", "浙江", "--admin-name", adminName, "--admin-id", adminID))
	h.env["TUANWU_PASSWORD"] = adminID[len(adminID)-8:] // R-A1: the last 8 characters

	for _, args := range [][]string{
		{"org", "list"},
		{"org", "add", "--parent", rootName, "--name", "信息学院团委", "--kind", "团委"},
		{"member", "list", "--org", rootName},
		{"check"},
		{"audit"},
		{"backup", "--out", filepath.Join(t.TempDir(), "b.db")},
	} {
		msg := mustRefuse(t, h.as(adminID, args...))
		if !strings.Contains(msg, "passwd") && !strings.Contains(msg, "密码") {
			t.Errorf("%v: refusal should say to change the password first: %q", args, msg)
		}
	}

	// passwd with the wrong current password is refused.
	h.env["TUANWU_PASSWORD"] = "00000000"
	h.env["TUANWU_NEW_PASSWORD"] = newPass
	mustRefuse(t, h.run("passwd", "--as", adminID))
	// A new password equal to the initial one, or too short, is refused.
	h.env["TUANWU_PASSWORD"] = app.InitialPassword(adminID)
	h.env["TUANWU_NEW_PASSWORD"] = app.InitialPassword(adminID)
	mustRefuse(t, h.run("passwd", "--as", adminID))
	h.env["TUANWU_NEW_PASSWORD"] = "short"
	mustRefuse(t, h.run("passwd", "--as", adminID))
	// Still on the initial password.
	mustRefuse(t, h.as(adminID, "org", "list"))

	h.env["TUANWU_NEW_PASSWORD"] = newPass
	r := mustOK(t, h.run("passwd", "--as", adminID, "--json"))
	if o := obj(t, r.stdout); o["ok"] != true {
		t.Errorf("passwd --json: %v", o)
	}

	// The initial password no longer signs in; the new one does.
	mustRefuse(t, h.as(adminID, "org", "list"))
	h.env["TUANWU_PASSWORD"] = newPass
	list := arr(t, mustOK(t, h.as(adminID, "org", "list")).stdout)
	if len(list) != 1 || str(list[0], "path") != rootName {
		t.Fatalf("org list after init: %v", list)
	}
}

// passwd on a terminal: the current and the new password are asked for.
func TestPasswdOnTerminal(t *testing.T) {
	h := newHarness(t)
	mustOK(t, h.run("init", "--practice", "--org", rootName, "--province", "浙江", "--admin-name", adminName, "--admin-id", adminID))
	var prompts []string
	h.readSecret = func(prompt string) (string, error) {
		prompts = append(prompts, prompt)
		if strings.Contains(prompt, "新密码") {
			return newPass, nil
		}
		return app.InitialPassword(adminID), nil
	}
	mustOK(t, h.run("passwd", "--as", adminID))
	if len(prompts) != 3 {
		t.Errorf("prompts = %q; want current, new, new again", prompts)
	}
	h.readSecret = nil
	h.env["TUANWU_PASSWORD"] = newPass
	mustOK(t, h.as(adminID, "org", "list"))
	// No password and no terminal: refused with what to do.
	delete(h.env, "TUANWU_PASSWORD")
	if msg := mustRefuse(t, h.as(adminID, "org", "list")); !strings.Contains(msg, "TUANWU_PASSWORD") {
		t.Errorf("refusal should name TUANWU_PASSWORD: %q", msg)
	}
}

// R-O1, R-O2, R-O4: org add, list, rename, delete.
func TestOrgCommands(t *testing.T) {
	h := initStore(t)
	branchID := buildTree(t, h)

	// --flag=value form; a 混合支部 (R-O2).
	r := mustOK(t, h.as(adminID, "org", "add", "--parent="+college, "--name=临时团支部", "--kind=团支部", "--category=混合支部"))
	tmp := obj(t, r.stdout)
	if str(tmp, "category") != "混合支部" {
		t.Fatalf("category = %q, want 混合支部", str(tmp, "category"))
	}

	// Tree listing: every org, each with its full path; --under limits it.
	list := arr(t, mustOK(t, h.as(adminID, "org", "list")).stdout)
	paths := map[string]map[string]any{}
	for _, o := range list {
		paths[str(o, "path")] = o
	}
	for _, p := range []string{rootName, college, branch, branch2, college + "/临时团支部"} {
		if paths[p] == nil {
			t.Errorf("org list lacks %s: %v", p, list)
		}
	}
	if got := num(paths[branch], "id"); got != branchID {
		t.Errorf("branch id %d, want %d", got, branchID)
	}
	under := arr(t, mustOK(t, h.as(adminID, "org", "list", "--under", college)).stdout)
	if len(under) != 4 || str(under[0], "path") != college {
		t.Errorf("org list --under %s: %v", college, under)
	}

	// Rename, by path and by numeric ID.
	r = mustOK(t, h.as(adminID, "org", "rename", college+"/临时团支部", "--name", "2022级临时1班团支部"))
	if p := str(obj(t, r.stdout), "path"); p != college+"/2022级临时1班团支部" {
		t.Errorf("renamed path %q", p)
	}
	r = mustOK(t, h.as(adminID, "org", "rename", itoa(int(num(tmp, "id"))), "--name=2022级临时2班团支部"))
	if p := str(obj(t, r.stdout), "path"); p != college+"/2022级临时2班团支部" {
		t.Errorf("renamed by id: path %q", p)
	}

	// Duplicate name under the same parent: refused, nothing changed.
	before := snapshot(t, h)
	msg := mustRefuse(t, h.as(adminID, "org", "add", "--parent", rootName, "--name", "信息学院团委", "--kind", "团委"))
	if !strings.Contains(msg, "信息学院团委") {
		t.Errorf("duplicate refusal should name the org: %q", msg)
	}
	mustRefuse(t, h.as(adminID, "org", "rename", college+"/2022级临时2班团支部", "--name", "2020级计算机1班团支部"))
	// Other bad input is refused too.
	mustRefuse(t, h.as(adminID, "org", "add", "--parent", rootName, "--name", "某某", "--kind", "团小组"))
	mustRefuse(t, h.as(adminID, "org", "add", "--parent", branch, "--name", "下级团支部", "--kind", "团支部"))
	mustRefuse(t, h.as(adminID, "org", "add", "--parent", rootName+"/不存在学院团委", "--name", "x团支部", "--kind", "团支部"))
	mustRefuse(t, h.as(adminID, "org", "delete", rootName))
	mustRefuse(t, h.as(adminID, "org", "delete", college)) // has child organizations
	if after := snapshot(t, h); after != before {
		t.Errorf("a refused command changed the store:\nbefore %s\nafter %s", before, after)
	}
	// The same name under another parent is fine.
	mustOK(t, h.as(adminID, "org", "add", "--parent", branch2[:strings.LastIndex(branch2, "/")], "--name", "2019级计算机1班团支部", "--kind", "团支部"))

	// Delete an empty branch.
	r = mustOK(t, h.as(adminID, "org", "delete", college+"/2022级临时2班团支部"))
	if o := obj(t, r.stdout); o["deleted"] != true {
		t.Errorf("org delete --json: %v", o)
	}
	for _, o := range arr(t, mustOK(t, h.as(adminID, "org", "list")).stdout) {
		if strings.Contains(str(o, "path"), "临时") {
			t.Errorf("deleted org still listed: %v", o)
		}
	}

	// Another top-level organization (the root's admin only), with its own province.
	r = mustOK(t, h.as(adminID, "org", "add", "--name", "北京某大学团委", "--kind", "团委", "--province", "北京"))
	if o := obj(t, r.stdout); str(o, "path") != "北京某大学团委" || str(o, "province") != "北京" {
		t.Errorf("top-level org: %v", o)
	}

	// R-O4: a branch with members cannot be deleted; the message has the count.
	addMembers(t, h)
	before = snapshot(t, h)
	msg = mustRefuse(t, h.as(adminID, "org", "delete", branch))
	if !regexp.MustCompile(`2\s*名`).MatchString(msg) {
		t.Errorf("R-O4 refusal should give the member count 2: %q", msg)
	}
	if after := snapshot(t, h); after != before {
		t.Errorf("refused delete changed the store")
	}

	// The text table (no --json) is readable Chinese.
	txt := mustOK(t, h.run("org", "list", "--as", adminID))
	if !strings.Contains(txt.stdout, "组织") || !strings.Contains(txt.stdout, "信息学院团委") {
		t.Errorf("org list table: %s", txt.stdout)
	}
}

// R-M1, R-M2, R-X1, R-X2: member add, edit, show, list.
func TestMemberCommands(t *testing.T) {
	h := initStore(t)
	buildTree(t, h)
	addMembers(t, h)

	r := mustOK(t, h.as(adminID, "member", "show", m1ID))
	m := obj(t, r.stdout)
	want := map[string]string{
		"name": "张三", "id_no": m1ID, "gender": "男", "birth": "2002-07-01", "org_path": branch,
		"ethnicity": "汉族", "political": "共青团员", "join_month": "2016-05", "phone": "13800138000", "status": "在团",
	}
	for k, v := range want {
		if str(m, k) != v {
			t.Errorf("member show %s = %q, want %q", k, str(m, k), v)
		}
	}
	if num(m, "age") != 22 { // born 2002-07-01, as of 2025-06-30
		t.Errorf("age = %v, want 22 as of %s", m["age"], testNow)
	}
	// The member carries its organization's full path.
	found := false
	for _, v := range m {
		if v == branch {
			found = true
		}
	}
	if !found {
		t.Errorf("member JSON does not carry the full path %s: %v", branch, m)
	}

	m2 := obj(t, mustOK(t, h.as(adminID, "member", "show", m2ID)).stdout)
	if str(m2, "gender") != "女" || str(m2, "member_no") != "201800000001" {
		t.Errorf("member 2: %v", m2)
	}

	// --now moves the age.
	r = mustOK(t, h.raw("--now", "2025-07-01", "--json", "--db", h.db, "--as", adminID, "member", "show", m1ID))
	if a := num(obj(t, r.stdout), "age"); a != 23 {
		t.Errorf("age with --now 2025-07-01 = %d, want 23", a)
	}

	// Edit.
	r = mustOK(t, h.as(adminID, "member", "edit", m1ID, "--field", "手机号码=13900139000", "--field", "政治面貌=中共预备党员"))
	m = obj(t, r.stdout)
	if str(m, "phone") != "13900139000" || str(m, "political") != "中共预备党员" {
		t.Errorf("member edit result: %v", m)
	}
	m = obj(t, mustOK(t, h.as(adminID, "member", "show", m1ID)).stdout)
	if str(m, "phone") != "13900139000" || str(m, "political") != "中共预备党员" {
		t.Errorf("edit not kept: %v", m)
	}

	// List.
	list := arr(t, mustOK(t, h.as(adminID, "member", "list", "--org", branch)).stdout)
	if len(list) != 2 {
		t.Fatalf("member list: %d members, want 2", len(list))
	}
	for _, x := range list {
		if str(x, "org_path") != branch {
			t.Errorf("listed member lacks the full path: %v", x)
		}
	}
	if l := arr(t, mustOK(t, h.as(adminID, "member", "list", "--org", branch2)).stdout); len(l) != 0 {
		t.Errorf("empty branch lists %d members", len(l))
	}
	if l := arr(t, mustOK(t, h.as(adminID, "member", "list", "--org", college, "--find", "李")).stdout); len(l) != 1 || str(l[0], "id_no") != m2ID {
		t.Errorf("member list --find 李: %v", l)
	}
	if l := arr(t, mustOK(t, h.as(adminID, "member", "list", "--org", college, "--find", m1ID[:10])).stdout); len(l) != 1 || str(l[0], "id_no") != m1ID {
		t.Errorf("member list --find ID prefix: %v", l)
	}
	if l := arr(t, mustOK(t, h.as(adminID, "member", "list", "--org", college, "--find", "201800000001")).stdout); len(l) != 1 || str(l[0], "id_no") != m2ID {
		t.Errorf("member list --find 团员编号: %v", l)
	}

	// R-M2: a final x is upper-cased and spaces dropped; the same number again is a duplicate.
	xID := idWith("33010220020701003")
	if !strings.HasSuffix(xID, "X") {
		t.Fatalf("fixture %s should end in X", xID)
	}
	r = mustOK(t, h.as(adminID, "member", "add", "--org", branch2, "--name", "王小明", "--id", " "+strings.ToLower(xID)+" "))
	if got := str(obj(t, r.stdout), "id_no"); got != xID {
		t.Errorf("stored id_no %q, want %q", got, xID)
	}
	mustOK(t, h.as(adminID, "member", "show", strings.ToLower(xID)))
	mustRefuse(t, h.as(adminID, "member", "add", "--org", branch, "--name", "王小明", "--id", xID))

	// Text output.
	txt := mustOK(t, h.run("member", "list", "--org", branch, "--as", adminID))
	if !strings.Contains(txt.stdout, "张三") || !strings.Contains(txt.stdout, "共 2 人") {
		t.Errorf("member list table: %s", txt.stdout)
	}
	if txt := mustOK(t, h.run("member", "show", m1ID, "--as", adminID)); !strings.Contains(txt.stdout, branch) {
		t.Errorf("member show table lacks the path: %s", txt.stdout)
	}
}

// R-M2, R-M1, R-X1, R-X3: refusals leave the store unchanged.
func TestMemberRefusals(t *testing.T) {
	h := initStore(t)
	buildTree(t, h)
	addMembers(t, h)
	before := snapshot(t, h)

	add := func(name, id string, extra ...string) string {
		t.Helper()
		return mustRefuse(t, h.as(adminID, append([]string{"member", "add", "--org", branch, "--name", name, "--id", id}, extra...)...))
	}
	cases := []struct{ what, id, want string }{
		{"bad check character", badCheck("33010220040101003"), "校验"},
		{"0230 birth date", idWith("33010220020230003"), "出生日期"},
		{"17 characters", idWith("33010220040101003")[:17], "18"},
		{"19 characters", idWith("33010220040101003") + "1", "18"},
		{"15-digit old number", "330102040101003", "15"},
		{"letters inside", "3301022004O101003X", "数字"},
		{"unknown region", idWith("99010220040101003"), "地区"},
		{"born in the future", idWith("33010220300101003"), "出生日期"},
	}
	for _, c := range cases {
		msg := add("王五", c.id)
		if !strings.Contains(msg, c.want) {
			t.Errorf("%s (%s): refusal %q should mention %q", c.what, c.id, msg, c.want)
		}
	}
	// Duplicate 身份证号 (R-X3): says where the member already is.
	if msg := add("张三", m1ID); !strings.Contains(msg, "已注册") {
		t.Errorf("duplicate ID refusal: %q", msg)
	}
	// Empty name.
	if msg := add("", idWith("33010220040101003")); !strings.Contains(msg, "姓名") {
		t.Errorf("empty name refusal: %q", msg)
	}
	add("   ", idWith("33010220040101003"))
	// Duplicate 团员编号 (R-X1), and a missing one for a 2019 joiner.
	add("王五", idWith("33010220040101003"), "--field", "入团年月=2018-06", "--field", "团员编号=201800000001")
	add("王五", idWith("33010220040101003"), "--field", "入团年月=2019-06")
	add("王五", idWith("33010220040101003"), "--field", "入团年月=2019-06", "--field", "团员编号=201800000099")
	// Field values outside the lists (R-X2) and unknown fields.
	add("王五", idWith("33010220040101003"), "--field", "政治面貌=群众")
	add("王五", idWith("33010220040101003"), "--field", "手机号码=12345")
	add("王五", idWith("33010220040101003"), "--field", "爱好=篮球")
	// Members go into a 团支部 only (R-O1).
	mustRefuse(t, h.as(adminID, "member", "add", "--org", college, "--name", "王五", "--id", idWith("33010220040101003")))
	// R-M1: 姓名 and 身份证号 cannot be edited.
	mustRefuse(t, h.as(adminID, "member", "edit", m1ID, "--field", "姓名=张三丰"))
	mustRefuse(t, h.as(adminID, "member", "edit", m1ID, "--field", "身份证号码="+m2ID))
	mustRefuse(t, h.as(adminID, "member", "edit", m1ID, "--field", "手机号码=12345"))
	// Unknown member.
	mustRefuse(t, h.as(adminID, "member", "show", idWith("33010220040101003")))
	mustRefuse(t, h.as(adminID, "member", "list", "--org", rootName+"/不存在"))

	if after := snapshot(t, h); after != before {
		t.Errorf("a refused command changed the store:\nbefore %s\nafter %s", before, after)
	}
}

// Global flags stand before or after the command, as --flag value or --flag=value.
func TestGlobalFlagPlacement(t *testing.T) {
	h := initStore(t)
	buildTree(t, h)
	addMembers(t, h)
	forms := [][]string{
		{"--db", h.db, "--as", adminID, "--now", testNow, "--json", "member", "show", m1ID},
		{"member", "show", m1ID, "--db", h.db, "--as", adminID, "--now", testNow, "--json"},
		{"--json", "member", "--db=" + h.db, "show", "--as=" + adminID, m1ID, "--now=" + testNow},
		{"--db=" + h.db, "member", "show", "--json", m1ID, "--as", adminID, "--now=" + testNow},
	}
	var first string
	for i, args := range forms {
		r := mustOK(t, h.raw(args...))
		obj(t, r.stdout)
		if i == 0 {
			first = r.stdout
		} else if r.stdout != first {
			t.Errorf("form %v gives different output:\n%s\nvs\n%s", args, r.stdout, first)
		}
	}
	// Without --json: a table, not JSON.
	r := mustOK(t, h.raw("--db", h.db, "--as", adminID, "member", "show", m1ID))
	if strings.HasPrefix(strings.TrimSpace(r.stdout), "{") || !strings.Contains(r.stdout, "姓名") {
		t.Errorf("text output: %s", r.stdout)
	}
}

// Exit status 2 for usage errors, 1 for refusals.
func TestExitCodes(t *testing.T) {
	h := initStore(t)
	buildTree(t, h)
	before := snapshot(t, h)

	// Missing --as.
	mustUsage(t, h.run("org", "list"))
	mustUsage(t, h.run("member", "show", m1ID))
	mustUsage(t, h.run("check"))
	// Unknown commands, subcommands and flags.
	mustUsage(t, h.run("frobnicate", "--as", adminID))
	mustUsage(t, h.run("org", "explode", "--as", adminID))
	mustUsage(t, h.run("member", "--as", adminID))
	mustUsage(t, h.run("org", "list", "--bogus", "--as", adminID))
	mustUsage(t, h.run("org", "list", "--bogus=1", "--as", adminID))
	mustUsage(t, h.run("--bogus", "org", "list", "--as", adminID))
	mustUsage(t, h.raw())
	// Missing values and arguments.
	mustUsage(t, h.run("org", "add", "--parent", rootName, "--kind", "团委", "--as", adminID))
	mustUsage(t, h.run("org", "rename", college, "--as", adminID))
	mustUsage(t, h.run("org", "delete", "--as", adminID))
	mustUsage(t, h.run("member", "add", "--org", branch, "--name", "王五", "--as", adminID))
	mustUsage(t, h.run("member", "edit", m1ID, "--as", adminID))
	mustUsage(t, h.run("org", "list", "--as"))
	mustUsage(t, h.run("version", "extra"))
	// A bad --now date.
	mustUsage(t, h.run("org", "list", "--as", adminID, "--now", "2025/06/30"))
	mustUsage(t, h.run("org", "list", "--as", adminID, "--now", "2025-02-30"))

	// Wrong password, unknown account: refused.
	h.env["TUANWU_PASSWORD"] = "wrong-password"
	mustRefuse(t, h.as(adminID, "org", "list"))
	h.env["TUANWU_PASSWORD"] = newPass
	mustRefuse(t, h.as(m1ID, "org", "list"))
	// init on a store that has one.
	mustRefuse(t, h.run("init", "--org", "另一个团委", "--province", "浙江", "--admin-name", adminName, "--admin-id", adminID))
	// init with bad input.
	h2 := newHarness(t)
	mustRefuse(t, h2.run("init", "--org", rootName, "--province", "浙江", "--admin-name", adminName, "--admin-id", badCheck("33010619850315002")))
	mustRefuse(t, h2.run("init", "--org", rootName, "--province", "火星", "--admin-name", adminName, "--admin-id", adminID))
	mustUsage(t, h2.run("init", "--org", rootName, "--province", "浙江", "--admin-name", adminName))
	// A bad --now is a usage error before anything is touched: no store file is created.
	mustUsage(t, h2.run("init", "--org", rootName, "--province", "浙江", "--admin-name", adminName, "--admin-id", adminID, "--now", "2025-13-01"))
	mustUsage(t, h2.raw("version", "--now", "yesterday"))
	if _, err := os.Stat(h2.db); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("refused init or a usage error left a store file behind: %v", err)
	}
	r := h.run("--bogus", "org", "list", "--as", adminID)
	mustUsage(t, r)
	if !strings.Contains(r.stderr, "--bogus") || strings.Contains(r.stderr, "命令。") && !strings.Contains(r.stderr, "参数") {
		t.Errorf("unknown global flag message: %q", r.stderr)
	}

	if after := snapshot(t, h); after != before {
		t.Errorf("a refused command changed the store")
	}
}

// R-O3: org search by text and by province scope, on the demo university;
// member search by name prefix, ID prefix and 团员编号.
func TestDemoSearch(t *testing.T) {
	h := newHarness(t)
	r := mustOK(t, h.run("demo", "--members", "2000", "--with-neighbours", "--json"))
	d := obj(t, r.stdout)
	if str(d, "admin_id") != app.DemoAdminID || num(d, "members") != 2000 {
		t.Fatalf("demo output: %v", d)
	}
	if root, _ := d["org"].(map[string]any); str(root, "path") != "浙江明理大学团委" || num(root, "member_count") != 2000 {
		t.Fatalf("demo root organization: %v", d["org"])
	}
	h.env["TUANWU_PASSWORD"] = app.InitialPassword(app.DemoAdminID)
	mustRefuse(t, h.as(app.DemoAdminID, "org", "list"))
	h.env["TUANWU_NEW_PASSWORD"] = newPass
	mustOK(t, h.run("passwd", "--as", app.DemoAdminID))
	h.env["TUANWU_PASSWORD"] = newPass
	demo := func(args ...string) []map[string]any {
		t.Helper()
		return arr(t, mustOK(t, h.as(app.DemoAdminID, args...)).stdout)
	}

	separate := map[string]bool{"北京": true, "广东": true, "福建": true}
	for _, p := range []string{"北京", "广东", "福建"} {
		got := demo("org", "list", "--find", "研究生团支部", "--province-scope", p)
		if len(got) == 0 {
			t.Errorf("--province-scope %s finds nothing", p)
		}
		for _, o := range got {
			if str(o, "province") != p {
				t.Errorf("--province-scope %s shows %s (%s)", p, str(o, "path"), str(o, "province"))
			}
			if !strings.Contains(str(o, "name"), "研究生团支部") || !strings.Contains(str(o, "path"), "/") {
				t.Errorf("search result without the text or full path: %v", o)
			}
		}
	}
	got := demo("org", "list", "--find", "研究生团支部", "--province-scope", "否")
	if len(got) < 2 {
		t.Errorf("--province-scope 否 finds %d", len(got))
	}
	seen := map[string]bool{}
	for _, o := range got {
		seen[str(o, "province")] = true
		if separate[str(o, "province")] {
			t.Errorf("R-O3: --province-scope 否 shows %s in %s", str(o, "path"), str(o, "province"))
		}
	}
	if !seen["浙江"] || !seen["江苏"] {
		t.Errorf("--province-scope 否 should show 浙江 and 江苏 organizations, saw %v", seen)
	}
	// Scope without text: every organization of that province.
	bj := demo("org", "list", "--province-scope", "北京")
	if len(bj) != 3 {
		t.Errorf("北京 organizations: %d, want 3 (university, college, branch)", len(bj))
	}
	// Text without scope.
	all := demo("org", "list", "--find", "燕园")
	if len(all) != 1 || str(all[0], "path") != "北京燕园科技大学团委" {
		t.Errorf("--find 燕园: %v", all)
	}
	if l := demo("org", "list", "--find", "燕园", "--province-scope", "否"); len(l) != 0 {
		t.Errorf("R-O3: 北京 organization found in the national search: %v", l)
	}
	mustRefuse(t, h.as(app.DemoAdminID, "org", "list", "--province-scope", "上海滩"))

	// Member search.
	root := "浙江明理大学团委"
	members := demo("member", "list", "--org", root)
	if len(members) != 2000 {
		t.Fatalf("member list: %d, want 2000", len(members))
	}
	var pick map[string]any
	for _, m := range members {
		if str(m, "member_no") != "" {
			pick = m
			break
		}
	}
	if pick == nil {
		t.Fatal("no demo member has a 团员编号")
	}
	name, id, no := str(pick, "name"), str(pick, "id_no"), str(pick, "member_no")
	if !strings.HasPrefix(str(pick, "org_path"), root+"/") {
		t.Errorf("member org_path %q is not a full path", str(pick, "org_path"))
	}
	prefix := string([]rune(name)[:1])
	byName := demo("member", "list", "--org", root, "--find", prefix)
	if !containsID(byName, id) {
		t.Errorf("--find %s misses %s", prefix, name)
	}
	for _, m := range byName {
		if !strings.HasPrefix(str(m, "name"), prefix) {
			t.Errorf("--find %s returns %s", prefix, str(m, "name"))
		}
	}
	byID := demo("member", "list", "--org", root, "--find", id[:12])
	if !containsID(byID, id) {
		t.Errorf("--find %s misses %s", id[:12], id)
	}
	for _, m := range byID {
		if !strings.HasPrefix(str(m, "id_no"), id[:12]) && !strings.HasPrefix(str(m, "member_no"), id[:12]) {
			t.Errorf("--find %s returns %s", id[:12], str(m, "id_no"))
		}
	}
	byNo := demo("member", "list", "--org", root, "--find", no)
	if len(byNo) != 1 || str(byNo[0], "id_no") != id {
		t.Errorf("--find 团员编号 %s: %v", no, byNo)
	}
	// Without --org: every member the account manages.
	if l := demo("member", "list", "--find", no); len(l) != 1 {
		t.Errorf("member list --find without --org: %d", len(l))
	}

	// R-O4 on demo data: a branch with members.
	msg := mustRefuse(t, h.as(app.DemoAdminID, "org", "delete", str(pick, "org_path")))
	if !strings.Contains(msg, "名团员") {
		t.Errorf("R-O4 refusal: %q", msg)
	}
}

func containsID(list []map[string]any, id string) bool {
	for _, m := range list {
		if str(m, "id_no") == id {
			return true
		}
	}
	return false
}

// check, version, backup, audit.
func TestCheckVersionBackupAudit(t *testing.T) {
	h := initStore(t)
	buildTree(t, h)
	addMembers(t, h)

	c := obj(t, mustOK(t, h.as(adminID, "check")).stdout)
	if c["ok"] != true {
		t.Errorf("check: %v", c)
	}
	if p, ok := c["problems"].([]any); !ok || len(p) != 0 {
		t.Errorf("check problems: %v", c["problems"])
	}
	if txt := mustOK(t, h.run("check", "--as", adminID)); !strings.Contains(txt.stdout, "检查通过") {
		t.Errorf("check text: %s", txt.stdout)
	}

	// version needs no account.
	v := obj(t, mustOK(t, h.raw("version", "--json")).stdout)
	if str(v, "version") == "" || num(v, "schema") != int64(data.LatestVersion()) {
		t.Errorf("version --json: %v", v)
	}
	v = obj(t, mustOK(t, h.raw("--json", "--db", h.db, "version")).stdout)
	if num(v, "store_schema") != int64(data.LatestVersion()) {
		t.Errorf("version --json with --db: %v", v)
	}
	if txt := mustOK(t, h.raw("version")); !strings.Contains(txt.stdout, app.Version) {
		t.Errorf("version text: %s", txt.stdout)
	}

	// backup --out: a verified copy that opens as a store with the same data.
	out := filepath.Join(t.TempDir(), "backup.db")
	b := obj(t, mustOK(t, h.as(adminID, "backup", "--out", out)).stdout)
	if b["ok"] != true {
		t.Errorf("backup --json: %v", b)
	}
	head := make([]byte, 16)
	f, err := os.Open(out)
	if err != nil {
		t.Fatalf("backup file: %v", err)
	}
	io.ReadFull(f, head)
	f.Close()
	if string(head) != "SQLite format 3\x00" {
		t.Errorf("backup is not SQLite: %q", head)
	}
	orig := mustOK(t, h.as(adminID, "member", "list", "--org", rootName)).stdout
	copyList := mustOK(t, h.raw("member", "list", "--org", rootName, "--db", out, "--as", adminID, "--now", testNow, "--json")).stdout
	if copyList != orig {
		t.Errorf("backup differs from the store:\n%s\nvs\n%s", copyList, orig)
	}
	// An existing file is never overwritten.
	mustRefuse(t, h.as(adminID, "backup", "--out", out))
	mustUsage(t, h.run("backup", "--as", adminID))

	// audit: the trail of what was done.
	entries := arr(t, mustOK(t, h.as(adminID, "audit")).stdout)
	actions := map[string]bool{}
	for _, e := range entries {
		actions[str(e, "action")] = true
	}
	for _, a := range []string{"新增组织", "新增团员", "修改密码"} {
		if !actions[a] {
			t.Errorf("audit lacks %s: %v", a, actions)
		}
	}
	mustOK(t, h.as(adminID, "member", "edit", m1ID, "--field", "QQ=12345678"))
	mine := arr(t, mustOK(t, h.as(adminID, "audit", "--member", m1ID)).stdout)
	if len(mine) == 0 {
		t.Fatal("audit --member is empty")
	}
	if e := mine[0]; str(e, "action") != "修改团员信息" || !strings.Contains(str(e, "after"), "12345678") {
		t.Errorf("audit --member newest entry: %v", e)
	}
	if l := arr(t, mustOK(t, h.as(adminID, "audit", "--since", "2999-01-01")).stdout); len(l) != 0 {
		t.Errorf("audit --since the future: %d entries", len(l))
	}
}

// IsCommand tells a headless run from a window start.
func TestIsCommand(t *testing.T) {
	for _, c := range []struct {
		args []string
		want bool
	}{
		{nil, false},
		{[]string{"--db", "x.db"}, false},
		{[]string{"--db", "x.db", "version"}, true},
		{[]string{"version"}, true},
	} {
		if got := cli.IsCommand(c.args); got != c.want {
			t.Errorf("IsCommand(%q) = %v, want %v", c.args, got, c.want)
		}
	}
}

// --now is the date a command runs as of; it never moves the sign-in lock
// (R-A1): failures made "in 2099" lock the account for minutes, not decades.
func TestNowDoesNotMoveSignInLock(t *testing.T) {
	h := initStore(t)
	h.env["TUANWU_PASSWORD"] = "wrong-password"
	for i := 0; i < 5; i++ {
		mustRefuse(t, h.raw("org", "list", "--db", h.db, "--as", adminID, "--now", "2099-01-01"))
	}
	h.env["TUANWU_PASSWORD"] = newPass
	msg := mustRefuse(t, h.raw("org", "list", "--db", h.db, "--as", adminID))
	m := regexp.MustCompile(`约 (\d+) (秒|分钟)`).FindStringSubmatch(msg)
	if m == nil {
		t.Fatalf("locked account refusal should say how long to wait: %q", msg)
	}
	if m[2] == "分钟" && len(m[1]) > 1 {
		t.Errorf("a lock made with --now 2099-01-01 lasts %s 分钟: %q", m[1], msg)
	}
}

// R-A4: a branch admin acts on its branch only; refusals print nothing on
// stdout. `admin add` is not built yet, so the account is written through
// the store.
func TestBranchAdminRights(t *testing.T) {
	h := initStore(t)
	branchID := buildTree(t, h)
	addMembers(t, h)
	before := snapshot(t, h)

	secID := idWith("33010219900101002")
	st, err := data.Open(h.db)
	if err != nil {
		t.Fatal(err)
	}
	hash, err := app.HashPassword(newPass)
	if err != nil {
		t.Fatal(err)
	}
	err = st.Write(t.Context(), func(tx app.Tx) error {
		if err := tx.InsertAccount(app.Account{IDNo: secID, Name: otherAdmin, PassHash: hash}); err != nil {
			return err
		}
		return tx.InsertAdmin(branchID, secID, time.Now())
	})
	st.Close()
	if err != nil {
		t.Fatal(err)
	}

	// Its own branch: fine.
	if l := arr(t, mustOK(t, h.as(secID, "member", "list", "--org", branch)).stdout); len(l) != 2 {
		t.Errorf("branch admin lists %d members of its branch, want 2", len(l))
	}
	if l := arr(t, mustOK(t, h.as(secID, "member", "list")).stdout); len(l) != 2 {
		t.Errorf("branch admin lists %d members without --org, want 2", len(l))
	}
	if l := arr(t, mustOK(t, h.as(secID, "org", "list")).stdout); len(l) != 1 || str(l[0], "path") != branch {
		t.Errorf("branch admin's org tree: %v", l)
	}
	mustOK(t, h.as(secID, "member", "show", m1ID))
	// Above or beside its branch: refused, nothing printed, nothing changed.
	mustRefuse(t, h.as(secID, "member", "list", "--org", rootName))
	mustRefuse(t, h.raw("member", "list", "--org", rootName, "--db", h.db, "--as", secID)) // text form too
	mustRefuse(t, h.as(secID, "member", "list", "--org", branch2))
	mustRefuse(t, h.as(secID, "org", "add", "--parent", college, "--name", "2024级新1班团支部", "--kind", "团支部"))
	mustRefuse(t, h.as(secID, "org", "add", "--name", "另一个团委", "--kind", "团委", "--province", "浙江"))
	mustRefuse(t, h.as(secID, "org", "rename", college, "--name", "改名学院团委"))
	mustRefuse(t, h.as(secID, "member", "add", "--org", branch2, "--name", "王五", "--id", idWith("33010220040101003")))
	// R-A4: a branch administrator sees the audit trail of its own branch only.
	for _, e := range arr(t, mustOK(t, h.as(secID, "--json", "audit")).stdout) {
		if fmt.Sprint(e["org_id"]) != "3" {
			t.Errorf("branch admin sees an audit entry of another organization: %v", e)
		}
	}
	if after := snapshot(t, h); after != before {
		t.Errorf("a refused command changed the store")
	}
}

// TestNoStoreYet: a command on a store file that does not exist says to run
// init (or demo) first, exits 1 and leaves no file behind.
func TestNoStoreYet(t *testing.T) {
	h := newHarness(t)
	h.env["TUANWU_PASSWORD"] = newPass
	for _, args := range [][]string{{"org", "list"}, {"passwd"}, {"sweep"}, {"member", "show", m1ID}} {
		msg := mustRefuse(t, h.as(adminID, args...))
		if !strings.Contains(msg, "init") || !strings.Contains(msg, "不存在") {
			t.Errorf("%v on a missing store: %q", args, msg)
		}
		if _, err := os.Stat(h.db); !pgtest.OnPG() && !errors.Is(err, os.ErrNotExist) {
			t.Fatalf("%v left a store file behind (%v)", args, err)
		}
	}
}
