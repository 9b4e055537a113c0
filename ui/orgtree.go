package ui

import (
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"tuanwu/app"
)

// orgTree is the side panel: the organization tree, loaded lazily as nodes open.
type orgTree struct {
	u        *UI
	tree     *widget.Tree
	nodes    map[string]app.Org
	kids     map[string][]string
	onSelect func(app.Org)
}

func newOrgTree(u *UI, onSelect func(app.Org)) *orgTree {
	t := &orgTree{u: u, nodes: map[string]app.Org{}, kids: map[string][]string{}, onSelect: onSelect}
	t.tree = widget.NewTree(t.childUIDs, t.isBranch, t.create, t.update)
	t.tree.OnSelected = func(uid widget.TreeNodeID) {
		if o, ok := t.nodes[uid]; ok {
			t.onSelect(o)
		}
	}
	return t
}

func (t *orgTree) build() fyne.CanvasObject { return t.tree }

func uidOf(id int64) string { return strconv.FormatInt(id, 10) }

func (t *orgTree) childUIDs(uid widget.TreeNodeID) []widget.TreeNodeID {
	if k, ok := t.kids[uid]; ok {
		return k
	}
	var list []app.Org
	var err error
	if uid == "" {
		list, err = t.u.svc.RootOrgs(t.u.ctx, t.u.sess)
	} else {
		id, _ := strconv.ParseInt(uid, 10, 64)
		list, err = t.u.svc.Children(t.u.ctx, t.u.sess, id)
	}
	if err != nil {
		t.u.showError(err)
		return nil
	}
	ids := make([]string, len(list))
	for i, o := range list {
		ids[i] = uidOf(o.ID)
		t.nodes[ids[i]] = o
	}
	t.kids[uid] = ids
	return ids
}

func (t *orgTree) isBranch(uid widget.TreeNodeID) bool {
	if uid == "" {
		return true
	}
	return t.nodes[uid].ChildCount > 0
}

func (t *orgTree) create(bool) fyne.CanvasObject {
	l := widget.NewLabel("")
	l.Truncation = fyne.TextTruncateEllipsis
	return l
}

// nodeText is a tree node's text: the name and, where known, the members.
func nodeText(o app.Org) string {
	var b strings.Builder
	b.WriteString(o.Name)
	if o.IsBranch() || o.MemberCount > 0 {
		b.WriteString("（" + strconv.Itoa(o.MemberCount) + " 人）")
	}
	return b.String()
}

func (t *orgTree) update(uid widget.TreeNodeID, _ bool, obj fyne.CanvasObject) {
	obj.(*widget.Label).SetText(nodeText(t.nodes[uid]))
}

// first returns the first root organization.
func (t *orgTree) first() app.Org {
	roots := t.childUIDs("")
	if len(roots) == 0 {
		return app.Org{}
	}
	return t.nodes[roots[0]]
}

// selectOrg opens the path to o and selects it.
func (t *orgTree) selectOrg(o app.Org) {
	ids := strings.Split(strings.Trim(o.Path, "/"), "/")
	for _, id := range ids[:max(0, len(ids)-1)] {
		if _, ok := t.nodes[id]; ok {
			t.childUIDs(id)
			t.tree.OpenBranch(id)
		}
	}
	t.nodes[uidOf(o.ID)] = o
	t.tree.Select(uidOf(o.ID))
	t.tree.ScrollTo(uidOf(o.ID))
}

// reload forgets the loaded children of id and its ancestors' counts.
func (t *orgTree) reload(id int64) {
	uid := uidOf(id)
	if id == 0 {
		uid = ""
	}
	delete(t.kids, uid)
	if o, ok := t.nodes[uid]; ok {
		// refresh counts up the path
		for _, a := range strings.Split(strings.Trim(o.Path, "/"), "/") {
			aid, _ := strconv.ParseInt(a, 10, 64)
			if fresh, err := t.u.svc.Org(t.u.ctx, t.u.sess, aid); err == nil {
				t.nodes[a] = fresh
			}
		}
	}
	t.tree.Refresh()
}
