package ingestsink

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"testing"

	"yusuan"
	"yusuan/crawl"
	"yusuan/fixtures/portal"
	"yusuan/ingest"
	"yusuan/store"
)

// A harvest into a real store through the ingest pipeline (with a stub
// extractor): every PDF becomes a document with its URL as a source, and
// a second harvest adds nothing.
func TestHarvestIntoStore(t *testing.T) {
	ctx := context.Background()
	p, err := portal.Start(ctx, portal.Options{ListPages: 3, CrawlDelay: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	dir := t.TempDir()
	st, err := store.Open(ctx, filepath.Join(dir, "yusuan.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ex := ingest.ExtractorFunc{Ver: "stub-1", Fn: func(_ context.Context, b []byte, name string) *yusuan.Document {
		return &yusuan.Document{Schema: yusuan.SchemaVersion, File: name, Pages: 1, Warnings: []string{}}
	}}
	sink := New(&ingest.Pipeline{Store: st, Extractor: ex})
	cfg, err := crawl.ParseConfig("sites.toml", []byte(p.SitesTOML("demo")))
	if err != nil {
		t.Fatal(err)
	}
	opts := crawl.Options{Config: cfg, Frontier: crawl.NewStoreFrontier(st), Sink: sink,
		ArchiveDir: st.Archive().Dir(), LockPath: st.Path() + ".lock", Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
	rep, err := crawl.Harvest(ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	if rep.FilesNew != len(p.PDFPaths()) || len(sink.Results()) != len(p.PDFPaths()) {
		t.Fatalf("report %s; sink %d", rep, len(sink.Results()))
	}
	for _, h := range sink.Results() {
		srcs, err := st.Sources(ctx, h.File.SHA256)
		if err != nil || len(srcs) == 0 || srcs[0].URL != h.File.URL || srcs[0].LinkText != h.File.LinkText {
			t.Errorf("%s: sources %+v (%v)", h.File.URL, srcs, err)
		}
		if !st.Archive().Has(h.File.SHA256) {
			t.Errorf("%s not archived", h.File.URL)
		}
	}
	rep, err = crawl.Harvest(ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	if rep.FilesNew != 0 || rep.FilesUnchanged != len(p.PDFPaths()) {
		t.Errorf("second harvest: %s", rep)
	}
}
