package crawl

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"yusuan"
)

// FailureKind classifies a failed fetch.
type FailureKind string

const (
	FailHTTP              FailureKind = "http-status"        // 4xx, or 5xx after retries
	FailTimeout           FailureKind = "timeout"            // no headers after retries, a body too slow, url_budget spent
	FailNetwork           FailureKind = "network"            // connection refused, DNS, TLS, reset
	FailNotPDF            FailureKind = "not-a-pdf"          // a .pdf URL that served something else
	FailTooLarge          FailureKind = "too-large"          // over max_file_size; body not kept
	FailBomb              FailureKind = "decompression-bomb" // Content-Encoding expanding past the limit; body not kept
	FailBadEncoding       FailureKind = "bad-encoding"       // a body that does not follow its Content-Encoding
	FailTruncated         FailureKind = "truncated"          // a page or robots.txt cut at its limit; the part kept is used
	FailRedirect          FailureKind = "redirect-refused"   // a redirect outside the site's allow rules; not retried
	FailRobots            FailureKind = "robots"             // forbidden by robots.txt; never requested
	FailRobotsUnreachable FailureKind = "robots-unreachable" // robots.txt 5xx or unreachable: the host waits for the next run; once per host
	FailInterrupted       FailureKind = "interrupted"        // the process died twice while fetching it
	FailAPI               FailureKind = "api"                // an API answer that is not JSON or lacks a configured field
	FailSink              FailureKind = "sink"               // the file could not be handed on
	FailArchive           FailureKind = "archive"            // the WARC record could not be written
	FailOther             FailureKind = "other"
)

// Failure is one URL that could not be fetched or handed on.
type Failure struct {
	Site   string      `json:"site"`
	URL    string      `json:"url"`
	Kind   FailureKind `json:"kind"`
	Status int         `json:"status,omitempty"` // HTTP status when there was one
	Err    string      `json:"error"`
	// Cause is the error itself, for errors.Is / errors.As.
	Cause error `json:"-"`
}

// Notice is something a run did on purpose that an operator should know:
// a max_pages or max_files cap that left links for a later run.
type Notice struct {
	Site    string `json:"site"`
	Kind    string `json:"kind"` // "max_pages", "max_files"
	Message string `json:"message"`
	Dropped int    `json:"dropped"` // links not scheduled
}

// Revision is a URL that served new bytes: a new version beside the old,
// from which the lead makes a document.revised finding.
type Revision struct {
	Site      string `json:"site"`
	URL       string `json:"url"`
	OldSHA256 string `json:"old_sha256"`
	NewSHA256 string `json:"new_sha256"`
	Version   int    `json:"version"`
	LinkText  string `json:"link_text,omitempty"`
	PageTitle string `json:"page_title,omitempty"`
}

// Report summarises a harvest.
type Report struct {
	Started        time.Time `json:"started"`
	Finished       time.Time `json:"finished"`
	Sites          []string  `json:"sites"`
	Resumed        []string  `json:"resumed,omitempty"` // sites whose killed run was resumed
	PagesFetched   int       `json:"pages_fetched"`
	PagesUnchanged int       `json:"pages_unchanged"` // body equals the last fetch (revisit record)
	FilesNew       int       `json:"files_new"`       // first body seen at a URL
	FilesUnchanged int       `json:"files_unchanged"` // 304, or the same bytes again
	FilesRevised   int       `json:"files_revised"`   // a URL with new bytes
	// FilesDuplicate are bodies already archived under another URL (a
	// mirror, a copy): recorded as WARC revisits, handed on as sightings.
	FilesDuplicate int `json:"files_duplicate"`
	// FilesAliased are links resolved, without a download, to a file
	// fetched in this run through another link (a redirect to it).
	FilesAliased int `json:"files_aliased"`
	// Bytes counts response bytes read from the network.
	Bytes       int64               `json:"bytes"`
	Notices     []Notice            `json:"notices,omitempty"`
	Failures    map[FailureKind]int `json:"failures"`
	FailureList []Failure           `json:"failure_list,omitempty"`
	Revisions   []Revision          `json:"revisions,omitempty"`
	WARCFiles   []string            `json:"warc_files,omitempty"`
	// SiteErrors are sites that could not be crawled at all (e.g. every
	// start URL failed).
	SiteErrors map[string]string `json:"site_errors,omitempty"`
}

func newReport(now time.Time) *Report {
	return &Report{Started: now, Failures: map[FailureKind]int{}, SiteErrors: map[string]string{}}
}

// Exit codes for a scheduler.
const (
	ExitOK      = 0 // everything fetched (robots-forbidden links are not failures)
	ExitPartial = 1 // the harvest ran, but some URLs or sites failed, or it was interrupted
	ExitNothing = 2 // nothing could be done: bad config, no site reachable, store or archive unusable
	ExitLocked  = 3 // another harvest holds the lock; nothing was done
)

// ErrLocked is returned by Harvest when another run holds the lock.
var ErrLocked = errors.New("another harvest holds the lock")

// ExitCode maps Harvest's result to the documented exit codes.
func ExitCode(r *Report, err error) int {
	switch {
	case errors.Is(err, ErrLocked):
		return ExitLocked
	case r != nil && (errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)):
		// Interrupted: what was done is kept and the rest resumes next time.
		return ExitPartial
	case err != nil:
		return ExitNothing
	case r == nil:
		return ExitNothing
	}
	if len(r.Sites) > 0 && len(r.SiteErrors) == len(r.Sites) {
		return ExitNothing
	}
	if len(r.SiteErrors) > 0 {
		return ExitPartial
	}
	for k, n := range r.Failures {
		if k != FailRobots && n > 0 {
			return ExitPartial
		}
	}
	return ExitOK
}

// String renders the report for people (a few lines).
func (r *Report) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "crawl: %d sites, %d pages (%d unchanged), files: %d new, %d unchanged, %d revised, %d duplicate, %d aliased; %d bytes",
		len(r.Sites), r.PagesFetched, r.PagesUnchanged, r.FilesNew, r.FilesUnchanged, r.FilesRevised, r.FilesDuplicate, r.FilesAliased, r.Bytes)
	if len(r.Resumed) > 0 {
		fmt.Fprintf(&b, "; resumed %s", strings.Join(r.Resumed, ", "))
	}
	b.WriteString("\n")
	if len(r.Failures) > 0 {
		kinds := make([]string, 0, len(r.Failures))
		for k := range r.Failures {
			kinds = append(kinds, string(k))
		}
		sort.Strings(kinds)
		b.WriteString("failures:")
		for _, k := range kinds {
			fmt.Fprintf(&b, " %s=%d", k, r.Failures[FailureKind(k)])
		}
		b.WriteString("\n")
	}
	for _, n := range r.Notices {
		fmt.Fprintf(&b, "notice: site %s: %s\n", n.Site, n.Message)
	}
	for _, rv := range r.Revisions {
		fmt.Fprintf(&b, "revised: %s (v%d, %.12s → %.12s)\n", rv.URL, rv.Version, rv.OldSHA256, rv.NewSHA256)
	}
	for s, e := range r.SiteErrors {
		fmt.Fprintf(&b, "site %s: %s\n", s, e)
	}
	return b.String()
}

// RevisedFindings turns the report's revisions into document.revised
// findings (docs/checks.md) naming both versions. Which figures changed is
// for the check over the extracted documents; entity and year are left for
// the caller to fill from the store.
func (r *Report) RevisedFindings() []yusuan.Finding {
	var out []yusuan.Finding
	for _, rv := range r.Revisions {
		file := urlFileName(rv.URL)
		out = append(out, yusuan.Finding{
			Rule:      "document.revised",
			Severity:  yusuan.SeverityInfo,
			Documents: []yusuan.DocRef{{SHA256: rv.OldSHA256, File: file}, {SHA256: rv.NewSHA256, File: file}},
			Tables:    []string{},
			Message:   fmt.Sprintf("%s 以不同内容重新发布（第%d版）: %s", file, rv.Version, rv.URL),
			Expected:  rv.OldSHA256,
			Actual:    rv.NewSHA256,
		})
	}
	return out
}
