package crawl

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"yusuan/fixtures/portal"
	"yusuan/store"
)

// fakeSink keeps what it is handed, checking each body against its digest.
// With dir set it also writes each body there (for the kill test).
type fakeSink struct {
	dir   string
	mu    sync.Mutex
	files []FetchedFile
	sizes map[string]int64
}

func (s *fakeSink) Store(_ context.Context, f FetchedFile) error {
	fh, err := os.Open(f.Path)
	if err != nil {
		return err
	}
	defer fh.Close()
	h := sha256.New()
	var w io.Writer = h
	var out *os.File
	if s.dir != "" {
		out, err = os.Create(filepath.Join(s.dir, f.SHA256+".tmp"))
		if err != nil {
			return err
		}
		w = io.MultiWriter(h, out)
	}
	n, err := io.Copy(w, fh)
	if err != nil {
		return err
	}
	if hex.EncodeToString(h.Sum(nil)) != f.SHA256 || n != f.Size {
		return fmt.Errorf("body of %s does not match its digest", f.URL)
	}
	if out != nil {
		out.Close()
		if err := os.Rename(out.Name(), filepath.Join(s.dir, f.SHA256)); err != nil {
			return err
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.files = append(s.files, f)
	if s.sizes == nil {
		s.sizes = map[string]int64{}
	}
	s.sizes[f.SHA256] = f.Size
	return nil
}

// byPath groups the files handed on by the path their bytes came from.
func (s *fakeSink) byPath() map[string][]FetchedFile {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := map[string][]FetchedFile{}
	for _, f := range s.files {
		out[pathOf(f.FinalURL)] = append(out[pathOf(f.FinalURL)], f)
	}
	return out
}

// pathOf is a loopback URL's path and query.
func pathOf(u string) string {
	i := strings.Index(u[len("http://"):], "/")
	return u[len("http://")+i:]
}

func startPortal(t *testing.T, opts portal.Options) *portal.Portal {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	p, err := portal.Start(ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cancel(); p.Close() })
	return p
}

// siteTOML is a site entry with only name, start and allow plus the
// timing keys that keep tests fast.
func siteTOML(base, extra string) string {
	return fmt.Sprintf(`[[site]]
name = "fixture"
start = ["%s/index.html"]
allow = ['^%s/']
delay = "0s"
timeout = "30s"
retry_backoff = "10ms"
retries = 2
%s
`, base, strings.ReplaceAll(base, ".", `\.`), extra)
}

// noSlow keeps the slow page out of tests: time limits are tested on the
// hostile paths, where nothing else can run out of time on a loaded
// machine.
const noSlow = `deny = ['/slow\.html$']`

func mustConfig(t testing.TB, toml string) *Config {
	t.Helper()
	cfg, err := ParseConfig("sites.toml", []byte(toml))
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

func testLogger() *slog.Logger {
	if os.Getenv("CRAWL_TEST_LOG") != "" {
		return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	return slog.New(slog.NewTextHandler(io.Discard, nil))
}

func harvest(t *testing.T, cfg *Config, fr Frontier, sink Sink, dir string) *Report {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	rep, err := Harvest(ctx, Options{Config: cfg, Frontier: fr, Sink: sink, ArchiveDir: dir,
		LockPath: filepath.Join(dir, "db.lock"), Logger: testLogger()})
	if err != nil {
		t.Fatalf("harvest: %v", err)
	}
	return rep
}

func openStore(t *testing.T, dir string) *store.Store {
	t.Helper()
	s, err := store.Open(context.Background(), filepath.Join(dir, "yusuan.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// frontiers runs a test with the in-memory and the SQLite frontier.
func frontiers(t *testing.T, fn func(t *testing.T, fr Frontier, dir string)) {
	t.Run("mem", func(t *testing.T) { t.Parallel(); fn(t, NewMemFrontier(), t.TempDir()) })
	t.Run("sqlite", func(t *testing.T) {
		t.Parallel()
		dir := t.TempDir()
		fn(t, NewStoreFrontier(openStore(t, dir)), dir)
	})
}

func failuresOf(rep *Report) map[string]FailureKind {
	out := map[string]FailureKind{}
	for _, f := range rep.FailureList {
		out[pathOf(f.URL)] = f.Kind
	}
	return out
}

func TestHarvestFixturePortal(t *testing.T) {
	frontiers(t, func(t *testing.T, fr Frontier, dir string) {
		p := startPortal(t, portal.Options{Latency: 2 * time.Millisecond, CrawlDelay: time.Millisecond})
		cfg := mustConfig(t, siteTOML(p.URL(), "concurrency = 2\n"+noSlow))
		sink := &fakeSink{}
		rep := harvest(t, cfg, fr, sink, dir)
		reqs := p.Requests()

		// Everything allowed is fetched once: pages, robots.txt (yusuan's
		// own check only), every PDF body (a file linked directly and
		// through download.do included); retried pages as often as the
		// retries allow. Counts, not timings: nothing here can time out.
		for _, path := range append(p.PagePaths(), p.PDFPaths()...) {
			want := 1
			if path == portal.FlakyPage {
				want = 2 // 503, then 200
			}
			if reqs[path] != want {
				t.Errorf("%s requested %d times, want %d", path, reqs[path], want)
			}
		}
		if reqs["/robots.txt"] != 1 {
			t.Errorf("robots.txt requested %d times, want 1", reqs["/robots.txt"])
		}
		// download.do links: once. The page request's redirect to a
		// .pdf goes on as that file's download, and its hop to the .pdf
		// is shared with the direct link (requested once, above).
		for _, path := range p.DownloadPaths() {
			if reqs[path] != 1 {
				t.Errorf("%s requested %d times, want 1", path, reqs[path])
			}
		}
		for path, n := range reqs {
			if strings.HasPrefix(path, portal.PrivateDir) {
				t.Errorf("robots.txt-forbidden %s requested %d times", path, n)
			}
		}
		// Failures, each recorded with its kind.
		wantFail := map[string]FailureKind{
			portal.PrivateDir + "internal.html": FailRobots,
			portal.BrokenPDF:                    FailNotPDF,
			portal.MissingPage:                  FailHTTP,
		}
		if got := failuresOf(rep); !equalMap(got, wantFail) {
			t.Errorf("failures = %v, want %v", got, wantFail)
		}
		for _, f := range rep.FailureList {
			if f.Cause == nil || kindOf(f.Cause) != f.Kind {
				t.Errorf("%s: cause %v does not give kind %s", f.URL, f.Cause, f.Kind)
			}
		}
		// Every real PDF handed on once, none of the failures.
		got := sink.byPath()
		for _, path := range p.PDFPaths() {
			if len(got[path]) != 1 {
				t.Errorf("%s handed to the sink %d times", path, len(got[path]))
			}
		}
		if len(got) != len(p.PDFPaths()) {
			t.Errorf("sink got %d files, want %d", len(got), len(p.PDFPaths()))
		}
		// Downloaded whole: the same bytes as served, past 10 MiB.
		for _, path := range p.PDFPaths() {
			sum := sha256.Sum256(p.Body(path))
			if fs := got[path]; len(fs) == 1 && fs[0].SHA256 != hex.EncodeToString(sum[:]) {
				t.Errorf("%s: got %d bytes, sha %.12s; served %d bytes", path, fs[0].Size, fs[0].SHA256, len(p.Body(path)))
			}
		}
		if big := got[portal.BigPDF]; len(big) != 1 || big[0].Size <= 10<<20 {
			t.Errorf("big.pdf: %+v", big)
		}
		// Metadata: Content-Disposition names; link text and page title
		// of whichever link fetched it.
		for i, name := range p.FileNames()[:3] {
			if fs := got[portal.FilePath(name)]; len(fs) == 1 && !strings.HasSuffix(fs[0].FileName, "2026年度部门预算.pdf") {
				t.Errorf("file %d (%s): Content-Disposition name %q not decoded", i, name, fs[0].FileName)
			}
		}
		if f0 := got[portal.FilePath("dept01-2026.pdf")]; len(f0) == 1 {
			if f0[0].FileName != "某市财政局2026年度部门预算.pdf" || !strings.Contains(f0[0].PageTitle, "2026年度部门预算公开") ||
				f0[0].LinkText != "某市财政局2026年度部门预算.pdf" || f0[0].Version != 1 || f0[0].Revised {
				t.Errorf("dept01 metadata: %+v", f0[0])
			}
		}
		if h := got[portal.HanwebPDF]; len(h) == 1 && !strings.Contains(h[0].PageTitle, "审计局") {
			t.Errorf("hanweb attachment metadata: %+v", h[0])
		}
		// One body per content: the mirror copy is a duplicate, each
		// file's second link an alias.
		if rep.FilesNew != len(p.PDFPaths())-1 || rep.FilesDuplicate != 1 || rep.FilesAliased != len(p.LinkedFiles()) ||
			rep.FilesUnchanged != 0 || rep.FilesRevised != 0 {
			t.Errorf("report files: %s", rep)
		}
		if rep.PagesFetched != len(p.PagePaths()) {
			t.Errorf("pages fetched %d, want %d", rep.PagesFetched, len(p.PagePaths()))
		}
		if code := ExitCode(rep, nil); code != ExitPartial {
			t.Errorf("exit code %d, want %d", code, ExitPartial)
		}
		for host, n := range p.MaxInFlight() {
			if n > 2 {
				t.Errorf("%d requests in flight on %s, limit 2: %v", n, host, p.MaxInFlightPaths(host))
			}
		}
		// GBK list pages (charset only in <meta>) decoded: link text kept.
		rec, ok, err := fr.Lookup(context.Background(), p.URL()+"/zwgk/czyjs/art_1.html")
		if err != nil || !ok || rec.LinkText != "某市教育局2026年度部门预算公开（1）" || rec.PageTitle != "部门预决算公开" {
			t.Errorf("art_1 record: %+v (%v)", rec, err)
		}
		// A download.do link is a file from now on, with its body's URL.
		rec, ok, err = fr.Lookup(context.Background(), p.URL()+portal.DownloadPath(1))
		if err != nil || !ok || rec.Kind != KindFile || rec.FinalURL != p.URL()+portal.FilePath(p.FileNames()[1]) || rec.SHA1 == "" {
			t.Errorf("download.do record: %+v (%v)", rec, err)
		}
		files, err := fr.Files(context.Background(), "fixture")
		if err != nil {
			t.Fatal(err)
		}
		if want := len(p.PDFPaths()) + 1 + len(p.DownloadPaths()); len(files) != want { // + broken.pdf
			t.Errorf("frontier knows %d files, want %d", len(files), want)
		}
	})
}

func equalMap[K, V comparable](a, b map[K]V) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

// The second night: conditional requests, 304s, no file body again (a
// file linked directly and through download.do asked once); then a
// republished file becomes a second version and is the only body fetched.
func TestHarvestIncrementalAndRevised(t *testing.T) {
	frontiers(t, func(t *testing.T, fr Frontier, dir string) {
		p := startPortal(t, portal.Options{ListPages: 6, CrawlDelay: time.Millisecond})
		cfg := mustConfig(t, siteTOML(p.URL(), noSlow))
		sink := &fakeSink{}
		first := harvest(t, cfg, fr, sink, dir)
		if first.FilesNew+first.FilesDuplicate != len(p.PDFPaths()) {
			t.Fatalf("first run: %s", first)
		}
		p.ResetCounters()
		second := harvest(t, cfg, fr, sink, dir)
		for _, path := range p.PDFPaths() {
			if st := p.Statuses(path); st[200] != 0 || st[304] != 1 {
				t.Errorf("second run %s: statuses %v, want one 304 and no body", path, st)
			}
		}
		for _, path := range p.DownloadPaths() {
			if st := p.Statuses(path); st[302] != 1 || len(st) != 1 {
				t.Errorf("second run %s: statuses %v, want one 302", path, st)
			}
		}
		t.Logf("second night: %d requests: %v", sumCounts(p.Requests()), p.Requests())
		if second.FilesNew != 0 || second.FilesRevised != 0 || second.FilesDuplicate != 0 ||
			second.FilesUnchanged != len(p.PDFPaths()) || second.FilesAliased != len(p.LinkedFiles()) {
			t.Errorf("second run: %s", second)
		}
		if second.PagesUnchanged == 0 {
			t.Errorf("second run: no page recognised as unchanged: %s", second)
		}
		if len(sink.files) != len(p.PDFPaths()) {
			t.Errorf("sink got %d files after two runs, want %d", len(sink.files), len(p.PDFPaths()))
		}

		name := p.FileNames()[1]
		newBody := portal.MinimalPDF("Department 02 budget 2026, corrected")
		if err := p.Republish(name, newBody); err != nil {
			t.Fatal(err)
		}
		p.ResetCounters()
		third := harvest(t, cfg, fr, sink, dir)
		if third.FilesRevised != 1 || third.FilesNew != 0 || len(third.Revisions) != 1 {
			t.Fatalf("third run: %s", third)
		}
		u := p.URL() + portal.FilePath(name)
		for _, path := range p.PDFPaths() {
			want := map[int]int{304: 1}
			if path == portal.FilePath(name) {
				want = map[int]int{200: 1}
			}
			if st := p.Statuses(path); !equalMap(st, want) {
				t.Errorf("third run %s: statuses %v, want %v", path, st, want)
			}
		}
		rv := third.Revisions[0]
		sum := sha256.Sum256(newBody)
		if rv.URL != u || rv.Version != 2 || rv.NewSHA256 != hex.EncodeToString(sum[:]) || rv.OldSHA256 == "" || rv.OldSHA256 == rv.NewSHA256 {
			t.Errorf("revision: %+v", rv)
		}
		vs, err := fr.Versions(context.Background(), u)
		if err != nil || len(vs) != 2 || vs[0].SHA256 != rv.OldSHA256 || vs[1].SHA256 != rv.NewSHA256 {
			t.Errorf("versions: %+v, %v", vs, err)
		}
		if fs := third.RevisedFindings(); len(fs) != 1 || fs[0].Rule != "document.revised" || len(fs[0].Documents) != 2 ||
			fs[0].Documents[1].SHA256 != rv.NewSHA256 || fs[0].Documents[0].File != name {
			t.Errorf("findings: %+v", fs)
		}
		if sf, ok := fr.(*StoreFrontier); ok {
			revs, err := sf.s.CrawlRevisions(context.Background(), time.Time{})
			if err != nil || len(revs) != 1 || revs[0].URL != u || revs[0].OldSHA256 != rv.OldSHA256 || revs[0].Version != 2 {
				t.Errorf("store revisions: %+v (%v)", revs, err)
			}
		}
		if len(sink.files) != len(p.PDFPaths())+1 {
			t.Fatalf("sink got %d files after three runs, want %d", len(sink.files), len(p.PDFPaths())+1)
		}
		last := sink.files[len(sink.files)-1]
		if !last.Revised || last.Version != 2 || last.PreviousSHA256 != rv.OldSHA256 || last.FinalURL != u {
			t.Errorf("sink got %+v", last)
		}
	})
}

func TestHarvestSizeCap(t *testing.T) {
	p := startPortal(t, portal.Options{ListPages: 2, CrawlDelay: time.Millisecond})
	cfg := mustConfig(t, siteTOML(p.URL(), `max_file_size = "10MiB"`+"\n"+noSlow))
	sink := &fakeSink{}
	dir := t.TempDir()
	rep := harvest(t, cfg, NewMemFrontier(), sink, dir)
	if got := failuresOf(rep)[portal.BigPDF]; got != FailTooLarge {
		t.Errorf("big.pdf failure = %q, want %q", got, FailTooLarge)
	}
	if len(sink.byPath()[portal.BigPDF]) != 0 {
		t.Error("a file over the cap was handed on")
	}
	if left, _ := filepath.Glob(filepath.Join(dir, "spool", "dl-*")); len(left) != 0 {
		t.Errorf("spool not cleaned: %v", left)
	}
}

func TestHarvestPerHostConcurrency(t *testing.T) {
	for _, conc := range []int{1, 3} {
		t.Run(fmt.Sprint(conc), func(t *testing.T) {
			opts := portal.Options{ListPages: 12, Latency: 15 * time.Millisecond, CrawlDelay: time.Millisecond}
			if conc > 1 {
				// Each request waits for a second one: overlap does not
				// depend on the machine's speed.
				opts.Pair = time.Second
			}
			p := startPortal(t, opts)
			cfg := mustConfig(t, siteTOML(p.URL(), fmt.Sprintf("concurrency = %d\n%s", conc, noSlow)))
			harvest(t, cfg, NewMemFrontier(), nil, t.TempDir())
			for host, n := range p.MaxInFlight() {
				if n > conc {
					t.Errorf("%s: %d in flight, limit %d: %v", host, n, conc, p.MaxInFlightPaths(host))
				}
				if conc > 1 && n < 2 {
					t.Errorf("%s: never more than %d in flight with concurrency %d", host, n, conc)
				}
			}
		})
	}
}

func TestHarvestLocked(t *testing.T) {
	dir := t.TempDir()
	lock := filepath.Join(dir, "db.lock")
	unlock, err := lockFile(lock)
	if err != nil {
		t.Fatal(err)
	}
	defer unlock()
	cfg := mustConfig(t, siteTOML("http://127.0.0.1:9", ""))
	rep, err := Harvest(context.Background(), Options{Config: cfg, Frontier: NewMemFrontier(), ArchiveDir: dir, LockPath: lock})
	if !errors.Is(err, ErrLocked) || ExitCode(rep, err) != ExitLocked {
		t.Errorf("err = %v, exit %d; want ErrLocked, %d", err, ExitCode(rep, err), ExitLocked)
	}
}

func TestHarvestDeadSite(t *testing.T) {
	dir := t.TempDir()
	// Port 9 (discard) on loopback refuses connections.
	cfg := mustConfig(t, `[[site]]
name = "fixture"
start = ["http://127.0.0.1:9/index.html"]
retries = 0
delay = 0
`)
	rep, err := Harvest(context.Background(), Options{Config: cfg, Frontier: NewMemFrontier(), ArchiveDir: dir, Logger: testLogger()})
	if err != nil {
		t.Fatal(err)
	}
	if ExitCode(rep, nil) != ExitNothing || rep.SiteErrors["fixture"] == "" {
		t.Errorf("dead site: exit %d, %s", ExitCode(rep, nil), rep)
	}
}

func TestExitCode(t *testing.T) {
	ok := &Report{Sites: []string{"a"}, Failures: map[FailureKind]int{FailRobots: 3}, SiteErrors: map[string]string{}}
	partial := &Report{Sites: []string{"a"}, Failures: map[FailureKind]int{FailHTTP: 1}, SiteErrors: map[string]string{}}
	oneDead := &Report{Sites: []string{"a", "b"}, Failures: map[FailureKind]int{}, SiteErrors: map[string]string{"b": "x"}}
	allDead := &Report{Sites: []string{"a"}, Failures: map[FailureKind]int{}, SiteErrors: map[string]string{"a": "x"}}
	tests := []struct {
		r    *Report
		err  error
		want int
	}{
		{ok, nil, ExitOK}, {partial, nil, ExitPartial}, {oneDead, nil, ExitPartial}, {allDead, nil, ExitNothing},
		{nil, errors.New("config"), ExitNothing}, {nil, fmt.Errorf("x: %w", ErrLocked), ExitLocked},
		{partial, context.Canceled, ExitPartial},
	}
	for i, tt := range tests {
		if got := ExitCode(tt.r, tt.err); got != tt.want {
			t.Errorf("%d: ExitCode = %d, want %d", i, got, tt.want)
		}
	}
}

// TestSinkRefusalHandedOnNextRun: a file the sink refused (disk full, a
// killed ingest) is handed on the next night, not taken for unchanged
// because its version was recorded.
func TestSinkRefusalHandedOnNextRun(t *testing.T) {
	frontiers(t, func(t *testing.T, fr Frontier, dir string) {
		p := startPortal(t, portal.Options{CrawlDelay: time.Millisecond})
		cfg := mustConfig(t, siteTOML(p.URL(), noSlow))
		refusing := SinkFunc(func(context.Context, FetchedFile) error { return errors.New("disk full") })
		first := harvest(t, cfg, fr, refusing, dir)
		if first.FilesNew != 0 || first.Failures[FailSink] == 0 {
			t.Fatalf("first run: %s", first)
		}
		sink := &fakeSink{}
		second := harvest(t, cfg, fr, sink, dir)
		got := sink.byPath()
		for _, path := range p.PDFPaths() {
			if fs := got[path]; len(fs) != 1 || fs[0].Version != 1 {
				t.Errorf("%s handed on %d times (%+v)", path, len(fs), fs)
			}
		}
		if second.FilesNew+second.FilesDuplicate != len(p.PDFPaths()) || second.Failures[FailSink] != 0 {
			t.Errorf("second run: %s", second)
		}
	})
}
