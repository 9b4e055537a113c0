package xlsx_test

import (
	"bytes"
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"tuanwu/app"
	"tuanwu/data"
	"tuanwu/data/xlsx"
)

// The use cases of the import (app.Service.CheckImport and ImportMembers)
// on a real SQLite store, fed by ReadMembers as the window and the headless
// command feed them.

const (
	ownerID   = "330106198805120015"
	ownerPass = "Tuanwu#2025"
)

// store is a fresh store with a root, a college and two branches.
type store struct {
	svc             *app.Service
	st              *data.Store
	owner           *app.Session
	root, college   app.Org
	branch, branch2 app.Org
}

func newStore(t *testing.T) *store {
	t.Helper()
	ctx := context.Background()
	st, err := data.Open(filepath.Join(t.TempDir(), "tuanwu.db"))
	if err != nil {
		t.Fatalf("data.Open: %v", err)
	}
	t.Cleanup(func() { st.Close() })
	svc := app.NewService(st)
	svc.Now = func() time.Time { return testNow }
	s := &store{svc: svc, st: st}
	if s.root, err = svc.Init(ctx, app.InitInput{OrgName: "浙江明理大学团委", Province: "浙江", AdminName: "周明远", AdminID: ownerID}); err != nil {
		t.Fatalf("Init: %v", err)
	}
	ss, err := svc.SignIn(ctx, ownerID, app.InitialPassword(ownerID))
	if app.ErrorCode(err) != app.EMustChange {
		t.Fatalf("SignIn: %v", err)
	}
	if err := svc.ChangePassword(ctx, ss, app.InitialPassword(ownerID), ownerPass); err != nil {
		t.Fatalf("ChangePassword: %v", err)
	}
	s.owner = ss
	add := func(parent app.Org, name, kind string) app.Org {
		o, _, err := svc.AddOrg(ctx, ss, app.NewOrg{ParentID: parent.ID, Name: name, Kind: kind})
		if err != nil {
			t.Fatalf("AddOrg %s: %v", name, err)
		}
		return o
	}
	s.college = add(s.root, "信息学院团委", app.KindCommittee)
	s.branch = add(s.college, "2025级计算机1班团支部", app.KindBranch)
	s.branch2 = add(s.college, "2025级软件工程1班团支部", app.KindBranch)
	return s
}

func (s *store) count(t *testing.T, orgID int64) int {
	t.Helper()
	n, err := s.svc.CountMembers(context.Background(), s.owner, app.MemberQuery{OrgID: orgID})
	if err != nil {
		t.Fatalf("CountMembers: %v", err)
	}
	return n
}

func (s *store) audits(t *testing.T, action string) []app.AuditEntry {
	t.Helper()
	all, err := s.svc.Audit(context.Background(), s.owner, app.AuditFilter{})
	if err != nil {
		t.Fatalf("Audit: %v", err)
	}
	var out []app.AuditEntry
	for _, e := range all {
		if e.Action == action {
			out = append(out, e)
		}
	}
	return out
}

func (s *store) healthy(t *testing.T) {
	t.Helper()
	p, err := s.st.Check(context.Background())
	if err != nil || len(p) != 0 {
		t.Fatalf("store check: %q, %v", p, err)
	}
}

// readFile reads members written as a filled template.
func readFile(t *testing.T, ms []app.Member) []app.ImportRow {
	t.Helper()
	rows, err := xlsx.ReadMembers(bytes.NewReader(filledTemplate(t, ms, "")), testNow)
	if err != nil {
		t.Fatalf("ReadMembers: %v", err)
	}
	return rows
}

func problems(rows []app.ImportRow) map[int]string {
	out := map[int]string{}
	for _, r := range rows {
		if !r.OK() {
			out[r.Row] = strings.Join(r.Problems, " | ")
		}
	}
	return out
}

// R-X3, R-X1: CheckImport finds IDs already registered (with where they
// are, offering a transfer in) and 团员编号 already used; it changes neither
// the store nor the caller's rows.
func TestCheckImport_Registered_R_X3(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	ms := genMembers(6, 21)
	elsewhere, here, numbered := ms[0], ms[1], ms[2]
	for _, m := range []struct {
		m   app.Member
		org app.Org
	}{{elsewhere, s.branch2}, {here, s.branch}, {numbered, s.branch2}} {
		m.m.OrgID = m.org.ID
		if _, err := s.svc.AddMember(ctx, s.owner, m.m); err != nil {
			t.Fatalf("AddMember: %v", err)
		}
	}
	sameNo := ms[3]
	sameNo.MemberNo, sameNo.JoinMonth = numbered.MemberNo, numbered.JoinMonth
	rows := readFile(t, []app.Member{elsewhere, here, sameNo, ms[4], ms[5]})
	before := problems(rows)
	if len(before) != 0 {
		t.Fatalf("file problems before the store check: %v", before)
	}
	checked, err := s.svc.CheckImport(ctx, s.owner, s.branch.ID, rows)
	if err != nil {
		t.Fatalf("CheckImport: %v", err)
	}
	got := problems(checked)
	want := map[int][]string{
		2: {"已注册", elsewhere.Name, "2025级软件工程1班团支部", "办理组织关系转入"},
		3: {"已注册", "已在本团支部", "不需要再导入"},
		4: {"团员编号 " + numbered.MemberNo + " 已被", numbered.Name},
	}
	if len(got) != len(want) {
		t.Errorf("rows with problems = %v, want rows 2, 3, 4", got)
	}
	for row, parts := range want {
		for _, p := range parts {
			if !strings.Contains(got[row], p) {
				t.Errorf("row %d problems %q do not contain %q", row, got[row], p)
			}
		}
	}
	if e := checked[0].Existing; e != s.branch2.FullName {
		t.Errorf("row 2 Existing = %q, want %q", e, s.branch2.FullName)
	}
	if checked[4].Existing != "" || !checked[4].OK() {
		t.Errorf("row 6 = %+v, want a new member without problems", checked[4])
	}
	if len(problems(rows)) != 0 || rows[0].Existing != "" {
		t.Error("CheckImport changed the caller's rows")
	}
	if n := s.count(t, s.branch.ID); n != 1 {
		t.Errorf("branch has %d members after CheckImport, want 1", n)
	}

	// A store with many members compared with the rows is asked row by
	// row instead of read whole: the answers are the same.
	more := genMembers(60, 27)
	if _, err := s.svc.ImportMembers(ctx, s.owner, s.branch2.ID, readFile(t, more), false, nil); err != nil {
		t.Fatal(err)
	}
	one, err := s.svc.CheckImport(ctx, s.owner, s.branch.ID, readFile(t, []app.Member{more[40], sameNo}))
	if err != nil {
		t.Fatal(err)
	}
	if p := strings.Join(one[0].Problems, ""); one[0].Existing != s.branch2.FullName || !strings.Contains(p, "已注册") || !strings.Contains(p, "办理组织关系转入") {
		t.Errorf("row looked up one by one: %+v", one[0])
	}
	if p := strings.Join(one[1].Problems, ""); !strings.Contains(p, "团员编号 "+numbered.MemberNo+" 已被") {
		t.Errorf("团员编号 looked up one by one: %q", one[1].Problems)
	}
	_, err = s.svc.ImportMembers(ctx, s.owner, s.branch.ID, readFile(t, []app.Member{more[41]}), false, nil)
	if app.ErrorCode(err) != app.EConflict {
		t.Errorf("ImportMembers of a registered member, looked up: %v, want EConflict", err)
	}
}

// R-M4: a file with bad rows imports nothing unless the user chooses to
// skip them; then the good rows land in one transaction with one audit entry.
func TestImportMembers_BadRows_R_M4(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	ms := genMembers(8, 22)
	bad := ms[5]
	bad.IDNo = bad.IDNo[:17] + map[bool]string{true: "0", false: "1"}[bad.IDNo[17] != '0'] // wrong check character
	dup := ms[6]
	dup.IDNo = ms[0].IDNo
	rows := readFile(t, []app.Member{ms[0], ms[1], ms[2], ms[3], ms[4], bad, dup, ms[7]})
	rows, err := s.svc.CheckImport(ctx, s.owner, s.branch.ID, rows)
	if err != nil {
		t.Fatal(err)
	}
	if p := problems(rows); len(p) != 2 {
		t.Fatalf("problems = %v, want rows 7 and 8", p)
	}

	_, err = s.svc.ImportMembers(ctx, s.owner, s.branch.ID, rows, false, nil)
	if app.ErrorCode(err) != app.EConflict || !strings.Contains(app.ErrorMessage(err), "有 2 行有问题") ||
		!strings.Contains(app.ErrorMessage(err), "都没有导入") {
		t.Fatalf("ImportMembers without skipping = %v, want EConflict saying 2 bad rows and nothing imported", err)
	}
	if n := s.count(t, s.branch.ID); n != 0 {
		t.Fatalf("%d members imported from a file with errors, want 0", n)
	}
	if a := s.audits(t, "导入团员"); len(a) != 0 {
		t.Fatalf("audit entries after a refused import: %+v", a)
	}

	var calls [][2]int
	res, err := s.svc.ImportMembers(ctx, s.owner, s.branch.ID, rows, true, func(done, total int) { calls = append(calls, [2]int{done, total}) })
	if err != nil {
		t.Fatalf("ImportMembers skipping bad rows: %v", err)
	}
	if res != (app.ImportResult{Imported: 6, Skipped: 2}) {
		t.Errorf("result = %+v, want 6 imported, 2 skipped", res)
	}
	if len(calls) != 1 || calls[0] != [2]int{6, 6} {
		t.Errorf("progress calls = %v, want [[6 6]]", calls)
	}
	if n := s.count(t, s.branch.ID); n != 6 {
		t.Errorf("branch has %d members, want 6", n)
	}
	m, err := s.svc.Member(ctx, s.owner, ms[7].IDNo)
	if err != nil || m.OrgID != s.branch.ID || m.Name != ms[7].Name || m.MemberNo != ms[7].MemberNo || m.Status != app.StatusActive ||
		!m.CreatedAt.Equal(testNow) {
		t.Errorf("imported member = %+v, %v", m, err)
	}
	a := s.audits(t, "导入团员")
	if len(a) != 1 || a[0].OrgID != s.branch.ID || !strings.Contains(a[0].After, "导入 6 名团员") || !strings.Contains(a[0].After, "跳过 2 行") ||
		a[0].Actor != ownerID {
		t.Errorf("audit = %+v, want one entry summarising the import", a)
	}
	s.healthy(t)

	// R-X3: importing the same file again finds every member registered.
	again, err := s.svc.CheckImport(ctx, s.owner, s.branch.ID, readFile(t, ms[:3]))
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range again {
		if r.OK() || !strings.Contains(strings.Join(r.Problems, ""), "已注册") {
			t.Errorf("row %d after import: %q, want 已注册", r.Row, r.Problems)
		}
	}
}

// R-X3: ImportMembers checks the store again inside its transaction: a
// member entered between the preview and the import stops the import.
func TestImportMembers_RechecksStore_R_X3(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	ms := genMembers(4, 23)
	rows, err := s.svc.CheckImport(ctx, s.owner, s.branch.ID, readFile(t, ms))
	if err != nil || len(problems(rows)) != 0 {
		t.Fatalf("CheckImport: %v, %v", problems(rows), err)
	}
	late := ms[2]
	late.OrgID = s.branch2.ID
	if _, err := s.svc.AddMember(ctx, s.owner, late); err != nil {
		t.Fatal(err)
	}
	_, err = s.svc.ImportMembers(ctx, s.owner, s.branch.ID, rows, false, nil)
	if app.ErrorCode(err) != app.EConflict || !strings.Contains(app.ErrorMessage(err), "有 1 行有问题") {
		t.Fatalf("ImportMembers = %v, want EConflict for 1 row", err)
	}
	if n := s.count(t, s.branch.ID); n != 0 {
		t.Fatalf("%d members imported, want 0", n)
	}
	res, err := s.svc.ImportMembers(ctx, s.owner, s.branch.ID, rows, true, nil)
	if err != nil || res != (app.ImportResult{Imported: 3, Skipped: 1}) {
		t.Fatalf("ImportMembers skipping = %+v, %v", res, err)
	}
	if m, _ := s.svc.Member(ctx, s.owner, late.IDNo); m.OrgID != s.branch2.ID {
		t.Errorf("the member entered meanwhile moved to %d", m.OrgID)
	}
	s.healthy(t)
}

// R-M2, R-X1, R-X2: rows handed to ImportMembers are validated again, and
// duplicates among them found, whatever happened to them since reading.
func TestImportMembers_RevalidatesRows_R_M2(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	ms := genMembers(5, 24)
	rows := readFile(t, ms)
	rows[1].Member.IDNo = "330102200503150000" // changed after reading: invalid
	rows[3].Member.IDNo = rows[0].Member.IDNo  // a duplicate
	rows[4].Member.MemberNo = "199"            // R-X1: joined 2017 or later, so 12 digits
	_, err := s.svc.ImportMembers(ctx, s.owner, s.branch.ID, rows, false, nil)
	if app.ErrorCode(err) != app.EConflict || !strings.Contains(app.ErrorMessage(err), "有 3 行有问题") {
		t.Fatalf("ImportMembers = %v, want EConflict for 3 rows", err)
	}
	res, err := s.svc.ImportMembers(ctx, s.owner, s.branch.ID, rows, true, nil)
	if err != nil || res != (app.ImportResult{Imported: 2, Skipped: 3}) {
		t.Fatalf("ImportMembers skipping = %+v, %v", res, err)
	}
	s.healthy(t)
}

// R-O1, R-A4: only a 团支部 the session manages takes an import.
func TestImportMembers_Target_R_A4(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	rows := readFile(t, genMembers(2, 25))
	outsider := &app.Session{Account: app.Account{IDNo: "330102199001010011", Name: "别的支部书记"}, Orgs: []app.Org{s.branch2}}
	tests := []struct {
		name string
		ss   *app.Session
		org  int64
		code app.Code
	}{
		{"a committee, not a branch", s.owner, s.college.ID, app.EConflict},
		{"R-A4 another branch's admin", outsider, s.branch.ID, app.EForbidden},
		{"no session", nil, s.branch.ID, app.EUnauthorized},
		{"no such organization", s.owner, 9999, app.ENotFound},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := s.svc.CheckImport(ctx, tc.ss, tc.org, rows)
			if app.ErrorCode(err) != tc.code {
				t.Errorf("CheckImport = %v, want %s", err, tc.code)
			}
			_, err = s.svc.ImportMembers(ctx, tc.ss, tc.org, rows, true, nil)
			if app.ErrorCode(err) != tc.code {
				t.Errorf("ImportMembers = %v, want %s", err, tc.code)
			}
		})
	}
	if _, err := s.svc.ImportMembers(ctx, s.owner, s.branch.ID, nil, true, nil); app.ErrorCode(err) != app.EInvalid {
		t.Errorf("ImportMembers of no rows = %v, want EInvalid", err)
	}
	if n := s.count(t, 0); n != 0 {
		t.Errorf("%d members after refused imports", n)
	}
}

// R-M4: a large import runs in batches with progress, in one transaction:
// stopping it midway leaves nothing half-written.
func TestImportMembers_OneTransaction_R_M4(t *testing.T) {
	s := newStore(t)
	ms := genMembers(3500, 26)
	rows := readFile(t, ms)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	_, err := s.svc.ImportMembers(ctx, s.owner, s.branch.ID, rows, false, func(done, total int) {
		if done >= 2000 {
			cancel() // the user closes the progress dialog
		}
	})
	if err == nil {
		t.Fatal("ImportMembers after cancel: no error")
	}
	if n := s.count(t, 0); n != 0 {
		t.Fatalf("%d members written by a stopped import, want 0", n)
	}
	var calls []int
	res, err := s.svc.ImportMembers(context.Background(), s.owner, s.branch.ID, rows, false, func(done, total int) {
		if total != len(ms) {
			t.Errorf("progress total %d, want %d", total, len(ms))
		}
		calls = append(calls, done)
	})
	if err != nil || res.Imported != len(ms) || res.Skipped != 0 {
		t.Fatalf("ImportMembers = %+v, %v", res, err)
	}
	if want := []int{1000, 2000, 3000, 3500}; !slices.Equal(calls, want) {
		t.Errorf("progress = %v, want %v", calls, want)
	}
	if n := s.count(t, s.branch.ID); n != len(ms) {
		t.Errorf("branch has %d members, want %d", n, len(ms))
	}
	if n := s.count(t, s.college.ID); n != len(ms) {
		t.Errorf("college counts %d members, want %d", n, len(ms))
	}
	s.healthy(t)
}
