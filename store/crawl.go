package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// The crawl frontier and fetch log (migrations 0100 and 0110, package
// crawl owns them). Kinds are "page" and "file"; states "pending", "done", "failed".

// CrawlRun is one crawl of one site.
type CrawlRun struct {
	ID      int64
	Site    string
	Resumed bool // an interrupted run picked up again
	Started time.Time
}

// CrawlItem is a URL scheduled in a run.
type CrawlItem struct {
	Seq       int64
	Site      string
	URL       string
	Kind      string
	Depth     int
	Referrer  string
	LinkText  string
	PageTitle string
}

// CrawlResult is the outcome of one fetch.
type CrawlResult struct {
	State        string
	Kind         string // "" keeps the URL's kind; "file" corrects a page link that served a file
	HTTPStatus   int
	Failure      string
	Err          string
	ETag         string
	LastModified string
	FinalURL     string // where the body came from after redirects, "" for the URL itself
	SHA256       string
	SHA1         string
	Size         int64
	PayloadDate  time.Time // WARC-Date of the record holding the body
	Fetched      time.Time
}

// CrawlRecord is what is known about a URL.
type CrawlRecord struct {
	Site, URL, Kind, State string
	Run                    int64
	HTTPStatus             int
	Failure                string
	ETag, LastModified     string
	FinalURL               string
	SHA256, SHA1           string
	Size                   int64
	PayloadDate            time.Time
	Fetched                time.Time
	LinkText, PageTitle    string
	Referrer               string
	Starts                 int
}

// CrawlVersion is one distinct body seen at a URL.
type CrawlVersion struct {
	URL     string
	SHA256  string
	SHA1    string
	Version int
	Seen    time.Time
}

// CrawlStartRun resumes the site's interrupted run or starts a new one.
func (s *Store) CrawlStartRun(ctx context.Context, site string, now time.Time) (CrawlRun, error) {
	var run CrawlRun
	err := s.write(ctx, func(tx *sql.Tx) error {
		var started string
		err := tx.QueryRowContext(ctx, `SELECT id, started_at FROM crawl_runs WHERE site = ? AND finished_at IS NULL ORDER BY id DESC LIMIT 1`, site).Scan(&run.ID, &started)
		if err == nil {
			run.Site, run.Resumed, run.Started = site, true, parseTime(started)
			return nil
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO crawl_runs(site, started_at) VALUES (?, ?)`, site, formatTime(now))
		if err != nil {
			return err
		}
		run.ID, err = res.LastInsertId()
		run.Site, run.Started = site, now
		return err
	})
	if err != nil {
		return CrawlRun{}, fmt.Errorf("store: start crawl run: %w", err)
	}
	return run, nil
}

// CrawlFinishRun closes a run.
func (s *Store) CrawlFinishRun(ctx context.Context, runID int64, now time.Time) error {
	err := s.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE crawl_runs SET finished_at = ? WHERE id = ?`, formatTime(now), runID)
		return err
	})
	if err != nil {
		return fmt.Errorf("store: finish crawl run: %w", err)
	}
	return nil
}

// CrawlEnqueue schedules items in a run: new URLs are inserted pending, URLs
// last scheduled by an earlier run become pending again (keeping their
// validators), URLs already in this run are left alone. A URL that served a
// file stays a file. It returns how many became pending.
func (s *Store) CrawlEnqueue(ctx context.Context, runID int64, site string, items []CrawlItem) (int, error) {
	added := 0
	err := s.write(ctx, func(tx *sql.Tx) error {
		added = 0
		var seq int64
		if err := tx.QueryRowContext(ctx, `SELECT coalesce(max(seq), 0) FROM crawl_urls`).Scan(&seq); err != nil {
			return err
		}
		now := formatTime(time.Now())
		for _, it := range items {
			seq++
			res, err := tx.ExecContext(ctx, `INSERT INTO crawl_urls(url, site, kind, run_id, seq, state, depth, referrer, link_text, page_title, first_seen)
				VALUES (?, ?, ?, ?, ?, 'pending', ?, ?, ?, ?, ?)
				ON CONFLICT(url) DO UPDATE SET site = excluded.site,
					kind = CASE WHEN crawl_urls.kind = 'file' THEN 'file' ELSE excluded.kind END, run_id = excluded.run_id,
					seq = excluded.seq, state = 'pending', depth = excluded.depth, referrer = excluded.referrer,
					link_text = excluded.link_text, page_title = excluded.page_title, starts = 0
				WHERE crawl_urls.run_id <> excluded.run_id`,
				it.URL, site, it.Kind, runID, seq, it.Depth, it.Referrer, it.LinkText, it.PageTitle, now)
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n > 0 {
				added++
			}
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("store: enqueue: %w", err)
	}
	return added, nil
}

// CrawlBegin counts a fetch of url starting in a run and returns how many
// began in that run, this one included.
func (s *Store) CrawlBegin(ctx context.Context, runID int64, url string) (int, error) {
	var n int
	err := s.write(ctx, func(tx *sql.Tx) error {
		return tx.QueryRowContext(ctx, `UPDATE crawl_urls SET starts = starts + 1 WHERE url = ? AND run_id = ? RETURNING starts`,
			url, runID).Scan(&n)
	})
	if errors.Is(err, sql.ErrNoRows) {
		err = fmt.Errorf("%s is not scheduled in run %d", url, runID)
	}
	if err != nil {
		return 0, fmt.Errorf("store: crawl begin: %w", err)
	}
	return n, nil
}

// CrawlScheduled counts the pages and files scheduled in a run.
func (s *Store) CrawlScheduled(ctx context.Context, runID int64) (pages, files int, err error) {
	err = s.rd.QueryRowContext(ctx, `SELECT count(*) FILTER (WHERE kind = 'page'), count(*) FILTER (WHERE kind = 'file')
		FROM crawl_urls WHERE run_id = ?`, runID).Scan(&pages, &files)
	if err != nil {
		return 0, 0, fmt.Errorf("store: crawl scheduled: %w", err)
	}
	return pages, files, nil
}

// CrawlNext returns up to n pending items of a run with seq > after.
func (s *Store) CrawlNext(ctx context.Context, runID, after int64, n int) ([]CrawlItem, error) {
	rows, err := s.rd.QueryContext(ctx, `SELECT seq, site, url, kind, depth, referrer, link_text, page_title
		FROM crawl_urls WHERE run_id = ? AND state = 'pending' AND seq > ? ORDER BY seq LIMIT ?`, runID, after, n)
	if err != nil {
		return nil, fmt.Errorf("store: crawl next: %w", err)
	}
	defer rows.Close()
	var out []CrawlItem
	for rows.Next() {
		var it CrawlItem
		if err := rows.Scan(&it.Seq, &it.Site, &it.URL, &it.Kind, &it.Depth, &it.Referrer, &it.LinkText, &it.PageTitle); err != nil {
			return nil, fmt.Errorf("store: crawl next: %w", err)
		}
		out = append(out, it)
	}
	return out, rows.Err()
}

// CrawlFinish records a fetch outcome in the URL table and the fetch log.
// Validators and digest change only on success, so a failed refetch keeps
// the last good ones.
func (s *Store) CrawlFinish(ctx context.Context, runID int64, url string, r CrawlResult) error {
	err := s.write(ctx, func(tx *sql.Tx) error {
		var res sql.Result
		var err error
		if r.State == "done" {
			res, err = tx.ExecContext(ctx, `UPDATE crawl_urls SET state = ?, kind = coalesce(nullif(?, ''), kind),
				http_status = ?, failure = '', error = '', etag = ?, last_modified = ?, final_url = ?, sha256 = ?, sha1 = ?,
				size = ?, payload_date = ?, fetched_at = ? WHERE url = ? AND run_id = ?`,
				r.State, r.Kind, r.HTTPStatus, r.ETag, r.LastModified, r.FinalURL, r.SHA256, r.SHA1, r.Size,
				formatTime(r.PayloadDate), formatTime(r.Fetched), url, runID)
		} else {
			res, err = tx.ExecContext(ctx, `UPDATE crawl_urls SET state = ?, kind = coalesce(nullif(?, ''), kind),
				http_status = ?, failure = ?, error = ?, fetched_at = ? WHERE url = ? AND run_id = ?`,
				r.State, r.Kind, r.HTTPStatus, r.Failure, r.Err, formatTime(r.Fetched), url, runID)
		}
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("%s is not scheduled in run %d", url, runID)
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO crawl_log(run_id, url, state, http_status, failure, error, sha256, fetched_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, runID, url, r.State, r.HTTPStatus, r.Failure, r.Err, r.SHA256, formatTime(r.Fetched))
		return err
	})
	if err != nil {
		return fmt.Errorf("store: crawl finish: %w", err)
	}
	return nil
}

const crawlRecordCols = `site, url, kind, state, run_id, http_status, failure, etag, last_modified, final_url, sha256, sha1, size,
	payload_date, fetched_at, link_text, page_title, referrer, starts`

func scanCrawlRecord(sc interface{ Scan(...any) error }) (CrawlRecord, error) {
	var r CrawlRecord
	var fetched, payload string
	err := sc.Scan(&r.Site, &r.URL, &r.Kind, &r.State, &r.Run, &r.HTTPStatus, &r.Failure, &r.ETag, &r.LastModified,
		&r.FinalURL, &r.SHA256, &r.SHA1, &r.Size, &payload, &fetched, &r.LinkText, &r.PageTitle, &r.Referrer, &r.Starts)
	r.Fetched, r.PayloadDate = parseTime(fetched), parseTime(payload)
	return r, err
}

// CrawlLookup returns what is known about url.
func (s *Store) CrawlLookup(ctx context.Context, url string) (CrawlRecord, bool, error) {
	r, err := scanCrawlRecord(s.rd.QueryRowContext(ctx, `SELECT `+crawlRecordCols+` FROM crawl_urls WHERE url = ?`, url))
	if errors.Is(err, sql.ErrNoRows) {
		return CrawlRecord{}, false, nil
	}
	if err != nil {
		return CrawlRecord{}, false, fmt.Errorf("store: crawl lookup: %w", err)
	}
	return r, true, nil
}

// CrawlAddVersion records that url served a body with sha256 (and sha1,
// base32); idempotent. prev is the digest of the latest version before a
// new one.
func (s *Store) CrawlAddVersion(ctx context.Context, url, sha, sha1 string, seen time.Time) (v CrawlVersion, prev string, isNew bool, err error) {
	err = s.write(ctx, func(tx *sql.Tx) error {
		var seenAt string
		e := tx.QueryRowContext(ctx, `SELECT version, sha1, seen_at FROM crawl_versions WHERE url = ? AND sha256 = ?`, url, sha).Scan(&v.Version, &v.SHA1, &seenAt)
		if e == nil {
			v.URL, v.SHA256, v.Seen, isNew = url, sha, parseTime(seenAt), false
			return nil
		}
		if !errors.Is(e, sql.ErrNoRows) {
			return e
		}
		var last sql.NullInt64
		var lastSHA sql.NullString
		if e := tx.QueryRowContext(ctx, `SELECT version, sha256 FROM crawl_versions WHERE url = ? ORDER BY version DESC LIMIT 1`, url).Scan(&last, &lastSHA); e != nil && !errors.Is(e, sql.ErrNoRows) {
			return e
		}
		v = CrawlVersion{URL: url, SHA256: sha, SHA1: sha1, Version: int(last.Int64) + 1, Seen: seen}
		prev, isNew = lastSHA.String, true
		_, e = tx.ExecContext(ctx, `INSERT INTO crawl_versions(url, version, sha256, sha1, seen_at) VALUES (?, ?, ?, ?, ?)`,
			url, v.Version, sha, sha1, formatTime(seen))
		return e
	})
	if err != nil {
		return CrawlVersion{}, "", false, fmt.Errorf("store: crawl version: %w", err)
	}
	return v, prev, isNew, nil
}

// CrawlFindDigest returns the earliest version with this sha256 at any
// URL (the record a WARC revisit of these bytes refers to).
func (s *Store) CrawlFindDigest(ctx context.Context, sha string) (CrawlVersion, bool, error) {
	v := CrawlVersion{SHA256: sha}
	var seen string
	err := s.rd.QueryRowContext(ctx, `SELECT url, version, sha1, seen_at FROM crawl_versions WHERE sha256 = ?
		ORDER BY seen_at, url LIMIT 1`, sha).Scan(&v.URL, &v.Version, &v.SHA1, &seen)
	if errors.Is(err, sql.ErrNoRows) {
		return CrawlVersion{}, false, nil
	}
	if err != nil {
		return CrawlVersion{}, false, fmt.Errorf("store: crawl find digest: %w", err)
	}
	v.Seen = parseTime(seen)
	return v, true, nil
}

// CrawlVersions lists the bodies seen at url, oldest first.
func (s *Store) CrawlVersions(ctx context.Context, url string) ([]CrawlVersion, error) {
	rows, err := s.rd.QueryContext(ctx, `SELECT version, sha256, sha1, seen_at FROM crawl_versions WHERE url = ? ORDER BY version`, url)
	if err != nil {
		return nil, fmt.Errorf("store: crawl versions: %w", err)
	}
	defer rows.Close()
	var out []CrawlVersion
	for rows.Next() {
		v := CrawlVersion{URL: url}
		var seen string
		if err := rows.Scan(&v.Version, &v.SHA256, &v.SHA1, &seen); err != nil {
			return nil, fmt.Errorf("store: crawl versions: %w", err)
		}
		v.Seen = parseTime(seen)
		out = append(out, v)
	}
	return out, rows.Err()
}

// CrawlFiles lists the known file URLs of a site ("" for all sites).
func (s *Store) CrawlFiles(ctx context.Context, site string) ([]CrawlRecord, error) {
	rows, err := s.rd.QueryContext(ctx, `SELECT `+crawlRecordCols+` FROM crawl_urls
		WHERE kind = 'file' AND (? = '' OR site = ?) ORDER BY url`, site, site)
	if err != nil {
		return nil, fmt.Errorf("store: crawl files: %w", err)
	}
	defer rows.Close()
	var out []CrawlRecord
	for rows.Next() {
		r, err := scanCrawlRecord(rows)
		if err != nil {
			return nil, fmt.Errorf("store: crawl files: %w", err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// CrawlRevision is a URL that served new bytes: version Version (≥ 2) with
// NewSHA256 after OldSHA256.
type CrawlRevision struct {
	URL       string
	Version   int
	OldSHA256 string
	NewSHA256 string
	Seen      time.Time
}

// CrawlRevisions lists every revision seen at or after since (zero: all),
// oldest first; a check rule (document.revised) can compare the versions.
func (s *Store) CrawlRevisions(ctx context.Context, since time.Time) ([]CrawlRevision, error) {
	rows, err := s.rd.QueryContext(ctx, `SELECT v.url, v.version, p.sha256, v.sha256, v.seen_at
		FROM crawl_versions v JOIN crawl_versions p ON p.url = v.url AND p.version = v.version - 1
		WHERE v.seen_at >= ? ORDER BY v.seen_at, v.url`, formatTime(since))
	if err != nil {
		return nil, fmt.Errorf("store: crawl revisions: %w", err)
	}
	defer rows.Close()
	var out []CrawlRevision
	for rows.Next() {
		var r CrawlRevision
		var seen string
		if err := rows.Scan(&r.URL, &r.Version, &r.OldSHA256, &r.NewSHA256, &seen); err != nil {
			return nil, fmt.Errorf("store: crawl revisions: %w", err)
		}
		r.Seen = parseTime(seen)
		out = append(out, r)
	}
	return out, rows.Err()
}
