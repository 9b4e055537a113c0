package data

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/binary"
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
// SHA-256 over its content and the previous entry's hash. Entries are
// inserted with hash '' (by AppendAudit, or set-wise by the sweep) and
// sealed, in id order, by sealAudit before the write transaction that added
// them commits; the triggers of migration 0005 allow only that one-time
// setting of the hash. Rows that were unsealed before a write transaction
// began were not written by this program (whose unsealed rows never outlive
// their transaction) and are left as they are, for check to name.

const (
	auditChainMigration = "migrations/0005_audit_chain.sql"
	auditHeadKey        = "audit_head" // "<id> <hash>" of the last sealed entry
	auditColumns        = "id, at, actor, action, object, org_id, member, before, after"
)

// auditRow is an entry as stored: the hash covers the stored text.
type auditRow struct {
	id                                            int64
	at, actor, action, object, member, bef, after string
	org                                           int64
	hash                                          string
}

func (r *auditRow) scan(sc interface{ Scan(...any) error }, withHash bool) error {
	dst := []any{&r.id, &r.at, &r.actor, &r.action, &r.object, &r.org, &r.member, &r.bef, &r.after}
	if withHash {
		dst = append(dst, &r.hash)
	}
	return sc.Scan(dst...)
}

// chainHash returns the hash of r chained to prev: SHA-256, hex, over a
// version tag, prev and every field, each length-prefixed.
func chainHash(prev string, r *auditRow) string {
	h := sha256.New()
	var n [binary.MaxVarintLen64]byte
	field := func(s string) {
		h.Write(n[:binary.PutUvarint(n[:], uint64(len(s)))])
		h.Write([]byte(s))
	}
	field("tuanwu audit chain v1")
	field(prev)
	field(strconv.FormatInt(r.id, 10))
	field(r.at)
	field(r.actor)
	field(r.action)
	field(r.object)
	field(strconv.FormatInt(r.org, 10))
	field(r.member)
	field(r.bef)
	field(r.after)
	return hex.EncodeToString(h.Sum(nil))
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
// chain's head.
func sealAudit(ctx context.Context, tx *sql.Tx, base int64) error {
	rows, err := tx.QueryContext(ctx, "SELECT "+auditColumns+" FROM audit WHERE id > ? ORDER BY id", base)
	if err != nil {
		return auditBroken(err)
	}
	type seal struct {
		id   int64
		hash string
	}
	var seals []seal
	prev := ""
	first := true
	for rows.Next() {
		var r auditRow
		if err := r.scan(rows, false); err != nil {
			rows.Close()
			return fmt.Errorf("seal audit: %w", err)
		}
		if first {
			first = false
			if err := tx.QueryRowContext(ctx, "SELECT hash FROM audit WHERE id <= ? ORDER BY id DESC LIMIT 1", base).Scan(&prev); err != nil && !errors.Is(err, sql.ErrNoRows) {
				rows.Close()
				return fmt.Errorf("seal audit: %w", err)
			}
		}
		prev = chainHash(prev, &r)
		seals = append(seals, seal{r.id, prev})
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("seal audit: %w", err)
	}
	if len(seals) == 0 {
		return nil
	}
	st, err := tx.PrepareContext(ctx, "UPDATE audit SET hash = ? WHERE id = ?")
	if err != nil {
		return fmt.Errorf("seal audit: %w", err)
	}
	defer st.Close()
	for _, s := range seals {
		if _, err := st.ExecContext(ctx, s.hash, s.id); err != nil {
			return fmt.Errorf("seal audit entry %d: %w", s.id, err)
		}
	}
	last := seals[len(seals)-1]
	if _, err := tx.ExecContext(ctx, "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
		auditHeadKey, strconv.FormatInt(last.id, 10)+" "+last.hash); err != nil {
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
	var out app.AuditChain
	tx, err := s.r.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return out, mapErr(fmt.Errorf("begin read: %w", err))
	}
	defer tx.Rollback()
	var tables int
	if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'audit'").Scan(&tables); err != nil {
		return out, mapErr(err)
	}
	if tables == 0 {
		out.Problems = append(out.Problems, "操作日志表不存在（已被删除），之前的操作记录无从核对。请从备份恢复存储文件。")
		return out, nil
	}
	want, err := auditTriggers()
	if err != nil {
		return out, err
	}
	have := map[string]string{}
	trs, err := tx.QueryContext(ctx, "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit'")
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
	rows, err := tx.QueryContext(ctx, "SELECT "+auditColumns+", hash FROM audit ORDER BY id")
	if err != nil {
		out.Problems = append(out.Problems, fmt.Sprintf("操作日志表的结构被改动过（%v），无法核对。请从备份恢复存储文件。", err))
		return out, nil
	}
	defer rows.Close()
	prev, lastID := "", int64(0)
	broken := func(id int64, msg string) {
		if out.BrokenID == 0 {
			out.BrokenID = id
			out.Problems = append(out.Problems, msg)
		}
	}
	var r auditRow
	for rows.Next() {
		if err := r.scan(rows, true); err != nil {
			return out, fmt.Errorf("verify audit: %w", err)
		}
		out.Entries++
		if out.BrokenID != 0 {
			continue // counted; the chain is already broken before
		}
		switch {
		case r.id != lastID+1:
			broken(r.id, fmt.Sprintf("操作日志第 %d 条之前缺少第 %d 条到第 %d 条：记录被删除了。", r.id, lastID+1, r.id-1))
		case r.hash == "":
			broken(r.id, fmt.Sprintf("操作日志第 %d 条没有团务台的封存校验值：它不是团务台写入的，可能是伪造的记录。", r.id))
		case r.hash != chainHash(prev, &r):
			broken(r.id, fmt.Sprintf("操作日志第 %d 条与校验值不符：这一条被改动过，或它之前的记录被删除、插入或改动过。", r.id))
		}
		prev, lastID = r.hash, r.id
	}
	if err := rows.Err(); err != nil {
		return out, fmt.Errorf("verify audit: %w", err)
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
