package main

import (
	"context"
	"fmt"
	"strings"

	"yusuan"
	"yusuan/check"
	"yusuan/store"
)

func checkCommand() command {
	c := command{name: "check", summary: "run the consistency rules over the store, save the findings and print them",
		usage: "[--db yusuan.db] [--json] [--year Y] [--rule R[,R]] [--entity NAME] [--severity S] [--all] [--fail-on error|warning] [--aliases FILE]"}
	c.run = func(ctx context.Context, e *env, args []string) int {
		fs := newFlags(e, c)
		db := dbFlag(fs)
		asJSON := fs.Bool("json", false, "one finding per line as JSON")
		year := fs.Int("year", 0, "only findings involving documents of this year")
		rules := fs.String("rule", "", "rule ids or prefixes ending in '.' (cross.), comma-separated")
		entity := fs.String("entity", "", "only findings involving this unit or department (substring)")
		severity := fs.String("severity", "", "show only findings at least this serious: error, warning or info")
		all := fs.Bool("all", false, "also show findings judged false alarms (yusuan verdict)")
		failOn := fs.String("fail-on", "", "exit 1 when a shown finding is at least this serious: error or warning")
		aliases := fs.String("aliases", "", "entity aliases file (default: "+store.AliasesFileName+" beside the database, when present)")
		list := fs.Bool("rules", false, "list the rules and exit")
		if ok, st := parseFlags(fs, args); !ok {
			return st
		}
		if *list {
			for _, r := range check.Rules() {
				fmt.Fprintf(e.stdout, "%-28s %-8s %-10s %s\n", r.ID, r.Severity, r.Scope, r.Description)
			}
			return 0
		}
		f := check.Filter{Year: *year, Entity: *entity, MinSeverity: yusuan.Severity(*severity)}
		if !validSeverity(f.MinSeverity, true) {
			fmt.Fprintf(e.stderr, "yusuan check: --severity %q: want error, warning or info\n", *severity)
			return 2
		}
		if !validSeverity(yusuan.Severity(*failOn), false) {
			fmt.Fprintf(e.stderr, "yusuan check: --fail-on %q: want error or warning\n", *failOn)
			return 2
		}
		if *rules != "" {
			f.Rules = strings.Split(*rules, ",")
			for _, r := range f.Rules {
				if _, ok := check.Lookup(r); !ok && !strings.HasSuffix(r, ".") {
					fmt.Fprintf(e.stderr, "yusuan check: unknown rule %q (yusuan check --rules lists them)\n", r)
					return 2
				}
			}
		}
		st, ok := openStoreWith(ctx, e, c.name, *db, store.Options{AliasesFile: *aliases})
		if !ok {
			return 1
		}
		defer st.Close()
		res, err := runChecks(ctx, st, f)
		if err != nil {
			fmt.Fprintf(e.stderr, "yusuan check: %v\n", err)
			return 1
		}
		shown := res.Findings
		if !*all {
			shown = check.Visible(shown)
		}
		if *asJSON {
			err = check.WriteJSON(e.stdout, shown)
		} else {
			err = check.ReportWith(e.stdout, res.Findings, check.ReportOptions{All: *all})
			if err == nil {
				r := res.Run
				fmt.Fprintf(e.stdout, "%d documents checked (run %d: %d new, %d changed, %d gone since the last run)\n",
					res.Documents, r.ID, r.New, r.Changed, r.Gone)
			}
		}
		if err != nil {
			fmt.Fprintf(e.stderr, "yusuan check: %v\n", err)
			return 1
		}
		if *failOn != "" {
			limit := yusuan.Severity(*failOn).Rank()
			for _, x := range check.Visible(res.Findings) {
				if x.Severity.Rank() <= limit {
					return 1
				}
			}
		}
		return 0
	}
	return c
}

func validSeverity(s yusuan.Severity, infoToo bool) bool {
	switch s {
	case "", yusuan.SeverityError, yusuan.SeverityWarning:
		return true
	case yusuan.SeverityInfo:
		return infoToo
	}
	return false
}

// runChecks runs every rule over the store and saves the findings.
func runChecks(ctx context.Context, st *store.Store, f check.Filter) (check.StoreResult, error) {
	return check.RunStore(ctx, st, check.Options{Rules: f.Rules}, f)
}
