package cli_test

import (
	"path/filepath"
	"testing"

	"tuanwu/app"
)

const tAbroad = tCollege + "/出国(境)学习研究团员团支部"

// TestSpecialApprovedOnlyByProvince_R_T2: 转往特殊单位团组织 is approved by
// the 团省委 alone. Without an administrator there nobody approves in its
// place (not even the school's owner account); the 15-day default applies
// and the member lands in the 特殊单位专属库.
func TestSpecialApprovedOnlyByProvince_R_T2(t *testing.T) {
	h := newHarness(t)
	mustOK(t, h.run("demo", "--members", "200", "--with-neighbours", "--now", "2025-06-01"))
	h.passwdAs(app.DemoAdminID)
	owner := app.DemoAdminID
	id := str(arr(t, mustOK(t, h.as(owner, "member", "list", "--org", tCollege)).stdout)[0], "id_no")
	tr := arr(t, mustOK(t, h.on(testNow, owner, "transfer", "start", id, "--reason", "转往特殊单位团组织")).stdout)[0]
	if st := steps(t, tr); len(st) != 1 || str(st[0], "kind") != "省级审批" || str(st[0], "org") != tProv {
		t.Fatalf("special transfer steps: %v", st)
	}
	n := no(tr)
	before := tsnap(t, h)
	refusedSame(t, h, "the school approving for the 团省委", h.on("2025-07-01", owner, "transfer", "approve", n), before, "省委")
	if l := arr(t, mustOK(t, h.on("2025-07-01", owner, "transfer", "list", "--pending")).stdout); len(l) != 0 {
		t.Fatalf("the school's pending list offers the 团省委's step: %v", l)
	}
	s := obj(t, mustOK(t, h.on("2025-07-16", owner, "sweep")).stdout)
	if num(s, "defaulted") != 1 || num(s, "finished") != 1 {
		t.Fatalf("sweep: %v", s)
	}
	if m := obj(t, mustOK(t, h.on("2025-07-16", owner, "member", "show", id)).stdout); str(m, "org_path") != tSpecial {
		t.Fatalf("member after the default approval is in %v", m["org_path"])
	}
}

// TestTransferRuleEdges_R_D2_R_T2_R_T3: a member already in the
// 出国(境)学习研究 branch is not transferred there again; a member on the
// way to 学社衔接 is not marked 延迟毕业 (R-D2); a committee does not assign
// into a branch that only its own reason may fill.
func TestTransferRuleEdges_R_D2_R_T2_R_T3(t *testing.T) {
	h := transferWorld(t)
	owner := app.DemoAdminID
	day := testNow

	// 出国（境）学习研究, approved by the school: then again is refused.
	tr := arr(t, mustOK(t, h.on(day, tColXAdmin, "transfer", "start", tSelf, "--reason", "出国（境）学习研究",
		"--place", "英国伦敦", "--period", "2025-09 至 2026-08", "--contact", "张父", "--phone", "13800138000")).stdout)[0]
	if str(tr, "to_org") != tAbroad {
		t.Fatalf("abroad transfer target: %v", tr["to_org"])
	}
	mustOK(t, h.on(day, owner, "transfer", "approve", no(tr)))
	before := tsnap(t, h)
	refusedSame(t, h, "abroad again", h.on(day, tColXAdmin, "transfer", "start", tSelf, "--reason", "出国（境）学习研究",
		"--place", "法国巴黎", "--period", "2026-09 至 2027-08", "--contact", "张父", "--phone", "13800138000"), before, "已在")

	// R-D2: 李四 is on the way to a 学社衔接临时团支部; marking waits.
	mustOK(t, h.on(day, tColXAdmin, "grad", "mark", tBranch, "--month", "2025-06"))
	mustOK(t, h.on(day, tColXAdmin, "transfer", "start", tPeer, "--reason", "未就业", "--address", "浙江省杭州市西湖区文新街道",
		"--to", tTransit))
	before = tsnap(t, h)
	refusedSame(t, h, "marking a member bound for 学社衔接", h.on(day, tColXAdmin, "member", "mark", tPeer, "--delayed", "2026-06", "--reason", "学分未修满"),
		before, "学社衔接")
	refusedSame(t, h, "marking a member bound for 学社衔接 as 教师", h.on(day, tColXAdmin, "member", "mark", tPeer, "--teacher"), before, "学社衔接")

	// R-T3: 王五 comes into 信息与电子工程学院团委, which assigns a branch,
	// but not its 出国(境)学习研究团员团支部.
	in := arr(t, mustOK(t, h.on(day, tColYAdmin, "transfer", "start", tYMember, "--reason", "升学", "--to", tCollege,
		"--unit", "浙江明理大学", "--address", "浙江省杭州市")).stdout)[0]
	mustOK(t, h.on(day, tColXAdmin, "transfer", "approve", no(in)))
	before = tsnap(t, h)
	refusedSame(t, h, "assigning into the abroad branch", h.on(day, tColXAdmin, "transfer", "assign", no(in), "--branch", tAbroad), before, "出国")
	done := obj(t, mustOK(t, h.on(day, tColXAdmin, "transfer", "assign", no(in), "--branch", tBranch)).stdout)
	if str(done, "state") != "已完成" || str(done, "to_org") != tBranch {
		t.Fatalf("assignment: %v", done)
	}
}

// TestSchoolUnderCityCommittee_R_O1_R_L1: in a provincial store the school
// sits under a 团市委; the school committee (not the province) approves
// 出国（境）学习研究 and heads the college's letters.
func TestSchoolUnderCityCommittee_R_O1_R_L1(t *testing.T) {
	h := newHarness(t)
	prov, adm := "共青团浙江省委员会", idWith("33010619700101001")
	mustOK(t, h.run("init", "--practice", "--org", prov, "--kind", "团省委", "--province", "浙江", "--admin-name", "省管理员", "--admin-id", adm, "--now", testNow))
	h.passwdAs(adm)
	city := prov + "/共青团杭州市委员会"
	school := city + "/浙江之江大学团委"
	college := school + "/法学院团委"
	branch := college + "/2021级法学1班团支部"
	for _, o := range [][]string{
		{prov, "共青团杭州市委员会", "团市委", ""}, {city, "浙江之江大学团委", "团委", ""}, {school, "法学院团委", "团委", ""},
		{college, "2021级法学1班团支部", "团支部", ""}, {college, "出国(境)学习研究团员团支部", "团支部", "出国(境)学习研究团员团支部"},
		{school, "2021级转出测试团支部", "团支部", ""},
	} {
		args := []string{"org", "add", "--parent", o[0], "--name", o[1], "--kind", o[2]}
		if o[3] != "" {
			args = append(args, "--category", o[3])
		}
		mustOK(t, h.as(adm, args...))
	}
	id := idWith("33010620030512002")
	mustOK(t, h.as(adm, "member", "add", "--org", branch, "--name", "赵六", "--id", id, "--field", "入团年月=2016-05"))
	tr := arr(t, mustOK(t, h.on(testNow, adm, "transfer", "start", id, "--reason", "出国（境）学习研究",
		"--place", "日本东京", "--period", "2025-10 至 2026-09", "--contact", "赵父", "--phone", "13900139000")).stdout)[0]
	if st := steps(t, tr); len(st) != 1 || str(st[0], "kind") != "学校团委审批" || str(st[0], "org") != school {
		t.Fatalf("abroad steps in a provincial store: %v", st)
	}
	// The college's administrator prints the letter.
	colAdm := idWith("33010619800808008")
	mustOK(t, h.as(adm, "cadre", "add", "--org", college, "--id", colAdm, "--name", "钱老师", "--post", "书记"))
	mustOK(t, h.as(adm, "admin", "add", "--org", college, "--id", colAdm))
	h.passwdAs(colAdm)
	lo := obj(t, mustOK(t, h.on(testNow, colAdm, "letter", no(tr), "--out", filepath.Join(t.TempDir(), "l.pdf"))).stdout)
	if l := lo["letters"].([]any)[0].(map[string]any); str(l, "heading") != "共青团浙江之江大学法学院委员会" {
		t.Fatalf("letter heading in a provincial store: %v", l["heading"])
	}
}

// TestPullAsWritten_R_T1: 办理转入 exactly as CLI.md writes it (姓名, 身份证号,
// reason): the unit and place are the receiving side's own.
func TestPullAsWritten_R_T1(t *testing.T) {
	h := transferWorld(t)
	tr := obj(t, mustOK(t, h.on(testNow, tJLAdmin, "transfer", "pull", "--name", "王五", "--id", tYMember, "--reason", "升学")).stdout)
	if str(tr, "initiator") != "转入组织" || str(tr, "to_org") != tJLCol || str(tr, "unit") != "江苏金陵师范大学" || str(tr, "address") == "" ||
		str(tr, "from_org") != tBranchY {
		t.Fatalf("pull as written: %v", tr)
	}
	if st := steps(t, tr); str(st[0], "kind") != "转出审批" || str(st[0], "org") != tBranchY {
		t.Fatalf("pull steps: %v", st)
	}
	// Given, they are kept as entered.
	tr = obj(t, mustOK(t, h.on(testNow, tJLAdmin, "transfer", "pull", "--name", "李四", "--id", tPeer, "--reason", "升学",
		"--unit", "江苏金陵师范大学（仙林校区）", "--address", "江苏省南京市栖霞区文苑路 1 号")).stdout)
	if str(tr, "unit") != "江苏金陵师范大学（仙林校区）" || str(tr, "address") != "江苏省南京市栖霞区文苑路 1 号" {
		t.Fatalf("pull with unit and address: %v", tr)
	}
}
