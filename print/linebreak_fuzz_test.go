package print

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzBreakLines: the letter's line breaking on any text and width. No
// character other than a space or tab is lost, added or reordered; no line
// is wider than the width but for one hanging mark or a unit wider than any
// line; and when the text has no run of two marks (which cannot be split
// well anywhere) and no mark after a space, no line after the first starts
// with a mark from noLineStart such as 、。，.
func FuzzBreakLines(f *testing.F) {
	f.Add("兹介绍王小红同志（身份证号 330106200101010023）前往你处，请接洽。", 10.0, 2.0)
	f.Add("张三、李四、王五、赵六等同志，，。。", 3.0, 0.0)
	f.Add("The quick brown fox 跳过了 lazy dog。", 6.5, 1.0)
	f.Add("（备注）……——", 1.0, 0.5)
	f.Fuzz(func(t *testing.T, text string, width, indent float64) {
		if !utf8.ValidString(text) || width != width || indent != indent || width < 2 || width > 80 || indent < 0 || indent > width/2 {
			return
		}
		lines := breakLines([]span{{text: text}}, width, indent, fakeMeasure)
		var got strings.Builder
		for _, l := range lines {
			got.WriteString(l.Text())
		}
		drop := func(s string) string {
			return strings.Map(func(r rune) rune {
				if r == ' ' || r == '\t' {
					return -1
				}
				return r
			}, s)
		}
		if drop(got.String()) != drop(text) {
			t.Fatalf("breakLines(%q, %v) lost or moved characters: %q", text, width, lineTexts(lines))
		}
		marks := false
		prev := rune(0)
		for _, r := range text {
			if (isNoLineStart(r) || isNoLineEnd(r)) && (isNoLineStart(prev) || isNoLineEnd(prev)) ||
				isNoLineStart(r) && (prev == ' ' || prev == '\t') { // a space before a mark is a place to break
				marks = true
			}
			prev = r
		}
		for i, l := range lines {
			s := l.Text()
			if s == "" {
				t.Fatalf("breakLines(%q, %v): line %d is empty: %q", text, width, i, lineTexts(lines))
			}
			first, _ := utf8.DecodeRuneInString(s)
			if i > 0 && !marks && isNoLineStart(first) {
				t.Fatalf("breakLines(%q, %v): line %d starts with %q: %q", text, width, i, first, lineTexts(lines))
			}
		}
	})
}
