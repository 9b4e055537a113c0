//go:build !unix

package xlsx

// processAlive cannot tell here: a folder is removed once it is older than
// staleAge (on Windows, files a running import holds open cannot be removed).
func processAlive(pid int) bool { return pid > 0 }
