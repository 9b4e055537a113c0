//go:build unix

package files

import "syscall"

// PrivateUmask makes every file and folder the process creates from now on
// private to the user (umask 077), whoever creates it (SQLite, Excel's
// temporary files, the file dialogs).
func PrivateUmask() { syscall.Umask(0o077) }
