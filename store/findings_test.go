package store_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strconv"
	"strings"
	"testing"

	"yusuan"
	"yusuan/store"
)

var (
	shaA = strings.Repeat("a", 64)
	shaB = strings.Repeat("b", 64)
	shaC = strings.Repeat("c", 64)
)

// finding makes a stamped finding on document sha with one evidence cell
// whose amount is value.
func finding(rule string, sev yusuan.Severity, sha, entity string, year int, row, value string) yusuan.Finding {
	code := "201"
	f := yusuan.Finding{Rule: rule, Severity: sev, Confidence: yusuan.ConfidenceHigh,
		Documents: []yusuan.DocRef{{SHA256: sha, File: entity + ".pdf", Entity: entity, Year: year, Kind: yusuan.KindBudget, Scope: yusuan.ScopeUnit}},
		Tables:    []string{"expenditure_summary"},
		Message:   row + " " + value + " 万元 ≠ Σ款 9.00 万元（差 1.00 万元）", Expected: "9.00", Actual: value, Unit: "万元", Pages: []int{7},
		Evidence: []yusuan.Evidence{
			{Role: "actual", SHA256: sha, Table: 2, Kind: "expenditure_summary", Label: "表3", Title: "支出总表", Row: row, Code: &code,
				Column: "total", Header: "合计", Page: 7, BBox: &yusuan.Rect{300, 500.5, 370, 510.25}, Text: value,
				Amount: yusuan.MustAmount(value), Unit: "万元"},
			{Role: "part", SHA256: sha, Table: 2, Kind: "expenditure_summary", Label: "表3", Title: "支出总表", Row: "行政运行",
				Column: "total", Header: "合计", Page: 7, Text: "9.00", Amount: yusuan.MustAmount("9.00"), Unit: "万元"},
		}}
	f.Stamp()
	return f
}

func ids(fs []store.StoredFinding) []string {
	var out []string
	for _, f := range fs {
		out = append(out, f.ID)
	}
	slices.Sort(out)
	return out
}

func open(t *testing.T, st *store.Store, f store.FindingFilter) []store.StoredFinding {
	t.Helper()
	fs, err := st.Findings(context.Background(), f)
	if err != nil {
		t.Fatal(err)
	}
	return fs
}

func TestFindingsRoundTripWithEvidence(t *testing.T) {
	ctx := context.Background()
	st := openTemp(t)
	fs := []yusuan.Finding{
		finding("hierarchy.sum", yusuan.SeverityError, shaA, "江苏省苏州市财政局", 2026, "一般公共服务支出", "10.00"),
		{Rule: "completeness.text_layer", Severity: yusuan.SeverityWarning, Confidence: yusuan.ConfidenceLow, Why: "图片型",
			Documents: []yusuan.DocRef{{SHA256: shaB, Year: 2025}, {SHA256: shaA, Year: 2026}}, Tables: []string{}, Message: "无文字层"},
	}
	fs[1].Stamp()
	run, saved, err := st.SaveRun(ctx, store.CheckRun{RulesVersion: "r1", Extractors: []string{"x/1"}, Documents: 2}, fs, store.Scope{})
	if err != nil {
		t.Fatal(err)
	}
	if run.ID == 0 || run.New != 2 || run.Changed != 0 || run.Gone != 0 || len(saved) != 2 {
		t.Fatalf("run %+v", run)
	}
	got := open(t, st, store.FindingFilter{Sort: store.SortSeverity})
	if len(got) != 2 {
		t.Fatalf("%d findings", len(got))
	}
	for k := range fs {
		a, _ := json.Marshal(fs[k])
		b, _ := json.Marshal(got[k].Finding)
		if !bytes.Equal(a, b) {
			t.Errorf("finding %d:\n got %s\nwant %s", k, b, a)
		}
	}
	if got[0].Region != "江苏省苏州市" || got[0].Status != "open" || got[0].FirstRun != run.ID {
		t.Errorf("state %+v", got[0])
	}
	runs, _ := st.Runs(ctx)
	if len(runs) != 1 || runs[0].RulesVersion != "r1" || !slices.Equal(runs[0].Extractors, []string{"x/1"}) || runs[0].New != 2 {
		t.Errorf("runs %+v", runs)
	}
	// Filters.
	for name, c := range map[string]struct {
		f    store.FindingFilter
		want int
	}{
		"year of the first document":     {store.FindingFilter{Year: 2025}, 1},
		"year 2026":                      {store.FindingFilter{Year: 2026}, 1},
		"year 2024":                      {store.FindingFilter{Year: 2024}, 0},
		"document involved":              {store.FindingFilter{SHA256: shaA}, 2},
		"severity":                       {store.FindingFilter{Severity: yusuan.SeverityError}, 1},
		"rule prefix":                    {store.FindingFilter{Rule: "completeness."}, 1},
		"rule prefix is not a substring": {store.FindingFilter{Rule: "hierarchy"}, 0},
		"region prefix":                  {store.FindingFilter{Region: "江苏省"}, 1},
		"entity substring":               {store.FindingFilter{Entity: "苏州"}, 1},
		"no verdict":                     {store.FindingFilter{Verdict: store.VerdictNone}, 2},
		"gone":                           {store.FindingFilter{Status: "gone"}, 0},
	} {
		if n := len(open(t, st, c.f)); n != c.want {
			t.Errorf("%s: %d findings, want %d", name, n, c.want)
		}
	}
	page, err := st.QueryFindings(ctx, store.FindingFilter{Limit: 1, Offset: 1})
	if err != nil || page.Total != 2 || len(page.Findings) != 1 || page.Findings[0].Rule != "completeness.text_layer" {
		t.Errorf("page %+v %v", page, err)
	}
	if _, err := st.QueryFindings(ctx, store.FindingFilter{Sort: "nonsense"}); err == nil {
		t.Error("unknown sort accepted")
	}
}

// A run filtered to some rules or a year leaves the findings it did not
// check as they were; a full run closes what it no longer reports.
func TestFilteredRunsKeepOtherFindings(t *testing.T) {
	ctx := context.Background()
	st := openTemp(t)
	a := finding("hierarchy.sum", yusuan.SeverityError, shaA, "某局", 2026, "一般公共服务支出", "10.00")
	b := finding("row.sum", yusuan.SeverityError, shaA, "某局", 2026, "卫生健康支出", "3.00")
	c := finding("hierarchy.sum", yusuan.SeverityError, shaB, "某局", 2025, "一般公共服务支出", "7.00")
	if _, _, err := st.SaveRun(ctx, store.CheckRun{}, []yusuan.Finding{a, b, c}, store.Scope{}); err != nil {
		t.Fatal(err)
	}
	// Only row.sum was run, and it found nothing: a and c stay.
	run2, _, err := st.SaveRun(ctx, store.CheckRun{Rules: []string{"row.sum"}}, nil, store.Scope{Rules: []string{"row.sum"}})
	if err != nil {
		t.Fatal(err)
	}
	if run2.Gone != 1 {
		t.Errorf("run 2: %d gone, want 1", run2.Gone)
	}
	if got := ids(open(t, st, store.FindingFilter{})); !slices.Equal(got, sortedIDs(a, c)) {
		t.Errorf("after the row.sum run: %v", got)
	}
	// Only 2025 with a rule prefix: a (2026) is out of scope and stays.
	if _, _, err := st.SaveRun(ctx, store.CheckRun{}, nil, store.Scope{Rules: []string{"hierarchy."}, Year: 2025}); err != nil {
		t.Fatal(err)
	}
	if got := ids(open(t, st, store.FindingFilter{})); !slices.Equal(got, sortedIDs(a)) {
		t.Errorf("after the 2025 run: %v", got)
	}
	// Match decides among the candidates: an entity filter that matches
	// nothing closes nothing.
	none := func(*yusuan.Finding) bool { return false }
	if _, _, err := st.SaveRun(ctx, store.CheckRun{}, nil, store.Scope{Match: none}); err != nil {
		t.Fatal(err)
	}
	if got := ids(open(t, st, store.FindingFilter{})); !slices.Equal(got, sortedIDs(a)) {
		t.Errorf("after a run matching nothing: %v", got)
	}
	// b comes back.
	run5, _, err := st.SaveRun(ctx, store.CheckRun{}, []yusuan.Finding{a, b}, store.Scope{})
	if err != nil {
		t.Fatal(err)
	}
	if run5.New != 1 || run5.Gone != 0 {
		t.Errorf("run 5 %+v", run5)
	}
	hist, _ := st.FindingHistory(ctx, b.ID)
	var events []string
	for _, e := range hist {
		events = append(events, e.Event)
	}
	if !slices.Equal(events, []string{"new", "gone", "back"}) {
		t.Errorf("history of b: %v", events)
	}
	gone := open(t, st, store.FindingFilter{Status: "gone"})
	if len(gone) != 1 || gone[0].ID != c.ID || gone[0].GoneRun == 0 {
		t.Errorf("gone: %+v", gone)
	}
	checkTotals(t, st)
}

func sortedIDs(fs ...yusuan.Finding) []string {
	var out []string
	for _, f := range fs {
		out = append(out, f.ID)
	}
	slices.Sort(out)
	return out
}

func TestVerdicts(t *testing.T) {
	ctx := context.Background()
	st := openTemp(t)
	a := finding("hierarchy.sum", yusuan.SeverityError, shaA, "某局", 2026, "一般公共服务支出", "10.00")
	b := finding("row.sum", yusuan.SeverityWarning, shaA, "某局", 2026, "卫生健康支出", "3.00")
	if _, _, err := st.SaveRun(ctx, store.CheckRun{}, []yusuan.Finding{a, b}, store.Scope{}); err != nil {
		t.Fatal(err)
	}
	if _, err := st.SetVerdict(ctx, "f-0000", yusuan.VerdictConfirmed, "", "张三"); !errors.Is(err, store.ErrFindingNotFound) {
		t.Errorf("unknown id: %v", err)
	}
	for _, bad := range []struct {
		kind     yusuan.VerdictKind
		note, by string
	}{{"wrong", "", "张三"}, {yusuan.VerdictConfirmed, "", " "}, {yusuan.VerdictConfirmed, "a\x00b", "张三"},
		{yusuan.VerdictConfirmed, strings.Repeat("长", store.MaxVerdictNote+1), "张三"}} {
		if _, err := st.SetVerdict(ctx, a.ID, bad.kind, bad.note, bad.by); !errors.Is(err, store.ErrInvalidVerdict) {
			t.Errorf("verdict %+v: %v", bad, err)
		}
	}
	if _, err := st.SetVerdict(ctx, a.ID, yusuan.VerdictConfirmed, "first look", "张三"); err != nil {
		t.Fatal(err)
	}
	v, err := st.SetVerdict(ctx, a.ID, yusuan.VerdictFalseAlarm, "  列错位：基本支出读成了项目支出 ", "李四")
	if err != nil || v.Note != "列错位：基本支出读成了项目支出" || v.At.IsZero() {
		t.Fatalf("%+v %v", v, err)
	}
	hist, _ := st.Verdicts(ctx, a.ID)
	if len(hist) != 2 || hist[0].Verdict.Verdict != yusuan.VerdictConfirmed || hist[1].By != "李四" || hist[1].Fingerprint != a.Fingerprint {
		t.Errorf("history %+v", hist)
	}
	// The false alarm is hidden unless asked for, and its verdict is the latest.
	if got := ids(open(t, st, store.FindingFilter{})); !slices.Equal(got, []string{b.ID}) {
		t.Errorf("default list: %v", got)
	}
	all := open(t, st, store.FindingFilter{All: true, Verdict: store.VerdictAny})
	if len(all) != 1 || all[0].Verdict == nil || all[0].Verdict.Verdict != yusuan.VerdictFalseAlarm || all[0].Verdict.Stale {
		t.Fatalf("with All: %+v", all)
	}
	// The next run keeps it attached and hidden, and says so in the findings it returns.
	_, saved, err := st.SaveRun(ctx, store.CheckRun{}, []yusuan.Finding{a, b}, store.Scope{})
	if err != nil {
		t.Fatal(err)
	}
	if saved[0].Verdict == nil || saved[0].Verdict.Verdict != yusuan.VerdictFalseAlarm || saved[0].Verdict.Stale || saved[1].Verdict != nil {
		t.Errorf("verdicts of a run: %+v / %+v", saved[0].Verdict, saved[1].Verdict)
	}
	// The figures change (a re-extraction reads 11.00): the verdict is
	// stale and the finding shows again.
	a2 := finding("hierarchy.sum", yusuan.SeverityError, shaA, "某局", 2026, "一般公共服务支出", "11.00")
	if a2.ID != a.ID || a2.Fingerprint == a.Fingerprint {
		t.Fatal("test finding: same cells should keep the id")
	}
	run, saved, err := st.SaveRun(ctx, store.CheckRun{}, []yusuan.Finding{a2, b}, store.Scope{})
	if err != nil {
		t.Fatal(err)
	}
	if run.Changed != 1 || saved[0].Verdict == nil || !saved[0].Verdict.Stale {
		t.Fatalf("run %+v, verdict %+v", run, saved[0].Verdict)
	}
	if got := open(t, st, store.FindingFilter{Verdict: store.VerdictStale}); len(got) != 1 || got[0].ID != a.ID || got[0].ChangedRun != run.ID {
		t.Errorf("stale: %+v", got)
	}
	// A finding of the same key on a revised document (other bytes):
	// the old one is gone, the new one takes over, its verdict stale.
	a3 := a
	a3.Documents = []yusuan.DocRef{a.Documents[0]}
	a3.Documents[0].SHA256 = shaC
	a3.Evidence = slices.Clone(a.Evidence)
	for i := range a3.Evidence {
		a3.Evidence[i].SHA256 = shaC
	}
	a3.Stamp()
	if a3.Key != a.Key || a3.ID == a.ID {
		t.Fatal("test finding: a revision keeps the key, not the id")
	}
	run, saved, err = st.SaveRun(ctx, store.CheckRun{}, []yusuan.Finding{a3, b}, store.Scope{})
	if err != nil {
		t.Fatal(err)
	}
	if run.Changed != 1 || run.New != 0 || run.Gone != 0 {
		t.Errorf("revision run %+v", run)
	}
	if v := saved[0].Verdict; v == nil || v.Verdict != yusuan.VerdictFalseAlarm || !v.Stale {
		t.Errorf("verdict through the key: %+v", v)
	}
	changes, err := st.RunChanges(ctx, run.ID)
	if err != nil || len(changes) != 1 || changes[0].Event != "changed" || changes[0].Replaces != a.ID || changes[0].Finding.ID != a3.ID {
		t.Errorf("changes %+v %v", changes, err)
	}
	// Judging the new finding gives it its own verdict, not stale.
	if _, err := st.SetVerdict(ctx, a3.ID, yusuan.VerdictExplained, "说明中已解释", "张三"); err != nil {
		t.Fatal(err)
	}
	f, err := st.Finding(ctx, a3.ID)
	if err != nil || f.Verdict == nil || f.Verdict.Verdict != yusuan.VerdictExplained || f.Verdict.Stale {
		t.Errorf("%+v %v", f.Verdict, err)
	}
	checkTotals(t, st)
}

func TestResolveFindingID(t *testing.T) {
	ctx := context.Background()
	st := openTemp(t)
	// Findings until two ids share their first four hex digits.
	var fs []yusuan.Finding
	seen := map[string]bool{}
	shared := ""
	for i := 0; shared == "" && i < 5000; i++ {
		f := finding("row.sum", yusuan.SeverityError, shaA, "某局", 2026, "行"+strconv.Itoa(i), "1.00")
		fs = append(fs, f)
		if p := f.ID[:6]; seen[p] {
			shared = p
		} else {
			seen[p] = true
		}
	}
	if shared == "" {
		t.Fatal("no shared prefix")
	}
	if _, _, err := st.SaveRun(ctx, store.CheckRun{}, fs, store.Scope{}); err != nil {
		t.Fatal(err)
	}
	id := fs[0].ID
	for _, typed := range []string{id, id[:14], strings.TrimPrefix(id, "f-")[:10]} {
		if got, err := st.ResolveFindingID(ctx, typed); err != nil || got != id {
			t.Errorf("%q → %q %v", typed, got, err)
		}
	}
	if _, err := st.ResolveFindingID(ctx, "f-zzzzzzzz"); !errors.Is(err, store.ErrFindingNotFound) {
		t.Errorf("unknown: %v", err)
	}
	if _, err := st.ResolveFindingID(ctx, shared); !errors.Is(err, store.ErrAmbiguousID) {
		t.Errorf("shared prefix %s: %v", shared, err)
	}
	if _, err := st.ResolveFindingID(ctx, shared[:5]); !errors.Is(err, store.ErrFindingNotFound) {
		t.Errorf("a prefix too short must be refused: %v", err)
	}
}

// Two findings with one id (a rule reporting the same cells twice) do not
// break the run: a repeat is kept once, other figures get a suffix.
func TestSharedIDs(t *testing.T) {
	ctx := context.Background()
	st := openTemp(t)
	a := finding("row.sum", yusuan.SeverityError, shaA, "某局", 2026, "行", "1.00")
	b := a
	b.Message = "另一条 " + b.Message
	b.Stamp()
	if a.ID != b.ID || a.Fingerprint == b.Fingerprint {
		t.Fatal("test findings should share the id")
	}
	run, saved, err := st.SaveRun(ctx, store.CheckRun{}, []yusuan.Finding{a, a, b}, store.Scope{})
	if err != nil {
		t.Fatal(err)
	}
	if run.Findings != 2 || len(saved) != 2 || saved[0].ID == saved[1].ID {
		t.Fatalf("%+v", run)
	}
	// The same set again: the same ids, nothing new.
	run, again, err := st.SaveRun(ctx, store.CheckRun{}, []yusuan.Finding{b, a}, store.Scope{})
	if err != nil || run.New != 0 || run.Gone != 0 {
		t.Fatalf("%+v %v", run, err)
	}
	x := []string{saved[0].ID, saved[1].ID}
	y := []string{again[0].ID, again[1].ID}
	slices.Sort(x)
	slices.Sort(y)
	if !slices.Equal(x, y) {
		t.Errorf("ids %v then %v", x, y)
	}
}

// checkTotals compares the totals of lists (counted from findings_totals
// where possible) with the findings themselves.
func checkTotals(t *testing.T, st *store.Store) {
	t.Helper()
	ctx := context.Background()
	for _, f := range []store.FindingFilter{{}, {All: true}, {Severity: yusuan.SeverityError}, {Rule: "hierarchy."},
		{Year: 2026, All: true}, {Verdict: store.VerdictAny, All: true}, {Verdict: store.VerdictStale, All: true},
		{Verdict: string(yusuan.VerdictFalseAlarm), All: true}, {Verdict: store.VerdictNone}, {Region: "江苏省"},
		{Status: "gone"}, {Entity: "某"}} {
		page, err := st.QueryFindings(ctx, store.FindingFilter{Limit: 1, Rule: f.Rule, Severity: f.Severity, Year: f.Year,
			Verdict: f.Verdict, All: f.All, Region: f.Region, Status: f.Status, Entity: f.Entity})
		if err != nil {
			t.Fatal(err)
		}
		all := open(t, st, f)
		if page.Total != len(all) {
			t.Errorf("%+v: total %d, %d findings", f, page.Total, len(all))
		}
		counts, err := st.CountFindings(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, c := range counts {
			n += c.N
		}
		if n != len(all) {
			t.Errorf("%+v: counted %d by rule, %d findings", f, n, len(all))
		}
	}
}
