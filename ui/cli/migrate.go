package cli

import (
	"fmt"
	"io"
	"strings"

	"tuanwu/app"
)

// MigrateResult is what moving a store to a server copied (issue 14, item 4).
type MigrateResult struct {
	Target string // the server location, without its password
	Tables []MigrateTable
	Audit  int // audit entries, their hash chain verified on the server
}

// MigrateTable is one table's copied rows and checksum.
type MigrateTable struct {
	Table string
	Rows  int
	Sum   string
}

// isServer reports whether a store location names a PostgreSQL server.
func isServer(loc string) bool {
	l := strings.ToLower(strings.TrimSpace(loc))
	return strings.HasPrefix(l, "postgres://") || strings.HasPrefix(l, "postgresql://")
}

var migrateNoun = &noun{name: "migrate", summary: "把本机存储迁移到学校服务器（PostgreSQL）",
	help: `tuanwu --db 文件 --as 身份证号 migrate --to postgres://用户名@服务器地址:5432/数据库名
  把存储文件整体复制到服务器上的空数据库：全部成功或什么都不写；逐表核对行数和校验值，
  操作日志连同校验链原样保留。密码取自环境变量 PGPASSWORD，不要写进命令行。
  只有校级（根组织）管理员可以迁移。迁移后用 --db postgres://… 连接服务器；
  要把服务器上的数据带回本机，用 backup --out 文件.db。`,
	cmd: &command{flags: map[string]bool{"--to": true}, need: []string{"--to"}, bad: "用法：migrate --to postgres://用户名@服务器地址:5432/数据库名",
		access: account, run: (*run).migrate,
		check: func(f flags) error {
			if !isServer(f.one("--to")) {
				return app.Errorf(app.EInvalid, "--to 应是学校服务器的地址，例如 postgres://用户名@服务器地址:5432/数据库名。")
			}
			return nil
		}}}

// migrate copies the --db store file into an empty database on a school
// server: tuanwu --db 文件 --as 身份证号 migrate --to postgres://…
func (r *run) migrate(f flags) error {
	to := f.one("--to")
	if r.env.MigrateStore == nil {
		return app.Errorf(app.EInvalid, "这个版本的团务台不能迁移存储。")
	}
	if err := r.svc.CheckRestore(r.sess); err != nil {
		return err
	}
	res, err := r.env.MigrateStore(r.ctx, r.store, to)
	if err != nil {
		return err
	}
	tables := map[string]int{}
	for _, t := range res.Tables {
		tables[t.Table] = t.Rows
	}
	return r.out(map[string]any{"ok": true, "to": res.Target, "tables": tables, "audit_entries": res.Audit}, func(w io.Writer) {
		fmt.Fprintf(w, "已迁移到 %s，逐表核对行数和校验值一致：\n", res.Target)
		for _, t := range res.Tables {
			fmt.Fprintf(w, "  %-18s %8d 行\n", t.Table, t.Rows)
		}
		fmt.Fprintf(w, "操作日志 %d 条，校验链完好。以后请用 --db %s 连接学校服务器。\n", res.Audit, res.Target)
	})
}
