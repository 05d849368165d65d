// Command yusuan harvests Chinese government budget disclosures, rebuilds
// their tables and narrative from the PDFs, stores them in SQLite and checks
// them for inconsistencies. This file only wires commands together.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"sort"
	"strings"
	"syscall"

	"golang.org/x/term"
)

// command is one subcommand. run returns the process exit status.
type command struct {
	name    string
	summary string
	usage   string // argument synopsis
	hidden  bool   // not listed (internal plumbing)
	run     func(ctx context.Context, e *env, args []string) int
}

func commands() []command {
	cmds := []command{
		textCommand(),
		extractCommand(),
		debugCommand(),
	}
	cmds = append(cmds, extraCommands()...)
	sort.Slice(cmds, func(i, j int) bool { return cmds[i].name < cmds[j].name })
	return cmds
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

// run is the whole program: global flags (before or after the command
// name), then the command.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	e := newEnv(stdout, stderr)
	if f, ok := stderr.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		e.terminal = true
		if cols, _, err := term.GetSize(int(f.Fd())); err == nil && cols > 20 {
			e.width = cols
		}
	}
	// One handler for the whole process: packages logging through
	// slog.Default or the log package end up in it too.
	prev := slog.Default()
	slog.SetDefault(e.log)
	defer slog.SetDefault(prev)

	top := flag.NewFlagSet("yusuan", flag.ContinueOnError)
	top.SetOutput(io.Discard)
	e.globalFlags(top)
	version := top.Bool("version", false, "print the version and exit")
	if err := top.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			usage(stdout)
			return 0
		}
		fmt.Fprintf(stderr, "yusuan: %v (yusuan -h lists commands and flags)\n", err)
		return 2
	}
	if *version {
		fmt.Fprintln(stdout, versionString())
		return 0
	}
	rest := top.Args()
	if len(rest) == 0 {
		usage(stderr)
		return 2
	}
	name, rest := rest[0], rest[1:]
	if name == "help" {
		if len(rest) == 0 {
			usage(stdout)
			return 0
		}
		name, rest = rest[0], []string{"-h"}
	}
	for _, c := range commands() {
		if c.name == name {
			return c.run(ctx, e, rest)
		}
	}
	fmt.Fprintf(stderr, "yusuan: unknown command %q (yusuan -h lists them)\n", name)
	return 2
}

func usage(w io.Writer) {
	fmt.Fprintf(w, "yusuan — harvest, extract and check Chinese government budget disclosures\n%s\n", versionString())
	fmt.Fprintln(w, "\nUsage: yusuan [global flags] COMMAND [flags] [args]\n\nCommands:")
	for _, c := range commands() {
		if !c.hidden {
			fmt.Fprintf(w, "  %-10s %s\n", c.name, c.summary)
		}
	}
	fmt.Fprintf(w, "\nGlobal flags (before or after the command):\n%s  --version          print the version\n", globalUsage)
	fmt.Fprintln(w, "\n`yusuan COMMAND -h` explains a command. Flags may follow the arguments; `--` ends the flags.")
}

const globalUsage = `  -q                 quiet: warnings and errors only, no progress line
  -v                 verbose: debug log lines
  --log-format F     text (default) or json log lines on stderr
`

// newFlags makes a command's flag set: its -h prints the command's usage
// on stdout, and it takes the global flags too.
func newFlags(e *env, c command) *flag.FlagSet {
	fs := flag.NewFlagSet("yusuan "+c.name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	e.globalFlags(fs)
	fs.Usage = func() {
		fmt.Fprintf(e.stdout, "Usage: yusuan %s %s\n\n%s\n", c.name, c.usage, c.summary)
		var own strings.Builder
		fs.VisitAll(func(f *flag.Flag) {
			if !isGlobalFlag(f.Name) {
				printFlag(&own, f)
			}
		})
		if own.Len() > 0 {
			fmt.Fprintf(e.stdout, "\nFlags:\n%s", own.String())
		}
		fmt.Fprintf(e.stdout, "\nGlobal flags:\n%s", globalUsage)
	}
	return fs
}

// printFlag prints one flag the way flag.PrintDefaults does, with the
// double dash the documentation uses.
func printFlag(w io.Writer, f *flag.Flag) {
	name, usage := flag.UnquoteUsage(f)
	line := "  --" + f.Name
	if len(f.Name) == 1 {
		line = "  -" + f.Name
	}
	if name != "" {
		line += " " + name
	}
	if len(line) <= 20 {
		line += strings.Repeat(" ", 21-len(line))
	} else {
		line += "\n" + strings.Repeat(" ", 21)
	}
	line += strings.ReplaceAll(usage, "\n", "\n"+strings.Repeat(" ", 21))
	if f.DefValue != "" && f.DefValue != "false" && f.DefValue != "0" {
		line += fmt.Sprintf(" (default %s)", f.DefValue)
	}
	fmt.Fprintln(w, line)
}

// parseFlags parses a command's arguments, flags and operands in any order
// ("--" ends the flags), and reports the exit status to use when parsing
// ends the command (-h: 0 with the usage on stdout, bad flags: 2 with one
// line on stderr).
func parseFlags(fs *flag.FlagSet, args []string) (ok bool, status int) {
	usage, out := fs.Usage, fs.Output()
	fs.Usage = func() {}
	fs.SetOutput(io.Discard)
	err := parseInterleaved(fs, args)
	fs.Usage = usage
	fs.SetOutput(out)
	switch {
	case errors.Is(err, flag.ErrHelp):
		fs.Usage()
		return false, 0
	case err != nil:
		fmt.Fprintf(out, "%s: %v (%s -h explains)\n", fs.Name(), err, fs.Name())
		return false, 2
	}
	return true, 0
}

// parseInterleaved is fs.Parse for flags that may come after operands:
// the standard parser stops at the first operand, so it is resumed after
// each one. The operands end up in fs.Args().
func parseInterleaved(fs *flag.FlagSet, args []string) error {
	var operands []string
	for {
		if err := fs.Parse(args); err != nil {
			return err
		}
		rest := fs.Args()
		used := len(args) - len(rest)
		if used > 0 && args[used-1] == "--" && !takesValue(fs, args, used-1) {
			operands = append(operands, rest...)
			break
		}
		if len(rest) == 0 {
			break
		}
		operands = append(operands, rest[0])
		args = rest[1:]
	}
	return fs.Parse(append([]string{"--"}, operands...))
}

// takesValue reports whether args[i] is the value of the flag before it
// ("--note --"), not the end of the flags.
func takesValue(fs *flag.FlagSet, args []string, i int) bool {
	if i == 0 {
		return false
	}
	prev := args[i-1]
	if !strings.HasPrefix(prev, "-") || strings.Contains(prev, "=") {
		return false
	}
	f := fs.Lookup(strings.TrimLeft(prev, "-"))
	if f == nil {
		return false
	}
	b, ok := f.Value.(interface{ IsBoolFlag() bool })
	return !ok || !b.IsBoolFlag()
}

// usageError reports a wrong invocation in one line and returns exit 2.
func usageError(e *env, c command, msg string) int {
	fmt.Fprintf(e.stderr, "yusuan %s: %s (yusuan %s -h explains)\n", c.name, msg, c.name)
	return 2
}
