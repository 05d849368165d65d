package check

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"strconv"
	"strings"
	"time"

	"yusuan"
	"yusuan/store"
)

// StoreResult is what a check run over the store did.
type StoreResult struct {
	// Run is the saved run, with how many findings are new, changed and
	// gone since the state before it.
	Run       store.CheckRun
	Documents int // documents checked
	Skipped   int // stored documents that could not be read
	// Findings are those matching the filter, as saved, each with the
	// verdict that applies (false alarms included: see Hidden).
	Findings []yusuan.Finding
}

// RunStore checks the documents of the store and saves the findings that
// match f as one check run (store.SaveRun): what the run could not have
// reported — other rules, years or entities than f asks for, documents that
// could not be read — keeps its saved state. Documents are streamed through
// a Run (only digests stay in memory); copies of a document are checked
// once; entity names declared aliases are checked as their canonical name.
// With f.Year set, the documents of that year and the year before (for
// year.previous) are read; otherwise all. Findings on a superseded version
// of a document are left out (but document.revised's, which compare the
// versions): the current version's findings speak for it.
func RunStore(ctx context.Context, st *store.Store, opt Options, f Filter) (StoreResult, error) {
	started := time.Now()
	var res StoreResult
	if f.Entity != "" {
		f.Entity = st.CanonicalEntity(f.Entity)
	}
	superseded, err := st.Superseded(ctx)
	if err != nil {
		return res, fmt.Errorf("check: %w", err)
	}
	copies, err := st.Copies(ctx)
	if err != nil {
		return res, fmt.Errorf("check: %w", err)
	}
	load := func(sha string) (*yusuan.Document, error) {
		d, err := st.Document(ctx, sha)
		if d != nil {
			d.Meta.Entity = st.CanonicalEntity(d.Meta.Entity)
		}
		return d, err
	}
	run := NewRun(opt, load)
	years := []int{0}
	if f.Year != 0 {
		years = []int{f.Year - 1, f.Year}
	}
	extractors := map[string]bool{}
	read := map[string]bool{}
	var firstErr error
	for _, y := range years {
		for d, err := range st.AllDocuments(ctx, store.Filter{Year: y, SkipCopies: true}) {
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
			d.Meta.Entity = st.CanonicalEntity(d.Meta.Entity)
			if d.Extractor != "" {
				extractors[d.Extractor] = true
			}
			read[d.SHA256] = true
			run.Add(d)
			res.Documents++
		}
	}
	all := run.Finish()
	if res.Documents == 0 && firstErr != nil {
		return res, fmt.Errorf("check: read documents: %w", firstErr)
	}
	// Severity only narrows what is shown: every finding in scope is saved,
	// so that a finding whose severity drops is not taken for gone.
	scope := f
	scope.MinSeverity = ""
	var save []yusuan.Finding
	for _, x := range all {
		// Multi-document rules set the documents after naming the
		// finding: name it again from what it reports.
		x.Stamp()
		if scope.Match(x) && !onSuperseded(x, superseded) {
			save = append(save, x)
		}
	}
	rules := f.Rules
	if len(rules) == 0 {
		rules = opt.Rules
	}
	exts := make([]string, 0, len(extractors))
	for e := range extractors {
		exts = append(exts, e)
	}
	slices.Sort(exts)
	res.Run, res.Findings, err = st.SaveRun(ctx, store.CheckRun{Started: started, Finished: time.Now(), Rules: opt.Rules,
		Note: filterNote(f), RulesVersion: RulesVersion, Extractors: exts, Documents: res.Documents}, save,
		// A saved finding is this run's to close only if the run read all
		// its documents (a copy through the document it copies), ran its
		// rule and would have reported it.
		store.Scope{Rules: rules, Year: f.Year, Match: func(x *yusuan.Finding) bool {
			return scope.Match(*x) && (Options{Rules: opt.Rules}).wants(x.Rule) &&
				!slices.ContainsFunc(x.Documents, func(d yusuan.DocRef) bool { return !read[d.SHA256] && !read[copies[d.SHA256]] })
		}})
	if err != nil {
		return res, fmt.Errorf("check: %w", err)
	}
	if f.MinSeverity != "" {
		res.Findings = Filter{MinSeverity: f.MinSeverity}.Apply(res.Findings)
	}
	slog.Info("check: run saved", "run", res.Run.ID, "documents", res.Documents, "findings", res.Run.Findings,
		"new", res.Run.New, "changed", res.Run.Changed, "gone", res.Run.Gone, "seconds", time.Since(started).Seconds())
	return res, nil
}

// versionRules are the rules about the versions of a document themselves.
var versionRules = []string{"document.revised"}

// onSuperseded: the finding involves a document that has a later version
// (the later version's own findings speak for it), and is not about the
// versions.
func onSuperseded(f yusuan.Finding, superseded map[string]string) bool {
	if slices.Contains(versionRules, f.Rule) {
		return false
	}
	return slices.ContainsFunc(f.Documents, func(d yusuan.DocRef) bool {
		_, old := superseded[d.SHA256]
		return old
	})
}

// Hidden reports whether a finding is a false alarm by a verdict that
// still holds: reports and `check --json` leave those out unless asked.
func Hidden(f yusuan.Finding) bool {
	return f.Verdict != nil && f.Verdict.Verdict == yusuan.VerdictFalseAlarm && !f.Verdict.Stale
}

// Visible drops the hidden findings.
func Visible(fs []yusuan.Finding) []yusuan.Finding {
	var out []yusuan.Finding
	for _, f := range fs {
		if !Hidden(f) {
			out = append(out, f)
		}
	}
	return out
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
