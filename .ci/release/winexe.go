//go:build ignore

// winexe makes the Windows resources of 团务台.exe and checks a built one
// (issue 12), with package tuanwu/internal/winexe:
//
//	go run .ci/release/winexe.go res   -dir DIR [info flags]   # DIR/tuanwu.rc, .ico, .manifest for windres
//	go run .ci/release/winexe.go check [info flags] X.exe      # subsystem, DLLs, icon, version; exit 1 if wrong
//
// Info flags: -version (git describe) -numbers X.Y.Z -build N -company C -copyright C.
package main

import (
	"flag"
	"fmt"
	"image"
	_ "image/png"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"tuanwu/internal/winexe"
)

func main() {
	if len(os.Args) < 2 || (os.Args[1] != "res" && os.Args[1] != "check") {
		fail("用法：winexe res -dir DIR [信息参数] | winexe check [信息参数] X.exe")
	}
	fs := flag.NewFlagSet(os.Args[1], flag.ExitOnError)
	dir := fs.String("dir", ".", "res: where to write tuanwu.rc, tuanwu.ico and tuanwu.manifest")
	icon := fs.String("icon", "assets/icon.png", "res: the application icon (PNG)")
	sizes := fs.String("sizes", "", "res: icon sizes, comma-separated (default: all of winexe.IconSizes)")
	version := fs.String("version", "", "the git version, e.g. v0.2.0 or e005cf6")
	numbers := fs.String("numbers", "", "X.Y.Z of the numeric version")
	build := fs.Int("build", 0, "the fourth number (the commit count)")
	company := fs.String("company", "", "CompanyName")
	copyright := fs.String("copyright", "", "LegalCopyright")
	fs.Parse(os.Args[2:])
	n, err := winexe.Numbers(*numbers, *build)
	if err != nil {
		fail(err.Error())
	}
	if *version == "" || *company == "" || *copyright == "" {
		fail("需要 -version、-company 和 -copyright")
	}
	info := winexe.Info{Product: "团务台", Description: "团务台", Company: *company, Copyright: *copyright,
		Version: *version, Numbers: n, Internal: "tuanwu", Original: "团务台.exe", ID: "cn.tuanwu.desktop"}

	if os.Args[1] == "check" {
		if fs.NArg() != 1 {
			fail("check 需要一个 .exe")
		}
		r, err := winexe.Inspect(fs.Arg(0))
		if err != nil {
			fail(err.Error())
		}
		fmt.Print(r)
		if p := r.Check(info); len(p) > 0 {
			fail(filepath.Base(fs.Arg(0)) + " 有问题：\n  " + strings.Join(p, "\n  "))
		}
		return
	}

	f, err := os.Open(*icon)
	if err != nil {
		fail(err.Error())
	}
	img, _, err := image.Decode(f)
	f.Close()
	if err != nil {
		fail(fmt.Sprintf("%s: %v", *icon, err))
	}
	want := winexe.IconSizes
	if *sizes != "" {
		want = nil
		for _, s := range strings.Split(*sizes, ",") {
			v, err := strconv.Atoi(s)
			if err != nil {
				fail("-sizes: " + err.Error())
			}
			want = append(want, v)
		}
	}
	ico, err := os.Create(filepath.Join(*dir, "tuanwu.ico"))
	if err != nil {
		fail(err.Error())
	}
	if err := winexe.WriteICO(ico, img, want); err != nil {
		fail(err.Error())
	}
	if err := ico.Close(); err != nil {
		fail(err.Error())
	}
	for name, text := range map[string]string{
		"tuanwu.manifest": winexe.Manifest(info),
		"tuanwu.rc":       winexe.RC(info, "tuanwu.ico", "tuanwu.manifest"),
	} {
		if err := os.WriteFile(filepath.Join(*dir, name), []byte(text), 0o644); err != nil {
			fail(err.Error())
		}
	}
}

func fail(msg string) {
	fmt.Fprintln(os.Stderr, "winexe: "+msg)
	os.Exit(1)
}
