package crawl

import (
	"bufio"
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"
)

// Every response body yusuan reads (pages through colly, files, robots.txt,
// API answers) goes through guardTransport, which bounds the wait for
// headers and hands back a cappedBody: at most a fixed number of bytes
// after decoding, whatever Content-Length, Content-Encoding or
// Content-Type claim. colly's own gzip handling is bypassed
// (Response.Uncompressed), and so is net/http's (DisableCompression).

// bodyPolicy says how much of a body is read and what happens past it.
type bodyPolicy struct {
	Max int64
	// Truncate keeps the first Max bytes and reports the cut (pages,
	// robots.txt, error pages); otherwise the read fails with a
	// *LimitError (files: refused, never truncated).
	Truncate bool
}

// errorBodyMax bounds the body of a non-2xx response: enough for the
// archive, never a download.
const errorBodyMax = 1 << 20

// maxEncodings bounds stacked Content-Encodings ("gzip, gzip, gzip").
const maxEncodings = 3

// fetchCtx travels in a request's context from the code that makes the
// request to guardTransport: the limits to apply and where to report what
// the body turned out to be.
type fetchCtx struct {
	policy        bodyPolicy
	headerTimeout time.Duration
	onBytes       func(n int64) // wire bytes, for progress; may be nil
	// asFile, when set, is asked about every 2xx response of a page
	// request. A file served where a page was linked (show?id=7 answering
	// a PDF) is not read as a page: RoundTrip gives its body filePolicy,
	// calls onFile, keeps the response for the caller (takeServed) and
	// returns errServedFile to colly, so the one request serves the file.
	// A 2xx page answer whose headers do not say file is a file all the
	// same when its first bytes are a PDF's (startsLikePDF): CMS download
	// scripts send PDFs with no Content-Type, text/html or text/plain.
	asFile     func(*http.Response) bool
	filePolicy bodyPolicy
	onFile     func() // may be nil
	// toFile, set with asFile, is the file fetch a page request becomes
	// when it is redirected to a file link (download.do?id=7 → a.pdf):
	// checkRedirect makes that hop and the later ones file hops (claimed,
	// asked with their validators), and the answer to the last one —
	// a 2xx, a 304, an error — is the file's, kept as asFile's are.
	toFile *fileFetch

	mu        sync.Mutex
	truncated bool           // a Truncate body was cut
	served    *http.Response // the file asFile recognised, body unread
	fileHops  bool           // the page request was redirected to a file link
}

type fetchCtxKey struct{}

func withFetch(ctx context.Context, f *fetchCtx) context.Context {
	return context.WithValue(ctx, fetchCtxKey{}, f)
}

func fetchFrom(ctx context.Context) *fetchCtx {
	if f, ok := ctx.Value(fetchCtxKey{}).(*fetchCtx); ok {
		return f
	}
	// A request made without limits gets the strictest ones.
	return &fetchCtx{policy: bodyPolicy{Max: errorBodyMax, Truncate: true}, headerTimeout: DefaultHeaderTimeout}
}

func (f *fetchCtx) wasTruncated() bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.truncated
}

// takeServed returns the response asFile recognised as a file, if any;
// the caller reads and closes its body.
func (f *fetchCtx) takeServed() *http.Response {
	f.mu.Lock()
	defer f.mu.Unlock()
	r := f.served
	f.served = nil
	return r
}

// redirectedToFile says whether the page request was redirected to a
// file link (toFile).
func (f *fetchCtx) redirectedToFile() bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.fileHops
}

func (f *fetchCtx) setRedirectedToFile() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.fileHops = true
}

// servesFile says whether resp, answering a page request, is a file by
// its headers or by where the request was redirected.
func (f *fetchCtx) servesFile(resp *http.Response) bool {
	switch {
	case f.asFile == nil:
		return false
	case f.redirectedToFile():
		// Whatever the file link answers is the file's outcome, except
		// a redirect, which the client follows as one more file hop.
		return !followed(resp)
	}
	return resp.StatusCode/100 == 2 && f.asFile(resp)
}

// followed says whether http.Client follows resp as a redirect.
func followed(resp *http.Response) bool {
	switch resp.StatusCode {
	case http.StatusMovedPermanently, http.StatusFound, http.StatusSeeOther, http.StatusTemporaryRedirect,
		http.StatusPermanentRedirect:
		return resp.Header.Get("Location") != ""
	}
	return false
}

// errServedFile ends colly's request for a response that is a file
// (fetchCtx.asFile or toFile), and an API request redirected to a file
// link.
var errServedFile = errors.New("a file where a page was linked")

// guardTransport wraps the shared http.Transport.
type guardTransport struct{ base http.RoundTripper }

func (t guardTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	f := fetchFrom(req.Context())
	ctx, cancel := context.WithCancelCause(req.Context())
	timer := time.AfterFunc(f.headerTimeout, func() {
		cancel(&TimeoutError{Phase: "headers", Limit: f.headerTimeout})
	})
	resp, err := t.base.RoundTrip(req.WithContext(ctx))
	timer.Stop()
	if err != nil {
		if cause := context.Cause(ctx); cause != nil && ctx.Err() != nil {
			// The request ended because a limit fired (http.Client adds
			// the method and URL). No headers came: whichever limit
			// fired first, it is a wait for headers (retried), not a
			// slow body.
			var te *TimeoutError
			if errors.As(cause, &te) && te.Phase == "request" {
				cause = &TimeoutError{Phase: "headers", Limit: te.Limit}
			}
			err = cause
		}
		cancel(nil)
		return nil, err
	}
	pol := f.policy
	file := f.servesFile(resp)
	if file {
		pol = f.filePolicy
	}
	if resp.StatusCode/100 != 2 {
		pol = bodyPolicy{Max: min(pol.Max, errorBodyMax), Truncate: true}
	}
	body := newCappedBody(ctx, cancel, resp, pol, f)
	resp.Body = body
	// colly gunzips whatever says gzip, without a limit, unless the
	// response is marked as already decoded.
	resp.Uncompressed = true
	if !file && f.asFile != nil && resp.StatusCode/100 == 2 {
		// The first KiB, decoded, is read now and given back to colly.
		head := body.peek(sniffLen)
		if startsLikePDF(head) {
			file = true
			if body.become(f.filePolicy) != nil {
				head = nil // refused on its Content-Length: nothing to keep
			}
		}
		resp.Body = &headBody{head: head, cappedBody: body}
	}
	if file {
		if f.onFile != nil {
			f.onFile()
		}
		f.mu.Lock()
		f.served = resp
		f.mu.Unlock()
		return nil, errServedFile
	}
	return resp, nil
}

// cappedBody is the one reader of response bodies.
type cappedBody struct {
	ctx      context.Context
	cancel   context.CancelCauseFunc
	raw      io.ReadCloser
	wire     *countReader
	r        io.Reader // decoded; built on the first Read
	encs     []string
	declared int64
	pol      bodyPolicy
	f        *fetchCtx
	n        int64 // decoded bytes returned
	err      error // sticky
}

func newCappedBody(ctx context.Context, cancel context.CancelCauseFunc, resp *http.Response, pol bodyPolicy, f *fetchCtx) *cappedBody {
	b := &cappedBody{ctx: ctx, cancel: cancel, raw: resp.Body, pol: pol, f: f, declared: resp.ContentLength}
	// The wire is capped too: a compressed body is never longer than
	// its decoded form by more than a few bytes of framing.
	b.wire = &countReader{r: resp.Body, max: pol.Max + wireSlack, onBytes: f.onBytes}
	for _, e := range strings.Split(resp.Header.Get("Content-Encoding"), ",") {
		if e = strings.ToLower(strings.TrimSpace(e)); e != "" && e != "identity" {
			b.encs = append(b.encs, e)
		}
	}
	return b
}

// wireSlack is how many bytes the wire may carry past a body's limit:
// the framing of its encodings.
const wireSlack = 4096

// refuseDeclared is the refusal of a body that may not be cut, on the
// length it declares.
func (b *cappedBody) refuseDeclared() error {
	if b.declared > b.pol.Max && !b.pol.Truncate && len(b.encs) == 0 {
		return &LimitError{Limit: b.pol.Max, Declared: true}
	}
	return nil
}

// peek reads up to n bytes (fewer when the body ends or fails first: the
// error stays for the next Read).
func (b *cappedBody) peek(n int64) []byte {
	buf := make([]byte, min(n, b.pol.Max))
	k, _ := io.ReadFull(b, buf)
	return buf[:k]
}

// become puts the rest of the body under pol: a page answer its first
// bytes showed to be a file. The bytes already read count against pol.
func (b *cappedBody) become(pol bodyPolicy) error {
	b.pol = pol
	b.wire.max = pol.Max + wireSlack
	err := b.refuseDeclared()
	if err != nil && b.err == nil {
		b.err = err
	}
	return err
}

// headBody gives back the bytes peek read before the rest of the body.
type headBody struct {
	head []byte
	*cappedBody
}

func (h *headBody) Read(p []byte) (int, error) {
	if len(h.head) > 0 {
		n := copy(p, h.head)
		h.head = h.head[n:]
		return n, nil
	}
	return h.cappedBody.Read(p)
}

func (b *cappedBody) open() error {
	if err := b.refuseDeclared(); err != nil {
		return err
	}
	if len(b.encs) > maxEncodings {
		return fmt.Errorf("%w: %d stacked Content-Encodings", ErrBadEncoding, len(b.encs))
	}
	var r io.Reader = b.wire
	// Encodings are listed in the order they were applied.
	for i := len(b.encs) - 1; i >= 0; i-- {
		var err error
		switch b.encs[i] {
		case "gzip", "x-gzip":
			r, err = gzip.NewReader(r)
		case "deflate":
			r, err = inflater(r)
		default:
			return fmt.Errorf("%w: Content-Encoding %q is not decoded", ErrBadEncoding, b.encs[i])
		}
		if err != nil {
			return b.readErr(fmt.Errorf("Content-Encoding %s: %w", b.encs[i], err))
		}
	}
	b.r = r
	return nil
}

// inflater reads HTTP "deflate": zlib-wrapped as the RFC says, or raw
// deflate as some servers send it.
func inflater(r io.Reader) (io.Reader, error) {
	br := bufio.NewReader(r)
	h, err := br.Peek(2)
	if err != nil {
		return nil, err
	}
	if h[0]&0x0f == 8 && (uint16(h[0])<<8|uint16(h[1]))%31 == 0 {
		return zlib.NewReader(br)
	}
	return flate.NewReader(br), nil
}

func (b *cappedBody) Read(p []byte) (int, error) {
	if b.err != nil {
		return 0, b.err
	}
	if b.r == nil {
		if err := b.open(); err != nil {
			b.err = err
			return 0, err
		}
	}
	if b.n >= b.pol.Max {
		// At the limit: one byte more says whether the body goes on.
		var one [1]byte
		if k, err := io.ReadFull(b.r, one[:]); k > 0 {
			b.err = b.overflow()
		} else {
			b.err = b.readErr(err)
		}
		return 0, b.err
	}
	if rest := b.pol.Max - b.n; int64(len(p)) > rest {
		p = p[:rest]
	}
	k, err := b.r.Read(p)
	b.n += int64(k)
	if err != nil {
		b.err = b.readErr(err)
		return k, b.err
	}
	return k, nil
}

// overflow is the body going past the limit. A decompression bomb fails
// even where a long body is cut and kept: its prefix is worthless and
// nobody should parse it.
func (b *cappedBody) overflow() error {
	le := &LimitError{Limit: b.pol.Max, Encoding: strings.Join(b.encs, ", "), Wire: b.wire.n}
	if b.pol.Truncate && !le.bomb() {
		b.f.mu.Lock()
		b.f.truncated = true
		b.f.mu.Unlock()
		return io.EOF
	}
	return le
}

// readErr names what ended a read: the end, a limit, a deadline (with
// its cause), or the network.
func (b *cappedBody) readErr(err error) error {
	if b.wire.n >= b.wire.max {
		// The wire cap cut the stream; whatever the decoder says about
		// it, the body was too long.
		return b.overflow()
	}
	if errors.Is(err, io.EOF) && !errors.Is(err, io.ErrUnexpectedEOF) {
		return io.EOF
	}
	if b.ctx.Err() != nil {
		if cause := context.Cause(b.ctx); cause != nil {
			return cause
		}
	}
	var ce flate.CorruptInputError
	if errors.Is(err, gzip.ErrHeader) || errors.Is(err, gzip.ErrChecksum) || errors.Is(err, zlib.ErrHeader) ||
		errors.Is(err, zlib.ErrChecksum) || errors.As(err, &ce) ||
		// The whole body came and the decoder wanted more: the
		// stream itself is cut, not the connection.
		(errors.Is(err, io.ErrUnexpectedEOF) && len(b.encs) > 0 && b.wire.eof) {
		return fmt.Errorf("%w: %v", ErrBadEncoding, err)
	}
	return err
}

func (b *cappedBody) Close() error {
	err := b.raw.Close()
	b.cancel(nil)
	return err
}

// countReader counts the bytes read through it and ends them at max.
type countReader struct {
	r       io.Reader
	n       int64
	max     int64
	eof     bool // the body ended normally
	onBytes func(int64)
}

func (c *countReader) Read(p []byte) (int, error) {
	if c.n >= c.max {
		return 0, io.EOF
	}
	if rest := c.max - c.n; int64(len(p)) > rest {
		p = p[:rest]
	}
	k, err := c.r.Read(p)
	c.n += int64(k)
	if err == io.EOF {
		c.eof = true
	}
	if k > 0 && c.onBytes != nil {
		c.onBytes(int64(k))
	}
	return k, err
}
