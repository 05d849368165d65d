-- Documents counted once.
--
-- content_digest hashes what was extracted (tables, rows, figures, facts;
-- not bytes, positions or titles): byte-different copies of one document
-- share it. NULL until computed (the store fills it on open), '' when
-- nothing was extracted.
--
-- A document's versions are the documents of the same entity, year, kind and
-- scope (a department's document and its 本级 unit's are never versions of
-- each other). Of those, the latest content (in ingest order) is current;
-- earlier ones are superseded_by it, and copies point at the first document
-- with their content (copy_of). current = 0 for both, so that sums over
-- current documents count every figure once.
ALTER TABLE documents ADD COLUMN content_digest TEXT;
ALTER TABLE documents ADD COLUMN current INTEGER NOT NULL DEFAULT 1 CHECK (current IN (0, 1));
ALTER TABLE documents ADD COLUMN superseded_by INTEGER REFERENCES documents(id);
ALTER TABLE documents ADD COLUMN copy_of INTEGER REFERENCES documents(id);
-- These columns come after the extract blob in each row, where reading
-- them walks the blob's overflow pages: the indexes below cover what the
-- versions code reads, so that it never touches the blob.
CREATE INDEX documents_versions ON documents(entity_id, year, kind, scope, id, status, content_digest, current,
    superseded_by, copy_of);
CREATE INDEX documents_current ON documents(current, year);
CREATE INDEX documents_undigested ON documents(id) WHERE content_digest IS NULL;
CREATE INDEX documents_superseded ON documents(superseded_by) WHERE superseded_by IS NOT NULL;
CREATE INDEX documents_copies ON documents(copy_of) WHERE copy_of IS NOT NULL;

-- The region (省/市/区 prefix of the name) an entity belongs to; NULL until
-- computed.
ALTER TABLE entities ADD COLUMN region TEXT;
CREATE INDEX entities_region ON entities(region);
