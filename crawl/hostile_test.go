package crawl

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"yusuan/fixtures/portal"
)

// The hostile portal (fixtures/portal/hostile.go) on loopback: each case
// must end within its configured limits with a typed, recorded failure and
// exit 1, and leave nothing pending. Limits are asserted by events and
// counts (requests made, bytes read, memory allocated), never by how long
// the machine took; the times are logged.

// hostileTOML is a site starting at the given portal paths; PlainPage is
// always a start too, so the harvest reaches a page and a failing case
// exits 1 (partial), not 2 (nothing done).
func hostileTOML(p *portal.Portal, extra string, start ...string) string {
	starts := []string{`"` + p.URL() + portal.PlainPage + `"`}
	for _, s := range start {
		starts = append(starts, `"`+p.URL()+s+`"`)
	}
	return fmt.Sprintf(`[[site]]
name = "hostile"
start = [%s]
allow = ['^%s/']
delay = "0s"
timeout = "30s"
retry_backoff = "10ms"
%s
`, strings.Join(starts, ", "), strings.ReplaceAll(p.URL(), ".", `\.`), extra)
}

// hostileSiteTOML adds to hostileTOML a second site starting at paths
// with the short limits in extra, so only the hostile URLs are subject to
// them: a normal page answering slowly on a loaded machine cannot fail.
func hostileSiteTOML(p *portal.Portal, extra string, start ...string) string {
	var starts []string
	for _, s := range start {
		starts = append(starts, `"`+p.URL()+s+`"`)
	}
	return hostileTOML(p, "") + fmt.Sprintf(`
[[site]]
name = "short-limits"
start = [%s]
allow = ['^%s/']
delay = "0s"
retry_backoff = "10ms"
%s
`, strings.Join(starts, ", "), strings.ReplaceAll(p.URL(), ".", `\.`), extra)
}

type hostileRun struct {
	rep   *Report
	fr    Frontier
	dir   string
	alloc uint64 // bytes allocated by the whole process during the harvest
	took  time.Duration
}

// runHostile harvests one hostile site, measuring what it allocated. The
// tests using it are not parallel, so the measure is theirs.
func runHostile(t *testing.T, toml string) hostileRun {
	t.Helper()
	cfg := mustConfig(t, toml)
	h := hostileRun{fr: NewMemFrontier(), dir: t.TempDir()}
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	start := time.Now()
	h.rep = harvest(t, cfg, h.fr, &fakeSink{}, h.dir)
	h.took = time.Since(start)
	runtime.ReadMemStats(&after)
	h.alloc = after.TotalAlloc - before.TotalAlloc
	t.Logf("%s in %v, %d MiB allocated", strings.TrimSpace(h.rep.String()), h.took.Round(time.Millisecond), h.alloc>>20)
	return h
}

// failure returns the recorded failure of a portal path.
func (h hostileRun) failure(t *testing.T, path string) Failure {
	t.Helper()
	for _, f := range h.rep.FailureList {
		if pathOf(f.URL) == path {
			return f
		}
	}
	t.Fatalf("no failure recorded for %s: %s", path, h.rep)
	return Failure{}
}

// settled checks that path ended failed with kind in the frontier (not
// pending: the next night does not meet it half-done).
func (h hostileRun) settled(t *testing.T, p *portal.Portal, path string, kind FailureKind) {
	t.Helper()
	rec, ok, err := h.fr.Lookup(context.Background(), p.URL()+path)
	if err != nil || !ok || rec.State != StateFailed || rec.Failure != kind {
		t.Errorf("%s: frontier record %+v (%v), want failed with %s", path, rec, err, kind)
	}
	if code := ExitCode(h.rep, nil); code != ExitPartial {
		t.Errorf("exit code %d, want %d", code, ExitPartial)
	}
}

// allocBudget bounds what one hostile harvest allocates in all: well
// under the 1 GiB the bombs expand to and the 1.5 GB robots.txt, with
// room for a 20 MiB page's parse (about ten times the page) and -race.
const allocBudget = 400 << 20

func TestHostileGzipBombs(t *testing.T) {
	p := startPortal(t, portal.Options{})
	h := runHostile(t, hostileTOML(p, `max_file_size = "50MiB"`, portal.BombEncoding, portal.BombType, portal.BombFile))
	if h.alloc > allocBudget {
		t.Errorf("%d MiB allocated for 1 GiB bombs", h.alloc>>20)
	}
	// Content-Encoding: x-gzip on a page: stopped at max_page_size.
	f := h.failure(t, portal.BombEncoding)
	var le *LimitError
	if f.Kind != FailBomb || !errors.Is(f.Cause, ErrDecompressionBomb) || !errors.As(f.Cause, &le) || le.Limit != DefaultMaxPageSize ||
		!strings.Contains(f.Err, "x-gzip") {
		t.Errorf("x-gzip page: %+v", f)
	}
	h.settled(t, p, portal.BombEncoding, FailBomb)
	// Content-Encoding: gzip on a file: stopped at max_file_size, the
	// spooled part removed.
	if f := h.failure(t, portal.BombFile); f.Kind != FailBomb || !errors.As(f.Cause, &le) || le.Limit != 50<<20 {
		t.Errorf("gzip file: %+v", f)
	}
	h.settled(t, p, portal.BombFile, FailBomb)
	if left, _ := filepath.Glob(filepath.Join(h.dir, "spool", "dl-*")); len(left) != 0 {
		t.Errorf("spool not cleaned: %v", left)
	}
	// A Content-Type naming gzip is not an encoding: the bytes are kept as
	// sent (about 1 MB), and a .pdf link that serves them is not a PDF.
	if f := h.failure(t, portal.BombType); f.Kind != FailNotPDF || !errors.Is(f.Cause, ErrNotPDF) || !strings.Contains(f.Err, "gzip") {
		t.Errorf("gzip content type: %+v", f)
	}
	h.settled(t, p, portal.BombType, FailNotPDF)
	for _, path := range []string{portal.BombEncoding, portal.BombType, portal.BombFile} {
		if n := p.Count(path); n != 1 {
			t.Errorf("%s requested %d times, want 1 (not retried)", path, n)
		}
	}
}

func TestHostileRobots(t *testing.T) {
	for _, tt := range []struct {
		kind portal.RobotsKind
		want FailureKind
	}{{portal.RobotsHuge, FailTruncated}, {portal.RobotsGzipBomb, FailBomb}} {
		t.Run(string(tt.kind), func(t *testing.T) {
			p := startPortal(t, portal.Options{Robots: tt.kind})
			h := runHostile(t, hostileTOML(p, "", "/hostile/private/x.html"))
			if h.alloc > allocBudget {
				t.Errorf("%d MiB allocated for a %d MiB robots.txt", h.alloc>>20, portal.RobotsHugeSize>>20)
			}
			if n := p.Count("/robots.txt"); n != 1 {
				t.Errorf("robots.txt requested %d times, want once (yusuan's check only)", n)
			}
			if sent := p.Sent("/robots.txt"); sent > 64<<20 {
				t.Errorf("the portal wrote %d MiB of robots.txt before the crawler stopped reading", sent>>20)
			}
			if f := h.failure(t, "/robots.txt"); f.Kind != tt.want {
				t.Errorf("robots.txt failure %+v, want %s", f, tt.want)
			}
			if tt.kind == portal.RobotsHuge {
				// Its first 512 KiB are obeyed.
				if n := p.Count("/hostile/private/x.html"); n != 0 {
					t.Errorf("disallowed page requested %d times", n)
				}
				if f := h.failure(t, "/hostile/private/x.html"); f.Kind != FailRobots || !errors.Is(f.Cause, ErrRobots) {
					t.Errorf("disallowed page: %+v", f)
				}
			}
			if ExitCode(h.rep, nil) != ExitPartial {
				t.Errorf("exit code %d, want 1", ExitCode(h.rep, nil))
			}
		})
	}
}

// A server that never sends headers: header_timeout per attempt, retried
// as configured, then a typed timeout.
func TestHostileNoHeaders(t *testing.T) {
	p := startPortal(t, portal.Options{})
	h := runHostile(t, hostileSiteTOML(p, "header_timeout = \"300ms\"\nretries = 2", portal.Hang))
	if n := p.Count(portal.Hang); n != 3 {
		t.Errorf("hanging page requested %d times, want 1 + 2 retries", n)
	}
	f := h.failure(t, portal.Hang)
	var te *TimeoutError
	if f.Kind != FailTimeout || !errors.As(f.Cause, &te) || te.Phase != "headers" || te.Limit != 300*time.Millisecond {
		t.Errorf("failure %+v (%#v)", f, te)
	}
	h.settled(t, p, portal.Hang, FailTimeout)
}

// url_budget bounds a URL's attempts and backoff together: with 20
// retries allowed and 300 ms per attempt, a 1 s budget leaves room for at
// most 4 attempts, however slow the machine.
func TestHostileURLBudget(t *testing.T) {
	p := startPortal(t, portal.Options{})
	h := runHostile(t, hostileSiteTOML(p, "header_timeout = \"300ms\"\nretries = 20\nurl_budget = \"1s\"", portal.Hang))
	if n := p.Count(portal.Hang); n < 1 || n > 4 {
		t.Errorf("hanging page requested %d times within a 1s budget of 300ms attempts", n)
	}
	if f := h.failure(t, portal.Hang); f.Kind != FailTimeout || !errors.Is(f.Cause, ErrTimeout) || !strings.Contains(f.Err, "url_budget") {
		t.Errorf("failure %+v", f)
	}
	h.settled(t, p, portal.Hang, FailTimeout)
}

// A body that never ends: the attempt's timeout, not retried (the server
// answers, slowly), archived as WARC-Truncated: time.
func TestHostileTrickle(t *testing.T) {
	p := startPortal(t, portal.Options{})
	h := runHostile(t, hostileSiteTOML(p, `file_timeout = "500ms"`, portal.Trickle))
	if n := p.Count(portal.Trickle); n != 1 {
		t.Errorf("trickling file requested %d times, want 1", n)
	}
	f := h.failure(t, portal.Trickle)
	var te *TimeoutError
	if f.Kind != FailTimeout || !errors.As(f.Cause, &te) || te.Phase != "request" || f.Status != 200 {
		t.Errorf("failure %+v", f)
	}
	h.settled(t, p, portal.Trickle, FailTimeout)
	recs := readWARCs(t, h.rep.WARCFiles)
	if !hasRecord(recs, p.URL()+portal.Trickle, "response", "time") {
		t.Error("no response record with WARC-Truncated: time")
	}
}

func hasRecord(recs []warcRec, uri, typ, truncated string) bool {
	for _, r := range recs {
		if r.uri == uri && r.typ == typ && r.truncated == truncated {
			return true
		}
	}
	return false
}

// A 30 MiB page: the first 20 MiB (max_page_size) are kept, archived
// with WARC-Truncated: length, and their links followed; the page is a
// "truncated" failure.
func TestHostileHugePage(t *testing.T) {
	p := startPortal(t, portal.Options{})
	h := runHostile(t, hostileTOML(p, "", portal.HugePage))
	if n := p.Count(portal.HugeFirstLink); n != 1 {
		t.Errorf("link before the cut requested %d times, want 1", n)
	}
	if n := p.Count(portal.HugeLastLink); n != 0 {
		t.Errorf("link after the cut requested %d times", n)
	}
	if sent := p.Sent(portal.HugePage); sent >= 30<<20 {
		t.Errorf("the whole %d MiB page was sent", sent>>20)
	}
	f := h.failure(t, portal.HugePage)
	if f.Kind != FailTruncated || !errors.Is(f.Cause, ErrTruncated) {
		t.Errorf("failure %+v", f)
	}
	h.settled(t, p, portal.HugePage, FailTruncated)
	recs := readWARCs(t, h.rep.WARCFiles)
	if !hasRecord(recs, p.URL()+portal.HugePage, "response", "length") {
		t.Error("no response record with WARC-Truncated: length")
	}
	if h.alloc > allocBudget {
		t.Errorf("%d MiB allocated for a 20 MiB page", h.alloc>>20)
	}
}

// max_pages and max_files stop politely: no request past them, a notice,
// no failure.
func TestHostileCaps(t *testing.T) {
	p := startPortal(t, portal.Options{ManyLinks: 20000})
	h := runHostile(t, hostileTOML(p, "max_files = 5\nmax_pages = 12", portal.ManyLinks))
	files, pages := 0, 0
	for path, n := range p.Requests() {
		switch {
		case strings.HasPrefix(path, "/hostile/f/"):
			files += n
		case strings.HasPrefix(path, "/hostile/p/"):
			pages += n
		}
	}
	// 12 pages: the two start pages and 10 of the links.
	if files != 5 || pages != 10 {
		t.Errorf("%d file and %d page requests past the links page, want 5 and 10", files, pages)
	}
	if len(h.rep.FailureList) != 0 || ExitCode(h.rep, nil) != ExitOK {
		t.Errorf("caps counted as failures: %s", h.rep)
	}
	want := map[string]int{"max_files": 20000 - 5, "max_pages": 20000 - 10}
	got := map[string]int{}
	for _, n := range h.rep.Notices {
		got[n.Kind] = n.Dropped
	}
	if !equalMap(got, want) {
		t.Errorf("notices %+v, want dropped %v", h.rep.Notices, want)
	}
}

// A redirect off the site is refused once, typed, not retried.
func TestHostileOffsiteRedirect(t *testing.T) {
	p := startPortal(t, portal.Options{})
	h := runHostile(t, hostileTOML(p, "", portal.Offsite, portal.OffsitePDF))
	for _, path := range []string{portal.Offsite, portal.OffsitePDF} {
		f := h.failure(t, path)
		var re *RedirectError
		if f.Kind != FailRedirect || !errors.As(f.Cause, &re) || re.To != "http://example.invalid/elsewhere.pdf" {
			t.Errorf("%s: %+v", path, f)
		}
		if n := p.Count(path); n != 1 {
			t.Errorf("%s requested %d times, want 1", path, n)
		}
		h.settled(t, p, path, FailRedirect)
	}
}

// Per-site user_agent and referer, and an HTTP-only site whose pages link
// and redirect to https:// (which it does not speak).
func TestSiteHTTPOnlyUserAgentReferer(t *testing.T) {
	p := startPortal(t, portal.Options{})
	https := strings.Replace(p.URL(), "http://", "https://", 1)
	toml := fmt.Sprintf(`[[site]]
name = "plain"
start = ["%s%s"]
allow = ['^https?://%s/']
http_only = true
user_agent = "yusuan-bot/test (+https://example.org/bot)"
referer = "http://portal.example/"
delay = "0s"
retry_backoff = "10ms"
`, https, portal.HTTPSLinks, strings.ReplaceAll(strings.TrimPrefix(p.URL(), "http://"), ".", `\.`))
	h := runHostile(t, toml)
	if len(h.rep.FailureList) != 0 || h.rep.PagesFetched != 3 {
		t.Errorf("http_only site: %s", h.rep)
	}
	hdr := p.Header(portal.HTTPSLinks)
	if hdr.Get("User-Agent") != "yusuan-bot/test (+https://example.org/bot)" || hdr.Get("Referer") != "http://portal.example/" {
		t.Errorf("start page request headers %v", hdr)
	}
	// Linked pages send their page as Referer; the redirect to https://
	// was followed over http://.
	if hdr := p.Header(portal.PlainPage); hdr.Get("Referer") != p.URL()+portal.HTTPSLinks {
		t.Errorf("linked page Referer %q", hdr.Get("Referer"))
	}
	if n := p.Count(portal.PlainPage + "?via=redirect"); n != 1 {
		t.Errorf("redirect to https:// followed %d times over http", n)
	}
	if ua := p.Header("/robots.txt").Get("User-Agent"); !strings.HasPrefix(ua, "yusuan-bot/test") {
		t.Errorf("robots.txt fetched as %q", ua)
	}
}

// A URL whose fetch began twice in a run without finishing (each time the
// process died) fails instead of being fetched a third time.
func TestPoisonURLNotRetriedForever(t *testing.T) {
	frontiers(t, func(t *testing.T, fr Frontier, dir string) {
		p := startPortal(t, portal.Options{})
		ctx := context.Background()
		run, err := fr.StartRun(ctx, "hostile", time.Now())
		if err != nil {
			t.Fatal(err)
		}
		u := p.URL() + portal.HugeFirstLink
		if _, err := fr.Enqueue(ctx, run, []Item{{URL: u, Kind: KindPage}}); err != nil {
			t.Fatal(err)
		}
		for range maxStarts {
			if _, err := fr.Begin(ctx, run, u); err != nil {
				t.Fatal(err)
			}
		}
		rep := harvest(t, mustConfig(t, hostileTOML(p, "", portal.HugeFirstLink)), fr, nil, dir)
		if len(rep.Resumed) != 1 {
			t.Errorf("run not resumed: %s", rep)
		}
		if n := p.Count(portal.HugeFirstLink); n != 0 {
			t.Errorf("requested %d times after two deaths", n)
		}
		var got *Failure
		for i := range rep.FailureList {
			if rep.FailureList[i].URL == u {
				got = &rep.FailureList[i]
			}
		}
		if got == nil || got.Kind != FailInterrupted || !errors.Is(got.Cause, ErrInterrupted) {
			t.Errorf("failure %+v", got)
		}
		if rec, _, _ := fr.Lookup(ctx, u); rec.State != StateFailed {
			t.Errorf("record %+v", rec)
		}
		// The next run starts afresh and fetches it again.
		harvest(t, mustConfig(t, hostileTOML(p, "", portal.HugeFirstLink)), fr, nil, dir)
		if n := p.Count(portal.HugeFirstLink); n != 1 {
			t.Errorf("next run requested it %d times, want 1", n)
		}
	})
}
