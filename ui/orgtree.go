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

// outsideUID is the group node that holds, for the store's owner, the
// top-level organizations outside the own tree (other schools, streets,
// other provinces): transfer targets rather than daily work.
const outsideUID = "outside"

func (t *orgTree) childUIDs(uid widget.TreeNodeID) []widget.TreeNodeID {
	if k, ok := t.kids[uid]; ok {
		return k
	}
	var list []app.Org
	var err error
	switch uid {
	case "", outsideUID:
		list, err = t.u.svc.RootOrgs(t.u.ctx, t.u.sess)
		if err == nil && t.u.sess.Owner && len(list) > 1 {
			ids := make([]string, 0, len(list)-1)
			for _, o := range list[1:] {
				ids = append(ids, uidOf(o.ID))
				t.nodes[ids[len(ids)-1]] = o
			}
			t.kids[outsideUID] = ids
			list = list[:1]
			t.nodes[uidOf(list[0].ID)] = list[0]
			t.kids[""] = []string{uidOf(list[0].ID), outsideUID}
			return t.kids[uid]
		}
	default:
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
	if uid == "" || uid == outsideUID {
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
	if uid == outsideUID {
		obj.(*widget.Label).SetText("其他组织（外校、乡镇街道、外省等）")
		return
	}
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
	if t.nodes[uid].ParentID == 0 && uid != "" {
		// a top-level organization: its list is the root's or the outside group's
		delete(t.kids, "")
		delete(t.kids, outsideUID)
	}
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
