package print

import (
	"fmt"
	"io"
	"strings"

	"github.com/jung-kurt/gofpdf"
	"golang.org/x/image/font/sfnt"
)

// fontFamily is the name the bundled font is registered under in gofpdf.
const fontFamily = "wqy"

// coverage is the set of runes the font can draw, as gofpdf sees it: gofpdf
// reads only the format-4 cmap, so only the Basic Multilingual Plane counts.
type coverage [0x10000 / 64]uint64

func (c *coverage) has(r rune) bool {
	return r >= 0 && r < 0x10000 && c[r/64]&(1<<(uint(r)%64)) != 0
}

// newCoverage reads the font's character map once.
func newCoverage(font []byte) (*coverage, error) {
	f, err := sfnt.Parse(font)
	if err != nil {
		return nil, fmt.Errorf("parse font: %w", err)
	}
	var buf sfnt.Buffer
	c := new(coverage)
	n := 0
	for r := rune(0x20); r < 0x10000; r++ {
		if r >= 0xD800 && r < 0xE000 {
			continue
		}
		gi, err := f.GlyphIndex(&buf, r)
		if err == nil && gi != 0 {
			c[r/64] |= 1 << (uint(r) % 64)
			n++
		}
	}
	if !c.has('团') || !c.has('0') {
		return nil, fmt.Errorf("font has no Chinese glyphs (%d characters)", n)
	}
	return c, nil
}

// missing returns the distinct runes of s that the font cannot draw, in
// order of appearance.
func (c *coverage) missing(s string) []rune {
	var out []rune
	for _, r := range s {
		if r == ' ' || r == '\n' || r == '\t' || c.has(r) {
			continue
		}
		dup := false
		for _, o := range out {
			dup = dup || o == r
		}
		if !dup {
			out = append(out, r)
		}
	}
	return out
}

// replaceMissing replaces every rune the font cannot draw with repl.
func (c *coverage) replaceMissing(s string, repl rune) string {
	if len(c.missing(s)) == 0 {
		return s
	}
	return strings.Map(func(r rune) rune {
		if r == ' ' || c.has(r) {
			return r
		}
		return repl
	}, s)
}

// checkWithGofpdf renders a tiny document with the font, because gofpdf
// accepts some fonts it cannot use without reporting an error until output.
func checkWithGofpdf(font []byte) error {
	pdf := gofpdf.New("P", "mm", "A4", "")
	pdf.AddUTF8FontFromBytes(fontFamily, "", font)
	if err := pdf.Error(); err != nil {
		return fmt.Errorf("add font: %w", err)
	}
	pdf.SetFont(fontFamily, "", 12)
	pdf.AddPage()
	if err := pdf.Error(); err != nil {
		return fmt.Errorf("set font: %w", err)
	}
	if w := pdf.GetStringSymbolWidth("团"); w <= 0 {
		return fmt.Errorf("font has no width for 团")
	}
	pdf.Text(20, 20, "共青团 0123")
	if err := pdf.Output(io.Discard); err != nil {
		return fmt.Errorf("test output: %w", err)
	}
	return nil
}
