package check

import (
	"bufio"
	"os"
	"strings"
	"sync"
	"testing"

	"yusuan"
)

// The seed document (testdata/seed.txt, the ground-truth text of
// yangquan-chengqu-eco-2026-unit-budget.pdf, tables tab-separated) is turned
// into a yusuan.Document here, the way the extractor is meant to: so the
// rules are tested on the real published figures without the extractor.

// seedTable says where a table is in seed.txt and what its columns are:
// "name", "code", "name2", "" (skip) or a value key; two-sided tables
// prefix fields with "i." (income) or "e." (expenditure).
type seedTable struct {
	kind   yusuan.TableKind
	title  string // the printed title line (without markdown marks)
	start  string // the header line just above the data starts with this
	fields []string
	pages  []int
	empty  bool
}

var seedTables = []seedTable{
	{kind: yusuan.IncomeExpenditureSummary, title: "2026年预算收支总表", start: "项目\t2026年", pages: []int{3, 4},
		fields: []string{"i.name", "i.amount", "e.name", "e.total", "e.current", "e.carryover"}},
	{kind: yusuan.IncomeSummary, title: "2026年预算收入总表", start: "科目编码", pages: []int{5, 6},
		fields: []string{"code", "name", "total", "gpb", "fund", "soe", "special", "unit", "carryover"}},
	{kind: yusuan.ExpenditureSummary, title: "2026年预算支出总表", start: "科目编码", pages: []int{7},
		fields: []string{"code", "name", "total", "basic", "project"}},
	{kind: yusuan.FiscalSummary, title: "2026年财政拨款收支总表", start: "\t\t\t小计", pages: []int{8, 9},
		fields: []string{"i.name", "i.amount", "e.name", "e.subtotal", "e.gpb", "e.fund", "e.soe"}},
	{kind: yusuan.GeneralBudgetExpenditure, title: "2026年一般公共预算支出预算表（不含上年结转）", start: "科目编码", pages: []int{10},
		fields: []string{"code", "name", "total", "basic", "project"}},
	{kind: yusuan.GeneralBudgetBasicByEconomic, title: "2026年一般公共预算安排基本支出分经济科目表（不含上年结转）", start: "\t\t合计", pages: []int{11},
		fields: []string{"name", "name2", "total", "personnel", "public"}},
	{kind: yusuan.GovFundIncome, title: "2026年政府性基金预算收入表（不含上年结转）", pages: []int{12}, empty: true},
	{kind: yusuan.GovFundExpenditure, title: "2026年政府性基金预算支出表（不含上年结转）", pages: []int{13}, empty: true},
	{kind: yusuan.StateCapital, title: "2026年国有资本经营预算收支预算表（不含上年结转）", pages: []int{14}, empty: true},
	{kind: yusuan.ThreePublic, title: "2026年财政拨款安排“三公”经费支出预算表", start: "\t合计", pages: []int{14}, empty: true,
		fields: []string{"name", "total", "gpb", "fund", "soe"}},
	{kind: yusuan.AdminOperating, title: "2026年财政拨款安排机关运行经费预算表", start: "\t合计", pages: []int{15},
		fields: []string{"name", "total", "gpb", "fund", "soe"}},
	{kind: yusuan.ProjectCurrent, title: "2026年项目支出预算表（本年预算）", start: "1\t2\t3", pages: []int{16},
		fields: []string{"name", "total", "gpb", "fund", "soe", "special", "unit"}},
	{kind: yusuan.ProjectCarryover, title: "2026年项目支出预算表（上年结转）", pages: []int{17}, empty: true},
}

// seedFacts are the narrative figures of the seed (第三部分), as the
// extractor should read them.
var seedFacts = map[string]string{
	"total_income": "108.22", "total_expenditure": "108.22", "current_income": "108.22",
	"carryover_income": "0", "yoy_change": "-12.70", "yoy_change_pct": "-10.50",
	"gpb_income": "108.22", "gpb_income_pct": "100.00", "basic": "97.42", "basic_pct": "90.02",
	"project": "10.8", "project_pct": "9.98", "personnel": "85.21", "public": "12.21",
	"three_public": "0", "admin_operating": "12.21", "admin_operating_prev": "13.35",
	"procurement_total": "0", "performance_project_count": "1", "performance_amount": "10.80",
	"staff_authorized": "6", "staff_actual": "5",
	// Read by the extractor too: 比2025年财政拨款预算13.35万元相比，减少1.14万元，下降8.5%.
	"admin_operating_change": "-1.14", "admin_operating_change_pct": "-8.5", "total_income_prev": "120.92",
}

var seedLines = sync.OnceValues(func() ([]string, error) {
	f, err := os.Open("testdata/seed.txt")
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var lines []string
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		lines = append(lines, sc.Text())
	}
	return lines, sc.Err()
})

func stripMarks(s string) string {
	s = strings.TrimLeft(s, "# ")
	s = strings.ReplaceAll(s, "**", "")
	return strings.TrimSpace(s)
}

// seedDoc builds a fresh copy of the seed document (callers may mutate it).
func seedDoc(tb testing.TB) *yusuan.Document {
	tb.Helper()
	lines, err := seedLines()
	if err != nil {
		tb.Fatalf("read seed: %v", err)
	}
	d := &yusuan.Document{
		Schema: yusuan.SchemaVersion, File: "yangquan-chengqu-eco-2026-unit-budget.pdf",
		SHA256: "seed0000000000000000000000000000000000000000000000000000000000aa", Pages: 24,
		TextLayer: true,
		Meta: yusuan.Meta{Title: "阳泉市生态环境局城区分局2026年度单位预算公开", Entity: "阳泉市生态环境局城区分局",
			Scope: yusuan.ScopeUnit, Kind: yusuan.KindBudget, Year: 2026},
		Facts: yusuan.Facts{},
	}
	body := 69 // tables start after the table of contents and 第一部分
	for _, st := range seedTables {
		t := yusuan.Table{Kind: st.kind, Title: st.title, Pages: st.pages, Unit: "万元", Empty: st.empty}
		ti := -1
		for i := body; i < len(lines); i++ {
			if stripMarks(lines[i]) == st.title {
				ti = i
				break
			}
		}
		if ti < 0 {
			tb.Fatalf("seed: table %q not found", st.title)
		}
		for _, f := range st.fields {
			k := strings.TrimPrefix(strings.TrimPrefix(f, "i."), "e.")
			if k != "name" && k != "code" && k != "name2" && k != "" && !contains(t.Columns, k) {
				t.Columns = append(t.Columns, k)
			}
		}
		if st.start == "" {
			t.Rows = []yusuan.Row{{Name: "合计", Values: map[string]yusuan.Amount{}, Page: st.pages[0]}}
			d.Tables = append(d.Tables, t)
			continue
		}
		si := -1
		for i := ti + 1; i < len(lines); i++ {
			if strings.HasPrefix(lines[i], st.start) {
				si = i
				break
			}
		}
		if si < 0 {
			tb.Fatalf("seed: header of %q not found", st.title)
		}
		for i := si + 1; i < len(lines); i++ {
			l := lines[i]
			if strings.TrimSpace(l) == "" {
				continue
			}
			if !strings.Contains(l, "\t") || strings.HasPrefix(l, "注") {
				break
			}
			t.Rows = append(t.Rows, seedRows(tb, st, strings.Split(l, "\t"))...)
		}
		d.Tables = append(d.Tables, t)
	}
	d.Tables = append(d.Tables, yusuan.Table{
		Kind: yusuan.PerformanceTargets, Title: "阳泉市市级预算部门（单位）项目支出绩效目标表", Pages: []int{21},
		Rows: []yusuan.Row{
			{Name: "项目名称", Values: map[string]yusuan.Amount{}, Page: 21},
			{Name: "项目资金（元）", Values: map[string]yusuan.Amount{}, Page: 21},
			{Name: "实施期资金总额", Values: map[string]yusuan.Amount{"value": yusuan.MustAmount("108000")}, Page: 21},
			{Name: "年度资金总额", Values: map[string]yusuan.Amount{"value": yusuan.MustAmount("108000")}, Page: 21},
		},
	})
	d.Narrative = seedNarrative(lines)
	for k, v := range seedFacts {
		d.Facts[k] = yusuan.MustAmount(v)
	}
	return d
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

func seedRows(tb testing.TB, st seedTable, cells []string) []yusuan.Row {
	tb.Helper()
	rows := map[string]*yusuan.Row{}
	var order []string
	get := func(side string) *yusuan.Row {
		if r, ok := rows[side]; ok {
			return r
		}
		r := &yusuan.Row{Values: map[string]yusuan.Amount{}, Page: st.pages[0]}
		switch side {
		case "i.":
			r.Side = yusuan.SideIncome
		case "e.":
			r.Side = yusuan.SideExpenditure
		}
		rows[side] = r
		order = append(order, side)
		return r
	}
	for i, f := range st.fields {
		c := ""
		if i < len(cells) {
			c = strings.TrimSpace(cells[i])
		}
		side := ""
		if strings.HasPrefix(f, "i.") || strings.HasPrefix(f, "e.") {
			side, f = f[:2], f[2:]
		}
		r := get(side)
		switch f {
		case "":
		case "name":
			if c != "" {
				r.Name = c
			}
		case "name2":
			r.Name2 = c
		case "code":
			if c != "" && !isColumnNumberRow(c) { // 合计 printed in the code column
				r.Name = c
			} else if c != "" {
				code := c
				r.Code = &code
				r.Level = map[int]int{3: 1, 5: 2, 7: 3}[len(c)]
			}
		default:
			a, err := yusuan.ParseAmount(c)
			if err != nil {
				tb.Fatalf("seed %s: %v", st.title, err)
			}
			r.Values[f] = a
		}
	}
	var out []yusuan.Row
	for _, side := range order {
		r := rows[side]
		if r.Name == "" && r.Code == nil {
			continue
		}
		out = append(out, *r)
	}
	return out
}

// seedNarrative is 第三部分 and 第四部分: headed sections, table lines left
// out (the performance tables sit among them).
func seedNarrative(lines []string) []yusuan.Section {
	start := 0
	for i, l := range lines {
		if strings.HasPrefix(l, "### 第三部分") {
			start = i
			break
		}
	}
	pages := []struct {
		prefix string
		page   int
	}{{"一、", 18}, {"五、", 19}, {"八、", 20}, {"十一、", 23}, {"第四部分", 24}}
	page := 18
	var out []yusuan.Section
	for _, l := range lines[start:] {
		if strings.Contains(l, "\t") || strings.TrimSpace(l) == "" {
			continue
		}
		if strings.HasPrefix(l, "#") {
			h := stripMarks(l)
			for _, p := range pages {
				if strings.HasPrefix(h, p.prefix) {
					page = p.page
				}
			}
			out = append(out, yusuan.Section{Heading: h, Page: page})
			continue
		}
		if len(out) == 0 {
			continue
		}
		s := &out[len(out)-1]
		s.Text += stripMarks(l)
	}
	return out
}

func TestSeedPrint(t *testing.T) {
	d := seedDoc(t)
	fs := CheckDocument(d, Options{})
	for _, f := range fs {
		t.Logf("%s %s %v %s exp=%s act=%s p=%v", f.Severity, f.Rule, f.Tables, f.Message, f.Expected, f.Actual, f.Pages)
	}
}
