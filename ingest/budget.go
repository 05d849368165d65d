package ingest

import (
	"context"
	"sync"
)

// Budget is memory shared by the workers of a run: each extraction
// reserves what it may use before it starts and gives it back after, so
// that several large files never run side by side past the total. Waiters
// are served in order, so a large reservation is not starved by small ones.
type Budget struct {
	mu      sync.Mutex
	total   int64
	used    int64
	waiters []*waiter
}

type waiter struct {
	n     int64
	ready chan struct{}
}

// NewBudget returns a budget of total bytes.
func NewBudget(total int64) *Budget { return &Budget{total: total} }

// Total is the budget's size.
func (b *Budget) Total() int64 { return b.total }

// Acquire reserves n bytes (at most the total, so that any file can run,
// alone if need be), waiting until they are free or ctx ends. It returns
// the amount reserved, to be given back with Release.
func (b *Budget) Acquire(ctx context.Context, n int64) (int64, error) {
	n = min(max(n, 1), b.total)
	b.mu.Lock()
	if len(b.waiters) == 0 && b.used+n <= b.total {
		b.used += n
		b.mu.Unlock()
		return n, nil
	}
	w := &waiter{n: n, ready: make(chan struct{})}
	b.waiters = append(b.waiters, w)
	b.mu.Unlock()
	select {
	case <-w.ready:
		return n, nil
	case <-ctx.Done():
		b.mu.Lock()
		defer b.mu.Unlock()
		select {
		case <-w.ready: // granted meanwhile: give it back
			b.used -= n
			b.grant()
		default:
			for i, x := range b.waiters {
				if x == w {
					b.waiters = append(b.waiters[:i], b.waiters[i+1:]...)
					break
				}
			}
			b.grant() // the next in line may fit now
		}
		return 0, ctx.Err()
	}
}

// Release gives back n bytes from Acquire.
func (b *Budget) Release(n int64) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.used -= n
	b.grant()
}

// grant wakes waiters in order while the first one fits.
func (b *Budget) grant() {
	for len(b.waiters) > 0 && b.used+b.waiters[0].n <= b.total {
		w := b.waiters[0]
		b.waiters = b.waiters[1:]
		b.used += w.n
		close(w.ready)
	}
}
