// Package crawl harvests disclosure portals politely and incrementally:
// sites.toml → pages (colly) → attachments (a streaming net/http client)
// → WARC 1.1 files and a Sink (the ingest pipeline).
//
// A site entry needs only name, start and allow:
//
//	[[site]]
//	name  = "czj-example"
//	start = ["http://czj.example.gov.cn/zwgk/czyjs/index.html"]
//	allow = ['^https?://czj\.example\.gov\.cn/']
//	# optional, with defaults:
//	# deny = []               URL regexes never followed
//	# delay = "1s"            gap between request starts on one host
//	# concurrency = 2         requests in flight per host
//	# max_depth = 5           link hops; 下一页/index_N.html pagination is free
//	# user_agent = "yusuan-bot/0.1 (…)"   keep the bot token first
//	# max_file_size = "200MiB"  larger attachments are refused, not truncated
//	# timeout = "30s"  file_timeout = "10m"  retries = 3  retry_backoff = "2s"
//	# max_pages = 20000
//
// Unknown keys are errors; every config error names the file, line and key.
//
// Politeness: robots.txt is obeyed for pages and files (colly's own check is
// on too), its Crawl-delay is applied (capped at 2 minutes), and a per-host
// gate bounds requests in flight and spaces their starts. Timeouts, network
// errors and 5xx are retried with exponential backoff.
//
// Incremental and resumable: the Frontier (StoreFrontier in production)
// keeps every URL's state per run, its validators and the digests of every
// body it served. A killed run leaves its unfinished URLs pending and the
// next Harvest resumes that run; a finished run is followed by a fresh one
// that sends If-None-Match / If-Modified-Since, so unchanged files come back
// as 304 (a WARC revisit record) and are not downloaded again. New bytes at
// a known URL become version n+1 beside the old one and are reported in
// Report.Revisions (Report.RevisedFindings gives document.revised findings).
//
// Exit codes (ExitCode): 0 all fetched (robots-forbidden links do not
// count); 1 partial — some URLs or sites failed, or the run was interrupted;
// 2 nothing could be done — bad config, every site unreachable, archive
// unusable; 3 another harvest holds the lock (flock on Options.LockPath,
// released by the kernel if the holder dies).
package crawl
