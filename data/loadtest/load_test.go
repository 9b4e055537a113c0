// Package loadtest is the load test of issue 14 (one school, many desks):
// concurrent clients, each with its own store connection (its own desk)
// and signed in as a different administrator, doing a realistic mix of
// use cases on one store, on PostgreSQL and beside it on one SQLite file.
//
//	go test ./data/loadtest -run Load -v -load -clients 30 -dur 60s
//
// Without -load only TestLoadShort runs (a few clients for a few seconds):
// the same checks, small enough for every test run.
package loadtest

import (
	"context"
	"database/sql"
	"errors"
	"flag"
	"fmt"
	"maps"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"runtime/debug"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"
	_ "github.com/mattn/go-sqlite3"

	"tuanwu/app"
	"tuanwu/data"
	"tuanwu/data/pgtest"
)

var (
	loadFlag = flag.Bool("load", false, "run the full load test (TestLoad)")
	clients  = flag.Int("clients", 30, "concurrent clients (desks) of the load test")
	dur      = flag.Duration("dur", 60*time.Second, "how long the load test runs")
	members  = flag.Int("members", 20000, "members of the demo university the load test runs on")
	// A desktop runs one process: on SQLite the desks share one store
	// unless asked to open one each (as 30 processes on one file would).
	sqliteSeparate = flag.Bool("sqlite-separate", false, "on SQLite, give each desk its own store connection (as separate processes)")
)

var ctx = context.Background()

// newPassword is every administrator's password after the first sign-in.
const newPassword = "Load-test-2026"

// The kinds of operation of the mix.
const (
	opSearch  = "search"  // 团员查询: a name prefix in the desk's organization, a page of 20
	opNotices = "notices" // 操作中心
	opEdit    = "edit"    // 修改团员信息 (QQ)
	opStart   = "start"   // 办理转出 (升学 to a branch of another college)
	opApprove = "approve" // 审批 the open step of a pending transfer
	opLetter  = "letter"  // 开具介绍信
	opSweep   = "sweep"   // 到期处理
)

var kinds = []string{opSearch, opNotices, opEdit, opStart, opApprove, opLetter, opSweep}

// weight is the mix: how often each kind is drawn, per role.
func weight(role, kind string) int {
	w := map[string]int{opSearch: 35, opNotices: 15, opEdit: 15, opStart: 12, opApprove: 18, opLetter: 0, opSweep: 2}[kind]
	if kind == opLetter && role != "branch" {
		w = 8 // letters are issued by committees (R-L1)
	}
	if kind == opStart && role == "school" {
		w = 4
	}
	return w
}

// desk is one client: its own store connection, service and session.
type desk struct {
	n       int
	role    string // school, college, branch
	st      *data.Store
	svc     *app.Service
	ss      *app.Session
	scope   app.Org
	college int64    // the college of the desk's organization (0 for the school)
	ids     []string // members under the desk's organization, as read at the start
	started []int64  // transfers this desk started (for letters)
	rng     *rand.Rand
	res     map[string]*tally
	edits   map[string]string // member → QQ this desk last wrote
	reloads int
}

// tally is what one desk measured for one kind.
type tally struct {
	ok      int
	idle    int // nothing to do: no pending step, no transfer to write a letter for
	refused map[app.Code]int
	sample  map[app.Code]string // one message per refusal code
	bad     []string
	lat     []time.Duration
}

type world struct {
	loc      string // the store: a file or a server URL
	root     app.Org
	colleges []app.Org
	branches []app.Org           // normal branches, targets of transfers
	collOf   map[int64]int64     // branch → college
	byColl   map[int64][]app.Org // college → its normal branches
}

// open opens the store at loc (a file or a server URL).
func open(t testing.TB, loc string) *data.Store {
	t.Helper()
	st, err := data.Open(loc)
	if err != nil {
		t.Fatalf("open %s: %v", data.RedactURL(loc), err)
	}
	return st
}

// signIn signs the administrator idNo in, changing the initial password first.
func signIn(t testing.TB, svc *app.Service, idNo string) *app.Session {
	t.Helper()
	ss, err := svc.SignIn(ctx, idNo, newPassword)
	if app.ErrorCode(err) == app.EUnauthorized {
		ss, err = svc.SignIn(ctx, idNo, app.InitialPassword(idNo))
		if app.ErrorCode(err) == app.EMustChange {
			if err = svc.ChangePassword(ctx, ss, app.InitialPassword(idNo), newPassword); err == nil {
				ss, err = svc.SignIn(ctx, idNo, newPassword)
			}
		}
	}
	if err != nil {
		t.Fatalf("sign in %s: %v", idNo, err)
	}
	return ss
}

// build makes the demo university at loc and n administrators: the
// school committee's, college committees' (about 3 in 10) and branch
// secretaries' (the rest), each a member of the organization made its
// cadre then its administrator (R-A2, R-A3). It returns the world and
// the administrators' 身份证号, by desk.
func build(t testing.TB, loc string, n, nMembers int) (*world, []string, []string) {
	t.Helper()
	st := open(t, loc)
	defer st.Close()
	svc := app.NewService(st)
	demo, err := svc.Demo(ctx, app.DemoOptions{Members: nMembers, Seed: 14}, nil)
	if err != nil {
		t.Fatalf("demo: %v", err)
	}
	school := signIn(t, svc, demo.AdminID)
	w := &world{loc: loc, root: demo.Root, collOf: map[int64]int64{}, byColl: map[int64][]app.Org{}}
	tops, err := svc.Children(ctx, school, demo.Root.ID)
	if err != nil {
		t.Fatal(err)
	}
	var walk func(col, id int64)
	walk = func(col, id int64) {
		kids, err := svc.Children(ctx, school, id)
		if err != nil {
			t.Fatal(err)
		}
		for _, k := range kids {
			if k.IsBranch() {
				if k.Category == app.CatNormal && k.MemberCount > 0 {
					w.branches = append(w.branches, k)
					w.collOf[k.ID] = col
					w.byColl[col] = append(w.byColl[col], k)
				}
				continue
			}
			walk(col, k.ID)
		}
	}
	for _, c := range tops {
		if c.IsBranch() {
			continue
		}
		w.colleges = append(w.colleges, c)
		walk(c.ID, c.ID)
	}
	nColl := max(1, n*3/10)
	if n == 1 {
		nColl = 0
	}
	nColl = min(nColl, len(w.colleges))
	roles := []string{"school"}
	admins := []string{demo.AdminID}
	// appoint makes a member of org its cadre and administrator.
	appoint := func(org app.Org, post string) {
		var m app.Member
		found := errors.New("found")
		err := svc.ListMembers(ctx, school, app.MemberQuery{OrgID: org.ID, Limit: 50}, func(x app.Member) error {
			for _, a := range admins {
				if a == x.IDNo {
					return nil
				}
			}
			m = x
			return found
		})
		if err != nil && !errors.Is(err, found) || m.IDNo == "" {
			t.Fatalf("no member to appoint in %s: %v", org.FullName, err)
		}
		if _, err := svc.AddCadre(ctx, school, app.CadreInput{OrgID: org.ID, IDNo: m.IDNo, Name: m.Name, Post: post}); err != nil {
			t.Fatalf("cadre %s: %v", org.FullName, err)
		}
		if _, err := svc.AddAdmin(ctx, school, org.ID, m.IDNo); err != nil {
			t.Fatalf("admin %s: %v", org.FullName, err)
		}
		admins = append(admins, m.IDNo)
	}
	for i := 0; i < nColl; i++ {
		appoint(w.colleges[i], "副书记")
		roles = append(roles, "college")
	}
	// Branch secretaries: in the administered colleges first, round robin.
	for i := 0; len(admins) < n; i++ {
		col := w.colleges[i%max(1, nColl)]
		bs := w.byColl[col.ID]
		b := bs[(i/max(1, nColl))%len(bs)]
		appoint(b, "书记")
		roles = append(roles, "branch")
	}
	return w, admins, roles
}

// newDesk opens desk k, signed in as admins[k]: on st, or on its own
// store connection when st is nil.
func newDesk(t testing.TB, w *world, k int, idNo, role string, st *data.Store) *desk {
	t.Helper()
	if st == nil {
		st = open(t, w.loc)
	}
	svc := app.NewService(st)
	ss := signIn(t, svc, idNo)
	d := &desk{n: k, role: role, st: st, svc: svc, ss: ss, scope: ss.Orgs[0], rng: rand.New(rand.NewPCG(uint64(k), 14)),
		res: map[string]*tally{}, edits: map[string]string{}}
	for _, kd := range kinds {
		d.res[kd] = &tally{refused: map[app.Code]int{}}
	}
	if role == "branch" {
		d.college = w.collOf[d.scope.ID]
	} else if role == "college" {
		d.college = d.scope.ID
	}
	if err := d.reload(); err != nil || len(d.ids) == 0 {
		t.Fatalf("desk %d members: %v (%d)", k, err, len(d.ids))
	}
	return d
}

// reload reads the members under the desk's organization again (the
// list a desk shows: at most 400).
func (d *desk) reload() error {
	d.ids = d.ids[:0]
	return d.svc.ListMembers(ctx, d.ss, app.MemberQuery{OrgID: d.scope.ID, Limit: 400}, func(m app.Member) error {
		if m.IDNo != d.ss.Account.IDNo {
			d.ids = append(d.ids, m.IDNo)
		}
		return nil
	})
}

// member picks a member from the desk's list, reading the list again when
// few are left in it (as a user refreshes the list).
func (d *desk) member() (string, error) {
	if len(d.ids) < 5 {
		d.reloads++
		if err := d.reload(); err != nil {
			return "", err
		}
		if len(d.ids) == 0 {
			return "", errIdle
		}
	}
	return d.ids[d.rng.IntN(len(d.ids))], nil
}

// stale drops a member from the desk's list when the store says it is no
// longer the desk's to act on (it moved away with a transfer).
func (d *desk) stale(id string, err error) {
	if c := app.ErrorCode(err); c == app.EForbidden || c == app.ENotFound {
		d.ids = slices.DeleteFunc(d.ids, func(x string) bool { return x == id })
	}
}

// errIdle: the desk had nothing to do (no pending step, no transfer for a letter).
var errIdle = errors.New("nothing to do")

var surnames = []rune("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗")

// do runs one operation of kind and returns its error.
func (d *desk) do(w *world, kind string, seq int) error {
	switch kind {
	case opSearch:
		n := 0
		return d.svc.ListMembers(ctx, d.ss, app.MemberQuery{OrgID: d.scope.ID, Text: string(surnames[d.rng.IntN(len(surnames))]), Limit: 20},
			func(app.Member) error { n++; return nil })
	case opNotices:
		_, err := d.svc.Notices(ctx, d.ss)
		return err
	case opEdit:
		id, err := d.member()
		if err != nil {
			return err
		}
		qq := strconv.Itoa(10000000 + d.n*1000000 + seq)
		_, err = d.svc.EditMember(ctx, d.ss, id, map[string]string{"QQ": qq})
		if err == nil {
			d.edits[id] = qq
		}
		d.stale(id, err)
		return err
	case opStart:
		id, err := d.member()
		if err != nil {
			return err
		}
		var to app.Org
		for to.ID == 0 || (d.college != 0 && w.collOf[to.ID] == d.college) {
			to = w.branches[d.rng.IntN(len(w.branches))]
		}
		ts, err := d.svc.StartTransfer(ctx, d.ss, app.TransferInput{IDNos: []string{id}, Reason: app.ReasonStudy, ToOrg: to.ID, Scope: "否",
			Unit: "浙江明理大学", Address: "浙江省杭州市钱塘区学源街 18 号", Remark: "本校研究生"})
		for _, tr := range ts {
			d.started = append(d.started, tr.No)
		}
		d.stale(id, err)
		return err
	case opApprove:
		all, err := d.svc.PendingTransfers(ctx, d.ss)
		if err != nil {
			return err
		}
		// The steps this desk approves (not an outside organization's,
		// which is recorded when it answers, nor an assignment).
		var list []app.Transfer
		for _, tr := range all {
			for _, st := range tr.Steps {
				if !st.OpenedAt.IsZero() && st.ActedAt.IsZero() && !st.Outside && st.Kind != app.StepAssign {
					list = append(list, tr)
				}
			}
		}
		if len(list) == 0 {
			return errIdle
		}
		// Desks above each other see the same steps: pick among the
		// oldest, where two desks meet.
		tr := list[d.rng.IntN(min(3, len(list)))]
		_, err = d.svc.ApproveTransfer(ctx, d.ss, tr.No)
		return err
	case opLetter:
		if len(d.started) == 0 {
			return errIdle
		}
		no := d.started[len(d.started)-1-d.rng.IntN(min(5, len(d.started)))]
		_, err := d.svc.IssueLetters(ctx, d.ss, []int64{no}, app.LetterOptions{})
		return err
	case opSweep:
		_, err := d.svc.Sweep(ctx)
		return err
	}
	return fmt.Errorf("unknown kind %s", kind)
}

// clean reports whether err is a clean refusal: an app.Error a user
// reads and acts on (a rule, a right, a record already changed).
func clean(err error) bool {
	switch app.ErrorCode(err) {
	case app.EConflict, app.EForbidden, app.ENotFound, app.EInvalid:
		return true
	}
	return false
}

// run drives the desk until the deadline.
func (d *desk) run(w *world, until time.Time) {
	var total int
	for _, k := range kinds {
		total += weight(d.role, k)
	}
	for seq := 0; time.Now().Before(until); seq++ {
		r := d.rng.IntN(total)
		kind := kinds[0]
		for _, k := range kinds {
			if r < weight(d.role, k) {
				kind = k
				break
			}
			r -= weight(d.role, k)
		}
		t0 := time.Now()
		err := func() (err error) {
			defer func() {
				if p := recover(); p != nil {
					err = fmt.Errorf("panic: %v\n%s", p, debug.Stack())
				}
			}()
			return d.do(w, kind, seq)
		}()
		tl := d.res[kind]
		tl.lat = append(tl.lat, time.Since(t0))
		switch {
		case err == nil:
			tl.ok++
		case errors.Is(err, errIdle):
			tl.idle++
		case clean(err):
			tl.refused[app.ErrorCode(err)]++
			if tl.sample == nil {
				tl.sample = map[app.Code]string{}
			}
			tl.sample[app.ErrorCode(err)] = d.role + ": " + app.ErrorMessage(err)
		default:
			tl.bad = append(tl.bad, fmt.Sprintf("desk %d (%s) %s: [%s] %v", d.n, d.role, kind, app.ErrorCode(err), err))
		}
	}
}

// probe runs each kind a few times on one desk of each role, alone, and
// logs the median: the latency without load, beside the figures under it.
func probe(t *testing.T, w *world, desks []*desk) {
	var b strings.Builder
	b.WriteString("latency alone (median of 5, ms):\n\n| role | " + strings.Join(kinds, " | ") + " |\n|---|" + strings.Repeat("---|", len(kinds)) + "\n")
	seen := map[string]bool{}
	for _, d := range desks {
		if seen[d.role] {
			continue
		}
		seen[d.role] = true
		fmt.Fprintf(&b, "| %s |", d.role)
		for _, k := range kinds {
			var l []time.Duration
			for i := 0; i < 5; i++ {
				t0 := time.Now()
				d.do(w, k, 900000+i) // before the run: not counted, not replayed
				l = append(l, time.Since(t0))
			}
			fmt.Fprintf(&b, " %s |", ms(pct(l, .5)))
		}
		b.WriteString("\n")
	}
	t.Log("\n" + b.String())
}

// Result is what one run measured.
type Result struct {
	Backend string
	Clients int
	Dur     time.Duration
	Kinds   map[string]*tally
}

func pct(l []time.Duration, p float64) time.Duration {
	if len(l) == 0 {
		return 0
	}
	s := append([]time.Duration(nil), l...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	return s[min(len(s)-1, int(float64(len(s))*p))]
}

func ms(d time.Duration) string {
	return strconv.FormatFloat(float64(d.Microseconds())/1000, 'f', 1, 64)
}

// Table writes the figures as a Markdown table.
func (r Result) Table() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s, %d clients, %s:\n\n| kind | ops | ops/s | done | nothing to do | refused (clean) | not clean | p50 ms | p95 ms |\n|---|---|---|---|---|---|---|---|---|\n", r.Backend, r.Clients, r.Dur)
	var all tally
	all.refused = map[app.Code]int{}
	for _, k := range kinds {
		tl := r.Kinds[k]
		n := len(tl.lat)
		var ref []string
		refN := 0
		for c, v := range tl.refused {
			ref = append(ref, fmt.Sprintf("%s %d", c, v))
			refN += v
			all.refused[c] += v
		}
		sort.Strings(ref)
		all.ok += tl.ok
		all.bad = append(all.bad, tl.bad...)
		all.lat = append(all.lat, tl.lat...)
		all.idle += tl.idle
		fmt.Fprintf(&b, "| %s | %d | %.1f | %d | %d | %d %s | %d | %s | %s |\n", k, n, float64(n)/r.Dur.Seconds(), tl.ok, tl.idle, refN, strings.Join(ref, ", "), len(tl.bad), ms(pct(tl.lat, .5)), ms(pct(tl.lat, .95)))
	}
	refN := 0
	for _, v := range all.refused {
		refN += v
	}
	fmt.Fprintf(&b, "| all | %d | %.1f | %d | %d | %d | %d | %s | %s |\n", len(all.lat), float64(len(all.lat))/r.Dur.Seconds(), all.ok, all.idle, refN, len(all.bad), ms(pct(all.lat, .5)), ms(pct(all.lat, .95)))
	return b.String()
}

// loadRun builds the store at loc, runs n desks for d and checks the store after.
func loadRun(t *testing.T, backend, loc string, n int, d time.Duration, nMembers int) Result {
	t0 := time.Now()
	w, admins, roles := build(t, loc, n, nMembers)
	desks := make([]*desk, n)
	var shared *data.Store
	if !data.IsServerURL(loc) && !*sqliteSeparate {
		// One desktop process: the desks share its store (one file,
		// one writer queue), each with its own service and session.
		shared = open(t, loc)
		defer shared.Close()
	}
	for k := range desks {
		desks[k] = newDesk(t, w, k, admins[k], roles[k], shared)
		if shared == nil {
			defer desks[k].st.Close()
		}
	}
	probe(t, w, desks)
	t.Logf("%s: store of %d members, %d desks ready in %s", backend, nMembers, n, time.Since(t0).Round(time.Millisecond))
	base := snapshot(t, loc)
	until := time.Now().Add(d)
	var wg sync.WaitGroup
	for _, dk := range desks {
		wg.Add(1)
		go func() { defer wg.Done(); dk.run(w, until) }()
	}
	wg.Wait()
	res := Result{Backend: backend, Clients: n, Dur: d, Kinds: map[string]*tally{}}
	for _, k := range kinds {
		res.Kinds[k] = &tally{refused: map[app.Code]int{}}
	}
	for _, dk := range desks {
		for k, tl := range dk.res {
			r := res.Kinds[k]
			r.ok += tl.ok
			r.idle += tl.idle
			for c, m := range tl.sample {
				if r.sample == nil {
					r.sample = map[app.Code]string{}
				}
				r.sample[c] = m
			}
			r.bad = append(r.bad, tl.bad...)
			r.lat = append(r.lat, tl.lat...)
			for c, v := range tl.refused {
				r.refused[c] += v
			}
		}
	}
	t.Log("\n" + res.Table())
	for _, k := range kinds {
		for c, m := range res.Kinds[k].sample {
			t.Logf("a %s refused (%s): %s", k, c, m)
		}
	}
	for _, k := range kinds {
		for i, b := range res.Kinds[k].bad {
			if i < 5 {
				t.Errorf("not a clean refusal: %s", b)
			}
		}
	}
	verify(t, w, base, desks, admins, res)
	return res
}

// rawDB opens the store's database directly, for the checks after the run.
func rawDB(t testing.TB, loc string) *sql.DB {
	t.Helper()
	driver := "sqlite3"
	if data.IsServerURL(loc) {
		driver = "pgx"
	}
	db, err := sql.Open(driver, loc)
	if err != nil {
		t.Fatal(err)
	}
	return db
}

var (
	reTransferNo = regexp.MustCompile(`^转接第 (\d+) 号`)
	reLetterNo   = regexp.MustCompile(`^第 (\d+) 号`)
	reQQ         = regexp.MustCompile(`(?:^|；)QQ=([^；]*)`)
)

// state is what the replay of the audit trail rebuilds: the transfers,
// the steps acted on per transfer, the letters by committee and number,
// and each member's QQ (the field the desks edit).
type state struct {
	auditMax  int64
	transfers map[int64]bool
	acted     map[int64]int
	letters   map[[2]int64]bool
	qq        map[string]string
}

// snapshot reads the state from the store's tables.
func snapshot(t testing.TB, loc string) state {
	t.Helper()
	db := rawDB(t, loc)
	defer db.Close()
	s := state{transfers: map[int64]bool{}, acted: map[int64]int{}, letters: map[[2]int64]bool{}, qq: map[string]string{}}
	each := func(q string, fn func(*sql.Rows) error) {
		rows, err := db.Query(q)
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		defer rows.Close()
		for rows.Next() {
			if err := fn(rows); err != nil {
				t.Fatal(err)
			}
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
	}
	each("SELECT coalesce(max(id), 0) FROM audit", func(r *sql.Rows) error { return r.Scan(&s.auditMax) })
	each("SELECT id FROM transfers", func(r *sql.Rows) error {
		var id int64
		err := r.Scan(&id)
		s.transfers[id] = true
		return err
	})
	each("SELECT transfer_id, count(*) FROM transfer_steps WHERE acted_at <> '' GROUP BY transfer_id", func(r *sql.Rows) error {
		var id int64
		var n int
		err := r.Scan(&id, &n)
		s.acted[id] = n
		return err
	})
	each("SELECT issuer_org, no FROM letters", func(r *sql.Rows) error {
		var k [2]int64
		err := r.Scan(&k[0], &k[1])
		s.letters[k] = true
		return err
	})
	each("SELECT id_no, coalesce(qq, '') FROM members", func(r *sql.Rows) error {
		var id, v string
		err := r.Scan(&id, &v)
		s.qq[id] = v
		return err
	})
	return s
}

// verify checks the store after the run: the checks of `tuanwu check`
// and the audit chain pass; transfer numbers and each committee's letter
// numbers are unique and without gaps (1…n: none reused, none lost), and
// were issued in increasing order (the order of the audit trail); and the
// audit trail replays to the final state: the state before the run plus
// the audit entries written during it gives the transfers, the acted
// steps per transfer, the letters and every member's QQ found in the
// tables after, and the entries by the desks' accounts are the
// operations the desks saw succeed.
func verify(t *testing.T, w *world, base state, desks []*desk, admins []string, res Result) {
	st := open(t, w.loc)
	defer st.Close()
	if problems, err := st.Check(ctx); err != nil || len(problems) > 0 {
		t.Errorf("check: %v %v", err, problems)
	}
	if chain, err := st.VerifyAudit(ctx); err != nil {
		t.Errorf("audit chain: %v (%+v)", err, chain)
	}
	final := snapshot(t, w.loc)
	db := rawDB(t, w.loc)
	defer db.Close()
	// Transfer numbers: 1…n.
	for i := int64(1); i <= int64(len(final.transfers)); i++ {
		if !final.transfers[i] {
			t.Errorf("transfer numbers: %d of 1…%d missing (a duplicate or a gap)", i, len(final.transfers))
		}
	}
	var dup int
	if err := db.QueryRow("SELECT count(*) FROM (SELECT issuer_org, no FROM letters GROUP BY issuer_org, no HAVING count(*) > 1) d").Scan(&dup); err != nil || dup != 0 {
		t.Errorf("duplicate letter numbers: %d (%v)", dup, err)
	}
	perColl := map[int64]int64{}
	for k := range final.letters {
		perColl[k[0]]++
	}
	for k := range final.letters {
		if k[1] < 1 || k[1] > perColl[k[0]] {
			t.Errorf("letters of committee %d: number %d of %d letters (a duplicate or a gap)", k[0], k[1], perColl[k[0]])
		}
	}

	// Replay the audit entries of the run on the state before it.
	isDesk := map[string]bool{}
	for _, a := range admins {
		isDesk[a] = true
	}
	stepActions := map[string]bool{app.StepAssign + app.OutcomeAssigned: true}
	for _, k := range []string{app.StepOut, app.StepIn, app.StepSchool, app.StepProvince} {
		for _, o := range []string{app.OutcomeApproved, app.OutcomeRejected, app.OutcomeDefault} {
			stepActions[k+o] = true
		}
	}
	before := len(base.transfers)
	r := base // replayed in place
	var lastStart int64
	lastLetter := map[int64]int64{}
	byDesk := map[string]int{}
	entries := 0
	rows, err := db.Query("SELECT actor, action, object, org_id, member, after FROM audit WHERE id > " + strconv.FormatInt(base.auditMax, 10) + " ORDER BY id")
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var actor, action, object, member, after string
		var org int64
		if err := rows.Scan(&actor, &action, &object, &org, &member, &after); err != nil {
			t.Fatal(err)
		}
		entries++
		switch {
		case action == app.ActStartTransfer:
			m := reTransferNo.FindStringSubmatch(object)
			no, _ := strconv.ParseInt(m[1], 10, 64)
			if r.transfers[no] || no <= lastStart {
				t.Errorf("replay: transfer %d started again or out of order (after %d)", no, lastStart)
			}
			r.transfers[no], lastStart = true, no
			if isDesk[actor] {
				byDesk[opStart]++
			}
		case stepActions[action]:
			m := reTransferNo.FindStringSubmatch(object)
			no, _ := strconv.ParseInt(m[1], 10, 64)
			r.acted[no]++
			if isDesk[actor] && strings.HasSuffix(action, app.OutcomeApproved) {
				byDesk[opApprove]++
			}
		case action == app.ActIssueLetter:
			m := reLetterNo.FindStringSubmatch(after)
			no, _ := strconv.ParseInt(m[1], 10, 64)
			k := [2]int64{org, no}
			if r.letters[k] || no <= lastLetter[org] {
				t.Errorf("replay: letter %d of committee %d issued again or out of order", no, org)
			}
			r.letters[k], lastLetter[org] = true, no
			if isDesk[actor] {
				byDesk[opLetter]++
			}
		case action == app.ActEditMember:
			if m := reQQ.FindStringSubmatch(after); m != nil {
				r.qq[member] = m[1]
			}
			if isDesk[actor] {
				byDesk[opEdit]++
			}
		}
	}
	rows.Close()
	if !maps.Equal(r.transfers, final.transfers) {
		t.Errorf("replay: %d transfers from the audit trail, %d in the table", len(r.transfers), len(final.transfers))
	}
	for id, n := range final.acted {
		if r.acted[id] != n {
			t.Errorf("replay: transfer %d: %d steps acted by the audit trail, %d in the table", id, r.acted[id], n)
		}
	}
	for id, n := range r.acted {
		if final.acted[id] != n {
			t.Errorf("replay: transfer %d: %d steps acted by the audit trail, %d in the table", id, n, final.acted[id])
		}
	}
	if !maps.Equal(r.letters, final.letters) {
		t.Errorf("replay: %d letters from the audit trail, %d in the table", len(r.letters), len(final.letters))
	}
	wrongQQ := 0
	for id, v := range final.qq {
		if r.qq[id] != v {
			if wrongQQ++; wrongQQ <= 5 {
				t.Errorf("replay: member %s: QQ %q, the audit trail says %q", app.MaskID(id), v, r.qq[id])
			}
		}
	}
	for _, dk := range desks {
		for id, v := range dk.edits {
			if final.qq[id] == "" {
				t.Errorf("replay: desk %d's edit of %s (QQ %s) is lost", dk.n, app.MaskID(id), v)
			}
		}
	}
	for _, k := range []string{opStart, opApprove, opLetter, opEdit} {
		if byDesk[k] != res.Kinds[k].ok {
			t.Errorf("replay: %d %s entries by the desks' accounts in the audit trail, %d seen done by the desks", byDesk[k], k, res.Kinds[k].ok)
		}
	}
	t.Logf("after: %d transfers (%d new), %d letters (%d committees), %d audit entries replayed: %d starts, %d approvals, %d letters, %d edits by the desks",
		len(final.transfers), len(final.transfers)-before, len(final.letters), len(perColl), entries, byDesk[opStart], byDesk[opApprove], byDesk[opLetter], byDesk[opEdit])
}

func sumInts(m map[int64]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}

// backends returns where a run's store goes: a file, and a database on
// the test server when there is one.
func backends(t *testing.T) map[string]func(t *testing.T) string {
	return map[string]func(t *testing.T) string{
		"SQLite": func(t *testing.T) string { return filepath.Join(t.TempDir(), "load.db") },
		"PG": func(t *testing.T) string {
			return pgtest.URL(t)
		},
	}
}

// TestLoad is the load test of issue 14 (behind -load).
func TestLoad(t *testing.T) {
	if !*loadFlag {
		t.Skip("the load test runs with -load (go test ./data/loadtest -run Load -v -load -clients 30 -dur 60s)")
	}
	var out []string
	for _, b := range []string{"PG", "SQLite"} {
		t.Run(b, func(t *testing.T) {
			res := loadRun(t, b, backends(t)[b](t), *clients, *dur, *members)
			out = append(out, res.Table())
		})
	}
	if f := os.Getenv("TUANWU_LOAD_OUT"); f != "" {
		os.WriteFile(f, []byte(strings.Join(out, "\n")), 0o644)
	}
}

// TestLoadShort is the load test's small twin, run by default on the
// PostgreSQL test server (about 10 s): five desks, each its own
// connection, for three seconds on 1,000 members, with every check of
// TestLoad. (The SQLite twin runs with -load.)
func TestLoadShort(t *testing.T) {
	if *loadFlag {
		t.Skip("-load runs TestLoad")
	}
	if testing.Short() {
		t.Skip("-short")
	}
	loadRun(t, "PG", backends(t)["PG"](t), 5, 3*time.Second, 1000)
}
