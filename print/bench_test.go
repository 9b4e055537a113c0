package print

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"testing"

	"github.com/jung-kurt/gofpdf"

	"tuanwu/app"
	"tuanwu/assets"
)

// benchLetters returns n letters with 1 to 12 names each.
func benchLetters(n int) []app.Letter {
	pool := manyNames(400)
	letters := make([]app.Letter, n)
	for i := range letters {
		l := sampleLetter()
		l.No = i + 1
		k := 1 + i%12
		l.Names = pool[(i*7)%(len(pool)-k):][:k]
		letters[i] = l
	}
	return letters
}

// BenchmarkLetters1000 renders 1,000 letters into one PDF through the
// Renderer (font checked once, outside the loop, as in the application).
// Pair: BenchmarkLetters1000Bare; the ratio should be at most 1.5.
func BenchmarkLetters1000(b *testing.B) {
	r := testRenderer(b)
	letters := benchLetters(1000)
	var size int64
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		cw := &countWriter{}
		if err := r.Letters(cw, letters, Options{}); err != nil {
			b.Fatal(err)
		}
		size = cw.n
	}
	b.ReportMetric(float64(size), "bytes/pdf")
}

// BenchmarkLetters1000Bare writes the same text lines for 1,000 letters
// with the same font in a bare gofpdf loop: the font is parsed once per
// document, each line is one Text call at a fixed place, no line breaking,
// no underlines, no layout decisions.
func BenchmarkLetters1000Bare(b *testing.B) {
	font := assets.FontTTF()
	letters := benchLetters(1000)
	var size int64
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		pdf := gofpdf.New("P", "mm", "A4", "")
		pdf.AddUTF8FontFromBytes("wqy", "", font)
		for _, l := range letters {
			pdf.AddPage()
			pdf.SetFont("wqy", "", 18)
			pdf.Text(40, 42, "共青团"+l.School+l.College+"委员会")
			pdf.SetFont("wqy", "", 26)
			pdf.Text(70, 61, "组织关系介绍信")
			pdf.SetFont("wqy", "", 15)
			pdf.Text(95, 74, "第 "+strconv.Itoa(l.No)+" 号")
			pdf.SetFont("wqy", "", 16)
			pdf.Text(28, 94, l.Recipient+"：")
			pdf.Text(28, 104, fmt.Sprintf("兹介绍 %s 等 %d 位同志前来你处转接组织关系，请予以接洽。该同志团费交至 %d 年 %d 月。",
				strings.Join(l.Names, "、"), l.Count(), l.DuesYear, l.DuesMonth))
			pdf.Text(39, 124, "此致")
			pdf.Text(28, 134, "敬礼！")
			pdf.Text(150, 178, "（盖章）")
			pdf.Text(140, 198, fmt.Sprintf("%d 年 %d 月 %d 日", l.Date.Year(), l.Date.Month(), l.Date.Day()))
			pdf.Text(140, 208, fmt.Sprintf("（有效期限 %d 天）", l.ValidDays))
		}
		cw := &countWriter{}
		if err := pdf.Output(cw); err != nil {
			b.Fatal(err)
		}
		size = cw.n
	}
	b.ReportMetric(float64(size), "bytes/pdf")
}

// countWriter discards what it is given and counts it.
type countWriter struct{ n int64 }

func (c *countWriter) Write(p []byte) (int, error) {
	c.n += int64(len(p))
	return len(p), nil
}

var _ io.Writer = (*countWriter)(nil)
