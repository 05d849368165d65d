package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/user"
	"strings"
	"time"

	"yusuan"
	"yusuan/check"
	"yusuan/store"
)

func verdictCommand() command {
	c := command{name: "verdict", summary: "record an analyst's judgement of a finding (kept with its id across later checks), or show a finding's verdicts",
		usage: "[--db yusuan.db] ID [confirmed|false-alarm|explained] [--note TEXT] [--by NAME]"}
	c.run = func(ctx context.Context, e *env, args []string) int {
		fs := newFlags(e, c)
		db := dbFlag(fs)
		note := fs.String("note", "", "why: what the analyst found")
		by := fs.String("by", "", "who judges (default: the user running the command)")
		if ok, status := parseFlags(fs, args); !ok {
			return status
		}
		pos := fs.Args()
		if len(pos) < 1 || len(pos) > 2 {
			return usageError(e, c, "want a finding id and, to judge it, confirmed, false-alarm or explained")
		}
		var kind yusuan.VerdictKind
		if len(pos) == 2 {
			if kind = yusuan.VerdictKind(pos[1]); !kind.Valid() {
				fmt.Fprintf(e.stderr, "yusuan verdict: %q: want confirmed, false-alarm or explained\n", pos[1])
				return 2
			}
			if *by == "" {
				*by = currentUser()
				if *by == "" {
					fmt.Fprintln(e.stderr, "yusuan verdict: cannot tell who you are: give --by NAME")
					return 2
				}
			}
		}
		st, ok := openStore(ctx, e, c.name, *db)
		if !ok {
			return 1
		}
		defer st.Close()
		id, err := st.ResolveFindingID(ctx, pos[0])
		if err != nil {
			msg := err.Error()
			switch {
			case errors.Is(err, store.ErrFindingNotFound):
				msg = fmt.Sprintf("no finding has id %q (yusuan check prints the ids)", pos[0])
			case errors.Is(err, store.ErrAmbiguousID):
				msg = fmt.Sprintf("several findings have ids starting %q: give more of it", pos[0])
			}
			fmt.Fprintf(e.stderr, "yusuan verdict: %s\n", msg)
			return 1
		}
		if kind != "" {
			if _, err := st.SetVerdict(ctx, id, kind, *note, *by); err != nil {
				fmt.Fprintf(e.stderr, "yusuan verdict: %v\n", err)
				if errors.Is(err, store.ErrInvalidVerdict) {
					return 2
				}
				return 1
			}
		}
		return showVerdicts(ctx, e, st, id)
	}
	return c
}

// showVerdicts prints a finding and every verdict given on it.
func showVerdicts(ctx context.Context, e *env, st *store.Store, id string) int {
	f, err := st.Finding(ctx, id)
	if err != nil {
		fmt.Fprintf(e.stderr, "yusuan verdict: %v\n", err)
		return 1
	}
	doc := "-"
	if len(f.Documents) > 0 {
		doc = fmt.Sprintf("%s %d %s", f.Documents[0].Entity, f.Documents[0].Year, f.Documents[0].File)
	}
	fmt.Fprintf(e.stdout, "%s  %s  %s  %s  (%s)\n  %s\n", f.ID, f.Severity, f.Rule, doc, f.Status, check.WithUnit(f.Message, f.Unit))
	hist, err := st.Verdicts(ctx, id)
	if err != nil {
		fmt.Fprintf(e.stderr, "yusuan verdict: %v\n", err)
		return 1
	}
	for _, v := range hist {
		line := fmt.Sprintf("  %s  %s by %s", v.At.Local().Format(time.DateTime), v.Verdict.Verdict, v.By)
		if v.Note != "" {
			line += ": " + v.Note
		}
		fmt.Fprintln(e.stdout, line)
	}
	if f.Verdict != nil && f.Verdict.Stale {
		fmt.Fprintln(e.stdout, "  the verdict that applies is STALE: it was given on other figures; judge again")
	}
	if len(hist) == 0 && f.Verdict == nil {
		fmt.Fprintln(e.stdout, "  no verdict yet")
	}
	return 0
}

// currentUser names who runs the command.
func currentUser() string {
	if u, err := user.Current(); err == nil && u.Username != "" {
		return u.Username
	}
	return strings.TrimSpace(os.Getenv("USER"))
}
