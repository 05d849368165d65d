package ingest

import (
	"context"
	"errors"
	"runtime"
	"testing"
	"time"
)

// waiting is the number of reservations waiting.
func waiting(b *Budget) int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return len(b.waiters)
}

// waitFor yields until cond holds (it becomes true when another goroutine
// has reached a point), failing after 10 s.
func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition never held")
		}
		runtime.Gosched()
	}
}

func TestBudget(t *testing.T) {
	b := NewBudget(100)
	ctx := context.Background()
	if n, err := b.Acquire(ctx, 500); err != nil || n != 100 {
		t.Fatalf("a reservation over the total is clamped to it: %d %v", n, err)
	}
	b.Release(100)
	a, _ := b.Acquire(ctx, 60)
	// A large waiter is served before a small one that came after it.
	order := make(chan string, 2)
	go func() {
		n, _ := b.Acquire(ctx, 70)
		order <- "large"
		b.Release(n)
	}()
	waitFor(t, func() bool { return waiting(b) == 1 })
	go func() {
		n, _ := b.Acquire(ctx, 40) // fits beside 60, not beside 70
		order <- "small"
		b.Release(n)
	}()
	waitFor(t, func() bool { return waiting(b) == 2 })
	b.Release(a)
	if first := <-order; first != "large" {
		t.Errorf("%s served first", first)
	}
	<-order
	// A cancelled wait gives nothing and leaves nothing behind.
	a, _ = b.Acquire(ctx, 100)
	cctx, cancel := context.WithCancel(ctx)
	errc := make(chan error, 1)
	go func() {
		_, err := b.Acquire(cctx, 50)
		errc <- err
	}()
	waitFor(t, func() bool { return waiting(b) == 1 })
	cancel()
	if err := <-errc; !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled wait: %v", err)
	}
	b.Release(a)
	if n, err := b.Acquire(ctx, 100); err != nil || n != 100 {
		t.Errorf("after a cancelled wait: %d %v", n, err)
	}
}
