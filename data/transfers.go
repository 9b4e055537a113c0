package data

import (
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"tuanwu/app"
)

const transferCols = `id, id_no, name, from_org, ifnull(to_org, 0), reason, scope, unit, address, remark, keep_until,
	abroad_place, abroad_period, contact, contact_phone, initiator, started_by, state, reject_reason, created_at, finished_at,
	from_name, to_name, from_path, grad_month`

func scanTransfer(sc interface{ Scan(...any) error }) (app.Transfer, error) {
	var t app.Transfer
	var created, finished string
	err := sc.Scan(&t.No, &t.IDNo, &t.Name, &t.FromOrg, &t.ToOrg, &t.Reason, &t.Scope, &t.Unit, &t.Address, &t.Remark, &t.KeepUntil,
		&t.AbroadPlace, &t.AbroadPeriod, &t.Contact, &t.ContactPhone, &t.Initiator, &t.StartedBy, &t.State, &t.RejectReason, &created, &finished,
		&t.FromName, &t.ToName, &t.FromPath, &t.GradMonth)
	t.CreatedAt, t.FinishedAt = parseTime(created), parseTime(finished)
	return t, err
}

const stepCols = "id, transfer_id, seq, kind, org_id, opened_at, due_at, reminded_at, acted_at, outcome, actor, note, org_name, learned_on"

func scanStep(sc interface{ Scan(...any) error }) (app.Step, error) {
	var s app.Step
	var opened, due, reminded, acted string
	err := sc.Scan(&s.ID, &s.Transfer, &s.Seq, &s.Kind, &s.OrgID, &opened, &due, &reminded, &acted, &s.Outcome, &s.Actor, &s.Note, &s.OrgName, &s.LearnedOn)
	s.OpenedAt, s.DueAt, s.RemindedAt, s.ActedAt = parseTime(opened), parseTime(due), parseTime(reminded), parseTime(acted)
	return s, err
}

// snapshot returns an organization's full path to keep beside a transfer,
// "" for none.
func (t *txn) snapshot(id int64) (string, error) {
	if id == 0 {
		return "", nil
	}
	return t.orgFullName(id)
}

func (t *txn) InsertTransfer(tr *app.Transfer) error {
	fromName, err := t.snapshot(tr.FromOrg)
	if err != nil {
		return err
	}
	toName, err := t.snapshot(tr.ToOrg)
	if err != nil {
		return err
	}
	ins, err := t.stmt(`INSERT INTO transfers (id_no, name, from_org, to_org, reason, scope, unit, address, remark, keep_until,
		abroad_place, abroad_period, contact, contact_phone, initiator, started_by, state, reject_reason, created_at, finished_at,
		from_name, to_name, from_path, grad_month)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return err
	}
	res, err := ins.ExecContext(t.ctx, tr.IDNo, tr.Name, tr.FromOrg, nullID(tr.ToOrg), tr.Reason, tr.Scope, tr.Unit, tr.Address, tr.Remark, tr.KeepUntil,
		tr.AbroadPlace, tr.AbroadPeriod, tr.Contact, tr.ContactPhone, tr.Initiator, tr.StartedBy, tr.State, tr.RejectReason,
		fmtTime(tr.CreatedAt), fmtTime(tr.FinishedAt), fromName, toName, tr.FromPath, tr.GradMonth)
	if err != nil {
		return fmt.Errorf("insert transfer: %w", err)
	}
	if tr.No, err = res.LastInsertId(); err != nil {
		return err
	}
	st, err := t.stmt(`INSERT INTO transfer_steps (transfer_id, seq, kind, org_id, opened_at, due_at, reminded_at, acted_at, outcome, actor, note, org_name)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return err
	}
	for i := range tr.Steps {
		s := &tr.Steps[i]
		s.Transfer = tr.No
		orgName, err := t.snapshot(s.OrgID)
		if err != nil {
			return err
		}
		r, err := st.ExecContext(t.ctx, s.Transfer, s.Seq, s.Kind, s.OrgID, fmtTime(s.OpenedAt), fmtTime(s.DueAt), fmtTime(s.RemindedAt),
			fmtTime(s.ActedAt), s.Outcome, s.Actor, s.Note, orgName)
		if err != nil {
			return fmt.Errorf("insert step: %w", err)
		}
		if s.ID, err = r.LastInsertId(); err != nil {
			return err
		}
	}
	return nil
}

// InsertTransfers stores many new transfers with their steps, a few
// hundred rows per statement, and sets their numbers and step IDs. The
// rows of one statement get consecutive IDs: the writer holds the lock and
// SQLite gives each new row the largest ID plus one.
func (t *txn) InsertTransfers(list []*app.Transfer) error {
	const cols = `id_no, name, from_org, to_org, reason, scope, unit, address, remark, keep_until,
		abroad_place, abroad_period, contact, contact_phone, initiator, started_by, state, reject_reason, created_at, finished_at,
		from_name, to_name, from_path, grad_month`
	const per = 1000
	var (
		box, sbox [24]any     // each column's last value, boxed (boxed)
		times     [6]timeText // the times' texts, remembered
	)
	for start := 0; start < len(list); start += per {
		chunk := list[start:min(start+per, len(list))]
		args := make([]any, 0, len(chunk)*24)
		for _, tr := range chunk {
			fromName, err := t.snapshot(tr.FromOrg)
			if err != nil {
				return err
			}
			toName, err := t.snapshot(tr.ToOrg)
			if err != nil {
				return err
			}
			var to any
			if tr.ToOrg != 0 {
				to = boxed(&box[3], tr.ToOrg)
			}
			args = append(args, boxed(&box[0], tr.IDNo), boxed(&box[1], tr.Name), boxed(&box[2], tr.FromOrg), to,
				boxed(&box[4], tr.Reason), boxed(&box[5], tr.Scope), boxed(&box[6], tr.Unit), boxed(&box[7], tr.Address),
				boxed(&box[8], tr.Remark), boxed(&box[9], tr.KeepUntil), boxed(&box[10], tr.AbroadPlace), boxed(&box[11], tr.AbroadPeriod),
				boxed(&box[12], tr.Contact), boxed(&box[13], tr.ContactPhone), boxed(&box[14], tr.Initiator), boxed(&box[15], tr.StartedBy),
				boxed(&box[16], tr.State), boxed(&box[17], tr.RejectReason), boxed(&box[18], times[0].of(tr.CreatedAt)),
				boxed(&box[19], times[1].of(tr.FinishedAt)), boxed(&box[20], fromName), boxed(&box[21], toName),
				boxed(&box[22], tr.FromPath), boxed(&box[23], tr.GradMonth))
		}
		last, err := t.insertRows("transfers", cols, 24, len(chunk), args)
		if err != nil {
			return fmt.Errorf("insert transfers: %w", err)
		}
		var steps []*app.Step
		sargs := make([]any, 0, len(chunk)*12)
		for i, tr := range chunk {
			tr.No = last - int64(len(chunk)-1-i)
			for j := range tr.Steps {
				s := &tr.Steps[j]
				s.Transfer = tr.No
				orgName, err := t.snapshot(s.OrgID)
				if err != nil {
					return err
				}
				sargs = append(sargs, s.Transfer, boxed(&sbox[1], s.Seq), boxed(&sbox[2], s.Kind), boxed(&sbox[3], s.OrgID),
					boxed(&sbox[4], times[2].of(s.OpenedAt)), boxed(&sbox[5], times[3].of(s.DueAt)), boxed(&sbox[6], times[4].of(s.RemindedAt)),
					boxed(&sbox[7], times[5].of(s.ActedAt)), boxed(&sbox[8], s.Outcome), boxed(&sbox[9], s.Actor), boxed(&sbox[10], s.Note),
					boxed(&sbox[11], orgName))
				steps = append(steps, s)
			}
		}
		for s0 := 0; s0 < len(steps); s0 += per {
			n := min(per, len(steps)-s0)
			last, err := t.insertRows("transfer_steps", "transfer_id, seq, kind, org_id, opened_at, due_at, reminded_at, acted_at, outcome, actor, note, org_name",
				12, n, sargs[s0*12:(s0+n)*12])
			if err != nil {
				return fmt.Errorf("insert steps: %w", err)
			}
			for i := 0; i < n; i++ {
				steps[s0+i].ID = last - int64(n-1-i)
			}
		}
	}
	return nil
}

// boxed returns v as an interface value, the one in last when that holds
// v already: a column whose value repeats row after row is boxed (and
// allocated) once.
func boxed[T comparable](last *any, v T) any {
	if l, ok := (*last).(T); ok && l == v {
		return *last
	}
	*last = v
	return *last
}

// timeText formats times as stored, remembering the last one: the rows
// of one write share their times.
type timeText struct {
	t  time.Time
	s  string
	ok bool
}

func (c *timeText) of(tm time.Time) string {
	if !c.ok || tm != c.t {
		c.t, c.s, c.ok = tm, fmtTime(tm), true
	}
	return c.s
}

// insertRows inserts n rows of width values into table in one statement
// and returns the last row's ID. A column whose value is the same in every
// row (the reason, the date, who acted, ...) is bound once, as a numbered
// parameter that every row names.
func (t *txn) insertRows(table, cols string, width, n int, args []any) (int64, error) {
	var vals []any
	// The statement's shape: the table, columns, rows and which columns are constant.
	shape := make([]byte, 0, len(table)+len(cols)+width+8)
	shape = append(strconv.AppendInt(append(append(append(shape, table...), ' '), cols...), int64(n), 10), ' ')
	for c := 0; c < width; c++ {
		same := n > 1
		for r := 1; r < n && same; r++ {
			same = args[r*width+c] == args[c]
		}
		if same {
			vals = append(vals, args[c])
			shape = append(shape, 'c')
		} else {
			shape = append(shape, 'v')
		}
	}
	consts := len(vals)
	vals = slices.Grow(vals, n*(width-consts))
	for r := 0; r < n; r++ {
		for c := 0; c < width; c++ {
			if shape[len(shape)-width+c] == 'v' {
				vals = append(vals, args[r*width+c])
			}
		}
	}
	q, ok := t.rowsSQL[string(shape)]
	if !ok {
		q = rowsSQL(table, cols, width, n, shape[len(shape)-width:])
		if t.rowsSQL == nil {
			t.rowsSQL = map[string]string{}
		}
		t.rowsSQL[string(shape)] = q
	}
	st, err := t.stmt(q)
	if err != nil {
		return 0, err
	}
	res, err := st.ExecContext(t.ctx, vals...)
	if err != nil {
		return 0, mapErr(err)
	}
	return res.LastInsertId()
}

// rowsSQL is the INSERT of insertRows: n rows of width values, the
// columns marked 'c' in shape bound once (numbered first, in column order),
// the others row by row.
func rowsSQL(table, cols string, width, n int, shape []byte) string {
	var q strings.Builder
	param := make([]string, width)
	next := 1
	for c := range width {
		if shape[c] == 'c' {
			param[c] = "?" + strconv.Itoa(next)
			next++
		}
	}
	q.Grow(len(table) + len(cols) + 32 + n*width*7)
	q.WriteString("INSERT INTO " + table + " (" + cols + ") VALUES ")
	for r := 0; r < n; r++ {
		if r > 0 {
			q.WriteByte(',')
		}
		q.WriteByte('(')
		for c := 0; c < width; c++ {
			if c > 0 {
				q.WriteByte(',')
			}
			if param[c] != "" {
				q.WriteString(param[c])
				continue
			}
			q.WriteByte('?')
			q.WriteString(strconv.Itoa(next))
			next++
		}
		q.WriteByte(')')
	}
	return q.String()
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
		st, err := t.stmt("SELECT " + stepCols + " FROM transfer_steps WHERE transfer_id IN (" + placeholders(end-start) + ") ORDER BY transfer_id, seq")
		if err != nil {
			return err
		}
		rows, err := st.QueryContext(t.ctx, ids[start:end]...)
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
	for start := 0; start < len(ids); start += 500 {
		end := min(start+500, len(ids))
		st, err := t.stmt(`SELECT lt.transfer_id, l.no FROM letter_transfers lt JOIN letters l ON l.id = lt.letter_id
			WHERE lt.transfer_id IN (` + placeholders(end-start) + `) ORDER BY l.id`)
		if err != nil {
			return err
		}
		rows, err := st.QueryContext(t.ctx, ids[start:end]...)
		if err != nil {
			return fmt.Errorf("letters of transfers: %w", err)
		}
		for rows.Next() {
			var tid int64
			var no int
			if err := rows.Scan(&tid, &no); err != nil {
				rows.Close()
				return err
			}
			list[idx[tid]].Letters = append(list[idx[tid]].Letters, no)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
	}
	for i := range list {
		tr := &list[i]
		var err error
		if tr.FromName, tr.FromOut, err = t.orgLabel(tr.FromOrg, tr.FromName); err != nil {
			return err
		}
		if tr.ToOrg != 0 {
			if tr.ToName, tr.ToOut, err = t.orgLabel(tr.ToOrg, tr.ToName); err != nil {
				return err
			}
		}
		for j := range tr.Steps {
			s := &tr.Steps[j]
			if s.OrgName, s.Outside, err = t.orgLabel(s.OrgID, s.OrgName); err != nil {
				return err
			}
		}
	}
	return nil
}

// orgLabel returns an organization's full name and whether it is outside
// (R-W1); for one deleted since (R-O4), the name kept when it was recorded.
func (t *txn) orgLabel(id int64, kept string) (string, bool, error) {
	outside, known := t.outsideOrgs[id]
	if !known {
		st, err := t.stmt("SELECT outside FROM orgs WHERE id = ?")
		if err != nil {
			return "", false, err
		}
		err = st.QueryRowContext(t.ctx, id).Scan(&outside)
		if errors.Is(err, sql.ErrNoRows) {
			return kept, false, nil
		}
		if err != nil {
			return "", false, fmt.Errorf("org %d: %w", id, err)
		}
		if t.outsideOrgs == nil {
			t.outsideOrgs = map[int64]bool{}
		}
		t.outsideOrgs[id] = outside
	}
	name, err := t.orgFullName(id)
	return name, outside, err
}

func (t *txn) queryTransfers(q string, args ...any) ([]app.Transfer, error) {
	st, err := t.stmt(q)
	if err != nil {
		return nil, err
	}
	rows, err := st.QueryContext(t.ctx, args...)
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
	toName, err := t.snapshot(tr.ToOrg)
	if err != nil {
		return err
	}
	res, err := t.exec(`UPDATE transfers SET to_org = ?, state = ?, reject_reason = ?, finished_at = ?, keep_until = ?, to_name = ? WHERE id = ?`,
		nullID(tr.ToOrg), tr.State, tr.RejectReason, fmtTime(tr.FinishedAt), tr.KeepUntil, toName, tr.No)
	if err != nil {
		return fmt.Errorf("update transfer: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return app.Errorf(app.ENotFound, "没有编号为 %d 的组织关系转接。", tr.No)
	}
	return nil
}

func (t *txn) UpdateStep(s app.Step) error {
	st, err := t.stmt(`UPDATE transfer_steps SET opened_at = ?, due_at = ?, reminded_at = ?, acted_at = ?, outcome = ?, actor = ?, note = ?, learned_on = ? WHERE id = ?`)
	if err != nil {
		return err
	}
	if _, err := st.ExecContext(t.ctx, fmtTime(s.OpenedAt), fmtTime(s.DueAt), fmtTime(s.RemindedAt), fmtTime(s.ActedAt), s.Outcome, s.Actor, s.Note, s.LearnedOn, s.ID); err != nil {
		return fmt.Errorf("update step: %w", err)
	}
	return nil
}

func (t *txn) OpenTransfer(idNo string) (app.Transfer, error) {
	// A member has at most one; the newest is taken should there be more.
	// No ORDER BY: the member's index finds them, a sort would cost more
	// than the search in a bulk start.
	list, err := t.queryTransfers("SELECT "+transferCols+" FROM transfers WHERE id_no = ? AND +state IN ('"+app.StateApproving+"', '"+
		app.StateAssigning+"', '"+app.StateKept+"')", idNo)
	if err != nil {
		return app.Transfer{}, err
	}
	if len(list) == 0 {
		return app.Transfer{}, app.Errorf(app.ENotFound, "该团员没有正在办理的组织关系转接。")
	}
	newest := list[0]
	for _, tr := range list[1:] {
		if tr.No > newest.No {
			newest = tr
		}
	}
	return newest, nil
}

func (t *txn) Transfers(f app.TransferFilter) ([]app.Transfer, error) {
	q := "SELECT " + transferCols + " FROM transfers tr WHERE 1=1"
	var args []any
	if len(f.UnderPaths) > 0 {
		var ors []string
		for _, p := range f.UnderPaths {
			ors = append(ors, `(tr.from_path >= ? AND tr.from_path < ?) OR tr.to_org IN (SELECT id FROM orgs WHERE path >= ? AND path < ?)`)
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
		WHERE m.developed_on <> '' AND m.status = `+sqlActive+` AND o.path >= ? AND o.path < ?
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
	rows, err := t.tx.QueryContext(t.ctx, "SELECT "+orgCols+` FROM orgs o WHERE o.kind = `+sqlBranch+` AND o.category = `+sqlNormal+`
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

// sweepTemp holds, per sweep round, the steps being approved by default
// with what the later statements need: their transfer and member, where the
// member is now, and the kind of the step that follows (NULL: the last).
const sweepTemp = `CREATE TEMP TABLE IF NOT EXISTS sweep_due (
	ord         INTEGER PRIMARY KEY,
	step_id     INTEGER NOT NULL,
	transfer_id INTEGER NOT NULL,
	seq         INTEGER NOT NULL,
	kind        TEXT    NOT NULL,
	due_at      TEXT    NOT NULL,
	next_kind   TEXT,
	id_no       TEXT    NOT NULL,
	name        TEXT    NOT NULL,
	from_org    INTEGER NOT NULL,
	to_org      INTEGER,
	member_id   INTEGER,
	old_org     INTEGER,
	active      INTEGER,
	status      TEXT,
	to_out      INTEGER NOT NULL DEFAULT 0
);
CREATE TEMP TABLE IF NOT EXISTS sweep_names (id INTEGER PRIMARY KEY, full TEXT NOT NULL);`

// maskSQL is app.MaskID in SQL: the birth date of an 18-character 身份证号 hidden.
const maskSQL = `CASE WHEN length(d.id_no) = 18 AND substr(d.id_no, 1, 17) NOT GLOB '*[^0-9]*'
	THEN substr(d.id_no, 1, 6) || '********' || substr(d.id_no, 15) ELSE d.id_no END`

// DefaultDueSteps applies the 15-day default approval (R-T4) set-wise, in
// rounds: each round takes every open approval step due at or before now,
// records it as 系统默认通过 by 系统 on its due date, opens the step after
// it on that date (due 15 days later; 分配团支部 never due), finishes the
// transfers that end there by moving their members (keeping the member
// counts), and writes one audit entry per step, as advance does for one
// step. A step opened by a round that is itself due is taken by the next.
func (t *txn) DefaultDueSteps(now time.Time, note string) (int, int, error) {
	if _, err := t.exec(sweepTemp); err != nil {
		return 0, 0, fmt.Errorf("sweep: %w", err)
	}
	defaulted, finished := 0, 0
	for {
		d, f, err := t.defaultRound(now, note)
		if err != nil {
			return 0, 0, fmt.Errorf("sweep: %w", err)
		}
		if d == 0 {
			return defaulted, finished, nil
		}
		defaulted, finished = defaulted+d, finished+f
	}
}

func (t *txn) defaultRound(now time.Time, note string) (int, int, error) {
	if _, err := t.exec("DELETE FROM temp.sweep_due; DELETE FROM temp.sweep_names"); err != nil {
		return 0, 0, err
	}
	// The due steps, with the kind of the step that follows and, for the
	// transfers that end here, where their members are now and whether the
	// target lies outside this store (R-W1), in one pass.
	res, err := t.exec(`INSERT INTO temp.sweep_due (step_id, transfer_id, seq, kind, due_at, next_kind, id_no, name, from_org, to_org,
			member_id, old_org, active, status, to_out)
		SELECT s.id, s.transfer_id, s.seq, s.kind, s.due_at, n.kind, tr.id_no, tr.name, tr.from_org, tr.to_org,
			m.id, m.org_id, m.status = ?, m.status, n.id IS NULL AND ifnull(o.outside, 0) <> 0
		FROM transfer_steps s JOIN transfers tr ON tr.id = s.transfer_id
			LEFT JOIN transfer_steps n ON n.transfer_id = s.transfer_id AND n.seq = s.seq + 1
			LEFT JOIN members m ON m.id_no = tr.id_no AND n.id IS NULL
			LEFT JOIN orgs o ON o.id = tr.to_org AND n.id IS NULL
		WHERE s.opened_at <> '' AND s.acted_at = '' AND s.due_at <> '' AND s.due_at <= ?
		ORDER BY s.due_at, s.id`, app.StatusActive, fmtTime(now))
	if err != nil {
		return 0, 0, err
	}
	n, err := res.RowsAffected()
	if err != nil || n == 0 {
		return 0, 0, err
	}
	// The steps themselves, and the steps that follow, opened on the due date.
	if _, err := t.exec(`UPDATE transfer_steps SET acted_at = due_at, outcome = ?, actor = '系统', note = ?
		WHERE id IN (SELECT step_id FROM temp.sweep_due)`, app.OutcomeDefault, note); err != nil {
		return 0, 0, err
	}
	if _, err := t.exec(`UPDATE transfer_steps SET opened_at = d.due_at,
			due_at = CASE WHEN d.next_kind = ? THEN '' ELSE date(substr(d.due_at, 1, 10), '+`+fmt.Sprint(app.StepDays)+` days') || substr(d.due_at, 11) END
		FROM temp.sweep_due d WHERE d.next_kind IS NOT NULL AND transfer_steps.transfer_id = d.transfer_id AND transfer_steps.seq = d.seq + 1`,
		app.StepAssign); err != nil {
		return 0, 0, err
	}
	// The transfers that end here: the organizations' names for the audit
	// trail, the member counts, then the members move.
	ids, err := t.int64s(`SELECT DISTINCT org FROM (SELECT old_org AS org FROM temp.sweep_due WHERE next_kind IS NULL
		UNION ALL SELECT to_org FROM temp.sweep_due WHERE next_kind IS NULL
		UNION ALL SELECT from_org FROM temp.sweep_due WHERE next_kind IS NULL AND member_id IS NULL) WHERE org IS NOT NULL`)
	if err != nil {
		return 0, 0, err
	}
	for _, id := range ids {
		full, err := t.orgFullName(id)
		if err != nil {
			return 0, 0, err
		}
		if _, err := t.exec("INSERT INTO temp.sweep_names (id, full) VALUES (?, ?)", id, full); err != nil {
			return 0, 0, err
		}
	}
	// Counted members: the active ones leave their organization; they,
	// people received from outside (R-W4) and members coming back (R-W3)
	// join the target when it is ours.
	rows, err := t.tx.QueryContext(t.ctx, `SELECT org, sum(delta) FROM (
			SELECT old_org AS org, -count(*) AS delta FROM temp.sweep_due WHERE next_kind IS NULL AND active AND to_org IS NOT NULL AND old_org <> to_org GROUP BY old_org
			UNION ALL SELECT to_org, count(*) FROM temp.sweep_due WHERE next_kind IS NULL AND NOT to_out AND to_org IS NOT NULL
				AND ((active AND old_org <> to_org) OR member_id IS NULL OR status = ?) GROUP BY to_org)
		GROUP BY org HAVING sum(delta) <> 0 ORDER BY org`, app.StatusDeparted)
	if err != nil {
		return 0, 0, err
	}
	deltas := map[int64]int{}
	var order []int64
	for rows.Next() {
		var org int64
		var delta int
		if err := rows.Scan(&org, &delta); err != nil {
			rows.Close()
			return 0, 0, err
		}
		deltas[org] = delta
		order = append(order, org)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, 0, err
	}
	for _, org := range order {
		if err := t.addCount(org, deltas[org]); err != nil {
			return 0, 0, err
		}
	}
	if _, err := t.exec(`UPDATE members SET org_id = d.to_org, updated_at = d.due_at
		FROM temp.sweep_due d WHERE members.id = d.member_id AND d.next_kind IS NULL AND d.to_org IS NOT NULL
			AND NOT (d.to_out AND d.active) AND d.status <> ?`, app.StatusDeparted); err != nil {
		return 0, 0, err
	}
	// R-W3: members leaving for an outside organization stay as 已转出,
	// with the branch they left kept as text; members coming back are the
	// same record again.
	if _, err := t.exec(`UPDATE members SET org_id = d.to_org, updated_at = d.due_at, status = ?, left_at = d.due_at,
			left_to = (SELECT o.name FROM orgs o WHERE o.id = d.to_org), left_from = ifnull(b.full, ''),
			left_path = ifnull((SELECT o.path FROM orgs o WHERE o.id = d.old_org), ''), left_transfer = d.transfer_id
		FROM temp.sweep_due d LEFT JOIN temp.sweep_names b ON b.id = d.old_org
		WHERE members.id = d.member_id AND d.next_kind IS NULL AND d.to_out AND d.active`, app.StatusDeparted); err != nil {
		return 0, 0, err
	}
	if _, err := t.exec(`UPDATE members SET org_id = d.to_org, updated_at = d.due_at, status = ?, left_at = '', left_to = '',
			left_from = '', left_path = '', left_transfer = 0
		FROM temp.sweep_due d WHERE members.id = d.member_id AND d.next_kind IS NULL AND d.to_org IS NOT NULL AND NOT d.to_out AND d.status = ?`,
		app.StatusActive, app.StatusDeparted); err != nil {
		return 0, 0, err
	}
	// R-W4: a person received from outside becomes a member, with the
	// other fields of the record still to complete.
	if _, err := t.exec(`INSERT INTO members (org_id, name, id_no, political, status, created_at, updated_at, incomplete)
		SELECT d.to_org, d.name, d.id_no, ?, ?, d.due_at, d.due_at, 1 FROM temp.sweep_due d
		WHERE d.next_kind IS NULL AND d.member_id IS NULL AND d.to_org IS NOT NULL AND NOT d.to_out ORDER BY d.ord`,
		app.PoliticalStatuses[0], app.StatusActive); err != nil {
		return 0, 0, err
	}
	// The transfers' states: finished, or waiting for 分配团支部.
	if _, err := t.exec(`UPDATE transfers SET state = CASE WHEN d.next_kind IS NULL THEN ? ELSE ? END,
			finished_at = CASE WHEN d.next_kind IS NULL THEN d.due_at ELSE finished_at END
		FROM temp.sweep_due d WHERE transfers.id = d.transfer_id AND (d.next_kind IS NULL OR d.next_kind = ?)`,
		app.StateDone, app.StateAssigning, app.StepAssign); err != nil {
		return 0, 0, err
	}
	var f int
	if err := t.tx.QueryRowContext(t.ctx, "SELECT count(*) FROM temp.sweep_due WHERE next_kind IS NULL").Scan(&f); err != nil {
		return 0, 0, err
	}
	// One audit entry per step, as advance writes it: the state it leaves,
	// or the member's organization before → after when it ends the transfer.
	// Within a round they go in by member (each member's own entries stay in
	// order), which keeps the member index's inserts in key order.
	if _, err := t.exec(`INSERT INTO audit (at, actor, action, object, org_id, member, before, after)
		SELECT d.due_at, '系统', d.kind || ?, '转接第 ' || d.transfer_id || ' 号 ' || d.name || '（' || `+maskSQL+` || '）', d.from_org, d.id_no,
			CASE WHEN d.next_kind IS NULL THEN ifnull(b.full, ifnull(f.full, '')) ELSE '' END,
			CASE WHEN d.next_kind IS NULL AND d.to_out THEN ? || '：' || ifnull(a.full, '') WHEN d.next_kind IS NULL THEN ifnull(a.full, '')
				WHEN d.next_kind = ? THEN ? ELSE ? END
		FROM temp.sweep_due d LEFT JOIN temp.sweep_names b ON b.id = d.old_org LEFT JOIN temp.sweep_names a ON a.id = d.to_org
			LEFT JOIN temp.sweep_names f ON f.id = d.from_org AND d.member_id IS NULL
		ORDER BY d.id_no, d.ord`, app.OutcomeDefault, app.StatusDeparted, app.StepAssign, app.StateAssigning, app.StateApproving); err != nil {
		return 0, 0, err
	}
	return int(n), f, nil
}

func (t *txn) int64s(q string, args ...any) ([]int64, error) {
	rows, err := t.tx.QueryContext(t.ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var v int64
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// RemindSteps marks the open approval steps opened at or before cutoff and
// not yet reminded as reminded at now (R-T4), and returns how many.
func (t *txn) RemindSteps(cutoff, now time.Time) (int, error) {
	res, err := t.exec(`UPDATE transfer_steps SET reminded_at = ?
		WHERE opened_at <> '' AND acted_at = '' AND reminded_at = '' AND opened_at <= ? AND due_at <> ''`, fmtTime(now), fmtTime(cutoff))
	if err != nil {
		return 0, fmt.Errorf("remind steps: %w", err)
	}
	n, err := res.RowsAffected()
	return int(n), err
}

func (t *txn) CountUnmarked(underPath string, names int) (int, []string, error) {
	return t.countNames(`FROM orgs o WHERE o.kind = `+sqlBranch+` AND o.category = `+sqlNormal+` AND o.grad_month = '' AND o.grad_reason = ''
		AND o.path >= ? AND o.path < ?`, "o.name", "o.path", underPath, names)
}

// countNames counts the rows of "FROM … WHERE …" (whose two parameters
// bound a subtree's paths) and returns the first names of them in order.
func (t *txn) countNames(from, name, order, underPath string, names int) (int, []string, error) {
	var n int
	if err := t.tx.QueryRowContext(t.ctx, "SELECT count(*) "+from, underPath, underPath+"~").Scan(&n); err != nil {
		return 0, nil, fmt.Errorf("count: %w", err)
	}
	if n == 0 {
		return 0, nil, nil
	}
	rows, err := t.tx.QueryContext(t.ctx, "SELECT "+name+" "+from+" ORDER BY "+order+" LIMIT ?", underPath, underPath+"~", names)
	if err != nil {
		return 0, nil, fmt.Errorf("names: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return 0, nil, err
		}
		out = append(out, s)
	}
	return n, out, rows.Err()
}
