package crawl

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/gocolly/colly/v2"
	"golang.org/x/net/html/charset"
)

// maxPageBody bounds an HTML page held in memory.
const maxPageBody = 20 << 20

// crawler crawls one site in one run.
type crawler struct {
	site       Site
	fr         Frontier
	sink       Sink
	warc       *warcWriter
	spool      string
	log        *slog.Logger
	gate       *hostGate
	robots     *robotsCache
	coll       *colly.Collector
	fileClient *http.Client
	run        Run
	now        func() time.Time
	progress   func(Progress)

	mu         sync.Mutex
	rep        *Report
	pagesOK    int
	pagesCount int
}

func newCrawler(ctx context.Context, site Site, fr Frontier, sink Sink, ww *warcWriter, spool string, log *slog.Logger, rep *Report, now func() time.Time) *crawler {
	c := &crawler{site: site, fr: fr, sink: sink, warc: ww, spool: spool, log: log.With("site", site.Name), rep: rep, now: now}
	c.gate = newHostGate(site.Concurrency, site.Delay)
	c.robots = newRobotsCache(c)
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxConnsPerHost = site.Concurrency + 1
	// Keep bodies byte-exact: no transparent gzip for files.
	tr.DisableCompression = true
	c.fileClient = &http.Client{Transport: tr, CheckRedirect: c.checkRedirect}
	c.coll = c.newCollector(ctx)
	return c
}

// newCollector sets colly up for HTML only: robots.txt obeyed, charset
// decoded by us from <meta> (colly does not read it), error pages parsed so
// every exchange reaches the archive, redirects checked against the site
// rules and recorded.
func (c *crawler) newCollector(ctx context.Context) *colly.Collector {
	col := colly.NewCollector(
		colly.UserAgent(c.site.UserAgent),
		colly.AllowURLRevisit(),
		colly.MaxBodySize(maxPageBody),
		colly.ParseHTTPErrorResponse(),
		colly.StdlibContext(ctx),
	)
	col.IgnoreRobotsTxt = false
	col.DetectCharset = false
	col.SetRequestTimeout(c.site.Timeout)
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxConnsPerHost = c.site.Concurrency + 1
	col.WithTransport(tr)
	col.SetRedirectHandler(c.checkRedirect)

	res := func(r *colly.Response) *pageResult {
		if r == nil || r.Ctx == nil {
			return nil
		}
		p, _ := r.Ctx.GetAny("res").(*pageResult)
		return p
	}
	col.OnResponseHeaders(func(r *colly.Response) {
		p := res(r)
		if p == nil {
			return
		}
		if r.StatusCode/100 == 2 && looksLikeFile(r.Headers) {
			// Not a page after all (download.do?id=…): hand it to the
			// streaming downloader instead of buffering it here.
			p.reroute = true
			r.Request.Abort()
		}
	})
	col.OnResponse(func(r *colly.Response) {
		p := res(r)
		if p == nil {
			return
		}
		p.status = r.StatusCode
		p.header = r.Headers.Clone()
		p.finalURL = r.Request.URL.String()
		p.raw = append([]byte(nil), r.Body...)
		ct := r.Headers.Get("Content-Type")
		if ct == "" || strings.Contains(strings.ToLower(ct), "html") {
			r.Body = toUTF8(r.Body, ct)
			if ct == "" {
				r.Headers.Set("Content-Type", "text/html; charset=utf-8")
			}
		}
	})
	col.OnHTML("title", func(e *colly.HTMLElement) {
		if p := res(e.Response); p != nil && p.title == "" {
			p.title = strings.Join(strings.Fields(e.Text), " ")
		}
	})
	col.OnHTML("a[href], area[href]", func(e *colly.HTMLElement) {
		p := res(e.Response)
		if p == nil {
			return
		}
		text := strings.Join(strings.Fields(e.Text), " ")
		if text == "" {
			text = strings.TrimSpace(e.Attr("title"))
		}
		p.links = append(p.links, link{url: e.Request.AbsoluteURL(e.Attr("href")), text: text})
	})
	col.OnHTML("frame[src], iframe[src]", func(e *colly.HTMLElement) {
		if p := res(e.Response); p != nil {
			p.links = append(p.links, link{url: e.Request.AbsoluteURL(e.Attr("src"))})
		}
	})
	col.OnHTML("script", func(e *colly.HTMLElement) {
		p := res(e.Response)
		if p == nil {
			return
		}
		for _, a := range scriptAttachments(e.Text) {
			p.links = append(p.links, link{url: e.Request.AbsoluteURL(a), text: a})
		}
	})
	col.OnError(func(r *colly.Response, err error) {
		if p := res(r); p != nil && p.err == nil {
			p.err = err
		}
	})
	return col
}

// looksLikeFile reports an attachment served where a page was expected.
func looksLikeFile(h *http.Header) bool {
	if h == nil {
		return false
	}
	if strings.HasPrefix(strings.ToLower(h.Get("Content-Disposition")), "attachment") {
		return true
	}
	ct := strings.ToLower(h.Get("Content-Type"))
	for _, t := range []string{"application/pdf", "application/octet-stream", "application/msword", "application/vnd.", "application/zip", "application/x-rar", "application/ofd"} {
		if strings.HasPrefix(ct, t) {
			return true
		}
	}
	return false
}

// toUTF8 decodes an HTML body using the header charset, then <meta>, then
// a sniff; GBK/GB2312 pages that declare their charset only in <meta> are
// common on government portals.
func toUTF8(body []byte, contentType string) []byte {
	enc, name, _ := charset.DetermineEncoding(body, contentType)
	if name == "utf-8" || enc == nil {
		return body
	}
	out, err := enc.NewDecoder().Bytes(body)
	if err != nil {
		return body
	}
	return out
}

type link struct{ url, text string }

type pageResult struct {
	status   int
	header   http.Header
	finalURL string
	raw      []byte
	title    string
	links    []link
	err      error
	reroute  bool
}

// checkRedirect follows up to 10 redirects to URLs the site allows and
// robots.txt permits, recording each redirect response in the WARC.
func (c *crawler) checkRedirect(req *http.Request, via []*http.Request) error {
	if len(via) >= 10 {
		return errors.New("stopped after 10 redirects")
	}
	if r := req.Response; r != nil {
		prev := via[len(via)-1]
		c.archive(&exchange{URL: prev.URL.String(), Method: prev.Method, ReqHeader: prev.Header, Status: r.StatusCode,
			Proto: r.Proto, RespHeader: r.Header, Date: c.now(), Body: bytes.NewReader(nil)})
	}
	target := req.URL.String()
	if !c.site.Allowed(target) {
		return fmt.Errorf("redirect to %s: not allowed by site rules", target)
	}
	if !c.robots.allowedInRedirect(req.Context(), target) {
		return fmt.Errorf("redirect to %s: %w", target, colly.ErrRobotsTxtBlocked)
	}
	return nil
}

// archive writes an exchange to the WARC; a failure is logged and counted
// but does not stop the crawl (the sink still gets the file).
func (c *crawler) archive(x *exchange) written {
	if c.warc == nil {
		return written{}
	}
	if x.Date.IsZero() {
		x.Date = c.now()
	}
	w, err := c.warc.writeExchange(x)
	if err != nil {
		c.log.Error("warc", "url", x.URL, "err", err)
		c.fail(Failure{URL: x.URL, Kind: FailArchive, Err: err.Error()})
	}
	return w
}

func (c *crawler) fail(f Failure) {
	f.Site = c.site.Name
	c.mu.Lock()
	c.rep.Failures[f.Kind]++
	c.rep.FailureList = append(c.rep.FailureList, f)
	c.mu.Unlock()
}

// crawl drives the run: it pulls pending items from the frontier in Seq
// order and runs them on a bounded pool; per-host limits are in the gate.
func (c *crawler) crawl(ctx context.Context) error {
	start := make([]Item, 0, len(c.site.Start))
	for _, s := range c.site.Start {
		k, ok := linkKind(s)
		if !ok {
			k = KindPage
		}
		start = append(start, Item{URL: normalizeURL(s), Kind: k, Depth: 0})
	}
	if _, err := c.fr.Enqueue(ctx, c.run, start); err != nil {
		return fmt.Errorf("enqueue start URLs: %w", err)
	}
	workers := max(4, 4*c.site.Concurrency)
	work := make(chan Item)
	done := make(chan struct{}, workers)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for it := range work {
				c.process(ctx, it)
				done <- struct{}{}
			}
		}()
	}
	defer func() {
		close(work)
		wg.Wait()
	}()
	var cursor int64
	inflight := 0
	for {
		if ctx.Err() != nil {
			for ; inflight > 0; inflight-- {
				<-done
			}
			return ctx.Err()
		}
		free := workers - inflight
		var items []Item
		if free > 0 {
			var err error
			items, err = c.fr.Next(ctx, c.run, cursor, free)
			if err != nil {
				for ; inflight > 0; inflight-- {
					<-done
				}
				return fmt.Errorf("frontier next: %w", err)
			}
		}
		if len(items) == 0 {
			if inflight == 0 {
				return nil
			}
			<-done
			inflight--
			continue
		}
		for _, it := range items {
			cursor = it.Seq
			work <- it
			inflight++
		}
	}
}

// process fetches one item and records its outcome; nothing it meets
// stops the crawl.
func (c *crawler) process(ctx context.Context, it Item) {
	var r Result
	switch it.Kind {
	case KindFile:
		r = c.fetchFile(ctx, it)
	default:
		r = c.fetchPage(ctx, it)
	}
	if ctx.Err() != nil {
		return // leave it pending: a resumed run fetches it again
	}
	if r.Fetched.IsZero() {
		r.Fetched = c.now()
	}
	if err := c.fr.Finish(ctx, c.run, it.URL, r); err != nil {
		c.log.Error("frontier finish", "url", it.URL, "err", err)
	}
	if c.progress != nil {
		c.progress(Progress{Site: c.site.Name, URL: it.URL, Kind: it.Kind, Result: r})
	}
}

func (c *crawler) failed(it Item, kind FailureKind, status int, err string) Result {
	c.fail(Failure{URL: it.URL, Kind: kind, Status: status, Err: err})
	c.log.Info("fetch failed", "url", it.URL, "kind", kind, "status", status, "err", err)
	return Result{State: StateFailed, Failure: kind, HTTPStatus: status, Err: err, Fetched: c.now()}
}

// timeoutGrace is how long a host slot stays taken after a timed-out
// request: the server may still be working on it.
const timeoutGrace = 100 * time.Millisecond

func (c *crawler) releaseAfter(release func(), timedOut bool) {
	if timedOut {
		time.Sleep(timeoutGrace)
	}
	release()
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout())
}

func (c *crawler) fetchPage(ctx context.Context, it Item) Result {
	if !c.robots.allowed(ctx, it.URL) {
		return c.failed(it, FailRobots, 0, "disallowed by robots.txt")
	}
	c.mu.Lock()
	c.pagesCount++
	over := c.pagesCount > c.site.MaxPages
	c.mu.Unlock()
	if over {
		return c.failed(it, FailOther, 0, fmt.Sprintf("max_pages %d reached", c.site.MaxPages))
	}
	pu, _ := url.Parse(it.URL)
	var p *pageResult
	for attempt := 0; ; attempt++ {
		release, err := c.gate.acquire(ctx, pu.Host)
		if err != nil {
			return Result{}
		}
		p = &pageResult{}
		cctx := colly.NewContext()
		cctx.Put("res", p)
		hdr := http.Header{}
		if it.Referrer != "" {
			hdr.Set("Referer", it.Referrer)
		}
		started := c.now()
		err = c.coll.Request(http.MethodGet, it.URL, nil, cctx, hdr)
		if p.err == nil {
			p.err = err
		}
		c.releaseAfter(release, p.status == 0 && p.err != nil && isTimeout(p.err))
		if ctx.Err() != nil {
			return Result{}
		}
		if p.reroute {
			fi := it
			fi.Kind = KindFile
			return c.fetchFile(ctx, fi)
		}
		if errors.Is(p.err, colly.ErrRobotsTxtBlocked) {
			return c.failed(it, FailRobots, 0, "disallowed by robots.txt")
		}
		if p.status > 0 {
			reqH := hdr.Clone()
			reqH.Set("User-Agent", c.site.UserAgent)
			target := p.finalURL
			if target == "" {
				target = it.URL
			}
			p.finalURL = target
			sum := sha256.Sum256(p.raw)
			sha := hex.EncodeToString(sum[:])
			x := &exchange{URL: target, Method: http.MethodGet, ReqHeader: reqH, Status: p.status, RespHeader: p.header,
				Date: started, Body: bytes.NewReader(p.raw), BodyLen: int64(len(p.raw))}
			if p.status/100 == 2 && c.samePage(ctx, it.URL, sha) {
				if c.warc != nil {
					if _, err := c.warc.writeRevisit(x, false, time.Time{}, sha); err != nil {
						c.fail(Failure{URL: it.URL, Kind: FailArchive, Err: err.Error()})
					}
				}
				c.mu.Lock()
				c.rep.PagesUnchanged++
				c.mu.Unlock()
			} else {
				c.archive(x)
			}
		}
		retry := (p.status >= 500 || (p.status == 0 && p.err != nil && (isTimeout(p.err) || isNetErr(p.err)))) && attempt < c.site.Retries
		if !retry {
			break
		}
		c.log.Debug("retry page", "url", it.URL, "status", p.status, "err", p.err, "attempt", attempt+1)
		sleepCtx(ctx, backoff(c.site.RetryBackoff, attempt))
	}
	switch {
	case p.status == 0 && p.err != nil && isTimeout(p.err):
		return c.failed(it, FailTimeout, 0, p.err.Error())
	case p.status == 0 && p.err != nil:
		kind := FailNetwork
		if strings.Contains(p.err.Error(), "not allowed by site rules") {
			kind = FailOther
		}
		return c.failed(it, kind, 0, p.err.Error())
	case p.status/100 != 2:
		return c.failed(it, FailHTTP, p.status, http.StatusText(p.status))
	}
	c.mu.Lock()
	c.rep.PagesFetched++
	c.pagesOK++
	c.mu.Unlock()
	c.follow(ctx, it, p)
	sum := sha256.Sum256(p.raw)
	return Result{State: StateDone, HTTPStatus: p.status, SHA256: hex.EncodeToString(sum[:]), Size: int64(len(p.raw)),
		ETag: p.header.Get("ETag"), LastModified: p.header.Get("Last-Modified"), Fetched: c.now()}
}

func isNetErr(err error) bool {
	var ne net.Error
	var oe *net.OpError
	return errors.As(err, &oe) || (errors.As(err, &ne) && !ne.Timeout()) || strings.Contains(err.Error(), "connection reset") || strings.Contains(err.Error(), "EOF")
}

// samePage reports whether url's last good body had this digest.
func (c *crawler) samePage(ctx context.Context, u, sha string) bool {
	rec, ok, err := c.fr.Lookup(ctx, u)
	return err == nil && ok && rec.SHA256 == sha
}

// follow enqueues the page's links that the site allows. Pagination keeps
// the page's depth; other pages go one deeper; files are always taken.
func (c *crawler) follow(ctx context.Context, it Item, p *pageResult) {
	var items []Item
	seen := map[string]bool{}
	for _, l := range p.links {
		u := normalizeURL(l.url)
		if u == "" || seen[u] || !c.site.Allowed(u) {
			continue
		}
		kind, ok := linkKind(u)
		if !ok {
			continue
		}
		depth := it.Depth
		if kind == KindPage {
			if !isPagination(p.finalURL, u, l.text) {
				depth++
			}
			if depth > c.site.MaxDepth {
				continue
			}
		} else {
			depth++
		}
		seen[u] = true
		items = append(items, Item{URL: u, Kind: kind, Depth: depth, Referrer: p.finalURL, LinkText: l.text, PageTitle: p.title})
	}
	if len(items) == 0 {
		return
	}
	if _, err := c.fr.Enqueue(ctx, c.run, items); err != nil {
		c.log.Error("enqueue links", "page", it.URL, "err", err)
	}
}
