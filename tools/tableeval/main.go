// Command tableeval measures table extraction on the shared corpus. Per real
// file: the document's metadata; every table the document prints (label and
// title, scanned from the text by rules of the tool's own) against the table
// extracted for it, so that a missing, misnamed (other) or cut-short table
// shows at once, marked !!; extracted tables no printed title accounts for
// (a contents page or a sentence taken for a table); whether 收入总计 =
// 支出总计 in its 收支总表 and 合计 = Σ类 in its coded tables. For the seed
// PDF: the share of amounts equal to the seed text. It is run by `make
// eval`; the tests never use it.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"runtime/pprof"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"yusuan"
	"yusuan/extract"
	"yusuan/extract/layout"
	"yusuan/extract/table"
	"yusuan/vocab"
)

func main() {
	corpus := flag.String("corpus", "../shared/corpus", "corpus folder (real/ and seed/)")
	dump := flag.String("dump", "", "print the tables of this one PDF as JSON and exit")
	cpuprofile := flag.String("cpuprofile", "", "write a CPU profile of the table step of -dump to this file")
	saved := flag.String("saved", "", "folder of earlier -dump outputs (NAME.json for NAME.pdf): measure those tables and metadata instead of extracting, to compare versions")
	flag.Parse()
	ctx := context.Background()
	if *dump != "" {
		if *cpuprofile != "" {
			data, err := os.ReadFile(*dump)
			if err != nil {
				slog.Error("dump", "err", err)
				os.Exit(1)
			}
			txt, _ := extract.ReadText(ctx, data, extract.Options{})
			if txt == nil {
				os.Exit(1)
			}
			f, err := os.Create(*cpuprofile)
			if err != nil {
				slog.Error("profile", "err", err)
				os.Exit(1)
			}
			pprof.StartCPUProfile(f)
			for range 5 {
				table.Extract(ctx, txt.Pages)
			}
			pprof.StopCPUProfile()
			f.Close()
		}
		r, err := run(ctx, *dump)
		if err != nil {
			slog.Error("dump", "err", err)
			os.Exit(1)
		}
		enc := json.NewEncoder(os.Stdout)
		enc.SetIndent("", " ")
		enc.Encode(map[string]any{"meta": r.meta, "tables": r.tables, "warnings": r.warns})
		return
	}
	if err := evalReal(ctx, filepath.Join(*corpus, "real"), *saved); err != nil {
		slog.Error("real corpus", "err", err)
	}
	if err := evalSeed(ctx, filepath.Join(*corpus, "seed")); err != nil {
		slog.Error("seed", "err", err)
	}
}

// result is what one file gives: its tables, the lines they were read
// from, and the document's metadata.
type result struct {
	tables []yusuan.Table
	warns  []string
	pages  []layout.Page
	meta   yusuan.Meta
	text   bool
	// text layer and table step times
	tText, tTable time.Duration
}

func run(ctx context.Context, path string) (result, error) {
	var r result
	data, err := os.ReadFile(path)
	if err != nil {
		return r, fmt.Errorf("read %s: %w", path, err)
	}
	t0 := time.Now()
	txt, err := extract.ReadText(ctx, data, extract.Options{})
	if txt == nil {
		return r, fmt.Errorf("text layer of %s: %w", path, err)
	}
	r.tText = time.Since(t0)
	t1 := time.Now()
	r.tables, _, r.warns = table.Extract(ctx, txt.Pages)
	r.tTable = time.Since(t1)
	r.pages, r.text = txt.Pages, txt.TextLayer
	// The metadata comes from the whole pipeline, as a harvest reads it.
	r.meta = extract.Extract(ctx, data, filepath.Base(path), extract.Options{}).Meta
	return r, nil
}

// loadSaved replaces the tables and metadata of r by those of an earlier
// -dump output.
func loadSaved(r *result, path string) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("saved extraction: %w", err)
	}
	var d struct {
		Meta     yusuan.Meta    `json:"meta"`
		Tables   []yusuan.Table `json:"tables"`
		Warnings []string       `json:"warnings"`
	}
	if err := json.Unmarshal(data, &d); err != nil {
		return fmt.Errorf("saved extraction %s: %w", path, err)
	}
	r.meta, r.tables, r.warns = d.Meta, d.Tables, d.Warnings
	return nil
}

// evalReal reports, per file of the real corpus, the document's metadata,
// each table it prints (label and title, scanned from the text) against the
// table extracted for it, the extracted tables no printed title accounts
// for, the balance of 收支总表 (收入总计 = 支出总计) and 合计 = Σ类 in coded
// tables.
func evalReal(ctx context.Context, dir, saved string) error {
	files, err := filepath.Glob(filepath.Join(dir, "*.pdf"))
	if err != nil {
		return fmt.Errorf("list %s: %w", dir, err)
	}
	if len(files) == 0 {
		fmt.Printf("tableeval: no PDFs under %s, nothing to measure\n", dir)
		return nil
	}
	var tText, tTable time.Duration
	var sum struct {
		files, withText, withMeta                   int
		printed, kinded, other, missing, extra, cut int
		labelled, labelOK                           int
		withSummary, balanced                       int
		sumChecked, sumPassed, rowChecked, rowOK    int
	}
	for _, f := range files {
		r, err := run(ctx, f)
		if err == nil && saved != "" {
			err = loadSaved(&r, filepath.Join(saved, strings.TrimSuffix(filepath.Base(f), ".pdf")+".json"))
		}
		if err != nil {
			fmt.Printf("%s: error: %v\n", filepath.Base(f), err)
			continue
		}
		sum.files++
		tText += r.tText
		tTable += r.tTable
		m := r.meta
		metaOK := m.Entity != "" && m.Year != 0 && m.Scope != yusuan.ScopeUnknown && m.Kind != yusuan.KindUnknown
		if r.text {
			sum.withText++
			if metaOK {
				sum.withMeta++
			}
		}
		flag := ""
		if r.text && !metaOK {
			flag = "  !! metadata incomplete"
		}
		fmt.Printf("%s  (%d pages, text %.0fms, tables %.0fms)\n  meta: entity %q year %d scope %s kind %s title %q%s\n",
			filepath.Base(f), len(r.pages), ms(r.tText), ms(r.tTable), m.Entity, m.Year, m.Scope, m.Kind, m.Title, flag)
		pr := printedTables(r.pages)
		found, extra := match(pr, r.tables)
		for i, p := range pr {
			lab := p.label
			if lab == "" {
				lab = "-"
			}
			sum.printed++
			k := found[i]
			switch {
			case k < 0:
				sum.missing++
				fmt.Printf("  !! %-9s %s p%d → MISSING\n", lab, p.title, p.page)
			default:
				t := r.tables[k]
				mark := "  "
				if t.Kind == yusuan.Other {
					mark = "!!"
					sum.other++
				} else {
					sum.kinded++
				}
				fmt.Printf("  %s %-9s %s p%d → %s %s, %d rows%s\n", mark, lab, p.title, p.page, t.Kind, pageSpan(t.Pages), len(t.Rows), emptyNote(t))
				if p.label != "" {
					sum.labelled++
					if t.Label == p.label {
						sum.labelOK++
					} else {
						fmt.Printf("  !! label %q read as %q\n", p.label, t.Label)
					}
				}
				next := 0 // where the next printed table starts
				if i+1 < len(pr) {
					next = pr[i+1].page
				}
				if lost := tablePagesAfter(r.pages, t.Pages, next); len(lost) > 0 {
					sum.cut++
					fmt.Printf("  !! %s cut short? pages %v after it print rows of amounts\n", lab, lost)
				}
			}
		}
		for _, k := range extra {
			t := r.tables[k]
			sum.extra++
			fmt.Printf("  !! extra: %s %q %s, %d rows (no printed title found for it)\n", t.Kind, t.Title, pageSpan(t.Pages), len(t.Rows))
		}
		bal := "no 收支总表"
		for _, t := range r.tables {
			if t.Kind != yusuan.IncomeExpenditureSummary && t.Kind != yusuan.FAIncomeExpenditureSummary {
				continue
			}
			sum.withSummary++
			in, out := totals(t)
			blank := ""
			if in.IsNull() && !out.IsNull() {
				// 收入总计 printed without a figure (51_shanghai p.7): the
				// income side's items (一、二、…) must add up to 支出总计.
				if items, ok := incomeItems(t); ok {
					in, blank = items, " (收入总计 printed blank: Σ 一、二、… income items)"
				}
			}
			switch {
			case in.IsNull() || out.IsNull():
				bal = fmt.Sprintf("!! totals not found (收入总计 %q, 支出总计 %q)", in, out)
			case in.Equal(out):
				bal = "balanced " + in.String() + blank
				sum.balanced++
			default:
				bal = fmt.Sprintf("!! UNBALANCED 收入总计 %s ≠ 支出总计 %s", in, out)
			}
			break
		}
		checked, passed, fails := categorySums(r.tables)
		sum.sumChecked += checked
		sum.sumPassed += passed
		rc, rp, rfails := rowSums(r.tables)
		sum.rowChecked += rc
		sum.rowOK += rp
		fmt.Printf("  balance: %s; 合计 = Σ类 %d/%d tables; row sums %d/%d\n", bal, passed, checked, rp, rc)
		for _, f := range fails {
			fmt.Printf("  !! 合计 ≠ Σ类: %s\n", f)
		}
		for _, f := range rfails {
			fmt.Printf("  !! row sum: %s\n", f)
		}
	}
	fmt.Printf("\nsummary: %d files, metadata complete in %d of %d with a text layer\n", sum.files, sum.withMeta, sum.withText)
	fmt.Printf("printed tables %d: with their kind %d, other %d, missing %d, maybe cut short %d; extracted tables without a printed title %d\n",
		sum.printed, sum.kinded, sum.other, sum.missing, sum.cut, sum.extra)
	fmt.Printf("printed labels %d, read %d\n", sum.labelled, sum.labelOK)
	fmt.Printf("收支总表 found in %d files, balanced in %d; 合计 = Σ类 in %d/%d coded tables; row sums (total = parts) %d/%d\n",
		sum.withSummary, sum.balanced, sum.sumPassed, sum.sumChecked, sum.rowOK, sum.rowChecked)
	fmt.Printf("table time %.0fms = %.2f of text layer %.0fms\n", ms(tTable), float64(tTable)/float64(max(tText, 1)), ms(tText))
	return nil
}

func emptyNote(t yusuan.Table) string {
	if t.Empty {
		return " (empty)"
	}
	return ""
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// totals finds 收入总计 and 支出总计 in a 收支总表.
func totals(t yusuan.Table) (in, out yusuan.Amount) {
	for _, r := range t.Rows {
		name := strings.Join(strings.Fields(r.Name), "")
		first := func() yusuan.Amount {
			for _, k := range []string{"amount", "total", "subtotal", "budget", "actual"} {
				if v := r.Values[k]; !v.IsNull() {
					return v
				}
			}
			for _, c := range t.Columns {
				if v := r.Values[c]; !v.IsNull() {
					return v
				}
			}
			return yusuan.Null
		}
		// 收入总计 in most templates, 收入合计 in some (本年收入合计 is
		// this year's part only).
		grand := strings.Contains(name, "总计") || (strings.HasSuffix(name, "合计") && !strings.Contains(name, "本年") && !strings.Contains(name, "当年"))
		switch {
		case grand && (strings.Contains(name, "收入") || r.Side == yusuan.SideIncome && !strings.Contains(name, "支出")):
			if in.IsNull() || strings.Contains(name, "总计") {
				in = first()
			}
		case grand && (strings.Contains(name, "支出") || r.Side == yusuan.SideExpenditure):
			if out.IsNull() || strings.Contains(name, "总计") {
				out = first()
			}
		}
	}
	return in, out
}

// incomeItems adds up the income side's top-level items (一、财政拨款收入,
// 二、事业收入 …) above 收入总计, when the table prints a 收入总计 line.
func incomeItems(t yusuan.Table) (yusuan.Amount, bool) {
	sum, n, printed := decimal.Zero, 0, false
	places := 0
	for _, r := range t.Rows {
		if r.Side != yusuan.SideIncome {
			continue
		}
		name := vocab.Squeeze(r.Name)
		if strings.Contains(name, "总计") {
			printed = true
			break
		}
		if !topOrdinalRe.MatchString(name) {
			continue
		}
		for _, k := range []string{"amount", "total", "budget", "actual"} {
			if v := r.Values[k]; !v.IsNull() {
				sum = sum.Add(v.Decimal())
				places = max(places, v.Places())
				n++
				break
			}
		}
	}
	if !printed || n == 0 {
		return yusuan.Null, false
	}
	return yusuan.AmountFromDecimal(sum, int32(places)), true
}

// topOrdinalRe starts a top-level item of a summary's side (一、…).
var topOrdinalRe = regexp.MustCompile(`^[一二三四五六七八九十]+、`)

// evalSeed compares every amount of the seed PDF's tables with the seed
// text, table by table in order, as the longest common subsequence of the
// amounts in reading order.
func evalSeed(ctx context.Context, dir string) error {
	pdfs, _ := filepath.Glob(filepath.Join(dir, "*.pdf"))
	if len(pdfs) == 0 {
		fmt.Printf("tableeval: no seed PDF under %s\n", dir)
	}
	for _, pdf := range pdfs {
		truthData, err := os.ReadFile(strings.TrimSuffix(pdf, ".pdf") + ".txt")
		if err != nil {
			return fmt.Errorf("seed text: %w", err)
		}
		truth := seedTables(string(truthData))
		r, err := run(ctx, pdf)
		if err != nil {
			return err
		}
		tables := r.tables
		fmt.Printf("seed meta: entity %q year %d scope %s kind %s title %q\n", r.meta.Entity, r.meta.Year, r.meta.Scope, r.meta.Kind, r.meta.Title)
		total, matched := 0, 0
		for i, want := range truth {
			var got []string
			kind := "(missing)"
			empty := false
			if i < len(tables) {
				kind = string(tables[i].Kind)
				empty = tables[i].Empty
				for _, r := range tables[i].Rows {
					for _, c := range tables[i].Columns {
						if v, ok := r.Values[c]; ok && !v.IsNull() {
							got = append(got, v.String())
						}
					}
				}
			}
			m := lcs(want, got)
			total += len(want)
			matched += m
			fmt.Printf("seed table %2d %-34s empty=%-5v amounts %3d matched %3d extracted %3d\n", i+1, kind, empty, len(want), m, len(got))
		}
		fmt.Printf("seed %s: %d tables found (truth 13); amounts matched %d/%d = %.1f%%\n",
			filepath.Base(pdf), len(tables), matched, total, 100*float64(matched)/float64(max(total, 1)))
	}
	return nil
}

// seedTables reads the amounts of the 13 tables of the seed text, in
// reading order: tab-separated lines between 第二部分 and 第三部分, a table
// starting at each title line.
func seedTables(s string) [][]string {
	var out [][]string
	in := false
	for _, line := range strings.Split(s, "\n") {
		t := strings.TrimSpace(strings.TrimLeft(line, "# "))
		switch {
		case strings.HasPrefix(t, "第二部分"):
			in = true
			continue
		case strings.HasPrefix(t, "第三部分"):
			in = false
		}
		if !in {
			continue
		}
		if strings.HasPrefix(t, "2026年") && strings.HasSuffix(strings.TrimRight(t, "）)（不含上年结转本预算"), "表") && !strings.Contains(line, "\t") {
			out = append(out, nil)
			continue
		}
		if !strings.Contains(line, "\t") || len(out) == 0 {
			continue
		}
		for _, c := range strings.Split(line, "\t") {
			c = strings.TrimSpace(c)
			if strings.Contains(c, ".") {
				if a, err := yusuan.ParseAmount(c); err == nil && !a.IsNull() {
					out[len(out)-1] = append(out[len(out)-1], a.String())
				}
			}
		}
	}
	return out
}

func lcs(a, b []string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for i := 1; i <= len(a); i++ {
		for j := 1; j <= len(b); j++ {
			switch {
			case a[i-1] == b[j-1]:
				cur[j] = prev[j-1] + 1
			case prev[j] >= cur[j-1]:
				cur[j] = prev[j]
			default:
				cur[j] = cur[j-1]
			}
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// rowSums checks total = basic + project and total = personnel + public in
// every row that prints a total and both parts, within rounding (half a unit
// of the last printed digit per term): a cheap measure of column mapping.
func rowSums(tables []yusuan.Table) (checked, passed int, fails []string) {
	// Parts in order of preference: the longest set a row prints wins
	// (Jiangsu's 单位预留机动经费 beside 基本支出 and 项目支出).
	sets := [][]string{{"basic", "project", "reserve"}, {"basic", "project"}, {"personnel", "public", "project"}, {"personnel", "public"}}
	for _, t := range tables {
		for _, r := range t.Rows {
			tot := r.Values["total"]
			if tot.IsNull() {
				continue
			}
			for _, p := range sets {
				all := true
				sum := decimal.Zero
				for _, k := range p {
					v, ok := r.Values[k]
					all = all && ok
					sum = sum.Add(v.Decimal())
				}
				if !all {
					continue
				}
				checked++
				diff := tot.Decimal().Sub(sum).Abs()
				tol := decimal.New(1, -int32(max(tot.Places(), 0))).Mul(decimal.NewFromInt(int64(len(p))))
				if diff.LessThanOrEqual(tol) {
					passed++
				} else {
					fails = append(fails, fmt.Sprintf("%s p%d %q: total %s ≠ %s %s", t.Kind, r.Page, r.Name, tot, strings.Join(p, "+"), sum))
				}
				break
			}
		}
	}
	return checked, passed, fails
}
