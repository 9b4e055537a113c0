package print

import (
	"math/rand"
	"strings"
	"testing"
	"unicode/utf8"
)

// fakeMeasure gives every wide character width 1 and every other one 0.5,
// so that line widths in tests are counted in characters.
func fakeMeasure(s string) float64 {
	w := 0.0
	for _, r := range s {
		if isWide(r) {
			w++
		} else {
			w += 0.5
		}
	}
	return w
}

func lineTexts(lines []line) []string {
	out := make([]string, len(lines))
	for i, l := range lines {
		out[i] = l.Text()
	}
	return out
}

// checkLines verifies the rules every layout must keep: no text lost or
// reordered, 避头尾, and no line wider than the width (a single closing
// mark may hang past it).
func checkLines(t *testing.T, input string, lines []line, width, indent float64) {
	t.Helper()
	if got, want := strings.Join(strings.Fields(strings.Join(lineTexts(lines), "")), ""), strings.Join(strings.Fields(input), ""); got != want {
		t.Errorf("text changed:\n got %q\nwant %q", got, want)
	}
	for i, l := range lines {
		text := l.Text()
		first, _ := utf8.DecodeRuneInString(text)
		last, _ := utf8.DecodeLastRuneInString(text)
		if i > 0 && isNoLineStart(first) {
			t.Errorf("line %d %q starts with %q (避头)", i+1, text, first)
		}
		if i < len(lines)-1 && isNoLineEnd(last) {
			t.Errorf("line %d %q ends with %q (避尾)", i+1, text, last)
		}
		if text != strings.TrimSpace(text) {
			t.Errorf("line %d %q has spaces at an end", i+1, text)
		}
		avail := width
		if i == 0 {
			avail -= indent
		}
		natural := fakeMeasure(text)
		if natural > avail+1e-9 {
			if !strings.ContainsRune(hangable, last) || natural-fakeMeasure(string(last)) > avail+1e-9 {
				t.Errorf("line %d %q is %.1f wide, more than %.1f", i+1, text, natural, avail)
			}
		}
		if i < len(lines)-1 && l.width > avail+1e-9 && !strings.ContainsRune(hangable, last) {
			t.Errorf("line %d %q justified to %.2f, more than %.1f", i+1, text, l.width, avail)
		}
	}
}

// TestBreakLinesKinsoku_R_L2 is the table test of the CJK line breaker:
// closing punctuation never starts a line, opening punctuation never ends
// one, Latin words and numbers are not split.
func TestBreakLinesKinsoku_R_L2(t *testing.T) {
	for _, tc := range []struct {
		name   string
		text   string
		width  float64
		indent float64
		want   []string
	}{
		{"fits", "兹介绍王伟", 10, 0, []string{"兹介绍王伟"}},
		{"plain split", "一二三四五六七八", 5, 0, []string{"一二三四五", "六七八"}},
		{"first-line indent", "一二三四五六七八", 5, 2, []string{"一二三", "四五六七八"}},
		{"comma hangs", "一二三四五，六七", 5, 0, []string{"一二三四五，", "六七"}},
		{"full stop hangs", "一二三四五。六七", 5, 0, []string{"一二三四五。", "六七"}},
		{"顿号 hangs", "王伟李娜张、六七", 5, 0, []string{"王伟李娜张、", "六七"}},
		{"two closers push a character down", "一二三四五）。六", 5, 0, []string{"一二三四", "五）。六"}},
		{"closing bracket pushes down", "一二三四五》六七", 5, 0, []string{"一二三四", "五》六七"}},
		{"closing quote pushes down", "一二三四五」六七", 5, 0, []string{"一二三四", "五」六七"}},
		{"colon hangs", "共青团某某团支部：兹介绍", 8, 0, []string{"共青团某某团支部：", "兹介绍"}},
		{"question and exclamation", "一二三四五？六七八九十！", 5, 0, []string{"一二三四五？", "六七八九十！"}},
		{"ellipsis stays together off the start", "一二三四……五", 5, 0, []string{"一二三", "四……五"}},
		{"opening bracket not at line end", "一二三四（五六）", 5, 0, []string{"一二三四", "（五六）"}},
		{"opening 书名号 not at line end", "一二三四《五六》", 5, 0, []string{"一二三四", "《五六》"}},
		{"opening quote not at line end", "一二三四「五」六", 5, 0, []string{"一二三四", "「五」六"}},
		{"number kept whole", "团费交至2025年6月", 5, 0, []string{"团费交至", "2025年6月"}},
		{"latin words break at spaces", "abc defg hij", 3, 0, []string{"abc", "defg", "hij"}},
		{"spaces dropped at breaks", "一二三四五 六七", 5, 0, []string{"一二三四五", "六七"}},
		{"long word forced", "abcdefghijkl", 3, 0, []string{"abcdefghijkl"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			lines := breakLines([]span{{text: tc.text}}, tc.width, tc.indent, fakeMeasure)
			got := lineTexts(lines)
			if strings.Join(got, "|") != strings.Join(tc.want, "|") {
				t.Errorf("breakLines(%q, %v) =\n %q\nwant\n %q", tc.text, tc.width, got, tc.want)
			}
			if tc.name != "long word forced" {
				checkLines(t, tc.text, lines, tc.width, tc.indent)
			}
		})
	}
}

// TestBreakLinesNames_R_L2: a long list of names wraps between names, never
// inside one, the 顿号 stays with its name, and full lines are justified.
func TestBreakLinesNames_R_L2(t *testing.T) {
	names := manyNames(60)
	spans := []span{{text: "兹介绍"}, {text: " ", underline: true}}
	for i, n := range names {
		if i < len(names)-1 {
			n += "、"
		}
		spans = append(spans, span{text: n, underline: true, keep: true})
	}
	spans = append(spans, span{text: " ", underline: true}, span{text: "等"}, span{text: " 60 ", underline: true},
		span{text: "位同志前来你处转接组织关系，请予以接洽。"})
	var input strings.Builder
	for _, s := range spans {
		input.WriteString(s.text)
	}
	for _, width := range []float64{8, 13, 20, 27.5, 36} {
		lines := breakLines(spans, width, 2, fakeMeasure)
		checkLines(t, input.String(), lines, width, 2)
		for i, l := range lines {
			// A line break never falls inside a name: every underlined
			// token on a line is a whole name from the list (or the count).
			for _, p := range l.pieces {
				if !p.underline {
					continue
				}
				for _, n := range strings.FieldsFunc(p.text, func(r rune) bool { return r == '、' || r == ' ' }) {
					if n != "60" && !contains(names, n) {
						t.Errorf("width %v line %d %q splits a name (%q)", width, i+1, l.Text(), n)
					}
				}
			}
			if i < len(lines)-1 && l.spacing > 0 && l.width < width-l.indent-1e-6 {
				t.Errorf("width %v line %d justified to %.2f, not %.2f", width, i+1, l.width, width-l.indent)
			}
		}
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// TestBreakLinesRandom_R_L2 lays out random Chinese text with punctuation
// at many widths and checks the rules on every line.
func TestBreakLinesRandom_R_L2(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	hanzi := []rune("团员组织关系转接介绍信同志请予以接洽费交至年月学院委员会")
	closers := []rune("，。、；：？！）》」』")
	openers := []rune("（《「『")
	for n := 0; n < 300; n++ {
		var b strings.Builder
		for k := 0; k < 20+rng.Intn(120); k++ {
			switch p := rng.Intn(10); {
			case p == 0:
				b.WriteRune(openers[rng.Intn(len(openers))])
				b.WriteRune(hanzi[rng.Intn(len(hanzi))])
			case p == 1:
				b.WriteRune(closers[rng.Intn(len(closers))])
			case p == 2:
				b.WriteString("2025")
			default:
				b.WriteRune(hanzi[rng.Intn(len(hanzi))])
			}
		}
		text := b.String()
		width := float64(6 + rng.Intn(30))
		checkLines(t, text, breakLines([]span{{text: text}}, width, 2, fakeMeasure), width, 2)
		if t.Failed() {
			t.Fatalf("input %q at width %v", text, width)
		}
	}
}
