package web

import (
	"context"
	"net/url"
	"reflect"
	"strings"
	"testing"

	"yusuan"
	"yusuan/extract"
	"yusuan/store"
)

// A page read alone is the page read with the whole file: the drawing
// puts the stored boxes over the same glyphs as the extraction saw.
func TestReadPageAlone(t *testing.T) {
	f := getFixture(t)
	st := openStore(t, f.db)
	data, err := st.Archive().ReadAll(f.evSHA)
	if err != nil {
		t.Fatal(err)
	}
	whole, err := extract.ReadText(context.Background(), data, extract.Options{})
	if err != nil {
		t.Fatal(err)
	}
	p := newPager(st, st.Archive(), 64<<20)
	for _, n := range []int{1, f.evPage, len(whole.Pages)} {
		alone, err := p.page(context.Background(), f.evSHA, n)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(alone, whole.Pages[n-1]) {
			t.Errorf("page %d read alone differs from the page read with the file", n)
		}
	}
	if _, err := p.page(context.Background(), f.evSHA, len(whole.Pages)+1); err == nil {
		t.Error("a page beyond the file was read")
	}
	// Several pages in one pass, cached.
	if err := p.readPages(context.Background(), f.evSHA, []int{2, 3, 3}); err != nil {
		t.Fatal(err)
	}
	for _, n := range []int{2, 3} {
		if _, ok := p.cache.get(layoutKey(f.evSHA, n)); !ok {
			t.Errorf("page %d not cached", n)
		}
	}
	if _, err := p.page(context.Background(), strings.Repeat("0", 64), 1); err == nil {
		t.Error("a page of a file not in the archive")
	}
}

func TestLRU(t *testing.T) {
	c := newLRU(100)
	c.put("a", 1, 40)
	c.put("b", 2, 40)
	c.get("a") // b is now the least recently used
	c.put("c", 3, 40)
	if _, ok := c.get("b"); ok {
		t.Error("b kept over the budget")
	}
	for _, k := range []string{"a", "c"} {
		if _, ok := c.get(k); !ok {
			t.Errorf("%s dropped", k)
		}
	}
	c.put("huge", 4, 101)
	if _, ok := c.get("huge"); ok {
		t.Error("a value over the whole budget kept")
	}
	c.put("a", 5, 70) // replaced, larger: c goes
	if used, n, _, _ := c.stats(); used > 100 || n != 1 {
		t.Errorf("%d bytes in %d entries", used, n)
	}
}

func TestGroupDigits(t *testing.T) {
	for in, want := range map[string]string{"": "", "0.00": "0.00", "123": "123", "1234": "1,234", "1234567.891": "1,234,567.891",
		"-1234.5": "-1,234.5", "-123": "-123", "100000": "100,000", "12345678901234": "12,345,678,901,234", "1,234": "1,234"} {
		if got := groupDigits(in); got != want {
			t.Errorf("groupDigits(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestDiffDocuments(t *testing.T) {
	code := "201"
	table := func(v string) yusuan.Table {
		return yusuan.Table{Kind: yusuan.ExpenditureSummary, Label: "表三", Title: "支出总表", Columns: []string{"total"},
			Headers: map[string]string{"total": "合计"},
			Rows: []yusuan.Row{{Name: "合计", Values: map[string]yusuan.Amount{"total": yusuan.MustAmount(v)}},
				{Code: &code, Name: "一般公共服务支出", Values: map[string]yusuan.Amount{"total": yusuan.MustAmount(v)}}}}
	}
	old := &yusuan.Document{Pages: 22, Tables: []yusuan.Table{table("10.00")}, Facts: yusuan.Facts{"total_income": yusuan.MustAmount("10")}}
	cur := &yusuan.Document{Pages: 23, Tables: []yusuan.Table{table("10.0"), {Kind: yusuan.ThreePublic, Title: "“三公”经费表"}},
		Facts: yusuan.Facts{"total_income": yusuan.MustAmount("11")}}
	cur.Tables[0].Rows[1].Values["total"] = yusuan.MustAmount("12.00")
	cur.Tables[0].Rows = append(cur.Tables[0].Rows, yusuan.Row{Name: "新行"})
	want := []string{"pages: 22 → 23", "表三 支出总表: 201 一般公共服务支出, 合计: 10.00 → 12.00", "表三 支出总表: row added: 新行",
		"table added: “三公”经费表", "情况说明 total_income: 10 → 11"}
	if got := diffDocuments(old, cur); !reflect.DeepEqual(got, want) {
		t.Errorf("diff:\n got %q\nwant %q", got, want)
	}
	if got := diffDocuments(old, old); len(got) != 0 {
		t.Errorf("a document differs from itself: %q", got)
	}
}

func TestFindingFilter(t *testing.T) {
	q := url.Values{"severity": {"error"}, "rule": {"cross."}, "region": {" 江苏省 "}, "entity": {"财政局"}, "year": {"2026"},
		"verdict": {"false-alarm"}, "sort": {"year"}, "page": {"3"}, "per_page": {"20"}}
	f, p, err := findingFilter(q)
	if err != nil {
		t.Fatal(err)
	}
	want := store.FindingFilter{Rule: "cross.", Severity: yusuan.SeverityError, Year: 2026, Entity: "财政局", Region: "江苏省",
		Verdict: "false-alarm", All: true, Sort: "year", Limit: 20, Offset: 40}
	if !reflect.DeepEqual(f, want) || p.Page != 3 {
		t.Errorf("got %+v", f)
	}
}

// FuzzQuery: any query string gives a filter the store accepts or a 400,
// never a panic.
func FuzzQuery(f *testing.F) {
	for _, s := range []string{"severity=error&page=2", "rule=cross.&sort=year", "region=%E6%B1%9F", "per_page=500&page=20001",
		"year=2026&verdict=stale&all=1", "document=" + strings.Repeat("a", 64), "entity=%00", "kind=budget&scope=unit&status=ok"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		q, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		if ff, _, err := findingFilter(q); err == nil {
			if ff.Validate() != nil || ff.Limit < 1 || ff.Limit > maxPerPage || ff.Offset < 0 || ff.Offset > maxOffset {
				t.Errorf("%q gave %+v", raw, ff)
			}
		} else if status(err) != 400 {
			t.Errorf("%q: %v is not a 400", raw, err)
		}
		if dq, _, err := documentQuery(q); err == nil {
			if dq.Validate() != nil || dq.Limit < 1 || dq.Limit > maxPerPage {
				t.Errorf("%q gave %+v", raw, dq)
			}
		} else if status(err) != 400 {
			t.Errorf("%q: %v is not a 400", raw, err)
		}
	})
}
