package data

import (
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"tuanwu/app"
)

const memberCols = `m.id, m.org_id, m.name, m.id_no, m.ethnicity, m.political, m.education, m.join_month, m.is_cadre,
	m.phone, m.weibo, m.qq, m.email, ifnull(m.member_no, ''), m.post, m.post_since, m.cadre_nature, m.party_committee,
	m.developed_on, m.status, m.created_at, m.updated_at, m.mark, m.mark_month, m.mark_reason, m.error_kind,
	m.left_at, m.left_to, m.left_from, m.left_path, m.left_transfer, m.incomplete`

func scanMember(sc interface{ Scan(...any) error }) (app.Member, error) {
	return newMemberScan().scan(sc)
}

// memberScan reads rows of memberCols into one Member kept from row to
// row, with the list of where each column goes built once: a roster of
// many members allocates per member only what it returns.
type memberScan struct {
	m                      app.Member
	created, updated, left string
	dest                   []any
}

func newMemberScan() *memberScan {
	s := &memberScan{}
	m := &s.m
	s.dest = []any{&m.ID, &m.OrgID, &m.Name, &m.IDNo, &m.Ethnicity, &m.Political, &m.Education, &m.JoinMonth, &m.IsCadre,
		&m.Phone, &m.Weibo, &m.QQ, &m.Email, &m.MemberNo, &m.Post, &m.PostSince, &m.CadreNature, &m.PartyCommittee,
		&m.DevelopedOn, &m.Status, &s.created, &s.updated, &m.Mark, &m.MarkMonth, &m.MarkReason, &m.ErrorKind,
		&s.left, &m.LeftTo, &m.LeftFrom, &m.LeftPath, &m.LeftTransfer, &m.Incomplete}
	return s
}

// scan reads one row.
func (s *memberScan) scan(sc interface{ Scan(...any) error }) (app.Member, error) {
	s.m, s.created, s.updated, s.left = app.Member{}, "", "", ""
	err := sc.Scan(s.dest...)
	m := s.m
	m.CreatedAt, m.UpdatedAt, m.LeftAt = parseTime(s.created), parseTime(s.updated), parseTime(s.left)
	return m, err
}

func (t *txn) memberBy(col, val string) (app.Member, error) {
	st, err := t.stmt("SELECT " + memberCols + " FROM members m WHERE m." + col + " = ?")
	if err != nil {
		return app.Member{}, err
	}
	m, err := scanMember(st.QueryRowContext(t.ctx, val))
	if errors.Is(err, sql.ErrNoRows) {
		return app.Member{}, app.Errorf(app.ENotFound, "没有找到该团员。")
	}
	if err != nil {
		return app.Member{}, fmt.Errorf("member by %s: %w", col, err)
	}
	m.OrgName, err = t.orgFullName(m.OrgID)
	return m, err
}

func (t *txn) MemberState(idNo string) (app.MemberState, error) {
	st, err := t.stmt(`SELECT m.org_id, m.status, m.mark, (SELECT count(*) FROM transfers t WHERE t.id_no = m.id_no AND +t.state IN (?, ?, ?))
		FROM members m WHERE m.id_no = ?`)
	if err != nil {
		return app.MemberState{}, err
	}
	var ms app.MemberState
	err = st.QueryRowContext(t.ctx, app.StateApproving, app.StateAssigning, app.StateKept, idNo).Scan(&ms.OrgID, &ms.Status, &ms.Mark, &ms.Open)
	if errors.Is(err, sql.ErrNoRows) {
		return app.MemberState{}, app.Errorf(app.ENotFound, "没有找到该团员。")
	}
	if err != nil {
		return app.MemberState{}, fmt.Errorf("member state: %w", err)
	}
	return ms, nil
}

func (t *txn) MemberStates(idNos []string) (map[string]app.MemberState, error) {
	out := make(map[string]app.MemberState, len(idNos))
	const per = 500
	for start := 0; start < len(idNos); start += per {
		chunk := idNos[start:min(start+per, len(idNos))]
		st, err := t.stmt(`SELECT m.id_no, m.org_id, m.status, m.mark, (SELECT count(*) FROM transfers t WHERE t.id_no = m.id_no AND +t.state IN (?, ?, ?))
			FROM members m WHERE m.id_no IN (` + placeholders(len(chunk)) + `)`)
		if err != nil {
			return nil, err
		}
		args := []any{app.StateApproving, app.StateAssigning, app.StateKept}
		for _, id := range chunk {
			args = append(args, id)
		}
		rows, err := st.QueryContext(t.ctx, args...)
		if err != nil {
			return nil, fmt.Errorf("member states: %w", err)
		}
		for rows.Next() {
			var id string
			var ms app.MemberState
			if err := rows.Scan(&id, &ms.OrgID, &ms.Status, &ms.Mark, &ms.Open); err != nil {
				rows.Close()
				return nil, fmt.Errorf("member states: %w", err)
			}
			out[id] = ms
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// membersOf returns the members a query of memberCols selects, each with
// its organization's full name.
func (t *txn) membersOf(q string, args ...any) ([]app.Member, error) {
	rows, err := t.tx.QueryContext(t.ctx, q, args...)
	if err != nil {
		return nil, err
	}
	var out []app.Member
	ms := newMemberScan()
	for rows.Next() {
		m, err := ms.scan(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, m)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for i := range out {
		if out[i].OrgName, err = t.orgFullName(out[i].OrgID); err != nil {
			return nil, err
		}
	}
	return out, nil
}

type scanFunc func(...any) error

func (f scanFunc) Scan(dst ...any) error { return f(dst...) }

func (t *txn) Member(idNo string) (app.Member, error) { return t.memberBy("id_no", idNo) }

func (t *txn) MemberByNo(no string) (app.Member, error) { return t.memberBy("member_no", no) }

// prefixRange returns the bounds of the strings that start with p.
func prefixRange(p string) (string, string) { return p, p + "\U0010FFFF" }

func isIDLike(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9') && c != 'X' && c != 'x' {
			return false
		}
	}
	return s != ""
}

// memberWhere builds the WHERE clause and ORDER BY of a member query.
func (t *txn) memberWhere(q app.MemberQuery) (string, string, []any, error) {
	var conds []string
	var args []any
	if q.Departed {
		// R-W3: by the branch they left, which may be gone.
		conds = append(conds, "m.status = ?")
		args = append(args, app.StatusDeparted)
		if q.OrgID != 0 {
			var path string
			err := t.tx.QueryRowContext(t.ctx, "SELECT path FROM orgs WHERE id = ?", q.OrgID).Scan(&path)
			if errors.Is(err, sql.ErrNoRows) {
				return "", "", nil, app.Errorf(app.ENotFound, "没有编号为 %d 的组织。", q.OrgID)
			}
			if err != nil {
				return "", "", nil, fmt.Errorf("member scope: %w", err)
			}
			conds = append(conds, "m.left_path >= ? AND m.left_path < ?")
			args = append(args, path, path+"~")
		}
	}
	if q.OrgID != 0 && !q.Departed {
		var path, kind string
		err := t.tx.QueryRowContext(t.ctx, "SELECT path, kind FROM orgs WHERE id = ?", q.OrgID).Scan(&path, &kind)
		if errors.Is(err, sql.ErrNoRows) {
			return "", "", nil, app.Errorf(app.ENotFound, "没有编号为 %d 的组织。", q.OrgID)
		}
		if err != nil {
			return "", "", nil, fmt.Errorf("member scope: %w", err)
		}
		if kind == app.KindBranch {
			conds = append(conds, "m.org_id = ?")
			args = append(args, q.OrgID)
		} else {
			conds = append(conds, "m.org_id IN (SELECT id FROM orgs WHERE path >= ? AND path < ?)")
			args = append(args, path, path+"~")
		}
	}
	if !q.IncludeLeft && !q.Departed {
		conds = append(conds, "m.status = "+sqlActive)
	}
	order := "m.id"
	if q.Departed {
		order = "m.left_at DESC, m.id"
	}
	text := strings.TrimSpace(q.Text)
	switch {
	case text == "":
	case isIDLike(text):
		lo, hi := prefixRange(strings.ToUpper(text))
		conds = append(conds, "((m.id_no >= ? AND m.id_no < ?) OR (m.member_no >= ? AND m.member_no < ?))")
		args = append(args, lo, hi, lo, hi)
	default:
		lo, hi := prefixRange(text)
		conds = append(conds, "m.name >= ? AND m.name < ?")
		args = append(args, lo, hi)
		order = "m.name, m.id"
	}
	where := ""
	if len(conds) > 0 {
		where = " WHERE " + strings.Join(conds, " AND ")
	}
	return where, order, args, nil
}

func (t *txn) Members(q app.MemberQuery, fn func(app.Member) error) error {
	where, order, args, err := t.memberWhere(q)
	if err != nil {
		return err
	}
	query := "SELECT " + memberCols + " FROM members m" + where + " ORDER BY " + order + memberPage(q, &args)
	// A roster of a whole school streams (on PostgreSQL through a cursor, eachRow).
	var inner error // fn's or orgFullName's error, returned as it is
	ms := newMemberScan()
	err = t.eachRow(query, args, max(q.Limit, 0), func(rows *sql.Rows) error {
		m, err := ms.scan(rows)
		if err != nil {
			return err
		}
		if m.OrgName, inner = t.orgFullName(m.OrgID); inner != nil {
			return inner
		}
		if inner = fn(m); inner != nil {
			return inner
		}
		return nil
	})
	if err != nil && inner == nil {
		return fmt.Errorf("list members: %w", err)
	}
	return err
}

// memberPage is the LIMIT clause of a page of members. A first page's
// size is written into the statement: a search's page sizes are few, and
// with the LIMIT as a parameter PostgreSQL plans the statement again at
// every search (it cannot tell how many rows a generic plan would read),
// which cost more than the search itself. A later page's LIMIT and
// OFFSET are parameters, so that paging does not make a statement per page.
func memberPage(q app.MemberQuery, args *[]any) string {
	switch {
	case q.Offset > 0:
		limit := q.Limit
		if limit <= 0 {
			limit = -1
		}
		*args = append(*args, limit, q.Offset)
		return " LIMIT ? OFFSET ?"
	case q.Limit > 0:
		return " LIMIT " + strconv.Itoa(q.Limit)
	}
	return ""
}

func (t *txn) CountMembers(q app.MemberQuery) (int, error) {
	var n int
	if strings.TrimSpace(q.Text) == "" && !q.IncludeLeft && !q.Departed {
		// The kept direct counts answer without touching the members table.
		if q.OrgID == 0 {
			err := t.tx.QueryRowContext(t.ctx, "SELECT ifnull(sum(member_count), 0) FROM orgs").Scan(&n)
			return n, err
		}
		err := t.tx.QueryRowContext(t.ctx, `SELECT subtree_count FROM orgs WHERE id = ?`, q.OrgID).Scan(&n)
		if errors.Is(err, sql.ErrNoRows) {
			return 0, app.Errorf(app.ENotFound, "没有编号为 %d 的组织。", q.OrgID)
		}
		return n, err
	}
	where, _, args, err := t.memberWhere(q)
	if err != nil {
		return 0, err
	}
	err = t.tx.QueryRowContext(t.ctx, "SELECT count(*) FROM members m"+where, args...).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("count members: %w", err)
	}
	return n, nil
}

const insertMember = `INSERT INTO members (org_id, name, id_no, ethnicity, political, education, join_month, is_cadre,
	phone, weibo, qq, email, member_no, post, post_since, cadre_nature, party_committee, developed_on, status, created_at, updated_at,
	mark, mark_month, mark_reason, error_kind, left_at, left_to, left_from, left_path, left_transfer, incomplete)
	VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`

func nullStr(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func memberArgs(m *app.Member) []any {
	return []any{m.OrgID, m.Name, m.IDNo, m.Ethnicity, m.Political, m.Education, m.JoinMonth, m.IsCadre,
		m.Phone, m.Weibo, m.QQ, m.Email, nullStr(m.MemberNo), m.Post, m.PostSince, m.CadreNature, m.PartyCommittee,
		m.DevelopedOn, m.Status, fmtTime(m.CreatedAt), fmtTime(m.UpdatedAt), m.Mark, m.MarkMonth, m.MarkReason, m.ErrorKind,
		fmtTime(m.LeftAt), m.LeftTo, m.LeftFrom, m.LeftPath, m.LeftTransfer, m.Incomplete}
}

func (t *txn) InsertMember(m *app.Member) error {
	st, err := t.stmt(insertMember)
	if err != nil {
		return err
	}
	res, err := st.ExecContext(t.ctx, memberArgs(m)...)
	if err != nil {
		if app.ErrorCode(mapErr(err)) == app.EConflict {
			return app.Wrap(app.EConflict, err, "身份证号 %s 或团员编号 %s 已在系统中，不能重复录入。", app.MaskID(m.IDNo), m.MemberNo)
		}
		return fmt.Errorf("insert member: %w", mapErr(err))
	}
	if m.ID, err = res.LastInsertId(); err != nil {
		return err
	}
	if m.Status == app.StatusActive {
		return t.addCount(m.OrgID, 1)
	}
	return nil
}

// addCount keeps orgs.member_count (direct members in the League) and
// orgs.subtree_count (the same over the whole subtree, on the organization
// and its ancestors), which every tree and page shows without counting.
func (t *txn) addCount(orgID int64, delta int) error {
	st, err := t.stmt("SELECT path FROM orgs WHERE id = ?")
	if err != nil {
		return err
	}
	var path string
	if err := st.QueryRowContext(t.ctx, orgID).Scan(&path); err != nil {
		return fmt.Errorf("member count of %d: %w", orgID, err)
	}
	ids := strings.Split(strings.Trim(path, "/"), "/")
	up, err := t.stmt("UPDATE orgs SET subtree_count = subtree_count + ?, member_count = member_count + CASE WHEN id = ? THEN ? ELSE 0 END WHERE id IN (" + placeholders(len(ids)) + ")")
	if err != nil {
		return err
	}
	args := []any{delta, orgID, delta}
	for _, id := range ids {
		args = append(args, id)
	}
	if _, err := up.ExecContext(t.ctx, args...); err != nil {
		return fmt.Errorf("member count of %d: %w", orgID, err)
	}
	return nil
}

// InsertMembers inserts many members and adjusts each organization's count once.
func (t *txn) InsertMembers(ms []app.Member) error {
	st, err := t.stmt(insertMember)
	if err != nil {
		return err
	}
	counts := map[int64]int{}
	for i := range ms {
		m := &ms[i]
		res, err := st.ExecContext(t.ctx, memberArgs(m)...)
		if err != nil {
			if app.ErrorCode(mapErr(err)) == app.EConflict {
				return app.Wrap(app.EConflict, err, "身份证号 %s 或团员编号 %s 已在系统中，不能重复录入。", app.MaskID(m.IDNo), m.MemberNo)
			}
			return fmt.Errorf("insert members: %w", mapErr(err))
		}
		if m.ID, err = res.LastInsertId(); err != nil {
			return err
		}
		if m.Status == app.StatusActive {
			counts[m.OrgID]++
		}
	}
	for org, n := range counts {
		if err := t.addCount(org, n); err != nil {
			return err
		}
	}
	return nil
}

func (t *txn) UpdateMember(m app.Member) error {
	var oldOrg int64
	var oldStatus string
	err := t.tx.QueryRowContext(t.ctx, "SELECT org_id, status FROM members WHERE id_no = ?", m.IDNo).Scan(&oldOrg, &oldStatus)
	if errors.Is(err, sql.ErrNoRows) {
		return app.Errorf(app.ENotFound, "没有找到身份证号为 %s 的团员。", app.MaskID(m.IDNo))
	}
	if err != nil {
		return fmt.Errorf("update member: %w", err)
	}
	res, err := t.exec(`UPDATE members SET org_id = ?, ethnicity = ?, political = ?, education = ?, join_month = ?, is_cadre = ?,
		phone = ?, weibo = ?, qq = ?, email = ?, member_no = ?, post = ?, post_since = ?, cadre_nature = ?, party_committee = ?,
		developed_on = ?, status = ?, updated_at = ?, mark = ?, mark_month = ?, mark_reason = ?, error_kind = ?,
		left_at = ?, left_to = ?, left_from = ?, left_path = ?, left_transfer = ?, incomplete = ? WHERE id_no = ?`,
		m.OrgID, m.Ethnicity, m.Political, m.Education, m.JoinMonth, m.IsCadre, m.Phone, m.Weibo, m.QQ, m.Email,
		nullStr(m.MemberNo), m.Post, m.PostSince, m.CadreNature, m.PartyCommittee, m.DevelopedOn, m.Status, fmtTime(m.UpdatedAt),
		m.Mark, m.MarkMonth, m.MarkReason, m.ErrorKind, fmtTime(m.LeftAt), m.LeftTo, m.LeftFrom, m.LeftPath, m.LeftTransfer, m.Incomplete, m.IDNo)
	if err != nil {
		if app.ErrorCode(err) == app.EConflict {
			return app.Wrap(app.EConflict, err, "团员编号 %s 已被其他团员使用，请核对。", m.MemberNo)
		}
		return fmt.Errorf("update member: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return app.Errorf(app.ENotFound, "没有找到身份证号为 %s 的团员。", app.MaskID(m.IDNo))
	}
	if oldOrg != m.OrgID || oldStatus != m.Status {
		if oldStatus == app.StatusActive {
			if err := t.addCount(oldOrg, -1); err != nil {
				return err
			}
		}
		if m.Status == app.StatusActive {
			return t.addCount(m.OrgID, 1)
		}
	}
	return nil
}
