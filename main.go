// Command tuanwu is 团务台: the window by default, headless commands when
// given one (see CLI.md).
package main

import (
	"fmt"
	"os"

	_ "earlyinit" // must come first: sets Fyne's language before it initialises

	"golang.org/x/term"

	"tuanwu/app"
	"tuanwu/data"
	"tuanwu/ui/cli"
)

func openStore(path string) (app.Store, error) { return data.Open(path) }

func readSecret(prompt string) (string, error) {
	fmt.Fprint(os.Stderr, prompt)
	b, err := term.ReadPassword(int(os.Stdin.Fd()))
	fmt.Fprintln(os.Stderr)
	return string(b), err
}

func main() {
	args := os.Args[1:]
	if cli.IsCommand(args) {
		env := cli.Env{Stdout: os.Stdout, Stderr: os.Stderr, Getenv: os.Getenv, OpenStore: openStore, SchemaLatest: data.LatestVersion()}
		if term.IsTerminal(int(os.Stdin.Fd())) {
			env.ReadSecret = readSecret
		}
		os.Exit(cli.Run(args, env))
	}
	os.Exit(runWindow(args))
}
