package crawl

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"

	"yusuan/fixtures/portal"
)

// countServer is a loopback site whose handlers a test sets by path, and
// which records every request by path and query: its headers and the
// status it was answered with.
type countServer struct {
	*httptest.Server
	mu     sync.Mutex
	routes map[string]http.HandlerFunc
	seen   map[string][]*seenRequest
}

type seenRequest struct {
	header http.Header
	status int // 0 when no status was written (a hijacked connection)
}

func newCountServer(t *testing.T) *countServer {
	t.Helper()
	s := &countServer{routes: map[string]http.HandlerFunc{}, seen: map[string][]*seenRequest{}}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.Close)
	return s
}

// route answers path (without its query) with h; unrouted paths are 404.
func (s *countServer) route(path string, h http.HandlerFunc) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.routes[path] = h
}

func (s *countServer) serve(w http.ResponseWriter, r *http.Request) {
	sr := &seenRequest{header: r.Header.Clone()}
	s.mu.Lock()
	h := s.routes[r.URL.Path]
	s.seen[r.URL.RequestURI()] = append(s.seen[r.URL.RequestURI()], sr)
	s.mu.Unlock()
	rec := &portal.StatusRecorder{ResponseWriter: w}
	if h == nil {
		http.NotFound(rec, r)
	} else {
		h(rec, r)
	}
	s.mu.Lock()
	sr.status = rec.Status
	s.mu.Unlock()
}

// requests returns the requests of a path with its query, oldest first.
func (s *countServer) requests(uri string) []seenRequest {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []seenRequest
	for _, r := range s.seen[uri] {
		out = append(out, *r)
	}
	return out
}

// others lists the requested paths outside keep, with their counts.
func (s *countServer) others(keep ...string) map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := map[string]int{}
	for uri, rs := range s.seen {
		if !slices.Contains(keep, uri) {
			out[uri] = len(rs)
		}
	}
	return out
}

func (s *countServer) reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.seen = map[string][]*seenRequest{}
}

// serveHTML answers with a page linking hrefs.
func serveHTML(hrefs ...string) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) {
		var b strings.Builder
		b.WriteString("<html><head><title>t</title></head><body>")
		for _, h := range hrefs {
			fmt.Fprintf(&b, `<a href="%s">%s</a>`, h, h)
		}
		b.WriteString("</body></html>")
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write([]byte(b.String()))
	}
}

// countSiteTOML is a site on s starting at the given paths.
func countSiteTOML(s *countServer, extra string, start ...string) string {
	var starts []string
	for _, p := range start {
		starts = append(starts, `"`+s.URL+p+`"`)
	}
	return fmt.Sprintf(`[[site]]
name = "count"
start = [%s]
allow = ['^%s/']
delay = "0s"
retry_backoff = "10ms"
retries = 2
%s
`, strings.Join(starts, ", "), strings.ReplaceAll(s.URL, ".", `\.`), extra)
}
