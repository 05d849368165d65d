package crawl

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/http"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"yusuan/fixtures/portal"
)

// A link that looks like a page and answers with a file is fetched once
// the first night: the page request's answer is the file, known by its
// headers or, when they do not tell (a CMS download script), by its first
// bytes; read under the file limits, archived once and handed on once.
// The next night asks it as a file, conditionally, and gets a 304.
func TestPageLinkServingFile(t *testing.T) {
	const show = "/show?id=1"
	noType := map[string]string{"Content-Type": ""} // not even net/http's sniffed one
	for _, tt := range []struct {
		name   string
		header map[string]string
		link   string // what the list page links
		extra  string
		size   int64  // PDF size; 0 for a minimal one
		lead   string // bytes before the PDF
		gzip   bool   // sent with Content-Encoding: gzip
		// pause is how long the body stalls after its first half: past
		// the page timeout, well within file_timeout.
		pause time.Duration
	}{
		{name: "sniffed: no Content-Type", header: noType, link: show},
		{name: "sniffed: text/html", header: map[string]string{"Content-Type": "text/html; charset=utf-8"}, link: show},
		{name: "sniffed: text/plain", header: map[string]string{"Content-Type": "text/plain"}, link: show},
		{name: "application/octet-stream", header: map[string]string{"Content-Type": "application/octet-stream"}, link: show},
		{name: "sniffed: after a BOM and newlines", header: map[string]string{"Content-Type": "text/html"}, link: show,
			lead: "\ufeff\r\n\n"},
		{name: "sniffed: gzip", header: map[string]string{"Content-Type": "text/html"}, link: show, gzip: true},
		{name: "sniffed: redirected", header: noType, link: "/go?id=1"},
		{name: "sniffed: over max_page_size", header: noType, link: show, extra: `max_page_size = "4KiB"`, size: 64 << 10},
		{name: "sniffed: slower than the page timeout", header: noType, link: show, size: 8 << 10,
			extra: "timeout = \"500ms\"\nfile_timeout = \"60s\"", pause: 1500 * time.Millisecond},
		{name: "application/pdf", header: map[string]string{"Content-Type": "application/pdf"}, link: show},
		{name: "attachment", link: show, header: map[string]string{"Content-Type": "application/force-download",
			"Content-Disposition": `attachment; filename="budget.pdf"`}},
		{name: "redirected", header: map[string]string{"Content-Type": "application/pdf"}, link: "/go?id=1"},
		{name: "over max_page_size", header: map[string]string{"Content-Type": "application/pdf"}, link: show,
			extra: `max_page_size = "4KiB"`, size: 64 << 10},
		{name: "slower than the page timeout", header: map[string]string{"Content-Type": "application/pdf"}, link: show,
			extra: "timeout = \"500ms\"\nfile_timeout = \"60s\"", pause: 1500 * time.Millisecond},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			body := portal.MinimalPDF("served " + tt.name)
			if tt.size > 0 {
				body = portal.PaddedPDF("served "+tt.name, tt.size)
			}
			body = append([]byte(tt.lead), body...)
			wire := body
			if tt.gzip {
				var b bytes.Buffer
				zw := gzip.NewWriter(&b)
				zw.Write(body)
				zw.Close()
				wire = b.Bytes()
			}
			s := newCountServer(t)
			s.route("/list.html", serveHTML(tt.link))
			s.route("/go", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, show, http.StatusFound) })
			s.route("/show", func(w http.ResponseWriter, r *http.Request) {
				for k, v := range tt.header {
					if v == "" {
						w.Header()[k] = nil
						continue
					}
					w.Header().Set(k, v)
				}
				w.Header().Set("ETag", `"v1"`)
				if r.Header.Get("If-None-Match") == `"v1"` {
					w.WriteHeader(http.StatusNotModified)
					return
				}
				if tt.gzip {
					w.Header().Set("Content-Encoding", "gzip")
				}
				w.Header().Set("Content-Length", strconv.Itoa(len(wire)))
				if tt.pause == 0 {
					w.Write(wire)
					return
				}
				w.Write(wire[:len(wire)/2])
				http.NewResponseController(w).Flush()
				select {
				case <-time.After(tt.pause):
				case <-r.Context().Done():
					return
				}
				w.Write(wire[len(wire)/2:])
			})
			cfg := mustConfig(t, countSiteTOML(s, tt.extra, "/list.html"))
			fr, sink, dir := NewMemFrontier(), &fakeSink{}, t.TempDir()
			first := harvest(t, cfg, fr, sink, dir)

			if st := s.requests(show); len(st) != 1 || st[0].status != 200 {
				t.Errorf("first night: %s requested %+v, want one 200", show, st)
			}
			if tt.link != show {
				if n := len(s.requests(tt.link)); n != 1 {
					t.Errorf("first night: %s requested %d times, want 1", tt.link, n)
				}
			}
			sum := sha256.Sum256(body)
			sha := hex.EncodeToString(sum[:])
			if len(sink.files) != 1 || sink.files[0].SHA256 != sha || sink.files[0].URL != s.URL+tt.link ||
				sink.files[0].FinalURL != s.URL+show || sink.files[0].WARCFile == "" {
				t.Fatalf("sink got %+v, want the file once", sink.files)
			}
			if len(first.FailureList) != 0 || first.FilesNew != 1 || first.PagesFetched != 1 {
				t.Errorf("first night: %s %+v", first, first.FailureList)
			}
			rec, ok, err := fr.Lookup(context.Background(), s.URL+tt.link)
			if err != nil || !ok || rec.Kind != KindFile || rec.ETag != `"v1"` || rec.SHA256 != sha {
				t.Errorf("record %+v (%v), want a file with its validators", rec, err)
			}
			// Archived once, as the file.
			files, _ := filepath.Glob(filepath.Join(dir, "warc", "*.warc.gz"))
			responses := 0
			for _, r := range readWARCs(t, files) {
				if r.uri == s.URL+show && r.typ == "response" {
					responses++
					if r.status != 200 || r.payloadSHA != sha || r.truncated != "" {
						t.Errorf("archived %+v", r)
					}
				}
			}
			if responses != 1 {
				t.Errorf("%s archived %d times, want once", show, responses)
			}

			s.reset()
			second := harvest(t, cfg, fr, sink, dir)
			if st := s.requests(show); len(st) != 1 || st[0].status != 304 || st[0].header.Get("If-None-Match") != `"v1"` {
				t.Errorf("second night: %s requested %+v, want one conditional request answered 304", show, st)
			}
			if len(sink.files) != 1 || second.FilesUnchanged != 1 || second.FilesNew != 0 || len(second.FailureList) != 0 {
				t.Errorf("second night: %s %+v; sink has %d files", second, second.FailureList, len(sink.files))
			}
		})
	}
}

// A file answering a page link is still held to max_file_size: refused on
// its Content-Length, requested once, nothing handed on; also when only
// its first bytes tell it is a file.
func TestPageLinkServingTooLargeFile(t *testing.T) {
	for _, contentType := range []string{"application/pdf", "text/html", ""} {
		t.Run("Content-Type "+contentType, func(t *testing.T) {
			t.Parallel()
			s := newCountServer(t)
			body := portal.PaddedPDF("too large", 64<<10)
			s.route("/list.html", serveHTML("/show?id=1"))
			s.route("/show", func(w http.ResponseWriter, _ *http.Request) {
				w.Header()["Content-Type"] = nil
				if contentType != "" {
					w.Header().Set("Content-Type", contentType)
				}
				w.Header().Set("Content-Length", strconv.Itoa(len(body)))
				w.Write(body)
			})
			cfg := mustConfig(t, countSiteTOML(s, `max_file_size = "16KiB"`, "/list.html"))
			fr, sink := NewMemFrontier(), &fakeSink{}
			rep := harvest(t, cfg, fr, sink, t.TempDir())
			if n := len(s.requests("/show?id=1")); n != 1 {
				t.Errorf("requested %d times, want 1", n)
			}
			var le *LimitError
			if len(rep.FailureList) != 1 || rep.FailureList[0].Kind != FailTooLarge || !errors.As(rep.FailureList[0].Cause, &le) ||
				le.Limit != 16<<10 || !le.Declared {
				t.Errorf("failures %+v, want too-large at 16 KiB", rep.FailureList)
			}
			if len(sink.files) != 0 {
				t.Errorf("sink got %d files", len(sink.files))
			}
			if rec, _, _ := fr.Lookup(context.Background(), s.URL+"/show?id=1"); rec.Kind != KindFile || rec.State != StateFailed {
				t.Errorf("record %+v, want a failed file", rec)
			}
		})
	}
}

// Pages stay pages: only a body that opens with a PDF header is a file,
// whatever the Content-Type says or leaves out.
func TestPageNotTakenForFile(t *testing.T) {
	const next = `<a href="/next.html">next</a>`
	for _, tt := range []struct {
		name, contentType, body string
	}{
		{name: "html, no Content-Type", body: "<!DOCTYPE html><html><body>" + next + "</body></html>"},
		{name: "html, leading blank lines", contentType: "text/html", body: "\n\n<html><body>" + next + "</body></html>"},
		{name: "html mentioning %PDF-", contentType: "text/html; charset=utf-8",
			body: "<html><body><p>A PDF begins with %PDF-1.7</p>" + next + "</body></html>"},
		{name: "html after a BOM", contentType: "text/html", body: "\ufeff<html><body>" + next + "</body></html>"},
		{name: "empty", contentType: "text/html"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := newCountServer(t)
			s.route("/list.html", serveHTML("/show?id=1"))
			s.route("/next.html", serveHTML())
			s.route("/show", func(w http.ResponseWriter, _ *http.Request) {
				if tt.contentType == "" {
					w.Header()["Content-Type"] = nil
				} else {
					w.Header().Set("Content-Type", tt.contentType)
				}
				w.Write([]byte(tt.body))
			})
			cfg := mustConfig(t, countSiteTOML(s, "", "/list.html"))
			fr, sink := NewMemFrontier(), &fakeSink{}
			rep := harvest(t, cfg, fr, sink, t.TempDir())
			if n := len(s.requests("/show?id=1")); n != 1 {
				t.Errorf("requested %d times, want 1", n)
			}
			rec, _, _ := fr.Lookup(context.Background(), s.URL+"/show?id=1")
			if rec.Kind != KindPage || rec.State != StateDone || len(sink.files) != 0 || len(rep.FailureList) != 0 {
				t.Errorf("record %+v, sink %d files, failures %+v: want a page", rec, len(sink.files), rep.FailureList)
			}
			wantPages, wantNext := 3, 1
			if tt.body == "" {
				wantPages, wantNext = 2, 0
			}
			if rep.PagesFetched != wantPages || len(s.requests("/next.html")) != wantNext {
				t.Errorf("%d pages fetched, /next.html requested %d times; want %d, %d (its links followed)",
					rep.PagesFetched, len(s.requests("/next.html")), wantPages, wantNext)
			}
		})
	}
}

func TestStartsLikePDF(t *testing.T) {
	for _, tt := range []struct {
		head string
		want bool
	}{
		{"%PDF-1.7\n", true},
		{"\r\n \t%PDF-1.4", true},
		{"\ufeff%PDF-1.4", true},
		{"\n\ufeff\n%PDF-1.4", true},
		{"%PDF-", true},
		{"%PDF", false},
		{"", false},
		{"<html>%PDF-1.7", false},
		{"junk\n%PDF-1.7", false},
		{strings.Repeat(" ", 1024) + "%PDF-1.7", false}, // past the first KiB
	} {
		if got := startsLikePDF([]byte(tt.head)); got != tt.want {
			t.Errorf("startsLikePDF(%.20q) = %v, want %v", tt.head, got, tt.want)
		}
	}
}
