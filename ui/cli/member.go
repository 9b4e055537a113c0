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

func (r *run) member(args []string) error {
	if len(args) == 0 {
		return usagef("用法：member add|edit|show|list|import|export|mark|unmark|status|report-error|confirm-deleted ...")
	}
	switch args[0] {
	case "add":
		return r.memberAdd(args[1:])
	case "edit":
		return r.memberEdit(args[1:])
	case "show":
		return r.memberShow(args[1:])
	case "list":
		return r.memberList(args[1:])
	case "mark", "unmark", "status", "report-error", "confirm-deleted", "import", "export":
		return r.memberMore(args[0], args[1:])
	}
	return usagef("member 没有“%s”这个子命令，可用的有 add、edit、show、list、import、export、mark、unmark、status、report-error、confirm-deleted。", args[0])
}

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

func (r *run) memberAdd(args []string) error {
	f, err := parseFlags(args, map[string]bool{"--org": true, "--name": true, "--id": true, "--field": true})
	if err != nil {
		return err
	}
	if f.one("--org") == "" || !f.set["--name"] || !f.set["--id"] || len(f.pos) > 0 {
		return usagef("用法：member add --org 团支部 --name 姓名 --id 身份证号 [--field 名=值 ...]")
	}
	fs, err := fields(f)
	if err != nil {
		return err
	}
	if err := r.signIn(false); err != nil {
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

func (r *run) memberEdit(args []string) error {
	f, err := parseFlags(args, map[string]bool{"--field": true})
	if err != nil {
		return err
	}
	if len(f.pos) != 1 || len(f.vals["--field"]) == 0 {
		return usagef("用法：member edit 身份证号 --field 名=值 ...")
	}
	fs, err := fields(f)
	if err != nil {
		return err
	}
	if err := r.signIn(false); err != nil {
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

func (r *run) memberShow(args []string) error {
	f, err := parseFlags(args, map[string]bool{"--full-ids": false})
	if err != nil {
		return err
	}
	if len(f.pos) != 1 {
		return usagef("用法：member show 身份证号 [--full-ids]")
	}
	if err := r.signIn(false); err != nil {
		return err
	}
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

func (r *run) memberList(args []string) error {
	f, err := parseFlags(args, map[string]bool{"--org": true, "--find": true, "--all": false, "--left": false, "--full-ids": false})
	if err != nil {
		return err
	}
	if len(f.pos) > 0 {
		return usagef("用法：member list [--org 组织] [--find 姓名或身份证号前缀或团员编号] [--left] [--full-ids]")
	}
	if f.set["--left"] && (f.set["--find"] || f.set["--all"]) {
		return app.Errorf(app.EInvalid, "--left 列出从该组织转出的全部团员，不能与 --find 或 --all 同用；要查看某一位已转出的团员，请用 member show 身份证号。")
	}
	if err := r.signIn(false); err != nil {
		return err
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
	err = list(r.ctx, r.sess, q, func(m app.Member, o app.Org) error {
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
