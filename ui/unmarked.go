package ui

import (
	"fmt"
	"io"

	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"tuanwu/app"
)

// unmarkedExport asks which organization 附件4 covers before writing it
// (R-G6): by default the account's whole scope, not whatever happens to be
// selected in the tree; an export that would be empty is confirmed first.
type unmarkedExport struct {
	u      *UI
	orgs   []app.Org
	scope  *widget.RadioGroup
	labels []string
	msg    *widget.Label
	ok     *widget.Button
	d      dialog.Dialog
	empty  dialog.Dialog // the “将是一张空表” confirmation, for tests
	saving app.Org       // the organization about to be saved, for tests
}

// onUnmarkedReport is 工具 → 导出附件4.
func (u *UI) onUnmarkedReport() { showUnmarkedExport(u) }

func showUnmarkedExport(u *UI) *unmarkedExport {
	e := &unmarkedExport{u: u}
	roots, err := u.svc.RootOrgs(u.ctx, u.sess)
	if err != nil {
		u.showError(err)
		return e
	}
	if u.sess.Owner && len(roots) > 1 {
		roots = roots[:1] // the store's own root; the rest are outside organizations
	}
	seen := map[int64]bool{}
	for _, o := range roots {
		e.orgs = append(e.orgs, o)
		e.labels = append(e.labels, "全部管理范围："+o.FullName)
		seen[o.ID] = true
	}
	if u.main != nil && u.main.page.org.ID != 0 && !seen[u.main.page.org.ID] {
		o := u.main.page.org
		e.orgs = append(e.orgs, o)
		e.labels = append(e.labels, "当前选中的组织："+o.FullName)
	}
	if len(e.orgs) == 0 {
		u.showError(app.Errorf(app.EForbidden, "您没有可以导出附件4的组织。"))
		return e
	}
	e.scope = widget.NewRadioGroup(e.labels, nil)
	e.scope.SetSelected(e.labels[0])
	e.msg = errorLabel()
	e.ok = widget.NewButtonWithIcon("选择保存位置…", theme.DocumentSaveIcon(), e.onOK)
	e.ok.Importance = widget.HighImportance
	head := wrapLabel("附件4（目前尚未标记的团支部团员信息汇总表）列出所选组织下全部尚未标记毕业时间的团支部及其团员，含完整身份证号，导出记入操作日志。请选择范围：")
	body := scrollAbove(container.NewVBox(head, e.scope),
		container.NewVBox(e.msg, container.NewHBox(spacer(), widget.NewButton("取消", func() { e.d.Hide() }), e.ok)))
	e.d = fitDialog(u.Win, "导出附件4", 600, 300, body)
	e.d.Show()
	return e
}

// selected is the organization the chosen scope names.
func (e *unmarkedExport) selected() app.Org {
	for i, l := range e.labels {
		if l == e.scope.Selected {
			return e.orgs[i]
		}
	}
	return e.orgs[0]
}

func (e *unmarkedExport) onOK() {
	u := e.u
	org := e.selected()
	list, err := u.svc.Unmarked(u.ctx, u.sess, org.ID)
	if err != nil {
		e.msg.SetText(app.ErrorMessage(err))
		return
	}
	e.d.Hide()
	if len(list) > 0 {
		e.save(org)
		return
	}
	e.empty = fitConfirm(u.Win, "附件4 将是空表", "仍然导出", "取消", 460, 120,
		wrapLabel(fmt.Sprintf("“%s”下没有尚未标记毕业时间的团支部，导出的附件4 将是一张空表。仍要导出吗？", org.Name)),
		func(ok bool) {
			if ok {
				e.save(org)
			}
		})
	e.empty.Show()
}

// save asks where to write 附件4 of org, named so that the file says what it is.
func (e *unmarkedExport) save(org app.Org) {
	u := e.u
	e.saving = org
	name := fmt.Sprintf("附件4-未标记团支部-%s-%s.xlsx", org.Name, u.svc.Now().Format("2006-01-02"))
	saveFile(u, "导出附件4", name, func(w io.Writer) (string, error) {
		// 附件4 carries full 身份证号: the export is audited (issue 10, item 5).
		list, err := u.svc.ExportUnmarked(u.ctx, u.sess, org.ID, func(list []app.UnmarkedBranch) error { return u.Codecs.WriteUnmarked(w, list) })
		if err != nil {
			return "", err
		}
		return fmt.Sprintf("“%s”下共 %d 个团支部尚未标记毕业时间。", org.Name, len(list)), nil
	})
}
