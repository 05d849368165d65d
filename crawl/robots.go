package crawl

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/temoto/robotstxt"
)

// robotsCache fetches robots.txt once per host per run. It is checked for
// every URL (pages and files), and its Crawl-delay is applied through the
// host gate: colly parses Crawl-delay but never applies it.
type robotsCache struct {
	c *crawler

	mu    sync.Mutex
	hosts map[string]*robotsEntry
}

type robotsEntry struct {
	once  sync.Once
	group *robotstxt.Group
}

func newRobotsCache(c *crawler) *robotsCache {
	return &robotsCache{c: c, hosts: map[string]*robotsEntry{}}
}

// allowed reports whether the site's user agent may fetch u.
func (rc *robotsCache) allowed(ctx context.Context, u string) bool {
	return rc.check(ctx, u, true)
}

// allowedInRedirect is allowed for a redirect target: the caller already
// holds a host slot, so robots.txt is fetched without taking another
// (which could deadlock with concurrency 1).
func (rc *robotsCache) allowedInRedirect(ctx context.Context, u string) bool {
	return rc.check(ctx, u, false)
}

func (rc *robotsCache) check(ctx context.Context, u string, gated bool) bool {
	pu, err := url.Parse(u)
	if err != nil {
		return false
	}
	rc.mu.Lock()
	e, ok := rc.hosts[pu.Host]
	if !ok {
		e = &robotsEntry{}
		rc.hosts[pu.Host] = e
	}
	rc.mu.Unlock()
	e.once.Do(func() { e.group = rc.load(ctx, pu, gated) })
	p := pu.EscapedPath()
	if pu.RawQuery != "" {
		p += "?" + pu.RawQuery
	}
	return e.group.Test(p)
}

func (rc *robotsCache) load(ctx context.Context, pu *url.URL, gated bool) *robotstxt.Group {
	c := rc.c
	ru := pu.Scheme + "://" + pu.Host + "/robots.txt"
	var data *robotstxt.RobotsData
	for attempt := 0; ; attempt++ {
		status, body, err := rc.fetch(ctx, ru, gated)
		if err == nil && status < 500 {
			data, err = robotstxt.FromStatusAndBytes(status, body)
			if err != nil {
				// Unparseable robots.txt: follow the lenient reading.
				data, _ = robotstxt.FromStatusAndBytes(404, nil)
			}
			break
		}
		if attempt >= c.site.Retries || ctx.Err() != nil {
			// Unreachable or 5xx: the site's pages will fail too; allow
			// rather than fail the whole host on robots alone.
			c.log.Warn("robots.txt unavailable", "url", ru, "status", status, "err", err)
			data, _ = robotstxt.FromStatusAndBytes(404, nil)
			break
		}
		sleepCtx(ctx, backoff(c.site.RetryBackoff, attempt))
	}
	g := data.FindGroup(c.site.UserAgent)
	if d := g.CrawlDelay; d > 0 {
		if d > maxCrawlDelay {
			c.log.Warn("robots.txt Crawl-delay capped", "host", pu.Host, "asked", d, "used", maxCrawlDelay)
			d = maxCrawlDelay
		}
		c.gate.setCrawlDelay(pu.Host, d)
	}
	return g
}

func (rc *robotsCache) fetch(ctx context.Context, ru string, gated bool) (int, []byte, error) {
	c := rc.c
	if gated {
		pu, _ := url.Parse(ru)
		release, err := c.gate.acquire(ctx, pu.Host)
		if err != nil {
			return 0, nil, err
		}
		defer release()
	}
	rctx, cancel := context.WithTimeout(ctx, c.site.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(rctx, http.MethodGet, ru, nil)
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("User-Agent", c.site.UserAgent)
	start := time.Now()
	resp, err := c.fileClient.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 512<<10))
	if err != nil {
		return resp.StatusCode, nil, err
	}
	c.archive(&exchange{URL: ru, Method: http.MethodGet, ReqHeader: req.Header, Status: resp.StatusCode,
		Proto: resp.Proto, RespHeader: resp.Header, Date: start, Body: strings.NewReader(string(body)), BodyLen: int64(len(body))})
	return resp.StatusCode, body, nil
}

// maxCrawlDelay caps robots.txt's Crawl-delay so a typo (3600) cannot
// stall a nightly harvest for days.
const maxCrawlDelay = 2 * time.Minute

func backoff(base time.Duration, attempt int) time.Duration {
	d := base << attempt
	if d > time.Minute {
		d = time.Minute
	}
	return d
}

func sleepCtx(ctx context.Context, d time.Duration) {
	if d <= 0 {
		return
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
	case <-ctx.Done():
	}
}
