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
	c := command{name: "check", summary: "run the consistency rules over the store, save the findings and print them", usage: "[--db yusuan.db] [--json] [--year Y] [--rule R[,R]] [--entity NAME]"}
	c.run = func(ctx context.Context, e *env, args []string) int {
		fs := newFlags(e, c)
		db := dbFlag(fs)
		asJSON := fs.Bool("json", false, "one finding per line as JSON")
		year := fs.Int("year", 0, "only findings involving documents of this year")
		rules := fs.String("rule", "", "rule ids or prefixes ending in '.' (cross.), comma-separated")
		entity := fs.String("entity", "", "only findings involving this unit or department (substring)")
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
		f := check.Filter{Year: *year, Entity: *entity}
		if *rules != "" {
			f.Rules = strings.Split(*rules, ",")
			for _, r := range f.Rules {
				if _, ok := check.Lookup(r); !ok && !strings.HasSuffix(r, ".") {
					fmt.Fprintf(e.stderr, "yusuan check: unknown rule %q (yusuan check --rules lists them)\n", r)
					return 2
				}
			}
		}
		st, ok := openStore(ctx, e, c.name, *db)
		if !ok {
			return 1
		}
		defer st.Close()
		res, err := runChecks(ctx, st, f)
		if err != nil {
			fmt.Fprintf(e.stderr, "yusuan check: %v\n", err)
			return 1
		}
		if *asJSON {
			err = check.WriteJSON(e.stdout, res.Findings)
		} else {
			err = check.Report(e.stdout, res.Findings)
			fmt.Fprintf(e.stdout, "%d documents checked\n", res.Documents)
		}
		if err != nil {
			return 1
		}
		return 0
	}
	return c
}

// runChecks runs every rule over the store and saves the findings.
func runChecks(ctx context.Context, st *store.Store, f check.Filter) (check.StoreResult, error) {
	return check.RunStore(ctx, st, check.Options{Rules: f.Rules}, f)
}

func countBySeverity(fs []yusuan.Finding) string {
	n := map[yusuan.Severity]int{}
	for _, f := range fs {
		n[f.Severity]++
	}
	return fmt.Sprintf("%d findings: %d error, %d warning, %d info", len(fs), n[yusuan.SeverityError], n[yusuan.SeverityWarning], n[yusuan.SeverityInfo])
}
