package app

import (
	"context"
	"fmt"
	"strings"
	"time"
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
	to, v, err := s.startTarget(tx, ss, in, dry)
	if err != nil {
		return nil, err
	}
	b := &bulkStart{s: s, tx: tx, ss: ss, to: to, in: v, many: len(in.IDNos) > 1, dry: dry, planned: planned, trusted: trusted,
		orgs: orgs, froms: map[int64]*Org{}, out: make([]Transfer, 0, len(in.IDNos)), now: s.now()}
	if len(planned) > 0 {
		b.pending = make([]pendingStart, 0, len(planned))
	}
	if err := b.readStates(); err != nil {
		return nil, err
	}
	seen := make(map[string]bool, len(in.IDNos))
	for _, raw := range in.IDNos {
		id := NormalizeID(raw)
		if seen[id] {
			continue
		}
		seen[id] = true
		if p, ok := b.asPlanned(id); ok {
			if err := b.fromPlan(p); err != nil {
				return nil, err
			}
			continue
		}
		if err := b.flush(); err != nil {
			return nil, err
		}
		if err := b.startMember(id); err != nil {
			return nil, err
		}
	}
	return b.out, b.flush()
}

// startTarget is where the transfers of StartTransfer go (nil while a
// special or abroad target is still to be found): an organization of this
// store or one outside it, kept in the directory (R-W1; made unless dry),
// with the input validated for it.
func (s *Service) startTarget(tx Tx, ss *Session, in TransferInput, dry bool) (*Org, TransferInput, error) {
	to, err := s.target(tx, in.ToOrg)
	if err != nil {
		return nil, in, err
	}
	if in.Outside != nil {
		o, err := s.outsideFor(tx, ss, *in.Outside, strings.TrimSpace(in.Scope), ss.Top().Province, dry)
		if err != nil {
			return nil, in, err
		}
		to = &o
	}
	v, err := ValidateTransferInput(in, to)
	return to, v, err
}

// bulkStart is one run of startAll: the transfers started so far, the
// planned ones waiting to be written together (in the given order), and
// the organizations read.
type bulkStart struct {
	s       *Service
	tx      Tx
	ss      *Session
	to      *Org
	in      TransferInput // validated
	many    bool          // more than one member was given
	dry     bool
	planned map[string]Transfer
	trusted bool
	states  map[string]MemberState // the planned members as they are now, unless trusted
	orgs    map[int64]Org
	froms   map[int64]*Org // the planned members' organizations, shared by their pending starts
	out     []Transfer
	pending []pendingStart
	now     time.Time
}

// readStates reads the planned members as they are now, when the plans
// cannot be trusted as they are.
func (b *bulkStart) readStates() error {
	if len(b.planned) == 0 || b.trusted {
		return nil
	}
	ids := make([]string, 0, len(b.planned))
	for id := range b.planned {
		ids = append(ids, id)
	}
	var err error
	b.states, err = b.tx.MemberStates(ids)
	return err
}

// asPlanned is the member's plan from the dry run when it can be written
// as it is: a plain approving transfer to a known target, the member in
// the same organization, active, with the same mark and no transfer open
// (a trusted plan is as the member is unless its keeping ends, which is
// written the long way).
func (b *bulkStart) asPlanned(id string) (Transfer, bool) {
	p, ok := b.planned[id]
	if !ok || b.to == nil || p.Reason == ReasonSpecial || p.Reason == ReasonAbroadStudy || p.State != StateApproving {
		return Transfer{}, false
	}
	if b.trusted {
		return p, !p.endsKept
	}
	st, ok := b.states[id]
	if !ok {
		return Transfer{}, false
	}
	return p, st.OrgID == p.FromOrg && st.Status == StatusActive && st.Mark == p.mark && st.Open == 0
}

// fromPlan adds a planned transfer, opened now, to those written together.
func (b *bulkStart) fromPlan(p Transfer) error {
	from, ok := b.froms[p.FromOrg]
	if !ok {
		o, ok := b.orgs[p.FromOrg]
		if !ok {
			var err error
			if o, err = b.tx.Org(p.FromOrg); err != nil {
				return err
			}
			b.orgs[p.FromOrg] = o
		}
		from = &o
		b.froms[p.FromOrg] = from
	}
	b.out = append(b.out, replan(p, *b.to, b.now))
	b.pending = append(b.pending, pendingStart{from, b.to})
	return nil
}

// flush writes the planned transfers waiting together.
func (b *bulkStart) flush() error {
	if len(b.pending) == 0 {
		return nil
	}
	err := b.s.writeStarts(b.tx, b.ss, b.pending, b.out[len(b.out)-len(b.pending):])
	b.pending = b.pending[:0]
	return err
}

// startMember reads the member and starts their transfer the long way.
func (b *bulkStart) startMember(id string) error {
	m, err := b.tx.Member(id)
	if IsNotFound(err) {
		return Errorf(ENotFound, "没有身份证号为 %s 的团员，请核对。", MaskID(id))
	}
	if err != nil {
		return err
	}
	if m.Departed() {
		return Errorf(EConflict, "%s 已于 %s 转出至“%s”（第 %d 号转接），不在本系统的团组织中，不能再办理转出。", m.Name,
			m.LeftAt.In(Shanghai).Format("2006-01-02"), m.LeftTo, m.LeftTransfer)
	}
	from, ok := b.orgs[m.OrgID]
	if !ok {
		if from, err = b.tx.Org(m.OrgID); err != nil {
			return err
		}
		b.orgs[m.OrgID] = from
	}
	initiator, err := startedBy(b.ss, from, id)
	if err != nil {
		return err
	}
	t, err := b.s.startOne(b.tx, b.ss, m, from, b.to, b.in, initiator, b.dry)
	if err != nil {
		return inBulk(err, m.Name, b.many)
	}
	t.mark = m.Mark
	b.out = append(b.out, t)
	return nil
}

// startedBy is who starts a transfer out of from (R-T1): its administrator
// as 转出组织, or the member itself as 团员本人; anyone else is refused.
func startedBy(ss *Session, from Org, id string) (string, error) {
	switch {
	case ss.CanManage(from):
		return ByOutOrg, nil
	case ss.Account.IDNo == id:
		return ByMember, nil
	}
	return "", Errorf(EForbidden, "%s 不在您管理的组织内，不能由您办理转出；如需把此人转入本组织，请使用“办理转入”。", MaskID(id))
}

// inBulk is a member's refusal when many were given: one sentence that
// still ends as a sentence (CLI.md), naming the member, saying nobody was
// submitted.
func inBulk(err error, name string, many bool) error {
	if !many {
		return err
	}
	msg := ErrorMessage(err)
	if !strings.Contains(msg, name) {
		msg = fmt.Sprintf("%s：%s", name, msg)
	}
	return Wrap(ErrorCode(err), err, "%s所有人都没有提交，请处理后重试。", msg)
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
