// Package crawl harvests disclosure portals politely and incrementally:
// sites.toml → pages (colly) or JSON API steps → attachments (a streaming
// net/http client) → WARC 1.1 files with CDXJ indexes, and a Sink (the
// ingest pipeline). docs/sites.md describes the configuration,
// docs/crawl.md the behaviour.
//
// A site entry needs only name, start and allow:
//
//	[[site]]
//	name  = "czj-example"
//	start = ["http://czj.example.gov.cn/zwgk/czyjs/index.html"]
//	allow = ['^https?://czj\.example\.gov\.cn/']
//
// Unknown keys are errors; every config error names the file, line and key.
//
// Bounded whatever a server sends: every body goes through one reader
// capped after decoding (body.go), every attempt has a header timeout and
// a deadline, every URL a time budget, every run page and file caps.
// Failures are typed errors (errors.go) from which the report's kinds
// come; nothing is classified by message text.
//
// Politeness: robots.txt is read once per host (yusuan's own check, the
// first 512 KiB) and obeyed for pages, files, API requests and redirect
// targets; a 4xx allows everything, a 5xx or an unreachable robots.txt
// disallows the host for the run (RFC 9309), reported once as
// robots-unreachable. Its Crawl-delay is applied (capped at 2 minutes),
// and a per-host gate bounds requests in flight and spaces their starts.
//
// Incremental and resumable: the Frontier (StoreFrontier in production)
// keeps every URL's state per run, its validators, where its body came
// from and the digests of every body it served. A killed run leaves its
// unfinished URLs pending and the next Harvest resumes that run (a URL
// whose fetch began twice without finishing is failed, not tried again).
// A finished run is followed by a fresh one that asks conditionally,
// every redirect hop with the validators of the body it led to, so
// unchanged files come back as 304 (a WARC revisit record) and are not
// downloaded again. Within a run no URL is requested twice, and bytes
// archived under another URL become a revisit. New bytes at a known URL
// become version n+1 beside the old one (Report.Revisions).
//
// Exit codes (ExitCode): 0 all fetched (robots-forbidden links do not
// count); 1 partial — some URLs or sites failed, or the run was interrupted;
// 2 nothing could be done — bad config, every site unreachable, archive
// unusable; 3 another harvest holds the lock (flock on Options.LockPath,
// released by the kernel if the holder dies).
package crawl
