package data

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"os"
	"strconv"
	"strings"

	"tuanwu/app"

	"github.com/jackc/pgx/v5"
)

// Moving a store up to a server and back down (issue 14, item 4): every
// table is copied row by row in its key order, in one transaction on each
// side, then counted and checksummed on both sides before the copy commits.
// The rows keep their ids, so the audit trail's hash chain is the same
// chain (and verified as such).

// storeTables are the tables of a store, parents before children, with the
// columns that order their rows.
var storeTables = []struct{ name, key string }{
	{"settings", "key"}, {"orgs", "id"}, {"accounts", "id_no"}, {"members", "id"}, {"cadres", "id"}, {"admins", "id"},
	{"member_status", "id"}, {"member_history", "id"}, {"transfers", "id"}, {"transfer_steps", "id"},
	{"letters", "id"}, {"letter_transfers", "letter_id, transfer_id"}, {"audit", "id"}, {"audit_chain", "id"},
}

// TableCount is one table's rows and checksum as copied.
type TableCount struct {
	Table string
	Rows  int
	Sum   string // SHA-256 over the rows in key order, hex
}

// copyTables copies every table from src to dst (columns as the SQLite
// side names them: cols) and verifies that dst then holds the same rows.
func copyTables(ctx context.Context, src, dst *sql.Tx, cols func(table string) ([]string, error)) ([]TableCount, error) {
	var out []TableCount
	for _, t := range storeTables {
		cs, err := cols(t.name)
		if err != nil {
			return nil, err
		}
		n, sum, err := copyTable(ctx, src, dst, t.name, t.key, cs)
		if err != nil {
			return nil, fmt.Errorf("copy %s: %w", t.name, err)
		}
		dn, dsum, err := tableSum(ctx, dst, t.name, t.key, cs)
		if err != nil {
			return nil, fmt.Errorf("verify %s: %w", t.name, err)
		}
		if dn != n || dsum != sum {
			return nil, app.Errorf(app.EStore, "复制后核对不符：表 %s 源有 %d 行，目标有 %d 行（或内容校验值不同）。没有留下任何数据，请重试或联系技术支持。", t.name, n, dn)
		}
		out = append(out, TableCount{Table: t.name, Rows: n, Sum: sum})
	}
	return out, nil
}

// rowHasher hashes rows of values unambiguously, whatever the driver's types.
type rowHasher struct{ h [32]byte }

func canon(b []byte, v any) []byte {
	switch x := v.(type) {
	case nil:
		return append(b, 'N')
	case int64:
		return strconv.AppendInt(append(b, 'I'), x, 10)
	case int32:
		return strconv.AppendInt(append(b, 'I'), int64(x), 10)
	case []byte:
		b = strconv.AppendInt(append(b, 'S'), int64(len(x)), 10)
		return append(append(b, ':'), x...)
	case string:
		b = strconv.AppendInt(append(b, 'S'), int64(len(x)), 10)
		return append(append(b, ':'), x...)
	default:
		s := fmt.Sprint(x)
		b = strconv.AppendInt(append(b, '?'), int64(len(s)), 10)
		return append(append(b, ':'), s...)
	}
}

func scanRows(ctx context.Context, tx *sql.Tx, table, key string, cols []string, fn func(vals []any) error) (int, string, error) {
	rows, err := tx.QueryContext(ctx, "SELECT "+strings.Join(cols, ", ")+" FROM "+table+" ORDER BY "+key)
	if err != nil {
		return 0, "", err
	}
	defer rows.Close()
	h := sha256.New()
	n := 0
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	var buf []byte
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return 0, "", err
		}
		buf = buf[:0]
		for i, v := range vals {
			if b, ok := v.([]byte); ok {
				vals[i] = string(b) // text, whichever way the driver gives it
				v = vals[i]
			}
			buf = canon(buf, v)
		}
		h.Write(append(buf, '\n'))
		n++
		if fn != nil {
			if err := fn(vals); err != nil {
				return 0, "", err
			}
		}
	}
	if err := rows.Err(); err != nil {
		return 0, "", err
	}
	return n, hex.EncodeToString(h.Sum(nil)), nil
}

func tableSum(ctx context.Context, tx *sql.Tx, table, key string, cols []string) (int, string, error) {
	return scanRows(ctx, tx, table, key, cols, nil)
}

func copyTable(ctx context.Context, src, dst *sql.Tx, table, key string, cols []string) (int, string, error) {
	per := max(1, min(500, 30000/len(cols)))
	var batch []any
	rowsIn := 0
	flush := func() error {
		if rowsIn == 0 {
			return nil
		}
		row := "(" + strings.TrimSuffix(strings.Repeat("?,", len(cols)), ",") + ")"
		q := "INSERT INTO " + table + " (" + strings.Join(cols, ", ") + ") VALUES " + strings.TrimSuffix(strings.Repeat(row+",", rowsIn), ",")
		if _, err := dst.ExecContext(ctx, q, batch...); err != nil {
			return err
		}
		batch, rowsIn = batch[:0], 0
		return nil
	}
	n, sum, err := scanRows(ctx, src, table, key, cols, func(vals []any) error {
		batch = append(batch, vals...)
		rowsIn++
		if rowsIn == per {
			return flush()
		}
		return nil
	})
	if err != nil {
		return 0, "", err
	}
	return n, sum, flush()
}

// sqliteCols returns a table's columns as the SQLite store at the latest schema has them.
func sqliteCols(ctx context.Context, tx *sql.Tx) func(string) ([]string, error) {
	return func(table string) ([]string, error) {
		rows, err := tx.QueryContext(ctx, "SELECT name FROM pragma_table_info(?) ORDER BY cid", table)
		if err != nil {
			return nil, err
		}
		defer rows.Close()
		var out []string
		for rows.Next() {
			var c string
			if err := rows.Scan(&c); err != nil {
				return nil, err
			}
			out = append(out, c)
		}
		if len(out) == 0 {
			return nil, fmt.Errorf("table %s has no columns", table)
		}
		return out, rows.Err()
	}
}

// copyToFile writes the server store into a new SQLite store file at path
// (which CreateTemp made empty): one snapshot of the server, one
// transaction on the file, verified before it commits.
func (s *Store) copyToFile(ctx context.Context, path string) error {
	os.Remove(path)
	dst, err := open(path, "")
	if err != nil {
		return err
	}
	defer dst.Close()
	if dst.version != s.version {
		return app.Errorf(app.EStore, "学校服务器上的数据结构版本 %d 与本程序的版本 %d 不同，无法备份成文件，请升级团务台。", s.version, dst.version)
	}
	src, err := s.r.BeginTx(ctx, &sql.TxOptions{ReadOnly: true, Isolation: sql.LevelRepeatableRead})
	if err != nil {
		return mapErr(fmt.Errorf("begin read: %w", err))
	}
	defer src.Rollback()
	tx, err := dst.w.BeginTx(ctx, nil)
	if err != nil {
		return mapErr(err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, "PRAGMA defer_foreign_keys = ON"); err != nil {
		return err
	}
	if _, err := copyTables(ctx, src, tx, sqliteCols(ctx, tx)); err != nil {
		return mapErr(err)
	}
	chain, err := verifyAuditTx(ctx, tx)
	if err != nil {
		return err
	}
	if !chain.Intact {
		return app.Errorf(app.EStore, "服务器上的操作日志核对未通过（%s），备份没有完成。请先运行 check 检查。", strings.Join(chain.Problems, "；"))
	}
	if err := tx.Commit(); err != nil {
		return mapErr(err)
	}
	return dst.Close()
}

// MigrateReport is what MigrateTo copied.
type MigrateReport struct {
	Target string // the server location, without its password
	Tables []TableCount
	Audit  int // audit entries, their chain verified on the server
}

// MigrateTo copies the SQLite store s into an empty database on the
// PostgreSQL server at loc (tuanwu migrate --to): the schema and every row
// in one server transaction, counted and checksummed against the file and
// the audit trail's chain verified before it commits. Nothing is written
// when anything fails. The database must be empty, or hold an empty 团务台
// schema of this version (an IT person's first connection made it).
func (s *Store) MigrateTo(ctx context.Context, loc string) (MigrateReport, error) {
	rep := MigrateReport{Target: RedactURL(loc)}
	if s.pg {
		return rep, app.Errorf(app.EInvalid, "当前打开的已经是学校服务器上的存储；要把服务器上的数据带回本机，请用 backup --out 文件.db。")
	}
	if !IsServerURL(loc) {
		return rep, app.Errorf(app.EInvalid, "--to 应是学校服务器的地址，例如 postgres://用户名@服务器地址:5432/数据库名，而不是“%s”。", loc)
	}
	chain, err := s.VerifyAudit(ctx)
	if err != nil {
		return rep, err
	}
	if !chain.Intact {
		return rep, app.Errorf(app.EConflict, "本机存储的操作日志核对未通过（%s），不能迁移。请先运行 check，并从备份恢复。", strings.Join(chain.Problems, "；"))
	}
	db, cfg, err := connectPG(loc, "")
	if err != nil {
		return rep, err
	}
	defer db.Close()
	conn, err := db.Conn(ctx)
	if err != nil {
		return rep, pgOpenError(err, cfg, rep.Target)
	}
	defer conn.Close()
	if err := checkEncoding(ctx, conn, cfg); err != nil {
		return rep, err
	}
	tx, err := conn.BeginTx(ctx, &sql.TxOptions{Isolation: sql.LevelReadCommitted})
	if err != nil {
		return rep, pgOpenError(err, cfg, rep.Target)
	}
	defer tx.Rollback()
	if err := pgWriteLock(ctx, tx); err != nil {
		return rep, pgOpenError(err, cfg, rep.Target)
	}
	if err := pgEmptySchema(ctx, tx, cfg, rep.Target); err != nil {
		return rep, err
	}
	src, err := s.r.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return rep, mapErr(err)
	}
	defer src.Rollback()
	if rep.Tables, err = copyTables(ctx, src, tx, sqliteCols(ctx, src)); err != nil {
		return rep, pgOpenError(err, cfg, rep.Target)
	}
	after, err := verifyAuditTx(ctx, tx)
	if err != nil {
		return rep, pgOpenError(err, cfg, rep.Target)
	}
	if !after.Intact || after.Entries != chain.Entries {
		return rep, app.Errorf(app.EStore, "迁移后服务器上的操作日志核对未通过（%s），迁移没有完成，服务器上没有留下数据。", strings.Join(after.Problems, "；"))
	}
	rep.Audit = after.Entries
	if err := tx.Commit(); err != nil {
		return rep, pgOpenError(err, cfg, rep.Target)
	}
	return rep, nil
}

// pgEmptySchema makes this version's 团务台 schema in tx on an empty
// server database, or takes an empty one of this version (an IT person's
// first connection made it), its constraints deferred for the copy; it
// refuses a database that holds data or another version's schema.
func pgEmptySchema(ctx context.Context, tx *sql.Tx, cfg *pgx.ConnConfig, target string) error {
	version, err := pgSchemaVersion(ctx, tx, cfg)
	if err != nil {
		return err
	}
	names, err := pgMigrations()
	if err != nil {
		return err
	}
	switch {
	case version > len(names):
		return app.Errorf(app.EStore, "学校服务器上的数据库“%s”由更新版本的团务台建立（结构版本 %d，本程序只认识到版本 %d）。程序没有改动它，请升级团务台。", cfg.Database, version, len(names))
	case version > 0 && version < len(names):
		return app.Errorf(app.EConflict, "学校服务器上的数据库“%s”已有团务台的数据（结构版本 %d），只能迁入空数据库。程序没有改动它。", cfg.Database, version)
	case version == len(names):
		for _, t := range storeTables {
			var n int
			if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM "+t.name).Scan(&n); err != nil {
				return pgOpenError(err, cfg, target)
			}
			if n > 0 {
				return app.Errorf(app.EConflict, "学校服务器上的数据库“%s”里已有团务台的数据（表 %s 有 %d 行），只能迁入空数据库，程序没有改动它。请让信息中心新建一个空数据库。", cfg.Database, t.name, n)
			}
		}
	}
	for i := version; i < len(names); i++ {
		if err := pgMigrateTx(ctx, tx, names[i], i+1); err != nil {
			return pgOpenError(err, cfg, target)
		}
	}
	if _, err := tx.ExecContext(ctx, "SET CONSTRAINTS ALL DEFERRED"); err != nil {
		return pgOpenError(err, cfg, target)
	}
	return nil
}
