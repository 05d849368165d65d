package progress

import (
	"fmt"
	"io"
	"log/slog"
	"strings"
	"sync"
	"time"

	"golang.org/x/text/width"
)

// DisplayOptions configure a Display.
type DisplayOptions struct {
	// Terminal draws one status line redrawn in place; otherwise progress
	// goes to Logger as a line every LogEvery.
	Terminal bool
	// Width is the terminal's width in columns (default 80); the line is
	// cut to fit so it never wraps (a wrapped line cannot be redrawn).
	Width int
	// Logger receives the progress lines when not on a terminal.
	Logger *slog.Logger
	// Redraw is the least time between two redraws (default 100 ms).
	Redraw time.Duration
	// LogEvery is the least time between two progress log lines
	// (default 5 s).
	LogEvery time.Duration
	// Now is the clock (default time.Now); Ticks, when set, replaces the
	// internal ticker. Tests drive both.
	Now   func() time.Time
	Ticks <-chan time.Time
}

// Display renders events: on a terminal a live line on its writer (files
// n/N, bytes, rate, ETA, what is being worked on), redrawn at most every
// Redraw and cleared by Close; elsewhere a log line every LogEvery while
// work goes on. It is the writer log lines must go through while it is
// live, so they appear above the status line instead of through it.
type Display struct {
	out  io.Writer
	opt  DisplayOptions
	stop chan struct{}
	done chan struct{}

	mu       sync.Mutex
	stages   map[string]*stage
	current  string // stage of the latest event
	shown    bool   // a status line is on the screen
	dirty    bool   // events since the last draw or log line
	lastDraw time.Time
	lastLog  time.Time
	closed   bool
}

type stage struct {
	start time.Time
	last  Event
}

// NewDisplay starts a display writing to out (the terminal, normally
// stderr). Close it when the work ends.
func NewDisplay(out io.Writer, opt DisplayOptions) *Display {
	if opt.Width <= 0 {
		opt.Width = 80
	}
	if opt.Redraw <= 0 {
		opt.Redraw = 100 * time.Millisecond
	}
	if opt.LogEvery <= 0 {
		opt.LogEvery = 5 * time.Second
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.Logger == nil {
		opt.Logger = slog.Default()
	}
	d := &Display{out: out, opt: opt, stages: map[string]*stage{}, stop: make(chan struct{}), done: make(chan struct{})}
	d.lastLog = opt.Now()
	ticks := opt.Ticks
	var ticker *time.Ticker
	if ticks == nil {
		every := opt.Redraw
		if !opt.Terminal {
			every = opt.LogEvery
		}
		ticker = time.NewTicker(every)
		ticks = ticker.C
	}
	go func() {
		defer close(d.done)
		if ticker != nil {
			defer ticker.Stop()
		}
		for {
			select {
			case <-d.stop:
				return
			case t, ok := <-ticks:
				if !ok {
					<-d.stop
					return
				}
				d.tick(t)
			}
		}
	}()
	return d
}

// Report takes an event; it is a Func and safe for concurrent use.
func (d *Display) Report(e Event) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.closed {
		return
	}
	now := d.opt.Now()
	s := d.stages[e.Stage]
	if s == nil {
		s = &stage{start: now}
		d.stages[e.Stage] = s
	}
	s.last = e
	d.current = e.Stage
	d.dirty = true
	if d.opt.Terminal && now.Sub(d.lastDraw) >= d.opt.Redraw {
		d.draw(now)
	}
}

// tick redraws (the rate and ETA move even without events) or logs.
func (d *Display) tick(now time.Time) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.closed || d.current == "" {
		return
	}
	if d.opt.Terminal {
		if now.Sub(d.lastDraw) >= d.opt.Redraw {
			d.draw(now)
		}
		return
	}
	if d.dirty && now.Sub(d.lastLog) >= d.opt.LogEvery {
		d.lastLog = now
		d.dirty = false
		s := d.stages[d.current]
		e := s.last
		args := []any{"stage", e.Stage, "done", e.Done}
		if e.Total > 0 {
			args = append(args, "total", e.Total)
		}
		if e.Failed > 0 {
			args = append(args, "failed", e.Failed)
		}
		if e.Bytes > 0 {
			args = append(args, "bytes", e.Bytes)
		}
		rate, eta := s.rate(now)
		args = append(args, "per_second", fmt.Sprintf("%.1f", rate))
		if eta > 0 {
			args = append(args, "eta", eta.String())
		}
		if e.Current != "" {
			args = append(args, "current", e.Current)
		}
		d.opt.Logger.Info("progress", args...)
	}
}

// draw writes the status line in place. Callers hold mu.
func (d *Display) draw(now time.Time) {
	line := fit(d.stages[d.current].line(now), d.opt.Width-1)
	fmt.Fprintf(d.out, "\r%s\033[K", line)
	d.shown = true
	d.dirty = false
	d.lastDraw = now
}

// Write passes a log line through: on a terminal the status line is
// cleared first and drawn again below it.
func (d *Display) Write(p []byte) (int, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if !d.shown {
		return d.out.Write(p)
	}
	if _, err := io.WriteString(d.out, "\r\033[K"); err != nil {
		return 0, err
	}
	n, err := d.out.Write(p)
	if err == nil && !d.closed {
		d.draw(d.opt.Now())
	}
	return n, err
}

// Close stops the display and clears the status line.
func (d *Display) Close() {
	d.mu.Lock()
	if d.closed {
		d.mu.Unlock()
		return
	}
	d.closed = true
	if d.shown {
		io.WriteString(d.out, "\r\033[K")
		d.shown = false
	}
	d.mu.Unlock()
	close(d.stop)
	<-d.done
}

// rate is items per second since the stage started, and the time left
// when the total is known.
func (s *stage) rate(now time.Time) (float64, time.Duration) {
	el := now.Sub(s.start).Seconds()
	// Under a second the rate is noise (1 file in 1 ms is not 1000/s).
	if el < 1 || s.last.Done == 0 {
		return 0, 0
	}
	r := float64(s.last.Done) / el
	if s.last.Total <= s.last.Done {
		return r, 0
	}
	eta := time.Duration(float64(s.last.Total-s.last.Done) / r * float64(time.Second))
	return r, eta.Round(time.Second)
}

func (s *stage) line(now time.Time) string {
	e := s.last
	var b strings.Builder
	b.WriteString(e.Stage)
	if e.Total > 0 {
		fmt.Fprintf(&b, " %d/%d %d%%", e.Done, e.Total, 100*e.Done/e.Total)
	} else {
		fmt.Fprintf(&b, " %d", e.Done)
	}
	if e.Failed > 0 {
		fmt.Fprintf(&b, " · %d failed", e.Failed)
	}
	el := now.Sub(s.start).Seconds()
	if e.Bytes > 0 {
		fmt.Fprintf(&b, " · %s", Bytes(e.Bytes))
		if el >= 1 {
			fmt.Fprintf(&b, " %s/s", Bytes(int64(float64(e.Bytes)/el)))
		}
	}
	rate, eta := s.rate(now)
	if rate > 0 {
		fmt.Fprintf(&b, " · %.1f/s", rate)
	}
	if eta > 0 {
		fmt.Fprintf(&b, " · ETA %s", eta)
	}
	if e.Current != "" {
		fmt.Fprintf(&b, " · %s", e.Current)
	}
	return b.String()
}

// Bytes formats a byte count for people (1.5 MB).
func Bytes(n int64) string {
	const unit = 1000
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %cB", float64(n)/float64(div), "kMGTPE"[exp])
}

// fit cuts s to at most cols terminal columns (Chinese characters take
// two), marking a cut with "…".
func fit(s string, cols int) string {
	w := 0
	for i, r := range s {
		rw := runeWidth(r)
		if w+rw > cols-1 {
			// Room for the ellipsis only if the rest does not fit either.
			if stringWidth(s[i:]) <= cols-w {
				return s
			}
			return s[:i] + "…"
		}
		w += rw
	}
	return s
}

func stringWidth(s string) int {
	w := 0
	for _, r := range s {
		w += runeWidth(r)
	}
	return w
}

func runeWidth(r rune) int {
	switch width.LookupRune(r).Kind() {
	case width.EastAsianWide, width.EastAsianFullwidth:
		return 2
	}
	return 1
}
