package xlsx

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// staleAge is how old a folder of temporary files must be before it is
// removed even though the process that made it may still run: an import
// reads its file in seconds.
const staleAge = time.Hour

// importTempDir makes the folder for the temporary files excelize writes
// while one import reads a large sheet: import-<pid>-<random> in
// <user cache folder>/tuanwu/import-tmp (~/.cache on Linux, %LocalAppData%
// on Windows, ~/Library/Caches on macOS), private to the user. Before
// that, it removes the folders that imports of processes no longer running
// left behind (a program killed during an import leaves its files). done
// removes the folder.
func importTempDir() (dir string, done func(), err error) {
	base := ""
	if c, err := os.UserCacheDir(); err == nil {
		base = filepath.Join(c, "tuanwu", "import-tmp")
		if err := os.MkdirAll(base, 0o700); err != nil {
			base = ""
		}
	}
	if base == "" {
		base = os.TempDir()
	} else {
		cleanStale(base)
	}
	dir, err = os.MkdirTemp(base, fmt.Sprintf("import-%d-", os.Getpid()))
	if err != nil {
		return "", nil, fmt.Errorf("make a folder for temporary files: %w", err)
	}
	return dir, func() { os.RemoveAll(dir) }, nil
}

// cleanStale removes the import-<pid>-* folders in base whose process is
// gone, or that are older than staleAge.
func cleanStale(base string) {
	entries, err := os.ReadDir(base)
	if err != nil {
		return
	}
	for _, e := range entries {
		rest, ok := strings.CutPrefix(e.Name(), "import-")
		if !ok {
			continue
		}
		pidText, _, _ := strings.Cut(rest, "-")
		pid, err := strconv.Atoi(pidText)
		old := true
		if info, err := e.Info(); err == nil {
			old = time.Since(info.ModTime()) > staleAge
		}
		if err == nil && pid == os.Getpid() && !old {
			continue // another import of this process, still reading
		}
		if err == nil && processAlive(pid) && !old {
			continue
		}
		os.RemoveAll(filepath.Join(base, e.Name()))
	}
}
