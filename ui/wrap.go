package ui

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
)

// Chinese line breaking for the message dialogs (issue 11). Fyne's
// TextWrapWord breaks at spaces only and cuts a longer run anywhere, so
// “共 778 名团员……” could leave “778” alone on a line, and a line could
// start with “。” or “、”. wrapChinese breaks the text itself, by the
// usual rules (禁则): a line may break between any two Chinese characters
// and at a space, never inside a run of Latin letters and digits (a
// number, a date, a file name) unless the run alone is wider than a line;
// closing punctuation (，。、；：！？）」… and the like) never starts a
// line and opening punctuation (（「“《…) never ends one: each stays with
// its neighbour. The dialogs get text already broken to fit, so Fyne has
// nothing left to break.

// noLineStart may not begin a line; noLineEnd may not end one.
const (
	noLineStart = "，。、；：！？）」』”’》〉】〕…—·%％,.;:!?)]}>"
	noLineEnd   = "（「『“‘《〈【〔([{<"
)

// wrapChinese breaks text into lines no wider than width, measured by
// measure; the text's own line breaks stay.
func wrapChinese(text string, width float32, measure func(string) float32) string {
	paras := strings.Split(text, "\n")
	for i, p := range paras {
		paras[i] = strings.Join(wrapLine(p, width, measure), "\n")
	}
	return strings.Join(paras, "\n")
}

// unit is what cannot be broken: a Chinese character or a run of Latin
// letters and digits, with the punctuation that must stay beside it;
// space: a space came before it (a break there drops the space).
type unit struct {
	text  string
	space bool
}

func units(s string) []unit {
	var out []unit
	space := false
	glueNext := false // the last unit ends with opening punctuation
	for len(s) > 0 {
		r, n := utf8.DecodeRuneInString(s)
		if r == ' ' || r == '\t' {
			space = true
			s = s[n:]
			continue
		}
		tok := s[:n]
		if isWordRune(r) || strings.ContainsRune("/\\~", r) && isWordRuneAt(s[n:]) {
			end := n
			for end < len(s) {
				r2, n2 := utf8.DecodeRuneInString(s[end:])
				if !isWordRune(r2) && !(strings.ContainsRune(".:/-_@", r2) && end+n2 < len(s) && isWordRuneAt(s[end+n2:])) {
					break
				}
				end += n2
			}
			tok = s[:end]
		}
		s = s[len(tok):]
		switch {
		case len(out) > 0 && !space && (glueNext || strings.ContainsRune(noLineStart, r)):
			out[len(out)-1].text += tok
		case len(out) > 0 && space && glueNext:
			out[len(out)-1].text += " " + tok
		default:
			out = append(out, unit{text: tok, space: space})
		}
		last, _ := utf8.DecodeLastRuneInString(tok)
		glueNext = strings.ContainsRune(noLineEnd, last)
		space = false
	}
	return out
}

func isWordRune(r rune) bool {
	return r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)) || unicode.Is(unicode.Latin, r)
}

func isWordRuneAt(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return isWordRune(r)
}

func wrapLine(p string, width float32, measure func(string) float32) []string {
	var lines []string
	line := ""
	for _, u := range units(p) {
		cand := u.text
		if line != "" {
			if u.space {
				cand = line + " " + u.text
			} else {
				cand = line + u.text
			}
		}
		if line == "" || measure(cand) <= width {
			line = cand
		} else {
			lines = append(lines, line)
			line = u.text
		}
		// A unit wider than a line alone (a long path) is cut where it must be.
		for measure(line) > width && utf8.RuneCountInString(line) > 1 {
			cut := fitPrefix(line, width, measure)
			lines = append(lines, line[:cut])
			line = line[cut:]
		}
	}
	if line != "" || len(lines) == 0 {
		lines = append(lines, line)
	}
	return lines
}

// fitPrefix is the length in bytes of the longest prefix of s no wider than
// width (at least one rune).
func fitPrefix(s string, width float32, measure func(string) float32) int {
	end := 0
	for i, r := range s {
		if i > 0 && measure(s[:i+utf8.RuneLen(r)]) > width {
			break
		}
		end = i + utf8.RuneLen(r)
	}
	return end
}

// measureText is the width of s in the theme's text.
func measureText(s string) float32 {
	return fyne.MeasureText(s, theme.TextSize(), fyne.TextStyle{}).Width
}

// messageWidth is the width a message dialog's text may take in win: Fyne
// makes such a dialog at most 600 wide and 90 % of the window, less its
// padding.
func messageWidth(win fyne.Window) float32 {
	w := float32(600)
	if c := win.Canvas().Size(); c.Width > 0 {
		w = min(w, c.Width*0.9)
	}
	return max(w-2*theme.InnerPadding()-6*theme.Padding(), 120)
}

// showInfo is dialog.ShowInformation with the message broken by wrapChinese.
func showInfo(title, msg string, win fyne.Window) {
	dialog.ShowInformation(title, wrapChinese(msg, messageWidth(win), measureText), win)
}

// showErrorDialog is dialog.ShowError with the message broken by wrapChinese.
func showErrorDialog(err error, win fyne.Window) {
	dialog.ShowError(userError(wrapChinese(err.Error(), messageWidth(win), measureText)), win)
}
