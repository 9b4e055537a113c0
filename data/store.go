package data

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

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
	pg      bool          // on a PostgreSQL server (pg.go): w and r are one pool
}

// Reader connections: read transactions take at most maxReadTx of them, so
// that preparing a shared statement always finds a free connection.
const (
	maxReaders = 8
	maxReadTx  = 6
)

// nameCache keeps organizations' full names, which every member listing
// shows; any committed change to organizations empties it. Other desks
// (another process on the same file, another computer on the server) do
// not tell it of their changes: the cache holds the names as of one
// change mark (the newest audit entry, which every write appends), and a
// transaction that sees a newer mark empties it first; one that sees an
// older one (a read begun before a commit) neither uses nor fills it.
type nameCache struct {
	mu   sync.Mutex
	gen  uint64
	mark int64 // the change mark the names hold for
	m    map[int64]string
}

// get looks id up for a transaction that sees the store at change mark
// head; ok is false when the cache holds nothing for it at that mark.
func (c *nameCache) get(id, head int64) (string, uint64, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if head > c.mark { // another desk wrote since: its names may differ
		c.gen++
		c.m = nil
		c.mark = head
	}
	if head != c.mark {
		return "", c.gen - 1, false // an older view: put will not keep its names
	}
	s, ok := c.m[id]
	return s, c.gen, ok
}

// put stores a name read while the cache was at generation gen.
func (c *nameCache) put(id int64, name string, gen uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if gen != c.gen {
		return // organizations changed meanwhile, or an older view: the name may be stale
	}
	if c.m == nil || len(c.m) > 200000 {
		c.m = map[int64]string{}
	}
	c.m[id] = name
}

// advance moves the mark from base to head after this desk's own write,
// which held the write lock from base to head and changed no organization:
// the names still hold at head.
func (c *nameCache) advance(base, head int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.mark == base && head > base {
		c.mark = head
	}
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
	bctx := ctx
	if s.pg {
		opts.Isolation = sql.LevelRepeatableRead
		bctx = withChangeMark(ctx) // read with the BEGIN and the first statement (pgread.go)
	}
	tx, err := s.r.BeginTx(bctx, opts)
	if err != nil {
		return s.txErr(fmt.Errorf("begin read: %w", err))
	}
	defer tx.Rollback()
	t := &txn{tx: tx, ctx: ctx, s: s, db: s.r, cache: &s.rstmts}
	defer t.close()
	return s.txErr(fn(t))
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
		return s.txErr(fmt.Errorf("begin write: %w", err))
	}
	if s.pg {
		if err := pgWriteLock(ctx, tx); err != nil {
			tx.Rollback()
			return s.txErr(fmt.Errorf("write lock: %w", err))
		}
	}
	// The audit entries this transaction adds lie above base; they are
	// chained before it commits (data/audit.go).
	base, err := auditBase(ctx, tx)
	if err != nil {
		tx.Rollback()
		return s.txErr(err)
	}
	begun := time.Now()
	var changes int64
	if !s.pg { // SQLite's WAL checkpoint below; the server keeps its own log
		if changes, err = totalChanges(ctx, tx); err != nil {
			tx.Rollback()
			return s.txErr(err)
		}
	}
	// The writer's one connection is held by this transaction, so its
	// statements are prepared on the transaction itself (cache nil).
	t := &txn{tx: tx, ctx: ctx, s: s, head: base, headKnown: true}
	defer t.close()
	if err := fn(t); err != nil {
		tx.Rollback()
		if t.orgsChanged {
			s.names.clear()
		}
		return s.txErr(err)
	}
	if err := sealAudit(ctx, tx, base, t.known); err != nil {
		tx.Rollback()
		if t.orgsChanged {
			s.names.clear()
		}
		return s.txErr(err)
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
	head := int64(-1) // the change mark this write leaves, when it changed no organization
	if !t.orgsChanged {
		if h, err := auditBase(ctx, tx); err == nil {
			head = h
		}
	}
	err = tx.Commit()
	if err == nil && head >= 0 {
		s.names.advance(base, head)
	}
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
		return s.txErr(fmt.Errorf("commit: %w", err))
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
