package progress

import (
	"bytes"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"
)

// screen is a fake terminal: it interprets what a Display writes (\r, \n,
// erase to end of line) into the lines a person would see, and counts the
// redraws.
type screen struct {
	mu     sync.Mutex
	lines  []string // finished lines
	cur    []rune   // the line the cursor is on
	col    int
	draws  int
	writes []string
}

func (s *screen) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.writes = append(s.writes, string(p))
	str := string(p)
	for len(str) > 0 {
		switch {
		case strings.HasPrefix(str, "\033[K"):
			s.cur = s.cur[:s.col]
			str = str[3:]
		case str[0] == '\r':
			s.col = 0
			s.draws++
			str = str[1:]
		case str[0] == '\n':
			s.lines = append(s.lines, string(s.cur))
			s.cur, s.col = nil, 0
			str = str[1:]
		default:
			r := []rune(str)[0]
			if s.col < len(s.cur) {
				s.cur[s.col] = r
			} else {
				s.cur = append(s.cur, r)
			}
			s.col++
			str = str[len(string(r)):]
		}
	}
	return len(p), nil
}

func (s *screen) status() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return string(s.cur)
}

// clock is a fake clock.
type clock struct{ t time.Time }

func (c *clock) now() time.Time                { return c.t }
func (c *clock) add(d time.Duration) time.Time { c.t = c.t.Add(d); return c.t }

func TestTerminalLineRedrawnInPlaceAndCleared(t *testing.T) {
	scr := &screen{}
	clk := &clock{t: time.Date(2026, 12, 5, 10, 0, 0, 0, time.UTC)}
	ticks := make(chan time.Time)
	d := NewDisplay(scr, DisplayOptions{Terminal: true, Width: 100, Now: clk.now, Ticks: ticks})
	log := slog.New(slog.NewTextHandler(d, &slog.HandlerOptions{ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
		if a.Key == slog.TimeKey {
			return slog.Attr{}
		}
		return a
	}}))

	d.Report(Event{Stage: "ingest", Done: 0, Total: 40, Current: "a.pdf"})
	if got := scr.status(); got != "ingest 0/40 0% · a.pdf" {
		t.Fatalf("first line %q", got)
	}
	// A burst of events within 100 ms draws nothing more.
	for i := 1; i <= 50; i++ {
		clk.add(time.Millisecond)
		d.Report(Event{Stage: "ingest", Done: i % 10, Total: 40, Bytes: int64(i) * 100_000, Current: "b.pdf"})
	}
	if scr.draws != 1 {
		t.Fatalf("%d draws for a 50 ms burst, want 1", scr.draws)
	}
	// Two seconds after the start, 10 of 40 done: 5 files/s, 6 s left.
	clk.add(2*time.Second - 50*time.Millisecond)
	d.Report(Event{Stage: "ingest", Done: 10, Total: 40, Failed: 1, Bytes: 3_000_000, Current: "046008-2026年部门预算.pdf"})
	want := "ingest 10/40 25% · 1 failed · 3.0 MB 1.5 MB/s · 5.0/s · ETA 6s · 046008-2026年部门预算.pdf"
	if got := scr.status(); got != want {
		t.Fatalf("status\n got %q\nwant %q", got, want)
	}
	// A log line goes above the status line, which is drawn again.
	log.Warn("ingest failed", "file", "x.pdf")
	if len(scr.lines) != 1 || scr.lines[0] != `level=WARN msg="ingest failed" file=x.pdf` || scr.status() != want {
		t.Fatalf("after a log line: lines %q, status %q", scr.lines, scr.status())
	}
	// Ticks redraw at most every 100 ms; the ETA moves on without events.
	draws := scr.draws
	ticks <- clk.add(50 * time.Millisecond)
	ticks <- clk.add(950 * time.Millisecond) // this one is handled once the next is taken
	ticks <- clk.add(10 * time.Millisecond)
	if scr.draws != draws+1 || !strings.Contains(scr.status(), "ETA 9s") {
		t.Fatalf("%d redraws after ticks (want 1), status %q", scr.draws-draws, scr.status())
	}
	d.Close()
	if scr.status() != "" || len(scr.lines) != 1 {
		t.Fatalf("after Close: status %q, lines %q", scr.status(), scr.lines)
	}
	// Nothing is drawn after Close.
	d.Report(Event{Stage: "ingest", Done: 40, Total: 40})
	if scr.status() != "" {
		t.Fatalf("drawn after Close: %q", scr.status())
	}
}

func TestLineFitsTheTerminal(t *testing.T) {
	scr := &screen{}
	clk := &clock{t: time.Unix(0, 0)}
	d := NewDisplay(scr, DisplayOptions{Terminal: true, Width: 30, Now: clk.now, Ticks: make(chan time.Time)})
	defer d.Close()
	d.Report(Event{Stage: "crawl", Done: 3, Current: "财政局部门预算公开目录第二页"})
	got := scr.status()
	if stringWidth(got) > 29 || !strings.HasSuffix(got, "…") || !strings.HasPrefix(got, "crawl 3 · 财政局") {
		t.Fatalf("%q (%d columns) does not fit 30 columns", got, stringWidth(got))
	}
}

func TestLogLinesEveryFewSecondsWhenNotATerminal(t *testing.T) {
	var buf bytes.Buffer
	clk := &clock{t: time.Unix(0, 0)}
	logger := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
		if a.Key == slog.TimeKey {
			return slog.Attr{}
		}
		return a
	}}))
	var out bytes.Buffer
	d := NewDisplay(&out, DisplayOptions{Logger: logger, Now: clk.now, LogEvery: 5 * time.Second, Ticks: make(chan time.Time)})
	for i := 1; i <= 20; i++ {
		clk.add(500 * time.Millisecond)
		d.Report(Event{Stage: "crawl", Done: i, Bytes: int64(i) * 1000, Current: "https://czj.example.gov.cn/list.html"})
		d.tick(clk.t)
	}
	d.Close()
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	// 10 s of work logged every 5 s: two lines, none on the writer itself.
	if len(lines) != 2 || out.Len() != 0 {
		t.Fatalf("log lines %q, terminal output %q", lines, out.String())
	}
	want := `level=INFO msg=progress stage=crawl done=10 bytes=10000 per_second=2.2 current=https://czj.example.gov.cn/list.html`
	if lines[0] != want {
		t.Fatalf("line\n got %s\nwant %s", lines[0], want)
	}
	// No events, no lines.
	clk.add(time.Minute)
	d.tick(clk.t)
	if n := strings.Count(buf.String(), "\n"); n != 2 {
		t.Fatalf("%d lines after an idle minute", n)
	}
}

func TestBytes(t *testing.T) {
	for n, want := range map[int64]string{0: "0 B", 999: "999 B", 1000: "1.0 kB", 1_500_000: "1.5 MB", 2_000_000_000: "2.0 GB"} {
		if got := Bytes(n); got != want {
			t.Errorf("Bytes(%d) = %q, want %q", n, got, want)
		}
	}
}
