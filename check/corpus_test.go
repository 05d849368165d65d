package check

import (
	"testing"

	"yusuan"
)

// Layouts of the real corpus (docs named by the file they come from) that
// the rules once misread. Each builds the few tables involved, with the
// printed figures.

func vals(kv ...string) map[string]yusuan.Amount {
	m := map[string]yusuan.Amount{}
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] == "" {
			m[kv[i]] = yusuan.Null
		} else {
			m[kv[i]] = yusuan.MustAmount(kv[i+1])
		}
	}
	return m
}

func corpusDoc(year int, facts yusuan.Facts, tables ...yusuan.Table) *yusuan.Document {
	if facts == nil {
		facts = yusuan.Facts{}
	}
	return &yusuan.Document{SHA256: "corpus", File: "corpus.pdf", TextLayer: true, Facts: facts,
		Meta: yusuan.Meta{Entity: "某局", Year: year, Kind: yusuan.KindBudget, Scope: yusuan.ScopeDepartment}, Tables: tables}
}

func messages(fs []yusuan.Finding, sev yusuan.Severity) []string {
	var out []string
	for _, f := range fs {
		if f.Severity == sev {
			out = append(out, f.Rule+": "+f.Message)
		}
	}
	return out
}

// TestBudgetColumnSummary: 09_shanghai-putuo prints its 收支总表 in 元 with
// the income under 预算数 beside 项目 (column budget): 收入总计 96282213.44 =
// 支出总计, not 0.00.
func TestBudgetColumnSummary(t *testing.T) {
	d := corpusDoc(2026, nil, yusuan.Table{Kind: yusuan.IncomeExpenditureSummary, Unit: "元", Columns: []string{"income", "budget", "total"},
		Rows: []yusuan.Row{
			{Side: yusuan.SideIncome, Name: "一、财政拨款收入", Values: vals("budget", "96282213.44")},
			{Side: yusuan.SideExpenditure, Name: "一、公共安全支出", Values: vals("total", "87267272.44")},
			{Side: yusuan.SideExpenditure, Name: "二、社会保障和就业支出", Values: vals("total", "9014941.00")},
			{Side: yusuan.SideIncome, Name: "收入总计", Values: vals("budget", "96282213.44")},
			{Side: yusuan.SideExpenditure, Name: "支出总计", Values: vals("total", "96282213.44")},
		}})
	if fs := CheckDocument(d, Options{Rules: []string{"summary.balance"}}); len(fs) != 0 {
		t.Errorf("budget column:\n%s", dump(fs))
	}
	d.Tables[0].Rows[3].Values = vals("budget", "96282313.44")
	fs := CheckDocument(d, Options{Rules: []string{"summary.balance"}})
	want := []string{"summary.balance: 收入总计 96282313.44 ≠ 支出总计 96282213.44（差 100.00 元）"}
	if got := messages(fs, yusuan.SeverityError); len(got) != 1 || got[0] != want[0] {
		t.Errorf("got %q want %q", got, want)
	}
}

// TestThreePublicWithMeetingColumns: 02_jiangsu prints 合计 1852.32 = “三公”
// 小计 676.10 + 会议费 1094.62 + 培训费 81.60, and 公务用车 under its own
// header (vehicles 156.60 = 运行维护费 156.60): total_2 is the “三公” 小计,
// not the 公务用车 one.
func TestThreePublicWithMeetingColumns(t *testing.T) {
	tp := func(abroad string) *yusuan.Document {
		return corpusDoc(2017, yusuan.Facts{"three_public": yusuan.MustAmount("676.10")}, yusuan.Table{
			Kind: yusuan.ThreePublic, Unit: "万元",
			Columns: []string{"total", "total_2", "abroad", "vehicles", "vehicle_purchase", "vehicle_operation", "reception", "会议费", "培训费"},
			Rows: []yusuan.Row{{Values: vals("total", "1852.32", "total_2", "676.10", "abroad", abroad, "vehicles", "156.60",
				"vehicle_operation", "156.60", "reception", "443.50", "会议费", "1094.62", "培训费", "81.60")}}})
	}
	rules := Options{Rules: []string{"three_public.sum", "narrative.figure", "narrative.three_public"}}
	if fs := CheckDocument(tp("76.00"), rules); len(fs) != 0 {
		t.Errorf("clean:\n%s", dump(fs))
	}
	fs := CheckDocument(tp("86.00"), rules)
	want := []string{
		"three_public.sum: “三公”经费 合计 676.10 ≠ 出国+接待+公务用车 686.10（差 10.00 万元）",
		"narrative.figure: 情况说明 “三公”经费 676.10 ≠ “三公”经费表 出国+接待+公务用车 686.10（差 10.00 万元）",
	}
	if got := messages(fs, yusuan.SeverityError); !equalStrings(got, want) {
		t.Errorf("got %q\nwant %q", got, want)
	}
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestThreePublicYearGroups: 22_chongqing prints 2025 and 2026 side by
// side; the text's 2,171.85 is the 2026 合计 (total_2). 38_xian prints 2021,
// 2022 and the change without years in the extracted headers: which group
// is this year's is unknown, so nothing is compared.
func TestThreePublicYearGroups(t *testing.T) {
	cq := yusuan.Table{Kind: yusuan.ThreePublic, Unit: "万元",
		Columns: []string{"total", "abroad", "vehicles", "reception", "total_2", "abroad_2", "vehicles_2", "reception_2"},
		Headers: map[string]string{"vehicles": "2025年预算数公务用车购置及运行费小计", "vehicles_2": "2026年预算数公务用车购置及运行费小计"},
		Rows: []yusuan.Row{{Values: vals("total", "2552.50", "abroad", "343.41", "vehicles", "1726.00", "reception", "483.09",
			"total_2", "2171.85", "abroad_2", "321.91", "vehicles_2", "1570.75", "reception_2", "279.19")}}}
	d := corpusDoc(2026, yusuan.Facts{"three_public": yusuan.MustAmount("2171.85")}, cq)
	if fs := CheckDocument(d, Options{Rules: []string{"narrative."}}); len(fs) != 0 {
		t.Errorf("chongqing:\n%s", dump(fs))
	}
	d.Facts["three_public"] = yusuan.MustAmount("2552.50") // last year's
	if got := messages(CheckDocument(d, Options{Rules: []string{"narrative.figure"}}), yusuan.SeverityError); len(got) != 1 {
		t.Errorf("last year's figure stated as this year's: %q", got)
	}
	xa := cq
	xa.Headers = map[string]string{"total": "合计", "total_2": "合计"}
	d = corpusDoc(2022, yusuan.Facts{"three_public": yusuan.MustAmount("12.63")}, xa)
	if fs := CheckDocument(d, Options{Rules: []string{"narrative."}}); len(fs) != 0 {
		t.Errorf("xian:\n%s", dump(fs))
	}
}

// TestRowSumUnplacedPart: 02_jiangsu's 支出预算总表 has 合计 9146.79 =
// 基本支出 5916.27 + 项目支出 3123.68 + 单位预留机动经费 106.84.
func TestRowSumUnplacedPart(t *testing.T) {
	d := corpusDoc(2017, nil, yusuan.Table{Kind: yusuan.ExpenditureSummary, Unit: "万元",
		Columns: []string{"total", "basic", "project", "单位预留机动经费"},
		Rows:    []yusuan.Row{{Values: vals("total", "9146.79", "basic", "5916.27", "project", "3123.68", "单位预留机动经费", "106.84")}}})
	if fs := CheckDocument(d, Options{Rules: []string{"row.sum"}}); len(fs) != 0 {
		t.Errorf("unplaced part:\n%s", dump(fs))
	}
}

// fiscalChongqing is 22_chongqing's 财政拨款收支总表: 本年 一般公共预算
// 223898.88 and 政府性基金 42128.04, 上年结转 4056.23 and 4081.15.
func fiscalChongqing() yusuan.Table {
	return yusuan.Table{Kind: yusuan.FiscalSummary, Unit: "万元", Columns: []string{"amount", "total", "gpb", "fund"},
		Rows: []yusuan.Row{
			{Side: yusuan.SideIncome, Name: "一、本年收入", Values: vals("amount", "266026.92")},
			{Side: yusuan.SideExpenditure, Name: "一、本年支出", Values: vals("total", "274164.30", "gpb", "227955.11", "fund", "46209.19")},
			{Side: yusuan.SideIncome, Name: "（一）一般公共预算资金", Values: vals("amount", "223898.88")},
			{Side: yusuan.SideIncome, Name: "（二）政府性基金预算资金", Values: vals("amount", "42128.04")},
			{Side: yusuan.SideIncome, Name: "二、上年结转", Values: vals("amount", "8137.38")},
			{Side: yusuan.SideIncome, Name: "（一）一般公共预算拨款", Values: vals("amount", "4056.23")},
			{Side: yusuan.SideIncome, Name: "（二）政府性基金预算拨款", Values: vals("amount", "4081.15")},
			{Side: yusuan.SideIncome, Name: "收入合计", Values: vals("amount", "274164.30")},
			{Side: yusuan.SideExpenditure, Name: "支出合计", Values: vals("total", "274164.30", "gpb", "227955.11", "fund", "46209.19")},
		}}
}

// TestSourcesWithCarryover: 22_chongqing's 收支总表 prints each source with
// its 上年结转 (一般公共预算资金 227955.11 = 223898.88 + 4056.23).
func TestSourcesWithCarryover(t *testing.T) {
	ies := func(gpb string) yusuan.Table {
		return yusuan.Table{Kind: yusuan.IncomeExpenditureSummary, Unit: "万元", Columns: []string{"amount", "total"},
			Rows: []yusuan.Row{
				{Side: yusuan.SideIncome, Name: "一、一般公共预算资金", Values: vals("amount", gpb)},
				{Side: yusuan.SideIncome, Name: "二、政府性基金预算资金", Values: vals("amount", "46209.19")},
			}}
	}
	d := corpusDoc(2026, nil, ies("227955.11"), fiscalChongqing())
	if fs := CheckDocument(d, Options{Rules: []string{"cross.totals"}}); len(fs) != 0 {
		t.Errorf("sources with carry-over:\n%s", dump(fs))
	}
	d = corpusDoc(2026, nil, ies("227855.11"), fiscalChongqing())
	want := "cross.totals: 财政拨款收支总表 一般公共预算资金 223898.88 ≠ 收支总表 一般公共预算资金 227855.11（差 3956.23 万元）"
	if got := messages(CheckDocument(d, Options{Rules: []string{"cross.totals"}}), yusuan.SeverityError); len(got) != 1 || got[0] != want {
		t.Errorf("got %q want %q", got, want)
	}
}

// TestGovFundWithoutFundColumn: 27_suzhou's 财政拨款收支总表 prints one
// amount per category, no 政府性基金 column: nothing to compare the
// 政府性基金预算支出表 with.
func TestGovFundWithoutFundColumn(t *testing.T) {
	fis := yusuan.Table{Kind: yusuan.FiscalSummary, Unit: "万元", Columns: []string{"amount", "subtotal"},
		Rows: []yusuan.Row{
			{Side: yusuan.SideIncome, Name: "一、本年收入", Values: vals("amount", "10022.32")},
			{Side: yusuan.SideExpenditure, Name: "一、本年支出", Values: vals("subtotal", "10022.32")},
		}}
	gf := yusuan.Table{Kind: yusuan.GovFundExpenditure, Unit: "万元", Columns: []string{"total", "basic", "project"},
		Rows: []yusuan.Row{{Name: "合计", Values: vals("total", "943.80", "project", "943.80")}}}
	if fs := CheckDocument(corpusDoc(2026, nil, fis, gf), Options{Rules: []string{"cross.gov_fund"}}); len(fs) != 0 {
		t.Errorf("no fund column:\n%s", dump(fs))
	}
}

// TestBasicFromGeneralBudget: 22_chongqing states 基本支出 113,007.22 and
// 项目支出 114,947.89 in its 财政拨款 paragraph: the 一般公共预算支出表's,
// not the 支出总表's 148,002.77 and 435,426.79.
func TestBasicFromGeneralBudget(t *testing.T) {
	es := yusuan.Table{Kind: yusuan.ExpenditureSummary, Unit: "万元", Columns: []string{"total", "basic", "project"},
		Rows: []yusuan.Row{{Name: "合计", Values: vals("total", "583429.56", "basic", "148002.77", "project", "435426.79")}}}
	gbe := yusuan.Table{Kind: yusuan.GeneralBudgetExpenditure, Unit: "万元", Columns: []string{"total", "basic", "project"},
		Rows: []yusuan.Row{{Name: "合计", Values: vals("total", "227955.11", "basic", "113007.22", "project", "114947.89")}}}
	facts := yusuan.Facts{"basic": yusuan.MustAmount("113007.22"), "project": yusuan.MustAmount("114947.89")}
	if fs := CheckDocument(corpusDoc(2026, facts, es, gbe), Options{Rules: []string{"narrative.figure"}}); len(fs) != 0 {
		t.Errorf("general budget figures:\n%s", dump(fs))
	}
	facts["basic"] = yusuan.MustAmount("113017.22")
	want := "narrative.figure: 情况说明 基本支出 113017.22 ≠ 支出总表 合计（基本支出） 148002.77（差 34985.55 万元）"
	if got := messages(CheckDocument(corpusDoc(2026, facts, es, gbe), Options{Rules: []string{"narrative.figure"}}), yusuan.SeverityError); len(got) != 1 || got[0] != want {
		t.Errorf("got %q want %q", got, want)
	}
}

// TestCarryoverDetailLines: 18_shenzhen's 收支总表 and 财政拨款收支总表
// print 上年结余、结转 396.83 with its detail 1.财政拨款结余、结转 396.83
// (counted once: 36989.05 + 396.83 = 37385.88), and 财政拨款 36989.05 with
// 1.一般公共预算拨款 36989.05 under it (本年收入合计 = 财政拨款).
func TestCarryoverDetailLines(t *testing.T) {
	in := func(name, v string) yusuan.Row {
		return yusuan.Row{Side: yusuan.SideIncome, Name: name, Values: vals("amount", v)}
	}
	d := corpusDoc(2026, nil, yusuan.Table{Kind: yusuan.FiscalSummary, Unit: "万元", Columns: []string{"amount"},
		Rows: []yusuan.Row{
			in("财政拨款", "36989.05"), in("1.一般公共预算拨款", "36989.05"), in("2.政府性基金预算拨款", "0.00"),
			in("本年收入合计", "36989.05"), in("上年结余、结转", "396.83"), in("1.一般公共预算拨款结余、结转", "396.83"),
			in("2.政府性基金预算拨款结余、结转", "0.00"), in("收入总计", "37385.88"),
		}})
	if fs := CheckDocument(d, Options{Rules: []string{"summary.balance"}}); len(fs) != 0 {
		t.Errorf("detail lines:\n%s", dump(fs))
	}
	set(&d.Tables[0].Rows[7], "amount", "37395.88")
	want := "summary.balance: 收入总计 37395.88 ≠ 本年收入合计+结转 37385.88（差 10.00 万元）"
	if got := messages(CheckDocument(d, Options{Rules: []string{"summary.balance"}}), yusuan.SeverityError); len(got) != 1 || got[0] != want {
		t.Errorf("got %q want %q", got, want)
	}
}

// TestDepartmentOpeningLine: 20_shenzhen's 收入总表 prints no 合计; its
// first line, the department (571,347.93), adds up its units' lines.
func TestDepartmentOpeningLine(t *testing.T) {
	inc := yusuan.Table{Kind: yusuan.IncomeSummary, Unit: "万元", Columns: []string{"total", "gpb"},
		Rows: []yusuan.Row{
			{Name: "深圳市人力资源和社会保障局", Values: vals("total", "571347.93", "gpb", "533162.27")},
			{Name: "深圳市人力资源和社会保障局（本级）", Values: vals("total", "156491.01", "gpb", "150129.16")},
			{Name: "深圳市考试院", Values: vals("total", "414856.92", "gpb", "383033.11")},
		}}
	if r := totalRow(&inc); r == nil || r.Name != "深圳市人力资源和社会保障局" {
		t.Fatalf("total row %v", r)
	}
	if got := tableTotal(&inc, "total", "收入总表 合计").String(); got != "571347.93" {
		t.Errorf("收入总表 total %s", got)
	}
	inc.Rows[2].Values = vals("total", "14856.92", "gpb", "3033.11")
	if r := totalRow(&inc); r != nil {
		t.Errorf("lines that do not add up: total row %q", r.Name)
	}
}

// TestCategoriesRepeatedByUnit: a department's 支出总表 repeats each 类 in
// every unit's block, a line's name may be missing (20_shenzhen p.82: 206
// with no name, 183,817.45): 206 科学技术支出 = 114,644.00 + 183,817.45.
func TestCategoriesRepeatedByUnit(t *testing.T) {
	code := func(c string) *string { return &c }
	ies := yusuan.Table{Kind: yusuan.IncomeExpenditureSummary, Unit: "万元", Columns: []string{"amount", "total"},
		Rows: []yusuan.Row{
			{Side: yusuan.SideExpenditure, Name: "一、科学技术支出", Values: vals("total", "298461.45")},
			{Side: yusuan.SideExpenditure, Name: "本年支出合计", Values: vals("total", "298461.45")},
		}}
	es := yusuan.Table{Kind: yusuan.ExpenditureSummary, Unit: "万元", Columns: []string{"total"},
		Rows: []yusuan.Row{
			{Name: "某局（本级）", Values: vals("total", "114644.00")},
			{Code: code("206"), Level: 1, Name: "科学技术支出", Values: vals("total", "114644.00")},
			{Name: "某考试院", Values: vals("total", "183817.45")},
			{Code: code("206"), Level: 1, Name: "", Values: vals("total", "183817.45")},
		}}
	// Only unnamed lines: the code names the category.
	es.Rows[1].Name = ""
	if fs := CheckDocument(corpusDoc(2026, nil, ies, es), Options{Rules: []string{"cross.categories"}}); len(fs) != 0 {
		t.Errorf("repeated categories:\n%s", dump(fs))
	}
}

// TestProjectGeneralBudgetWithCarryover: 18_shenzhen's 项目支出表 prints
// 一般公共预算 25,964.74 and 上年结余、结转 396.83; its 一般公共预算支出表
// 项目支出 26,361.57 includes the carry-over.
func TestProjectGeneralBudgetWithCarryover(t *testing.T) {
	pc := yusuan.Table{Kind: yusuan.ProjectCurrent, Unit: "万元", Columns: []string{"total", "gpb", "上年结余、结转"},
		Rows: []yusuan.Row{{Name: "合计", Values: vals("total", "26361.57", "gpb", "25964.74", "上年结余、结转", "396.83")}}}
	gbe := func(project string) yusuan.Table {
		return yusuan.Table{Kind: yusuan.GeneralBudgetExpenditure, Unit: "万元", Columns: []string{"total", "basic", "project"},
			Rows: []yusuan.Row{{Name: "合计", Values: vals("total", "37385.88", "basic", "11024.31", "project", project)}}}
	}
	if fs := CheckDocument(corpusDoc(2026, nil, pc, gbe("26361.57")), Options{Rules: []string{"cross.project"}}); len(fs) != 0 {
		t.Errorf("with carry-over:\n%s", dump(fs))
	}
	want := "cross.project: 项目支出表（本年）一般公共预算 25964.74 ≠ 一般公共预算支出表 项目支出 26461.57（差 496.83 万元）"
	if got := messages(CheckDocument(corpusDoc(2026, nil, pc, gbe("26461.57")), Options{Rules: []string{"cross.project"}}), yusuan.SeverityError); len(got) != 1 || got[0] != want {
		t.Errorf("got %q want %q", got, want)
	}
}
