// Package data implements the app.Store on a local SQLite file.
package data

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/mattn/go-sqlite3"

	"tuanwu/app"
)

//go:embed migrations/*.sql
var migrationFS embed.FS

// Store is the SQLite implementation of app.Store: one writer connection and
// a small pool of readers over a WAL-mode file.
type Store struct {
	path    string
	w       *sql.DB // the one writer
	r       *sql.DB // readers
	version int
	names   nameCache
	rstmts  sync.Map      // statements prepared on the readers, shared by read transactions
	readers chan struct{} // at most maxReadTx read transactions at once
}

// Reader connections: read transactions take at most maxReadTx of them, so
// that preparing a shared statement always finds a free connection.
const (
	maxReaders = 8
	maxReadTx  = 6
)

// nameCache keeps organizations' full names, which every member listing
// shows; any committed change to organizations empties it.
type nameCache struct {
	mu  sync.Mutex
	gen uint64
	m   map[int64]string
}

func (c *nameCache) get(id int64) (string, uint64, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	s, ok := c.m[id]
	return s, c.gen, ok
}

// put stores a name read while the cache was at generation gen.
func (c *nameCache) put(id int64, name string, gen uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if gen != c.gen {
		return // organizations changed meanwhile: the name may be stale
	}
	if c.m == nil || len(c.m) > 200000 {
		c.m = map[int64]string{}
	}
	c.m[id] = name
}

func (c *nameCache) clear() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	c.m = nil
}

var _ app.Store = (*Store)(nil)

// migrations returns the embedded migrations ordered by their number.
func migrations() ([]string, error) {
	names, err := fs.Glob(migrationFS, "migrations/*.sql")
	if err != nil {
		return nil, fmt.Errorf("list migrations: %w", err)
	}
	sort.Strings(names)
	return names, nil
}

// LatestVersion returns the schema version this program writes.
func LatestVersion() int {
	names, _ := migrations()
	return len(names)
}

func dsn(path string, extra string) string {
	return path + "?_foreign_keys=on&_busy_timeout=10000&_synchronous=NORMAL" + extra
}

// Open opens (creating it when missing) the store at path and brings its
// schema up to date. A file that is not SQLite, that cannot be written, or
// that comes from a newer version of the program gives an app.Error with
// code EStore and leaves the file unchanged.
func Open(path string) (*Store, error) {
	return open(path, "")
}

func open(path, extra string) (*Store, error) {
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, app.Wrap(app.EStore, err, "无法创建存储文件所在的文件夹“%s”，请检查权限或换一个位置。", dir)
		}
	}
	if fi, err := os.Stat(path); err == nil {
		if fi.IsDir() {
			return nil, app.Errorf(app.EStore, "“%s”是一个文件夹，不是存储文件，请选择 .db 文件。", path)
		}
		if f, err := os.OpenFile(path, os.O_RDWR, 0); err != nil {
			return nil, app.Wrap(app.EStore, err, "存储文件“%s”是只读的或无权访问，无法保存修改。请检查文件权限，或把它复制到可写的位置再打开。", path)
		} else {
			f.Close()
		}
	}
	w, err := sql.Open("sqlite3", dsn(path, "&_txlock=immediate&_cache_size=-131072"+extra))
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	w.SetMaxOpenConns(1)
	w.SetConnMaxLifetime(0)
	s := &Store{path: path, w: w}
	if err := s.prepare(); err != nil {
		w.Close()
		return nil, err
	}
	r, err := sql.Open("sqlite3", dsn(path, "&_query_only=true"+extra))
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("open readers %s: %w", path, err)
	}
	r.SetMaxOpenConns(maxReaders)
	r.SetMaxIdleConns(maxReaders)
	s.r = r
	s.readers = make(chan struct{}, maxReadTx)
	return s, nil
}

// prepare checks the file, refuses a newer schema, switches to WAL and
// applies the migrations the file lacks, each in its own transaction.
func (s *Store) prepare() error {
	var version int
	if err := s.w.QueryRow("PRAGMA user_version").Scan(&version); err != nil {
		return s.openError(err)
	}
	names, err := migrations()
	if err != nil {
		return err
	}
	if version > len(names) {
		return app.Errorf(app.EStore, "存储文件“%s”由更新版本的团务台创建（结构版本 %d，本程序只认识到版本 %d）。为保护数据，本程序不会改动它，请升级团务台后再打开。", s.path, version, len(names))
	}
	var mode string
	if err := s.w.QueryRow("PRAGMA journal_mode=WAL").Scan(&mode); err != nil {
		return s.openError(err)
	}
	for i := version; i < len(names); i++ {
		body, err := migrationFS.ReadFile(names[i])
		if err != nil {
			return fmt.Errorf("read %s: %w", names[i], err)
		}
		tx, err := s.w.Begin()
		if err != nil {
			return s.openError(err)
		}
		if _, err := tx.Exec(string(body)); err != nil {
			tx.Rollback()
			return s.openError(fmt.Errorf("migration %s: %w", names[i], err))
		}
		if hook := postMigration[names[i]]; hook != nil {
			if err := hook(context.Background(), tx); err != nil {
				tx.Rollback()
				return s.openError(fmt.Errorf("migration %s: %w", names[i], err))
			}
		}
		if _, err := tx.Exec("PRAGMA user_version = " + strconv.Itoa(i+1)); err != nil {
			tx.Rollback()
			return s.openError(err)
		}
		if err := tx.Commit(); err != nil {
			return s.openError(err)
		}
	}
	s.version = len(names)
	return nil
}

// openError turns a driver error met while opening into an app.Error.
func (s *Store) openError(err error) error {
	var se sqlite3.Error
	if errors.As(err, &se) {
		switch se.Code {
		case sqlite3.ErrNotADB:
			return app.Wrap(app.EStore, err, "文件“%s”不是团务台的存储文件（不是 SQLite 数据库），请选择正确的文件。", s.path)
		case sqlite3.ErrReadonly, sqlite3.ErrPerm, sqlite3.ErrCantOpen:
			return app.Wrap(app.EStore, err, "存储文件“%s”无法写入（只读或无权访问），请检查文件权限，或把它复制到可写的位置再打开。", s.path)
		case sqlite3.ErrCorrupt:
			return app.Wrap(app.EStore, err, "存储文件“%s”已损坏，请从备份恢复。", s.path)
		}
	}
	return mapErr(err)
}

// mapErr turns driver errors into app errors where users can act on them.
func mapErr(err error) error {
	if err == nil {
		return nil
	}
	var ae *app.Error
	if errors.As(err, &ae) {
		return err
	}
	var se sqlite3.Error
	if errors.As(err, &se) {
		switch {
		case se.Code == sqlite3.ErrConstraint && (se.ExtendedCode == sqlite3.ErrConstraintUnique || se.ExtendedCode == sqlite3.ErrConstraintPrimaryKey):
			return app.Wrap(app.EConflict, err, "该记录已存在（编号或名称重复），请核对后再保存。")
		case se.Code == sqlite3.ErrConstraint && se.ExtendedCode == sqlite3.ErrConstraintForeignKey:
			return app.Wrap(app.EConflict, err, "该记录仍被其他数据引用，不能这样修改。")
		case se.Code == sqlite3.ErrReadonly:
			return app.Wrap(app.EStore, err, "存储文件是只读的，修改没有保存。请检查文件权限。")
		case se.Code == sqlite3.ErrFull:
			return app.Wrap(app.EStore, err, "磁盘空间已满，修改没有保存。请清理磁盘后重试。")
		case se.Code == sqlite3.ErrBusy || se.Code == sqlite3.ErrLocked:
			return app.Wrap(app.EStore, err, "存储文件正被另一个程序使用，请关闭其他团务台窗口后重试。")
		}
	}
	return err
}

// Path returns the store's file name.
func (s *Store) Path() string { return s.path }

// SchemaVersion returns the schema version of the open store.
func (s *Store) SchemaVersion() int { return s.version }

// Close closes the store, checkpointing the WAL.
func (s *Store) Close() error {
	var errs []error
	s.rstmts.Range(func(_, v any) bool { v.(*sql.Stmt).Close(); return true })
	if s.r != nil {
		errs = append(errs, s.r.Close())
	}
	if s.w != nil {
		s.w.Exec("PRAGMA optimize")
		errs = append(errs, s.w.Close())
	}
	return errors.Join(errs...)
}

// Read runs fn in a read transaction on a reader connection.
func (s *Store) Read(ctx context.Context, fn func(app.Tx) error) error {
	select {
	case s.readers <- struct{}{}:
	case <-ctx.Done():
		return ctx.Err()
	}
	defer func() { <-s.readers }()
	tx, err := s.r.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return mapErr(fmt.Errorf("begin read: %w", err))
	}
	defer tx.Rollback()
	t := &txn{tx: tx, ctx: ctx, s: s, db: s.r, cache: &s.rstmts}
	defer t.close()
	return mapErr(fn(t))
}

// Write runs fn in the writer's transaction and commits when fn returns nil.
func (s *Store) Write(ctx context.Context, fn func(app.Tx) error) error {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return mapErr(fmt.Errorf("begin write: %w", err))
	}
	// The audit entries this transaction adds lie above base; they are
	// chained before it commits (data/audit.go).
	base, err := auditBase(ctx, tx)
	if err != nil {
		tx.Rollback()
		return err
	}
	// The writer's one connection is held by this transaction, so its
	// statements are prepared on the transaction itself (cache nil).
	t := &txn{tx: tx, ctx: ctx, s: s}
	defer t.close()
	if err := fn(t); err != nil {
		tx.Rollback()
		if t.orgsChanged {
			s.names.clear()
		}
		return mapErr(err)
	}
	if err := sealAudit(ctx, tx, base); err != nil {
		tx.Rollback()
		if t.orgsChanged {
			s.names.clear()
		}
		return mapErr(err)
	}
	err = tx.Commit()
	if t.orgsChanged {
		s.names.clear()
	}
	if err != nil {
		return mapErr(fmt.Errorf("commit: %w", err))
	}
	return nil
}

// Check runs PRAGMA integrity_check and foreign_key_check, and verifies the
// kept member counts.
func (s *Store) Check(ctx context.Context) ([]string, error) {
	var problems []string
	rows, err := s.r.QueryContext(ctx, "PRAGMA integrity_check")
	if err != nil {
		return nil, mapErr(err)
	}
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			rows.Close()
			return nil, err
		}
		if line != "ok" {
			problems = append(problems, "完整性检查："+line)
		}
	}
	rows.Close()
	fk, err := s.r.QueryContext(ctx, "PRAGMA foreign_key_check")
	if err != nil {
		return nil, mapErr(err)
	}
	for fk.Next() {
		var table, parent string
		var rowid, idx sql.NullInt64
		if err := fk.Scan(&table, &rowid, &parent, &idx); err != nil {
			fk.Close()
			return nil, err
		}
		problems = append(problems, fmt.Sprintf("外键检查：表 %s 第 %d 行引用的 %s 不存在", table, rowid.Int64, parent))
	}
	fk.Close()
	cnt, err := s.r.QueryContext(ctx, `SELECT o.id, o.name, o.member_count, (SELECT count(*) FROM members m WHERE m.org_id = o.id AND m.status = '在团') AS real
		FROM orgs o WHERE o.member_count <> (SELECT count(*) FROM members m WHERE m.org_id = o.id AND m.status = '在团')`)
	if err != nil {
		return nil, mapErr(err)
	}
	for cnt.Next() {
		var id, kept, real int64
		var name string
		if err := cnt.Scan(&id, &name, &kept, &real); err != nil {
			cnt.Close()
			return nil, err
		}
		problems = append(problems, fmt.Sprintf("人数统计：组织 %s（%d）记录为 %d 人，实际 %d 人", name, id, kept, real))
	}
	cnt.Close()
	sub, err := s.r.QueryContext(ctx, `SELECT o.id, o.name, o.subtree_count, s.total FROM orgs o JOIN
		(SELECT a.id AS id, sum(d.member_count) AS total FROM orgs a JOIN orgs d ON d.path >= a.path AND d.path < a.path || '~' GROUP BY a.id) s
		ON s.id = o.id WHERE o.subtree_count <> s.total`)
	if err != nil {
		return nil, mapErr(err)
	}
	defer sub.Close()
	for sub.Next() {
		var id, kept, real int64
		var name string
		if err := sub.Scan(&id, &name, &kept, &real); err != nil {
			return nil, err
		}
		problems = append(problems, fmt.Sprintf("人数统计：组织 %s（%d）及下级记录为 %d 人，实际 %d 人", name, id, kept, real))
	}
	if err := sub.Err(); err != nil {
		return nil, err
	}
	chain, err := s.VerifyAudit(ctx)
	if err != nil {
		return nil, err
	}
	return append(problems, chain.Problems...), nil
}

// Backup writes a consistent copy of the store to path with VACUUM INTO,
// then opens the copy and runs the integrity check on it.
func (s *Store) Backup(ctx context.Context, path string) error {
	if _, err := os.Stat(path); err == nil {
		return app.Errorf(app.EConflict, "文件“%s”已存在，请换一个备份文件名，以免覆盖。", path)
	}
	if _, err := s.w.ExecContext(ctx, "VACUUM INTO ?", path); err != nil {
		return app.Wrap(app.EStore, err, "备份到“%s”失败，请检查该位置是否可写、磁盘空间是否充足。", path)
	}
	b, err := sql.Open("sqlite3", "file:"+url.PathEscape(path)+"?mode=ro")
	if err != nil {
		return fmt.Errorf("open backup: %w", err)
	}
	defer b.Close()
	var res string
	if err := b.QueryRowContext(ctx, "PRAGMA integrity_check").Scan(&res); err != nil || res != "ok" {
		return app.Errorf(app.EStore, "备份文件“%s”校验未通过，请重新备份。", path)
	}
	return nil
}

// txn implements app.Tx on one SQL transaction.
type txn struct {
	tx          *sql.Tx
	ctx         context.Context
	s           *Store
	stmts       map[string]*sql.Stmt
	db          *sql.DB   // the pool the transaction runs on
	cache       *sync.Map // SQL text → *sql.Stmt prepared on db
	orgsChanged bool      // names or the tree changed: the name cache is emptied at the end
}

func (t *txn) close() {
	for _, st := range t.stmts {
		st.Close()
	}
}

// stmt returns q prepared for this transaction. The statement is prepared
// once per store and connection and reused by later transactions.
func (t *txn) stmt(q string) (*sql.Stmt, error) {
	if st, ok := t.stmts[q]; ok {
		return st, nil
	}
	var st *sql.Stmt
	if t.cache != nil {
		shared, ok := t.cache.Load(q)
		if !ok {
			p, err := t.db.PrepareContext(t.ctx, q)
			if err != nil {
				return nil, fmt.Errorf("prepare: %w", err)
			}
			if shared, ok = t.cache.LoadOrStore(q, p); ok {
				p.Close()
			}
		}
		st = t.tx.StmtContext(t.ctx, shared.(*sql.Stmt))
	} else {
		var err error
		if st, err = t.tx.PrepareContext(t.ctx, q); err != nil {
			return nil, fmt.Errorf("prepare: %w", err)
		}
	}
	if t.stmts == nil {
		t.stmts = map[string]*sql.Stmt{}
	}
	t.stmts[q] = st
	return st, nil
}

func (t *txn) exec(q string, args ...any) (sql.Result, error) {
	res, err := t.tx.ExecContext(t.ctx, q, args...)
	return res, mapErr(err)
}

const timeLayout = time.RFC3339

func fmtTime(tm time.Time) string {
	if tm.IsZero() {
		return ""
	}
	return tm.Format(timeLayout)
}

func parseTime(s string) time.Time {
	if s == "" {
		return time.Time{}
	}
	tm, err := time.Parse(timeLayout, s)
	if err != nil {
		return time.Time{}
	}
	return tm.In(app.Shanghai)
}

// IsStoreFile reports whether path exists and starts with the SQLite header.
func IsStoreFile(path string) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	b := make([]byte, 16)
	n, _ := f.Read(b)
	return n == 16 && strings.HasPrefix(string(b), "SQLite format 3")
}
