package check

import (
	"testing"

	"yusuan"
)

func code(s string) *string { return &s }

// adminOperating02 is 02_jiangsu's 一般公共预算机关运行经费支出预算表: 合计
// 3348.98 = 302 商品和服务支出 3253.98 + 310 其他资本性支出 95.00, each
// followed by its 款 (302 abridged to two lines here).
func adminOperating02(office string) yusuan.Table {
	return yusuan.Table{Kind: yusuan.AdminOperating, Unit: "万元", Columns: []string{"total"},
		Rows: []yusuan.Row{
			{Name: "合计", Values: vals("total", "3348.98")},
			{Code: code("302"), Level: 1, Name: "商品和服务支出", Values: vals("total", "3253.98")},
			{Code: code("30201"), Level: 2, Name: "办公费", Values: vals("total", office)},
			{Code: code("30299"), Level: 2, Name: "其他商品和服务支出", Values: vals("total", "3086.95")},
			{Code: code("310"), Level: 1, Name: "其他资本性支出", Values: vals("total", "95.00")},
			{Code: code("31002"), Level: 2, Name: "办公设备购置", Values: vals("total", "95.00")},
		}}
}

// TestAdminOperatingByEconomicLevels: 27_suzhou, 02_jiangsu and 03_jiangsu
// break 机关运行经费 down by 类 and 款: the 合计 is Σ类, not Σ every line.
func TestAdminOperatingByEconomicLevels(t *testing.T) {
	rules := Options{Rules: []string{"hierarchy.sum"}}
	if fs := CheckDocument(corpusDoc(2017, nil, adminOperating02("167.03")), rules); len(fs) != 0 {
		t.Errorf("clean:\n%s", dump(fs))
	}
	want := "hierarchy.sum: 302 商品和服务支出（合计） 3253.98 ≠ Σ经济科目款 3353.98（差 100.00 万元）"
	if got := messages(CheckDocument(corpusDoc(2017, nil, adminOperating02("267.03")), rules), yusuan.SeverityError); len(got) != 1 || got[0] != want {
		t.Errorf("got %q want %q", got, want)
	}
	// Without any 类 line the table is a plain list: 合计 = Σ lines.
	flat := yusuan.Table{Kind: yusuan.AdminOperating, Unit: "万元", Columns: []string{"total"},
		Rows: []yusuan.Row{
			{Name: "合计", Values: vals("total", "30.00")},
			{Name: "办公费", Values: vals("total", "10.00")},
			{Name: "差旅费", Values: vals("total", "10.00")},
		}}
	want = "hierarchy.sum: 合计（合计） 30.00 ≠ Σ各行 20.00（差 10.00 万元）"
	if got := messages(CheckDocument(corpusDoc(2017, nil, flat), rules), yusuan.SeverityError); len(got) != 1 || got[0] != want {
		t.Errorf("flat: got %q want %q", got, want)
	}
}

// basicByEconomic03 is 03_jiangsu's 一般公共预算基本支出预算表: one amount
// column, 商品和服务支出 1585.96 a row (no 公用经费 column).
func basicByEconomic03() yusuan.Table {
	return yusuan.Table{Kind: yusuan.GeneralBudgetBasicByEconomic, Unit: "万元", Columns: []string{"amount"},
		Rows: []yusuan.Row{
			{Name: "合计", Values: vals("amount", "7666.68")},
			{EconCode: "301", Name: "工资福利支出", Values: vals("amount", "2928.98")},
			{EconCode: "30101", Name: "基本工资", Values: vals("amount", "2928.98")},
			{EconCode: "302", Name: "商品和服务支出", Values: vals("amount", "1585.96")},
			{EconCode: "30201", Name: "办公费", Values: vals("amount", "1585.96")},
			{EconCode: "303", Name: "对个人和家庭的补助", Values: vals("amount", "3151.74")},
			{EconCode: "30302", Name: "退休费", Values: vals("amount", "3151.74")},
		}}
}

// TestAdminOperatingPublicFromRows: without a 公用经费 column the 公用经费
// is the 302 (+310) rows, not 0.
func TestAdminOperatingPublicFromRows(t *testing.T) {
	ao := func(total string) yusuan.Table {
		return yusuan.Table{Kind: yusuan.AdminOperating, Unit: "万元", Columns: []string{"total"},
			Rows: []yusuan.Row{
				{Name: "合计", Values: vals("total", total)},
				{Code: code("302"), Level: 1, Name: "商品和服务支出", Values: vals("total", total)},
				{Code: code("30201"), Level: 2, Name: "办公费", Values: vals("total", total)},
			}}
	}
	rules := Options{Rules: []string{"cross.admin_operating"}}
	dept := corpusDoc(2017, nil, ao("1585.96"), basicByEconomic03())
	if fs := CheckDocument(dept, rules); len(fs) != 0 {
		t.Errorf("department, equal:\n%s", dump(fs))
	}
	unit := corpusDoc(2017, nil, ao("1500.00"), basicByEconomic03())
	unit.Meta.Scope = yusuan.ScopeUnit
	want := "cross.admin_operating: 机关运行经费 合计 1500.00 ≠ 一般公共预算基本支出表 公用经费（商品和服务支出+资本性支出） 1585.96（差 85.96 万元）"
	if got := messages(CheckDocument(unit, rules), yusuan.SeverityError); len(got) != 1 || got[0] != want {
		t.Errorf("unit: got %q want %q", got, want)
	}
	// 03_jiangsu 2017: 5619.31 (the 2017 口径 adds project running costs)
	// against 公用经费 1585.96.
	want = "cross.admin_operating: 机关运行经费 5619.31 > 公用经费 1585.96（超出 4033.35 万元）"
	if got := messages(CheckDocument(corpusDoc(2017, nil, ao("5619.31"), basicByEconomic03()), rules), yusuan.SeverityError); len(got) != 1 || got[0] != want {
		t.Errorf("department: got %q want %q", got, want)
	}
	// No 公用经费 anywhere (no column, no 302/310 row): nothing to compare.
	bare := yusuan.Table{Kind: yusuan.GeneralBudgetBasicByEconomic, Unit: "万元", Columns: []string{"amount"},
		Rows: []yusuan.Row{{Name: "合计", Values: vals("amount", "100.00")}, {EconCode: "301", Name: "工资福利支出", Values: vals("amount", "100.00")}}}
	if fs := CheckDocument(corpusDoc(2017, nil, ao("50.00"), bare), rules); len(fs) != 0 {
		t.Errorf("no 公用经费:\n%s", dump(fs))
	}
}

// TestEconomicSubtotalRows: 06_shanghai-putuo's 基本支出决算表 prints
// 人员经费合计 after 303's 款 and 公用经费合计 after 310's: subtotals, not
// items of the group above them.
func TestEconomicSubtotalRows(t *testing.T) {
	tb := func(retire string) yusuan.Table {
		return yusuan.Table{Kind: yusuan.FAGeneralBudgetBasic, Unit: "万元", Columns: []string{"actual"},
			Rows: []yusuan.Row{
				{EconCode: "301", Name: "工资福利支出", Values: vals("actual", "2082.85")},
				{EconCode: "30101", Name: "基本工资", Values: vals("actual", "2082.85")},
				{EconCode: "303", Name: "对个人和家庭的补助", Values: vals("actual", "69.41")},
				{EconCode: "30302", Name: "退休费", Values: vals("actual", retire)},
				{EconCode: "30309", Name: "奖励金", Values: vals("actual", "0.31")},
				{Name: "人员经费合计", Values: vals("actual", "2152.26")},
				{EconCode: "302", Name: "商品和服务支出", Values: vals("actual", "171.07")},
				{EconCode: "30201", Name: "办公费", Values: vals("actual", "171.07")},
				{EconCode: "310", Name: "资本性支出", Values: vals("actual", "13.58")},
				{EconCode: "31002", Name: "办公设备购置", Values: vals("actual", "13.58")},
				{Name: "公用经费合计", Values: vals("actual", "184.65")},
			}}
	}
	rules := Options{Rules: []string{"hierarchy.sum"}}
	if fs := CheckDocument(corpusDoc(2024, nil, tb("69.10")), rules); len(fs) != 0 {
		t.Errorf("clean:\n%s", dump(fs))
	}
	want := "hierarchy.sum: 303 对个人和家庭的补助（决算数） 69.41 ≠ Σ经济科目款 70.41（差 1.00 万元）"
	if got := messages(CheckDocument(corpusDoc(2024, nil, tb("70.10")), rules), yusuan.SeverityError); len(got) != 1 || got[0] != want {
		t.Errorf("got %q want %q", got, want)
	}
	// The 公用经费合计 line is the 公用经费 when no column gives it.
	if x := publicTotal(&[]yusuan.Table{tb("69.10")}[0]); x.m.v != 18465000000 {
		t.Errorf("publicTotal = %d, want 184.65 万元 in 0.0001 元", x.m.v)
	}
}

// TestProjectGeneralBudgetLessFiscalCarryover: 20_shenzhen_renshe's 项目支出
// 总表 prints 一般公共预算 401100.54 and a 上年结余、结转 column of every
// fund (8073.01); its 一般公共预算支出表 项目支出 403682.60 includes the
// 一般公共预算 carry-over 2582.06 of the 财政拨款收支总表.
func TestProjectGeneralBudgetLessFiscalCarryover(t *testing.T) {
	pc := yusuan.Table{Kind: yusuan.ProjectCurrent, Unit: "万元", Columns: []string{"total", "gpb", "special", "carryover"},
		Rows: []yusuan.Row{{Name: "合计", Values: vals("total", "423210.22", "gpb", "401100.54", "special", "14036.67", "carryover", "8073.01")}}}
	gbe := yusuan.Table{Kind: yusuan.GeneralBudgetExpenditure, Unit: "万元", Columns: []string{"total", "basic", "project"},
		Rows: []yusuan.Row{{Name: "合计", Values: vals("total", "535744.33", "basic", "132061.73", "project", "403682.60")}}}
	fis := func(co string) yusuan.Table {
		return yusuan.Table{Kind: yusuan.FiscalSummary, Unit: "万元", Columns: []string{"amount", "subtotal"},
			Rows: []yusuan.Row{
				{Side: yusuan.SideIncome, Name: "1.一般公共预算拨款", Values: vals("amount", "533162.27")},
				{Side: yusuan.SideExpenditure, Name: "一、社会保障和就业支出", Values: vals("subtotal", "535744.34")},
				{Side: yusuan.SideIncome, Name: "本年收入合计", Values: vals("amount", "533162.27")},
				{Side: yusuan.SideExpenditure, Name: "本年支出合计", Values: vals("subtotal", "535744.34")},
				{Side: yusuan.SideIncome, Name: "上年结余、结转", Values: vals("amount", co)},
				{Side: yusuan.SideIncome, Name: "1.一般公共预算拨款结余、结转", Values: vals("amount", co)},
				{Side: yusuan.SideIncome, Name: "收入总计", Values: vals("amount", "535744.34")},
				{Side: yusuan.SideExpenditure, Name: "支出总计", Values: vals("subtotal", "535744.34")},
			}}
	}
	rules := Options{Rules: []string{"cross.project"}}
	if got := messages(CheckDocument(corpusDoc(2026, nil, pc, gbe, fis("2582.06")), rules), yusuan.SeverityError); len(got) != 0 {
		t.Errorf("with carry-over: %q", got)
	}
	// A carry-over that does not explain the gap leaves the finding.
	want := "cross.project: 项目支出表（本年）一般公共预算 401100.54 ≠ 一般公共预算支出表 项目支出 403682.60（差 2582.06 万元）"
	if got := messages(CheckDocument(corpusDoc(2026, nil, pc, gbe, fis("1000.00")), rules), yusuan.SeverityError); len(got) != 1 || got[0] != want {
		t.Errorf("got %q want %q", got, want)
	}
}
