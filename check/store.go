package check

import (
	"context"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"yusuan"
	"yusuan/store"
)

// StoreResult is what a check run over the store did.
type StoreResult struct {
	RunID     int64
	Documents int              // documents checked
	Skipped   int              // stored documents that could not be read
	Findings  []yusuan.Finding // those matching the filter, as saved
}

// RunStore checks the documents of the store, saves the findings that match
// f as one check run, and returns them. Documents are streamed through a Run
// (only digests stay in memory). With f.Year set, the documents of that year
// and the year before (for year.previous) are read; otherwise all.
func RunStore(ctx context.Context, st *store.Store, opt Options, f Filter) (StoreResult, error) {
	started := time.Now()
	var res StoreResult
	load := func(sha string) (*yusuan.Document, error) { return st.Document(ctx, sha) }
	run := NewRun(opt, load)
	years := []int{0}
	if f.Year != 0 {
		years = []int{f.Year - 1, f.Year}
	}
	var firstErr error
	for _, y := range years {
		for d, err := range st.AllDocuments(ctx, store.Filter{Year: y}) {
			if err != nil {
				// One unreadable record must not stop the check of the others.
				slog.Warn("check: skipping a stored document", "err", err)
				res.Skipped++
				if firstErr == nil {
					firstErr = err
				}
				continue
			}
			if err := ctx.Err(); err != nil {
				run.Finish()
				return res, fmt.Errorf("check: %w", err)
			}
			run.Add(d)
			res.Documents++
		}
	}
	all := run.Finish()
	if res.Documents == 0 && firstErr != nil {
		return res, fmt.Errorf("check: read documents: %w", firstErr)
	}
	res.Findings = f.Apply(all)
	note := filterNote(f)
	id, err := st.SaveFindings(ctx, store.CheckRun{Started: started, Finished: time.Now(), Rules: opt.Rules, Note: note},
		res.Findings)
	if err != nil {
		return res, fmt.Errorf("check: %w", err)
	}
	res.RunID = id
	slog.Info("check: run saved", "run", id, "documents", res.Documents, "findings", len(res.Findings),
		"seconds", time.Since(started).Seconds())
	return res, nil
}

// filterNote records in the run what was asked.
func filterNote(f Filter) string {
	var parts []string
	if f.Year != 0 {
		parts = append(parts, "year="+strconv.Itoa(f.Year))
	}
	if len(f.Rules) > 0 {
		parts = append(parts, "rule="+strings.Join(f.Rules, ","))
	}
	if f.Entity != "" {
		parts = append(parts, "entity="+f.Entity)
	}
	if f.MinSeverity != "" {
		parts = append(parts, "severity>="+string(f.MinSeverity))
	}
	return strings.Join(parts, " ")
}
