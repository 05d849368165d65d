package web

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
	"time"

	"yusuan/fixtures/bigdb"
	"yusuan/store"
)

// BenchmarkPages requests every kind of page and API call on a large
// store and reports each one's p95 in milliseconds (p95-ms), one request
// at a time. Pages that draw or decode a document ask for another
// document, finding or entity each time, so that they are measured cold.
//
// YUSUAN_BENCH_DB names a store built by tools/gendb (100,000 documents:
// go run ./tools/gendb -db /tmp/big/yusuan.db); without it a store of
// 2,000 documents is built here. For example:
//
//	YUSUAN_BENCH_DB=/tmp/big/yusuan.db go test ./web -run X -bench Pages -benchtime 40x
func BenchmarkPages(b *testing.B) {
	ctx := context.Background()
	path := os.Getenv("YUSUAN_BENCH_DB")
	if path == "" {
		path = filepath.Join(b.TempDir(), "yusuan.db")
		st, err := store.Open(ctx, path)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := bigdb.Generate(ctx, st, bigdb.Options{Documents: 2000, Seed: 1}); err != nil {
			b.Fatal(err)
		}
		st.Close()
	}
	st, err := store.OpenWith(ctx, path, store.Options{MustExist: true})
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	srv, err := New(st, st.Archive(), Options{Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), By: "bench"})
	if err != nil {
		b.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	defer ts.Close()
	s := benchSamples(b, st)
	b.Logf("%d documents, %d findings; samples: %d findings, %d documents, %d entities", s.documents, s.findings,
		len(s.findingIDs), len(s.shas), len(s.entities))

	one := func(p string) func(int) string { return func(int) string { return p } }
	cases := []struct {
		name string
		path func(i int) string
	}{
		{"overview", one("/")},
		{"findings", one("/findings")},
		{"findings/page1000", one("/findings?page=1000")},
		{"findings/errors", one("/findings?severity=error")},
		{"findings/rule", one("/findings?rule=hierarchy.sum")},
		{"findings/province", one("/findings?region=" + url.QueryEscape("江苏省"))},
		{"findings/city", one("/findings?region=" + url.QueryEscape("江苏省苏州市"))},
		{"findings/entity", one("/findings?entity=" + url.QueryEscape("苏州市财政局"))},
		{"findings/yearByEntity", one("/findings?year=2024&sort=entity")},
		{"findings/judged", one("/findings?verdict=any")},
		{"finding", func(i int) string { return "/findings/" + s.findingIDs[i%len(s.findingIDs)] }},
		{"documents", one("/documents")},
		{"documents/page100", one("/documents?page=100")},
		{"documents/province", one("/documents?region=" + url.QueryEscape("浙江省"))},
		{"documents/city", one("/documents?region=" + url.QueryEscape("广东省深圳市"))},
		{"documents/yearUnits", one("/documents?year=2025&scope=unit")},
		{"documents/failed", one("/documents?status=failed&all=1")},
		{"document", func(i int) string { return "/documents/" + s.shas[(i+len(s.shas)/4)%len(s.shas)] }},
		{"document/page", func(i int) string {
			sha := s.shas[(i+len(s.shas)/2)%len(s.shas)]
			return "/documents/" + sha + "/pages/" + strconv.Itoa(1+i%s.pages[sha])
		}},
		{"entity", func(i int) string { return "/entities/" + strconv.FormatInt(s.entities[i%len(s.entities)], 10) }},
		{"file", func(i int) string { return "/files/" + s.shas[i%len(s.shas)] + ".pdf" }},
		{"api/findings", one("/api/findings?severity=error&per_page=100")},
		{"api/finding", func(i int) string { return "/api/findings/" + s.findingIDs[(i+7)%len(s.findingIDs)] }},
		{"api/documents", one("/api/documents?year=2024")},
		{"api/document", func(i int) string { return "/api/documents/" + s.shas[(i+len(s.shas)/3)%len(s.shas)] }},
		{"api/entity", func(i int) string {
			return "/api/entities/" + strconv.FormatInt(s.entities[(i+11)%len(s.entities)], 10)
		}},
	}
	client := ts.Client()
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			var times []time.Duration
			i := 0
			for b.Loop() {
				p := c.path(i)
				i++
				t0 := time.Now()
				resp, err := client.Get(ts.URL + p)
				if err != nil {
					b.Fatal(err)
				}
				n, _ := io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				times = append(times, time.Since(t0))
				if resp.StatusCode != http.StatusOK || n == 0 {
					b.Fatalf("%s: %d, %d bytes", p, resp.StatusCode, n)
				}
			}
			slices.Sort(times)
			b.ReportMetric(float64(times[len(times)*95/100].Microseconds())/1000, "p95-ms")
		})
	}
}

type samples struct {
	documents, findings int
	findingIDs          []string
	shas                []string       // archived, extracted documents
	pages               map[string]int // their page counts
	entities            []int64
}

// benchSamples picks findings on archived documents, archived documents
// and entities spread over the whole store.
func benchSamples(b *testing.B, st *store.Store) samples {
	ctx := context.Background()
	db := st.ReadDB()
	s := samples{pages: map[string]int{}}
	db.QueryRowContext(ctx, `SELECT count(*) FROM documents`).Scan(&s.documents)
	db.QueryRowContext(ctx, `SELECT count(*) FROM findings`).Scan(&s.findings)
	// tools/gendb archives every tenth document, from the first.
	rows, err := db.QueryContext(ctx, `SELECT sha256, pages FROM documents WHERE id % 10 = 1 AND status = 'ok' ORDER BY id`)
	if err != nil {
		b.Fatal(err)
	}
	type doc struct {
		sha   string
		pages int
	}
	var all []doc
	for rows.Next() {
		var d doc
		rows.Scan(&d.sha, &d.pages)
		all = append(all, d)
	}
	rows.Close()
	for k := range min(300, len(all)) {
		d := all[k*len(all)/min(300, len(all))]
		if st.Archive().Has(d.sha) && d.pages > 0 {
			s.shas = append(s.shas, d.sha)
			s.pages[d.sha] = d.pages
		}
	}
	for _, sha := range s.shas {
		var id string
		err := db.QueryRowContext(ctx, `SELECT f.id FROM finding_documents d JOIN findings f ON f.rid = d.finding_rid
			WHERE d.sha256 = ? AND f.status = 'open' ORDER BY f.sev_rank LIMIT 1`, sha).Scan(&id)
		if err == nil {
			s.findingIDs = append(s.findingIDs, id)
		}
	}
	rows, err = db.QueryContext(ctx, `SELECT id FROM entities WHERE (id - 1) % ? = 0`, max(1, s.documents/5/300))
	if err != nil {
		b.Fatal(err)
	}
	for rows.Next() {
		var id int64
		rows.Scan(&id)
		s.entities = append(s.entities, id)
	}
	rows.Close()
	if len(s.shas) < 10 || len(s.findingIDs) < 10 || len(s.entities) < 10 {
		b.Fatalf("too few samples: %d documents, %d findings, %d entities", len(s.shas), len(s.findingIDs), len(s.entities))
	}
	return s
}
