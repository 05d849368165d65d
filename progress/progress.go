// Package progress carries progress events from long-running work (crawl,
// ingest, check) to whoever shows them: a live line on a terminal, a log
// line every few seconds otherwise. Producers call Report; a nil Func
// ignores events, so work needs no progress wiring to run.
package progress

// Event is the state of one stage of work.
type Event struct {
	Stage   string // "crawl", "ingest", "check", …
	Done    int    // items finished (files, documents)
	Total   int    // items known so far; 0 when unknown
	Failed  int    // items that failed, included in Done
	Bytes   int64  // bytes fetched or read so far
	Current string // what is being worked on: a site, a URL, a file
}

// Func receives events. It must be cheap and safe for concurrent use.
type Func func(Event)

// Report sends e to f when f is set.
func (f Func) Report(e Event) {
	if f != nil {
		f(e)
	}
}
