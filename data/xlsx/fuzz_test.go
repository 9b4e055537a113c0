package xlsx_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"tuanwu/app"
	"tuanwu/data/xlsx"
)

// FuzzReadMembers feeds ReadMembers arbitrary bytes, seeded with the
// template, a filled file and every bad file of testdata/import: it must
// never panic, and every error must be an EInvalid *app.Error with a
// Chinese message, never raw library text (R-M4).
func FuzzReadMembers(f *testing.F) {
	var tpl bytes.Buffer
	if err := xlsx.WriteTemplate(&tpl); err != nil {
		f.Fatal(err)
	}
	f.Add(tpl.Bytes())
	f.Add(filledTemplate(f, genMembers(3, 11), "标题"))
	files, _ := filepath.Glob(filepath.Join(importDir, "*.xls*"))
	for _, name := range files {
		if b, err := os.ReadFile(name); err == nil && len(b) < 1<<20 {
			f.Add(b)
		}
	}
	f.Add([]byte("PK\x03\x04"))
	f.Add([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1})
	f.Fuzz(func(t *testing.T, data []byte) {
		rows, err := xlsx.ReadMembers(bytes.NewReader(data), testNow)
		if err != nil {
			if app.ErrorCode(err) != app.EInvalid {
				t.Fatalf("error %v has code %q, want EInvalid", err, app.ErrorCode(err))
			}
			if msg := app.ErrorMessage(err); !utf8.ValidString(msg) || !strings.ContainsRune(msg, '。') {
				t.Fatalf("message %q is not a Chinese sentence", msg)
			}
			return
		}
		for _, r := range rows {
			if r.Row < 2 {
				t.Fatalf("data row %d above a header", r.Row)
			}
			if r.OK() {
				if _, err := app.ValidateMember(r.Member, testNow); err != nil {
					t.Fatalf("row %d has no problems but does not validate: %v", r.Row, err)
				}
			}
		}
	})
}
