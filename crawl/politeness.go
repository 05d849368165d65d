package crawl

import (
	"context"
	"sync"
	"time"
)

// hostGate enforces per-host politeness: at most conc requests in flight
// to one host, and request starts on one host at least delay apart (the
// larger of the site's delay and robots.txt's Crawl-delay). colly's
// LimitRule cannot do this: its Parallelism is one pool across all hosts.
type hostGate struct {
	conc  int
	delay time.Duration

	mu    sync.Mutex
	hosts map[string]*hostSlot
}

type hostSlot struct {
	sem chan struct{}

	mu         sync.Mutex
	next       time.Time
	crawlDelay time.Duration
}

func newHostGate(conc int, delay time.Duration) *hostGate {
	if conc < 1 {
		conc = 1
	}
	return &hostGate{conc: conc, delay: delay, hosts: map[string]*hostSlot{}}
}

func (g *hostGate) slot(host string) *hostSlot {
	g.mu.Lock()
	defer g.mu.Unlock()
	s, ok := g.hosts[host]
	if !ok {
		s = &hostSlot{sem: make(chan struct{}, g.conc)}
		g.hosts[host] = s
	}
	return s
}

// setCrawlDelay records robots.txt's Crawl-delay for host.
func (g *hostGate) setCrawlDelay(host string, d time.Duration) {
	s := g.slot(host)
	s.mu.Lock()
	s.crawlDelay = d
	s.mu.Unlock()
}

// holdUntil keeps every request to host from starting before t: the host
// said it is overloaded (429 or 503 with Retry-After).
func (g *hostGate) holdUntil(host string, t time.Time) {
	s := g.slot(host)
	s.mu.Lock()
	if t.After(s.next) {
		s.next = t
	}
	s.mu.Unlock()
}

// acquire waits for a slot on host and for the host's delay; the caller
// must call release when the response body has been read.
func (g *hostGate) acquire(ctx context.Context, host string) (release func(), err error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s := g.slot(host)
	select {
	case s.sem <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	s.mu.Lock()
	d := max(g.delay, s.crawlDelay)
	now := time.Now()
	start := now
	if s.next.After(now) {
		start = s.next
	}
	s.next = start.Add(d)
	s.mu.Unlock()
	if wait := time.Until(start); wait > 0 {
		t := time.NewTimer(wait)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			<-s.sem
			return nil, ctx.Err()
		}
	}
	var once sync.Once
	return func() { once.Do(func() { <-s.sem }) }, nil
}
