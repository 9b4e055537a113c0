package app

import (
	"context"
	"fmt"
	"time"
)

// ImportResult tells what ImportMembers did.
type ImportResult struct {
	Imported int // members entered into the branch
	Skipped  int // rows left out because they have problems
}

// importBatch is how many members ImportMembers inserts between progress reports.
const importBatch = 1000

// importBranch returns the branch rows are imported into: a 团支部 the
// session manages (R-O1, R-A4).
func (s *Service) importBranch(tx Tx, ss *Session, orgID int64) (Org, error) {
	o, err := s.manageable(tx, ss, orgID)
	if err != nil {
		return Org{}, err
	}
	if !o.IsBranch() {
		return Org{}, Errorf(EConflict, "团员只能导入到团支部，“%s”是%s，请选择其下的团支部后再导入。", o.FullName, o.Kind)
	}
	return o, nil
}

// registry answers whether a 身份证号 or a 团员编号 is already in the store
// (R-X3, R-X1) for a batch of rows. When the store holds few members
// compared with the batch (an import into a new store, say) it reads them
// all once; otherwise it asks the store row by row.
type registry struct {
	tx   Tx
	byID map[string]*known // nil: look up one by one
	byNo map[string]*known
}

// known is what the registry keeps of a stored member.
type known struct {
	orgID                       int64
	orgName, name, idNo, status string
}

// Limits of the one-scan registry: at most scanMax members, and at most
// scanPerRow members per row checked (a point lookup costs about as much as
// reading scanPerRow members in a scan).
const (
	scanMax    = 100000
	scanPerRow = 20
)

func newRegistry(tx Tx, rows int) (*registry, error) {
	r := &registry{tx: tx}
	total, err := tx.CountMembers(MemberQuery{IncludeLeft: true})
	if err != nil {
		return nil, err
	}
	if total > scanMax || total > scanPerRow*rows {
		return r, nil
	}
	r.byID, r.byNo = make(map[string]*known, total), make(map[string]*known, total)
	err = tx.Members(MemberQuery{IncludeLeft: true}, func(m Member) error {
		k := &known{orgID: m.OrgID, orgName: m.OrgName, name: m.Name, idNo: m.IDNo, status: m.Status}
		r.byID[m.IDNo] = k
		if m.MemberNo != "" {
			r.byNo[m.MemberNo] = k
		}
		return nil
	})
	return r, err
}

func (r *registry) find(key string, byKey map[string]*known, lookup func(string) (Member, error)) (Member, bool, error) {
	if r.byID != nil {
		if k, ok := byKey[key]; ok {
			return Member{OrgID: k.orgID, OrgName: k.orgName, Name: k.name, IDNo: k.idNo, Status: k.status}, true, nil
		}
		return Member{}, false, nil
	}
	m, err := lookup(key)
	switch {
	case err == nil:
		return m, true, nil
	case IsNotFound(err):
		return Member{}, false, nil
	}
	return Member{}, false, err
}

// check adds the problems the store finds in a row (R-X3, R-X1): a
// 身份证号 already registered, with where that member is, and a 团员编号
// another member already has.
func (r *registry) check(o Org, row *ImportRow) error {
	m := row.Member
	if m.IDNo != "" {
		old, found, err := r.find(m.IDNo, r.byID, r.tx.Member)
		if err != nil {
			return err
		}
		if found {
			row.Existing = old.OrgName
			state := ""
			if old.Status != "" && old.Status != StatusActive {
				state = "（" + old.Status + "）"
			}
			if old.OrgID == o.ID {
				row.Problems = append(row.Problems, fmt.Sprintf("身份证号 %s 已注册：%s%s 已在本团支部，不需要再导入，请删除这一行。",
					MaskID(m.IDNo), old.Name, state))
			} else {
				row.Problems = append(row.Problems, fmt.Sprintf("身份证号 %s 已注册：%s%s 现在在“%s”。同一人不能重复录入，请删除这一行，改为办理组织关系转入。",
					MaskID(m.IDNo), old.Name, state, old.OrgName))
			}
			return nil
		}
	}
	if m.MemberNo != "" {
		old, found, err := r.find(m.MemberNo, r.byNo, r.tx.MemberByNo)
		if err != nil {
			return err
		}
		if found && old.IDNo != m.IDNo {
			row.Problems = append(row.Problems, fmt.Sprintf("团员编号 %s 已被“%s”（%s）使用，请核对团员编号。", m.MemberNo, old.Name, old.OrgName))
		}
	}
	return nil
}

// cloneRows copies rows so that adding problems never changes the caller's.
func cloneRows(rows []ImportRow) []ImportRow {
	out := make([]ImportRow, len(rows))
	for i, r := range rows {
		r.Problems = append([]string(nil), r.Problems...)
		out[i] = r
	}
	return out
}

// CheckImport checks rows read from an import file (R-M4) against the store
// for the branch orgID, which the session must manage: a 身份证号 already
// registered sets Existing to where that member is, with a problem saying
// to start a transfer in instead (R-X3); a 团员编号 already used is a
// problem (R-X1). It changes neither the store nor the caller's rows: it
// returns rows itself when the store finds nothing, else a copy with the
// problems added. Errors: EUnauthorized, EForbidden, ENotFound, EConflict
// (not a branch).
func (s *Service) CheckImport(ctx context.Context, ss *Session, orgID int64, rows []ImportRow) ([]ImportRow, error) {
	type finding struct {
		i   int
		row ImportRow
	}
	var found []finding
	err := s.Store.Read(ctx, func(tx Tx) error {
		o, err := s.importBranch(tx, ss, orgID)
		if err != nil {
			return err
		}
		reg, err := newRegistry(tx, len(rows))
		if err != nil {
			return err
		}
		for i := range rows {
			if i%importBatch == 0 {
				if err := ctx.Err(); err != nil {
					return err
				}
			}
			r := ImportRow{Member: rows[i].Member}
			if err := reg.check(o, &r); err != nil {
				return err
			}
			if !r.OK() {
				found = append(found, finding{i, r})
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(found) == 0 {
		return rows, nil
	}
	out := cloneRows(rows)
	for _, f := range found {
		out[f.i].Problems = append(out[f.i].Problems, f.row.Problems...)
		out[f.i].Existing = f.row.Existing
	}
	return out, nil
}

// ImportMembers enters the members of rows into the branch orgID (R-M4),
// all in one transaction: it checks every row again (the fields, duplicates
// in the file, the store as CheckImport does). When a row has a problem and
// skipBad is false nothing is imported and the error (EConflict) says how
// many rows are bad; with skipBad the bad rows are left out. One audit
// entry records the import. progress, when not nil, is called after each
// batch with the members inserted so far. Errors: EForbidden, ENotFound,
// EConflict, EInvalid (no rows); nothing is written on any error.
func (s *Service) ImportMembers(ctx context.Context, ss *Session, orgID int64, rows []ImportRow, skipBad bool, progress func(done, total int)) (ImportResult, error) {
	if len(rows) == 0 {
		return ImportResult{}, Errorf(EInvalid, "没有要导入的团员。请选择按“团员团干部导入模板”填好的文件后再导入。")
	}
	now := s.now()
	var res ImportResult
	err := s.Store.Write(ctx, func(tx Tx) error {
		o, err := s.importBranch(tx, ss, orgID)
		if err != nil {
			return err
		}
		reg, err := newRegistry(tx, len(rows))
		if err != nil {
			return err
		}
		p, err := checkImportRows(ctx, reg, o, rows, now)
		if err != nil {
			return err
		}
		total := len(rows)
		if p.bad > 0 && !skipBad {
			return Errorf(EConflict, "导入文件中有 %d 行有问题（共 %d 行），整份文件都没有导入。请按预览中列出的问题改正后重新导入，或选择“只导入没有问题的行”。", p.bad, total)
		}
		if len(p.good) == 0 {
			return Errorf(EConflict, "导入文件中的 %d 行都有问题，没有可以导入的团员。请按预览中列出的问题改正后重新导入。", total)
		}
		if err := p.insert(ctx, tx, o, rows, now, progress); err != nil {
			return err
		}
		res = ImportResult{Imported: len(p.good), Skipped: p.bad}
		after := fmt.Sprintf("从导入模板导入 %d 名团员", len(p.good))
		if p.bad > 0 {
			after += fmt.Sprintf("，跳过 %d 行有问题的行", p.bad)
		}
		return s.audit(tx, ss, Change{Action: ActImport, Object: o.FullName, OrgID: o.ID, After: after})
	})
	if err != nil {
		return ImportResult{}, err
	}
	return res, nil
}

// importPlan is the first pass of an import: the indexes of the good rows
// (and the few members ValidateMember normalised) and how many are bad.
// The second pass inserts the good ones in batches, so that no second
// copy of a large file's members is held.
type importPlan struct {
	good       []int
	normalised map[int]Member
	bad        int
}

// checkImportRows checks every row again: its fields, duplicates inside
// the rows (the first one counts, R-X3, R-X1) and the store, as CheckImport
// does.
func checkImportRows(ctx context.Context, reg *registry, o Org, rows []ImportRow, now time.Time) (importPlan, error) {
	p := importPlan{normalised: map[int]Member{}}
	seenID := make(map[string]bool, len(rows))
	seenNo := make(map[string]bool, len(rows))
	for i := range rows {
		if i%importBatch == 0 {
			if err := ctx.Err(); err != nil {
				return p, err
			}
		}
		m, ok := rows[i].Member, rows[i].OK()
		if ok {
			v, err := ValidateMember(m, now)
			if ok = err == nil; ok && v != m {
				p.normalised[i], m = v, v
			}
		}
		if m.IDNo != "" {
			ok = ok && !seenID[m.IDNo]
			seenID[m.IDNo] = true
		}
		if m.MemberNo != "" {
			ok = ok && !seenNo[m.MemberNo]
			seenNo[m.MemberNo] = true
		}
		if ok {
			stored := ImportRow{Member: m}
			if err := reg.check(o, &stored); err != nil {
				return p, err
			}
			ok = stored.OK()
		}
		if !ok {
			p.bad++
			continue
		}
		p.good = append(p.good, i)
	}
	return p, nil
}

// insert enters the good rows into o, active, in batches, calling
// progress after each.
func (p importPlan) insert(ctx context.Context, tx Tx, o Org, rows []ImportRow, now time.Time, progress func(done, total int)) error {
	batch := make([]Member, 0, importBatch)
	for start := 0; start < len(p.good); start += importBatch {
		if err := ctx.Err(); err != nil {
			return err
		}
		end := min(start+importBatch, len(p.good))
		batch = batch[:0]
		for _, i := range p.good[start:end] {
			m, ok := p.normalised[i]
			if !ok {
				m = rows[i].Member
			}
			m.ID, m.OrgID, m.OrgName, m.Status = 0, o.ID, "", StatusActive
			m.CreatedAt, m.UpdatedAt = now, now
			batch = append(batch, m)
		}
		if err := tx.InsertMembers(batch); err != nil {
			return err
		}
		if progress != nil {
			progress(end, len(p.good))
		}
	}
	return nil
}
