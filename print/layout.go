package print

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jung-kurt/gofpdf"

	"tuanwu/app"
)

// This file lays out and draws one letter following 附件2.

// Page geometry, in millimetres (A4 portrait).
const (
	pageW       = 210.0
	pageH       = 297.0
	marginL     = 28.0
	marginR     = 26.0
	contentW    = pageW - marginL - marginR
	bottomLimit = pageH - 22.0 // lowest ink of the body flow
	ptPerMM     = 72 / 25.4
	headingY    = 42.0 // baselines of the fixed head of page 1
	titleY      = 61.0
	numberY     = 74.0
	recipientY  = 94.0
	contTopY    = 42.0 // first baseline of a continuation page
	headingPt   = 18.0
	titlePt     = 26.0
	numberPt    = 15.0
	voidPt      = 12.0
	footerPt    = 9.0
)

// bodySizes are the body font sizes tried, largest first, until a letter
// fits on one page; longer letters continue on more pages at contPt.
var bodySizes = []float64{16, 15, 14, 13, 12}

const contPt = 14.0

// doc is one PDF being written.
type doc struct {
	pdf    *gofpdf.Fpdf
	cw     map[rune]int    // glyph widths in 1/1000 em, from gofpdf
	sizePt float64         // the current font size
	blank  string          // an empty blank to fill in by hand
	lines  map[string]line // oneLineOf's memory
	title  line            // the letter-spaced title
}

func (r *Renderer) newDoc(opts Options) (*doc, error) {
	pdf := gofpdf.New("P", "mm", "A4", "")
	pdf.SetMargins(marginL, 25, marginR)
	pdf.SetAutoPageBreak(false, 0)
	pdf.SetCompression(!opts.NoCompression)
	pdf.SetCatalogSort(true)
	created := opts.CreationDate
	if created.IsZero() {
		created = time.Now()
	}
	pdf.SetCreationDate(created)
	pdf.SetModificationDate(created)
	pdf.SetTitle("组织关系介绍信", true)
	pdf.SetCreator("团务台", true)
	pdf.AddUTF8FontFromBytes(fontFamily, "", append([]byte(nil), r.font...))
	pdf.SetFont(fontFamily, "", 12)
	if err := pdf.Error(); err != nil {
		return nil, fmt.Errorf("load font: %w", err)
	}
	d := &doc{pdf: pdf, cw: make(map[rune]int, 512), sizePt: 12, lines: make(map[string]line)}
	blankRune := "\u3000"
	if !r.cov.has('\u3000') {
		blankRune = "\u00a0"
	}
	d.blank = strings.Repeat(blankRune, 3)
	return d, nil
}

// setSize selects the font size in points, writing only real changes.
func (d *doc) setSize(pt float64) {
	if pt != d.sizePt {
		d.pdf.SetFontSize(pt)
		d.sizePt = pt
	}
}

// measure returns a measureFunc for text at pt points, in millimetres.
func (d *doc) measure(pt float64) measureFunc {
	return func(s string) float64 {
		u := 0
		for _, r := range s {
			w, ok := d.cw[r]
			if !ok {
				w = d.pdf.GetStringSymbolWidth(string(r))
				d.cw[r] = w
			}
			u += w
		}
		return float64(u) * pt / 1000 / ptPerMM
	}
}

// fill returns the underlined span of a filled-in blank: the value padded
// with spaces, or an empty blank for a missing value.
func (d *doc) fill(value string) span {
	if value == "" {
		return span{text: d.blank, underline: true}
	}
	return span{text: " " + value + " ", underline: true}
}

func (d *doc) fillInt(v int) span {
	if v <= 0 {
		return d.fill("")
	}
	return d.fill(strconv.Itoa(v))
}

// oneLineOf lays spans out as one unbroken line. Lines are remembered, as
// most of them (此致, the title, the date of a batch) repeat on every page;
// callers must not change a returned line's pieces.
func (d *doc) oneLineOf(pt float64, spans ...span) line {
	var key strings.Builder
	fmt.Fprintf(&key, "%g", pt)
	for _, s := range spans {
		if s.underline {
			key.WriteString("\x00_")
		} else {
			key.WriteString("\x00")
		}
		key.WriteString(s.text)
	}
	if l, ok := d.lines[key.String()]; ok {
		return l
	}
	l := makeLine(splitUnits(spans, d.measure(pt)), 0)
	d.lines[key.String()] = l
	return l
}

// drawLine prints l with its left edge at x and its baseline at y.
func (d *doc) drawLine(l line, pt, x, y float64) {
	d.setSize(pt)
	x += l.indent
	ul := y + pt/ptPerMM*0.16
	if l.spacing != 0 {
		d.pdf.RawWriteStr(fmt.Sprintf("%.3f Tc", l.spacing*ptPerMM))
	}
	for _, p := range l.pieces {
		d.pdf.Text(x+p.x, y, p.text)
		if p.underline {
			d.pdf.Line(x+p.x, ul, x+p.x+p.width, ul)
		}
	}
	if l.spacing != 0 {
		d.pdf.RawWriteStr("0 Tc")
	}
}

func (d *doc) drawCentered(l line, pt, y float64) {
	d.drawLine(l, pt, marginL+(contentW-l.width)/2, y)
}

// row is one item of the body flow: a line, or the closing block.
type row struct {
	advance  float64 // from the previous row's baseline to this one's
	descent  float64 // from this baseline to the row's lowest ink
	keepNext bool    // never the last row of a page when more follow
	draw     func(y float64)
}

// letter renders one letter on one page, or more when it must.
func (d *doc) letter(l app.Letter) {
	rows := d.bodyRows(l, bodySizes[0])
	for _, pt := range bodySizes[1:] {
		if _, pages := placeRows(rows); pages == 1 {
			break
		}
		rows = d.bodyRows(l, pt)
	}
	ys, pages := placeRows(rows)
	if pages > 1 {
		rows = d.bodyRows(l, contPt)
		ys, pages = placeRows(rows)
	}

	page := -1
	for i, rw := range rows {
		if ys[i].page != page {
			if page >= 0 {
				d.finishPage(l, page, pages)
			}
			page = ys[i].page
			d.pdf.AddPage()
			if page == 0 {
				d.head(l)
			} else {
				d.contHead(l)
			}
		}
		rw.draw(ys[i].y)
	}
	d.finishPage(l, page, pages)
}

// head prints the fixed head of 附件2: heading, title and number.
func (d *doc) head(l app.Letter) {
	pdf := d.pdf
	h := heading(l)
	pt := headingPt
	for pt > 12 && d.measure(pt)(h) > contentW {
		pt--
	}
	hl := breakLines([]span{{text: h}}, contentW, 0, d.measure(pt))
	y := headingY - float64(len(hl)-1)*pt/ptPerMM*1.3
	for _, ln := range hl {
		d.drawCentered(ln, pt, y)
		y += pt / ptPerMM * 1.3
	}

	// The title, letter-spaced and drawn with a thin outline as a bold face.
	const title = "组织关系介绍信"
	if d.title.pieces == nil {
		d.title = makeLine(splitUnits([]span{{text: title}}, d.measure(titlePt)), 0)
		d.title.spread(titlePt / ptPerMM * 0.25)
	}
	tl := d.title
	pdf.RawWriteStr("2 Tr")
	lw := pdf.GetLineWidth()
	pdf.SetLineWidth(0.25)
	d.drawCentered(tl, titlePt, titleY)
	pdf.SetLineWidth(lw)
	pdf.RawWriteStr("0 Tr")

	d.drawCentered(d.oneLineOf(numberPt, span{text: "第"}, d.fillInt(l.No), span{text: "号"}), numberPt, numberY)
}

// contHead prints the head of a continuation page.
func (d *doc) contHead(l app.Letter) {
	d.drawCentered(d.oneLineOf(numberPt, span{text: "组织关系介绍信（续页）　第"}, d.fillInt(l.No), span{text: "号"}), numberPt, 25)
}

// finishPage adds the page's footer (for a letter of several pages) and
// the 作废 mark of a voided letter.
func (d *doc) finishPage(l app.Letter, page, pages int) {
	if pages > 1 {
		t := fmt.Sprintf("第 %d 号介绍信　第 %d 页，共 %d 页", l.No, page+1, pages)
		d.drawCentered(d.oneLineOf(footerPt, span{text: t}), footerPt, pageH-12)
	}
	if l.Voided {
		d.voidMark()
	}
}

// voidMark draws a large, translucent, diagonal 作废 across the page.
func (d *doc) voidMark() {
	pdf := d.pdf
	const pt = 110.0
	pdf.SetAlpha(0.35, "Normal")
	pdf.SetTextColor(200, 0, 0)
	pdf.TransformBegin()
	pdf.TransformRotate(35, pageW/2, pageH/2)
	ml := d.oneLineOf(pt, span{text: "作废"})
	d.drawLine(ml, pt, (pageW-ml.width)/2, pageH/2+pt/ptPerMM*0.35)
	pdf.TransformEnd()
	pdf.SetAlpha(1, "Normal")
	pdf.SetTextColor(0, 0, 0)
}

// bodyRows lays out everything below the number at body size pt: the
// recipient, the body paragraph, and the closing block (此致, 敬礼！, the
// stamp area, date, validity and, for a voided letter, the reason box).
func (d *doc) bodyRows(l app.Letter, pt float64) []row {
	return append(d.textRows(l, pt), d.closingRow(l, pt))
}

// textRows are the recipient and the body's lines, the last two kept with
// the closing on its page.
func (d *doc) textRows(l app.Letter, pt float64) []row {
	m := d.measure(pt)
	em := m("国")
	pitch := pt / ptPerMM * 1.75
	var rows []row
	addLines := func(lines []line) {
		for _, ln := range lines {
			ln := ln
			rows = append(rows, row{advance: pitch, descent: pitch * 0.3, draw: func(y float64) {
				d.drawLine(ln, pt, marginL, y)
			}})
		}
	}

	// Recipient, at the left margin.
	rec := d.fill(l.Recipient)
	if l.Recipient == "" {
		rec.text = strings.Repeat(d.blank, 3)
	}
	addLines(breakLines([]span{rec, {text: "："}}, contentW, 0, m))

	// Body, first line indented two characters.
	spans := []span{{text: "兹介绍"}, {text: " ", underline: true}}
	for i, n := range l.Names {
		if i < len(l.Names)-1 {
			n += "、"
		}
		spans = append(spans, span{text: n, underline: true, keep: true})
	}
	spans = append(spans,
		span{text: " ", underline: true},
		span{text: "等"}, d.fillInt(l.Count()),
		span{text: "位同志前来你处转接组织关系，请予以接洽。该同志团费交至"}, d.fillInt(l.DuesYear),
		span{text: "年"}, d.fillInt(l.DuesMonth), span{text: "月。"})
	addLines(breakLines(spans, contentW, 2*em, m))
	// The last two body lines go with the closing to its page.
	for i := len(rows) - 2; i < len(rows); i++ {
		if i >= 1 {
			rows[i].keepNext = true
		}
	}
	return rows
}

// closingRow is the closing block: 此致 (indented), 敬礼！ (at the
// margin), then at the right the stamp area, the date and the validity,
// centred on one column; and a voided letter's boxed note below.
func (d *doc) closingRow(l app.Letter, pt float64) row {
	em := d.measure(pt)("国")
	pitch := pt / ptPerMM * 1.75
	zhici := d.oneLineOf(pt, span{text: "此致"})
	jingli := d.oneLineOf(pt, span{text: "敬礼！"})
	stamp := d.oneLineOf(pt, span{text: "（盖章）"})
	var date line
	if l.Date.IsZero() {
		date = d.oneLineOf(pt, d.fill(""), span{text: "年"}, d.fill(""), span{text: "月"}, d.fill(""), span{text: "日"})
	} else {
		date = d.oneLineOf(pt, d.fillInt(l.Date.Year()), span{text: "年"}, d.fillInt(int(l.Date.Month())),
			span{text: "月"}, d.fillInt(l.Date.Day()), span{text: "日"})
	}
	valid := d.oneLineOf(pt, span{text: "（有效期限"}, d.fillInt(l.ValidDays), span{text: "天）"})
	colW := max(stamp.width, date.width, valid.width)
	colX := marginL + contentW - 2*em - colW // two characters in from the right margin
	const stampRoom = 24.0                   // mm above （盖章） for a 40 mm seal to overlap
	stampY := 2*pitch + stampRoom
	dateY := stampY + 2*pitch
	validY := dateY + pitch
	extent := validY + pitch*0.3

	var void voidNote
	if l.Voided {
		void = d.voidNote(l.VoidReason, extent+6)
		extent = void.top + float64(len(void.lines))*void.pitch + 4 // as height(), added in this order
	}

	return row{advance: pitch, descent: extent, draw: func(y float64) {
		d.drawLine(zhici, pt, marginL+2*em, y)
		d.drawLine(jingli, pt, marginL, y+pitch)
		for _, c := range []struct {
			l  line
			dy float64
		}{{stamp, stampY}, {date, dateY}, {valid, validY}} {
			d.drawLine(c.l, pt, colX+(colW-c.l.width)/2, y+c.dy)
		}
		if l.Voided {
			d.drawVoid(void, y)
		}
	}}
}

// voidNote is a voided letter's note, boxed in red: its lines, where the
// box starts below the closing's top and the line pitch.
type voidNote struct {
	lines      []line
	top, pitch float64
}

func (v voidNote) height() float64 { return float64(len(v.lines))*v.pitch + 4 }

// voidNote lays out the note of a letter voided for reason, its box top
// mm below the closing's top.
func (d *doc) voidNote(reason string, top float64) voidNote {
	if reason == "" {
		reason = "未注明"
	}
	return voidNote{top: top, pitch: voidPt / ptPerMM * 1.6,
		lines: breakLines([]span{{text: "本介绍信已作废（编号保留，不再使用）。作废原因：" + reason}}, contentW-8, 0, d.measure(voidPt))}
}

// drawVoid draws the boxed note, the closing's top at y.
func (d *doc) drawVoid(v voidNote, y float64) {
	pdf := d.pdf
	pdf.SetDrawColor(200, 0, 0)
	pdf.SetTextColor(200, 0, 0)
	lw := pdf.GetLineWidth()
	pdf.SetLineWidth(0.5)
	pdf.Rect(marginL, y+v.top, contentW, v.height(), "D")
	pdf.SetLineWidth(lw)
	for i, ln := range v.lines {
		d.drawLine(ln, voidPt, marginL+4, y+v.top+2+float64(i)*v.pitch+voidPt/ptPerMM)
	}
	pdf.SetDrawColor(0, 0, 0)
	pdf.SetTextColor(0, 0, 0)
}

// placement is where a row's baseline lands.
type placement struct {
	page int
	y    float64
}

// placeRows places rows from the recipient line of page 1 downwards, moving
// to a new page when a row would pass the bottom limit, and returns the
// number of pages used.
func placeRows(rows []row) ([]placement, int) {
	ys := make([]placement, len(rows))
	page, first := 0, 0 // first: index of the first row on this page
	y := recipientY - rows[0].advance
	for i := 0; i < len(rows); i++ {
		rw := rows[i]
		if i > first && y+rw.advance+rw.descent > bottomLimit {
			// Break before i, or earlier to keep rows together.
			b := i
			for b-1 > first && rows[b-1].keepNext {
				b--
			}
			page++
			first = b
			i = b
			rw = rows[i]
			y = contTopY - rw.advance
		}
		y += rw.advance
		ys[i] = placement{page: page, y: y}
	}
	return ys, page + 1
}
