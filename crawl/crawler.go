package crawl

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/gocolly/colly/v2"
	"golang.org/x/net/html/charset"
)

// maxStarts is how many times a URL's fetch may begin in one run: a fetch
// that killed the process twice is not tried a third time.
const maxStarts = 2

// crawler crawls one site in one run.
type crawler struct {
	site  Site
	fr    Frontier
	sink  Sink
	warc  *warcWriter
	spool string
	log   *slog.Logger
	gate  *hostGate
	// robots is yusuan's own robots.txt check, one capped fetch per host;
	// colly's is off.
	robots *robotsCache
	// transport is shared by colly (pages), client (files, API) and
	// robotsClient; it applies the header timeout and the body caps.
	transport    http.RoundTripper
	jar          http.CookieJar
	client       *http.Client
	robotsClient *http.Client
	run          Run
	runCtx       context.Context
	now          func() time.Time
	track        *tracker

	mu        sync.Mutex
	rep       *Report
	pagesOK   int
	apiCalls  int
	scheduled map[Kind]int // URLs scheduled in this run, by kind
	capped    map[Kind]int // links not scheduled because of max_pages / max_files
	known     map[string]bool
	finals    map[string]*finalFile // URLs file fetches of this run request
	names     map[string]string     // file names (Content-Disposition) by final URL, for sightings

	enqMu    sync.Mutex    // one enqueue at a time keeps the caps exact
	bigParse chan struct{} // one page over bigPage parsed at a time
}

func newCrawler(ctx context.Context, site Site, fr Frontier, sink Sink, ww *warcWriter, spool string, log *slog.Logger, rep *Report, now func() time.Time, track *tracker) *crawler {
	if track == nil {
		track = &tracker{}
	}
	c := &crawler{site: site, fr: fr, sink: sink, warc: ww, spool: spool, log: log.With("site", site.Name), rep: rep, now: now,
		runCtx: ctx, track: track, scheduled: map[Kind]int{}, capped: map[Kind]int{}, known: map[string]bool{},
		finals: map[string]*finalFile{}, names: map[string]string{}, bigParse: make(chan struct{}, 1)}
	c.gate = newHostGate(site.Concurrency, site.Delay)
	c.robots = newRobotsCache(c)
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxConnsPerHost = site.Concurrency + 1
	// Bodies are decoded by cappedBody only, never by net/http.
	tr.DisableCompression = true
	c.transport = guardTransport{base: tr}
	// One cookie jar per site run: some portals only serve a download
	// to the session that saw its page.
	c.jar, _ = cookiejar.New(nil)
	c.client = &http.Client{Transport: c.transport, CheckRedirect: c.checkRedirect, Jar: c.jar}
	c.robotsClient = &http.Client{Transport: c.transport, CheckRedirect: c.checkRobotsRedirect, Jar: c.jar}
	return c
}

// stamp is the time of an exchange, as written to WARC-Date and kept in
// the frontier (microseconds, the store's precision), so a revisit's
// WARC-Refers-To-Date equals its original's WARC-Date.
func (c *crawler) stamp() time.Time { return c.now().UTC().Truncate(time.Microsecond) }

// setHeaders sets the site's User-Agent and the Referer: the linking page,
// or the site's referer for requests without one.
func (c *crawler) setHeaders(h http.Header, referrer string) {
	h.Set("User-Agent", c.site.UserAgent)
	if referrer == "" {
		referrer = c.site.Referer
	}
	if referrer != "" {
		h.Set("Referer", referrer)
	}
}

// looksLikeFile reports an attachment served where a page was expected.
func looksLikeFile(h http.Header) bool {
	if strings.HasPrefix(strings.ToLower(h.Get("Content-Disposition")), "attachment") {
		return true
	}
	ct := strings.ToLower(h.Get("Content-Type"))
	for _, t := range []string{"application/pdf", "application/octet-stream", "application/msword", "application/vnd.",
		"application/zip", "application/x-rar", "application/ofd", "application/gzip", "application/x-gzip"} {
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
	reqH     http.Header
	finalURL string
	started  time.Time
	raw      []byte
	title    string
	links    []link
	err      error
	bigParse bool // holds the crawler's big-page parse slot
	// Set by archivePage.
	truncated   bool
	sha, sha1   string
	payloadDate time.Time
}

// collect fetches one page with a collector made for this attempt: its
// context carries the attempt's deadline and body limits to the shared
// transport. colly's robots check, charset detection and body limit are
// off: yusuan does all three.
func (c *crawler) collect(ctx context.Context, it Item, p *pageResult) error {
	col := colly.NewCollector(
		colly.UserAgent(c.site.UserAgent),
		colly.AllowURLRevisit(),
		colly.MaxBodySize(0),
		colly.ParseHTTPErrorResponse(),
		colly.StdlibContext(ctx),
	)
	col.IgnoreRobotsTxt = true
	col.DetectCharset = false
	col.SetRequestTimeout(0) // the attempt's context bounds it
	col.WithTransport(c.transport)
	col.SetCookieJar(c.jar)
	col.SetRedirectHandler(c.checkRedirect)
	// Headers first: when the body then fails (a bomb, a timeout), the
	// exchange is still archived.
	col.OnResponseHeaders(func(r *colly.Response) {
		p.status = r.StatusCode
		p.header = r.Headers.Clone()
		p.reqH = r.Request.Headers.Clone()
		p.finalURL = r.Request.URL.String()
	})
	col.OnResponse(func(r *colly.Response) {
		p.raw = r.Body // as received; r.Body may be replaced below, never changed in place
		if len(r.Body) > bigPage {
			// Parsing costs about ten times the page: one big page at a
			// time (released when collect returns).
			select {
			case c.bigParse <- struct{}{}:
				p.bigParse = true
			case <-ctx.Done():
			}
		}
		ct := r.Headers.Get("Content-Type")
		if ct == "" || strings.Contains(strings.ToLower(ct), "html") {
			r.Body = toUTF8(r.Body, ct)
			if ct == "" {
				r.Headers.Set("Content-Type", "text/html; charset=utf-8")
			}
		}
	})
	col.OnHTML("title", func(e *colly.HTMLElement) {
		if p.title == "" {
			p.title = strings.Join(strings.Fields(e.Text), " ")
		}
	})
	col.OnHTML("a[href], area[href]", func(e *colly.HTMLElement) {
		text := strings.Join(strings.Fields(e.Text), " ")
		if text == "" {
			text = strings.TrimSpace(e.Attr("title"))
		}
		p.links = append(p.links, link{url: e.Request.AbsoluteURL(e.Attr("href")), text: text})
	})
	col.OnHTML("frame[src], iframe[src]", func(e *colly.HTMLElement) {
		p.links = append(p.links, link{url: e.Request.AbsoluteURL(e.Attr("src"))})
	})
	col.OnHTML("script", func(e *colly.HTMLElement) {
		for _, a := range scriptAttachments(e.Text) {
			p.links = append(p.links, link{url: e.Request.AbsoluteURL(a), text: a})
		}
	})
	col.OnError(func(_ *colly.Response, err error) {
		if p.err == nil {
			p.err = err
		}
	})
	hdr := http.Header{}
	c.setHeaders(hdr, it.Referrer)
	err := col.Request(http.MethodGet, it.URL, nil, nil, hdr)
	if p.bigParse {
		<-c.bigParse
	}
	if err == nil {
		err = p.err
	}
	return err
}

// bigPage is the size past which a page waits for its turn to be parsed.
const bigPage = 2 << 20

// maxRedirects is how many redirects a page, file or API request follows.
const maxRedirects = 10

// checkRedirect follows up to 10 redirects to URLs the site allows and
// robots.txt permits, recording each redirect response in the WARC. For
// a file download it also sends each hop the validators known for it and
// stops at a file already fetched in this run; a page request redirected
// to a file link becomes such a download.
func (c *crawler) checkRedirect(req *http.Request, via []*http.Request) error {
	c.archiveRedirect(req, via)
	// via holds the requests made so far: the original and one per
	// redirect followed.
	if len(via) > maxRedirects {
		return &RedirectError{To: req.URL.String(), Reason: fmt.Sprintf("more than %d redirects", maxRedirects)}
	}
	if c.site.HTTPOnly && req.URL.Scheme == "https" {
		req.URL.Scheme = "http"
	}
	target := req.URL.String()
	if !c.site.Allowed(target) {
		return &RedirectError{To: target, Reason: "outside the site's allow rules"}
	}
	if err := c.robots.checkInRedirect(req.Context(), target); err != nil {
		return err
	}
	if ff := fileFetchFrom(req.Context()); ff != nil {
		return c.fileHop(req, ff)
	}
	k, _ := linkKind(target)
	f := fetchFrom(req.Context())
	switch {
	case f.toFile != nil && (k == KindFile || f.redirectedToFile()):
		// A page link redirecting to a file link (download.do?id=7 →
		// /files/a.pdf): the request goes on as the file's download,
		// so the link is not requested again as a file. The URLs
		// requested so far lead to this file: fetches reaching them
		// share its outcome.
		f.setRedirectedToFile()
		for _, v := range via {
			c.claimFree(v.URL.String(), f.toFile)
		}
		return c.fileHop(req, f.toFile)
	case k == KindFile:
		return errServedFile // an API request
	}
	return nil
}

// checkRobotsRedirect follows robots.txt redirects anywhere (it is not a
// page of the site), five of them as RFC 9309 asks: via holds the
// requests made so far, so the sixth redirect is the first refused.
func (c *crawler) checkRobotsRedirect(req *http.Request, via []*http.Request) error {
	c.archiveRedirect(req, via)
	if len(via) > 5 {
		return &RedirectError{To: req.URL.String(), Reason: "more than 5 redirects for robots.txt"}
	}
	if c.site.HTTPOnly && req.URL.Scheme == "https" {
		req.URL.Scheme = "http"
	}
	return nil
}

func (c *crawler) archiveRedirect(req *http.Request, via []*http.Request) {
	if r := req.Response; r != nil && len(via) > 0 {
		prev := via[len(via)-1]
		c.archive(&exchange{URL: prev.URL.String(), Method: prev.Method, ReqHeader: prev.Header, Status: r.StatusCode,
			Proto: r.Proto, RespHeader: r.Header, Date: c.stamp()})
	}
}

// archive writes an exchange to the WARC; a failure is logged and counted
// but does not stop the crawl (the sink still gets the file).
func (c *crawler) archive(x *exchange) written {
	if c.warc == nil {
		return written{}
	}
	if x.Date.IsZero() {
		x.Date = c.stamp()
	}
	w, err := c.warc.writeExchange(x)
	if err != nil {
		c.archiveFailed(x.URL, err)
	}
	return w
}

// revisit writes a revisit record for x: its payload is the one archived
// at ref (the URL and WARC-Date of the record holding it).
func (c *crawler) revisit(x *exchange, notModified bool, ref Version) written {
	if c.warc == nil {
		return written{}
	}
	if x.Date.IsZero() {
		x.Date = c.stamp()
	}
	w, err := c.warc.writeRevisit(x, notModified, ref)
	if err != nil {
		c.archiveFailed(x.URL, err)
	}
	return w
}

func (c *crawler) archiveFailed(u string, err error) {
	c.log.Error("warc", "url", u, "err", err)
	c.fail(Failure{URL: u, Kind: FailArchive, Err: err.Error(), Cause: err})
}

func (c *crawler) fail(f Failure) {
	f.Site = c.site.Name
	c.mu.Lock()
	c.rep.Failures[f.Kind]++
	c.rep.FailureList = append(c.rep.FailureList, f)
	c.mu.Unlock()
}

// failErr records err as it's failure and returns the failed result. A
// URL held back by an unreachable robots.txt is not listed: its host is,
// once.
func (c *crawler) failErr(it Item, status int, err error) Result {
	kind := kindOf(err)
	if kind != FailRobotsUnreachable {
		c.fail(Failure{URL: it.URL, Kind: kind, Status: status, Err: err.Error(), Cause: err})
	}
	c.log.Info("fetch failed", "url", it.URL, "kind", kind, "status", status, "err", err)
	return Result{State: StateFailed, Failure: kind, HTTPStatus: status, Err: err.Error(), Fetched: c.now()}
}

func (c *crawler) count(f func(*Report)) {
	c.mu.Lock()
	f(c.rep)
	c.mu.Unlock()
}

// crawl drives the run: it pulls pending items from the frontier in Seq
// order and runs them on a bounded pool; per-host limits are in the gate.
func (c *crawler) crawl(ctx context.Context) error {
	pages, files, err := c.fr.Scheduled(ctx, c.run)
	if err != nil {
		return fmt.Errorf("frontier: %w", err)
	}
	c.scheduled[KindPage], c.scheduled[KindFile] = pages, files
	c.track.addTotal(files)
	var start []Item
	for _, s := range c.site.Start {
		k, ok := linkKind(s)
		if !ok {
			k = KindPage
		}
		start = append(start, Item{URL: s, Kind: k, Referrer: c.site.Referer})
	}
	if err := c.enqueue(ctx, start); err != nil {
		return fmt.Errorf("enqueue start URLs: %w", err)
	}
	if c.site.Kind == SiteAPI {
		if err := c.walkAPI(ctx); err != nil {
			return err
		}
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
	drain := func() {
		for ; inflight > 0; inflight-- {
			<-done
		}
	}
	for {
		if ctx.Err() != nil {
			drain()
			return ctx.Err()
		}
		free := workers - inflight
		var items []Item
		if free > 0 {
			var err error
			items, err = c.fr.Next(ctx, c.run, cursor, free)
			if err != nil {
				drain()
				return fmt.Errorf("frontier next: %w", err)
			}
		}
		if len(items) == 0 {
			if inflight == 0 {
				c.capNotices()
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
	c.track.current(c.site.Name + " " + it.URL)
	var r Result
	if starts, err := c.fr.Begin(ctx, c.run, it.URL); err == nil && starts > maxStarts {
		r = c.failErr(it, 0, fmt.Errorf("%w: %d fetches begun and none finished", ErrInterrupted, starts-1))
	} else if it.Kind == KindFile {
		r = c.fetchFile(ctx, it)
	} else {
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
	if it.Kind == KindPage && r.Kind == KindFile {
		// A page link that served a file counts as a file from now on.
		c.mu.Lock()
		c.scheduled[KindPage]--
		c.scheduled[KindFile]++
		c.mu.Unlock()
		c.track.addTotal(1)
	}
	if it.Kind == KindFile || r.Kind == KindFile {
		c.track.fileDone(r.State == StateFailed)
	}
}

// attemptSpec describes how one URL is fetched.
type attemptSpec struct {
	url     string
	timeout time.Duration // per attempt
	policy  bodyPolicy
	// ungated attempts do not take a host slot: the caller (a redirect
	// check) holds one already.
	ungated bool
	// fileTimeout, when longer than timeout, is the limit of a page
	// attempt whose answer turns out to be a file (fetchCtx.asFile): the
	// file is read under the file limits, not the page's.
	fileTimeout time.Duration
}

// attempts runs fetch until it succeeds, fails for good, or the URL's
// url_budget is spent. Each attempt holds a slot on the URL's host and has
// its own deadline and body limits (in its context); the time spent
// fetching and backing off counts against the budget, the wait for a slot
// does not.
func (c *crawler) attempts(ctx context.Context, spec attemptSpec, fetch func(context.Context, *fetchCtx) error) error {
	host := hostOf(spec.url)
	var spent time.Duration
	for n := 0; ; n++ {
		release := func() {}
		if !spec.ungated {
			var err error
			if release, err = c.gate.acquire(ctx, host); err != nil {
				return err
			}
		}
		limit, cause := c.attemptLimit(spec.timeout, spent)
		f := &fetchCtx{policy: spec.policy, headerTimeout: c.site.HeaderTimeout, onBytes: c.track.addBytes}
		var actx context.Context
		var cancel context.CancelFunc
		if long, longCause := c.attemptLimit(spec.fileTimeout, spent); long > limit {
			// The page limit is a timer that an answer found to be a
			// file stops; the file limit is the deadline.
			lctx, lcancel := context.WithTimeoutCause(withFetch(ctx, f), long, longCause)
			pctx, pcancel := context.WithCancelCause(lctx)
			t := time.AfterFunc(limit, func() { pcancel(cause) })
			f.onFile = func() { t.Stop() }
			actx, cancel = pctx, func() { t.Stop(); pcancel(nil); lcancel() }
		} else {
			actx, cancel = context.WithTimeoutCause(withFetch(ctx, f), limit, cause)
		}
		began := time.Now()
		err := fetch(actx, f)
		cancel()
		spent += time.Since(began)
		c.releaseAfter(release, errors.Is(err, ErrTimeout))
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if err == nil || !retryable(err) || n >= c.site.Retries {
			if err != nil && n > 0 {
				err = fmt.Errorf("%w (%d attempts)", err, n+1)
			}
			return err
		}
		wait := backoff(c.site.RetryBackoff, n)
		asked := false
		if se := (*StatusError)(nil); errors.As(err, &se) && se.RetryAfter > 0 {
			// The server's own word holds for the whole host (within the
			// patience one URL is given), and for this URL's retry.
			if !spec.ungated {
				c.gate.holdUntil(host, time.Now().Add(min(se.RetryAfter, c.site.URLBudget)))
			}
			if se.RetryAfter > wait {
				wait, asked = se.RetryAfter, true
			}
		}
		if spent+wait >= c.site.URLBudget {
			if asked {
				return fmt.Errorf("%w (%d attempts; the server asked to wait Retry-After %s, beyond url_budget %s)", err, n+1, wait, c.site.URLBudget)
			}
			return fmt.Errorf("%w (%d attempts; url_budget %s spent)", err, n+1, c.site.URLBudget)
		}
		c.log.Debug("retry", "url", spec.url, "err", err, "attempt", n+1)
		sleepCtx(ctx, wait)
		spent += wait
	}
}

// attemptLimit is an attempt's time limit: timeout, or what is left of
// the URL's url_budget when that is less; with the error that says which.
func (c *crawler) attemptLimit(timeout, spent time.Duration) (time.Duration, *TimeoutError) {
	if left := c.site.URLBudget - spent; left < timeout {
		return left, &TimeoutError{Phase: "url budget", Limit: c.site.URLBudget}
	}
	return timeout, &TimeoutError{Phase: "request", Limit: timeout}
}

// truncation is the WARC-Truncated reason for a body that failed with
// err: refused past its limit ("length"), or cut by a deadline ("time").
func truncation(err error) string {
	switch {
	case errors.Is(err, ErrTooLarge):
		return "length"
	case errors.Is(err, ErrTimeout):
		return "time"
	case err != nil:
		return "unspecified"
	}
	return ""
}

func hostOf(u string) string {
	pu, err := url.Parse(u)
	if err != nil {
		return ""
	}
	return pu.Host
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

func (c *crawler) fetchPage(ctx context.Context, it Item) Result {
	if err := c.robots.check(ctx, it.URL); err != nil {
		return c.failErr(it, 0, err)
	}
	prev, _, err := c.fr.Lookup(ctx, it.URL)
	if err != nil {
		c.log.Warn("frontier lookup", "url", it.URL, "err", err)
	}
	var (
		p *pageResult
		// d is the answer of a file the page link led to (served, or
		// redirected to a file link), read by the page request itself.
		d *download
		// ff is the file fetch the page request becomes when it is
		// redirected to a file link; toFile says it did.
		ff     = &fileFetch{owner: it.URL, prev: prev}
		toFile bool
	)
	defer func() {
		// Whatever happened, fetches waiting for this one's URLs go on.
		for _, u := range ff.claims {
			c.settle(u, Result{State: StateFailed, Failure: FailOther, Err: "fetch abandoned"})
		}
	}()
	spec := attemptSpec{url: it.URL, timeout: c.site.Timeout, fileTimeout: c.site.FileTimeout,
		policy: bodyPolicy{Max: c.site.MaxPageSize, Truncate: true}}
	err = c.attempts(ctx, spec, func(actx context.Context, f *fetchCtx) error {
		f.asFile, f.filePolicy = func(r *http.Response) bool { return looksLikeFile(r.Header) }, bodyPolicy{Max: c.site.MaxFileSize}
		f.toFile = ff
		ff.alias, ff.aliasURL, ff.validator = nil, "", Record{}
		d.cleanup()
		d = nil
		p = &pageResult{started: c.stamp()}
		err := c.collect(actx, it, p)
		toFile = f.redirectedToFile()
		if resp := f.takeServed(); resp != nil {
			d = c.readServed(resp, p.started)
			return d.err
		}
		if ff.alias != nil {
			// A hop reached a URL another fetch of this run requests.
			d = &download{alias: true}
			return nil
		}
		if p.status == 0 {
			return err // no response
		}
		if err != nil {
			// Headers came, the body failed: a bomb, a timeout, a reset.
			x := &exchange{URL: p.finalURL, Method: http.MethodGet, ReqHeader: p.reqH, Status: p.status,
				RespHeader: p.header, Date: p.started, Truncated: truncation(err)}
			c.archive(x)
			return err
		}
		return c.archivePage(prev, p, f.wasTruncated())
	})
	defer d.cleanup()
	if ctx.Err() != nil {
		return Result{}
	}
	if d != nil {
		// Not a page after all (show?id=…, download.do?id=… → a.pdf):
		// the answer is the file's, and the link is one for the next
		// runs.
		r := c.servedFile(ctx, it, ff, d, err)
		r.Kind = KindFile
		return r
	}
	if toFile {
		// The file link never answered: a file failure, and a file
		// link for the next runs.
		if err == nil {
			err = errors.New("no response")
		}
		r := c.failErr(it, 0, err)
		r.Kind = KindFile
		for _, u := range ff.claims {
			c.settle(u, r)
		}
		return r
	}
	if err != nil {
		status := 0
		if p != nil {
			status = p.status
		}
		return c.failErr(it, status, err)
	}
	c.count(func(r *Report) { r.PagesFetched++; c.pagesOK++ })
	c.follow(ctx, it, p)
	r := Result{State: StateDone, HTTPStatus: p.status, SHA256: p.sha, SHA1: p.sha1, Size: int64(len(p.raw)),
		ETag: p.header.Get("ETag"), LastModified: p.header.Get("Last-Modified"), PayloadDate: p.payloadDate, Fetched: c.now()}
	if p.finalURL != it.URL {
		r.FinalURL = p.finalURL
	}
	if p.truncated {
		// The links of the part that came are followed; the page is
		// still a failure an operator sees.
		return c.failErr(it, p.status, fmt.Errorf("page over max_page_size %d bytes; the first %d were used: %w",
			c.site.MaxPageSize, c.site.MaxPageSize, ErrTruncated))
	}
	return r
}

// archivePage writes a page exchange (a revisit when the body equals the
// last one archived for the URL) and says whether the page failed: a body
// cut at max_page_size is kept and marked WARC-Truncated: length.
func (c *crawler) archivePage(prev Record, p *pageResult, truncated bool) error {
	x := &exchange{URL: p.finalURL, Method: http.MethodGet, ReqHeader: p.reqH, Status: p.status, RespHeader: p.header,
		Date: p.started}
	p.truncated = truncated
	p.sha, p.sha1 = digests(p.raw)
	if p.status/100 == 2 && !truncated && prev.SHA256 == p.sha && prev.SHA1 == p.sha1 && !prev.PayloadDate.IsZero() {
		c.revisit(x, false, Version{URL: prev.bodyURL(), SHA256: p.sha, SHA1: p.sha1, Seen: prev.PayloadDate})
		p.payloadDate = prev.PayloadDate
		c.count(func(r *Report) { r.PagesUnchanged++ })
	} else {
		x.Body, x.BodyLen = bytes.NewReader(p.raw), int64(len(p.raw))
		if truncated {
			x.Truncated = "length"
		}
		c.archive(x)
		p.payloadDate = p.started
	}
	if p.status/100 != 2 {
		return statusError(p.status, p.header, p.started)
	}
	return nil
}

// follow enqueues the page's links that the site allows. Pagination keeps
// the page's depth; other pages go one deeper; files are always taken.
func (c *crawler) follow(ctx context.Context, it Item, p *pageResult) {
	var items []Item
	seen := map[string]bool{}
	for _, l := range p.links {
		u := c.site.fetchURL(l.url)
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
	if err := c.enqueue(ctx, items); err != nil {
		c.log.Error("enqueue links", "page", it.URL, "err", err)
	}
}

// enqueue schedules items within the run's max_pages and max_files caps.
// A link past a cap is counted for a notice, not failed: the caps are a
// safety limit, stopping politely.
func (c *crawler) enqueue(ctx context.Context, items []Item) error {
	c.enqMu.Lock()
	defer c.enqMu.Unlock()
	c.mu.Lock()
	room := map[Kind]int{KindPage: c.site.MaxPages - c.scheduled[KindPage], KindFile: c.site.MaxFiles - c.scheduled[KindFile]}
	var take []Item
	for _, it := range items {
		if c.known[it.URL] {
			continue
		}
		c.known[it.URL] = true
		if room[it.Kind] <= 0 {
			c.capped[it.Kind]++
			continue
		}
		room[it.Kind]--
		take = append(take, it)
	}
	c.mu.Unlock()
	if len(take) == 0 {
		return nil
	}
	if _, err := c.fr.Enqueue(ctx, c.run, take); err != nil {
		return err
	}
	pages, files, err := c.fr.Scheduled(ctx, c.run)
	if err != nil {
		return err
	}
	c.mu.Lock()
	newFiles := files - c.scheduled[KindFile]
	c.scheduled[KindPage], c.scheduled[KindFile] = pages, files
	c.mu.Unlock()
	c.track.addTotal(newFiles)
	return nil
}

// takeAPIRequest counts an API request against max_pages.
func (c *crawler) takeAPIRequest() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.apiCalls+c.scheduled[KindPage] >= c.site.MaxPages {
		c.capped[KindPage]++
		return false
	}
	c.apiCalls++
	return true
}

// capNotices reports the caps a run reached.
func (c *crawler) capNotices() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, k := range []struct {
		kind Kind
		key  string
		max  int
	}{{KindPage, "max_pages", c.site.MaxPages}, {KindFile, "max_files", c.site.MaxFiles}} {
		if n := c.capped[k.kind]; n > 0 {
			c.rep.Notices = append(c.rep.Notices, Notice{Site: c.site.Name, Kind: k.key, Dropped: n,
				Message: fmt.Sprintf("%s %d reached: %d more links were not followed in this run", k.key, k.max, n)})
		}
	}
}
