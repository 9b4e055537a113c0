package data

import (
	"database/sql"
	"fmt"

	"tuanwu/app"
)

// gradSeason selects the graduates of a year under a subtree (R-W6), each
// with the org path that places it and the transfer state that says where
// it stands: (a) active unmarked members of branches marked for the year,
// with their running or kept transfer if any; (b) the finished transfers
// that took one of them out of those branches (a move between two of the
// year's branches is not one; the origin is kept on the transfer, so a
// deleted branch still counts). The year's index on transfers serves (b),
// not the origin's (a school's whole history lies under its path).
var gradSeason = `
	SELECT o.path AS path, '' AS reason,
		ifnull((SELECT t.state FROM transfers t WHERE t.id_no = m.id_no AND t.state IN (?1, ?2, ?3) ORDER BY t.id DESC LIMIT 1), '') AS st
	FROM orgs o JOIN members m ON m.org_id = o.id
	WHERE o.kind = ` + sqlBranch + ` AND o.grad_month >= ?4 AND o.grad_month < ?5 AND o.path >= ?6 AND o.path < ?7
		AND m.status = ?8 AND m.mark = ''
	UNION ALL
	SELECT t.from_path, t.reason, t.state FROM transfers t LEFT JOIN orgs d ON d.id = t.to_org
	WHERE t.grad_month >= ?4 AND t.grad_month < ?5 AND t.grad_month <> '' AND +t.state = ?9 AND +t.from_path >= ?6 AND +t.from_path < ?7
		AND NOT (ifnull(d.grad_month, '') >= ?4 AND ifnull(d.grad_month, '') < ?5)`

func seasonArgs(underPath, year string) []any {
	return []any{app.StateApproving, app.StateAssigning, app.StateKept, year + "-", year + "-~", underPath, underPath + "~",
		app.StatusActive, app.StateDone}
}

func (t *txn) GraduateCounts(underPath, year string) ([]app.GradCount, error) {
	// The child of the scope a path lies under: its first segment after underPath.
	child := `CAST(substr(g.path, length(?10) + 1, instr(substr(g.path, length(?10) + 1), '/') - 1) AS INTEGER)`
	q := `SELECT ` + child + ` AS child,
		CASE WHEN g.st = ?9 AND g.reason = ?11 THEN ?12 WHEN g.st = ?9 THEN ?13 WHEN g.st IN (?1, ?2) THEN ?14
			WHEN g.st = ?3 THEN ?15 ELSE ?16 END AS category, count(*)
		FROM (` + gradSeason + `) g GROUP BY child, category ORDER BY child, category`
	args := append(seasonArgs(underPath, year), underPath, app.ReasonAbroadStudy, app.ProgressAbroad, app.ProgressFinished,
		app.ProgressInProgress, app.ProgressKept, app.ProgressNotStarted)
	rows, err := t.tx.QueryContext(t.ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("graduate counts: %w", err)
	}
	out, err := scanAll(rows, func(rows *sql.Rows) (app.GradCount, error) {
		var c app.GradCount
		err := rows.Scan(&c.Child, &c.Category, &c.N)
		return c, err
	})
	if err != nil {
		return nil, fmt.Errorf("graduate counts: %w", err)
	}
	return out, nil
}

func (t *txn) GraduatesNotStarted(underPath, year string) ([]app.Member, error) {
	out, err := t.membersOf("SELECT "+memberCols+` FROM members m JOIN orgs o ON o.id = m.org_id
		WHERE o.kind = `+sqlBranch+` AND o.grad_month >= ?4 AND o.grad_month < ?5 AND o.path >= ?6 AND o.path < ?7
			AND m.status = ?8 AND m.mark = ''
			AND NOT EXISTS (SELECT 1 FROM transfers t WHERE t.id_no = m.id_no AND t.state IN (?1, ?2, ?3))
		ORDER BY o.path, m.id`, seasonArgs(underPath, year)[:8]...)
	if err != nil {
		return nil, fmt.Errorf("graduates not started: %w", err)
	}
	return out, nil
}

func (t *txn) CountIncomplete(underPath string, names int) (int, []string, error) {
	return t.countNames(`FROM members m JOIN orgs o ON o.id = m.org_id WHERE m.incomplete = 1 AND m.status = `+sqlActive+` AND o.path >= ? AND o.path < ?`,
		"m.name", "m.id", underPath, names)
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
	ps, err := scanAll(rows, func(rows *sql.Rows) (pair, error) {
		var p pair
		err := rows.Scan(&p.id, &p.n)
		return p, err
	})
	if err != nil {
		return nil, err
	}
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
	out, err := scanAll(rows, scanOrgRow)
	if err != nil {
		return nil, err
	}
	for i := range out {
		if out[i].FullName, err = t.orgFullName(out[i].ID); err != nil {
			return nil, err
		}
	}
	return out, nil
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
	out, err := scanAll(rows, scanString)
	return n, out, err
}
