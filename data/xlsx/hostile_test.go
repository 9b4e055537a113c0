package xlsx_test

import (
	"archive/zip"
	"fmt"
	"hash/crc32"
	"io"
	"math/rand"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"tuanwu/app"
	"tuanwu/data/xlsx"
)

// Hostile workbooks, written part by part with archive/zip so that a part of
// hundreds of megabytes unpacked costs the test only its compressed bytes.
// Each is a small file (or a file padded with bytes nobody needs) built to
// make a naive reader take gigabytes (issue 10, item 11).

const hugeCell = 80_000_000 // characters of the probe's one huge cell

// zpart is one part of a hand-made zip: its name, a writer of its content,
// and whether it is stored rather than deflated.
type zpart struct {
	name   string
	stored bool
	body   func(w io.Writer) error
}

func text(s string) func(io.Writer) error {
	return func(w io.Writer) error { _, err := io.WriteString(w, s); return err }
}

// repeat writes s n times.
func repeat(w io.Writer, s string, n int) error {
	chunk := strings.Repeat(s, max(1, (64<<10)/max(1, len(s))))
	per := len(chunk) / len(s)
	for n > 0 {
		k := min(n, per)
		if _, err := io.WriteString(w, chunk[:k*len(s)]); err != nil {
			return err
		}
		n -= k
	}
	return nil
}

// writeZip writes parts to w. A stored part is written twice (once to learn
// its CRC and size), so it need not fit in memory.
func writeZip(w io.Writer, parts []zpart) error {
	zw := zip.NewWriter(w)
	for _, p := range parts {
		var pw io.Writer
		var err error
		if p.stored {
			crc, n := crc32.NewIEEE(), &countWriter{}
			if err := p.body(io.MultiWriter(crc, n)); err != nil {
				return err
			}
			pw, err = zw.CreateRaw(&zip.FileHeader{Name: p.name, Method: zip.Store, CRC32: crc.Sum32(),
				CompressedSize64: n.n, UncompressedSize64: n.n})
		} else {
			pw, err = zw.Create(p.name)
		}
		if err != nil {
			return err
		}
		if err := p.body(pw); err != nil {
			return err
		}
	}
	return zw.Close()
}

type countWriter struct{ n uint64 }

func (c *countWriter) Write(b []byte) (int, error) { c.n += uint64(len(b)); return len(b), nil }

const (
	contentTypes = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` +
		`<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
		`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
		`<Default Extension="xml" ContentType="application/xml"/>` +
		`<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>` +
		`<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>` +
		`<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>` +
		`</Types>`
	rootRels = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` +
		`<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
		`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>` +
		`</Relationships>`
	workbookXML = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` +
		`<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">` +
		`<sheets><sheet name="团员信息" sheetId="1" r:id="rId1"/></sheets></workbook>`
	workbookRels = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` +
		`<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
		`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>` +
		`<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>` +
		`</Relationships>`
	sheetHead = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` +
		`<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`
	sheetTail = `</sheetData></worksheet>`
)

// inline is a cell holding text as an inline string.
func inline(ref, s string) string {
	return fmt.Sprintf(`<c r="%s" t="inlineStr"><is><t>%s</t></is></c>`, ref, s)
}

// headerRowXML is row 1 with the template's columns.
func headerRowXML() string {
	var b strings.Builder
	b.WriteString(`<row r="1">`)
	for i, c := range xlsx.TemplateColumns() {
		b.WriteString(inline(fmt.Sprintf("%c1", 'A'+i), c))
	}
	b.WriteString(`</row>`)
	return b.String()
}

// goodRowXML is a valid member in row r (its 身份证号 varies with r).
func goodRowXML(r int) string {
	first17 := fmt.Sprintf("330106200%d%02d%02d%03d", 1+r%5, 1+r%12, 1+r%28, 1+r%997)
	id := first17 + string(app.IDCheckChar(first17))
	return fmt.Sprintf(`<row r="%d">%s%s%s%s%s</row>`, r, inline(fmt.Sprintf("A%d", r), "王小红"),
		inline(fmt.Sprintf("B%d", r), id), inline(fmt.Sprintf("C%d", r), "汉族"),
		inline(fmt.Sprintf("D%d", r), "共青团员"), inline(fmt.Sprintf("E%d", r), "普通本科在读"))
}

// workbook returns the parts of a one-sheet workbook whose sheetData is
// written by rows (after the header row), with optional extra parts.
func workbook(rows func(w io.Writer) error, extra ...zpart) []zpart {
	parts := []zpart{
		{name: "[Content_Types].xml", body: text(contentTypes)},
		{name: "_rels/.rels", body: text(rootRels)},
		{name: "xl/workbook.xml", body: text(workbookXML)},
		{name: "xl/_rels/workbook.xml.rels", body: text(workbookRels)},
		{name: "xl/worksheets/sheet1.xml", body: func(w io.Writer) error {
			if _, err := io.WriteString(w, sheetHead+headerRowXML()); err != nil {
				return err
			}
			if err := rows(w); err != nil {
				return err
			}
			_, err := io.WriteString(w, sheetTail)
			return err
		}},
	}
	return append(parts, extra...)
}

// hostileFiles are the hostile workbooks by name, each a writer of the file.
var hostileFiles = map[string]func(w io.Writer) error{
	// The probe's file: one cell of 80 million characters, inline in the sheet.
	"huge_cell": func(w io.Writer) error {
		return writeZip(w, workbook(func(w io.Writer) error {
			io.WriteString(w, `<row r="2"><c r="A2" t="inlineStr"><is><t>`)
			repeat(w, "团", hugeCell)
			_, err := io.WriteString(w, `</t></is></c></row>`)
			return err
		}))
	},
	// The same cell as a shared string.
	"huge_shared_string": func(w io.Writer) error {
		return writeZip(w, workbook(func(w io.Writer) error {
			_, err := io.WriteString(w, `<row r="2"><c r="A2" t="s"><v>0</v></c></row>`)
			return err
		}, zpart{name: "xl/sharedStrings.xml", body: func(w io.Writer) error {
			io.WriteString(w, `<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>`)
			repeat(w, "a", hugeCell)
			_, err := io.WriteString(w, `</t></si></sst>`)
			return err
		}}))
	},
	// A valid file whose sheet is padded with 200 MiB of spaces between rows.
	"padded_sheet": func(w io.Writer) error {
		return writeZip(w, workbook(func(w io.Writer) error {
			io.WriteString(w, goodRowXML(2))
			return repeat(w, " ", 200<<20)
		}))
	},
	// A valid file padded to 200 MiB with a stored part nobody reads.
	"padded_file": func(w io.Writer) error {
		return writeZip(w, workbook(func(w io.Writer) error {
			_, err := io.WriteString(w, goodRowXML(2))
			return err
		}, zpart{name: "xl/media/image1.png", stored: true, body: func(w io.Writer) error {
			rng := rand.New(rand.NewSource(1))
			buf := make([]byte, 1<<20)
			for i := 0; i < 200; i++ {
				rng.Read(buf)
				if _, err := w.Write(buf); err != nil {
					return err
				}
			}
			return nil
		}}))
	},
	// An attribute of 80 million characters.
	"huge_attribute": func(w io.Writer) error {
		return writeZip(w, workbook(func(w io.Writer) error {
			io.WriteString(w, `<row r="2"><c r="A2" t="inlineStr" x="`)
			repeat(w, "a", hugeCell)
			_, err := io.WriteString(w, `"><is><t>王小红</t></is></c></row>`)
			return err
		}))
	},
	// A row of 4 million empty cells.
	"many_columns": func(w io.Writer) error {
		return writeZip(w, workbook(func(w io.Writer) error {
			io.WriteString(w, `<row r="2">`)
			repeat(w, `<c/>`, 4_000_000)
			_, err := io.WriteString(w, `</row>`)
			return err
		}))
	},
	// Three million rows of one cell each.
	"many_rows": func(w io.Writer) error {
		return writeZip(w, workbook(func(w io.Writer) error {
			return repeat(w, `<row><c t="inlineStr"><is><t>x</t></is></c></row>`, 3_000_000)
		}))
	},
	// Twenty million empty shared strings.
	"many_shared_strings": func(w io.Writer) error {
		return writeZip(w, workbook(func(w io.Writer) error {
			_, err := io.WriteString(w, `<row r="2"><c r="A2" t="s"><v>19999999</v></c></row>`)
			return err
		}, zpart{name: "xl/sharedStrings.xml", body: func(w io.Writer) error {
			io.WriteString(w, `<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">`)
			repeat(w, `<si><t/></si>`, 20_000_000)
			_, err := io.WriteString(w, `</sst>`)
			return err
		}}))
	},
	// A cell nested ten million elements deep.
	"deep_nesting": func(w io.Writer) error {
		return writeZip(w, workbook(func(w io.Writer) error {
			io.WriteString(w, `<row r="2"><c r="A2" t="inlineStr"><is><t>`)
			repeat(w, `<x>`, 10_000_000)
			repeat(w, `</x>`, 10_000_000)
			_, err := io.WriteString(w, `</t></is></c></row>`)
			return err
		}))
	},
	// 300,000 tiny parts.
	"many_parts": func(w io.Writer) error {
		var extra []zpart
		for i := 0; i < 300_000; i++ {
			extra = append(extra, zpart{name: fmt.Sprintf("x/%d", i), stored: true, body: text("")})
		}
		return writeZip(w, workbook(func(w io.Writer) error {
			_, err := io.WriteString(w, goodRowXML(2))
			return err
		}, extra...))
	},
	// 100,000 rows that break every rule: each row's problems are kept.
	"all_rows_bad": func(w io.Writer) error {
		return writeZip(w, workbook(func(w io.Writer) error {
			for r := 2; r < 100_001; r++ {
				var b strings.Builder
				fmt.Fprintf(&b, `<row r="%d">`, r)
				for i := range xlsx.TemplateColumns() {
					b.WriteString(inline(fmt.Sprintf("%c%d", 'A'+i, r), fmt.Sprintf("错%d", r)))
				}
				b.WriteString(`</row>`)
				if _, err := io.WriteString(w, b.String()); err != nil {
					return err
				}
			}
			return nil
		}))
	},
}

// hostileNames are the names of hostileFiles in a fixed order.
func hostileNames() []string {
	return []string{"huge_cell", "huge_shared_string", "padded_sheet", "padded_file", "huge_attribute",
		"many_columns", "many_rows", "many_shared_strings", "deep_nesting", "many_parts", "all_rows_bad"}
}

// writeHostile writes the hostile file name into dir and returns its path.
func writeHostile(tb testing.TB, dir, name string) string {
	tb.Helper()
	path := filepath.Join(dir, name+".xlsx")
	f, err := os.Create(path)
	if err != nil {
		tb.Fatal(err)
	}
	if err := hostileFiles[name](f); err != nil {
		f.Close()
		tb.Fatalf("write %s: %v", name, err)
	}
	if err := f.Close(); err != nil {
		tb.Fatal(err)
	}
	return path
}

// TestWriteHostileFiles writes every hostile file into the folder named by
// TUANWU_HOSTILE_DIR, to try them on the built program:
//
//	TUANWU_HOSTILE_DIR=/tmp/hostile go test ./data/xlsx/ -run WriteHostileFiles
func TestWriteHostileFiles(t *testing.T) {
	dir := os.Getenv("TUANWU_HOSTILE_DIR")
	if dir == "" {
		t.Skip("set TUANWU_HOSTILE_DIR to write the hostile files")
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	if os.Getenv("TUANWU_HOSTILE_LEGIT") != "" {
		b, err := fillTemplate(genMembers(100_000, 3))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "legit_100k.xlsx"), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	for _, name := range hostileNames() {
		path := writeHostile(t, dir, name)
		if fi, err := os.Stat(path); err == nil {
			t.Logf("%s: %d bytes", path, fi.Size())
		}
	}
}

// TestReadMembersChild is the child process of peakRSS: it reads the file
// named by TUANWU_CHILD_READ and prints what ReadMembers answered.
func TestReadMembersChild(t *testing.T) {
	path := os.Getenv("TUANWU_CHILD_READ")
	if path == "" {
		t.Skip("run by peakRSS")
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := xlsx.ReadMembers(f, testNow)
	printPeak()
	if err != nil {
		fmt.Printf("answer: err %s\n", app.ErrorMessage(err))
		return
	}
	fmt.Printf("answer: ok %d\n", len(rows))
}

// TestReadMembers_HostileFiles_Issue10 reads each hostile file in a child
// process: each is refused with a sentence that says which limit it passed
// and what to do, and no file takes the process over 300 MB.
func TestReadMembers_HostileFiles_Issue10(t *testing.T) {
	dir := t.TempDir()
	files := hostileNames()
	if p := os.Getenv("TUANWU_HOSTILE_EXTRA"); p != "" {
		files = append(files, p)
	}
	for _, name := range files {
		t.Run(name, func(t *testing.T) {
			path := name
			if _, ok := hostileFiles[name]; ok {
				path = writeHostile(t, dir, name)
				defer os.Remove(path)
			}
			rss, answer := peakRSS(t, path)
			t.Logf("%s: peak RSS %d MB, %s", name, rss>>20, answer)
			if _, ok := hostileFiles[name]; ok && (!strings.HasPrefix(answer, "err ") || !strings.Contains(answer, "团员团干部导入模板")) {
				t.Errorf("%s: ReadMembers answered %q, want a refusal that says what to do", name, answer)
			}
			if rss > 300<<20 {
				t.Errorf("%s: peak RSS %d MB, want ≤ 300 MB", name, rss>>20)
			}
		})
	}
}

func itoa(n int) string { return fmt.Sprint(n) }
