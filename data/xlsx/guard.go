package xlsx

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// Limits on the workbook a user feeds the import, checked before excelize
// parses anything: on the zip's central directory (how many parts, how big
// each is packed and unpacked, how much they shrank), then on the XML of
// every part that is kept, read as a stream with no allocation per token.
// Together they keep the import of any file under 300 MB of memory (issue
// 10, item 11). A filled template of 100,000 members is a 7.6 MB file whose
// sheet unpacks to 53 MB (10 times) and whose shared strings to 16 MB.
const (
	maxParts        = 1000      // parts in the zip; a workbook has a few dozen
	maxDirectory    = 1 << 20   // bytes of the zip's central directory
	maxPackedKept   = 48 << 20  // bytes of the kept parts, packed
	maxStreamedPart = 160 << 20 // bytes of a worksheet or the shared strings, unpacked (read from a temporary file)
	maxMemoryPart   = 16 << 20  // bytes of any other kept part, unpacked (held in memory)
	maxUnpackedKept = 256 << 20 // bytes of all kept parts, unpacked
	maxRatio        = 100       // unpacked ÷ packed of a part over ratioFloor
	ratioFloor      = 1 << 20   // parts smaller than this unpacked are not held to maxRatio
	maxCellChars    = 32767     // characters of a cell: Excel's own limit
	maxTagBytes     = 64 << 10  // bytes of one XML tag with its attributes
	maxDepth        = 64        // nesting of XML elements
	maxSheetRows    = 1048576   // rows of a worksheet: Excel's own limit
	maxRowCells     = 16384     // cells of a row: Excel's own limit
	maxStrings      = 1000000   // items of the shared strings
)

// What to do when a file passes a limit: every refusal ends with it.
const limitAdvice = "请用 Excel 或 WPS 打开这个文件，把团员信息复制到从本程序下载的空白“团员团干部导入模板”中，保存后再导入；团员很多时请分成几个文件，每个不超过 100000 行。"

func mb(n uint64) string {
	if n < 10<<20 {
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	}
	return fmt.Sprintf("%d MB", n>>20)
}

// checkDirectory reads the zip's end-of-central-directory record and
// refuses a file that claims more parts or a larger directory than a
// workbook has, before archive/zip allocates one entry per claimed part.
func checkDirectory(r io.ReaderAt, size int64) error {
	const eocdLen = 22
	tail := min(size, eocdLen+65535)
	buf := make([]byte, tail)
	if _, err := r.ReadAt(buf, size-tail); err != nil && err != io.EOF {
		return fmt.Errorf("read the end of the zip: %w", err)
	}
	i := bytes.LastIndex(buf, []byte("PK\x05\x06"))
	if i < 0 || len(buf)-i < eocdLen {
		return invalid(msgJunk)
	}
	entries := binary.LittleEndian.Uint16(buf[i+10:])
	dirSize := binary.LittleEndian.Uint32(buf[i+12:])
	if entries > maxParts { // 0xFFFF sends archive/zip to the zip64 record, which may claim more
		return invalid(fmt.Sprintf("这个文件由 %d 个以上的部件组成，超过了 %d 个的上限，不是正常的 Excel 工作簿。%s", entries, maxParts, limitAdvice))
	}
	if dirSize > maxDirectory {
		return invalid(fmt.Sprintf("这个文件的目录有 %s，超过了 %s 的上限，不是正常的 Excel 工作簿。%s", mb(uint64(dirSize)), mb(maxDirectory), limitAdvice))
	}
	return nil
}

// keptPart reports whether the import needs the part named n (lower case,
// forward slashes): the package's content types and relationships, the
// workbook, its shared strings and its worksheets. Pictures, drawings,
// styles, themes, comments and the rest are left in the file unread.
func keptPart(n string) bool {
	switch {
	case n == "[content_types].xml" || n == "_rels/.rels":
		return true
	case n == "xl/styles.xml" || n == "xl/calcchain.xml":
		return false // parsed at open, not needed for raw cell values
	case strings.HasPrefix(n, "xl/_rels/"):
		return strings.HasSuffix(n, ".rels") && !strings.Contains(n[len("xl/_rels/"):], "/")
	case strings.HasPrefix(n, "xl/worksheets/"):
		return strings.HasSuffix(n, ".xml") && !strings.Contains(n[len("xl/worksheets/"):], "/")
	case strings.HasPrefix(n, "xl/"):
		return strings.HasSuffix(n, ".xml") && !strings.Contains(n[len("xl/"):], "/")
	}
	return false
}

// streamedPart reports whether excelize unpacks the part to a temporary
// file rather than into memory (when it is larger than unzipXMLMemory).
func streamedPart(n string) bool {
	return n == "xl/sharedstrings.xml" || strings.HasPrefix(n, "xl/worksheets/sheet")
}

// partName is the lower-case name with forward slashes that excelize matches parts by.
func partName(f *zip.File) string { return strings.ToLower(strings.ReplaceAll(f.Name, "\\", "/")) }

// keepParts checks the kept parts of the workbook in zr against the limits,
// reading each through xmlGuard, and returns a zip of them alone (their
// packed bytes copied, not packed again) for excelize to open.
func keepParts(zr *zip.Reader) ([]byte, error) {
	var packed, unpacked uint64
	var kept []*zip.File
	for _, f := range zr.File {
		n := partName(f)
		if !keptPart(n) {
			continue
		}
		limit := uint64(maxMemoryPart)
		if streamedPart(n) {
			limit = maxStreamedPart
		}
		size := f.UncompressedSize64
		packed += f.CompressedSize64
		unpacked += size
		switch {
		case size > limit:
			return nil, invalid(fmt.Sprintf("文件中%s解压后有 %s，超过了 %s 的上限。%s", partLabel(n), mb(size), mb(limit), limitAdvice))
		case packed > maxPackedKept:
			return nil, invalid(fmt.Sprintf("文件中的表格压缩后超过了 %s 的上限，不像是团员导入表。%s", mb(maxPackedKept), limitAdvice))
		case unpacked > maxUnpackedKept:
			return nil, invalid(fmt.Sprintf("文件中的表格解压后超过了 %s 的上限，不像是团员导入表。%s", mb(maxUnpackedKept), limitAdvice))
		case size > ratioFloor && size > maxRatio*max(f.CompressedSize64, 1):
			return nil, invalid(fmt.Sprintf("文件中%s解压后是压缩时的 %d 倍（正常的 Excel 文件不超过 %d 倍），里面多半塞满了重复的内容，不是正常保存的 Excel 文件。%s",
				partLabel(n), size/max(f.CompressedSize64, 1), maxRatio, limitAdvice))
		}
		kept = append(kept, f)
	}
	for _, f := range kept {
		if err := guardPart(f); err != nil {
			return nil, err
		}
	}
	var buf bytes.Buffer
	buf.Grow(int(packed) + 64*len(kept) + 1024)
	zw := zip.NewWriter(&buf)
	for _, f := range kept {
		raw, err := f.OpenRaw()
		if err != nil {
			return nil, invalidCause(err, msgCorrupt)
		}
		h := f.FileHeader
		w, err := zw.CreateRaw(&h)
		if err != nil {
			return nil, invalidCause(err, msgCorrupt)
		}
		if _, err := io.Copy(w, raw); err != nil {
			return nil, invalidCause(err, msgCorrupt)
		}
	}
	if err := zw.Close(); err != nil {
		return nil, invalidCause(err, msgCorrupt)
	}
	return buf.Bytes(), nil
}

// partLabel names a part for office staff.
func partLabel(n string) string {
	switch {
	case n == "xl/sharedstrings.xml":
		return "的文字表（共享字符串）"
	case strings.HasPrefix(n, "xl/worksheets/"):
		return "的一张工作表"
	}
	return "的一个部件"
}

// guardPart unpacks one part and reads it through an xmlGuard.
func guardPart(f *zip.File) error {
	rc, err := f.Open()
	if err != nil {
		return invalidCause(err, msgCorrupt)
	}
	defer rc.Close()
	g := newXMLGuard(partName(f))
	buf := make([]byte, 64<<10)
	for {
		n, err := rc.Read(buf)
		if gerr := g.feed(buf[:n]); gerr != nil {
			return gerr
		}
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return invalidCause(err, msgCorrupt) // also a part longer than its directory entry says
		}
	}
}

// xmlGuard reads XML as a stream of bytes and refuses it when a text run
// (a cell's content, or the blanks between tags) is longer than an Excel
// cell can be, a tag is longer than maxTagBytes, elements nest deeper than
// maxDepth, or a worksheet has more rows or a row more cells than Excel
// allows, or the shared strings more items than maxStrings. It keeps no
// more than one tag in memory.
type xmlGuard struct {
	part   string
	sheet  bool
	state  int    // where the scanner is: in text, in a tag, in a comment, CDATA or declaration
	tag    []byte // the current tag's bytes, up to maxTagBytes
	chars  int    // characters of the current text run
	depth  int
	rows   int // row elements seen
	rowNum int // the current row's number as Excel shows it
	cells  int // cell elements in the current row
	items  int // si elements seen
	end    []byte
	match  int // bytes of end matched
}

const (
	inText = iota
	inTag
	inSpecial // a comment, CDATA section, processing instruction or declaration: up to end
)

func newXMLGuard(part string) *xmlGuard {
	return &xmlGuard{part: part, sheet: strings.HasPrefix(part, "xl/worksheets/"), tag: make([]byte, 0, 256)}
}

func (g *xmlGuard) feed(b []byte) error {
	for i := 0; i < len(b); i++ {
		c := b[i]
		switch g.state {
		case inText:
			if c == '<' {
				g.state, g.tag, g.chars = inTag, g.tag[:0], 0
				continue
			}
			if c&0xC0 != 0x80 { // not a UTF-8 continuation byte: a new character
				g.chars++
				if g.chars > maxCellChars {
					return g.tooLong()
				}
			}
		case inTag:
			if len(g.tag) >= maxTagBytes {
				return invalid(fmt.Sprintf("文件中%s有一个标记长达 %d 字节以上，超过了 %d 字节的上限，不是正常保存的 Excel 文件。%s", partLabel(g.part), maxTagBytes, maxTagBytes, limitAdvice))
			}
			g.tag = append(g.tag, c)
			if len(g.tag) == 3 && string(g.tag) == "!--" {
				g.startSpecial("-->")
				continue
			}
			if len(g.tag) == 8 && string(g.tag) == "![CDATA[" {
				g.startSpecial("]]>")
				continue
			}
			if len(g.tag) == 1 && c == '?' {
				g.startSpecial("?>")
				continue
			}
			if c == '>' {
				g.state = inText
				if err := g.element(g.tag[:len(g.tag)-1]); err != nil {
					return err
				}
			}
		case inSpecial:
			if c != '\n' && c&0xC0 != 0x80 { // CDATA is text: count it as a cell's characters
				g.chars++
				if g.chars > maxCellChars {
					return g.tooLong()
				}
			}
			if c == g.end[g.match] {
				g.match++
				if g.match == len(g.end) {
					g.state, g.chars = inText, 0
				}
			} else if c == g.end[0] {
				g.match = 1
			} else {
				g.match = 0
			}
		}
	}
	return nil
}

func (g *xmlGuard) startSpecial(end string) {
	g.state, g.end, g.match, g.chars = inSpecial, []byte(end), 0, 0
}

func (g *xmlGuard) tooLong() error {
	where := partLabel(g.part)
	if g.sheet && g.rowNum > 0 {
		where += fmt.Sprintf("第 %d 行", g.rowNum)
	}
	return invalid(fmt.Sprintf("文件中%s有一个单元格超过了 %d 个字（Excel 单元格最多能放这么多字），不是正常保存的 Excel 文件。%s", where, maxCellChars, limitAdvice))
}

// element counts a start, end or empty-element tag (its bytes without < and >).
func (g *xmlGuard) element(tag []byte) error {
	if len(tag) == 0 || tag[0] == '!' {
		return nil // a DOCTYPE or other declaration
	}
	closing := tag[0] == '/'
	empty := tag[len(tag)-1] == '/'
	name := tag
	if closing {
		name = name[1:]
	}
	if j := bytes.IndexAny(name, " \t\r\n/"); j >= 0 {
		name = name[:j]
	}
	if j := bytes.IndexByte(name, ':'); j >= 0 {
		name = name[j+1:] // a namespace prefix, as in x:row
	}
	if closing {
		g.depth--
		return nil
	}
	if !empty {
		g.depth++
		if g.depth > maxDepth {
			return invalid(fmt.Sprintf("文件中%s的内容嵌套了 %d 层以上，不是正常保存的 Excel 文件。%s", partLabel(g.part), maxDepth, limitAdvice))
		}
	}
	switch {
	case g.sheet && string(name) == "row":
		g.rows++
		g.cells = 0
		g.rowNum = g.rows
		if r := attr(tag, "r"); r != "" {
			if n, err := strconv.Atoi(r); err == nil && n > 0 {
				g.rowNum = n
			}
		}
		if g.rows > maxSheetRows {
			return invalid(fmt.Sprintf("文件中%s有 %d 行以上，超过了 Excel 的 %d 行上限，不是正常保存的 Excel 文件。%s", partLabel(g.part), maxSheetRows, maxSheetRows, limitAdvice))
		}
	case g.sheet && string(name) == "c":
		g.cells++
		if g.cells > maxRowCells {
			return invalid(fmt.Sprintf("文件中%s第 %d 行有 %d 个以上的单元格，超过了 Excel 的 %d 列上限，不是正常保存的 Excel 文件。%s", partLabel(g.part), g.rowNum, maxRowCells, maxRowCells, limitAdvice))
		}
	case !g.sheet && string(name) == "si":
		g.items++
		if g.items > maxStrings {
			return invalid(fmt.Sprintf("文件中%s有 %d 项以上，超过了 %d 项的上限，不像是团员导入表。%s", partLabel(g.part), maxStrings, maxStrings, limitAdvice))
		}
	}
	return nil
}

// attr returns the value of the attribute name in a tag's bytes, "" when absent.
func attr(tag []byte, name string) string {
	for i := 0; i < len(tag); {
		j := bytes.Index(tag[i:], []byte(name+"="))
		if j < 0 {
			return ""
		}
		j += i
		if j > 0 && (tag[j-1] == ' ' || tag[j-1] == '\t' || tag[j-1] == '\n' || tag[j-1] == '\r') && j+len(name)+1 < len(tag) {
			q := tag[j+len(name)+1]
			if q == '"' || q == '\'' {
				rest := tag[j+len(name)+2:]
				if k := bytes.IndexByte(rest, q); k >= 0 {
					return string(rest[:k])
				}
				return ""
			}
		}
		i = j + len(name) + 1
	}
	return ""
}
