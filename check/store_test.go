package check

import (
	"context"
	"path/filepath"
	"slices"
	"testing"

	"yusuan"
	"yusuan/store"
)

func TestRunStore(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "yusuan.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	prev := prevYear(t)
	set(rowOf(t, prev, yusuan.IncomeExpenditureSummary, yusuan.SideIncome, "收入总计"), "amount", "125.92")
	for _, d := range []*yusuan.Document{prev, seedDoc(t)} {
		d.SHA256 = hexOnly(d.SHA256) // the store wants lower-case hex
		if _, err := st.PutDocument(ctx, d, 1, store.Source{File: d.File}); err != nil {
			t.Fatal(err)
		}
	}
	res, err := RunStore(ctx, st, Options{}, Filter{Year: 2026})
	if err != nil {
		t.Fatal(err)
	}
	if res.Documents != 2 || res.RunID == 0 {
		t.Fatalf("result %+v", res)
	}
	for _, f := range res.Findings {
		if !slices.ContainsFunc(f.Documents, func(d yusuan.DocRef) bool { return d.Year == 2026 }) {
			t.Errorf("year filter let through %s %v", f.Rule, f.Documents)
		}
	}
	if !found(res.Findings, "year.previous", yusuan.SeverityError, "narrative") {
		t.Fatalf("year.previous not found:\n%s", dump(res.Findings))
	}
	saved, err := st.Findings(ctx, store.FindingFilter{RunID: res.RunID})
	if err != nil {
		t.Fatal(err)
	}
	if len(saved) != len(res.Findings) {
		t.Fatalf("saved %d findings, returned %d", len(saved), len(res.Findings))
	}
	for i, s := range saved {
		f := res.Findings[i]
		if s.Rule != f.Rule || s.Message != f.Message || len(s.Documents) != len(f.Documents) || s.Expected != f.Expected {
			t.Errorf("saved %d: %+v\nwant %+v", i, s.Finding, f)
		}
	}
}

// hexOnly maps a test digest to lower-case hex of the same length.
func hexOnly(s string) string {
	b := []byte(s)
	for i, c := range b {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			b[i] = "0123456789abcdef"[int(c)%16]
		}
	}
	return string(b)
}
