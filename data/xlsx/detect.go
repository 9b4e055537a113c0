package xlsx

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"strings"
	"unicode/utf8"

	"github.com/richardlehane/mscfb"
	"github.com/xuri/excelize/v2"

	"tuanwu/app"
)

// Limits of what ReadMembers accepts.
const (
	maxFileSize    = 100 << 20 // bytes of the file itself
	unzipXMLMemory = 2 << 20   // larger worksheets and shared strings are unpacked to a temporary file
	sniffSize      = 8 << 10   // bytes looked at to tell the format
)

var (
	oleMagic = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}
	utf8BOM  = []byte{0xEF, 0xBB, 0xBF}
)

// Messages about files that are not a readable .xlsx workbook. Each says
// what the file is and how to turn it into one.
const (
	msgEmpty = "文件是空的（0 字节），里面没有任何内容。请确认选对了文件；如果是刚下载或复制来的文件，请重新下载或复制后再导入。"
	msgXLS   = "这是旧版 Excel 97-2003 格式（.xls）的文件，不能直接导入。请用 Excel 或 WPS 打开它，点“文件 → 另存为”，" +
		"文件类型选“Excel 工作簿（*.xlsx）”，再导入另存的 .xlsx 文件。"
	msgXLSPassword = "这是旧版 Excel 97-2003 格式（.xls）的文件，而且设置了打开密码，不能直接导入。请用 Excel 或 WPS 输入密码打开它，" +
		"先取消打开密码，再点“文件 → 另存为”，文件类型选“Excel 工作簿（*.xlsx）”，然后导入另存的 .xlsx 文件。"
	msgPassword = "这个 Excel 文件设置了打开密码，无法读取。请用 Excel 或 WPS 输入密码打开它，取消打开密码后保存" +
		"（Excel：“文件 → 信息 → 保护工作簿 → 用密码进行加密”，清空密码；WPS：“文件 → 文档加密 → 密码加密”，清空密码），再导入。"
	msgOtherOLE = "这个文件不是 Excel 工作簿，像是 Word、PowerPoint 等其他软件的旧格式文件。请选择按“团员团干部导入模板”填写的 .xlsx 文件。"
	msgText     = "这个文件其实是文本（CSV）文件，只是扩展名是 .xlsx 或 .xls，不能直接导入。请用 Excel 或 WPS 打开它，核对各列内容无误后，" +
		"点“文件 → 另存为”，文件类型选“Excel 工作簿（*.xlsx）”，再导入另存的 .xlsx 文件。"
	msgHTML = "这个文件其实是网页（HTML）格式，只是扩展名是 .xls 或 .xlsx（很多网站和系统导出的“Excel”就是这种格式），不能直接导入。" +
		"请用 Excel 或 WPS 打开它，点“文件 → 另存为”，文件类型选“Excel 工作簿（*.xlsx）”，再导入另存的 .xlsx 文件。"
	msgXML2003 = "这是 Excel 2003 XML 表格格式的文件，不能直接导入。请用 Excel 或 WPS 打开它，点“文件 → 另存为”，" +
		"文件类型选“Excel 工作簿（*.xlsx）”，再导入另存的 .xlsx 文件。"
	msgJunk = "这个文件不是有效的 Excel 文件（.xlsx），可能已经损坏，或者根本不是表格文件。请用 Excel 或 WPS 打开确认：" +
		"能打开的话，请点“文件 → 另存为”保存成 .xlsx 后再导入；打不开的话，请重新获取这个文件。"
	msgZip  = "这个文件是一个压缩包（zip），不是 Excel 工作簿。请先解压，再选择其中按“团员团干部导入模板”填写的 .xlsx 文件。"
	msgDocx = "这是 Word 文档（.docx），不是 Excel 表格。请选择按“团员团干部导入模板”填写的 .xlsx 文件。"
	msgPptx = "这是 PowerPoint 演示文稿（.pptx），不是 Excel 表格。请选择按“团员团干部导入模板”填写的 .xlsx 文件。"
	msgODS  = "这是 OpenDocument 表格（.ods）格式的文件，不能直接导入。请用 WPS、LibreOffice 或 Excel 打开它，点“文件 → 另存为”，" +
		"文件类型选“Excel 工作簿（*.xlsx）”，再导入另存的 .xlsx 文件。"
	msgXLSB = "这是 Excel 二进制工作簿（.xlsb），不能直接导入。请用 Excel 打开它，点“文件 → 另存为”，" +
		"文件类型选“Excel 工作簿（*.xlsx）”，再导入另存的 .xlsx 文件。"
	msgCorrupt = "文件已损坏，无法读取其中的表格。请用 Excel 或 WPS 打开它，点“文件 → 另存为”保存成新的 .xlsx 文件后再导入；" +
		"打不开的话，请重新获取这个文件。"
)

func invalid(msg string) error { return &app.Error{Code: app.EInvalid, Message: msg} }

func invalidCause(cause error, msg string) error {
	return &app.Error{Code: app.EInvalid, Message: msg, Err: cause}
}

// openWorkbook tells the format of the file in r before parsing it and
// opens it when it is an .xlsx workbook. Anything else gives an *app.Error
// with code EInvalid saying what the file is and how to save it as .xlsx.
// Files that are neither zip nor OLE2 are refused after their first bytes.
// A file (or any reader with ReadAt and a size) is read where it lies; only
// another reader is read into memory, up to maxFileSize. A workbook is
// checked against the limits of guard.go before excelize parses it, and
// excelize gets only the parts the import reads, with its temporary files
// in tmpDir.
func openWorkbook(r io.Reader, tmpDir string) (*excelize.File, error) {
	ra, size, err := readerAt(r)
	if err != nil {
		return nil, err
	}
	head := make([]byte, min(size, sniffSize))
	if _, err := ra.ReadAt(head, 0); err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("read the start of the file: %w", err)
	}
	switch {
	case len(head) == 0:
		return nil, invalid(msgEmpty)
	case bytes.HasPrefix(head, oleMagic):
		return nil, invalid(oleKind(ra))
	case isZip(head):
		if err := checkDirectory(ra, size); err != nil {
			return nil, err
		}
		zr, err := zip.NewReader(ra, size)
		if err != nil {
			return nil, invalidCause(err, msgJunk)
		}
		if msg := zipKind(zr); msg != "" {
			return nil, invalid(msg)
		}
		b, err := keepParts(zr)
		if err != nil {
			return nil, err
		}
		f, err := excelize.OpenReader(bytes.NewReader(b), excelize.Options{
			RawCellValue: true, UnzipSizeLimit: maxUnpackedKept, UnzipXMLSizeLimit: unzipXMLMemory, TmpDir: tmpDir,
		})
		if err != nil {
			if f != nil {
				f.Close()
			}
			return nil, invalidCause(err, msgCorrupt)
		}
		return f, nil
	}
	return nil, invalid(textKind(head))
}

func isZip(head []byte) bool {
	return len(head) >= 4 && head[0] == 'P' && head[1] == 'K' &&
		((head[2] == 3 && head[3] == 4) || (head[2] == 5 && head[3] == 6) || (head[2] == 7 && head[3] == 8))
}

// readerAt returns r as an io.ReaderAt with its size, refusing a file
// larger than maxFileSize before reading it. A reader that cannot read at
// an offset is read into memory, up to maxFileSize.
func readerAt(r io.Reader) (io.ReaderAt, int64, error) {
	var size int64 = -1
	ra, ok := r.(io.ReaderAt)
	switch s := r.(type) {
	case interface{ Stat() (fs.FileInfo, error) }:
		if fi, err := s.Stat(); err == nil && fi.Mode().IsRegular() {
			size = fi.Size()
		}
	case interface{ Size() int64 }:
		size = s.Size()
	}
	if !ok || size < 0 {
		b, err := io.ReadAll(io.LimitReader(r, maxFileSize+1))
		if err != nil {
			return nil, 0, fmt.Errorf("read the file: %w", err)
		}
		ra, size = bytes.NewReader(b), int64(len(b))
	}
	if size > maxFileSize {
		return nil, 0, invalid(fmt.Sprintf("文件有 %s，超过了导入文件 %s 的上限，不像是团员导入表。请确认选对了文件；团员很多时，请按“团员团干部导入模板”分成几个文件（每个不超过 100000 行）分别导入。",
			mb(uint64(size)), mb(maxFileSize)))
	}
	return ra, size, nil
}

// oleKind returns the message for an OLE2 compound file: an old .xls
// workbook, a workbook encrypted with an open password, or another program's file.
func oleKind(r io.ReaderAt) string {
	doc, err := mscfb.New(r)
	if err != nil {
		return msgJunk
	}
	kind := msgOtherOLE
	for {
		e, err := doc.Next()
		if err != nil {
			break
		}
		switch e.Name {
		case "EncryptionInfo", "EncryptedPackage":
			return msgPassword
		case "Workbook", "Book":
			kind = msgXLS
			if biffHasFilePass(e) {
				kind = msgXLSPassword
			}
		}
	}
	return kind
}

// biffHasFilePass reports whether a BIFF workbook stream starts with a
// FILEPASS record (0x002F), which marks an .xls with an open password.
func biffHasFilePass(stream io.Reader) bool {
	buf := make([]byte, 4)
	for i := 0; i < 8; i++ {
		if _, err := io.ReadFull(stream, buf); err != nil {
			return false
		}
		typ, size := int(buf[0])|int(buf[1])<<8, int(buf[2])|int(buf[3])<<8
		if typ == 0x002F {
			return true
		}
		if _, err := io.CopyN(io.Discard, stream, int64(size)); err != nil {
			return false
		}
	}
	return false
}

// zipKind returns "" for a zip that holds an .xlsx workbook and a message
// for any other zip.
func zipKind(zr *zip.Reader) string {
	names := map[string]bool{}
	for _, f := range zr.File {
		names[strings.ToLower(strings.ReplaceAll(f.Name, "\\", "/"))] = true
	}
	switch {
	case names["xl/workbook.xml"]:
		return ""
	case names["xl/workbook.bin"]:
		return msgXLSB
	case names["word/document.xml"]:
		return msgDocx
	case names["ppt/presentation.xml"]:
		return msgPptx
	case names["content.xml"] && names["mimetype"]:
		for _, f := range zr.File {
			if f.Name == "mimetype" && f.UncompressedSize64 < 200 {
				if rc, err := f.Open(); err == nil {
					mt, _ := io.ReadAll(rc)
					rc.Close()
					if strings.Contains(string(mt), "spreadsheet") {
						return msgODS
					}
				}
			}
		}
		return msgZip
	case names["[content_types].xml"]:
		return msgCorrupt
	}
	return msgZip
}

// textKind returns the message for a file that starts with neither zip nor
// OLE2 magic: a text, CSV, HTML or XML file renamed, or junk.
func textKind(head []byte) string {
	if len(head) >= 2 && (head[0] == 0xFF && head[1] == 0xFE || head[0] == 0xFE && head[1] == 0xFF) {
		return msgText // UTF-16 "Unicode 文本", as Excel saves it
	}
	head = bytes.TrimPrefix(head, utf8BOM)
	if !looksLikeText(head) {
		return msgJunk
	}
	lower := strings.ToLower(string(bytes.TrimSpace(head)))
	switch {
	case strings.Contains(lower, "urn:schemas-microsoft-com:office:spreadsheet") || strings.Contains(lower, `progid="excel.sheet"`):
		return msgXML2003
	case strings.HasPrefix(lower, "<") && (strings.Contains(lower, "<html") || strings.Contains(lower, "<table") || strings.Contains(lower, "<!doctype html")):
		return msgHTML
	}
	return msgText
}

// looksLikeText reports whether b reads as text: no NUL bytes and almost no
// control characters. Text in GBK is accepted as well as UTF-8.
func looksLikeText(b []byte) bool {
	if len(b) == 0 {
		return false
	}
	control, invalidRunes := 0, 0
	for i := 0; i < len(b); {
		c := b[i]
		if c == 0 {
			return false
		}
		if c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' {
			control++
		}
		if c < utf8.RuneSelf {
			i++
			continue
		}
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n <= 1 {
			invalidRunes++
			// A GBK character is two bytes: a lead byte 0x81-0xFE and a
			// trail byte 0x40-0xFE except 0x7F.
			if i+1 < len(b) && c >= 0x81 && c <= 0xFE && b[i+1] >= 0x40 && b[i+1] <= 0xFE && b[i+1] != 0x7F {
				invalidRunes--
				i += 2
				continue
			}
			i++
			continue
		}
		i += n
	}
	return control*100 <= len(b) && invalidRunes*20 <= len(b)
}
