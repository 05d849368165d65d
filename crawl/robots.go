package crawl

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sync"
	"time"

	"github.com/temoto/robotstxt"
)

// robotsMax bounds robots.txt: Google reads 500 KiB; past the limit the
// part read is used and the cut is reported.
const robotsMax = 512 << 10

// robotsCache fetches robots.txt once per scheme and host per run, through
// the capped reader. It is checked for every URL (pages, files, API
// requests, redirect targets), and its Crawl-delay is applied through the
// host gate: colly parses Crawl-delay but never applies it, and colly's
// own robots check (unbounded, a second fetch) is off.
type robotsCache struct {
	c *crawler

	mu    sync.Mutex
	hosts map[string]*robotsEntry
}

type robotsEntry struct {
	once  sync.Once
	group *robotstxt.Group
	// unreachable is set when robots.txt could not be fetched: every URL
	// of the host is refused with it for the rest of the run.
	unreachable *RobotsUnreachableError
}

func newRobotsCache(c *crawler) *robotsCache {
	return &robotsCache{c: c, hosts: map[string]*robotsEntry{}}
}

// check returns an error wrapping ErrRobots when the site's user agent
// may not fetch u, or ErrRobotsUnreachable when u's host has no readable
// robots.txt in this run.
func (rc *robotsCache) check(ctx context.Context, u string) error { return rc.test(ctx, u, true) }

// checkInRedirect is check for a redirect target: the caller already holds
// a host slot, so robots.txt is fetched without taking another (which
// could deadlock with concurrency 1).
func (rc *robotsCache) checkInRedirect(ctx context.Context, u string) error {
	return rc.test(ctx, u, false)
}

func (rc *robotsCache) test(_ context.Context, u string, gated bool) error {
	pu, err := url.Parse(u)
	if err != nil {
		return err
	}
	key := pu.Scheme + "://" + pu.Host
	rc.mu.Lock()
	e, ok := rc.hosts[key]
	if !ok {
		e = &robotsEntry{}
		rc.hosts[key] = e
	}
	rc.mu.Unlock()
	// The run's context, not the caller's: the entry is shared by every
	// later check, so one attempt's deadline must not decide it.
	e.once.Do(func() { e.group, e.unreachable = rc.load(pu, gated) })
	if e.unreachable != nil {
		return fmt.Errorf("%s: %w", u, e.unreachable)
	}
	p := pu.EscapedPath()
	if pu.RawQuery != "" {
		p += "?" + pu.RawQuery
	}
	if !e.group.Test(p) {
		return fmt.Errorf("%s: %w", u, ErrRobots)
	}
	return nil
}

// load fetches and parses robots.txt as RFC 9309 §2.3.1 says: a 2xx is
// obeyed, a 4xx (or more than five redirects) allows everything, and a
// 5xx after the retries, a network error or a timeout disallows the whole
// host for the run, reported once. No copy from an earlier run is kept
// (the WARC has them, but not indexed by host): the host waits for the
// next night.
func (rc *robotsCache) load(pu *url.URL, gated bool) (*robotstxt.Group, *RobotsUnreachableError) {
	c := rc.c
	host := pu.Scheme + "://" + pu.Host
	ru := host + "/robots.txt"
	var (
		status    int
		body      []byte
		truncated bool
	)
	spec := attemptSpec{url: ru, timeout: c.site.Timeout, policy: bodyPolicy{Max: robotsMax, Truncate: true}, ungated: !gated}
	err := c.attempts(c.runCtx, spec, func(actx context.Context, f *fetchCtx) error {
		req, err := http.NewRequestWithContext(actx, http.MethodGet, ru, nil)
		if err != nil {
			return err
		}
		req.Header.Set("User-Agent", c.site.UserAgent)
		status = 0
		started := c.stamp()
		resp, err := c.robotsClient.Do(req)
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		body, err = io.ReadAll(resp.Body)
		status = resp.StatusCode
		truncated = f.wasTruncated()
		x := &exchange{URL: resp.Request.URL.String(), Method: http.MethodGet, ReqHeader: req.Header, Status: status,
			Proto: resp.Proto, RespHeader: resp.Header, Date: started, Truncated: truncation(err)}
		if err == nil {
			x.Body, x.BodyLen = bytes.NewReader(body), int64(len(body))
		}
		if truncated {
			x.Truncated = "length"
		}
		c.archive(x)
		if err != nil {
			return err
		}
		if status >= 500 || status == http.StatusTooManyRequests {
			// Unreachable, as RFC 9309 has it for a 5xx; a host that
			// says "too many requests" is not crawled either.
			return statusError(status, resp.Header, started)
		}
		return nil
	})
	var data *robotstxt.RobotsData
	switch {
	case err == nil:
		data, err = robotstxt.FromStatusAndBytes(status, body)
	case errors.Is(err, ErrTooLarge):
		// A decompression bomb: reported, and read as no robots.txt.
		c.failErr(Item{URL: ru}, status, fmt.Errorf("robots.txt: %w", err))
	case errors.Is(err, ErrRedirectRefused):
		// More than five redirects: RFC 9309 lets it count as unavailable.
	case c.runCtx.Err() != nil:
		// The run is stopping: nothing more is fetched, nothing reported.
		return nil, &RobotsUnreachableError{Host: host, Err: c.runCtx.Err()}
	case c.site.AllowUnreachableRobots:
		// robots_unreachable = "allow": read as none, below.
		c.log.Warn("robots.txt unreachable; the site allows it (robots_unreachable = \"allow\")", "url", ru, "status", status, "err", err)
	default:
		ue := &RobotsUnreachableError{Host: host, Status: status, Err: err}
		c.fail(Failure{URL: ru, Kind: FailRobotsUnreachable, Status: status, Err: ue.Error(), Cause: ue})
		c.log.Warn("robots.txt unreachable: host not crawled in this run", "url", ru, "status", status, "err", err)
		return nil, ue
	}
	if err != nil {
		// A bomb, too many redirects, an odd status or an unparseable
		// file: read as none (allow all), as RFC 9309 treats a 4xx.
		c.log.Warn("robots.txt unavailable", "url", ru, "status", status, "err", err)
		data, _ = robotstxt.FromStatusAndBytes(http.StatusNotFound, nil)
	}
	if truncated {
		c.failErr(Item{URL: ru}, status, fmt.Errorf("robots.txt over %d bytes; the first %d were used: %w", robotsMax, robotsMax, ErrTruncated))
	}
	g := data.FindGroup(c.site.UserAgent)
	if d := g.CrawlDelay; d > 0 {
		if d > maxCrawlDelay {
			c.log.Warn("robots.txt Crawl-delay capped", "host", pu.Host, "asked", d, "used", maxCrawlDelay)
			d = maxCrawlDelay
		}
		c.gate.setCrawlDelay(pu.Host, d)
	}
	return g, nil
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
