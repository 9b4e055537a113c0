package data

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io"
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
	"tuanwu/data/files"
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
	pg      bool          // on a PostgreSQL server (pg.go): w and r are one pool
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

// busyTimeoutMS is how long a writer waits for another one (another window
// or command on the same file) before giving up; tests shorten it.
var busyTimeoutMS = 10000

func dsn(path string, extra string) string {
	return path + "?_foreign_keys=on&_busy_timeout=" + strconv.Itoa(busyTimeoutMS) + "&_synchronous=NORMAL" + extra
}

// Open opens (creating it when missing) the store at path and brings its
// schema up to date. A file that is not SQLite, that cannot be written, or
// that comes from a newer version of the program gives an app.Error with
// code EStore and leaves the file unchanged.
//
// A location postgres://… or postgresql://… opens the store on a
// PostgreSQL server instead (pg.go).
func Open(path string) (*Store, error) {
	if IsServerURL(path) {
		return openPG(path, "")
	}
	return open(path, "")
}

func open(path, extra string) (*Store, error) {
	if err := checkStoreFile(path); err != nil {
		return nil, err
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
	if version == 0 {
		// A new store is empty; a SQLite file of another program is not ours.
		var objects int
		if err := s.w.QueryRow("SELECT count(*) FROM sqlite_master").Scan(&objects); err != nil {
			return s.openError(err)
		}
		if objects > 0 {
			return app.Errorf(app.EStore, "文件“%s”是别的程序的数据库，不是团务台数据文件，程序没有改动它。请选择正确的 .db 文件，或换一个新文件名建立存储。", s.path)
		}
	}
	if version > len(names) {
		return app.Errorf(app.EStore, "存储文件“%s”由更新版本的团务台创建（结构版本 %d，本程序只认识到版本 %d）。为保护数据，本程序不会改动它，请升级团务台后再打开。", s.path, version, len(names))
	}
	if version > 0 && version < len(names) {
		// Keep the store as it was before upgrading it (issue 10, item 10).
		s.version = version
		if err := s.backupBeforeMigration(version); err != nil {
			return err
		}
	}
	var mode string
	if err := s.w.QueryRow("PRAGMA journal_mode=WAL").Scan(&mode); err != nil {
		return s.openError(err)
	}
	// One read in WAL mode maps the shared log index, which the connection
	// then holds while the store is open: another process sees the store as
	// in use (a restore refuses to replace it).
	var objects int
	if err := s.w.QueryRow("SELECT count(*) FROM sqlite_master").Scan(&objects); err != nil {
		return s.openError(err)
	}
	for i := version; i < len(names); i++ {
		body, err := migrationFS.ReadFile(names[i])
		if err != nil {
			return fmt.Errorf("read %s: %w", names[i], err)
		}
		if err := s.migrate(names[i], string(body), i+1); err != nil {
			return err
		}
	}
	s.version = len(names)
	return nil
}

// migrate applies one migration in its own transaction. A migration whose
// first line is "-- foreign_keys: off" rebuilds tables: it runs with
// foreign-key enforcement off (which SQLite allows only outside a
// transaction, on the writer's one connection) and every key is checked
// before it commits.
func (s *Store) migrate(name, body string, version int) error {
	keysOff := strings.HasPrefix(body, "-- foreign_keys: off")
	if keysOff {
		if _, err := s.w.Exec("PRAGMA foreign_keys = OFF"); err != nil {
			return s.openError(err)
		}
		defer s.w.Exec("PRAGMA foreign_keys = ON")
	}
	tx, err := s.w.Begin()
	if err != nil {
		return s.openError(err)
	}
	if _, err := tx.Exec(body); err != nil {
		tx.Rollback()
		return s.openError(fmt.Errorf("migration %s: %w", name, err))
	}
	if hook := postMigration[name]; hook != nil {
		if err := hook(context.Background(), tx); err != nil {
			tx.Rollback()
			return s.openError(fmt.Errorf("migration %s: %w", name, err))
		}
	}
	if keysOff {
		rows, err := tx.Query("PRAGMA foreign_key_check")
		if err != nil {
			tx.Rollback()
			return s.openError(fmt.Errorf("migration %s: %w", name, err))
		}
		bad := rows.Next()
		rows.Close()
		if bad {
			tx.Rollback()
			return s.openError(fmt.Errorf("migration %s: foreign key check failed", name))
		}
	}
	if _, err := tx.Exec("PRAGMA user_version = " + strconv.Itoa(version)); err != nil {
		tx.Rollback()
		return s.openError(err)
	}
	if err := tx.Commit(); err != nil {
		return s.openError(err)
	}
	return nil
}

// openError turns a driver error met while opening into an app.Error.
func (s *Store) openError(err error) error {
	var se sqlite3.Error
	if errors.As(err, &se) {
		switch se.Code {
		case sqlite3.ErrNotADB:
			return app.Wrap(app.EStore, err, "文件“%s”不是团务台数据文件，程序没有改动它。请选择正确的 .db 文件。", s.path)
		case sqlite3.ErrReadonly, sqlite3.ErrPerm, sqlite3.ErrCantOpen:
			return app.Wrap(app.EStore, err, "存储文件“%s”无法写入（只读或无权访问），请检查文件权限，或把它复制到可写的位置再打开。", s.path)
		case sqlite3.ErrCorrupt:
			return app.Wrap(app.EStore, err, "存储文件“%s”已损坏，请从备份恢复（窗口中：文件 → 备份与恢复；命令：tuanwu restore --from 备份文件）。", s.path)
		}
	}
	return mapErr(err)
}

// busyMessage says that another writer held the store for the whole wait.
func busyMessage() string {
	return fmt.Sprintf("存储文件正被另一个团务台窗口或命令写入（例如正在进行的导入、演示数据或批量转接），等了 %d 秒仍未轮到，这次操作没有完成，数据未被修改。请等那项工作结束后再试。", busyTimeoutMS/1000)
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
	if pe := mapPGErr(err); pe != nil {
		return pe
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
			return app.Wrap(app.EStore, err, "%s", busyMessage())
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
	if s.pg {
		return s.w.Close()
	}
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
	opts := &sql.TxOptions{ReadOnly: true}
	if s.pg {
		opts.Isolation = sql.LevelRepeatableRead
	}
	tx, err := s.r.BeginTx(ctx, opts)
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
	if s.pg {
		return s.writePG(ctx, fn)
	}
	return s.writeOnce(ctx, fn)
}

func (s *Store) writeOnce(ctx context.Context, fn func(app.Tx) error) error {
	var opts *sql.TxOptions
	if s.pg {
		opts = &sql.TxOptions{Isolation: sql.LevelReadCommitted}
	}
	tx, err := s.w.BeginTx(ctx, opts)
	if err != nil {
		return mapErr(fmt.Errorf("begin write: %w", err))
	}
	if s.pg {
		if err := pgWriteLock(ctx, tx); err != nil {
			tx.Rollback()
			return mapErr(fmt.Errorf("write lock: %w", err))
		}
	}
	// The audit entries this transaction adds lie above base; they are
	// chained before it commits (data/audit.go).
	base, err := auditBase(ctx, tx)
	if err != nil {
		tx.Rollback()
		return err
	}
	begun := time.Now()
	var changes int64
	if !s.pg { // SQLite's WAL checkpoint below; the server keeps its own log
		if changes, err = totalChanges(ctx, tx); err != nil {
			tx.Rollback()
			return mapErr(err)
		}
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
	if err := sealAudit(ctx, tx, base, t.known); err != nil {
		tx.Rollback()
		if t.orgsChanged {
			s.names.clear()
		}
		return mapErr(err)
	}
	// A large transaction's log is copied into the store file (a WAL
	// checkpoint, which also flushes the file to disk) after it commits,
	// not as part of the commit: the write lock is released first, so
	// other writers wait only for the transaction itself.
	big := false
	if !s.pg {
		if after, err := totalChanges(ctx, tx); err == nil && after-changes >= bigWrite {
			_, err := tx.ExecContext(ctx, "PRAGMA wal_autocheckpoint = 0")
			big = err == nil
		}
	}
	err = tx.Commit()
	if writeTimer != nil {
		writeTimer(time.Since(begun))
	}
	if big {
		s.w.ExecContext(ctx, "PRAGMA wal_autocheckpoint = "+strconv.Itoa(autoCheckpoint))
		s.w.ExecContext(ctx, "PRAGMA wal_checkpoint(PASSIVE)")
	}
	if t.orgsChanged {
		s.names.clear()
	}
	if err != nil {
		return mapErr(fmt.Errorf("commit: %w", err))
	}
	return nil
}

const (
	// bigWrite is the number of rows changed from which a write's WAL is
	// checkpointed after its commit rather than in it.
	bigWrite = 5000
	// autoCheckpoint is SQLite's default automatic checkpoint, in pages.
	autoCheckpoint = 1000
)

// writeTimer, when a test or benchmark sets it, is told how long each
// write transaction held the write lock: from BEGIN IMMEDIATE to the end
// of its COMMIT.
var writeTimer func(time.Duration)

// totalChanges is the number of rows changed on tx's connection so far.
func totalChanges(ctx context.Context, tx *sql.Tx) (int64, error) {
	var n int64
	if err := tx.QueryRowContext(ctx, "SELECT total_changes()").Scan(&n); err != nil {
		return 0, fmt.Errorf("total changes: %w", err)
	}
	return n, nil
}

// Check runs PRAGMA integrity_check and foreign_key_check, and verifies the
// kept member counts.
func (s *Store) Check(ctx context.Context) ([]string, error) {
	var problems []string
	if s.pg {
		// The server keeps its own files and enforces the foreign keys.
		return s.checkCounts(ctx, problems)
	}
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
	return s.checkCounts(ctx, problems)
}

// checkCounts verifies the kept member counts and the audit trail.
func (s *Store) checkCounts(ctx context.Context, problems []string) ([]string, error) {
	cnt, err := s.r.QueryContext(ctx, `SELECT o.id, o.name, o.member_count, (SELECT count(*) FROM members m WHERE m.org_id = o.id AND m.status = `+sqlActive+`) AS real
		FROM orgs o WHERE o.member_count <> (SELECT count(*) FROM members m WHERE m.org_id = o.id AND m.status = `+sqlActive+`)`)
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

// Backup writes a consistent copy of the store to path with VACUUM INTO.
// The copy is written under a temporary name beside path, verified
// (integrity check, this program's schema), flushed to disk and only then
// given its name, so a killed or failed backup leaves nothing that looks like
// a backup; the file is private (0600).
func (s *Store) Backup(ctx context.Context, path string) error {
	if files.IsDir(path) {
		return app.Errorf(app.EInvalid, "“%s”是一个文件夹。请写出备份文件的名字，例如 %s。", path, filepath.Join(path, "团务台备份.db"))
	}
	if _, err := os.Lstat(path); err == nil {
		return app.Errorf(app.EConflict, "文件“%s”已存在，请换一个备份文件名，以免覆盖。", path)
	}
	return s.backupTo(ctx, path)
}

// backupTestHook, when set by a test, runs after the copy is written and
// before it is verified; an error makes the backup fail there.
var backupTestHook func(tmp string) error

// backupTo writes the verified copy; path must not exist.
func (s *Store) backupTo(ctx context.Context, path string) (err error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	if fi, serr := os.Stat(dir); serr != nil || !fi.IsDir() {
		return app.Errorf(app.EStore, "备份位置的文件夹“%s”不存在，请先建立它，或换一个位置。", dir)
	}
	// Leftovers of a killed backup to the same name are ours to remove.
	if old, _ := filepath.Glob(filepath.Join(dir, "."+globEscape(base)+".未完成-*")); len(old) > 0 {
		for _, o := range old {
			os.Remove(o)
		}
	}
	f, err := os.CreateTemp(dir, "."+base+".未完成-*")
	if err != nil {
		return app.Wrap(app.EStore, err, "无法在“%s”写入备份，请检查该位置是否可写。", dir)
	}
	tmp := f.Name()
	f.Close()
	defer func() {
		if err != nil {
			os.Remove(tmp)
		}
	}()
	if err := os.Chmod(tmp, files.FileMode); err != nil {
		return app.Wrap(app.EStore, err, "无法把备份文件设为仅本人可读写，请检查该位置的权限。")
	}
	if s.pg {
		// From the server: a SQLite store file that opens offline (pgcopy.go).
		if err := s.copyToFile(ctx, tmp); err != nil {
			return err
		}
	} else if _, err := s.w.ExecContext(ctx, "VACUUM INTO ?", tmp); err != nil {
		var se sqlite3.Error
		if errors.As(err, &se) && se.Code == sqlite3.ErrFull {
			return app.Wrap(app.EStore, err, "磁盘空间不足，备份没有完成（没有留下不完整的备份文件）。请清理磁盘或换一个位置后重试。")
		}
		return app.Wrap(app.EStore, err, "备份到“%s”失败，请检查该位置是否可写、磁盘空间是否充足。", path)
	}
	if backupTestHook != nil {
		if err := backupTestHook(tmp); err != nil {
			return err
		}
	}
	if _, err := verifyStoreFile(ctx, tmp, s.version); err != nil {
		return app.Wrap(app.EStore, err, "备份文件校验未通过，备份没有完成，请重新备份。")
	}
	if err := files.SyncFile(tmp); err != nil {
		return app.Wrap(app.EStore, err, "备份文件无法写入磁盘，请检查磁盘空间后重试。")
	}
	if err := files.Publish(tmp, path); errors.Is(err, os.ErrExist) {
		return app.Errorf(app.EConflict, "文件“%s”已存在，请换一个备份文件名，以免覆盖。", path)
	} else if err != nil {
		return app.Wrap(app.EStore, err, "备份文件无法改名为“%s”，请检查该位置的权限。", path)
	}
	return nil
}

func globEscape(s string) string {
	r := strings.NewReplacer("*", "[*]", "?", "[?]", "[", "[[]", "\\", "[\\]")
	return r.Replace(s)
}

// StoreInfo is what verifying a store file found.
type StoreInfo struct {
	Schema int    // its schema version
	Root   string // its root organization's name; "" for a store not yet set up
}

// verifyStoreFile opens the SQLite file at path read-only and checks that it
// is a whole 团务台 store: the integrity check passes and its schema is one
// this program knows (want > 0: exactly that version). It never writes it.
func verifyStoreFile(ctx context.Context, path string, want int) (StoreInfo, error) {
	var info StoreInfo
	if !IsStoreFile(path) {
		return info, app.Errorf(app.EInvalid, "文件“%s”不是团务台数据文件。", path)
	}
	b, err := sql.Open("sqlite3", "file:"+url.PathEscape(path)+"?mode=ro&immutable=1")
	if err != nil {
		return info, fmt.Errorf("open %s: %w", path, err)
	}
	defer b.Close()
	var res string
	if err := b.QueryRowContext(ctx, "PRAGMA integrity_check").Scan(&res); err != nil || res != "ok" {
		return info, app.Wrap(app.EInvalid, err, "文件“%s”已损坏（完整性检查未通过），不能使用。", path)
	}
	if err := b.QueryRowContext(ctx, "PRAGMA user_version").Scan(&info.Schema); err != nil {
		return info, fmt.Errorf("schema of %s: %w", path, err)
	}
	latest := LatestVersion()
	switch {
	case info.Schema > latest:
		return info, app.Errorf(app.EInvalid, "文件“%s”由更新版本的团务台创建（结构版本 %d，本程序只认识到版本 %d），请升级团务台后再使用它。", path, info.Schema, latest)
	case info.Schema == 0:
		return info, app.Errorf(app.EInvalid, "文件“%s”不是团务台数据文件（没有团务台的数据结构）。", path)
	case want > 0 && info.Schema != want:
		return info, app.Errorf(app.EInvalid, "文件“%s”的结构版本是 %d，应为 %d。", path, info.Schema, want)
	}
	var tables int
	if err := b.QueryRowContext(ctx, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN ('orgs', 'members', 'accounts', 'settings', 'audit')").Scan(&tables); err != nil || tables != 5 {
		return info, app.Wrap(app.EInvalid, err, "文件“%s”不是团务台数据文件（缺少团务台的数据表）。", path)
	}
	err = b.QueryRowContext(ctx, "SELECT o.name FROM settings s JOIN orgs o ON o.id = CAST(s.value AS INTEGER) WHERE s.key = 'root_org'").Scan(&info.Root)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return info, fmt.Errorf("root of %s: %w", path, err)
	}
	return info, nil
}

// txn implements app.Tx on one SQL transaction.
type txn struct {
	tx          *sql.Tx
	ctx         context.Context
	s           *Store
	stmts       map[string]*sql.Stmt
	db          *sql.DB           // the pool the transaction runs on
	cache       *sync.Map         // SQL text → *sql.Stmt prepared on db
	orgsChanged bool              // names or the tree changed: the name cache is emptied at the end
	outsideOrgs map[int64]bool    // whether an organization is outside, as read in this transaction (orgLabel)
	known       []knownRecords    // the records of the audit entries written by AppendAudit(s), for sealing
	rowsSQL     map[string]string // insertRows' statements by shape
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

// checkStoreFile makes sure path can be a store before SQLite touches it:
// a missing file is created empty and private (0600, in a 0700 folder when
// the folder is new; SQLite gives the -wal and -shm files the same mode);
// an existing one must be a writable file that starts with the SQLite
// header. An empty file or any other file is refused as not a 团务台 data
// file and left as it was, never initialised.
func checkStoreFile(path string) error {
	if dir := filepath.Dir(path); dir != "" {
		if err := files.MkdirPrivate(dir); err != nil {
			if fi, serr := os.Stat(dir); serr == nil && !fi.IsDir() {
				return app.Wrap(app.EStore, err, "“%s”是一个文件，不是文件夹，无法在其中建立存储。请换一个位置。", dir)
			}
			return app.Wrap(app.EStore, err, "无法创建存储文件所在的文件夹“%s”，请检查权限或换一个位置。", dir)
		}
	}
	fi, err := os.Stat(path)
	if errors.Is(err, os.ErrNotExist) {
		f, err := files.CreateNew(path)
		if err != nil {
			return app.Wrap(app.EStore, err, "无法在“%s”建立存储文件，请检查该文件夹是否可写，或换一个位置。", filepath.Dir(path))
		}
		return f.Close()
	}
	if err != nil {
		return app.Wrap(app.EStore, err, "无法读取存储文件“%s”，请检查文件权限。", path)
	}
	if fi.IsDir() {
		return app.Errorf(app.EStore, "“%s”是一个文件夹，不是团务台数据文件。请指定文件夹中的 .db 文件（例如 %s），或换一个新文件名建立存储。", path, filepath.Join(path, "tuanwu.db"))
	}
	if !fi.Mode().IsRegular() {
		return app.Errorf(app.EStore, "“%s”不是普通文件，不是团务台数据文件。请指定 .db 文件。", path)
	}
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return app.Wrap(app.EStore, err, "存储文件“%s”是只读的或无权访问，无法保存修改。请检查文件权限，或把它复制到可写的位置再打开。", path)
	}
	head := make([]byte, len(sqliteHeader))
	n, _ := io.ReadFull(f, head)
	f.Close()
	if n == 0 && fi.Size() == 0 {
		// An empty file: a store whose first write is still in its -wal is
		// recovered by SQLite; any other empty file is not ours.
		if wal, err := os.Stat(path + "-wal"); err != nil || wal.Size() == 0 {
			return app.Errorf(app.EStore, "文件“%s”是空的，不是团务台数据文件，程序没有改动它。请用 --db 指定正确的存储文件；要新建存储，请换一个不存在的文件名（或先删除这个空文件）。", path)
		}
	} else if string(head[:n]) != sqliteHeader {
		return app.Errorf(app.EStore, "文件“%s”不是团务台数据文件，程序没有改动它。请选择正确的 .db 文件。", path)
	}
	if err := files.MakePrivate(path); err != nil {
		return app.Wrap(app.EStore, err, "无法把存储文件“%s”设为仅本人可读写，请检查文件权限。", path)
	}
	return nil
}

// sqliteHeader starts every SQLite database file.
const sqliteHeader = "SQLite format 3\x00"

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
