package app

import (
	"io"
	"time"
)

// Codecs are the file encoders and decoders the use cases' callers need
// (Excel in data/xlsx, PDF in print). main wires them once and gives the
// same set to the window and to the headless commands, so that neither
// imports the formats.
type Codecs struct {
	ReadMembers         func(r io.Reader, now time.Time) ([]ImportRow, error)
	WriteTemplate       func(w io.Writer) error
	WriteRoster         func(w io.Writer, title string, members func(yield func(Member) bool), maskIDs bool, now time.Time) error
	WriteErrorReport    func(w io.Writer, rows []ErrorReportRow) error
	WriteUnmarked       func(w io.Writer, branches []UnmarkedBranch) error
	WriteAbroadRegister func(w io.Writer, rows []AbroadRow) error
	WriteGraduates      func(w io.Writer, rep GradReport) error
	WriteLetters        func(w io.Writer, letters []Letter) error
	WriteImportProblems func(w io.Writer, rows []ImportRow) error
}
