package cli

import (
	"fmt"
	"io"
	"os"
	"tuanwu/app"
)

var versionNoun = &noun{name: "version", summary: "程序版本和存储结构版本", help: `tuanwu [--db 文件] version
  显示程序版本；--db 指定的存储（或已存在的默认存储）的结构版本。不会新建任何文件。`,
	cmd: &command{bad: "version 不带参数。", run: (*run).version}}

var checkNoun = &noun{name: "check", summary: "检查存储的完整性", help: `tuanwu --as 身份证号 check`,
	cmd: &command{bad: "check 不带参数。", access: account, run: (*run).check}}

var backupNoun = &noun{name: "backup", summary: "经过校验的在线备份", help: `tuanwu --as 身份证号 backup --out 文件
  例：tuanwu --db 我校.db --as 身份证号 backup --out D:\备份\团务台-2026-12-01.db`,
	cmd: &command{flags: map[string]bool{"--out": true}, need: []string{"--out"}, bad: "用法：backup --out 备份文件", access: account, run: (*run).backup}}

func (r *run) version(flags) error {
	v := map[string]any{"version": app.Version, "schema": r.env.SchemaLatest}
	// The store's own schema: --db's or the default store's, only when it
	// exists: version never creates a store.
	path := r.g.db
	if path == "" {
		path = DefaultDB()
	}
	missing := false
	if _, err := os.Stat(path); err != nil && !isServer(path) {
		missing = r.g.db != ""
		path = ""
	}
	if path != "" {
		r.g.db = path
		if err := r.open(); err != nil {
			return err
		}
		v["store"] = r.store.Path()
		v["store_schema"] = r.store.SchemaVersion()
	}
	return r.out(v, func(w io.Writer) {
		fmt.Fprintf(w, "团务台 %s，程序的存储结构版本 %d\n", app.Version, r.env.SchemaLatest)
		if r.store != nil {
			fmt.Fprintf(w, "存储 %s 的结构版本 %d\n", r.store.Path(), r.store.SchemaVersion())
		} else if missing {
			fmt.Fprintf(w, "存储 %s 不存在（version 不会新建它）\n", r.g.db)
		}
	})
}

func (r *run) check(flags) error {
	problems, err := r.store.Check(r.ctx)
	if err != nil {
		return err
	}
	if problems == nil {
		problems = []string{}
	}
	// The audit chain (issue 10, item 6): Check names its first broken entry.
	chain, err := r.store.VerifyAudit(r.ctx)
	if err != nil {
		return err
	}
	if err := r.out(map[string]any{"ok": len(problems) == 0, "problems": problems,
		"audit": map[string]any{"entries": chain.Entries, "intact": chain.Intact, "first_broken": chain.BrokenID}}, func(w io.Writer) {
		if len(problems) == 0 {
			fmt.Fprintf(w, "检查通过：存储完整，外键一致，人数统计正确，操作日志校验链完好（共 %d 条记录）。\n", chain.Entries)
		}
		for _, p := range problems {
			fmt.Fprintln(w, p)
		}
	}); err != nil {
		return err
	}
	if len(problems) > 0 {
		return app.Errorf(app.EConflict, "检查发现 %d 个问题，请从最近的备份恢复，或联系技术支持。", len(problems))
	}
	return nil
}

func (r *run) backup(f flags) error {
	out := f.one("--out")
	if err := r.svc.Backup(r.ctx, r.sess, out); err != nil {
		return err
	}
	return r.out(map[string]any{"ok": true, "out": out}, func(w io.Writer) {
		fmt.Fprintf(w, "已备份到 %s，并校验通过。\n", out)
	})
}
