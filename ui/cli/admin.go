package cli

import (
	"fmt"
	"io"
	"strconv"
	"text/tabwriter"

	"tuanwu/app"
)

type cadreJSON struct {
	ID             int64  `json:"id"`
	OrgID          int64  `json:"org_id"`
	Org            string `json:"org"`
	IDNo           string `json:"id_no"`
	Name           string `json:"name"`
	Post           string `json:"post"`
	PostSince      string `json:"post_since"`
	Nature         string `json:"nature"`
	PartyCommittee bool   `json:"party_committee"`
}

func cadreOut(c app.Cadre, org string) cadreJSON {
	return cadreJSON{c.ID, c.OrgID, org, c.IDNo, c.Name, c.Post, c.PostSince, c.Nature, c.PartyCommittee}
}

// cadreNoun: cadre add (the contract), cadre list and cadre end (extensions).
var cadreNoun = &noun{name: "cadre", summary: "录入本级团干部",
	help: `tuanwu cadre add --org 组织 --id 身份证号 --name 姓名 --post 职务 [--nature 专职|兼职|挂职]`,
	bare: "用法：cadre add --org 组织 --id 身份证号 --name 姓名 --post 职务 [--nature 专职|兼职|挂职] [--since YYYY-MM] [--party]",
	subs: []*command{
		{name: "add", flags: map[string]bool{"--org": true, "--id": true, "--name": true, "--post": true, "--nature": true, "--since": true, "--party": false},
			need:   []string{"--org", "--id", "--name", "--post"},
			bad:    "用法：cadre add --org 组织 --id 身份证号 --name 姓名 --post 职务 [--nature 专职|兼职|挂职] [--since YYYY-MM] [--party]",
			access: account, run: (*run).cadreAdd},
		{name: "list", flags: map[string]bool{"--org": true}, need: []string{"--org"}, bad: "用法：cadre list --org 组织", access: account, run: (*run).cadreList},
		{name: "end", flags: map[string]bool{}, args: [2]int{1, 1}, bad: "用法：cadre end 任职编号", access: account, run: (*run).cadreEnd,
			check: func(f flags) error {
				if _, err := strconv.ParseInt(f.pos[0], 10, 64); err != nil {
					return usagef("任职编号应为数字（见 cadre list）。")
				}
				return nil
			}},
	}}

func (r *run) cadreAdd(f flags) error {
	o, err := r.svc.ResolveOrg(r.ctx, r.sess, f.one("--org"))
	if err != nil {
		return err
	}
	c, err := r.svc.AddCadre(r.ctx, r.sess, app.CadreInput{OrgID: o.ID, IDNo: f.one("--id"), Name: f.one("--name"), Post: f.one("--post"),
		Nature: f.one("--nature"), PostSince: f.one("--since"), PartyCommittee: f.set["--party"]})
	if err != nil {
		return err
	}
	return r.out(cadreOut(c, o.FullName), func(w io.Writer) {
		fmt.Fprintf(w, "已将 %s（%s）录入为“%s”的团干部（%s）。\n", c.Name, c.IDNo, o.FullName, c.Post)
	})
}

func (r *run) cadreList(f flags) error {
	o, err := r.svc.ResolveOrg(r.ctx, r.sess, f.one("--org"))
	if err != nil {
		return err
	}
	list, err := r.svc.Cadres(r.ctx, r.sess, o.ID)
	if err != nil {
		return err
	}
	out := make([]cadreJSON, len(list))
	for i, c := range list {
		out[i] = cadreOut(c, o.FullName)
	}
	return r.out(out, func(w io.Writer) {
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "编号\t姓名\t身份证号\t现任团内职务\t任现职年月\t团干部性质")
		for _, c := range out {
			fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\n", c.ID, c.Name, c.IDNo, c.Post, c.PostSince, c.Nature)
		}
		tw.Flush()
	})
}

func (r *run) cadreEnd(f flags) error {
	id, _ := strconv.ParseInt(f.pos[0], 10, 64) // checked before sign-in
	if err := r.svc.EndCadre(r.ctx, r.sess, id); err != nil {
		return err
	}
	return r.out(map[string]any{"ok": true, "id": id}, func(w io.Writer) { fmt.Fprintln(w, "已结束该团干部任职，记录仍保留。") })
}

type adminJSON struct {
	OrgID     int64  `json:"org_id"`
	Org       string `json:"org"`
	IDNo      string `json:"id_no"`
	Name      string `json:"name"`
	GrantedAt string `json:"granted_at"`
}

var adminFlags = map[string]bool{"--org": true, "--id": true}

var adminNoun = &noun{name: "admin", summary: "管理员：设立、撤销、列出", help: `tuanwu admin add --org 组织 --id 身份证号
tuanwu admin revoke --org 组织 --id 身份证号
tuanwu admin list --org 组织`,
	bare: "用法：admin add|revoke|list --org 组织 [--id 身份证号]",
	subs: []*command{
		{name: "add", flags: adminFlags, need: []string{"--org", "--id"}, bad: "用法：admin add --org 组织 --id 身份证号（admin list 只需 --org）", access: account, run: (*run).adminAdd},
		{name: "revoke", flags: adminFlags, need: []string{"--org", "--id"}, bad: "用法：admin revoke --org 组织 --id 身份证号（admin list 只需 --org）", access: account, run: (*run).adminRevoke},
		{name: "list", flags: adminFlags, need: []string{"--org"}, bad: "用法：admin list --org 组织 --id 身份证号（admin list 只需 --org）", access: account, run: (*run).adminList},
	}}

func (r *run) adminAdd(f flags) error {
	o, err := r.svc.ResolveOrg(r.ctx, r.sess, f.one("--org"))
	if err != nil {
		return err
	}
	res, err := r.svc.AddAdmin(r.ctx, r.sess, o.ID, f.one("--id"))
	if err != nil {
		return err
	}
	a := res.Admin
	return r.out(map[string]any{"org_id": o.ID, "org": o.FullName, "id_no": a.IDNo, "name": a.Name,
		"account_created": res.AccountCreated, "initial_password": res.InitialPassword}, func(w io.Writer) {
		fmt.Fprintf(w, "已添加 %s（%s）为“%s”的管理员。\n", a.Name, a.IDNo, o.FullName)
		if res.AccountCreated {
			fmt.Fprintf(w, "已同时建立账号：账号为身份证号，初始密码为身份证号后 8 位（%s），首次登录须修改密码。\n", res.InitialPassword)
		}
	})
}

func (r *run) adminRevoke(f flags) error {
	o, err := r.svc.ResolveOrg(r.ctx, r.sess, f.one("--org"))
	if err != nil {
		return err
	}
	if err := r.svc.RevokeAdmin(r.ctx, r.sess, o.ID, f.one("--id")); err != nil {
		return err
	}
	return r.out(map[string]any{"ok": true, "org_id": o.ID, "org": o.FullName, "id_no": app.NormalizeID(f.one("--id"))}, func(w io.Writer) {
		fmt.Fprintf(w, "已撤销其“%s”管理员身份；此人的账号和历史记录仍保留。\n", o.FullName)
	})
}

func (r *run) adminList(f flags) error {
	o, err := r.svc.ResolveOrg(r.ctx, r.sess, f.one("--org"))
	if err != nil {
		return err
	}
	list, err := r.svc.Admins(r.ctx, r.sess, o.ID)
	if err != nil {
		return err
	}
	out := make([]adminJSON, len(list))
	for i, a := range list {
		out[i] = adminJSON{o.ID, o.FullName, a.IDNo, a.Name, a.GrantedAt.Format("2006-01-02 15:04:05")}
	}
	return r.out(out, func(w io.Writer) {
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "姓名\t身份证号\t添加时间")
		for _, a := range out {
			fmt.Fprintf(tw, "%s\t%s\t%s\n", a.Name, a.IDNo, a.GrantedAt)
		}
		tw.Flush()
		fmt.Fprintf(w, "“%s”共有管理员 %d 人。\n", o.FullName, len(out))
	})
}

func (r *run) passwdReset(id string) error {
	if err := r.signIn(false); err != nil {
		return err
	}
	if err := r.svc.ResetPassword(r.ctx, r.sess, id); err != nil {
		return err
	}
	id = app.NormalizeID(id)
	return r.out(map[string]any{"ok": true, "id_no": id, "must_change": true}, func(w io.Writer) {
		fmt.Fprintf(w, "已将 %s 的密码重置为初始密码（身份证号后 8 位），其下次登录时须修改密码。\n", id)
	})
}
