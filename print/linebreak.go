package print

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// This file is the CJK line breaker. gofpdf's MultiCell and Write break
// Chinese badly (they look for spaces), so the letter body is split here by
// rune width, with the usual 避头尾 rules: closing punctuation never starts a
// line and opening punctuation never ends one.

// noLineStart lists the characters that must not begin a line (行首禁则).
const noLineStart = "，。、；：？！,.;:?!」』）》〉】〕｝]})’”…·～%％"

// noLineEnd lists the characters that must not end a line (行尾禁则).
const noLineEnd = "（《「『〈【〔｛[{(‘“"

// hangable lists the characters that may hang into the right margin by at
// most one of their own width (行末悬挂), which keeps the right edge flush
// instead of pushing a character down.
const hangable = "，。、；：？！,.;:?!"

func isNoLineStart(r rune) bool { return strings.ContainsRune(noLineStart, r) }
func isNoLineEnd(r rune) bool   { return strings.ContainsRune(noLineEnd, r) }

// span is a piece of input text with one look.
type span struct {
	text      string
	underline bool // a filled-in blank of the form (附件2's 下划线)
	keep      bool // never broken inside unless it alone is wider than a line (a name with its 、)
}

// unit is the smallest thing the breaker places: one CJK character, one
// Latin word or number, one space, or one kept span.
type unit struct {
	text      string
	width     float64
	underline bool
	space     bool
	first     rune // first and last runes, for the 避头尾 rules
	last      rune
}

// piece is a run of text on an output line with one look, at x relative to
// the line's start (after its indent).
type piece struct {
	text      string
	underline bool
	x, width  float64
}

// line is one output line.
type line struct {
	indent  float64
	width   float64 // from the indent to the end of the last piece
	spacing float64 // extra space after each character (PDF Tc), for justification
	pieces  []piece
}

// spread adds extra space after every character but the last, moving and
// widening the pieces to match; the PDF gets it as character spacing (Tc).
func (l *line) spread(extra float64) {
	l.spacing = extra
	x, n, total := 0.0, 0, 0
	for _, p := range l.pieces {
		total += utf8.RuneCountInString(p.text)
	}
	for i := range l.pieces {
		p := &l.pieces[i]
		k := utf8.RuneCountInString(p.text)
		p.x = x + float64(n)*extra
		n += k
		if n == total {
			k-- // no space after the line's last character
		}
		p.width += float64(k) * extra
		x += p.width - float64(k)*extra
	}
	l.width = x + float64(total-1)*extra
}

// justify spreads a line that is not a paragraph's last to the full width
// avail, unless that would open gaps wider than a third of a character.
func (l *line) justify(avail float64) {
	n := 0
	for _, p := range l.pieces {
		n += utf8.RuneCountInString(p.text)
	}
	slack := avail - l.width
	if n < 2 || slack <= 1e-6 {
		return
	}
	if extra := slack / float64(n-1); extra <= l.width/float64(n)/3 {
		l.spread(extra)
	}
}

// Text returns the line's text, for tests and diagnostics.
func (l line) Text() string {
	var b strings.Builder
	for _, p := range l.pieces {
		b.WriteString(p.text)
	}
	return b.String()
}

// measureFunc returns the width of s in the units of the layout.
type measureFunc func(s string) float64

// splitUnits turns spans into units. Characters of wide scripts are units of
// their own; runs of other non-space characters (Latin words, numbers) stay
// together; runs of the same dash or ellipsis stay together (—— and ……).
func splitUnits(spans []span, measure measureFunc) []unit {
	var units []unit
	add := func(s string, underline, space bool) {
		first, _ := utf8.DecodeRuneInString(s)
		last, _ := utf8.DecodeLastRuneInString(s)
		units = append(units, unit{text: s, width: measure(s), underline: underline, space: space, first: first, last: last})
	}
	for _, sp := range spans {
		if sp.text == "" {
			continue
		}
		if sp.keep && !strings.ContainsAny(sp.text, " \t") {
			add(sp.text, sp.underline, false)
			continue
		}
		s := sp.text
		for len(s) > 0 {
			r, n := utf8.DecodeRuneInString(s)
			end := n
			switch {
			case r == ' ' || r == '\t':
				add(" ", sp.underline, true)
				s = s[n:]
				continue
			case (isNoLineStart(r) || isNoLineEnd(r)) && r != '…':
				// A punctuation mark is a unit of its own.
			case r == '—' || r == '…':
				for end < len(s) {
					r2, n2 := utf8.DecodeRuneInString(s[end:])
					if r2 != r {
						break
					}
					end += n2
				}
			case !isWide(r):
				for end < len(s) {
					r2, n2 := utf8.DecodeRuneInString(s[end:])
					if r2 == ' ' || r2 == '\t' || isWide(r2) || isNoLineStart(r2) || isNoLineEnd(r2) {
						break
					}
					end += n2
				}
			}
			add(s[:end], sp.underline, false)
			s = s[end:]
		}
	}
	return units
}

// isWide reports whether r is a character after which a line may break
// without a space: Han, kana, Hangul, full-width forms and CJK punctuation.
func isWide(r rune) bool {
	switch {
	case unicode.Is(unicode.Han, r), unicode.Is(unicode.Hiragana, r),
		unicode.Is(unicode.Katakana, r), unicode.Is(unicode.Hangul, r):
		return true
	case r >= 0x3000 && r <= 0x303F: // CJK symbols and punctuation
		return true
	case r >= 0xFF00 && r <= 0xFFEF: // full-width forms
		return true
	case r >= 0x2010 && r <= 0x201F, r == '…', r == '·': // dashes, curly quotes
		return true
	}
	return false
}

// canBreakBetween reports whether a line may end after a and the next begin
// with b (a and b are neighbouring non-space units).
func canBreakBetween(a, b unit) bool {
	if isNoLineStart(b.first) || isNoLineEnd(a.last) {
		return false
	}
	// Latin words and numbers next to each other without a space (cannot
	// happen from splitUnits unless two spans meet) stay together.
	if !isWide(a.last) && !isWide(b.first) && !a.space && !b.space {
		return false
	}
	return true
}

// breakLines lays the spans out in lines at most width wide; the first line
// starts after firstIndent. A closing punctuation mark that does not fit may
// hang past width by its own width rather than start the next line; kept
// units wider than a line are split into characters.
func breakLines(spans []span, width, firstIndent float64, measure measureFunc) []line {
	units := splitWide(splitUnits(spans, measure), width-firstIndent, measure)
	var lines []line
	indent := firstIndent
	for i := 0; i < len(units); {
		// Skip spaces at the start of a line.
		for i < len(units) && units[i].space {
			i++
		}
		if i >= len(units) {
			break
		}
		avail := width - indent
		start := i
		end, next := lineEnd(units, start, avail)
		// Drop spaces at the end of the line.
		for end > start && units[end-1].space {
			end--
		}
		ln := makeLine(units[start:end], indent)
		if next < len(units) {
			ln.justify(avail)
		}
		lines = append(lines, ln)
		i = next
		indent = 0
	}
	return lines
}

// splitWide splits into characters the kept units wider than maxW, which
// can fit on no line.
func splitWide(units []unit, maxW float64, measure measureFunc) []unit {
	for i := 0; i < len(units); i++ {
		u := units[i]
		if u.width <= maxW || utf8.RuneCountInString(u.text) < 2 {
			continue
		}
		parts := splitUnits([]span{{text: u.text, underline: u.underline}}, measure)
		units = append(units[:i], append(parts, units[i+1:]...)...)
		i += len(parts) - 1
	}
	return units
}

// lineEnd is where the line of units from start ends within avail: end
// excludes, next is where the next line starts. A line breaks at a space,
// at the last break opportunity, or hangs a closing mark in the margin.
func lineEnd(units []unit, start int, avail float64) (end, next int) {
	w := 0.0
	for i := start; i < len(units); i++ {
		u := units[i]
		if w+u.width <= avail+1e-9 || i == start {
			w += u.width
			continue
		}
		// units[i] does not fit.
		if u.space {
			return i, i + 1
		}
		prev := units[i-1]
		if !prev.space && !canBreakBetween(prev, u) && strings.ContainsRune(hangable, u.first) &&
			utf8.RuneCountInString(u.text) == 1 &&
			(i+1 >= len(units) || units[i+1].space || canBreakBetween(u, units[i+1])) {
			// Hang the closing mark in the margin.
			return i + 1, i + 1
		}
		// Find the last break opportunity at or before i.
		b := i
		for ; b > start; b-- {
			if units[b].space || units[b-1].space || canBreakBetween(units[b-1], units[b]) {
				break
			}
		}
		if b == start {
			if isNoLineStart(u.first) && utf8.RuneCountInString(u.text) == 1 {
				// No opportunity before a closing mark (a long number
				// then ）): it hangs rather than start a line.
				return i + 1, i + 1
			}
			// No opportunity: break anyway (a run of punctuation wider
			// than the line).
			b = i
		}
		return b, b
	}
	return len(units), len(units)
}

// makeLine merges neighbouring units with the same look into pieces.
func makeLine(units []unit, indent float64) line {
	l := line{indent: indent}
	x := 0.0
	for i := 0; i < len(units); {
		j, w, n := i, 0.0, 0
		for ; j < len(units) && units[j].underline == units[i].underline; j++ {
			w += units[j].width
			n += len(units[j].text)
		}
		text := units[i].text
		if j-i > 1 {
			var b strings.Builder
			b.Grow(n)
			for _, u := range units[i:j] {
				b.WriteString(u.text)
			}
			text = b.String()
		}
		l.pieces = append(l.pieces, piece{text: text, underline: units[i].underline, x: x, width: w})
		x += w
		i = j
	}
	l.width = x
	return l
}
