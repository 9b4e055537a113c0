package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"
)

// column is a table column: its header and width.
type column struct {
	title string
	width float32
}

// newTable returns a virtualized table of labels with a header row, one
// label per cell, filled by update (which is given the cell's
// *widget.Label). Organization paths too long for their column are elided
// in the middle, keeping the branch (pathLabel).
func newTable(cols []column, rows func() int, update func(id widget.TableCellID, o fyne.CanvasObject)) *widget.Table {
	return newHintTable(cols, rows, update, nil)
}

// newHintTable is newTable whose elided paths are shown whole on hint
// while the pointer rests on them.
func newHintTable(cols []column, rows func() int, update func(id widget.TableCellID, o fyne.CanvasObject), hint *hoverHint) *widget.Table {
	t := widget.NewTableWithHeaders(
		func() (int, int) { return rows(), len(cols) },
		func() fyne.CanvasObject { return newPathLabel(hint) },
		func(id widget.TableCellID, o fyne.CanvasObject) { update(id, &o.(*pathLabel).Label) })
	t.ShowHeaderColumn = false
	t.CreateHeader = func() fyne.CanvasObject { return widget.NewLabel("") }
	t.UpdateHeader = func(id widget.TableCellID, o fyne.CanvasObject) {
		if id.Row < 0 && id.Col >= 0 {
			o.(*widget.Label).SetText(cols[id.Col].title)
		}
	}
	for i, c := range cols {
		t.SetColumnWidth(i, c.width)
	}
	return t
}
