package data

import (
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"tuanwu/app"
)

const transferCols = `id, id_no, name, from_org, ifnull(to_org, 0), reason, scope, unit, address, remark, keep_until,
	abroad_place, abroad_period, contact, contact_phone, initiator, started_by, state, reject_reason, created_at, finished_at`

func scanTransfer(sc interface{ Scan(...any) error }) (app.Transfer, error) {
	var t app.Transfer
	var created, finished string
	err := sc.Scan(&t.No, &t.IDNo, &t.Name, &t.FromOrg, &t.ToOrg, &t.Reason, &t.Scope, &t.Unit, &t.Address, &t.Remark, &t.KeepUntil,
		&t.AbroadPlace, &t.AbroadPeriod, &t.Contact, &t.ContactPhone, &t.Initiator, &t.StartedBy, &t.State, &t.RejectReason, &created, &finished)
	t.CreatedAt, t.FinishedAt = parseTime(created), parseTime(finished)
	return t, err
}

const stepCols = "id, transfer_id, seq, kind, org_id, opened_at, due_at, reminded_at, acted_at, outcome, actor, note"

func scanStep(sc interface{ Scan(...any) error }) (app.Step, error) {
	var s app.Step
	var opened, due, reminded, acted string
	err := sc.Scan(&s.ID, &s.Transfer, &s.Seq, &s.Kind, &s.OrgID, &opened, &due, &reminded, &acted, &s.Outcome, &s.Actor, &s.Note)
	s.OpenedAt, s.DueAt, s.RemindedAt, s.ActedAt = parseTime(opened), parseTime(due), parseTime(reminded), parseTime(acted)
	return s, err
}

func (t *txn) InsertTransfer(tr *app.Transfer) error {
	res, err := t.exec(`INSERT INTO transfers (id_no, name, from_org, to_org, reason, scope, unit, address, remark, keep_until,
		abroad_place, abroad_period, contact, contact_phone, initiator, started_by, state, reject_reason, created_at, finished_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		tr.IDNo, tr.Name, tr.FromOrg, nullID(tr.ToOrg), tr.Reason, tr.Scope, tr.Unit, tr.Address, tr.Remark, tr.KeepUntil,
		tr.AbroadPlace, tr.AbroadPeriod, tr.Contact, tr.ContactPhone, tr.Initiator, tr.StartedBy, tr.State, tr.RejectReason,
		fmtTime(tr.CreatedAt), fmtTime(tr.FinishedAt))
	if err != nil {
		return fmt.Errorf("insert transfer: %w", err)
	}
	if tr.No, err = res.LastInsertId(); err != nil {
		return err
	}
	st, err := t.stmt(`INSERT INTO transfer_steps (transfer_id, seq, kind, org_id, opened_at, due_at, reminded_at, acted_at, outcome, actor, note)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return err
	}
	for i := range tr.Steps {
		s := &tr.Steps[i]
		s.Transfer = tr.No
		r, err := st.ExecContext(t.ctx, s.Transfer, s.Seq, s.Kind, s.OrgID, fmtTime(s.OpenedAt), fmtTime(s.DueAt), fmtTime(s.RemindedAt),
			fmtTime(s.ActedAt), s.Outcome, s.Actor, s.Note)
		if err != nil {
			return fmt.Errorf("insert step: %w", err)
		}
		if s.ID, err = r.LastInsertId(); err != nil {
			return err
		}
	}
	return nil
}

// fill adds the steps and organization names to transfers.
func (t *txn) fill(list []app.Transfer) error {
	if len(list) == 0 {
		return nil
	}
	idx := map[int64]int{}
	ids := make([]any, len(list))
	for i, tr := range list {
		idx[tr.No] = i
		ids[i] = tr.No
	}
	for start := 0; start < len(ids); start += 500 {
		end := min(start+500, len(ids))
		rows, err := t.tx.QueryContext(t.ctx, "SELECT "+stepCols+" FROM transfer_steps WHERE transfer_id IN ("+placeholders(end-start)+") ORDER BY transfer_id, seq", ids[start:end]...)
		if err != nil {
			return fmt.Errorf("steps: %w", err)
		}
		for rows.Next() {
			s, err := scanStep(rows)
			if err != nil {
				rows.Close()
				return fmt.Errorf("steps: %w", err)
			}
			i := idx[s.Transfer]
			list[i].Steps = append(list[i].Steps, s)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
	}
	for i := range list {
		tr := &list[i]
		var err error
		if tr.FromName, err = t.orgFullName(tr.FromOrg); err != nil {
			return err
		}
		if tr.ToOrg != 0 {
			if tr.ToName, err = t.orgFullName(tr.ToOrg); err != nil {
				return err
			}
		}
		for j := range tr.Steps {
			if tr.Steps[j].OrgName, err = t.orgFullName(tr.Steps[j].OrgID); err != nil {
				return err
			}
		}
	}
	return nil
}

func (t *txn) queryTransfers(q string, args ...any) ([]app.Transfer, error) {
	rows, err := t.tx.QueryContext(t.ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("transfers: %w", err)
	}
	var out []app.Transfer
	for rows.Next() {
		tr, err := scanTransfer(rows)
		if err != nil {
			rows.Close()
			return nil, fmt.Errorf("transfers: %w", err)
		}
		out = append(out, tr)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return out, t.fill(out)
}

func (t *txn) Transfer(no int64) (app.Transfer, error) {
	list, err := t.queryTransfers("SELECT "+transferCols+" FROM transfers WHERE id = ?", no)
	if err != nil {
		return app.Transfer{}, err
	}
	if len(list) == 0 {
		return app.Transfer{}, app.Errorf(app.ENotFound, "没有编号为 %d 的组织关系转接。", no)
	}
	return list[0], nil
}

func (t *txn) UpdateTransfer(tr app.Transfer) error {
	res, err := t.exec(`UPDATE transfers SET to_org = ?, state = ?, reject_reason = ?, finished_at = ?, keep_until = ? WHERE id = ?`,
		nullID(tr.ToOrg), tr.State, tr.RejectReason, fmtTime(tr.FinishedAt), tr.KeepUntil, tr.No)
	if err != nil {
		return fmt.Errorf("update transfer: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return app.Errorf(app.ENotFound, "没有编号为 %d 的组织关系转接。", tr.No)
	}
	return nil
}

func (t *txn) UpdateStep(s app.Step) error {
	st, err := t.stmt(`UPDATE transfer_steps SET opened_at = ?, due_at = ?, reminded_at = ?, acted_at = ?, outcome = ?, actor = ?, note = ? WHERE id = ?`)
	if err != nil {
		return err
	}
	if _, err := st.ExecContext(t.ctx, fmtTime(s.OpenedAt), fmtTime(s.DueAt), fmtTime(s.RemindedAt), fmtTime(s.ActedAt), s.Outcome, s.Actor, s.Note, s.ID); err != nil {
		return fmt.Errorf("update step: %w", err)
	}
	return nil
}

func (t *txn) OpenTransfer(idNo string) (app.Transfer, error) {
	list, err := t.queryTransfers("SELECT "+transferCols+" FROM transfers WHERE id_no = ? AND state IN (?, ?, ?) ORDER BY id DESC LIMIT 1",
		idNo, app.StateApproving, app.StateAssigning, app.StateKept)
	if err != nil {
		return app.Transfer{}, err
	}
	if len(list) == 0 {
		return app.Transfer{}, app.Errorf(app.ENotFound, "该团员没有正在办理的组织关系转接。")
	}
	return list[0], nil
}

func (t *txn) Transfers(f app.TransferFilter) ([]app.Transfer, error) {
	q := "SELECT " + transferCols + " FROM transfers tr WHERE 1=1"
	var args []any
	if len(f.UnderPaths) > 0 {
		var ors []string
		for _, p := range f.UnderPaths {
			ors = append(ors, `tr.from_org IN (SELECT id FROM orgs WHERE path >= ? AND path < ?) OR tr.to_org IN (SELECT id FROM orgs WHERE path >= ? AND path < ?)`)
			args = append(args, p, p+"~", p, p+"~")
		}
		q += " AND (" + strings.Join(ors, " OR ") + ")"
	}
	if len(f.StepOrgs) > 0 {
		q += " AND tr.id IN (SELECT transfer_id FROM transfer_steps WHERE opened_at <> '' AND acted_at = '' AND org_id IN (" + placeholders(len(f.StepOrgs)) + "))"
		for _, id := range f.StepOrgs {
			args = append(args, id)
		}
	}
	if f.IDNo != "" {
		q += " AND tr.id_no = ?"
		args = append(args, f.IDNo)
	}
	if f.OpenOnly {
		q += " AND tr.state IN (?, ?, ?)"
		args = append(args, app.StateApproving, app.StateAssigning, app.StateKept)
	}
	q += " ORDER BY tr.id DESC"
	if f.Limit > 0 {
		q += " LIMIT ?"
		args = append(args, f.Limit)
	}
	return t.queryTransfers(q, args...)
}

func (t *txn) steps(q string, args ...any) ([]app.Step, error) {
	rows, err := t.tx.QueryContext(t.ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("steps: %w", err)
	}
	defer rows.Close()
	var out []app.Step
	for rows.Next() {
		s, err := scanStep(rows)
		if err != nil {
			return nil, fmt.Errorf("steps: %w", err)
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

func (t *txn) DueSteps(now time.Time, limit int) ([]app.Step, error) {
	return t.steps("SELECT "+stepCols+" FROM transfer_steps WHERE opened_at <> '' AND acted_at = '' AND due_at <> '' AND due_at <= ? ORDER BY due_at, id LIMIT ?",
		fmtTime(now), limit)
}

func (t *txn) StepsToRemind(cutoff time.Time, limit int) ([]app.Step, error) {
	return t.steps("SELECT "+stepCols+" FROM transfer_steps WHERE opened_at <> '' AND acted_at = '' AND reminded_at = '' AND opened_at <= ? AND due_at <> '' ORDER BY id LIMIT ?",
		fmtTime(cutoff), limit)
}

func (t *txn) InsertLetter(issuer int64, l *app.Letter, createdBy string, transfers []int64, at time.Time) (int64, error) {
	if err := t.tx.QueryRowContext(t.ctx, "SELECT ifnull(max(no), 0) + 1 FROM letters WHERE issuer_org = ?", issuer).Scan(&l.No); err != nil {
		return 0, fmt.Errorf("next letter number: %w", err)
	}
	res, err := t.exec(`INSERT INTO letters (issuer_org, no, recipient, names, dues, date, valid_days, created_by, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, issuer, l.No, l.Recipient, strings.Join(l.Names, "、"),
		fmt.Sprintf("%04d-%02d", l.DuesYear, l.DuesMonth), l.Date.Format("2006-01-02"), l.ValidDays, createdBy, fmtTime(at))
	if err != nil {
		return 0, fmt.Errorf("insert letter: %w", err)
	}
	id, err := res.LastInsertId()
	if err != nil {
		return 0, err
	}
	for _, tr := range transfers {
		if _, err := t.exec("INSERT INTO letter_transfers (letter_id, transfer_id) VALUES (?, ?)", id, tr); err != nil {
			return 0, fmt.Errorf("link letter: %w", err)
		}
	}
	return id, nil
}

func (t *txn) Letters(issuers []int64) ([]app.LetterRecord, error) {
	q := `SELECT id, issuer_org, no, recipient, names, dues, date, valid_days, voided_at, void_reason, created_by FROM letters`
	var args []any
	if len(issuers) > 0 {
		q += " WHERE issuer_org IN (" + placeholders(len(issuers)) + ")"
		for _, i := range issuers {
			args = append(args, i)
		}
	}
	q += " ORDER BY id DESC"
	rows, err := t.tx.QueryContext(t.ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("letters: %w", err)
	}
	var out []app.LetterRecord
	for rows.Next() {
		var r app.LetterRecord
		var names, dues, date, voided string
		if err := rows.Scan(&r.ID, &r.IssuerOrg, &r.Letter.No, &r.Letter.Recipient, &names, &dues, &date, &r.Letter.ValidDays, &voided, &r.Letter.VoidReason, &r.CreatedBy); err != nil {
			rows.Close()
			return nil, fmt.Errorf("letters: %w", err)
		}
		r.Letter.Names = strings.Split(names, "、")
		fmt.Sscanf(dues, "%d-%d", &r.Letter.DuesYear, &r.Letter.DuesMonth)
		r.Letter.Date, _ = time.ParseInLocation("2006-01-02", date, app.Shanghai)
		r.VoidedAt = parseTime(voided)
		r.Letter.Voided = !r.VoidedAt.IsZero()
		out = append(out, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for i := range out {
		var err error
		if out[i].Issuer, err = t.orgFullName(out[i].IssuerOrg); err != nil {
			return nil, err
		}
		lr, err := t.tx.QueryContext(t.ctx, "SELECT transfer_id FROM letter_transfers WHERE letter_id = ? ORDER BY transfer_id", out[i].ID)
		if err != nil {
			return nil, err
		}
		for lr.Next() {
			var id int64
			if err := lr.Scan(&id); err != nil {
				lr.Close()
				return nil, err
			}
			out[i].Transfers = append(out[i].Transfers, id)
		}
		lr.Close()
	}
	return out, nil
}

func (t *txn) VoidLetter(id int64, reason string, at time.Time) error {
	var voided string
	err := t.tx.QueryRowContext(t.ctx, "SELECT voided_at FROM letters WHERE id = ?", id).Scan(&voided)
	if errors.Is(err, sql.ErrNoRows) {
		return app.Errorf(app.ENotFound, "没有这封介绍信。")
	}
	if err != nil {
		return fmt.Errorf("void letter: %w", err)
	}
	if voided != "" {
		return app.Errorf(app.EConflict, "这封介绍信已经作废过了（%s），不能重复作废。", parseTime(voided).Format("2006-01-02"))
	}
	_, err = t.exec("UPDATE letters SET voided_at = ?, void_reason = ? WHERE id = ?", fmtTime(at), reason, id)
	return err
}

func (t *txn) LateEntries(underPath string) ([]app.OrgCount, error) {
	rows, err := t.tx.QueryContext(t.ctx, `SELECT m.org_id, count(*) FROM members m JOIN orgs o ON o.id = m.org_id
		WHERE m.developed_on <> '' AND m.status = '在团' AND o.path >= ? AND o.path < ?
		AND substr(m.created_at, 1, 10) > date(m.developed_on, '+1 month') GROUP BY m.org_id ORDER BY m.org_id`, underPath, underPath+"~")
	if err != nil {
		return nil, fmt.Errorf("late entries: %w", err)
	}
	type pair struct {
		id int64
		n  int
	}
	var ps []pair
	for rows.Next() {
		var p pair
		if err := rows.Scan(&p.id, &p.n); err != nil {
			rows.Close()
			return nil, err
		}
		ps = append(ps, p)
	}
	rows.Close()
	var out []app.OrgCount
	for _, p := range ps {
		o, err := t.Org(p.id)
		if err != nil {
			return nil, err
		}
		out = append(out, app.OrgCount{Org: o, Count: p.n})
	}
	return out, rows.Err()
}

func (t *txn) UnmarkedBranches(underPath string) ([]app.Org, error) {
	rows, err := t.tx.QueryContext(t.ctx, "SELECT "+orgCols+` FROM orgs o WHERE o.kind = '团支部' AND o.category = '普通'
		AND o.grad_month = '' AND o.grad_reason = '' AND o.path >= ? AND o.path < ? ORDER BY o.path`, underPath, underPath+"~")
	if err != nil {
		return nil, fmt.Errorf("unmarked branches: %w", err)
	}
	var out []app.Org
	for rows.Next() {
		o, err := scanOrg(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, o)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for i := range out {
		if out[i].FullName, err = t.orgFullName(out[i].ID); err != nil {
			return nil, err
		}
	}
	return out, nil
}
