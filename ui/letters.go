package ui

import (
	"fmt"
	"log"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"tuanwu/app"
	"tuanwu/data/files"
)

// letterView is the 介绍信 tab (R-T7, R-L1, R-L2): tick transfers, issue
// numbered 组织关系介绍信 as one PDF opened in the system viewer, and the
// register of every letter issued, where a letter is voided with a reason
// and keeps its number.
type letterView struct {
	c        *transferCenter
	list     *transferTable
	search   *widget.Entry
	issue    *widget.Button
	register *widget.Table
	records  []app.LetterRecord
	regSel   int
	void     *widget.Button
	msg      *widget.Label
	// The issue dialog's inputs and the last PDF written, kept for tests.
	dues, days *widget.Entry
	issueMsg   *widget.Label
	issueOK    *widget.Button
	voidReason *widget.Entry
	lastPath   string
	// saveFile asks where to write the PDF; tests replace it.
	saveFile func(name string, then func(path string))
}

var letterCols = []struct {
	title string
	width float32
}{{"编号", 80}, {"开具团委", 260}, {"致", 260}, {"团员", 200}, {"人数", 50}, {"日期", 100}, {"状态", 220}}

func newLetterView(c *transferCenter) *letterView {
	v := &letterView{c: c, regSel: -1}
	v.list = newTransferTable(clockOf(c.u), true, colNo, colName, colState, colTo, colStart)
	v.list.onPick = v.updateButtons
	v.search = widget.NewEntry()
	v.search.SetPlaceHolder("按编号、姓名或身份证号前几位筛选")
	v.search.OnChanged = func(string) { v.showList(false) }
	v.issue = widget.NewButtonWithIcon("开具介绍信", theme.DocumentPrintIcon(), v.onIssue)
	v.issue.Importance = widget.HighImportance
	v.void = widget.NewButtonWithIcon("作废", theme.DeleteIcon(), v.onVoid)
	v.msg = widget.NewLabel("")
	v.msg.Wrapping = fyne.TextWrapWord
	v.register = widget.NewTableWithHeaders(func() (int, int) { return len(v.records), len(letterCols) },
		func() fyne.CanvasObject { l := widget.NewLabel(""); l.Truncation = fyne.TextTruncateEllipsis; return l },
		v.updateRecord)
	v.register.ShowHeaderColumn = false
	v.register.CreateHeader = func() fyne.CanvasObject { return widget.NewLabel("") }
	v.register.UpdateHeader = func(id widget.TableCellID, o fyne.CanvasObject) {
		if id.Row < 0 && id.Col >= 0 {
			o.(*widget.Label).SetText(letterCols[id.Col].title)
		}
	}
	for i, col := range letterCols {
		v.register.SetColumnWidth(i, col.width)
	}
	v.register.OnSelected = func(id widget.TableCellID) { v.regSel = id.Row; v.updateButtons() }
	v.saveFile = v.askFile
	return v
}

func (v *letterView) build() fyne.CanvasObject {
	top := container.NewBorder(widget.NewLabel("勾选要开具介绍信的转接（同一转入组织的团员合开一封，编号按开具团委连续编排，作废后不再使用）："),
		nil, nil, container.NewHBox(widget.NewButton("全不选", func() { v.list.setAll(false) }), v.issue), v.search)
	bottom := container.NewBorder(container.NewBorder(nil, nil, widget.NewLabel("介绍信登记"), container.NewHBox(v.void), v.msg), nil, nil, nil, v.register)
	split := container.NewVSplit(container.NewBorder(top, nil, nil, nil, v.list.box()), bottom)
	split.Offset = 0.5
	return split
}

// reload lists the transfers a letter can be issued for and the register.
func (v *letterView) reload(prune bool) {
	v.showList(prune)
	v.loadRegister()
}

// showList lists the transfers a letter can be issued for; prune drops
// checks of transfers no longer listed.
func (v *letterView) showList(prune bool) {
	var rows []app.Transfer
	for _, t := range filterTransfers(v.c.allRows, v.search.Text) {
		switch t.State {
		case app.StateRejected, app.StateKept, app.StateKeptEnded:
			continue
		}
		if t.ToOrg != 0 {
			rows = append(rows, t)
		}
	}
	if prune && strings.TrimSpace(v.search.Text) != "" {
		prune = false // a filtered list does not show every checked transfer
	}
	v.list.setRows(rows, prune)
	v.updateButtons()
}

// loadRegister reads the letter register again.
func (v *letterView) loadRegister() {
	recs, err := v.c.u.svc.Letters(v.c.u.ctx, v.c.u.sess)
	if err != nil {
		v.msg.SetText(app.ErrorMessage(err))
	} else {
		v.msg.SetText(fmt.Sprintf("共 %d 封", len(recs)))
	}
	v.records = recs
	v.regSel = -1
	v.register.UnselectAll()
	v.register.Refresh()
	v.updateButtons()
}

func (v *letterView) updateButtons() {
	setEnabled(v.issue, len(v.list.checked) > 0)
	ok := v.regSel >= 0 && v.regSel < len(v.records)
	setEnabled(v.void, ok && v.records[v.regSel].VoidedAt.IsZero())
}

// letterNo is how the register writes a letter's number.
func letterNo(n int) string { return "第 " + strconv.Itoa(n) + " 号" }

func (v *letterView) updateRecord(id widget.TableCellID, o fyne.CanvasObject) {
	l := o.(*widget.Label)
	if id.Row >= len(v.records) {
		l.SetText("")
		return
	}
	r := v.records[id.Row]
	var s string
	switch id.Col {
	case 0:
		s = letterNo(r.Letter.No)
	case 1:
		s = r.Issuer
	case 2:
		s = r.Letter.Recipient
	case 3:
		s = strings.Join(r.Letter.Names, "、")
	case 4:
		s = strconv.Itoa(r.Letter.Count())
	case 5:
		s = r.Letter.Date.In(app.Shanghai).Format("2006-01-02")
	case 6:
		s = "有效"
		if !r.VoidedAt.IsZero() {
			s = "已作废：" + r.Letter.VoidReason
		}
	}
	l.SetText(s)
}

// onIssue asks for 团费交至 and 有效期限, then issues and prints.
func (v *letterView) onIssue() {
	nos := make([]int64, 0, len(v.list.checked))
	for no := range v.list.checked {
		nos = append(nos, no)
	}
	slices.Sort(nos)
	if len(nos) == 0 {
		v.c.showError(app.Errorf(app.EInvalid, "请先勾选要开具介绍信的转接。"))
		return
	}
	u := v.c.u
	v.dues, v.days = widget.NewEntry(), widget.NewEntry()
	v.dues.SetText(u.svc.Now().Format("2006-01"))
	v.dues.SetPlaceHolder("例如 2026-06")
	v.days.SetText("30")
	v.issueMsg = errorLabel()
	var d dialog.Dialog
	v.issueOK = widget.NewButtonWithIcon("开具并打印", theme.DocumentPrintIcon(), func() {
		days, err := strconv.Atoi(strings.TrimSpace(v.days.Text))
		if err != nil {
			v.issueMsg.SetText("有效期限请填写天数，例如 30。")
			return
		}
		letters, err := u.svc.IssueLetters(u.ctx, u.sess, nos, app.LetterOptions{Dues: v.dues.Text, ValidDays: days})
		if err != nil {
			log.Printf("issue letters: %v", err)
			v.issueMsg.SetText(app.ErrorMessage(err))
			return
		}
		d.Hide()
		v.list.setAll(false)
		v.reload(true)
		v.print(letters)
	})
	v.issueOK.Importance = widget.HighImportance
	form := widget.NewForm(widget.NewFormItem("团费交至（年-月）", v.dues), widget.NewFormItem("有效期限（天）", v.days))
	head := wrapLabel(fmt.Sprintf("为 %d 件转接开具组织关系介绍信。开具后编号即被占用，作废也不再使用。", len(nos)))
	body := scrollAbove(container.NewVBox(head, form), container.NewVBox(v.issueMsg, container.NewHBox(spacer(), widget.NewButton("取消", func() { d.Hide() }), v.issueOK)))
	d = fitDialog(v.c.w, "开具介绍信", 480, 280, body)
	d.Show()
}

// print asks where to save the letters, writes one PDF and opens it.
func (v *letterView) print(letters []app.Letter) {
	if len(letters) == 0 {
		return
	}
	var nums []string
	for _, l := range letters {
		nums = append(nums, strconv.Itoa(l.No))
	}
	name := "组织关系介绍信-第" + strings.Join(nums, "、") + "号.pdf"
	if len(nums) > 3 {
		name = fmt.Sprintf("组织关系介绍信-第%s至%s号.pdf", nums[0], nums[len(nums)-1])
	}
	v.saveFile(name, func(path string) {
		if path == "" {
			v.askAgain(letters)
			return
		}
		v.write(path, letters)
	})
}

// askAgain reminds that issued letters have no PDF yet: their numbers are
// taken, so the PDF should be saved now.
func (v *letterView) askAgain(letters []app.Letter) {
	text := fmt.Sprintf("%s等 %d 封介绍信已开具（编号已占用），但还没有保存 PDF。\n现在保存吗？不保存的话，需作废后重新开具。", letterNo(letters[0].No), len(letters))
	dialog.ShowCustomConfirm("尚未保存", "保存 PDF", "不保存", wrapLabel(text), func(ok bool) {
		if ok {
			v.print(letters)
		}
	}, v.c.w)
}

// write renders the PDF off the UI goroutine, then opens it in the system viewer.
func (v *letterView) write(path string, letters []app.Letter) {
	u := v.c.u
	if u.Codecs.WriteLetters == nil {
		v.c.showError(app.Errorf(app.EInternal, "本程序未配置介绍信打印，无法生成 PDF。"))
		return
	}
	busy := dialog.NewCustomWithoutButtons("正在生成介绍信", container.NewVBox(widget.NewLabel(fmt.Sprintf("正在生成 %d 封介绍信的 PDF…", len(letters))),
		container.NewGridWrap(fyne.NewSize(360, 36), widget.NewProgressBarInfinite())), v.c.w)
	busy.Show()
	u.run(func() error {
		f, err := files.Create(path) // private: 0600
		if err != nil {
			return app.Wrap(app.EInternal, err, "无法写入文件“%s”，请换一个位置保存。", path)
		}
		if err := u.Codecs.WriteLetters(f, letters); err != nil {
			f.Close()
			os.Remove(path)
			return err
		}
		return f.Close()
	}, func(err error) {
		busy.Hide()
		if err != nil {
			v.c.showError(err)
			return
		}
		v.lastPath = path
		u.openSavedOn(v.c.w, path, func(err error) {
			if err == nil {
				showInfo("介绍信", "已生成介绍信 PDF 并用系统查看器打开，可直接打印（A4）：\n"+path, v.c.w)
			}
		})
	})
}

// fileURL is path as a file:// URL for App.OpenURL.
func fileURL(path string) *url.URL {
	u, err := url.Parse(storage.NewFileURI(path).String())
	if err != nil {
		return &url.URL{Scheme: "file", Path: path}
	}
	return u
}

// askFile lets the user choose where to save the PDF; "" when cancelled.
func (v *letterView) askFile(name string, then func(path string)) {
	v.c.u.chooseFileOn(v.c.w, fileRequest("保存介绍信 PDF", true, name, pdfFile), then)
}

// onVoid voids the selected letter with a reason; its number stays used (R-L1).
func (v *letterView) onVoid() {
	if v.regSel < 0 || v.regSel >= len(v.records) {
		return
	}
	r := v.records[v.regSel]
	u := v.c.u
	v.voidReason = widget.NewEntry()
	v.voidReason.SetPlaceHolder("作废原因，例如：转入组织填写有误")
	body := container.NewVBox(wrapLabel(fmt.Sprintf("作废%s的%s介绍信（致%s）。作废后该编号不再使用。", r.Issuer, letterNo(r.Letter.No), r.Letter.Recipient)), v.voidReason)
	d := dialog.NewCustomConfirm("作废介绍信", "作废", "取消", body, func(ok bool) {
		if !ok {
			return
		}
		if err := u.svc.VoidLetter(u.ctx, u.sess, r.Letter.No, r.IssuerOrg, v.voidReason.Text); err != nil {
			v.c.showError(err)
			return
		}
		v.loadRegister()
	}, v.c.w)
	fitResize(v.c.w, d, 520, 240)
	d.Show()
}
