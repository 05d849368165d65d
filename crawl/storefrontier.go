package crawl

import (
	"context"
	"time"

	"yusuan/store"
)

// StoreFrontier keeps the frontier and fetch log in the SQLite store
// (tables crawl_runs, crawl_urls, crawl_versions, crawl_log), so a killed
// crawl resumes and the next night's crawl has the validators.
type StoreFrontier struct{ s *store.Store }

// NewStoreFrontier returns a Frontier backed by s.
func NewStoreFrontier(s *store.Store) *StoreFrontier { return &StoreFrontier{s: s} }

var _ Frontier = (*StoreFrontier)(nil)

func (f *StoreFrontier) StartRun(ctx context.Context, site string, now time.Time) (Run, error) {
	r, err := f.s.CrawlStartRun(ctx, site, now)
	return Run{ID: r.ID, Site: r.Site, Resumed: r.Resumed, Started: r.Started}, err
}

func (f *StoreFrontier) FinishRun(ctx context.Context, run Run, now time.Time) error {
	return f.s.CrawlFinishRun(ctx, run.ID, now)
}

func (f *StoreFrontier) Enqueue(ctx context.Context, run Run, items []Item) (int, error) {
	in := make([]store.CrawlItem, len(items))
	for i, it := range items {
		in[i] = store.CrawlItem{URL: it.URL, Kind: string(it.Kind), Depth: it.Depth, Referrer: it.Referrer,
			LinkText: it.LinkText, PageTitle: it.PageTitle}
	}
	return f.s.CrawlEnqueue(ctx, run.ID, run.Site, in)
}

func (f *StoreFrontier) Next(ctx context.Context, run Run, after int64, n int) ([]Item, error) {
	got, err := f.s.CrawlNext(ctx, run.ID, after, n)
	if err != nil {
		return nil, err
	}
	out := make([]Item, len(got))
	for i, it := range got {
		out[i] = Item{Seq: it.Seq, Site: it.Site, URL: it.URL, Kind: Kind(it.Kind), Depth: it.Depth,
			Referrer: it.Referrer, LinkText: it.LinkText, PageTitle: it.PageTitle}
	}
	return out, nil
}

func (f *StoreFrontier) Begin(ctx context.Context, run Run, url string) (int, error) {
	return f.s.CrawlBegin(ctx, run.ID, url)
}

func (f *StoreFrontier) Scheduled(ctx context.Context, run Run) (pages, files int, err error) {
	return f.s.CrawlScheduled(ctx, run.ID)
}

func (f *StoreFrontier) Finish(ctx context.Context, run Run, url string, r Result) error {
	return f.s.CrawlFinish(ctx, run.ID, url, store.CrawlResult{State: string(r.State), Kind: string(r.Kind),
		HTTPStatus: r.HTTPStatus, Failure: string(r.Failure), Err: r.Err, ETag: r.ETag, LastModified: r.LastModified,
		FinalURL: r.FinalURL, SHA256: r.SHA256, SHA1: r.SHA1, Size: r.Size, PayloadDate: r.PayloadDate, Fetched: r.Fetched})
}

func fromStoreRecord(r store.CrawlRecord) Record {
	return Record{Site: r.Site, URL: r.URL, Kind: Kind(r.Kind), State: State(r.State), Run: r.Run, HTTPStatus: r.HTTPStatus,
		Failure: FailureKind(r.Failure), ETag: r.ETag, LastModified: r.LastModified, FinalURL: r.FinalURL,
		SHA256: r.SHA256, SHA1: r.SHA1, Size: r.Size, PayloadDate: r.PayloadDate, Fetched: r.Fetched,
		LinkText: r.LinkText, PageTitle: r.PageTitle, Referrer: r.Referrer, Starts: r.Starts}
}

func fromStoreVersion(v store.CrawlVersion) Version {
	return Version{URL: v.URL, SHA256: v.SHA256, SHA1: v.SHA1, Version: v.Version, Seen: v.Seen}
}

func (f *StoreFrontier) Lookup(ctx context.Context, url string) (Record, bool, error) {
	r, ok, err := f.s.CrawlLookup(ctx, url)
	return fromStoreRecord(r), ok, err
}

func (f *StoreFrontier) AddVersion(ctx context.Context, url, sha, sha1 string, seen time.Time) (Version, string, bool, error) {
	v, prev, isNew, err := f.s.CrawlAddVersion(ctx, url, sha, sha1, seen)
	return fromStoreVersion(v), prev, isNew, err
}

func (f *StoreFrontier) FindDigest(ctx context.Context, sha string) (Version, bool, error) {
	v, ok, err := f.s.CrawlFindDigest(ctx, sha)
	return fromStoreVersion(v), ok, err
}

func (f *StoreFrontier) Versions(ctx context.Context, url string) ([]Version, error) {
	vs, err := f.s.CrawlVersions(ctx, url)
	out := make([]Version, len(vs))
	for i, v := range vs {
		out[i] = fromStoreVersion(v)
	}
	return out, err
}

func (f *StoreFrontier) Files(ctx context.Context, site string) ([]Record, error) {
	rs, err := f.s.CrawlFiles(ctx, site)
	out := make([]Record, len(rs))
	for i, r := range rs {
		out[i] = fromStoreRecord(r)
	}
	return out, err
}
