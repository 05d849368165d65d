package crawl

import (
	"bufio"
	"context"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base32"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/nlnwa/gowarc/v3"

	"yusuan/fixtures/portal"
)

type warcRec struct {
	file                 string
	offset               int64
	typ, uri, profile    string
	date                 string
	status               int
	payloadSHA           string // sha256 hex of a response's payload, computed here
	payloadSHA1          string // sha1 base32 of a response's payload, computed here
	payloadDigest        string // the WARC-Payload-Digest header
	truncated            string
	concurrentTo         string
	refersURI, refersDay string
	block                string // warcinfo or request content
}

// readWARCs reads every record back with gowarc, failing on any digest
// that does not match its block or payload.
func readWARCs(t *testing.T, files []string) []warcRec {
	t.Helper()
	// gowarc's readers write a package-level flag too (see gowarcMu).
	gowarcMu.Lock()
	defer gowarcMu.Unlock()
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
			out = append(out, readRecord(t, f, rec))
			rec.WarcRecord.Close()
		}
		r.Close()
	}
	return out
}

func readRecord(t *testing.T, file string, rec gowarc.Record) warcRec {
	t.Helper()
	wr := rec.WarcRecord
	h := wr.WarcHeader()
	x := warcRec{file: file, offset: rec.Offset, typ: wr.Type().String(), uri: h.Get(gowarc.WarcTargetURI),
		profile: h.Get(gowarc.WarcProfile), date: h.Get(gowarc.WarcDate), payloadDigest: h.Get(gowarc.WarcPayloadDigest),
		truncated: h.Get(gowarc.WarcTruncated), concurrentTo: h.Get(gowarc.WarcConcurrentTo),
		refersURI: h.Get(gowarc.WarcRefersToTargetURI), refersDay: h.Get(gowarc.WarcRefersToDate)}
	switch wr.Type() {
	case gowarc.Response:
		if hb, ok := wr.Block().(gowarc.HttpResponseBlock); ok {
			x.status = hb.HttpStatusCode()
			pr, err := hb.PayloadBytes()
			if err != nil {
				t.Fatal(err)
			}
			s256, s1 := sha256.New(), sha1.New()
			if _, err := io.Copy(io.MultiWriter(s256, s1), pr); err != nil {
				t.Fatal(err)
			}
			x.payloadSHA = hex.EncodeToString(s256.Sum(nil))
			x.payloadSHA1 = base32.StdEncoding.EncodeToString(s1.Sum(nil))
		}
	case gowarc.Revisit:
		x.status, _ = httpHead(wr)
	case gowarc.Warcinfo, gowarc.Request:
		raw, err := wr.Block().RawBytes()
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(raw)
		x.block = string(b)
	}
	return x
}

// TestWARCReadBack harvests the portal twice and reads every record back:
// digests are sha1 base32 and match the payloads, every revisit (a 304, or
// the mirror's copy of a file) names a response record that exists with
// the same payload digest, warcinfo names the software and robots policy,
// and each WARC's CDXJ index points at its records.
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
	type key struct{ uri, date string }
	responses := map[key]warcRec{}
	bodies := map[string]string{} // uri → payload sha of 200 responses
	for _, r := range recs {
		count[r.typ]++
		if r.typ == "response" {
			responses[key{r.uri, r.date}] = r
			if r.payloadDigest != "" && r.payloadDigest != "sha1:"+r.payloadSHA1 {
				t.Errorf("%s: payload digest %s, payload is sha1:%s", r.uri, r.payloadDigest, r.payloadSHA1)
			}
			if r.status == 200 {
				bodies[r.uri] = r.payloadSHA
			}
		}
		if (r.typ == "response" || r.typ == "revisit") && r.concurrentTo == "" {
			t.Errorf("%s %s: no WARC-Concurrent-To linking it to its request", r.typ, r.uri)
		}
		if r.typ == "warcinfo" && (!strings.Contains(r.block, "software: yusuan") || !strings.Contains(r.block, "robots: obey") ||
			!strings.Contains(r.block, "http-header-user-agent: yusuan-bot/")) {
			t.Errorf("warcinfo does not name software, version and robots policy:\n%s", r.block)
		}
	}
	if count["warcinfo"] != 2 || count["request"] != count["response"]+count["revisit"] {
		t.Errorf("record counts %v", count)
	}
	// Every revisit names the response that holds its payload.
	notModified, identical := 0, 0
	for _, r := range recs {
		if r.typ != "revisit" {
			continue
		}
		orig, ok := responses[key{r.refersURI, r.refersDay}]
		switch {
		case r.refersURI == "" || r.refersDay == "":
			t.Errorf("revisit %s without WARC-Refers-To-Target-URI/-Date", r.uri)
		case !ok:
			t.Errorf("revisit %s refers to %s @ %s: no such response record", r.uri, r.refersURI, r.refersDay)
		case r.payloadDigest != "sha1:"+orig.payloadSHA1:
			t.Errorf("revisit %s: digest %s, original's payload sha1:%s", r.uri, r.payloadDigest, orig.payloadSHA1)
		}
		switch r.profile {
		case gowarc.ProfileServerNotModifiedV1_1:
			notModified++
			if r.status != 304 {
				t.Errorf("server-not-modified revisit with status %d", r.status)
			}
		case gowarc.ProfileIdenticalPayloadDigestV1_1:
			identical++
		}
	}
	// Every file handed on is in the archive with the same bytes, or
	// (the mirror) a revisit of them.
	for _, f := range sink.files {
		if sha, ok := bodies[f.FinalURL]; ok && sha != f.SHA256 {
			t.Errorf("%s: archived payload %s, sink got %s", f.FinalURL, sha, f.SHA256)
		}
		if f.WARCFile == "" {
			t.Errorf("%s: no WARC location", f.FinalURL)
		}
	}
	// The file and its mirror copy: one body in the archive.
	full := 0
	for _, u := range []string{p.URL() + p.MirrorPath(), p.URL() + portal.FilePath(p.FileNames()[0])} {
		if _, ok := bodies[u]; ok {
			full++
		}
	}
	if full != 1 {
		t.Errorf("a file and its mirror copy archived in full %d times, want once", full)
	}
	// The second night: one 304 revisit per file; identical pages and the
	// mirror's copy (first night) as identical-payload revisits.
	if notModified != len(p.PDFPaths()) {
		t.Errorf("%d server-not-modified revisits, want %d", notModified, len(p.PDFPaths()))
	}
	if identical < 1+second.PagesUnchanged {
		t.Errorf("%d identical-payload revisits, want the mirror and %d pages", identical, second.PagesUnchanged)
	}
	// The redirect, the 404 and the HTML-as-PDF are archived too.
	seen := map[string]bool{}
	for _, r := range recs {
		if r.typ == "response" {
			seen[strings.TrimPrefix(r.uri, p.URL())+" "+strconv.Itoa(r.status)] = true
		}
	}
	for _, want := range []string{portal.RedirectFrom + " 301", portal.MissingPage + " 404", portal.BrokenPDF + " 200",
		"/robots.txt 200", portal.DownloadPath(1) + " 302"} {
		if !seen[want] {
			t.Errorf("no response record %q", want)
		}
	}
	for _, f := range files {
		checkCDXJ(t, f)
	}
}

// checkCDXJ reads the index beside a WARC file: sorted lines, one per
// response and revisit, each pointing at a record with its URI, date and
// digest.
func checkCDXJ(t *testing.T, warcFile string) {
	t.Helper()
	f, err := os.Open(cdxjPath(warcFile))
	if err != nil {
		t.Fatalf("no CDXJ index beside %s: %v", filepath.Base(warcFile), err)
	}
	defer f.Close()
	var lines []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		lines = append(lines, sc.Text())
	}
	if !sort.StringsAreSorted(lines) {
		t.Errorf("%s: CDXJ lines not sorted", filepath.Base(warcFile))
	}
	want := 0
	for _, r := range readWARCs(t, []string{warcFile}) {
		if r.typ == "response" || r.typ == "revisit" {
			want++
		}
	}
	if len(lines) != want || want == 0 {
		t.Errorf("%s: %d CDXJ lines for %d response and revisit records", filepath.Base(warcFile), len(lines), want)
	}
	for _, l := range lines {
		fields := strings.SplitN(l, " ", 3)
		if len(fields) != 3 || len(fields[1]) != 14 {
			t.Fatalf("bad CDXJ line %q", l)
		}
		var e cdxjEntry
		if err := json.Unmarshal([]byte(fields[2]), &e); err != nil {
			t.Fatalf("CDXJ %q: %v", l, err)
		}
		if fields[0] != surt(e.URL) || e.Filename != filepath.Base(warcFile) || !strings.HasPrefix(e.Digest, "sha1:") {
			t.Errorf("CDXJ line %q", l)
		}
		off, _ := strconv.ParseInt(e.Offset, 10, 64)
		gowarcMu.Lock()
		r, err := gowarc.NewWarcFileReader(warcFile, off)
		if err != nil {
			gowarcMu.Unlock()
			t.Fatal(err)
		}
		rec, err := r.Next()
		if err != nil {
			gowarcMu.Unlock()
			t.Fatalf("CDXJ offset %d: %v", off, err)
		}
		got := readRecord(t, warcFile, rec)
		rec.WarcRecord.Close()
		r.Close()
		gowarcMu.Unlock()
		if got.uri != e.URL || got.payloadDigest != e.Digest || strconv.FormatInt(rec.Size, 10) != e.Length ||
			!strings.HasPrefix(strings.NewReplacer("-", "", ":", "", "T", "").Replace(got.date), fields[1]) {
			t.Errorf("CDXJ line %q points at %s %s %s (%d bytes)", l, got.uri, got.date, got.payloadDigest, rec.Size)
		}
	}
}

func TestSURT(t *testing.T) {
	for in, want := range map[string]string{
		"http://www.Example.gov.cn/zwgk/A.pdf?b=2&a=1": "cn,gov,example)/zwgk/a.pdf?a=1&b=2",
		"https://czj.example.gov.cn:443/":              "cn,gov,example,czj)/",
		"http://127.0.0.1:8080/files/x.pdf":            "127.0.0.1:8080)/files/x.pdf",
		"http://example.org":                           "org,example)/",
	} {
		if got := surt(in); got != want {
			t.Errorf("surt(%s) = %s, want %s", in, got, want)
		}
	}
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
	for _, f := range rep.WARCFiles {
		checkCDXJ(t, f)
	}
	// warc_max_size in sites.toml does the same.
	cfg = mustConfig(t, "warc_max_size = \"1MiB\"\n"+siteTOML(p.URL(), noSlow))
	if cfg.WARCMaxSize != 1<<20 {
		t.Errorf("warc_max_size = %d", cfg.WARCMaxSize)
	}
}
