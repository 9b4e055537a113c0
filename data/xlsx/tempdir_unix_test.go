//go:build unix

package xlsx_test

import (
	"bytes"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"tuanwu/data/xlsx"
)

// An import killed while it reads leaves its temporary files in the
// program's own folder, never in the system's temporary folder, and the
// next import removes them (issue 10, item 11: 57 killed imports had left
// 43 MB in /tmp).
func TestReadMembers_TempFilesOfKilledImport_Issue10(t *testing.T) {
	cache, sysTmp := t.TempDir(), t.TempDir()
	t.Setenv("XDG_CACHE_HOME", cache) // os.UserCacheDir on Linux and BSD
	t.Setenv("HOME", cache)           // and on macOS: ~/Library/Caches
	t.Setenv("TMPDIR", sysTmp)        // os.TempDir
	base := filepath.Join(cache, "tuanwu", "import-tmp")
	if _, err := os.UserCacheDir(); err != nil {
		t.Skip("no user cache folder here")
	}
	if c, _ := os.UserCacheDir(); !strings.HasPrefix(c, cache) {
		t.Skipf("user cache folder %s is not under the test's", c)
	}

	// A valid file whose sheet (50,000 rows) excelize unpacks to a temporary file.
	path := filepath.Join(t.TempDir(), "big.xlsx")
	var buf bytes.Buffer
	if err := writeZip(&buf, workbook(func(w io.Writer) error {
		for r := 2; r < 50_002; r++ {
			if _, err := io.WriteString(w, goodRowXML(r)); err != nil {
				return err
			}
		}
		return nil
	})); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}

	cmd := exec.Command(os.Args[0], "-test.run=^TestReadMembersChild$")
	cmd.Env = append(os.Environ(), "TUANWU_CHILD_READ="+path)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	left := ""
	for deadline := time.Now().Add(20 * time.Second); left == "" && time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		files, _ := filepath.Glob(filepath.Join(base, "import-*", "excelize-*"))
		if len(files) > 0 {
			left = filepath.Dir(files[0])
		}
	}
	cmd.Process.Signal(syscall.SIGKILL)
	cmd.Wait()
	if left == "" {
		t.Fatalf("the killed import wrote no temporary file in %s", base)
	}
	if files, _ := filepath.Glob(filepath.Join(sysTmp, "*")); len(files) > 0 {
		t.Errorf("temporary files in the system's folder: %v", files)
	}
	if _, err := os.Stat(left); err != nil {
		t.Fatalf("the killed import's folder %s is already gone: %v", left, err)
	}

	// A folder of a live process (the test's parent) that is fresh stays.
	live := filepath.Join(base, "import-"+itoa(os.Getppid())+"-1")
	if err := os.MkdirAll(live, 0o700); err != nil {
		t.Fatal(err)
	}
	if _, err := xlsx.ReadMembers(bytes.NewReader(filledTemplate(t, genMembers(2, 5), "")), testNow); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(left); !os.IsNotExist(err) {
		t.Errorf("the next import left the killed import's folder %s (%v)", left, err)
	}
	if _, err := os.Stat(live); err != nil {
		t.Errorf("the next import removed a running import's folder: %v", err)
	}
	if dirs, _ := filepath.Glob(filepath.Join(base, "import-"+itoa(os.Getpid())+"-*")); len(dirs) > 0 {
		t.Errorf("the import left its own folder: %v", dirs)
	}
}
