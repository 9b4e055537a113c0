package data

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"
	"tuanwu/app"
)

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
	if out.Problems, err = missingAuditTables(ctx, tx); err != nil || len(out.Problems) > 0 {
		return out, err
	}
	if out.Problems, err = auditTriggerProblems(ctx, tx); err != nil {
		return out, err
	}
	var head string
	if err := tx.QueryRowContext(ctx, "SELECT value FROM settings WHERE key = ?", auditHeadKey).Scan(&head); err != nil && !errors.Is(err, sql.ErrNoRows) {
		return out, mapErr(err)
	}
	var lastChain int64
	if err := tx.QueryRowContext(ctx, "SELECT ifnull(max(id), 0) FROM audit_chain").Scan(&lastChain); err != nil {
		return out, mapErr(err)
	}
	prev, lastID, err := walkAuditChain(ctx, tx, &out)
	if err != nil {
		out.Problems = append(out.Problems, fmt.Sprintf("操作日志表的结构被改动过（%v），无法核对。请从备份恢复存储文件。", err))
		return out, nil
	}
	if out.BrokenID == 0 && lastChain > lastID {
		out.BrokenID = lastID + 1
		out.Problems = append(out.Problems, fmt.Sprintf("操作日志应有 %d 条，现在只到第 %d 条：末尾的记录被删除了。", lastChain, lastID))
	}
	if out.BrokenID == 0 {
		checkAuditHead(&out, head, prev, lastID)
	}
	out.Intact = len(out.Problems) == 0
	return out, nil
}

// missingAuditTables are the problems of the audit tables that are gone.
func missingAuditTables(ctx context.Context, tx *sql.Tx) ([]string, error) {
	var problems []string
	for _, table := range []string{"audit", "audit_chain"} {
		var n int
		if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?", table).Scan(&n); err != nil {
			return problems, mapErr(err)
		}
		if n == 0 {
			problems = append(problems, fmt.Sprintf("操作日志表（%s）不存在（已被删除），之前的操作记录无从核对。请从备份恢复存储文件。", table))
		}
	}
	return problems, nil
}

// auditTriggerProblems are the audit tables' protecting triggers that were
// dropped or changed, by name.
func auditTriggerProblems(ctx context.Context, tx *sql.Tx) ([]string, error) {
	want, err := auditTriggers()
	if err != nil {
		return nil, err
	}
	have := map[string]string{}
	trs, err := tx.QueryContext(ctx, "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name IN ('audit', 'audit_chain')")
	if err != nil {
		return nil, mapErr(err)
	}
	if err := eachRow(trs, func(trs *sql.Rows) error {
		var name string
		var text sql.NullString
		err := trs.Scan(&name, &text)
		have[name] = text.String
		return err
	}); err != nil {
		return nil, err
	}
	var problems []string
	for _, name := range slices.Sorted(maps.Keys(want)) {
		switch text, ok := have[name]; {
		case !ok:
			problems = append(problems, fmt.Sprintf("操作日志的保护触发器“%s”被删除了，操作日志可能被改动过。请从备份恢复存储文件。", name))
		case text != want[name]:
			problems = append(problems, fmt.Sprintf("操作日志的保护触发器“%s”被改动过，操作日志可能被改动过。请从备份恢复存储文件。", name))
		}
	}
	return problems, nil
}

// walkAuditChain counts the records and checks each against the one
// before (no gap, sealed, its hash chained), noting the first break in
// out; it returns the last record's hash and id.
func walkAuditChain(ctx context.Context, tx *sql.Tx, out *app.AuditChain) (prev string, lastID int64, err error) {
	buf := make([]byte, 0, 1024)
	broken := func(id int64, msg string) {
		if out.BrokenID == 0 {
			out.BrokenID = id
			out.Problems = append(out.Problems, msg)
		}
	}
	err = eachRecord(ctx, tx, 0, math.MaxInt64, true, func(id int64, record, hash string) error {
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
	return prev, lastID, err
}

// checkAuditHead holds an unbroken chain's end to the head record kept in
// the settings ("id hash"): none missing, replaced or added after it.
func checkAuditHead(out *app.AuditChain, head, prev string, lastID int64) {
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
