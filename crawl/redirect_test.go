package crawl

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"testing"

	"yusuan/fixtures/portal"
)

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
