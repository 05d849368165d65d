package crawl

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"yusuan/fixtures/portal"
)

func TestHostGateLimitsPerHost(t *testing.T) {
	g := newHostGate(2, 0)
	var cur, peak [2]atomic.Int32
	var wg sync.WaitGroup
	for i := range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			h := i % 2
			release, err := g.acquire(context.Background(), []string{"a", "b"}[h])
			if err != nil {
				t.Error(err)
				return
			}
			n := cur[h].Add(1)
			for {
				p := peak[h].Load()
				if n <= p || peak[h].CompareAndSwap(p, n) {
					break
				}
			}
			time.Sleep(2 * time.Millisecond)
			cur[h].Add(-1)
			release()
		}()
	}
	wg.Wait()
	for h := range 2 {
		if p := peak[h].Load(); p != 2 {
			t.Errorf("host %d: peak %d in flight, want 2", h, p)
		}
	}
}

// Request starts on one host are at least the larger of the site delay and
// Crawl-delay apart (a lower bound, so not flaky).
func TestHostGateDelay(t *testing.T) {
	g := newHostGate(4, 5*time.Millisecond)
	g.setCrawlDelay("a", 20*time.Millisecond)
	var mu sync.Mutex
	var starts []time.Time
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			release, _ := g.acquire(context.Background(), "a")
			mu.Lock()
			starts = append(starts, time.Now())
			mu.Unlock()
			release()
		}()
	}
	wg.Wait()
	first, last := starts[0], starts[0]
	for _, s := range starts {
		if s.Before(first) {
			first = s
		}
		if s.After(last) {
			last = s
		}
	}
	if gap := last.Sub(first); gap < 60*time.Millisecond {
		t.Errorf("4 starts within %v; Crawl-delay 20ms wants ≥ 60ms", gap)
	}
	// Cancelled while waiting: the slot is given back.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := g.acquire(ctx, "b"); err == nil {
		t.Error("acquire with a cancelled context succeeded")
	}
}

func TestRobotsCrawlDelayApplied(t *testing.T) {
	p := startPortal(t, portal.Options{ListPages: 1, CrawlDelay: 1500 * time.Millisecond})
	cfg := mustConfig(t, siteTOML(p.URL(), ""))
	c := newCrawler(context.Background(), cfg.Sites[0], NewMemFrontier(), nil, nil, t.TempDir(), testLogger(), newReport(time.Now()), time.Now, nil)
	if err := c.robots.check(context.Background(), p.URL()+"/private/x.html"); !errors.Is(err, ErrRobots) {
		t.Errorf("robots.txt Disallow ignored: %v", err)
	}
	if err := c.robots.check(context.Background(), p.URL()+"/index.html"); err != nil {
		t.Errorf("allowed path refused: %v", err)
	}
	s := c.gate.slot(p.URL()[len("http://"):])
	if s.crawlDelay != 1500*time.Millisecond {
		t.Errorf("Crawl-delay %v, want 1.5s", s.crawlDelay)
	}
}
