// Package golden checks table extraction end to end: synthetic disclosures
// from fixtures/synth, printed to PDF by fixtures/synth/render in every
// style (the five Chinese font families, ruled and unruled), read back
// through the text layer, must give every cell of their truth.
//
// The default run takes a few documents per style, chosen to cover every
// print variant; YUSUAN_GOLDEN_BIG=N runs N departments of synth.Corpus and
// synth.FinalCorpus (all their documents) in every style and logs the
// numbers per style. YUSUAN_GOLDEN_DUMP=DIR writes each rendered PDF and its
// truth JSON there, for tools/tableeval -dump and the table package's debug
// tests.
package golden

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"yusuan"
	"yusuan/extract"
	"yusuan/extract/table"
	"yusuan/fixtures/pdfgen"
	"yusuan/fixtures/producers"
	"yusuan/fixtures/synth"
	"yusuan/fixtures/synth/render"
)

func extractPDF(t testing.TB, data []byte) []yusuan.Table {
	t.Helper()
	txt, err := extract.ReadText(context.Background(), data, extract.Options{})
	if txt == nil {
		t.Fatalf("text layer: %v", err)
	}
	tables, _, _ := table.Extract(context.Background(), txt.Pages)
	return tables
}

func styleName(st render.Style) string {
	s := st.Font.String()
	if st.Ruled {
		s += "-ruled"
	} else {
		s += "-stream"
	}
	if st.NumFont == pdfgen.Helvetica {
		s += "-helvetica"
	}
	return s
}

// score counts the truth's cells and how many the extraction reproduced.
type score struct {
	cells, ok int
	diffs     []string
}

func (s *score) check(good bool, format string, args ...any) {
	s.cells++
	if good {
		s.ok++
		return
	}
	s.diffs = append(s.diffs, fmt.Sprintf(format, args...))
}

// compare scores every cell of the truth's tables: per table its presence,
// label, unit, empty flag and pages; per row its side, code, level, name,
// second name, economic codes and page, and each value. Extra tables and
// extra rows count as errors. Performance-target tables (free-form grids
// and forms: name and amounts; their text columns are not in the truth)
// are scored apart, and must be exact too.
func compare(pd *synth.PrintedDoc, want, got []yusuan.Table) (main, perf score) {
	used := make([]bool, len(got))
	for ti, w := range want {
		name2 := ti < len(pd.Tables) && printsName2(pd.Tables[ti])
		s := &main
		if w.Kind == yusuan.PerformanceTargets {
			s = &perf
		}
		var g *yusuan.Table
		for i := range got {
			if !used[i] && got[i].Kind == w.Kind && got[i].Title == w.Title {
				used[i], g = true, &got[i]
				break
			}
		}
		name := fmt.Sprintf("%s %s", w.Label, w.Kind)
		s.check(g != nil, "%s %q: missing", name, w.Title)
		if g == nil {
			s.cells += 4
			for _, r := range w.Rows {
				s.cells += 7 + len(r.Values)
			}
			continue
		}
		s.check(g.Label == w.Label, "%s: label %q, want %q", name, g.Label, w.Label)
		s.check(g.Unit == w.Unit, "%s: unit %q, want %q", name, g.Unit, w.Unit)
		s.check(g.Empty == w.Empty, "%s: empty %v, want %v", name, g.Empty, w.Empty)
		s.check(fmt.Sprint(g.Pages) == fmt.Sprint(w.Pages), "%s: pages %v, want %v", name, g.Pages, w.Pages)
		for _, p := range producers.AlignRows(w.Rows, g.Rows) {
			if p[0] < 0 {
				x := g.Rows[p[1]]
				s.check(false, "%s: extra row %s %q %q page %d", name, x.Side, x.CodeString(), x.Name, x.Page)
				continue
			}
			r := w.Rows[p[0]]
			if p[1] < 0 {
				s.check(false, "%s row %d %s %q %q: missing", name, p[0], r.Side, r.CodeString(), r.Name)
				s.cells += 6 + len(r.Values)
				continue
			}
			x := g.Rows[p[1]]
			id := fmt.Sprintf("%s row %d %q", name, p[0], r.Name)
			s.check(x.Side == r.Side, "%s: side %q, want %q", id, x.Side, r.Side)
			s.check(x.CodeString() == r.CodeString() && x.Level == r.Level, "%s: code %q level %d, want %q %d", id, x.CodeString(), x.Level, r.CodeString(), r.Level)
			s.check(norm(x.Name) == norm(r.Name), "%s: name %q", id, x.Name)
			if name2 {
				s.check(norm(x.Name2) == norm(r.Name2), "%s: name2 %q, want %q", id, x.Name2, r.Name2)
			} else {
				s.cells++
				s.ok++
			}
			s.check(x.EconCode == r.EconCode && x.GovEconCode == r.GovEconCode, "%s: econ %q/%q, want %q/%q", id, x.EconCode, x.GovEconCode, r.EconCode, r.GovEconCode)
			s.check(x.Page == r.Page, "%s: page %d, want %d", id, x.Page, r.Page)
			keys := make([]string, 0, len(r.Values))
			for k := range r.Values {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			for _, k := range keys {
				v := r.Values[k]
				got, ok := x.Values[k]
				s.check(ok == true && got.String() == v.String() || !ok && v.IsNull(), "%s %s: got %q, want %q", id, k, got.String(), v.String())
			}
			for k, v := range x.Values {
				if _, ok := r.Values[k]; !ok && !v.IsNull() {
					s.check(false, "%s: extra value %s=%q", id, k, v.String())
				}
			}
		}
	}
	for i, g := range got {
		if !used[i] {
			s := &main
			if g.Kind == yusuan.PerformanceTargets {
				s = &perf
			}
			s.check(false, "extra table %s %q on pages %v", g.Kind, g.Title, g.Pages)
		}
	}
	return main, perf
}

// printsName2 reports whether a table prints a second name column (政府预算
// 支出经济科目): the truth gives every economic row its name2 even where the
// template does not print it (fixtures/synth sets Row.Name2 regardless).
func printsName2(t synth.PrintedTable) bool {
	if t.Kind == yusuan.PerformanceTargets {
		return false
	}
	for _, hr := range t.Header {
		for _, c := range hr {
			if strings.Contains(c.Text, "政府预算支出经济") {
				return true
			}
		}
	}
	return false
}

func norm(s string) string { return strings.Join(strings.Fields(s), "") }

// run renders one document in one style, extracts it and scores it
// (performance-target tables apart).
func run(t testing.TB, pd *synth.PrintedDoc, st render.Style) (score, score) {
	t.Helper()
	data, truth, err := render.RenderTruth(pd, st)
	if err != nil {
		t.Fatal(err)
	}
	if dir := os.Getenv("YUSUAN_GOLDEN_DUMP"); dir != "" {
		base := filepath.Join(dir, styleName(st)+"-"+pd.Doc.File)
		os.WriteFile(base, data, 0o644)
		if j, err := json.MarshalIndent(truth, "", " "); err == nil {
			os.WriteFile(base+".truth.json", j, 0o644)
		}
	}
	return compare(pd, truth.Tables, extractPDF(t, data))
}

// variants covers every print option at least once over the default run:
// templates, code layouts, 万元/元/six decimals, separators, empty cells,
// budgets and final accounts.
func variants() []synth.Variant {
	b := yusuan.KindBudget
	f := yusuan.KindFinalAccount
	return []synth.Variant{
		{Kind: b, Template: synth.TemplateSeed, Codes: synth.CodeColumn, Unit: yusuan.WanYuan, Empty: synth.EmptyBlank},
		{Kind: b, Template: synth.TemplateNumbered, Codes: synth.CodeSplit, Unit: yusuan.Yuan, Thousands: true, Empty: synth.EmptyDash},
		{Kind: b, Template: synth.TemplateBeijing, Codes: synth.CodeJoined, Unit: yusuan.WanYuan, SixDecimals: true, Empty: synth.EmptyZero},
		{Kind: f, Template: synth.TemplateNumbered, Codes: synth.CodeSplit, Unit: yusuan.WanYuan, Empty: synth.EmptyBlank},
		{Kind: b, Template: synth.TemplateSeed, Codes: synth.CodeSplit, Unit: yusuan.WanYuan, Thousands: true, Empty: synth.EmptyZero},
		{Kind: f, Template: synth.TemplateBeijing, Codes: synth.CodeJoined, Unit: yusuan.Yuan, Thousands: true, Empty: synth.EmptyDash},
		{Kind: b, Template: synth.TemplateBeijing, Codes: synth.CodeColumn, Unit: yusuan.Yuan, Empty: synth.EmptyBlank},
		{Kind: f, Template: synth.TemplateSeed, Codes: synth.CodeColumn, Unit: yusuan.WanYuan, SixDecimals: true, Empty: synth.EmptyZero},
		{Kind: b, Template: synth.TemplateNumbered, Codes: synth.CodeJoined, Unit: yusuan.WanYuan, Empty: synth.EmptyDash},
		{Kind: f, Template: synth.TemplateBeijing, Codes: synth.CodeSplit, Unit: yusuan.Yuan, Empty: synth.EmptyBlank},
	}
}

// sample builds the default documents: per variant the department document
// of one year and one of its units of the other year.
func sample() []*synth.PrintedDoc {
	var out []*synth.PrintedDoc
	for i, v := range variants() {
		vs := map[int]synth.Variant{synth.FirstYear: v, synth.FirstYear + 1: v}
		sets := synth.Department(uint64(100+i), i, vs)
		out = append(out, sets[i%2].Dept, sets[(i+1)%2].Units[i%len(sets[(i+1)%2].Units)])
	}
	return out
}

// TestSeedFixture: the seed document in every style gives every cell of
// its 13 tables, the five empty ones recognised as empty, and its
// performance-target form.
func TestSeedFixture(t *testing.T) {
	pd := synth.Seed()
	for _, st := range render.Styles() {
		t.Run(styleName(st), func(t *testing.T) {
			s, perf := run(t, pd, st)
			if s.ok != s.cells {
				t.Errorf("%d of %d cells right; first differences:\n%s", s.ok, s.cells, strings.Join(first(s.diffs, 15), "\n"))
			}
			if perf.ok != perf.cells {
				t.Errorf("performance targets: %d of %d cells right; first differences:\n%s", perf.ok, perf.cells, strings.Join(first(perf.diffs, 15), "\n"))
			}
		})
	}
}

// tally adds up scores.
type tally struct{ cells, ok, docs, perfect, perfCells, perfOK int }

func (tl *tally) add(s, perf score) {
	tl.cells += s.cells
	tl.ok += s.ok
	tl.docs++
	if s.ok == s.cells {
		tl.perfect++
	}
	tl.perfCells += perf.cells
	tl.perfOK += perf.ok
}

func (tl *tally) String() string {
	return fmt.Sprintf("%4d docs, %4d perfect, cells %7d / %7d exact; performance targets %5d / %5d", tl.docs, tl.perfect, tl.ok, tl.cells, tl.perfOK, tl.perfCells)
}

// TestFixtures: documents covering every print variant, each in two of the
// styles, give 100 % of their cells.
func TestFixtures(t *testing.T) {
	docs := sample()
	styles := render.Styles()
	var all tally
	for i, pd := range docs {
		for _, k := range []int{i, i + 2} {
			st := styles[k%len(styles)]
			s, perf := run(t, pd, st)
			all.add(s, perf)
			if s.ok != s.cells {
				t.Errorf("%s (%+v) in %s: %d of %d cells right; first differences:\n%s", pd.Doc.File, pd.Variant, styleName(st), s.ok, s.cells, strings.Join(first(s.diffs, 12), "\n"))
			}
			if perf.ok != perf.cells {
				t.Errorf("%s in %s: performance targets %d of %d cells right; first differences:\n%s", pd.Doc.File, styleName(st), perf.ok, perf.cells, strings.Join(first(perf.diffs, 12), "\n"))
			}
		}
	}
	t.Logf("fixtures: %s", &all)
}

// TestBigCorpus renders YUSUAN_GOLDEN_BIG departments of the budget and
// final-account corpora (all their documents, both years) in every style;
// YUSUAN_GOLDEN_ONLY keeps the runs whose style-file name contains it;
// YUSUAN_GOLDEN_SEED picks another corpus (default 7).
func TestBigCorpus(t *testing.T) {
	n, _ := strconv.Atoi(os.Getenv("YUSUAN_GOLDEN_BIG"))
	if n <= 0 {
		t.Skip("set YUSUAN_GOLDEN_BIG=N to run N departments in every style")
	}
	seed := uint64(7)
	if v, err := strconv.ParseUint(os.Getenv("YUSUAN_GOLDEN_SEED"), 10, 64); err == nil {
		seed = v
	}
	docs := append(synth.Corpus(seed, n), synth.FinalCorpus(seed+4, n)...)
	var all tally
	for _, st := range render.Styles() {
		name := styleName(st)
		var tl tally
		for _, pd := range docs {
			if only := os.Getenv("YUSUAN_GOLDEN_ONLY"); only != "" && !strings.Contains(name+"-"+pd.Doc.File, only) {
				continue
			}
			s, perf := run(t, pd, st)
			tl.add(s, perf)
			all.add(s, perf)
			if s.ok != s.cells {
				t.Errorf("%s (%+v) in %s: %d of %d cells right; first differences:\n%s", pd.Doc.File, pd.Variant, name, s.ok, s.cells, strings.Join(first(s.diffs, 8), "\n"))
			}
			if perf.ok != perf.cells {
				t.Errorf("%s in %s: performance targets %d of %d cells right; first differences:\n%s", pd.Doc.File, name, perf.ok, perf.cells, strings.Join(first(perf.diffs, 8), "\n"))
			}
		}
		t.Logf("%-34s %s", name, &tl)
	}
	t.Logf("%-34s %s", "all", &all)
}

func first(s []string, n int) []string {
	if len(s) > n {
		return s[:n]
	}
	return s
}
