package app_test

import (
	"testing"

	"tuanwu/app"
)

// BenchmarkPasswordHash measures one argon2id hash with the parameters of
// app.HashPassword (m=19 MiB, t=2, p=1). Issue 3 wants 50 ms to 500 ms per
// hash on the office machine: slow enough against guessing, fast enough for
// a sign-in that runs off the UI goroutine. Run with
//
//	go test -run '^$' -bench PasswordHash ./app/
func BenchmarkPasswordHash(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := app.HashPassword("Tuanwu#2025"); err != nil {
			b.Fatal(err)
		}
	}
	if b.N > 0 {
		b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/op")
	}
}
