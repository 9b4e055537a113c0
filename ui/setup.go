package ui

import (
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"tuanwu/app"
	"tuanwu/assets"
)

func fontLicence() string { return assets.FontLicence }

// setupScreen is the first start with no store: 新建组织 or 载入演示数据.
type setupScreen struct {
	u         *UI
	orgName   *widget.Entry
	kind      *widget.Select
	province  *widget.SelectEntry
	adminName *widget.Entry
	adminID   *widget.Entry
	practice  *widget.Check // 练习数据: a store for training that runs on a chosen date
	msg       *widget.Label
	create    *widget.Button
	demo      *widget.Button
}

func newSetupScreen(u *UI) *setupScreen {
	s := &setupScreen{u: u}
	s.orgName = widget.NewEntry()
	s.orgName.SetPlaceHolder("例如：浙江工商大学团委")
	s.kind = newSelect([]string{app.KindCommittee, app.KindWorkCommittee, app.KindCity, app.KindProvince}, nil)
	s.kind.SetSelected(app.KindCommittee)
	s.province = widget.NewSelectEntry(app.Provinces)
	s.province.SetText("浙江")
	s.adminName = widget.NewEntry()
	s.adminName.SetPlaceHolder("现任团委书记或负责人的姓名")
	s.adminID = widget.NewEntry()
	s.adminID.SetPlaceHolder("18 位身份证号，即登录账号")
	s.practice = widget.NewCheck("这是练习数据（供培训演练，可调整日期；正式工作请不要勾选）", nil)
	s.msg = errorLabel()
	s.create = widget.NewButtonWithIcon("新建组织", theme.ConfirmIcon(), s.onCreate)
	s.create.Importance = widget.HighImportance
	s.demo = widget.NewButtonWithIcon("载入演示数据", theme.DownloadIcon(), s.onDemo)
	return s
}

func (s *setupScreen) build() fyne.CanvasObject {
	title := canvas.NewText("欢迎使用团务台", theme.Color(theme.ColorNamePrimary))
	title.TextSize = 26
	intro := widget.NewLabel("还没有存储数据。请建立本单位的根组织（校团委等）和第一位管理员，或先载入一所演示大学试用。\n" + s.u.storeLabel("存储文件："))
	intro.Wrapping = fyne.TextWrapWord
	form := widget.NewForm(
		widget.NewFormItem("根组织名称", s.orgName),
		widget.NewFormItem("组织类型", s.kind),
		widget.NewFormItem("所在省份", s.province),
		widget.NewFormItem("管理员姓名", s.adminName),
		widget.NewFormItem("管理员身份证号", s.adminID),
		widget.NewFormItem("", s.practice),
	)
	note := widget.NewLabel("管理员的账号为其身份证号，初始密码为身份证号后 8 位，首次登录须修改密码。")
	note.Wrapping = fyne.TextWrapWord
	createCard := widget.NewCard("新建组织", "", container.NewVBox(form, note, s.msg, container.NewHBox(spacer(), s.create)))
	demoText := widget.NewLabel("载入“浙江明理大学”演示数据：约 20 个学院团委、800 多个团支部、20000 名团员，以及外校、乡镇街道和北京、广东、福建的组织，供试用和培训。演示数据是练习数据，可以调整日期。")
	demoText.Wrapping = fyne.TextWrapWord
	demoCard := widget.NewCard("载入演示数据", "", container.NewVBox(demoText, container.NewHBox(spacer(), s.demo)))
	cards := []fyne.CanvasObject{title, intro}
	if !isServerLoc(s.u.Path) { // on the server already: its root is set up here
		// A school whose offices share the server connects instead of setting up.
		server := widget.NewButtonWithIcon(connectServerMenu, theme.ComputerIcon(), func() { showServerForm(s.u) })
		cards = append(cards, container.NewBorder(nil, nil, nil, server,
			wrapLabel("各单位共用学校信息中心的服务器时，请直接连接：")))
	}
	cards = append(cards, createCard, demoCard)
	body := container.NewVBox(cards...)
	return container.NewCenter(container.NewGridWrap(fyne.NewSize(620, 640), formScroll(body)))
}

func (s *setupScreen) onCreate() {
	in := app.InitInput{OrgName: s.orgName.Text, Kind: s.kind.Selected, Province: s.province.Text,
		AdminName: s.adminName.Text, AdminID: s.adminID.Text, Practice: s.practice.Checked}
	s.msg.SetText("")
	s.create.Disable()
	s.u.run(func() error { _, err := s.u.svc.Init(s.u.ctx, in); return err }, func(err error) {
		s.create.Enable()
		if err != nil {
			s.msg.SetText(app.ErrorMessage(err))
			return
		}
		id := app.NormalizeID(in.AdminID)
		s.u.showLogin(id, "组织已建立。请用管理员账号登录，初始密码为身份证号后 8 位。")
	})
}

func (s *setupScreen) onDemo() {
	s.demo.Disable()
	p := showProgress(s.u, "正在载入演示数据", "正在生成组织和团员，请稍候…")
	var res app.DemoResult
	s.u.run(func() (err error) {
		res, err = s.u.svc.Demo(s.u.ctx, app.DemoOptions{}, p.Set)
		return err
	}, func(err error) {
		p.Hide()
		s.demo.Enable()
		if err != nil {
			s.msg.SetText(app.ErrorMessage(err))
			return
		}
		s.u.showLogin(res.AdminID, fmt.Sprintf("已载入演示数据：%d 个组织，%d 名团员。演示管理员 %s，初始密码 %s。",
			res.Orgs, res.Members, res.AdminName, res.InitialPassword))
	})
}
