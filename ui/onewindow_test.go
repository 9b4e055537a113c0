package ui

import (
	"path/filepath"
	"strings"
	"testing"
	"tuanwu/data/pgtest"

	"fyne.io/fyne/v2/test"
)

// TestSecondWindowOnSameStore_Issue11Item6: a second window on a store a
// window holds does not open it: it says so and offers to bring the first
// forward; once the first has closed, 重试 opens the store.
func TestSecondWindowOnSameStore_Issue11Item6(t *testing.T) {
	pgtest.SQLiteOnly(t, "one window per data file: a lock beside the file (a server store is shared by design); the SQLite run covers it")
	a := test.NewTempApp(t)
	path := filepath.Join(t.TempDir(), "t.db")
	start := func() *UI {
		u := New(a, a.NewWindow("团务台"), opener(t), path)
		u.Sync, u.OneWindow = true, true
		u.Start()
		return u
	}
	first := start()
	t.Cleanup(first.releaseLock)
	if first.already != nil || first.setup == nil {
		t.Fatal("the first window did not open the store")
	}
	second := start()
	if second.already == nil || second.svc != nil {
		t.Fatal("the second window opened the store too")
	}
	if texts := strings.Join(shownTexts(second.Win.Content()), " "); !strings.Contains(texts, "团务台已经打开了这个数据文件") || !strings.Contains(texts, "切换到已打开的窗口") {
		t.Errorf("the second window says: %s", texts)
	}
	if err := second.already.other.Raise(); err != nil {
		t.Errorf("the first window does not answer: %v", err)
	}
	first.releaseLock() // the first window closes
	test.Tap(findButton(second.Win.Canvas(), "重试"))
	if second.svc == nil || second.setup == nil {
		t.Fatal("重试 did not open the store once it was free")
	}
	second.releaseLock()
}
