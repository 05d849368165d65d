-- Crawl frontier and fetch log (owned by package crawl; numbers 0100+).
-- A run is one crawl of one site; a run with finished_at NULL was
-- interrupted and is resumed by the next crawl of that site.
CREATE TABLE crawl_runs (
    id          INTEGER PRIMARY KEY,
    site        TEXT NOT NULL,
    started_at  TEXT NOT NULL,
    finished_at TEXT                      -- NULL while running or after a kill
) STRICT;
CREATE INDEX crawl_runs_open ON crawl_runs(site) WHERE finished_at IS NULL;

-- One row per URL ever scheduled: its state in the run that last scheduled
-- it, and the validators and digest of its last good fetch.
CREATE TABLE crawl_urls (
    url           TEXT PRIMARY KEY,
    site          TEXT NOT NULL,
    kind          TEXT NOT NULL CHECK (kind IN ('page', 'file')),
    run_id        INTEGER NOT NULL REFERENCES crawl_runs(id),
    seq           INTEGER NOT NULL,       -- fetch order within a run
    state         TEXT NOT NULL CHECK (state IN ('pending', 'done', 'failed')),
    depth         INTEGER NOT NULL,
    referrer      TEXT NOT NULL DEFAULT '',
    link_text     TEXT NOT NULL DEFAULT '',
    page_title    TEXT NOT NULL DEFAULT '',
    http_status   INTEGER NOT NULL DEFAULT 0,
    failure       TEXT NOT NULL DEFAULT '',
    error         TEXT NOT NULL DEFAULT '',
    etag          TEXT NOT NULL DEFAULT '',
    last_modified TEXT NOT NULL DEFAULT '',
    sha256        TEXT NOT NULL DEFAULT '',
    size          INTEGER NOT NULL DEFAULT 0,
    fetched_at    TEXT NOT NULL DEFAULT '',
    first_seen    TEXT NOT NULL
) STRICT;
CREATE INDEX crawl_urls_pending ON crawl_urls(run_id, state, seq);
CREATE INDEX crawl_urls_seq ON crawl_urls(seq);
CREATE INDEX crawl_urls_site_kind ON crawl_urls(site, kind);

-- Every distinct body seen at a URL: a republished file is a new version
-- beside the old one.
CREATE TABLE crawl_versions (
    url     TEXT NOT NULL,
    version INTEGER NOT NULL,
    sha256  TEXT NOT NULL,
    seen_at TEXT NOT NULL,
    PRIMARY KEY (url, version),
    UNIQUE (url, sha256)
) STRICT;
CREATE INDEX crawl_versions_sha ON crawl_versions(sha256);

-- The fetch log: one row per finished fetch.
CREATE TABLE crawl_log (
    id          INTEGER PRIMARY KEY,
    run_id      INTEGER NOT NULL REFERENCES crawl_runs(id),
    url         TEXT NOT NULL,
    state       TEXT NOT NULL,
    http_status INTEGER NOT NULL,
    failure     TEXT NOT NULL,
    error       TEXT NOT NULL,
    sha256      TEXT NOT NULL,
    fetched_at  TEXT NOT NULL
) STRICT;
CREATE INDEX crawl_log_run ON crawl_log(run_id);
