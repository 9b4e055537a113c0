package cli_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"tuanwu/ui/cli"
)

// Issue 12, item 6: docs/命令行.md ships with the program and says what
// `tuanwu help COMMAND` says, for every command.
func TestDocsFollowTheHelp(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "..", "docs", "命令行.md"))
	if err != nil {
		t.Fatal(err)
	}
	doc := string(b)
	for _, c := range cli.Commands {
		h := newHarness(t)
		r := h.raw("help", c)
		if r.code != 0 {
			t.Fatalf("help %s: %s", c, r)
		}
		var want []string
		for _, line := range strings.Split(strings.TrimRight(r.stdout, "\n"), "\n") {
			if !strings.HasPrefix(line, "全局参数 --db") {
				want = append(want, line)
			}
		}
		block := "### " + c + "\n\n```\n" + strings.Join(want, "\n") + "\n```"
		if !strings.Contains(doc, block) {
			t.Errorf("docs/命令行.md lacks the help of %s as tuanwu help %s prints it:\n%s", c, c, block)
		}
	}
}
