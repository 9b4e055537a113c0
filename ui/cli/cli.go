package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"tuanwu/app"
)

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
	// The letter renderer and the Excel codecs, as main wires them.
	app.Codecs
	// Restore replaces the closed store at storePath by the verified backup
	// from and returns where the replaced store was kept (data.Restore).
	Restore func(ctx context.Context, storePath, from string, at time.Time) (kept string, err error)
	// MigrateStore copies the store file st into an empty database on the
	// PostgreSQL server at to (data.Store.MigrateTo).
	MigrateStore func(ctx context.Context, st app.Store, to string) (MigrateResult, error)
}

// Commands lists the top-level command names, so main can tell a headless
// run from a window start.
// It is filled from the registry.
var Commands []string

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

// StorePath returns the store the command line names with --db (parsed as
// every command parses it), or the default store.
func StorePath(args []string) string {
	if g, _, err := splitGlobal(args); err == nil && g.db != "" {
		return g.db
	}
	return DefaultDB()
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
	// unset: the store is a server database no init (or demo) has set up
	// yet — the server's counterpart of a missing file.
	unset bool
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
	if isServer(path) && !r.newPractice {
		ok, err := r.svc.Initialized(r.ctx)
		if err != nil {
			return err
		}
		r.unset = !ok
	}
	if r.g.now != "" {
		d, err := time.ParseInLocation("2006-01-02", r.g.now, app.Shanghai)
		if err != nil {
			return usagef("--now 应为 YYYY-MM-DD 格式的日期，例如 2026-06-30。")
		}
		switch {
		case r.newPractice:
			// init --practice or demo: the store becomes practice data.
			r.svc.UseDateForNewPractice(d)
		case r.created != "" || r.unset:
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
	if r.unset {
		return app.Errorf(app.ENotFound, "学校服务器上的存储“%s”中还不存在任何组织：请先用 init 建立组织（或用 demo 载入演示数据），或用 --db 指定已有的存储。", r.store.Path())
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
