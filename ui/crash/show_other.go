//go:build !windows

package crash

import (
	"fmt"
	"os"
)

// Show tells the user msg: on Linux and macOS on stderr (a terminal, or the
// desktop's session log when started from a launcher).
func Show(title, msg string) {
	fmt.Fprintln(os.Stderr, title+"："+msg)
}
