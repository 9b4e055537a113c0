package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"tuanwu/app"
)

var memberNoun = &noun{name: "member", summary: "团员：录入、修改、查看、列表、导入导出、标记、团籍状态",
	help: `tuanwu member add --org 团支部 --name 姓名 --id 身份证号 [--field 名=值 ...]
tuanwu member edit 身份证号 --field 名=值 ...    （姓名和身份证号不能修改）
tuanwu member show 身份证号
tuanwu member list --org 组织 [--find 文字] [--left]   （--left：已转出的团员）
tuanwu member import 文件.xlsx --org 团支部 [--skip-bad]   （全国“团员团干部导入模板”）
tuanwu member export --org 组织 --out 文件.xlsx
tuanwu member mark 身份证号... --teacher | --delayed YYYY-MM --reason 原因
tuanwu member unmark 身份证号...
tuanwu member status 身份证号 --set 超龄离团|自愿退团|开除团籍|恢复团籍 --date 日期 --reason 原因
tuanwu member report-error 身份证号 --kind 身份证|姓名
tuanwu member confirm-deleted 身份证号
  例：tuanwu --as 身份证号 member list --org 浙江明理大学团委/法学院团委 --find 张`,
	bare: "用法：member add|edit|show|list|import|export|mark|unmark|status|report-error|confirm-deleted ...",
	subs: []*command{
		{name: "add", flags: map[string]bool{"--org": true, "--name": true, "--id": true, "--field": true}, given: []string{"--name", "--id"}, need: []string{"--org"},
			bad: "用法：member add --org 团支部 --name 姓名 --id 身份证号 [--field 名=值 ...]", access: account, run: (*run).memberAdd},
		{name: "edit", flags: map[string]bool{"--field": true}, given: []string{"--field"}, args: [2]int{1, 1},
			bad: "用法：member edit 身份证号 --field 名=值 ...", access: account, run: (*run).memberEdit},
		{name: "show", flags: map[string]bool{"--full-ids": false}, args: [2]int{1, 1},
			bad: "用法：member show 身份证号 [--full-ids]", access: account, run: (*run).memberShow},
		{name: "list", flags: map[string]bool{"--org": true, "--find": true, "--all": false, "--left": false, "--full-ids": false},
			bad: "用法：member list [--org 组织] [--find 姓名或身份证号前缀或团员编号] [--left] [--full-ids]", access: account, run: (*run).memberList},
		{name: "import", flags: map[string]bool{"--org": true, "--skip-bad": false}, need: []string{"--org"}, args: [2]int{1, 1},
			bad: "用法：member import 文件.xlsx --org 团支部 [--skip-bad]", access: account, run: (*run).memberImport},
		{name: "export", flags: map[string]bool{"--org": true, "--out": true, "--full-ids": false}, need: []string{"--org", "--out"},
			bad: "用法：member export --org 组织 --out 文件.xlsx [--full-ids]", access: account, run: (*run).memberExport},
		{name: "mark", flags: map[string]bool{"--teacher": false, "--delayed": true, "--reason": true}, args: [2]int{0, -1}, access: account, run: (*run).memberMark, check: func(f flags) error {
			if len(f.pos) == 0 || f.set["--teacher"] == f.set["--delayed"] {
				return usagef("用法：member mark 身份证号... --teacher 或 member mark 身份证号... --delayed YYYY-MM --reason 原因")
			}
			return nil
		}},
		{name: "unmark", flags: map[string]bool{}, args: [2]int{1, -1},
			bad: "用法：member unmark 身份证号...", access: account, run: (*run).memberUnmark},
		{name: "status", flags: map[string]bool{"--set": true, "--date": true, "--reason": true}, need: []string{"--set", "--date"}, args: [2]int{1, 1},
			bad: "用法：member status 身份证号 --set 超龄离团|自愿退团|开除团籍|恢复团籍 --date YYYY-MM-DD --reason 原因", access: account, run: (*run).memberStatus},
		{name: "report-error", flags: map[string]bool{"--kind": true}, need: []string{"--kind"}, args: [2]int{1, 1},
			bad: "用法：member report-error 身份证号 --kind 身份证|姓名", access: account, run: (*run).memberReportError},
		{name: "confirm-deleted", flags: map[string]bool{}, args: [2]int{1, 1},
			bad: "用法：member confirm-deleted 身份证号", access: account, run: (*run).memberConfirmDeleted},
	}}

// fields parses --field 名=值 flags.
func fields(f flags) (map[string]string, error) {
	out := map[string]string{}
	for _, kv := range f.vals["--field"] {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || strings.TrimSpace(k) == "" {
			return nil, usagef("--field 应写成 名=值，例如 --field 民族=汉族，现在是“%s”。", kv)
		}
		out[strings.TrimSpace(k)] = v
	}
	return out, nil
}

func (r *run) memberAdd(f flags) error {
	fs, err := fields(f)
	if err != nil {
		return err
	}
	org, err := r.svc.ResolveOrg(r.ctx, r.sess, f.one("--org"))
	if err != nil {
		return err
	}
	m := app.Member{OrgID: org.ID, Name: f.one("--name"), IDNo: f.one("--id")}
	for k, v := range fs {
		if err := m.SetField(k, v); err != nil {
			return err
		}
	}
	if m, err = r.svc.AddMember(r.ctx, r.sess, m); err != nil {
		return err
	}
	return r.out(r.memberOut(m), func(w io.Writer) {
		fmt.Fprintf(w, "已将 %s（%s）录入“%s”。\n", m.Name, m.IDNo, m.OrgName)
	})
}

func (r *run) memberEdit(f flags) error {
	fs, err := fields(f)
	if err != nil {
		return err
	}
	m, err := r.svc.EditMember(r.ctx, r.sess, f.pos[0], fs)
	if err != nil {
		return err
	}
	return r.out(r.memberOut(m), func(w io.Writer) {
		fmt.Fprintf(w, "已保存 %s（%s）的信息。\n", m.Name, m.IDNo)
	})
}

func (r *run) memberShow(f flags) error {
	m, err := r.svc.Member(r.ctx, r.sess, f.pos[0])
	if err != nil {
		return err
	}
	// The full 身份证号 is shown in --json or with --full-ids, and audited
	// (issue 10, item 5); the text shows it masked, as the window does.
	full := r.g.json || f.set["--full-ids"]
	if full {
		if err := r.svc.AuditFullIDs(r.ctx, r.sess, "member show", m.OrgID, m.IDNo, 1); err != nil {
			return err
		}
	}
	j := r.memberOut(m)
	return r.out(j, func(w io.Writer) {
		id := j.IDNo
		if !full {
			id = app.MaskID(id)
		}
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintf(tw, "姓名\t%s\n身份证号\t%s\n性别\t%s\n出生日期\t%s\n年龄\t%d\n所在组织\t%s\n状态\t%s\n", j.Name, id, j.Gender, j.Birth, j.Age, j.Org, j.Status)
		if j.Identity != "" {
			fmt.Fprintf(tw, "成员身份\t%s\n", j.Identity)
		}
		if j.MarkMonth != "" {
			fmt.Fprintf(tw, "预计毕业时间\t%s\n", j.MarkMonth)
		}
		if j.MarkReason != "" {
			fmt.Fprintf(tw, "延迟毕业原因\t%s\n", j.MarkReason)
		}
		if l := j.Left; l != nil {
			fmt.Fprintf(tw, "转出日期\t%s\n转往\t%s\n原所在组织\t%s\n转接编号\t第 %d 号\n", l.LeftAt, l.Destination, l.LeftFrom, l.LeftTransfer)
			if len(l.LeftLetters) > 0 {
				fmt.Fprintf(tw, "介绍信\t%s\n", letterNumbers(l.LeftLetters))
			}
		}
		if j.Incomplete {
			fmt.Fprintf(tw, "待补全\t从校外转入，请补全民族、文化程度、入团年月等信息\n")
		}
		for _, name := range app.MemberFields {
			fmt.Fprintf(tw, "%s\t%s\n", name, m.Field(name))
		}
		tw.Flush()
	})
}

func (r *run) memberList(f flags) error {
	if f.set["--left"] && (f.set["--find"] || f.set["--all"]) {
		return app.Errorf(app.EInvalid, "--left 列出从该组织转出的全部团员，不能与 --find 或 --all 同用；要查看某一位已转出的团员，请用 member show 身份证号。")
	}
	q := app.MemberQuery{Text: f.one("--find"), IncludeLeft: f.set["--all"]}
	if o := f.one("--org"); o != "" {
		org, err := r.svc.ResolveOrg(r.ctx, r.sess, o)
		if err != nil {
			return err
		}
		q.OrgID = org.ID
	}
	if f.set["--left"] {
		q.Departed = true
		return r.memberListLeft(q, f.set["--full-ids"])
	}
	now := r.svc.Now()
	w := r.env.Stdout
	if r.g.json {
		// Streamed, one member at a time: a million rows stay small in memory.
		enc := json.NewEncoder(w)
		enc.SetEscapeHTML(false)
		// "[" is written with the first member, so a refusal prints nothing.
		// Full 身份证号 for scripts, audited once with the count (issue 10, item 5).
		n := 0
		_, err := r.svc.ListMembersFullIDs(r.ctx, r.sess, q, "member list --json", func(m app.Member, o app.Org) error {
			if n == 0 {
				fmt.Fprint(w, "[")
			} else {
				fmt.Fprint(w, ",")
			}
			n++
			return enc.Encode(memberOut(m, o, now))
		})
		if err != nil {
			return err
		}
		if n == 0 {
			fmt.Fprint(w, "[")
		}
		fmt.Fprintln(w, "]")
		return nil
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "姓名\t身份证号\t性别\t年龄\t团员编号\t政治面貌\t成员身份\t所在组织")
	// Masked, as the window shows them, unless --full-ids (audited).
	full := f.set["--full-ids"]
	list := r.svc.ListMembersWithOrg
	if full {
		list = func(ctx context.Context, ss *app.Session, q app.MemberQuery, fn func(app.Member, app.Org) error) error {
			_, err := r.svc.ListMembersFullIDs(ctx, ss, q, "member list --full-ids", fn)
			return err
		}
	}
	n := 0
	err := list(r.ctx, r.sess, q, func(m app.Member, o app.Org) error {
		n++
		info := m.Info()
		idNo := m.IDNo
		if !full {
			idNo = app.MaskID(idNo)
		}
		id := app.Identity(m, o)
		if m.Mark == app.MarkDelayed {
			id += "（" + m.MarkMonth + "）"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%s\t%s\t%s\t%s\n", m.Name, idNo, info.Gender(), app.AgeAt(info.Birth, now), m.MemberNo, m.Political, id, m.OrgName)
		return nil
	})
	if err != nil {
		return err // the table is still in tw's buffer: a refusal prints nothing
	}
	tw.Flush()
	fmt.Fprintf(w, "共 %d 人。\n", n)
	return nil
}
