package cli

import (
	"errors"
	"strings"
	"testing"
)

// splitArgs turns a fuzz string into argv: arguments separated by NUL or newline.
func splitArgs(s string) []string {
	if s == "" {
		return nil
	}
	return strings.FieldsFunc(s, func(r rune) bool { return r == 0 || r == '\n' })
}

// FuzzParseFlags: a command's flags. Every argument not starting with --
// is a positional argument, in order; an accepted flag is in the spec; a
// flag's values are the arguments given to it, in order; an error is a
// usage error with a sentence.
func FuzzParseFlags(f *testing.F) {
	for _, s := range []string{"文件.xlsx\n--org\n浙江明理大学团委/法学院团委\n--skip-bad", "--org=A/B\n--org\nC", "--field\n民族=汉族\n--field=QQ=12345",
		"--org", "--unknown", "-x\n--\n---", "--skip-bad=1"} {
		f.Add(s)
	}
	spec := map[string]bool{"--org": true, "--field": true, "--skip-bad": false}
	f.Fuzz(func(t *testing.T, s string) {
		args := splitArgs(s)
		fl, err := parseFlags(args, spec)
		if err != nil {
			var ue usageError
			if !asUsage(err, &ue) || !strings.ContainsRune(err.Error(), '。') {
				t.Fatalf("parseFlags(%q): %v is not a usage sentence", args, err)
			}
			return
		}
		var pos []string
		vals := map[string][]string{}
		for i := 0; i < len(args); i++ {
			a := args[i]
			if !strings.HasPrefix(a, "--") {
				pos = append(pos, a)
				continue
			}
			name, val, has := strings.Cut(a, "=")
			takes, ok := spec[name]
			if !ok {
				t.Fatalf("parseFlags(%q) accepted %s", args, name)
			}
			if !fl.set[name] {
				t.Fatalf("parseFlags(%q) did not set %s", args, name)
			}
			if takes {
				if !has {
					i++
					val = args[i]
				}
				vals[name] = append(vals[name], val)
			}
		}
		if strings.Join(pos, "\x00") != strings.Join(fl.pos, "\x00") {
			t.Fatalf("parseFlags(%q) positional %q, want %q", args, fl.pos, pos)
		}
		for name, v := range vals {
			if strings.Join(v, "\x00") != strings.Join(fl.vals[name], "\x00") {
				t.Fatalf("parseFlags(%q) %s = %q, want %q", args, name, fl.vals[name], v)
			}
		}
	})
}

// FuzzFields: --field 名=值. An accepted field has a trimmed, non-empty
// name and the value after the first =; a refusal is a usage sentence.
func FuzzFields(f *testing.F) {
	for _, s := range []string{"民族=汉族", " 入团年月 =2019-05", "QQ=1=2", "=x", "民族", "邮箱=", "是否团干部=是\n团干部性质=兼职"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		kvs := splitArgs(s)
		out, err := fields(flags{vals: map[string][]string{"--field": kvs}})
		if err != nil {
			var ue usageError
			if !asUsage(err, &ue) || !strings.ContainsRune(err.Error(), '。') {
				t.Fatalf("fields(%q): %v is not a usage sentence", kvs, err)
			}
			return
		}
		for _, kv := range kvs {
			k, v, _ := strings.Cut(kv, "=")
			k = strings.TrimSpace(k)
			if k == "" {
				t.Fatalf("fields(%q) accepted an empty name", kvs)
			}
			if _, ok := out[k]; !ok {
				t.Fatalf("fields(%q) lost %q", kvs, k)
			}
			_ = v
		}
		for k := range out {
			if k != strings.TrimSpace(k) || k == "" {
				t.Fatalf("fields(%q) has name %q", kvs, k)
			}
		}
	})
}

func asUsage(err error, ue *usageError) bool { return errors.As(err, ue) }
