-- Schema version 1: documents and everything extracted from them, their
-- provenance, entities followed across years, and check findings.
-- Amounts are INTEGER fen beside the printed unit and decimal places, so
-- SUM() is exact and "0.00" prints back as "0.00".

-- A unit or department followed across years.
CREATE TABLE entities (
    id    INTEGER PRIMARY KEY,
    name  TEXT NOT NULL,            -- as first printed
    scope TEXT NOT NULL DEFAULT 'unknown',
    code  TEXT UNIQUE               -- unit code (单位编码) when known
) STRICT;

-- Every normalised name under which an entity has published.
CREATE TABLE entity_names (
    norm_name TEXT PRIMARY KEY,
    entity_id INTEGER NOT NULL REFERENCES entities(id) ON DELETE CASCADE
) STRICT, WITHOUT ROWID;

CREATE TABLE documents (
    id             INTEGER PRIMARY KEY,
    sha256         TEXT NOT NULL UNIQUE CHECK (length(sha256) = 64),
    size           INTEGER NOT NULL,
    file           TEXT NOT NULL,
    pages          INTEGER NOT NULL,
    producer       TEXT NOT NULL,
    text_layer     INTEGER NOT NULL CHECK (text_layer IN (0, 1)),
    title          TEXT NOT NULL,
    entity         TEXT NOT NULL,
    entity_id      INTEGER REFERENCES entities(id),
    scope          TEXT NOT NULL,
    kind           TEXT NOT NULL,
    year           INTEGER NOT NULL,
    schema_version INTEGER NOT NULL,
    extractor      TEXT NOT NULL,
    status         TEXT NOT NULL CHECK (status IN ('ok', 'failed')),
    error          TEXT NOT NULL,
    warnings       TEXT NOT NULL,   -- JSON array of strings
    extract        BLOB NOT NULL,   -- the extractor's JSON, deflate-compressed
    ingested_at    TEXT NOT NULL,
    extracted_at   TEXT NOT NULL
) STRICT;
CREATE INDEX documents_year ON documents(year, kind);
CREATE INDEX documents_entity ON documents(entity_id, year);
CREATE INDEX documents_extractor ON documents(extractor);

-- Where a document came from: every file name, URL and time it was seen.
CREATE TABLE sources (
    id          INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    file        TEXT NOT NULL,
    url         TEXT NOT NULL DEFAULT '',
    page_url    TEXT NOT NULL DEFAULT '',   -- the page that linked it
    link_text   TEXT NOT NULL DEFAULT '',
    local_path  TEXT NOT NULL DEFAULT '',
    fetched_at  TEXT NOT NULL,
    UNIQUE (document_id, file, url, local_path)
) STRICT;
CREATE INDEX sources_url ON sources(url);

CREATE TABLE tables (
    id          INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    seq         INTEGER NOT NULL,           -- order in the document, from 0
    kind        TEXT NOT NULL,
    label       TEXT NOT NULL,
    title       TEXT NOT NULL,
    first_page  INTEGER,
    pages       TEXT NOT NULL,              -- JSON array
    unit        TEXT NOT NULL,
    empty       INTEGER NOT NULL CHECK (empty IN (0, 1)),
    columns     TEXT NOT NULL,              -- JSON array of column keys
    headers     TEXT,                       -- JSON object key → printed header
    UNIQUE (document_id, seq)
) STRICT;
CREATE INDEX tables_kind ON tables(kind);

CREATE TABLE rows (
    id            INTEGER PRIMARY KEY,
    table_id      INTEGER NOT NULL REFERENCES tables(id) ON DELETE CASCADE,
    seq           INTEGER NOT NULL,
    side          TEXT,
    code          TEXT,
    level         INTEGER,
    name          TEXT NOT NULL,
    name2         TEXT,
    econ_code     TEXT,
    econ_name     TEXT,
    gov_econ_code TEXT,
    gov_econ_name TEXT,
    page          INTEGER NOT NULL,
    x0 REAL, y0 REAL, x1 REAL, y1 REAL,
    UNIQUE (table_id, seq)
) STRICT;
CREATE INDEX rows_code ON rows(code);

CREATE TABLE cells (
    row_id INTEGER NOT NULL REFERENCES rows(id) ON DELETE CASCADE,
    col    TEXT NOT NULL,
    amount TEXT,        -- exact decimal as printed, NULL when empty
    fen    INTEGER,     -- amount in fen; NULL when empty or finer than a fen
    unit   TEXT NOT NULL,
    places INTEGER,     -- printed decimal places
    raw    TEXT,        -- printed text where it differs from amount
    x0 REAL, y0 REAL, x1 REAL, y1 REAL,
    PRIMARY KEY (row_id, col)
) STRICT, WITHOUT ROWID;

CREATE TABLE sections (
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    seq         INTEGER NOT NULL,
    heading     TEXT NOT NULL,
    text        TEXT NOT NULL,
    page        INTEGER NOT NULL,
    PRIMARY KEY (document_id, seq)
) STRICT;

CREATE TABLE facts (
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    key         TEXT NOT NULL,
    amount      TEXT,
    fen         INTEGER,
    unit        TEXT NOT NULL,    -- 万元, % or '' for counts
    places      INTEGER,
    page        INTEGER,
    sentence    TEXT,
    PRIMARY KEY (document_id, key)
) STRICT;

CREATE TABLE check_runs (
    id          INTEGER PRIMARY KEY,
    started_at  TEXT NOT NULL,
    finished_at TEXT NOT NULL,
    rules       TEXT NOT NULL,     -- JSON array: the rules run, empty = all
    note        TEXT NOT NULL,
    findings    INTEGER NOT NULL
) STRICT;

CREATE TABLE findings (
    id       INTEGER PRIMARY KEY,
    run_id   INTEGER NOT NULL REFERENCES check_runs(id) ON DELETE CASCADE,
    seq      INTEGER NOT NULL,
    rule     TEXT NOT NULL,
    severity TEXT NOT NULL CHECK (severity IN ('error', 'warning', 'info')),
    message  TEXT NOT NULL,
    expected TEXT NOT NULL,
    actual   TEXT NOT NULL,
    pages    TEXT NOT NULL,        -- JSON array
    tables   TEXT NOT NULL,        -- JSON array
    UNIQUE (run_id, seq)
) STRICT;
CREATE INDEX findings_rule ON findings(rule, severity);

-- The documents a finding involves, as the check named them.
CREATE TABLE finding_documents (
    finding_id INTEGER NOT NULL REFERENCES findings(id) ON DELETE CASCADE,
    seq        INTEGER NOT NULL,
    sha256     TEXT NOT NULL,
    file       TEXT NOT NULL,
    entity     TEXT NOT NULL,
    year       INTEGER NOT NULL,
    PRIMARY KEY (finding_id, seq)
) STRICT, WITHOUT ROWID;
CREATE INDEX finding_documents_sha ON finding_documents(sha256);
