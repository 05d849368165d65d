package ingestsink

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
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
	// The mirror's copy is one document with two sources.
	if rep.FilesNew != len(p.PDFPaths())-1 || rep.FilesDuplicate != 1 || len(sink.Results()) != len(p.PDFPaths()) {
		t.Fatalf("report %s; sink %d", rep, len(sink.Results()))
	}
	for _, h := range sink.Results() {
		srcs, err := st.Sources(ctx, h.File.SHA256)
		if err != nil || !hasSource(srcs, h.File.URL, h.File.LinkText) {
			t.Errorf("%s: sources %+v (%v)", h.File.URL, srcs, err)
		}
		if !st.Archive().Has(h.File.SHA256) {
			t.Errorf("%s not archived", h.File.URL)
		}
	}
	// Both links to each file are its sources: the direct link and the
	// download.do redirect (a sighting, not a second download).
	for i, name := range p.LinkedFiles() {
		sum := sha256.Sum256(p.Body(portal.FilePath(name)))
		srcs, err := st.Sources(ctx, hex.EncodeToString(sum[:]))
		if err != nil || !hasSource(srcs, p.URL()+portal.FilePath(name), "") || !hasSource(srcs, p.URL()+portal.DownloadPath(i), "") {
			t.Errorf("%s: sources %+v (%v)", name, srcs, err)
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

func hasSource(srcs []store.Source, u, linkText string) bool {
	for _, s := range srcs {
		if s.URL == u && (linkText == "" || s.LinkText == linkText) {
			return true
		}
	}
	return false
}
