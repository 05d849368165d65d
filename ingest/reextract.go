package ingest

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime"
	"sync"
	"time"

	"yusuan/progress"
	"yusuan/store"
)

// ReextractOptions configure Reextract.
type ReextractOptions struct {
	Workers  int           // default runtime.NumCPU()
	Progress progress.Func // as in Options
	Logger   *slog.Logger
	// Filter narrows the documents considered (year, entity...); its
	// NotExtractor field is set to the extractor's version.
	Filter      store.Filter
	FileTimeout time.Duration
	// MemoryBudget and FileMemory as in Options.
	MemoryBudget int64
	FileMemory   int64
}

// ReextractSummary counts what Reextract did.
type ReextractSummary struct {
	Considered int // documents whose stored extractor version differed
	Updated    int // re-extracted and now without error
	Failed     int // re-extracted, still (or now) failing
	Missing    int // bytes missing from the archive or damaged there
	Elapsed    time.Duration
}

func (s ReextractSummary) String() string {
	return fmt.Sprintf("%d documents: %d re-extracted, %d failed, %d missing from the archive (%.1fs)",
		s.Considered, s.Updated, s.Failed, s.Missing, s.Elapsed.Seconds())
}

// Reextract runs ex over the archived bytes of every stored document whose
// extractor version differs from ex.Version(), replacing what was stored
// (sources and ingest times stay). It needs no original files.
func Reextract(ctx context.Context, st *store.Store, ex Extractor, opt ReextractOptions) (ReextractSummary, error) {
	start := time.Now()
	f := opt.Filter
	f.NotExtractor = ex.Version()
	docs, err := st.Documents(ctx, f)
	if err != nil {
		return ReextractSummary{}, err
	}
	workers := opt.Workers
	if workers <= 0 {
		workers = runtime.NumCPU()
	}
	pr := newProgress(opt.Progress, opt.Logger, "reextract", len(docs))
	p := &Pipeline{Store: st, Extractor: ex, FileTimeout: opt.FileTimeout,
		Memory: newBudget(opt.MemoryBudget, workers, opt.FileMemory), FileMemory: opt.FileMemory}
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	var (
		mu  sync.Mutex
		sum = ReextractSummary{Considered: len(docs)}
		wg  sync.WaitGroup
	)
	jobs := make(chan store.DocInfo)
	for range workers {
		wg.Go(func() {
			for di := range jobs {
				data, err := st.Archive().ReadAll(di.SHA256)
				if err != nil {
					mu.Lock()
					if errors.Is(err, store.ErrNotArchived) || errors.Is(err, store.ErrCorrupt) {
						sum.Missing++
						pr.fail(di.File, err.Error())
					} else {
						cancel(err)
					}
					mu.Unlock()
					continue
				}
				doc := p.extract(ctx, data, di.SHA256, di.File)
				if ctx.Err() != nil {
					continue
				}
				if err := st.ReplaceDocument(ctx, doc); err != nil {
					cancel(err)
					continue
				}
				mu.Lock()
				res := Result{SHA256: di.SHA256, Size: di.Size, File: di.File, Outcome: New, Doc: doc}
				if doc.Error != "" {
					res.Outcome = Failed
					sum.Failed++
					pr.fail(di.File, doc.Error)
				} else {
					sum.Updated++
				}
				pr.done(di.File, res)
				pr.update(Summary{New: sum.Updated, Failed: sum.Failed, Unreadable: sum.Missing})
				mu.Unlock()
			}
		})
	}
feed:
	for _, di := range docs {
		select {
		case jobs <- di:
		case <-ctx.Done():
			break feed
		}
	}
	close(jobs)
	wg.Wait()
	sum.Elapsed = time.Since(start)
	pr.finish(Summary{Files: sum.Considered, New: sum.Updated, Failed: sum.Failed, Unreadable: sum.Missing, Elapsed: sum.Elapsed})
	return sum, context.Cause(ctx)
}
