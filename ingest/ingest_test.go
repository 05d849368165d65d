package ingest_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"yusuan/ingest"
	"yusuan/ingest/fakepdf"
	"yusuan/store"
)

func openStore(t testing.TB, dir string) *store.Store {
	t.Helper()
	st, err := store.Open(context.Background(), filepath.Join(dir, "yusuan.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func write(t testing.TB, path string, data []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// corpus writes n good fake PDFs into dir (some in subdirectories, one
// with an upper-case extension), plus a damaged one, an HTML page named
// .pdf, a copy of a good one under another name and a file that is not
// *.pdf. It returns the number of distinct files that should be ingested.
func corpus(t testing.TB, dir string, n int) int {
	for i := range n {
		name := fmt.Sprintf("unit-%03d.pdf", i)
		switch {
		case i%4 == 1:
			name = filepath.Join("2025", name)
		case i%4 == 2:
			name = filepath.Join("2026", "dept", name)
		case i == 3:
			name = "UPPER-003.PDF"
		}
		write(t, filepath.Join(dir, name), fakepdf.File(i))
	}
	good := fakepdf.File(0)
	write(t, filepath.Join(dir, "damaged.pdf"), good[:len(good)/2])
	write(t, filepath.Join(dir, "2026", "notfound.pdf"), []byte("<!DOCTYPE html><html><body>404 页面不存在</body></html>"))
	write(t, filepath.Join(dir, "2025", "copy-of-unit-000.pdf"), good)
	write(t, filepath.Join(dir, "notes.txt"), []byte("not ingested"))
	return n + 2
}

func count(t testing.TB, st *store.Store, table string) int {
	t.Helper()
	var n int
	if err := st.ReadDB().QueryRow(`SELECT count(*) FROM ` + table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestIngestDirectoryTwice(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	in := filepath.Join(dir, "in")
	distinct := corpus(t, in, 12)
	st := openStore(t, dir)
	opt := ingest.Options{Store: st, Extractor: fakepdf.Extractor{}, Paths: []string{in}, Workers: 2}

	sum, err := ingest.Run(ctx, opt)
	if err != nil {
		t.Fatal(err)
	}
	want := ingest.Summary{Files: 15, New: 12, Known: 1, Failed: 2}
	sum.Elapsed, sum.Bytes = 0, 0
	if sum != want {
		t.Fatalf("first run: %+v, want %+v", sum, want)
	}
	if n := count(t, st, "documents"); n != distinct {
		t.Fatalf("%d documents, want %d", n, distinct)
	}
	sources := count(t, st, "sources")
	cells := count(t, st, "cells")

	sum, err = ingest.Run(ctx, opt)
	if err != nil {
		t.Fatal(err)
	}
	sum.Elapsed = 0
	if want := (ingest.Summary{Files: 15, Known: 15}); sum != want {
		t.Fatalf("second run: %+v, want %+v", sum, want)
	}
	if n := count(t, st, "documents"); n != distinct {
		t.Fatalf("after second run: %d documents, want %d", n, distinct)
	}
	if s, c := count(t, st, "sources"), count(t, st, "cells"); s != sources || c != cells {
		t.Fatalf("second run added sources %d→%d or cells %d→%d", sources, s, cells, c)
	}
	// A file lost from the archive comes back when its bytes are ingested again.
	lost := docSHA(t, st, "unit-001.pdf")
	os.Remove(st.Archive().Path(lost))
	if _, err := ingest.Run(ctx, opt); err != nil || !st.Archive().Has(lost) {
		t.Fatalf("lost archive file not restored: %v", err)
	}
	// The copy under another name is one document with two sources.
	srcs, err := st.Sources(ctx, docSHA(t, st, "unit-000.pdf"))
	if err != nil || len(srcs) != 2 {
		t.Fatalf("sources of unit-000: %v %v", srcs, err)
	}

	failed, err := st.Documents(ctx, store.Filter{Status: store.StatusFailed})
	if err != nil {
		t.Fatal(err)
	}
	reasons := map[string]string{}
	for _, d := range failed {
		reasons[d.File] = d.Error
		if !st.Archive().Has(d.SHA256) {
			t.Errorf("%s: failed file's bytes not archived", d.File)
		}
	}
	if !strings.HasPrefix(reasons["damaged.pdf"], "truncated") || !strings.HasPrefix(reasons["notfound.pdf"], "not a PDF") || len(reasons) != 2 {
		t.Fatalf("failure reasons: %q", reasons)
	}
	ok, _ := st.Documents(ctx, store.Filter{Status: store.StatusOK})
	for _, d := range ok {
		if d.Tables != 13 {
			t.Errorf("%s: %d tables", d.File, d.Tables)
		}
	}
}

func docSHA(t testing.TB, st *store.Store, file string) string {
	var sha string
	if err := st.ReadDB().QueryRow(`SELECT d.sha256 FROM documents d JOIN sources s ON s.document_id = d.id WHERE s.file = ?`, file).Scan(&sha); err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	return sha
}

func TestStoredDocumentIsExtractorOutput(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "a.pdf")
	data := fakepdf.File(5)
	write(t, path, data)
	st := openStore(t, dir)
	p := &ingest.Pipeline{Store: st, Extractor: fakepdf.Extractor{}}
	res, err := p.File(ctx, path)
	if err != nil || res.Outcome != ingest.New {
		t.Fatalf("%+v %v", res, err)
	}
	want, _ := json.Marshal(fakepdf.Extractor{}.Extract(ctx, data, "a.pdf"))
	got, _ := st.DocumentJSON(ctx, res.SHA256)
	if string(got) != string(want) {
		t.Fatal("stored JSON is not the extractor's output")
	}
}

func TestExplicitFilesAndPanics(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	named := filepath.Join(dir, "download.bin")
	write(t, named, fakepdf.File(1))
	panicky := filepath.Join(dir, "panic.pdf")
	write(t, panicky, []byte("%PDF-1.4\n"+fakepdf.PanicMarker+"\n%%EOF\n"))
	st := openStore(t, dir)
	sum, err := ingest.Run(ctx, ingest.Options{Store: st, Extractor: fakepdf.Extractor{}, Paths: []string{named, panicky}})
	if err != nil {
		t.Fatal(err)
	}
	if sum.New != 1 || sum.Failed != 1 {
		t.Fatalf("summary %+v", sum)
	}
	failed, _ := st.Documents(ctx, store.Filter{Status: store.StatusFailed})
	if len(failed) != 1 || !strings.Contains(failed[0].Error, "extractor panic") || failed[0].Extractor != "fake/1" {
		t.Fatalf("failed = %+v", failed)
	}
	if _, err := ingest.Run(ctx, ingest.Options{Store: st, Extractor: fakepdf.Extractor{}, Paths: []string{filepath.Join(dir, "missing")}}); err == nil {
		t.Fatal("missing path: no error")
	}
}

func TestTooLargeIsArchivedAndFailed(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	big := filepath.Join(dir, "big.pdf")
	write(t, big, fakepdf.File(2))
	st := openStore(t, dir)
	p := &ingest.Pipeline{Store: st, Extractor: fakepdf.Extractor{}, MaxFileSize: 1000}
	res, err := p.File(ctx, big)
	if err != nil || res.Outcome != ingest.Failed || !strings.HasPrefix(res.Doc.Error, "file too large") {
		t.Fatalf("%+v %v", res, err)
	}
	if !st.Archive().Has(res.SHA256) {
		t.Fatal("not archived")
	}
	if res, err = p.File(ctx, big); err != nil || res.Outcome != ingest.Known {
		t.Fatalf("again: %+v %v", res, err)
	}
}

func TestUnreadableFileDoesNotStopRun(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root reads everything")
	}
	ctx := context.Background()
	dir := t.TempDir()
	write(t, filepath.Join(dir, "in", "a.pdf"), fakepdf.File(1))
	write(t, filepath.Join(dir, "in", "b.pdf"), fakepdf.File(2))
	os.Chmod(filepath.Join(dir, "in", "a.pdf"), 0)
	st := openStore(t, dir)
	sum, err := ingest.Run(ctx, ingest.Options{Store: st, Extractor: fakepdf.Extractor{}, Paths: []string{filepath.Join(dir, "in")}})
	if err != nil || sum.Unreadable != 1 || sum.New != 1 {
		t.Fatalf("%+v %v", sum, err)
	}
}

func TestReader(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	st := openStore(t, dir)
	p := &ingest.Pipeline{Store: st, Extractor: fakepdf.Extractor{}}
	src := store.Source{File: "x.pdf", URL: "https://example.gov.cn/x.pdf", LinkText: "2026年部门预算"}
	res, err := p.Reader(ctx, strings.NewReader(string(fakepdf.File(9))), src)
	if err != nil || res.Outcome != ingest.New {
		t.Fatalf("%+v %v", res, err)
	}
	res, err = p.Reader(ctx, strings.NewReader(string(fakepdf.File(9))), src)
	if err != nil || res.Outcome != ingest.Known {
		t.Fatalf("again: %+v %v", res, err)
	}
	srcs, _ := st.Sources(ctx, res.SHA256)
	if len(srcs) != 1 || srcs[0].URL != src.URL {
		t.Fatalf("sources %+v", srcs)
	}
}

func TestReextract(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	in := filepath.Join(dir, "in")
	corpus(t, in, 6)
	st := openStore(t, dir)
	if _, err := ingest.Run(ctx, ingest.Options{Store: st, Extractor: fakepdf.Extractor{}, Paths: []string{in}}); err != nil {
		t.Fatal(err)
	}
	// The originals are gone: only the archive remains.
	if err := os.RemoveAll(in); err != nil {
		t.Fatal(err)
	}
	// One archived file is lost too.
	all, _ := st.Documents(ctx, store.Filter{})
	lost := all[len(all)-1]
	os.Remove(st.Archive().Path(lost.SHA256))

	v2 := fakepdf.Extractor{Ver: "fake/2"}
	sum, err := ingest.Reextract(ctx, st, v2, ingest.ReextractOptions{})
	if err != nil {
		t.Fatal(err)
	}
	sum.Elapsed = 0
	lostFailed := 0
	if lost.Status == store.StatusFailed {
		lostFailed = 1
	}
	want := ingest.ReextractSummary{Considered: 8, Updated: 6 - (1 - lostFailed), Failed: 2 - lostFailed, Missing: 1}
	if sum != want {
		t.Fatalf("reextract %+v, want %+v", sum, want)
	}
	stale, _ := st.Documents(ctx, store.Filter{NotExtractor: "fake/2"})
	if len(stale) != 1 || stale[0].SHA256 != lost.SHA256 {
		t.Fatalf("still stale: %+v", stale)
	}
	again, err := ingest.Reextract(ctx, st, v2, ingest.ReextractOptions{})
	if err != nil || again.Considered != 1 {
		t.Fatalf("second reextract: %+v %v", again, err)
	}
	doc, _ := st.Document(ctx, all[0].SHA256)
	if doc.Extractor != "fake/2" || len(doc.Tables) != 13 {
		t.Fatalf("re-extracted doc: %s, %d tables", doc.Extractor, len(doc.Tables))
	}
	if n := count(t, st, "tables"); n != 13*6 {
		t.Fatalf("%d tables after reextract, want %d", n, 13*6)
	}
}

const childEnv = "YUSUAN_INGEST_KILL_CHILD"

// TestKillMidIngest runs an ingest in a child process, SIGKILLs it in the
// middle, runs again, and checks that every document is stored once and
// whole.
func TestKillMidIngest(t *testing.T) {
	if dir := os.Getenv(childEnv); dir != "" {
		childIngest(dir)
		return
	}
	ctx := context.Background()
	dir := t.TempDir()
	in := filepath.Join(dir, "in")
	distinct := corpus(t, in, 30)

	cmd := exec.Command(os.Args[0], "-test.run=^TestKillMidIngest$", "-test.v")
	cmd.Env = append(os.Environ(), childEnv+"="+dir)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Kill after a few documents are stored, while others are in flight.
	sc := bufio.NewScanner(stderr)
	stored := 0
	for sc.Scan() && stored < 6 {
		if strings.Contains(sc.Text(), "msg=ingest ") {
			stored++
		}
	}
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	go io.Copy(io.Discard, stderr)
	_ = cmd.Wait()
	if stored < 6 {
		t.Fatalf("child stored only %d documents before ending", stored)
	}

	st := openStore(t, dir)
	before := count(t, st, "documents")
	if before == 0 || before >= distinct {
		t.Fatalf("kill came at the wrong time: %d of %d documents stored", before, distinct)
	}
	t.Logf("killed after %d of %d documents were stored", before, distinct)
	sum, err := ingest.Run(ctx, ingest.Options{Store: st, Extractor: fakepdf.Extractor{}, Paths: []string{in}})
	if err != nil {
		t.Fatal(err)
	}
	if sum.New+sum.Failed != distinct-before {
		t.Fatalf("second run %+v after %d stored; want %d new or failed", sum, before, distinct-before)
	}
	if n := count(t, st, "documents"); n != distinct {
		t.Fatalf("%d documents, want %d", n, distinct)
	}
	checkComplete(t, st)
	var ic string
	if err := st.ReadDB().QueryRow(`PRAGMA integrity_check`).Scan(&ic); err != nil || ic != "ok" {
		t.Fatalf("integrity: %s %v", ic, err)
	}
}

func childIngest(dir string) {
	st, err := store.Open(context.Background(), filepath.Join(dir, "yusuan.db"))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	_, err = ingest.Run(context.Background(), ingest.Options{Store: st, Extractor: fakepdf.Extractor{Delay: 30 * time.Millisecond},
		Paths: []string{filepath.Join(dir, "in")}, Workers: 2,
		// One line per stored document tells the parent when to kill.
		Logger: slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))})
	fmt.Fprintln(os.Stderr, "child finished", err)
	os.Exit(3)
}

// checkComplete compares every stored document's JSON with its rows in
// the relational tables.
func checkComplete(t *testing.T, st *store.Store) {
	t.Helper()
	ctx := context.Background()
	for doc, err := range st.AllDocuments(ctx, store.Filter{}) {
		if err != nil {
			t.Fatal(err)
		}
		var tables, rows, cells, facts, sections int
		err := st.ReadDB().QueryRow(`SELECT
			(SELECT count(*) FROM tables t WHERE t.document_id = d.id),
			(SELECT count(*) FROM rows r JOIN tables t ON t.id = r.table_id WHERE t.document_id = d.id),
			(SELECT count(*) FROM cells c JOIN rows r ON r.id = c.row_id JOIN tables t ON t.id = r.table_id WHERE t.document_id = d.id),
			(SELECT count(*) FROM facts f WHERE f.document_id = d.id),
			(SELECT count(*) FROM sections s WHERE s.document_id = d.id)
			FROM documents d WHERE d.sha256 = ?`, doc.SHA256).Scan(&tables, &rows, &cells, &facts, &sections)
		if err != nil {
			t.Fatal(err)
		}
		wr, wc := 0, 0
		for _, tb := range doc.Tables {
			wr += len(tb.Rows)
			for _, r := range tb.Rows {
				wc += len(r.Values)
			}
		}
		if tables != len(doc.Tables) || rows != wr || cells != wc || facts != len(doc.Facts) || sections != len(doc.Narrative) {
			t.Errorf("%s: stored %d/%d/%d/%d/%d, document has %d/%d/%d/%d/%d", doc.File, tables, rows, cells, facts, sections,
				len(doc.Tables), wr, wc, len(doc.Facts), len(doc.Narrative))
		}
	}
	docs, _ := st.Documents(ctx, store.Filter{})
	for _, d := range docs {
		if _, err := st.Archive().ReadAll(d.SHA256); err != nil {
			t.Errorf("%s: archive: %v", d.File, err)
		}
	}
}
