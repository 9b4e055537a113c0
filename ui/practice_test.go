package ui

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
)

// hasBanner reports whether the window shows the 练习数据 banner.
func hasBanner(u *UI) bool {
	found := false
	var walk func(o fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		if found || o == nil {
			return
		}
		switch v := o.(type) {
		case *canvas.Text:
			found = v.Text == practiceBanner
		case *fyne.Container:
			for _, c := range v.Objects {
				walk(c)
			}
		case fyne.Widget:
			for _, c := range test.WidgetRenderer(v).Objects() {
				walk(c)
			}
		}
	}
	walk(u.Win.Canvas().Content())
	return found
}

// Issue 10, item 1: a store made as practice data shows the 练习数据 banner
// from sign-in on, with a date control that moves the service's clock.
func TestPracticeBannerFromSetup(t *testing.T) {
	u := newTestUI(t)
	if hasBanner(u) {
		t.Fatal("an empty store is not practice data yet: no banner")
	}
	s := u.setup
	test.Type(s.orgName, "浙江工商大学团委")
	test.Type(s.adminName, "张三")
	test.Type(s.adminID, adminID)
	test.Tap(s.practice)
	test.Tap(s.create)
	if u.login == nil {
		t.Fatalf("no sign-in after set-up: %q", s.msg.Text)
	}
	if !hasBanner(u) {
		t.Fatal("practice data must show the 练习数据 banner on the sign-in screen")
	}
	p := u.practice
	if p.date.Text != testNow.Format("2006-01-02") {
		t.Errorf("the banner shows %q, want the service's date %s", p.date.Text, testNow.Format("2006-01-02"))
	}
	p.date.SetText("2027-07-01")
	test.Tap(p.apply)
	if got := u.svc.Now().Format("2006-01-02"); got != "2027-07-01" {
		t.Errorf("after 按此日期运行 the service runs as of %s, want 2027-07-01 (msg %q)", got, p.msg.Text)
	}
	p.date.SetText("2027-02-30")
	test.Tap(p.apply)
	if got := u.svc.Now().Format("2006-01-02"); got != "2027-07-01" || p.msg.Text == "" {
		t.Errorf("a bad date must be refused with a message: now %s, msg %q", got, p.msg.Text)
	}
}

// Issue 10, item 1: the demo university is practice data: the banner stays
// in the main window.
func TestPracticeBannerOnDemo(t *testing.T) {
	u := demoUI(t)
	if !hasBanner(u) {
		t.Fatal("a demo store must show the 练习数据 banner in the main window")
	}
}

// Issue 10, item 1: a real store has no banner and no date control.
func TestNoPracticeBannerOnRealStore(t *testing.T) {
	u := newTestUI(t)
	initStore(t, u)
	signIn(t, u)
	if hasBanner(u) || u.practice != nil {
		t.Fatal("a real store must not show the 练习数据 banner")
	}
}
