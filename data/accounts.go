package data

import (
	"database/sql"
	"errors"
	"fmt"
	"time"

	"tuanwu/app"
)

func (t *txn) Account(idNo string) (app.Account, error) {
	var a app.Account
	var locked, created string
	err := t.tx.QueryRowContext(t.ctx, `SELECT id_no, name, pass_hash, must_change, failed, locked_until, created_at
		FROM accounts WHERE id_no = ?`, idNo).Scan(&a.IDNo, &a.Name, &a.PassHash, &a.MustChange, &a.Failed, &locked, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return app.Account{}, app.Errorf(app.ENotFound, "账号不存在。")
	}
	if err != nil {
		return app.Account{}, fmt.Errorf("account: %w", err)
	}
	a.LockedUntil, a.CreatedAt = parseTime(locked), parseTime(created)
	return a, nil
}

func (t *txn) InsertAccount(a app.Account) error {
	_, err := t.exec(`INSERT INTO accounts (id_no, name, pass_hash, must_change, failed, locked_until, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, a.IDNo, a.Name, a.PassHash, a.MustChange, a.Failed, fmtTime(a.LockedUntil), fmtTime(a.CreatedAt))
	if err != nil {
		return fmt.Errorf("insert account: %w", err)
	}
	return nil
}

func (t *txn) UpdateAccount(a app.Account) error {
	res, err := t.exec(`UPDATE accounts SET pass_hash = ?, must_change = ?, failed = ?, locked_until = ? WHERE id_no = ?`,
		a.PassHash, a.MustChange, a.Failed, fmtTime(a.LockedUntil), a.IDNo)
	if err != nil {
		return fmt.Errorf("update account: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return app.Errorf(app.ENotFound, "账号不存在。")
	}
	return nil
}

func (t *txn) InsertCadre(c *app.Cadre) error {
	res, err := t.exec(`INSERT INTO cadres (org_id, id_no, name, post, post_since, nature, party_committee, since)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, c.OrgID, c.IDNo, c.Name, c.Post, c.PostSince, c.Nature, c.PartyCommittee, fmtTime(c.Since))
	if err != nil {
		return fmt.Errorf("insert cadre: %w", err)
	}
	c.ID, err = res.LastInsertId()
	return err
}

const cadreCols = "id, org_id, id_no, name, post, post_since, nature, party_committee, since, ended_at"

func scanCadre(sc interface{ Scan(...any) error }) (app.Cadre, error) {
	var c app.Cadre
	var since, ended string
	err := sc.Scan(&c.ID, &c.OrgID, &c.IDNo, &c.Name, &c.Post, &c.PostSince, &c.Nature, &c.PartyCommittee, &since, &ended)
	c.Since, c.Ended = parseTime(since), parseTime(ended)
	return c, err
}

func (t *txn) Cadres(orgID int64) ([]app.Cadre, error) {
	rows, err := t.tx.QueryContext(t.ctx, "SELECT "+cadreCols+" FROM cadres WHERE org_id = ? AND ended_at = '' ORDER BY id", orgID)
	if err != nil {
		return nil, fmt.Errorf("cadres: %w", err)
	}
	out, err := scanAll(rows, func(rows *sql.Rows) (app.Cadre, error) { return scanCadre(rows) })
	if err != nil {
		return nil, fmt.Errorf("cadres: %w", err)
	}
	return out, nil
}

func (t *txn) Cadre(id int64) (app.Cadre, error) {
	c, err := scanCadre(t.tx.QueryRowContext(t.ctx, "SELECT "+cadreCols+" FROM cadres WHERE id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return app.Cadre{}, app.Errorf(app.ENotFound, "没有编号为 %d 的团干部任职记录。", id)
	}
	if err != nil {
		return app.Cadre{}, fmt.Errorf("cadre %d: %w", id, err)
	}
	return c, nil
}

func (t *txn) UpdateCadre(c app.Cadre) error {
	res, err := t.exec(`UPDATE cadres SET post = ?, post_since = ?, nature = ?, party_committee = ?, ended_at = ? WHERE id = ?`,
		c.Post, c.PostSince, c.Nature, c.PartyCommittee, fmtTime(c.Ended), c.ID)
	if err != nil {
		return fmt.Errorf("update cadre: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return app.Errorf(app.ENotFound, "没有编号为 %d 的团干部任职记录。", c.ID)
	}
	return nil
}

func (t *txn) RevokeAdmin(orgID int64, idNo string, at time.Time) error {
	res, err := t.exec("UPDATE admins SET revoked_at = ? WHERE org_id = ? AND id_no = ? AND revoked_at = ''", fmtTime(at), orgID, idNo)
	if err != nil {
		return fmt.Errorf("revoke admin: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return app.Errorf(app.ENotFound, "此人不是该组织的管理员。")
	}
	return nil
}

func (t *txn) InsertAdmin(orgID int64, idNo string, at time.Time) error {
	_, err := t.exec("INSERT INTO admins (org_id, id_no, granted_at) VALUES (?, ?, ?)", orgID, idNo, fmtTime(at))
	if app.ErrorCode(err) == app.EConflict {
		return app.Wrap(app.EConflict, err, "此人已经是该组织的管理员。")
	}
	if err != nil {
		return fmt.Errorf("insert admin: %w", err)
	}
	return nil
}

func (t *txn) AdminOrgs(idNo string) ([]app.Org, error) {
	rows, err := t.tx.QueryContext(t.ctx, "SELECT org_id FROM admins WHERE id_no = ? AND revoked_at = '' ORDER BY org_id", idNo)
	if err != nil {
		return nil, fmt.Errorf("admin orgs: %w", err)
	}
	ids, err := scanAll(rows, scanInt64)
	if err != nil {
		return nil, err
	}
	out := make([]app.Org, 0, len(ids))
	for _, id := range ids {
		o, err := t.Org(id)
		if err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, nil
}

func (t *txn) Admins(orgID int64) ([]app.Admin, error) {
	rows, err := t.tx.QueryContext(t.ctx, `SELECT a.org_id, a.id_no, c.name, a.granted_at FROM admins a JOIN accounts c ON c.id_no = a.id_no
		WHERE a.org_id = ? AND a.revoked_at = '' ORDER BY a.id`, orgID)
	if err != nil {
		return nil, fmt.Errorf("admins: %w", err)
	}
	return scanAll(rows, func(rows *sql.Rows) (app.Admin, error) {
		var a app.Admin
		var at string
		err := rows.Scan(&a.OrgID, &a.IDNo, &a.Name, &at)
		a.GrantedAt = parseTime(at)
		return a, err
	})
}

func (t *txn) AppendAudit(e app.AuditEntry) error {
	st, err := t.stmt(`INSERT INTO audit (at, actor, action, object, org_id, member, before, after) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return err
	}
	res, err := st.ExecContext(t.ctx, fmtTime(e.At), e.Actor, e.Action, e.Object, e.OrgID, e.Member, e.Before, e.After)
	if err != nil {
		return fmt.Errorf("append audit: %w", err)
	}
	id, err := res.LastInsertId()
	if err != nil {
		return fmt.Errorf("append audit: %w", err)
	}
	t.wrote([]app.AuditEntry{e}, id)
	return nil
}

func (t *txn) AuditHead() (int64, error) { return t.changeMark() }

// AppendAudits adds many entries to the audit trail, in order, a few
// hundred per statement.
func (t *txn) AppendAudits(list []app.AuditEntry) error {
	const per = 1000
	var (
		box [8]any // each column's last value, boxed (boxed)
		at  timeText
	)
	for start := 0; start < len(list); start += per {
		chunk := list[start:min(start+per, len(list))]
		args := make([]any, 0, len(chunk)*8)
		for i := range chunk {
			e := &chunk[i]
			args = append(args, boxed(&box[0], at.of(e.At)), boxed(&box[1], e.Actor), boxed(&box[2], e.Action), boxed(&box[3], e.Object),
				boxed(&box[4], e.OrgID), boxed(&box[5], e.Member), boxed(&box[6], e.Before), boxed(&box[7], e.After))
		}
		last, err := t.insertRows("audit", "at, actor, action, object, org_id, member, before, after", 8, len(chunk), args)
		if err != nil {
			return fmt.Errorf("append audit: %w", err)
		}
		t.wrote(chunk, last)
	}
	return nil
}

func (t *txn) Audit(f app.AuditFilter) ([]app.AuditEntry, error) {
	q := "SELECT id, at, actor, action, object, org_id, member, before, after FROM audit WHERE 1=1"
	var args []any
	if !f.Since.IsZero() {
		q += " AND at >= ?"
		args = append(args, fmtTime(f.Since))
	}
	if !f.Until.IsZero() {
		q += " AND at < ?"
		args = append(args, fmtTime(f.Until))
	}
	if f.Member != "" {
		q += " AND member = ?"
		args = append(args, f.Member)
	}
	if f.Actor != "" {
		q += " AND actor = ?"
		args = append(args, f.Actor)
	}
	if f.Person != "" {
		q += " AND (actor = ? OR member = ?)"
		args = append(args, f.Person, f.Person)
	}
	if f.UnderPath != "" {
		q += " AND org_id IN (SELECT id FROM orgs WHERE path >= ? AND path < ?)"
		args = append(args, f.UnderPath, f.UnderPath+"~")
	}
	if f.OrgID != 0 {
		q += " AND org_id = ?"
		args = append(args, f.OrgID)
	}
	q += " ORDER BY id DESC"
	if f.Limit > 0 {
		q += " LIMIT ?"
		args = append(args, f.Limit)
	}
	rows, err := t.tx.QueryContext(t.ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("audit: %w", err)
	}
	return scanAll(rows, func(rows *sql.Rows) (app.AuditEntry, error) {
		var e app.AuditEntry
		var at string
		err := rows.Scan(&e.ID, &at, &e.Actor, &e.Action, &e.Object, &e.OrgID, &e.Member, &e.Before, &e.After)
		e.At = parseTime(at)
		return e, err
	})
}

func (t *txn) Setting(key string) (string, error) {
	var v string
	err := t.tx.QueryRowContext(t.ctx, "SELECT value FROM settings WHERE key = ?", key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return v, err
}

func (t *txn) SetSetting(key, value string) error {
	_, err := t.exec("INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value", key, value)
	return err
}
