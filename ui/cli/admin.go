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

// cadre: cadre add (the contract), cadre list and cadre end (extensions).
func (r *run) cadre(args []string) error {
	if len(args) == 0 {
		return usagef("用法：cadre add --org 组织 --id 身份证号 --name 姓名 --post 职务 [--nature 专职|兼职|挂职] [--since YYYY-MM] [--party]")
	}
	switch args[0] {
	case "add":
		f, err := parseFlags(args[1:], map[string]bool{"--org": true, "--id": true, "--name": true, "--post": true, "--nature": true, "--since": true, "--party": false})
		if err != nil {
			return err
		}
		if f.one("--org") == "" || f.one("--id") == "" || f.one("--name") == "" || f.one("--post") == "" || len(f.pos) > 0 {
			return usagef("用法：cadre add --org 组织 --id 身份证号 --name 姓名 --post 职务 [--nature 专职|兼职|挂职] [--since YYYY-MM] [--party]")
		}
		if err := r.signIn(false); err != nil {
			return err
		}
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
	case "list":
		f, err := parseFlags(args[1:], map[string]bool{"--org": true})
		if err != nil {
			return err
		}
		if f.one("--org") == "" || len(f.pos) > 0 {
			return usagef("用法：cadre list --org 组织")
		}
		if err := r.signIn(false); err != nil {
			return err
		}
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
	case "end":
		f, err := parseFlags(args[1:], map[string]bool{})
		if err != nil {
			return err
		}
		if len(f.pos) != 1 {
			return usagef("用法：cadre end 任职编号")
		}
		id, err := strconv.ParseInt(f.pos[0], 10, 64)
		if err != nil {
			return usagef("任职编号应为数字（见 cadre list）。")
		}
		if err := r.signIn(false); err != nil {
			return err
		}
		if err := r.svc.EndCadre(r.ctx, r.sess, id); err != nil {
			return err
		}
		return r.out(map[string]any{"ok": true, "id": id}, func(w io.Writer) { fmt.Fprintln(w, "已结束该团干部任职，记录仍保留。") })
	}
	return usagef("cadre 没有“%s”这个子命令，可用的有 add、list、end。", args[0])
}

type adminJSON struct {
	OrgID     int64  `json:"org_id"`
	Org       string `json:"org"`
	IDNo      string `json:"id_no"`
	Name      string `json:"name"`
	GrantedAt string `json:"granted_at"`
}

func (r *run) admin(args []string) error {
	if len(args) == 0 {
		return usagef("用法：admin add|revoke|list --org 组织 [--id 身份证号]")
	}
	sub := args[0]
	if sub != "add" && sub != "revoke" && sub != "list" {
		return usagef("admin 没有“%s”这个子命令，可用的有 add、revoke、list。", sub)
	}
	f, err := parseFlags(args[1:], map[string]bool{"--org": true, "--id": true})
	if err != nil {
		return err
	}
	if f.one("--org") == "" || len(f.pos) > 0 || (sub != "list" && f.one("--id") == "") {
		return usagef("用法：admin %s --org 组织 --id 身份证号（admin list 只需 --org）", sub)
	}
	if err := r.signIn(false); err != nil {
		return err
	}
	o, err := r.svc.ResolveOrg(r.ctx, r.sess, f.one("--org"))
	if err != nil {
		return err
	}
	switch sub {
	case "add":
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
	case "revoke":
		if err := r.svc.RevokeAdmin(r.ctx, r.sess, o.ID, f.one("--id")); err != nil {
			return err
		}
		return r.out(map[string]any{"ok": true, "org_id": o.ID, "org": o.FullName, "id_no": app.NormalizeID(f.one("--id"))}, func(w io.Writer) {
			fmt.Fprintf(w, "已撤销其“%s”管理员身份；此人的账号和历史记录仍保留。\n", o.FullName)
		})
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
