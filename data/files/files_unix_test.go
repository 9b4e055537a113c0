//go:build unix

package files

import (
	"os"
	"path/filepath"
	"testing"
)

// Issue 10, item 4: a file the program writes is 0600, also when a save
// dialog made it first with 0644; a new folder is 0700.
func TestCreatePrivate(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "new", "sub")
	if err := MkdirPrivate(dir); err != nil {
		t.Fatal(err)
	}
	if fi, _ := os.Stat(dir); fi.Mode().Perm() != 0o700 {
		t.Errorf("folder mode %v", fi.Mode().Perm())
	}
	path := filepath.Join(dir, "名册.xlsx")
	if err := os.WriteFile(path, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	os.Chmod(path, 0o644)
	f, err := Create(path)
	if err != nil {
		t.Fatal(err)
	}
	f.Close()
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o600 {
		t.Errorf("file mode %v, want 0600", fi.Mode().Perm())
	}
}
