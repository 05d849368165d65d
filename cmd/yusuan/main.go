// Command yusuan harvests Chinese government budget disclosures, rebuilds
// their tables and narrative from the PDFs, stores them in SQLite and checks
// them for inconsistencies. This file only wires commands together.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"sort"
	"syscall"
)

// command is one subcommand. run returns the process exit status.
type command struct {
	name    string
	summary string
	usage   string // argument synopsis
	hidden  bool   // not listed (internal plumbing)
	run     func(ctx context.Context, env *env, args []string) int
}

// env carries the process's streams so commands are testable.
type env struct {
	stdout, stderr io.Writer
	log            *slog.Logger
}

func commands() []command {
	cmds := []command{
		textCommand(),
		extractCommand(),
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

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	e := &env{stdout: stdout, stderr: stderr, log: slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))}
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(stderr)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	for _, c := range commands() {
		if c.name == args[0] {
			return c.run(ctx, e, args[1:])
		}
	}
	fmt.Fprintf(stderr, "yusuan: unknown command %q (yusuan -h lists them)\n", args[0])
	return 2
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "yusuan — harvest, extract and check Chinese government budget disclosures")
	fmt.Fprintln(w, "\nUsage: yusuan COMMAND [flags] [args]\n\nCommands:")
	for _, c := range commands() {
		if !c.hidden {
			fmt.Fprintf(w, "  %-10s %s\n", c.name, c.summary)
		}
	}
	fmt.Fprintln(w, "\n`yusuan COMMAND -h` explains a command.")
}

// newFlags makes a flag set whose -h prints the command's usage.
func newFlags(e *env, c command) *flag.FlagSet {
	fs := flag.NewFlagSet("yusuan "+c.name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() {
		fmt.Fprintf(e.stderr, "Usage: yusuan %s %s\n\n%s\n\nFlags:\n", c.name, c.usage, c.summary)
		fs.PrintDefaults()
	}
	return fs
}

// parseFlags parses and reports the exit status to use when parsing ends the
// command (-h: 0, bad flags: 2).
func parseFlags(fs *flag.FlagSet, args []string) (ok bool, status int) {
	if err := fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			return false, 0
		}
		return false, 2
	}
	return true, 0
}
