package print

import (
	"fmt"
	"io"
	"strings"
	"time"

	"tuanwu/app"
)

// Options tunes one rendering.
type Options struct {
	// CreationDate is written into the PDF's metadata; zero means now.
	// Golden tests fix it so that the output is byte-for-byte stable.
	CreationDate time.Time
	// NoCompression leaves page contents uncompressed, for golden tests.
	NoCompression bool
	// ReplaceMissing prints "□" for a character the font cannot draw (a
	// rare character in a name, to be completed by hand) instead of
	// refusing the letter.
	ReplaceMissing bool
}

// Renderer renders introduction letters with one font. NewRenderer reads the
// font's character map once; gofpdf parses the TrueType file once per
// document, so print many letters with one call to Letters rather than one
// call each. A Renderer is safe for concurrent use.
//
// gofpdf v1.16.2 offers no way to share a parsed font between documents
// (the parsed font lives in unexported fields and is changed while a subset
// is written), so the parse is paid once per Letters call, not per letter.
type Renderer struct {
	font []byte
	cov  *coverage
	box  rune // printed for a character the font lacks, with ReplaceMissing
}

// NewRenderer checks font (a TrueType font with Chinese glyphs, such as
// assets.FontTTF()) and returns a Renderer that uses it.
func NewRenderer(font []byte) (*Renderer, error) {
	// gofpdf writes into the font bytes it is given (it pads tables in
	// place when it makes a subset), so the caller's slice, which Fyne may
	// be reading, is never handed to it: the Renderer keeps its own copy and
	// gives each document a copy of that.
	font = append([]byte(nil), font...)
	cov, err := newCoverage(font)
	if err == nil {
		err = checkWithGofpdf(font)
	}
	if err != nil {
		return nil, app.Wrap(app.EInternal, err, "打印字体无法使用，不能生成介绍信。")
	}
	box := '□'
	if !cov.has(box) {
		box = '?'
	}
	return &Renderer{font: font, cov: cov, box: box}, nil
}

// Letters writes one A4 PDF with a page for each letter (a letter with a
// very long name list continues on a second page). It returns an *app.Error:
// EInvalid when a letter cannot be printed as given (no names, no issuer,
// a character the font lacks), EInternal when the PDF cannot be made or
// written.
func (r *Renderer) Letters(w io.Writer, letters []app.Letter, opts Options) (err error) {
	if len(letters) == 0 {
		return app.Errorf(app.EInvalid, "没有要打印的介绍信。")
	}
	defer func() {
		// gofpdf indexes slices without checks in places; a defect there
		// must not bring the application down.
		if p := recover(); p != nil {
			err = app.Wrap(app.EInternal, fmt.Errorf("gofpdf panic: %v", p), "生成介绍信 PDF 失败。")
		}
	}()
	prepared := make([]app.Letter, len(letters))
	for i, l := range letters {
		if prepared[i], err = r.prepare(l, opts.ReplaceMissing); err != nil {
			return err
		}
	}

	d, err := r.newDoc(opts)
	if err != nil {
		return app.Wrap(app.EInternal, err, "生成介绍信 PDF 失败。")
	}
	for _, l := range prepared {
		d.letter(l)
		if err := d.pdf.Error(); err != nil {
			return app.Wrap(app.EInternal, fmt.Errorf("letter %d: %w", l.No, err), "生成第 %d 号介绍信失败。", l.No)
		}
	}
	ew := &errWriter{w: w}
	if err := d.pdf.Output(ew); err != nil {
		if ew.err != nil {
			return app.Wrap(app.EInternal, ew.err, "保存介绍信 PDF 失败，请检查保存位置是否可写、磁盘是否已满。")
		}
		return app.Wrap(app.EInternal, err, "生成介绍信 PDF 失败。")
	}
	return nil
}

// errWriter remembers the first write error, to tell it from gofpdf's own.
type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) Write(p []byte) (int, error) {
	n, err := e.w.Write(p)
	if err != nil && e.err == nil {
		e.err = err
	}
	return n, err
}

// prepare checks a letter and normalises its text.
func (r *Renderer) prepare(l app.Letter, replace bool) (app.Letter, error) {
	if l.No < 0 {
		return l, app.Errorf(app.EInvalid, "介绍信编号 %d 无效。", l.No)
	}
	if len(l.Names) == 0 {
		return l, app.Errorf(app.EInvalid, "第 %d 号介绍信没有介绍任何团员。", l.No)
	}
	names := make([]string, len(l.Names))
	for i, n := range l.Names {
		names[i] = strings.Join(strings.Fields(n), " ")
		if names[i] == "" {
			return l, app.Errorf(app.EInvalid, "第 %d 号介绍信的第 %d 个姓名是空的。", l.No, i+1)
		}
	}
	l.Names = names
	l.Issuer = oneLine(l.Issuer)
	l.School = oneLine(l.School)
	l.College = oneLine(l.College)
	l.Recipient = oneLine(l.Recipient)
	l.VoidReason = oneLine(l.VoidReason)
	if heading(l) == "" {
		return l, app.Errorf(app.EInvalid, "第 %d 号介绍信缺少开具介绍信的团委名称。", l.No)
	}
	if l.DuesMonth < 0 || l.DuesMonth > 12 || l.DuesYear < 0 {
		return l, app.Errorf(app.EInvalid, "第 %d 号介绍信的团费交至年月（%d 年 %d 月）无效。", l.No, l.DuesYear, l.DuesMonth)
	}
	if l.ValidDays < 0 {
		return l, app.Errorf(app.EInvalid, "第 %d 号介绍信的有效期限（%d 天）无效。", l.No, l.ValidDays)
	}
	fields := []*string{&l.Issuer, &l.School, &l.College, &l.Recipient, &l.VoidReason}
	for i := range l.Names {
		fields = append(fields, &l.Names[i])
	}
	var missing []rune
	for _, f := range fields {
		for _, m := range r.cov.missing(*f) {
			if !strings.ContainsRune(string(missing), m) {
				missing = append(missing, m)
			}
		}
		if replace {
			*f = r.cov.replaceMissing(*f, r.box)
		}
	}
	if len(missing) > 0 && !replace {
		quoted := make([]string, len(missing))
		for i, m := range missing {
			quoted[i] = fmt.Sprintf("“%c”(U+%04X)", m, m)
		}
		return l, app.Errorf(app.EInvalid, "第 %d 号介绍信中有打印字体缺少的字：%s。请核对文字，或选择以“□”代替后手写补全。",
			l.No, strings.Join(quoted, "、"))
	}
	return l, nil
}

// oneLine collapses runs of white space (including line breaks) to one space.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// heading builds the first line of 附件2, 共青团XX大学XX学院委员会, from the
// letter's school and college; without a college it is the issuer as given.
func heading(l app.Letter) string {
	college := strings.TrimSuffix(strings.ReplaceAll(l.College, " ", ""), "委员会")
	if college == "" {
		if l.Issuer != "" {
			return l.Issuer
		}
		if l.School == "" {
			return ""
		}
		return "共青团" + strings.TrimSuffix(strings.TrimPrefix(l.School, "共青团"), "委员会") + "委员会"
	}
	school := strings.TrimPrefix(strings.ReplaceAll(l.School, " ", ""), "共青团")
	if school == "" {
		// Take the school from the issuer: 共青团<school><college>委员会.
		iss := strings.TrimPrefix(strings.ReplaceAll(l.Issuer, " ", ""), "共青团")
		if i := strings.Index(iss, college); i > 0 {
			school = iss[:i]
		}
	}
	if !hasAnySuffix(college, "院", "系", "部", "中心", "所", "校区") {
		college += "学院"
	}
	return "共青团" + school + college + "委员会"
}

func hasAnySuffix(s string, suffixes ...string) bool {
	for _, x := range suffixes {
		if strings.HasSuffix(s, x) {
			return true
		}
	}
	return false
}
