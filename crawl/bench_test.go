package crawl

import (
	"context"
	"testing"

	"yusuan/fixtures/portal"
)

// BenchmarkHarvest crawls the whole fixture portal (24 list pages, 24
// articles, 8 files of which one is 10.5 MiB) into a fresh in-memory
// frontier with WARC output; the slow page is denied.
func BenchmarkHarvest(b *testing.B) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	p, err := portal.Start(ctx, portal.Options{CrawlDelay: 1})
	if err != nil {
		b.Fatal(err)
	}
	defer p.Close()
	cfg := mustConfig(b, p.SitesTOML("bench"))
	b.ResetTimer()
	for b.Loop() {
		rep, err := Harvest(ctx, Options{Config: cfg, Frontier: NewMemFrontier(), ArchiveDir: b.TempDir(), Logger: testLogger()})
		if err != nil || rep.FilesNew != len(p.PDFPaths()) {
			b.Fatalf("%v %s", err, rep)
		}
	}
}
