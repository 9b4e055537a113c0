package ui

import (
	"context"
	"flag"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"tuanwu/app"
	"tuanwu/assets"
)

var guideShots = flag.Bool("guide-shots", false, "write the screenshots of 帮助 → 使用说明 into assets/guide from the current screens")

// lightTheme is the theme in the light variant, as most office desktops are.
type lightTheme struct{ fyne.Theme }

func (t lightTheme) Color(n fyne.ThemeColorName, _ fyne.ThemeVariant) color.Color {
	return t.Theme.Color(n, theme.VariantLight)
}

// Issue 11 (使用说明): every screenshot the guide names is embedded and
// decodes, the guide covers the annual cycle in order and explains where
// every kind of notice of 操作中心 leads.
func TestGuideCoversTheCycle(t *testing.T) {
	chapters := guideChapters()
	var all strings.Builder
	var titles []string
	for _, c := range chapters {
		titles = append(titles, c.title)
		for _, b := range c.blocks {
			all.WriteString(b.heading + b.text + "\n")
			if b.image == "" {
				continue
			}
			res, err := assets.GuideImage(b.image)
			if err != nil {
				t.Fatalf("chapter %s: %v", c.title, err)
			}
			cfg, err := png.DecodeConfig(strings.NewReader(string(res.Content())))
			if err != nil || cfg.Width < 600 {
				t.Fatalf("chapter %s: %s is not a readable screenshot (%v, %d px)", c.title, b.image, err, cfg.Width)
			}
		}
	}
	// The annual cycle in the order of the notice.
	at := -1
	for _, step := range []string{"标记毕业时间", "延迟毕业团员和教师", "办理转出", "审批", "删除空支部", "新生转入"} {
		i := -1
		for j, title := range titles {
			if strings.Contains(title, step) {
				i = j
			}
		}
		if i <= at {
			t.Fatalf("the guide must take the annual cycle in order: %q missing or out of order in %v", step, titles)
		}
		at = i
	}
	for _, kind := range []string{app.NoticeApprove, app.NoticeOverdue, app.NoticeAssign, app.NoticeKeep, app.NoticeKeepOver,
		app.NoticeLate, app.NoticeUnmarked, app.NoticeMine, app.NoticeOutside, app.NoticeIncomplete} {
		if !strings.Contains(all.String(), kind+"：") && !strings.Contains(all.String(), kind+"、") {
			t.Errorf("the guide does not say where the notice %q leads", kind)
		}
	}
	// Names of things the clerk sees as such (QQ, Excel, PDF, the Esc key) are allowed.
	for _, w := range regexp.MustCompile(`[A-Za-z]{2,}`).FindAllString(all.String(), -1) {
		if w != "QQ" && w != "Excel" && w != "PDF" && w != "Esc" {
			t.Errorf("the guide has the Latin word %q", w)
		}
	}
}

// Issue 11: 帮助 → 使用说明 opens inside the window, fits it and turns pages.
func TestGuideOpensFromTheHelpMenu(t *testing.T) {
	u := newTestUI(t)
	initStore(t, u)
	signIn(t, u)
	var item *fyne.MenuItem
	for _, m := range u.Win.MainMenu().Items {
		if m.Label == "帮助" {
			for _, it := range m.Items {
				if it.Label == guideMenu {
					item = it
				}
			}
		}
	}
	if item == nil {
		t.Fatal("帮助 has no 使用说明")
	}
	item.Action()
	u.Win.Resize(fyne.NewSize(1024, 700))
	checkFits(t, u.Win, "使用说明", "关闭")
	g := u.guide
	if g == nil {
		t.Fatal("使用说明 did not open")
	}
	for i := range g.chapters {
		g.list.Select(i)
		title := g.body.Objects[0].(*widget.Label).Text
		if title != g.chapters[i].title {
			t.Fatalf("page %d shows %q", i, title)
		}
	}
}

// TestGuideScreens makes the guide's screenshots from the current screens
// (run with -guide-shots after a change to a screen the guide shows).
func TestGuideScreens(t *testing.T) {
	if !*guideShots {
		t.Skip("run with -guide-shots to remake assets/guide/*.png")
	}
	u := demoUI(t)
	withCodecs(u)
	u.App.Settings().SetTheme(lightTheme{NewTheme()})
	u.Win.Resize(fyne.NewSize(1024, 700))
	// Sign in again, so that every screen is built in the light colours.
	u.showLogin(app.DemoAdminID, "")
	test.Type(u.login.password, demoPW)
	test.Tap(u.login.login)
	dir := filepath.Join("..", "assets", "guide")
	save := func(name string, c fyne.Canvas) {
		t.Helper()
		f, err := os.Create(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if err := png.Encode(f, c.Capture()); err != nil {
			t.Fatal(err)
		}
		if err := f.Close(); err != nil {
			t.Fatal(err)
		}
	}
	hideOverlays := func() {
		for _, o := range u.Win.Canvas().Overlays().List() {
			u.Win.Canvas().Overlays().Remove(o)
		}
	}
	ctx := context.Background()
	hideOverlays()

	// A branch of graduates, with its members.
	gs := graduates(t, u)
	branch, err := u.svc.Org(ctx, u.sess, gs[0].OrgID)
	if err != nil {
		t.Fatal(err)
	}
	if branch.GradMonth == "" {
		if _, err := u.svc.MarkGraduation(ctx, u.sess, app.GradMark{OrgIDs: []int64{branch.ID}, Month: "2028-06"}); err != nil {
			t.Fatal(err)
		}
		if branch, err = u.svc.Org(ctx, u.sess, branch.ID); err != nil {
			t.Fatal(err)
		}
	}
	u.main.tree.selectOrg(branch)
	p := u.main.page
	p.tabs.Select(p.memberTab)
	save("main.png", u.Win.Canvas())

	if branch.GradMonth != "" {
		showMarksDialog(p.members)
		save("marks.png", u.Win.Canvas())
		hideOverlays()
	} else {
		t.Errorf("the graduates' branch %s has no graduation time: no marks.png", branch.Name)
	}

	// 办理转出 of the two graduates to a college of another university
	// (submitted, so that 操作中心 and the approval list have work).
	tf := showStartTransfer(u, gs)
	fillStudy(t, tf.fields, "北京", "计算机学院", bjCommittee)
	save("transfer.png", u.Win.Canvas())
	test.Tap(tf.submit)
	if len(tf.result) != 2 {
		t.Fatalf("transfer not started: %s", tf.msg.Text)
	}
	hideOverlays()

	// The college: 标记毕业时间 with the unmarked branches ticked.
	college, err := u.svc.Org(ctx, u.sess, branch.ParentID)
	if err != nil {
		t.Fatal(err)
	}
	u.main.tree.selectOrg(college)
	p.tabs.Select(p.childTab)
	p.children.onGradUnmarked()
	save("grad.png", u.Win.Canvas())
	hideOverlays()

	// An import of a filled template with two bad rows.
	path := writeImportFile(t, "新生名单.xlsx", [][]any{
		{"王小明", fixCheck("33010220060506001"), "汉族", "共青团员", "普通本科在读", "2021-05", "否", "13800000001", "", "", "", "202100000101"},
		{"李晓雨", fixCheck("33010220060812002"), "汉族", "共青团员", "普通本科在读", "2020-11", "否", "13800000002", "", "", "", "202000000102"},
		{"赵六", badCheck, "汉族", "共青团员", "普通本科在读", "2021-04", "否", "13800000003", "", "", "", "202100000103"},
		{"陈思远", fixCheck("33010220070101003"), "回族", "团员", "普通本科在读", "2022-05", "否", "13800000004", "", "", "", "202200000104"},
		{"周文", fixCheck("33010220061120004"), "汉族", "共青团员", "普通本科在读", "2021-10", "否", "13800000005", "", "", "", ""},
		{"孙悦", fixCheck("33010220060303005"), "汉族", "共青团员", "普通本科在读", "2021-06", "否", "13800000006", "", "", "", "202100000106"},
	})
	u.main.tree.selectOrg(branch)
	p.tabs.Select(p.memberTab)
	startImport(p.members, path)
	save("import.png", u.Win.Canvas())
	hideOverlays()

	showNotices(u)
	save("notices.png", u.Win.Canvas())
	hideOverlays()

	c := showTransferCenter(u)
	if len(c.pending.rows) > 0 {
		c.pending.choose(0)
	}
	save("center.png", u.Win.Canvas())
	c.tabs.Select(c.letterTab)
	if len(c.letters.list.rows) > 0 {
		c.letters.list.setChecked(c.letters.list.rows[0].No, true)
	}
	save("letters.png", u.Win.Canvas())
}

// R-D1: the example in the 延迟毕业 month's hint is itself later than the
// branch's month (it said “晚于 2028-06，例如 2028-06”).
func TestDelayedHintExampleIsLater_R_D1(t *testing.T) {
	for _, tc := range []struct{ branch, want string }{
		{"2028-06", "晚于 2028-06，例如 2029-06"},
		{"2026-12", "晚于 2026-12，例如 2027-12"},
		{"", "晚于本支部的预计毕业时间，例如 2028-06"},
	} {
		if got := delayedHint(tc.branch); got != tc.want {
			t.Errorf("delayedHint(%q) = %q, want %q", tc.branch, got, tc.want)
		}
	}
}
