package table

import (
	"context"
	"testing"

	"yusuan"
	"yusuan/extract/layout"
)

// An amount too wide for its narrow column wraps its last digit onto the
// line below (right-aligned), and the unit name wraps too: one row.
func TestWrappedAmount(t *testing.T) {
	b := newPage(151)
	b.pitch = 8
	b.line(0, L("项目支出总表", 200))
	b.line(12, L("单位：万元", 480))
	b.line(12, L("支出项目类别", 40), L("总计", 165), L("一般公共预算", 240), L("其他收入", 330))
	b.line(0, L("某某市人力资源和社会保", 30), R("435,216.1", 207))
	b.line(0, R("401,100.54", 290), R("34,115.63", 380))
	b.line(16, L("障局", 30), R("7", 207))
	b.line(0, L("技工教育管理", 70), R("335.48", 207), R("335.48", 290), R("0.00", 380))
	b.line(16, L("教育费附加", 70), R("178.70", 207), R("178.70", 290), R("0.00", 380))
	tb := one(t, b.page)
	if tb.Kind != yusuan.ProjectCurrent {
		t.Fatalf("kind %s", tb.Kind)
	}
	if len(tb.Rows) != 3 {
		t.Fatalf("rows %+v", tb.Rows)
	}
	checkValues(t, findRow(t, tb, "", "某某市人力资源和社会保障局"), map[string]string{"total": "435216.17", "gpb": "401100.54", "other": "34115.63"})
	checkValues(t, findRow(t, tb, "", "技工教育管理"), map[string]string{"total": "335.48", "gpb": "335.48", "other": "0.00"})
}

// The tail digit alone on its line, below the row whose other figures sit
// on the baseline (the wrapped head above it).
func TestWrappedAmountAlone(t *testing.T) {
	b := newPage(30)
	b.pitch = 8
	b.line(0, L("一般公共预算支出表", 200))
	b.line(12, L("单位：万元", 480))
	b.line(12, L("功能分类科目名称", 40), L("合计", 290), L("基本支出", 370), L("项目支出", 440))
	b.line(0, R("21,118.5", 460))
	b.line(0, L("合计", 40), R("91,842.80", 310), R("70,724.29", 390))
	b.line(16, R("1", 460))
	b.line(0, L("社会工作事务", 40), R("0.19", 310), R("0.19", 460))
	tb := one(t, b.page)
	checkValues(t, findRow(t, tb, "", "合计"), map[string]string{"total": "91842.80", "basic": "70724.29", "project": "21118.51"})
}

// A continuation page printing the title again, whose first rows print only
// their 项 digits under the 款 of the previous page.
func TestContinuationCodes(t *testing.T) {
	page := func(n int, rows ...[]item) *pageBuilder {
		b := newPage(n)
		b.line(0, L("支出总体情况表", 200))
		b.line(0, L("科目编码", 60), L("科目名称", 150), L("合计", 330), L("基本支出", 400))
		for _, r := range rows {
			b.line(0, r...)
		}
		return b
	}
	b1 := page(10,
		[]item{L("210", 60), L("卫生健康支出", 150), R("102.63", 350), R("102.63", 430)},
		[]item{L("11", 66), L("行政事业单位医疗", 150), R("102.63", 350), R("102.63", 430)},
		[]item{L("01", 72), L("行政单位医疗", 150), R("31.65", 350), R("31.65", 430)})
	b2 := page(11,
		[]item{L("02", 72), L("事业单位医疗", 150), R("34.65", 350), R("34.65", 430)},
		[]item{L("99", 72), L("其他行政事业单位医疗支出", 150), R("36.33", 350), R("36.33", 430)},
		[]item{L("221", 60), L("住房保障支出", 150), R("124.48", 350), R("124.48", 430)},
		[]item{L("02", 66), L("住房改革支出", 150), R("124.48", 350), R("124.48", 430)})
	tb := one(t, b1.page, b2.page)
	for name, code := range map[string]string{"事业单位医疗": "2101102", "其他行政事业单位医疗支出": "2101199", "住房改革支出": "22102"} {
		if r := findRow(t, tb, "", name); r.CodeString() != code {
			t.Errorf("%s: code %q, want %s", name, r.CodeString(), code)
		} else if want := (len(code) - 1) / 2; r.Level != want {
			t.Errorf("%s: level %d, want %d", name, r.Level, want)
		}
	}
}

// Two name columns (政府经济科目 / 部门经济科目) and the 合计 label centred
// across both, so that it falls in the second.
func TestTotalInSecondNameColumn(t *testing.T) {
	b := newPage(15)
	b.line(0, L("一般公共预算基本支出表", 200))
	b.line(0, L("单位：万元", 480))
	b.line(0, L("政府支出经济分类科目", 40), L("部门支出经济分类科目", 170), L("合计", 330), L("人员经费", 400), L("公用经费", 480))
	b.line(0, L("50501-工资福利支出", 40), L("30101-基本工资", 170), R("10.00", 350), R("10.00", 430))
	b.line(0, L("50502-商品和服务支出", 40), L("30201-办公费", 170), R("5.00", 350), R("5.00", 510))
	b.line(0, L("合   计", 220), R("15.00", 350), R("10.00", 430), R("5.00", 510))
	tb := one(t, b.page)
	r := findRow(t, tb, "", "合计")
	if r.Name2 != "" {
		t.Errorf("total row %+v", r)
	}
	checkValues(t, r, map[string]string{"total": "15.00", "personnel": "10.00", "public": "5.00"})
}

// Amounts printed a little above their row's baseline, level with the
// heading line 类款项 just above: they belong to the 合计 row.
func TestLiftedAmounts(t *testing.T) {
	b := newPage(10)
	b.line(0, L("支出决算表", 200))
	b.line(0, L("单位：万元", 480))
	b.line(0, L("支出功能分类科目编码", 60), L("科目名称", 180), L("本年支出合计", 300), L("基本支出", 380), L("项目支出", 460))
	b.line(7, L("类款项", 60), R("2,336.91", 420), R("603.14", 500))
	b.line(0, L("合计", 180), R("2,940.05", 340))
	b.line(7, R("1,503.52", 420), R("603.14", 500))
	b.line(0, L("201", 60), L("一般公共服务支出", 180), R("2,106.66", 340))
	tb := one(t, b.page)
	checkValues(t, findRow(t, tb, "", "合计"), map[string]string{"total": "2940.05", "basic": "2336.91", "project": "603.14"})
	checkValues(t, findRow(t, tb, "", "一般公共服务支出"), map[string]string{"total": "2106.66", "basic": "1503.52", "project": "603.14"})
}

// The 机关运行经费 table's only column (机关运行经费支出) is its total, and
// the next page's title wrapped before its last character (…支出预算 / 表)
// still starts a table of its own.
func TestWrappedTitle(t *testing.T) {
	b := newPage(19)
	b.line(0, L("一般公共预算机关运行经费支出预算表", 150))
	b.line(0, L("单位：万元", 480))
	b.line(0, L("科目编码", 60), L("科目名称", 150), L("机关运行经费支出", 330))
	b.line(0, L("合计", 150), R("5,619.31", 400))
	b.line(0, L("302", 60), L("商品和服务支出", 150), R("5,619.31", 400))
	b2 := newPage(20)
	b2.line(0, L("“三公”经费、会议费、培训费支出预算", 150))
	b2.line(0, L("表", 250))
	b2.line(0, L("单位：万元", 480))
	b2.line(0, L("合计", 60), L("因公出国（境）费", 150), L("公务接待费", 250), L("会议费", 350), L("培训费", 450))
	b2.line(0, R("2,542.60", 100), R("222.50", 200), R("427.50", 300), R("1,305.25", 400), R("403.75", 500))
	tables, _, warns := Extract(context.Background(), []layout.Page{b.page, b2.page})
	if len(tables) != 2 {
		t.Fatalf("got %d tables, want 2 (%v)", len(tables), warns)
	}
	if tables[0].Kind != yusuan.AdminOperating || len(tables[0].Columns) != 1 || tables[0].Columns[0] != "total" {
		t.Errorf("admin table %+v", tables[0])
	}
	checkValues(t, findRow(t, tables[0], "", "合计"), map[string]string{"total": "5619.31"})
	if tables[1].Kind != yusuan.ThreePublic || len(tables[1].Rows) != 1 {
		t.Errorf("“三公” table %+v", tables[1])
	}
}

// A unit name wrapped back to the left edge (…福田分 / 局) on a page whose
// item names sit in the indented name column: the tail is no name column
// of its own and the items keep their names.
func TestNameTailAtLeftEdge(t *testing.T) {
	b := newPage(132)
	b.pitch = 16
	b.line(0, L("基本支出总表", 200))
	b.line(0, L("单位：万元", 480))
	b.line(0, L("支出项目类别", 60), L("总计", 260), L("一般公共预算", 330), L("其他收入", 430))
	for _, it := range [][2]string{{"水费", "0.50"}, {"电费", "5.00"}, {"邮电费", "9.00"}, {"物业管理费", "67.00"}, {"差旅费", "3.00"}, {"培训费", "1.00"}} {
		b.line(0, L(it[0], 60), R(it[1], 290), R(it[1], 380), R("0.00", 470))
	}
	b.line(8, L("某某市社会保险基金管理局福田分", 50))
	b.line(8, R("5,923.81", 290), R("5,923.81", 380), R("0.00", 470))
	b.line(0, L("局", 30))
	b.line(0, L("工资福利支出", 55), R("4,820.30", 290), R("4,820.30", 380), R("0.00", 470))
	tb := one(t, b.page)
	checkValues(t, findRow(t, tb, "", "水费"), map[string]string{"total": "0.50", "gpb": "0.50", "other": "0.00"})
	checkValues(t, findRow(t, tb, "", "某某市社会保险基金管理局福田分局"), map[string]string{"total": "5923.81", "gpb": "5923.81", "other": "0.00"})
	checkValues(t, findRow(t, tb, "", "工资福利支出"), map[string]string{"total": "4820.30", "gpb": "4820.30", "other": "0.00"})
	if len(tb.Rows) != 8 {
		t.Errorf("%d rows, want 8: %+v", len(tb.Rows), tb.Rows)
	}
}

// A running head atop every page is no heading of the table continuing on
// the page: the continuation keeps its names beside their amounts.
func TestRunningHead(t *testing.T) {
	head := "某某局2026年度单位预算公开"
	b := newPage(15)
	b.line(0, L(head, 40))
	b.line(0, L("财政拨款收支总表", 200))
	b.line(0, L("单位：万元", 480))
	b.line(0, L("收入", 100), L("支出", 350))
	b.line(0, L("项目", 60), L("预算数", 200), L("项目", 260), L("预算数", 460))
	b.line(0, L("一、本年收入", 60), R("10,022.32", 240), L("一、本年支出", 260), R("10,022.32", 500))
	b.line(0, L("（一）一般公共预算拨款", 60), R("9,078.52", 240), L("（一）一般公共服务支出", 260))
	b.line(0, L("（二）政府性基金预算拨款", 60), R("943.80", 240), L("（八）社会保障和就业支出", 260), R("465.60", 500))
	b.line(0, L("（十二）城乡社区支出", 260), R("943.80", 500))
	b2 := newPage(16)
	b2.line(0, L(head, 40))
	b2.line(0, L("（十七）金融支出", 260))
	b2.line(0, L("（十九）自然资源海洋气象等支出", 260), R("7,095.13", 500))
	b2.line(0, L("（二十）住房保障支出", 260), R("1,517.79", 500))
	b2.line(0, L("（二十一）粮油物资储备支出", 260))
	b2.line(0, L("收入总计", 60), R("10,022.32", 240), L("支出总计", 260), R("10,022.32", 500))
	b3 := newPage(17)
	b3.line(0, L(head, 40))
	b3.line(0, L("第三部分 名词解释", 60))
	tables, _, warns := Extract(context.Background(), []layout.Page{b.page, b2.page, b3.page})
	if len(tables) != 1 {
		t.Fatalf("got %d tables, want 1 (%v)", len(tables), warns)
	}
	tb := tables[0]
	checkValues(t, findRow(t, tb, yusuan.SideExpenditure, "（十九）自然资源海洋气象等支出"), map[string]string{"subtotal": "7095.13"})
	checkValues(t, findRow(t, tb, yusuan.SideExpenditure, "（二十）住房保障支出"), map[string]string{"subtotal": "1517.79"})
	checkValues(t, findRow(t, tb, yusuan.SideIncome, "收入总计"), map[string]string{"amount": "10022.32"})
}

// Source headings wrapped in narrow cells and run together on one line
// (一般公共预 | 政府性基, with 算 / 金预算 below) are two headings.
func TestSplitRunTogetherHeading(t *testing.T) {
	b := newPage(12)
	b.line(0, L("收入总表", 200))
	b.line(0, L("单位：万元", 480))
	b.line(0, L("单位名称", 60), L("合计", 150), L("一般公共预政府性基", 210))
	b.line(0, L("算", 228), L("金预算", 268))
	b.line(0, L("合计", 60), R("10,022.32", 180), R("9,078.52", 250), R("943.80", 300))
	tb := one(t, b.page)
	checkValues(t, findRow(t, tb, "", "合计"), map[string]string{"total": "10022.32", "gpb": "9078.52", "fund": "943.80"})
}

// A three-panel 收支预算总表: income, then 功能分类 and 支出用途 side by
// side on the expenditure side. Each panel's line is a row of its own;
// the totals print their amount in the last panel's column.
func TestThreePanelSummary(t *testing.T) {
	b := newPage(1)
	b.line(0, L("收支预算总表", 200))
	b.line(0, L("单位：万元", 480))
	b.line(0, L("收入", 60), L("支出", 300))
	b.line(0, L("功能分类", 260), L("支出用途", 420))
	b.line(0, L("项目名称", 60), L("金额", 150), L("功能科目名称", 200), L("金额", 340), L("项目名称", 400), L("金额", 510))
	b.line(0, L("一、财政拨款", 40), R("9,066.79", 180), L("一、一般公共服务支出", 200), R("6,543.55", 370), L("一、基本支出", 400), R("5,916.27", 540))
	b.line(0, L("二、其他资金", 40), R("80.00", 180), L("二、外交支出", 200), L("二、项目支出", 400), R("3,230.52", 540))
	b.line(0, L("三、社会保障和就业支出", 200), R("2,603.24", 370))
	b.line(0, L("收入合计", 40), R("9,146.79", 180), L("支出合计", 260), R("9,146.79", 540))
	tb := one(t, b.page)
	exp := yusuan.SideExpenditure
	checkValues(t, findRow(t, tb, exp, "一、一般公共服务支出"), map[string]string{"total": "6543.55"})
	checkValues(t, findRow(t, tb, exp, "一、基本支出"), map[string]string{"amount": "5916.27"})
	checkValues(t, findRow(t, tb, exp, "二、外交支出"), map[string]string{})
	checkValues(t, findRow(t, tb, exp, "二、项目支出"), map[string]string{"amount": "3230.52"})
	checkValues(t, findRow(t, tb, exp, "支出合计"), map[string]string{"total": "9146.79"})
	checkValues(t, findRow(t, tb, yusuan.SideIncome, "收入合计"), map[string]string{"amount": "9146.79"})
}

// Two identical panels side by side (人员经费 left, 公用经费 right), the
// right panel's 类 code set a little above the rest of its row: each panel
// is read on its own, the left panel's rows first.
func TestTwoPanels(t *testing.T) {
	b := newPage(16)
	b.pitch = 24
	b.line(0, L("一般公共预算财政拨款基本支出决算表", 150))
	b.line(0, L("单位：万元", 480))
	b.line(0, L("经济分类科目编码", 20), L("科目名称", 110), L("决算数", 250), L("经济分类科目编码", 320), L("科目名称", 410), L("决算数", 530))
	b.line(10, L("款", 60), L("款", 360))
	b.line(0, L("类", 20), L("类", 320))
	b.line(0, L("301", 20), L("工资福利支出", 110), R("2,082.85", 290), L("302", 320), L("商品和服务支出", 410), R("171.07", 570))
	b.line(7, L("301", 20), L("01", 60), L("基本工资", 110), R("262.33", 290), L("302", 320))
	b.line(0, L("01", 360), L("办公费", 410), R("21.21", 570))
	b.line(0, L("301", 20), L("02", 60), L("津贴补贴", 110), R("1,820.52", 290), L("302", 320), L("02", 360), L("印刷费", 410), R("149.86", 570))
	b.line(0, L("40", 360), L("税金及附加费用", 410))
	tb := one(t, b.page)
	want := []struct{ code, name, v string }{
		{"301", "工资福利支出", "2082.85"}, {"30101", "基本工资", "262.33"}, {"30102", "津贴补贴", "1820.52"},
		{"302", "商品和服务支出", "171.07"}, {"30201", "办公费", "21.21"}, {"30202", "印刷费", "149.86"}, {"30240", "税金及附加费用", ""},
	}
	if len(tb.Rows) != len(want) || len(tb.Columns) != 1 || tb.Columns[0] != "actual" {
		t.Fatalf("columns %v rows %+v", tb.Columns, tb.Rows)
	}
	for i, w := range want {
		r := tb.Rows[i]
		if r.EconCode != w.code || r.Name != w.name || r.Values["actual"].String() != w.v {
			t.Errorf("row %d: %s %s %s, want %v", i, r.EconCode, r.Name, r.Values["actual"], w)
		}
	}
}
