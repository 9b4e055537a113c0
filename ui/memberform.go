package ui

import (
	"fmt"

	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"tuanwu/app"
)

// memberForm adds or edits a member with every field of the national
// template (R-X2); 姓名 and 身份证号 are fixed once entered (R-M1).
type memberForm struct {
	m                           *mainScreen
	org                         app.Org
	editing                     *app.Member
	name, id                    *widget.Entry
	derived                     *widget.Label
	ethnicity                   *widget.SelectEntry
	political, education        *widget.Select
	joinMonth, phone, weibo, qq *widget.Entry
	email, memberNo, postSince  *widget.Entry
	developed                   *widget.Entry
	isCadre, party              *widget.Check
	post, nature                *widget.Select
	msg                         *widget.Label
	where                       *widget.Label // 所在组织
	save                        *widget.Button
	reload                      *widget.Button // 刷新 after a stale save (conflict.go)
	version                     app.RecordVersion
	loaded                      map[string]string // the fields as loaded, to tell what the user changed
	d                           dialog.Dialog
	onSaved                     func(app.Member)
}

func showMemberForm(m *mainScreen, org app.Org, editing *app.Member, onSaved func(app.Member)) *memberForm {
	if editing != nil && editing.OrgID != org.ID {
		// Opened from a college's or the university's list: the member's
		// own branch is where they are, not the organization selected.
		if own, err := m.u.svc.Org(m.u.ctx, m.u.sess, editing.OrgID); err == nil {
			org = own
		} else {
			org = app.Org{ID: editing.OrgID, Name: editing.OrgName, FullName: editing.OrgName}
		}
	}
	f := &memberForm{m: m, org: org, editing: editing, onSaved: onSaved}
	f.name, f.id = widget.NewEntry(), widget.NewEntry()
	f.id.SetPlaceHolder("18 位身份证号")
	f.derived = widget.NewLabel("")
	f.id.OnChanged = f.onIDChanged
	f.ethnicity = widget.NewSelectEntry(app.Ethnicities)
	f.political = newSelect(app.PoliticalStatuses, nil)
	f.education = newSelect(app.Educations, nil)
	f.joinMonth = widget.NewEntry()
	f.joinMonth.SetPlaceHolder("例如 2019-05")
	f.phone, f.weibo, f.qq, f.email = widget.NewEntry(), widget.NewEntry(), widget.NewEntry(), widget.NewEntry()
	f.memberNo = widget.NewEntry()
	f.memberNo.SetPlaceHolder("2017 年及以后入团必填，12 位")
	f.postSince = widget.NewEntry()
	f.postSince.SetPlaceHolder("例如 2024-10")
	f.developed = widget.NewEntry()
	f.developed.SetPlaceHolder("新发展团员填写，例如 2026-05-04")
	f.isCadre = widget.NewCheck("是团干部", nil)
	f.party = widget.NewCheck("是同级党委（支部）成员", nil)
	f.post = newSelect(append([]string{""}, app.Posts...), nil)
	f.nature = newSelect(append([]string{""}, app.CadreNatures...), nil)
	f.msg = errorLabel()
	f.where = wrapLabel(org.FullName)
	title := "新增团员"
	if editing != nil {
		title = "团员信息"
		f.fill(*editing)
		f.remember(*editing)
	} else {
		f.political.SetSelected(app.PoliticalStatuses[0])
		f.ethnicity.SetText("汉族")
	}
	f.save = widget.NewButtonWithIcon("保存", theme.DocumentSaveIcon(), f.onSave)
	f.save.Importance = widget.HighImportance
	form := widget.NewForm(
		widget.NewFormItem("所在组织", f.where),
		widget.NewFormItem("姓名", f.name),
		widget.NewFormItem("身份证号码", f.id),
		widget.NewFormItem("", f.derived),
		widget.NewFormItem("民族", f.ethnicity),
		widget.NewFormItem("政治面貌", f.political),
		widget.NewFormItem("文化程度", f.education),
		widget.NewFormItem("入团年月", f.joinMonth),
		widget.NewFormItem("发展团员编号", f.memberNo),
		widget.NewFormItem("手机号码", f.phone),
		widget.NewFormItem("QQ", f.qq),
		widget.NewFormItem("邮箱", f.email),
		widget.NewFormItem("微博", f.weibo),
		widget.NewFormItem("是否团干部", f.isCadre),
		widget.NewFormItem("现任团内职务", f.post),
		widget.NewFormItem("任现职年月", f.postSince),
		widget.NewFormItem("团干部性质", f.nature),
		widget.NewFormItem("是否同级党委（支部）成员", f.party),
		widget.NewFormItem("发展日期", f.developed),
	)
	f.reload = widget.NewButtonWithIcon("刷新", theme.ViewRefreshIcon(), f.onReload)
	f.reload.Hide()
	buttons := container.NewHBox(spacer(), f.reload, widget.NewButton("取消", func() { f.d.Hide() }), f.save)
	body := container.NewBorder(nil, container.NewVBox(f.msg, buttons), nil, nil, formScroll(form))
	f.d = fitDialog(m.u.Win, title, 600, 640, body)
	f.d.Show()
	if editing == nil {
		m.u.Win.Canvas().Focus(f.name)
	}
	return f
}

func (f *memberForm) fill(e app.Member) {
	f.name.SetText(e.Name)
	f.name.Disable()
	f.id.SetText(e.IDNo)
	f.id.Disable()
	f.ethnicity.SetText(e.Ethnicity)
	f.political.SetSelected(e.Political)
	f.education.SetSelected(e.Education)
	f.joinMonth.SetText(e.JoinMonth)
	f.phone.SetText(e.Phone)
	f.weibo.SetText(e.Weibo)
	f.qq.SetText(e.QQ)
	f.email.SetText(e.Email)
	f.memberNo.SetText(e.MemberNo)
	f.isCadre.SetChecked(e.IsCadre)
	f.post.SetSelected(e.Post)
	f.postSince.SetText(e.PostSince)
	f.nature.SetSelected(e.CadreNature)
	f.party.SetChecked(e.PartyCommittee)
	f.developed.SetText(e.DevelopedOn)
}

// onIDChanged shows birth date, gender and age as soon as the ID is valid.
func (f *memberForm) onIDChanged(s string) {
	if len(app.NormalizeID(s)) < 18 {
		f.derived.SetText("")
		return
	}
	now := f.m.u.svc.Now()
	info, err := app.ParseID(s, now)
	if err != nil {
		f.derived.SetText(app.ErrorMessage(err))
		f.derived.Importance = widget.DangerImportance
		f.derived.Refresh()
		return
	}
	f.derived.Importance = widget.MediumImportance
	f.derived.SetText(fmt.Sprintf("出生日期 %s · %s · %d 岁", info.Birth.Format("2006-01-02"), info.Gender(), app.AgeAt(info.Birth, now)))
}

// fields returns the form's values by template name.
func (f *memberForm) fields() map[string]string {
	yn := func(b bool) string {
		if b {
			return "是"
		}
		return "否"
	}
	return map[string]string{
		"民族": f.ethnicity.Text, "政治面貌": f.political.Selected, "文化程度": f.education.Selected,
		"入团年月": f.joinMonth.Text, "是否团干部": yn(f.isCadre.Checked), "手机号码": f.phone.Text, "微博": f.weibo.Text,
		"QQ": f.qq.Text, "邮箱": f.email.Text, "发展团员编号": f.memberNo.Text, "现任团内职务": f.post.Selected,
		"任现职年月": f.postSince.Text, "团干部性质": f.nature.Selected, "是否同级党委（支部）成员": yn(f.party.Checked),
		"发展日期": f.developed.Text,
	}
}

func (f *memberForm) onSave() {
	u := f.m.u
	f.msg.SetText("")
	var saved app.Member
	var err error
	if f.editing != nil {
		saved, err = u.svc.EditMemberAt(u.ctx, u.sess, f.editing.IDNo, f.version, f.fields())
	} else {
		mem := app.Member{OrgID: f.org.ID, Name: f.name.Text, IDNo: f.id.Text}
		for k, v := range f.fields() {
			if err = mem.SetField(k, v); err != nil {
				break
			}
		}
		if err == nil {
			saved, err = u.svc.AddMember(u.ctx, u.sess, mem)
		}
	}
	u.noteServer(err) // a lost server: the form stays open with its text (offline.go)
	if err != nil {
		f.msg.SetText(app.ErrorMessage(err))
		if app.IsStale(err) {
			f.reload.Show()
		}
		return
	}
	f.d.Hide()
	if f.onSaved != nil {
		f.onSaved(saved)
	}
}

// prefill fills a new-member form from a removed record (R-E1 re-entry):
// 姓名 and 身份证号 stay editable, the wrong one is left empty.
func (f *memberForm) prefill(m app.Member) {
	f.fill(m)
	f.name.Enable()
	f.id.Enable()
	f.name.SetText(m.Name)
	f.id.SetText(m.IDNo)
}
