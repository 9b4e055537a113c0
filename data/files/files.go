// Package files creates the program's files privately: the store, its
// backups and every export hold full 身份证号 and phone numbers, so on Unix
// folders are made 0700 and files 0600 (on Windows the data lives in the
// user's profile folder, which other users cannot read).
package files

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
)

// Private modes of the program's folders and files.
const (
	DirMode  os.FileMode = 0o700
	FileMode os.FileMode = 0o600
)

// MkdirPrivate creates dir and any missing parents with mode 0700. Folders
// that already exist keep their mode.
func MkdirPrivate(dir string) error {
	if err := os.MkdirAll(dir, DirMode); err != nil {
		return fmt.Errorf("create folder %s: %w", dir, err)
	}
	return nil
}

// Create creates or truncates the file at path with mode 0600; an existing
// file (a save dialog makes one) is made 0600 too.
func Create(path string) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_TRUNC, FileMode)
	if err != nil {
		return nil, err
	}
	if err := MakePrivate(path); err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}

// CreateNew creates the file at path with mode 0600; it fails with
// os.ErrExist when path exists.
func CreateNew(path string) (*os.File, error) {
	return os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, FileMode)
}

// MakePrivate sets path's mode to 0600 on Unix when others may read it.
func MakePrivate(path string) error {
	if runtime.GOOS == "windows" {
		return nil
	}
	fi, err := os.Stat(path)
	if err != nil {
		return err
	}
	if fi.Mode().Perm()&0o077 != 0 {
		if err := os.Chmod(path, FileMode); err != nil {
			return fmt.Errorf("chmod %s: %w", path, err)
		}
	}
	return nil
}

// SyncFile flushes the file at path to disk.
func SyncFile(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return fmt.Errorf("sync %s: %w", path, err)
	}
	return f.Close()
}

// SyncDir flushes a folder's entries (a rename in it) to disk; Windows has
// no such call and needs none.
func SyncDir(dir string) error {
	if runtime.GOOS == "windows" {
		return nil
	}
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("sync %s: %w", dir, err)
	}
	return nil
}

// IsDir reports whether path names an existing folder.
func IsDir(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.IsDir()
}

// Publish moves the finished temporary file tmp to path without replacing
// a file that appeared at path meanwhile (os.ErrExist), and syncs the folder.
func Publish(tmp, path string) error {
	if err := os.Link(tmp, path); err == nil {
		os.Remove(tmp)
	} else if os.IsExist(err) {
		return fmt.Errorf("publish %s: %w", path, os.ErrExist)
	} else {
		// No hard links on this file system: check, then rename.
		if _, err := os.Lstat(path); err == nil {
			return fmt.Errorf("publish %s: %w", path, os.ErrExist)
		}
		if err := os.Rename(tmp, path); err != nil {
			return fmt.Errorf("publish %s: %w", path, err)
		}
	}
	return SyncDir(filepath.Dir(path))
}

// Write writes path through a private temporary file beside it (path +
// ".part"), renamed into place once write and close succeeded, so that a
// failure leaves nothing half-written. The error says which step failed
// (WriteStep) and wraps the cause.
func Write(path string, write func(io.Writer) error) error {
	tmp := path + ".part"
	f, err := Create(tmp)
	if err != nil {
		return &WriteError{Step: StepCreate, Path: path, Err: err}
	}
	if err := write(f); err != nil {
		f.Close()
		os.Remove(tmp)
		return err // the writer's own error, as it gave it
	}
	if err := f.Close(); err != nil {
		os.Remove(tmp)
		return &WriteError{Step: StepClose, Path: path, Err: err}
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return &WriteError{Step: StepRename, Path: path, Err: err}
	}
	return nil
}

// The steps of Write that can fail on their own.
const (
	StepCreate = "create" // the folder is missing or not writable
	StepClose  = "close"  // the data did not reach the disk (full?)
	StepRename = "rename" // the finished file could not be put in place
)

// WriteError is a failed step of Write.
type WriteError struct {
	Step, Path string
	Err        error
}

func (e *WriteError) Error() string { return "write " + e.Path + " (" + e.Step + "): " + e.Err.Error() }

func (e *WriteError) Unwrap() error { return e.Err }
