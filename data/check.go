package data

import (
	"context"
	"database/sql"
	"fmt"
)

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
	if err := eachRow(rows, func(rows *sql.Rows) error {
		var line string
		if err := rows.Scan(&line); err != nil {
			return err
		}
		if line != "ok" {
			problems = append(problems, "完整性检查："+line)
		}
		return nil
	}); err != nil {
		return nil, err
	}
	fk, err := s.r.QueryContext(ctx, "PRAGMA foreign_key_check")
	if err != nil {
		return nil, mapErr(err)
	}
	if err := eachRow(fk, func(fk *sql.Rows) error {
		var table, parent string
		var rowid, idx sql.NullInt64
		if err := fk.Scan(&table, &rowid, &parent, &idx); err != nil {
			return err
		}
		problems = append(problems, fmt.Sprintf("外键检查：表 %s 第 %d 行引用的 %s 不存在", table, rowid.Int64, parent))
		return nil
	}); err != nil {
		return nil, err
	}
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
