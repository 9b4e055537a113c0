package cli

import (
	"strings"
)

// access is what a command needs before it runs.
type access int

const (
	// opensItself: the command opens the store itself, or needs none
	// (version, init, demo, restore).
	opensItself access = iota
	// account: the --as account, signed in and past its initial password.
	account
	// firstUse: the --as account, signed in even on its initial password
	// (passwd).
	firstUse
)

// A command is one command or subcommand of the headless contract (CLI.md):
// the flags it takes, the command lines it accepts, what it needs and what
// it does. exec parses and checks the line, signs in and calls run, so a
// command's run holds only its own work.
type command struct {
	name string
	// flags are the flags it takes: true when a value follows.
	flags map[string]bool
	// bad is the message of a usage error (exit 2), e.g. "用法：…".
	bad string
	// need are the flags that must have a value, given those that must be
	// there (even empty); args how many positional arguments it takes, at
	// least and at most (-1: any number).
	need  []string
	given []string
	args  [2]int
	// check checks the command line further before anything runs and
	// returns its own usage error; nil: nothing more to check.
	check  func(f flags) error
	access access
	run    func(r *run, f flags) error
}

// fits tells whether the parsed command line is one the command accepts.
func (c *command) fits(f flags) bool {
	for _, n := range c.need {
		if f.one(n) == "" {
			return false
		}
	}
	for _, n := range c.given {
		if !f.set[n] {
			return false
		}
	}
	if len(f.pos) < c.args[0] || (c.args[1] >= 0 && len(f.pos) > c.args[1]) {
		return false
	}
	return true
}

// exec runs c on args: parse, check, sign in, run.
func (r *run) exec(c *command, args []string) error {
	if c.flags == nil && c.args == [2]int{} && len(args) > 0 {
		return usageError{c.bad} // e.g. “check 不带参数。”
	}
	f, err := parseFlags(args, c.flags)
	if err != nil {
		return err
	}
	if !c.fits(f) {
		return usageError{c.bad}
	}
	if c.check != nil {
		if err := c.check(f); err != nil {
			return err
		}
	}
	switch c.access {
	case account:
		err = r.signIn(false)
	case firstUse:
		err = r.signIn(true)
	}
	if err != nil {
		return err
	}
	return c.run(r, f)
}

// A noun is a top-level command: one command of its own, or subcommands.
type noun struct {
	name    string
	summary string // its line in tuanwu --help
	help    string // its usage in tuanwu help NAME
	// cmd is the command itself when it has no subcommands.
	cmd *command
	// subs are its subcommands; bare the message when none is named.
	subs []*command
	bare string
	// other, when set, is the message for an unknown subcommand instead
	// of the list of those there are.
	other string
	// dispatch, when set, chooses the subcommand itself (letter: a number
	// or a subcommand name).
	dispatch func(r *run, args []string) error
}

// registry is every command, in the order tuanwu --help lists them.
var registry []*noun

func init() {
	registry = []*noun{initNoun, demoNoun, orgNoun, memberNoun, cadreNoun, adminNoun, passwdNoun, gradNoun, reportNoun,
		transferNoun, sweepNoun, noticesNoun, letterNoun, checkNoun, backupNoun, restoreNoun, migrateNoun, versionNoun, auditNoun}
	Commands = Commands[:0]
	for _, n := range registry {
		Commands = append(Commands, n.name)
	}
}

// find returns the noun named name.
func find(name string) *noun {
	for _, n := range registry {
		if n.name == name {
			return n
		}
	}
	return nil
}

// sub returns n's subcommand named name.
func (n *noun) sub(name string) *command {
	for _, c := range n.subs {
		if c.name == name {
			return c
		}
	}
	return nil
}

func (r *run) dispatch(name string, args []string) error {
	n := find(name)
	switch {
	case n == nil && strings.HasPrefix(name, "-"):
		return usagef("不认识的参数 %s；全局参数有 --db --as --now --json。", name)
	case n == nil:
		return usagef("没有“%s”这个命令。", name)
	case n.dispatch != nil:
		return n.dispatch(r, args)
	case n.cmd != nil:
		return r.exec(n.cmd, args)
	case len(args) == 0:
		return usageError{n.bare}
	}
	if c := n.sub(args[0]); c != nil {
		return r.exec(c, args[1:])
	}
	if n.other != "" {
		return usageError{n.other}
	}
	names := make([]string, len(n.subs))
	for i, c := range n.subs {
		names[i] = c.name
	}
	return usagef("%s 没有“%s”这个子命令，可用的有 %s。", n.name, args[0], strings.Join(names, "、"))
}

// value returns a flag set once in a spec map, for building specs.
func spec(takes map[string]bool, more ...string) map[string]bool {
	out := make(map[string]bool, len(takes)+len(more))
	for k, v := range takes {
		out[k] = v
	}
	for _, k := range more {
		out[k] = true
	}
	return out
}
