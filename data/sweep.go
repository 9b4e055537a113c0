package data

import (
	"fmt"
	"time"
	"tuanwu/app"
)

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

// defaultRound applies one round of default approvals: the due steps are
// gathered once, then every table changes in one statement per kind of
// change. It returns how many steps it approved and transfers it finished.
func (t *txn) defaultRound(now time.Time, note string) (defaulted, finished int, err error) {
	if defaulted, err = t.gatherDue(now); err != nil || defaulted == 0 {
		return 0, 0, err
	}
	if err := t.sweepExec(closeDueSQL, app.OutcomeDefault, note); err != nil {
		return 0, 0, err
	}
	if err := t.sweepExec(openNextSQL, app.StepAssign); err != nil {
		return 0, 0, err
	}
	if err := t.nameEndpoints(); err != nil {
		return 0, 0, err
	}
	if err := t.countArrivals(); err != nil {
		return 0, 0, err
	}
	for _, st := range moveMembers {
		if err := t.sweepExec(st.sql, st.args...); err != nil {
			return 0, 0, err
		}
	}
	if err := t.sweepExec(settleSQL, app.StateDone, app.StateAssigning, app.StepAssign); err != nil {
		return 0, 0, err
	}
	if err := t.tx.QueryRowContext(t.ctx, "SELECT count(*) FROM temp.sweep_due WHERE next_kind IS NULL").Scan(&finished); err != nil {
		return 0, 0, err
	}
	if err := t.sweepExec(auditDefaultsSQL, app.OutcomeDefault, app.StatusDeparted, app.StepAssign, app.StateAssigning, app.StateApproving); err != nil {
		return 0, 0, err
	}
	return defaulted, finished, nil
}

func (t *txn) sweepExec(q string, args ...any) error {
	_, err := t.exec(q, args...)
	return err
}

// gatherDue fills sweep_due with the steps due at now and returns how many.
// They are read in the order of their ids (the due-date index gives the
// ids, the rows are then visited in table order rather than by date).
func (t *txn) gatherDue(now time.Time) (int, error) {
	if _, err := t.exec("DELETE FROM temp.sweep_due; DELETE FROM temp.sweep_names"); err != nil {
		return 0, err
	}
	res, err := t.exec(gatherDueSQL, app.StatusActive, fmtTime(now))
	if err != nil {
		return 0, err
	}
	n, err := res.RowsAffected()
	return int(n), err
}

// gatherDueSQL selects the due steps, with the kind of the step that
// follows and, for the transfers that end here, where their members are
// now and whether the target lies outside this store (R-W1), in one pass.
const gatherDueSQL = `INSERT INTO temp.sweep_due (step_id, transfer_id, seq, kind, due_at, next_kind, id_no, name, from_org, to_org,
		member_id, old_org, active, status, to_out)
	SELECT s.id, s.transfer_id, s.seq, s.kind, s.due_at, n.kind, tr.id_no, tr.name, tr.from_org, tr.to_org,
		m.id, m.org_id, m.status = ?, m.status, n.id IS NULL AND ifnull(o.outside, 0) <> 0
	FROM transfer_steps s JOIN transfers tr ON tr.id = s.transfer_id
		LEFT JOIN transfer_steps n ON n.transfer_id = s.transfer_id AND n.seq = s.seq + 1
		LEFT JOIN members m ON m.id_no = tr.id_no AND n.id IS NULL
		LEFT JOIN orgs o ON o.id = tr.to_org AND n.id IS NULL
	WHERE s.id IN (SELECT id FROM transfer_steps WHERE opened_at <> '' AND acted_at = '' AND due_at <> '' AND due_at <= ?)
	ORDER BY s.id`

// closeDueSQL records the due steps as approved by 系统 on their due date.
const closeDueSQL = `UPDATE transfer_steps SET acted_at = due_at, outcome = ?, actor = '系统', note = ?
	WHERE id IN (SELECT step_id FROM temp.sweep_due)`

// openNextSQL opens the steps that follow on that date, due 15 days later
// (分配团支部 never due).
var openNextSQL = `UPDATE transfer_steps SET opened_at = d.due_at,
		due_at = CASE WHEN d.next_kind = ? THEN '' ELSE date(substr(d.due_at, 1, 10), '+` + fmt.Sprint(app.StepDays) + ` days') || substr(d.due_at, 11) END
	FROM temp.sweep_due d WHERE d.next_kind IS NOT NULL AND transfer_steps.transfer_id = d.transfer_id AND transfer_steps.seq = d.seq + 1`

// nameEndpoints puts the full names of the organizations that the ending
// transfers leave and reach in sweep_names, for the audit trail.
func (t *txn) nameEndpoints() error {
	ids, err := t.int64s(`SELECT DISTINCT org FROM (SELECT old_org AS org FROM temp.sweep_due WHERE next_kind IS NULL
		UNION ALL SELECT to_org FROM temp.sweep_due WHERE next_kind IS NULL
		UNION ALL SELECT from_org FROM temp.sweep_due WHERE next_kind IS NULL AND member_id IS NULL) WHERE org IS NOT NULL`)
	if err != nil {
		return err
	}
	for _, id := range ids {
		full, err := t.orgFullName(id)
		if err != nil {
			return err
		}
		if _, err := t.exec("INSERT INTO temp.sweep_names (id, full) VALUES (?, ?)", id, full); err != nil {
			return err
		}
	}
	return nil
}

// countArrivals keeps the member counts, once per organization: active
// members leave their organization; they, people received from outside
// (R-W4) and members coming back (R-W3) join the target when it is ours.
func (t *txn) countArrivals() error {
	rows, err := t.tx.QueryContext(t.ctx, `SELECT org, sum(delta) FROM (
			SELECT old_org AS org, -count(*) AS delta FROM temp.sweep_due WHERE next_kind IS NULL AND active AND to_org IS NOT NULL AND old_org <> to_org GROUP BY old_org
			UNION ALL SELECT to_org, count(*) FROM temp.sweep_due WHERE next_kind IS NULL AND NOT to_out AND to_org IS NOT NULL
				AND ((active AND old_org <> to_org) OR member_id IS NULL OR status = ?) GROUP BY to_org)
		GROUP BY org HAVING sum(delta) <> 0 ORDER BY org`, app.StatusDeparted)
	if err != nil {
		return err
	}
	type change struct {
		org   int64
		delta int
	}
	var changes []change
	for rows.Next() {
		var c change
		if err := rows.Scan(&c.org, &c.delta); err != nil {
			rows.Close()
			return err
		}
		changes = append(changes, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, c := range changes {
		if err := t.addCount(c.org, c.delta); err != nil {
			return err
		}
	}
	return nil
}

// moveMembers are the statements that move the members of the transfers
// that end here.
var moveMembers = []struct {
	sql  string
	args []any
}{
	// The members move to the target, but for those leaving for outside
	// and those coming back (below).
	{`UPDATE members SET org_id = d.to_org, updated_at = d.due_at
		FROM temp.sweep_due d WHERE members.id = d.member_id AND d.next_kind IS NULL AND d.to_org IS NOT NULL
			AND NOT (d.to_out AND d.active) AND d.status <> ?`, []any{app.StatusDeparted}},
	// R-W3: members leaving for an outside organization stay as 已转出,
	// with the branch they left kept as text.
	{`UPDATE members SET org_id = d.to_org, updated_at = d.due_at, status = ?, left_at = d.due_at,
			left_to = (SELECT o.name FROM orgs o WHERE o.id = d.to_org), left_from = ifnull(b.full, ''),
			left_path = ifnull((SELECT o.path FROM orgs o WHERE o.id = d.old_org), ''), left_transfer = d.transfer_id
		FROM temp.sweep_due d LEFT JOIN temp.sweep_names b ON b.id = d.old_org
		WHERE members.id = d.member_id AND d.next_kind IS NULL AND d.to_out AND d.active`, []any{app.StatusDeparted}},
	// R-W3: members coming back are the same record again.
	{`UPDATE members SET org_id = d.to_org, updated_at = d.due_at, status = ?, left_at = '', left_to = '',
			left_from = '', left_path = '', left_transfer = 0
		FROM temp.sweep_due d WHERE members.id = d.member_id AND d.next_kind IS NULL AND d.to_org IS NOT NULL AND NOT d.to_out AND d.status = ?`,
		[]any{app.StatusActive, app.StatusDeparted}},
	// R-W4: a person received from outside becomes a member, with the
	// other fields of the record still to complete.
	{`INSERT INTO members (org_id, name, id_no, political, status, created_at, updated_at, incomplete)
		SELECT d.to_org, d.name, d.id_no, ?, ?, d.due_at, d.due_at, 1 FROM temp.sweep_due d
		WHERE d.next_kind IS NULL AND d.member_id IS NULL AND d.to_org IS NOT NULL AND NOT d.to_out ORDER BY d.ord`,
		[]any{app.PoliticalStatuses[0], app.StatusActive}},
}

// settleSQL sets the transfers' states: finished, or waiting for 分配团支部.
const settleSQL = `UPDATE transfers SET state = CASE WHEN d.next_kind IS NULL THEN ? ELSE ? END,
		finished_at = CASE WHEN d.next_kind IS NULL THEN d.due_at ELSE finished_at END
	FROM temp.sweep_due d WHERE transfers.id = d.transfer_id AND (d.next_kind IS NULL OR d.next_kind = ?)`

// auditDefaultsSQL writes one audit entry per step, as advance writes it:
// the state it leaves, or the member's organization before → after when it
// ends the transfer. Within a round they go in by member (each member's own
// entries stay in order), which keeps the member index's inserts in key order.
const auditDefaultsSQL = `INSERT INTO audit (at, actor, action, object, org_id, member, before, after)
	SELECT d.due_at, '系统', d.kind || ?, '转接第 ' || d.transfer_id || ' 号 ' || d.name || '（' || ` + maskSQL + ` || '）', d.from_org, d.id_no,
		CASE WHEN d.next_kind IS NULL THEN ifnull(b.full, ifnull(f.full, '')) ELSE '' END,
		CASE WHEN d.next_kind IS NULL AND d.to_out THEN ? || '：' || ifnull(a.full, '') WHEN d.next_kind IS NULL THEN ifnull(a.full, '')
			WHEN d.next_kind = ? THEN ? ELSE ? END
	FROM temp.sweep_due d LEFT JOIN temp.sweep_names b ON b.id = d.old_org LEFT JOIN temp.sweep_names a ON a.id = d.to_org
		LEFT JOIN temp.sweep_names f ON f.id = d.from_org AND d.member_id IS NULL
	ORDER BY d.id_no, d.ord`

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
