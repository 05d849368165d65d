package store_test

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
	"time"

	"yusuan"
	"yusuan/store"
)

var benchRules = []string{"summary.balance", "row.sum", "hierarchy.sum", "three_public.sum", "cross.totals",
	"cross.categories", "cross.general_budget", "cross.admin_operating", "cross.project", "narrative.figure",
	"narrative.percent", "narrative.boilerplate", "year.previous", "completeness.tables"}

var benchPlaces = []string{"江苏省苏州市", "江苏省南京市", "浙江省杭州市西湖区", "广东省广州市", "上海市普陀区", "北京市东城区",
	"山西省阳泉市", "四川省成都市", "湖北省武汉市", "福建省泉州市", "河南省洛阳市", "重庆市渝中区"}

// buildFindingsDB fills a store with the findings of docs documents (five
// per document on average: 10% errors, 20% warnings) over 20 entities per
// place and five years, each finding with two evidence cells, and gives
// verdicts to one finding in a hundred.
func buildFindingsDB(tb testing.TB, path string, docs int) *store.Store {
	ctx := context.Background()
	st, err := store.Open(ctx, path)
	if err != nil {
		tb.Fatal(err)
	}
	runs, _ := st.Runs(ctx)
	if slices.ContainsFunc(runs, func(r store.CheckRun) bool { return r.Note == "bench "+strconv.Itoa(docs) }) {
		return st // built by an earlier run of the benchmark
	}
	start := time.Now()
	var batch []yusuan.Finding
	flush := func() {
		// A rule no finding has: the chunks do not close each other.
		if _, _, err := st.SaveRun(ctx, store.CheckRun{}, batch, store.Scope{Rules: []string{"none"}}); err != nil {
			tb.Fatal(err)
		}
		batch = batch[:0]
	}
	var judged []string
	r := rand.New(rand.NewPCG(3, 4))
	benchFindings(docs, func(f yusuan.Finding) {
		batch = append(batch, f)
		if r.IntN(100) == 0 {
			judged = append(judged, f.ID)
		}
		if len(batch) >= 20000 {
			flush()
		}
	})
	flush()
	kinds := []yusuan.VerdictKind{yusuan.VerdictConfirmed, yusuan.VerdictFalseAlarm, yusuan.VerdictExplained}
	for i, id := range judged {
		if _, err := st.SetVerdict(ctx, id, kinds[i%3], "bench", "bench"); err != nil {
			tb.Fatal(err)
		}
	}
	if _, _, err := st.SaveRun(ctx, store.CheckRun{Note: "bench " + strconv.Itoa(docs)}, nil, store.Scope{Rules: []string{"none"}}); err != nil {
		tb.Fatal(err)
	}
	tb.Logf("saved %d documents' findings in %s", docs, time.Since(start).Round(time.Second))
	// The documents are not stored: give the findings entities directly.
	st.Close()
	raw, err := sql.Open("sqlite", path)
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := raw.Exec(`INSERT INTO entities(name, scope, region) SELECT DISTINCT entity, 'unit', region FROM findings;
		CREATE INDEX bench_entities_name ON entities(name);
		INSERT INTO entity_names(norm_name, entity_id) SELECT name, id FROM entities;
		UPDATE findings SET entity_id = (SELECT e.id FROM entities e WHERE e.name = findings.entity);
		DROP INDEX bench_entities_name; ANALYZE`); err != nil {
		tb.Fatal(err)
	}
	raw.Close()
	if st, err = store.Open(ctx, path); err != nil {
		tb.Fatal(err)
	}
	return st
}

// benchFindings makes the findings of docs documents, the same every time.
func benchFindings(docs int, yield func(yusuan.Finding)) {
	r := rand.New(rand.NewPCG(1, 2))
	for d := range docs {
		place := benchPlaces[d%len(benchPlaces)]
		entity := fmt.Sprintf("%s第%d局", place, (d/len(benchPlaces))%(docs/len(benchPlaces)/5+1))
		year := 2022 + d%5
		sha := fmt.Sprintf("%064x", d+1)
		for k := range r.IntN(9) + 1 {
			sev := yusuan.SeverityInfo
			switch x := r.IntN(10); {
			case x == 0:
				sev = yusuan.SeverityError
			case x <= 2:
				sev = yusuan.SeverityWarning
			}
			row := "行" + strconv.Itoa(k)
			yield(finding(benchRules[r.IntN(len(benchRules))], sev, sha, entity, year, row, strconv.Itoa(r.IntN(100000))+".00"))
		}
	}
}

// BenchmarkQueryFindings measures the queries of a findings list (the web
// UI's) on the findings of 100,000 documents and reports each one's p95.
// YUSUAN_BENCH_DB names a database to build once and reuse.
func BenchmarkQueryFindings(b *testing.B) {
	path := os.Getenv("YUSUAN_BENCH_DB")
	if path == "" {
		path = filepath.Join(b.TempDir(), "bench.db")
	}
	docs := 100_000
	if n, err := strconv.Atoi(os.Getenv("YUSUAN_BENCH_DOCS")); err == nil {
		docs = n
	}
	st := buildFindingsDB(b, path, docs)
	defer st.Close()
	ctx := context.Background()
	var n int
	st.ReadDB().QueryRow(`SELECT count(*) FROM findings`).Scan(&n)
	b.Logf("%d findings", n)
	one, _ := st.Findings(ctx, store.FindingFilter{Limit: 1, Offset: 12345})
	var entityID int64
	st.ReadDB().QueryRow(`SELECT entity_id FROM findings WHERE entity_id IS NOT NULL LIMIT 1`).Scan(&entityID)
	cases := []struct {
		name string
		f    store.FindingFilter
	}{
		{"default", store.FindingFilter{}},
		{"page1000", store.FindingFilter{Offset: 50_000}},
		{"errors", store.FindingFilter{Severity: yusuan.SeverityError}},
		{"rule", store.FindingFilter{Rule: "hierarchy.sum"}},
		{"rulePrefix", store.FindingFilter{Rule: "cross."}},
		{"year", store.FindingFilter{Year: 2024}},
		{"province", store.FindingFilter{Region: "江苏省"}},
		{"region", store.FindingFilter{Region: "江苏省苏州市"}},
		{"entityName", store.FindingFilter{Entity: "苏州市第3局"}},
		{"entity", store.FindingFilter{EntityID: entityID}},
		{"verdict", store.FindingFilter{Verdict: store.VerdictAny, All: true}},
		{"falseAlarms", store.FindingFilter{Verdict: string(yusuan.VerdictFalseAlarm), All: true}},
		{"document", store.FindingFilter{SHA256: one[0].Documents[0].SHA256}},
		{"ruleYearErrors", store.FindingFilter{Rule: "row.sum", Year: 2025, Severity: yusuan.SeverityError}},
		{"regionErrorsSortYear", store.FindingFilter{Region: "浙江省", Severity: yusuan.SeverityError, Sort: store.SortYear}},
		{"sortEntity", store.FindingFilter{Sort: store.SortEntity}},
		{"sortYear", store.FindingFilter{Sort: store.SortYear}},
		{"sortRule", store.FindingFilter{Sort: store.SortRule}},
		{"sortRecent", store.FindingFilter{Sort: store.SortRecent}},
		{"all", store.FindingFilter{All: true}},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			f := c.f
			f.Limit = 50
			var times []time.Duration
			for b.Loop() {
				t0 := time.Now()
				if _, err := st.QueryFindings(ctx, f); err != nil {
					b.Fatal(err)
				}
				times = append(times, time.Since(t0))
			}
			reportP95(b, times)
		})
	}
	b.Run("finding", func(b *testing.B) {
		var times []time.Duration
		for b.Loop() {
			t0 := time.Now()
			if _, err := st.Finding(ctx, one[0].ID); err != nil {
				b.Fatal(err)
			}
			times = append(times, time.Since(t0))
		}
		reportP95(b, times)
	})
	// A run that reports 20,000 findings again, unchanged, into the
	// findings of 100,000 documents: a nightly run's cost per finding.
	b.Run("save20kUnchanged", func(b *testing.B) {
		var again []yusuan.Finding
		benchFindings(docs, func(f yusuan.Finding) {
			if len(again) < 20000 {
				again = append(again, f)
			}
		})
		for b.Loop() {
			run, _, err := st.SaveRun(ctx, store.CheckRun{}, again, store.Scope{Rules: []string{"none"}})
			if err != nil || run.New != 0 {
				b.Fatalf("%+v %v", run, err)
			}
		}
	})
	b.Run("countByRule", func(b *testing.B) {
		var times []time.Duration
		for b.Loop() {
			t0 := time.Now()
			if _, err := st.CountFindings(ctx, store.FindingFilter{}); err != nil {
				b.Fatal(err)
			}
			times = append(times, time.Since(t0))
		}
		reportP95(b, times)
	})
}

func reportP95(b *testing.B, times []time.Duration) {
	slices.Sort(times)
	if len(times) > 0 {
		b.ReportMetric(float64(times[len(times)*95/100].Microseconds())/1000, "p95-ms")
	}
}
