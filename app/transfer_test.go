package app_test

// Tests of organization-relation transfers (R-T1..R-T7), the notification
// centre (R-N1), introduction letters (R-L1, R-L2) and the province scope of
// targets (R-O3). Every case runs on its own copy of one prepared store with
// a clock it moves itself; sessions come from the real sign-in use cases.

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"tuanwu/app"
	"tuanwu/data"
)

const twPass = "Tuanwu#2025tw"

// twWorld is the prepared store: the demo university with its outside
// organizations, a test branch in the first college (which has the
// 出国(境)学习研究团员团支部), and administrators on every side.
//
//	浙江明理大学团委 (owner)
//	├── 信息与电子工程学院团委 (colX: 陈老师)
//	│   ├── 2021级转接测试1班团支部 (branch): 张三 (own account), 李四
//	│   └── 出国(境)学习研究团员团支部 (abroad)
//	└── 经济学院团委 (colY: 吴老师)
//	    └── 2021级转接测试2班团支部 (yBranch): 王五
//	共青团浙江省委员会 (prov: 省委老师)
//	├── 浙江省特殊单位专属库 (special)
//	└── 共青团杭州市委员会/西湖区文新街道团工委 (street: 街道老师)
//	    ├── 文新街道学社衔接临时团支部 (transit)
//	    └── 文新街道社区团支部 (community)
//	江苏金陵师范大学团委/教育科学学院团委 (jlCol: 金陵老师)/2026级教育学硕士研究生团支部 (jlBranch)
//	北京燕园科技大学团委/计算机学院团委/2026级软件工程硕士研究生团支部 (bjBranch; nobody here administers it)
//	杭州未来科技有限公司团委/研发中心团总支 (coZZ)/研发一部团支部 (coBranch; nobody here administers them)
type twWorld struct {
	template string
	start    time.Time

	owner, colX, colY, prov, street, jl, self *app.Session
	selfID, peerID, yID                       string

	root, colXOrg, colYOrg, branch, yBranch, abroad, provOrg, special        app.Org
	jlCol, jlBranch, bjBranch, coZZ, coBranch, streetOrg, transit, community app.Org
}

// twSignIn signs in an account on its initial password and changes it.
func twSignIn(t *testing.T, svc *app.Service, id string) *app.Session {
	t.Helper()
	ctx := context.Background()
	ss, err := svc.SignIn(ctx, id, app.InitialPassword(id))
	wantCode(t, "first SignIn of "+id, err, app.EMustChange)
	if err := svc.ChangePassword(ctx, ss, app.InitialPassword(id), twPass); err != nil {
		t.Fatalf("ChangePassword %s: %v", id, err)
	}
	return ss
}

func buildTransferWorld(t *testing.T) *twWorld {
	t.Helper()
	ctx := context.Background()
	svc, st, clock := newService(t)
	w := &twWorld{start: *clock}
	if _, err := svc.Demo(ctx, app.DemoOptions{Members: 200, Neighbours: true}, nil); err != nil {
		t.Fatalf("Demo: %v", err)
	}
	w.owner = twSignIn(t, svc, app.DemoAdminID)
	resolve := func(path string) app.Org {
		t.Helper()
		o, err := svc.ResolveOrg(ctx, w.owner, path)
		if err != nil {
			t.Fatalf("ResolveOrg %s: %v", path, err)
		}
		return o
	}
	w.root = resolve("浙江明理大学团委")
	w.colXOrg = resolve("浙江明理大学团委/信息与电子工程学院团委")
	w.colYOrg = resolve("浙江明理大学团委/经济学院团委")
	w.abroad = resolve("浙江明理大学团委/信息与电子工程学院团委/出国(境)学习研究团员团支部")
	w.provOrg = resolve("共青团浙江省委员会")
	w.special = resolve("共青团浙江省委员会/浙江省特殊单位专属库")
	w.streetOrg = resolve("共青团浙江省委员会/共青团杭州市委员会/西湖区文新街道团工委")
	w.transit = resolve(w.streetOrg.FullName + "/文新街道学社衔接临时团支部")
	w.community = resolve(w.streetOrg.FullName + "/文新街道社区团支部")
	w.jlCol = resolve("江苏金陵师范大学团委/教育科学学院团委")
	w.jlBranch = resolve(w.jlCol.FullName + "/2026级教育学硕士研究生团支部")
	w.bjBranch = resolve("北京燕园科技大学团委/计算机学院团委/2026级软件工程硕士研究生团支部")
	w.coZZ = resolve("杭州未来科技有限公司团委/研发中心团总支")
	w.coBranch = resolve(w.coZZ.FullName + "/研发一部团支部")
	addBranch := func(parent app.Org, name string) app.Org {
		o, _, err := svc.AddOrg(ctx, w.owner, app.NewOrg{ParentID: parent.ID, Name: name, Kind: app.KindBranch})
		if err != nil {
			t.Fatalf("AddOrg %s: %v", name, err)
		}
		return o
	}
	w.branch = addBranch(w.colXOrg, "2021级转接测试1班团支部")
	w.yBranch = addBranch(w.colYOrg, "2021级转接测试2班团支部")

	// Members (region 110101 is not one the demo uses, so no clash).
	w.selfID, w.peerID, w.yID = idOf(t, "11010120010315001"), idOf(t, "11010120010416002"), idOf(t, "11010120010517003")
	for _, m := range []app.Member{
		{OrgID: w.branch.ID, Name: "张三", IDNo: w.selfID, JoinMonth: "2016-05"},
		{OrgID: w.branch.ID, Name: "李四", IDNo: w.peerID, JoinMonth: "2016-05"},
		{OrgID: w.yBranch.ID, Name: "王五", IDNo: w.yID, JoinMonth: "2016-05"},
	} {
		if _, err := svc.AddMember(ctx, w.owner, m); err != nil {
			t.Fatalf("AddMember %s: %v", m.Name, err)
		}
	}
	w.self = twSignIn(t, svc, w.selfID) // R-A5: the member's own account

	admin := func(org app.Org, first17, name string) *app.Session {
		t.Helper()
		id := idOf(t, first17)
		if _, err := svc.AddCadre(ctx, w.owner, app.CadreInput{OrgID: org.ID, IDNo: id, Name: name, Post: "书记", Nature: "专职", PostSince: "2024-09"}); err != nil {
			t.Fatalf("AddCadre %s: %v", name, err)
		}
		if _, err := svc.AddAdmin(ctx, w.owner, org.ID, id); err != nil {
			t.Fatalf("AddAdmin %s: %v", name, err)
		}
		return twSignIn(t, svc, id)
	}
	w.colX = admin(w.colXOrg, "31010119900101001", "陈老师")
	w.colY = admin(w.colYOrg, "31010119900202002", "吴老师")
	w.prov = admin(w.provOrg, "31010119900303003", "省委老师")
	w.street = admin(w.streetOrg, "31010119900404004", "街道老师")
	w.jl = admin(w.jlCol, "32010619900505005", "金陵老师")

	w.template = filepath.Join(t.TempDir(), "transfer-template.db")
	if err := st.Backup(ctx, w.template); err != nil {
		t.Fatalf("Backup: %v", err)
	}
	return w
}

// twCase is one case on its own copy of the prepared store.
type twCase struct {
	w     *twWorld
	svc   *app.Service
	store *data.Store
	now   time.Time
}

func (w *twWorld) open(t *testing.T) *twCase {
	t.Helper()
	b, err := os.ReadFile(w.template)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "case.db")
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	st, err := openFileStore(t, path)
	if err != nil {
		t.Fatalf("data.Open: %v", err)
	}
	t.Cleanup(func() { st.Close() })
	c := &twCase{w: w, store: st, now: w.start}
	c.svc = app.NewService(st)
	c.svc.Now = func() time.Time { return c.now }
	return c
}

var twCtx = context.Background()

func (c *twCase) transfer(t *testing.T, no int64) app.Transfer {
	t.Helper()
	var tr app.Transfer
	if err := c.store.Read(twCtx, func(tx app.Tx) (err error) { tr, err = tx.Transfer(no); return err }); err != nil {
		t.Fatalf("Transfer %d: %v", no, err)
	}
	return tr
}

func (c *twCase) member(t *testing.T, id string) app.Member {
	t.Helper()
	var m app.Member
	if err := c.store.Read(twCtx, func(tx app.Tx) (err error) { m, err = tx.Member(id); return err }); err != nil {
		t.Fatalf("Member %s: %v", id, err)
	}
	return m
}

func (c *twCase) transfersOf(t *testing.T, id string) []app.Transfer {
	t.Helper()
	var list []app.Transfer
	if err := c.store.Read(twCtx, func(tx app.Tx) (err error) {
		list, err = tx.Transfers(app.TransferFilter{IDNo: id})
		return err
	}); err != nil {
		t.Fatalf("Transfers of %s: %v", id, err)
	}
	return list
}

func (c *twCase) sweep(t *testing.T) app.SweepResult {
	t.Helper()
	res, err := c.svc.Sweep(twCtx)
	if err != nil {
		t.Fatalf("Sweep at %s: %v", c.now.Format("2006-01-02"), err)
	}
	return res
}

// snapshot is everything a refused call must leave as it was: transfers with
// their steps, the members, the letters and the length of the audit trail.
func (c *twCase) snapshot(t *testing.T) string {
	t.Helper()
	var b strings.Builder
	err := c.store.Read(twCtx, func(tx app.Tx) error {
		trs, err := tx.Transfers(app.TransferFilter{})
		if err != nil {
			return err
		}
		for _, tr := range trs {
			fmt.Fprintf(&b, "%+v\n", tr)
		}
		for _, id := range []string{c.w.selfID, c.w.peerID, c.w.yID} {
			m, err := tx.Member(id)
			if err != nil {
				return err
			}
			fmt.Fprintf(&b, "%+v\n", m)
		}
		ls, err := tx.Letters(nil)
		if err != nil {
			return err
		}
		fmt.Fprintf(&b, "%+v\n", ls)
		au, err := tx.Audit(app.AuditFilter{})
		fmt.Fprintf(&b, "audit %d\n", len(au))
		return err
	})
	if err != nil {
		t.Fatalf("snapshot: %v", err)
	}
	return b.String()
}

// refused checks that err is an *app.Error with the code and that nothing changed.
func (c *twCase) refused(t *testing.T, what string, before string, err error, code app.Code) {
	t.Helper()
	var ae *app.Error
	if !errors.As(err, &ae) {
		t.Fatalf("%s: error %v (%T), want an *app.Error with code %q", what, err, err, code)
	}
	if ae.Code != code {
		t.Fatalf("%s: code %q (%s), want %q", what, ae.Code, ae.Message, code)
	}
	if !strings.ContainsAny(ae.Message, "。！？") {
		t.Errorf("%s: message %q is not a Chinese sentence", what, ae.Message)
	}
	if after := c.snapshot(t); after != before {
		t.Fatalf("%s: a refused call changed the store:\nbefore %s\nafter  %s", what, before, after)
	}
}

// ---- the state machine ----

// twChain is one initiator × reason × target kind.
type twChain struct {
	name      string
	initiator string
	in        app.TransferInput // without IDNos
	target    app.Org           // the chosen target; zero for special, abroad and keeping
	land      app.Org           // where the member ends up
	assign    bool              // the target is a committee: 分配团支部 after approval (R-T3)
	refused   app.Code          // a combination that does not exist: start is refused with this code
}

type twStep struct {
	kind string
	org  int64
}

// expected is the approval chain of R-T3, worked out here from the rule.
func (w *twWorld) expected(ch twChain) []twStep {
	var s []twStep
	switch ch.in.Reason {
	case app.ReasonSpecial:
		if ch.initiator == app.ByMember {
			s = append(s, twStep{app.StepOut, w.branch.ID})
		}
		return append(s, twStep{app.StepProvince, w.provOrg.ID})
	case app.ReasonAbroadStudy:
		if ch.initiator == app.ByMember {
			s = append(s, twStep{app.StepOut, w.branch.ID})
		}
		return append(s, twStep{app.StepSchool, w.root.ID})
	}
	switch ch.initiator {
	case app.ByOutOrg:
		s = append(s, twStep{app.StepIn, ch.target.ID})
	case app.ByInOrg:
		s = append(s, twStep{app.StepOut, w.branch.ID})
	case app.ByMember:
		s = append(s, twStep{app.StepOut, w.branch.ID}, twStep{app.StepIn, ch.target.ID})
	}
	if ch.assign {
		s = append(s, twStep{app.StepAssign, ch.target.ID})
	}
	return s
}

// actor is the administrator who acts on a step at an organization: the
// branch's direct superior, the receiving side's administrator, the 团省委,
// the school committee, or — for an outside organization nobody here
// administers — the store owner recording its decision.
func (w *twWorld) actor(org int64) *app.Session {
	switch org {
	case w.branch.ID:
		return w.colX
	case w.root.ID:
		return w.owner
	case w.provOrg.ID:
		return w.prov
	case w.jlCol.ID, w.jlBranch.ID:
		return w.jl
	case w.streetOrg.ID, w.transit.ID, w.community.ID:
		return w.street
	}
	return w.owner
}

// outsiders are sessions that may not act on the step at org: another
// college, the member, and for the member's branch the school above the
// college (R-T3: not the branch's direct superior), for any other step the
// sending college.
func (w *twWorld) outsiders(org int64) []*app.Session {
	if org == w.branch.ID {
		return []*app.Session{w.colY, w.self, w.owner}
	}
	return []*app.Session{w.colY, w.self, w.colX}
}

func (w *twWorld) chains() []twChain {
	study := func(to app.Org) app.TransferInput {
		return app.TransferInput{Reason: app.ReasonStudy, ToOrg: to.ID, Scope: "否", Unit: "江苏金陵师范大学", Address: "江苏省南京市鼓楼区北京西路 122 号", Remark: "教育科学学院 2025 级硕士"}
	}
	job := func(reason string, to app.Org) app.TransferInput {
		return app.TransferInput{Reason: reason, ToOrg: to.ID, Scope: "否", Unit: "杭州未来科技有限公司", Address: "浙江省杭州市余杭区文一西路 998 号"}
	}
	type tgt struct {
		in     app.TransferInput
		target app.Org
		land   app.Org
		assign bool
		kind   string
	}
	branchT := func(in app.TransferInput, to app.Org) tgt {
		return tgt{in, to, to, false, "团支部"}
	}
	committeeT := func(in app.TransferInput, to, land app.Org) tgt {
		return tgt{in, to, land, true, "团委+分配团支部"}
	}
	bj := study(w.bjBranch)
	bj.Scope, bj.Unit, bj.Address = "北京", "北京燕园科技大学", "北京市海淀区中关村大街 1 号"
	noOrg := func(to app.Org) app.TransferInput {
		return app.TransferInput{Reason: app.ReasonJobNoOrg, ToOrg: to.ID, Scope: "否", Unit: "文新街道某某文化工作室", Address: "浙江省杭州市西湖区文一路 1 号"}
	}
	private := func(to app.Org) app.TransferInput {
		return app.TransferInput{Reason: app.ReasonAbroadPrivate, ToOrg: to.ID, Scope: "否", Address: "浙江省杭州市西湖区文新街道某小区 3 幢"}
	}
	unemployed := func(to app.Org) app.TransferInput {
		return app.TransferInput{Reason: app.ReasonUnemployed, ToOrg: to.ID, Scope: "否", Address: "浙江省杭州市西湖区文新街道某小区 3 幢"}
	}
	targets := map[string][]tgt{
		app.ReasonStudy: {branchT(study(w.jlBranch), w.jlBranch), committeeT(study(w.jlCol), w.jlCol, w.jlBranch),
			{bj, w.bjBranch, w.bjBranch, false, "北京团支部"}},
		app.ReasonJobWithOrg:     {branchT(job(app.ReasonJobWithOrg, w.coBranch), w.coBranch), committeeT(job(app.ReasonJobWithOrg, w.coZZ), w.coZZ, w.coBranch)},
		app.ReasonJobNoOrg:       {branchT(noOrg(w.transit), w.transit), committeeT(noOrg(w.streetOrg), w.streetOrg, w.transit)},
		app.ReasonAbroadOfficial: {branchT(job(app.ReasonAbroadOfficial, w.coBranch), w.coBranch), committeeT(job(app.ReasonAbroadOfficial, w.coZZ), w.coZZ, w.coBranch)},
		app.ReasonAbroadStudy: {{app.TransferInput{Reason: app.ReasonAbroadStudy, AbroadPlace: "英国伦敦", AbroadPeriod: "2025-09 至 2026-08",
			Contact: "张建国（父亲）", ContactPhone: "13800138000"}, app.Org{}, w.abroad, false, "出国(境)学习研究团员团支部"}},
		app.ReasonAbroadPrivate: {branchT(private(w.community), w.community), committeeT(private(w.streetOrg), w.streetOrg, w.community)},
		app.ReasonUnemployed: {branchT(unemployed(w.transit), w.transit), committeeT(unemployed(w.streetOrg), w.streetOrg, w.community),
			{app.TransferInput{Reason: app.ReasonUnemployed, KeepMonths: 6, Address: "浙江省杭州市"}, app.Org{}, app.Org{}, false, "留校保留"}},
		app.ReasonSpecial: {{app.TransferInput{Reason: app.ReasonSpecial, Remark: "参军入伍"}, app.Org{}, w.special, false, "特殊单位专属库"}},
	}
	var out []twChain
	for _, init := range []string{app.ByOutOrg, app.ByInOrg, app.ByMember} {
		for _, reason := range app.Reasons {
			ts := targets[reason]
			if len(ts) == 0 {
				panic("no target for " + reason)
			}
			for _, tg := range ts {
				ch := twChain{name: init + "/" + reason + "/" + tg.kind, initiator: init, in: tg.in, target: tg.target, land: tg.land, assign: tg.assign}
				if init == app.ByInOrg && tg.target.ID == 0 {
					// 办理转入 always names the receiving organization: the
					// special library, the abroad branch and keeping at school
					// take no target, so these combinations are refused.
					ch.refused = app.EInvalid
					switch reason {
					case app.ReasonSpecial:
						ch.target = w.special
					case app.ReasonAbroadStudy:
						ch.target = w.abroad
					default:
						ch.target = w.transit
					}
				}
				out = append(out, ch)
			}
		}
	}
	return out
}

// start starts the chain's transfer for 张三 as its initiator.
func (c *twCase) start(ch twChain) (app.Transfer, error) {
	w := c.w
	in := ch.in
	in.IDNos = []string{w.selfID}
	switch ch.initiator {
	case app.ByOutOrg:
		ts, err := c.svc.StartTransfer(twCtx, w.colX, in)
		if err != nil {
			return app.Transfer{}, err
		}
		return ts[0], nil
	case app.ByMember:
		ts, err := c.svc.StartTransfer(twCtx, w.self, in)
		if err != nil {
			return app.Transfer{}, err
		}
		return ts[0], nil
	}
	in.Name, in.ToOrg = "张三", ch.target.ID
	return c.svc.PullTransfer(twCtx, w.actor(ch.target.ID), in)
}

// plans lists every outcome sequence over n approval steps: each step is
// approved (A), rejected (R, which ends the transfer) or approved by
// default after 15 days (D); "J" jumps the clock 40 days after the start, so
// that the defaults chain.
func plans(n int) []string {
	var out []string
	var walk func(prefix string)
	walk = func(prefix string) {
		if len(prefix) == n {
			out = append(out, prefix)
			return
		}
		out = append(out, prefix+"R")
		walk(prefix + "A")
		walk(prefix + "D")
	}
	walk("")
	return append(out, "J")
}

// check asserts the properties that hold after every action.
func (c *twCase) check(t *testing.T, ch twChain, no int64, what string) app.Transfer {
	t.Helper()
	w := c.w
	tr := c.transfer(t, no)
	m := c.member(t, w.selfID)
	// A member always belongs to exactly one organization: the one it came
	// from until the transfer is done, then the branch it lands in (R-T3, R-T5).
	wantOrg := w.branch
	if tr.State == app.StateDone {
		wantOrg = ch.land
		if tr.ToOrg != ch.land.ID || tr.FinishedAt.IsZero() {
			t.Fatalf("%s: done transfer to %d (%s) finished %v, want %s", what, tr.ToOrg, tr.ToName, tr.FinishedAt, ch.land.FullName)
		}
	}
	if m.OrgID != wantOrg.ID || m.OrgName != wantOrg.FullName {
		t.Fatalf("%s: 张三 is in %d %s, want %s (state %s)", what, m.OrgID, m.OrgName, wantOrg.FullName, tr.State)
	}
	var rows int
	err := c.store.Read(twCtx, func(tx app.Tx) error {
		return tx.Members(app.MemberQuery{Text: w.selfID, IncludeLeft: true}, func(app.Member) error { rows++; return nil })
	})
	if err != nil || rows != 1 {
		t.Fatalf("%s: 张三 found %d times (%v), want exactly once", what, rows, err)
	}
	// At most one open transfer.
	open := 0
	for _, x := range c.transfersOf(t, w.selfID) {
		if x.IsOpen() || x.State == app.StateKept {
			open++
		}
	}
	if open > 1 {
		t.Fatalf("%s: 张三 has %d open transfers", what, open)
	}
	// The steps: the chain of R-T3, acted in order, at most one open, each
	// approval step due 15 days after it opened (R-T4), assignment never due.
	exp := w.expected(ch)
	if tr.State == app.StateKept || tr.State == app.StateKeptEnded {
		exp = nil
	}
	if len(tr.Steps) != len(exp) {
		t.Fatalf("%s: %d steps %+v, want %+v", what, len(tr.Steps), tr.Steps, exp)
	}
	openSteps, reached := 0, true
	for i, st := range tr.Steps {
		if st.Kind != exp[i].kind || st.OrgID != exp[i].org || st.Seq != i+1 {
			t.Fatalf("%s: step %d is %s at %d (%s), want %s at %d", what, i+1, st.Kind, st.OrgID, st.OrgName, exp[i].kind, exp[i].org)
		}
		if !reached && !st.OpenedAt.IsZero() {
			t.Fatalf("%s: step %d opened after an unfinished step", what, i+1)
		}
		if st.OpenedAt.IsZero() {
			reached = false
			if !st.DueAt.IsZero() || !st.ActedAt.IsZero() {
				t.Fatalf("%s: unopened step %d has a due or acted date: %+v", what, i+1, st)
			}
			continue
		}
		if st.Kind == app.StepAssign {
			if !st.DueAt.IsZero() {
				t.Fatalf("%s: 分配团支部 has a due date %v: assignment is never automatic", what, st.DueAt)
			}
		} else if !st.DueAt.Equal(st.OpenedAt.AddDate(0, 0, app.StepDays)) {
			t.Fatalf("%s: step %d opened %v is due %v, want 15 days later", what, i+1, st.OpenedAt, st.DueAt)
		}
		if st.IsOpen() {
			openSteps++
			reached = false
			if st.Kind != app.StepAssign {
				left := int(st.DueAt.Sub(c.now).Hours()+23.999) / 24
				if left < 0 {
					left = 0
				}
				if got := st.DaysLeft(c.now); got != left || got > app.StepDays {
					t.Fatalf("%s: days left %d, want %d", what, got, left)
				}
			}
		} else if st.Outcome == "" || st.Actor == "" || st.ActedAt.Before(st.OpenedAt) {
			t.Fatalf("%s: acted step %d without outcome, actor or time: %+v", what, i+1, st)
		}
	}
	switch tr.State {
	case app.StateApproving, app.StateAssigning:
		cur, ok := tr.Current()
		if openSteps != 1 || !ok || (cur.Kind == app.StepAssign) != (tr.State == app.StateAssigning) {
			t.Fatalf("%s: state %s with %d open steps (current %+v)", what, tr.State, openSteps, cur)
		}
	case app.StateDone, app.StateRejected:
		if openSteps != 0 {
			t.Fatalf("%s: %s transfer with an open step", what, tr.State)
		}
		if tr.State == app.StateRejected && (tr.RejectReason == "" || tr.Steps[len(tr.Steps)-1].Outcome == "" && !hasOutcome(tr, app.OutcomeRejected)) {
			t.Fatalf("%s: rejected without a reason or a 退回 step: %+v", what, tr)
		}
	case app.StateKept, app.StateKeptEnded:
		if tr.KeepUntil != w.start.AddDate(0, ch.in.KeepMonths, 0).Format("2006-01-02") {
			t.Fatalf("%s: kept until %s", what, tr.KeepUntil)
		}
	default:
		t.Fatalf("%s: unexpected state %s", what, tr.State)
	}
	c.replay(t, tr, what)
	if p, err := c.store.Check(twCtx); err != nil || len(p) > 0 {
		t.Fatalf("%s: store check: %v %q", what, err, p)
	}
	return tr
}

func hasOutcome(tr app.Transfer, outcome string) bool {
	for _, s := range tr.Steps {
		if s.Outcome == outcome {
			return true
		}
	}
	return false
}

// replay rebuilds the transfer from the member's audit trail, read as the
// store owner: 发起 → each step's outcome → 办结, and compares the result with
// the stored transfer and the member's organization (R-X6, R-T4: defaults
// are recorded as such).
func (c *twCase) replay(t *testing.T, tr app.Transfer, what string) {
	t.Helper()
	entries, err := c.svc.Audit(twCtx, c.w.owner, app.AuditFilter{Member: tr.IDNo})
	if err != nil {
		t.Fatalf("%s: Audit: %v", what, err)
	}
	prefix := fmt.Sprintf("转接第 %d 号 ", tr.No)
	var mine []app.AuditEntry
	for i := len(entries) - 1; i >= 0; i-- {
		if strings.HasPrefix(entries[i].Object, prefix) {
			mine = append(mine, entries[i])
		}
	}
	dump := func() string {
		var b strings.Builder
		for _, e := range mine {
			fmt.Fprintf(&b, "\n  %s %s %s: %s → %s", e.At.Format("01-02"), e.Actor, e.Action, e.Before, e.After)
		}
		return b.String()
	}
	if len(mine) == 0 || mine[0].Action != "发起组织关系转接" || !strings.Contains(mine[0].After, tr.Reason) ||
		!strings.Contains(mine[0].After, tr.Initiator+"发起") || mine[0].Actor != tr.StartedBy {
		t.Fatalf("%s: the trail does not start with 发起组织关系转接:%s", what, dump())
	}
	org := mine[0].Before
	state := app.StateApproving
	if tr.State == app.StateKept || tr.State == app.StateKeptEnded {
		state = app.StateKept
		if !strings.Contains(mine[0].After, "留校保留至 "+tr.KeepUntil) {
			t.Fatalf("%s: keeping not in the trail:%s", what, dump())
		}
	}
	acted := 0
	for _, e := range mine[1:] {
		if acted >= len(tr.Steps) || state == app.StateDone || state == app.StateRejected {
			t.Fatalf("%s: more step entries than acted steps:%s", what, dump())
		}
		st := tr.Steps[acted]
		want := st.Kind + st.Outcome
		if st.Kind == app.StepAssign {
			want = app.StepAssign
		}
		if e.Action != want || e.Actor != st.Actor || !e.At.Equal(st.ActedAt) {
			t.Fatalf("%s: entry %q by %s at %v, want %q by %s at %v:%s", what, e.Action, e.Actor, e.At, want, st.Actor, st.ActedAt, dump())
		}
		acted++
		switch {
		case st.Outcome == app.OutcomeRejected:
			state = app.StateRejected
			if e.After != tr.RejectReason {
				t.Fatalf("%s: 退回 entry says %q, want the reason %q", what, e.After, tr.RejectReason)
			}
		case acted == len(tr.Steps):
			// The last step finishes the transfer: the member moves, before → after.
			if e.Before != org || e.After == "" {
				t.Fatalf("%s: the finishing entry moves the member %q → %q, want from %q:%s", what, e.Before, e.After, org, dump())
			}
			org, state = e.After, app.StateDone
		default:
			if e.After != app.StateApproving && e.After != app.StateAssigning {
				t.Fatalf("%s: step entry leaves the state %q:%s", what, e.After, dump())
			}
			state = e.After
		}
	}
	if state == app.StateApproving && acted < len(tr.Steps) && tr.Steps[acted].Kind == app.StepAssign {
		state = app.StateAssigning
	}
	if tr.State == app.StateKeptEnded && state == app.StateKept {
		state = app.StateKeptEnded // ended by the next transfer, which has its own trail
	}
	wantActed := 0
	for _, s := range tr.Steps {
		if !s.ActedAt.IsZero() {
			wantActed++
		}
	}
	m := c.member(t, tr.IDNo)
	if state != tr.State || acted != wantActed || (tr.State != app.StateKeptEnded && org != m.OrgName) {
		t.Fatalf("%s: the trail replays to %s in %s after %d steps; the store has %s in %s after %d:%s",
			what, state, org, acted, tr.State, m.OrgName, wantActed, dump())
	}
}

// TestTransferStateMachine_R_T1_R_T3_R_T4_R_T5 walks every initiator (R-T1)
// × every reason (R-T2) × target kind (branch, committee with 分配团支部,
// special library, abroad branch, keeping at school) × every outcome
// sequence (approve, reject, default after 15 days, chained defaults).
func TestTransferStateMachine_R_T1_R_T3_R_T4_R_T5(t *testing.T) {
	w := buildTransferWorld(t)
	covered := map[string]bool{}
	for _, ch := range w.chains() {
		ch := ch
		covered[ch.initiator+"/"+ch.in.Reason] = true
		if ch.refused != "" || ch.in.KeepMonths > 0 {
			t.Run(ch.name, func(t *testing.T) {
				c := w.open(t)
				before := c.snapshot(t)
				tr, err := c.start(ch)
				if ch.refused != "" {
					c.refused(t, "start", before, err, ch.refused)
					return
				}
				c.keep(t, ch, tr, err)
			})
			continue
		}
		approvals := 0
		for _, s := range w.expected(ch) {
			if s.kind != app.StepAssign {
				approvals++
			}
		}
		for _, plan := range plans(approvals) {
			plan := plan
			t.Run(ch.name+"/"+plan, func(t *testing.T) {
				t.Parallel()
				c := w.open(t)
				c.walk(t, ch, plan)
			})
		}
	}
	if len(covered) != 3*len(app.Reasons) {
		t.Fatalf("covered %d initiator × reason pairs, want %d", len(covered), 3*len(app.Reasons))
	}
}

// walk runs one outcome plan on a chain.
func (c *twCase) walk(t *testing.T, ch twChain, plan string) {
	w := c.w
	tr, err := c.start(ch)
	if err != nil {
		t.Fatalf("start: %v", err)
	}
	if tr.Initiator != ch.initiator || tr.State != app.StateApproving || tr.No == 0 {
		t.Fatalf("started %+v", tr)
	}
	no := tr.No
	started := c.now
	tr = c.check(t, ch, no, "start")
	if plan == "J" {
		// Nobody acts: the clock jumps 40 days and one sweep approves every
		// approval step by default, each on its own due date (R-T4).
		c.now = started.AddDate(0, 0, 40)
		res := c.sweep(t)
		tr = c.check(t, ch, no, "sweep +40 days")
		due := started
		n := 0
		for _, st := range tr.Steps {
			if st.Kind == app.StepAssign {
				continue
			}
			n++
			due = due.AddDate(0, 0, app.StepDays)
			if st.Outcome != app.OutcomeDefault || st.Actor != "系统" || !st.ActedAt.Equal(due) || !st.OpenedAt.Equal(due.AddDate(0, 0, -app.StepDays)) {
				t.Fatalf("chained default: step %+v, want 系统默认通过 on %v", st, due)
			}
		}
		if res.Defaulted != n || (res.Finished == 1) != !ch.assign {
			t.Fatalf("sweep result %+v for %d steps", res, n)
		}
	}
	for i := 0; plan != "J" && i < len(plan); i++ {
		st, ok := tr.Current()
		if !ok || st.Kind == app.StepAssign {
			t.Fatalf("plan %s: no approval step %d open: %+v", plan, i+1, tr)
		}
		actor := w.actor(st.OrgID)
		label := fmt.Sprintf("%c at step %d %s", plan[i], i+1, st.Kind)
		switch plan[i] {
		case 'A', 'R':
			c.now = c.now.Add(24 * time.Hour)
			before := c.snapshot(t)
			for _, o := range w.outsiders(st.OrgID) {
				_, err := c.svc.ApproveTransfer(twCtx, o, no)
				c.refused(t, "approval by "+o.Account.Name, before, err, app.EForbidden)
				_, err = c.svc.RejectTransfer(twCtx, o, no, "不同意")
				c.refused(t, "rejection by "+o.Account.Name, before, err, app.EForbidden)
			}
			if plan[i] == 'A' {
				got, err := c.svc.ApproveTransfer(twCtx, actor, no)
				if err != nil {
					t.Fatalf("%s: %v", label, err)
				}
				if s := got.Steps[i]; s.Outcome != app.OutcomeApproved || s.Actor != actor.Account.IDNo || !s.ActedAt.Equal(c.now) {
					t.Fatalf("%s: step recorded as %+v", label, s)
				}
			} else {
				got, err := c.svc.RejectTransfer(twCtx, actor, no, "材料不全，请补充后重新办理")
				if err != nil {
					t.Fatalf("%s: %v", label, err)
				}
				if got.State != app.StateRejected || got.RejectReason != "材料不全，请补充后重新办理" {
					t.Fatalf("%s: %+v", label, got)
				}
			}
		case 'D':
			// Day 14: still open, flagged (R-T4: reminder after 10 days).
			c.now = st.OpenedAt.AddDate(0, 0, app.StepDays-1)
			if res := c.sweep(t); res.Defaulted != 0 {
				t.Fatalf("%s: sweep on day 14 defaulted %d", label, res.Defaulted)
			}
			tr = c.check(t, ch, no, label+" day 14")
			if cur, _ := tr.Current(); cur.ID != st.ID || cur.RemindedAt.IsZero() || cur.DaysLeft(c.now) != 1 {
				t.Fatalf("%s: on day 14 the step is %+v, want open, reminded, 1 day left", label, cur)
			}
			// Day 15: approved by default, recorded on its due date.
			c.now = st.DueAt
			if res := c.sweep(t); res.Defaulted != 1 {
				t.Fatalf("%s: sweep on the due date defaulted %d", label, res.Defaulted)
			}
		}
		tr = c.check(t, ch, no, label)
		if plan[i] == 'D' {
			s := tr.Steps[i]
			if s.Outcome != app.OutcomeDefault || s.Actor != "系统" || !s.ActedAt.Equal(st.DueAt) {
				t.Fatalf("%s: step recorded as %+v", label, s)
			}
		}
	}
	if tr.State == app.StateRejected {
		// R-T5: the member stays where they were; a later sweep changes nothing.
		c.now = c.now.AddDate(0, 0, 40)
		if res := c.sweep(t); res.Defaulted != 0 {
			t.Fatalf("sweep after rejection: %+v", res)
		}
		c.check(t, ch, no, "after rejection")
		return
	}
	if ch.assign {
		if tr.State != app.StateAssigning {
			t.Fatalf("after approval: state %s, want %s", tr.State, app.StateAssigning)
		}
		// Assignment is never automatic, however long it waits (R-T4).
		c.now = c.now.AddDate(0, 0, 100)
		if res := c.sweep(t); res.Defaulted != 0 || res.Finished != 0 {
			t.Fatalf("sweep while waiting for assignment: %+v", res)
		}
		tr = c.check(t, ch, no, "waiting for assignment")
		st, _ := tr.Current()
		c.now = c.now.Add(24 * time.Hour)
		before := c.snapshot(t)
		_, err := c.svc.ApproveTransfer(twCtx, w.actor(st.OrgID), no)
		c.refused(t, "approving an assignment step", before, err, app.EConflict)
		for _, o := range w.outsiders(st.OrgID) {
			_, err = c.svc.AssignTransfer(twCtx, o, no, ch.land.ID)
			c.refused(t, "assignment by "+o.Account.Name, before, err, app.EForbidden)
		}
		got, err := c.svc.AssignTransfer(twCtx, w.actor(st.OrgID), no, ch.land.ID)
		if err != nil {
			t.Fatalf("assign: %v", err)
		}
		if s := got.Steps[len(got.Steps)-1]; s.Outcome != app.OutcomeAssigned || s.Note != ch.land.FullName {
			t.Fatalf("assignment recorded as %+v", s)
		}
		tr = c.check(t, ch, no, "assigned")
	}
	if tr.State != app.StateDone {
		t.Fatalf("plan %s ended in %s", plan, tr.State)
	}
	// Approving a finished transfer again is refused.
	before := c.snapshot(t)
	_, err = c.svc.ApproveTransfer(twCtx, w.actor(tr.Steps[len(tr.Steps)-1].OrgID), no)
	c.refused(t, "approving a finished transfer", before, err, app.EConflict)
}

// keep checks 未就业 kept at school (R-T2): no steps, the member stays, at
// most 6 months; a later transfer ends the keeping.
func (c *twCase) keep(t *testing.T, ch twChain, tr app.Transfer, err error) {
	w := c.w
	if err != nil {
		t.Fatalf("start: %v", err)
	}
	if tr.State != app.StateKept || len(tr.Steps) != 0 || tr.ToOrg != 0 {
		t.Fatalf("kept transfer %+v", tr)
	}
	c.check(t, ch, tr.No, "kept")
	c.now = c.now.AddDate(0, 0, 40)
	if res := c.sweep(t); res.Defaulted != 0 {
		t.Fatalf("sweep of a kept transfer: %+v", res)
	}
	c.check(t, ch, tr.No, "kept +40 days")
	next := twChain{name: "after keeping", initiator: app.ByOutOrg, target: w.transit, land: w.transit,
		in: app.TransferInput{Reason: app.ReasonUnemployed, ToOrg: w.transit.ID, Scope: "否", Address: "浙江省杭州市西湖区"}}
	tr2, err := c.start(next)
	if err != nil {
		t.Fatalf("transfer after keeping: %v", err)
	}
	if old := c.transfer(t, tr.No); old.State != app.StateKeptEnded {
		t.Fatalf("the keeping was not ended: %+v", old)
	}
	c.check(t, ch, tr.No, "keeping ended")
	c.now = c.now.Add(24 * time.Hour)
	if _, err := c.svc.ApproveTransfer(twCtx, w.street, tr2.No); err != nil {
		t.Fatalf("approve after keeping: %v", err)
	}
	c.check(t, next, tr2.No, "done after keeping")
}

// ---- bad input ----

// TestTransferRefusals_R_T2_R_O3_R_D2 covers the bad input of the issue:
// each refusal is an *app.Error with the right code and changes nothing.
func TestTransferRefusals_R_T2_R_O3_R_D2(t *testing.T) {
	w := buildTransferWorld(t)
	c := w.open(t)
	try := func(what string, code app.Code, f func() error) {
		t.Helper()
		before := c.snapshot(t)
		c.refused(t, what, before, f(), code)
	}
	start := func(ss *app.Session, in app.TransferInput) func() error {
		return func() error { _, err := c.svc.StartTransfer(twCtx, ss, in); return err }
	}
	one := []string{w.selfID}
	study := app.TransferInput{IDNos: one, Reason: app.ReasonStudy, ToOrg: w.jlBranch.ID, Scope: "否", Unit: "江苏金陵师范大学", Address: "江苏省南京市"}

	// R-T2: each reason's required fields.
	with := func(in app.TransferInput, f func(*app.TransferInput)) app.TransferInput { f(&in); return in }
	job := app.TransferInput{IDNos: one, Reason: app.ReasonJobWithOrg, ToOrg: w.coBranch.ID, Scope: "否", Unit: "杭州未来科技有限公司", Address: "浙江省杭州市"}
	abroad := app.TransferInput{IDNos: one, Reason: app.ReasonAbroadStudy, AbroadPlace: "英国伦敦", AbroadPeriod: "一年", Contact: "张建国", ContactPhone: "13800138000"}
	private := app.TransferInput{IDNos: one, Reason: app.ReasonAbroadPrivate, ToOrg: w.community.ID, Scope: "否", Address: "浙江省杭州市西湖区"}
	unemployed := app.TransferInput{IDNos: one, Reason: app.ReasonUnemployed, ToOrg: w.transit.ID, Scope: "否", Address: "浙江省杭州市西湖区"}
	for name, in := range map[string]app.TransferInput{
		"no reason":                   with(study, func(i *app.TransferInput) { i.Reason = "" }),
		"unknown reason":              with(study, func(i *app.TransferInput) { i.Reason = "毕业" }),
		"升学 without school":           with(study, func(i *app.TransferInput) { i.Unit = " " }),
		"升学 without address":          with(study, func(i *app.TransferInput) { i.Address = "" }),
		"升学 without target":           with(study, func(i *app.TransferInput) { i.ToOrg = 0 }),
		"有团组织 without employer":       with(job, func(i *app.TransferInput) { i.Unit = "" }),
		"有团组织 without address":        with(job, func(i *app.TransferInput) { i.Address = "" }),
		"有团组织 without target":         with(job, func(i *app.TransferInput) { i.ToOrg = 0 }),
		"无团组织 without employer":       with(job, func(i *app.TransferInput) { i.Reason, i.ToOrg, i.Unit = app.ReasonJobNoOrg, w.transit.ID, "" }),
		"无团组织 without target":         with(job, func(i *app.TransferInput) { i.Reason, i.ToOrg = app.ReasonJobNoOrg, 0 }),
		"因公 without sending unit":     with(job, func(i *app.TransferInput) { i.Reason, i.Unit = app.ReasonAbroadOfficial, "" }),
		"因公 without address":          with(job, func(i *app.TransferInput) { i.Reason, i.Address = app.ReasonAbroadOfficial, "" }),
		"学习研究 without place":          with(abroad, func(i *app.TransferInput) { i.AbroadPlace = "" }),
		"学习研究 without period":         with(abroad, func(i *app.TransferInput) { i.AbroadPeriod = "" }),
		"学习研究 without contact":        with(abroad, func(i *app.TransferInput) { i.Contact = "" }),
		"学习研究 without phone":          with(abroad, func(i *app.TransferInput) { i.ContactPhone = "" }),
		"学习研究 with a target":          with(abroad, func(i *app.TransferInput) { i.ToOrg, i.Scope = w.abroad.ID, "否" }),
		"因私 without address":          with(private, func(i *app.TransferInput) { i.Address = "" }),
		"因私 without target":           with(private, func(i *app.TransferInput) { i.ToOrg = 0 }),
		"未就业 without address":         with(unemployed, func(i *app.TransferInput) { i.Address = "" }),
		"未就业 without target or keep":  with(unemployed, func(i *app.TransferInput) { i.ToOrg = 0 }),
		"未就业 kept 7 months":           with(unemployed, func(i *app.TransferInput) { i.ToOrg, i.KeepMonths = 0, 7 }),
		"未就业 kept with a target":      with(unemployed, func(i *app.TransferInput) { i.KeepMonths = 3 }),
		"keeping for 升学":              with(study, func(i *app.TransferInput) { i.KeepMonths = 3 }),
		"特殊单位 with a target":          {IDNos: one, Reason: app.ReasonSpecial, ToOrg: w.special.ID},
		"升学 into the special library": with(study, func(i *app.TransferInput) { i.ToOrg = w.special.ID }),
		"升学 into the abroad branch":   with(study, func(i *app.TransferInput) { i.ToOrg = w.abroad.ID }),
		"升学 into a 团省委":               with(study, func(i *app.TransferInput) { i.ToOrg = w.provOrg.ID }),
		// R-O3: the target's province against the scope answer.
		"北京 target with scope 否":  with(study, func(i *app.TransferInput) { i.ToOrg = w.bjBranch.ID }),
		"江苏 target with scope 北京": with(study, func(i *app.TransferInput) { i.Scope = "北京" }),
		"北京 target with scope 广东": with(study, func(i *app.TransferInput) { i.ToOrg, i.Scope = w.bjBranch.ID, "广东" }),
		"scope 上海":                with(study, func(i *app.TransferInput) { i.Scope = "上海" }),
	} {
		try(name, app.EInvalid, start(w.colX, in))
	}
	try("unknown member", app.ENotFound, start(w.colX, with(study, func(i *app.TransferInput) { i.IDNos = []string{idOf(t, "11010120010618004")} })))
	try("no member", app.EInvalid, start(w.colX, with(study, func(i *app.TransferInput) { i.IDNos = nil })))
	try("another college's member", app.EForbidden, start(w.colY, study))
	try("target is the member's own college", app.EConflict, start(w.colX, with(study, func(i *app.TransferInput) { i.ToOrg, i.Unit = w.colXOrg.ID, "本校" })))
	try("pull without the name (R-T1: 姓名 and 身份证号)", app.EInvalid, func() error {
		_, err := c.svc.PullTransfer(twCtx, w.jl, with(study, func(i *app.TransferInput) { i.Name = " " }))
		return err
	})
	try("pull with the wrong name", app.EConflict, func() error {
		_, err := c.svc.PullTransfer(twCtx, w.jl, with(study, func(i *app.TransferInput) { i.Name = "张四" }))
		return err
	})
	try("pull into an organization not administered", app.EForbidden, func() error {
		_, err := c.svc.PullTransfer(twCtx, w.jl, with(study, func(i *app.TransferInput) { i.Name, i.ToOrg = "张三", w.coBranch.ID }))
		return err
	})
	// A 北京 target with the scope 北京 (or left blank: it follows the target) is accepted.
	bj := with(study, func(i *app.TransferInput) { i.ToOrg, i.Scope = w.bjBranch.ID, "" })
	ts, err := c.svc.StartTransfer(twCtx, w.colX, bj)
	if err != nil || ts[0].Scope != "北京" {
		t.Fatalf("北京 target with a blank scope: %+v, %v", ts, err)
	}
	bjNo := ts[0].No

	// A second transfer for a member with one open: by the college, by the
	// receiving side, by the member, and in a batch (nobody is started).
	try("second transfer", app.EConflict, start(w.colX, study))
	try("second transfer by the member", app.EConflict, start(w.self, study))
	try("second transfer by pull", app.EConflict, func() error {
		_, err := c.svc.PullTransfer(twCtx, w.jl, with(study, func(i *app.TransferInput) { i.Name = "张三" }))
		return err
	})
	try("batch with one open", app.EConflict, start(w.colX, with(study, func(i *app.TransferInput) { i.IDNos = []string{w.peerID, w.selfID} })))

	// Approving, rejecting or assigning a step that is not yours.
	try("another college approves", app.EForbidden, func() error { _, err := c.svc.ApproveTransfer(twCtx, w.colY, bjNo); return err })
	try("the sending college approves the receiving step", app.EForbidden, func() error { _, err := c.svc.ApproveTransfer(twCtx, w.colX, bjNo); return err })
	try("the member approves", app.EForbidden, func() error { _, err := c.svc.ApproveTransfer(twCtx, w.self, bjNo); return err })
	try("another college rejects", app.EForbidden, func() error { _, err := c.svc.RejectTransfer(twCtx, w.colY, bjNo, "不同意"); return err })
	try("reject without a reason", app.EInvalid, func() error { _, err := c.svc.RejectTransfer(twCtx, w.owner, bjNo, "  "); return err })
	try("assign before approval", app.EConflict, func() error { _, err := c.svc.AssignTransfer(twCtx, w.owner, bjNo, w.bjBranch.ID); return err })
	try("unknown transfer", app.ENotFound, func() error { _, err := c.svc.ApproveTransfer(twCtx, w.owner, 9999); return err })
	if _, err := c.svc.ApproveTransfer(twCtx, w.owner, bjNo); err != nil {
		t.Fatalf("approve 北京: %v", err)
	}
	// Approving twice.
	try("approving a done transfer again", app.EConflict, func() error { _, err := c.svc.ApproveTransfer(twCtx, w.owner, bjNo); return err })

	// Approving twice in a two-step chain (办理转入 into a committee): after
	// the sending college's 转出审批 the next step is the receiving side's.
	pulled, err := c.svc.PullTransfer(twCtx, w.jl, app.TransferInput{IDNos: []string{w.peerID}, Name: "李四", Reason: app.ReasonStudy, ToOrg: w.jlCol.ID,
		Scope: "否", Unit: "江苏金陵师范大学", Address: "江苏省南京市"})
	if err != nil {
		t.Fatalf("办理转入: %v", err)
	}
	own := pulled.No
	// A college administrator approving another college's step.
	try("经济学院 approves 信息学院's 转出审批", app.EForbidden, func() error { _, err := c.svc.ApproveTransfer(twCtx, w.colY, own); return err })
	try("the receiving side approves the 转出审批", app.EForbidden, func() error { _, err := c.svc.ApproveTransfer(twCtx, w.jl, own); return err })
	if _, err := c.svc.ApproveTransfer(twCtx, w.colX, own); err != nil {
		t.Fatalf("转出审批: %v", err)
	}
	try("approving own step twice", app.EForbidden, func() error { _, err := c.svc.ApproveTransfer(twCtx, w.colX, own); return err })
	try("approving an assignment step", app.EConflict, func() error { _, err := c.svc.ApproveTransfer(twCtx, w.jl, own); return err })
	// Assigning to a branch outside the receiving committee.
	for name, b := range map[string]app.Org{"another university's branch": w.bjBranch, "the committee itself": w.jlCol,
		"a branch of the sending college": w.branch, "the special library": w.special} {
		try("assign to "+name, app.EConflict, func() error { _, err := c.svc.AssignTransfer(twCtx, w.jl, own, b.ID); return err })
	}
	try("assign by the sending college", app.EForbidden, func() error { _, err := c.svc.AssignTransfer(twCtx, w.colX, own, w.jlBranch.ID); return err })
	if _, err := c.svc.AssignTransfer(twCtx, w.jl, own, w.jlBranch.ID); err != nil {
		t.Fatalf("assign: %v", err)
	}
	try("assigning twice", app.EConflict, func() error { _, err := c.svc.AssignTransfer(twCtx, w.jl, own, w.jlBranch.ID); return err })

	// 转往特殊单位团组织: only the 团省委's side approves (R-T2).
	soldier, err := c.svc.AddMember(twCtx, w.owner, app.Member{OrgID: w.branch.ID, Name: "赵六", IDNo: idOf(t, "11010120010719005"), JoinMonth: "2016-05"})
	if err != nil {
		t.Fatal(err)
	}
	ts, err = c.svc.StartTransfer(twCtx, w.colX, app.TransferInput{IDNos: []string{soldier.IDNo}, Reason: app.ReasonSpecial, Remark: "参军入伍"})
	if err != nil {
		t.Fatalf("special: %v", err)
	}
	sp := ts[0].No
	if ts[0].ToOrg != w.special.ID || ts[0].Steps[0].Kind != app.StepProvince || ts[0].Steps[0].OrgID != w.provOrg.ID {
		t.Fatalf("special transfer %+v", ts[0])
	}
	for name, ss := range map[string]*app.Session{"the school": w.owner, "the college": w.colX, "a street under the 团省委": w.street, "the member's own": w.self} {
		try("special approved by "+name, app.EForbidden, func() error { _, err := c.svc.ApproveTransfer(twCtx, ss, sp); return err })
	}
	if tr, err := c.svc.ApproveTransfer(twCtx, w.prov, sp); err != nil || tr.State != app.StateDone {
		t.Fatalf("special approved by the 团省委: %+v, %v", tr, err)
	}
	if m := c.member(t, soldier.IDNo); m.OrgID != w.special.ID {
		t.Fatalf("赵六 is in %s, want the special library", m.OrgName)
	}

	// R-D2: marked members are excluded from 学社衔接.
	for _, mark := range []string{"延迟毕业团员", "教师"} {
		if err := c.store.Write(twCtx, func(tx app.Tx) error {
			m, err := tx.Member(w.yID)
			if err != nil {
				return err
			}
			m.Mark, m.MarkMonth, m.MarkReason = mark, "", "测试"
			if mark == "延迟毕业团员" {
				m.MarkMonth, m.MarkReason = "2026-06", "学分未修满"
			}
			return tx.UpdateMember(m)
		}); err != nil {
			t.Fatal(err)
		}
		y := []string{w.yID}
		try(mark+" to 学社衔接 (未就业)", app.EConflict, start(w.colY, app.TransferInput{IDNos: y, Reason: app.ReasonUnemployed, ToOrg: w.transit.ID, Scope: "否", Address: "浙江省杭州市"}))
		try(mark+" to 学社衔接 (无团组织)", app.EConflict, start(w.colY, app.TransferInput{IDNos: y, Reason: app.ReasonJobNoOrg, ToOrg: w.transit.ID, Scope: "否", Unit: "某店", Address: "浙江省杭州市"}))
		try(mark+" pulled into 学社衔接", app.EConflict, func() error {
			_, err := c.svc.PullTransfer(twCtx, w.street, app.TransferInput{IDNos: y, Name: "王五", Reason: app.ReasonUnemployed, ToOrg: w.transit.ID, Scope: "否", Address: "浙江省杭州市"})
			return err
		})
	}
	ts, err = c.svc.StartTransfer(twCtx, w.colY, app.TransferInput{IDNos: []string{w.yID}, Reason: app.ReasonUnemployed, ToOrg: w.streetOrg.ID, Scope: "否", Address: "浙江省杭州市"})
	if err != nil {
		t.Fatalf("a marked member to the street committee: %v", err)
	}
	yNo := ts[0].No
	if _, err := c.svc.ApproveTransfer(twCtx, w.street, yNo); err != nil {
		t.Fatal(err)
	}
	try("marked member assigned to 学社衔接", app.EConflict, func() error { _, err := c.svc.AssignTransfer(twCtx, w.street, yNo, w.transit.ID); return err })
	if _, err := c.svc.AssignTransfer(twCtx, w.street, yNo, w.community.ID); err != nil {
		t.Fatalf("marked member assigned to the community branch: %v", err)
	}

	// Letters: only the committee above the member's organization issues
	// them; a voided letter cannot be voided again.
	try("a letter for another committee's transfer", app.EForbidden, func() error {
		_, err := c.svc.IssueLetters(twCtx, w.colY, []int64{bjNo}, app.LetterOptions{})
		return err
	})
	try("a letter by the receiving side", app.EForbidden, func() error {
		_, err := c.svc.IssueLetters(twCtx, w.jl, []int64{own}, app.LetterOptions{})
		return err
	})
	ls, err := c.svc.IssueLetters(twCtx, w.colX, []int64{bjNo}, app.LetterOptions{})
	if err != nil || len(ls) != 1 {
		t.Fatalf("IssueLetters: %+v, %v", ls, err)
	}
	if err := c.svc.VoidLetter(twCtx, w.colX, ls[0].No, w.colXOrg.ID, "收件组织名称有误"); err != nil {
		t.Fatalf("VoidLetter: %v", err)
	}
	try("voiding a letter twice", app.EConflict, func() error { return c.svc.VoidLetter(twCtx, w.colX, ls[0].No, w.colXOrg.ID, "再次作废") })
	try("voiding another committee's letter", app.ENotFound, func() error { return c.svc.VoidLetter(twCtx, w.colY, ls[0].No, 0, "作废") })
	try("voiding without a reason", app.EInvalid, func() error { return c.svc.VoidLetter(twCtx, w.colX, ls[0].No, 0, "") })
	try("a letter with a dues month in the future", app.EInvalid, func() error {
		_, err := c.svc.IssueLetters(twCtx, w.colX, []int64{bjNo}, app.LetterOptions{Dues: "2099-01"})
		return err
	})
}

// ---- letters ----

// TestLetterNumbers_R_L1_R_L2_R_T7: numbers are unique and increasing per
// issuing committee and never reused, even after a letter is voided; one
// letter per receiving organization; the letter's parts (R-L2).
func TestLetterNumbers_R_L1_R_L2_R_T7(t *testing.T) {
	w := buildTransferWorld(t)
	c := w.open(t)
	startOne := func(ss *app.Session, id string, to app.Org, reason string) int64 {
		t.Helper()
		in := app.TransferInput{IDNos: []string{id}, Reason: reason, ToOrg: to.ID, Scope: "否", Unit: "某单位", Address: "某地址 1 号"}
		ts, err := c.svc.StartTransfer(twCtx, ss, in)
		if err != nil {
			t.Fatalf("StartTransfer %s: %v", id, err)
		}
		return ts[0].No
	}
	t1 := startOne(w.colX, w.selfID, w.jlBranch, app.ReasonStudy)
	t2 := startOne(w.colX, w.peerID, w.jlBranch, app.ReasonStudy)
	t3 := startOne(w.colY, w.yID, w.coBranch, app.ReasonJobWithOrg)

	issue := func(ss *app.Session, opt app.LetterOptions, nos ...int64) []app.Letter {
		t.Helper()
		ls, err := c.svc.IssueLetters(twCtx, ss, nos, opt)
		if err != nil {
			t.Fatalf("IssueLetters %v: %v", nos, err)
		}
		return ls
	}
	// Two members to one receiving organization: one letter naming both.
	l := issue(w.colX, app.LetterOptions{Dues: "2025-05", ValidDays: 60}, t1, t2)
	if len(l) != 1 || l[0].No != 1 || l[0].Count() != 2 || strings.Join(l[0].Names, "、") != "张三、李四" {
		t.Fatalf("letter for two members: %+v", l)
	}
	if l[0].Issuer != "共青团浙江明理大学信息与电子工程学院委员会" || l[0].School != "浙江明理大学" || l[0].College != "信息与电子工程学院" ||
		l[0].Recipient != "江苏金陵师范大学2026级教育学硕士研究生团支部" || l[0].DuesYear != 2025 || l[0].DuesMonth != 5 ||
		l[0].ValidDays != 60 || !l[0].Date.Equal(c.now) {
		t.Fatalf("letter parts: %+v", l[0])
	}
	// Defaults: 团费 up to this month, valid 30 days.
	l = issue(w.colX, app.LetterOptions{}, t1)
	if l[0].No != 2 || l[0].DuesYear != 2025 || l[0].DuesMonth != 6 || l[0].ValidDays != 30 {
		t.Fatalf("second letter: %+v", l[0])
	}
	// Another committee numbers its own letters from 1.
	if l = issue(w.colY, app.LetterOptions{}, t3); l[0].No != 1 || l[0].Issuer != "共青团浙江明理大学经济学院委员会" {
		t.Fatalf("经济学院's first letter: %+v", l[0])
	}
	// Voiding keeps the number; the next letter takes a new one.
	if err := c.svc.VoidLetter(twCtx, w.colX, 2, 0, "打印错误"); err != nil {
		t.Fatalf("VoidLetter: %v", err)
	}
	if l = issue(w.colX, app.LetterOptions{}, t2); l[0].No != 3 {
		t.Fatalf("letter after voiding No. 2 is No. %d, want 3", l[0].No)
	}
	if err := c.svc.VoidLetter(twCtx, w.colX, 3, 0, "重开"); err != nil {
		t.Fatalf("VoidLetter 3: %v", err)
	}
	// A batch with another committee's transfer is refused whole and uses no number.
	before := c.snapshot(t)
	_, err := c.svc.IssueLetters(twCtx, w.colX, []int64{t1, t3}, app.LetterOptions{})
	c.refused(t, "a batch with another committee's transfer", before, err, app.EForbidden)
	if l = issue(w.colX, app.LetterOptions{}, t1); l[0].No != 4 {
		t.Fatalf("letter after a refused batch is No. %d, want 4", l[0].No)
	}
	// Several receiving organizations: one letter each, numbered in order.
	m, err := c.svc.AddMember(twCtx, w.owner, app.Member{OrgID: w.branch.ID, Name: "赵六", IDNo: idOf(t, "11010120010719005"), JoinMonth: "2016-05"})
	if err != nil {
		t.Fatal(err)
	}
	t4 := startOne(w.colX, m.IDNo, w.coBranch, app.ReasonJobWithOrg)
	l = issue(w.colX, app.LetterOptions{}, t1, t4)
	if len(l) != 2 || l[0].No != 5 || l[1].No != 6 || l[0].Names[0] != "张三" || l[1].Names[0] != "赵六" ||
		l[1].Recipient != "杭州未来科技有限公司研发一部团支部" {
		t.Fatalf("letters to two organizations: %+v", l)
	}
	// The school committee numbers its own letters.
	if l = issue(w.owner, app.LetterOptions{}, t1); l[0].No != 1 || l[0].Issuer != "共青团浙江明理大学委员会" || l[0].College != "" {
		t.Fatalf("the school's first letter: %+v", l[0])
	}
	// A rejected transfer gets no letter.
	if _, err := c.svc.RejectTransfer(twCtx, w.owner, t4, "单位无团组织"); err != nil {
		t.Fatal(err)
	}
	before = c.snapshot(t)
	_, err = c.svc.IssueLetters(twCtx, w.colX, []int64{t4}, app.LetterOptions{})
	c.refused(t, "a letter for a rejected transfer", before, err, app.EConflict)

	// The register: every number once per committee, increasing, voided ones kept with the reason.
	reg, err := c.svc.Letters(twCtx, w.owner)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[[2]int64]bool{}
	nums := map[int64][]int{}
	for i := len(reg) - 1; i >= 0; i-- { // oldest first
		r := reg[i]
		k := [2]int64{r.IssuerOrg, int64(r.Letter.No)}
		if seen[k] {
			t.Fatalf("letter number %d of %s used twice", r.Letter.No, r.Issuer)
		}
		seen[k] = true
		nums[r.IssuerOrg] = append(nums[r.IssuerOrg], r.Letter.No)
		if r.Letter.Voided != (r.IssuerOrg == w.colXOrg.ID && (r.Letter.No == 2 || r.Letter.No == 3)) {
			t.Fatalf("letter %d of %s voided=%v", r.Letter.No, r.Issuer, r.Letter.Voided)
		}
		if r.Letter.No == 2 && r.IssuerOrg == w.colXOrg.ID && r.Letter.VoidReason != "打印错误" {
			t.Fatalf("void reason %q", r.Letter.VoidReason)
		}
	}
	want := map[int64][]int{w.colXOrg.ID: {1, 2, 3, 4, 5, 6}, w.colYOrg.ID: {1}, w.root.ID: {1}}
	if fmt.Sprint(nums) != fmt.Sprint(want) {
		t.Fatalf("letter numbers per committee %v, want %v", nums, want)
	}
	// A college administrator sees its own register only.
	mineX, err := c.svc.Letters(twCtx, w.colX)
	if err != nil || len(mineX) != 6 {
		t.Fatalf("college register: %d letters, %v", len(mineX), err)
	}
	for _, r := range mineX {
		if r.IssuerOrg != w.colXOrg.ID {
			t.Fatalf("college register shows %s", r.Issuer)
		}
	}
}

// ---- the notification centre ----

// noticesOf returns the session's notices about transfers, by transfer number.
func (c *twCase) noticesOf(t *testing.T, ss *app.Session) (map[int64]app.Notice, []app.Notice) {
	t.Helper()
	list, err := c.svc.Notices(twCtx, ss)
	if err != nil {
		t.Fatalf("Notices: %v", err)
	}
	out := map[int64]app.Notice{}
	for _, n := range list {
		if n.TransferNo != 0 {
			if _, dup := out[n.TransferNo]; dup {
				t.Fatalf("two notices about transfer %d: %+v", n.TransferNo, list)
			}
			out[n.TransferNo] = n
		}
	}
	return out, list
}

// TestNotices_R_N1_R_T4: a waiting step shows its days left; after 10 days
// it is flagged 超过10天未审批; an assignment shows as 待分配团支部 and stays;
// 留校保留 nearing its end and overdue (R-T2).
func TestNotices_R_N1_R_T4(t *testing.T) {
	w := buildTransferWorld(t)
	c := w.open(t)
	in := func(id string, to app.Org) app.TransferInput {
		return app.TransferInput{IDNos: []string{id}, Reason: app.ReasonStudy, ToOrg: to.ID, Scope: "否", Unit: "江苏金陵师范大学", Address: "江苏省南京市"}
	}
	ts, err := c.svc.StartTransfer(twCtx, w.colX, in(w.selfID, w.jlBranch))
	if err != nil {
		t.Fatal(err)
	}
	t1 := ts[0].No
	if ts, err = c.svc.StartTransfer(twCtx, w.colX, in(w.peerID, w.jlCol)); err != nil {
		t.Fatal(err)
	}
	t2 := ts[0].No
	ts, err = c.svc.StartTransfer(twCtx, w.colY, app.TransferInput{IDNos: []string{w.yID}, Reason: app.ReasonUnemployed, KeepMonths: 6, Address: "浙江省杭州市"})
	if err != nil || ts[0].KeepUntil != "2025-12-01" {
		t.Fatalf("留校保留: %+v, %v", ts, err)
	}
	t3 := ts[0].No

	want := func(ss *app.Session, who string, no int64, kind string, days int, text ...string) {
		t.Helper()
		got, all := c.noticesOf(t, ss)
		n, ok := got[no]
		if kind == "" {
			if ok {
				t.Fatalf("%s on %s: unexpected notice %+v", who, c.now.Format("2006-01-02"), n)
			}
			return
		}
		if !ok || n.Kind != kind || n.DaysLeft != days {
			t.Fatalf("%s on %s: notice about %d is %+v, want %s with %d days left; all: %+v", who, c.now.Format("2006-01-02"), no, n, kind, days, all)
		}
		for _, p := range text {
			if !strings.Contains(n.Text, p) {
				t.Errorf("%s: notice text %q lacks %q", who, n.Text, p)
			}
		}
	}
	// Day 0: both wait for 金陵老师 with 15 days left; the sender has nothing to do.
	want(w.jl, "金陵老师", t1, app.NoticeApprove, 15, "张三", "还剩 15 天")
	want(w.jl, "金陵老师", t2, app.NoticeApprove, 15, "李四")
	want(w.colX, "陈老师", t1, "", 0)
	want(w.colY, "吴老师", t1, "", 0)
	want(w.self, "张三", t1, app.NoticeMine, -1, "等待", "转入审批")
	want(w.colY, "吴老师", t3, "", 0) // keeping far from its end

	// Day 1: t2 approved; now it waits for assignment.
	c.now = c.now.Add(24 * time.Hour)
	if _, err := c.svc.ApproveTransfer(twCtx, w.jl, t2); err != nil {
		t.Fatal(err)
	}
	want(w.jl, "金陵老师", t2, app.NoticeAssign, -1, "分配")
	// Day 9: still an ordinary waiting step, 6 days left.
	c.now = w.start.AddDate(0, 0, 9)
	want(w.jl, "金陵老师", t1, app.NoticeApprove, 6)
	// Day 10: flagged, and first in the list.
	c.now = w.start.AddDate(0, 0, 10)
	want(w.jl, "金陵老师", t1, app.NoticeOverdue, 5, "超过 10 天", "还剩 5 天")
	if _, all := c.noticesOf(t, w.jl); all[0].Kind != app.NoticeOverdue {
		t.Fatalf("the 10-day warning is not first: %+v", all)
	}
	if res := c.sweep(t); res.Reminded != 1 || res.Defaulted != 0 {
		t.Fatalf("sweep on day 10: %+v", res)
	}
	if res := c.sweep(t); res.Reminded != 0 {
		t.Fatalf("a second sweep reminded again: %+v", res)
	}
	// Day 15: approved by default; the notice is gone, the assignment stays.
	c.now = w.start.AddDate(0, 0, 15)
	if res := c.sweep(t); res.Defaulted != 1 || res.Finished != 1 {
		t.Fatalf("sweep on day 15: %+v", res)
	}
	want(w.jl, "金陵老师", t1, "", 0)
	want(w.self, "张三", t1, "", 0)
	c.now = w.start.AddDate(0, 0, 120)
	if res := c.sweep(t); res.Defaulted != 0 {
		t.Fatalf("sweep defaulted an assignment: %+v", res)
	}
	want(w.jl, "金陵老师", t2, app.NoticeAssign, -1)
	// 留校保留: 26 calendar days before its end, then overdue; seen by the college and the school.
	c.now = time.Date(2025, 11, 5, 10, 0, 0, 0, app.Shanghai)
	want(w.colY, "吴老师", t3, app.NoticeKeep, 26, "王五", "2025-12-01")
	want(w.owner, "校团委", t3, app.NoticeKeep, 26)
	want(w.colX, "陈老师", t3, "", 0)
	c.now = time.Date(2025, 12, 3, 10, 0, 0, 0, app.Shanghai)
	want(w.colY, "吴老师", t3, app.NoticeKeepOver, 0, "已于 2025-12-01 到期")
}
