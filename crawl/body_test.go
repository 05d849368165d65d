package crawl

import (
	"bytes"
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"yusuan/fixtures/portal"
	"yusuan/progress"
)

func gz(b []byte) []byte {
	var out bytes.Buffer
	w := gzip.NewWriter(&out)
	w.Write(b)
	w.Close()
	return out.Bytes()
}

func zl(b []byte) []byte {
	var out bytes.Buffer
	w := zlib.NewWriter(&out)
	w.Write(b)
	w.Close()
	return out.Bytes()
}

func rawDeflate(b []byte) []byte {
	var out bytes.Buffer
	w, _ := flate.NewWriter(&out, flate.BestSpeed)
	w.Write(b)
	w.Close()
	return out.Bytes()
}

// Every body goes through guardTransport: the same limits whatever the
// headers claim.
func TestCappedBody(t *testing.T) {
	small := []byte(strings.Repeat("预算", 100)) // 600 bytes
	big := bytes.Repeat([]byte("x"), 5000)
	noise := make([]byte, 5000) // incompressible: gzip makes it no smaller
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range noise {
		noise[i] = byte(rng.Uint32())
	}
	tests := []struct {
		name     string
		encoding string
		body     []byte
		length   int // Content-Length to declare; 0: the body's
		pol      bodyPolicy
		want     []byte // what is read
		err      error  // nil, or what errors.Is must find
		cut      bool
	}{
		{"plain", "", small, 0, bodyPolicy{Max: 1000}, small, nil, false},
		{"plain at the limit", "", small, 0, bodyPolicy{Max: 600}, small, nil, false},
		{"plain cut", "", big, 0, bodyPolicy{Max: 1000, Truncate: true}, big[:1000], nil, true},
		{"plain refused", "", big, 0, bodyPolicy{Max: 1000}, nil, ErrTooLarge, false},
		{"gzip", "gzip", gz(small), 0, bodyPolicy{Max: 1000}, small, nil, false},
		{"x-gzip bomb, cut mode", "x-gzip", gz(big), 0, bodyPolicy{Max: 1000, Truncate: true}, nil, ErrDecompressionBomb, false},
		{"gzip bomb, refuse mode", "gzip", gz(big), 0, bodyPolicy{Max: 1000}, nil, ErrDecompressionBomb, false},
		{"gzip twice", "gzip, gzip", gz(gz(small)), 0, bodyPolicy{Max: 1000}, small, nil, false},
		// Compressed but not a bomb (less than 10:1): a long page is cut,
		// a big file too large.
		{"gzip long page", "gzip", gz(noise), 0, bodyPolicy{Max: 1000, Truncate: true}, noise[:1000], nil, true},
		{"gzip big file", "gzip", gz(noise), 0, bodyPolicy{Max: 1000}, nil, ErrTooLarge, false},
		{"deflate (zlib)", "deflate", zl(small), 0, bodyPolicy{Max: 1000}, small, nil, false},
		{"deflate (raw)", "deflate", rawDeflate(small), 0, bodyPolicy{Max: 1000}, small, nil, false},
		{"gzip that is not", "gzip", small, 0, bodyPolicy{Max: 1000}, nil, ErrBadEncoding, false},
		{"corrupt gzip", "gzip", append(gz(small)[:20], bytes.Repeat([]byte{0xff}, 40)...), 0, bodyPolicy{Max: 1000}, nil, ErrBadEncoding, false},
		{"brotli", "br", small, 0, bodyPolicy{Max: 1000}, nil, ErrBadEncoding, false},
		{"four encodings", "gzip, gzip, gzip, gzip", small, 0, bodyPolicy{Max: 1000}, nil, ErrBadEncoding, false},
		{"identity", "identity", small, 0, bodyPolicy{Max: 1000}, small, nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if tt.encoding != "" {
					w.Header().Set("Content-Encoding", tt.encoding)
				}
				w.Write(tt.body)
			}))
			defer srv.Close()
			got, f, err := fetchThrough(t, srv.URL, tt.pol)
			if tt.err == nil && err != nil || tt.err != nil && !errors.Is(err, tt.err) {
				t.Fatalf("err = %v, want %v", err, tt.err)
			}
			if tt.err == ErrTooLarge && errors.Is(err, ErrDecompressionBomb) {
				t.Errorf("err = %v: a bomb", err)
			}
			if tt.err == nil && !bytes.Equal(got, tt.want) {
				t.Errorf("read %d bytes, want %d", len(got), len(tt.want))
			}
			if f.wasTruncated() != tt.cut {
				t.Errorf("truncated = %v, want %v", f.wasTruncated(), tt.cut)
			}
		})
	}
}

// fetchThrough GETs u through guardTransport with pol.
func fetchThrough(t *testing.T, u string, pol bodyPolicy) ([]byte, *fetchCtx, error) {
	t.Helper()
	f := &fetchCtx{policy: pol, headerTimeout: 10 * time.Second}
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.DisableCompression = true
	c := &http.Client{Transport: guardTransport{base: tr}}
	req, _ := http.NewRequestWithContext(withFetch(context.Background(), f), http.MethodGet, u, nil)
	resp, err := c.Do(req)
	if err != nil {
		return nil, f, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return b, f, err
}

// A declared Content-Length over the limit is refused before a byte of
// the body is read.
func TestCappedBodyDeclaredLength(t *testing.T) {
	sent := make(chan int64, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", strconv.Itoa(100<<20))
		w.WriteHeader(http.StatusOK)
		var n int64
		chunk := make([]byte, 64<<10)
		for n < 100<<20 {
			k, err := w.Write(chunk)
			n += int64(k)
			if err != nil {
				break
			}
		}
		sent <- n
	}))
	defer srv.Close()
	_, _, err := fetchThrough(t, srv.URL, bodyPolicy{Max: 1 << 20})
	var le *LimitError
	if !errors.As(err, &le) || !le.Declared || errors.Is(err, ErrDecompressionBomb) {
		t.Fatalf("err = %v", err)
	}
	if n := <-sent; n >= 100<<20 {
		t.Errorf("the server sent the whole %d MiB", n>>20)
	}
}

// Classification by type, never by message text.
func TestKindOf(t *testing.T) {
	wrap := func(err error) error { return &url.Error{Op: "Get", URL: "http://a/", Err: err} }
	tests := []struct {
		err       error
		kind      FailureKind
		retryable bool
	}{
		{wrap(&RedirectError{To: "http://x/", Reason: "outside"}), FailRedirect, false},
		{wrap(&TimeoutError{Phase: "headers", Limit: time.Second}), FailTimeout, true},
		{wrap(&TimeoutError{Phase: "request", Limit: time.Second}), FailTimeout, false},
		{wrap(&TimeoutError{Phase: "url budget", Limit: time.Second}), FailTimeout, false},
		{&LimitError{Limit: 10, Encoding: "gzip"}, FailBomb, false},
		{&LimitError{Limit: 10}, FailTooLarge, false},
		{&StatusError{Code: 503}, FailHTTP, true},
		{&StatusError{Code: 429}, FailHTTP, true},
		{&StatusError{Code: 404}, FailHTTP, false},
		{wrap(io.ErrUnexpectedEOF), FailNetwork, true},
		{wrap(&net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}), FailNetwork, true},
		{fmt.Errorf("robots: %w", ErrRobots), FailRobots, false},
		// A redirect into a host whose robots.txt answered 503: not the
		// URL's own 503, not retried.
		{wrap(fmt.Errorf("x: %w", &RobotsUnreachableError{Host: "http://b", Status: 503, Err: &StatusError{Code: 503}})), FailRobotsUnreachable, false},
		{&RobotsUnreachableError{Host: "http://b", Err: wrap(io.ErrUnexpectedEOF)}, FailRobotsUnreachable, false},
		{fmt.Errorf("x: %w", ErrNotPDF), FailNotPDF, false},
		{fmt.Errorf("x: %w", ErrTruncated), FailTruncated, false},
		{fmt.Errorf("x: %w", ErrInterrupted), FailInterrupted, false},
		{fmt.Errorf("x: %w", ErrAPIAnswer), FailAPI, false},
		{fmt.Errorf("%w: disk full", errSink), FailSink, false},
		{errFailedElsewhere{kind: FailHTTP, msg: "HTTP 404"}, FailHTTP, false},
		{errors.New("connection reset by peer (as text only)"), FailOther, false},
	}
	for i, tt := range tests {
		if got := kindOf(tt.err); got != tt.kind {
			t.Errorf("%d: kindOf(%v) = %s, want %s", i, tt.err, got, tt.kind)
		}
		if got := retryable(tt.err); got != tt.retryable {
			t.Errorf("%d: retryable(%v) = %v, want %v", i, tt.err, got, tt.retryable)
		}
	}
}

func FuzzCappedBody(f *testing.F) {
	f.Add(gz([]byte("hello")), "gzip", int64(3), true)
	f.Add(zl(bytes.Repeat([]byte("a"), 100)), "deflate", int64(50), false)
	f.Add([]byte("plain"), "", int64(2), false)
	f.Add(gz(gz([]byte("x"))), "x-gzip, gzip", int64(10), true)
	f.Fuzz(func(t *testing.T, body []byte, enc string, max int64, truncate bool) {
		if max <= 0 || max > 1<<20 {
			return
		}
		resp := &http.Response{StatusCode: 200, Header: http.Header{"Content-Encoding": {enc}}, ContentLength: -1,
			Body: io.NopCloser(bytes.NewReader(body))}
		ctx, cancel := context.WithCancelCause(context.Background())
		fc := &fetchCtx{}
		b := newCappedBody(ctx, cancel, resp, bodyPolicy{Max: max, Truncate: truncate}, fc)
		got, err := io.ReadAll(b)
		b.Close()
		if int64(len(got)) > max {
			t.Fatalf("read %d bytes past the %d limit", len(got), max)
		}
		if err != nil && kindOf(err) == FailOther && !errors.Is(err, io.ErrUnexpectedEOF) {
			t.Logf("untyped error %v", err)
		}
	})
}

// Progress: files done of files scheduled, failures, bytes, the current
// site, in order.
func TestHarvestProgress(t *testing.T) {
	p := startPortal(t, portal.Options{ListPages: 3, CrawlDelay: time.Millisecond})
	cfg := mustConfig(t, siteTOML(p.URL(), noSlow))
	var events []progress.Event
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	dir := t.TempDir()
	rep, err := Harvest(ctx, Options{Config: cfg, Frontier: NewMemFrontier(), ArchiveDir: dir, Logger: testLogger(),
		Progress: func(e progress.Event) { events = append(events, e) }})
	if err != nil {
		t.Fatal(err)
	}
	if len(events) < 10 {
		t.Fatalf("%d events", len(events))
	}
	last := events[len(events)-1]
	files := len(p.PDFPaths()) + 1 + len(p.DownloadPaths()) // + broken.pdf
	if last.Stage != "crawl" || last.Done != files || last.Total != files || last.Failed != 1 || last.Bytes != rep.Bytes || rep.Bytes < 10<<20 {
		t.Errorf("last event %+v (report %d bytes), want %d files, 1 failed", last, rep.Bytes, files)
	}
	for i := 1; i < len(events); i++ {
		if events[i].Done < events[i-1].Done || events[i].Bytes < events[i-1].Bytes || events[i].Total < events[i-1].Total {
			t.Fatalf("event %d goes back: %+v after %+v", i, events[i], events[i-1])
		}
	}
	sawURL := false
	for _, e := range events {
		if strings.HasPrefix(e.Current, "fixture "+p.URL()) {
			sawURL = true
		}
	}
	if !sawURL {
		t.Error("no event names the site and URL being fetched")
	}
}
