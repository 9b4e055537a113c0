package data

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"tuanwu/app"
)

// The audit trail is a hash chain (issue 10, item 6): every entry's hash is
// SHA-256 over its content and the previous entry's hash, kept in
// audit_chain under the entry's id. Entries are inserted as before (by
// AppendAudit, or set-wise by the sweep) and sealed, in id order, by
// sealAudit before the write transaction that added them commits; both
// tables are append-only (migration 0005's triggers). An entry that was
// unsealed before a write transaction began was not written by this program
// (whose unsealed entries never outlive their transaction) and is left as it
// is, for check to name. The hashes go in a table of their own, appended in
// id order, because setting a column of 100,000 just-written rows costs
// about three times as much (their pages split).

const (
	auditChainMigration = "migrations/0005_audit_chain.sql"
	auditHeadKey        = "audit_head" // "<id> <hash>" of the last sealed entry
	auditChunk          = 20000        // entries read at once
)

// auditFields are the columns an entry's hash covers, in order.
var auditFields = []string{"id", "at", "actor", "action", "object", "org_id", "member", "before", "after"}

// recordSQL is the SQL of an entry's record: each field of auditFields as
// stored (numbers in decimal) written <byte length>:<bytes>, so that records
// are unambiguous and many of them travel in one string.
var recordSQL = func() string {
	parts := make([]string, len(auditFields))
	for i, f := range auditFields {
		parts[i] = "length(CAST(a." + f + " AS BLOB)) || ':' || a." + f
	}
	return strings.Join(parts, " || ")
}()

// chainHash returns the hash of an entry's record chained to prev:
// SHA-256, hex, over a version tag, prev and the record.
func chainHash(prev, record string) string {
	buf := make([]byte, 0, len(chainTag)+len(prev)+1+len(record))
	return chainHashBuf(buf, prev, record)
}

const chainTag = "tuanwu audit chain v1\n"

// chainHashBuf is chainHash using buf's room (for a loop over many).
func chainHashBuf(buf []byte, prev, record string) string {
	buf = append(append(append(append(buf[:0], chainTag...), prev...), '\n'), record...)
	sum := sha256.Sum256(buf)
	return hex.EncodeToString(sum[:])
}

// field splits one <byte length>:<bytes> field off s.
func field(s string) (value, rest string, ok bool) {
	colon := strings.IndexByte(s, ':')
	if colon <= 0 {
		return "", "", false
	}
	n, err := strconv.Atoi(s[:colon])
	if err != nil || n < 0 || colon+1+n > len(s) {
		return "", "", false
	}
	return s[colon+1 : colon+1+n], s[colon+1+n:], true
}

// eachRecord calls fn with every entry above after, in id order: its id,
// its record and, when withHash, its hash in audit_chain ("" when it has
// none). The entries are read auditChunk at a time, each chunk as one
// string built by SQLite: reading them row by row costs several times as
// much.
func eachRecord(ctx context.Context, tx *sql.Tx, after int64, withHash bool, fn func(id int64, record, hash string) error) error {
	row, from := recordSQL, "audit a"
	if withHash {
		row += " || length(ifnull(c.hash, '')) || ':' || ifnull(c.hash, '')"
		from += " LEFT JOIN audit_chain c ON c.id = a.id"
	}
	q := "SELECT count(*), ifnull(max(id), 0), ifnull(group_concat(r, '' ORDER BY id), '') FROM (SELECT a.id AS id, " + row +
		" AS r FROM " + from + " WHERE a.id > ? ORDER BY a.id LIMIT " + strconv.Itoa(auditChunk) + ")"
	for {
		var n int
		var last int64
		var all string
		if err := tx.QueryRowContext(ctx, q, after).Scan(&n, &last, &all); err != nil {
			return err
		}
		got := 0
		for rest := all; rest != ""; got++ {
			start := rest
			var id string
			var ok bool
			for i := range auditFields {
				var v string
				if v, rest, ok = field(rest); !ok {
					return errors.New("an audit entry cannot be read: its columns were changed")
				}
				if i == 0 {
					id = v
				}
			}
			record := start[:len(start)-len(rest)]
			hash := ""
			if withHash {
				if hash, rest, ok = field(rest); !ok {
					return errors.New("an audit entry's hash cannot be read")
				}
			}
			idn, err := strconv.ParseInt(id, 10, 64)
			if err != nil {
				return fmt.Errorf("audit entry id %q: %w", id, err)
			}
			if err := fn(idn, record, hash); err != nil {
				return err
			}
		}
		if got != n {
			return fmt.Errorf("%d of %d audit entries could be read: a column holds NULL", got, n)
		}
		if n < auditChunk {
			return nil
		}
		after = last
	}
}

// auditBase returns the highest audit id as a write transaction begins:
// what the transaction adds lies above it.
func auditBase(ctx context.Context, tx *sql.Tx) (int64, error) {
	var base int64
	if err := tx.QueryRowContext(ctx, "SELECT ifnull(max(id), 0) FROM audit").Scan(&base); err != nil {
		return 0, auditBroken(err)
	}
	return base, nil
}

// auditBroken is the refusal of a write when the audit trail cannot be
// written: a change that leaves no record is not saved.
func auditBroken(err error) error {
	return app.Wrap(app.EStore, err, "存储文件的操作日志无法写入（操作日志表可能被删除或改动过），为保证每次修改都有记录，这次修改没有保存。请运行 check 检查，并从备份恢复。")
}

// sealAudit chains the entries above base, in id order, and records the
// chain's head: their hashes go into audit_chain in one statement.
func sealAudit(ctx context.Context, tx *sql.Tx, base int64) error {
	var (
		hashes  []byte // the hashes, hex, one after the other
		ids     []int64
		buf     = make([]byte, 0, 1024)
		prev    string
		lastID  int64
		gapless = true // the ids follow one another (the usual case)
	)
	err := eachRecord(ctx, tx, base, false, func(id int64, record, _ string) error {
		if len(ids) == 0 {
			err := tx.QueryRowContext(ctx, "SELECT hash FROM audit_chain WHERE id <= ? ORDER BY id DESC LIMIT 1", base).Scan(&prev)
			if err != nil && !errors.Is(err, sql.ErrNoRows) {
				return err
			}
		} else if id != lastID+1 {
			gapless = false
		}
		prev, lastID = chainHashBuf(buf, prev, record), id
		hashes = append(hashes, prev...)
		ids = append(ids, id)
		return nil
	})
	if err != nil {
		return auditBroken(fmt.Errorf("seal audit: %w", err))
	}
	if len(ids) == 0 {
		return nil
	}
	// One statement for all: the hashes go in as one blob, cut in SQL.
	const h = 2 * sha256.Size
	if gapless {
		_, err = tx.ExecContext(ctx, `WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < ?2)
			INSERT INTO audit_chain (id, hash) SELECT ?1 + i, CAST(substr(?3, i * `+strconv.Itoa(h)+` + 1, `+strconv.Itoa(h)+`) AS TEXT) FROM n`,
			ids[0], len(ids), hashes)
	} else {
		var pairs strings.Builder // [[id,"hash"],...]
		pairs.WriteByte('[')
		for i, id := range ids {
			if i > 0 {
				pairs.WriteByte(',')
			}
			pairs.WriteString("[" + strconv.FormatInt(id, 10) + ",\"" + string(hashes[i*h:(i+1)*h]) + "\"]")
		}
		pairs.WriteByte(']')
		_, err = tx.ExecContext(ctx, `INSERT INTO audit_chain (id, hash) SELECT value ->> 0, value ->> 1 FROM json_each(?)`, pairs.String())
	}
	if err != nil {
		return fmt.Errorf("seal audit: %w", err)
	}
	if _, err := tx.ExecContext(ctx, "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
		auditHeadKey, strconv.FormatInt(lastID, 10)+" "+prev); err != nil {
		return fmt.Errorf("seal audit: %w", err)
	}
	return nil
}

// postMigration runs, in a migration's transaction, what its SQL cannot do.
var postMigration = map[string]func(ctx context.Context, tx *sql.Tx) error{
	// The entries written before the chain existed are chained now, in id order.
	auditChainMigration: func(ctx context.Context, tx *sql.Tx) error { return sealAudit(ctx, tx, 0) },
}

var triggerPattern = regexp.MustCompile(`(?s)CREATE TRIGGER (\w+) .*?\nEND`)

// auditTriggers returns the audit triggers' names and text as migration
// 0005 creates them, which is what sqlite_master keeps.
func auditTriggers() (map[string]string, error) {
	body, err := migrationFS.ReadFile(auditChainMigration)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", auditChainMigration, err)
	}
	out := map[string]string{}
	for _, m := range triggerPattern.FindAllStringSubmatch(string(body), -1) {
		out[m[1]] = m[0]
	}
	return out, nil
}

// VerifyAudit walks the audit chain from its first entry and reports the
// first broken one; it also checks the chain's head and the triggers that
// keep the trail append-only. It reads one snapshot.
func (s *Store) VerifyAudit(ctx context.Context) (app.AuditChain, error) {
	tx, err := s.r.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return app.AuditChain{}, mapErr(fmt.Errorf("begin read: %w", err))
	}
	defer tx.Rollback()
	return verifyAuditTx(ctx, tx)
}

// verifyAuditTx is VerifyAudit in tx, on any 团务台 store file.
func verifyAuditTx(ctx context.Context, tx *sql.Tx) (app.AuditChain, error) {
	var out app.AuditChain
	var err error
	for _, table := range []string{"audit", "audit_chain"} {
		var n int
		if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?", table).Scan(&n); err != nil {
			return out, mapErr(err)
		}
		if n == 0 {
			out.Problems = append(out.Problems, fmt.Sprintf("操作日志表（%s）不存在（已被删除），之前的操作记录无从核对。请从备份恢复存储文件。", table))
		}
	}
	if len(out.Problems) > 0 {
		return out, nil
	}
	want, err := auditTriggers()
	if err != nil {
		return out, err
	}
	have := map[string]string{}
	trs, err := tx.QueryContext(ctx, "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name IN ('audit', 'audit_chain')")
	if err != nil {
		return out, mapErr(err)
	}
	for trs.Next() {
		var name string
		var text sql.NullString
		if err := trs.Scan(&name, &text); err != nil {
			trs.Close()
			return out, err
		}
		have[name] = text.String
	}
	trs.Close()
	for _, name := range slices.Sorted(maps.Keys(want)) {
		switch text, ok := have[name]; {
		case !ok:
			out.Problems = append(out.Problems, fmt.Sprintf("操作日志的保护触发器“%s”被删除了，操作日志可能被改动过。请从备份恢复存储文件。", name))
		case text != want[name]:
			out.Problems = append(out.Problems, fmt.Sprintf("操作日志的保护触发器“%s”被改动过，操作日志可能被改动过。请从备份恢复存储文件。", name))
		}
	}
	var head string
	if err := tx.QueryRowContext(ctx, "SELECT value FROM settings WHERE key = ?", auditHeadKey).Scan(&head); err != nil && !errors.Is(err, sql.ErrNoRows) {
		return out, mapErr(err)
	}
	var lastChain int64
	if err := tx.QueryRowContext(ctx, "SELECT ifnull(max(id), 0) FROM audit_chain").Scan(&lastChain); err != nil {
		return out, mapErr(err)
	}
	prev, lastID, buf := "", int64(0), make([]byte, 0, 1024)
	broken := func(id int64, msg string) {
		if out.BrokenID == 0 {
			out.BrokenID = id
			out.Problems = append(out.Problems, msg)
		}
	}
	err = eachRecord(ctx, tx, 0, true, func(id int64, record, hash string) error {
		out.Entries++
		if out.BrokenID != 0 {
			return nil // counted; the chain is already broken before
		}
		switch {
		case id != lastID+1:
			broken(id, fmt.Sprintf("操作日志第 %d 条之前缺少第 %d 条到第 %d 条：记录被删除了。", id, lastID+1, id-1))
		case hash == "":
			broken(id, fmt.Sprintf("操作日志第 %d 条没有团务台的封存校验值：它不是团务台写入的，可能是伪造的记录。", id))
		case hash != chainHashBuf(buf, prev, record):
			broken(id, fmt.Sprintf("操作日志第 %d 条与校验值不符：这一条被改动过，或它之前的记录被删除、插入或改动过。", id))
		}
		prev, lastID = hash, id
		return nil
	})
	if err != nil {
		out.Problems = append(out.Problems, fmt.Sprintf("操作日志表的结构被改动过（%v），无法核对。请从备份恢复存储文件。", err))
		return out, nil
	}
	if out.BrokenID == 0 && lastChain > lastID {
		out.BrokenID = lastID + 1
		out.Problems = append(out.Problems, fmt.Sprintf("操作日志应有 %d 条，现在只到第 %d 条：末尾的记录被删除了。", lastChain, lastID))
	}
	if out.BrokenID == 0 {
		headID, headHash, _ := strings.Cut(head, " ")
		hid, _ := strconv.ParseInt(headID, 10, 64)
		switch {
		case head == "" && out.Entries > 0:
			out.Problems = append(out.Problems, "找不到操作日志的链头记录，操作日志可能被改动过。请从备份恢复存储文件。")
		case head != "" && hid > lastID:
			out.BrokenID = lastID + 1
			out.Problems = append(out.Problems, fmt.Sprintf("操作日志应有 %d 条，现在只到第 %d 条：末尾的记录被删除了。", hid, lastID))
		case head != "" && hid == lastID && headHash != prev:
			out.BrokenID = lastID
			out.Problems = append(out.Problems, fmt.Sprintf("操作日志第 %d 条与链头记录不符：末尾的记录被替换过。", lastID))
		case head != "" && hid < lastID:
			out.BrokenID = hid + 1
			out.Problems = append(out.Problems, fmt.Sprintf("操作日志第 %d 条起的记录不是团务台封存的：可能是伪造的记录。", hid+1))
		}
	}
	out.Intact = len(out.Problems) == 0
	return out, nil
}
