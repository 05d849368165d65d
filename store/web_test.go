package store_test

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"slices"
	"testing"
	"time"

	"yusuan"
	"yusuan/store"
)

// webDoc is a small stored document: a 收支总表 with 收入总计 and a coded
// row, and the narrative's 收入总计.
func webDoc(entity string, year int, scope yusuan.Scope, total string) *yusuan.Document {
	sum := sha256.Sum256([]byte(entity + string(rune(year)) + string(scope) + total))
	code := "201"
	return &yusuan.Document{Schema: 1, File: entity + ".pdf", SHA256: hex.EncodeToString(sum[:]), Pages: 3, TextLayer: true,
		Meta: yusuan.Meta{Entity: entity, Year: year, Scope: scope, Kind: yusuan.KindBudget, Title: entity + "预算"},
		Tables: []yusuan.Table{{Kind: yusuan.IncomeExpenditureSummary, Label: "表一", Title: "收支总表", Pages: []int{2}, Unit: "万元",
			Columns: []string{"amount", "total"},
			Rows: []yusuan.Row{
				{Side: yusuan.SideExpenditure, Code: &code, Name: "一般公共服务支出", Page: 2, Values: map[string]yusuan.Amount{"total": yusuan.MustAmount(total)}},
				{Side: yusuan.SideIncome, Name: "收入总计", Page: 2, Values: map[string]yusuan.Amount{"amount": yusuan.MustAmount(total)}},
			}}},
		Narrative: []yusuan.Section{}, Facts: yusuan.Facts{"total_income": yusuan.MustAmount(total)},
		Sources:  []yusuan.FactSource{{Key: "total_income", Value: yusuan.MustAmount(total), Page: 3, Sentence: "收入总计" + total + "万元。"}},
		Warnings: []string{}}
}

func TestWebQueries(t *testing.T) {
	ctx := context.Background()
	st := openTemp(t)
	add := func(d *yusuan.Document) {
		t.Helper()
		if _, err := st.PutDocument(ctx, d, 100, store.Source{File: d.File, URL: "https://x.example/" + d.File}); err != nil {
			t.Fatal(err)
		}
	}
	add(webDoc("江苏省苏州市财政局", 2025, yusuan.ScopeDepartment, "100.00"))
	add(webDoc("江苏省苏州市财政局", 2026, yusuan.ScopeDepartment, "110.00"))
	add(webDoc("江苏省苏州市财政局", 2026, yusuan.ScopeDepartment, "111.00")) // a revision: supersedes the one before
	add(webDoc("江苏省南京市教育局", 2026, yusuan.ScopeUnit, "50.00"))
	add(webDoc("浙江省杭州市财政局", 2026, yusuan.ScopeDepartment, "70.00"))
	add(webDoc("国家信访局", 2026, yusuan.ScopeDepartment, "9.00"))
	failed := &yusuan.Document{Schema: 1, File: "bad.pdf", SHA256: hex.EncodeToString(make([]byte, 32)), Error: "not a PDF: html",
		Meta: yusuan.Meta{Scope: yusuan.ScopeUnknown, Kind: yusuan.KindUnknown}, Tables: []yusuan.Table{}, Narrative: []yusuan.Section{},
		Facts: yusuan.Facts{}, Warnings: []string{}}
	add(failed)

	list := func(q store.DocumentQuery) ([]string, int) {
		t.Helper()
		res, err := st.QueryDocuments(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, d := range res.Documents {
			out = append(out, d.Entity+" "+string(rune('0'+d.Year%10)))
		}
		return out, res.Total
	}
	for _, c := range []struct {
		q     store.DocumentQuery
		want  []string
		total int
	}{
		// Current documents, newest year first, then latest stored.
		{store.DocumentQuery{}, []string{"国家信访局 6", "浙江省杭州市财政局 6", "江苏省南京市教育局 6", "江苏省苏州市财政局 6",
			"江苏省苏州市财政局 5", " 0"}, 6},
		{store.DocumentQuery{All: true, Limit: 2, Offset: 1}, []string{"浙江省杭州市财政局 6", "江苏省南京市教育局 6"}, 7},
		{store.DocumentQuery{Region: "江苏省"}, []string{"江苏省南京市教育局 6", "江苏省苏州市财政局 6", "江苏省苏州市财政局 5"}, 3},
		{store.DocumentQuery{Region: "江苏省苏州市", Year: 2026}, []string{"江苏省苏州市财政局 6"}, 1},
		{store.DocumentQuery{Entity: "财政局", Scope: yusuan.ScopeDepartment, Year: 2026}, []string{"浙江省杭州市财政局 6", "江苏省苏州市财政局 6"}, 2},
		{store.DocumentQuery{Entity: "没有"}, nil, 0},
		{store.DocumentQuery{Status: store.StatusFailed}, []string{" 0"}, 1},
	} {
		got, total := list(c.q)
		if !slices.Equal(got, c.want) || total != c.total {
			t.Errorf("%+v: %q (%d), want %q (%d)", c.q, got, total, c.want, c.total)
		}
	}
	if err := (store.DocumentQuery{Status: "x"}).Validate(); err == nil {
		t.Error("a bad status accepted")
	}

	counts, err := st.CountDocuments(ctx)
	if err != nil {
		t.Fatal(err)
	}
	n := map[int]int{}
	for _, c := range counts {
		n[c.Year] += c.N
	}
	if n[2026] != 4 || n[2025] != 1 || n[0] != 1 {
		t.Errorf("counts by year %v", n)
	}
	regions, err := st.CountDocumentsByRegion(ctx)
	if err != nil {
		t.Fatal(err)
	}
	byRegion := map[string]int{}
	for _, r := range regions {
		byRegion[r.Region] = r.N
	}
	if byRegion["江苏省苏州市"] != 2 || byRegion["江苏省南京市"] != 1 || byRegion["浙江省杭州市"] != 1 || byRegion[store.Central] != 1 || byRegion[""] != 1 {
		t.Errorf("by region %v", byRegion)
	}
	fails, err := st.CountFailures(ctx, 10)
	if err != nil || len(fails) != 1 || fails[0].N != 1 || fails[0].SHA256 != failed.SHA256 || fails[0].Error != "not a PDF: html" ||
		fails[0].Kind != "" {
		t.Errorf("failures %+v %v", fails, err)
	}
	// Failures the extractor classified are counted by their kind (the
	// stored extraction's error_kind), whatever their reasons say.
	for i, msg := range []string{"no %PDF- header", "served text/html"} {
		sum := sha256.Sum256([]byte(msg))
		d := &yusuan.Document{Schema: 1, File: "f.pdf", SHA256: hex.EncodeToString(sum[:]), Error: msg,
			Meta: yusuan.Meta{Scope: yusuan.ScopeUnknown, Kind: yusuan.KindUnknown}, Tables: []yusuan.Table{}, Narrative: []yusuan.Section{},
			Facts: yusuan.Facts{}, Warnings: []string{}}
		add(d)
		raw, err := sql.Open("sqlite", st.Path())
		if err != nil {
			t.Fatal(err)
		}
		if _, err := raw.Exec(`UPDATE documents SET extract = ? WHERE sha256 = ?`, []byte(`{"error":"`+msg+`","error_kind":"not-pdf"}`), d.SHA256); err != nil {
			t.Fatal(err)
		}
		raw.Close()
		if i == 1 {
			fails, err = st.CountFailures(ctx, 10)
			if err != nil || len(fails) != 2 || fails[0].Kind != "not-pdf" || fails[0].N != 2 || fails[0].Error != msg || fails[1].N != 1 {
				t.Errorf("failures by kind %+v %v", fails, err)
			}
		}
	}

	suzhou, err := st.QueryDocuments(ctx, store.DocumentQuery{Entity: "苏州", All: true})
	if err != nil {
		t.Fatal(err)
	}
	id := suzhou.Documents[0].EntityID
	e, err := st.Entity(ctx, id)
	if err != nil || e.Name != "江苏省苏州市财政局" || e.Region != "江苏省苏州市" || e.Scope != yusuan.ScopeDepartment || len(e.Names) != 1 {
		t.Errorf("entity %+v %v", e, err)
	}
	if _, err := st.Entity(ctx, 9999); !errors.Is(err, store.ErrEntityNotFound) {
		t.Errorf("unknown entity: %v", err)
	}
	rows, err := st.EntityRows(ctx, id, []yusuan.TableKind{yusuan.IncomeExpenditureSummary})
	if err != nil {
		t.Fatal(err)
	}
	var totals []string
	for _, r := range rows {
		if r.Name != "收入总计" || r.Side != yusuan.SideIncome || r.Label != "表一" || r.Page != 2 || r.Unit != "万元" {
			t.Errorf("row %+v", r)
		}
		totals = append(totals, r.Values["amount"].String())
	}
	if !slices.Equal(totals, []string{"100.00", "110.00", "111.00"}) { // the coded row is left out
		t.Errorf("收入总计 of the entity's documents: %v", totals)
	}
	facts, err := st.EntityFacts(ctx, id, []string{"total_income"})
	if err != nil || len(facts) != 3 || facts[2].Amount.String() != "111.00" || facts[2].Page != 3 || facts[2].Sentence != "收入总计111.00万元。" {
		t.Errorf("facts %+v %v", facts, err)
	}
	di, err := st.DocumentInfo(ctx, suzhou.Documents[0].SHA256)
	if err != nil || di.SHA256 != suzhou.Documents[0].SHA256 {
		t.Errorf("document info %+v %v", di, err)
	}
	if _, err := st.DocumentInfo(ctx, failed.SHA256[:63]+"1"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("unknown document: %v", err)
	}
}

func TestRecentCrawlRuns(t *testing.T) {
	ctx := context.Background()
	st := openTemp(t)
	at := time.Date(2026, 3, 1, 2, 0, 0, 0, time.UTC)
	run, err := st.CrawlStartRun(ctx, "a.example", at)
	if err != nil {
		t.Fatal(err)
	}
	items := []store.CrawlItem{{Site: "a.example", Kind: "file", URL: "https://a.example/1.pdf"},
		{Site: "a.example", Kind: "file", URL: "https://a.example/2.pdf"}, {Site: "a.example", Kind: "file", URL: "https://a.example/3.pdf"}}
	if _, err := st.CrawlEnqueue(ctx, run.ID, "a.example", items); err != nil {
		t.Fatal(err)
	}
	// 1.pdf seen before the run: this run brings it revised.
	for _, v := range []struct {
		url, sha string
		at       time.Time
	}{{"https://a.example/1.pdf", "aa", at.Add(-24 * time.Hour)}, {"https://a.example/1.pdf", "bb", at.Add(time.Minute)},
		{"https://a.example/2.pdf", "cc", at.Add(2 * time.Minute)}} {
		if _, _, _, err := st.CrawlAddVersion(ctx, v.url, v.sha, "", v.at); err != nil {
			t.Fatal(err)
		}
	}
	for i, it := range items {
		r := store.CrawlResult{State: "done", HTTPStatus: 200, Fetched: at.Add(time.Duration(i) * time.Minute)}
		if i == 2 {
			r = store.CrawlResult{State: "failed", HTTPStatus: 404, Failure: "http-status", Fetched: r.Fetched}
		}
		if err := st.CrawlFinish(ctx, run.ID, it.URL, r); err != nil {
			t.Fatal(err)
		}
	}
	if err := st.CrawlFinishRun(ctx, run.ID, at.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	runs, err := st.RecentCrawlRuns(ctx, 5)
	if err != nil || len(runs) != 1 {
		t.Fatalf("%+v %v", runs, err)
	}
	r := runs[0]
	if r.Site != "a.example" || r.Fetched != 3 || r.Failed != 1 || r.NewFiles != 1 || r.Revised != 1 || !r.Finished.Equal(at.Add(time.Hour)) {
		t.Errorf("%+v", r)
	}
}
