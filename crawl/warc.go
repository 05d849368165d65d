package crawl

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/nlnwa/gowarc/v3"
)

// warcWriter writes every HTTP exchange as WARC 1.1 request + response (or
// revisit) records, gzip per record, rotating files at maxSize. Digests
// are sha1 in base32 (sha1:…), the form Wayback-style tools expect; each
// finished file gets a CDXJ index beside it.
type warcWriter struct {
	dir    string
	tmpDir string
	w      *gowarc.WarcFileWriter

	mu       sync.Mutex
	files    map[string]bool
	indexErr []error
}

// gowarcMu serialises building and writing records across all writers in
// the process: gowarc's option defaults write a package-level flag
// (uuid.EnableRandPool) for every record builder, including the one its
// writer makes for warcinfo, which is a data race otherwise. This is the
// one piece of package-level state here, and it guards the library's.
var gowarcMu sync.Mutex

// DefaultWARCMaxSize is the size at which a WARC file is rotated.
const DefaultWARCMaxSize = 1 << 30

// recordOptions are the options of every record built or read here.
func recordOptions(tmpDir string) []gowarc.WarcRecordOption {
	return []gowarc.WarcRecordOption{gowarc.WithBufferTmpDir(tmpDir), gowarc.WithBufferMaxMemBytes(1 << 20),
		gowarc.WithDefaultDigestAlgorithm("sha1"), gowarc.WithDefaultDigestEncoding(gowarc.Base32)}
}

// newWARCWriter writes into dir; info is the warcinfo record's fields
// (software, robots policy …) without the format lines.
func newWARCWriter(dir, tmpDir string, maxSize int64, info string) (*warcWriter, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("warc dir: %w", err)
	}
	if maxSize <= 0 {
		maxSize = DefaultWARCMaxSize
	}
	ww := &warcWriter{dir: dir, tmpDir: tmpDir, files: map[string]bool{}}
	gen := &gowarc.PatternNameGenerator{
		Directory: dir,
		Prefix:    "yusuan-",
		// The random token keeps names unique when two harvests (or a
		// killed one and its resumption) start within the same second.
		Pattern: "%{prefix}s%{ts}s-%{token}s-%05{serial}d.%{ext}s",
		Params:  map[string]any{"token": randomToken()},
	}
	ww.w = gowarc.NewWarcFileWriter(
		gowarc.WithFileNameGenerator(gen),
		gowarc.WithCompression(true),
		gowarc.WithMaxFileSize(maxSize),
		gowarc.WithAddWarcConcurrentToHeader(true),
		gowarc.WithRecordOptions(recordOptions(tmpDir)...),
		gowarc.WithWarcInfoFunc(func(rb gowarc.WarcRecordBuilder) error {
			_, err := rb.WriteString(info + "format: WARC File Format 1.1\r\n" +
				"conformsTo: http://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/\r\n")
			return err
		}),
		// Called as each file is finished (rotated or closed), while the
		// writer holds gowarcMu.
		gowarc.WithAfterFileCreationHook(func(name string, _ int64, _ string) error {
			if err := writeCDXJ(name, tmpDir); err != nil {
				ww.mu.Lock()
				ww.indexErr = append(ww.indexErr, err)
				ww.mu.Unlock()
			}
			return nil
		}),
	)
	return ww, nil
}

// warcInfo renders the warcinfo fields naming the software, its version
// and the crawl policy.
func warcInfo(software string, sites []Site) string {
	var b strings.Builder
	fmt.Fprintf(&b, "software: %s\r\n", software)
	b.WriteString("robots: obey (robots.txt read once per host, first 512 KiB; unreachable or 5xx: host skipped; Crawl-delay applied up to 2m; per-host delay and concurrency)\r\n")
	if len(sites) > 0 {
		fmt.Fprintf(&b, "http-header-user-agent: %s\r\n", sites[0].UserAgent)
	}
	names := make([]string, len(sites))
	for i, s := range sites {
		names[i] = s.Name
	}
	fmt.Fprintf(&b, "description: yusuan harvest of %s\r\n", strings.Join(names, ", "))
	return b.String()
}

func randomToken() string {
	var b [4]byte
	if _, err := rand.Read(b[:]); err != nil {
		return fmt.Sprintf("%08x", uint32(time.Now().UnixNano()))
	}
	return hex.EncodeToString(b[:])
}

// Close finishes the open file (and indexes it).
func (ww *warcWriter) Close() error {
	gowarcMu.Lock()
	err := ww.w.Close()
	gowarcMu.Unlock()
	ww.mu.Lock()
	defer ww.mu.Unlock()
	return errors.Join(append([]error{err}, ww.indexErr...)...)
}

// Files lists the WARC files written so far (final names).
func (ww *warcWriter) Files() []string {
	ww.mu.Lock()
	defer ww.mu.Unlock()
	out := make([]string, 0, len(ww.files))
	for f := range ww.files {
		out = append(out, f)
	}
	sort.Strings(out)
	return out
}

// exchange is one HTTP request and what came back.
type exchange struct {
	URL        string
	Method     string
	ReqHeader  http.Header
	Status     int
	Proto      string
	RespHeader http.Header
	IP         string
	Date       time.Time
	ReqBody    []byte // a POST's body (API requests)
	// Body is the payload as received (after transfer decoding); nil with
	// Truncated set when it was refused.
	Body      io.Reader
	BodyLen   int64
	Truncated string // WARC-Truncated reason ("length", "time")
}

func requestBlock(x *exchange) []byte {
	var b bytes.Buffer
	u, host := x.URL, ""
	path := u
	if i := strings.Index(u, "://"); i >= 0 {
		rest := u[i+3:]
		if j := strings.IndexByte(rest, '/'); j >= 0 {
			host, path = rest[:j], rest[j:]
		} else {
			host, path = rest, "/"
		}
	}
	if k := strings.IndexByte(path, '#'); k >= 0 {
		path = path[:k]
	}
	method := x.Method
	if method == "" {
		method = http.MethodGet
	}
	fmt.Fprintf(&b, "%s %s HTTP/1.1\r\nHost: %s\r\n", method, path, host)
	writeHeader(&b, x.ReqHeader, map[string]bool{"Content-Length": true})
	if len(x.ReqBody) > 0 {
		fmt.Fprintf(&b, "Content-Length: %d\r\n", len(x.ReqBody))
	}
	b.WriteString("\r\n")
	b.Write(x.ReqBody)
	return b.Bytes()
}

// responseHead renders the status line and headers. The body is stored
// decoded, so transfer headers are rewritten to match it.
func responseHead(x *exchange, bodyLen int64) []byte {
	var b bytes.Buffer
	proto := x.Proto
	if proto == "" || strings.HasPrefix(proto, "HTTP/2") {
		proto = "HTTP/1.1"
	}
	fmt.Fprintf(&b, "%s %d %s\r\n", proto, x.Status, http.StatusText(x.Status))
	skip := map[string]bool{"Content-Length": true, "Transfer-Encoding": true, "Content-Encoding": true}
	writeHeader(&b, x.RespHeader, skip)
	if bodyLen >= 0 {
		fmt.Fprintf(&b, "Content-Length: %d\r\n", bodyLen)
	}
	b.WriteString("\r\n")
	return b.Bytes()
}

func writeHeader(b *bytes.Buffer, h http.Header, skip map[string]bool) {
	keys := make([]string, 0, len(h))
	for k := range h {
		if !skip[http.CanonicalHeaderKey(k)] && !strings.EqualFold(k, "Host") {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	for _, k := range keys {
		for _, v := range h[k] {
			// Header values may hold raw GBK bytes; they are kept as sent.
			v = strings.NewReplacer("\r", " ", "\n", " ").Replace(v)
			fmt.Fprintf(b, "%s: %s\r\n", k, v)
		}
	}
}

// written locates a record in the archive.
type written struct {
	File     string
	Offset   int64
	RecordID string
}

// build makes one record; the caller holds gowarcMu. extra adds headers.
func (ww *warcWriter) build(rt gowarc.RecordType, x *exchange, block [][]byte, body io.Reader, extra func(gowarc.WarcRecordBuilder)) (gowarc.WarcRecord, error) {
	rb := gowarc.NewRecordBuilder(rt, append(recordOptions(ww.tmpDir),
		gowarc.WithAddMissingRecordId(true), gowarc.WithAddMissingContentLength(true),
		gowarc.WithAddMissingDigest(true), gowarc.WithFixDigest(true))...)
	rb.AddWarcHeader(gowarc.WarcTargetURI, x.URL)
	rb.AddWarcHeaderTime(gowarc.WarcDate, x.Date)
	if x.IP != "" {
		rb.AddWarcHeader(gowarc.WarcIPAddress, x.IP)
	}
	msg := "response"
	if rt == gowarc.Request {
		msg = "request"
	}
	rb.AddWarcHeader(gowarc.ContentType, "application/http;msgtype="+msg)
	if extra != nil {
		extra(rb)
	}
	for _, b := range block {
		if _, err := rb.Write(b); err != nil {
			rb.Close()
			return nil, err
		}
	}
	if body != nil {
		if _, err := rb.ReadFrom(body); err != nil {
			rb.Close()
			return nil, err
		}
	}
	rec, _, err := rb.Build()
	if err != nil {
		rb.Close()
		return nil, err
	}
	return rec, nil
}

// write writes records to one file; the caller holds gowarcMu.
func (ww *warcWriter) write(recs ...gowarc.WarcRecord) ([]written, error) {
	defer func() {
		for _, r := range recs {
			r.Close()
		}
	}()
	resps := ww.w.Write(recs...)
	if resps == nil {
		return nil, errors.New("warc writer closed")
	}
	out := make([]written, len(resps))
	var errs []error
	ww.mu.Lock()
	for i, r := range resps {
		if r.Err != nil {
			errs = append(errs, r.Err)
			continue
		}
		ww.files[filepath.Join(ww.dir, r.FileName)] = true
		out[i] = written{File: filepath.Join(ww.dir, r.FileName), Offset: r.FileOffset, RecordID: recs[i].RecordId()}
	}
	ww.mu.Unlock()
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("write warc: %w", err)
	}
	return out, nil
}

// writeExchange writes the request and the full response; it returns the
// response record's location.
func (ww *warcWriter) writeExchange(x *exchange) (written, error) {
	gowarcMu.Lock()
	defer gowarcMu.Unlock()
	req, err := ww.build(gowarc.Request, x, [][]byte{requestBlock(x)}, nil, nil)
	if err != nil {
		return written{}, fmt.Errorf("warc request record: %w", err)
	}
	var extra func(gowarc.WarcRecordBuilder)
	bodyLen := x.BodyLen
	if x.Body == nil {
		bodyLen = 0
	}
	if x.Truncated != "" {
		extra = func(rb gowarc.WarcRecordBuilder) { rb.AddWarcHeader(gowarc.WarcTruncated, x.Truncated) }
	}
	resp, err := ww.build(gowarc.Response, x, [][]byte{responseHead(x, bodyLen)}, x.Body, extra)
	if err != nil {
		req.Close()
		return written{}, fmt.Errorf("warc response record: %w", err)
	}
	w, err := ww.write(req, resp)
	if err != nil {
		return written{}, err
	}
	return w[1], nil
}

// writeRevisit writes the request and a revisit record: profile
// server-not-modified for a 304, identical-payload-digest for a 200 whose
// body is archived already. ref names the record holding the payload (its
// URI and WARC-Date) and the payload's sha1.
func (ww *warcWriter) writeRevisit(x *exchange, notModified bool, ref Version) (written, error) {
	gowarcMu.Lock()
	defer gowarcMu.Unlock()
	req, err := ww.build(gowarc.Request, x, [][]byte{requestBlock(x)}, nil, nil)
	if err != nil {
		return written{}, fmt.Errorf("warc request record: %w", err)
	}
	extra := func(rb gowarc.WarcRecordBuilder) {
		if notModified {
			rb.AddWarcHeader(gowarc.WarcProfile, gowarc.ProfileServerNotModifiedV1_1)
		} else {
			rb.AddWarcHeader(gowarc.WarcProfile, gowarc.ProfileIdenticalPayloadDigestV1_1)
			rb.AddWarcHeader(gowarc.WarcTruncated, "length")
		}
		if ref.URL != "" {
			rb.AddWarcHeader(gowarc.WarcRefersToTargetURI, ref.URL)
		}
		if !ref.Seen.IsZero() {
			rb.AddWarcHeaderTime(gowarc.WarcRefersToDate, ref.Seen)
		}
		if ref.SHA1 != "" {
			rb.AddWarcHeader(gowarc.WarcPayloadDigest, "sha1:"+ref.SHA1)
		} else if ref.SHA256 != "" {
			rb.AddWarcHeader(gowarc.WarcPayloadDigest, "sha256:"+ref.SHA256)
		}
	}
	rev, err := ww.build(gowarc.Revisit, x, [][]byte{responseHead(x, -1)}, nil, extra)
	if err != nil {
		req.Close()
		return written{}, fmt.Errorf("warc revisit record: %w", err)
	}
	w, err := ww.write(req, rev)
	if err != nil {
		return written{}, err
	}
	return w[1], nil
}
