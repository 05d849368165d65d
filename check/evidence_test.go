package check

import (
	"slices"
	"strconv"
	"strings"
	"testing"

	"yusuan"
)

// plantedSeed is the seed with 2080501 raised by 0.10 in 收入总表 (so
// 20805 ≠ Σ项), its cells placed and printed as an extractor gives them.
func plantedSeed(t *testing.T) (*yusuan.Document, *yusuan.Table, *yusuan.Row) {
	d := seedDoc(t)
	tb := tableOf(d, yusuan.IncomeSummary)
	tb.Label = "表2"
	tb.Headers = map[string]string{"total": "合计", "gpb": "一般公共预算"}
	r := rowOf(t, d, yusuan.IncomeSummary, "", "20805")
	r.Boxes = map[string]yusuan.Rect{"total": {300, 500, 340, 512}}
	r.Raw = map[string]string{"total": "21.61"}
	set(rowOf(t, d, yusuan.IncomeSummary, "", "2080501"), "total", "9.49", "gpb", "9.49")
	return d, tb, r
}

func TestEvidenceOfATableSum(t *testing.T) {
	d, _, _ := plantedSeed(t)
	fs := errorsOf(CheckDocument(d, Options{Rules: []string{"hierarchy.sum"}}))
	if len(fs) != 1 {
		t.Fatalf("want one error, got\n%s", dump(fs))
	}
	f := fs[0]
	if f.Unit != "万元" || f.Confidence != yusuan.ConfidenceHigh || f.Why != "" || f.ID == "" {
		t.Errorf("unit %q confidence %q why %q id %q", f.Unit, f.Confidence, f.Why, f.ID)
	}
	if want := "20805 行政事业单位养老支出（合计、一般公共预算） 21.61 ≠ Σ项 21.71（差 0.10 万元）"; f.Message != want {
		t.Errorf("message %q, want %q", f.Message, want)
	}
	if len(f.Evidence) != 5 {
		t.Fatalf("evidence: %+v", f.Evidence)
	}
	a := f.Evidence[0]
	if a.Role != "actual" || a.Table != 1 || a.Kind != "income_summary" || a.Label != "表2" || a.Title != "2026年预算收入总表" ||
		a.Row != "行政事业单位养老支出" || a.Code == nil || *a.Code != "20805" || a.Column != "total" || a.Header != "合计" ||
		a.Page != 5 || a.BBox == nil || *a.BBox != (yusuan.Rect{300, 500, 340, 512}) || a.Text != "21.61" ||
		a.Amount.String() != "21.61" || a.Unit != "万元" || a.SHA256 != d.SHA256 {
		t.Errorf("actual evidence %+v", a)
	}
	x := f.Evidence[1]
	if x.Role != "expected" || x.Row != "Σ项" || x.Amount.String() != "21.71" || x.Table != 1 || x.Code != nil {
		t.Errorf("expected evidence %+v", x)
	}
	var parts []string
	for _, p := range f.Evidence[2:] {
		if p.Role != "part" {
			t.Errorf("part role %q", p.Role)
		}
		parts = append(parts, *p.Code+"="+p.Amount.String())
	}
	if want := []string{"2080501=9.49", "2080505=8.15", "2080506=4.07"}; !slices.Equal(parts, want) {
		t.Errorf("parts %v, want %v", parts, want)
	}
}

// TestEvidenceIDStable: another reading of the same file (tables in another
// order, cells placed elsewhere, a name spaced differently) keeps the id.
func TestEvidenceIDStable(t *testing.T) {
	d1, _, _ := plantedSeed(t)
	d2, _, r := plantedSeed(t)
	r.Boxes = map[string]yusuan.Rect{"total": {310, 490, 350, 502}}
	r.Page = 6
	r.Name = "行政事业单位 养老支出"
	slices.Reverse(d2.Tables)
	f1 := errorsOf(CheckDocument(d1, Options{Rules: []string{"hierarchy.sum"}}))
	f2 := errorsOf(CheckDocument(d2, Options{Rules: []string{"hierarchy.sum"}}))
	if len(f1) != 1 || len(f2) != 1 {
		t.Fatalf("%d / %d errors", len(f1), len(f2))
	}
	if f1[0].ID != f2[0].ID || f1[0].Evidence[0].Table == f2[0].Evidence[0].Table {
		t.Errorf("ids %s / %s (tables %d / %d)", f1[0].ID, f2[0].ID, f1[0].Evidence[0].Table, f2[0].Evidence[0].Table)
	}
}

func TestEvidenceLongSumSummarised(t *testing.T) {
	var rows []yusuan.Row
	rows = append(rows, yusuan.Row{Name: "合计", Values: vals("total", "100.00")})
	for i := range 15 {
		c := strconv.Itoa(201 + i)
		rows = append(rows, yusuan.Row{Code: code(c), Name: "类" + c, Values: vals("total", "7.00")})
	}
	// 15 categories of 7.00 = 105.00 ≠ 100.00.
	d := corpusDoc(2026, nil, yusuan.Table{Kind: yusuan.ExpenditureSummary, Columns: []string{"total"}, Rows: rows})
	fs := errorsOf(CheckDocument(d, Options{Rules: []string{"hierarchy.sum"}}))
	if len(fs) != 1 {
		t.Fatalf("got\n%s", dump(fs))
	}
	ev := fs[0].Evidence
	if len(ev) != 2 || ev[1].Role != "expected" || !strings.HasPrefix(ev[1].Text, "15 行：") || ev[1].Amount.String() != "105.00" {
		t.Errorf("evidence %+v", ev)
	}
}

func TestEvidenceOfNarrative(t *testing.T) {
	d := seedDoc(t)
	d.Facts["basic"] = yusuan.MustAmount("99.42")
	d.Sources = append(d.Sources, yusuan.FactSource{Key: "basic", Value: yusuan.MustAmount("99.42"), Page: 18,
		Sentence: "基本支出99.42万元，占91.87%"})
	fs := errorsOf(CheckDocument(d, Options{Rules: []string{"narrative.figure"}}))
	if len(fs) != 1 {
		t.Fatalf("got\n%s", dump(fs))
	}
	n := fs[0].Evidence[0]
	if n.Role != "actual" || n.Table != -1 || n.Kind != "narrative" || n.Column != "basic" || n.Page != 18 ||
		n.Text != "基本支出99.42万元，占91.87%" || n.Amount.String() != "99.42" || n.Unit != "万元" {
		t.Errorf("narrative evidence %+v", n)
	}
	if x := fs[0].Evidence[1]; x.Role != "expected" || x.Kind != "expenditure_summary" || x.Row != "合计" || x.Column != "basic" {
		t.Errorf("table evidence %+v", x)
	}
	if !slices.Contains(fs[0].Pages, 18) {
		t.Errorf("pages %v", fs[0].Pages)
	}
}

// TestDoubtsLowerSeverity: a figure from a cell the extractor doubted is at
// most a warning, says why and how sure; a doubt elsewhere in the table
// changes nothing.
func TestDoubtsLowerSeverity(t *testing.T) {
	cases := []struct {
		name  string
		doubt func(tb *yusuan.Table, r *yusuan.Row) yusuan.Doubt
		sev   yusuan.Severity
		conf  yusuan.Confidence
		why   string
	}{
		{"guessed column", func(tb *yusuan.Table, r *yusuan.Row) yusuan.Doubt {
			return yusuan.Doubt{Reason: yusuan.DoubtGuessedColumn, Column: "total"}
		}, yusuan.SeverityWarning, yusuan.ConfidenceLow, "表2 列“合计”由位置推断"},
		{"split row", func(tb *yusuan.Table, r *yusuan.Row) yusuan.Doubt {
			return yusuan.Doubt{Reason: yusuan.DoubtSplitRow, Rows: []int{rowIndex(tb, r)}}
		}, yusuan.SeverityWarning, yusuan.ConfidenceLow, "表2 行“20805 行政事业单位养老支出”由多行拼合或拆分推断"},
		{"a part's row", func(tb *yusuan.Table, r *yusuan.Row) yusuan.Doubt {
			return yusuan.Doubt{Reason: yusuan.DoubtSplitRow, Rows: []int{rowIndex(tb, r) + 2}, Note: "名称折行"}
		}, yusuan.SeverityWarning, yusuan.ConfidenceLow, "表2 行“2080505 机关事业单位基本养老保险缴费支出”由多行拼合或拆分推断：名称折行"},
		{"whole table", func(tb *yusuan.Table, r *yusuan.Row) yusuan.Doubt {
			return yusuan.Doubt{Reason: yusuan.DoubtCutShort}
		}, yusuan.SeverityWarning, yusuan.ConfidenceMedium, "表2 可能未读完"},
		// The extractor's own arithmetic restates the finding's: no doubt.
		{"unbalanced", func(tb *yusuan.Table, r *yusuan.Row) yusuan.Doubt {
			return yusuan.Doubt{Reason: yusuan.DoubtUnbalanced, Column: "total", Rows: []int{rowIndex(tb, r)}}
		}, yusuan.SeverityError, yusuan.ConfidenceHigh, ""},
		{"another row", func(tb *yusuan.Table, r *yusuan.Row) yusuan.Doubt {
			return yusuan.Doubt{Reason: yusuan.DoubtSplitRow, Rows: []int{0}}
		}, yusuan.SeverityError, yusuan.ConfidenceHigh, ""},
		{"another column", func(tb *yusuan.Table, r *yusuan.Row) yusuan.Doubt {
			return yusuan.Doubt{Reason: yusuan.DoubtGuessedColumn, Column: "fund"}
		}, yusuan.SeverityError, yusuan.ConfidenceHigh, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d, tb, r := plantedSeed(t)
			tb.Doubts = []yusuan.Doubt{c.doubt(tb, r)}
			var got []yusuan.Finding
			for _, f := range CheckDocument(d, Options{Rules: []string{"hierarchy.sum"}}) {
				if f.Severity != yusuan.SeverityInfo {
					got = append(got, f)
				}
			}
			if len(got) != 1 {
				t.Fatalf("got\n%s", dump(got))
			}
			f := got[0]
			if f.Severity != c.sev || f.Confidence != c.conf || f.Why != c.why {
				t.Errorf("%s %s why %q; want %s %s %q", f.Severity, f.Confidence, f.Why, c.sev, c.conf, c.why)
			}
		})
	}
}

// TestBlankGroupRowNotConfident: a 类 line that came out without any
// figure was not read: comparisons resting on it are at most warnings.
func TestBlankGroupRowNotConfident(t *testing.T) {
	d := corpusDoc(2026, nil, yusuan.Table{Kind: yusuan.ExpenditureSummary, Label: "表3", Columns: []string{"total"}, Rows: []yusuan.Row{
		{Name: "合计", Values: vals("total", "30.00")},
		{Code: code("201"), Name: "一般公共服务支出", Values: vals()},
		{Code: code("20101"), Name: "人大事务", Values: vals("total", "10.00")},
		{Code: code("20102"), Name: "政协事务", Values: vals("total", "20.00")},
	}})
	// Both the 类 against its 款 and 合计 against the 类 rest on it.
	fs := CheckDocument(d, Options{Rules: []string{"hierarchy.sum"}})
	if len(fs) != 2 {
		t.Fatalf("got\n%s", dump(fs))
	}
	for _, f := range fs {
		if f.Severity != yusuan.SeverityWarning || f.Confidence != yusuan.ConfidenceLow || f.Why != "表3 行“201 一般公共服务支出”未读到任何数字" {
			t.Errorf("%s %s %q: %s", f.Severity, f.Confidence, f.Why, f.Message)
		}
	}
}

// TestOverflow: a 14-digit 万元 amount is beyond the exact scale; it is
// reported as such, with its cell, and takes part in no comparison.
func TestOverflow(t *testing.T) {
	m := toMoney(yusuan.MustAmount("12345678901234"), scale万元)
	if m.ok || !m.overflow {
		t.Fatalf("12345678901234 万元: %+v", m)
	}
	if m := toMoney(yusuan.MustAmount("92233720368.55"), scale万元); m.ok || !m.overflow {
		t.Errorf("92233720368.54 万元: %+v", m)
	}
	if m := toMoney(yusuan.MustAmount("92233720368.54"), scale元); !m.ok || m.v != 922337203685400 {
		t.Errorf("92233720368.54 元: %+v", m)
	}
	if _, ok := addInt(1<<62, 1<<62); ok {
		t.Error("addInt overflow not seen")
	}
	d := corpusDoc(2026, nil, yusuan.Table{Kind: yusuan.ExpenditureSummary, Unit: "万元", Columns: []string{"total"},
		Rows: []yusuan.Row{
			{Name: "合计", Values: vals("total", "12345678901234"), Page: 4},
			{Code: code("201"), Name: "一般公共服务支出", Values: vals("total", "10.00"), Page: 4},
			{Code: code("20101"), Name: "人大事务", Values: vals("total", "10.00"), Page: 4},
		}})
	fs := CheckDocument(d, Options{Rules: []string{"hierarchy.sum", "amount.range"}})
	var got []string
	for _, f := range fs {
		if f.Severity != yusuan.SeverityInfo {
			got = append(got, string(f.Severity)+" "+f.Rule+": "+f.Message)
		}
	}
	want := []string{"warning amount.range: 支出总表 合计（合计） 12345678901234 万元 过大，无从核对，疑为误读"}
	if !slices.Equal(got, want) {
		t.Errorf("got %q", got)
	}
	for _, f := range fs {
		if f.Rule == "amount.range" && (len(f.Evidence) != 1 || f.Evidence[0].Amount.String() != "12345678901234" ||
			f.Evidence[0].Page != 4 || f.Confidence != yusuan.ConfidenceLow) {
			t.Errorf("evidence %+v", f)
		}
	}
	// A sum that overflows although each figure does not is not compared
	// either, and says so.
	big := "90000000000.00" // 万元: 9×10¹⁴ 元, just under the limit
	d = corpusDoc(2026, nil, yusuan.Table{Kind: yusuan.ExpenditureSummary, Unit: "万元", Columns: []string{"total"},
		Rows: []yusuan.Row{
			{Name: "合计", Values: vals("total", "1.00")},
			{Code: code("201"), Name: "一般公共服务支出", Values: vals("total", big)},
			{Code: code("202"), Name: "外交支出", Values: vals("total", big)},
		}})
	fs = CheckDocument(d, Options{Rules: []string{"hierarchy.sum", "amount.range"}})
	if len(fs) != 1 || fs[0].Severity != yusuan.SeverityWarning || !strings.Contains(fs[0].Message, "未比较") {
		t.Errorf("sum overflow:\n%s", dump(fs))
	}
}

// TestUnbalancedLowersOtherTables: a table the extractor found unbalanced
// (its 合计 ≠ Σ类 as read) makes comparisons of its figures with other
// tables at most warnings.
func TestUnbalancedLowersOtherTables(t *testing.T) {
	d := seedDoc(t)
	tb := tableOf(d, yusuan.IncomeSummary)
	set(rowOf(t, d, yusuan.IncomeSummary, "", "合计"), "total", "118.22", "gpb", "118.22")
	tb.Doubts = []yusuan.Doubt{{Reason: yusuan.DoubtUnbalanced, Column: "total", Rows: []int{0}, Note: "合计 118.22 ≠ Σ类 108.21 as read"},
		{Reason: yusuan.DoubtUnbalanced, Column: "gpb", Rows: []int{0}, Note: "合计 118.22 ≠ Σ类 108.21 as read"}}
	fs := CheckDocument(d, Options{Rules: []string{"cross.totals", "hierarchy.sum"}})
	var got []string
	for _, f := range fs {
		if f.Severity != yusuan.SeverityInfo {
			got = append(got, string(f.Severity)+" "+f.Rule)
		}
	}
	if want := []string{"error hierarchy.sum", "warning cross.totals", "warning cross.totals"}; !slices.Equal(got, want) {
		t.Errorf("got %q\n%s", got, dump(fs))
	}
}
