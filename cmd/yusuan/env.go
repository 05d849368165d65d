package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"runtime/debug"
	"sync"

	"yusuan/extract"
	"yusuan/progress"
)

// env carries the process's streams and global settings so commands are
// testable.
type env struct {
	stdout, stderr io.Writer
	log            *slog.Logger
	logs           *logConfig
	// terminal: stderr is a terminal of width columns (a live progress
	// line); otherwise progress goes to the log every few seconds.
	terminal bool
	width    int
}

func newEnv(stdout, stderr io.Writer) *env {
	lc := &logConfig{format: "text", out: &logSink{w: stderr}}
	return &env{stdout: stdout, stderr: stderr, logs: lc, log: slog.New(lc.handler())}
}

// logConfig is what the global flags set: the level (-q, -v) and the
// format (--log-format) of the one log handler, and where its lines go.
type logConfig struct {
	level  slog.LevelVar
	format string // "text" or "json"
	out    *logSink
}

// globalFlags registers -q, -v and --log-format in fs. They set the
// configuration as they are parsed, so the same flags work before the
// command name and after it.
func (e *env) globalFlags(fs *flag.FlagSet) {
	fs.Var(&levelFlag{lc: e.logs, level: slog.LevelWarn}, "q", "quiet: warnings and errors only, no progress line")
	fs.Var(&levelFlag{lc: e.logs, level: slog.LevelDebug}, "v", "verbose: debug log lines")
	fs.Var(&formatFlag{lc: e.logs}, "log-format", "log lines on stderr as `text` or json")
}

func isGlobalFlag(name string) bool { return name == "q" || name == "v" || name == "log-format" }

type levelFlag struct {
	lc    *logConfig
	level slog.Level
	on    bool
}

func (f *levelFlag) IsBoolFlag() bool { return true }
func (f *levelFlag) String() string {
	if f == nil || !f.on {
		return "false"
	}
	return "true"
}
func (f *levelFlag) Set(s string) error {
	switch s {
	case "true":
		f.on = true
		f.lc.level.Set(f.level)
	case "false":
		f.on = false
		f.lc.level.Set(slog.LevelInfo)
	default:
		return fmt.Errorf("want true or false, not %q", s)
	}
	return nil
}

type formatFlag struct{ lc *logConfig }

func (f *formatFlag) String() string {
	if f == nil || f.lc == nil {
		return "text"
	}
	return f.lc.format
}
func (f *formatFlag) Set(s string) error {
	if s != "text" && s != "json" {
		return fmt.Errorf("want text or json, not %q", s)
	}
	f.lc.format = s
	return nil
}

// quiet: -q was given.
func (lc *logConfig) quiet() bool { return lc.level.Level() > slog.LevelInfo }

// handler is the process's one slog handler. The format is looked up per
// record because the flags that choose it may be parsed after the logger
// was handed out.
func (lc *logConfig) handler() slog.Handler {
	o := &slog.HandlerOptions{Level: &lc.level}
	return &switchHandler{lc: lc, text: slog.NewTextHandler(lc.out, o), json: slog.NewJSONHandler(lc.out, o)}
}

type switchHandler struct {
	lc         *logConfig
	text, json slog.Handler
}

func (h *switchHandler) pick() slog.Handler {
	if h.lc.format == "json" {
		return h.json
	}
	return h.text
}
func (h *switchHandler) Enabled(ctx context.Context, l slog.Level) bool {
	return h.pick().Enabled(ctx, l)
}
func (h *switchHandler) Handle(ctx context.Context, r slog.Record) error {
	return h.pick().Handle(ctx, r)
}
func (h *switchHandler) WithAttrs(as []slog.Attr) slog.Handler {
	return &switchHandler{lc: h.lc, text: h.text.WithAttrs(as), json: h.json.WithAttrs(as)}
}
func (h *switchHandler) WithGroup(name string) slog.Handler {
	return &switchHandler{lc: h.lc, text: h.text.WithGroup(name), json: h.json.WithGroup(name)}
}

// logSink is where log lines go: stderr, or through the live progress
// line while one is shown.
type logSink struct {
	mu sync.Mutex
	w  io.Writer
}

func (s *logSink) Write(p []byte) (int, error) {
	s.mu.Lock()
	w := s.w
	s.mu.Unlock()
	return w.Write(p)
}

func (s *logSink) set(w io.Writer) io.Writer {
	s.mu.Lock()
	defer s.mu.Unlock()
	old := s.w
	s.w = w
	return old
}

// startProgress returns the progress.Func for a long command and the
// function that ends the display. On a terminal it is a live line on
// stderr (log lines pass above it); elsewhere a log line every few
// seconds; with -q nothing.
func (e *env) startProgress() (progress.Func, func()) {
	if e.logs.quiet() {
		return nil, func() {}
	}
	d := progress.NewDisplay(e.stderr, progress.DisplayOptions{Terminal: e.terminal, Width: e.width, Logger: e.log})
	if !e.terminal {
		return d.Report, d.Close
	}
	old := e.logs.out.set(d)
	return d.Report, func() {
		d.Close()
		e.logs.out.set(old)
	}
}

// printJSON writes v as one line of JSON on stdout (a --json summary).
func (e *env) printJSON(v any) error {
	enc := json.NewEncoder(e.stdout)
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// version is set by the build: go build -ldflags "-X main.version=v1.2.0".
var version string

// versionString names this build: the version (from -ldflags or the
// module), the commit it was built from, the Go release and the
// extractor's version (stored with every document).
func versionString() string {
	rev, dirty := "", ""
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				rev = s.Value
			case "vcs.modified":
				if s.Value == "true" {
					dirty = "+modified"
				}
			}
		}
	}
	s := releaseName()
	if rev != "" {
		s += " (" + rev[:min(12, len(rev))] + dirty + ")"
	}
	return s + " " + goVersion() + " extractor " + extract.Version
}

// releaseName is "yusuan VERSION" (from -ldflags, else the module's
// version, else devel), as WARC warcinfo records name the harvester.
func releaseName() string {
	v := version
	if bi, ok := debug.ReadBuildInfo(); ok && v == "" && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		v = bi.Main.Version
	}
	if v == "" {
		v = "devel"
	}
	return "yusuan " + v
}

func goVersion() string {
	if bi, ok := debug.ReadBuildInfo(); ok {
		return bi.GoVersion
	}
	return "go"
}
