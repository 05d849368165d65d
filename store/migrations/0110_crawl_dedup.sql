-- Crawl state for deduplication, WARC revisits and poison URLs (package
-- crawl). A file reached through a redirect (/download?id=7 → /files/a.pdf)
-- keeps, on the linked URL's row, where its body came from and that body's
-- validators, so the next night asks conditionally; revisit records name
-- the record that holds the payload (its WARC-Date) and its sha1 (base32,
-- the WARC-Payload-Digest form; sha256 stays the store's identity).
ALTER TABLE crawl_urls ADD COLUMN final_url TEXT NOT NULL DEFAULT '';
ALTER TABLE crawl_urls ADD COLUMN sha1 TEXT NOT NULL DEFAULT '';
ALTER TABLE crawl_urls ADD COLUMN payload_date TEXT NOT NULL DEFAULT '';
-- Fetches of the URL begun in its run: a URL that kills the process twice
-- is failed instead of being retried on every resumption.
ALTER TABLE crawl_urls ADD COLUMN starts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE crawl_versions ADD COLUMN sha1 TEXT NOT NULL DEFAULT '';
