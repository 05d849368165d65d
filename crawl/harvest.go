package crawl

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"time"
)

// Options configures Harvest.
type Options struct {
	Config *Config
	// Site limits the harvest to one site by name; "" crawls them all.
	Site     string
	Frontier Frontier
	// Sink receives new and revised files; nil drops them (dry run).
	Sink Sink
	// ArchiveDir holds warc/ (WARC files) and spool/ (bodies in transit).
	ArchiveDir string
	// LockPath is the lock file (e.g. the database path + ".lock"); ""
	// takes no lock.
	LockPath string
	// WARCMaxSize rotates WARC files; 0 means DefaultWARCMaxSize.
	WARCMaxSize int64
	// NoWARC disables WARC output (tests of other things).
	NoWARC bool
	Logger *slog.Logger
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Progress, when set, is called after every fetch (from several
	// goroutines at once) for progress display.
	Progress func(Progress)
}

// Progress is one finished fetch.
type Progress struct {
	Site   string
	URL    string
	Kind   Kind
	Result Result
}

// Harvest crawls the configured sites one after another into the frontier,
// the WARC archive and the sink, and returns what happened. One failing
// site never stops the others. It returns ErrLocked when another harvest
// holds LockPath, and an error only when nothing could be done at all
// (config, lock, archive directory). Map the result to an exit code with
// ExitCode. A harvest cancelled through ctx (or killed) leaves its
// unfinished URLs pending; the next Harvest resumes them.
func Harvest(ctx context.Context, o Options) (*Report, error) {
	if o.Config == nil || len(o.Config.Sites) == 0 {
		return nil, errors.New("harvest: no sites configured")
	}
	if o.Frontier == nil {
		return nil, errors.New("harvest: no frontier")
	}
	if o.ArchiveDir == "" {
		return nil, errors.New("harvest: no archive directory")
	}
	log := o.Logger
	if log == nil {
		log = slog.Default()
	}
	now := o.Now
	if now == nil {
		now = time.Now
	}
	sites := o.Config.Sites
	if o.Site != "" {
		s, ok := o.Config.Site(o.Site)
		if !ok {
			return nil, fmt.Errorf("harvest: no site named %q in the config", o.Site)
		}
		sites = []Site{s}
	}
	if o.LockPath != "" {
		unlock, err := lockFile(o.LockPath)
		if err != nil {
			return nil, err
		}
		defer unlock()
	}
	warcDir := filepath.Join(o.ArchiveDir, "warc")
	spool := filepath.Join(o.ArchiveDir, "spool")
	if err := os.MkdirAll(spool, 0o755); err != nil {
		return nil, fmt.Errorf("harvest: spool dir: %w", err)
	}
	// Bodies a killed run left in transit are of no use: the URLs are
	// still pending and will be fetched again.
	if m, err := filepath.Glob(filepath.Join(spool, "*")); err == nil {
		for _, f := range m {
			os.RemoveAll(f)
		}
	}
	rep := newReport(now())
	var ww *warcWriter
	if !o.NoWARC {
		if err := os.MkdirAll(warcDir, 0o755); err != nil {
			return nil, fmt.Errorf("harvest: warc dir: %w", err)
		}
		if err := recoverOpenWARCs(warcDir); err != nil {
			log.Warn("recover open warc files", "err", err)
		}
		var err error
		ww, err = newWARCWriter(warcDir, spool, o.WARCMaxSize)
		if err != nil {
			return nil, fmt.Errorf("harvest: %w", err)
		}
	}
	for _, s := range sites {
		rep.Sites = append(rep.Sites, s.Name)
		if ctx.Err() != nil {
			rep.SiteErrors[s.Name] = "cancelled before start"
			continue
		}
		if err := crawlSite(ctx, s, o, ww, spool, log, rep, now); err != nil {
			rep.SiteErrors[s.Name] = err.Error()
			log.Error("site failed", "site", s.Name, "err", err)
		}
	}
	if ww != nil {
		if err := ww.Close(); err != nil {
			log.Error("close warc", "err", err)
		}
		rep.WARCFiles = ww.Files()
	}
	rep.Finished = now()
	return rep, ctx.Err()
}

func crawlSite(ctx context.Context, s Site, o Options, ww *warcWriter, spool string, log *slog.Logger, rep *Report, now func() time.Time) error {
	run, err := o.Frontier.StartRun(ctx, s.Name, now())
	if err != nil {
		return fmt.Errorf("start run: %w", err)
	}
	if run.Resumed {
		rep.Resumed = append(rep.Resumed, s.Name)
		log.Info("resuming interrupted run", "site", s.Name, "run", run.ID)
	}
	c := newCrawler(ctx, s, o.Frontier, o.Sink, ww, spool, log, rep, now)
	c.run = run
	c.progress = o.Progress
	if err := c.crawl(ctx); err != nil {
		return err
	}
	if c.pagesOK == 0 && c.startAllFailed(ctx) {
		// Keep the run finished anyway: a dead site is retried tomorrow.
		_ = o.Frontier.FinishRun(ctx, run, now())
		return errors.New("no start URL could be fetched")
	}
	if err := o.Frontier.FinishRun(ctx, run, now()); err != nil {
		return fmt.Errorf("finish run: %w", err)
	}
	return nil
}

// startAllFailed reports whether every start URL ended failed.
func (c *crawler) startAllFailed(ctx context.Context) bool {
	for _, s := range c.site.Start {
		rec, ok, err := c.fr.Lookup(ctx, normalizeURL(s))
		if err != nil || !ok || rec.State != StateFailed {
			return false
		}
	}
	return true
}
