package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"yusuan"
	"yusuan/check"
	"yusuan/crawl"
	"yusuan/crawl/ingestsink"
	"yusuan/fixtures/demosite"
	"yusuan/fixtures/portal"
	"yusuan/ingest"
	"yusuan/store"
)

func crawlCommand() command {
	c := command{name: "crawl", summary: "harvest the configured sites into the archive and the store (polite, incremental, resumable)", usage: "[--db yusuan.db] --config sites.toml [--site NAME]"}
	c.run = func(ctx context.Context, e *env, args []string) int {
		fs := newFlags(e, c)
		db := dbFlag(fs)
		config := fs.String("config", "sites.toml", "sites configuration (TOML)")
		site := fs.String("site", "", "crawl only this site")
		if ok, st := parseFlags(fs, args); !ok {
			return st
		}
		cfg, ok := loadConfig(e, c.name, *config)
		if !ok {
			return crawl.ExitNothing
		}
		st, ok := openStore(ctx, e, c.name, *db)
		if !ok {
			return crawl.ExitNothing
		}
		defer st.Close()
		rep, err := crawlSites(ctx, e, st, cfg, *site)
		if rep != nil {
			fmt.Fprint(e.stdout, rep.String())
		}
		if err != nil {
			fmt.Fprintf(e.stderr, "yusuan crawl: %v\n", err)
		}
		return crawl.ExitCode(rep, err)
	}
	return c
}

// loadConfig reads the sites configuration or reports why not (file, line
// and key).
func loadConfig(e *env, name, path string) (*crawl.Config, bool) {
	cfg, err := crawl.LoadConfig(path)
	if err != nil {
		fmt.Fprintf(e.stderr, "yusuan %s: %v\n", name, err)
		return nil, false
	}
	return cfg, true
}

func crawlSites(ctx context.Context, e *env, st *store.Store, cfg *crawl.Config, site string) (*crawl.Report, error) {
	ex := extractor()
	defer closeExtractor(ex)
	sink := ingestsink.New(&ingest.Pipeline{Store: st, Extractor: ex})
	return crawl.Harvest(ctx, crawl.Options{
		Config: cfg, Site: site,
		Frontier:   crawl.NewStoreFrontier(st),
		Sink:       sink,
		ArchiveDir: st.Archive().Dir(),
		LockPath:   st.Path() + ".lock",
		Logger:     e.log,
	})
}

func harvestCommand() command {
	c := command{name: "harvest", summary: "the nightly job: crawl + ingest + check + a summary report; exit 0 ok, 1 partial, 2 nothing done, 3 another run holds the lock", usage: "--config sites.toml [--db yusuan.db] [--site NAME]"}
	c.run = func(ctx context.Context, e *env, args []string) int {
		fs := newFlags(e, c)
		db := dbFlag(fs)
		config := fs.String("config", "sites.toml", "sites configuration (TOML)")
		site := fs.String("site", "", "harvest only this site")
		if ok, st := parseFlags(fs, args); !ok {
			return st
		}
		cfg, ok := loadConfig(e, c.name, *config)
		if !ok {
			return crawl.ExitNothing
		}
		return harvest(ctx, e, *db, cfg, *site)
	}
	return c
}

// harvest runs crawl, ingest (inside the crawl's sink) and check, and prints
// the report. It returns the exit code.
func harvest(ctx context.Context, e *env, db string, cfg *crawl.Config, site string) int {
	st, ok := openStore(ctx, e, "harvest", db)
	if !ok {
		return crawl.ExitNothing
	}
	defer st.Close()
	failedBefore, _ := st.Count(ctx, store.Filter{Status: store.StatusFailed})
	docsBefore, _ := st.Count(ctx, store.Filter{})
	prev, _ := previousFindings(ctx, st)
	rep, err := crawlSites(ctx, e, st, cfg, site)
	code := crawl.ExitCode(rep, err)
	if errors.Is(err, crawl.ErrLocked) {
		fmt.Fprintln(e.stderr, "yusuan harvest: another harvest is running; nothing done")
		return code
	}
	if err != nil {
		fmt.Fprintf(e.stderr, "yusuan harvest: %v\n", err)
	}
	if rep == nil {
		return code
	}
	res, cerr := runChecks(ctx, st, check.Filter{})
	if cerr != nil {
		fmt.Fprintf(e.stderr, "yusuan harvest: check: %v\n", cerr)
		code = max(code, crawl.ExitPartial)
	}
	failedAfter, _ := st.Count(ctx, store.Filter{Status: store.StatusFailed})
	docsAfter, _ := st.Count(ctx, store.Filter{})
	fresh := newFindings(prev, res.Findings)
	w := e.stdout
	fmt.Fprintf(w, "== harvest %s ==\n", time.Now().Format(time.DateTime))
	fmt.Fprint(w, rep.String())
	fmt.Fprintf(w, "documents: %d new (%d could not be extracted), %d in the store\n", docsAfter-docsBefore, failedAfter-failedBefore, docsAfter)
	fmt.Fprintf(w, "check: %d documents, %s; %d new since the last run\n", res.Documents, countBySeverity(res.Findings), len(fresh))
	// Errors and warnings are listed; notes (尾差 and the like) are counted,
	// `yusuan check` shows them all.
	serious := check.Filter{MinSeverity: yusuan.SeverityWarning}.Apply(fresh)
	if len(serious) > 0 {
		fmt.Fprintln(w, "\nnew errors and warnings:")
		_ = check.Report(w, serious)
	}
	if notes := len(fresh) - len(serious); notes > 0 {
		fmt.Fprintf(w, "\n%d new notes (rounding 尾差 and the like): yusuan check --db %s lists them\n", notes, db)
	}
	return code
}

// previousFindings are the findings of the latest saved check run.
func previousFindings(ctx context.Context, st *store.Store) ([]yusuan.Finding, error) {
	if _, ok, err := st.LatestRun(ctx); err != nil || !ok {
		return nil, err
	}
	stored, err := st.Findings(ctx, store.FindingFilter{})
	out := make([]yusuan.Finding, len(stored))
	for i, f := range stored {
		out[i] = f.Finding
	}
	return out, err
}

// newFindings are those of cur that prev did not have.
func newFindings(prev, cur []yusuan.Finding) []yusuan.Finding {
	key := func(f yusuan.Finding) string {
		k := f.Rule + "|" + f.Message
		for _, d := range f.Documents {
			k += "|" + d.SHA256
		}
		return k
	}
	seen := map[string]bool{}
	for _, f := range prev {
		seen[key(f)] = true
	}
	var out []yusuan.Finding
	for _, f := range cur {
		if !seen[key(f)] {
			out = append(out, f)
		}
	}
	return out
}

func demoCommand() command {
	c := command{name: "demo", summary: "zero set-up: start the built-in fixture portal on loopback, harvest it into a fresh database, check it, print the report", usage: "[--dir DIR] [--departments N]"}
	c.run = func(ctx context.Context, e *env, args []string) int {
		fs := newFlags(e, c)
		dir := fs.String("dir", "", "where to put the demo database and archive (default: a new temporary directory)")
		n := fs.Int("departments", 2, "synthetic departments on the portal (each with 2–4 units, two years)")
		if ok, st := parseFlags(fs, args); !ok {
			return st
		}
		if *dir == "" {
			d, err := os.MkdirTemp("", "yusuan-demo-")
			if err != nil {
				fmt.Fprintf(e.stderr, "yusuan demo: %v\n", err)
				return 1
			}
			*dir = d
		} else if err := os.MkdirAll(*dir, 0o755); err != nil {
			fmt.Fprintf(e.stderr, "yusuan demo: %v\n", err)
			return 1
		}
		return demo(ctx, e, *dir, *n)
	}
	return c
}

func demo(ctx context.Context, e *env, dir string, departments int) int {
	fmt.Fprintf(e.stderr, "yusuan demo: rendering %d synthetic departments…\n", departments)
	site, err := demosite.Build(1, departments)
	if err != nil {
		fmt.Fprintf(e.stderr, "yusuan demo: %v\n", err)
		return 1
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	p, err := portal.Start(ctx, portal.Options{Files: site.Files, Titles: site.Titles, SlowDelay: 2 * time.Second})
	if err != nil {
		fmt.Fprintf(e.stderr, "yusuan demo: %v\n", err)
		return 1
	}
	defer p.Close()
	cfg, err := crawl.ParseConfig("demo-sites.toml", []byte(p.SitesTOML("demo-portal")))
	if err != nil {
		fmt.Fprintf(e.stderr, "yusuan demo: %v\n", err)
		return 1
	}
	db := filepath.Join(dir, "yusuan.db")
	fmt.Fprintf(e.stderr, "yusuan demo: portal at %s serving %d PDFs (and the quirks of real portals); harvesting into %s\n", p.URL(), len(site.Files), db)
	quiet := *e
	quiet.log = e.log.With("demo", true)
	code := harvest(ctx, &quiet, db, cfg, "")
	fmt.Fprintf(e.stdout, "\nplanted in the synthetic documents: %d inconsistencies\n", len(site.Planted))
	for _, d := range site.Planted {
		fmt.Fprintf(e.stdout, "  %-22s %s %d: %s\n", d.Rule, d.Document.Entity, d.Document.Year, d.Detail)
	}
	fmt.Fprintf(e.stdout, "\nThe database is %s; try:\n  yusuan check --db %s\n  yusuan export --db %s --format csv --out %s\n", db, db, db, filepath.Join(dir, "dataset"))
	if code == crawl.ExitPartial {
		// The portal serves broken files and a slow page on purpose: those
		// failures are the demonstration, not a demo failure.
		code = 0
	}
	return code
}
