package crawl

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"runtime/debug"
	"sync"
	"time"

	"yusuan/progress"
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
	// WARCMaxSize rotates WARC files; 0 means the config's warc_max_size,
	// or DefaultWARCMaxSize.
	WARCMaxSize int64
	// NoWARC disables WARC output (tests of other things).
	NoWARC bool
	Logger *slog.Logger
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Progress receives "crawl" events: files done of files scheduled,
	// failed files, bytes read, the site and URL being fetched. They come
	// in order, one at a time (under a lock): the Func must be cheap.
	Progress progress.Func
	// Software names the harvester in each WARC file's warcinfo record,
	// e.g. "yusuan 1.4.0"; "" uses the module's build information.
	Software string
}

// tracker keeps the harvest's progress totals and reports them.
type tracker struct {
	fn progress.Func

	mu        sync.Mutex
	ev        progress.Event
	lastBytes int64 // Bytes when last reported
}

// progressEvery is how many bytes pass between two events while a body
// downloads.
const progressEvery = 1 << 20

// update changes the totals and reports them when f says so. Events are
// reported under the lock, so a receiver sees them in order.
func (t *tracker) update(f func(*progress.Event) bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if f(&t.ev) {
		t.lastBytes = t.ev.Bytes
		t.fn.Report(t.ev)
	}
}

func (t *tracker) addTotal(n int) {
	if n != 0 {
		t.update(func(e *progress.Event) bool { e.Total += n; return true })
	}
}

func (t *tracker) fileDone(failed bool) {
	t.update(func(e *progress.Event) bool {
		e.Done++
		if failed {
			e.Failed++
		}
		return true
	})
}

func (t *tracker) addBytes(n int64) {
	t.update(func(e *progress.Event) bool { e.Bytes += n; return e.Bytes-t.lastBytes >= progressEvery })
}

func (t *tracker) current(s string) {
	t.update(func(e *progress.Event) bool { e.Current = s; return true })
}

func (t *tracker) bytes() int64 {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.ev.Bytes
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
		if err := recoverWARCs(warcDir, spool); err != nil {
			log.Warn("recover warc files", "err", err)
		}
		size := o.WARCMaxSize
		if size <= 0 {
			size = o.Config.WARCMaxSize
		}
		software := o.Software
		if software == "" {
			software = buildVersion()
		}
		var err error
		ww, err = newWARCWriter(warcDir, spool, size, warcInfo(software, sites))
		if err != nil {
			return nil, fmt.Errorf("harvest: %w", err)
		}
	}
	track := &tracker{fn: o.Progress}
	track.update(func(e *progress.Event) bool { e.Stage = "crawl"; return true })
	for _, s := range sites {
		rep.Sites = append(rep.Sites, s.Name)
		if ctx.Err() != nil {
			rep.SiteErrors[s.Name] = "cancelled before start"
			continue
		}
		if err := crawlSite(ctx, s, o, ww, spool, log, rep, now, track); err != nil {
			rep.SiteErrors[s.Name] = err.Error()
			log.Error("site failed", "site", s.Name, "err", err)
		}
	}
	if ww != nil {
		if err := ww.Close(); err != nil {
			log.Error("close warc", "err", err)
			rep.Failures[FailArchive]++
			rep.FailureList = append(rep.FailureList, Failure{Kind: FailArchive, Err: err.Error(), Cause: err})
		}
		rep.WARCFiles = ww.Files()
	}
	rep.Bytes = track.bytes()
	rep.Finished = now()
	return rep, ctx.Err()
}

// buildVersion names the running binary from its build information:
// "yusuan v1.2.3", or the VCS revision for a development build.
func buildVersion() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "yusuan (unknown version)"
	}
	v := bi.Main.Version
	for _, s := range bi.Settings {
		if s.Key == "vcs.revision" && (v == "" || v == "(devel)") {
			v = "(devel) " + s.Value[:min(12, len(s.Value))]
		}
	}
	if v == "" {
		v = "(devel)"
	}
	return "yusuan " + v + " (" + bi.GoVersion + ")"
}

func crawlSite(ctx context.Context, s Site, o Options, ww *warcWriter, spool string, log *slog.Logger, rep *Report, now func() time.Time, track *tracker) error {
	run, err := o.Frontier.StartRun(ctx, s.Name, now())
	if err != nil {
		return fmt.Errorf("start run: %w", err)
	}
	if run.Resumed {
		rep.Resumed = append(rep.Resumed, s.Name)
		log.Info("resuming interrupted run", "site", s.Name, "run", run.ID)
	}
	c := newCrawler(ctx, s, o.Frontier, o.Sink, ww, spool, log, rep, now, track)
	c.run = run
	track.current(s.Name)
	if err := c.crawl(ctx); err != nil {
		return err
	}
	if c.site.Kind == SiteHTML && c.pagesOK == 0 && c.startAllFailed(ctx) {
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
		rec, ok, err := c.fr.Lookup(ctx, s)
		if err != nil || !ok || rec.State != StateFailed {
			return false
		}
	}
	return true
}
