package check

import (
	"bytes"
	"flag"
	"os"
	"strings"
	"testing"

	"yusuan"
)

var update = flag.Bool("update", false, "rewrite golden files under testdata/")

func reportFindings(t *testing.T) []yusuan.Finding {
	p := prevYear(t)
	set(rowOf(t, p, yusuan.IncomeExpenditureSummary, yusuan.SideIncome, "收入总计"), "amount", "125.92")
	d := seedDoc(t)
	d.Facts["basic_pct"] = yusuan.MustAmount("92.02")
	img := &yusuan.Document{File: "scan.pdf", SHA256: "ff00", Meta: yusuan.Meta{Entity: "某县财政局", Year: 2026}}
	return Check([]*yusuan.Document{p, d, img}, Options{})
}

func TestReportGolden(t *testing.T) {
	fs := Filter{Year: 2026}.Apply(reportFindings(t))
	var b bytes.Buffer
	if err := Report(&b, fs); err != nil {
		t.Fatal(err)
	}
	golden(t, "testdata/report.golden", b.Bytes())
	// Documents with errors come first, most serious findings first.
	out := b.String()
	if i, j := strings.Index(out, "阳泉市生态环境局城区分局 2026"), strings.Index(out, "某县财政局 2026"); i < 0 || j < 0 || i > j {
		t.Errorf("group order wrong:\n%s", out)
	}
}

func TestWriteJSON(t *testing.T) {
	f := yusuan.Finding{Rule: "summary.balance", Severity: yusuan.SeverityError,
		Documents: []yusuan.DocRef{{SHA256: "ab", File: "046008-2026.pdf", Entity: "阳泉市生态环境局城区分局", Year: 2026}},
		Tables:    []string{"income_expenditure_summary"}, Message: "收入总计 108.32 ≠ 支出总计 108.22",
		Expected: "108.22", Actual: "108.32", Pages: []int{3}}
	var b bytes.Buffer
	if err := WriteJSON(&b, []yusuan.Finding{f, {Rule: "completeness.text_layer", Severity: yusuan.SeverityWarning}}); err != nil {
		t.Fatal(err)
	}
	want := `{"id":"","rule":"summary.balance","severity":"error","documents":[{"sha256":"ab","file":"046008-2026.pdf","entity":"阳泉市生态环境局城区分局","year":2026}],"tables":["income_expenditure_summary"],"message":"收入总计 108.32 ≠ 支出总计 108.22","expected":"108.22","actual":"108.32","pages":[3],"verdict":null}
{"id":"","rule":"completeness.text_layer","severity":"warning","documents":[],"tables":[],"message":"","verdict":null}
`
	if b.String() != want {
		t.Errorf("got\n%s\nwant\n%s", b.String(), want)
	}
}

func TestFilter(t *testing.T) {
	fs := reportFindings(t)
	cases := []struct {
		name string
		f    Filter
		want func(yusuan.Finding) bool
	}{
		{"year 2025", Filter{Year: 2025}, func(f yusuan.Finding) bool {
			for _, d := range f.Documents {
				if d.Year == 2025 {
					return true
				}
			}
			return false
		}},
		{"rule prefix", Filter{Rules: []string{"narrative."}}, func(f yusuan.Finding) bool { return strings.HasPrefix(f.Rule, "narrative.") }},
		{"rule id", Filter{Rules: []string{"year.previous"}}, func(f yusuan.Finding) bool { return f.Rule == "year.previous" }},
		{"entity", Filter{Entity: "某县 财政局"}, func(f yusuan.Finding) bool { return f.Documents[0].Entity == "某县财政局" }},
		{"errors", Filter{MinSeverity: yusuan.SeverityError}, func(f yusuan.Finding) bool { return f.Severity == yusuan.SeverityError }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := c.f.Apply(fs)
			n := 0
			for _, f := range fs {
				if c.want(f) {
					n++
				}
			}
			if len(got) != n || n == 0 {
				t.Errorf("%d of %d kept, want %d", len(got), len(fs), n)
			}
			for _, f := range got {
				if !c.want(f) {
					t.Errorf("kept %s %s", f.Rule, f.Message)
				}
			}
		})
	}
}

func golden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs (run with -update to accept):\n%s", path, got)
	}
}

// The report names tables as printed, shows differences with their unit,
// says how sure the reading is and what analysts said, and hides false
// alarms unless asked.
func TestReportEvidenceAndVerdicts(t *testing.T) {
	code := "2050201"
	f := yusuan.Finding{Rule: "three_public.sum", Severity: yusuan.SeverityWarning, Confidence: yusuan.ConfidenceMedium,
		Why:       "表8 的“公务用车”列为按位置猜测",
		Documents: []yusuan.DocRef{{SHA256: "ab", File: "gz.pdf", Entity: "广州市某局", Year: 2026}},
		Tables:    []string{"three_public"}, Unit: "万元", Pages: []int{14},
		Message: "“三公”经费合计 304.63 ≠ 出国+接待+公务用车 305.64（差 1.01）",
		Evidence: []yusuan.Evidence{
			{Role: "actual", SHA256: "ab", Table: 7, Kind: "three_public", Label: "表8", Title: "财政拨款“三公”经费支出预算表",
				Row: "合计", Column: "total", Page: 14, Amount: yusuan.MustAmount("304.63"), Unit: "万元"},
			{Role: "part", SHA256: "ab", Table: 7, Kind: "three_public", Label: "表8", Title: "财政拨款“三公”经费支出预算表",
				Row: "公务接待费", Code: &code, Column: "total", Page: 14, Amount: yusuan.MustAmount("1.00"), Unit: "万元"},
			{Role: "expected", SHA256: "ab", Table: -1, Kind: "narrative", Column: "three_public", Page: 20, Amount: yusuan.MustAmount("305.64")},
		},
		Verdict: &yusuan.Verdict{Verdict: yusuan.VerdictConfirmed, Note: "已向单位核实", By: "张三", Stale: true},
	}
	f.Stamp()
	alarm := f
	alarm.Rule, alarm.Message = "row.sum", "行 1.00 ≠ 2.00（差 1.00 万元）"
	alarm.Verdict = &yusuan.Verdict{Verdict: yusuan.VerdictFalseAlarm, By: "李四"}
	alarm.Stamp()
	var b bytes.Buffer
	if err := Report(&b, []yusuan.Finding{f, alarm}); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{
		ShortID(f.ID) + "  warning  three_public.sum  表8 财政拨款“三公”经费支出预算表；情况说明  p.14",
		"（差 1.01 万元）",
		"↳ confidence medium: 表8 的“公务用车”列为按位置猜测",
		"↳ verdict confirmed by 张三: 已向单位核实 — STALE",
		"1 findings: 0 error, 1 warning, 0 info\n1 false alarms hidden (--all shows them)\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "row.sum") {
		t.Errorf("false alarm shown:\n%s", out)
	}
	b.Reset()
	ReportWith(&b, []yusuan.Finding{f, alarm}, ReportOptions{All: true})
	if !strings.Contains(b.String(), "row.sum") || !strings.Contains(b.String(), "（差 1.00 万元）") || strings.Contains(b.String(), "万元 万元") {
		t.Errorf("--all:\n%s", b.String())
	}
}

func TestWithUnit(t *testing.T) {
	for _, c := range []struct{ msg, unit, want string }{
		{"a 1 ≠ b 2（差 1.01）", "万元", "a 1 ≠ b 2（差 1.01 万元）"},
		{"尾差：a ≠ b（差 0.01，容许 0.030）", "元", "尾差：a ≠ b（差 0.01 元，容许 0.030）"},
		{"a（差 1.01 万元）", "万元", "a（差 1.01 万元）"},
		{"a（差 1,234.00元）", "元", "a（差 1,234.00元）"},
		{"a（差 1.01）", "", "a（差 1.01）"},
		{"差额说明", "万元", "差额说明"},
	} {
		if got := WithUnit(c.msg, c.unit); got != c.want {
			t.Errorf("WithUnit(%q, %q) = %q, want %q", c.msg, c.unit, got, c.want)
		}
	}
}
