package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"yusuan"
	"yusuan/store"
	"yusuan/web"
)

func reportCommand() command {
	c := command{name: "report", summary: "one self-contained HTML file of findings, grouped by document, each with its page crop and the cells outlined",
		usage: "--html --out report.html [--db yusuan.db] [--severity S] [--rule R] [--entity NAME] [--year Y] [--region R] [--all] [--limit N]"}
	c.run = func(ctx context.Context, e *env, args []string) int {
		fs := newFlags(e, c)
		db := dbFlag(fs)
		asHTML := fs.Bool("html", false, "write HTML (the only format)")
		out := fs.String("out", "", "the `file` to write")
		severity := fs.String("severity", "", "only findings at least this serious: error, warning or info")
		rule := fs.String("rule", "", "a rule id, or a prefix ending in '.' (cross.)")
		entity := fs.String("entity", "", "only findings of entities whose name contains this")
		year := fs.Int("year", 0, "only findings of documents of this year")
		region := fs.String("region", "", "only findings of entities in this region (江苏省, 江苏省苏州市)")
		all := fs.Bool("all", false, "also findings judged false alarms")
		limit := fs.Int("limit", web.DefaultReportLimit, "at most this many findings")
		if ok, st := parseFlags(fs, args); !ok {
			return st
		}
		switch {
		case fs.NArg() > 0:
			return usageError(e, c, "takes no arguments")
		case !*asHTML:
			return usageError(e, c, "--html is required (the report is HTML)")
		case *out == "":
			return usageError(e, c, "--out FILE is required")
		case !validSeverity(yusuan.Severity(*severity), true):
			return usageError(e, c, fmt.Sprintf("--severity %q: want error, warning or info", *severity))
		case *limit < 1:
			return usageError(e, c, "--limit must be at least 1")
		}
		f := store.FindingFilter{Rule: *rule, Entity: *entity, Year: *year, Region: *region, All: *all, Limit: *limit}
		if err := f.Validate(); err != nil {
			return usageError(e, c, err.Error())
		}
		st, ok := openStore(ctx, e, c.name, *db)
		if !ok {
			return 1
		}
		defer st.Close()
		var desc []string
		for _, kv := range [][2]string{{"severity ≥ ", *severity}, {"rule ", *rule}, {"entity ", *entity}, {"region ", *region}} {
			if kv[1] != "" {
				desc = append(desc, kv[0]+kv[1])
			}
		}
		if *year != 0 {
			desc = append(desc, fmt.Sprintf("year %d", *year))
		}
		if *all {
			desc = append(desc, "false alarms included")
		} else {
			desc = append(desc, "false alarms left out")
		}
		tmp, err := os.CreateTemp(filepath.Dir(*out), ".yusuan-report-*")
		if err != nil {
			fmt.Fprintf(e.stderr, "yusuan report: %v\n", err)
			return 1
		}
		defer os.Remove(tmp.Name())
		report, stop := e.startProgress()
		start := time.Now()
		stats, err := web.Report(ctx, tmp, st, st.Archive(), web.ReportOptions{Filter: f, MinSeverity: yusuan.Severity(*severity),
			Title: "yusuan findings — " + filepath.Base(st.Path()), Description: "Findings: " + strings.Join(desc, ", ") + ".",
			Progress: report})
		stop()
		if err == nil {
			err = tmp.Close()
		} else {
			tmp.Close()
		}
		if err == nil {
			err = os.Chmod(tmp.Name(), 0o644)
		}
		if err == nil {
			err = os.Rename(tmp.Name(), *out)
		}
		if err != nil {
			fmt.Fprintf(e.stderr, "yusuan report: %v\n", err)
			return 1
		}
		fmt.Fprintf(e.stdout, "%s: %d findings in %d documents, %d page crops (%s)\n", *out, stats.Findings, stats.Documents, stats.Crops,
			time.Since(start).Round(time.Millisecond))
		if stats.Missing > 0 {
			fmt.Fprintf(e.stderr, "yusuan report: %d pages could not be drawn (originals not in the archive)\n", stats.Missing)
		}
		if stats.Truncated {
			fmt.Fprintf(e.stderr, "yusuan report: only the first %d findings: narrow the filters or raise --limit\n", *limit)
		}
		return 0
	}
	return c
}
