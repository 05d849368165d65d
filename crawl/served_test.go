package crawl

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/http"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"yusuan/fixtures/portal"
)

// A link that looks like a page and answers with a file is fetched once
// the first night: the page request's answer is the file, read under the
// file limits, archived once and handed on once. The next night asks it
// as a file, conditionally, and gets a 304.
func TestPageLinkServingFile(t *testing.T) {
	const show = "/show?id=1"
	for _, tt := range []struct {
		name   string
		header map[string]string
		link   string // what the list page links
		extra  string
		size   int64 // PDF size; 0 for a minimal one
		// pause is how long the body stalls after its first half: past
		// the page timeout, well within file_timeout.
		pause time.Duration
	}{
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
			s := newCountServer(t)
			s.route("/list.html", serveHTML(tt.link))
			s.route("/go", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, show, http.StatusFound) })
			s.route("/show", func(w http.ResponseWriter, r *http.Request) {
				for k, v := range tt.header {
					w.Header().Set(k, v)
				}
				w.Header().Set("ETag", `"v1"`)
				if r.Header.Get("If-None-Match") == `"v1"` {
					w.WriteHeader(http.StatusNotModified)
					return
				}
				w.Header().Set("Content-Length", strconv.Itoa(len(body)))
				if tt.pause == 0 {
					w.Write(body)
					return
				}
				w.Write(body[:len(body)/2])
				http.NewResponseController(w).Flush()
				select {
				case <-time.After(tt.pause):
				case <-r.Context().Done():
					return
				}
				w.Write(body[len(body)/2:])
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
// its Content-Length, requested once, nothing handed on.
func TestPageLinkServingTooLargeFile(t *testing.T) {
	s := newCountServer(t)
	body := portal.PaddedPDF("too large", 64<<10)
	s.route("/list.html", serveHTML("/show?id=1"))
	s.route("/show", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/pdf")
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
}
