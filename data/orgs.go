package data

import (
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"tuanwu/app"
)

// orgCols are the columns scanOrg reads, with the subtree member count and
// the child count computed from the kept direct counts.
const orgCols = `o.id, ifnull(o.parent_id, 0), o.name, o.kind, o.category, o.province, o.path,
	o.grad_month, o.grad_reason, o.remark, o.created_at,
	o.subtree_count,
	(SELECT count(*) FROM orgs c WHERE c.parent_id = o.id),
	o.outside, o.address, o.contact, o.phone`

func scanOrg(sc interface{ Scan(...any) error }) (app.Org, error) {
	var o app.Org
	var created string
	err := sc.Scan(&o.ID, &o.ParentID, &o.Name, &o.Kind, &o.Category, &o.Province, &o.Path,
		&o.GradMonth, &o.GradReason, &o.Remark, &created, &o.MemberCount, &o.ChildCount,
		&o.Outside, &o.Address, &o.Contact, &o.Phone)
	o.CreatedAt = parseTime(created)
	return o, err
}

// fullName returns the names from the root to the organization with the given path.
func (t *txn) fullName(path string) (string, error) {
	ids := strings.Split(strings.Trim(path, "/"), "/")
	if len(ids) == 0 || ids[0] == "" {
		return "", nil
	}
	names := make([]string, len(ids))
	if len(ids) == 1 {
		st, err := t.stmt("SELECT name FROM orgs WHERE id = ?")
		if err != nil {
			return "", err
		}
		if err := st.QueryRowContext(t.ctx, ids[0]).Scan(&names[0]); err != nil {
			return "", fmt.Errorf("full name of %s: %w", path, err)
		}
		return names[0], nil
	}
	// The ancestors' names in one query (one round trip to a server, not
	// one per level).
	st, err := t.stmt("SELECT id, name FROM orgs WHERE id IN (?" + strings.Repeat(", ?", len(ids)-1) + ")")
	if err != nil {
		return "", err
	}
	args := make([]any, len(ids))
	at := make(map[int64]int, len(ids))
	for i, id := range ids {
		n, err := strconv.ParseInt(id, 10, 64)
		if err != nil {
			return "", fmt.Errorf("full name of %s: %w", path, err)
		}
		args[i], at[n] = n, i
	}
	rows, err := st.QueryContext(t.ctx, args...)
	if err != nil {
		return "", fmt.Errorf("full name of %s: %w", path, err)
	}
	defer rows.Close()
	found := 0
	for rows.Next() {
		var id int64
		var name string
		if err := rows.Scan(&id, &name); err != nil {
			return "", fmt.Errorf("full name of %s: %w", path, err)
		}
		if i, ok := at[id]; ok {
			names[i] = name
			found++
		}
	}
	if err := rows.Err(); err != nil {
		return "", fmt.Errorf("full name of %s: %w", path, err)
	}
	if found != len(ids) {
		return "", fmt.Errorf("full name of %s: %w", path, sql.ErrNoRows)
	}
	return strings.Join(names, "/"), nil
}

func (t *txn) Org(id int64) (app.Org, error) {
	st, err := t.stmt("SELECT " + orgCols + " FROM orgs o WHERE o.id = ?")
	if err != nil {
		return app.Org{}, err
	}
	o, err := scanOrg(st.QueryRowContext(t.ctx, id))
	if errors.Is(err, sql.ErrNoRows) {
		return app.Org{}, app.Errorf(app.ENotFound, "没有编号为 %d 的组织。", id)
	}
	if err != nil {
		return app.Org{}, fmt.Errorf("org %d: %w", id, err)
	}
	o.FullName, err = t.fullName(o.Path)
	return o, err
}

func (t *txn) OrgByName(parentID int64, name string) (app.Org, error) {
	var id int64
	err := t.tx.QueryRowContext(t.ctx, "SELECT id FROM orgs WHERE ifnull(parent_id, 0) = ? AND name = ?", parentID, name).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return app.Org{}, app.Errorf(app.ENotFound, "找不到组织“%s”。", name)
	}
	if err != nil {
		return app.Org{}, fmt.Errorf("org by name: %w", err)
	}
	return t.Org(id)
}

// kindOrder sorts committees before branches, then by name.
const kindOrder = `CASE o.kind WHEN '团省委' THEN 0 WHEN '团市委' THEN 1 WHEN '团委' THEN 2 WHEN '团工委' THEN 3 WHEN '团总支' THEN 4 ELSE 5 END`

func (t *txn) Children(parentID int64) ([]app.Org, error) {
	var rows *sql.Rows
	var err error
	var prefix string
	if parentID == 0 {
		rows, err = t.tx.QueryContext(t.ctx, "SELECT "+orgCols+" FROM orgs o WHERE o.parent_id IS NULL AND o.outside = 0 ORDER BY "+kindOrder+", o.id")
	} else {
		p, perr := t.Org(parentID)
		if perr != nil {
			return nil, perr
		}
		prefix = p.FullName + "/"
		rows, err = t.tx.QueryContext(t.ctx, "SELECT "+orgCols+" FROM orgs o WHERE o.parent_id = ? ORDER BY "+kindOrder+", o.id", parentID)
	}
	if err != nil {
		return nil, fmt.Errorf("children of %d: %w", parentID, err)
	}
	out, err := scanAll(rows, func(rows *sql.Rows) (app.Org, error) {
		o, err := scanOrg(rows)
		o.FullName = prefix + o.Name
		return o, err
	})
	if err != nil {
		return nil, fmt.Errorf("children of %d: %w", parentID, err)
	}
	return out, nil
}

func (t *txn) FindOrgs(f app.OrgFilter) ([]app.Org, error) {
	q := "SELECT " + orgCols + " FROM orgs o WHERE instr(o.name, ?) > 0 AND o.outside = ?"
	args := []any{f.Text, f.Outside}
	if f.Outside {
		// The directory is searched by the normalised name too (R-W1).
		q = "SELECT " + orgCols + " FROM orgs o WHERE (instr(o.name, ?) > 0 OR instr(o.norm_name, ?) > 0) AND o.outside = 1"
		args = []any{f.Text, app.NormalizeOrgName(f.Text)}
	}
	if len(f.Provinces) > 0 {
		q += " AND o.province IN (" + placeholders(len(f.Provinces)) + ")"
		for _, p := range f.Provinces {
			args = append(args, p)
		}
	}
	if len(f.Exclude) > 0 {
		q += " AND o.province NOT IN (" + placeholders(len(f.Exclude)) + ")"
		for _, p := range f.Exclude {
			args = append(args, p)
		}
	}
	if f.UnderPath != "" {
		q += " AND o.path >= ? AND o.path < ?"
		args = append(args, f.UnderPath, f.UnderPath+"~")
	}
	q += " ORDER BY o.path"
	if f.Limit > 0 {
		q += " LIMIT ?"
		args = append(args, f.Limit)
	}
	rows, err := t.tx.QueryContext(t.ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("find orgs: %w", err)
	}
	out, err := scanAll(rows, scanOrgRow)
	if err != nil {
		return nil, fmt.Errorf("find orgs: %w", err)
	}
	for i := range out {
		if out[i].FullName, err = t.fullName(out[i].Path); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?,", n), ",")
}

// OutsideOrg returns the outside organization whose normalised name is
// NormalizeOrgName(name) (R-W1). ENotFound.
func (t *txn) OutsideOrg(name string) (app.Org, error) {
	var id int64
	err := t.tx.QueryRowContext(t.ctx, "SELECT id FROM orgs WHERE outside = 1 AND norm_name = ?", app.NormalizeOrgName(name)).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return app.Org{}, app.Errorf(app.ENotFound, "校外组织目录中没有“%s”。", name)
	}
	if err != nil {
		return app.Org{}, fmt.Errorf("outside org: %w", err)
	}
	return t.Org(id)
}

// LocalOrgsNamed returns the organizations of the tree whose name, once
// normalised, is NormalizeOrgName(name).
func (t *txn) LocalOrgsNamed(name string) ([]app.Org, error) {
	norm := app.NormalizeOrgName(name)
	rows, err := t.tx.QueryContext(t.ctx, "SELECT id, name FROM orgs WHERE outside = 0")
	if err != nil {
		return nil, fmt.Errorf("local orgs named: %w", err)
	}
	var ids []int64
	if err := eachRow(rows, func(rows *sql.Rows) error {
		var id int64
		var n string
		if err := rows.Scan(&id, &n); err != nil {
			return err
		}
		if app.NormalizeOrgName(n) == norm {
			ids = append(ids, id)
		}
		return nil
	}); err != nil {
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

func (t *txn) CountOrgs() (n int, err error) {
	err = t.tx.QueryRowContext(t.ctx, "SELECT count(*) FROM orgs").Scan(&n)
	return n, err
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// changeMark reads the store's change mark (the newest audit entry) with a
// statement prepared once: it is read by every transaction that names
// organizations, to know whether the name cache still holds.
func (t *txn) changeMark() (int64, error) {
	st, err := t.stmt(changeMarkSQL)
	if err != nil {
		return 0, err
	}
	var id int64
	if err := st.QueryRowContext(t.ctx).Scan(&id); err != nil {
		return 0, fmt.Errorf("change mark: %w", err)
	}
	return id, nil
}

// orgFullName returns an organization's full name, from the cache when it can.
func (t *txn) orgFullName(id int64) (string, error) {
	if !t.headKnown {
		head, err := t.changeMark()
		if err != nil {
			return "", err
		}
		t.head, t.headKnown = head, true
	}
	name, gen, ok := t.s.names.get(id, t.head)
	if ok && !t.orgsChanged {
		return name, nil
	}
	st, err := t.stmt("SELECT path FROM orgs WHERE id = ?")
	if err != nil {
		return "", err
	}
	var path string
	if err := st.QueryRowContext(t.ctx, id).Scan(&path); err != nil {
		return "", fmt.Errorf("org %d path: %w", id, err)
	}
	if name, err = t.fullName(path); err != nil {
		return "", err
	}
	if !t.orgsChanged {
		t.s.names.put(id, name, gen)
	}
	return name, nil
}

func (t *txn) InsertOrg(o *app.Org) error {
	t.orgsChanged = true
	norm := ""
	if o.Outside {
		norm = app.NormalizeOrgName(o.Name)
	}
	res, err := t.exec(`INSERT INTO orgs (parent_id, name, kind, category, province, grad_month, grad_reason, remark, created_at,
		outside, norm_name, address, contact, phone)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, nullID(o.ParentID), o.Name, o.Kind, o.Category, o.Province, o.GradMonth, o.GradReason, o.Remark, fmtTime(o.CreatedAt),
		o.Outside, norm, o.Address, o.Contact, o.Phone)
	if err != nil {
		if app.ErrorCode(err) == app.EConflict && o.Outside {
			return app.Wrap(app.EConflict, err, "校外组织目录中已有“%s”，请直接选用。", o.Name)
		}
		if app.ErrorCode(err) == app.EConflict {
			return app.Wrap(app.EConflict, err, "同一上级组织下已有名为“%s”的组织，请换一个名称。", o.Name)
		}
		return fmt.Errorf("insert org: %w", err)
	}
	if o.ID, err = res.LastInsertId(); err != nil {
		return err
	}
	parentPath := "/"
	if o.ParentID != 0 {
		if err := t.tx.QueryRowContext(t.ctx, "SELECT path FROM orgs WHERE id = ?", o.ParentID).Scan(&parentPath); err != nil {
			return fmt.Errorf("parent path: %w", err)
		}
	}
	o.Path = parentPath + strconv.FormatInt(o.ID, 10) + "/"
	_, err = t.exec("UPDATE orgs SET path = ? WHERE id = ?", o.Path, o.ID)
	return err
}

func (t *txn) UpdateOrg(o app.Org) error {
	t.orgsChanged = true
	norm := ""
	if o.Outside {
		norm = app.NormalizeOrgName(o.Name)
	}
	res, err := t.exec(`UPDATE orgs SET name = ?, category = ?, province = ?, grad_month = ?, grad_reason = ?, remark = ?,
		kind = CASE WHEN outside = 1 THEN ? ELSE kind END, norm_name = ?, address = ?, contact = ?, phone = ? WHERE id = ?`,
		o.Name, o.Category, o.Province, o.GradMonth, o.GradReason, o.Remark, o.Kind, norm, o.Address, o.Contact, o.Phone, o.ID)
	if err != nil {
		if app.ErrorCode(err) == app.EConflict {
			return app.Wrap(app.EConflict, err, "同一上级组织下已有名为“%s”的组织，请换一个名称。", o.Name)
		}
		return fmt.Errorf("update org: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return app.Errorf(app.ENotFound, "没有编号为 %d 的组织。", o.ID)
	}
	return nil
}

func (t *txn) DeleteOrg(id int64) error {
	t.orgsChanged = true
	res, err := t.exec("DELETE FROM orgs WHERE id = ?", id)
	if err != nil {
		return fmt.Errorf("delete org: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return app.Errorf(app.ENotFound, "没有编号为 %d 的组织。", id)
	}
	return nil
}
