package crawl

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"
)

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
	sha      string
	sniff    []byte
	tooLarge bool
	err      error
}

// fetchFile downloads an attachment with the streaming client: no 10 MiB
// truncation, a size cap that refuses (not truncates), conditional GET
// against the last good fetch, content verification, versions per URL.
func (c *crawler) fetchFile(ctx context.Context, it Item) Result {
	if !c.robots.allowed(ctx, it.URL) {
		return c.failed(it, FailRobots, 0, "disallowed by robots.txt")
	}
	prev, _, err := c.fr.Lookup(ctx, it.URL)
	if err != nil {
		c.log.Warn("frontier lookup", "url", it.URL, "err", err)
	}
	pu, err := url.Parse(it.URL)
	if err != nil {
		return c.failed(it, FailOther, 0, err.Error())
	}
	var d download
	for attempt := 0; ; attempt++ {
		release, err := c.gate.acquire(ctx, pu.Host)
		if err != nil {
			return Result{}
		}
		d = c.downloadOnce(ctx, it, prev)
		c.releaseAfter(release, d.err != nil && isTimeout(d.err))
		if ctx.Err() != nil {
			d.cleanup()
			return Result{}
		}
		retry := (d.status >= 500 || (d.status == 0 && d.err != nil && (isTimeout(d.err) || isNetErr(d.err)))) && attempt < c.site.Retries
		if !retry {
			break
		}
		d.cleanup()
		sleepCtx(ctx, backoff(c.site.RetryBackoff, attempt))
	}
	defer d.cleanup()
	x := &exchange{URL: d.finalURL, Method: http.MethodGet, ReqHeader: d.reqH, Status: d.status, Proto: d.proto,
		RespHeader: d.respH, Date: d.started}
	switch {
	case d.status == 0 && d.err != nil && isTimeout(d.err):
		return c.failed(it, FailTimeout, 0, d.err.Error())
	case d.status == 0 && d.err != nil && errors.Is(d.err, errRobotsRedirect):
		return c.failed(it, FailRobots, 0, d.err.Error())
	case d.status == 0 && d.err != nil:
		return c.failed(it, FailNetwork, 0, d.err.Error())
	case d.status == http.StatusNotModified:
		if c.warc != nil {
			if _, err := c.warc.writeRevisit(x, true, prev.Fetched, prev.SHA256); err != nil {
				c.fail(Failure{URL: it.URL, Kind: FailArchive, Err: err.Error()})
			}
		}
		c.count(func(r *Report) { r.FilesUnchanged++ })
		etag, lm := d.respH.Get("ETag"), d.respH.Get("Last-Modified")
		if etag == "" {
			etag = prev.ETag
		}
		if lm == "" {
			lm = prev.LastModified
		}
		return Result{State: StateDone, HTTPStatus: 304, ETag: etag, LastModified: lm, SHA256: prev.SHA256, Size: prev.Size, Fetched: c.now()}
	case d.tooLarge:
		x.Truncated = "length"
		c.archive(x)
		return c.failed(it, FailTooLarge, d.status, fmt.Sprintf("larger than max_file_size %d bytes", c.site.MaxFileSize))
	case d.err != nil:
		kind := FailNetwork
		if isTimeout(d.err) {
			kind = FailTimeout
		}
		return c.failed(it, kind, d.status, d.err.Error())
	}
	body, err := os.Open(d.path)
	if err != nil {
		return c.failed(it, FailOther, d.status, err.Error())
	}
	x.Body, x.BodyLen = body, d.size
	if d.status/100 != 2 {
		c.archive(x)
		body.Close()
		return c.failed(it, FailHTTP, d.status, http.StatusText(d.status))
	}
	if reason := verifyFile(it.URL, d.respH.Get("Content-Type"), d.sniff); reason != "" {
		c.archive(x)
		body.Close()
		return c.failed(it, FailNotPDF, d.status, reason)
	}
	if prev.SHA256 == d.sha {
		// 200 with the same bytes (no validators honoured): a revisit.
		body.Close()
		x.Body = nil
		if c.warc != nil {
			if _, err := c.warc.writeRevisit(x, false, prev.Fetched, d.sha); err != nil {
				c.fail(Failure{URL: it.URL, Kind: FailArchive, Err: err.Error()})
			}
		}
		c.count(func(r *Report) { r.FilesUnchanged++ })
		return c.doneFile(d)
	}
	w := c.archive(x)
	body.Close()
	now := c.now()
	v, prevSHA, _, err := c.fr.AddVersion(ctx, it.URL, d.sha, now)
	if err != nil {
		return c.failed(it, FailOther, d.status, "record version: "+err.Error())
	}
	if prevSHA == "" && v.Version > 1 {
		if vs, err := c.fr.Versions(ctx, it.URL); err == nil && v.Version-2 < len(vs) {
			prevSHA = vs[v.Version-2].SHA256
		}
	}
	name := DispositionFilename(d.respH.Get("Content-Disposition"))
	if name == "" {
		name = urlFileName(d.finalURL)
	}
	ff := FetchedFile{
		Site: c.site.Name, URL: it.URL, FinalURL: d.finalURL, Path: d.path, Size: d.size, SHA256: d.sha,
		ContentType: d.respH.Get("Content-Type"), LinkText: it.LinkText, PageTitle: it.PageTitle, Referrer: it.Referrer,
		FileName: name, ETag: d.respH.Get("ETag"), LastModified: d.respH.Get("Last-Modified"), Fetched: now,
		Version: v.Version, Revised: v.Version > 1, PreviousSHA256: prevSHA, WARCFile: w.File, WARCOffset: w.Offset,
	}
	if c.sink != nil {
		if err := c.sink.Store(ctx, ff); err != nil {
			return c.failed(it, FailSink, d.status, err.Error())
		}
	}
	if v.Version > 1 {
		c.count(func(r *Report) {
			r.FilesRevised++
			r.Revisions = append(r.Revisions, Revision{Site: c.site.Name, URL: it.URL, OldSHA256: prevSHA, NewSHA256: d.sha,
				Version: v.Version, LinkText: it.LinkText, PageTitle: it.PageTitle})
		})
	} else {
		c.count(func(r *Report) { r.FilesNew++ })
	}
	return c.doneFile(d)
}

func (c *crawler) doneFile(d download) Result {
	return Result{State: StateDone, HTTPStatus: d.status, ETag: d.respH.Get("ETag"), LastModified: d.respH.Get("Last-Modified"),
		SHA256: d.sha, Size: d.size, Fetched: c.now()}
}

func (c *crawler) count(f func(*Report)) {
	c.mu.Lock()
	f(c.rep)
	c.mu.Unlock()
}

func (d *download) cleanup() {
	if d.path != "" {
		os.Remove(d.path)
		d.path = ""
	}
}

var errRobotsRedirect = errors.New("redirect target disallowed by robots.txt")

// downloadOnce makes one request and spools a 2xx body to disk, hashing it
// on the way; it never holds the body in memory.
func (c *crawler) downloadOnce(ctx context.Context, it Item, prev Record) (d download) {
	d.finalURL = it.URL
	d.started = c.now()
	rctx, cancel := context.WithTimeout(ctx, c.site.FileTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(rctx, http.MethodGet, it.URL, nil)
	if err != nil {
		d.err = err
		return d
	}
	req.Header.Set("User-Agent", c.site.UserAgent)
	req.Header.Set("Accept", "*/*")
	if it.Referrer != "" {
		// Some portals refuse downloads without the listing page as Referer.
		req.Header.Set("Referer", it.Referrer)
	}
	if prev.SHA256 != "" {
		if prev.ETag != "" {
			req.Header.Set("If-None-Match", prev.ETag)
		}
		if prev.LastModified != "" {
			req.Header.Set("If-Modified-Since", prev.LastModified)
		}
	}
	d.reqH = req.Header.Clone()
	resp, err := c.fileClient.Do(req)
	if err != nil {
		if strings.Contains(err.Error(), "robots") {
			err = fmt.Errorf("%w: %v", errRobotsRedirect, err)
		}
		d.err = err
		return d
	}
	defer resp.Body.Close()
	d.status, d.proto, d.respH = resp.StatusCode, resp.Proto, resp.Header
	d.finalURL = resp.Request.URL.String()
	if resp.StatusCode == http.StatusNotModified {
		return d
	}
	limit := c.site.MaxFileSize
	if resp.StatusCode/100 != 2 {
		limit = 1 << 20 // error pages: keep enough for the archive
	}
	if resp.ContentLength > limit && resp.StatusCode/100 == 2 {
		d.tooLarge = true // refused before reading a byte
		return d
	}
	f, err := os.CreateTemp(c.spool, "dl-*")
	if err != nil {
		d.err = fmt.Errorf("spool: %w", err)
		return d
	}
	d.path = f.Name()
	h := sha256.New()
	sn := &sniffer{max: 1024}
	n, err := io.Copy(io.MultiWriter(f, h, sn), io.LimitReader(resp.Body, limit+1))
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		d.cleanup()
		d.err = err
		return d
	}
	if n > limit {
		d.cleanup()
		if resp.StatusCode/100 == 2 {
			d.tooLarge = true
		}
		return d
	}
	d.size, d.sha, d.sniff = n, hex.EncodeToString(h.Sum(nil)), sn.buf.Bytes()
	return d
}

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
		if !bytes.Contains(sniff, []byte("%PDF-")) {
			return fmt.Sprintf("no %%PDF- in the first KiB (served %s)", sniffType(sniff))
		}
		return ""
	}
	if strings.HasPrefix(sniffType(sniff), "text/html") {
		return "an HTML page where a file was linked"
	}
	return ""
}

func sniffType(b []byte) string {
	if len(b) == 0 {
		return "an empty body"
	}
	return http.DetectContentType(b)
}
