package winexe

import (
	"debug/pe"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"unicode/utf16"
)

// Resource types (winuser.h).
const (
	rtIcon      = 3
	rtGroupIcon = 14
	rtVersion   = 16
	rtManifest  = 24
)

var typeNames = map[uint32]string{1: "CURSOR", 2: "BITMAP", rtIcon: "ICON", 4: "MENU", 5: "DIALOG", 6: "STRING",
	rtGroupIcon: "GROUP_ICON", rtVersion: "VERSION", rtManifest: "MANIFEST"}

// Report is what a built .exe says about itself.
type Report struct {
	Machine   uint16
	Subsystem uint16   // 2 = Windows GUI (no console), 3 = console
	DLLs      []string // imported, sorted, as named in the import table
	Resources map[uint32]int
	IconSizes []int             // of the first icon group (0 = 256)
	Fixed     [4]uint16         // VS_FIXEDFILEINFO's file version
	Strings   map[string]string // StringFileInfo of the first language
	Language  string            // its language and code page, e.g. 080404B0
	Manifest  string
}

// Inspect reads the PE header, the import table and the resource section.
func Inspect(path string) (*Report, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("读取 %s: %w", path, err)
	}
	defer f.Close()
	r, err := InspectReader(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return r, nil
}

// InspectReader is Inspect of an .exe held in r.
func InspectReader(ra io.ReaderAt) (r *Report, err error) {
	f, err := pe.NewFile(ra)
	if err != nil {
		return nil, fmt.Errorf("不是 Windows 程序: %w", err)
	}
	defer func() {
		// debug/pe is not hardened against every corrupt file.
		if p := recover(); p != nil {
			r, err = nil, fmt.Errorf("PE 文件已损坏: %v", p)
		}
	}()
	r = &Report{Machine: f.Machine, Resources: map[uint32]int{}, Strings: map[string]string{}}
	switch oh := f.OptionalHeader.(type) {
	case *pe.OptionalHeader64:
		r.Subsystem = oh.Subsystem
	case *pe.OptionalHeader32:
		r.Subsystem = oh.Subsystem
	default:
		return nil, errors.New("没有 PE 可选头")
	}
	syms, err := f.ImportedSymbols()
	if err != nil {
		return nil, fmt.Errorf("导入表: %w", err)
	}
	seen := map[string]bool{}
	for _, s := range syms {
		if i := strings.LastIndexByte(s, ':'); i >= 0 && !seen[s[i+1:]] {
			seen[s[i+1:]] = true
			r.DLLs = append(r.DLLs, s[i+1:])
		}
	}
	sort.Strings(r.DLLs)
	sec := f.Section(".rsrc")
	if sec == nil {
		return r, nil
	}
	data, err := io.ReadAll(io.NewSectionReader(sec, 0, int64(sec.Size)))
	if err != nil {
		return nil, fmt.Errorf(".rsrc: %w", err)
	}
	rs := rsrc{data: data, base: sec.VirtualAddress}
	leaves, err := rs.walk()
	if err != nil {
		return nil, fmt.Errorf(".rsrc: %w", err)
	}
	for _, l := range leaves {
		r.Resources[l.typ]++
		switch {
		case l.typ == rtGroupIcon && r.IconSizes == nil:
			r.IconSizes, err = groupIconSizes(l.data)
		case l.typ == rtVersion && r.Language == "":
			err = r.readVersion(l.data)
		case l.typ == rtManifest && r.Manifest == "":
			r.Manifest = string(l.data)
		}
		if err != nil {
			return nil, fmt.Errorf("%s 资源: %w", typeNames[l.typ], err)
		}
	}
	return r, nil
}

type leaf struct {
	typ  uint32
	data []byte
}

// rsrc is a resource section: a three-level directory (type, name,
// language) of IMAGE_RESOURCE_DIRECTORY tables.
type rsrc struct {
	data []byte
	base uint32 // the section's RVA
}

var errShort = errors.New("数据不完整")

func (rs rsrc) u32(off uint32) (uint32, error) {
	if uint64(off)+4 > uint64(len(rs.data)) {
		return 0, errShort
	}
	return binary.LittleEndian.Uint32(rs.data[off:]), nil
}

func (rs rsrc) walk() ([]leaf, error) {
	var out []leaf
	var visit func(off uint32, depth int, typ uint32) error
	visit = func(off uint32, depth int, typ uint32) error {
		if depth > 3 || uint64(off)+16 > uint64(len(rs.data)) {
			return errShort
		}
		n := int(binary.LittleEndian.Uint16(rs.data[off+12:])) + int(binary.LittleEndian.Uint16(rs.data[off+14:]))
		for i := 0; i < n; i++ {
			e := off + 16 + uint32(i)*8
			name, err := rs.u32(e)
			if err != nil {
				return err
			}
			to, err := rs.u32(e + 4)
			if err != nil {
				return err
			}
			t := typ
			if depth == 0 {
				t = name // a named type (high bit) is kept as is: none of ours
			}
			if to&0x80000000 != 0 {
				if err := visit(to&0x7fffffff, depth+1, t); err != nil {
					return err
				}
				continue
			}
			rva, err := rs.u32(to)
			if err != nil {
				return err
			}
			size, err := rs.u32(to + 4)
			if err != nil {
				return err
			}
			if rva < rs.base || uint64(rva-rs.base)+uint64(size) > uint64(len(rs.data)) {
				return errShort
			}
			out = append(out, leaf{typ: t, data: rs.data[rva-rs.base : rva-rs.base+size]})
		}
		return nil
	}
	return out, visit(0, 0, 0)
}

// groupIconSizes reads a GRPICONDIR: 6 bytes, then 14-byte entries whose
// first byte is the width.
func groupIconSizes(b []byte) ([]int, error) {
	if len(b) < 6 {
		return nil, errShort
	}
	n := int(binary.LittleEndian.Uint16(b[4:]))
	if len(b) < 6+14*n {
		return nil, errShort
	}
	sizes := make([]int, n)
	for i := range sizes {
		sizes[i] = int(b[6+14*i])
	}
	return sizes, nil
}

// node is one VS_VERSIONINFO-style block: length, value length, type
// (1 = text), a UTF-16 key, the value and the children, each 32-bit aligned.
type node struct {
	key      string
	value    []byte
	text     bool
	children []byte
}

func align4(n int) int { return (n + 3) &^ 3 }

func readNode(b []byte) (node, int, error) {
	if len(b) < 6 {
		return node{}, 0, errShort
	}
	length := int(binary.LittleEndian.Uint16(b))
	vlen := int(binary.LittleEndian.Uint16(b[2:]))
	text := binary.LittleEndian.Uint16(b[4:]) == 1
	if length < 6 || length > len(b) {
		return node{}, 0, errShort
	}
	b = b[:length]
	p := 6
	var key []uint16
	for {
		if p+2 > len(b) {
			return node{}, 0, errShort
		}
		c := binary.LittleEndian.Uint16(b[p:])
		p += 2
		if c == 0 {
			break
		}
		key = append(key, c)
	}
	p = align4(p)
	if text {
		vlen *= 2 // in characters
	}
	if p+vlen > len(b) {
		if !text || p > len(b) {
			return node{}, 0, errShort
		}
		vlen = len(b) - p // some tools count the text's bytes, not characters
	}
	n := node{key: string(utf16.Decode(key)), value: b[p : p+vlen], text: text}
	p = align4(p + vlen)
	if p < len(b) {
		n.children = b[p:]
	}
	return n, align4(length), nil
}

func children(b []byte) ([]node, error) {
	var out []node
	for len(b) >= 6 {
		n, used, err := readNode(b)
		if err != nil {
			return nil, err
		}
		out = append(out, n)
		if used >= len(b) {
			break
		}
		b = b[used:]
	}
	return out, nil
}

func utf16String(b []byte) string {
	u := make([]uint16, 0, len(b)/2)
	for i := 0; i+1 < len(b); i += 2 {
		c := binary.LittleEndian.Uint16(b[i:])
		if c == 0 {
			break
		}
		u = append(u, c)
	}
	return string(utf16.Decode(u))
}

func (r *Report) readVersion(b []byte) error {
	root, _, err := readNode(b)
	if err != nil {
		return err
	}
	if root.key != "VS_VERSION_INFO" || len(root.value) < 52 || binary.LittleEndian.Uint32(root.value) != 0xFEEF04BD {
		return errors.New("不是 VS_VERSION_INFO")
	}
	ms, ls := binary.LittleEndian.Uint32(root.value[8:]), binary.LittleEndian.Uint32(root.value[12:])
	r.Fixed = [4]uint16{uint16(ms >> 16), uint16(ms), uint16(ls >> 16), uint16(ls)}
	blocks, err := children(root.children)
	if err != nil {
		return err
	}
	for _, blk := range blocks {
		if blk.key != "StringFileInfo" {
			continue
		}
		tables, err := children(blk.children)
		if err != nil {
			return err
		}
		if len(tables) == 0 {
			continue
		}
		r.Language = tables[0].key
		values, err := children(tables[0].children)
		if err != nil {
			return err
		}
		for _, v := range values {
			r.Strings[v.key] = utf16String(v.value)
		}
	}
	return nil
}

// systemDLLs ship with every Windows 10/11: an .exe that needs any other
// DLL (a mingw runtime such as libwinpthread-1.dll) does not start from the zip.
var systemDLLs = map[string]bool{}

func init() {
	for _, d := range strings.Fields(`advapi32 bcrypt comctl32 comdlg32 crypt32 dnsapi dwmapi gdi32 hid imm32
		iphlpapi kernel32 msvcrt netapi32 ntdll ole32 oleaut32 opengl32 powrprof secur32 setupapi shcore
		shell32 user32 userenv uxtheme version winmm winspool.drv ws2_32`) {
		systemDLLs[d] = true
	}
}

func isSystemDLL(name string) bool {
	n := strings.ToLower(name)
	if strings.HasPrefix(n, "api-ms-win-") || strings.HasPrefix(n, "ext-ms-") {
		return true
	}
	return systemDLLs[strings.TrimSuffix(n, ".dll")]
}

// Check lists, in Chinese, what is wrong with the .exe for an office
// computer: a console window, a foreign DLL, a missing icon or manifest,
// version information other than want. Empty means it is fine.
func (r *Report) Check(want Info) []string {
	var p []string
	if r.Machine != pe.IMAGE_FILE_MACHINE_AMD64 {
		p = append(p, fmt.Sprintf("不是 64 位 x86 程序（Machine 0x%x）", r.Machine))
	}
	if r.Subsystem != pe.IMAGE_SUBSYSTEM_WINDOWS_GUI {
		p = append(p, fmt.Sprintf("不是图形界面程序（Subsystem %d，应为 2）：双击时会多出一个黑色控制台窗口；请用 -ldflags -H=windowsgui 链接", r.Subsystem))
	}
	for _, d := range r.DLLs {
		if !isSystemDLL(d) {
			p = append(p, "需要 Windows 不自带的 "+d+"：从压缩包运行时会因缺少它而打不开；请静态链接")
		}
	}
	for _, t := range []uint32{rtIcon, rtGroupIcon, rtVersion, rtManifest} {
		if r.Resources[t] == 0 {
			p = append(p, "没有 "+typeNames[t]+" 资源（图标、版本信息或清单）：请先用 windres 生成 .syso 再构建")
		}
	}
	if r.Resources[rtGroupIcon] > 0 {
		has := map[int]bool{}
		for _, s := range r.IconSizes {
			has[s] = true
		}
		for _, s := range []int{16, 32, 48, 256} {
			if !has[s%256] { // a group entry's width byte is 0 for 256
				p = append(p, fmt.Sprintf("图标缺少 %d×%d", s, s))
			}
		}
	}
	if r.Resources[rtVersion] > 0 {
		if r.Fixed != want.Numbers {
			p = append(p, fmt.Sprintf("版本号 %d.%d.%d.%d，应为 %s", r.Fixed[0], r.Fixed[1], r.Fixed[2], r.Fixed[3], want.dotted()))
		}
		if r.Language != "080404B0" && r.Language != "080404b0" {
			p = append(p, "版本信息的语言是 "+r.Language+"，应为 080404B0（简体中文，Unicode）")
		}
		for _, kv := range want.strings() {
			if got := r.Strings[kv[0]]; got != kv[1] {
				p = append(p, fmt.Sprintf("版本信息 %s 是 %q，应为 %q", kv[0], got, kv[1]))
			}
		}
	}
	if r.Resources[rtManifest] > 0 && !strings.Contains(r.Manifest, `level="asInvoker"`) {
		p = append(p, "清单没有 requestedExecutionLevel asInvoker")
	}
	return p
}

// String is a dump for the release log.
func (r *Report) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "Machine 0x%x, Subsystem %d", r.Machine, r.Subsystem)
	switch r.Subsystem {
	case pe.IMAGE_SUBSYSTEM_WINDOWS_GUI:
		b.WriteString("（图形界面）")
	case pe.IMAGE_SUBSYSTEM_WINDOWS_CUI:
		b.WriteString("（控制台）")
	}
	fmt.Fprintf(&b, "\nDLL: %s\n资源:", strings.Join(r.DLLs, " "))
	types := make([]int, 0, len(r.Resources))
	for t := range r.Resources {
		types = append(types, int(t))
	}
	sort.Ints(types)
	for _, t := range types {
		name := typeNames[uint32(t)]
		if name == "" {
			name = fmt.Sprint(t)
		}
		fmt.Fprintf(&b, " %s×%d", name, r.Resources[uint32(t)])
	}
	if r.IconSizes != nil {
		b.WriteString("\n图标尺寸:")
		for _, s := range r.IconSizes {
			if s == 0 {
				s = 256
			}
			fmt.Fprintf(&b, " %d", s)
		}
	}
	if r.Language != "" {
		fmt.Fprintf(&b, "\n版本 %d.%d.%d.%d，语言 %s", r.Fixed[0], r.Fixed[1], r.Fixed[2], r.Fixed[3], r.Language)
		keys := make([]string, 0, len(r.Strings))
		for k := range r.Strings {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			fmt.Fprintf(&b, "\n  %-17s %s", k, r.Strings[k])
		}
	}
	b.WriteString("\n")
	return b.String()
}
