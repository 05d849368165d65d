// Package web is yusuan's web UI and JSON API (`yusuan serve`) and the
// self-contained HTML report (`yusuan report --html`): server-rendered
// pages over the store — the overview, findings with their evidence drawn
// on the page, documents, entities across years — that work without
// JavaScript, and the one thing they write: an analyst's verdict, through
// the same store call as `yusuan verdict`. docs/web.md describes the
// routes, the API and the security measures.
package web

import (
	"bytes"
	"context"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"os/user"
	"strings"
	"sync"
	"time"

	"yusuan"
	"yusuan/store"
)

// Store is what the web UI reads, and its one write: SetVerdict, the call
// `yusuan verdict` makes. Handlers hold nothing else of the store (the
// archive only through Files, which reads), so no request can change
// anything but verdicts. *store.Store implements it.
type Store interface {
	QueryFindings(ctx context.Context, f store.FindingFilter) (store.FindingPage, error)
	Finding(ctx context.Context, id string) (store.StoredFinding, error)
	ResolveFindingID(ctx context.Context, typed string) (string, error)
	FindingHistory(ctx context.Context, id string) ([]store.FindingEvent, error)
	Verdicts(ctx context.Context, id string) ([]store.VerdictRecord, error)
	CountFindings(ctx context.Context, f store.FindingFilter) ([]store.FindingCount, error)
	RecentRuns(ctx context.Context, n int) ([]store.CheckRun, error)
	RecentCrawlRuns(ctx context.Context, n int) ([]store.CrawlRunSummary, error)
	QueryDocuments(ctx context.Context, q store.DocumentQuery) (store.DocumentList, error)
	DocumentInfo(ctx context.Context, sha string) (store.DocInfo, error)
	Document(ctx context.Context, sha string) (*yusuan.Document, error)
	DocumentVersions(ctx context.Context, sha string) ([]store.DocInfo, error)
	Sources(ctx context.Context, sha string) ([]store.Source, error)
	CrawlVersions(ctx context.Context, url string) ([]store.CrawlVersion, error)
	CountDocuments(ctx context.Context) ([]store.DocumentCount, error)
	CountDocumentsByRegion(ctx context.Context) ([]store.RegionCount, error)
	CountFailures(ctx context.Context, limit int) ([]store.FailureCount, error)
	FailureStamp(ctx context.Context) (string, error)
	Entity(ctx context.Context, id int64) (store.EntityInfo, error)
	EntityRows(ctx context.Context, entityID int64, kinds []yusuan.TableKind) ([]store.FigureRow, error)
	EntityFacts(ctx context.Context, entityID int64, keys []string) ([]store.FactRecord, error)

	// SetVerdict is the only write.
	SetVerdict(ctx context.Context, id string, kind yusuan.VerdictKind, note, by string) (yusuan.Verdict, error)
}

// Options configure a Server.
type Options struct {
	// Auth, when set, is required of every request (HTTP basic auth); the
	// user name is recorded with the verdicts it gives. Without it the
	// server must listen on loopback only (CheckAddr).
	Auth *Credentials
	// By is who verdicts are recorded as without Auth, unless the form
	// names someone (default: the user running the server).
	By string
	// CacheBytes bounds the cache of drawn pages (default 128 MiB).
	CacheBytes int64
	Logger     *slog.Logger
}

// Server serves the UI and the API over one store.
type Server struct {
	st    Store
	opt   Options
	log   *slog.Logger
	pages *pager
	csrf  *csrf
	tmpl  map[string]*template.Template
	mux   *http.ServeMux
	// failures are the overview's extraction failures, kept while the set
	// of failed documents stays the same (reading them costs a row each).
	failures struct {
		sync.Mutex
		stamp string
		at    time.Time
		val   []store.FailureCount
	}
}

//go:embed templates/*.html
var templateFiles embed.FS

//go:embed static
var staticFiles embed.FS

// New makes a server over st and its archive (st.Archive()).
func New(st Store, files Files, opt Options) (*Server, error) {
	if opt.Logger == nil {
		opt.Logger = slog.Default()
	}
	if opt.CacheBytes <= 0 {
		opt.CacheBytes = 128 << 20
	}
	if opt.By == "" {
		if u, err := user.Current(); err == nil {
			opt.By = u.Username
		}
	}
	c, err := newCSRF()
	if err != nil {
		return nil, err
	}
	s := &Server{st: st, opt: opt, log: opt.Logger, pages: newPager(st, files, opt.CacheBytes), csrf: c}
	if s.tmpl, err = parseTemplates(); err != nil {
		return nil, err
	}
	s.routes()
	return s, nil
}

func (s *Server) routes() {
	m := http.NewServeMux()
	m.HandleFunc("GET /{$}", s.overview)
	m.HandleFunc("GET /findings", s.findings)
	m.HandleFunc("GET /findings/{id}", s.finding)
	m.HandleFunc("POST /findings/{id}/verdict", s.verdict)
	m.HandleFunc("GET /documents", s.documents)
	m.HandleFunc("GET /documents/{sha}", s.document)
	m.HandleFunc("GET /documents/{sha}/pages/{n}", s.documentPage)
	m.HandleFunc("GET /entities/{id}", s.entity)
	m.HandleFunc("GET /files/{file}", s.file)
	m.HandleFunc("GET /static/{file}", s.static)
	m.HandleFunc("GET /api/findings", s.apiFindings)
	m.HandleFunc("GET /api/findings/{id}", s.apiFinding)
	m.HandleFunc("GET /api/documents", s.apiDocuments)
	m.HandleFunc("GET /api/documents/{sha}", s.apiDocument)
	m.HandleFunc("GET /api/entities/{id}", s.apiEntity)
	m.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { s.fail(w, r, errNotFound) })
	s.mux = m
}

// ServeHTTP applies, in order: panic recovery, the security headers, the
// Host check (loopback without auth), basic auth, the path check, then
// the routes.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	defer func() {
		if x := recover(); x != nil {
			if x == http.ErrAbortHandler {
				panic(x)
			}
			s.log.Error("web: panic", "path", r.URL.Path, "panic", x)
			http.Error(w, "internal error", http.StatusInternalServerError)
		}
	}()
	securityHeaders(w.Header())
	if s.opt.Auth == nil && !loopbackHost(r.Host) {
		// A page elsewhere that points a name at 127.0.0.1 (DNS
		// rebinding) must not read the UI through the browser.
		http.Error(w, "this server answers to localhost only (or give it --auth)", http.StatusForbidden)
		return
	}
	if s.opt.Auth != nil {
		user, ok := s.opt.Auth.check(r)
		if !ok {
			w.Header().Set("WWW-Authenticate", `Basic realm="yusuan", charset="UTF-8"`)
			http.Error(w, "authentication required", http.StatusUnauthorized)
			return
		}
		r = r.WithContext(context.WithValue(r.Context(), userKey{}, user))
	}
	if !cleanPath(r.URL.Path) {
		s.fail(w, r, errNotFound)
		return
	}
	start := time.Now()
	sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
	s.mux.ServeHTTP(sw, r)
	level := slog.LevelDebug
	if sw.status >= 500 {
		level = slog.LevelWarn
	}
	s.log.Log(r.Context(), level, "web: request", "method", r.Method, "path", r.URL.Path, "status", sw.status,
		"ms", time.Since(start).Milliseconds())
}

// statusWriter remembers the status written, for the request log.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	w.status = code
	w.ResponseWriter.WriteHeader(code)
}

// Unwrap lets http.ResponseController reach the connection.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// cleanPath rejects paths with dot segments or empty segments: the mux
// would redirect them; they are answered 404 instead, so that no request
// path is ever resolved against anything.
func cleanPath(p string) bool {
	if !strings.HasPrefix(p, "/") || strings.Contains(p, "//") || strings.ContainsRune(p, 0) || strings.Contains(p, "\\") {
		return false
	}
	for _, seg := range strings.Split(p, "/") {
		if seg == "." || seg == ".." {
			return false
		}
	}
	return true
}

type userKey struct{}

// securityHeaders are set on every response. The policy allows only this
// server's own styles, scripts, frames (the PDF viewer) and images (and
// data: images); forms post only here; nothing may frame the UI elsewhere.
func securityHeaders(h http.Header) {
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self' data:; "+
		"frame-src 'self'; object-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'self'")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "same-origin")
	h.Set("X-Frame-Options", "SAMEORIGIN")
	h.Set("Cross-Origin-Opener-Policy", "same-origin")
	h.Set("Cross-Origin-Resource-Policy", "same-origin")
}

// loopbackHost reports whether a Host header names this machine's
// loopback interface.
func loopbackHost(host string) bool {
	h := host
	if hh, _, err := net.SplitHostPort(host); err == nil {
		h = hh
	}
	h = strings.TrimSuffix(strings.TrimPrefix(h, "["), "]")
	if strings.EqualFold(h, "localhost") {
		return true
	}
	ip := net.ParseIP(h)
	return ip != nil && ip.IsLoopback()
}

// Errors handlers return, turned into statuses by fail.
var (
	errNotFound = errors.New("not found")
)

// badRequest is a request the UI cannot answer as asked (a bad filter).
type badRequest struct{ msg string }

func (e badRequest) Error() string { return e.msg }

func badRequestf(format string, a ...any) error { return badRequest{fmt.Sprintf(format, a...)} }

// status is the HTTP status for an error.
func status(err error) int {
	var br badRequest
	switch {
	case errors.As(err, &br), errors.Is(err, store.ErrInvalidVerdict):
		return http.StatusBadRequest
	case errors.Is(err, errNotFound), errors.Is(err, store.ErrNotFound), errors.Is(err, store.ErrFindingNotFound),
		errors.Is(err, store.ErrEntityNotFound), errors.Is(err, ErrNoSuchPage), errors.Is(err, ErrNotArchived):
		return http.StatusNotFound
	case errors.Is(err, errForbidden):
		return http.StatusForbidden
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return http.StatusServiceUnavailable
	}
	return http.StatusInternalServerError
}

// fail answers with err's status: an HTML page, or JSON under /api/.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	code := status(err)
	msg := http.StatusText(code)
	switch code {
	case http.StatusBadRequest, http.StatusForbidden:
		msg = err.Error()
	case http.StatusNotFound:
		if !errors.Is(err, errNotFound) {
			msg = publicReason(err)
		}
	case http.StatusInternalServerError:
		s.log.Error("web: request failed", "path", r.URL.Path, "err", err)
	}
	if strings.HasPrefix(r.URL.Path, "/api/") {
		writeJSON(w, code, map[string]any{"error": msg, "status": code})
		return
	}
	w.Header().Del("Content-Disposition")
	s.render(w, r, code, "error", errorView{page: page{Title: http.StatusText(code)}, Status: code, Message: msg})
}

// publicReason says why something was not found without repeating the
// request's own text back or naming paths on the server.
func publicReason(err error) string {
	switch {
	case errors.Is(err, store.ErrFindingNotFound):
		return "No finding has that id (it may have been reported under another id by a later check)."
	case errors.Is(err, store.ErrEntityNotFound):
		return "No entity has that id."
	case errors.Is(err, store.ErrNotFound):
		return "No document has that sha256."
	case errors.Is(err, ErrNoSuchPage):
		return "The document has no such page."
	case errors.Is(err, ErrNotArchived):
		return "The original file is not in the archive."
	}
	return "Not found."
}

// render executes a page template into a buffer first, so that a failure
// is a clean 500, not half a page.
func (s *Server) render(w http.ResponseWriter, r *http.Request, code int, name string, data any) {
	t, ok := s.tmpl[name]
	if !ok {
		http.Error(w, "internal error", http.StatusInternalServerError)
		s.log.Error("web: no template", "name", name)
		return
	}
	var b bytes.Buffer
	if err := t.ExecuteTemplate(&b, "page", data); err != nil {
		s.log.Error("web: template", "name", name, "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(code)
	if r.Method != http.MethodHead {
		w.Write(b.Bytes())
	}
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		http.Error(w, `{"error":"internal error"}`, http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(code)
	w.Write(b)
	w.Write([]byte("\n"))
}

// static serves the embedded style sheet and script.
func (s *Server) static(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("file")
	types := map[string]string{"style.css": "text/css; charset=utf-8", "app.js": "text/javascript; charset=utf-8"}
	ct, ok := types[name]
	if !ok {
		s.fail(w, r, errNotFound)
		return
	}
	b, err := fs.ReadFile(staticFiles, "static/"+name)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", ct)
	w.Header().Set("Cache-Control", "public, max-age=3600")
	http.ServeContent(w, r, name, time.Time{}, bytes.NewReader(b))
}

// Timeouts of the HTTP server: a slow client cannot hold a connection
// (headers, body) for long; drawing a long page has time to finish.
const (
	readHeaderTimeout = 10 * time.Second
	readTimeout       = 30 * time.Second
	writeTimeout      = 2 * time.Minute
	idleTimeout       = 2 * time.Minute
	shutdownTimeout   = 10 * time.Second
)

// CheckAddr refuses to listen beyond loopback without authentication.
func CheckAddr(addr string, auth bool) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("address %q: %w", addr, err)
	}
	if auth {
		return nil
	}
	if host == "" {
		return fmt.Errorf("address %q listens on every interface: give --auth user:password (or --auth-file) to serve beyond this machine, or use 127.0.0.1", addr)
	}
	ips, err := net.LookupIP(host)
	if err != nil {
		return fmt.Errorf("address %q: %w", addr, err)
	}
	for _, ip := range ips {
		if !ip.IsLoopback() {
			return fmt.Errorf("address %q is not loopback (%s): give --auth user:password (or --auth-file) to serve beyond this machine", addr, ip)
		}
	}
	return nil
}

// ListenAndServe serves s on addr until ctx ends, then shuts down
// gracefully (requests in flight get shutdownTimeout to finish). ready,
// when not nil, receives the address listened on.
func ListenAndServe(ctx context.Context, addr string, s *Server, ready func(net.Addr)) error {
	if err := CheckAddr(addr, s.opt.Auth != nil); err != nil {
		return err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: s, ReadHeaderTimeout: readHeaderTimeout, ReadTimeout: readTimeout,
		WriteTimeout: writeTimeout, IdleTimeout: idleTimeout, MaxHeaderBytes: 64 << 10,
		ErrorLog:    slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
		BaseContext: func(net.Listener) context.Context { return context.WithoutCancel(ctx) }}
	if ready != nil {
		ready(ln.Addr())
	}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), shutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-done; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
