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
// revisit) records, gzip per record, rotating files at maxSize.
type warcWriter struct {
	dir    string
	tmpDir string
	w      *gowarc.WarcFileWriter

	mu    sync.Mutex
	files map[string]bool
}

// gowarcMu serialises building and writing records across all writers in
// the process: gowarc's option defaults write a package-level flag
// (uuid.EnableRandPool) for every record builder, including the one its
// writer makes for warcinfo, which is a data race otherwise. This is the
// one piece of package-level state here, and it guards the library's.
var gowarcMu sync.Mutex

// DefaultWARCMaxSize is the size at which a WARC file is rotated.
const DefaultWARCMaxSize = 1 << 30

func newWARCWriter(dir, tmpDir string, maxSize int64) (*warcWriter, error) {
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
		gowarc.WithRecordOptions(gowarc.WithBufferTmpDir(tmpDir), gowarc.WithBufferMaxMemBytes(1<<20)),
		gowarc.WithWarcInfoFunc(func(rb gowarc.WarcRecordBuilder) error {
			_, err := rb.WriteString("software: yusuan crawl\r\nformat: WARC File Format 1.1\r\n" +
				"conformsTo: http://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/\r\n")
			return err
		}),
	)
	return ww, nil
}

func randomToken() string {
	var b [4]byte
	if _, err := rand.Read(b[:]); err != nil {
		return fmt.Sprintf("%08x", uint32(time.Now().UnixNano()))
	}
	return hex.EncodeToString(b[:])
}

// recoverOpenWARCs renames files a killed run left with the ".open" suffix;
// every complete gzip member in them is a readable record. Call it only
// while holding the harvest lock.
func recoverOpenWARCs(dir string) error {
	m, err := filepath.Glob(filepath.Join(dir, "*.warc.gz.open"))
	if err != nil {
		return err
	}
	for _, f := range m {
		if err := os.Rename(f, strings.TrimSuffix(f, ".open")); err != nil {
			return fmt.Errorf("recover %s: %w", f, err)
		}
	}
	return nil
}

func (ww *warcWriter) Close() error {
	gowarcMu.Lock()
	defer gowarcMu.Unlock()
	return ww.w.Close()
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
	writeHeader(&b, x.ReqHeader, nil)
	b.WriteString("\r\n")
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

// build makes one record; the caller holds gowarcMu.
func (ww *warcWriter) build(rt gowarc.RecordType, x *exchange, block [][]byte, body io.Reader, extra map[string]string) (gowarc.WarcRecord, error) {
	rb := gowarc.NewRecordBuilder(rt,
		gowarc.WithBufferTmpDir(ww.tmpDir), gowarc.WithBufferMaxMemBytes(1<<20),
		gowarc.WithAddMissingRecordId(true), gowarc.WithAddMissingContentLength(true),
		gowarc.WithAddMissingDigest(true), gowarc.WithFixDigest(true))
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
	for k, v := range extra {
		rb.AddWarcHeader(k, v)
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
	var extra map[string]string
	bodyLen := x.BodyLen
	if x.Truncated != "" {
		extra = map[string]string{gowarc.WarcTruncated: x.Truncated}
		bodyLen = 0
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
// body equals the archived one (sha256 hex of the payload).
func (ww *warcWriter) writeRevisit(x *exchange, notModified bool, refersDate time.Time, payloadSHA string) (written, error) {
	gowarcMu.Lock()
	defer gowarcMu.Unlock()
	req, err := ww.build(gowarc.Request, x, [][]byte{requestBlock(x)}, nil, nil)
	if err != nil {
		return written{}, fmt.Errorf("warc request record: %w", err)
	}
	extra := map[string]string{gowarc.WarcRefersToTargetURI: x.URL}
	if notModified {
		extra[gowarc.WarcProfile] = gowarc.ProfileServerNotModifiedV1_1
	} else {
		extra[gowarc.WarcProfile] = gowarc.ProfileIdenticalPayloadDigestV1_1
		extra[gowarc.WarcTruncated] = "length"
	}
	if payloadSHA != "" {
		extra[gowarc.WarcPayloadDigest] = "sha256:" + payloadSHA
	}
	if !refersDate.IsZero() {
		extra[gowarc.WarcRefersToDate] = refersDate.UTC().Format(time.RFC3339)
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
