package app

import (
	"fmt"
	"strings"
	"unicode"
)

// CleanText trims a name or a one-line text field the user typed and
// refuses characters that do not show but change what is shown: C0 and C1
// control characters (a terminal obeys their escape sequences), bidi
// embeddings, overrides, isolates and marks (they reorder what follows),
// zero-width and other format characters (a name that looks the same but is
// not), and line or paragraph separators. field names the field in the
// message, which says at which character (counted after trimming) the first
// such character stands (issue 10, item 7).
func CleanText(field, s string) (string, error) {
	return cleanText(field, s, false)
}

// CleanLines is CleanText for a multi-line text (a remark, a reason typed in
// a multi-line box): line breaks are kept, as "\n".
func CleanLines(field, s string) (string, error) {
	return cleanText(field, strings.ReplaceAll(s, "\r\n", "\n"), true)
}

func cleanText(field, s string, lines bool) (string, error) {
	s = strings.TrimSpace(s)
	pos := 0
	for _, r := range s {
		pos++
		if lines && r == '\n' {
			continue
		}
		if what := invisible(r); what != "" {
			return s, Errorf(EInvalid, "%s第 %d 个字符是%s（%s），请删除后重新输入。", field, pos, what, codePoint(r))
		}
	}
	return s, nil
}

// invisible names the kind of an invisible character, "" for a visible one.
func invisible(r rune) string {
	switch {
	case r == '\n' || r == '\r' || r == '\t' || r == '\v' || r == '\f':
		return "换行、制表等不可见的控制字符"
	case r == utf8RuneError:
		return "无法识别的字符（编码错误）"
	case unicode.Is(unicode.Cc, r): // C0, DEL, C1
		return "不可见的控制字符"
	case r == 0x061C || r == 0x200E || r == 0x200F || (r >= 0x202A && r <= 0x202E) || (r >= 0x2066 && r <= 0x2069):
		return "不可见的文字方向控制字符"
	case r == 0x200B || r == 0x200C || r == 0x200D || r == 0x2060 || r == 0xFEFF || r == 0x180E:
		return "不可见的零宽字符"
	case r == 0x2028 || r == 0x2029:
		return "不可见的换行符"
	case unicode.Is(unicode.Cf, r): // soft hyphen, invisible operators, tags …
		return "不可见的格式字符"
	}
	return ""
}

const utf8RuneError = '\uFFFD'

func codePoint(r rune) string { return fmt.Sprintf("U+%04X", r) }
