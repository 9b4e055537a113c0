package cli_test

// The transfer commands of CLI.md (transfer start|pull|approve|reject|assign|
// show|list, sweep, notices, letter, letter void|list), driven through
// cli.Run on the demo university with its outside organizations.

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"tuanwu/app"
	"tuanwu/assets"
	"tuanwu/data"
	"tuanwu/print"
	"tuanwu/ui/cli"
)

// Paths in the demo store.
const (
	tSchool    = "浙江明理大学团委"
	tCollege   = tSchool + "/信息与电子工程学院团委"
	tBranch    = tCollege + "/2021级转接测试1班团支部"
	tColY      = tSchool + "/经济学院团委"
	tBranchY   = tColY + "/2021级转接测试2班团支部"
	tJLCol     = "江苏金陵师范大学团委/教育科学学院团委"
	tJLBranch  = tJLCol + "/2026级教育学硕士研究生团支部"
	tBJBranch  = "北京燕园科技大学团委/计算机学院团委/2026级软件工程硕士研究生团支部"
	tProv      = "共青团浙江省委员会"
	tSpecial   = tProv + "/浙江省特殊单位专属库"
	tStreet    = tProv + "/共青团杭州市委员会/西湖区文新街道团工委"
	tTransit   = tStreet + "/文新街道学社衔接临时团支部"
	tCommunity = tStreet + "/文新街道社区团支部"
)

var (
	tColXAdmin = idWith("31010119900101001")
	tColYAdmin = idWith("31010119900202002")
	tProvAdmin = idWith("31010119900303003")
	tJLAdmin   = idWith("32010619900505005")
	tSelf      = idWith("11010120010315001") // 张三, with an account of their own
	tPeer      = idWith("11010120010416002") // 李四
	tYMember   = idWith("11010120010517003") // 王五, in 经济学院
)

// writeLetters is the PDF writer main uses.
func writeLetters(w io.Writer, letters []app.Letter) error {
	r, err := print.NewRenderer(assets.FontTTF())
	if err != nil {
		return err
	}
	return r.Letters(w, letters, print.Options{})
}

// on runs a command as id on day (YYYY-MM-DD) with --json, with the letter writer.
func (h *harness) on(day, id string, args ...string) result {
	h.t.Helper()
	var out, errb bytes.Buffer
	args = append(args, "--db", h.db, "--as", id, "--now", day, "--json")
	code := cli.Run(args, h.cliEnv(&out, &errb))
	return result{code, out.String(), errb.String()}
}

// passwdAs changes id's initial password to newPass; afterwards every
// account of the harness uses newPass.
func (h *harness) passwdAs(id string) {
	h.t.Helper()
	h.env["TUANWU_PASSWORD"] = app.InitialPassword(id)
	h.env["TUANWU_NEW_PASSWORD"] = newPass
	mustOK(h.t, h.run("passwd", "--as", id, "--now", testNow))
	h.env["TUANWU_PASSWORD"] = newPass
	delete(h.env, "TUANWU_NEW_PASSWORD")
}

// transferWorld loads the demo university, adds a test branch in each of
// two colleges with members, and administrators for the colleges, the
// 团省委 and the receiving college of 江苏金陵师范大学.
func transferWorld(t *testing.T) *harness {
	t.Helper()
	h := newHarness(t)
	mustOK(t, h.run("demo", "--members", "200", "--with-neighbours", "--now", "2025-06-01"))
	h.passwdAs(app.DemoAdminID)
	owner := app.DemoAdminID
	mustOK(t, h.as(owner, "org", "add", "--parent", tCollege, "--name", "2021级转接测试1班团支部", "--kind", "团支部"))
	mustOK(t, h.as(owner, "org", "add", "--parent", tColY, "--name", "2021级转接测试2班团支部", "--kind", "团支部"))
	for _, m := range []struct{ org, name, id string }{{tBranch, "张三", tSelf}, {tBranch, "李四", tPeer}, {tBranchY, "王五", tYMember}} {
		mustOK(t, h.as(owner, "member", "add", "--org", m.org, "--name", m.name, "--id", m.id, "--field", "入团年月=2016-05"))
	}
	for _, a := range []struct{ org, id, name string }{
		{tCollege, tColXAdmin, "陈老师"}, {tColY, tColYAdmin, "吴老师"}, {tProv, tProvAdmin, "省委老师"}, {tJLCol, tJLAdmin, "金陵老师"},
	} {
		mustOK(t, h.as(owner, "cadre", "add", "--org", a.org, "--id", a.id, "--name", a.name, "--post", "书记"))
		mustOK(t, h.as(owner, "admin", "add", "--org", a.org, "--id", a.id))
		h.passwdAs(a.id)
	}
	h.passwdAs(tSelf) // the member's own account, made at the first sign-in (R-A5)
	return h
}

// tsnap is what a refused transfer command must leave unchanged: the
// transfers with their steps, the letters, the audit trail and the members,
// read from the store file directly.
func tsnap(t *testing.T, h *harness) string {
	t.Helper()
	st, err := data.Open(h.db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var b strings.Builder
	err = st.Read(context.Background(), func(tx app.Tx) error {
		trs, err := tx.Transfers(app.TransferFilter{})
		if err != nil {
			return err
		}
		ls, err := tx.Letters(nil)
		if err != nil {
			return err
		}
		au, err := tx.Audit(app.AuditFilter{})
		if err != nil {
			return err
		}
		fmt.Fprintf(&b, "%+v\n%+v\n%+v\n", trs, ls, au)
		return tx.Members(app.MemberQuery{IncludeLeft: true}, func(m app.Member) error {
			fmt.Fprintf(&b, "%s %d %s\n", m.IDNo, m.OrgID, m.Mark)
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// refusedSame checks exit 1 with one Chinese sentence and an unchanged store.
func refusedSame(t *testing.T, h *harness, what string, r result, before string, parts ...string) {
	t.Helper()
	msg := mustRefuse(t, r)
	for _, p := range parts {
		if !strings.Contains(msg, p) {
			t.Errorf("%s: message %q lacks %q", what, msg, p)
		}
	}
	if after := tsnap(t, h); after != before {
		t.Fatalf("%s: a refused command changed the store", what)
	}
}

func steps(t *testing.T, tr map[string]any) []map[string]any {
	t.Helper()
	raw, ok := tr["steps"].([]any)
	if !ok {
		t.Fatalf("transfer without steps: %v", tr)
	}
	out := make([]map[string]any, len(raw))
	for i, s := range raw {
		out[i] = s.(map[string]any)
	}
	return out
}

func no(tr map[string]any) string { return strconv.FormatInt(num(tr, "no"), 10) }

// TestTransferGraduateFlow_R_T1_R_T3_R_L1: a graduate is transferred from
// the college to a receiving committee, approved there, assigned to a
// branch, and the college prints the numbered letters.
func TestTransferGraduateFlow_R_T1_R_T3_R_L1(t *testing.T) {
	h := transferWorld(t)
	day := testNow
	list := arr(t, mustOK(t, h.on(day, tColXAdmin, "transfer", "start", tSelf, "--reason", "升学", "--to", tJLCol, "--scope", "否",
		"--unit", "江苏金陵师范大学", "--address", "江苏省南京市鼓楼区北京西路 122 号", "--remark", "教育科学学院 2025 级硕士")).stdout)
	if len(list) != 1 {
		t.Fatalf("transfer start printed %d transfers", len(list))
	}
	tr := list[0]
	n := no(tr)
	if num(tr, "number") != num(tr, "no") || str(tr, "state") != "审批中" || str(tr, "initiator") != "转出组织" || str(tr, "reason") != "升学" ||
		str(tr, "from_org") != tBranch || str(tr, "to_org") != tJLCol || str(tr, "scope") != "否" || str(tr, "id_no") != tSelf || str(tr, "name") != "张三" {
		t.Fatalf("started transfer: %v", tr)
	}
	st := steps(t, tr)
	if len(st) != 2 || str(st[0], "kind") != "转入审批" || str(st[0], "org") != tJLCol || num(st[0], "days_left") != 15 ||
		str(st[0], "opened_at") != day || str(st[0], "due_at") != "2025-07-15" || str(st[1], "kind") != "分配团支部" || st[1]["days_left"] != nil {
		t.Fatalf("steps: %v", st)
	}
	// Without --json the number alone is printed, one per line.
	r := mustOK(t, h.raw("transfer", "start", tPeer, "--reason", "升学", "--to", tJLBranch, "--unit", "江苏金陵师范大学", "--address", "江苏省南京市",
		"--db", h.db, "--as", tColXAdmin, "--now", day))
	peerNo := strings.TrimSpace(r.stdout)
	if _, err := strconv.Atoi(peerNo); err != nil || peerNo == n {
		t.Fatalf("transfer start without --json printed %q", r.stdout)
	}

	// The receiving side sees both waiting; the college sees none waiting for it.
	pending := arr(t, mustOK(t, h.on(day, tJLAdmin, "transfer", "list", "--pending")).stdout)
	if len(pending) != 2 {
		t.Fatalf("金陵 pending: %v", pending)
	}
	if l := arr(t, mustOK(t, h.on(day, tColXAdmin, "transfer", "list", "--pending")).stdout); len(l) != 0 {
		t.Fatalf("the college has %d pending", len(l))
	}
	if l := arr(t, mustOK(t, h.on(day, tColXAdmin, "transfer", "list")).stdout); len(l) != 2 {
		t.Fatalf("the college's transfers: %d", len(l))
	}
	if l := arr(t, mustOK(t, h.on(day, tSelf, "transfer", "list")).stdout); len(l) != 1 || no(l[0]) != n {
		t.Fatalf("the member's own transfers: %v", l)
	}
	show := obj(t, mustOK(t, h.on(day, tJLAdmin, "transfer", "show", n)).stdout)
	if no(show) != n || str(show, "remark") != "教育科学学院 2025 级硕士" {
		t.Fatalf("show: %v", show)
	}
	mustRefuse(t, h.on(day, tColYAdmin, "transfer", "show", n))

	// Approve on the receiving side (R-T3): the member waits for a branch.
	tr = obj(t, mustOK(t, h.on("2025-07-02", tJLAdmin, "transfer", "approve", n)).stdout)
	st = steps(t, tr)
	if str(tr, "state") != "待分配团支部" || str(st[0], "outcome") != "通过" || str(st[0], "acted_at") != "2025-07-02" || str(st[1], "opened_at") != "2025-07-02" {
		t.Fatalf("after approval: %v", tr)
	}
	if m := obj(t, mustOK(t, h.as(app.DemoAdminID, "member", "show", tSelf)).stdout); str(m, "org_path") != tBranch {
		t.Fatalf("张三 moved before assignment: %v", m["org_path"])
	}
	tr = obj(t, mustOK(t, h.on("2025-07-03", tJLAdmin, "transfer", "assign", n, "--branch", tJLBranch)).stdout)
	if str(tr, "state") != "已完成" || str(tr, "to_org") != tJLBranch || str(tr, "finished_at") != "2025-07-03" {
		t.Fatalf("after assignment: %v", tr)
	}
	if m := obj(t, mustOK(t, h.as(app.DemoAdminID, "member", "show", tSelf)).stdout); str(m, "org_path") != tJLBranch {
		t.Fatalf("张三 is in %v after assignment", m["org_path"])
	}
	// Text output of show: the timeline.
	r = mustOK(t, h.raw("transfer", "show", n, "--db", h.db, "--as", tJLAdmin, "--now", "2025-07-03"))
	for _, p := range []string{"第 " + n + " 号", "张三", "已完成", "转入审批", "通过 2025-07-02", "分配团支部", "已分配 2025-07-03"} {
		if !strings.Contains(r.stdout, p) {
			t.Errorf("transfer show text lacks %q:\n%s", p, r.stdout)
		}
	}

	// Letters (R-T7, R-L1): numbered per issuing committee, a PDF file.
	dir := t.TempDir()
	pdf := filepath.Join(dir, "letters-1.pdf")
	lo := obj(t, mustOK(t, h.on("2025-07-03", tColXAdmin, "letter", n, peerNo, "--out", pdf, "--dues", "2025-06", "--valid-days", "45")).stdout)
	letters, _ := lo["letters"].([]any)
	if str(lo, "out") != pdf || len(letters) != 1 {
		t.Fatalf("letter output: %v", lo)
	}
	l1 := letters[0].(map[string]any)
	if tr, _ := l1["transfers"].([]any); len(tr) != 2 || str(l1, "issuer") != tCollege {
		t.Fatalf("letter 1 issuer and transfers: %v", l1)
	}
	if num(l1, "no") != 1 || num(l1, "count") != 2 || str(l1, "heading") != "共青团浙江明理大学信息与电子工程学院委员会" ||
		str(l1, "recipient") != "江苏金陵师范大学2026级教育学硕士研究生团支部" || str(l1, "dues") != "2025-06" || num(l1, "valid_days") != 45 {
		t.Fatalf("letter 1: %v", l1)
	}
	b, err := os.ReadFile(pdf)
	if err != nil || !bytes.HasPrefix(b, []byte("%PDF")) {
		t.Fatalf("%s is not a PDF (%v)", pdf, err)
	}
	// An existing file is not overwritten: refused, no number used.
	before := tsnap(t, h)
	refusedSame(t, h, "letter onto an existing file", h.on("2025-07-03", tColXAdmin, "letter", n, "--out", pdf), before)
	pdf2 := filepath.Join(dir, "letters-2.pdf")
	lo = obj(t, mustOK(t, h.on("2025-07-03", tColXAdmin, "letter", n, "--out", pdf2)).stdout)
	if l := lo["letters"].([]any)[0].(map[string]any); num(l, "no") != 2 || num(l, "valid_days") != 30 || str(l, "dues") != "2025-07" {
		t.Fatalf("letter 2: %v", l)
	}
	// Void No. 2: the number stays used; voiding again is refused.
	v := obj(t, mustOK(t, h.on("2025-07-03", tColXAdmin, "letter", "void", "2", "--reason", "收件组织名称有误")).stdout)
	if v["voided"] != true || num(v, "no") != 2 {
		t.Fatalf("letter void: %v", v)
	}
	before = tsnap(t, h)
	refusedSame(t, h, "voiding twice", h.on("2025-07-03", tColXAdmin, "letter", "void", "2", "--reason", "再次作废"), before, "作废")
	refusedSame(t, h, "voiding another committee's letter", h.on("2025-07-03", tColYAdmin, "letter", "void", "1", "--reason", "作废"), before)
	lo = obj(t, mustOK(t, h.on("2025-07-03", tColXAdmin, "letter", peerNo, "--out", filepath.Join(dir, "letters-3.pdf"))).stdout)
	if l := lo["letters"].([]any)[0].(map[string]any); num(l, "no") != 3 {
		t.Fatalf("the letter after voiding No. 2 is %v, want No. 3", l["no"])
	}
	reg := arr(t, mustOK(t, h.on("2025-07-03", tColXAdmin, "letter", "list")).stdout)
	if len(reg) != 3 || num(reg[0], "no") != 3 || num(reg[1], "no") != 2 || reg[1]["voided"] != true || str(reg[1], "void_reason") != "收件组织名称有误" ||
		num(reg[2], "no") != 1 || reg[2]["voided"] != false || str(reg[2], "issuer") != tCollege ||
		str(reg[2], "heading") != "共青团浙江明理大学信息与电子工程学院委员会" || len(reg[2]["transfers"].([]any)) != 2 {
		t.Fatalf("letter list: %v", reg)
	}
	if l := arr(t, mustOK(t, h.on("2025-07-03", tColYAdmin, "letter", "list")).stdout); len(l) != 0 {
		t.Fatalf("经济学院 sees %d letters of another college", len(l))
	}

	// The audit trail of the member: 发起, 转入审批通过, 分配团支部 (before → after).
	au := arr(t, mustOK(t, h.as(app.DemoAdminID, "audit", "--member", tSelf)).stdout)
	var actions []string
	for i := len(au) - 1; i >= 0; i-- {
		if strings.HasPrefix(str(au[i], "object"), "转接第 "+n+" 号") {
			actions = append(actions, str(au[i], "action"))
		}
	}
	if strings.Join(actions, ",") != "发起组织关系转接,转入审批通过,分配团支部" {
		t.Fatalf("audit of transfer %s: %v", n, actions)
	}
	mustOK(t, h.as(app.DemoAdminID, "check"))
}

// TestTransferCommandRefusals: usage errors exit 2; refusals exit 1 with one
// Chinese sentence and nothing changed (R-T2, R-O3, R-T3, R-D2, R-L1).
func TestTransferCommandRefusals(t *testing.T) {
	h := transferWorld(t)
	day := testNow
	owner := app.DemoAdminID
	before := tsnap(t, h)
	for _, args := range [][]string{
		{"transfer"},
		{"transfer", "bogus"},
		{"transfer", "start", "--reason", "升学"},
		{"transfer", "start", tSelf},
		{"transfer", "start", tSelf, "--reason", "未就业", "--keep-months", "六"},
		{"transfer", "start", tSelf, "--reason", "升学", "--school", "某大学"},
		{"transfer", "pull", "--id", tSelf, "--reason", "升学"},
		{"transfer", "pull", "--name", "张三", "--id", tSelf, "--reason", "升学", "extra"},
		{"transfer", "approve"},
		{"transfer", "approve", "abc"},
		{"transfer", "approve", "1", "2"},
		{"transfer", "reject", "1"},
		{"transfer", "assign", "1"},
		{"transfer", "show", "0"},
		{"transfer", "list", "extra"},
		{"sweep", "extra"},
		{"notices", "extra"},
		{"letter", "1"},
		{"letter", "--out", "x.pdf"},
		{"letter", "abc", "--out", "x.pdf"},
		{"letter", "void"},
		{"letter", "void", "1"},
	} {
		mustUsage(t, h.on(day, owner, args...))
	}
	mustUsage(t, h.raw("sweep", "--db", h.db, "--as", owner, "--now", "2025-13-01"))
	if tsnap(t, h) != before {
		t.Fatalf("usage errors changed the store")
	}

	start := func(as string, args ...string) result {
		return h.on(day, as, append([]string{"transfer", "start"}, args...)...)
	}
	study := []string{"--reason", "升学", "--to", tJLBranch, "--unit", "江苏金陵师范大学", "--address", "江苏省南京市"}
	for _, c := range []struct {
		what  string
		as    string
		args  []string
		parts []string
	}{
		{"unknown reason", tColXAdmin, []string{tSelf, "--reason", "毕业", "--to", tJLBranch}, []string{"转接原因"}},
		{"升学 without the school", tColXAdmin, []string{tSelf, "--reason", "升学", "--to", tJLBranch, "--address", "江苏省南京市"}, []string{"学校名称"}},
		{"升学 without a target", tColXAdmin, []string{tSelf, "--reason", "升学", "--unit", "某大学", "--address", "某地"}, []string{"转入组织"}},
		{"学习研究 without the contact", tColXAdmin, []string{tSelf, "--reason", "出国（境）学习研究", "--place", "英国伦敦", "--period", "一年"}, []string{"联系人"}},
		{"未就业 kept 7 months", tColXAdmin, []string{tSelf, "--reason", "未就业", "--keep-months", "7"}, []string{"6"}},
		{"特殊单位 with --to", tColXAdmin, []string{tSelf, "--reason", "转往特殊单位团组织", "--to", tSpecial}, nil},
		{"北京 target with scope 否", tColXAdmin, []string{tSelf, "--reason", "升学", "--to", tBJBranch, "--scope", "否", "--unit", "北京燕园科技大学", "--address", "北京市"}, []string{"北京"}},
		{"江苏 target with scope 北京", tColXAdmin, append([]string{tSelf, "--scope", "北京"}, study...), []string{"北京"}},
		{"unknown target", tColXAdmin, []string{tSelf, "--reason", "升学", "--to", "不存在的团委", "--unit", "某大学", "--address", "某地"}, []string{"找不到"}},
		{"another college's member", tColYAdmin, append([]string{tSelf}, study...), []string{"办理转入"}},
		{"unknown member", tColXAdmin, append([]string{idWith("11010120010618004")}, study...), nil},
	} {
		refusedSame(t, h, c.what, start(c.as, c.args...), before, c.parts...)
	}
	refusedSame(t, h, "pull with the wrong name", h.on(day, tJLAdmin, "transfer", "pull", "--name", "张四", "--id", tSelf, "--reason", "升学",
		"--to", tJLBranch, "--unit", "江苏金陵师范大学", "--address", "江苏省南京市"), before, "姓名")

	// 办理转入 by the receiving college (R-T1): the sending college approves.
	tr := obj(t, mustOK(t, h.on(day, tJLAdmin, "transfer", "pull", "--name", "张三", "--id", tSelf, "--reason", "升学",
		"--to", tJLBranch, "--unit", "江苏金陵师范大学", "--address", "江苏省南京市")).stdout)
	n := no(tr)
	if str(tr, "initiator") != "转入组织" || str(steps(t, tr)[0], "kind") != "转出审批" || str(steps(t, tr)[0], "org") != tBranch {
		t.Fatalf("pull: %v", tr)
	}
	before = tsnap(t, h)
	refusedSame(t, h, "a second transfer", start(tColXAdmin, append([]string{tSelf}, study...)...), before, "已有正在办理")
	refusedSame(t, h, "a second transfer by the member", start(tSelf, append([]string{tSelf}, study...)...), before, "已有正在办理")
	refusedSame(t, h, "a batch with one open", start(tColXAdmin, append([]string{tPeer, tSelf}, study...)...), before, "所有人都没有提交")
	refusedSame(t, h, "another college approves", h.on(day, tColYAdmin, "transfer", "approve", n), before, "不是您的待办事项")
	refusedSame(t, h, "the school above the college approves", h.on(day, owner, "transfer", "approve", n), before)
	refusedSame(t, h, "the receiving side approves the sending step", h.on(day, tJLAdmin, "transfer", "approve", n), before)
	refusedSame(t, h, "the member approves", h.on(day, tSelf, "transfer", "approve", n), before)
	refusedSame(t, h, "another college rejects", h.on(day, tColYAdmin, "transfer", "reject", n, "--reason", "不同意"), before)
	refusedSame(t, h, "unknown transfer", h.on(day, owner, "transfer", "approve", "999"), before)
	// R-T5: rejected with a reason, the member stays.
	tr = obj(t, mustOK(t, h.on(day, tColXAdmin, "transfer", "reject", n, "--reason", "该生已签约就业，请核实")).stdout)
	if str(tr, "state") != "已退回" || str(tr, "reject_reason") != "该生已签约就业，请核实" || str(steps(t, tr)[0], "outcome") != "退回" {
		t.Fatalf("reject: %v", tr)
	}
	if m := obj(t, mustOK(t, h.as(owner, "member", "show", tSelf)).stdout); str(m, "org_path") != tBranch {
		t.Fatalf("R-T5: a rejected transfer moved 张三 to %v", m["org_path"])
	}
	before = tsnap(t, h)
	refusedSame(t, h, "approving a rejected transfer", h.on(day, tColXAdmin, "transfer", "approve", n), before)
	refusedSame(t, h, "a letter for a rejected transfer", h.on(day, tColXAdmin, "letter", n, "--out", filepath.Join(t.TempDir(), "r.pdf")), before)

	// The member's own application (R-T1, R-A5): own branch's superior first, then the receiving side.
	tr = arr(t, mustOK(t, start(tSelf, tSelf, "--reason", "升学", "--to", tJLCol, "--unit", "江苏金陵师范大学", "--address", "江苏省南京市")).stdout)[0]
	own := no(tr)
	if st := steps(t, tr); str(tr, "initiator") != "团员本人" || len(st) != 3 || str(st[0], "kind") != "转出审批" || str(st[1], "kind") != "转入审批" || str(st[2], "kind") != "分配团支部" {
		t.Fatalf("the member's own application: %v", tr)
	}
	mustOK(t, h.on(day, tColXAdmin, "transfer", "approve", own))
	before = tsnap(t, h)
	refusedSame(t, h, "approving twice", h.on(day, tColXAdmin, "transfer", "approve", own), before, "不是您的待办事项")
	mustOK(t, h.on(day, tJLAdmin, "transfer", "approve", own))
	before = tsnap(t, h)
	refusedSame(t, h, "approving an assignment", h.on(day, tJLAdmin, "transfer", "approve", own), before, "分配团支部")
	refusedSame(t, h, "assigning outside the receiving committee", h.on(day, tJLAdmin, "transfer", "assign", own, "--branch", tBJBranch), before, "下属的团支部")
	refusedSame(t, h, "assigning to the committee itself", h.on(day, tJLAdmin, "transfer", "assign", own, "--branch", tJLCol), before)
	refusedSame(t, h, "assigning by the sending college", h.on(day, tColXAdmin, "transfer", "assign", own, "--branch", tJLBranch), before)
	mustOK(t, h.on(day, tJLAdmin, "transfer", "assign", own, "--branch", tJLBranch))
	before = tsnap(t, h)
	refusedSame(t, h, "assigning twice", h.on(day, tJLAdmin, "transfer", "assign", own, "--branch", tJLBranch), before)

	// 转往特殊单位团组织: the 团省委 approves, nobody else (R-T2).
	tr = arr(t, mustOK(t, start(tColXAdmin, tPeer, "--reason", "转往特殊单位团组织", "--remark", "参军入伍")).stdout)[0]
	sp := no(tr)
	if str(tr, "to_org") != tSpecial || str(steps(t, tr)[0], "kind") != "省级审批" || str(steps(t, tr)[0], "org") != tProv {
		t.Fatalf("special: %v", tr)
	}
	before = tsnap(t, h)
	refusedSame(t, h, "special approved by the school", h.on(day, owner, "transfer", "approve", sp), before)
	refusedSame(t, h, "special approved by the college", h.on(day, tColXAdmin, "transfer", "approve", sp), before)
	if tr = obj(t, mustOK(t, h.on(day, tProvAdmin, "transfer", "approve", sp)).stdout); str(tr, "state") != "已完成" {
		t.Fatalf("special approved by the 团省委: %v", tr)
	}

	// R-D2: a 延迟毕业团员 is not sent to 学社衔接 (the mark set in the store).
	st, err := data.Open(h.db)
	if err != nil {
		t.Fatal(err)
	}
	err = st.Write(context.Background(), func(tx app.Tx) error {
		m, err := tx.Member(tYMember)
		if err != nil {
			return err
		}
		m.Mark, m.MarkMonth, m.MarkReason = "延迟毕业团员", "2026-06", "学分未修满"
		return tx.UpdateMember(m)
	})
	st.Close()
	if err != nil {
		t.Fatal(err)
	}
	before = tsnap(t, h)
	refusedSame(t, h, "a delayed graduate to 学社衔接", start(tColYAdmin, tYMember, "--reason", "未就业", "--to", tTransit, "--address", "浙江省杭州市西湖区"), before, "学社衔接")

	// A letter for another committee's transfer.
	refusedSame(t, h, "a letter for another committee's transfer", h.on(day, tColYAdmin, "letter", sp, "--out", filepath.Join(t.TempDir(), "y.pdf")), before)
	// Only administrators sweep.
	refusedSame(t, h, "sweep by a member", h.on(day, tSelf, "sweep"), before)
}

// TestSweepAndNotices_R_T4_R_N1: sweep --now applies the defaults and the
// reminders as of its date; notices show what each account must do.
func TestSweepAndNotices_R_T4_R_N1(t *testing.T) {
	h := transferWorld(t)
	owner := app.DemoAdminID
	day := testNow // 2025-06-30: steps opened today are due 2025-07-15
	t1 := no(arr(t, mustOK(t, h.on(day, tColXAdmin, "transfer", "start", tSelf, "--reason", "升学", "--to", tJLBranch,
		"--unit", "江苏金陵师范大学", "--address", "江苏省南京市")).stdout)[0])
	t2 := no(arr(t, mustOK(t, h.on(day, tColXAdmin, "transfer", "start", tPeer, "--reason", "升学", "--to", tJLCol,
		"--unit", "江苏金陵师范大学", "--address", "江苏省南京市")).stdout)[0])
	kept := arr(t, mustOK(t, h.on(day, tColYAdmin, "transfer", "start", tYMember, "--reason", "未就业", "--keep-months", "6", "--address", "浙江省杭州市")).stdout)[0]
	if str(kept, "state") != "留校保留" || str(kept, "keep_until") != "2025-12-30" || len(steps(t, kept)) != 0 {
		t.Fatalf("留校保留: %v", kept)
	}
	t3 := no(kept)

	notice := func(on, as, transfer string) map[string]any {
		t.Helper()
		for _, n := range arr(t, mustOK(t, h.on(on, as, "notices")).stdout) {
			if strconv.FormatInt(num(n, "transfer_no"), 10) == transfer {
				return n
			}
		}
		return nil
	}
	want := func(on, as, transfer, kind string, days int) {
		t.Helper()
		n := notice(on, as, transfer)
		if kind == "" {
			if n != nil {
				t.Fatalf("%s on %s: unexpected notice %v", as, on, n)
			}
			return
		}
		if n == nil || str(n, "kind") != kind || str(n, "text") == "" {
			t.Fatalf("%s on %s: notice about %s is %v, want %s", as, on, transfer, n, kind)
		}
		if days >= 0 && (n["days_left"] == nil || num(n, "days_left") != int64(days)) {
			t.Fatalf("%s on %s: days left %v, want %d", as, on, n["days_left"], days)
		}
		if days < 0 && n["days_left"] != nil {
			t.Fatalf("%s on %s: days left %v on a notice without a deadline", as, on, n["days_left"])
		}
	}
	want(day, tJLAdmin, t1, "待审批", 15)
	want(day, tColXAdmin, t1, "", 0)
	want(day, tSelf, t1, "我的转接申请", -1)
	want("2025-07-09", tJLAdmin, t1, "待审批", 6)
	want("2025-07-10", tJLAdmin, t1, "超过10天未审批", 5)

	// The text form of notices.
	r := mustOK(t, h.raw("notices", "--db", h.db, "--as", tJLAdmin, "--now", "2025-07-10"))
	if !strings.Contains(r.stdout, "【超过10天未审批】") {
		t.Errorf("notices text:\n%s", r.stdout)
	}

	sw := func(on string) map[string]any {
		t.Helper()
		return obj(t, mustOK(t, h.on(on, owner, "sweep")).stdout)
	}
	if s := sw("2025-07-09"); num(s, "defaulted") != 0 || num(s, "reminded") != 0 {
		t.Fatalf("sweep on day 9: %v", s)
	}
	if s := sw("2025-07-10"); num(s, "defaulted") != 0 || num(s, "reminded") != 2 {
		t.Fatalf("sweep on day 10: %v", s)
	}
	if s := sw("2025-07-14"); num(s, "defaulted") != 0 || num(s, "reminded") != 0 {
		t.Fatalf("sweep on day 14: %v", s)
	}
	// Past day 15 the steps stand approved by default: nobody acts on them
	// by hand any more, even before a sweep has recorded it (R-T4).
	before := tsnap(t, h)
	refusedSame(t, h, "approving an overdue step", h.on("2025-07-16", tJLAdmin, "transfer", "approve", t1), before, "系统默认通过")
	refusedSame(t, h, "rejecting an overdue step", h.on("2025-07-16", tJLAdmin, "transfer", "reject", t2, "--reason", "材料不全"), before, "系统默认通过")
	// Day 15: both approved by default, recorded as 系统默认通过 on the due date (R-T4).
	if s := sw("2025-07-20"); num(s, "defaulted") != 2 || num(s, "finished") != 1 {
		t.Fatalf("sweep after day 15: %v", s)
	}
	tr := obj(t, mustOK(t, h.on("2025-07-20", tJLAdmin, "transfer", "show", t1)).stdout)
	if s := steps(t, tr)[0]; str(tr, "state") != "已完成" || str(s, "outcome") != "系统默认通过" || str(s, "acted_at") != "2025-07-15" || str(s, "actor") != "系统" {
		t.Fatalf("defaulted transfer: %v", tr)
	}
	if m := obj(t, mustOK(t, h.as(owner, "member", "show", tSelf)).stdout); str(m, "org_path") != tJLBranch {
		t.Fatalf("张三 after the default approval: %v", m["org_path"])
	}
	// The committee's assignment waits, however long (never automatic).
	want("2025-07-20", tJLAdmin, t2, "待分配团支部", -1)
	if s := sw("2025-12-01"); num(s, "defaulted") != 0 || num(s, "finished") != 0 {
		t.Fatalf("sweep while an assignment waits: %v", s)
	}
	if tr := obj(t, mustOK(t, h.on("2025-12-01", tJLAdmin, "transfer", "show", t2)).stdout); str(tr, "state") != "待分配团支部" {
		t.Fatalf("assignment after months: %v", tr["state"])
	}
	want("2025-12-01", tJLAdmin, t2, "待分配团支部", -1)
	// 留校保留 (R-T2, R-N1): nearing its end, then overdue.
	want("2025-10-01", tColYAdmin, t3, "", 0)
	want("2025-12-10", tColYAdmin, t3, "留校保留即将到期", 20)
	want("2026-01-05", tColYAdmin, t3, "留校保留已超期", 0)
	want("2026-01-05", owner, t3, "留校保留已超期", 0)
	want("2026-01-05", tColXAdmin, t3, "", 0)
}
