package ui

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// TestWrapChinese_Issue11Item5: the message dialogs break Chinese by the
// rules: between Chinese characters and at spaces, never inside a number,
// a date or a path; never a line starting with “。”, “，” or “、”; never
// a line ending with “（” or ““”. Every character is one unit wide here.
func TestWrapChinese_Issue11Item5(t *testing.T) {
	w := func(s string) float32 { return float32(utf8.RuneCountInString(s)) }
	cases := []struct {
		name  string
		text  string
		width float32
		want  string
	}{
		{"fits", "已保存。", 10, "已保存。"},
		{"number stays whole", "共导入 778 名团员", 6, "共导入\n778 名团\n员"},
		{"。 never starts a line", "已通过审批。", 5, "已通过审\n批。"},
		{"， never starts a line", "已通过，请分配", 3, "已通\n过，请\n分配"},
		{"、 never starts a line", "团支部一、团支部二", 4, "团支部\n一、团支\n部二"},
		{"（ never ends a line", "已分配（第 5 号）", 4, "已分配\n（第 5\n号）"},
		{"date whole", "截止到 2026-12-01 办理", 10, "截止到\n2026-12-01\n办理"},
		{"path cut only when wider than a line", "已保存到：/home/u/a.xlsx", 8, "已保存到：\n/home/u/\na.xlsx"},
		{"own line breaks stay", "第一行\n第二行", 10, "第一行\n第二行"},
		{"778 at the end keeps 。", "共计 778。", 5, "共计\n778。"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := wrapChinese(c.text, c.width, w)
			if got != c.want {
				t.Errorf("wrapChinese(%q, %v):\n%s\nwant\n%s", c.text, c.width, got, c.want)
			}
			for _, line := range strings.Split(got, "\n") {
				if r, _ := utf8.DecodeLastRuneInString(line); strings.ContainsRune("（“", r) {
					t.Errorf("line %q ends with %q", line, r)
				}
				if r, _ := utf8.DecodeRuneInString(line); strings.ContainsRune("。，、；：！？）", r) {
					t.Errorf("line %q starts with %q", line, r)
				}
			}
		})
	}
}
