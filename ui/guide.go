package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"tuanwu/app"
	"tuanwu/assets"
)

// guideMenu is the 帮助 menu's entry for the built-in guide (issue 11).
const guideMenu = "使用说明…"

// A guideBlock is one paragraph of the guide: a heading, a text or a
// screenshot (a file of assets/guide, made from the current screens by
// TestGuideScreens -guide-shots) with its caption.
type guideBlock struct {
	heading, text, image string
}

// A guideChapter is one entry of the guide's table of contents.
type guideChapter struct {
	title  string
	blocks []guideBlock
}

func h(s string) guideBlock                { return guideBlock{heading: s} }
func p(s string) guideBlock                { return guideBlock{text: s} }
func shot(file, caption string) guideBlock { return guideBlock{image: file, text: caption} }

// guideChapters is the guide: the annual cycle step by step, where each
// notice of 操作中心 leads, the import template and the letter.
func guideChapters() []guideChapter {
	return []guideChapter{
		{"一年的工作", []guideBlock{
			p("团务台按“智慧团建”的做法管理本校的团员和团组织。左侧是组织树，点一个组织，右侧显示它的基本信息、下级组织、团员和管理员。每一次修改都记入操作日志（工具 → 操作日志）。"),
			shot("main.png", "主窗口：左侧组织树，右侧是所选团支部的团员名单"),
			h("毕业季的顺序"),
			p("1. 标记毕业时间：校团委或学院团委给每个团支部标记预计毕业年月。\n2. 标记延迟毕业团员和教师：毕业班里不随班毕业的人单独标记。\n3. 办理转出：给毕业生办理组织关系转出。\n4. 审批：转出和转入双方在 15 天内审批，委员会还要分配团支部。\n5. 删除空支部：团员全部转出后，删除空的毕业班团支部。\n6. 新生转入：新生入学后办理转入，或用模板导入新生名单。"),
			p("每一步需要办理的事项都会出现在“业务办理 → 操作中心”里，点“处理”直接打开办理的地方。"),
			p("想先练习？新建数据文件时选择“载入演示数据”，演示数据是练习数据，窗口上方有黄色提示条，可以设置模拟日期，把一年的流程完整走一遍，不会影响正式数据。"),
		}},
		{"1. 标记毕业时间", []guideBlock{
			p("在组织树中点学院团委（或校团委），打开“下级组织”页，点“标记毕业时间”。列表中勾选团支部，程序按年级和学制给出默认毕业时间（本科 4 年：2022级 → 2026-06；研究生 2 年、2.5 年、3 年各有默认），可以逐个修改。"),
			p("无法确定毕业时间的团支部，在“原因”中选择“教师支部”或“混合支部”。确认前程序会说明标记的后果。"),
			shot("grad.png", "标记毕业时间：未标记的团支部已勾选"),
			p("标错了可以改：在下级组织列表中选中团支部，点“修改毕业时间”。到了校团委设置的转换日期（工具 → 毕业生团组织转换日期），本年度毕业的团支部自动转为“毕业生团组织”。"),
			p("工具 → 导出附件4 可以导出尚未标记毕业时间的团支部名单（默认是您管理的全部范围）。"),
		}},
		{"2. 延迟毕业团员和教师", []guideBlock{
			p("在组织树中点已标记毕业时间的团支部，在团员页点“更多操作 → 标记延迟毕业团员/教师…”。勾选团员，选择“标记为延迟毕业团员”（填写晚于本支部的预计毕业年月和原因）或“标记为教师”。"),
			shot("marks.png", "标记延迟毕业团员/教师"),
			p("被标记的团员可以正常办理转接，但不参加学社衔接。撤销标记后，团员恢复为随本支部毕业的普通毕业生。团员名单的“身份”一列显示 毕业生 / 延迟毕业团员 / 教师。"),
		}},
		{"3. 办理转出", []guideBlock{
			p("在团员页选中团员，点“更多操作 → 办理转出（选中的团员）…”，或“整支部办理转出…”一次办理整个支部。选择转接原因，按原因填写要求的内容：升学填学校名称和地址，已落实工作单位填单位和地址，出国（境）学习研究填去向、期限和国内联系人，参军入伍或涉密转往特殊单位团组织，不用选转入组织。"),
			p("转入组织在本数据文件中时，直接从组织树中选择；不在时（外校、外地、单位），在“校外组织”中填写它的全称，程序记入校外组织目录，下次可以直接选。每次都要回答“转入组织是否属于北京/广东/福建”。"),
			shot("transfer.png", "办理转出：选择原因和转入组织"),
			p("提交后，转接进入审批：由转入组织审批；转入组织是团委时，审批后还要分配到团支部。转往校外组织的，由本校记录对方的答复。"),
		}},
		{"4. 审批和分配", []guideBlock{
			p("“业务办理 → 组织关系转接办理与审批”列出等待您审批的转接。点选一件（或勾选多件一并办理），点“通过”或“退回”（退回要写原因，团员留在原组织）；双击一件查看详情。委员会审批后，用“分配团支部”把团员分到下级团支部。办完按 Esc 或点“返回主界面”回到组织树。"),
			shot("center.png", "组织关系转接办理与审批"),
			p("每一步审批都要在 15 天内办理：超过 10 天未办理，登录时和操作中心里会提醒；满 15 天系统默认通过，并记入办理过程。分配团支部不会自动完成。"),
			p("校外组织一方的审批：收到对方答复后，在转接详情中点“记录对方已同意”或“记录对方退回”，并填写得知答复的日期。"),
		}},
		{"5. 删除空支部", []guideBlock{
			p("毕业班的团员全部转出后，团支部就空了。在组织树中点这个团支部，在“基本信息”页点“删除”。只有没有团员、没有下级组织、没有进行中转接的团支部可以删除。已转出的团员记录保留在上级组织的“已转出团员”页，随时可以查到。"),
		}},
		{"6. 新生转入", []guideBlock{
			p("新生的组织关系由接收的团支部或学院团委办理转入：在团员页点“更多操作 → 办理转入…”，填写姓名和身份证号。团员在本数据文件中时程序会找到他；来自外校或外地的，勾选“此人尚未录入本系统，从校外组织转入（如新生）”并填写对方组织名称。对方同意（或满 15 天默认通过）后，团员进入本支部；来自校外的新团员要补全民族、政治面貌、文化程度和入团年月，操作中心会提醒。"),
			p("整班新生也可以用导入模板一次录入，见“导入团员名单”。"),
		}},
		{"操作中心的提醒", []guideBlock{
			p("“业务办理 → 操作中心”列出您需要办理或知道的事项，登录后有待办事项时会自动打开。每一项右边的“处理”打开办理它的地方（按 Esc 返回）："),
			shot("notices.png", "操作中心"),
			p(app.NoticeApprove + "、" + app.NoticeOverdue + "、" + app.NoticeAssign + "：打开“组织关系转接办理与审批”，这一笔转接已选中。"),
			p(app.NoticeOutside + "：打开转接详情，在那里记录对方已同意或退回。"),
			p(app.NoticeMine + "：打开您发起的这一笔转接的详情，可以看到它在等待谁办理。"),
			p(app.NoticeKeep + "、" + app.NoticeKeepOver + "：未就业留校保留最长 6 个月，打开转接详情，办理转往户籍所在地的组织。"),
			p(app.NoticeLate + "、" + app.NoticeIncomplete + "：打开这个团支部的团员页，补录或补全团员信息。"),
			p(app.NoticeUnmarked + "：打开标记毕业时间，未标记的团支部已勾选。"),
		}},
		{"导入团员名单", []guideBlock{
			p("先保存空白模板：工具 → 保存空白导入模板（或团员页“更多操作”中）。模板的列与全国“智慧团建导入团员团干部数据模板”相同：姓名、身份证号码、民族、政治面貌、文化程度、入团年月、是否团干部、手机号码、微博、QQ、邮箱、发展团员编号、现任团内职务、任现职年月、团干部性质、是否同级党委（支部）成员。"),
			p("填写要点：身份证号码和手机号码请设为文本格式（设为数字也能读，但 Excel 会把末尾变成 0，导入时会指出）；入团年月写成 2019-05 或 2019年5月；2017 年及以后入团的，发展团员编号必填，12 位，前 4 位是入团年份；政治面貌、文化程度、团内职务只能填模板下拉列表中的值。"),
			p("导入：点团支部，在团员页点“更多操作 → 从 Excel 导入团员…”，选择填好的文件。程序先逐行检查并显示预览，有问题的行写明原因和改法；可以只导入没有问题的行，有问题的行改好后再导入一次。已在别处登记的身份证号不会重复录入，程序会建议办理转入。"),
			shot("import.png", "导入预览：每一行的检查结果"),
		}},
		{"打印介绍信", []guideBlock{
			p("接收组织需要纸质介绍信时，由学院团委开具组织关系介绍信（附件2）：打开“业务办理 → 组织关系转接办理与审批”，选“介绍信”页，勾选要开具介绍信的转接（转往同一组织的团员合开一封），点“开具介绍信”，填写团费交至年月（例如 2026-06）和有效天数（例如 30），选择保存位置。程序生成 A4 的 PDF，可以直接打印、盖章。"),
			shot("letters.png", "介绍信页：勾选转接，开具介绍信"),
			p("介绍信按开具的团委统一编号（第 N 号），号码连续、不会重复使用；作废的介绍信号码也保留不用。同一页下方的“介绍信登记”列出已开具的全部介绍信，选中一封可以作废（要写原因）。转接详情中也写明它的介绍信编号。"),
		}},
		{"备份与恢复", []guideBlock{
			p("程序每天自动备份（保留最近 7 天、4 周、6 个月），导入和批量转接前也会先备份。文件 → 备份与恢复 可以立即备份、查看备份，或从备份恢复；恢复时原来的数据会改名保留，不会删除。请定期把备份文件复制到 U 盘或单位共享盘。"),
		}},
	}
}

// guideView is the 使用说明 window's content: chapters on the left, the
// chosen chapter on the right.
type guideView struct {
	chapters []guideChapter
	list     *widget.List
	body     *fyne.Container
	scroll   *container.Scroll
	d        fyne.CanvasObject
}

// newGuideView builds the guide, showing chapter 0.
func newGuideView() *guideView {
	g := &guideView{chapters: guideChapters()}
	g.body = container.NewVBox()
	g.scroll = container.NewVScroll(g.body)
	g.list = widget.NewList(func() int { return len(g.chapters) },
		func() fyne.CanvasObject { return widget.NewLabel("一年的工作一年的") },
		func(i widget.ListItemID, o fyne.CanvasObject) { o.(*widget.Label).SetText(g.chapters[i].title) })
	g.list.OnSelected = g.show
	split := container.NewHSplit(g.list, g.scroll)
	split.Offset = 0.22
	g.d = split
	g.list.Select(0)
	return g
}

// show puts chapter i on the right.
func (g *guideView) show(i int) {
	if i < 0 || i >= len(g.chapters) {
		return
	}
	c := g.chapters[i]
	title := widget.NewLabelWithStyle(c.title, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	title.SizeName = "headingText"
	objs := []fyne.CanvasObject{title}
	for _, b := range c.blocks {
		switch {
		case b.heading != "":
			objs = append(objs, widget.NewLabelWithStyle(b.heading, fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
		case b.image != "":
			if res, err := assets.GuideImage(b.image); err == nil {
				img := canvas.NewImageFromResource(res)
				img.FillMode = canvas.ImageFillContain
				img.SetMinSize(fyne.NewSize(560, 383))
				objs = append(objs, img)
			}
			objs = append(objs, widget.NewLabelWithStyle("图："+b.text, fyne.TextAlignCenter, fyne.TextStyle{Italic: true}))
		default:
			l := widget.NewLabel(b.text)
			// Chinese has no spaces between words: break between characters.
			l.Wrapping = fyne.TextWrapBreak
			objs = append(objs, l)
		}
	}
	g.body.Objects = objs
	g.body.Refresh()
	g.scroll.ScrollToTop()
}

// showGuide opens 帮助 → 使用说明 as a dialog that fits the window.
func showGuide(u *UI) *guideView {
	g := newGuideView()
	d := fitCustom(u.Win, "使用说明", "关闭", 980, 680, g.d)
	d.Show()
	return g
}
