package ui

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"tuanwu/app"
	"tuanwu/data/datatest"
)

// benchMain builds the signed-in main window b.N times over svc.
func benchMain(b *testing.B, svc *app.Service, sess *app.Session) {
	a := test.NewTempApp(b)
	w := a.NewWindow("团务台")
	w.Resize(fyne.NewSize(1200, 780))
	u := New(a, w, func(string) (*app.Service, error) { return svc, nil }, svc.Store.Path())
	u.Sync = true
	u.svc = svc
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		u.showMain(sess)
		if u.main.page.org.ID == 0 {
			b.Fatal("no organization selected")
		}
	}
}

// BenchmarkMainWindow1M builds the signed-in main window over a
// 1,000,000-member store; compare with BenchmarkMainWindowEmpty.
func BenchmarkMainWindow1M(b *testing.B) {
	svc, sess := datatest.Open(b, datatest.Store1M(b))
	benchMain(b, svc, sess)
}

// BenchmarkMainWindowEmpty builds it over a store with only its root.
func BenchmarkMainWindowEmpty(b *testing.B) {
	svc, sess := datatest.Open(b, datatest.Empty(b))
	benchMain(b, svc, sess)
}
