package cli_test

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"tuanwu/app"
	"tuanwu/ui/cli"
)

// FuzzRun: any command line, run with a store that cannot be opened, so
// that only the argument parsing of every command runs and nothing is
// written. Run never panics; its exit status is 0, 1 or 2; a refusal or a
// usage error says why on stderr in a Chinese sentence; and no file appears.
func FuzzRun(f *testing.F) {
	for _, s := range []string{
		"version", "--json\nversion", "init\n--org\n某大学团委\n--province\n浙江\n--admin-name\n张三\n--admin-id\n330106198805120015",
		"member\nimport\n文件.xlsx\n--org\n浙江明理大学团委/法学院团委\n--skip-bad", "member\nadd\n--org\n1\n--name\n王小红\n--id\n330106200101010023\n--field\n民族=汉族",
		"org\nlist\n--under\n浙江明理大学团委/法学院团委", "--now\n2026-13-45\nsweep", "--db", "transfer\nstart\n1\n--reason\n升学\n--to\nA/B",
		"letter\n1\n--out\nx.pdf\n--valid-days\n-3", "grad\nmark\nA\n--month\n2027-06", "--as\n330106198805120015\npasswd", "", "member", "--json",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		args := strings.FieldsFunc(s, func(r rune) bool { return r == 0 || r == '\n' })
		dir := t.TempDir()
		t.Chdir(dir)
		var out, errb bytes.Buffer
		env := cli.Env{
			Stdout: &out, Stderr: &errb,
			Getenv: func(k string) string {
				if k == "TUANWU_PASSWORD" || k == "TUANWU_NEW_PASSWORD" {
					return "Demo-2026!"
				}
				return ""
			},
			OpenStore: func(string) (app.Store, error) {
				return nil, app.Errorf(app.EInvalid, "测试中不打开数据文件。")
			},
		}
		code := cli.Run(append(args, "--db", dir+"/none.db"), env)
		switch code {
		case 0:
		case 1, 2:
			if msg := errb.String(); !strings.ContainsAny(msg, "。？") {
				t.Fatalf("Run(%q) = %d with stderr %q, want a sentence", args, code, msg)
			}
		default:
			t.Fatalf("Run(%q) = %d", args, code)
		}
		if entries, _ := os.ReadDir(dir); len(entries) > 0 {
			t.Fatalf("Run(%q) wrote %s without a store", args, entries[0].Name())
		}
	})
}
