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
	"yusuan/web"
)

func crawlCommand() command {
	c := command{name: "crawl", summary: "harvest the configured sites into the archive and the store (polite, incremental, resumable)", usage: "[--db yusuan.db] --config sites.toml [--site NAME] [--json]"}
	c.run = func(ctx context.Context, e *env, args []string) int {
		fs := newFlags(e, c)
		db := dbFlag(fs)
		config := fs.String("config", "sites.toml", "sites configuration (TOML)")
		site := fs.String("site", "", "crawl only this site")
		asJSON := fs.Bool("json", false, "print the report as one JSON object")
		if ok, st := parseFlags(fs, args); !ok {
			return st
		}
		if fs.NArg() > 0 {
			return usageError(e, c, fmt.Sprintf("unexpected argument %q", fs.Arg(0)))
		}
		nothing := func(why string) int {
			if *asJSON {
				e.printJSON(crawlJSON{ExitCode: crawl.ExitNothing, Error: why})
			}
			return crawl.ExitNothing
		}
		cfg, ok := loadConfig(e, c.name, *config)
		if !ok {
			return nothing("cannot read " + *config)
		}
		st, ok := createStore(ctx, e, c.name, *db)
		if !ok {
			return nothing("cannot open the store " + *db)
		}
		defer st.Close()
		rep, err := crawlSites(ctx, e, st, cfg, *site)
		code := crawl.ExitCode(rep, err)
		if *asJSON {
			e.printJSON(crawlJSON{Report: rep, DB: st.Path(), ExitCode: code, Error: errString(err)})
		} else if rep != nil {
			fmt.Fprint(e.stdout, rep.String())
		}
		if err != nil {
			fmt.Fprintf(e.stderr, "yusuan crawl: %v\n", err)
		}
		return code
	}
	return c
}

// crawlJSON is the --json summary of crawl: the crawl report's fields
// (docs/cli.md) and the exit code.
type crawlJSON struct {
	*crawl.Report
	DB       string `json:"db"`
	ExitCode int    `json:"exit_code"`
	Error    string `json:"error,omitempty"`
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
	report, stop := e.startProgress()
	defer stop()
	return crawl.Harvest(ctx, crawl.Options{
		Config: cfg, Site: site,
		Frontier:   crawl.NewStoreFrontier(st),
		Sink:       sink,
		ArchiveDir: st.Archive().Dir(),
		LockPath:   st.Path() + ".lock",
		Logger:     e.log,
		Progress:   report,
		Software:   releaseName(),
	})
}

func harvestCommand() command {
	c := command{name: "harvest", summary: "the nightly job: crawl + ingest + check + a summary report; exit 0 ok, 1 partial, 2 nothing done, 3 another run holds the lock", usage: "--config sites.toml [--db yusuan.db] [--site NAME] [--json]"}
	c.run = func(ctx context.Context, e *env, args []string) int {
		fs := newFlags(e, c)
		db := dbFlag(fs)
		config := fs.String("config", "sites.toml", "sites configuration (TOML)")
		site := fs.String("site", "", "harvest only this site")
		asJSON := fs.Bool("json", false, "print the summary as one JSON object (for cron wrappers and monitoring)")
		if ok, st := parseFlags(fs, args); !ok {
			return st
		}
		if fs.NArg() > 0 {
			return usageError(e, c, fmt.Sprintf("unexpected argument %q", fs.Arg(0)))
		}
		cfg, ok := loadConfig(e, c.name, *config)
		if !ok {
			if *asJSON {
				e.printJSON(harvestJSON{ExitCode: crawl.ExitNothing, Error: "cannot read " + *config})
			}
			return crawl.ExitNothing
		}
		code, _ := harvest(ctx, e, *db, cfg, *site, *asJSON)
		return code
	}
	return c
}

// harvestJSON is the --json summary of harvest (docs/cli.md).
type harvestJSON struct {
	Crawl     *crawl.Report  `json:"crawl"`
	DB        string         `json:"db"`
	Documents harvestDocs    `json:"documents"`
	Check     *harvestChecks `json:"check"`
	ExitCode  int            `json:"exit_code"`
	Error     string         `json:"error,omitempty"`
}

type harvestDocs struct {
	New    int `json:"new"`    // documents stored by this run
	Failed int `json:"failed"` // of those, could not be extracted
	Total  int `json:"total"`  // documents in the store after the run
}

type harvestChecks struct {
	Documents int            `json:"documents"`
	Findings  map[string]int `json:"findings"` // by severity, false alarms hidden
	New       int            `json:"new"`      // findings not open before this run
	Changed   int            `json:"changed"`  // open before, with other figures now
	Gone      int            `json:"gone"`     // open before, not found now
}

func bySeverity(fs []yusuan.Finding) map[string]int {
	n := map[string]int{string(yusuan.SeverityError): 0, string(yusuan.SeverityWarning): 0, string(yusuan.SeverityInfo): 0}
	for _, f := range fs {
		n[string(f.Severity)]++
	}
	return n
}

// harvest runs crawl, ingest (inside the crawl's sink) and check, and prints
// the report, as JSON with asJSON. It returns the exit code and the
// summary.
func harvest(ctx context.Context, e *env, db string, cfg *crawl.Config, site string, asJSON bool) (int, harvestJSON) {
	out := harvestJSON{}
	done := func(code int, err error) (int, harvestJSON) {
		out.ExitCode, out.Error = code, errString(err)
		if asJSON {
			e.printJSON(out)
		}
		return code, out
	}
	st, ok := createStore(ctx, e, "harvest", db)
	if !ok {
		return done(crawl.ExitNothing, errors.New("cannot open the store"))
	}
	defer st.Close()
	out.DB = st.Path()
	failedBefore, _ := st.Count(ctx, store.Filter{Status: store.StatusFailed})
	docsBefore, _ := st.Count(ctx, store.Filter{})
	rep, err := crawlSites(ctx, e, st, cfg, site)
	out.Crawl = rep
	code := crawl.ExitCode(rep, err)
	if errors.Is(err, crawl.ErrLocked) {
		fmt.Fprintln(e.stderr, "yusuan harvest: another harvest is running; nothing done")
		return done(code, err)
	}
	if err != nil {
		fmt.Fprintf(e.stderr, "yusuan harvest: %v\n", err)
	}
	if rep == nil {
		return done(code, err)
	}
	res, cerr := runChecks(ctx, st, check.Filter{})
	if cerr != nil {
		fmt.Fprintf(e.stderr, "yusuan harvest: check: %v\n", cerr)
		code = max(code, crawl.ExitPartial)
		if err == nil {
			err = cerr
		}
	}
	failedAfter, _ := st.Count(ctx, store.Filter{Status: store.StatusFailed})
	docsAfter, _ := st.Count(ctx, store.Filter{})
	out.Documents = harvestDocs{New: docsAfter - docsBefore, Failed: failedAfter - failedBefore, Total: docsAfter}
	if cerr == nil {
		out.Check = &harvestChecks{Documents: res.Documents, Findings: bySeverity(check.Visible(res.Findings)),
			New: res.Run.New, Changed: res.Run.Changed, Gone: res.Run.Gone}
	}
	if asJSON {
		return done(code, err)
	}
	w := e.stdout
	fmt.Fprintf(w, "== harvest %s ==\n", time.Now().Format(time.DateTime))
	fmt.Fprint(w, rep.String())
	fmt.Fprintf(w, "documents: %d new (%d could not be extracted), %d in the store\n", docsAfter-docsBefore, failedAfter-failedBefore, docsAfter)
	if cerr == nil {
		if err := check.ReportRun(ctx, w, st, res, db); err != nil {
			fmt.Fprintf(e.stderr, "yusuan harvest: check report: %v\n", err)
		}
	}
	return done(code, err)
}

func demoCommand() command {
	c := command{name: "demo", summary: "zero set-up: start the built-in fixture portal on loopback, harvest it into a fresh database, check it, print the report", usage: "[--dir DIR] [--departments N] [--serve [--addr 127.0.0.1:8080]]"}
	c.run = func(ctx context.Context, e *env, args []string) int {
		fs := newFlags(e, c)
		dir := fs.String("dir", "", "where to put the demo database and archive (default: a new temporary directory)")
		n := fs.Int("departments", 2, "synthetic departments on the portal (each with 2–4 units, two years)")
		serveUI := fs.Bool("serve", false, "then serve the web UI on the demo database (yusuan serve) until Ctrl-C")
		addr := fs.String("addr", "127.0.0.1:8080", "with --serve: the address to listen on (loopback)")
		if ok, st := parseFlags(fs, args); !ok {
			return st
		}
		if *serveUI {
			if err := web.CheckAddr(*addr, false); err != nil {
				fmt.Fprintf(e.stderr, "yusuan demo: %v\n", err)
				return 2
			}
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
		code := demo(ctx, e, *dir, *n)
		if code != 0 || !*serveUI {
			return code
		}
		st, ok := openStore(ctx, e, c.name, filepath.Join(*dir, "yusuan.db"))
		if !ok {
			return 1
		}
		defer st.Close()
		return serve(ctx, e, st, *addr, web.Options{})
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
	code, sum := harvest(ctx, &quiet, db, cfg, "", false)
	// What a cron wrapper or a monitor reads from `yusuan harvest --json`.
	fmt.Fprintln(e.stdout, "\nthe same as JSON (yusuan harvest --json, for cron wrappers and monitoring):")
	e.printJSON(sum)
	fmt.Fprintf(e.stdout, "\nplanted in the synthetic documents: %d inconsistencies\n", len(site.Planted))
	for _, d := range site.Planted {
		fmt.Fprintf(e.stdout, "  %-22s %s %d: %s\n", d.Rule, d.Document.Entity, d.Document.Year, d.Detail)
	}
	fmt.Fprintf(e.stdout, "\nThe database is %s; try:\n  yusuan check --db %s\n  yusuan export --db %s --format xlsx --out %s --json\n", db, db, db, filepath.Join(dir, "dataset"))
	fmt.Fprintf(e.stdout, "\nThe web UI on it (the findings drawn on their pages, verdicts, documents, entities):\n  yusuan serve --db %s\n  then open http://127.0.0.1:8080/ (yusuan demo --serve starts it right after the demo)\n", db)
	if code == crawl.ExitPartial {
		// The portal serves broken files and a slow page on purpose: those
		// failures are the demonstration, not a demo failure.
		code = 0
	}
	return code
}
