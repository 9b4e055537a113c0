package data_test

import (
	"io"
	"runtime"
	"runtime/debug"
	"sync/atomic"
	"testing"
	"time"

	"tuanwu/app"
	"tuanwu/data/datatest"
	"tuanwu/data/xlsx"
)

// The biggest export (issue 14): the whole school's 团员名册 of the
// 1,000,000-member store (700,000 members in the League) written as Excel,
// on PostgreSQL and beside it on SQLite. peak-MB is the peak Go heap
// (in use, sampled every 5 ms) above what it was before the export: the
// rows held by the store's reads plus the workbook writer's buffers.
// BenchmarkWalkRoster1M… walk the same roster without the workbook: the
// store's part alone.

func benchExportMembers(b *testing.B, loc string) { benchRoster(b, loc, true) }

// benchRoster walks the roster; with toExcel into xlsx.WriteRoster, else
// only counting (the store's part of the export alone).
func benchRoster(b *testing.B, loc string, toExcel bool) {
	svc, sess := datatest.Open(b, loc)
	ctx := b.Context()
	var peak uint64
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		debug.FreeOSMemory()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		base := ms.HeapInuse
		var top atomic.Uint64
		stop, done := make(chan struct{}), make(chan struct{})
		go func() {
			defer close(done)
			var ms runtime.MemStats
			tick := time.NewTicker(5 * time.Millisecond)
			defer tick.Stop()
			for {
				runtime.ReadMemStats(&ms)
				if ms.HeapInuse > top.Load() {
					top.Store(ms.HeapInuse)
				}
				select {
				case <-stop:
					return
				case <-tick.C:
				}
			}
		}()
		b.StartTimer()
		n := 0
		var walkErr error
		members := func(yield func(app.Member) bool) {
			_, walkErr = svc.ExportRoster(ctx, sess, sess.Orgs[0].ID, false, func(m app.Member) error {
				n++
				if !yield(m) {
					return io.EOF
				}
				return nil
			})
		}
		if toExcel {
			if err := xlsx.WriteRoster(io.Discard, "团员名册", members, xlsx.RosterOptions{MaskIDs: true, Now: datatest.Now}); err != nil {
				b.Fatal(err)
			}
		} else {
			members(func(app.Member) bool { return true })
		}
		if walkErr != nil {
			b.Fatal(walkErr)
		}
		b.StopTimer()
		close(stop)
		<-done
		if top.Load() > base {
			peak = max(peak, top.Load()-base)
		}
		if n < 500_000 {
			b.Fatalf("exported %d members", n)
		}
		b.StartTimer()
	}
	b.ReportMetric(float64(peak)/(1<<20), "peak-MB")
}

func BenchmarkExportMembers1M_PG(b *testing.B) { benchExportMembers(b, datatest.StorePG1M(b)) }

func BenchmarkExportMembers1M(b *testing.B) { benchExportMembers(b, datatest.Store1M(b)) }

func BenchmarkWalkRoster1M_PG(b *testing.B) { benchRoster(b, datatest.StorePG1M(b), false) }

func BenchmarkWalkRoster1M(b *testing.B) { benchRoster(b, datatest.Store1M(b), false) }
