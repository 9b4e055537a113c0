// Package cli is the headless face of 团务台: the commands of CLI.md, each a
// thin call of an app use case, with Chinese tables or --json output.
package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"tuanwu/app"
)

// Version is the program's version, set by main from its -X version.
var Version = "dev"

// Env is what a command run needs from the outside world.
type Env struct {
	Stdout, Stderr io.Writer
	Getenv         func(string) string
	// OpenStore opens the store file at path.
	OpenStore func(path string) (app.Store, error)
	// SchemaLatest is the schema version this program writes.
	SchemaLatest int
	// ReadSecret asks for a secret on the terminal; nil when there is none.
	ReadSecret func(prompt string) (string, error)
	// WriteLetters renders introduction letters as one PDF (package print).
	WriteLetters func(w io.Writer, letters []app.Letter) error
	// The Excel encoders and decoder (package data/xlsx).
	ReadMembers         func(r io.Reader, now time.Time) ([]app.ImportRow, error)
	WriteRoster         func(w io.Writer, title string, members func(yield func(app.Member) bool), maskIDs bool, now time.Time) error
	WriteErrorReport    func(w io.Writer, rows []app.ErrorReportRow) error
	WriteUnmarked       func(w io.Writer, branches []app.UnmarkedBranch) error
	WriteAbroadRegister func(w io.Writer, rows []app.AbroadRow) error
	WriteGraduates      func(w io.Writer, rep app.GradReport) error
	// Restore replaces the closed store at storePath by the verified backup
	// from and returns where the replaced store was kept (data.Restore).
	Restore func(ctx context.Context, storePath, from string, at time.Time) (kept string, err error)
	// MigrateStore copies the store file st into an empty database on the
	// PostgreSQL server at to (data.Store.MigrateTo).
	MigrateStore func(ctx context.Context, st app.Store, to string) (MigrateResult, error)
}

// Commands lists the top-level command names, so main can tell a headless
// run from a window start.
var Commands = []string{"init", "demo", "org", "member", "cadre", "admin", "passwd", "grad", "report", "transfer", "sweep", "notices", "letter", "check", "backup", "restore", "migrate", "version", "audit"}

// IsCommand reports whether args (without the program name) name a headless command.
func IsCommand(args []string) bool {
	_, rest, err := splitGlobal(args)
	if err != nil {
		return true // let Run report the usage error
	}
	return len(rest) > 0
}

// DefaultDB returns the default store: TUANWU_DB when set (a file or a
// school server, postgres://…), else <user config dir>/tuanwu/tuanwu.db.
func DefaultDB() string {
	if loc := os.Getenv("TUANWU_DB"); loc != "" {
		return loc
	}
	dir, err := os.UserConfigDir()
	if err != nil {
		dir = "."
	}
	return filepath.Join(dir, "tuanwu", "tuanwu.db")
}

type global struct {
	db, as, now string
	json        bool
}

// exit codes
const (
	exitOK      = 0
	exitRefused = 1
	exitUsage   = 2
)

type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error { return usageError{fmt.Sprintf(format, args...)} }

// splitGlobal takes the global flags out of args, wherever they stand.
func splitGlobal(args []string) (global, []string, error) {
	var g global
	var rest []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		name, val, hasVal := strings.Cut(a, "=")
		switch name {
		case "--db", "--as", "--now":
			if !hasVal {
				if i+1 >= len(args) {
					return g, nil, usagef("参数 %s 后面需要一个值。", name)
				}
				i++
				val = args[i]
			}
			switch name {
			case "--db":
				g.db = val
			case "--as":
				g.as = val
			case "--now":
				if _, err := time.ParseInLocation("2006-01-02", val, app.Shanghai); err != nil {
					return g, nil, usagef("--now 应为 YYYY-MM-DD 格式的日期，例如 2026-06-30。")
				}
				g.now = val
			}
		case "--json":
			g.json = true
		default:
			rest = append(rest, a)
		}
	}
	return g, rest, nil
}

// run is the state of one command run.
type run struct {
	env   Env
	g     global
	ctx   context.Context
	svc   *app.Service
	store app.Store
	sess  *app.Session
	pw    string // the --as account's password, as given at sign-in
	// created is the store file this run created, "" when it existed.
	created string
	// newPractice: this run makes a practice store (init --practice, demo),
	// so --now is accepted before the store is marked.
	newPractice bool
}

// Run runs one headless command and returns its exit status: 0 done, 1
// refused (a Chinese sentence on stderr), 2 usage error.
func Run(args []string, env Env) int {
	if env.Getenv == nil {
		env.Getenv = os.Getenv
	}
	g, rest, err := splitGlobal(args)
	if err != nil {
		return usage(env, err)
	}
	if topic, ok := wantsHelp(rest); ok {
		return help(env, topic)
	}
	if len(rest) == 0 {
		return usage(env, usagef("请指定命令。"))
	}
	r := &run{env: env, g: g, ctx: context.Background()}
	err = r.dispatch(rest[0], rest[1:])
	if r.store != nil {
		if cerr := r.store.Close(); cerr != nil && err == nil {
			err = cerr
		}
		if err != nil && r.created != "" {
			// Refused: nothing changed, not even a new empty store file.
			for _, suffix := range []string{"", "-wal", "-shm", "-journal"} {
				os.Remove(r.created + suffix)
			}
		}
	}
	var ue usageError
	switch {
	case err == nil:
		return exitOK
	case errors.As(err, &ue):
		return usage(env, err)
	default:
		fmt.Fprintln(env.Stderr, app.ErrorMessage(err))
		if app.ErrorCode(err) == app.EInternal {
			fmt.Fprintln(env.Stderr, "详细信息：", err)
		}
		return exitRefused
	}
}

func usage(env Env, err error) int {
	fmt.Fprintln(env.Stderr, err.Error())
	fmt.Fprintln(env.Stderr, "用法：tuanwu [--db 文件] [--as 身份证号] [--now 日期] [--json] 命令 ...；命令有 "+strings.Join(Commands, "、")+"。tuanwu --help 显示全部用法。")
	return exitUsage
}

func (r *run) dispatch(cmd string, args []string) error {
	switch cmd {
	case "version":
		return r.version(args)
	case "init":
		return r.init(args)
	case "demo":
		return r.demo(args)
	case "org":
		return r.org(args)
	case "member":
		return r.member(args)
	case "cadre":
		return r.cadre(args)
	case "admin":
		return r.admin(args)
	case "grad":
		return r.grad(args)
	case "report":
		return r.report(args)
	case "transfer":
		return r.transfer(args)
	case "sweep":
		return r.sweep(args)
	case "notices":
		return r.notices(args)
	case "letter":
		return r.letter(args)
	case "passwd":
		return r.passwd(args)
	case "check":
		return r.check(args)
	case "backup":
		return r.backup(args)
	case "restore":
		return r.restore(args)
	case "migrate":
		return r.migrate(args)
	case "audit":
		return r.audit(args)
	}
	if strings.HasPrefix(cmd, "-") {
		return usagef("不认识的参数 %s；全局参数有 --db --as --now --json。", cmd)
	}
	return usagef("没有“%s”这个命令。", cmd)
}

// open opens the store and builds the service with --now applied.
func (r *run) open() error {
	path := r.g.db
	if path == "" {
		path = DefaultDB()
	}
	_, statErr := os.Stat(path)
	if isServer(path) {
		statErr = nil // a server store is never created as a file
	}
	st, err := r.env.OpenStore(path)
	if err != nil {
		return err
	}
	r.store = st
	if errors.Is(statErr, os.ErrNotExist) {
		r.created = path
	}
	r.svc = app.NewService(st)
	if r.g.now != "" {
		d, err := time.ParseInLocation("2006-01-02", r.g.now, app.Shanghai)
		if err != nil {
			return usagef("--now 应为 YYYY-MM-DD 格式的日期，例如 2026-06-30。")
		}
		switch {
		case r.newPractice:
			// init --practice or demo: the store becomes practice data.
			r.svc.UseDateForNewPractice(d)
		case r.created != "":
			// No store yet: the command says to run init or demo first.
		default:
			if err := r.svc.UseDate(r.ctx, d); app.ErrorCode(err) == app.EForbidden {
				// A real store runs on the real clock (usage error, exit 2).
				return usageError{app.ErrorMessage(err)}
			} else if err != nil {
				return err
			}
		}
	}
	return nil
}

// signIn opens the store and signs in the --as account. allowMustChange
// lets passwd run for an account still on its initial password.
func (r *run) signIn(allowMustChange bool) error {
	if r.g.as == "" {
		return usagef("这个命令需要用 --as 身份证号 指定操作账号（密码放在环境变量 TUANWU_PASSWORD 中）。")
	}
	if err := r.open(); err != nil {
		return err
	}
	if r.created != "" {
		// The file is removed again on the way out (nothing changed).
		return app.Errorf(app.ENotFound, "存储文件“%s”不存在：请先用 init 建立组织（或用 demo 载入演示数据），或用 --db 指定已有的存储文件。", r.created)
	}
	pw := r.env.Getenv("TUANWU_PASSWORD")
	if pw == "" {
		if r.env.ReadSecret == nil {
			return app.Errorf(app.EUnauthorized, "没有提供密码：请把账号 %s 的密码放在环境变量 TUANWU_PASSWORD 中。", app.MaskID(app.NormalizeID(r.g.as)))
		}
		var err error
		if pw, err = r.env.ReadSecret("密码："); err != nil {
			return app.Wrap(app.EUnauthorized, err, "无法读取密码，请通过环境变量 TUANWU_PASSWORD 提供。")
		}
	}
	r.pw = pw
	asOf := r.svc.Now
	// Sign-in and its lockout run on the real clock, never on --now.
	r.svc.Now = func() time.Time { return time.Now().In(app.Shanghai) }
	sess, err := r.svc.SignIn(r.ctx, r.g.as, pw)
	r.svc.Now = asOf
	if app.ErrorCode(err) == app.EMustChange {
		if allowMustChange {
			r.sess = sess
			return nil
		}
		return app.Errorf(app.EMustChange, "账号 %s 仍在使用初始密码，只能先运行 passwd 修改密码，之后才能执行其他命令。", app.MaskID(sess.Account.IDNo))
	}
	if err != nil {
		return err
	}
	r.sess = sess
	return nil
}

// out prints v as JSON with --json, else calls text.
func (r *run) out(v any, text func(w io.Writer)) error {
	if r.g.json {
		enc := json.NewEncoder(r.env.Stdout)
		enc.SetEscapeHTML(false)
		return enc.Encode(v)
	}
	text(r.env.Stdout)
	return nil
}

func (r *run) version(args []string) error {
	if len(args) > 0 {
		return usagef("version 不带参数。")
	}
	v := map[string]any{"version": Version, "schema": r.env.SchemaLatest}
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
		fmt.Fprintf(w, "团务台 %s，程序的存储结构版本 %d\n", Version, r.env.SchemaLatest)
		if r.store != nil {
			fmt.Fprintf(w, "存储 %s 的结构版本 %d\n", r.store.Path(), r.store.SchemaVersion())
		} else if missing {
			fmt.Fprintf(w, "存储 %s 不存在（version 不会新建它）\n", r.g.db)
		}
	})
}

func (r *run) check(args []string) error {
	if len(args) > 0 {
		return usagef("check 不带参数。")
	}
	if err := r.signIn(false); err != nil {
		return err
	}
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

func (r *run) backup(args []string) error {
	f, err := parseFlags(args, map[string]bool{"--out": true})
	if err != nil {
		return err
	}
	out := f.one("--out")
	if out == "" || len(f.pos) > 0 {
		return usagef("用法：backup --out 备份文件")
	}
	if err := r.signIn(false); err != nil {
		return err
	}
	if err := r.svc.Backup(r.ctx, r.sess, out); err != nil {
		return err
	}
	return r.out(map[string]any{"ok": true, "out": out}, func(w io.Writer) {
		fmt.Fprintf(w, "已备份到 %s，并校验通过。\n", out)
	})
}

// flags is a parsed command line of one command.
type flags struct {
	pos  []string
	vals map[string][]string
	set  map[string]bool
}

func (f flags) one(name string) string {
	v := f.vals[name]
	if len(v) == 0 {
		return ""
	}
	return v[len(v)-1]
}

// parseFlags parses args against spec: a flag maps to true when it takes a
// value, false when it is a switch. Anything else starting with "--" is a
// usage error.
func parseFlags(args []string, spec map[string]bool) (flags, error) {
	f := flags{vals: map[string][]string{}, set: map[string]bool{}}
	for i := 0; i < len(args); i++ {
		a := args[i]
		if !strings.HasPrefix(a, "--") {
			f.pos = append(f.pos, a)
			continue
		}
		name, val, hasVal := strings.Cut(a, "=")
		takes, ok := spec[name]
		if !ok {
			known := make([]string, 0, len(spec))
			for k := range spec {
				known = append(known, k)
			}
			sort.Strings(known)
			return f, usagef("不认识的参数 %s；这里可用的参数有：%s。", name, strings.Join(known, " "))
		}
		f.set[name] = true
		if !takes {
			continue
		}
		if !hasVal {
			if i+1 >= len(args) {
				return f, usagef("参数 %s 后面需要一个值。", name)
			}
			i++
			val = args[i]
		}
		f.vals[name] = append(f.vals[name], val)
	}
	// --out always names a file to write: a folder is refused before anything runs.
	for _, out := range f.vals["--out"] {
		if fi, err := os.Stat(out); err == nil && fi.IsDir() {
			return f, app.Errorf(app.EInvalid, "--out 指定的“%s”是一个文件夹，不是文件。请写出要保存的文件名，例如 %s。", out, filepath.Join(out, outExample(spec)))
		}
	}
	return f, nil
}

// outExample is a file name to suggest for --out.
func outExample(spec map[string]bool) string {
	if spec["--valid-days"] {
		return "介绍信.pdf"
	}
	if len(spec) == 1 {
		return "团务台备份.db" // backup --out
	}
	return "名册.xlsx"
}
