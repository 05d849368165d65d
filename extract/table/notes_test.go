package table

import (
	"context"
	"math"
	"reflect"
	"slices"
	"testing"

	"yusuan"
	"yusuan/extract/layout"
)

// Areas: per page, the table's lines, its header lines and the heading of
// each amount column, by key.
func TestAreas(t *testing.T) {
	b := newPage(7)
	b.line(0, L("2026年预算支出总表", 200))
	b.line(0, L("单位：万元", 60))
	b.line(0, L("科目编码", 60), L("科目名称", 130), L("合计", 330), L("基本支出", 400), L("项目支出", 480))
	b.line(0, L("合计", 60), R("108.22", 350), R("97.42", 430), R("10.80", 510))
	b.line(0, L("211", 60), L("节能环保支出", 110), R("108.22", 350), R("97.42", 430), R("10.80", 510))
	p2 := newPage(8)
	p2.line(0, L("2110101", 60), L("行政运行", 110), R("108.22", 350), R("97.42", 430), R("10.80", 510))
	tb := one(t, b.page, p2.page)
	if len(tb.Areas) != 2 {
		t.Fatalf("areas %+v", tb.Areas)
	}
	// Lines as seg lays them out: size 9, from y−1.35 to y+7.65; the
	// header line at y 760, the body lines at 740 and 720.
	a := tb.Areas[0]
	if a.Page != 7 || round(a.BBox) != (yusuan.Rect{60, 718.65, 516, 767.65}) {
		t.Errorf("page 7 area %+v", a)
	}
	if a.Header == nil || round(*a.Header) != (yusuan.Rect{60, 758.65, 516, 767.65}) {
		t.Errorf("page 7 header %+v", a.Header)
	}
	want := map[string]yusuan.Rect{
		"total":   {330, 758.65, 348, 767.65},
		"basic":   {400, 758.65, 436, 767.65},
		"project": {480, 758.65, 516, 767.65},
	}
	got := map[string]yusuan.Rect{}
	for k, r := range a.Columns {
		got[k] = round(r)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("page 7 columns %+v, want %+v", a.Columns, want)
	}
	// The continuation page prints no header.
	if a := tb.Areas[1]; a.Page != 8 || a.Header != nil || a.Columns != nil || round(a.BBox) != (yusuan.Rect{60, 798.65, 510, 807.65}) {
		t.Errorf("page 8 area %+v", a)
	}
	if len(tb.Doubts) != 0 {
		t.Errorf("doubts %+v", tb.Doubts)
	}
}

// A coded table whose 合计 is not the sum of its 类 rows as read is doubted
// as unbalanced, column by column, pointing at the 合计 row.
func TestDoubtUnbalanced(t *testing.T) {
	b := newPage(3)
	b.line(0, L("一般公共预算支出表", 200))
	b.line(0, L("科目编码", 60), L("科目名称", 150), L("合计", 330), L("基本支出", 400))
	b.line(0, L("合计", 150), R("598.74", 350), R("500.00", 430))
	b.line(0, L("201", 60), L("一般公共服务支出", 150), R("500.00", 350), R("500.00", 430))
	b.line(0, L("208", 60), L("社会保障和就业支出", 150), R("697.46", 350))
	tb := one(t, b.page)
	want := []yusuan.Doubt{{Reason: yusuan.DoubtUnbalanced, Column: "total", Rows: []int{0}, Note: "合计 598.74 ≠ Σ类 1197.46 as read"}}
	if !reflect.DeepEqual(tb.Doubts, want) {
		t.Errorf("doubts %+v, want %+v", tb.Doubts, want)
	}
	// Rounding is no imbalance: 0.01 over two 类 rows.
	b = newPage(3)
	b.line(0, L("一般公共预算支出表", 200))
	b.line(0, L("科目编码", 60), L("科目名称", 150), L("合计", 330))
	b.line(0, L("合计", 150), R("1197.47", 350))
	b.line(0, L("201", 60), L("一般公共服务支出", 150), R("500.00", 350))
	b.line(0, L("208", 60), L("社会保障和就业支出", 150), R("697.46", 350))
	if tb := one(t, b.page); len(tb.Doubts) != 0 {
		t.Errorf("doubts %+v", tb.Doubts)
	}
}

// A 合计 that leaves out a 类 the table prints, each 类 confirmed by the
// 款 and 项 printed under it (27_suzhou p.20–21: 222 粮油物资储备支出
// 388.25 outside 合计 9,078.52), is the document's inconsistency, not a
// doubtful reading: no doubt (the checks report it). When a 类 is not what
// its 款 add up to as read, or a 款 has no 类 above it, the reading is in
// question.
func TestUnbalancedDocumentNotDoubted(t *testing.T) {
	page := func(kuan, code2 string) layout.Page {
		b := newPage(20)
		b.line(0, L("一般公共预算支出表", 200))
		b.line(0, L("科目编码", 60), L("科目名称", 150), L("合计", 330))
		b.line(0, L("合计", 150), R("9,078.52", 350))
		b.line(0, L("220", 60), L("自然资源海洋气象等支出", 150), R("9,078.52", 350))
		b.line(0, L("22001", 60), L("自然资源事务", 150), R("9,078.52", 350))
		b.line(0, L("222", 60), L("粮油物资储备支出", 150), R("388.25", 350))
		b.line(0, L(code2, 60), L("粮油物资事务", 150), R(kuan, 350))
		return b.page
	}
	if tb := one(t, page("388.25", "22201")); len(tb.Doubts) != 0 {
		t.Errorf("document's own inconsistency doubted: %+v", tb.Doubts)
	}
	want := []yusuan.Doubt{{Reason: yusuan.DoubtUnbalanced, Column: "total", Rows: []int{0}, Note: "合计 9078.52 ≠ Σ类 9466.77 as read"}}
	if tb := one(t, page("300.00", "22201")); !reflect.DeepEqual(tb.Doubts, want) {
		t.Errorf("a 类 its 款 do not add up to: doubts %+v, want %+v", tb.Doubts, want)
	}
	if tb := one(t, page("388.25", "22301")); !reflect.DeepEqual(tb.Doubts, want) {
		t.Errorf("a 款 without its 类: doubts %+v, want %+v", tb.Doubts, want)
	}
}

// 收入总计 ≠ 支出总计 as read is doubted, pointing at both rows.
func TestDoubtSidesUnbalanced(t *testing.T) {
	b := newPage(5)
	b.line(0, L("2026年预算收支总表", 200))
	b.line(0, L("收入", 60), L("支出", 190))
	b.line(0, L("项目", 60), L("预算数", 140), L("项目", 200), L("预算数", 330))
	b.line(0, L("一、一般公共预算", 60), R("108.22", 180), L("一、一般公共服务支出", 200), R("100.22", 360))
	b.line(0, L("收入总计", 60), R("108.22", 180), L("支出总计", 200), R("100.22", 360))
	tb := one(t, b.page)
	want := []yusuan.Doubt{{Reason: yusuan.DoubtUnbalanced, Rows: []int{2, 3}, Note: "收入总计 108.22 ≠ 支出总计 100.22 as read"}}
	if !reflect.DeepEqual(tb.Doubts, want) {
		t.Errorf("doubts %+v, want %+v", tb.Doubts, want)
	}
}

// An amount column without a heading gets a made-up key, doubted; a page
// whose heading is read as no known column takes the key of the column
// printed at its place on the page before, doubted too.
func TestDoubtGuessedColumn(t *testing.T) {
	b := newPage(3)
	b.line(0, L("一般公共预算支出表", 200))
	b.line(0, L("科目编码", 60), L("科目名称", 150), L("合计", 330))
	b.line(0, L("201", 60), L("一般公共服务支出", 150), R("500.00", 350), R("500.00", 430))
	tb := one(t, b.page)
	want := []yusuan.Doubt{{Reason: yusuan.DoubtGuessedColumn, Column: "col4", Note: "no heading read over the column"}}
	if !reflect.DeepEqual(tb.Doubts, want) || !slices.Equal(tb.Columns, []string{"total", "col4"}) {
		t.Errorf("columns %v doubts %+v, want %+v", tb.Columns, tb.Doubts, want)
	}

	page := func(n int, heading string) layout.Page {
		b := newPage(n)
		if n == 1 {
			b.line(0, L("收入总表", 200))
		}
		b.line(0, L("科目名称", 60), L("合计", 200), L(heading, 290))
		b.line(0, L("某某支出", 60), R("59.56", 240), R("59.56", 330))
		return b.page
	}
	tb = one(t, page(1, "一般公共预算"), page(2, "预算拨款"))
	want = []yusuan.Doubt{{Reason: yusuan.DoubtGuessedColumn, Column: "gpb",
		Note: `heading "预算拨款" on page 2 not read: key of the column printed at its place on the page before`}}
	if !reflect.DeepEqual(tb.Doubts, want) || !slices.Equal(tb.Columns, []string{"total", "gpb"}) {
		t.Errorf("columns %v doubts %+v, want %+v", tb.Columns, tb.Doubts, want)
	}
}

// Row doubts: a line of amounts as close to the name above as to the
// name below is a guess (split_row); rows of a two-sided table whose side
// is not told are doubted (side).
func TestDoubtRows(t *testing.T) {
	b := newPage(6)
	b.pitch = 9
	b.line(0, L("支出总表", 200))
	b.line(0, L("科目名称", 60), L("合计", 330))
	b.line(0, L("合计", 60), R("30.00", 350))
	b.line(0, L("某某局", 60))
	b.line(0, L("某某所", 60), R("20.00", 350))
	tb := one(t, b.page)
	want := []yusuan.Doubt{{Reason: yusuan.DoubtSplitRow, Rows: []int{0}, Note: "a line as close to the row above as to the row below"}}
	if !reflect.DeepEqual(tb.Doubts, want) || !slices.Equal(rowNames(tb), []string{"合计某某局", "某某所"}) {
		t.Errorf("doubts %+v, want %+v (rows %q)", tb.Doubts, want, rowNames(tb))
	}

	n := notes{}
	n.rows(3, []bool{false, true}, false, false)
	tb2 := yusuan.Table{Kind: yusuan.IncomeExpenditureSummary, Rows: []yusuan.Row{{Side: yusuan.SideIncome}, {}, {Side: yusuan.SideExpenditure}}}
	got := n.doubts(&tb2)
	want = []yusuan.Doubt{
		{Reason: yusuan.DoubtSplitRow, Rows: []int{1}, Note: "a line as close to the row above as to the row below"},
		{Reason: yusuan.DoubtSide, Rows: []int{1}, Note: "side not told by the columns"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("doubts %+v, want %+v", got, want)
	}
}

// Doubts of a table merged over pages point at the merged rows.
func TestDoubtsMerged(t *testing.T) {
	page := func(n int, code string, v string) layout.Page {
		b := newPage(n)
		b.line(0, L("支出总体情况表", 200))
		b.line(0, L("科目编码", 60), L("科目名称", 150), L("合计", 330))
		if n == 1 {
			b.line(0, L("合计", 150), R("10.00", 350))
		}
		b.line(0, L(code, 60), L("某某支出", 150), R(v, 350))
		return b.page
	}
	tables, _, _ := Extract(context.Background(), []layout.Page{page(1, "201", "4.00"), page(2, "208", "5.00")})
	if len(tables) != 1 {
		t.Fatalf("%d tables", len(tables))
	}
	want := []yusuan.Doubt{{Reason: yusuan.DoubtUnbalanced, Column: "total", Rows: []int{0}, Note: "合计 10.00 ≠ Σ类 9.00 as read"}}
	if !reflect.DeepEqual(tables[0].Doubts, want) || len(tables[0].Areas) != 2 {
		t.Errorf("doubts %+v, want %+v; areas %+v", tables[0].Doubts, want, tables[0].Areas)
	}
	ds := shiftDoubts([]yusuan.Doubt{{Reason: yusuan.DoubtSplitRow, Rows: []int{0, 2}}}, 5)
	if !reflect.DeepEqual(ds[0].Rows, []int{5, 7}) {
		t.Errorf("shifted rows %v", ds[0].Rows)
	}
}

func round(r yusuan.Rect) yusuan.Rect {
	for i := range r {
		r[i] = math.Round(r[i]*100) / 100
	}
	return r
}
