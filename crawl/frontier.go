package crawl

import (
	"context"
	"fmt"
	"sort"
	"sync"
	"time"
)

// Kind says how a URL is fetched: pages through colly, files by the
// streaming downloader.
type Kind string

const (
	KindPage Kind = "page"
	KindFile Kind = "file"
)

// State is where a URL stands in the current run.
type State string

const (
	StatePending State = "pending"
	StateDone    State = "done"
	StateFailed  State = "failed"
)

// Item is one URL scheduled in a run.
type Item struct {
	Seq       int64 // ordering key; Next returns items with Seq above a cursor
	Site      string
	URL       string
	Kind      Kind
	Depth     int
	Referrer  string
	LinkText  string
	PageTitle string // title of the referring page
}

// Result is the outcome of fetching one URL.
type Result struct {
	State State
	// Kind, when set, corrects the URL's kind: a link that looked like a
	// page and served a file is fetched as a file from then on.
	Kind         Kind
	HTTPStatus   int
	Failure      FailureKind // empty unless State is failed
	Err          string
	ETag         string // validators of FinalURL's body
	LastModified string
	// FinalURL is where the body came from after redirects ("" when
	// the URL itself served it).
	FinalURL string
	SHA256   string // of the body; kept from before on a 304
	SHA1     string // base32, as in WARC-Payload-Digest
	Size     int64
	// PayloadDate is the WARC-Date of the response record that holds the
	// body (an earlier one when this fetch was a revisit).
	PayloadDate time.Time
	Fetched     time.Time
}

// Record is what the frontier knows about a URL from earlier fetches.
type Record struct {
	Site         string
	URL          string
	Kind         Kind
	State        State
	Run          int64
	HTTPStatus   int
	Failure      FailureKind
	ETag         string
	LastModified string
	FinalURL     string
	SHA256       string
	SHA1         string
	Size         int64
	PayloadDate  time.Time
	Fetched      time.Time
	LinkText     string
	PageTitle    string
	Referrer     string
	// Starts counts fetches of the URL begun in its run (see Begin).
	Starts int
}

// bodyURL is where the record's last good body came from.
func (r Record) bodyURL() string {
	if r.FinalURL != "" {
		return r.FinalURL
	}
	return r.URL
}

// Version is one distinct body seen at a URL.
type Version struct {
	URL     string
	SHA256  string
	SHA1    string // base32; "" for versions recorded before it was kept
	Version int    // 1 for the first body seen at the URL
	// Seen is the WARC-Date of the record that archived this body at URL.
	Seen time.Time
}

// Run identifies one crawl of one site. A run that was not finished (the
// process was killed) is resumed by the next StartRun.
type Run struct {
	ID      int64
	Site    string
	Resumed bool
	Started time.Time
}

// Frontier is the crawl's durable URL table and fetch log. Implementations
// must be safe for concurrent use.
type Frontier interface {
	// StartRun resumes the site's unfinished run, or begins a new one.
	StartRun(ctx context.Context, site string, now time.Time) (Run, error)
	// FinishRun marks the run complete; the next StartRun begins afresh.
	FinishRun(ctx context.Context, run Run, now time.Time) error
	// Enqueue schedules items in run. A URL already scheduled in this run
	// (pending, done or failed) is left alone, so each URL is fetched at
	// most once per run; a URL last seen in an earlier run becomes pending
	// again. It returns how many items became pending.
	Enqueue(ctx context.Context, run Run, items []Item) (int, error)
	// Next returns up to n pending items of run with Seq > after, by Seq.
	Next(ctx context.Context, run Run, after int64, n int) ([]Item, error)
	// Begin records that a fetch of url starts in run and returns how
	// many fetches of it began in this run, this one included: a URL
	// whose fetches keep killing the process is not tried forever.
	Begin(ctx context.Context, run Run, url string) (starts int, err error)
	// Scheduled counts the pages and files scheduled in run.
	Scheduled(ctx context.Context, run Run) (pages, files int, err error)
	// Finish records the outcome of a fetch (done or failed) in run.
	Finish(ctx context.Context, run Run, url string, r Result) error
	// Lookup returns what is known about url (validators and sha256 of
	// the last successful fetch).
	Lookup(ctx context.Context, url string) (Record, bool, error)
	// AddVersion records that url served a body with sha256 (and sha1),
	// archived at seen. It is idempotent: a body already recorded for url
	// returns its version with isNew false. prev is the sha256 of the
	// latest version before this one.
	AddVersion(ctx context.Context, url, sha256, sha1 string, seen time.Time) (v Version, prev string, isNew bool, err error)
	// FindDigest returns the earliest version with this sha256 at any URL:
	// the record a revisit of these bytes refers to.
	FindDigest(ctx context.Context, sha256 string) (Version, bool, error)
	// Versions lists the bodies seen at url, oldest first.
	Versions(ctx context.Context, url string) ([]Version, error)
	// Files lists the known file URLs of site ("" for all sites).
	Files(ctx context.Context, site string) ([]Record, error)
}

// MemFrontier is an in-memory Frontier for tests; it does not survive a
// restart.
type MemFrontier struct {
	mu       sync.Mutex
	seq      int64
	runID    int64
	runs     map[string]*Run // unfinished run per site
	urls     map[string]*memEntry
	versions map[string][]Version
}

type memEntry struct {
	item Item
	rec  Record
}

// NewMemFrontier returns an empty in-memory frontier.
func NewMemFrontier() *MemFrontier {
	return &MemFrontier{runs: map[string]*Run{}, urls: map[string]*memEntry{}, versions: map[string][]Version{}}
}

func (m *MemFrontier) StartRun(_ context.Context, site string, now time.Time) (Run, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if r, ok := m.runs[site]; ok {
		rr := *r
		rr.Resumed = true
		return rr, nil
	}
	m.runID++
	r := &Run{ID: m.runID, Site: site, Started: now}
	m.runs[site] = r
	return *r, nil
}

func (m *MemFrontier) FinishRun(_ context.Context, run Run, _ time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if r, ok := m.runs[run.Site]; ok && r.ID == run.ID {
		delete(m.runs, run.Site)
	}
	return nil
}

func (m *MemFrontier) Enqueue(_ context.Context, run Run, items []Item) (int, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	added := 0
	for _, it := range items {
		e, ok := m.urls[it.URL]
		if ok && e.rec.Run == run.ID {
			continue
		}
		m.seq++
		it.Seq = m.seq
		it.Site = run.Site
		if !ok {
			e = &memEntry{}
			m.urls[it.URL] = e
		}
		if ok && e.rec.Kind == KindFile {
			it.Kind = KindFile // it served a file before
		}
		e.item = it
		e.rec.Site, e.rec.URL, e.rec.Kind = run.Site, it.URL, it.Kind
		e.rec.State, e.rec.Run, e.rec.Starts = StatePending, run.ID, 0
		e.rec.LinkText, e.rec.PageTitle, e.rec.Referrer = it.LinkText, it.PageTitle, it.Referrer
		added++
	}
	return added, nil
}

func (m *MemFrontier) Next(_ context.Context, run Run, after int64, n int) ([]Item, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []Item
	for _, e := range m.urls {
		if e.rec.Run == run.ID && e.rec.State == StatePending && e.item.Seq > after {
			out = append(out, e.item)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Seq < out[j].Seq })
	if len(out) > n {
		out = out[:n]
	}
	return out, nil
}

func (m *MemFrontier) Begin(_ context.Context, run Run, u string) (int, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	e, ok := m.urls[u]
	if !ok || e.rec.Run != run.ID {
		return 0, fmt.Errorf("begin %s: not scheduled in run %d", u, run.ID)
	}
	e.rec.Starts++
	return e.rec.Starts, nil
}

func (m *MemFrontier) Scheduled(_ context.Context, run Run) (pages, files int, err error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, e := range m.urls {
		if e.rec.Run == run.ID {
			if e.rec.Kind == KindFile {
				files++
			} else {
				pages++
			}
		}
	}
	return pages, files, nil
}

func (m *MemFrontier) Finish(_ context.Context, run Run, u string, r Result) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	e, ok := m.urls[u]
	if !ok || e.rec.Run != run.ID {
		return fmt.Errorf("finish %s: not scheduled in run %d", u, run.ID)
	}
	e.rec.State, e.rec.HTTPStatus, e.rec.Failure = r.State, r.HTTPStatus, r.Failure
	e.rec.Fetched = r.Fetched
	if r.Kind != "" {
		e.rec.Kind, e.item.Kind = r.Kind, r.Kind
	}
	if r.State == StateDone {
		// Validators and digest describe the last good body only.
		e.rec.ETag, e.rec.LastModified, e.rec.SHA256, e.rec.Size = r.ETag, r.LastModified, r.SHA256, r.Size
		e.rec.FinalURL, e.rec.SHA1, e.rec.PayloadDate = r.FinalURL, r.SHA1, r.PayloadDate
	}
	return nil
}

func (m *MemFrontier) Lookup(_ context.Context, u string) (Record, bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	e, ok := m.urls[u]
	if !ok {
		return Record{}, false, nil
	}
	return e.rec, true, nil
}

func (m *MemFrontier) AddVersion(_ context.Context, u, sha, sha1 string, seen time.Time) (Version, string, bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	vs := m.versions[u]
	for _, v := range vs {
		if v.SHA256 == sha {
			return v, "", false, nil
		}
	}
	prev := ""
	if len(vs) > 0 {
		prev = vs[len(vs)-1].SHA256
	}
	v := Version{URL: u, SHA256: sha, SHA1: sha1, Version: len(vs) + 1, Seen: seen}
	m.versions[u] = append(vs, v)
	return v, prev, true, nil
}

func (m *MemFrontier) FindDigest(_ context.Context, sha string) (Version, bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var best Version
	found := false
	for _, vs := range m.versions {
		for _, v := range vs {
			if v.SHA256 == sha && (!found || v.Seen.Before(best.Seen) || (v.Seen.Equal(best.Seen) && v.URL < best.URL)) {
				best, found = v, true
			}
		}
	}
	return best, found, nil
}

func (m *MemFrontier) Versions(_ context.Context, u string) ([]Version, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]Version(nil), m.versions[u]...), nil
}

func (m *MemFrontier) Files(_ context.Context, site string) ([]Record, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []Record
	for _, e := range m.urls {
		if e.rec.Kind == KindFile && (site == "" || e.rec.Site == site) {
			out = append(out, e.rec)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].URL < out[j].URL })
	return out, nil
}
