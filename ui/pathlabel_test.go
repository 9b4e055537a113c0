package ui

import (
	"context"
	"strings"
	"testing"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"tuanwu/app"
)

// Issue 11, long paths: the middle is left out, the branch at the end kept.
func TestElideMiddle(t *testing.T) {
	runes := func(s string) float32 { return float32(utf8.RuneCountInString(s)) }
	path := "浙江明理大学团委/信息学院团委/2023级计算机1班团支部"
	cases := []struct {
		name  string
		text  string
		avail float32
		want  string
	}{
		{"fits", path, 40, path},
		{"middle left out", path, 24, "浙江明理大学团委/…/2023级计算机1班团支部"},
		{"only the branch fits", path, 15, "…/2023级计算机1班团支部"},
		{"even the branch is too long: its end", path, 8, "…算机1班团支部"},
		{"a picker line keeps kind and province", path + "（团支部，浙江）", 30, "浙江明理大学团…/2023级计算机1班团支部（团支部，浙江）"},
		{"no path: the label cuts it", "很长很长很长很长很长的一句话", 5, "很长很长很长很长很长的一句话"},
		{"not laid out yet", path, 0, path},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := elideMiddle(c.text, c.avail, runes)
			if got != c.want {
				t.Fatalf("elideMiddle(%q, %v) = %q, want %q", c.text, c.avail, got, c.want)
			}
			if c.avail > 0 && runes(got) > c.avail && strings.Contains(c.text, "/") {
				t.Fatalf("%q is wider than %v", got, c.avail)
			}
		})
	}
}

// pathLabels finds the path labels drawn inside o.
func pathLabels(o fyne.CanvasObject) []*pathLabel {
	var out []*pathLabel
	walkRendered(o, func(o fyne.CanvasObject) bool {
		if l, ok := o.(*pathLabel); ok {
			out = append(out, l)
			return false
		}
		return true
	})
	return out
}

// drawn is the text a path label draws.
func drawn(l *pathLabel) string {
	return test.WidgetRenderer(l).Objects()[0].(*widget.Label).Text
}

// Issue 11: at college level the member list's 所在组织 (300 wide) shows a
// long path with its middle left out and the branch whole, fitting the
// column as the font measures it; resting the pointer on it shows the whole
// path under the list, and leaving hides it.
func TestMemberListElidesPathsKeepingTheBranch(t *testing.T) {
	u := newTestUI(t)
	college, branch := initStore(t, u)
	ctx := context.Background()
	sess, _ := u.svc.SignIn(ctx, adminID, adminPW)
	if _, err := u.svc.AddMember(ctx, sess, app.Member{OrgID: branch.ID, Name: "李四", IDNo: validID}); err != nil {
		t.Fatal(err)
	}
	signIn(t, u)
	u.main.tree.selectOrg(college)
	u.main.page.tabs.Select(u.main.page.memberTab)
	v := u.main.page.members
	v.table.ScrollTo(widget.TableCellID{Row: 0, Col: 9})
	var cell *pathLabel
	for _, l := range pathLabels(v.table) {
		if l.Text == branch.FullName {
			cell = l
		}
	}
	if cell == nil {
		var all []string
		for _, l := range pathLabels(u.Win.Canvas().Content()) {
			all = append(all, l.Text)
		}
		t.Fatalf("no cell shows %q: %q", branch.FullName, all)
	}
	shown := drawn(cell)
	if !strings.HasSuffix(shown, "/"+branch.Name) || !strings.Contains(shown, ellipsis) || !strings.HasPrefix(shown, "浙江") {
		t.Fatalf("所在组织 drawn as %q; want the middle of %q left out and %q kept", shown, branch.FullName, branch.Name)
	}
	avail := cell.Size().Width - 2*theme.InnerPadding()
	if w := fyne.MeasureText(shown, theme.TextSize(), fyne.TextStyle{}).Width; w > avail {
		t.Fatalf("%q is %.0f wide, the column has %.0f", shown, w, avail)
	}
	if v.hover.Visible() {
		t.Fatal("the hint line shows before any hover")
	}
	cell.MouseIn(nil)
	if !v.hover.Visible() || !strings.Contains(v.hover.Text, branch.FullName) {
		t.Fatalf("hovering shows %q (visible %v)", v.hover.Text, v.hover.Visible())
	}
	cell.MouseOut()
	if v.hover.Visible() {
		t.Fatal("the hint line stays after the pointer left")
	}
	// A path that fits is drawn whole and hovering shows nothing.
	u.Win.Resize(fyne.NewSize(1900, 900))
	v.table.SetColumnWidth(9, 700)
	v.table.Refresh()
	if drawn(cell) != branch.FullName {
		t.Fatalf("a path that fits is drawn %q", drawn(cell))
	}
	cell.MouseIn(nil)
	if v.hover.Visible() {
		t.Fatal("a path drawn whole needs no hint")
	}
}

// Issue 11: the transfer tables and the organization picker elide long
// organizations in the middle too, and show them whole on their hint line.
func TestTransferTableAndPickerElidePaths(t *testing.T) {
	u := newTestUI(t)
	_, branch := initStore(t, u)
	signIn(t, u)
	long := "北京市某某区某某某某大学团委/某某某某某某学院团委/2022级某某某某专业1班团支部"
	tt := newTransferTable(clockOf(u), true, colNo, colName, colTo)
	tt.setRows([]app.Transfer{{No: 7, Name: "王五", ToName: long}}, false)
	w := test.NewWindow(tt.box())
	defer w.Close()
	w.Resize(fyne.NewSize(700, 300))
	var cell *pathLabel
	for _, l := range pathLabels(tt.table) {
		if l.Text == long {
			cell = l
		}
	}
	if cell == nil || !strings.HasSuffix(drawn(cell), "/2022级某某某某专业1班团支部") || !strings.Contains(drawn(cell), ellipsis) {
		t.Fatalf("转入组织 drawn %q", func() string {
			if cell == nil {
				return "nowhere"
			}
			return drawn(cell)
		}())
	}
	cell.MouseIn(nil)
	if !tt.hover.Visible() || !strings.Contains(tt.hover.Text, long) {
		t.Fatalf("hovering the transfer table shows %q", tt.hover.Text)
	}
	cell.MouseOut()

	p := newOrgPicker(u, "", 0, nil)
	pw := test.NewWindow(p.build())
	defer pw.Close()
	pw.Resize(fyne.NewSize(300, 400))
	p.search.SetText("本科1班")
	var line *pathLabel
	for _, l := range pathLabels(p.list) {
		if strings.Contains(l.Text, branch.FullName) {
			line = l
		}
	}
	if line == nil || !strings.Contains(drawn(line), ellipsis) || !strings.Contains(drawn(line), branch.Name) {
		t.Fatalf("picker line not elided keeping the branch: %v", line)
	}
	line.MouseIn(nil)
	if !p.hover.Visible() || !strings.Contains(p.hover.Text, branch.FullName) {
		t.Fatalf("hovering the picker shows %q", p.hover.Text)
	}
}
