//go:build !unix

package files

// PrivateUmask does nothing where there is no umask (Windows: the data lives
// in the user's profile folder).
func PrivateUmask() {}
