package data

import (
	"context"
	"crypto/md5"
	"crypto/x509"
	"database/sql"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"net"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"

	"tuanwu/app"
)

// The store on a PostgreSQL server (issue 14): the same Store, the same
// SQL (rewritten by the driver, pgdriver.go), one schema version shared
// with SQLite (migrations/pg/000N_*.sql beside migrations/000N_*.sql).
//
// Writes: every write transaction runs at READ COMMITTED and first takes
// one transaction-scoped advisory lock, the store's write lock, as SQLite's
// one writer does: writes from all desks follow one another, so that the
// audit trail's hash chain, the transfer numbers and each committee's
// letter numbers (largest + 1) are allocated in one order with no gaps or
// reuse, a step two desks approve at once is approved once (the second
// desk's use case finds it done), and failed sign-ins add up across desks.
// Write transactions are short; a serialization failure or deadlock (which
// this design should not meet) is retried with the whole use case.
// Reads run in REPEATABLE READ, READ ONLY transactions: one snapshot, as on
// SQLite.

// IsServerURL reports whether a store location names a PostgreSQL server
// (postgres://… or postgresql://…) rather than a file.
func IsServerURL(loc string) bool {
	l := strings.ToLower(strings.TrimSpace(loc))
	return strings.HasPrefix(l, "postgres://") || strings.HasPrefix(l, "postgresql://")
}

// RedactURL returns a server location without its password, for showing.
func RedactURL(loc string) string {
	u, err := url.Parse(strings.TrimSpace(loc))
	if err != nil {
		return "postgres://…"
	}
	if u.User != nil {
		u.User = url.User(u.User.Username())
	}
	q := u.Query()
	if q.Has("password") {
		q.Del("password")
		u.RawQuery = q.Encode()
	}
	return u.String()
}

//go:embed migrations/pg/*.sql
var pgMigrationFS embed.FS

func pgMigrations() ([]string, error) {
	names, err := fs.Glob(pgMigrationFS, "migrations/pg/*.sql")
	if err != nil {
		return nil, fmt.Errorf("list pg migrations: %w", err)
	}
	sort.Strings(names)
	return names, nil
}

// pgLockKey is the first key of the store's advisory locks (the second is
// the schema's): "tuan".
const pgLockKey = 0x7475616e

// pgWriteLock takes, in tx, the store's write lock (a transaction-scoped
// advisory lock), waiting at most busyTimeoutMS.
func pgWriteLock(ctx context.Context, tx *sql.Tx) error {
	if _, err := tx.ExecContext(ctx, "SET LOCAL lock_timeout = "+strconv.Itoa(busyTimeoutMS)); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, "SELECT pg_advisory_xact_lock("+strconv.Itoa(pgLockKey)+", hashtext(current_schema()))")
	return err
}

// connectPG makes the pool for the server at loc; nothing is sent yet.
// A password that is not empty is given to the driver directly (it then
// stands in no URL, environment variable or file).
func connectPG(loc, password string) (*sql.DB, *pgx.ConnConfig, error) {
	shown := RedactURL(loc)
	cfg, err := pgx.ParseConfig(strings.TrimSpace(loc))
	if err != nil && strings.Contains(err.Error(), "CA file") {
		return nil, nil, app.Wrap(app.EStore, err, "找不到或读不了地址中 sslrootcert 所指的 CA 证书文件，程序没有连接学校服务器“%s”。请核对文件路径（CA 证书向信息中心索取）后再试。", shown)
	}
	if err != nil {
		return nil, nil, app.Wrap(app.EStore, errors.New("invalid server address"), "学校服务器地址“%s”写得不对，无法连接。地址应写成 postgres://用户名@服务器地址:5432/数据库名（可加 ?sslmode=verify-full 等参数），请核对后再试。", shown)
	}
	if cfg.Database == "" {
		return nil, nil, app.Wrap(app.EStore, errors.New("no database in the server address"), "学校服务器地址“%s”里没有写数据库名，无法连接。地址应写成 postgres://用户名@服务器地址:5432/数据库名，数据库名向信息中心索取。", shown)
	}
	if password != "" {
		cfg.Password = password
	}
	if cfg.ConnectTimeout == 0 {
		cfg.ConnectTimeout = 10 * time.Second
	}
	if cfg.RuntimeParams == nil {
		cfg.RuntimeParams = map[string]string{}
	}
	cfg.RuntimeParams["application_name"] = "tuanwu"
	// Every transaction not begun otherwise (reads, check, the audit
	// verification) sees one snapshot; writes ask for READ COMMITTED.
	cfg.RuntimeParams["default_transaction_isolation"] = "repeatable read"
	db := sql.OpenDB(pgConnector{stdlib.GetConnector(*cfg)})
	db.SetMaxOpenConns(maxReaders + 4)
	db.SetMaxIdleConns(maxReaders)
	db.SetConnMaxIdleTime(5 * time.Minute)
	return db, cfg, nil
}

// OpenWithPassword opens the store at loc as Open does; for a server
// location, password (when not empty) goes to the driver as a connection
// option, so that the window never writes it into the URL or the
// environment. A file location ignores it.
func OpenWithPassword(loc, password string) (*Store, error) {
	if !IsServerURL(loc) {
		return Open(loc)
	}
	return openPG(loc, password)
}

// openPG opens the store on the server at loc and brings its schema up to date.
func openPG(loc, password string) (*Store, error) {
	db, cfg, err := connectPG(loc, password)
	if err != nil {
		return nil, err
	}
	s := &Store{path: RedactURL(loc), w: db, r: db, pg: true, readers: make(chan struct{}, maxReadTx)}
	if err := s.preparePG(cfg); err != nil {
		db.Close()
		return nil, err
	}
	return s, nil
}

// checkEncoding refuses a database whose encoding is not UTF8.
func checkEncoding(ctx context.Context, conn *sql.Conn, cfg *pgx.ConnConfig) error {
	var enc string
	if err := conn.QueryRowContext(ctx, "SHOW server_encoding").Scan(&enc); err != nil {
		return pgOpenError(err, cfg, "")
	}
	if enc != "UTF8" {
		return app.Errorf(app.EStore, "学校服务器上的数据库“%s”的字符编码是 %s，团务台需要 UTF8。请让信息中心用 UTF8 编码新建数据库（CREATE DATABASE … ENCODING 'UTF8'）。", cfg.Database, enc)
	}
	return nil
}

// preparePG checks the server and the database, refuses another
// application's database or a newer schema, and applies the migrations the
// database lacks, each in its own transaction, under a lock that keeps two
// desks from migrating at once.
func (s *Store) preparePG(cfg *pgx.ConnConfig) error {
	ctx := context.Background()
	conn, err := s.w.Conn(ctx)
	if err != nil {
		return pgOpenError(err, cfg, s.path)
	}
	defer conn.Close()
	if err := checkEncoding(ctx, conn, cfg); err != nil {
		return err
	}
	if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock("+strconv.Itoa(pgLockKey)+", hashtext(current_schema()) + 1)"); err != nil {
		return pgOpenError(err, cfg, s.path)
	}
	defer conn.ExecContext(ctx, "SELECT pg_advisory_unlock("+strconv.Itoa(pgLockKey)+", hashtext(current_schema()) + 1)")
	version, err := pgSchemaVersion(ctx, conn, cfg)
	if err != nil {
		return err
	}
	names, err := pgMigrations()
	if err != nil {
		return err
	}
	if version > len(names) {
		return app.Errorf(app.EStore, "学校服务器上的数据库“%s”由更新版本的团务台建立（结构版本 %d，本程序只认识到版本 %d）。为保护数据，本程序不会改动它，请升级团务台后再连接。", cfg.Database, version, len(names))
	}
	for i := version; i < len(names); i++ {
		tx, err := conn.BeginTx(ctx, &sql.TxOptions{Isolation: sql.LevelReadCommitted})
		if err != nil {
			return pgOpenError(err, cfg, s.path)
		}
		if err := pgMigrateTx(ctx, tx, names[i], i+1); err != nil {
			tx.Rollback()
			return pgOpenError(err, cfg, s.path)
		}
		if err := tx.Commit(); err != nil {
			return pgOpenError(err, cfg, s.path)
		}
	}
	s.version = len(names)
	return nil
}

// pgSchemaVersion reads the schema version of the database: 0 for an empty
// one; an error for a database that holds another application's tables.
func pgSchemaVersion(ctx context.Context, q interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
}, cfg *pgx.ConnConfig) (int, error) {
	var have sql.NullString
	if err := q.QueryRowContext(ctx, "SELECT CAST(to_regclass('tuanwu_schema') AS TEXT)").Scan(&have); err != nil {
		return 0, pgOpenError(err, cfg, "")
	}
	if !have.Valid {
		var tables int
		if err := q.QueryRowContext(ctx, "SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()").Scan(&tables); err != nil {
			return 0, pgOpenError(err, cfg, "")
		}
		if tables > 0 {
			return 0, app.Errorf(app.EStore, "学校服务器上的数据库“%s”里已有别的程序的数据表，不是团务台的数据库，程序没有改动它。请让信息中心为团务台单独建立一个空数据库。", cfg.Database)
		}
		return 0, nil
	}
	var version int
	if err := q.QueryRowContext(ctx, "SELECT version FROM tuanwu_schema").Scan(&version); err != nil {
		return 0, pgOpenError(err, cfg, "")
	}
	return version, nil
}

// pgMigrateTx applies one migration in tx and records the version.
func pgMigrateTx(ctx context.Context, tx *sql.Tx, name string, version int) error {
	body, err := pgMigrationFS.ReadFile(name)
	if err != nil {
		return fmt.Errorf("read %s: %w", name, err)
	}
	if version == 1 {
		if _, err := tx.ExecContext(ctx, "CREATE TABLE tuanwu_schema (version INTEGER NOT NULL)"); err != nil {
			return fmt.Errorf("migration %s: %w", name, err)
		}
		if _, err := tx.ExecContext(ctx, "INSERT INTO tuanwu_schema (version) VALUES (0)"); err != nil {
			return fmt.Errorf("migration %s: %w", name, err)
		}
	}
	if _, err := tx.ExecContext(ctx, pgNative+string(body)); err != nil {
		return fmt.Errorf("migration %s: %w", name, err)
	}
	if hook := postMigration[strings.Replace(name, "migrations/pg/", "migrations/", 1)]; hook != nil {
		if err := hook(ctx, tx); err != nil {
			return fmt.Errorf("migration %s: %w", name, err)
		}
	}
	if _, err := tx.ExecContext(ctx, "UPDATE tuanwu_schema SET version = "+strconv.Itoa(version)); err != nil {
		return fmt.Errorf("migration %s: %w", name, err)
	}
	return nil
}

var reDollarBody = regexp.MustCompile(`(?s)CREATE FUNCTION tuanwu_append_only\(\) RETURNS trigger LANGUAGE plpgsql AS \$\$(.*?)\$\$`)

// pgAppendOnlyMD5 is the MD5 of the append-only function's body as
// migration pg/0005 creates it (what pg_proc.prosrc keeps).
var pgAppendOnlyMD5 = sync.OnceValue(func() string {
	body, _ := pgMigrationFS.ReadFile("migrations/pg/0005_audit_chain.sql")
	m := reDollarBody.FindSubmatch(body)
	if m == nil {
		return ""
	}
	sum := md5.Sum(m[1])
	return hex.EncodeToString(sum[:])
})

// pgOpenError turns an error met while connecting or opening into a
// Chinese sentence saying what to do.
func pgOpenError(err error, cfg *pgx.ConnConfig, shown string) error {
	var ae *app.Error
	if errors.As(err, &ae) {
		return err
	}
	host := ""
	db := ""
	if cfg != nil {
		host = cfg.Host + ":" + strconv.Itoa(int(cfg.Port))
		db = cfg.Database
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch pe.Code {
		case "28P01", "28000":
			return app.Wrap(app.EStore, err, "学校服务器 %s 拒绝了登录：数据库用户名或密码不对（或本机不允许连接）。请向信息中心核对用户名和密码。", host)
		case "3D000":
			return app.Wrap(app.EStore, err, "学校服务器 %s 上没有名为“%s”的数据库。请让信息中心先建立它，或核对地址中的数据库名。", host, db)
		case "42501":
			return app.Wrap(app.EStore, err, "数据库用户没有在“%s”中建表的权限，无法建立或升级团务台的数据结构。请让信息中心用数据库所有者的账号首次连接一次（见 README 学校服务器部署）。", db)
		}
	}
	if certRefused(err) {
		return app.Wrap(app.EStore, err, "学校服务器 %s 出示的证书没有通过验证（不是由地址中 sslrootcert 所指的 CA 证书签发，或与服务器名称不符）。为保护数据，程序没有连接，也没有做任何改动。请向信息中心索取学校的 CA 证书，核对地址中的 sslrootcert 和服务器名称后再试。", host)
	}
	if tlsRefused(err) {
		return app.Wrap(app.EStore, err, "学校服务器 %s 不支持加密连接（TLS），而地址要求加密（sslmode）。为保护数据，程序没有以明文连接。请让信息中心为服务器开启 TLS，或核对地址中的 sslmode。", host)
	}
	if isConnError(err) {
		return app.Wrap(app.EUnavailable, err, "无法连接学校服务器 %s。请检查网络和服务器地址，或联系信息中心确认服务器已开启；程序没有做任何改动。", host)
	}
	return mapErr(err)
}

// certRefused reports a server certificate that did not verify
// (sslmode=verify-ca or verify-full): an unknown CA or another name.
func certRefused(err error) bool {
	var ua x509.UnknownAuthorityError
	var hn x509.HostnameError
	var ci x509.CertificateInvalidError
	return errors.As(err, &ua) || errors.As(err, &hn) || errors.As(err, &ci)
}

func tlsRefused(err error) bool {
	s := err.Error()
	return strings.Contains(s, "server refused TLS connection") || strings.Contains(s, "tls:") || strings.Contains(s, "x509:")
}

// isConnError reports whether err is a lost or refused connection.
func isConnError(err error) bool {
	if err == nil {
		return false
	}
	var ce *pgconn.ConnectError
	var ne net.Error
	switch {
	case errors.As(err, &ce), errors.As(err, &ne), errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF),
		errors.Is(err, net.ErrClosed), pgconn.Timeout(err):
		return true
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		// admin_shutdown, crash_shutdown, cannot_connect_now, connection exceptions
		return pe.Code == "57P01" || pe.Code == "57P02" || pe.Code == "57P03" || strings.HasPrefix(pe.Code, "08")
	}
	s := err.Error()
	return strings.Contains(s, "conn closed") || strings.Contains(s, "connection reset") || strings.Contains(s, "broken pipe") ||
		strings.Contains(s, "driver: bad connection")
}

// ConnLostMessage is what a desk shows when the server cannot be reached
// during work (issue 14: the server stopped, restarted or the network
// dropped). The server rolls back a transaction whose connection it lost,
// so nothing of the operation is written; the window keeps the form open.
const ConnLostMessage = "无法连接学校服务器，这次操作没有完成，数据未被修改。请检查网络或联系学校信息中心；您填写的内容已保留，连接恢复后可再次保存。"

// pgConnLost is the app.Error (EUnavailable) for a lost connection.
func pgConnLost(err error) error {
	return app.Wrap(app.EUnavailable, err, "%s", ConnLostMessage)
}

// txErr is mapErr for the error a transaction of s ended with. On the
// server a lost connection is the cause whatever the store's code made of
// it on its way (the audit seal, for one, says its table cannot be
// written): unless a rule refused the change first, it is reported as
// EUnavailable.
func (s *Store) txErr(err error) error {
	if err == nil {
		return nil
	}
	if s.pg && isConnError(err) {
		switch app.ErrorCode(err) {
		case app.EInvalid, app.ENotFound, app.EConflict, app.EForbidden, app.EUnauthorized, app.EMustChange:
		default:
			return pgConnLost(err)
		}
	}
	return mapErr(err)
}

// mapPGErr is mapErr for PostgreSQL's errors; nil when err is not one it knows.
func mapPGErr(err error) error {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch pe.Code {
		case "23505":
			return app.Wrap(app.EConflict, err, "该记录已存在（编号或名称重复），请核对后再保存。")
		case "23503":
			return app.Wrap(app.EConflict, err, "该记录仍被其他数据引用，不能这样修改。")
		case "55P03":
			return app.Wrap(app.EStore, err, "%s", pgBusyMessage())
		case "53100":
			return app.Wrap(app.EStore, err, "学校服务器的磁盘空间已满，修改没有保存。请联系信息中心。")
		case "25006":
			return app.Wrap(app.EStore, err, "学校服务器上的数据库当前只读（可能是备用服务器），修改没有保存。请连接主服务器。")
		}
	}
	if isConnError(err) {
		return pgConnLost(err)
	}
	return nil
}

func pgBusyMessage() string {
	return fmt.Sprintf("学校服务器上的数据正被另一个团务台窗口或命令写入（例如正在进行的导入或批量转接），等了 %d 秒仍未轮到，这次操作没有完成，数据未被修改。请等那项工作结束后再试。", busyTimeoutMS/1000)
}

// pgRetryable reports a serialization failure or deadlock: the use case is run again.
func pgRetryable(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && (pe.Code == "40001" || pe.Code == "40P01")
}

// writePG runs one write use case on the server, again (up to 5 times,
// after a short random pause) when the server aborted it for a
// serialization failure or a deadlock.
func (s *Store) writePG(ctx context.Context, fn func(app.Tx) error) error {
	var err error
	for attempt := 0; attempt < 5; attempt++ {
		if err = s.writeOnce(ctx, fn); !pgRetryable(err) {
			return err
		}
		time.Sleep(time.Duration(10+rand.IntN(40<<attempt)) * time.Millisecond)
	}
	return app.Wrap(app.EStore, err, "学校服务器上同时办理的事务太多，这次操作没有完成，数据未被修改。请稍后重试。")
}
