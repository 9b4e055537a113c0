package data

import (
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"tuanwu/app"
)

// idList encodes IDs as a JSON array for "IN (SELECT value FROM json_each(?))":
// one statement and one parameter whatever the number of IDs.
func idList(ids []int64) string {
	b, _ := json.Marshal(ids)
	return string(b)
}

// orgColsLite are orgCols without the child count, for bulk reads.
const orgColsLite = `o.id, ifnull(o.parent_id, 0), o.name, o.kind, o.category, o.province, o.path,
	o.grad_month, o.grad_reason, o.remark, o.created_at, o.subtree_count, 0`

func (t *txn) OrgsByID(ids []int64) ([]app.Org, error) {
	rows, err := t.tx.QueryContext(t.ctx, "SELECT "+orgColsLite+" FROM orgs o WHERE o.id IN (SELECT value FROM json_each(?)) ORDER BY o.path", idList(ids))
	if err != nil {
		return nil, fmt.Errorf("orgs by id: %w", err)
	}
	out, err := appendRows(make([]app.Org, 0, len(ids)), rows, scanOrgRow)
	if err != nil {
		return nil, err
	}
	if len(out) != len(ids) {
		seen := map[int64]bool{}
		for _, o := range out {
			seen[o.ID] = true
		}
		for _, id := range ids {
			if !seen[id] {
				return nil, app.Errorf(app.ENotFound, "没有编号为 %d 的组织。", id)
			}
		}
	}
	return out, nil
}

func (t *txn) MarkGraduation(ids []int64, underPaths []string, month, reason, category string) (int, error) {
	args := []any{month, reason, category, category, idList(ids)}
	inside := ""
	if len(underPaths) > 0 {
		var ors []string
		for _, p := range underPaths {
			ors = append(ors, "(path >= ? AND path < ?)")
			args = append(args, p, p+"~")
		}
		inside = " AND (" + strings.Join(ors, " OR ") + ")"
	}
	// A category that came from an earlier reason mark (教师支部, 混合支部)
	// goes back to 普通 when a month replaces it (R-G4: marks can be corrected).
	res, err := t.exec(`UPDATE orgs SET grad_month = ?, grad_reason = ?,
			category = CASE WHEN ? <> '' THEN ? WHEN grad_reason <> '' AND category = grad_reason THEN `+sqlNormal+` ELSE category END
		WHERE kind = `+sqlBranch+` AND id IN (SELECT value FROM json_each(?))`+inside, args...)
	if err != nil {
		return 0, fmt.Errorf("mark graduation: %w", err)
	}
	n, err := res.RowsAffected()
	return int(n), err
}

func (t *txn) DelayedNotAfter(ids []int64, month string, limit int) ([]app.Member, error) {
	// Delayed graduates are few: the partial index answers "none" at once.
	var any int
	err := t.tx.QueryRowContext(t.ctx, `SELECT count(*) FROM (SELECT 1 FROM members
		WHERE mark = '延迟毕业团员' AND mark_month <= ? LIMIT 1)`, month).Scan(&any)
	if err != nil {
		return nil, fmt.Errorf("delayed members: %w", err)
	}
	if any == 0 {
		return nil, nil
	}
	rows, err := t.tx.QueryContext(t.ctx, `SELECT name, id_no, org_id, mark_month FROM members
		WHERE mark = '延迟毕业团员' AND mark_month <= ? AND org_id IN (SELECT value FROM json_each(?))
		ORDER BY mark_month, name LIMIT ?`, month, idList(ids), limit)
	if err != nil {
		return nil, fmt.Errorf("delayed members: %w", err)
	}
	out, err := scanAll(rows, func(rows *sql.Rows) (app.Member, error) {
		m := app.Member{Mark: app.MarkDelayed}
		err := rows.Scan(&m.Name, &m.IDNo, &m.OrgID, &m.MarkMonth)
		return m, err
	})
	if err != nil {
		return nil, fmt.Errorf("delayed members: %w", err)
	}
	return out, nil
}

func (t *txn) OrgNames(ids []int64, limit int) ([]string, error) {
	if len(ids) > limit {
		ids = ids[:limit] // the rest would not be read
	}
	// From the full names the store keeps cached: the last part of each.
	names := make([]string, 0, len(ids))
	for _, id := range ids {
		full, err := t.orgFullName(id)
		if err != nil {
			if errors.Is(err, sql.ErrNoRows) {
				continue
			}
			return nil, fmt.Errorf("org names: %w", err)
		}
		names = append(names, full[strings.LastIndex(full, "/")+1:])
	}
	if len(names) == 0 {
		return nil, nil
	}
	return names, nil
}

func (t *txn) GraduateBranches(yearPrefix, month string) (int, error) {
	res, err := t.exec(`UPDATE orgs SET category = `+sqlGraduate+` WHERE kind = `+sqlBranch+` AND category = `+sqlNormal+`
		AND grad_month >= ? AND grad_month < ? AND grad_month <= ?`, yearPrefix, yearPrefix+"~", month)
	if err != nil {
		return 0, fmt.Errorf("graduate branches: %w", err)
	}
	n, _ := res.RowsAffected()
	return int(n), nil
}

func (t *txn) DeleteMember(idNo string) error {
	var org int64
	var status string
	if err := t.tx.QueryRowContext(t.ctx, "SELECT org_id, status FROM members WHERE id_no = ?", idNo).Scan(&org, &status); err != nil {
		return app.Errorf(app.ENotFound, "没有找到身份证号为 %s 的团员。", app.MaskID(idNo))
	}
	if _, err := t.exec("DELETE FROM members WHERE id_no = ?", idNo); err != nil {
		return fmt.Errorf("delete member: %w", err)
	}
	if status == app.StatusActive {
		return t.addCount(org, -1)
	}
	return nil
}

func (t *txn) InsertMemberHistory(m app.Member, org, reason, actor string, at time.Time) error {
	rec, err := json.Marshal(m)
	if err != nil {
		return fmt.Errorf("member history: %w", err)
	}
	_, err = t.exec(`INSERT INTO member_history (id_no, name, org, record, reason, actor, at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		m.IDNo, m.Name, org, string(rec), reason, actor, fmtTime(at))
	return err
}

func (t *txn) InsertStatus(idNo, status, date, reason, actor string, at time.Time) error {
	_, err := t.exec(`INSERT INTO member_status (id_no, status, date, reason, actor, at) VALUES (?, ?, ?, ?, ?, ?)`,
		idNo, status, date, reason, actor, fmtTime(at))
	return err
}

func (t *txn) StatusHistory(idNo string) ([]app.StatusChange, error) {
	rows, err := t.tx.QueryContext(t.ctx, "SELECT status, date, reason, actor, at FROM member_status WHERE id_no = ? ORDER BY id", idNo)
	if err != nil {
		return nil, fmt.Errorf("status history: %w", err)
	}
	return scanAll(rows, func(rows *sql.Rows) (app.StatusChange, error) {
		var c app.StatusChange
		var at string
		err := rows.Scan(&c.Status, &c.Date, &c.Reason, &c.Actor, &at)
		c.At = parseTime(at)
		return c, err
	})
}

func (t *txn) ErrorMembers(underPath string) ([]app.Member, error) {
	out, err := t.membersOf("SELECT "+memberCols+` FROM members m JOIN orgs o ON o.id = m.org_id
		WHERE m.error_kind <> '' AND o.path >= ? AND o.path < ? ORDER BY o.path, m.id`, underPath, underPath+"~")
	if err != nil {
		return nil, fmt.Errorf("error members: %w", err)
	}
	return out, nil
}
