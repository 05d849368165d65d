package ingest

import (
	"log/slog"
	"path/filepath"
	"time"

	"yusuan/progress"
)

// runProgress reports a run: events to the progress func (the CLI draws
// them), failures and the closing counts to the log. Callers serialise
// access.
type runProgress struct {
	report progress.Func
	log    *slog.Logger
	verb   string
	total  int
	bytes  int64  // of the files finished
	last   string // the file finished last
}

func newProgress(fn progress.Func, logger *slog.Logger, verb string, total int) *runProgress {
	if logger == nil {
		logger = slog.Default()
	}
	p := &runProgress{report: fn, verb: verb, total: total, log: logger}
	p.log.Info(verb+" start", "files", total)
	p.report.Report(progress.Event{Stage: verb, Total: total})
	return p
}

func (p *runProgress) fail(path, reason string) {
	p.last = path
	p.log.Warn(p.verb+" failed", "file", path, "reason", reason)
}

// done logs one file at debug level: progress events carry the counts.
func (p *runProgress) done(path string, res Result) {
	p.bytes += res.Size
	p.last = path
	if res.Outcome == Failed {
		return
	}
	args := []any{"file", filepath.Base(path), "sha256", res.SHA256, "outcome", res.Outcome.String()}
	if res.Doc != nil {
		args = append(args, "tables", len(res.Doc.Tables))
	}
	p.log.Debug(p.verb, args...)
}

// update reports the counts after a file finished.
func (p *runProgress) update(s Summary) {
	p.report.Report(progress.Event{Stage: p.verb, Done: s.New + s.Known + s.Failed + s.Unreadable, Total: p.total,
		Failed: s.Failed + s.Unreadable, Bytes: p.bytes, Current: filepath.Base(p.last)})
}

func (p *runProgress) finish(s Summary) {
	p.log.Info(p.verb+" done", "files", s.Files, "new", s.New, "known", s.Known, "failed", s.Failed,
		"unreadable", s.Unreadable, "elapsed", s.Elapsed.Round(time.Millisecond))
}
