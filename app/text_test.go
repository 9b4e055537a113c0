package app_test

import (
	"context"
	"strings"
	"testing"

	"tuanwu/app"
)

// Issue 10 item 7: invisible characters (C0/C1 controls, bidi overrides and
// isolates, zero-width characters) are refused in every name and text field,
// naming the position; what is left is trimmed.
func TestCleanText_Issue10Item7(t *testing.T) {
	for _, c := range []struct {
		rule, field, in, want, msg string
	}{
		{"plain text is trimmed", "姓名", "  张三\u3000", "张三", ""},
		{"a middle dot (minority names) stays", "姓名", "阿依古丽·买买提", "阿依古丽·买买提", ""},
		{"C0: an ANSI escape sequence", "组织名称", "法学院\x1b[2J团委", "", "组织名称第 4 个字符是不可见的控制字符（U+001B）"},
		{"C0: NUL", "姓名", "张\x00三", "", "姓名第 2 个字符是不可见的控制字符（U+0000）"},
		{"DEL", "姓名", "张三\x7f", "", "第 3 个字符是不可见的控制字符（U+007F）"},
		{"C1: CSI", "备注", "a\u009b2J", "", "备注第 2 个字符是不可见的控制字符（U+009B）"},
		{"a tab inside a one-line field", "单位名称", "某某\t大学", "", "第 3 个字符是换行、制表等不可见的控制字符"},
		{"a line break inside a one-line field", "组织名称", "法学院\n团委", "", "第 4 个字符是换行"},
		{"bidi override RLO", "姓名", "张\u202e三", "", "姓名第 2 个字符是不可见的文字方向控制字符（U+202E）"},
		{"bidi isolate LRI", "地址", "杭州\u2066市", "", "地址第 3 个字符是不可见的文字方向控制字符（U+2066）"},
		{"bidi mark RLM", "姓名", "李\u200f四", "", "第 2 个字符是不可见的文字方向控制字符"},
		{"zero-width space", "姓名", "张三\u200b", "", "姓名第 3 个字符是不可见的零宽字符（U+200B）"},
		{"zero-width joiner", "姓名", "张\u200d三", "", "第 2 个字符是不可见的零宽字符"},
		{"BOM at the start", "姓名", "\ufeff张三", "", "姓名第 1 个字符是不可见的零宽字符（U+FEFF）"},
		{"word joiner", "姓名", "张\u2060三", "", "零宽字符"},
		{"soft hyphen (other format)", "姓名", "张\u00ad三", "", "不可见的格式字符"},
		{"line separator", "备注", "甲\u2028乙", "", "不可见的换行符"},
		{"position counts characters, not bytes, after trimming", "姓名", "  欧阳娜娜\u200b", "", "姓名第 5 个字符"},
	} {
		got, err := app.CleanText(c.field, c.in)
		if c.msg == "" {
			if err != nil || got != c.want {
				t.Errorf("%s: CleanText(%q) = %q, %v; want %q", c.rule, c.in, got, err, c.want)
			}
			continue
		}
		if app.ErrorCode(err) != app.EInvalid || !strings.Contains(app.ErrorMessage(err), c.msg) || !strings.HasSuffix(app.ErrorMessage(err), "请删除后重新输入。") {
			t.Errorf("%s: CleanText(%q) = %q, %v; want EInvalid saying %q", c.rule, c.in, got, err, c.msg)
		}
	}
	// Multi-line texts (remarks, reasons) keep their line breaks, nothing else.
	if got, err := app.CleanLines("备注", "第一行\r\n第二行 "); err != nil || got != "第一行\n第二行" {
		t.Errorf("CleanLines = %q, %v", got, err)
	}
	if _, err := app.CleanLines("备注", "第一行\n\x1b]0;标题\x07"); err == nil {
		t.Error("CleanLines accepted an escape sequence")
	}
}

// Issue 10 item 7: the validators call CleanText, so every use case refuses
// invisible characters in organization names, member names and fields,
// and transfer texts.
func TestValidatorsRefuseInvisible_Issue10Item7(t *testing.T) {
	if _, err := app.ValidateOrgName("法学院\x1b[31m团委"); app.ErrorCode(err) != app.EInvalid || !strings.Contains(app.ErrorMessage(err), "组织名称第 4 个字符") {
		t.Errorf("ValidateOrgName with ESC: %v", err)
	}
	if n, err := app.ValidateOrgName("  法学院团委 "); err != nil || n != "法学院团委" {
		t.Errorf("ValidateOrgName trims: %q, %v", n, err)
	}
	if _, err := app.ValidateName("张\u200b三"); app.ErrorCode(err) != app.EInvalid || !strings.Contains(app.ErrorMessage(err), "姓名第 2 个字符是不可见的零宽字符") {
		t.Errorf("ValidateName with ZWSP: %v", err)
	}
	m := app.Member{OrgID: 1, Name: "张三", IDNo: idOf(t, "33010220050315002"), Weibo: "微博\u202e名"}
	if _, err := app.ValidateMember(m, svcTestNow); app.ErrorCode(err) != app.EInvalid || !strings.Contains(app.ErrorMessage(err), "微博第 3 个字符") {
		t.Errorf("ValidateMember with RLO in 微博: %v", err)
	}
	m.Weibo, m.Email = "", "a\u200b@example.com"
	if _, err := app.ValidateMember(m, svcTestNow); app.ErrorCode(err) != app.EInvalid || !strings.Contains(app.ErrorMessage(err), "邮箱第 2 个字符") {
		t.Errorf("ValidateMember with ZWSP in 邮箱: %v", err)
	}
	in := app.TransferInput{Reason: app.ReasonStudy, Scope: "否", Unit: "某某大学\u2067", Address: "某省某市"}
	if _, err := app.ValidateTransferInput(in, nil); app.ErrorCode(err) != app.EInvalid || !strings.Contains(app.ErrorMessage(err), "单位名称第 5 个字符") {
		t.Errorf("ValidateTransferInput with RLI in 单位名称: %v", err)
	}

	// Through the use cases, against a real store: nothing is written.
	f := newFixture(t)
	ctx := context.Background()
	if _, _, err := f.svc.AddOrg(ctx, f.owner, app.NewOrg{ParentID: f.colA.ID, Name: "2025级\x1b[2J1班团支部", Kind: app.KindBranch}); app.ErrorCode(err) != app.EInvalid {
		t.Errorf("AddOrg with ESC: %v", err)
	}
	if _, err := f.svc.RenameOrg(ctx, f.owner, f.colA.ID, "信息\u202e学院团委"); app.ErrorCode(err) != app.EInvalid {
		t.Errorf("RenameOrg with RLO: %v", err)
	}
	if _, err := f.svc.AddMember(ctx, f.owner, app.Member{OrgID: f.branchA1.ID, Name: "王\u200d五", IDNo: idOf(t, "33010220060708001")}); app.ErrorCode(err) != app.EInvalid {
		t.Errorf("AddMember with ZWJ: %v", err)
	}
}
