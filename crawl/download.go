package crawl

import (
	"bytes"
	"context"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base32"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"net/http"
	"os"
	"strings"
	"time"
)

// Files are fetched with the streaming client (no 10 MiB truncation, a
// size cap that refuses, never truncates) and deduplicated three ways:
//   - by final URL within a run: a file linked directly and through a
//     redirect (/download?id=7 → /files/a.pdf) is downloaded once; the
//     other link resolves to it without a body (finalFile);
//   - by validators across runs: every hop of a redirect chain is asked
//     conditionally with the validators of the body it led to last time,
//     which the linked URL's record keeps (FinalURL, ETag, Last-Modified);
//   - by content: bytes already archived under any URL become a WARC
//     revisit naming the original record, and the sink sees a sighting.

// finalFile is a URL a file fetch of this run requests (the linked URL
// and every hop of its redirects). Other fetches that are about to request
// the same URL wait for its owner instead and share its outcome, so no URL
// is requested twice in a run.
type finalFile struct {
	owner *fileFetch // nil for an entry that was settled without a claim
	done  chan struct{}
	res   Result
}

// claim makes ff the fetch that requests u, or tells it to wait for the
// fetch that does. canWait is false when waiting would close a cycle of
// fetches waiting for each other (redirect loops between links): ff then
// requests u itself.
func (c *crawler) claim(u string, ff *fileFetch) (e *finalFile, mine, canWait bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.finals[u]
	if !ok {
		e = &finalFile{owner: ff, done: make(chan struct{})}
		c.finals[u] = e
		ff.claims = append(ff.claims, u)
		return e, true, false
	}
	if e.owner == ff {
		return e, true, false
	}
	for o := e.owner; o != nil; {
		if o == ff {
			return e, false, false
		}
		if o.waitingFor == nil {
			break
		}
		o = o.waitingFor.owner
	}
	ff.waitingFor = e
	return e, false, true
}

// claimFree makes ff the fetch of u unless one of this run has claimed
// it: for a request already made, whose outcome others may share.
func (c *crawler) claimFree(u string, ff *fileFetch) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.finals[u]; !ok {
		c.finals[u] = &finalFile{owner: ff, done: make(chan struct{})}
		ff.claims = append(ff.claims, u)
	}
}

// settle publishes the outcome of the request of u.
func (c *crawler) settle(u string, r Result) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.finals[u]
	if !ok {
		e = &finalFile{done: make(chan struct{})}
		c.finals[u] = e
	}
	select {
	case <-e.done:
	default:
		e.res = r
		close(e.done)
	}
}

// fileFetch is one item's download, in the request context so the
// redirect check can see it.
type fileFetch struct {
	owner string // the item's URL
	prev  Record // the item's record
	// validator is the record whose validators the current hop sent: the
	// body a 304 confirms.
	validator Record
	alias     *finalFile // a hop reached a URL another fetch requests
	aliasURL  string
	claims    []string // URLs this fetch requests
	// waitingFor is the entry this fetch waits for (guarded by c.mu).
	waitingFor *finalFile
}

type fileFetchKey struct{}

func fileFetchFrom(ctx context.Context) *fileFetch {
	ff, _ := ctx.Value(fileFetchKey{}).(*fileFetch)
	return ff
}

// errAlias stops a redirect at a URL another fetch of this run requests.
var errAlias = errors.New("reaches a URL fetched by another link in this run")

// fileHop prepares a redirect hop of a file download: the hop's URL is
// claimed (or the fetch stops to share another's), and asked with the
// validators of the body it served last time.
func (c *crawler) fileHop(req *http.Request, ff *fileFetch) error {
	target := req.URL.String()
	if e, mine, canWait := c.claim(target, ff); !mine && canWait {
		ff.alias, ff.aliasURL = e, target
		return errAlias
	}
	ff.validator = c.validatorFor(req.Context(), target, ff.prev)
	setConditional(req.Header, ff.validator)
	return nil
}

// validatorFor is the record holding the validators of the last body that
// came from u: the item's own record when its body came from u, else u's
// record when u was fetched itself.
func (c *crawler) validatorFor(ctx context.Context, u string, prev Record) Record {
	if prev.SHA256 != "" && prev.bodyURL() == u {
		return prev
	}
	if rec, ok, err := c.fr.Lookup(ctx, u); err == nil && ok && rec.SHA256 != "" && rec.bodyURL() == u {
		return rec
	}
	return Record{}
}

func setConditional(h http.Header, r Record) {
	h.Del("If-None-Match")
	h.Del("If-Modified-Since")
	if r.SHA256 == "" {
		return
	}
	if r.ETag != "" {
		h.Set("If-None-Match", r.ETag)
	}
	if r.LastModified != "" {
		h.Set("If-Modified-Since", r.LastModified)
	}
}

// download is the outcome of one attempt at a file.
type download struct {
	status   int
	proto    string
	reqH     http.Header
	respH    http.Header
	finalURL string
	started  time.Time
	path     string // spooled body (2xx, accepted size)
	size     int64
	sha      string // hex sha256
	sha1     string // base32 sha1
	sniff    []byte
	errBody  []byte // body of a non-2xx answer, for the archive
	alias    bool   // a hop is fetched by another link in this run (fileFetch.alias)
	err      error
}

func (d *download) cleanup() {
	if d != nil && d.path != "" {
		os.Remove(d.path)
		d.path = ""
	}
}

// fetchFile downloads an attachment, or shares the outcome of the fetch
// of this run that requests the same URL.
func (c *crawler) fetchFile(ctx context.Context, it Item) Result {
	if err := c.robots.check(ctx, it.URL); err != nil {
		return c.failErr(it, 0, err)
	}
	prev, _, err := c.fr.Lookup(ctx, it.URL)
	if err != nil {
		c.log.Warn("frontier lookup", "url", it.URL, "err", err)
	}
	ff := &fileFetch{owner: it.URL, prev: prev}
	defer func() {
		// Whatever happened, fetches waiting for this one's URLs go on.
		for _, u := range ff.claims {
			c.settle(u, Result{State: StateFailed, Failure: FailOther, Err: "fetch abandoned"})
		}
	}()
	if e, mine, canWait := c.claim(it.URL, ff); !mine && canWait {
		return c.aliasOf(ctx, it, it.URL, e, ff)
	}
	var d *download
	spec := attemptSpec{url: it.URL, timeout: c.site.FileTimeout, policy: bodyPolicy{Max: c.site.MaxFileSize}}
	err = c.attempts(ctx, spec, func(actx context.Context, _ *fetchCtx) error {
		d.cleanup()
		d = c.downloadOnce(actx, it, ff)
		return d.err
	})
	defer d.cleanup()
	if ctx.Err() != nil {
		return Result{}
	}
	r := c.fileOutcome(ctx, it, ff, d, err)
	for _, u := range ff.claims {
		c.settle(u, r)
	}
	return r
}

// downloadOnce makes one request and spools a 2xx body to disk, hashing it
// on the way; it never holds the body in memory.
func (c *crawler) downloadOnce(ctx context.Context, it Item, ff *fileFetch) *download {
	d := &download{finalURL: it.URL, started: c.stamp()}
	ff.alias, ff.aliasURL = nil, ""
	req, err := http.NewRequestWithContext(context.WithValue(ctx, fileFetchKey{}, ff), http.MethodGet, it.URL, nil)
	if err != nil {
		d.err = err
		return d
	}
	c.setHeaders(req.Header, it.Referrer)
	req.Header.Set("Accept", "*/*")
	ff.validator = c.validatorFor(ctx, it.URL, ff.prev)
	setConditional(req.Header, ff.validator)
	d.reqH = req.Header.Clone()
	resp, err := c.client.Do(req)
	if err != nil {
		if errors.Is(err, errAlias) {
			d.alias = true
			return d
		}
		d.err = err
		return d
	}
	defer resp.Body.Close()
	d.reqH = resp.Request.Header.Clone() // the last hop's, validators included
	c.readDownload(resp, d)
	return d
}

// readServed reads a file a page request was answered with (see
// fetchCtx.asFile) as downloadOnce reads one.
func (c *crawler) readServed(resp *http.Response, started time.Time) *download {
	defer resp.Body.Close()
	d := &download{started: started, reqH: resp.Request.Header.Clone()}
	c.readDownload(resp, d)
	return d
}

// readDownload takes an answer into d: a 2xx body is spooled to disk and
// hashed on the way, never held in memory; an error answer's body (capped)
// is kept for the archive.
func (c *crawler) readDownload(resp *http.Response, d *download) {
	d.status, d.proto, d.respH = resp.StatusCode, resp.Proto, resp.Header
	d.finalURL = resp.Request.URL.String()
	switch {
	case resp.StatusCode == http.StatusNotModified:
		return
	case resp.StatusCode/100 != 2:
		d.errBody, _ = io.ReadAll(resp.Body) // capped for error answers
		d.err = statusError(resp.StatusCode, resp.Header, d.started)
		return
	}
	f, err := os.CreateTemp(c.spool, "dl-*")
	if err != nil {
		d.err = fmt.Errorf("spool: %w", err)
		return
	}
	d.path = f.Name()
	h256, h1 := sha256.New(), sha1.New()
	sn := &sniffer{max: sniffLen}
	n, err := io.Copy(io.MultiWriter(f, h256, h1, sn), resp.Body)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		d.cleanup()
		d.err = err
		return
	}
	d.size, d.sha, d.sha1, d.sniff = n, hex.EncodeToString(h256.Sum(nil)), sha1Base32(h1), sn.buf.Bytes()
}

// servedFile is the outcome of a page link that answered with a file:
// the answer its request read is archived and handed on once, like a file
// fetch's (ff made the request's file hops, if any). Later fetches of this
// run that reach its URLs share it.
func (c *crawler) servedFile(ctx context.Context, it Item, ff *fileFetch, d *download, err error) Result {
	c.claimFree(it.URL, ff)
	if d.finalURL != "" {
		c.claimFree(d.finalURL, ff)
	}
	r := c.fileOutcome(ctx, it, ff, d, err)
	for _, u := range ff.claims {
		c.settle(u, r)
	}
	return r
}

// fileOutcome archives what a download brought and turns it into the
// item's result, handing new bodies to the sink.
func (c *crawler) fileOutcome(ctx context.Context, it Item, ff *fileFetch, d *download, err error) Result {
	if d != nil && d.alias {
		return c.aliasOf(ctx, it, ff.aliasURL, ff.alias, ff)
	}
	if d == nil || d.status == 0 {
		if err == nil {
			err = errors.New("no response")
		}
		return c.failErr(it, 0, err)
	}
	x := &exchange{URL: d.finalURL, Method: http.MethodGet, ReqHeader: d.reqH, Status: d.status, Proto: d.proto,
		RespHeader: d.respH, Date: d.started}
	final := ""
	if d.finalURL != it.URL {
		final = d.finalURL
	}
	if d.status == http.StatusNotModified && ff.validator.SHA256 == "" {
		// Not modified since… nothing was asked: a broken server.
		c.archive(x)
		return c.failErr(it, d.status, fmt.Errorf("%w to a request without validators", &StatusError{Code: d.status}))
	}
	if d.status == http.StatusNotModified {
		v := ff.validator
		ref := c.payloadRecord(ctx, v.SHA256, Version{URL: v.bodyURL(), SHA256: v.SHA256, SHA1: v.SHA1, Seen: v.PayloadDate})
		c.revisit(x, true, ref)
		c.count(func(r *Report) { r.FilesUnchanged++ })
		etag, lm := d.respH.Get("ETag"), d.respH.Get("Last-Modified")
		if etag == "" {
			etag = v.ETag
		}
		if lm == "" {
			lm = v.LastModified
		}
		return Result{State: StateDone, HTTPStatus: 304, ETag: etag, LastModified: lm, FinalURL: final, SHA256: v.SHA256,
			SHA1: v.SHA1, Size: v.Size, PayloadDate: v.PayloadDate, Fetched: c.now()}
	}
	if err != nil {
		var se *StatusError
		if errors.As(err, &se) {
			x.Body, x.BodyLen = bytes.NewReader(d.errBody), int64(len(d.errBody))
		} else {
			x.Truncated = truncation(err) // the body is not kept
		}
		c.archive(x)
		return c.failErr(it, d.status, err)
	}
	body, err := os.Open(d.path)
	if err != nil {
		return c.failErr(it, d.status, err)
	}
	defer body.Close()
	if reason := verifyFile(it.URL, d.respH.Get("Content-Type"), d.sniff); reason != "" {
		x.Body, x.BodyLen = body, d.size
		c.archive(x)
		return c.failErr(it, d.status, fmt.Errorf("%w: %s", ErrNotPDF, reason))
	}
	// Bytes archived before (here or under another URL) become a revisit
	// of the record that holds them.
	orig, known, err := c.fr.FindDigest(ctx, d.sha)
	if err != nil {
		c.log.Warn("frontier digest lookup", "sha256", d.sha, "err", err)
	}
	known = known && orig.SHA1 == d.sha1
	var w written
	payloadDate := d.started
	if known {
		w = c.revisit(x, false, orig)
		payloadDate = orig.Seen
	} else {
		x.Body, x.BodyLen = body, d.size
		w = c.archive(x)
	}
	// The sink gets the body before its version is recorded: a run killed
	// between the two fetches the URL again and hands it on again (sinks are
	// idempotent on SHA256), where the other order would find the version
	// recorded, call the bytes unchanged and never hand them on.
	v, prevSHA, isNew, err := c.nextVersion(ctx, d.finalURL, d.sha, d.sha1, d.started)
	if err != nil {
		return c.failErr(it, d.status, fmt.Errorf("record version: %w", err))
	}
	res := Result{State: StateDone, HTTPStatus: d.status, ETag: d.respH.Get("ETag"), LastModified: d.respH.Get("Last-Modified"),
		FinalURL: final, SHA256: d.sha, SHA1: d.sha1, Size: d.size, PayloadDate: payloadDate, Fetched: c.now()}
	if !isNew {
		// The same bytes as before at this URL (no validators honoured).
		c.count(func(r *Report) { r.FilesUnchanged++ })
		return res
	}
	name := DispositionFilename(d.respH.Get("Content-Disposition"))
	if name == "" {
		name = urlFileName(d.finalURL)
	}
	c.mu.Lock()
	c.names[d.finalURL] = name
	c.mu.Unlock()
	ff2 := FetchedFile{
		Site: c.site.Name, URL: it.URL, FinalURL: d.finalURL, Path: d.path, Size: d.size, SHA256: d.sha,
		ContentType: d.respH.Get("Content-Type"), LinkText: it.LinkText, PageTitle: it.PageTitle, Referrer: it.Referrer,
		FileName: name, ETag: res.ETag, LastModified: res.LastModified, Fetched: d.started,
		Version: v.Version, Revised: v.Version > 1, PreviousSHA256: prevSHA, WARCFile: w.File, WARCOffset: w.Offset,
	}
	if c.sink != nil {
		if err := c.sink.Store(ctx, ff2); err != nil {
			return c.failErr(it, d.status, fmt.Errorf("%w: %w", errSink, err))
		}
	}
	recorded, _, _, err := c.fr.AddVersion(ctx, d.finalURL, d.sha, d.sha1, d.started)
	if err != nil {
		return c.failErr(it, d.status, fmt.Errorf("record version: %w", err))
	}
	if recorded.Version != v.Version {
		// Another fetch of the same URL recorded a version in between.
		c.log.Warn("version numbered twice", "url", d.finalURL, "sunk_as", v.Version, "recorded_as", recorded.Version)
	}
	c.count(func(r *Report) {
		switch {
		case v.Version > 1:
			r.FilesRevised++
			r.Revisions = append(r.Revisions, Revision{Site: c.site.Name, URL: d.finalURL, OldSHA256: prevSHA, NewSHA256: d.sha,
				Version: v.Version, LinkText: it.LinkText, PageTitle: it.PageTitle})
		case known:
			r.FilesDuplicate++
		default:
			r.FilesNew++
		}
	})
	return res
}

// nextVersion is the version the bytes sha would become at url, without
// recording it: isNew is false when url served these bytes before.
func (c *crawler) nextVersion(ctx context.Context, url, sha, sha1 string, seen time.Time) (v Version, prev string, isNew bool, err error) {
	vs, err := c.fr.Versions(ctx, url)
	if err != nil {
		return Version{}, "", false, err
	}
	for _, old := range vs {
		if old.SHA256 == sha {
			return old, "", false, nil
		}
	}
	if len(vs) > 0 {
		prev = vs[len(vs)-1].SHA256
	}
	return Version{URL: url, SHA256: sha, SHA1: sha1, Version: len(vs) + 1, Seen: seen}, prev, true, nil
}

// errSink marks a file the sink refused.
var errSink = errors.New("sink")

// payloadRecord is the record a revisit of sha refers to: the first one
// archived with these bytes, or fallback when the frontier knows none.
func (c *crawler) payloadRecord(ctx context.Context, sha string, fallback Version) Version {
	if v, ok, err := c.fr.FindDigest(ctx, sha); err == nil && ok {
		if v.SHA1 == "" {
			v.SHA1 = fallback.SHA1
		}
		return v
	}
	return fallback
}

// aliasOf is the result of a link that reached a URL (final) another
// fetch of this run requests: no request of its own, that fetch's outcome.
// A new link to the body is handed to a Sighter sink as a sighting.
func (c *crawler) aliasOf(ctx context.Context, it Item, final string, e *finalFile, ff *fileFetch) Result {
	select {
	case <-e.done:
	case <-ctx.Done():
	}
	c.mu.Lock()
	ff.waitingFor = nil
	c.mu.Unlock()
	if ctx.Err() != nil {
		return Result{}
	}
	r := e.res
	if r.FinalURL != "" {
		final = r.FinalURL // the link reached a redirect whose body came from further on
	}
	r.Fetched = c.now()
	if final != it.URL {
		r.FinalURL = final
	} else {
		r.FinalURL = ""
	}
	if r.State != StateDone {
		return c.failErr(it, r.HTTPStatus, fmt.Errorf("via %s: %w", final, errFailedElsewhere{kind: r.Failure, msg: r.Err}))
	}
	c.count(func(rep *Report) { rep.FilesAliased++ })
	if s, ok := c.sink.(Sighter); ok {
		prev, _, _ := c.fr.Lookup(ctx, it.URL)
		if prev.SHA256 != r.SHA256 {
			c.mu.Lock()
			name := c.names[final]
			c.mu.Unlock()
			if name == "" {
				name = urlFileName(final)
			}
			f := FetchedFile{Site: c.site.Name, URL: it.URL, FinalURL: final, Size: r.Size, SHA256: r.SHA256,
				LinkText: it.LinkText, PageTitle: it.PageTitle, Referrer: it.Referrer, FileName: name,
				ETag: r.ETag, LastModified: r.LastModified, Fetched: r.Fetched}
			if err := s.Sighted(ctx, f); err != nil {
				return c.failErr(it, r.HTTPStatus, fmt.Errorf("%w: %w", errSink, err))
			}
		}
	}
	return r
}

// errFailedElsewhere carries the failure of the fetch a link shared;
// kindOf keeps its kind.
type errFailedElsewhere struct {
	kind FailureKind
	msg  string
}

func (e errFailedElsewhere) Error() string { return e.msg }

// digests are a body's sha256 (hex, the store's identity) and sha1
// (base32, as WARC-Payload-Digest).
func digests(b []byte) (sha256hex, sha1b32 string) {
	s := sha256.Sum256(b)
	h := sha1.New()
	h.Write(b)
	return hex.EncodeToString(s[:]), sha1Base32(h)
}

func sha1Base32(h hash.Hash) string { return base32.StdEncoding.EncodeToString(h.Sum(nil)) }

type sniffer struct {
	max int
	buf bytes.Buffer
}

func (s *sniffer) Write(p []byte) (int, error) {
	if room := s.max - s.buf.Len(); room > 0 {
		s.buf.Write(p[:min(room, len(p))])
	}
	return len(p), nil
}

// verifyFile checks the first KiB of a body against what the URL promised;
// it returns why the body is not a document, or "".
func verifyFile(u, contentType string, sniff []byte) string {
	ct := strings.ToLower(contentType)
	if isPDFURL(u) || strings.Contains(ct, "pdf") {
		if pdfHeaderAt(sniff) < 0 {
			return fmt.Sprintf("no %%PDF- in the first KiB (served %s)", sniffType(sniff))
		}
		return ""
	}
	if strings.HasPrefix(sniffType(sniff), "text/html") {
		return "an HTML page where a file was linked"
	}
	return ""
}

// sniffLen is how much of a body tells what it is: the first KiB, where
// PDF readers look for the header.
const sniffLen = 1024

// pdfHeaderAt is where %PDF- begins in the first KiB of a body, or -1.
func pdfHeaderAt(head []byte) int {
	return bytes.Index(head[:min(len(head), sniffLen)], []byte("%PDF-"))
}

// startsLikePDF says whether a body that came where a page was linked is
// a PDF: its header comes first, after whitespace and byte-order marks at
// most (a download script's stray newline or BOM). Stricter than
// verifyFile, where a file was linked: a page that merely mentions %PDF-
// stays a page.
func startsLikePDF(head []byte) bool {
	i := pdfHeaderAt(head)
	if i < 0 {
		return false
	}
	lead := head[:i]
	for {
		rest := bytes.TrimPrefix(bytes.TrimLeft(lead, " \t\r\n\f"), []byte("\ufeff"))
		if len(rest) == len(lead) {
			return len(rest) == 0
		}
		lead = rest
	}
}

func sniffType(b []byte) string {
	if len(b) == 0 {
		return "an empty body"
	}
	return http.DetectContentType(b)
}
