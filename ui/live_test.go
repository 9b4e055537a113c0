package ui

import (
	"context"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"tuanwu/app"
	"tuanwu/data"
)

// otherDesk opens the window's store a second time, as another desk or a
// headless command on the same file does, signed in as the administrator.
func otherDesk(t *testing.T, u *UI) (*app.Service, *app.Session) {
	t.Helper()
	st, err := data.Open(u.Path)
	if err != nil {
		t.Fatalf("open the store a second time: %v", err)
	}
	t.Cleanup(func() { st.Close() })
	svc := app.NewService(st)
	svc.Now = func() time.Time { return testNow.Add(time.Hour) }
	ss, err := svc.SignIn(context.Background(), adminID, adminPW)
	if err != nil {
		t.Fatal(err)
	}
	return svc, ss
}

func liveMember(t *testing.T, orgID int64, name, first17, no string) app.Member {
	id := first17 + string(app.IDCheckChar(first17))
	return app.Member{OrgID: orgID, Name: name, IDNo: id, JoinMonth: "2019-05", MemberNo: no}
}

// Issue 14 item 3: what another desk writes shows in the open window at the
// next tick, without F5; an open member form keeps what the user typed;
// its stale save is refused with the Chinese message and writes nothing;
// 刷新 keeps the user's change and takes the other desk's.
func TestLive_OtherDeskShowsAndStaleFormRefused_Issue14_3(t *testing.T) {
	u := newTestUI(t)
	_, branch := initStore(t, u)
	signIn(t, u)
	if u.live == nil {
		t.Fatal("signed in: no live watch")
	}
	ctx := context.Background()
	other, oss := otherDesk(t, u)
	u.main.tree.selectOrg(branch)
	p := u.main.page
	p.tabs.Select(p.memberTab)
	v := p.members
	if v.total != 0 {
		t.Fatalf("new branch lists %d members", v.total)
	}

	// 1. Another desk adds a member: the list and the tree's count show it.
	wang, err := other.AddMember(ctx, oss, liveMember(t, branch.ID, "王小红", "33010220050315002", "201900000001"))
	if err != nil {
		t.Fatal(err)
	}
	if v.total != 0 {
		t.Fatal("the list changed before the tick")
	}
	u.liveTick()
	if v.total != 1 || !strings.Contains(v.count.Text, "共有团员 1 人") {
		t.Fatalf("after the tick: total %d, %q; want the other desk's member", v.total, v.count.Text)
	}
	if m, ok := v.row(0); !ok || m.IDNo != wang.IDNo {
		t.Fatalf("row 0 = %+v", m)
	}
	if n := u.main.tree.nodes[uidOf(branch.ID)].MemberCount; n != 1 {
		// the tree asks again for the branches on show when it is drawn
		u.main.tree.childUIDs(uidOf(branch.ParentID))
		if n = u.main.tree.nodes[uidOf(branch.ID)].MemberCount; n != 1 {
			t.Errorf("tree count = %d, want 1", n)
		}
	}

	// 2. The member is selected and a form is open while another desk edits
	// the same member: the tick keeps the selection and the typed text.
	v.table.Select(widget.TableCellID{Row: 0, Col: 0})
	v.onEdit()
	f := v.form
	test.Type(f.phone, "13900000001")
	if _, err := other.EditMember(ctx, oss, wang.IDNo, map[string]string{"QQ": "123456"}); err != nil {
		t.Fatal(err)
	}
	u.liveTick()
	if f.phone.Text != "13900000001" || f.qq.Text != "" {
		t.Fatalf("the open form changed under the user: phone %q, QQ %q", f.phone.Text, f.qq.Text)
	}
	if v.selected != 0 {
		t.Errorf("selection lost: %d", v.selected)
	}
	if u.Win.Canvas().Overlays().Top() == nil {
		t.Fatal("the form closed on the tick")
	}

	// 3. The stale save is refused: message, nothing written, text kept.
	head, _ := u.svc.ChangeMark(ctx)
	test.Tap(f.save)
	if !strings.Contains(f.msg.Text, "这条记录已被他人修改，请刷新后再改。") || !strings.Contains(f.msg.Text, "张三") {
		t.Fatalf("stale save message = %q", f.msg.Text)
	}
	if f.reload.Hidden {
		t.Error("no 刷新 offered")
	}
	if after, _ := u.svc.ChangeMark(ctx); after != head {
		t.Error("the refused save wrote")
	}
	if stored, _ := u.svc.Member(ctx, u.sess, wang.IDNo); stored.Phone != "" || stored.QQ != "123456" {
		t.Errorf("stored = phone %q QQ %q", stored.Phone, stored.QQ)
	}
	if f.phone.Text != "13900000001" {
		t.Errorf("typed phone lost: %q", f.phone.Text)
	}

	// 4. 刷新: the user's phone stays, the other desk's QQ comes in; saving works.
	test.Tap(f.reload)
	if f.phone.Text != "13900000001" || f.qq.Text != "123456" || !strings.Contains(f.msg.Text, "手机号码") {
		t.Fatalf("after 刷新: phone %q, QQ %q, %q", f.phone.Text, f.qq.Text, f.msg.Text)
	}
	test.Tap(f.save)
	if stored, _ := u.svc.Member(ctx, u.sess, wang.IDNo); stored.Phone != "13900000001" || stored.QQ != "123456" {
		t.Fatalf("saved after 刷新: phone %q QQ %q (%q)", stored.Phone, stored.QQ, f.msg.Text)
	}
}

// Issue 14 item 3: the organization's rename form, saved after another
// desk renamed it, is refused and shown again with the typed name.
func TestLive_StaleRenameKeepsTypedName_Issue14_3(t *testing.T) {
	u := newTestUI(t)
	_, branch := initStore(t, u)
	signIn(t, u)
	ctx := context.Background()
	other, oss := otherDesk(t, u)
	u.main.tree.selectOrg(branch)
	r := showRenameOrg(u.main, u.main.page.org)
	r.name.SetText("2020级本科2班团支部")
	if _, err := other.RenameOrg(ctx, oss, branch.ID, "2020级本科3班团支部"); err != nil {
		t.Fatal(err)
	}
	u.liveTick()
	if r.name.Text != "2020级本科2班团支部" {
		t.Fatalf("typed name changed by the tick: %q", r.name.Text)
	}
	if u.main.page.org.Name != "2020级本科3班团支部" {
		t.Errorf("page under the form shows %q, want the other desk's name", u.main.page.org.Name)
	}
	r.d.Submit()
	if r.saved || r.next == nil {
		t.Fatalf("stale rename saved: %v", r.saved)
	}
	if !strings.Contains(r.next.note.Text, "这条记录已被他人修改，请刷新后再改。") || r.next.name.Text != "2020级本科2班团支部" {
		t.Fatalf("form again: note %q, name %q", r.next.note.Text, r.next.name.Text)
	}
	if o, _ := u.svc.Org(ctx, u.sess, branch.ID); o.Name != "2020级本科3班团支部" {
		t.Fatalf("stored name %q", o.Name)
	}
	r.next.d.Submit()
	if !r.next.saved {
		t.Fatalf("second save refused: %q", r.next.note.Text)
	}
	if o, _ := u.svc.Org(ctx, u.sess, branch.ID); o.Name != "2020级本科2班团支部" {
		t.Fatalf("stored name %q", o.Name)
	}
}

// Issue 14 item 3: the window asks by itself, every liveInterval, with no
// tick by hand (the interval is shortened for the test).
func TestLive_BackgroundTicker_Issue14_3(t *testing.T) {
	u := newTestUI(t)
	_, branch := initStore(t, u)
	signIn(t, u)
	other, oss := otherDesk(t, u)
	u.main.tree.selectOrg(branch)
	p := u.main.page
	p.tabs.Select(p.memberTab)
	defer func(d time.Duration) { liveInterval = d }(liveInterval)
	liveInterval = 20 * time.Millisecond
	// The test driver runs fyne.Do on the calling goroutine: the watch ends
	// itself after its first reload, and the test reads the window after that.
	shown := make(chan struct{})
	liveShown = func(w *liveWatch) { w.end(); close(shown) }
	defer func() { liveShown = nil }()
	u.Sync = false
	u.startLive()
	if _, err := other.AddMember(context.Background(), oss, liveMember(t, branch.ID, "王小红", "33010220050315002", "201900000001")); err != nil {
		t.Fatal(err)
	}
	select {
	case <-shown:
	case <-time.After(10 * time.Second):
		t.Fatal("the window did not reload within 10 s")
	}
	if p.members.total != 1 {
		t.Fatalf("after the background reload: %d members, %q", p.members.total, p.members.count.Text)
	}
}

// Issue 14 item 3: the page on show (组织关系转接) reloads at the tick too:
// a transfer another desk started is listed, the search typed stays.
func TestLive_TransferCentreShowsOtherDesk_Issue14_3(t *testing.T) {
	u := demoUI(t)
	closeOverlays(u.Win.Canvas())
	ms := graduates(t, u)
	st, err := data.Open(u.Path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	other := app.NewService(st)
	other.Now = u.svc.Now
	oss, err := other.SignIn(context.Background(), app.DemoAdminID, demoPW)
	if err != nil {
		t.Fatal(err)
	}
	c := showTransferCenter(u)
	before := len(c.allRows)
	test.Type(c.search, "第")
	list, err := other.StartTransfer(context.Background(), oss, app.TransferInput{IDNos: []string{ms[0].IDNo}, Reason: app.ReasonSpecial})
	if err != nil || len(list) != 1 {
		t.Fatalf("other desk: %v", err)
	}
	if len(c.allRows) != before {
		t.Fatal("listed before the tick")
	}
	u.liveTick()
	found := false
	for _, tr := range c.allRows {
		found = found || tr.No == list[0].No
	}
	if !found || len(c.allRows) != before+1 {
		t.Fatalf("after the tick %d transfers (before %d), %d listed: %v", len(c.allRows), before, list[0].No, found)
	}
	if c.search.Text != "第" {
		t.Errorf("search text = %q", c.search.Text)
	}
}

// Issue 14 item 3 in a member's personal centre (R-A5): what the branch
// secretary changes at another desk shows at the next tick, without
// signing in again.
func TestLive_PersonalCentreShowsOtherDesk_Issue14_3(t *testing.T) {
	u := newTestUI(t)
	_, branch := initStore(t, u)
	ctx := context.Background()
	other, oss := otherDesk(t, u)
	if _, err := other.AddMember(ctx, oss, app.Member{OrgID: branch.ID, Name: "李四", IDNo: validID, Phone: "13800138000"}); err != nil {
		t.Fatal(err)
	}
	sess, err := u.svc.SignIn(ctx, validID, app.InitialPassword(validID))
	if app.ErrorCode(err) != app.EMustChange {
		t.Fatalf("member sign in: %v", err)
	}
	if err := u.svc.ChangePassword(ctx, sess, app.InitialPassword(validID), "Member-2026"); err != nil {
		t.Fatal(err)
	}
	if sess, err = u.svc.SignIn(ctx, validID, "Member-2026"); err != nil {
		t.Fatal(err)
	}
	u.showMain(sess)
	p := u.personal
	if p == nil || u.live == nil {
		t.Fatalf("a member's personal centre: %v, live watch %v", p != nil, u.live != nil)
	}
	phone := func() string {
		for _, it := range p.record.Items {
			if l, ok := it.Widget.(*widget.Label); ok && it.Text == "手机号码" {
				return l.Text
			}
		}
		return ""
	}
	if phone() != "13800138000" {
		t.Fatalf("phone shown %q", phone())
	}
	if _, err := other.EditMember(ctx, oss, validID, map[string]string{"手机号码": "13900139000"}); err != nil {
		t.Fatal(err)
	}
	if phone() != "13800138000" {
		t.Fatal("changed before the tick")
	}
	u.liveTick()
	if phone() != "13900139000" {
		t.Fatalf("after the tick the personal centre shows phone %q", phone())
	}
}
