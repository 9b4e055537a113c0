package cli

import (
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"tuanwu/app"
)

var passwdNoun = &noun{name: "passwd", summary: "修改自己的密码，或重置他人密码",
	help: `tuanwu --as 身份证号 passwd              新密码在终端上输入，或取自环境变量 TUANWU_NEW_PASSWORD
tuanwu --as 身份证号 passwd reset 身份证号   把他人的密码重置为初始密码
  仍在使用初始密码的账号只能先执行 passwd。`,
	dispatch: func(r *run, args []string) error {
		f, err := parseFlags(args, map[string]bool{})
		if err != nil {
			return err
		}
		if len(f.pos) > 0 {
			if f.pos[0] == "reset" && len(f.pos) == 2 {
				return r.passwdReset(f.pos[1])
			}
			return usagef("用法：passwd 或 passwd reset 身份证号")
		}
		return r.exec(passwdCmd, nil)
	}}

var passwdCmd = &command{bad: "用法：passwd 或 passwd reset 身份证号", access: firstUse, run: (*run).passwd}

func (r *run) passwd(flags) error {
	var err error
	nw := r.env.Getenv("TUANWU_NEW_PASSWORD")
	if nw == "" {
		if r.env.ReadSecret == nil {
			return app.Errorf(app.EInvalid, "没有提供新密码：请把新密码放在环境变量 TUANWU_NEW_PASSWORD 中。")
		}
		if nw, err = r.env.ReadSecret("新密码（至少 8 位，不能包含身份证号）："); err != nil {
			return app.Wrap(app.EIO, err, "无法读取新密码，请通过环境变量 TUANWU_NEW_PASSWORD 提供。")
		}
		again, err := r.env.ReadSecret("再输入一次新密码：")
		if err != nil {
			return app.Wrap(app.EIO, err, "无法读取新密码。")
		}
		if again != nw {
			return app.Errorf(app.EInvalid, "两次输入的新密码不一致，密码没有修改，请重新运行 passwd。")
		}
	}
	if err := r.svc.ChangePassword(r.ctx, r.sess, r.pw, nw); err != nil {
		return err
	}
	return r.out(map[string]any{"ok": true, "id_no": r.sess.Account.IDNo}, func(w io.Writer) {
		fmt.Fprintln(w, "密码已修改，请牢记新密码。")
	})
}

var auditNoun = &noun{name: "audit", summary: "操作日志", help: `tuanwu --as 身份证号 audit [--since YYYY-MM-DD] [--member 身份证号]`,
	cmd: &command{flags: map[string]bool{"--since": true, "--member": true, "--org": true, "--limit": true},
		bad: "用法：audit [--since YYYY-MM-DD] [--member 身份证号]", access: account, run: (*run).audit}}

func (r *run) audit(f flags) error {
	flt := app.AuditFilter{Member: app.NormalizeID(f.one("--member")), Limit: 1000}
	if s := f.one("--since"); s != "" {
		d, err := time.ParseInLocation("2006-01-02", s, app.Shanghai)
		if err != nil {
			return usagef("--since 应为 YYYY-MM-DD 格式的日期。")
		}
		flt.Since = d
	}
	if o := f.one("--org"); o != "" {
		org, err := r.svc.ResolveOrg(r.ctx, r.sess, o)
		if err != nil {
			return err
		}
		flt.OrgID = org.ID
	}
	if v := f.one("--limit"); v != "" {
		if _, err := fmt.Sscanf(v, "%d", &flt.Limit); err != nil || flt.Limit <= 0 {
			return usagef("--limit 应为正整数。")
		}
	}
	entries, err := r.svc.Audit(r.ctx, r.sess, flt)
	if err != nil {
		return err
	}
	type entryJSON struct {
		ID     int64  `json:"id"`
		At     string `json:"at"`
		Actor  string `json:"actor"`
		Action string `json:"action"`
		Object string `json:"object"`
		OrgID  int64  `json:"org_id,omitempty"`
		Member string `json:"member,omitempty"`
		Before string `json:"before"`
		After  string `json:"after"`
	}
	out := make([]entryJSON, len(entries))
	for i, e := range entries {
		out[i] = entryJSON{e.ID, e.At.Format("2006-01-02 15:04:05"), app.MaskID(e.Actor), e.Action, e.Object, e.OrgID, app.MaskID(e.Member), e.Before, e.After}
	}
	return r.out(out, func(w io.Writer) {
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "时间\t操作人\t操作\t对象\t修改前\t修改后")
		for _, e := range out {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", e.At, e.Actor, e.Action, e.Object, e.Before, e.After)
		}
		tw.Flush()
	})
}
