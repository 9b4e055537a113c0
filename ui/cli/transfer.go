package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"tuanwu/app"
	"tuanwu/data/files"
)

type stepJSON struct {
	Seq      int    `json:"seq"`
	Kind     string `json:"kind"`
	OrgID    int64  `json:"org_id"`
	Org      string `json:"org"`
	OpenedAt string `json:"opened_at"`
	DueAt    string `json:"due_at"`
	ActedAt  string `json:"acted_at"`
	Outcome  string `json:"outcome"`
	Actor    string `json:"actor"`
	Note     string `json:"note"`
	DaysLeft *int   `json:"days_left,omitempty"`
	// An outside step (R-W2): recorded here, its answer learned on that day.
	Outside   bool   `json:"outside,omitempty"`
	LearnedOn string `json:"learned_on,omitempty"`
}

type transferJSON struct {
	No           int64      `json:"no"`
	Number       int64      `json:"number"`
	IDNo         string     `json:"id_no"`
	Name         string     `json:"name"`
	FromOrgID    int64      `json:"from_org_id"`
	FromOrg      string     `json:"from_org"`
	ToOrgID      int64      `json:"to_org_id"`
	ToOrg        string     `json:"to_org"`
	Reason       string     `json:"reason"`
	Scope        string     `json:"scope"`
	Unit         string     `json:"unit"`
	Address      string     `json:"address"`
	Remark       string     `json:"remark"`
	KeepUntil    string     `json:"keep_until,omitempty"`
	AbroadPlace  string     `json:"abroad_place,omitempty"`
	AbroadPeriod string     `json:"abroad_period,omitempty"`
	Contact      string     `json:"contact,omitempty"`
	ContactPhone string     `json:"contact_phone,omitempty"`
	Initiator    string     `json:"initiator"`
	State        string     `json:"state"`
	RejectReason string     `json:"reject_reason,omitempty"`
	CreatedAt    string     `json:"created_at"`
	FinishedAt   string     `json:"finished_at"`
	Steps        []stepJSON `json:"steps"`
	FromOutside  bool       `json:"from_outside,omitempty"` // R-W4
	ToOutside    bool       `json:"to_outside,omitempty"`   // R-W1
	Letters      []int      `json:"letters"`                // numbers of its introduction letters (R-L1)
}

func day(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(app.Shanghai).Format("2006-01-02")
}

func transferOut(t app.Transfer, now time.Time) transferJSON {
	j := transferJSON{No: t.No, Number: t.No, IDNo: t.IDNo, Name: t.Name, FromOrgID: t.FromOrg, FromOrg: t.FromName, ToOrgID: t.ToOrg,
		ToOrg: t.ToName, Reason: t.Reason, Scope: t.Scope, Unit: t.Unit, Address: t.Address, Remark: t.Remark, KeepUntil: t.KeepUntil,
		AbroadPlace: t.AbroadPlace, AbroadPeriod: t.AbroadPeriod, Contact: t.Contact, ContactPhone: t.ContactPhone,
		Initiator: t.Initiator, State: t.State, RejectReason: t.RejectReason, CreatedAt: day(t.CreatedAt), FinishedAt: day(t.FinishedAt),
		Steps: []stepJSON{}, FromOutside: t.FromOut, ToOutside: t.ToOut, Letters: append([]int{}, t.Letters...)}
	for _, s := range t.Steps {
		sj := stepJSON{Seq: s.Seq, Kind: s.Kind, OrgID: s.OrgID, Org: s.OrgName, OpenedAt: day(s.OpenedAt), DueAt: day(s.DueAt),
			ActedAt: day(s.ActedAt), Outcome: s.Outcome, Actor: app.MaskID(s.Actor), Note: s.Note, Outside: s.Outside, LearnedOn: s.LearnedOn}
		if s.IsOpen() && !s.DueAt.IsZero() {
			d := s.DaysLeft(now)
			sj.DaysLeft = &d
		}
		j.Steps = append(j.Steps, sj)
	}
	return j
}

func printTransfer(w io.Writer, t transferJSON) {
	fmt.Fprintf(w, "第 %d 号  %s（%s）  %s  %s\n", t.No, t.Name, t.IDNo, t.Reason, t.State)
	fmt.Fprintf(w, "  转出：%s\n", t.FromOrg)
	if t.ToOrg != "" {
		fmt.Fprintf(w, "  转入：%s\n", t.ToOrg)
	}
	if t.KeepUntil != "" {
		fmt.Fprintf(w, "  留校保留至：%s\n", t.KeepUntil)
	}
	if t.RejectReason != "" {
		fmt.Fprintf(w, "  退回原因：%s\n", t.RejectReason)
	}
	if len(t.Letters) > 0 {
		fmt.Fprintf(w, "  介绍信：%s\n", letterNumbers(t.Letters))
	}
	for _, s := range t.Steps {
		status := "未开始"
		switch {
		case s.ActedAt != "" && s.LearnedOn != "":
			status = s.Outcome + "（" + s.LearnedOn + " 得知，" + s.ActedAt + " 记录）"
		case s.ActedAt != "":
			status = s.Outcome + " " + s.ActedAt
		case s.OpenedAt != "" && s.Outside:
			status = "等待对方（" + s.Org + "）办理"
			if s.DaysLeft != nil {
				status += fmt.Sprintf("，%d 天后未答复即默认通过", *s.DaysLeft)
			}
		case s.OpenedAt != "":
			status = "办理中"
			if s.DaysLeft != nil {
				status += fmt.Sprintf("，还剩 %d 天", *s.DaysLeft)
			}
		}
		org := s.Org
		if s.Outside {
			org += "（校外）"
		}
		fmt.Fprintf(w, "  %d. %s  %s  %s\n", s.Seq, s.Kind, org, status)
	}
}

// letterNumbers writes letter numbers as 第 1、3 号.
func letterNumbers(nos []int) string {
	parts := make([]string, len(nos))
	for i, n := range nos {
		parts[i] = strconv.Itoa(n)
	}
	return "第 " + strings.Join(parts, "、") + " 号"
}

var transferInputFlags = map[string]bool{"--reason": true, "--to": true, "--scope": true, "--unit": true, "--address": true,
	"--remark": true, "--keep-months": true, "--place": true, "--period": true, "--contact": true, "--phone": true,
	"--outside": true, "--province": true, "--outside-kind": true, "--outside-address": true, "--outside-contact": true, "--outside-phone": true}

func (r *run) transferInput(f flags) (app.TransferInput, error) {
	in := app.TransferInput{Reason: f.one("--reason"), Scope: f.one("--scope"), Unit: f.one("--unit"), Address: f.one("--address"),
		Remark: f.one("--remark"), AbroadPlace: f.one("--place"), AbroadPeriod: f.one("--period"), Contact: f.one("--contact"), ContactPhone: f.one("--phone")}
	if v := f.one("--keep-months"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			return in, usagef("--keep-months 应为 1 到 6 的整数。")
		}
		in.KeepMonths = n
	}
	// R-W1: an outside organization, as target (--outside) or, for
	// 办理转入, as origin (--from-outside).
	for _, k := range []string{"--outside", "--from-outside"} {
		if !f.set[k] {
			continue
		}
		o := &app.OutsideInput{Name: f.one(k), Province: f.one("--province"), Kind: f.one("--outside-kind"),
			Address: f.one("--outside-address"), Contact: f.one("--outside-contact"), Phone: f.one("--outside-phone")}
		if k == "--outside" {
			in.Outside = o
		} else {
			in.FromOutside = o
		}
	}
	if f.set["--outside"] && f.set["--to"] {
		return in, app.Errorf(app.EInvalid, "转入组织只能填一个：本系统中的组织（--to）或校外组织（--outside），请去掉其中一个。")
	}
	if to := f.one("--to"); to != "" {
		o, err := r.svc.ResolveOrg(r.ctx, r.sess, to)
		if err != nil && app.IsNotFound(err) && !strings.Contains(to, "/") {
			// --to may name a directory entry by its name (CLI.md).
			if list, lerr := r.svc.OutsideOrgs(r.ctx, r.sess, app.OutsideSearch{Text: to, Scope: "全部"}); lerr == nil {
				for _, x := range list {
					if app.NormalizeOrgName(x.Name) == app.NormalizeOrgName(to) {
						in.Outside = &app.OutsideInput{Name: x.Name, Province: x.Province}
						return in, nil
					}
				}
			}
		}
		if err != nil {
			return in, err
		}
		in.ToOrg = o.ID
	}
	return in, nil
}

func (r *run) transfer(args []string) error {
	if len(args) == 0 {
		return usagef("用法：transfer start|pull|approve|confirm|reject|assign|show|list ...")
	}
	sub, args := args[0], args[1:]
	switch sub {
	case "start", "pull":
		spec := map[string]bool{}
		for k, v := range transferInputFlags {
			spec[k] = v
		}
		if sub == "pull" {
			spec["--name"], spec["--id"], spec["--from-outside"] = true, true, true
		}
		f, err := parseFlags(args, spec)
		if err != nil {
			return err
		}
		if f.one("--reason") == "" || (sub == "start" && len(f.pos) == 0) || (sub == "pull" && (f.one("--id") == "" || f.one("--name") == "" || len(f.pos) > 0)) {
			if sub == "pull" {
				return usagef("用法：transfer pull --name 姓名 --id 身份证号 --reason 原因 [--to 本组织下的组织] [--from-outside 原所在校外组织 [--province 省份]] [--unit 学校] [--address 地址]")
			}
			return usagef("用法：transfer start 身份证号... --reason 原因 [--to 组织 | --outside 校外组织全称 [--province 省份]] [--scope 北京|广东|福建|否] [--unit 名称] [--address 地址] [--remark 备注] [--keep-months N]")
		}
		if err := r.signIn(false); err != nil {
			return err
		}
		in, err := r.transferInput(f)
		if err != nil {
			return err
		}
		now := r.svc.Now()
		if sub == "pull" {
			in.IDNos, in.Name = []string{f.one("--id")}, f.one("--name")
			t, err := r.svc.PullTransfer(r.ctx, r.sess, in)
			if err != nil {
				return err
			}
			return r.out(transferOut(t, now), func(w io.Writer) {
				fmt.Fprintf(w, "已发起办理转入，转接编号：%d\n", t.No)
			})
		}
		in.IDNos = f.pos
		list, err := r.svc.StartTransfer(r.ctx, r.sess, in)
		if err != nil {
			return err
		}
		out := make([]transferJSON, len(list))
		for i, t := range list {
			out[i] = transferOut(t, now)
		}
		return r.out(out, func(w io.Writer) {
			for _, t := range list {
				if t.State == app.StateKept {
					fmt.Fprintf(w, "%d（%s 留校保留至 %s）\n", t.No, t.Name, t.KeepUntil)
				} else {
					fmt.Fprintf(w, "%d\n", t.No)
				}
			}
		})
	case "approve", "show":
		f, err := parseFlags(args, map[string]bool{})
		if err != nil {
			return err
		}
		no, err := oneNumber(f, "transfer "+sub+" 转接编号")
		if err != nil {
			return err
		}
		if err := r.signIn(false); err != nil {
			return err
		}
		var t app.Transfer
		if sub == "approve" {
			t, err = r.svc.ApproveTransfer(r.stepCtx(no), r.sess, no)
		} else {
			t, err = r.svc.TransferByNo(r.ctx, r.sess, no)
		}
		if err != nil {
			return err
		}
		j := transferOut(t, r.svc.Now())
		return r.out(j, func(w io.Writer) { printTransfer(w, j) })
	case "reject", "confirm":
		spec := map[string]bool{"--note": true, "--date": true}
		use := "transfer confirm 转接编号 [--note 说明] [--date YYYY-MM-DD]"
		if sub == "reject" {
			spec["--reason"] = true
			use = "transfer reject 转接编号 --reason 原因 [--note 说明] [--date 得知日期]"
		}
		f, err := parseFlags(args, spec)
		if err != nil {
			return err
		}
		no, err := oneNumber(f, use)
		if err != nil {
			return err
		}
		if sub == "reject" && f.one("--reason") == "" {
			return usagef("用法：%s", use)
		}
		if err := r.signIn(false); err != nil {
			return err
		}
		var t app.Transfer
		switch {
		case sub == "confirm":
			// R-W2: the outside side's approval, as learned.
			t, err = r.svc.RecordOutsideAnswer(r.stepCtx(no), r.sess, no, app.OutsideAnswer{Approved: true, Note: f.one("--note"), Date: f.one("--date")})
		case f.set["--note"] || f.set["--date"]:
			t, err = r.svc.RecordOutsideAnswer(r.stepCtx(no), r.sess, no, app.OutsideAnswer{Reason: f.one("--reason"), Note: f.one("--note"), Date: f.one("--date")})
		default:
			t, err = r.svc.RejectTransfer(r.stepCtx(no), r.sess, no, f.one("--reason"))
		}
		if err != nil {
			return err
		}
		j := transferOut(t, r.svc.Now())
		return r.out(j, func(w io.Writer) { printTransfer(w, j) })
	case "assign":
		f, err := parseFlags(args, map[string]bool{"--branch": true})
		if err != nil {
			return err
		}
		no, err := oneNumber(f, "transfer assign 转接编号 --branch 团支部")
		if err != nil {
			return err
		}
		if f.one("--branch") == "" {
			return usagef("用法：transfer assign 转接编号 --branch 团支部")
		}
		if err := r.signIn(false); err != nil {
			return err
		}
		b, err := r.svc.ResolveOrg(r.ctx, r.sess, f.one("--branch"))
		if err != nil {
			return err
		}
		t, err := r.svc.AssignTransfer(r.stepCtx(no), r.sess, no, b.ID)
		if err != nil {
			return err
		}
		j := transferOut(t, r.svc.Now())
		return r.out(j, func(w io.Writer) { printTransfer(w, j) })
	case "list":
		f, err := parseFlags(args, map[string]bool{"--pending": false})
		if err != nil {
			return err
		}
		if len(f.pos) > 0 {
			return usagef("用法：transfer list [--pending]")
		}
		if err := r.signIn(false); err != nil {
			return err
		}
		list, err := r.svc.ListTransfers(r.ctx, r.sess, f.set["--pending"])
		if err != nil {
			return err
		}
		now := r.svc.Now()
		out := make([]transferJSON, len(list))
		for i, t := range list {
			out[i] = transferOut(t, now)
		}
		return r.out(out, func(w io.Writer) {
			tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
			fmt.Fprintln(tw, "编号\t姓名\t原因\t状态\t当前步骤\t转入组织")
			for _, t := range out {
				cur := ""
				for _, s := range t.Steps {
					if s.OpenedAt != "" && s.ActedAt == "" {
						cur = s.Kind + "（" + s.Org + "）"
						if s.DaysLeft != nil {
							cur += fmt.Sprintf(" 剩 %d 天", *s.DaysLeft)
						}
					}
				}
				fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\n", t.No, t.Name, t.Reason, t.State, cur, t.ToOrg)
			}
			tw.Flush()
			fmt.Fprintf(w, "共 %d 件。\n", len(out))
		})
	}
	return usagef("transfer 没有“%s”这个子命令，可用的有 start、pull、approve、confirm、reject、assign、show、list。", sub)
}

// stepCtx is the command's context carrying transfer no's open step as it
// is now: if another process acts on that step before this command's
// change is written, the command is refused instead of acting on the next
// step.
func (r *run) stepCtx(no int64) context.Context {
	t, err := r.svc.TransferByNo(r.ctx, r.sess, no)
	if err != nil {
		return r.ctx // the use case gives the refusal
	}
	if st, ok := t.Current(); ok {
		return app.ForStep(r.ctx, st.ID)
	}
	return r.ctx
}

func oneNumber(f flags, use string) (int64, error) {
	if len(f.pos) != 1 {
		return 0, usagef("用法：%s", use)
	}
	n, err := strconv.ParseInt(strings.TrimPrefix(f.pos[0], "#"), 10, 64)
	if err != nil || n <= 0 {
		return 0, usagef("编号应为正整数，例如 12。")
	}
	return n, nil
}

func (r *run) sweep(args []string) error {
	if len(args) > 0 {
		return usagef("sweep 不带参数（用 --now 指定日期）。")
	}
	if err := r.signIn(false); err != nil {
		return err
	}
	if !r.sess.IsAdmin() {
		return app.Errorf(app.EForbidden, "只有组织管理员才能执行到期处理。")
	}
	res, err := r.svc.SweepAll(r.ctx)
	if err != nil {
		return err
	}
	return r.out(map[string]any{"defaulted": res.Defaulted, "finished": res.Finished, "reminded": res.Reminded, "graduated": res.Graduated},
		func(w io.Writer) {
			fmt.Fprintf(w, "到期处理完成：系统默认通过 %d 个审批步骤（办结 %d 件），提醒 %d 个超过 10 天未审批的步骤，%d 个团支部转为毕业生团组织。\n",
				res.Defaulted, res.Finished, res.Reminded, res.Graduated)
		})
}

func (r *run) notices(args []string) error {
	if len(args) > 0 {
		return usagef("notices 不带参数。")
	}
	if err := r.signIn(false); err != nil {
		return err
	}
	list, err := r.svc.Notices(r.ctx, r.sess)
	if err != nil {
		return err
	}
	type noticeJSON struct {
		Kind       string `json:"kind"`
		Text       string `json:"text"`
		TransferNo int64  `json:"transfer_no,omitempty"`
		OrgID      int64  `json:"org_id,omitempty"`
		DaysLeft   *int   `json:"days_left,omitempty"`
	}
	out := make([]noticeJSON, len(list))
	for i, n := range list {
		out[i] = noticeJSON{Kind: n.Kind, Text: n.Text, TransferNo: n.TransferNo, OrgID: n.OrgID}
		if n.DaysLeft >= 0 {
			d := n.DaysLeft
			out[i].DaysLeft = &d
		}
	}
	return r.out(out, func(w io.Writer) {
		if len(out) == 0 {
			fmt.Fprintln(w, "操作中心：目前没有待办事项。")
		}
		for _, n := range out {
			fmt.Fprintf(w, "【%s】%s\n", n.Kind, n.Text)
		}
	})
}

type letterJSON struct {
	No         int      `json:"no"`
	Issuer     string   `json:"issuer"`  // the issuing committee's full path
	Heading    string   `json:"heading"` // 共青团XX大学XX学院委员会, as printed
	Recipient  string   `json:"recipient"`
	Names      []string `json:"names"`
	Count      int      `json:"count"`
	Dues       string   `json:"dues"`
	Date       string   `json:"date"`
	ValidDays  int      `json:"valid_days"`
	Transfers  []int64  `json:"transfers,omitempty"`
	Voided     bool     `json:"voided"`
	VoidReason string   `json:"void_reason,omitempty"`
}

func letterOut(l app.Letter) letterJSON {
	return letterJSON{No: l.No, Issuer: l.IssuerOrg, Heading: l.Issuer, Recipient: l.Recipient, Names: l.Names,
		Transfers: l.Transfers, Count: l.Count(), Dues: fmt.Sprintf("%04d-%02d", l.DuesYear, l.DuesMonth), Date: l.Date.Format("2006-01-02"),
		ValidDays: l.ValidDays, Voided: l.Voided, VoidReason: l.VoidReason}
}

func (r *run) letter(args []string) error {
	if len(args) > 0 && (args[0] == "void" || args[0] == "list") {
		sub := args[0]
		f, err := parseFlags(args[1:], map[string]bool{"--reason": true, "--issuer": true})
		if err != nil {
			return err
		}
		if err := r.signIn(false); err != nil {
			return err
		}
		if sub == "void" {
			no, err := oneNumber(f, "letter void 介绍信编号 --reason 原因")
			if err != nil {
				return err
			}
			if f.one("--reason") == "" {
				return usagef("用法：letter void 介绍信编号 --reason 原因")
			}
			var issuer int64
			if v := f.one("--issuer"); v != "" {
				o, err := r.svc.ResolveOrg(r.ctx, r.sess, v)
				if err != nil {
					return err
				}
				issuer = o.ID
			}
			if err := r.svc.VoidLetter(r.ctx, r.sess, int(no), issuer, f.one("--reason")); err != nil {
				return err
			}
			return r.out(map[string]any{"ok": true, "no": no, "voided": true}, func(w io.Writer) {
				fmt.Fprintf(w, "第 %d 号介绍信已作废，编号不再使用。\n", no)
			})
		}
		list, err := r.svc.Letters(r.ctx, r.sess)
		if err != nil {
			return err
		}
		out := make([]letterJSON, len(list))
		for i, l := range list {
			out[i] = letterOut(l.Letter)
		}
		return r.out(out, func(w io.Writer) {
			tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
			fmt.Fprintln(tw, "编号\t开具团委\t接收组织\t人数\t日期\t状态")
			for _, l := range out {
				st := "有效"
				if l.Voided {
					st = "作废：" + l.VoidReason
				}
				fmt.Fprintf(tw, "%d\t%s\t%s\t%d\t%s\t%s\n", l.No, l.Issuer, l.Recipient, l.Count, l.Date, st)
			}
			tw.Flush()
		})
	}
	f, err := parseFlags(args, map[string]bool{"--out": true, "--dues": true, "--valid-days": true})
	if err != nil {
		return err
	}
	if len(f.pos) == 0 || f.one("--out") == "" {
		return usagef("用法：letter 转接编号... --out 文件.pdf [--dues YYYY-MM] [--valid-days N]")
	}
	var nos []int64
	for _, p := range f.pos {
		n, err := strconv.ParseInt(strings.TrimPrefix(p, "#"), 10, 64)
		if err != nil || n <= 0 {
			return usagef("转接编号应为正整数，现在是“%s”。", p)
		}
		nos = append(nos, n)
	}
	opt := app.LetterOptions{Dues: f.one("--dues")}
	if v := f.one("--valid-days"); v != "" {
		if opt.ValidDays, err = strconv.Atoi(v); err != nil {
			return usagef("--valid-days 应为天数。")
		}
	}
	if r.env.WriteLetters == nil {
		return app.Errorf(app.EInternal, "这个版本没有打印介绍信的组件。")
	}
	if err := r.signIn(false); err != nil {
		return err
	}
	out := f.one("--out")
	if _, err := os.Stat(out); err == nil {
		return app.Errorf(app.EConflict, "文件“%s”已存在，请换一个文件名，以免覆盖。", out)
	}
	letters, err := r.svc.IssueLetters(r.ctx, r.sess, nos, opt)
	if err != nil {
		return err
	}
	if err := writeFile(out, func(w io.Writer) error { return r.env.WriteLetters(w, letters) }); err != nil {
		return err
	}
	js := make([]letterJSON, len(letters))
	for i, l := range letters {
		js[i] = letterOut(l)
	}
	return r.out(map[string]any{"out": out, "letters": js}, func(w io.Writer) {
		for _, l := range js {
			fmt.Fprintf(w, "第 %d 号：致%s，%s 等 %d 人\n", l.No, l.Recipient, strings.Join(l.Names, "、"), l.Count)
		}
		fmt.Fprintf(w, "已写入 %s，请用 PDF 阅读器打开打印。\n", out)
	})
}

// writeFile writes a new file through a temporary name, so that a failure
// leaves nothing half-written.
func writeFile(path string, write func(io.Writer) error) error {
	tmp := path + ".part"
	f, err := files.Create(tmp) // private: 0600
	if err != nil {
		return app.Wrap(app.EInvalid, err, "无法写入“%s”，请检查文件夹是否存在、是否有写入权限。", path)
	}
	if err := write(f); err != nil {
		f.Close()
		os.Remove(tmp)
		return err
	}
	if err := f.Close(); err != nil {
		os.Remove(tmp)
		return app.Wrap(app.EInvalid, err, "写入“%s”失败，请检查磁盘空间。", path)
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return app.Wrap(app.EInvalid, err, "写入“%s”失败。", path)
	}
	return nil
}
