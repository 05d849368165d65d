package crawl

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"yusuan/fixtures/portal"
)

// A page link redirecting to a file link (download.do?id=1 → a.pdf) is
// requested once in a run: its request goes on as the file's download.
// The next night it is a file link, asked conditionally hop by hop.
func TestPageLinkRedirectingToFile(t *testing.T) {
	const dl, pdf = "/download.do?id=1", "/files/a.pdf"
	type night struct {
		links                    []string         // what the list page links
		want                     map[string][]int // statuses each URI is answered with, in order
		conditional              bool             // pdf is asked with its validators
		sunk, aliased, unchanged int              // files handed on, links sharing another's body, 304s
		failed                   FailureKind      // dl's failure, if any
	}
	for _, tt := range []struct {
		name    string
		missing bool // a.pdf answers 404
		offsite bool // a.pdf redirects off the site
		nights  []night
	}{
		{name: "download.do alone", nights: []night{
			{links: []string{dl}, want: map[string][]int{dl: {302}, pdf: {200}}, sunk: 1},
			{links: []string{dl}, want: map[string][]int{dl: {302}, pdf: {304}}, conditional: true, unchanged: 1},
		}},
		{name: "linked directly too", nights: []night{
			{links: []string{dl, pdf}, want: map[string][]int{dl: {302}, pdf: {200}}, sunk: 1, aliased: 1},
			{links: []string{dl, pdf}, want: map[string][]int{dl: {302}, pdf: {304}}, conditional: true, unchanged: 1, aliased: 1},
		}},
		{name: "linked directly the night before", nights: []night{
			{links: []string{pdf}, want: map[string][]int{pdf: {200}}, sunk: 1},
			// The page request's hop to a.pdf carries a.pdf's validators.
			{links: []string{dl}, want: map[string][]int{dl: {302}, pdf: {304}}, conditional: true, unchanged: 1},
		}},
		{name: "file missing", missing: true, nights: []night{
			{links: []string{dl}, want: map[string][]int{dl: {302}, pdf: {404}}, failed: FailHTTP},
		}},
		// No answer from the file link at all: still a file link's failure.
		{name: "file redirecting off the site", offsite: true, nights: []night{
			{links: []string{dl}, want: map[string][]int{dl: {302}, pdf: {302}}, failed: FailRedirect},
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			body := portal.MinimalPDF(tt.name)
			s := newCountServer(t)
			s.route("/download.do", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, pdf, http.StatusFound) })
			s.route(pdf, func(w http.ResponseWriter, r *http.Request) {
				switch {
				case tt.missing:
					http.NotFound(w, r)
					return
				case tt.offsite:
					http.Redirect(w, r, "http://elsewhere.invalid/a.pdf", http.StatusFound)
					return
				}
				w.Header().Set("Content-Type", "application/pdf")
				w.Header().Set("ETag", `"v1"`)
				if r.Header.Get("If-None-Match") == `"v1"` {
					w.WriteHeader(http.StatusNotModified)
					return
				}
				w.Header().Set("Content-Length", strconv.Itoa(len(body)))
				w.Write(body)
			})
			cfg := mustConfig(t, countSiteTOML(s, "", "/list.html"))
			fr, sink, dir := NewMemFrontier(), &fakeSink{}, t.TempDir()
			for i, n := range tt.nights {
				s.reset()
				s.route("/list.html", serveHTML(n.links...))
				before := len(sink.files)
				rep := harvest(t, cfg, fr, sink, dir)
				for uri, want := range n.want {
					var got []int
					for _, r := range s.requests(uri) {
						got = append(got, r.status)
					}
					if !slices.Equal(got, want) {
						t.Errorf("night %d: %s answered %v, want %v", i+1, uri, got, want)
					}
				}
				if rs := s.requests(pdf); n.conditional && (len(rs) != 1 || rs[0].header.Get("If-None-Match") != `"v1"`) {
					t.Errorf("night %d: %s asked without its validators", i+1, pdf)
				}
				if other := s.others(dl, pdf, "/list.html", "/robots.txt"); len(other) != 0 {
					t.Errorf("night %d: also requested %v", i+1, other)
				}
				if sunk := len(sink.files) - before; sunk != n.sunk || rep.FilesAliased != n.aliased ||
					rep.FilesUnchanged != n.unchanged {
					t.Errorf("night %d: sink got %d files, %s", i+1, sunk, rep)
				}
				wantFail := map[string]FailureKind{}
				if n.failed != "" {
					wantFail[dl] = n.failed
				}
				if got := failuresOf(rep); !equalMap(got, wantFail) {
					t.Errorf("night %d: failures %v, want %v", i+1, got, wantFail)
				}
				if slices.Contains(n.links, dl) {
					rec, ok, err := fr.Lookup(context.Background(), s.URL+dl)
					if err != nil || !ok || rec.Kind != KindFile || (n.failed == "" && rec.FinalURL != s.URL+pdf) {
						t.Errorf("night %d: %s record %+v (%v), want a file link (leading to %s)", i+1, dl, rec, err, pdf)
					}
				}
			}
		})
	}
}

// Ten redirects are followed, the eleventh refused, for pages and files.
func TestRedirectLimit(t *testing.T) {
	for _, tt := range []struct {
		path string // /hop serves a page at its end, /hop.pdf a PDF
		hops int
		ok   bool
	}{
		{"/hop", 10, true},
		{"/hop", 11, false},
		{"/hop.pdf", 10, true},
		{"/hop.pdf", 11, false},
	} {
		t.Run(fmt.Sprintf("%s %d", tt.path, tt.hops), func(t *testing.T) {
			t.Parallel()
			s := newCountServer(t)
			hop := func(w http.ResponseWriter, r *http.Request) {
				n, _ := strconv.Atoi(r.URL.Query().Get("n"))
				switch {
				case n > 0:
					http.Redirect(w, r, fmt.Sprintf("%s?n=%d", r.URL.Path, n-1), http.StatusFound)
				case r.URL.Path == "/hop.pdf":
					w.Header().Set("Content-Type", "application/pdf")
					w.Write(portal.MinimalPDF("end"))
				default:
					serveHTML()(w, r)
				}
			}
			s.route("/hop", hop)
			s.route("/hop.pdf", hop)
			start := fmt.Sprintf("%s?n=%d", tt.path, tt.hops)
			s.route("/list.html", serveHTML(start))
			cfg := mustConfig(t, countSiteTOML(s, "", "/list.html"))
			rep := harvest(t, cfg, NewMemFrontier(), &fakeSink{}, t.TempDir())
			for n := tt.hops; n >= 0; n-- {
				want := 1
				if n == 0 && !tt.ok {
					want = 0 // the eleventh redirect's target
				}
				if got := len(s.requests(fmt.Sprintf("%s?n=%d", tt.path, n))); got != want {
					t.Errorf("%s?n=%d requested %d times, want %d", tt.path, n, got, want)
				}
			}
			var re *RedirectError
			switch {
			case tt.ok && len(rep.FailureList) != 0:
				t.Errorf("failures %+v", rep.FailureList)
			case !tt.ok && (len(rep.FailureList) != 1 || rep.FailureList[0].Kind != FailRedirect ||
				!errors.As(rep.FailureList[0].Cause, &re) || re.Reason != "more than 10 redirects"):
				t.Errorf("failures %+v, want one redirect-refused: more than 10 redirects", rep.FailureList)
			}
		})
	}
}

// TestRetryAfter: a 429 or 503 with Retry-After is tried again no sooner
// than the server asked; one asking for longer than url_budget is given
// up at once, saying why.
func TestRetryAfter(t *testing.T) {
	for _, tt := range []struct {
		name       string
		code       int
		retryAfter string
		wait       time.Duration // at least, before the second request
		failed     bool
	}{
		{name: "429 seconds", code: 429, retryAfter: "1", wait: time.Second},
		{name: "503 date", code: 503, retryAfter: "DATE+2s", wait: time.Second},
		{name: "beyond the budget", code: 429, retryAfter: "3600", failed: true},
		{name: "garbage", code: 503, retryAfter: "soon"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s := newCountServer(t)
			var mu sync.Mutex
			var times []time.Time
			s.route("/index.html", func(w http.ResponseWriter, r *http.Request) {
				mu.Lock()
				times = append(times, time.Now())
				first := len(times) == 1
				mu.Unlock()
				if first {
					v := tt.retryAfter
					if rest, ok := strings.CutPrefix(v, "DATE+"); ok {
						d, _ := time.ParseDuration(rest)
						// HTTP dates have whole seconds: round up.
						v = time.Now().Add(d).Add(time.Second).UTC().Format(http.TimeFormat)
					}
					w.Header().Set("Retry-After", v)
					http.Error(w, "busy", tt.code)
					return
				}
				serveHTML()(w, r)
			})
			cfg := mustConfig(t, countSiteTOML(s, `url_budget = "60s"`, "/index.html"))
			rep := harvest(t, cfg, NewMemFrontier(), &fakeSink{}, t.TempDir())
			mu.Lock()
			defer mu.Unlock()
			if tt.failed {
				if len(times) != 1 || len(rep.FailureList) != 1 {
					t.Fatalf("%d requests, failures %+v", len(times), rep.FailureList)
				}
				if msg := rep.FailureList[0].Err; !strings.Contains(msg, "Retry-After 1h0m0s") {
					t.Errorf("failure says %q", msg)
				}
				return
			}
			if len(times) != 2 || len(rep.FailureList) != 0 {
				t.Fatalf("%d requests, failures %+v", len(times), rep.FailureList)
			}
			if got := times[1].Sub(times[0]); got < tt.wait {
				t.Errorf("asked again after %s, the server asked for %s", got, tt.retryAfter)
			}
		})
	}
}

func TestRetryAfterValues(t *testing.T) {
	now := time.Date(2026, 12, 5, 10, 0, 0, 0, time.UTC)
	for v, want := range map[string]time.Duration{
		"":                              0,
		"120":                           2 * time.Minute,
		"0":                             0,
		"-5":                            0,
		"99999999":                      24 * time.Hour,
		"Sat, 05 Dec 2026 10:00:30 GMT": 30 * time.Second,
		"Sat, 05 Dec 2026 09:00:00 GMT": 0,
		"later":                         0,
	} {
		if got := retryAfter(v, now); got != want {
			t.Errorf("retryAfter(%q) = %s, want %s", v, got, want)
		}
	}
}

// TestRetryAfterHoldsHost: a Retry-After is the host's word, not one
// URL's: no request to the host starts before it has passed.
func TestRetryAfterHoldsHost(t *testing.T) {
	s := newCountServer(t)
	var mu sync.Mutex
	var times []time.Time
	var busyAt time.Time
	busy := map[string]bool{}
	page := func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		times = append(times, time.Now())
		first := !busy[r.URL.Path]
		busy[r.URL.Path] = true
		if first && busyAt.IsZero() {
			busyAt = time.Now()
		}
		mu.Unlock()
		if first {
			w.Header().Set("Retry-After", "1")
			http.Error(w, "busy", http.StatusTooManyRequests)
			return
		}
		serveHTML()(w, r)
	}
	s.route("/index.html", page)
	s.route("/other.html", page)
	cfg := mustConfig(t, countSiteTOML(s, "url_budget = \"60s\"\nconcurrency = 1", "/index.html", "/other.html"))
	rep := harvest(t, cfg, NewMemFrontier(), &fakeSink{}, t.TempDir())
	mu.Lock()
	defer mu.Unlock()
	if len(times) != 4 || len(rep.FailureList) != 0 {
		t.Fatalf("%d requests, failures %+v", len(times), rep.FailureList)
	}
	for _, at := range times {
		if at.After(busyAt) && at.Sub(busyAt) < time.Second {
			t.Errorf("a request %s after the host asked for a second's rest", at.Sub(busyAt))
		}
	}
}
