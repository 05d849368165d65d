package check

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"yusuan"
)

// TestSeed: the published seed document has no error. Its rounding
// differences are reported as info (尾差): the two of the economic
// classification (工资福利支出 75.95 vs Σ 75.96, 商品和服务支出 12.21 vs
// 12.20), and one more that checks.md does not list but the printed figures
// show: the categories add to 0.13+21.61+3.82+75.79+6.86 = 108.21 (basic
// 97.41) against the printed 合计 108.22 (97.42), seen in every table that
// prints them. 108000 元 in the performance table agrees with 10.80 万元.
func TestSeed(t *testing.T) {
	fs := CheckDocument(seedDoc(t), Options{})
	type want struct{ rule, table, actual, expected string }
	var got []want
	for _, f := range fs {
		if f.Severity == yusuan.SeverityError || f.Severity == yusuan.SeverityWarning {
			t.Errorf("seed: unexpected %s %s: %s", f.Severity, f.Rule, f.Message)
		}
		if strings.HasPrefix(f.Message, "尾差") {
			got = append(got, want{f.Rule, f.Tables[0], f.Actual, f.Expected})
		}
	}
	wantRounding := []want{
		{"summary.balance", "income_expenditure_summary", "108.22", "108.21"},
		{"summary.balance", "fiscal_summary", "108.22", "108.21"},
		{"hierarchy.sum", "income_summary", "108.22", "108.21"},
		// One note a rule and table (the 合计 and 基本支出 columns of one
		// table differ alike): 97.42 ≠ 97.41 is counted in it.
		{"hierarchy.sum", "expenditure_summary", "108.22", "108.21"},
		{"hierarchy.sum", "general_budget_expenditure", "108.22", "108.21"},
		// 75.95 ≠ 75.96 and 12.21 ≠ 12.20 of the economic table, in one
		// note.
		{"hierarchy.sum", "general_budget_basic_by_economic", "75.95", "75.96"},
	}
	if !slices.Equal(got, wantRounding) {
		t.Errorf("seed rounding findings:\n got %v\nwant %v", got, wantRounding)
	}
	for _, f := range fs {
		if slices.Contains(f.Tables, string(yusuan.PerformanceTargets)) {
			t.Errorf("seed: performance table 108000 元 should agree with 10.80 万元: %s", f.Message)
		}
	}
	// The 尾差 of the economic classification, in full.
	var econ []string
	for _, f := range fs {
		if f.Rule == "hierarchy.sum" && f.Tables[0] == "general_budget_basic_by_economic" {
			econ = append(econ, f.Message)
		}
	}
	wantEcon := []string{
		"尾差：工资福利支出（合计、人员经费） 75.95 ≠ Σ经济科目款 75.96（差 0.01 万元，容许 0.045 万元）（本表共 2 处尾差，差均不超过此处）",
	}
	if !slices.Equal(econ, wantEcon) {
		t.Errorf("economic 尾差:\n got %q\nwant %q", econ, wantEcon)
	}
	// Boilerplate slips the seed really has.
	var boiler []string
	for _, f := range fs {
		if f.Rule == "narrative.boilerplate" {
			boiler = append(boiler, f.Actual)
		}
	}
	wantBoiler := []string{"主要原因是主要原因是", "截至2025年2月25日", "省直部门"}
	if !slices.Equal(boiler, wantBoiler) {
		t.Errorf("boilerplate: got %q want %q", boiler, wantBoiler)
	}
}

func TestPerformanceYuanAgainstWan(t *testing.T) {
	a := toMoney(yusuan.MustAmount("108000"), unitScale("元"))
	b := toMoney(yusuan.MustAmount("10.80"), unitScale("万元"))
	if a.v != b.v {
		t.Fatalf("108000 元 = %d, 10.80 万元 = %d", a.v, b.v)
	}
	d := seedDoc(t)
	d.Facts["performance_amount"] = yusuan.MustAmount("11.80")
	fs := CheckDocument(d, Options{Rules: []string{"narrative.figure"}})
	if len(fs) != 1 || fs[0].Severity != yusuan.SeverityError || fs[0].Tables[0] != "performance_targets" {
		t.Fatalf("performance 108000 元 vs 11.80 万元: %+v", fs)
	}
	if want := "绩效目标表 年度资金总额 108000 元 ≠ 情况说明 绩效目标项目金额 11.80 万元（差 10000 元）"; fs[0].Message != want {
		t.Errorf("message %q, want %q", fs[0].Message, want)
	}
}

// Helpers to plant defects into a copy of the seed.

func tableOf(d *yusuan.Document, k yusuan.TableKind) *yusuan.Table {
	for i := range d.Tables {
		if d.Tables[i].Kind == k {
			return &d.Tables[i]
		}
	}
	return nil
}

func rowOf(tb testing.TB, d *yusuan.Document, k yusuan.TableKind, side yusuan.Side, name string) *yusuan.Row {
	tb.Helper()
	t := tableOf(d, k)
	for i := range t.Rows {
		r := &t.Rows[i]
		if r.Side == side && (r.Name == name || r.CodeString() == name) {
			return r
		}
	}
	tb.Fatalf("no row %q in %s", name, k)
	return nil
}

func set(r *yusuan.Row, kv ...string) {
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] == "" {
			r.Values[kv[i]] = yusuan.Null
		} else {
			r.Values[kv[i]] = yusuan.MustAmount(kv[i+1])
		}
	}
}

func removeTable(d *yusuan.Document, k yusuan.TableKind) {
	d.Tables = slices.DeleteFunc(d.Tables, func(t yusuan.Table) bool { return t.Kind == k })
}

func fillThreePublic(tb testing.TB, d *yusuan.Document, abroad, recept, car, buy, run, total string) {
	tp := tableOf(d, yusuan.ThreePublic)
	tp.Empty = false
	set(rowOf(tb, d, yusuan.ThreePublic, "", "因公出国（境）费"), "total", abroad, "gpb", abroad)
	set(rowOf(tb, d, yusuan.ThreePublic, "", "公务接待费"), "total", recept, "gpb", recept)
	set(rowOf(tb, d, yusuan.ThreePublic, "", "公务用车购置及运行费"), "total", car, "gpb", car)
	set(rowOf(tb, d, yusuan.ThreePublic, "", "①公务用车购置费"), "total", buy, "gpb", buy)
	set(rowOf(tb, d, yusuan.ThreePublic, "", "②公务用车运行维护费"), "total", run, "gpb", run)
	set(rowOf(tb, d, yusuan.ThreePublic, "", "合计"), "total", total, "gpb", total)
}

// defectCase plants one defect into the seed; the finding must come with
// the rule id, severity and first table kind given.
type defectCase struct {
	rule  string
	sev   yusuan.Severity
	table string
	plant func(tb testing.TB, d *yusuan.Document)
}

var defectCases = []defectCase{
	{"summary.balance", yusuan.SeverityError, "income_expenditure_summary", func(tb testing.TB, d *yusuan.Document) {
		set(rowOf(tb, d, yusuan.IncomeExpenditureSummary, yusuan.SideIncome, "收入总计"), "amount", "108.32")
	}},
	{"row.sum", yusuan.SeverityError, "expenditure_summary", func(tb testing.TB, d *yusuan.Document) {
		set(rowOf(tb, d, yusuan.ExpenditureSummary, "", "2110101"), "basic", "63.99")
	}},
	{"hierarchy.sum", yusuan.SeverityError, "income_summary", func(tb testing.TB, d *yusuan.Document) {
		set(rowOf(tb, d, yusuan.IncomeSummary, "", "2080501"), "total", "9.49", "gpb", "9.49")
	}},
	{"hierarchy.sum", yusuan.SeverityError, "project_current", func(tb testing.TB, d *yusuan.Document) {
		set(rowOf(tb, d, yusuan.ProjectCurrent, "", "阳泉市生态环境局城区分局"), "total", "11.80", "gpb", "11.80")
	}},
	{"three_public.sum", yusuan.SeverityError, "three_public", func(tb testing.TB, d *yusuan.Document) {
		fillThreePublic(tb, d, "1.00", "2.00", "3.00", "1.00", "1.50", "6.00")
	}},
	{"cross.totals", yusuan.SeverityError, "income_summary", func(tb testing.TB, d *yusuan.Document) {
		set(rowOf(tb, d, yusuan.IncomeSummary, "", "合计"), "total", "118.22", "gpb", "118.22")
	}},
	{"cross.categories", yusuan.SeverityError, "income_expenditure_summary", func(tb testing.TB, d *yusuan.Document) {
		// Moved between two categories: 收支总表 still adds up.
		set(rowOf(tb, d, yusuan.IncomeExpenditureSummary, yusuan.SideExpenditure, "十、卫生健康支出"), "total", "4.82", "current", "4.82")
		set(rowOf(tb, d, yusuan.IncomeExpenditureSummary, yusuan.SideExpenditure, "八、社会保障和就业支出"), "total", "20.61", "current", "20.61")
	}},
	{"cross.general_budget", yusuan.SeverityError, "general_budget_expenditure", func(tb testing.TB, d *yusuan.Document) {
		set(rowOf(tb, d, yusuan.GeneralBudgetBasicByEconomic, "", "合计"), "total", "97.52", "personnel", "85.31")
	}},
	{"cross.admin_operating", yusuan.SeverityError, "admin_operating", func(tb testing.TB, d *yusuan.Document) {
		set(rowOf(tb, d, yusuan.AdminOperating, "", "部门合计"), "total", "12.51", "gpb", "12.51")
		set(rowOf(tb, d, yusuan.AdminOperating, "", "阳泉市生态环境局城区分局"), "total", "12.51", "gpb", "12.51")
	}},
	{"cross.project", yusuan.SeverityError, "project_current", func(tb testing.TB, d *yusuan.Document) {
		set(rowOf(tb, d, yusuan.ProjectCurrent, "", "阳泉市生态环境局城区分局"), "total", "11.80", "gpb", "11.80")
		set(rowOf(tb, d, yusuan.ProjectCurrent, "", "市生态环境局城区分局环保工作运转 经费"), "total", "11.80", "gpb", "11.80")
	}},
	{"cross.gov_fund", yusuan.SeverityError, "gov_fund_expenditure", func(tb testing.TB, d *yusuan.Document) {
		t := tableOf(d, yusuan.GovFundExpenditure)
		t.Empty = false
		set(&t.Rows[0], "total", "5.00", "basic", "5.00")
	}},
	{"narrative.figure", yusuan.SeverityError, "narrative", func(tb testing.TB, d *yusuan.Document) {
		d.Facts["basic"] = yusuan.MustAmount("99.42")
	}},
	{"narrative.figure", yusuan.SeverityError, "narrative", func(tb testing.TB, d *yusuan.Document) {
		d.Facts["admin_operating"] = yusuan.MustAmount("13.21")
	}},
	{"narrative.percent", yusuan.SeverityError, "narrative", func(tb testing.TB, d *yusuan.Document) {
		d.Facts["basic_pct"] = yusuan.MustAmount("92.02")
	}},
	{"narrative.yoy_internal", yusuan.SeverityError, "narrative", func(tb testing.TB, d *yusuan.Document) {
		d.Facts["yoy_change_pct"] = yusuan.MustAmount("-12.50")
	}},
	{"narrative.yoy_internal", yusuan.SeverityError, "narrative", func(tb testing.TB, d *yusuan.Document) {
		d.Facts["yoy_change_pct"] = yusuan.MustAmount("10.50")
	}},
	{"narrative.yoy_internal", yusuan.SeverityError, "narrative", func(tb testing.TB, d *yusuan.Document) {
		d.Facts["admin_operating_change"] = yusuan.MustAmount("-2.14") // 12.21 − 13.35 = −1.14
	}},
	{"narrative.yoy_internal", yusuan.SeverityError, "narrative", func(tb testing.TB, d *yusuan.Document) {
		d.Facts["admin_operating_change_pct"] = yusuan.MustAmount("-9.5") // −1.14 ÷ 13.35 = −8.54%
	}},
	{"narrative.three_public", yusuan.SeverityError, "narrative", func(tb testing.TB, d *yusuan.Document) {
		fillThreePublic(tb, d, "", "1.00", "", "", "", "1.00")
	}},
	{"narrative.three_public", yusuan.SeverityError, "narrative", func(tb testing.TB, d *yusuan.Document) {
		d.Facts["three_public"] = yusuan.MustAmount("1.00")
	}},
	{"narrative.boilerplate", yusuan.SeverityInfo, "narrative", func(tb testing.TB, d *yusuan.Document) {
		d.Narrative[0].Text += "截至2024年6月30日，资产资产资产"
	}},
	{"completeness.tables", yusuan.SeverityWarning, "fiscal_summary", func(tb testing.TB, d *yusuan.Document) {
		removeTable(d, yusuan.FiscalSummary)
	}},
	{"completeness.three_public", yusuan.SeverityWarning, "three_public", func(tb testing.TB, d *yusuan.Document) {
		removeTable(d, yusuan.ThreePublic)
	}},
	{"completeness.text_layer", yusuan.SeverityWarning, "", func(tb testing.TB, d *yusuan.Document) {
		d.TextLayer, d.Tables, d.Narrative = false, nil, nil
	}},
}

func TestPlantedDefects(t *testing.T) {
	for i, c := range defectCases {
		t.Run(fmt.Sprintf("%02d-%s", i, c.rule), func(t *testing.T) {
			d := seedDoc(t)
			c.plant(t, d)
			fs := CheckDocument(d, Options{})
			if !found(fs, c.rule, c.sev, c.table) {
				t.Errorf("planted %s not found as %s in %s; got:\n%s", c.rule, c.sev, c.table, dump(fs))
			}
		})
	}
}

func found(fs []yusuan.Finding, rule string, sev yusuan.Severity, table string) bool {
	for _, f := range fs {
		if f.Rule == rule && f.Severity == sev && (table == "" || slices.Contains(f.Tables, table)) {
			return true
		}
	}
	return false
}

func dump(fs []yusuan.Finding) string {
	var b strings.Builder
	for _, f := range fs {
		fmt.Fprintf(&b, "  %s %s %v %s\n", f.Severity, f.Rule, f.Tables, f.Message)
	}
	return b.String()
}

func errorsOf(fs []yusuan.Finding) []yusuan.Finding {
	var out []yusuan.Finding
	for _, f := range fs {
		if f.Severity == yusuan.SeverityError {
			out = append(out, f)
		}
	}
	return out
}

// prevYear is last year's document of the seed's entity, consistent with
// what the seed says about it (收入总计 120.92, 机关运行经费 13.35).
func prevYear(tb testing.TB) *yusuan.Document {
	d := seedDoc(tb)
	d.SHA256 = "prev" + d.SHA256[4:]
	d.File = "yangquan-chengqu-eco-2025-unit-budget.pdf"
	d.Meta.Year = 2025
	set(rowOf(tb, d, yusuan.IncomeExpenditureSummary, yusuan.SideIncome, "收入总计"), "amount", "120.92")
	set(rowOf(tb, d, yusuan.AdminOperating, "", "部门合计"), "total", "13.35")
	return d
}

// department is a department document whose only unit is the seed's.
func department(tb testing.TB) *yusuan.Document {
	d := seedDoc(tb)
	d.SHA256 = "dept" + d.SHA256[4:]
	d.File = "yangquan-eco-2026-department-budget.pdf"
	d.Meta.Entity, d.Meta.Scope = "阳泉市生态环境局", yusuan.ScopeDepartment
	d.Meta.Title = "阳泉市生态环境局2026年度部门预算公开"
	return d
}

func TestSeveralDocuments(t *testing.T) {
	cases := []struct {
		name  string
		docs  func(tb testing.TB) []*yusuan.Document
		rule  string
		sev   yusuan.Severity
		table string
		ndocs int // documents the finding names (0: no finding expected of this rule)
	}{
		{"year clean", func(tb testing.TB) []*yusuan.Document { return []*yusuan.Document{prevYear(tb), seedDoc(tb)} },
			"year.previous", "", "", 0},
		{"year total", func(tb testing.TB) []*yusuan.Document {
			p := prevYear(tb)
			set(rowOf(tb, p, yusuan.IncomeExpenditureSummary, yusuan.SideIncome, "收入总计"), "amount", "125.92")
			return []*yusuan.Document{p, seedDoc(tb)}
		}, "year.previous", yusuan.SeverityError, "narrative", 2},
		{"year admin", func(tb testing.TB) []*yusuan.Document {
			p := prevYear(tb)
			set(rowOf(tb, p, yusuan.AdminOperating, "", "部门合计"), "total", "14.35")
			return []*yusuan.Document{p, seedDoc(tb)}
		}, "year.previous", yusuan.SeverityError, "admin_operating", 2},
		{"year stated prev total", func(tb testing.TB) []*yusuan.Document {
			d := seedDoc(tb)
			d.Facts["total_income_prev"] = yusuan.MustAmount("125.92")
			return []*yusuan.Document{prevYear(tb), d}
		}, "year.previous", yusuan.SeverityError, "income_expenditure_summary", 2},
		{"department clean", func(tb testing.TB) []*yusuan.Document { return []*yusuan.Document{department(tb), seedDoc(tb)} },
			"department.units", "", "", 0},
		{"department totals", func(tb testing.TB) []*yusuan.Document {
			d := department(tb)
			set(rowOf(tb, d, yusuan.IncomeExpenditureSummary, yusuan.SideIncome, "收入总计"), "amount", "118.22")
			return []*yusuan.Document{d, seedDoc(tb)}
		}, "department.units", yusuan.SeverityError, "income_expenditure_summary", 2},
		{"department admin line", func(tb testing.TB) []*yusuan.Document {
			d := department(tb)
			set(rowOf(tb, d, yusuan.AdminOperating, "", "阳泉市生态环境局城区分局"), "total", "13.21")
			return []*yusuan.Document{d, seedDoc(tb)}
		}, "department.units", yusuan.SeverityError, "admin_operating", 2},
		{"revised", func(tb testing.TB) []*yusuan.Document {
			d := seedDoc(tb)
			d.SHA256 = "rev2" + d.SHA256[4:]
			set(rowOf(tb, d, yusuan.IncomeExpenditureSummary, yusuan.SideIncome, "收入总计"), "amount", "109.22")
			return []*yusuan.Document{seedDoc(tb), d}
		}, "document.revised", yusuan.SeverityWarning, "", 2},
		{"same bytes twice", func(tb testing.TB) []*yusuan.Document { return []*yusuan.Document{seedDoc(tb), seedDoc(tb)} },
			"document.revised", "", "", 0},
		// 14_ and 15_beijing: the narrative and the tables as two files.
		{"parts published apart", func(tb testing.TB) []*yusuan.Document {
			text, tables := seedDoc(tb), seedDoc(tb)
			text.SHA256, text.Tables = "text"+text.SHA256[4:], nil
			tables.Narrative, tables.Facts = nil, yusuan.Facts{}
			return []*yusuan.Document{text, tables}
		}, "document.revised", "", "", 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			fs := Check(c.docs(t), Options{})
			var mine []yusuan.Finding
			for _, f := range fs {
				if f.Rule == c.rule {
					mine = append(mine, f)
				}
			}
			if c.ndocs == 0 {
				if len(mine) > 0 {
					t.Errorf("clean: unexpected\n%s", dump(mine))
				}
				// The stand-in documents of other years have their own
				// inconsistencies; only several-document rules matter here.
				for _, f := range errorsOf(fs) {
					if r, _ := Lookup(f.Rule); r.Scope == ScopeDocuments {
						t.Errorf("clean: %s", f.Message)
					}
				}
				return
			}
			if !found(mine, c.rule, c.sev, c.table) {
				t.Fatalf("not found %s %s %s in\n%s", c.rule, c.sev, c.table, dump(fs))
			}
			for _, f := range mine {
				if len(f.Documents) != c.ndocs {
					t.Errorf("%s names %d documents, want %d", f.Message, len(f.Documents), c.ndocs)
				}
			}
		})
	}
}

func TestEconomicThreeLevels(t *testing.T) {
	// Chongqing prints 303 / 30301 离休费 68.00 / 3030101 … : the third level
	// is inside its 款 and must not be added again.
	row := func(code, name, total string) yusuan.Row {
		return yusuan.Row{EconCode: code, Name: name, Values: map[string]yusuan.Amount{"total": yusuan.MustAmount(total)}}
	}
	d := &yusuan.Document{SHA256: "x", TextLayer: true, Tables: []yusuan.Table{{
		Kind: yusuan.GeneralBudgetBasicByEconomic, Unit: "万元", Columns: []string{"total"},
		Rows: []yusuan.Row{
			row("", "合计", "6235.17"),
			row("303", "对个人和家庭的补助", "6235.17"),
			row("30301", "离休费", "68.00"),
			row("3030101", "离休费", "20.27"),
			row("3030102", "离休生活性补贴", "47.73"),
			row("30305", "生活补助", "5656.25"),
			row("30307", "医疗费补助", "510.92"),
		},
	}}}
	if fs := CheckDocument(d, Options{Rules: []string{"hierarchy.sum"}}); len(fs) != 0 {
		t.Errorf("three-level economic table:\n%s", dump(fs))
	}
}

func TestYearPreviousMessage(t *testing.T) {
	p := prevYear(t)
	set(rowOf(t, p, yusuan.IncomeExpenditureSummary, yusuan.SideIncome, "收入总计"), "amount", "125.92")
	fs := Check([]*yusuan.Document{p, seedDoc(t)}, Options{Rules: []string{"year.previous"}})
	// The stated change and the stated last-year total both contradict it.
	if len(fs) != 2 {
		t.Fatalf("got %d findings:\n%s", len(fs), dump(fs))
	}
	if want := "情况说明 上年收入总计 120.92 ≠ 上年文件 收支总表 收入总计 125.92（差 5.00 万元）"; fs[1].Message != want {
		t.Errorf("got %q want %q", fs[1].Message, want)
	}
	f := fs[0]
	want := "情况说明 比上年增减 -12.70 ≠ 本年收入总计 108.22 − 上年收入总计 125.92 = -17.70（差 5.00 万元）"
	if f.Message != want || f.Expected != "-17.70" || f.Actual != "-12.70" {
		t.Errorf("got %q exp=%s act=%s\nwant %q", f.Message, f.Expected, f.Actual, want)
	}
	if f.Documents[0].Year != 2026 || f.Documents[1].Year != 2025 {
		t.Errorf("documents %+v", f.Documents)
	}
}

func TestYuanTablesAgreeWithWan(t *testing.T) {
	// The seed with its 机关运行经费 and project tables printed in 元
	// (122100, 108000) checks as clean as in 万元.
	d := seedDoc(t)
	for i := range d.Tables {
		tb := &d.Tables[i]
		if tb.Kind != yusuan.AdminOperating && tb.Kind != yusuan.ProjectCurrent {
			continue
		}
		tb.Unit = "元"
		for j := range tb.Rows {
			for k, v := range tb.Rows[j].Values {
				if !v.IsNull() {
					tb.Rows[j].Values[k] = yusuan.AmountFromDecimal(v.Decimal().Shift(4), 0)
				}
			}
		}
	}
	if got := rowOf(t, d, yusuan.ProjectCurrent, "", "阳泉市生态环境局城区分局").Values["total"].String(); got != "108000" {
		t.Fatalf("project line %s", got)
	}
	fs := CheckDocument(d, Options{})
	if e := errorsOf(fs); len(e) > 0 {
		t.Errorf("seed with 元 tables: errors\n%s", dump(e))
	}
	// And a real difference in 元 is found, printed in 元.
	set(rowOf(t, d, yusuan.AdminOperating, "", "部门合计"), "total", "122500", "gpb", "122500")
	set(rowOf(t, d, yusuan.AdminOperating, "", "阳泉市生态环境局城区分局"), "total", "122500", "gpb", "122500")
	fs = CheckDocument(d, Options{Rules: []string{"cross.admin_operating"}})
	want := "机关运行经费 合计 122500 元 ≠ 一般公共预算基本支出表 公用经费 12.21 万元（差 400 元）"
	if len(fs) != 1 || fs[0].Message != want || fs[0].Expected != "122100" {
		t.Errorf("got\n%s want %q", dump(fs), want)
	}
}

func TestRegistry(t *testing.T) {
	want := []string{"summary.balance", "row.sum", "hierarchy.sum", "three_public.sum", "table.empty_note", "cross.totals",
		"cross.categories", "cross.general_budget", "cross.admin_operating", "cross.project", "cross.gov_fund", "cross.performance",
		"narrative.figure", "narrative.percent", "narrative.yoy_internal", "narrative.three_public",
		"narrative.boilerplate", "year.previous", "department.units", "document.revised",
		"completeness.tables", "completeness.three_public", "amount.range", "completeness.text_layer"}
	var got []string
	for _, r := range Rules() {
		got = append(got, r.ID)
		n := 0
		for _, f := range []bool{r.table != nil, r.document != nil, r.documents != nil} {
			if f {
				n++
			}
		}
		if n != 1 || r.Description == "" || r.Severity == "" {
			t.Errorf("rule %s: %d check functions, description %q, severity %q", r.ID, n, r.Description, r.Severity)
		}
		wantScope := map[bool]Scope{true: ScopeTable}[r.table != nil]
		if r.document != nil {
			wantScope = ScopeDocument
		}
		if r.documents != nil {
			wantScope = ScopeDocuments
		}
		if r.Scope != wantScope {
			t.Errorf("rule %s: scope %s, function for %s", r.ID, r.Scope, wantScope)
		}
	}
	if !slices.Equal(got, want) {
		t.Errorf("rules %v", got)
	}
	if _, ok := Lookup("cross.project"); !ok {
		t.Error("Lookup cross.project")
	}
	fs := CheckDocument(seedDoc(t), Options{Rules: []string{"hierarchy."}})
	for _, f := range fs {
		if f.Rule != "hierarchy.sum" {
			t.Errorf("rule filter let %s through", f.Rule)
		}
	}
}

// A budget is drawn up the year before: its 截至 dates of that year are
// no slip (Shanghai counts assets 截至y-1年8月31日), unless the same day is
// printed with the document's own year too; a date two years off always is.
func TestBoilerplateDates(t *testing.T) {
	cases := []struct {
		name, text string
		want       []string
	}{
		{"the year before, for a budget", "截至2025年8月31日，共有车辆3辆。截至2025年10月，无设备。", nil},
		{"the same day with both years", "截至2026年2月25日，车辆0辆。截至2025年2月25日，设备0台。", []string{"截至2025年2月25日"}},
		{"two years off", "截至2024年6月30日，共有车辆3辆。", []string{"截至2024年6月30日"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d := seedDoc(t)
			d.Narrative = []yusuan.Section{{Heading: "其他重要事项的情况说明", Text: c.text, Page: 19}}
			var got []string
			for _, f := range CheckDocument(d, Options{}) {
				if f.Rule == "narrative.boilerplate" && strings.HasPrefix(f.Actual, "截至") {
					got = append(got, f.Actual)
				}
			}
			if !slices.Equal(got, c.want) {
				t.Errorf("dates flagged %q, want %q", got, c.want)
			}
		})
	}
}

// A document whose text is partly garbled gives no error: its figures may
// not be those printed. One whose text does not read at all is checked for
// nothing but that.
func TestGarbledAndUnreadableText(t *testing.T) {
	d := seedDoc(t)
	d.Facts["admin_operating_change_pct"] = yusuan.MustAmount("-9.5") // an error on a clean reading
	var planted *yusuan.Finding
	for _, f := range CheckDocument(d, Options{}) {
		if f.Rule == "narrative.yoy_internal" {
			planted = &f
		}
	}
	if planted == nil || planted.Severity != yusuan.SeverityError {
		t.Fatalf("planted finding %+v", planted)
	}
	d.GarbledChars = 37
	for _, f := range CheckDocument(d, Options{}) {
		if f.Severity == yusuan.SeverityError {
			t.Errorf("error on a partly garbled text: %s", f.Message)
		}
		if f.Rule == "narrative.yoy_internal" && (f.Severity != yusuan.SeverityWarning || f.Confidence != yusuan.ConfidenceLow || !strings.Contains(f.Why, "37 个字符无法正确解码")) {
			t.Errorf("garbled: %s %s %q", f.Severity, f.Confidence, f.Why)
		}
	}
	d.GarbledChars, d.TextUnreadable = 0, true
	fs := CheckDocument(d, Options{})
	if len(fs) != 1 || fs[0].Rule != "completeness.text_layer" || fs[0].Severity != yusuan.SeverityWarning || !strings.Contains(fs[0].Message, "文字无法解码") {
		t.Errorf("unreadable: %+v", fs)
	}
}
