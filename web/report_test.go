package web

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"yusuan"
	"yusuan/extract"
	"yusuan/ingest"
	"yusuan/store"
)

// The report is one self-contained file: inline CSS and SVG, no script,
// nothing to load from anywhere; each finding under its document with
// the crop of its evidence page, the cells outlined.
func TestReport(t *testing.T) {
	f := getFixture(t)
	st := openStore(t, f.db)
	var b bytes.Buffer
	stats, err := Report(t.Context(), &b, st, st.Archive(), ReportOptions{Filter: store.FindingFilter{}, MinSeverity: yusuan.SeverityWarning,
		Title: "测试报告", Now: func() time.Time { return time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC) }})
	if err != nil {
		t.Fatal(err)
	}
	html := b.String()
	want, err := st.QueryFindings(t.Context(), store.FindingFilter{Severity: yusuan.SeverityError})
	if err != nil {
		t.Fatal(err)
	}
	warnings, err := st.QueryFindings(t.Context(), store.FindingFilter{Severity: yusuan.SeverityWarning})
	if err != nil {
		t.Fatal(err)
	}
	if stats.Findings != want.Total+warnings.Total || stats.Truncated {
		t.Errorf("%+v, want %d findings", stats, want.Total+warnings.Total)
	}
	if n := strings.Count(html, `<article class="rfinding">`); n != stats.Findings {
		t.Errorf("%d findings in the file, stats say %d", n, stats.Findings)
	}
	if n := strings.Count(html, `<section class="rdoc"`); n != stats.Documents {
		t.Errorf("%d documents in the file, stats say %d", n, stats.Documents)
	}
	// The crafted finding's crop: its two cells outlined with their amounts.
	at := strings.Index(html, f.balance)
	if at < 0 {
		t.Fatal("the finding with evidence is not in the report")
	}
	article := html[at:]
	article = article[:strings.Index(article, "</article>")]
	for _, w := range []string{`class="crop"`, `<g class="highlights"`, "<title>actual ", "<title>expected ", "收入总计"} {
		if !strings.Contains(article, w) {
			t.Errorf("the finding's section has no %q", w)
		}
	}
	if stats.Crops == 0 || stats.Missing != 0 {
		t.Errorf("crops %d, missing %d", stats.Crops, stats.Missing)
	}
	// Nothing that loads: no src, no href or url() to anything outside the
	// file, no script.
	if m := regexp.MustCompile(`(?i)(src|href)\s*=\s*["']?\s*(https?:)?//`).FindString(html); m != "" {
		t.Errorf("the report loads %q", m)
	}
	if m := regexp.MustCompile(`(?i)url\(|@import|<script|<link|<iframe|<img`).FindString(html); m != "" {
		t.Errorf("the report has %q", m)
	}
	if !strings.Contains(html, "<style>") || !strings.Contains(html, "测试报告") || !strings.Contains(html, "2026-03-01 09:00") {
		t.Error("no inline style, title or date")
	}
	// Documents with errors come first.
	if first := strings.Index(html, `<section class="rdoc"`); !strings.Contains(html[first:first+2000], "sev-error") {
		t.Error("the first document has no error")
	}
}

// A limit cuts the report and says so.
func TestReportLimit(t *testing.T) {
	f := getFixture(t)
	st := openStore(t, f.db)
	var b bytes.Buffer
	stats, err := Report(t.Context(), &b, st, st.Archive(), ReportOptions{Filter: store.FindingFilter{Limit: 3}})
	if err != nil {
		t.Fatal(err)
	}
	if stats.Findings != 3 || !stats.Truncated || !strings.Contains(b.String(), "the first 3 only") {
		t.Errorf("%+v", stats)
	}
}

// BenchmarkReport500 writes the report of 500 findings with evidence on
// the fixture's documents (cells spread evenly over every table of every
// document, so that most pages are read and a crop is drawn for each
// finding): `report --html` must take under 30 s.
//
// YUSUAN_BENCH_PDFS names PDF files (a glob) to ingest instead, such as
// long real disclosures: go test ./web -run X -bench Report500
// -benchtime 1x with YUSUAN_BENCH_PDFS='/path/corpus/real/*.pdf'.
func BenchmarkReport500(b *testing.B) {
	ctx := context.Background()
	var st *store.Store
	var docs []store.DocInfo
	if glob := os.Getenv("YUSUAN_BENCH_PDFS"); glob != "" {
		st = ingestFiles(b, glob)
		var err error
		if docs, err = st.Documents(ctx, store.Filter{}); err != nil {
			b.Fatal(err)
		}
	} else {
		st, docs = openStore(b, copyFixture(b)), getFixture(b).docs
	}
	var fs []yusuan.Finding
	for _, di := range docs {
		if di.Status != store.StatusOK {
			continue
		}
		doc, err := st.Document(ctx, di.SHA256)
		if err != nil {
			b.Fatal(err)
		}
		for ti, t := range doc.Tables {
			for ri, r := range t.Rows {
				for col, box := range r.Boxes {
					a := r.Values[col]
					if a.IsNull() {
						continue
					}
					bx := box
					e := yusuan.Evidence{Role: "actual", SHA256: di.SHA256, Table: ti, Kind: string(t.Kind), Label: t.Label, Title: t.Title,
						Row: r.Name, Code: r.Code, Column: col, Page: r.Page, BBox: &bx, Text: a.String(), Amount: a, Unit: t.Unit}
					f := yusuan.Finding{Rule: "bench.report", Severity: yusuan.SeverityWarning,
						Documents: []yusuan.DocRef{{SHA256: di.SHA256, File: di.File, Entity: di.Entity, Year: di.Year}},
						Tables:    []string{string(t.Kind)}, Message: fmt.Sprintf("%s 第%d行 %s = %s", t.Title, ri, col, a),
						Pages: []int{r.Page}, Evidence: []yusuan.Evidence{e}}
					f.Stamp()
					fs = append(fs, f)
				}
			}
		}
	}
	if len(fs) < 500 {
		b.Fatalf("only %d cells", len(fs))
	}
	// 500 spread evenly over every document's cells.
	picked := make([]yusuan.Finding, 0, 500)
	for i := range 500 {
		picked = append(picked, fs[i*len(fs)/500])
	}
	fs = picked
	if _, _, err := st.SaveRun(ctx, store.CheckRun{Note: "bench"}, fs, store.Scope{Rules: []string{"bench.report"}}); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		var out bytes.Buffer
		stats, err := Report(ctx, &out, st, st.Archive(), ReportOptions{Filter: store.FindingFilter{Rule: "bench.report", Limit: 500}})
		if err != nil || stats.Findings != 500 || stats.Crops != 500 {
			b.Fatalf("%+v %v", stats, err)
		}
		b.ReportMetric(float64(out.Len())/(1<<20), "MB")
	}
}

// ingestFiles stores the PDFs matching glob in a new store, extracted as
// ingest does.
func ingestFiles(b *testing.B, glob string) *store.Store {
	paths, err := filepath.Glob(glob)
	if err != nil || len(paths) == 0 {
		b.Fatalf("%s: no files (%v)", glob, err)
	}
	st, err := store.Open(context.Background(), filepath.Join(b.TempDir(), "yusuan.db"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	p := &ingest.Pipeline{Store: st, Extractor: ingest.ExtractorFunc{Ver: extract.Version,
		Fn: func(ctx context.Context, data []byte, name string) *yusuan.Document {
			return extract.Extract(ctx, data, name, extract.Options{})
		}}}
	for _, path := range paths {
		if _, err := p.File(context.Background(), path); err != nil {
			b.Fatal(err)
		}
	}
	return st
}
