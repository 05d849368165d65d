package ingest

import (
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"golang.org/x/term"
)

// progress reports a run: a one-line bar redrawn in place on a terminal,
// log lines anywhere else. Callers serialise access.
type progress struct {
	w       io.Writer // the terminal, or nil
	width   int
	log     *slog.Logger
	verb    string
	total   int
	start   time.Time
	lastBar time.Time
}

func newProgress(w io.Writer, logger *slog.Logger, verb string, total int) *progress {
	p := &progress{verb: verb, total: total, start: time.Now(), log: logger}
	if f, ok := w.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		p.w = w
		p.width = 80
		if cols, _, err := term.GetSize(int(f.Fd())); err == nil && cols > 20 {
			p.width = cols
		}
		return p
	}
	if p.log == nil {
		if w != nil {
			p.log = slog.New(slog.NewTextHandler(w, nil))
		} else {
			p.log = slog.Default()
		}
	}
	p.log.Info(verb+" start", "files", total)
	return p
}

func (p *progress) fail(path, reason string) {
	if p.w != nil {
		// Above the bar, which the next update redraws.
		fmt.Fprintf(p.w, "\r\033[K%s: %s\n", path, reason)
		p.lastBar = time.Time{}
		return
	}
	p.log.Warn(p.verb+" failed", "file", path, "reason", reason)
}

func (p *progress) done(path string, res Result) {
	if p.w != nil || res.Outcome == Failed {
		return
	}
	args := []any{"file", filepath.Base(path), "sha256", res.SHA256, "outcome", res.Outcome.String()}
	if res.Doc != nil {
		args = append(args, "tables", len(res.Doc.Tables))
	}
	p.log.Info(p.verb, args...)
}

func (p *progress) update(s Summary) {
	if p.w == nil {
		return
	}
	done := s.New + s.Known + s.Failed + s.Unreadable
	if time.Since(p.lastBar) < 100*time.Millisecond && done < p.total {
		return
	}
	p.lastBar = time.Now()
	el := time.Since(p.start).Seconds()
	rate := 0.0
	if el > 0 {
		rate = float64(done) / el
	}
	info := fmt.Sprintf(" %d/%d  new %d  known %d  failed %d  %.1f/s", done, p.total, s.New, s.Known, s.Failed, rate)
	if rate > 0 && done < p.total {
		info += fmt.Sprintf("  ETA %s", (time.Duration(float64(p.total-done)/rate) * time.Second).Round(time.Second))
	}
	// A fixed width, so the bar does not jump as the counts grow.
	barW := min(max(p.width-70, 10), 30)
	filled := 0
	if p.total > 0 {
		filled = barW * done / p.total
	}
	fmt.Fprintf(p.w, "\r%s [%s%s]%s\033[K", p.verb, strings.Repeat("#", filled), strings.Repeat("-", barW-filled), info)
}

func (p *progress) finish(s Summary) {
	if p.w != nil {
		p.lastBar = time.Time{}
		p.update(s)
		fmt.Fprintln(p.w)
		return
	}
	p.log.Info(p.verb+" done", "files", s.Files, "new", s.New, "known", s.Known, "failed", s.Failed,
		"unreadable", s.Unreadable, "elapsed", s.Elapsed.Round(time.Millisecond))
}
