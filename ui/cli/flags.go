package cli

import (
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"tuanwu/app"
)

// numbered checks a command line of one number (a transfer's or a
// letter's) and the flags that must have a value, as use says.
func numbered(use string, need ...string) func(f flags) error {
	return func(f flags) error {
		if _, err := oneNumber(f, use); err != nil {
			return err
		}
		for _, n := range need {
			if f.one(n) == "" {
				return usagef("用法：%s", use)
			}
		}
		return nil
	}
}

// number is the number of a line numbered checked.
func (f flags) number() int64 {
	n, _ := strconv.ParseInt(strings.TrimPrefix(f.pos[0], "#"), 10, 64)
	return n
}

func oneNumber(f flags, use string) (int64, error) {
	if len(f.pos) != 1 {
		return 0, usagef("用法：%s", use)
	}
	n, err := strconv.ParseInt(strings.TrimPrefix(f.pos[0], "#"), 10, 64)
	if err != nil || n <= 0 {
		return 0, usagef("编号应为正整数，例如 12。")
	}
	return n, nil
}

// flags is a parsed command line of one command.
type flags struct {
	pos  []string
	vals map[string][]string
	set  map[string]bool
}

func (f flags) one(name string) string {
	v := f.vals[name]
	if len(v) == 0 {
		return ""
	}
	return v[len(v)-1]
}

// parseFlags parses args against spec: a flag maps to true when it takes a
// value, false when it is a switch. Anything else starting with "--" is a
// usage error.
func parseFlags(args []string, spec map[string]bool) (flags, error) {
	f := flags{vals: map[string][]string{}, set: map[string]bool{}}
	for i := 0; i < len(args); i++ {
		a := args[i]
		if !strings.HasPrefix(a, "--") {
			f.pos = append(f.pos, a)
			continue
		}
		name, val, hasVal := strings.Cut(a, "=")
		takes, ok := spec[name]
		if !ok {
			known := make([]string, 0, len(spec))
			for k := range spec {
				known = append(known, k)
			}
			sort.Strings(known)
			return f, usagef("不认识的参数 %s；这里可用的参数有：%s。", name, strings.Join(known, " "))
		}
		f.set[name] = true
		if !takes {
			continue
		}
		if !hasVal {
			if i+1 >= len(args) {
				return f, usagef("参数 %s 后面需要一个值。", name)
			}
			i++
			val = args[i]
		}
		f.vals[name] = append(f.vals[name], val)
	}
	// --out always names a file to write: a folder is refused before anything runs.
	for _, out := range f.vals["--out"] {
		if fi, err := os.Stat(out); err == nil && fi.IsDir() {
			return f, app.Errorf(app.EInvalid, "--out 指定的“%s”是一个文件夹，不是文件。请写出要保存的文件名，例如 %s。", out, filepath.Join(out, outExample(spec)))
		}
	}
	return f, nil
}

// outExample is a file name to suggest for --out.
func outExample(spec map[string]bool) string {
	if spec["--valid-days"] {
		return "介绍信.pdf"
	}
	if len(spec) == 1 {
		return "团务台备份.db" // backup --out
	}
	return "名册.xlsx"
}
