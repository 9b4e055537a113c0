package datatest

import (
	"path/filepath"
	"testing"
	"time"
)

func TestBuildTime(t *testing.T) {
	if testing.Short() || !testing.Verbose() {
		t.Skip("timing only with -v")
	}
	start := time.Now()
	if err := Build(filepath.Join(t.TempDir(), "b.db"), 200000); err != nil {
		t.Fatal(err)
	}
	t.Logf("200k: %v", time.Since(start))
}
