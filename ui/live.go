package ui

import (
	"log"
	"sync"
	"time"

	"fyne.io/fyne/v2"

	"tuanwu/app"
)

// Live (issue 14, item 3): while the main window is open, it asks the store
// every liveInterval whether anything changed (app.Service.Changed: the
// newest audit entry's number, one indexed query; measured in
// data/changes_bench_test.go against PostgreSQL LISTEN/NOTIFY) and, when it
// did, reloads what is on show as F5 does, but gently: the tree keeps the
// branches opened and the selection, the member list its selection and
// scroll position, and a dialog or form that is open is not touched (its
// save is checked against the version it loaded: memberform.go,
// orgdialogs.go). Another desk on the server, or a headless command or a
// second window on the same file, shows up within liveInterval.

// liveInterval is how often the window asks; tests call liveTick instead.
var liveInterval = 2 * time.Second

// liveShown, when a test sets it, is called by the asking goroutine after
// each reload it asked for.
var liveShown func(*liveWatch)

// liveWatch is the background question of one signed-in session.
type liveWatch struct {
	svc    *app.Service
	sess   *app.Session
	mark   int64 // the change mark last seen; only the asking goroutine (or liveTick) uses it
	failed bool  // the last question failed (logged once)
	stop   chan struct{}
	once   sync.Once
}

func (w *liveWatch) end() { w.once.Do(func() { close(w.stop) }) }

// startLive starts asking for the signed-in main window (or a member's
// personal centre); a watch started
// before (another session or store) ends.
func (u *UI) startLive() {
	u.stopLive()
	if u.svc == nil || u.sess == nil {
		return
	}
	w := &liveWatch{svc: u.svc, sess: u.sess, stop: make(chan struct{})}
	mark, err := u.svc.ChangeMark(u.ctx)
	if err != nil {
		log.Printf("live: %v", err)
	}
	w.mark = mark
	u.live = w
	if u.Sync {
		return // tests tick by hand (liveTick)
	}
	go func() {
		t := time.NewTicker(liveInterval)
		defer t.Stop()
		for {
			select {
			case <-w.stop:
				return
			case <-t.C:
			}
			if w.ask(u) {
				fyne.Do(func() { u.liveShow(w) })
				if liveShown != nil {
					liveShown(w)
				}
			}
		}
	}()
}

// stopLive ends the watch, if any.
func (u *UI) stopLive() {
	if u.live != nil {
		u.live.end()
		u.live = nil
	}
}

// ask reports whether the store changed since the watch last looked.
func (w *liveWatch) ask(u *UI) bool {
	mark, changed, err := w.svc.Changed(u.ctx, w.mark)
	if err != nil {
		if !w.failed {
			log.Printf("live: %v", err)
			u.noteServerAsync(err) // the school server is down: the status line says so, once
		}
		w.failed = true
		return false
	}
	if w.failed {
		u.noteServerAsync(nil) // back: the status line clears
	}
	w.failed = false
	w.mark = mark
	return changed
}

// liveTick is one question and, when the store changed, the reload, on
// the calling goroutine (tests, with Sync).
func (u *UI) liveTick() {
	if w := u.live; w != nil && w.ask(u) {
		u.liveShow(w)
	}
}

// liveShow reloads what is on show after another desk changed the store.
// It runs on the UI goroutine; a watch of a session or store no longer on
// show ends instead.
func (u *UI) liveShow(w *liveWatch) {
	if u.live != w || u.svc != w.svc || u.sess != w.sess || (u.main == nil && u.personal == nil) {
		w.end()
		return
	}
	if p := u.topPage(); p != nil && p.refresh != nil {
		p.refresh()
	}
	if u.main != nil {
		u.main.liveReload()
	} else {
		u.personal.liveReload() // a member's personal centre
	}
	if u.notices != nil {
		u.notices.load()
	}
}

// liveReload reloads the tree and the organization on show, keeping what
// the user opened, selected and scrolled to.
func (m *mainScreen) liveReload() {
	m.tree.liveReload()
	p := m.page
	if p == nil || p.org.ID == 0 {
		return
	}
	o, err := m.u.svc.Org(m.u.ctx, m.u.sess, p.org.ID)
	if err != nil {
		// Deleted or out of reach meanwhile: show the top of the tree.
		if first := m.tree.first(); first.ID != 0 && first.ID != p.org.ID {
			m.tree.selectOrg(first)
		}
		return
	}
	p.showHeader(o)
	p.loadShownTab(p.members.liveReload)
}

// liveReload forgets the loaded children and their counts; the tree asks
// again for the branches on show and keeps which are open and selected.
func (t *orgTree) liveReload() {
	for uid := range t.kids {
		delete(t.kids, uid)
	}
	t.tree.Refresh()
}

// liveReload counts and lists the members again; the selected member
// stays selected when still on the same row, and the list stays scrolled
// where it was.
func (v *membersView) liveReload() {
	if !v.built {
		return
	}
	keep := ""
	if m, ok := v.row(v.selected); ok {
		keep = m.IDNo
	}
	v.recount()
	if m, ok := v.row(v.selected); keep != "" && (!ok || m.IDNo != keep) {
		v.selected = -1
		v.table.UnselectAll()
		v.updateButtons()
	}
	v.table.Refresh()
}
