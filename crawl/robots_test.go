package crawl

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"testing"

	"yusuan/fixtures/portal"
)

func answerStatus(code int) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) { http.Error(w, http.StatusText(code), code) }
}

// resetConn answers with a TCP reset.
func resetConn(w http.ResponseWriter, _ *http.Request) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		panic(err)
	}
	if tc, ok := conn.(*net.TCPConn); ok {
		tc.SetLinger(0)
	}
	conn.Close()
}

// hang never answers; it returns when the client gives up.
func hang(_ http.ResponseWriter, r *http.Request) { <-r.Context().Done() }

// RFC 9309 §2.3.1: a robots.txt that answers 2xx is obeyed (after up to
// five redirects); a 4xx, or more redirects, allows everything; one that
// cannot be fetched (5xx after the retries, a reset, no answer) disallows
// the whole host for the run. That is reported once, for the host, and
// its URLs are fetched the next run, when robots.txt answers.
func TestRobotsAvailability(t *testing.T) {
	const rules = "User-agent: *\nDisallow: /private/\n"
	serveRules := func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		io.WriteString(w, rules)
	}
	redirects := func(n int) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			if hop, _ := strconv.Atoi(r.URL.Query().Get("hop")); hop < n {
				http.Redirect(w, r, fmt.Sprintf("/robots.txt?hop=%d", hop+1), http.StatusFound)
				return
			}
			serveRules(w, r)
		}
	}
	for _, tt := range []struct {
		name   string
		robots http.HandlerFunc
		extra  string
		// unreachable is the kind of what kept robots.txt from being
		// read; "" when it was read.
		unreachable FailureKind
		private     bool // robots.txt allowed everything
	}{
		{name: "200", robots: serveRules},
		{name: "404", robots: answerStatus(404), private: true},
		{name: "403", robots: answerStatus(403), private: true},
		{name: "503", robots: answerStatus(503), unreachable: FailHTTP},
		{name: "500", robots: answerStatus(500), unreachable: FailHTTP},
		{name: "429", robots: answerStatus(429), unreachable: FailHTTP},
		{name: "reset", robots: resetConn, unreachable: FailNetwork},
		{name: "timeout", robots: hang, extra: `header_timeout = "200ms"`, unreachable: FailTimeout},
		{name: "503, the site allows it", robots: answerStatus(503), extra: `robots_unreachable = "allow"`, private: true},
		{name: "5 redirects", robots: redirects(5)},
		{name: "6 redirects", robots: redirects(6), private: true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			frontiers(t, func(t *testing.T, fr Frontier, dir string) {
				s := newCountServer(t)
				s.route("/robots.txt", tt.robots)
				s.route("/index.html", serveHTML("/doc.pdf", "/private/x.html"))
				s.route("/other.html", serveHTML())
				s.route("/private/x.html", serveHTML())
				pdf := portal.MinimalPDF("robots")
				s.route("/doc.pdf", func(w http.ResponseWriter, _ *http.Request) {
					w.Header().Set("Content-Type", "application/pdf")
					w.Write(pdf)
				})
				cfg := mustConfig(t, countSiteTOML(s, tt.extra, "/index.html", "/other.html"))
				sink := &fakeSink{}
				rep := harvest(t, cfg, fr, sink, dir)
				if tt.unreachable == "" {
					checkRobotsObeyed(t, s, rep, sink, tt.private)
					return
				}
				// Nothing of the host but robots.txt, tried 1 + retries times.
				if n := len(s.requests("/robots.txt")); n != 3 {
					t.Errorf("robots.txt requested %d times, want 3", n)
				}
				if got := s.others("/robots.txt"); len(got) != 0 {
					t.Errorf("requested with robots.txt unreachable: %v", got)
				}
				// Reported once, for the host.
				if len(rep.FailureList) != 1 || rep.Failures[FailRobotsUnreachable] != 1 || len(rep.Failures) != 1 {
					t.Fatalf("failures %v: %+v", rep.Failures, rep.FailureList)
				}
				f := rep.FailureList[0]
				var ue *RobotsUnreachableError
				if f.Kind != FailRobotsUnreachable || f.URL != s.URL+"/robots.txt" || !errors.Is(f.Cause, ErrRobotsUnreachable) ||
					errors.Is(f.Cause, ErrRobots) || !errors.As(f.Cause, &ue) || ue.Host != s.URL || kindOf(ue.Err) != tt.unreachable {
					t.Errorf("failure %+v (%#v)", f, ue)
				}
				if code := ExitCode(rep, nil); code != ExitNothing {
					t.Errorf("exit code %d, want %d (the only site could not be crawled)", code, ExitNothing)
				}
				if len(sink.files) != 0 {
					t.Errorf("sink got %d files", len(sink.files))
				}
				for _, p := range []string{"/index.html", "/other.html"} {
					rec, ok, err := fr.Lookup(context.Background(), s.URL+p)
					if err != nil || !ok || rec.State != StateFailed || rec.Failure != FailRobotsUnreachable {
						t.Errorf("%s: %+v (%v), want held back by robots-unreachable", p, rec, err)
					}
				}
				// The next night robots.txt answers: everything is fetched.
				s.reset()
				s.route("/robots.txt", serveRules)
				rep = harvest(t, cfg, fr, sink, dir)
				checkRobotsObeyed(t, s, rep, sink, false)
			})
		})
	}
}

// checkRobotsObeyed checks a harvest of the robots test site: each page
// and the file fetched once, /private/ only when private (allowed).
func checkRobotsObeyed(t *testing.T, s *countServer, rep *Report, sink *fakeSink, private bool) {
	t.Helper()
	for _, p := range []string{"/index.html", "/other.html", "/doc.pdf"} {
		if n := len(s.requests(p)); n != 1 {
			t.Errorf("%s requested %d times, want 1", p, n)
		}
	}
	want := map[string]FailureKind{"/private/x.html": FailRobots}
	wantPrivate := 0
	if private {
		want, wantPrivate = map[string]FailureKind{}, 1
	}
	if n := len(s.requests("/private/x.html")); n != wantPrivate {
		t.Errorf("/private/x.html requested %d times, want %d", n, wantPrivate)
	}
	if got := failuresOf(rep); !equalMap(got, want) {
		t.Errorf("failures %v, want %v", got, want)
	}
	if code := ExitCode(rep, nil); code != ExitOK {
		t.Errorf("exit code %d, want 0", code)
	}
	if got := sink.byPath(); len(got["/doc.pdf"]) != 1 {
		t.Errorf("sink got %v, want /doc.pdf once", got)
	}
}
