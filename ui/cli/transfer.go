package cli

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"tuanwu/app"
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

// transferStartUsage and transferPullUsage are the 用法 of transfer start and pull.
const (
	transferStartUsage = "用法：transfer start 身份证号... --reason 原因 [--to 组织 | --outside 校外组织全称 [--province 省份]] [--scope 北京|广东|福建|否] [--unit 名称] [--address 地址] [--remark 备注] [--keep-months N]"
	transferPullUsage  = "用法：transfer pull --name 姓名 --id 身份证号 --reason 原因 [--to 本组织下的组织] [--from-outside 原所在校外组织 [--province 省份]] [--unit 学校] [--address 地址]"
)

var transferNoun = &noun{name: "transfer", summary: "组织关系转接：转出、转入、审批、分配团支部",
	help: `tuanwu transfer start 身份证号... --reason 原因 [--to 组织 | --outside 校外组织名称 [--province 省份]] [--scope 北京|广东|福建|否] [--unit 单位] [--address 地址] [--remark 备注] [--keep-months 月数]
tuanwu transfer pull --name 姓名 --id 身份证号 --reason 原因 [--to 组织] [--from-outside 校外组织名称]
tuanwu transfer approve 编号 | reject 编号 --reason 原因 | confirm 编号 [--note 说明] [--date 日期]
tuanwu transfer assign 编号 --branch 团支部
tuanwu transfer show 编号 | list [--pending]
  原因：升学、已落实工作单位（有团组织）、已落实工作单位（无团组织）、出国（因公出国/境）、
        出国（境）学习研究、出国（因私出国/境）、未就业、转往特殊单位团组织。
  例：tuanwu --as 身份证号 transfer start 身份证号 --reason 升学 --outside 共青团北京燕园科技大学计算机学院委员会 --scope 北京`,
	bare: "用法：transfer start|pull|approve|confirm|reject|assign|show|list ...",
	subs: []*command{
		{name: "start", flags: transferInputFlags, need: []string{"--reason"}, args: [2]int{1, -1}, bad: transferStartUsage, access: account, run: (*run).transferStart},
		{name: "pull", flags: spec(transferInputFlags, "--name", "--id", "--from-outside"), need: []string{"--reason", "--id", "--name"},
			bad: transferPullUsage, access: account, run: (*run).transferPull},
		{name: "approve", flags: map[string]bool{}, args: [2]int{0, -1}, check: numbered("transfer approve 转接编号"), access: account, run: (*run).transferApprove},
		{name: "confirm", flags: map[string]bool{"--note": true, "--date": true}, args: [2]int{0, -1},
			check: numbered("transfer confirm 转接编号 [--note 说明] [--date YYYY-MM-DD]"), access: account, run: (*run).transferConfirm},
		{name: "reject", flags: map[string]bool{"--note": true, "--date": true, "--reason": true}, args: [2]int{0, -1},
			check: numbered("transfer reject 转接编号 --reason 原因 [--note 说明] [--date 得知日期]", "--reason"), access: account, run: (*run).transferReject},
		{name: "assign", flags: map[string]bool{"--branch": true}, args: [2]int{0, -1},
			check: numbered("transfer assign 转接编号 --branch 团支部", "--branch"), access: account, run: (*run).transferAssign},
		{name: "show", flags: map[string]bool{}, args: [2]int{0, -1}, check: numbered("transfer show 转接编号"), access: account, run: (*run).transferShow},
		{name: "list", flags: map[string]bool{"--pending": false}, bad: "用法：transfer list [--pending]", access: account, run: (*run).transferList},
	}}

func (r *run) transferStart(f flags) error {
	in, err := r.transferInput(f)
	if err != nil {
		return err
	}
	now := r.svc.Now()
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
}

func (r *run) transferPull(f flags) error {
	in, err := r.transferInput(f)
	if err != nil {
		return err
	}
	now := r.svc.Now()
	in.IDNos, in.Name = []string{f.one("--id")}, f.one("--name")
	t, err := r.svc.PullTransfer(r.ctx, r.sess, in)
	if err != nil {
		return err
	}
	return r.out(transferOut(t, now), func(w io.Writer) {
		fmt.Fprintf(w, "已发起办理转入，转接编号：%d\n", t.No)
	})
}

// printed prints a transfer after a use case changed or read it.
func (r *run) printed(t app.Transfer, err error) error {
	if err != nil {
		return err
	}
	j := transferOut(t, r.svc.Now())
	return r.out(j, func(w io.Writer) { printTransfer(w, j) })
}

func (r *run) transferApprove(f flags) error {
	no := f.number()
	return r.printed(r.svc.ApproveTransfer(r.stepCtx(no), r.sess, no))
}

func (r *run) transferShow(f flags) error {
	return r.printed(r.svc.TransferByNo(r.ctx, r.sess, f.number()))
}

// transferConfirm records the outside side's approval, as learned (R-W2).
func (r *run) transferConfirm(f flags) error {
	no := f.number()
	return r.printed(r.svc.RecordOutsideAnswer(r.stepCtx(no), r.sess, no, app.OutsideAnswer{Approved: true, Note: f.one("--note"), Date: f.one("--date")}))
}

// transferReject rejects the current step, or records the outside side's
// rejection when a note or date of learning it is given (R-W2).
func (r *run) transferReject(f flags) error {
	no := f.number()
	if f.set["--note"] || f.set["--date"] {
		return r.printed(r.svc.RecordOutsideAnswer(r.stepCtx(no), r.sess, no, app.OutsideAnswer{Reason: f.one("--reason"), Note: f.one("--note"), Date: f.one("--date")}))
	}
	return r.printed(r.svc.RejectTransfer(r.stepCtx(no), r.sess, no, f.one("--reason")))
}

func (r *run) transferAssign(f flags) error {
	no := f.number()
	b, err := r.svc.ResolveOrg(r.ctx, r.sess, f.one("--branch"))
	if err != nil {
		return err
	}
	return r.printed(r.svc.AssignTransfer(r.stepCtx(no), r.sess, no, b.ID))
}

func (r *run) transferList(f flags) error {
	list, err := r.svc.ListTransfers(r.ctx, r.sess, false)
	if f.set["--pending"] {
		list, err = r.svc.PendingTransfers(r.ctx, r.sess)
	}
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
