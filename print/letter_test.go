package print

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/image/font/gofont/goregular"

	"tuanwu/app"
	"tuanwu/assets"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

var fixedDate = time.Date(2025, 6, 20, 9, 30, 0, 0, time.UTC)

var (
	rendererOnce sync.Once
	rendererVal  *Renderer
	rendererErr  error
)

// testRenderer returns one Renderer for all tests, as the application would.
func testRenderer(tb testing.TB) *Renderer {
	tb.Helper()
	rendererOnce.Do(func() { rendererVal, rendererErr = NewRenderer(assets.FontTTF()) })
	if rendererErr != nil {
		tb.Fatalf("NewRenderer: %v", rendererErr)
	}
	return rendererVal
}

// sampleLetter is a letter like the ones a college prints for graduates.
func sampleLetter() app.Letter {
	return app.Letter{
		No:        17,
		Issuer:    "共青团浙江工商大学信息与电子工程学院委员会",
		School:    "浙江工商大学",
		College:   "信息与电子工程学院",
		Recipient: "共青团杭州市西湖区文新街道学社衔接临时团支部",
		Names:     []string{"王伟", "李娜", "欧阳晓明"},
		DuesYear:  2025,
		DuesMonth: 6,
		Date:      time.Date(2025, 6, 20, 0, 0, 0, 0, time.Local),
		ValidDays: 30,
	}
}

// manyNames returns n distinct two- and three-character names.
func manyNames(n int) []string {
	sur := []rune("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗")
	given := []rune("伟强磊军洋勇杰涛明超芳娜敏静丽艳娟霞秀婷")
	out := make([]string, n)
	for i := range out {
		s := string(sur[i%len(sur)]) + string(given[(i/len(sur))%len(given)])
		if i%3 == 0 {
			s += string(given[(i*7)%len(given)])
		}
		out[i] = s
	}
	return out
}

func render(tb testing.TB, letters []app.Letter, opts Options) []byte {
	tb.Helper()
	var buf bytes.Buffer
	if err := testRenderer(tb).Letters(&buf, letters, opts); err != nil {
		tb.Fatalf("Letters: %v", err)
	}
	return buf.Bytes()
}

// TestLetterGolden_R_L1_R_L2 compares a fixed letter, and a voided one,
// with the golden PDF in testdata (go test ./print -update rewrites it).
func TestLetterGolden_R_L1_R_L2(t *testing.T) {
	voided := sampleLetter()
	voided.No = 18
	voided.Voided = true
	voided.VoidReason = "接收单位名称填写错误，已重新开具第 19 号"
	got := render(t, []app.Letter{sampleLetter(), voided}, Options{CreationDate: fixedDate, NoCompression: true})
	golden := filepath.Join("testdata", "letter.golden.pdf")
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test ./print -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		out := filepath.Join(t.TempDir(), "got.pdf")
		_ = os.WriteFile(out, got, 0o644)
		t.Errorf("PDF differs from %s (%d bytes, want %d); got written to %s; if the change is intended, run go test ./print -update",
			golden, len(got), len(want), out)
	}
}

// TestLetterDeterministic: the same input gives the same bytes.
func TestLetterDeterministic(t *testing.T) {
	opts := Options{CreationDate: fixedDate}
	a := render(t, []app.Letter{sampleLetter()}, opts)
	b := render(t, []app.Letter{sampleLetter()}, opts)
	if !bytes.Equal(a, b) {
		t.Fatal("two renderings of the same letter differ")
	}
}

// TestLetterSize_R_L2: one letter's PDF, fonts embedded, stays small.
func TestLetterSize_R_L2(t *testing.T) {
	for _, names := range [][]string{sampleLetter().Names, manyNames(60)} {
		l := sampleLetter()
		l.Names = names
		got := render(t, []app.Letter{l}, Options{})
		t.Logf("%d names: %d bytes", len(names), len(got))
		if len(got) > 60*1024 {
			t.Errorf("%d names: PDF is %d bytes, want at most 60 KB", len(names), len(got))
		}
		if !bytes.HasPrefix(got, []byte("%PDF-")) {
			t.Errorf("output does not start with %%PDF-")
		}
	}
}

// TestLettersPages: one page per letter, in one document; a very long list
// continues on a second page.
func TestLettersPages(t *testing.T) {
	need(t, "pdfinfo")
	letters := []app.Letter{sampleLetter(), sampleLetter(), sampleLetter()}
	for i := range letters {
		letters[i].No = 20 + i
	}
	letters[1].Names = manyNames(60)
	letters[2].Names = manyNames(120) // set smaller to fit
	if got := pdfPages(t, render(t, letters, Options{})); got != 3 {
		t.Errorf("3 letters (of 3, 60 and 120 names): %d pages, want 3", got)
	}
	huge := sampleLetter()
	huge.Names = manyNames(400)
	if got := pdfPages(t, render(t, []app.Letter{huge}, Options{})); got < 2 {
		t.Errorf("400 names: %d pages, want it to continue on a second page", got)
	}
}

// TestLettersInvalid: letters that cannot be printed are refused with a
// Chinese message and an EInvalid code, and nothing is written.
func TestLettersInvalid(t *testing.T) {
	r := testRenderer(t)
	noNames := sampleLetter()
	noNames.Names = nil
	blankName := sampleLetter()
	blankName.Names = []string{"王伟", "  "}
	noIssuer := sampleLetter()
	noIssuer.Issuer, noIssuer.School, noIssuer.College = "", "", ""
	badMonth := sampleLetter()
	badMonth.DuesMonth = 13
	rare := sampleLetter()
	rare.Names = []string{"王伟", "李\U0002000B"} // a name with a character outside the BMP
	for name, tc := range map[string]struct {
		letters []app.Letter
		want    string
	}{
		"none":       {nil, "没有要打印"},
		"no names":   {[]app.Letter{noNames}, "没有介绍任何团员"},
		"blank name": {[]app.Letter{blankName}, "第 2 个姓名是空的"},
		"no issuer":  {[]app.Letter{noIssuer}, "缺少开具介绍信的团委"},
		"bad month":  {[]app.Letter{badMonth}, "团费交至年月"},
		"rare char":  {[]app.Letter{rare}, "U+2000B"},
	} {
		t.Run(name, func(t *testing.T) {
			var buf bytes.Buffer
			err := r.Letters(&buf, tc.letters, Options{})
			if app.ErrorCode(err) != app.EInvalid || !strings.Contains(app.ErrorMessage(err), tc.want) {
				t.Fatalf("err = %v (code %q), want EInvalid containing %q", err, app.ErrorCode(err), tc.want)
			}
			if buf.Len() != 0 {
				t.Errorf("%d bytes written for a refused letter", buf.Len())
			}
		})
	}
	// Replacing the missing character prints the letter, with a box to
	// complete by hand.
	var buf bytes.Buffer
	if err := r.Letters(&buf, []app.Letter{rare}, Options{ReplaceMissing: true}); err != nil {
		t.Fatalf("ReplaceMissing: %v", err)
	}
	if _, err := exec.LookPath("pdftotext"); err == nil {
		if text := squash(run(t, buf.Bytes(), "pdftotext")); !strings.Contains(text, "王伟、李□等2位同志") {
			t.Errorf("ReplaceMissing: text lacks 王伟、李□:\n%s", text)
		}
	}
}

// TestLettersConcurrent: one Renderer serves several goroutines (the window
// may print while a headless command runs); run with -race.
func TestLettersConcurrent(t *testing.T) {
	r := testRenderer(t)
	want := render(t, []app.Letter{sampleLetter()}, Options{CreationDate: fixedDate})
	var wg sync.WaitGroup
	errs := make(chan error, 4)
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var buf bytes.Buffer
			if err := r.Letters(&buf, []app.Letter{sampleLetter()}, Options{CreationDate: fixedDate}); err != nil {
				errs <- err
			} else if !bytes.Equal(buf.Bytes(), want) {
				errs <- errors.New("concurrent rendering differs")
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

// TestNewRendererBadFont: a font gofpdf cannot use is refused at once,
// not discovered as blank pages later.
func TestNewRendererBadFont(t *testing.T) {
	for name, font := range map[string][]byte{
		"empty":   nil,
		"garbage": []byte("this is not a font at all, just some bytes"),
		"cut":     assets.FontTTF()[:4096],
		"no CJK":  goregular.TTF, // a good TrueType font without Chinese
	} {
		if _, err := NewRenderer(font); err == nil {
			t.Errorf("%s: NewRenderer accepted it", name)
		} else if app.ErrorCode(err) != app.EInternal {
			t.Errorf("%s: code %q, want EInternal", name, app.ErrorCode(err))
		}
	}
}

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

// TestLettersWriteError: a failing writer is reported as a save failure.
func TestLettersWriteError(t *testing.T) {
	err := testRenderer(t).Letters(failWriter{}, []app.Letter{sampleLetter()}, Options{})
	if err == nil || !strings.Contains(app.ErrorMessage(err), "保存介绍信 PDF 失败") || !strings.Contains(err.Error(), "disk full") {
		t.Fatalf("err = %v, want a save failure wrapping disk full", err)
	}
}

// TestHeading_R_L1 builds the first line of 附件2 from school and college.
func TestHeading_R_L1(t *testing.T) {
	for _, tc := range []struct {
		issuer, school, college, want string
	}{
		{"共青团浙江工商大学信息学院委员会", "浙江工商大学", "信息学院", "共青团浙江工商大学信息学院委员会"},
		{"", "浙江工商大学", "信息", "共青团浙江工商大学信息学院委员会"},
		{"", "共青团浙江工商大学", "信息 学院", "共青团浙江工商大学信息学院委员会"},
		{"共青团浙江工商大学法学院委员会", "", "法学院", "共青团浙江工商大学法学院委员会"},
		{"共青团浙江工商大学委员会", "浙江工商大学", "", "共青团浙江工商大学委员会"},
		{"", "浙江工商大学", "", "共青团浙江工商大学委员会"},
		{"", "浙江工商大学", "研究生院", "共青团浙江工商大学研究生院委员会"},
		{"", "", "", ""},
	} {
		l := app.Letter{Issuer: tc.issuer, School: tc.school, College: tc.college}
		if got := heading(l); got != tc.want {
			t.Errorf("heading(%q, %q, %q) = %q, want %q", tc.issuer, tc.school, tc.college, got, tc.want)
		}
	}
}

// need skips the test when a poppler tool is absent (CI installs
// poppler-utils, so there the test runs).
func need(tb testing.TB, tools ...string) {
	tb.Helper()
	for _, tool := range tools {
		if _, err := exec.LookPath(tool); err != nil {
			tb.Skipf("%s not installed (apt-get install poppler-utils)", tool)
		}
	}
}

// run runs a poppler tool on pdf and returns its standard output.
func run(tb testing.TB, pdf []byte, tool string, args ...string) string {
	tb.Helper()
	dir := tb.TempDir()
	in := filepath.Join(dir, "in.pdf")
	if err := os.WriteFile(in, pdf, 0o644); err != nil {
		tb.Fatal(err)
	}
	args = append(args, in)
	if tool == "pdftotext" {
		args = append(args, "-")
	}
	if tool == "pdftoppm" {
		args = append(args, filepath.Join(dir, "page"))
	}
	cmd := exec.Command(tool, args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil || stderr.Len() > 0 {
		tb.Fatalf("%s: %v; stderr: %s", tool, err, stderr.String())
	}
	if tool == "pdftoppm" {
		pngs, _ := filepath.Glob(filepath.Join(dir, "page*.png"))
		return strings.Join(pngs, "\n")
	}
	return string(out)
}

func pdfPages(tb testing.TB, pdf []byte) int {
	tb.Helper()
	info := run(tb, pdf, "pdfinfo")
	for _, ln := range strings.Split(info, "\n") {
		if rest, ok := strings.CutPrefix(ln, "Pages:"); ok {
			var n int
			fmt.Sscan(strings.TrimSpace(rest), &n)
			return n
		}
	}
	tb.Fatalf("pdfinfo gave no page count:\n%s", info)
	return 0
}

// squash removes all white space, so that text extracted from the PDF can
// be compared whatever spacing pdftotext infers.
func squash(s string) string {
	return strings.Join(strings.Fields(s), "")
}

// TestLetterRasterText_R_L2 rasterises the letter with pdftoppm (no error,
// no warning about the font), checks with pdffonts that the font is an
// embedded subset, and with pdftotext that every Chinese string of 附件2 is
// there, so no glyph is missing.
func TestLetterRasterText_R_L2(t *testing.T) {
	need(t, "pdftoppm", "pdftotext", "pdffonts")
	l := sampleLetter()
	l.Names = manyNames(60)
	voided := sampleLetter()
	voided.No = 18
	voided.Voided = true
	voided.VoidReason = "接收单位名称填写错误"
	pdf := render(t, []app.Letter{l, voided}, Options{})

	pngs := run(t, pdf, "pdftoppm", "-r", "50", "-png")
	if n := len(strings.Fields(pngs)); n != 2 {
		t.Fatalf("pdftoppm made %d pages, want 2", n)
	}
	for _, png := range strings.Fields(pngs) {
		if st, err := os.Stat(png); err != nil || st.Size() < 2000 {
			t.Errorf("page image %s is missing or empty", png)
		}
	}

	fonts := run(t, pdf, "pdffonts")
	var fontLines []string
	for _, ln := range strings.Split(fonts, "\n")[2:] {
		if strings.TrimSpace(ln) != "" {
			fontLines = append(fontLines, ln)
		}
	}
	if len(fontLines) != 1 {
		t.Fatalf("pdffonts lists %d fonts, want the one bundled font:\n%s", len(fontLines), fonts)
	}
	// Columns: name type encoding emb sub uni object ID. gofpdf gives its
	// subset no "ABCDEF+" tag, so pdffonts says sub "no"; that the font is
	// a subset shows in the size (4.6 MB font, PDF of a few tens of KB).
	f := strings.Fields(fontLines[0])
	if len(f) < 7 || !strings.Contains(fontLines[0], "CID TrueType") || f[len(f)-5] != "yes" || f[len(f)-3] != "yes" {
		t.Errorf("font not embedded with a Unicode map:\n%s", fonts)
	}
	if len(pdf) > 200*1024 {
		t.Errorf("PDF of two letters is %d bytes: the font is not subset", len(pdf))
	}

	pages := strings.Split(run(t, pdf, "pdftotext", "-layout"), "\f")
	for i := range pages {
		pages[i] = squash(pages[i])
	}
	want := []string{
		"共青团浙江工商大学信息与电子工程学院委员会",
		"组织关系介绍信",
		"第17号",
		"共青团杭州市西湖区文新街道学社衔接临时团支部：",
		"兹介绍" + strings.Join(l.Names, "、") + "等60位同志前来你处转接组织关系，请予以接洽。该同志团费交至2025年6月。",
		"此致",
		"敬礼！",
		"（盖章）",
		"2025年6月20日",
		"（有效期限30天）",
	}
	for _, w := range want {
		if !strings.Contains(pages[0], w) {
			t.Errorf("page 1 text lacks %q:\n%s", w, pages[0])
		}
	}
	for _, w := range []string{"第18号", "作废", "接收单位名称填写错误", "兹介绍王伟、李娜、欧阳晓明等3位同志"} {
		if len(pages) < 2 || !strings.Contains(pages[1], w) {
			t.Errorf("voided page text lacks %q", w)
		}
	}
	// A glyph the font lacks comes out of pdftotext as something else
	// (often nothing): every rune of the expected text was found above.
}
