package ingest_test

import (
	"context"
	"path/filepath"
	"sync"
	"testing"

	"yusuan/ingest"
	"yusuan/ingest/fakepdf"
	"yusuan/progress"
)

// Every file finished is one progress event, counted against the total.
func TestProgressEventPerFile(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "in")
	corpus(t, in, 5)
	st := openStore(t, dir)
	var (
		mu     sync.Mutex
		events []progress.Event
	)
	fn := func(e progress.Event) { mu.Lock(); events = append(events, e); mu.Unlock() }
	sum, err := ingest.Run(context.Background(), ingest.Options{Store: st, Extractor: fakepdf.Extractor{}, Paths: []string{in}, Workers: 2, Progress: fn})
	if err != nil {
		t.Fatal(err)
	}
	// One at the start, one per file.
	if len(events) != sum.Files+1 {
		t.Fatalf("%d events for %d files", len(events), sum.Files)
	}
	first, last := events[0], events[len(events)-1]
	if first.Stage != "ingest" || first.Done != 0 || first.Total != sum.Files {
		t.Errorf("first event %+v", first)
	}
	if last.Done != sum.Files || last.Total != sum.Files || last.Failed != sum.Failed || last.Bytes == 0 || last.Current == "" {
		t.Errorf("last event %+v for %+v", last, sum)
	}
	for i := 1; i < len(events); i++ {
		if events[i].Done != i {
			t.Fatalf("event %d: done %d", i, events[i].Done)
		}
	}
}
