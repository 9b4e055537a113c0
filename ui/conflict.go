package ui

import (
	"fmt"
	"sort"
	"strings"

	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"tuanwu/app"
)

// A form that edits an existing record saves against the version it loaded
// (issue 14, item 3). When another desk changed the record meanwhile, the
// save is refused with “这条记录已被他人修改，请刷新后再改。”, the form keeps
// everything the user typed and offers 刷新: the record is read again, the
// fields the user did not touch take the stored values (so that saving
// does not put back what the other desk changed), the fields the user
// changed keep the user's text, and the form names the fields that both
// changed. The next 保存 is checked against the version just read.

// remember keeps the version of m and the form's values as filled from it.
func (f *memberForm) remember(m app.Member) {
	f.version = app.MemberVersion(m)
	f.loaded = f.fields()
}

// setField sets the form's widget of a template field to v.
func (f *memberForm) setField(k, v string) {
	switch k {
	case "民族":
		f.ethnicity.SetText(v)
	case "政治面貌":
		f.political.SetSelected(v)
	case "文化程度":
		f.education.SetSelected(v)
	case "入团年月":
		f.joinMonth.SetText(v)
	case "是否团干部":
		f.isCadre.SetChecked(v == "是")
	case "手机号码":
		f.phone.SetText(v)
	case "微博":
		f.weibo.SetText(v)
	case "QQ":
		f.qq.SetText(v)
	case "邮箱":
		f.email.SetText(v)
	case "发展团员编号":
		f.memberNo.SetText(v)
	case "现任团内职务":
		f.post.SetSelected(v)
	case "任现职年月":
		f.postSince.SetText(v)
	case "团干部性质":
		f.nature.SetSelected(v)
	case "是否同级党委（支部）成员":
		f.party.SetChecked(v == "是")
	case "发展日期":
		f.developed.SetText(v)
	}
}

// onReload reads the member again after a stale save and merges: the
// user's changes stay, the rest shows the stored record.
func (f *memberForm) onReload() {
	u := f.m.u
	fresh, err := u.svc.Member(u.ctx, u.sess, f.editing.IDNo)
	if err != nil {
		f.msg.SetText(app.ErrorMessage(err))
		return
	}
	mine := f.fields()
	var kept, both []string
	for k, v := range mine {
		if v != f.loaded[k] {
			kept = append(kept, k)
		}
	}
	f.fill(fresh)
	f.editing = &fresh
	theirs := f.fields()
	for _, k := range kept {
		if theirs[k] != f.loaded[k] {
			both = append(both, k+"（他人改为“"+theirs[k]+"”）")
		}
		f.setField(k, mine[k])
	}
	f.version, f.loaded = app.MemberVersion(fresh), theirs
	f.where.SetText(fresh.OrgName)
	f.reload.Hide()
	sort.Strings(kept)
	sort.Strings(both)
	text := "已载入他人修改后的记录。"
	if len(kept) > 0 {
		text += "您改动的 " + strings.Join(kept, "、") + " 保留您填写的内容。"
	}
	if len(both) > 0 {
		text += "其中 " + strings.Join(both, "、") + " 也被他人改过，请核对。"
	}
	f.msg.SetText(text + "确认无误后请再点“保存”。")
}

// renameOrgForm is 修改组织名称, saved against the version it loaded.
type renameOrgForm struct {
	m     *mainScreen
	org   app.Org
	name  *widget.Entry
	note  *widget.Label
	d     *dialog.FormDialog
	saved bool
	next  *renameOrgForm // the form shown again after a stale save, for tests
}

// showRenameOrg asks for an organization's new name (R-O1).
func showRenameOrg(m *mainScreen, o app.Org) *renameOrgForm {
	return showRenameOrgTyped(m, o, o.Name, "")
}

// showRenameOrgTyped shows the form with typed in the name field and a
// note above it (after a stale save: the refusal and the new stored name).
func showRenameOrgTyped(m *mainScreen, o app.Org, typed, note string) *renameOrgForm {
	r := &renameOrgForm{m: m, org: o, name: widget.NewEntry(), note: errorLabel()}
	r.name.SetText(typed)
	r.note.SetText(note)
	items := []*widget.FormItem{
		widget.NewFormItem("原名称", widget.NewLabel(o.Name)),
		widget.NewFormItem("新名称", r.name),
	}
	if note != "" {
		items = append([]*widget.FormItem{widget.NewFormItem("", r.note)}, items...)
	}
	r.d = dialog.NewForm("修改组织名称", "保存", "取消", items, r.onDone, m.u.Win)
	r.d.Show()
	return r
}

func (r *renameOrgForm) onDone(ok bool) {
	if !ok {
		return
	}
	m := r.m
	renamed, err := m.u.svc.RenameOrgAt(m.u.ctx, m.u.sess, r.org.ID, app.OrgVersion(r.org), r.name.Text)
	if m.u.offerRetry(err, func() { r.onDone(true) }) { // the server is down: 重试 keeps the new name
		return
	}
	if app.IsStale(err) {
		// The form closed: open it again over the stored record with what the user typed.
		fresh, ferr := m.u.svc.Org(m.u.ctx, m.u.sess, r.org.ID)
		if ferr != nil {
			m.u.showError(ferr)
			return
		}
		r.next = showRenameOrgTyped(m, fresh, r.name.Text, fmt.Sprintf("%s\n现在的名称是“%s”；您填写的新名称保留在下面，确认后请再点“保存”。", app.ErrorMessage(err), fresh.Name))
		m.orgChanged(fresh.ParentID, m.page.org.ID)
		return
	}
	if err != nil {
		m.u.showError(err)
		return
	}
	r.saved = true
	m.orgChanged(renamed.ParentID, m.page.org.ID)
}
