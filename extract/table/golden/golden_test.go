// Package golden checks table extraction end to end: synthetic disclosures
// from fixtures/synth, printed to PDF by a small renderer in several styles,
// read back through the text layer, must give every cell of their truth.
package golden

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"yusuan"
	"yusuan/extract/layout"
	"yusuan/extract/table"
	"yusuan/extract/textlayer"
	"yusuan/fixtures/synth"
)

func extractPDF(t *testing.T, data []byte) []yusuan.Table {
	t.Helper()
	doc, err := textlayer.Read(context.Background(), data, textlayer.Options{})
	if doc == nil {
		t.Fatalf("text layer: %v", err)
	}
	var pages []layout.Page
	for _, p := range doc.Pages {
		pages = append(pages, layout.Build(p, layout.Options{}))
	}
	tables, _, _ := table.Extract(pages)
	return tables
}

// compare counts the truth's cells (values, codes, names of budget tables)
// and how many the extraction reproduced; it lists the first differences.
func compare(want, got []yusuan.Table) (cells, ok int, diffs []string) {
	used := make([]bool, len(got))
	for _, w := range want {
		if w.Kind == yusuan.PerformanceTargets {
			continue
		}
		var g *yusuan.Table
		for i := range got {
			if !used[i] && got[i].Kind == w.Kind && got[i].Title == w.Title {
				used[i], g = true, &got[i]
				break
			}
		}
		n := 1 // the table itself (its empty flag)
		for _, r := range w.Rows {
			n += 1 + len(r.Values)
		}
		cells += n
		if g == nil {
			diffs = append(diffs, fmt.Sprintf("%s %q: missing", w.Kind, w.Title))
			continue
		}
		cells++ // label and unit
		if g.Label == w.Label && g.Unit == w.Unit {
			ok++
		} else {
			diffs = append(diffs, fmt.Sprintf("%s: label %q unit %q, want %q %q", w.Kind, g.Label, g.Unit, w.Label, w.Unit))
		}
		if g.Empty == w.Empty {
			ok++
		} else {
			diffs = append(diffs, fmt.Sprintf("%s: empty %v, want %v", w.Kind, g.Empty, w.Empty))
		}
		for i, r := range w.Rows {
			if i >= len(g.Rows) {
				diffs = append(diffs, fmt.Sprintf("%s row %d %q: missing", w.Kind, i, r.Name))
				continue
			}
			x := g.Rows[i]
			if x.Side == r.Side && x.CodeString() == r.CodeString() && norm(x.Name) == norm(r.Name) {
				ok++
			} else {
				diffs = append(diffs, fmt.Sprintf("%s row %d: got %s %q %q, want %s %q %q", w.Kind, i, x.Side, x.CodeString(), x.Name, r.Side, r.CodeString(), r.Name))
			}
			for k, v := range r.Values {
				if got := x.Values[k]; got.String() == v.String() {
					ok++
				} else {
					diffs = append(diffs, fmt.Sprintf("%s row %d %q %s: got %q, want %q", w.Kind, i, r.Name, k, got.String(), v.String()))
				}
			}
		}
		if len(g.Rows) > len(w.Rows) {
			diffs = append(diffs, fmt.Sprintf("%s: %d extra rows, first %q", w.Kind, len(g.Rows)-len(w.Rows), g.Rows[len(w.Rows)].Name))
		}
	}
	return cells, ok, diffs
}

func norm(s string) string { return strings.Join(strings.Fields(s), "") }

var styles = map[string]style{
	"stream":   {},
	"centered": {centered: true},
	"ruled":    {ruled: true, centered: true},
}

// TestSeedFixture: the seed document rendered in each style gives every
// amount of its 13 tables and its five empty tables.
func TestSeedFixture(t *testing.T) {
	pd := synth.Seed()
	for name, st := range styles {
		t.Run(name, func(t *testing.T) {
			data, err := render(pd, st)
			if err != nil {
				t.Fatal(err)
			}
			if dir := os.Getenv("YUSUAN_GOLDEN_DUMP"); dir != "" {
				os.WriteFile(filepath.Join(dir, "seed-"+name+".pdf"), data, 0o644)
			}
			got := extractPDF(t, data)
			cells, ok, diffs := compare(pd.Doc.Tables, got)
			if ok != cells {
				t.Errorf("%d of %d cells right; first differences:\n%s", ok, cells, strings.Join(first(diffs, 15), "\n"))
			}
			for kind, want := range map[yusuan.TableKind][]string{
				yusuan.ExpenditureSummary:           {"108.22", "97.42", "10.80"},
				yusuan.GeneralBudgetBasicByEconomic: {"97.42", "85.21", "12.21"},
			} {
				tb := find(got, kind)
				if tb == nil || len(tb.Rows) == 0 {
					t.Errorf("%s missing", kind)
					continue
				}
				r := tb.Rows[0]
				keys := tb.Columns
				for i, w := range want {
					if i >= len(keys) || r.Values[keys[i]].String() != w {
						t.Errorf("%s 合计 %v, want %v", kind, r.Values, want)
						break
					}
				}
			}
			if tb := find(got, yusuan.GeneralBudgetBasicByEconomic); tb != nil && len(tb.Rows) > 1 {
				if v := tb.Rows[1].Values["total"].String(); v != "75.95" {
					t.Errorf("工资福利支出 %q, want 75.95", v)
				}
			}
			empty := 0
			for _, tb := range got {
				if tb.Empty {
					empty++
				}
			}
			if empty != 5 {
				t.Errorf("%d empty tables, want 5", empty)
			}
		})
	}
}

// TestCorpusFixtures: synthetic departments and units in their varied print
// styles (code layouts, units, thousands separators, empty cells) give 100 %
// of their cells.
func TestCorpusFixtures(t *testing.T) {
	// YUSUAN_GOLDEN_DEPTS widens the run for exploring (default 1
	// department: its units, two years, three print styles).
	depts := 1
	if n, err := strconv.Atoi(os.Getenv("YUSUAN_GOLDEN_DEPTS")); err == nil && n > 0 {
		depts = n
	}
	docs := synth.Corpus(7, depts)
	limit := 6
	if depts > 1 {
		limit = len(docs)
	}
	if testing.Short() {
		limit = 1
	}
	total, right := 0, 0
	for i, pd := range docs {
		if i >= limit {
			break
		}
		name := fmt.Sprintf("doc%d", i)
		st := []style{{}, {centered: true}, {ruled: true}}[i%3]
		data, err := render(pd, st)
		if err != nil {
			t.Fatal(err)
		}
		if dir := os.Getenv("YUSUAN_GOLDEN_DUMP"); dir != "" {
			os.WriteFile(filepath.Join(dir, name+".pdf"), data, 0o644)
		}
		cells, ok, diffs := compare(pd.Doc.Tables, extractPDF(t, data))
		total += cells
		right += ok
		if ok != cells {
			t.Errorf("%s (%+v, style %+v): %d of %d cells right; first differences:\n%s", name, pd.Variant, st, ok, cells, strings.Join(first(diffs, 12), "\n"))
		}
	}
	t.Logf("corpus fixtures: %d of %d cells right", right, total)
}

func first(s []string, n int) []string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

func find(ts []yusuan.Table, k yusuan.TableKind) *yusuan.Table {
	for i := range ts {
		if ts[i].Kind == k {
			return &ts[i]
		}
	}
	return nil
}

// TestFinalFixtures: final accounts (决算) in the same print styles.
func TestFinalFixtures(t *testing.T) {
	depts := 1
	if n, err := strconv.Atoi(os.Getenv("YUSUAN_GOLDEN_DEPTS")); err == nil && n > 0 {
		depts = n
	}
	docs := synth.FinalCorpus(11, depts)
	limit := 4
	if depts > 1 {
		limit = len(docs)
	}
	total, right := 0, 0
	for i, pd := range docs {
		if i >= limit {
			break
		}
		st := []style{{}, {centered: true}, {ruled: true}}[i%3]
		data, err := render(pd, st)
		if err != nil {
			t.Fatal(err)
		}
		if dir := os.Getenv("YUSUAN_GOLDEN_DUMP"); dir != "" {
			os.WriteFile(filepath.Join(dir, fmt.Sprintf("final%d.pdf", i)), data, 0o644)
		}
		cells, ok, diffs := compare(pd.Doc.Tables, extractPDF(t, data))
		total += cells
		right += ok
		if ok != cells {
			t.Errorf("final%d (%+v, style %+v): %d of %d cells right; first differences:\n%s", i, pd.Variant, st, ok, cells, strings.Join(first(diffs, 12), "\n"))
		}
	}
	t.Logf("final-account fixtures: %d of %d cells right", right, total)
}
