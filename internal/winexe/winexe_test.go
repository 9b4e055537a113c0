package winexe

import (
	"bytes"
	"debug/pe"
	"encoding/binary"
	"image"
	"image/color"
	"image/png"
	"os"
	"strings"
	"testing"
)

// want is the Info testdata/make.sh built its programs with.
var want = Info{Product: "团务台", Description: "团务台", Company: `测试单位 "甲"`, Copyright: "© 2026 测试单位",
	Version: "v9.8.7-test", Numbers: [4]uint16{9, 8, 7, 6}, Internal: "tuanwu", Original: "团务台.exe", ID: "cn.tuanwu.desktop"}

// Issue 12, item 5: CI refuses an .exe that opens a console, needs a DLL
// Windows lacks, or has no icon, manifest or version information; and item
// 2 of the follow-up: the version information carries company and copyright.
func TestCheckIssue12(t *testing.T) {
	other := want
	other.Company, other.Numbers = "别的单位", [4]uint16{9, 8, 7, 7}
	tests := []struct {
		exe     string
		want    Info
		problem []string // each must appear in one problem; none means no problem at all
	}{
		{"gui.exe", want, nil},
		{"console.exe", want, []string{"Subsystem 3"}},
		{"bare.exe", want, []string{"没有 ICON", "没有 GROUP_ICON", "没有 VERSION", "没有 MANIFEST"}},
		{"foreign.exe", want, []string{"libwinpthread-1.dll"}},
		{"gui.exe", other, []string{"CompanyName", "版本号 9.8.7.6，应为 9.8.7.7"}},
	}
	for _, tc := range tests {
		r, err := Inspect("testdata/" + tc.exe)
		if err != nil {
			t.Fatal(err)
		}
		got := r.Check(tc.want)
		if len(tc.problem) == 0 && len(got) > 0 {
			t.Errorf("%s: unexpected problems %q", tc.exe, got)
		}
		if len(got) != len(tc.problem) {
			t.Errorf("%s: %d problems %q, want %d", tc.exe, len(got), got, len(tc.problem))
		}
		for _, p := range tc.problem {
			if !strings.Contains(strings.Join(got, "\n"), p) {
				t.Errorf("%s: no problem mentions %q in %q", tc.exe, p, got)
			}
		}
	}
}

func TestInspectReadsResources(t *testing.T) {
	r, err := Inspect("testdata/gui.exe")
	if err != nil {
		t.Fatal(err)
	}
	if r.Subsystem != pe.IMAGE_SUBSYSTEM_WINDOWS_GUI || r.Fixed != want.Numbers || r.Language != "080404B0" {
		t.Errorf("subsystem %d, version %v, language %q", r.Subsystem, r.Fixed, r.Language)
	}
	if got := r.Strings["LegalCopyright"]; got != want.Copyright {
		t.Errorf("LegalCopyright %q", got)
	}
	if got := r.IconSizes; len(got) != 4 || got[0] != 16 || got[3] != 0 {
		t.Errorf("icon sizes %v, want 16 32 48 0(=256)", got)
	}
	for _, s := range []string{`name="cn.tuanwu.desktop" version="9.8.7.6"`, "PerMonitorV2", "Microsoft.Windows.Common-Controls"} {
		if !strings.Contains(r.Manifest, s) {
			t.Errorf("manifest lacks %s", s)
		}
	}
	dump := r.String()
	for _, s := range []string{"Subsystem 2（图形界面）", "CompanyName       测试单位", "图标尺寸: 16 32 48 256"} {
		if !strings.Contains(dump, s) {
			t.Errorf("dump lacks %q:\n%s", s, dump)
		}
	}
}

// Never panic on input: every byte of the program overwritten in turn.
func TestInspectCorrupt(t *testing.T) {
	orig, err := os.ReadFile("testdata/gui.exe")
	if err != nil {
		t.Fatal(err)
	}
	b := make([]byte, len(orig))
	for off := 0; off < len(orig); off += 7 {
		copy(b, orig)
		b[off] ^= 0xff
		InspectReader(bytes.NewReader(b)) // an error or a report, never a panic
	}
	for _, n := range []int{0, 2, 64, 400, len(orig) / 2} {
		if _, err := InspectReader(bytes.NewReader(orig[:n])); err == nil {
			t.Errorf("%d bytes of an .exe: no error", n)
		}
	}
}

func TestNumbers(t *testing.T) {
	tests := []struct {
		in    string
		build int
		want  [4]uint16
		ok    bool
	}{
		{"0.1.0", 123, [4]uint16{0, 1, 0, 123}, true},
		{"12.0.65535", 0, [4]uint16{12, 0, 65535, 0}, true},
		{"1.2", 1, [4]uint16{}, false},
		{"1.2.3.4", 1, [4]uint16{}, false},
		{"1.x.3", 1, [4]uint16{}, false},
		{"1.2.65536", 1, [4]uint16{}, false},
		{"1.2.3", 70000, [4]uint16{}, false},
		{"", 1, [4]uint16{}, false},
	}
	for _, tc := range tests {
		got, err := Numbers(tc.in, tc.build)
		if (err == nil) != tc.ok || (tc.ok && got != tc.want) {
			t.Errorf("Numbers(%q, %d) = %v, %v", tc.in, tc.build, got, err)
		}
	}
}

func TestRC(t *testing.T) {
	rc := RC(want, "tuanwu.ico", "tuanwu.manifest")
	for _, s := range []string{
		"#pragma code_page(65001)",
		"LANGUAGE 0x04, 0x02",
		`1 ICON "tuanwu.ico"`,
		`1 24 "tuanwu.manifest"`,
		"FILEVERSION 9,8,7,6",
		`BLOCK "080404B0"`,
		`VALUE "CompanyName", "测试单位 ""甲"""`, // a quote in an .rc string is doubled
		`VALUE "LegalCopyright", "© 2026 测试单位"`,
		`VALUE "FileVersion", "v9.8.7-test"`,
		`VALUE "Translation", 0x804, 1200`,
	} {
		if !strings.Contains(rc, s) {
			t.Errorf("RC lacks %s:\n%s", s, rc)
		}
	}
	if m := Manifest(Info{ID: "a&b", Description: "<x>"}); !strings.Contains(m, `name="a&amp;b"`) || !strings.Contains(m, "&lt;x&gt;") {
		t.Errorf("manifest does not escape XML:\n%s", m)
	}
}

func TestWriteICO(t *testing.T) {
	src := image.NewNRGBA(image.Rect(0, 0, 64, 64))
	for y := 16; y < 48; y++ {
		for x := 16; x < 48; x++ {
			src.SetNRGBA(x, y, color.NRGBA{R: 200, A: 255}) // a red square on transparency
		}
	}
	var buf bytes.Buffer
	sizes := []int{16, 48, 256}
	if err := WriteICO(&buf, src, sizes); err != nil {
		t.Fatal(err)
	}
	b := buf.Bytes()
	le := binary.LittleEndian
	if le.Uint16(b[2:]) != 1 || int(le.Uint16(b[4:])) != len(sizes) {
		t.Fatalf("header % x", b[:6])
	}
	for i, s := range sizes {
		e := b[6+16*i:]
		size, off := int(le.Uint32(e[8:])), int(le.Uint32(e[12:]))
		if int(e[0]) != s%256 || le.Uint16(e[6:]) != 32 || off+size > len(b) {
			t.Fatalf("entry %d: % x", i, e[:16])
		}
		data := b[off : off+size]
		if s == 256 {
			img, err := png.Decode(bytes.NewReader(data))
			if err != nil || img.Bounds().Dx() != 256 {
				t.Fatalf("256: %v", err)
			}
			continue
		}
		if le.Uint32(data) != 40 || int(le.Uint32(data[4:])) != s || int(le.Uint32(data[8:])) != 2*s {
			t.Fatalf("%d: BITMAPINFOHEADER % x", s, data[:16])
		}
		mask := data[40+4*s*s:]
		maskRow := (s + 31) / 32 * 4
		if len(mask) != maskRow*s {
			t.Fatalf("%d: mask of %d bytes", s, len(mask))
		}
		// Bottom-up: the last row is the image's top, transparent; the
		// middle pixel is opaque red.
		if mask[0]&0x80 == 0 {
			t.Errorf("%d: transparent corner not masked", s)
		}
		mid := 40 + 4*((s/2)*s+s/2)
		if px := data[mid : mid+4]; px[2] < 150 || px[3] != 255 {
			t.Errorf("%d: middle pixel BGRA % x", s, px)
		}
	}
	if err := WriteICO(&buf, src, []int{300}); err == nil {
		t.Error("a 300-pixel icon was accepted")
	}
}
