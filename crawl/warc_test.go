package crawl

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/nlnwa/gowarc/v3"

	"yusuan/fixtures/portal"
)

type warcRec struct {
	typ, uri, profile string
	status            int
	payloadSHA        string
	truncated         string
	concurrentTo      string
}

// readWARCs reads every record back with gowarc, validating digests.
func readWARCs(t *testing.T, files []string) []warcRec {
	t.Helper()
	var out []warcRec
	for _, f := range files {
		r, err := gowarc.NewWarcFileReader(f, 0, gowarc.WithBlockErrorPolicy(gowarc.ErrFail))
		if err != nil {
			t.Fatal(err)
		}
		for {
			rec, err := r.Next()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				t.Fatalf("%s: %v", filepath.Base(f), err)
			}
			if len(rec.Validation) > 0 {
				t.Errorf("%s@%d: validation: %v", filepath.Base(f), rec.Offset, rec.Validation)
			}
			wr := rec.WarcRecord
			h := wr.WarcHeader()
			x := warcRec{typ: wr.Type().String(), uri: h.Get(gowarc.WarcTargetURI), profile: h.Get(gowarc.WarcProfile),
				truncated: h.Get(gowarc.WarcTruncated), concurrentTo: h.Get(gowarc.WarcConcurrentTo)}
			if hb, ok := wr.Block().(gowarc.HttpResponseBlock); ok {
				x.status = hb.HttpStatusCode()
				if wr.Type() == gowarc.Response {
					pr, err := hb.PayloadBytes()
					if err != nil {
						t.Fatal(err)
					}
					sum := sha256.New()
					if _, err := io.Copy(sum, pr); err != nil {
						t.Fatal(err)
					}
					x.payloadSHA = hex.EncodeToString(sum.Sum(nil))
				}
			}
			if wr.Type() == gowarc.Revisit {
				raw, err := wr.Block().RawBytes()
				if err != nil {
					t.Fatal(err)
				}
				b, _ := io.ReadAll(raw)
				if f := strings.Fields(string(b)); len(f) > 1 {
					x.status, _ = strconv.Atoi(f[1])
				}
			}
			rec.Close()
			out = append(out, x)
		}
		r.Close()
	}
	return out
}

func TestWARCReadBack(t *testing.T) {
	p := startPortal(t, portal.Options{ListPages: 3, CrawlDelay: time.Millisecond})
	cfg := mustConfig(t, siteTOML(p.URL(), noSlow))
	fr := NewMemFrontier()
	sink := &fakeSink{}
	dir := t.TempDir()
	first := harvest(t, cfg, fr, sink, dir)
	second := harvest(t, cfg, fr, sink, dir)
	files, _ := filepath.Glob(filepath.Join(dir, "warc", "*.warc.gz"))
	if len(files) != 2 || len(first.WARCFiles) != 1 || len(second.WARCFiles) != 1 {
		t.Fatalf("warc files %v (reports %v, %v)", files, first.WARCFiles, second.WARCFiles)
	}
	recs := readWARCs(t, files)
	count := map[string]int{}
	bodies := map[string]string{} // uri → payload sha of 200 responses
	notModified := 0
	for _, r := range recs {
		count[r.typ]++
		if r.typ == "response" && r.status == 200 {
			bodies[r.uri] = r.payloadSHA
		}
		if r.typ == "revisit" && r.profile == gowarc.ProfileServerNotModifiedV1_1 {
			notModified++
			if r.status != 304 {
				t.Errorf("server-not-modified revisit with status %d", r.status)
			}
		}
		if (r.typ == "response" || r.typ == "revisit") && r.concurrentTo == "" {
			t.Errorf("%s %s: no WARC-Concurrent-To linking it to its request", r.typ, r.uri)
		}
	}
	if count["warcinfo"] != 2 || count["request"] != count["response"]+count["revisit"] {
		t.Errorf("record counts %v", count)
	}
	// Every file handed on is in the archive with the same bytes.
	for _, f := range sink.files {
		if bodies[f.URL] != f.SHA256 {
			t.Errorf("%s: archived payload %s, sink got %s", f.URL, bodies[f.URL], f.SHA256)
		}
		if f.WARCFile == "" {
			t.Errorf("%s: no WARC location", f.URL)
		}
	}
	// The second night: one 304 revisit per file.
	if notModified != len(p.PDFPaths()) {
		t.Errorf("%d server-not-modified revisits, want %d", notModified, len(p.PDFPaths()))
	}
	// The redirect, the 404 and the HTML-as-PDF are archived too.
	seen := map[string]bool{}
	for _, r := range recs {
		if r.typ == "response" {
			seen[strings.TrimPrefix(r.uri, p.URL())+" "+http3(r.status)] = true
		}
	}
	for _, want := range []string{portal.RedirectFrom + " 301", portal.MissingPage + " 404", portal.BrokenPDF + " 200", "/robots.txt 200"} {
		if !seen[want] {
			t.Errorf("no response record %q", want)
		}
	}
}

func http3(n int) string {
	return string(rune('0'+n/100)) + string(rune('0'+n/10%10)) + string(rune('0'+n%10))
}

func TestWARCRotation(t *testing.T) {
	p := startPortal(t, portal.Options{ListPages: 2, CrawlDelay: time.Millisecond})
	cfg := mustConfig(t, siteTOML(p.URL(), noSlow))
	dir := t.TempDir()
	rep, err := Harvest(context.Background(), Options{Config: cfg, Frontier: NewMemFrontier(), ArchiveDir: dir,
		WARCMaxSize: 16 << 10, Logger: testLogger()})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.WARCFiles) < 3 {
		t.Fatalf("%d WARC files with a 16 KiB limit", len(rep.WARCFiles))
	}
	recs := readWARCs(t, rep.WARCFiles)
	if len(recs) < 20 {
		t.Errorf("only %d records", len(recs))
	}
}
