package check

import (
	"slices"
	"strings"
	"testing"

	"yusuan"
)

// Checker gaps seen on the real corpus (issue 10), each with the printed
// figures of the document it came from.

// threePublicGuangzhou is 44_guangzhou 表8 (p.20): 财政拨款安排的行政经费及
// “三公”经费预算表, 行政经费 3,555.29 printed above “三公”经费 304.63, no 合计.
func threePublicGuangzhou() yusuan.Table {
	return yusuan.Table{Kind: yusuan.ThreePublic, Label: "表8", Title: "财政拨款安排的行政经费及“三公”经费预算表", Pages: []int{20},
		Columns: []string{"total", "gpb"}, Rows: []yusuan.Row{
			{Name: "行政经费", Values: vals("total", "3555.29", "gpb", "3555.29"), Page: 20},
			{Name: "“三公”经费", Values: vals("total", "304.63", "gpb", "304.63"), Page: 20},
			{Name: "其中：（一）因公出国（境）支出", Values: vals("total", "250.00", "gpb", "250.00"), Page: 20},
			{Name: "（二）公务用车购置及运行维护支出", Values: vals("total", "9.73", "gpb", "9.73"), Page: 20},
			{Name: "1.公务用车购置费", Values: vals("total", "0.00", "gpb", "0.00"), Page: 20},
			{Name: "2.公务用车运行维护费", Values: vals("total", "9.73", "gpb", "9.73"), Page: 20},
			{Name: "（三）公务接待费支出", Values: vals("total", "44.90", "gpb", "44.90"), Page: 20},
		}}
}

// TestThreePublicLineNotTable: the “三公” total is its own line, not the sum
// of every line of the table (was “304.63 ≠ 4174.28”).
func TestThreePublicLineNotTable(t *testing.T) {
	d := corpusDoc(2026, yusuan.Facts{"three_public": yusuan.MustAmount("304.63")}, threePublicGuangzhou())
	rules := Options{Rules: []string{"narrative.", "three_public.sum"}}
	if fs := CheckDocument(d, rules); len(fs) != 0 {
		t.Errorf("Guangzhou 表8:\n%s", dump(fs))
	}
	d.Facts["three_public"] = yusuan.MustAmount("314.63")
	want := []string{"narrative.figure: 情况说明 “三公”经费 314.63 ≠ “三公”经费表 “三公”经费 304.63（差 10.00 万元）"}
	if got := messages(CheckDocument(d, rules), yusuan.SeverityError); !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
	// Without its own line: the three items, not 合计 with 会议费 and 培训费.
	tb := threePublicGuangzhou()
	tb.Rows = append([]yusuan.Row{{Name: "合计", Values: vals("total", "334.63")}}, tb.Rows[2:]...)
	tb.Rows = append(tb.Rows, yusuan.Row{Name: "会议费", Values: vals("total", "20.00")}, yusuan.Row{Name: "培训费", Values: vals("total", "10.00")})
	d = corpusDoc(2026, yusuan.Facts{"three_public": yusuan.MustAmount("304.63")}, tb)
	if fs := CheckDocument(d, rules); len(fs) != 0 {
		t.Errorf("合计 with 会议费 and 培训费:\n%s", dump(fs))
	}
}

// fiscalWithCarryover is a 财政拨款收支总表 whose 一般公共预算 column includes
// 51.60 of 上年财政拨款结转, printed as one line without a breakdown by fund.
func fiscalWithCarryover() yusuan.Table {
	return yusuan.Table{Kind: yusuan.FiscalSummary, Title: "2026年财政拨款收支总表", Pages: []int{8},
		Columns: []string{"amount", "subtotal", "gpb"}, Rows: []yusuan.Row{
			{Side: yusuan.SideIncome, Name: "一、一般公共预算", Values: vals("amount", "948.40")},
			{Side: yusuan.SideExpenditure, Name: "一、公共安全支出", Values: vals("subtotal", "1000.00", "gpb", "1000.00")},
			{Side: yusuan.SideIncome, Name: "本年收入合计", Values: vals("amount", "948.40")},
			{Side: yusuan.SideExpenditure, Name: "本年支出合计", Values: vals("subtotal", "1000.00", "gpb", "1000.00")},
			{Side: yusuan.SideIncome, Name: "上年财政拨款结转", Values: vals("amount", "51.60")},
			{Side: yusuan.SideIncome, Name: "收入总计", Values: vals("amount", "1000.00")},
			{Side: yusuan.SideExpenditure, Name: "支出总计", Values: vals("subtotal", "1000.00", "gpb", "1000.00")},
		}}
}

// TestGeneralBudgetWithoutCarryover: 一般公共预算支出表（不含上年结转）
// against a fiscal summary that includes the carry-over: less the
// carry-over the document states.
func TestGeneralBudgetWithoutCarryover(t *testing.T) {
	gbe := yusuan.Table{Kind: yusuan.GeneralBudgetExpenditure, Title: "2026年一般公共预算支出预算表（不含上年结转）", Pages: []int{10},
		Columns: []string{"total", "basic", "project"}, Rows: []yusuan.Row{
			{Name: "合计", Values: vals("total", "948.40", "basic", "900.00", "project", "48.40")},
			{Code: code("204"), Name: "公共安全支出", Values: vals("total", "948.40", "basic", "900.00", "project", "48.40")},
		}}
	rules := Options{Rules: []string{"cross.general_budget"}}
	d := corpusDoc(2026, nil, fiscalWithCarryover(), gbe)
	if fs := CheckDocument(d, rules); len(fs) != 0 {
		t.Errorf("948.40 = 1000.00 − 51.60:\n%s", dump(fs))
	}
	// A real difference is still one, shown less the carry-over.
	d.Tables[1].Rows[0].Values["total"] = yusuan.MustAmount("938.40")
	want := []string{"cross.general_budget: 一般公共预算支出表 合计 938.40 ≠ 财政拨款收支总表 本年支出合计（一般公共预算）−上年结转 948.40（差 10.00 万元）"}
	fs := CheckDocument(d, rules)
	if got := messages(fs, yusuan.SeverityError); !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
	// The carry-over is evidence: the fiscal summary's cell and the line
	// subtracted.
	ev := fs[0].Evidence
	if len(ev) != 4 || ev[1].Row != "财政拨款收支总表 本年支出合计（一般公共预算）−上年结转" || ev[3].Row != "上年财政拨款结转" || ev[3].Amount.String() != "51.60" {
		t.Errorf("evidence %+v", ev)
	}
}

// TestEmptyNoteOverFigures: a table whose note says 本表无数据 while it
// prints figures is reported as such, and its figures (not an empty
// table's 0) are what the narrative is compared with.
func TestEmptyNoteOverFigures(t *testing.T) {
	tb := threePublicGuangzhou()
	tb.Empty = true
	d := corpusDoc(2026, yusuan.Facts{"three_public": yusuan.MustAmount("304.63")}, tb)
	fs := CheckDocument(d, Options{Rules: []string{"table.empty_note", "narrative.", "three_public.sum"}})
	want := []string{"table.empty_note: 表8 注明本表无数据，却印有12 个非零数字"}
	if got := messages(fs, yusuan.SeverityWarning); !slices.Equal(got, want) || len(fs) != 1 {
		t.Fatalf("got\n%s", dump(fs))
	}
	if ev := fs[0].Evidence; len(ev) != 13 || ev[1].Row != "行政经费" || ev[1].Amount.String() != "3555.29" || ev[1].Page != 20 {
		t.Errorf("evidence %+v", ev)
	}
	// With a 合计, the message names it.
	tb.Rows = append([]yusuan.Row{{Name: "合计", Values: vals("total", "3859.92", "gpb", "3859.92"), Page: 20}}, tb.Rows...)
	fs = CheckDocument(corpusDoc(2026, nil, tb), Options{Rules: []string{"table.empty_note"}})
	if len(fs) != 1 || fs[0].Message != "表8 注明本表无数据，却印有合计 3859.92 万元 等 14 个非零数字" {
		t.Errorf("got\n%s", dump(fs))
	}
}

// TestMissingTableNotRead: a required table the text shows was published
// is “not read”, never “未公开”.
func TestMissingTableNotRead(t *testing.T) {
	completeness := Options{Rules: []string{"completeness.tables", "completeness.three_public"}}
	// 42–44_guangzhou: 表3 本年支出总体情况表, a title the classification
	// does not know.
	d := seedDoc(t)
	tableOf(d, yusuan.ExpenditureSummary).Kind, tableOf(d, yusuan.ExpenditureSummary).Label = yusuan.Other, "表3"
	tableOf(d, yusuan.Other).Title = "本年支出总体情况表"
	want := []string{"completeness.tables: 未能读出表：支出总表（文中见“表3 本年支出总体情况表”）"}
	fs := CheckDocument(d, completeness)
	if got := messages(fs, yusuan.SeverityWarning); !slices.Equal(got, want) {
		t.Errorf("unclassified title: got %q", got)
	}
	if len(fs) > 0 && (fs[0].Confidence != yusuan.ConfidenceLow || fs[0].Pages[0] != 7) {
		t.Errorf("finding %+v", fs[0])
	}
	// 57_jiangsu: the title's first line, with its label, ran into the prose.
	d = seedDoc(t)
	removeTable(d, yusuan.ThreePublic)
	d.Narrative[0].Text += "\n其中：动用上年结转和结余资金公开09表：一般公共预算“三公”经费、会议费、培训费"
	want = []string{
		"completeness.tables: 未能读出表：“三公”经费表（文中见“其中：动用上年结转和结余资金公开09表：一般公共预算“三公”经费、会议费、培训费”）",
		"completeness.three_public: 未能读出“三公”经费表（文中见“其中：动用上年结转和结余资金公开09表：一般公共预算“三公”经费、会议费、培训费”）",
	}
	if got := messages(CheckDocument(d, completeness), yusuan.SeverityWarning); !slices.Equal(got, want) {
		t.Errorf("title in the prose: got %q", got)
	}
	// 56_jiangsu: the title, wrapped over two lines, ran into the rows of
	// the table before it.
	d = seedDoc(t)
	removeTable(d, yusuan.ThreePublic)
	ao := tableOf(d, yusuan.AdminOperating)
	ao.Rows = append(ao.Rows, yusuan.Row{Name: "十一、一般公共预算“三公”经费、会议费、培训费支出预", Values: vals(), Page: 16},
		yusuan.Row{Name: "算表", Values: vals(), Page: 16})
	want = []string{
		"completeness.tables: 未能读出表：“三公”经费表（文中见“十一、一般公共预算“三公”经费、会议费、培训费支出预算表”）",
		"completeness.three_public: 未能读出“三公”经费表（文中见“十一、一般公共预算“三公”经费、会议费、培训费支出预算表”）",
	}
	if got := messages(CheckDocument(d, completeness), yusuan.SeverityWarning); !slices.Equal(got, want) {
		t.Errorf("title in another table's rows: got %q", got)
	}
	// Not published: no trace anywhere.
	d = seedDoc(t)
	removeTable(d, yusuan.StateCapital)
	want = []string{"completeness.tables: 缺少表：国有资本经营预算表"}
	if got := messages(CheckDocument(d, completeness), yusuan.SeverityWarning); !slices.Equal(got, want) {
		t.Errorf("not published: got %q", got)
	}
}

// TestMergedTableDoubted: rows after another table's title (56_jiangsu:
// the “三公” table run into the 机关运行经费 table) are not the table's; sums
// over them are at most warnings.
func TestMergedTableDoubted(t *testing.T) {
	tb := yusuan.Table{Kind: yusuan.AdminOperating, Title: "十、一般公共预算机关运行经费支出预算表", Columns: []string{"total"}, Rows: []yusuan.Row{
		{Name: "合计", Values: vals("total", "142.00")},
		{Code: code("310"), Name: "其他资本性支出", Values: vals("total", "142.00")},
		{Code: code("31002"), Name: "办公设备购置", Values: vals("total", "142.00")},
		{Name: "十一、一般公共预算“三公”经费、会议费、培训费支出预", Values: vals(), Page: 16},
		{Name: "算表", Values: vals(), Page: 16},
		{Name: "", Values: vals("total", "1452.35")},
	}}
	fs := CheckDocument(corpusDoc(2026, nil, tb), Options{Rules: []string{"hierarchy.sum"}})
	if len(fs) != 1 || fs[0].Severity != yusuan.SeverityWarning ||
		fs[0].Why != "机关运行经费表 行“十一、一般公共预算“三公”经费、会议费、培训费支出预”起混入另一张表（“十一、一般公共预算“三公”经费、会议费、培训费支出预算表”）" {
		t.Errorf("got\n%s%+v", dump(fs), fs)
	}
}

// TestCategoriesByName: 29_hangzhou 表3 (p.26) lists its 类 by name without
// codes; 收支总表 (p.23) is matched with them by name.
func TestCategoriesByName(t *testing.T) {
	ies := yusuan.Table{Kind: yusuan.IncomeExpenditureSummary, Label: "表1", Pages: []int{23}, Columns: []string{"amount", "total"}, Rows: []yusuan.Row{
		{Side: yusuan.SideIncome, Name: "一、一般公共预算拨款收入", Values: vals("amount", "12868.19")},
		{Side: yusuan.SideExpenditure, Name: "一、一般公共服务支出", Values: vals("total", "12868.19"), Page: 23},
		{Side: yusuan.SideExpenditure, Name: "二、公共安全支出", Values: vals("total", "76468.81"), Page: 23},
		{Side: yusuan.SideExpenditure, Name: "三、其他支出", Values: vals("total", "1.00"), Page: 23},
	}}
	exp := yusuan.Table{Kind: yusuan.ExpenditureSummary, Label: "表3", Pages: []int{26}, Columns: []string{"total", "project"}, Rows: []yusuan.Row{
		{Name: "合计", Values: vals("total", "89338.00", "project", "12868.19")},
		{Name: "一般公共服务支出", Values: vals("total", "12868.19", "project", "12868.19"), Page: 26},
		{Name: "社会工作事务", Values: vals("total", "0.19", "project", "0.19"), Page: 26},
		{Name: "其他一般公共服务支出", Values: vals("total", "12868.00", "project", "12868.00"), Page: 26},
		{Name: "公共安全支出", Values: vals("total", "76468.81"), Page: 26},
		{Name: "司法", Values: vals("total", "12251.39"), Page: 26},
		{Name: "其他支出", Values: vals("total", "1.00"), Page: 26},
		{Name: "其他支出", Values: vals("total", "1.00"), Page: 26},
	}}
	d := corpusDoc(2026, nil, ies, exp)
	rules := Options{Rules: []string{"cross.categories", "hierarchy.sum"}}
	if fs := CheckDocument(d, rules); len(fs) != 0 {
		t.Errorf("categories by name:\n%s", dump(fs))
	}
	d.Tables[1].Rows[4].Values["total"] = yusuan.MustAmount("76478.81")
	want := []string{
		"hierarchy.sum: 合计（合计） 89338.00 ≠ Σ类 89348.00（差 10.00 万元）",
		"cross.categories: 收支总表 公共安全支出 76468.81 ≠ 支出总表 公共安全支出 76478.81（差 10.00 万元）",
	}
	if got := messages(CheckDocument(d, rules), yusuan.SeverityError); !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}

// TestAdminOperatingScopeExplained: 03_jiangsu 2017 says (p.28) why its
// 机关运行经费 5,619.31 exceeds the basic 公用经费 1,585.96: a note quoting
// the document, not an error.
func TestAdminOperatingScopeExplained(t *testing.T) {
	ao := yusuan.Table{Kind: yusuan.AdminOperating, Label: "十", Columns: []string{"total"}, Rows: []yusuan.Row{
		{Name: "合计", Values: vals("total", "5619.31")},
		{Code: code("302"), Level: 1, Name: "商品和服务支出", Values: vals("total", "5619.31")},
		{Code: code("30201"), Level: 2, Name: "办公费", Values: vals("total", "5619.31")},
	}}
	d := corpusDoc(2017, nil, ao, basicByEconomic03())
	rules := Options{Rules: []string{"cross.admin_operating"}}
	if got := messages(CheckDocument(d, rules), yusuan.SeverityError); len(got) != 1 {
		t.Fatalf("unexplained: got %q", got)
	}
	sentence := "此项数据变动较大的原因是财政部对“机关运行经费”口径调整，将专项中包含的运行经费统计在这张表中。"
	d.Narrative = []yusuan.Section{{Heading: "十、一般公共预算机关运行经费支出预算表情况说明", Page: 28,
		Text: "2017 年本部门一般公共预算机关运行经费预算支出5619.31 万元，比 2016 年增加 4032.99 万元，增加 254.23%。" + sentence}}
	fs := CheckDocument(d, rules)
	want := []string{"cross.admin_operating: 机关运行经费 5619.31 > 公用经费 1585.96（超出 4033.35 万元）；文件自述：“" + sentence + "”"}
	if got := messages(fs, yusuan.SeverityInfo); !slices.Equal(got, want) || len(fs) != 1 || fs[0].Why != "文件说明了口径不同" {
		t.Errorf("explained: got\n%s", dump(fs))
	}
}

// TestPerformanceByProject: each project's 年度资金总额 in the performance
// tables against its line in the project table, by name.
func TestPerformanceByProject(t *testing.T) {
	rules := Options{Rules: []string{"cross.performance"}}
	// The seed: one table for its one project, named in a header cell as
	// 市生态环境局城区分局环保工作及运转经费 (the project table prints
	// 环保工作运转 经费); 108000 元 = 10.80 万元.
	d := seedDoc(t)
	perf := tableOf(d, yusuan.PerformanceTargets)
	perf.Headers = map[string]string{"value": "市生态环境局城区分局环保工作及运转经费046-阳泉市生态环境局一次性项目（1年结束）"}
	if fs := CheckDocument(d, rules); len(fs) != 0 {
		t.Errorf("seed:\n%s", dump(fs))
	}
	set(&perf.Rows[3], "value", "118000")
	fs := CheckDocument(d, rules)
	if len(fs) != 1 || fs[0].Severity != yusuan.SeverityWarning || fs[0].Confidence != yusuan.ConfidenceMedium ||
		fs[0].Message != "绩效目标表 市生态环境局城区分局环保工作运转 经费 年度资金总额 118000 元 ≠ 项目支出表 市生态环境局城区分局环保工作运转 经费 10.80 万元（差 10000 元）" {
		t.Errorf("seed, 118000:\n%s%+v", dump(fs), fs)
	}
	// 40_yantai: a list of projects (p.30–33) against 项目支出预算情况表 (p.24).
	pc := yusuan.Table{Kind: yusuan.ProjectCurrent, Columns: []string{"total", "gpb"}, Rows: []yusuan.Row{
		{Name: "合计", Values: vals("total", "419.00", "gpb", "419.00")},
		{Name: "实施公车统管费用", Values: vals("total", "25.00", "gpb", "25.00")},
		{Name: "设备购置更新", Values: vals("total", "16.00", "gpb", "16.00")},
		{Name: "统计周期性调查", Values: vals("total", "368.00", "gpb", "368.00")},
		{Name: "1%人口抽样调查", Values: vals("total", "10.00", "gpb", "10.00")},
	}}
	list := yusuan.Table{Kind: yusuan.PerformanceTargets, Title: "（二）部门主管专项资金的绩效目标表", Unit: "万元", Columns: []string{"年度预算资金总额"},
		Rows: []yusuan.Row{
			{Name: "实施公车统管费用", Values: vals("年度预算资金总额", "25.00")},
			{Name: "设备购置更新", Values: vals("年度预算资金总额", "16.00")},
			{Name: "统计周期性调查", Values: vals("年度预算资金总额", "368.00")},
			{Name: "1%人口抽样调查", Values: vals("年度预算资金总额", "12.00")},
		}}
	want := []string{"cross.performance: 绩效目标表 1%人口抽样调查 年度资金总额 12.00 ≠ 项目支出表 1%人口抽样调查 10.00（差 2.00 万元）"}
	if got := messages(CheckDocument(corpusDoc(2026, nil, pc, list), rules), yusuan.SeverityError); !slices.Equal(got, want) {
		t.Errorf("yantai: got %q", got)
	}
}

// TestDepartmentLineWithBracketedUnit: 47_shenzhen 收入总表 (p.78) prints no
// 合计; its first line, the department, adds up the units, one of them
// 一带一路环境技术交流与转移中心（深圳）.
func TestDepartmentLineWithBracketedUnit(t *testing.T) {
	ies := yusuan.Table{Kind: yusuan.IncomeExpenditureSummary, Columns: []string{"amount", "total"}, Rows: []yusuan.Row{
		{Side: yusuan.SideIncome, Name: "收入总计", Values: vals("amount", "7391.51")},
		{Side: yusuan.SideExpenditure, Name: "支出总计", Values: vals("total", "7391.51")},
	}}
	inc := yusuan.Table{Kind: yusuan.IncomeSummary, Columns: []string{"total"}, Rows: []yusuan.Row{
		{Name: "深圳市生态环境局", Values: vals("total", "7391.51")},
		{Name: "深圳市饮用水源保护管理办公室", Values: vals("total", "4291.51")},
		{Name: "一带一路环境技术交流与转移中心（深圳）", Values: vals("total", "2100.00")},
		{Name: "深圳市生态环境局福田管理局", Values: vals("total", "1000.00")},
	}}
	if fs := CheckDocument(corpusDoc(2026, nil, ies, inc), Options{Rules: []string{"cross.totals"}}); len(fs) != 0 {
		t.Errorf("department line:\n%s", dump(fs))
	}
}

// TestShiftedColumnsDoubted: 49_chongqing 收入总表 p.13–17: on the pages
// after the first, the headers were read differently (一般公共预算拨款收入
// keyed “预算拨款收入”), so sums over those pages' rows are at most
// warnings.
func TestShiftedColumnsDoubted(t *testing.T) {
	tb := yusuan.Table{Kind: yusuan.IncomeSummary, Label: "表2", Pages: []int{13, 14}, Columns: []string{"total", "gpb", "预算拨款收入"},
		Rows: []yusuan.Row{
			{Name: "合计", Values: vals("total", "71.73", "gpb", "71.73"), Page: 13},
			{Code: code("205"), Name: "教育支出", Values: vals("total", "12.17", "gpb", "12.17"), Page: 13},
			{Code: code("20508"), Name: "进修及培训", Values: vals("total", "12.17", "gpb", "12.17"), Page: 13},
			{Code: code("2050803"), Name: "培训支出", Values: vals("total", "12.17", "预算拨款收入", "12.17"), Page: 14},
			{Code: code("208"), Name: "社会保障和就业支出", Values: vals("total", "59.56", "预算拨款收入", "59.56"), Page: 14},
		}}
	fs := CheckDocument(corpusDoc(2026, nil, tb), Options{Rules: []string{"hierarchy.sum"}})
	if len(fs) != 2 || len(errorsOf(fs)) != 0 {
		t.Fatalf("got\n%s", dump(fs))
	}
	for _, f := range fs {
		if f.Why != "表2 第 14 页的列与首页不同（“预算拨款收入”），表头疑为误读" {
			t.Errorf("why %q: %s", f.Why, f.Message)
		}
	}
}

// TestHeadlessColumnDoubted: 38_xian 表10 p.58: “4 自收自支 1,350,000” came
// out as amount 4 with 1,350,000 under a column without heading (col4):
// sums over that line are at most warnings.
func TestHeadlessColumnDoubted(t *testing.T) {
	tb := yusuan.Table{Kind: yusuan.ProjectCurrent, Label: "表10", Unit: "元", Columns: []string{"amount", "col4"}, Rows: []yusuan.Row{
		{Name: "合计", Values: vals("amount", "955000")},
		{Code: code("204018"), Name: "西安科技大市场服务中心", Values: vals("amount", "955000")},
		{Name: "大市场网络平台开发运营及硬件维护", Values: vals("amount", "700000")},
		{Name: "网络宽带费", Values: vals("amount", "255000")},
		{Name: "自收自支", Values: vals("amount", "4", "col4", "1350000")},
	}}
	fs := CheckDocument(corpusDoc(2022, nil, tb), Options{Rules: []string{"hierarchy.sum"}})
	if len(fs) != 1 || fs[0].Severity != yusuan.SeverityWarning || fs[0].Why != "表10 行“自收自支”有数字（1350000）落在无表头的列" {
		t.Errorf("got\n%s%+v", dump(fs), fs)
	}
}

// TestEconomicTableNotByCategoryName: 35_quanzhou p.17 一般公共预算支出经济
// 分类情况表 lists 399 其他支出, an economic item named like the functional
// 类 其他支出: its 合计 is the sum of its economic 类.
func TestEconomicTableNotByCategoryName(t *testing.T) {
	tb := yusuan.Table{Kind: yusuan.GeneralBudgetByEconomic, Columns: []string{"budget"}, Rows: []yusuan.Row{
		{Name: "合计", Values: vals("budget", "69059.36")},
		{EconCode: "301", Name: "工资福利支出", Values: vals("budget", "43412.83")},
		{EconCode: "302", Name: "商品和服务支出", Values: vals("budget", "19678.92")},
		{EconCode: "303", Name: "对个人和家庭的补助", Values: vals("budget", "2948.11")},
		{EconCode: "310", Name: "资本性支出", Values: vals("budget", "3019.50")},
		{EconCode: "399", Name: "其他支出", Values: vals("budget", "0.00")},
	}}
	if fs := CheckDocument(corpusDoc(2026, nil, tb), Options{Rules: []string{"hierarchy.sum"}}); len(fs) != 0 {
		t.Errorf("got\n%s", dump(fs))
	}
}

// TestGroupWithoutItems: 43_guangzhou 表11 p.24: 资本性支出 7.37 closes a
// unit's block; the next line is the first half of the next unit's wrapped
// name. A group with no figure under it is not broken down.
func TestGroupWithoutItems(t *testing.T) {
	tb := yusuan.Table{Kind: yusuan.BasicExpenditure, Columns: []string{"total"}, Rows: []yusuan.Row{
		{Name: "合计", Values: vals("total", "2128.44")},
		{Name: "资本性支出", Values: vals("total", "7.37")},
		{Name: "广州市交通工程质量监督", Values: vals()},
		{Name: "站（广州市交通工程造价管理站）", Values: vals("total", "2121.07")},
		{Name: "工资福利支出", Values: vals("total", "2121.07")},
	}}
	if fs := errorsOf(CheckDocument(corpusDoc(2026, nil, tb), Options{Rules: []string{"hierarchy.sum"}})); len(fs) != 0 {
		t.Errorf("got\n%s", dump(fs))
	}
}

// TestUnitNameInWrappedProject: 43_guangzhou 表12 p.43: a project's name
// wrapped over three lines starts with its unit's name (广州市交通管理总站 /
// 2024-2025年信息系统运维项 / 目); that blank line is no unit line.
func TestUnitNameInWrappedProject(t *testing.T) {
	tb := yusuan.Table{Kind: yusuan.ProjectCurrent, Columns: []string{"total"}, Rows: []yusuan.Row{
		{Name: "合计", Values: vals("total", "72.25")},
		{Name: "广州市交通管理总站", Values: vals("total", "72.25")},
		{Name: "市交通管理总站工作经费", Values: vals("total", "30.50")},
		{Name: "广州市交通管理总站", Values: vals()},
		{Name: "2024-2025年信息系统运维项", Values: vals("total", "41.75")},
		{Name: "目", Values: vals()},
	}}
	if fs := CheckDocument(corpusDoc(2026, nil, tb), Options{Rules: []string{"hierarchy.sum"}}); len(fs) != 0 {
		t.Errorf("got\n%s", dump(fs))
	}
}

// TestUnitBlockWithChanceGroup: 42_guangzhou 表12 p.43–44: under 广州市潭岗
// 强制隔离戒毒所 670.33, JD004 15.30 happens to equal the two lines after it
// (7.20 + 8.10): the unit still adds up its whole block.
func TestUnitBlockWithChanceGroup(t *testing.T) {
	tb := yusuan.Table{Kind: yusuan.ProjectCurrent, Columns: []string{"total"}, Rows: []yusuan.Row{
		{Name: "合计", Values: vals("total", "935.10")},
		{Name: "广州市潭岗强制隔离戒毒所", Values: vals("total", "670.33")},
		{Name: "JD008", Values: vals("total", "12.23")},
		{Name: "戒毒人员体检费", Values: vals("total", "5.00")},
		{Name: "戒毒人员医药费", Values: vals("total", "20.00")},
		{Name: "机构运行辅助经费", Values: vals("total", "490.00")},
		{Name: "购置经费", Values: vals("total", "10.50")},
		{Name: "JD002", Values: vals("total", "84.60")},
		{Name: "JD003", Values: vals("total", "17.40")},
		{Name: "JD004", Values: vals("total", "15.30")},
		{Name: "JD005", Values: vals("total", "7.20")},
		{Name: "JD006", Values: vals("total", "8.10")},
		{Name: "广州市同和强制隔离戒毒所", Values: vals("total", "264.77")},
		{Name: "机构运行辅助经费", Values: vals("total", "264.77")},
	}}
	if fs := CheckDocument(corpusDoc(2026, nil, tb), Options{Rules: []string{"hierarchy.sum"}}); len(fs) != 0 {
		t.Errorf("got\n%s", dump(fs))
	}
}

// TestShareAdjustedToHundred: 57_jiangsu p.25 states 基本支出 63.75% (of
// 21,955.35: 63.7399%), adjusting its shares to add up to 100%: rounding,
// not an error; 63.77% is one.
func TestShareAdjustedToHundred(t *testing.T) {
	exp := yusuan.Table{Kind: yusuan.ExpenditureSummary, Columns: []string{"total", "basic", "project"}, Rows: []yusuan.Row{
		{Name: "合计", Values: vals("total", "21955.35", "basic", "13994.31", "project", "5573.00")},
	}}
	rules := Options{Rules: []string{"narrative.percent"}}
	for pct, sev := range map[string]yusuan.Severity{"63.75": yusuan.SeverityInfo, "63.77": yusuan.SeverityError} {
		d := corpusDoc(2018, yusuan.Facts{"basic_pct": yusuan.MustAmount(pct)}, exp)
		if fs := CheckDocument(d, rules); len(fs) != 1 || fs[0].Severity != sev {
			t.Errorf("%s%%: got\n%s", pct, dump(fs))
		}
	}
}

// TestAdminOperatingScopeNextSentence: 56_jiangsu p.22 says it in the
// sentences after the one about 机关运行经费.
func TestAdminOperatingScopeNextSentence(t *testing.T) {
	d := corpusDoc(2017, nil, yusuan.Table{Kind: yusuan.AdminOperating, Columns: []string{"total"}, Rows: []yusuan.Row{
		{Name: "合计", Values: vals("total", "6032.55")},
	}}, basicByEconomic03())
	d.Narrative = []yusuan.Section{{Heading: "十、一般公共预算机关运行经费支出预算表情况说明", Page: 22,
		Text: "2017 年本部门一般公共预算机关运行经费预算支出6032.55 万元，比2016年增加3401.59 万元，增长129.97 %。" +
			"主要原因是两个年度报表设计的统计口径形成的差异。2017 年将涉及机关运行的项目经费支出纳入了本表，如物业管理费、检察办案费、项目中的运行维护费均计入机关运行费支出中，上年项目中的上述费用未纳入统计。"}}
	fs := CheckDocument(d, Options{Rules: []string{"cross.admin_operating"}})
	if len(fs) != 1 || fs[0].Severity != yusuan.SeverityInfo ||
		!strings.Contains(fs[0].Message, "文件自述：“主要原因是两个年度报表设计的统计口径形成的差异。2017 年将涉及机关运行的项目经费支出纳入了本表") {
		t.Errorf("got\n%s", dump(fs))
	}
}

// TestNoCategoriesNoWarnings: Jiangsu's 支出预算总表 prints one 合计 line
// and no 类: the 收支总表's categories have nothing to match, and say so
// nowhere; nor do lines that are no category (一、部门预算, 38_xian).
func TestNoCategoriesNoWarnings(t *testing.T) {
	ies := yusuan.Table{Kind: yusuan.IncomeExpenditureSummary, Columns: []string{"amount", "total"}, Rows: []yusuan.Row{
		{Side: yusuan.SideExpenditure, Name: "一、公共安全支出", Values: vals("total", "16458.75")},
		{Side: yusuan.SideExpenditure, Name: "二、部门预算", Values: vals("total", "5496.60")},
		{Side: yusuan.SideExpenditure, Name: "支出合计", Values: vals("total", "21955.35")},
	}}
	total := yusuan.Table{Kind: yusuan.ExpenditureSummary, Columns: []string{"total", "basic", "project"}, Rows: []yusuan.Row{
		{Name: "合计", Values: vals("total", "21955.35", "basic", "13994.31", "project", "7961.04")},
	}}
	if fs := CheckDocument(corpusDoc(2018, nil, ies, total), Options{Rules: []string{"cross.categories"}}); len(fs) != 0 {
		t.Errorf("no 类:\n%s", dump(fs))
	}
	coded := total
	coded.Rows = append(slices.Clone(total.Rows), yusuan.Row{Code: code("204"), Name: "公共安全支出", Values: vals("total", "16458.75")})
	if fs := CheckDocument(corpusDoc(2018, nil, ies, coded), Options{Rules: []string{"cross.categories"}}); len(fs) != 0 {
		t.Errorf("部门预算:\n%s", dump(fs))
	}
}

// TestPerformanceOnlyDocument: 24_guangzhou publishes project performance
// targets alone: not a budget missing its nine tables.
func TestPerformanceOnlyDocument(t *testing.T) {
	d := corpusDoc(2026, nil, yusuan.Table{Kind: yusuan.PerformanceTargets, Title: "项目支出绩效目标表", Rows: []yusuan.Row{{Name: "项目名称"}}})
	fs := CheckDocument(d, Options{Rules: []string{"completeness."}})
	if len(fs) != 1 || fs[0].Severity != yusuan.SeverityInfo || fs[0].Message != "未识别出模板要求的任何预算表（文件只含：绩效目标表）" {
		t.Errorf("got\n%s", dump(fs))
	}
}
