-- Indexes for the web UI (yusuan serve) and its API over large stores.
--
-- Lists and counts of current documents by year, kind, scope, status and
-- entity, read from the index alone: current lies after the extract blob
-- in each row, where reading it would walk the blob's overflow pages.
CREATE INDEX IF NOT EXISTS documents_list ON documents(current, year, kind, scope, status, entity_id);
-- Documents per entity for the counts by region.
CREATE INDEX IF NOT EXISTS documents_current_entity ON documents(current, entity_id);
-- Extraction failures by reason (the overview).
CREATE INDEX IF NOT EXISTS documents_failed ON documents(error) WHERE status = 'failed';
-- Files first seen or revised during a crawl run (the last harvests).
CREATE INDEX IF NOT EXISTS crawl_versions_seen ON crawl_versions(seen_at);
