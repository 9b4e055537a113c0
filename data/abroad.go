package data

import (
	"database/sql"
	"fmt"

	"tuanwu/app"
)

// AbroadMembers returns the 在团 members of the 出国(境)学习研究团员团支部 in
// the subtree with their college and their latest finished 出国（境）学习研究
// transfer (R-T2): one query for the members with that transfer's number,
// then the transfers themselves with their origins' names.
func (t *txn) AbroadMembers(underPath string) ([]app.AbroadMember, error) {
	rows, err := t.tx.QueryContext(t.ctx, "SELECT "+memberCols+`, ifnull(o.parent_id, 0),
		ifnull((SELECT tr.id FROM transfers tr WHERE tr.id_no = m.id_no AND tr.reason = ? AND tr.state = ?
			ORDER BY tr.id DESC LIMIT 1), 0)
		FROM members m JOIN orgs o ON o.id = m.org_id
		WHERE o.kind = ? AND o.category = ? AND m.status = ? AND o.path >= ? AND o.path < ?
		ORDER BY o.path, m.id`,
		app.ReasonAbroadStudy, app.StateDone, app.KindBranch, app.CatAbroad, app.StatusActive, underPath, underPath+"~")
	if err != nil {
		return nil, fmt.Errorf("abroad members: %w", err)
	}
	var out []app.AbroadMember
	var parents, nos []int64
	if err := eachRow(rows, func(rows *sql.Rows) error {
		var parent, no int64
		m, err := scanMember(scanFunc(func(dst ...any) error { return rows.Scan(append(dst, &parent, &no)...) }))
		if err != nil {
			return err
		}
		out = append(out, app.AbroadMember{Member: m})
		parents, nos = append(parents, parent), append(nos, no)
		return nil
	}); err != nil {
		return nil, fmt.Errorf("abroad members: %w", err)
	}
	var ids []any
	for _, no := range nos {
		if no != 0 {
			ids = append(ids, no)
		}
	}
	byNo := map[int64]app.Transfer{}
	for start := 0; start < len(ids); start += 500 {
		end := min(start+500, len(ids))
		list, err := t.queryTransfers("SELECT "+transferCols+" FROM transfers WHERE id IN ("+placeholders(end-start)+")", ids[start:end]...)
		if err != nil {
			return nil, fmt.Errorf("abroad transfers: %w", err)
		}
		for _, tr := range list {
			byNo[tr.No] = tr
		}
	}
	for i := range out {
		am := &out[i]
		if am.Member.OrgName, err = t.orgFullName(am.Member.OrgID); err != nil {
			return nil, err
		}
		if parents[i] != 0 {
			if am.College, err = t.orgFullName(parents[i]); err != nil {
				return nil, err
			}
		}
		am.Transfer = byNo[nos[i]]
	}
	return out, nil
}
