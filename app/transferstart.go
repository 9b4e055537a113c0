package app

import (
	"context"
	"strings"
)

// StartTransfer starts one transfer per member (办理转出, or the member's own
// application, R-T1, R-T2), all in one transaction: an administrator of the
// member's organization starts it as 转出组织; the member itself as 团员本人.
func (s *Service) StartTransfer(ctx context.Context, ss *Session, in TransferInput) ([]Transfer, error) {
	if err := ready(ss); err != nil {
		return nil, err
	}
	if len(in.IDNos) == 0 {
		return nil, Errorf(EInvalid, "请选择要办理转接的团员。")
	}
	if in.Outside != nil && in.ToOrg != 0 {
		return nil, Errorf(EInvalid, "转入组织只能填一个：本系统中的组织（--to）或校外组织（--outside），请去掉其中一个。")
	}
	if in.FromOutside != nil {
		return nil, Errorf(EInvalid, "“原所在校外组织”（--from-outside）只用于办理转入；办理转出请填写转入组织。")
	}
	// Everything is checked first in a read transaction, so that a refusal
	// never holds the write lock and a long list holds it only while it is
	// written (the checks are repeated there: nothing changed meanwhile).
	var plan []Transfer
	var head int64
	orgs := map[int64]Org{} // the members' organizations, as read for the plan
	if err := s.Store.Read(ctx, func(tx Tx) (err error) {
		if plan, err = s.startAll(tx, ss, in, true, nil, false, orgs); err != nil {
			return err
		}
		head, err = tx.AuditHead()
		return err
	}); err != nil {
		return nil, err
	}
	planned := make(map[string]Transfer, len(plan))
	for _, t := range plan {
		planned[t.IDNo] = t
	}
	var out []Transfer
	err := s.Store.Write(ctx, func(tx Tx) (err error) {
		// Nothing written since the plan was made (the audit trail's head
		// is where it was): the members are as planned and need no second
		// look; otherwise each is looked at again.
		now, err := tx.AuditHead()
		if err != nil {
			return err
		}
		trusted := now == head
		if !trusted {
			orgs = map[int64]Org{}
		}
		out, err = s.startAll(tx, ss, in, false, planned, trusted, orgs)
		return err
	})
	return out, err
}

// startAll starts the transfers of StartTransfer in tx; dry only checks
// them, writing nothing (an outside target or special library still to
// create is checked as it would be created) and returns them as planned.
// With the plans of a dry run, a member whose organization, status and
// mark are as planned and who has no transfer open is written from the
// plan without reading the record again; trusted: nothing was written
// since the plans were made, so none is looked at again. orgs keeps the
// organizations read, by id (those of a trusted plan's dry run are used as
// they are).
func (s *Service) startAll(tx Tx, ss *Session, in TransferInput, dry bool, planned map[string]Transfer, trusted bool, orgs map[int64]Org) ([]Transfer, error) {
	to, err := s.target(tx, in.ToOrg)
	if err != nil {
		return nil, err
	}
	if in.Outside != nil {
		// R-W1: the target is outside this store, kept in the directory.
		o, err := s.outsideFor(tx, ss, *in.Outside, strings.TrimSpace(in.Scope), ss.Top().Province, dry)
		if err != nil {
			return nil, err
		}
		to = &o
	}
	v, err := ValidateTransferInput(in, to)
	if err != nil {
		return nil, err
	}
	// Members written from their plans go in together, in the given order.
	out := make([]Transfer, 0, len(in.IDNos))
	var pending []pendingStart
	if len(planned) > 0 {
		pending = make([]pendingStart, 0, len(planned))
	}
	flush := func() error {
		if len(pending) == 0 {
			return nil
		}
		err := s.writeStarts(tx, ss, pending, out[len(out)-len(pending):])
		pending = pending[:0]
		return err
	}
	seen := make(map[string]bool, len(in.IDNos))
	froms := map[int64]*Org{} // the planned members' organizations, shared by their pending starts
	now := s.now()
	var states map[string]MemberState
	if len(planned) > 0 && !trusted {
		ids := make([]string, 0, len(planned))
		for id := range planned {
			ids = append(ids, id)
		}
		if states, err = tx.MemberStates(ids); err != nil {
			return nil, err
		}
	}
	for _, raw := range in.IDNos {
		id := NormalizeID(raw)
		if seen[id] {
			continue
		}
		seen[id] = true
		if p, ok := planned[id]; ok && to != nil && p.Reason != ReasonSpecial && p.Reason != ReasonAbroadStudy && p.State == StateApproving {
			// A trusted plan is as the member is, unless its keeping ends
			// (written the long way).
			asPlanned := trusted && !p.endsKept
			if st, ok := states[id]; !trusted && ok {
				asPlanned = st.OrgID == p.FromOrg && st.Status == StatusActive && st.Mark == p.mark && st.Open == 0
			}
			if asPlanned {
				from, ok := froms[p.FromOrg]
				if !ok {
					o, ok := orgs[p.FromOrg]
					if !ok {
						var err error
						if o, err = tx.Org(p.FromOrg); err != nil {
							return nil, err
						}
						orgs[p.FromOrg] = o
					}
					from = &o
					froms[p.FromOrg] = from
				}
				out = append(out, replan(p, *to, now))
				pending = append(pending, pendingStart{from, to})
				continue
			}
		}
		if err := flush(); err != nil {
			return nil, err
		}
		m, err := tx.Member(id)
		if IsNotFound(err) {
			return nil, Errorf(ENotFound, "没有身份证号为 %s 的团员，请核对。", MaskID(id))
		}
		if err != nil {
			return nil, err
		}
		if m.Departed() {
			return nil, Errorf(EConflict, "%s 已于 %s 转出至“%s”（第 %d 号转接），不在本系统的团组织中，不能再办理转出。", m.Name,
				m.LeftAt.In(Shanghai).Format("2006-01-02"), m.LeftTo, m.LeftTransfer)
		}
		from, ok := orgs[m.OrgID]
		if !ok {
			if from, err = tx.Org(m.OrgID); err != nil {
				return nil, err
			}
			orgs[m.OrgID] = from
		}
		initiator := ByOutOrg
		switch {
		case ss.CanManage(from):
		case ss.Account.IDNo == id:
			initiator = ByMember
		default:
			return nil, Errorf(EForbidden, "%s 不在您管理的组织内，不能由您办理转出；如需把此人转入本组织，请使用“办理转入”。", MaskID(id))
		}
		t, err := s.startOne(tx, ss, m, from, to, v, initiator, dry)
		t.mark = m.Mark
		if err != nil {
			// One sentence that still ends as a sentence (CLI.md).
			if len(in.IDNos) > 1 && !strings.Contains(ErrorMessage(err), m.Name) {
				return nil, &Error{Code: ErrorCode(err), Message: m.Name + "：" + ErrorMessage(err) + "所有人都没有提交，请处理后重试。", Err: err}
			}
			if len(in.IDNos) > 1 {
				return nil, &Error{Code: ErrorCode(err), Message: ErrorMessage(err) + "所有人都没有提交，请处理后重试。", Err: err}
			}
			return nil, err
		}
		out = append(out, t)
	}
	return out, flush()
}

// writeStart stores a planned transfer with its steps, names its
// organizations as readers do, and audits it.
func (s *Service) writeStart(tx Tx, ss *Session, t Transfer, from Org, to *Org) (Transfer, error) {
	out := []Transfer{t}
	if err := s.writeStarts(tx, ss, []pendingStart{{&from, to}}, out); err != nil {
		return Transfer{}, err
	}
	return out[0], nil
}

// pendingStart is where a planned transfer waiting to be written goes.
type pendingStart struct {
	from *Org
	to   *Org
}

// writeStarts is writeStart for many transfers at once (a bulk 办理转出):
// batch[k] says where list[k] goes; list is completed as written.
func (s *Service) writeStarts(tx Tx, ss *Session, batch []pendingStart, list []Transfer) error {
	ptrs := make([]*Transfer, len(list))
	for i := range list {
		ptrs[i] = &list[i]
	}
	if err := tx.InsertTransfers(ptrs); err != nil {
		return err
	}
	// The names of the transfers' and their steps' organizations, as readers give them.
	named := map[int64]*Org{}
	nameOf := func(id int64) (*Org, error) {
		if o, ok := named[id]; ok {
			return o, nil
		}
		o, err := tx.Org(id)
		if err != nil {
			return nil, err
		}
		named[id] = &o
		return &o, nil
	}
	entries := make([]AuditEntry, len(batch))
	now, actor := s.now(), ss.actor()
	for k := range batch {
		p := &batch[k]
		if _, ok := named[p.from.ID]; !ok {
			named[p.from.ID] = p.from
		}
		if p.to != nil && p.to.ID != 0 {
			named[p.to.ID] = p.to
		}
		t := &list[k]
		for _, id := range [2]int64{t.FromOrg, t.ToOrg} {
			if id == 0 {
				continue
			}
			o, err := nameOf(id)
			if err != nil {
				return err
			}
			if id == t.FromOrg {
				t.FromName, t.FromOut = o.FullName, o.Outside
			} else {
				t.ToName, t.ToOut = o.FullName, o.Outside
			}
		}
		for i := range t.Steps {
			o, err := nameOf(t.Steps[i].OrgID)
			if err != nil {
				return err
			}
			t.Steps[i].OrgName, t.Steps[i].Outside = o.FullName, o.Outside
		}
		after := t.Reason + "，" + t.Initiator + "发起"
		if t.ToName != "" {
			after += "，转入“" + t.ToName + "”"
		}
		if t.State == StateKept {
			after += "，留校保留至 " + t.KeepUntil
		}
		entries[k] = AuditEntry{At: now, Actor: actor, Action: ActStartTransfer, Object: transferObject(*t), OrgID: t.FromOrg,
			Member: t.IDNo, Before: p.from.FullName, After: after}
	}
	return tx.AppendAudits(entries)
}
