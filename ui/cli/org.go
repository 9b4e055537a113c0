package cli

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"tuanwu/app"
)

var initNoun = &noun{name: "init", summary: "新建存储：根组织和第一位管理员",
	help: `tuanwu --db 文件 init --org 名称 [--kind 团委|团省委...] --province 省份 --admin-name 姓名 --admin-id 身份证号 [--practice]
  新建存储：根组织（类别默认为团委）和它的第一位管理员（初始密码为身份证号后 8 位，首次登录须修改）。
  --practice 新建练习数据：可以用 --now 指定日期，窗口顶部显示“练习数据”。
  例：tuanwu --db 我校.db init --org 浙江明理大学团委 --province 浙江 --admin-name 张三 --admin-id 330106198805120015`,
	cmd: &command{flags: map[string]bool{"--org": true, "--kind": true, "--province": true, "--admin-name": true, "--admin-id": true, "--practice": false},
		need: []string{"--org", "--province", "--admin-name", "--admin-id"},
		bad:  "用法：init [--practice] --org 名称 [--kind 类型] --province 省份 --admin-name 姓名 --admin-id 身份证号", run: (*run).init}}

var demoNoun = &noun{name: "demo", summary: "生成一所演示大学（练习数据）", help: `tuanwu --db 文件 demo [--members 人数]
  生成一所演示大学（默认约 20,000 名团员，最多 1,000,000），为练习数据。
  管理员 330106198805120015，初始密码 05120015。
  例：tuanwu --db 演示.db demo`,
	cmd: &command{flags: map[string]bool{"--members": true, "--seed": true, "--with-neighbours": false},
		bad: "用法：demo [--members N] [--seed N] [--with-neighbours]", run: (*run).demo}}

func (r *run) init(f flags) error {
	in := app.InitInput{OrgName: f.one("--org"), Kind: f.one("--kind"), Province: f.one("--province"),
		AdminName: f.one("--admin-name"), AdminID: f.one("--admin-id"), Practice: f.set["--practice"]}
	r.newPractice = in.Practice
	if err := r.open(); err != nil {
		return err
	}
	root, err := r.svc.Init(r.ctx, in)
	if err != nil {
		return err
	}
	id := app.NormalizeID(in.AdminID)
	return r.out(map[string]any{"org": orgOut(root), "admin_id": id, "admin_name": in.AdminName, "initial_password": app.InitialPassword(id), "practice": in.Practice},
		func(w io.Writer) {
			if in.Practice {
				fmt.Fprintln(w, "这是练习数据：可以用 --now 指定日期演练，窗口中会一直显示“练习数据”。")
			}
			fmt.Fprintf(w, "已建立“%s”（%s，%s）。\n管理员：%s，账号 %s，初始密码为身份证号后 8 位；首次登录须先修改密码（tuanwu passwd）。\n",
				root.Name, root.Kind, root.Province, in.AdminName, id)
		})
}

func (r *run) demo(f flags) error {
	opts := app.DemoOptions{Neighbours: f.set["--with-neighbours"]}
	if v := f.one("--members"); v != "" {
		if _, err := fmt.Sscanf(v, "%d", &opts.Members); err != nil || opts.Members <= 0 {
			return usagef("--members 应为 1 到 1000000 之间的整数。")
		}
	}
	if v := f.one("--seed"); v != "" {
		if _, err := fmt.Sscanf(v, "%d", &opts.Seed); err != nil {
			return usagef("--seed 应为整数。")
		}
	}
	r.newPractice = true // every demo store is practice data
	if err := r.open(); err != nil {
		return err
	}
	res, err := r.svc.Demo(r.ctx, opts, nil)
	if err != nil {
		return err
	}
	return r.out(map[string]any{"org": orgOut(res.Root), "admin_id": res.AdminID, "admin_name": res.AdminName,
		"initial_password": res.InitialPassword, "orgs": res.Orgs, "members": res.Members, "practice": true},
		func(w io.Writer) {
			fmt.Fprintf(w, "已载入演示数据“%s”：%d 个组织，%d 名团员。\n管理员：%s，账号 %s，初始密码 %s；首次登录须先修改密码。\n",
				res.Root.Name, res.Orgs, res.Members, res.AdminName, res.AdminID, res.InitialPassword)
		})
}

var orgNoun = &noun{name: "org", summary: "组织：新增、列出、改名、删除、校外组织目录",
	help: `tuanwu org add [--parent 组织] --name 名称 --kind 类别 [--category 类别] [--province 省份]
tuanwu org list [--under 组织] [--find 文字] [--province-scope 北京|广东|福建|否]
tuanwu org rename 组织 --name 新名称
tuanwu org delete 组织                      （只能删除没有下级组织和团员的组织）
tuanwu org outside [--find 文字] [--province-scope ...]   校外组织目录
  类别：团省委、团市委、团委、团工委、团总支、团支部。
  例：tuanwu --as 身份证号 org list --under 浙江明理大学团委/法学院团委`,
	bare: "用法：org add|list|rename|delete|outside ...",
	subs: []*command{
		{name: "add", flags: map[string]bool{"--parent": true, "--name": true, "--kind": true, "--category": true, "--province": true, "--remark": true},
			need: []string{"--name", "--kind"}, bad: "用法：org add [--parent 组织] --name 名称 --kind 类型 [--category 类别] [--province 省份]",
			access: account, run: (*run).orgAdd},
		{name: "list", flags: map[string]bool{"--under": true, "--find": true, "--province-scope": true},
			bad: "用法：org list [--under 组织] [--find 文字] [--province-scope 北京|广东|福建|否]", access: account, run: (*run).orgList},
		{name: "rename", flags: map[string]bool{"--name": true}, need: []string{"--name"}, args: [2]int{1, 1},
			bad: "用法：org rename 组织 --name 新名称", access: account, run: (*run).orgRename},
		{name: "delete", flags: map[string]bool{}, args: [2]int{1, 1}, bad: "用法：org delete 组织", access: account, run: (*run).orgDelete},
		{name: "outside", flags: map[string]bool{"--find": true, "--province-scope": true},
			bad: "用法：org outside [--find 文字] [--province-scope 北京|广东|福建|否]", access: account, run: (*run).orgOutside},
	}}

func (r *run) orgAdd(f flags) error {
	in := app.NewOrg{Name: f.one("--name"), Kind: f.one("--kind"), Category: f.one("--category"), Province: f.one("--province"), Remark: f.one("--remark")}
	if p := f.one("--parent"); p != "" {
		parent, err := r.svc.ResolveOrg(r.ctx, r.sess, p)
		if err != nil {
			return err
		}
		in.ParentID = parent.ID
	}
	o, warnings, err := r.svc.AddOrg(r.ctx, r.sess, in)
	if err != nil {
		return err
	}
	j := orgOut(o)
	j.Warnings = warnings
	return r.out(j, func(w io.Writer) {
		fmt.Fprintf(w, "已添加组织“%s”（编号 %d，%s）。\n", o.FullName, o.ID, o.Kind)
		for _, x := range warnings {
			fmt.Fprintln(w, "提示："+x)
		}
	})
}

func (r *run) orgList(f flags) error {
	var list []app.Org
	var err error
	search := f.set["--find"] || f.set["--province-scope"]
	if search {
		scope := f.one("--province-scope")
		if !f.set["--province-scope"] {
			scope = "全部"
		}
		q := app.OrgSearch{Text: f.one("--find"), Scope: scope}
		if u := f.one("--under"); u != "" {
			under, err := r.svc.ResolveOrg(r.ctx, r.sess, u)
			if err != nil {
				return err
			}
			q.Under = under.ID
		}
		if list, err = r.svc.FindOrgs(r.ctx, r.sess, q); err != nil {
			return err
		}
		for i := range list {
			list[i].Path = "" // depth is meaningless in a search
		}
	} else {
		var roots []app.Org
		if u := f.one("--under"); u != "" {
			o, err := r.svc.ResolveOrg(r.ctx, r.sess, u)
			if err != nil {
				return err
			}
			if o, err = r.svc.Org(r.ctx, r.sess, o.ID); err != nil {
				return err
			}
			roots = []app.Org{o}
		} else if roots, err = r.svc.RootOrgs(r.ctx, r.sess); err != nil {
			return err
		}
		for _, root := range roots {
			if err := r.walk(root, &list); err != nil {
				return err
			}
		}
	}
	out := make([]orgJSON, len(list))
	base := -1
	for i, o := range list {
		out[i] = orgOut(o)
		if o.Path != "" {
			d := strings.Count(o.Path, "/") - 2
			if base < 0 || d < base {
				base = d
			}
			out[i].Depth = d
		}
	}
	for i := range out {
		if base > 0 {
			out[i].Depth -= base
		}
	}
	return r.out(out, func(w io.Writer) {
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "编号\t组织\t类型\t类别\t省份\t团员数")
		for _, o := range out {
			name := o.Path
			if !search {
				name = strings.Repeat("  ", o.Depth) + o.Name
			}
			fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%d\n", o.ID, name, o.Kind, o.Category, o.Province, o.MemberCount)
		}
		tw.Flush()
	})
}

// walk appends o and its subtree, depth first.
func (r *run) walk(o app.Org, list *[]app.Org) error {
	*list = append(*list, o)
	if o.ChildCount == 0 {
		return nil
	}
	kids, err := r.svc.Children(r.ctx, r.sess, o.ID)
	if err != nil {
		return err
	}
	for _, k := range kids {
		if err := r.walk(k, list); err != nil {
			return err
		}
	}
	return nil
}

func (r *run) orgRename(f flags) error {
	o, err := r.svc.ResolveOrg(r.ctx, r.sess, f.pos[0])
	if err != nil {
		return err
	}
	if o, err = r.svc.RenameOrg(r.ctx, r.sess, o.ID, f.one("--name")); err != nil {
		return err
	}
	return r.out(orgOut(o), func(w io.Writer) { fmt.Fprintf(w, "已改名为“%s”。\n", o.FullName) })
}

func (r *run) orgDelete(f flags) error {
	o, err := r.svc.ResolveOrg(r.ctx, r.sess, f.pos[0])
	if err != nil {
		return err
	}
	if err := r.svc.DeleteOrg(r.ctx, r.sess, o.ID); err != nil {
		return err
	}
	return r.out(map[string]any{"deleted": true, "id": o.ID, "path": o.FullName}, func(w io.Writer) {
		fmt.Fprintf(w, "已删除“%s”。\n", o.FullName)
	})
}
