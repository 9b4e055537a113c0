package xlsx

import (
	"strconv"
	"strings"
	"testing"

	"tuanwu/app"
)

// feedAll runs an xmlGuard for part over s, fed in small pieces so that
// every state crosses a boundary.
func feedAll(part, s string) error {
	g := newXMLGuard(part)
	for len(s) > 0 {
		n := min(len(s), 7)
		if err := g.feed([]byte(s[:n])); err != nil {
			return err
		}
		s = s[n:]
	}
	return nil
}

// The stream limits of guard.go, each just within and just past, with the
// sentence that names the limit and says what to do (issue 10, item 11).
func TestXMLGuard_Limits_Issue10(t *testing.T) {
	const sheet, sst = "xl/worksheets/sheet1.xml", "xl/sharedstrings.xml"
	row := func(r int, body string) string { return `<row r="` + itoa(r) + `">` + body + `</row>` }
	cell := func(s string) string { return `<c t="inlineStr"><is><t>` + s + `</t></is></c>` }
	cases := []struct {
		name, part, xml, want string // want "" when accepted
	}{
		{"cell at Excel's limit", sheet, row(3, cell(strings.Repeat("团", maxCellChars))), ""},
		{"cell past Excel's limit", sheet, row(3, cell(strings.Repeat("团", maxCellChars+1))), "第 3 行有一个单元格超过了 32767 个字"},
		{"blanks between rows", sheet, row(1, "") + strings.Repeat(" ", maxCellChars+1), "超过了 32767 个字"},
		{"CDATA", sheet, row(2, `<c t="inlineStr"><is><t><![CDATA[`+strings.Repeat("a", maxCellChars+1)+`]]></t></is></c>`), "超过了 32767 个字"},
		{"comment", sst, `<sst><!--` + strings.Repeat("a", maxCellChars+1) + `--></sst>`, "超过了 32767 个字"},
		{"short CDATA and comment", sheet, `<?xml version="1.0"?><!-- x --><w>` + row(1, `<c><v><![CDATA[1]]></v></c>`) + `</w>`, ""},
		{"long tag", sheet, `<row r="1" x="` + strings.Repeat("a", maxTagBytes) + `"/>`, "字节的上限"},
		{"deep", sheet, strings.Repeat("<x>", maxDepth+1), "嵌套了 64 层以上"},
		{"deep but empty elements", sheet, strings.Repeat("<x/>", 10*maxDepth), ""},
		{"closed elements", sheet, strings.Repeat("<x></x>", 10*maxDepth), ""},
		{"cells of a row", sheet, row(5, strings.Repeat("<c/>", maxRowCells)) + row(6, strings.Repeat("<x:c/>", maxRowCells+1)), "第 6 行有 16384 个以上的单元格"},
		{"rows", sheet, strings.Repeat("<row/>", maxSheetRows+1), "1048576 行以上"},
		{"shared strings", sst, strings.Repeat("<si/>", maxStrings+1), "1000000 项以上"},
		{"rows in shared strings are not rows", sst, strings.Repeat("<row/>", maxSheetRows+1), ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := feedAll(tc.part, tc.xml)
			if tc.want == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			msg := app.ErrorMessage(err)
			if app.ErrorCode(err) != app.EInvalid || !strings.Contains(msg, tc.want) || !strings.Contains(msg, "团员团干部导入模板") {
				t.Fatalf("got %v, want EInvalid with %q and what to do", err, tc.want)
			}
		})
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

// attr finds an attribute only as a whole name.
func TestAttr(t *testing.T) {
	for tag, want := range map[string]string{
		`row r="12" spans="1:3"`: "12",
		`row spans="1:3" r='7'`:  "7",
		`row xr="9" r="4"`:       "4",
		`row xr="9"`:             "",
		`row r=`:                 "",
		`row r="5`:               "",
	} {
		if got := attr([]byte(tag), "r"); got != want {
			t.Errorf("attr(%q) = %q, want %q", tag, got, want)
		}
	}
}
