package app_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"tuanwu/app"
	"tuanwu/data"
)

// secondDesk returns another service over the fixture's store, opened
// apart as a second desk (or a headless command) would open it, signed in
// as the owner.
func secondDesk(t *testing.T, f *fixture) (*app.Service, *app.Session) {
	t.Helper()
	// On PostgreSQL, Path is the URL without the password, which the
	// test server's PGPASSWORD supplies (pgtest).
	st, err := data.Open(f.store.Path())
	if err != nil {
		t.Fatalf("open the store a second time: %v", err)
	}
	t.Cleanup(func() { st.Close() })
	svc := app.NewService(st)
	svc.Now = func() time.Time { return *f.clock }
	ss, err := svc.SignIn(context.Background(), adminID, adminNewPass)
	if err != nil {
		t.Fatalf("second desk sign in: %v", err)
	}
	return svc, ss
}

func auditHead(t *testing.T, svc *app.Service) int64 {
	t.Helper()
	mark, err := svc.ChangeMark(context.Background())
	if err != nil {
		t.Fatalf("ChangeMark: %v", err)
	}
	return mark
}

// Issue 14 item 3: the change mark moves with every write of any desk and
// stays put while nothing is written.
func TestChangeMark_Issue14_3(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	other, oss := secondDesk(t, f)
	mark := auditHead(t, f.svc)
	if mark == 0 {
		t.Fatal("the fixture wrote audit entries; the mark is 0")
	}
	steps := []struct {
		name    string
		do      func() error
		changed bool
	}{
		{"a read changes nothing", func() error { _, err := other.Org(ctx, oss, f.branchA1.ID); return err }, false},
		{"another desk adds a member", func() error {
			_, err := other.AddMember(ctx, oss, member(f.branchA1.ID, "王小红", idOf(t, "33010220050315002"), "2019-05", "201900000001"))
			return err
		}, true},
		{"a refused change writes nothing", func() error {
			_, err := other.AddMember(ctx, oss, member(f.branchA1.ID, "王小红", idOf(t, "33010220050315002"), "2019-05", "201900000001"))
			if app.ErrorCode(err) != app.EConflict {
				return err
			}
			return nil
		}, false},
		{"another desk renames an organization", func() error {
			_, err := other.RenameOrg(ctx, oss, f.branchA2.ID, "2023级软件工程2班团支部")
			return err
		}, true},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			if err := st.do(); err != nil {
				t.Fatal(err)
			}
			got, changed, err := f.svc.Changed(ctx, mark)
			if err != nil {
				t.Fatal(err)
			}
			if changed != st.changed {
				t.Fatalf("Changed(%d) = %d, %v; want changed %v", mark, got, changed, st.changed)
			}
			mark = got
		})
	}
}

// Issue 14 item 3: a form's save is checked against the version of the
// record it loaded; a stale save is refused with 这条记录已被他人修改 and
// writes nothing; the headless path (no version) still wins last.
func TestEditMemberAt_StaleRefused_Issue14_3(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	other, oss := secondDesk(t, f)
	id := idOf(t, "33010220050315002")
	f.addMember(t, f.owner, member(f.branchA1.ID, "王小红", id, "2019-05", "201900000001"))
	load := func() app.Member {
		m, err := f.svc.Member(ctx, f.owner, id)
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	tests := []struct {
		name      string
		meanwhile func() error // what the other desk does after the form loaded
		fields    map[string]string
		noVersion bool // the headless path
		wantStale bool
		wantPhone string
	}{
		{"unchanged record saves", nil, map[string]string{"手机号码": "13900000001"}, false, false, "13900000001"},
		{"edited by another desk: refused", func() error {
			_, err := other.EditMember(ctx, oss, id, map[string]string{"手机号码": "13900000002"})
			return err
		}, map[string]string{"手机号码": "13900000003"}, false, true, "13900000002"},
		{"status changed by another desk: refused", func() error {
			_, err := other.EditMember(ctx, oss, id, map[string]string{"QQ": "123456"})
			return err
		}, map[string]string{"文化程度": "普通本科在读"}, false, true, "13900000002"},
		{"another member added meanwhile: not stale", func() error {
			_, err := other.AddMember(ctx, oss, member(f.branchA1.ID, "王大明", idOf(t, "33010220050315003"), "2019-05", "201900000002"))
			return err
		}, map[string]string{"手机号码": "13900000004"}, false, false, "13900000004"},
		{"organization renamed meanwhile: not stale", func() error {
			_, err := other.RenameOrg(ctx, oss, f.branchA1.ID, "2023级计算机2班团支部")
			return err
		}, map[string]string{"手机号码": "13900000005"}, false, false, "13900000005"},
		{"headless: no version, last write wins", func() error {
			_, err := other.EditMember(ctx, oss, id, map[string]string{"手机号码": "13900000006"})
			return err
		}, map[string]string{"手机号码": "13900000007"}, true, false, "13900000007"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			*f.clock = f.clock.Add(time.Minute)
			form := load()
			v := app.MemberVersion(form)
			if tc.meanwhile != nil {
				if err := tc.meanwhile(); err != nil {
					t.Fatal(err)
				}
			}
			head := auditHead(t, f.svc)
			if tc.noVersion {
				v = ""
			}
			_, err := f.svc.EditMemberAt(ctx, f.owner, id, v, tc.fields)
			if tc.wantStale {
				wantCode(t, "stale save", err, app.EConflict)
				if !app.IsStale(err) {
					t.Fatalf("IsStale(%v) = false", err)
				}
				wantMsg(t, "stale save", err, "这条记录已被他人修改，请刷新后再改。", "周明远", "修改团员信息", f.clock.Format("15:04"))
				if h := auditHead(t, f.svc); h != head {
					t.Errorf("audit head %d → %d: a refused save wrote", head, h)
				}
			} else if err != nil {
				t.Fatalf("EditMemberAt: %v", err)
			}
			if got := load().Phone; got != tc.wantPhone {
				t.Errorf("phone = %q, want %q", got, tc.wantPhone)
			}
		})
	}
	f.problems(t)
}

// Issue 14 item 3: the organization's rename form is checked the same way;
// a changed count (members added) does not make it stale.
func TestRenameOrgAt_StaleRefused_Issue14_3(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	other, oss := secondDesk(t, f)
	tests := []struct {
		name      string
		meanwhile func() error
		newName   string
		wantStale bool
		wantName  string
	}{
		{"unchanged", nil, "2023级经济学2班团支部", false, "2023级经济学2班团支部"},
		{"renamed by another desk: refused", func() error {
			_, err := other.RenameOrg(ctx, oss, f.branch.ID, "2023级经济学3班团支部")
			return err
		}, "2023级经济学4班团支部", true, "2023级经济学3班团支部"},
		{"a member added: not stale", func() error {
			_, err := other.AddMember(ctx, oss, member(f.branch.ID, "李四", idOf(t, "33010220050315004"), "2019-05", "201900000004"))
			return err
		}, "2023级经济学5班团支部", false, "2023级经济学5班团支部"},
		{"the parent renamed: not stale", func() error {
			_, err := other.RenameOrg(ctx, oss, f.colB.ID, "经济与管理学院团委")
			return err
		}, "2023级经济学6班团支部", false, "2023级经济学6班团支部"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			o, err := f.svc.Org(ctx, f.owner, f.branch.ID)
			if err != nil {
				t.Fatal(err)
			}
			v := app.OrgVersion(o)
			if tc.meanwhile != nil {
				if err := tc.meanwhile(); err != nil {
					t.Fatal(err)
				}
			}
			head := auditHead(t, f.svc)
			_, err = f.svc.RenameOrgAt(ctx, f.owner, o.ID, v, tc.newName)
			if tc.wantStale {
				if !app.IsStale(err) {
					t.Fatalf("RenameOrgAt = %v, want stale", err)
				}
				wantMsg(t, "stale rename", err, "这条记录已被他人修改，请刷新后再改。", "修改组织名称")
				if strings.Contains(app.ErrorMessage(err), "新增团员") {
					t.Errorf("message names a member's entry: %q", app.ErrorMessage(err))
				}
				if h := auditHead(t, f.svc); h != head {
					t.Errorf("audit head %d → %d: a refused save wrote", head, h)
				}
			} else if err != nil {
				t.Fatalf("RenameOrgAt: %v", err)
			}
			got, _ := f.svc.Org(ctx, f.owner, f.branch.ID)
			if got.Name != tc.wantName {
				t.Errorf("name = %q, want %q", got.Name, tc.wantName)
			}
		})
	}
}

// Issue 14 item 3: the cadre form (修改任职) is checked the same way; the
// headless path (no version) is not.
func TestEditCadre_StaleRefused_Issue14_3(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	other, oss := secondDesk(t, f)
	id := idOf(t, "33010219900101001")
	c, err := f.svc.AddCadre(ctx, f.owner, app.CadreInput{OrgID: f.colA.ID, IDNo: id, Name: "赵六", Post: "书记", Nature: "专职", PostSince: "2024-09"})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name      string
		meanwhile func() error
		since     string
		headless  bool
		wantStale bool
		want      string
	}{
		{"unchanged", nil, "2024-10", false, false, "2024-10"},
		{"edited by another desk: refused", func() error {
			_, err := other.EditCadre(ctx, oss, c.ID, app.CadreInput{Post: "书记", Nature: "兼职", PostSince: "2024-11"})
			return err
		}, "2024-12", false, true, "2024-11"},
		{"headless: last write wins", func() error {
			_, err := other.EditCadre(ctx, oss, c.ID, app.CadreInput{Post: "书记", Nature: "兼职", PostSince: "2025-01"})
			return err
		}, "2025-02", true, false, "2025-02"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			list, err := f.svc.Cadres(ctx, f.owner, f.colA.ID)
			if err != nil || len(list) == 0 {
				t.Fatalf("cadres = %v, %v", list, err)
			}
			in := app.CadreInput{Post: "书记", Nature: "兼职", PostSince: tc.since, Version: app.CadreVersion(list[0])}
			if tc.headless {
				in.Version = ""
			}
			if tc.meanwhile != nil {
				if err := tc.meanwhile(); err != nil {
					t.Fatal(err)
				}
			}
			head := auditHead(t, f.svc)
			_, err = f.svc.EditCadre(ctx, f.owner, c.ID, in)
			if tc.wantStale {
				if !app.IsStale(err) {
					t.Fatalf("EditCadre = %v, want stale", err)
				}
				if h := auditHead(t, f.svc); h != head {
					t.Errorf("audit head %d → %d", head, h)
				}
			} else if err != nil {
				t.Fatal(err)
			}
			list, _ = f.svc.Cadres(ctx, f.owner, f.colA.ID)
			if list[0].PostSince != tc.want {
				t.Errorf("任现职年月 = %q, want %q", list[0].PostSince, tc.want)
			}
		})
	}
}
