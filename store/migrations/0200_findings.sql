-- Findings (numbers 0200+): each finding is kept once under its stable id
-- (yusuan.Finding.ID), with its documents and its evidence down to the cell,
-- its state across check runs (open or gone, the runs that saw it appear,
-- change and go) and the analysts' verdicts on it.
--
-- The per-run findings of 0001 are replaced: they had no stable id to carry
-- over and are derived data (the next `yusuan check` makes them again).
DROP TABLE finding_documents;
DROP TABLE findings;

-- Every run is kept: what it ran (rules, rules version, the filter in note),
-- which extractor versions produced the documents it read, and what changed.
ALTER TABLE check_runs ADD COLUMN rules_version TEXT NOT NULL DEFAULT '';
ALTER TABLE check_runs ADD COLUMN extractors TEXT NOT NULL DEFAULT '[]'; -- JSON array
ALTER TABLE check_runs ADD COLUMN documents INTEGER NOT NULL DEFAULT 0;
ALTER TABLE check_runs ADD COLUMN new INTEGER NOT NULL DEFAULT 0;
ALTER TABLE check_runs ADD COLUMN changed INTEGER NOT NULL DEFAULT 0;
ALTER TABLE check_runs ADD COLUMN gone INTEGER NOT NULL DEFAULT 0;

-- An analyst's judgement. Every verdict is kept; the latest for a finding id
-- applies. The key and fingerprint of the finding when judged tell later
-- runs whether the judgement still fits the figures (stale otherwise).
CREATE TABLE verdicts (
    id          INTEGER PRIMARY KEY,
    finding_id  TEXT NOT NULL,
    finding_key TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    verdict     TEXT NOT NULL CHECK (verdict IN ('confirmed', 'false-alarm', 'explained')),
    note        TEXT NOT NULL,
    author      TEXT NOT NULL,
    at          TEXT NOT NULL
) STRICT;
CREATE INDEX verdicts_finding ON verdicts(finding_id, id);
CREATE INDEX verdicts_key ON verdicts(finding_key, id);

-- The current state of every finding ever reported.
CREATE TABLE findings (
    rid         INTEGER PRIMARY KEY,
    id          TEXT NOT NULL UNIQUE,   -- f-…: documents' bytes + rule + cells
    finding_key TEXT NOT NULL,          -- k-…: entity/year/kind/scope + rule + cells
    fingerprint TEXT NOT NULL,          -- the figures
    hash        TEXT NOT NULL,          -- everything reported; rows are rewritten only when it changes
    rule        TEXT NOT NULL,
    severity    TEXT NOT NULL CHECK (severity IN ('error', 'warning', 'info')),
    sev_rank    INTEGER NOT NULL,       -- 0 error, 1 warning, 2 info
    confidence  TEXT NOT NULL,
    why         TEXT NOT NULL,
    message     TEXT NOT NULL,
    expected    TEXT NOT NULL,
    actual      TEXT NOT NULL,
    unit        TEXT NOT NULL,
    pages       TEXT NOT NULL,          -- JSON array
    tables      TEXT NOT NULL,          -- JSON array
    -- The first document involved, for filtering and sorting.
    sha256      TEXT NOT NULL,
    entity      TEXT NOT NULL,
    entity_id   INTEGER,                -- the document's entity when it is stored
    region      TEXT NOT NULL,          -- 省/市/区 prefix of the entity name, '' unknown
    province    TEXT NOT NULL,          -- its province-level part
    year        INTEGER NOT NULL,
    -- State across runs: open while the latest run covering it reports it.
    -- (Unchanged findings are not written by a run: a nightly run over a
    -- large store writes what changed, not every finding.)
    status      TEXT NOT NULL CHECK (status IN ('open', 'gone')),
    first_run   INTEGER NOT NULL REFERENCES check_runs(id),
    changed_run INTEGER REFERENCES check_runs(id),           -- the last run its figures changed in
    gone_run    INTEGER REFERENCES check_runs(id),           -- set while gone
    -- The verdict that applies, from verdicts: the latest on this id, else
    -- the latest on its key (a finding on a revised document; then stale).
    verdict_id    INTEGER REFERENCES verdicts(id),
    verdict       TEXT NOT NULL DEFAULT '',   -- '' none
    verdict_stale INTEGER NOT NULL DEFAULT 0 CHECK (verdict_stale IN (0, 1)),
    hidden        INTEGER NOT NULL DEFAULT 0 CHECK (hidden IN (0, 1)) -- a false alarm whose verdict holds
) STRICT;
-- Listing open findings (store.FindingFilter): a page is read from one
-- index in its order, so every index is a filter's column followed by a
-- sort order, with hidden last so that leaving false alarms out needs no
-- table row. The default order is severity, entity, year, id.
CREATE INDEX findings_open ON findings(sev_rank, entity, year, id, hidden) WHERE status = 'open';
CREATE INDEX findings_open_rule ON findings(rule, sev_rank, entity, year, id, hidden) WHERE status = 'open';
CREATE INDEX findings_open_entity ON findings(entity_id, sev_rank, entity, year, id, hidden) WHERE status = 'open';
CREATE INDEX findings_open_year ON findings(year DESC, sev_rank, entity, id, hidden) WHERE status = 'open';
CREATE INDEX findings_open_region ON findings(region, sev_rank, entity, year, id, hidden) WHERE status = 'open';
CREATE INDEX findings_open_province ON findings(province, sev_rank, entity, year, id, hidden) WHERE status = 'open';
CREATE INDEX findings_open_verdict ON findings(verdict, sev_rank, entity, year, id, hidden) WHERE status = 'open';
CREATE INDEX findings_open_by_entity ON findings(entity, year, sev_rank, id, hidden) WHERE status = 'open';
CREATE INDEX findings_open_recent ON findings(first_run DESC, sev_rank, entity, id, hidden) WHERE status = 'open';
CREATE INDEX findings_key ON findings(finding_key);

-- How many open findings there are by what lists filter on most (rule,
-- severity, year, province, verdict), so that a list's total is a sum over
-- a few rows, not a count over all findings. SaveRun recomputes it;
-- SetVerdict moves the findings it changes.
CREATE TABLE findings_totals (
    rule          TEXT NOT NULL,
    sev_rank      INTEGER NOT NULL,
    year          INTEGER NOT NULL,
    province      TEXT NOT NULL,
    verdict       TEXT NOT NULL,
    verdict_stale INTEGER NOT NULL,
    hidden        INTEGER NOT NULL,
    n             INTEGER NOT NULL,
    PRIMARY KEY (rule, sev_rank, year, province, verdict, verdict_stale, hidden)
) STRICT, WITHOUT ROWID;

-- The documents a finding involves, in order.
CREATE TABLE finding_documents (
    finding_rid INTEGER NOT NULL REFERENCES findings(rid) ON DELETE CASCADE,
    seq         INTEGER NOT NULL,
    sha256      TEXT NOT NULL,
    file        TEXT NOT NULL,
    entity      TEXT NOT NULL,
    year        INTEGER NOT NULL,
    kind        TEXT NOT NULL,
    scope       TEXT NOT NULL,
    PRIMARY KEY (finding_rid, seq)
) STRICT, WITHOUT ROWID;
CREATE INDEX finding_documents_sha ON finding_documents(sha256);

-- Every figure a finding compares, down to its cell on the page.
CREATE TABLE finding_evidence (
    finding_rid INTEGER NOT NULL REFERENCES findings(rid) ON DELETE CASCADE,
    seq         INTEGER NOT NULL,
    role        TEXT NOT NULL,          -- actual, expected, part
    sha256      TEXT NOT NULL,
    table_seq   INTEGER NOT NULL,       -- index into the document's tables; -1 narrative
    kind        TEXT NOT NULL,
    label       TEXT NOT NULL,          -- printed label (表8, 预算公开表1)
    title       TEXT NOT NULL,          -- printed title
    side        TEXT NOT NULL,
    row_name    TEXT NOT NULL,
    code        TEXT,                   -- NULL: the row has no code
    col         TEXT NOT NULL,
    header      TEXT NOT NULL,          -- printed column header
    page        INTEGER NOT NULL,
    x0 REAL, y0 REAL, x1 REAL, y1 REAL,
    text        TEXT NOT NULL,          -- as printed
    amount      TEXT,                   -- exact decimal, NULL when none
    fen         INTEGER,                -- amount in fen when the unit is money
    unit        TEXT NOT NULL,
    PRIMARY KEY (finding_rid, seq)
) STRICT, WITHOUT ROWID;
CREATE INDEX finding_evidence_page ON finding_evidence(sha256, page);

-- What each run changed: a finding new in it, with other figures, gone, or
-- back after being gone. replaces names the finding of the same key a new
-- one took over from (a revised document).
CREATE TABLE finding_events (
    run_id           INTEGER NOT NULL REFERENCES check_runs(id),
    finding_rid      INTEGER NOT NULL REFERENCES findings(rid),
    event            TEXT NOT NULL CHECK (event IN ('new', 'changed', 'gone', 'back')),
    prev_fingerprint TEXT NOT NULL DEFAULT '',
    replaces         TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (run_id, finding_rid)
) STRICT, WITHOUT ROWID;
CREATE INDEX finding_events_finding ON finding_events(finding_rid);
