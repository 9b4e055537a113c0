// Command tuanwu is 团务台: the window by default, headless commands when
// given one (see CLI.md).
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"time"

	_ "earlyinit" // must come first: sets Fyne's language before it initialises

	"golang.org/x/term"

	"tuanwu/app"
	"tuanwu/assets"
	"tuanwu/data"
	"tuanwu/data/files"
	"tuanwu/data/xlsx"
	"tuanwu/print"
	"tuanwu/ui/cli"
)

func openStore(path string) (app.Store, error) { return data.Open(path) }

// migrateStore moves a store file up to a school server (issue 14).
func migrateStore(ctx context.Context, st app.Store, to string) (cli.MigrateResult, error) {
	ds, ok := st.(*data.Store)
	if !ok {
		return cli.MigrateResult{}, app.Errorf(app.EInvalid, "这个存储不能迁移。")
	}
	rep, err := ds.MigrateTo(ctx, to)
	res := cli.MigrateResult{Target: rep.Target, Audit: rep.Audit}
	for _, t := range rep.Tables {
		res.Tables = append(res.Tables, cli.MigrateTable{Table: t.Table, Rows: t.Rows, Sum: t.Sum})
	}
	return res, err
}

func writeRoster(w io.Writer, title string, members func(yield func(app.Member) bool), mask bool, now time.Time) error {
	return xlsx.WriteRoster(w, title, members, xlsx.RosterOptions{MaskIDs: mask, Now: now})
}

// writeLetters renders introduction letters with the bundled font.
func writeLetters(w io.Writer, letters []app.Letter) error {
	r, err := print.NewRenderer(assets.FontTTF())
	if err != nil {
		return err
	}
	return r.Letters(w, letters, print.Options{})
}

// codecs are the Excel codecs (data/xlsx) and the letter renderer (print),
// the same for the window and the headless commands.
var codecs = app.Codecs{ReadMembers: xlsx.ReadMembers, WriteTemplate: xlsx.WriteTemplate, WriteRoster: writeRoster,
	WriteErrorReport: xlsx.WriteErrorReport, WriteUnmarked: xlsx.WriteUnmarked, WriteAbroadRegister: xlsx.WriteAbroadRegister,
	WriteGraduates: xlsx.WriteGraduates, WriteLetters: writeLetters, WriteImportProblems: xlsx.WriteImportProblems}

func readSecret(prompt string) (string, error) {
	fmt.Fprint(os.Stderr, prompt)
	b, err := term.ReadPassword(int(os.Stdin.Fd()))
	fmt.Fprintln(os.Stderr)
	return string(b), err
}

// version is the program's version: the one place it is set, by the
// release build with -ldflags "-X main.version=$(git describe ...)".
var version = "0.1.0-dev"

func main() {
	app.Version = version
	files.PrivateUmask() // the store, backups and exports hold full 身份证号
	args := os.Args[1:]
	if cli.IsCommand(args) {
		env := cli.Env{Stdout: os.Stdout, Stderr: os.Stderr, Getenv: os.Getenv, OpenStore: openStore, SchemaLatest: data.LatestVersion(),
			Codecs: codecs, Restore: data.Restore, MigrateStore: migrateStore}
		if term.IsTerminal(int(os.Stdin.Fd())) {
			env.ReadSecret = readSecret
		}
		os.Exit(cli.Run(args, env))
	}
	os.Exit(runWindow(args))
}
