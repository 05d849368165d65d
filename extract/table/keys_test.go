package table

import (
	"reflect"
	"slices"
	"testing"

	"yusuan"
)

// C centres text on x.
func C(text string, x float64) item { return item{text, x - width(text, 9)/2, false} }

// Shenzhen's “三公” table: six groups (总计, 因公出国(境)费, 公务接待费 and
// 公务用车购置及运行维护费's 小计, 购置费, 运行维护费), each split by source;
// one row per year beside the unit's name, printed once over its rows.
// Keys join the group's item and the source; every row carries its unit.
func TestGroupsOfSources(t *testing.T) {
	b := newPage(32)
	b.page.Width = 1450
	col := func(g, k int) float64 { return 300 + 180*float64(g) + 60*float64(k) }
	centre := func(g int) float64 { return col(g, 0) + 90 }
	b.line(0, L("财政拨款“三公”经费支出表", 500))
	b.line(0, L("部门名称：深圳市某某局", 30), L("单位：万元", 1300))
	b.line(0, C("公务用车购置及运行维护费", centre(4)))
	b.line(0, C("总计", centre(0)), C("因公出国(境)费", centre(1)), C("公务接待费", centre(2)))
	b.line(0, L("预算单位", 30), L("年度", 230), C("小计", centre(3)), C("公务用车购置费", centre(4)), C("公务用车运行维护费", centre(5)))
	var top, low []item
	for g := range 6 {
		top = append(top, L("一般公共预", col(g, 0)), L("政府性基金", col(g, 1)), L("国有资本经", col(g, 2)))
		low = append(low, L("算", col(g, 0)+18), L("预算", col(g, 1)+13), L("营预算", col(g, 2)+8))
	}
	b.line(0, top...)
	b.line(0, low...)
	amounts := func(name string, figs ...string) []item {
		var out []item
		if name != "" {
			out = append(out, L(name, 30))
		}
		for g := range 6 {
			for k := range 3 {
				v := "0.00"
				if k == 0 {
					v = figs[g]
				}
				out = append(out, R(v, col(g, k)+50))
			}
		}
		return out
	}
	b.line(0, append(amounts("深圳市某某局", "59.62", "43.87", "11.56", "4.20", "0.00", "4.20"), L("2025年", 230))...)
	b.line(0, append(amounts("", "32.56", "16.80", "11.56", "4.20", "0.00", "4.20"), L("2026年", 230))...)
	b.line(0, append(amounts("", "-27.07", "-27.07", "0.00", "0.00", "0.00", "0.00"), L("增减变化金额", 230))...)
	tb := one(t, b.page)
	var want []string
	for _, item := range []string{"total", "abroad", "reception", "vehicles", "vehicle_purchase", "vehicle_operation"} {
		for _, src := range []string{"gpb", "fund", "soe"} {
			want = append(want, item+"_"+src)
		}
	}
	if !slices.Equal(tb.Columns, want) {
		t.Fatalf("columns %v, want %v", tb.Columns, want)
	}
	if len(tb.Rows) != 3 {
		t.Fatalf("%d rows, want 3", len(tb.Rows))
	}
	for i, year := range []string{"2025年", "2026年", "增减变化金额"} {
		if r := tb.Rows[i]; r.Name != "深圳市某某局" || r.Name2 != year {
			t.Errorf("row %d: %q %q, want 深圳市某某局 %q", i, r.Name, r.Name2, year)
		}
	}
	r := tb.Rows[1]
	for k, v := range map[string]string{"total_gpb": "32.56", "abroad_gpb": "16.80", "reception_gpb": "11.56",
		"vehicles_gpb": "4.20", "vehicle_purchase_gpb": "0.00", "vehicle_operation_gpb": "4.20", "total_fund": "0.00"} {
		if got := r.Values[k].String(); got != v {
			t.Errorf("2026年 %s = %q, want %q", k, got, v)
		}
	}
}

// Chongqing and Yantai print last year's and this year's “三公” side by
// side under 2025年预算数 and 2026年预算数; Xi'an adds the change (增减变化
// 情况) and prints the years alone. The latest year keeps the plain keys,
// the year before gives _prev, the change _change.
func TestGroupsOfYears(t *testing.T) {
	b := newPage(26)
	b.page.Width = 900
	b.line(0, L("2026年财政拨款“三公”经费支出情况表", 200))
	b.line(0, L("单位：万元", 800))
	b.line(0, C("2025年预算数", 150), C("2026年预算数", 450), C("增减变化情况", 750))
	var head, row []item
	figs := [][]string{{"2,552.50", "343.41", "483.09"}, {"2,171.85", "321.91", "279.19"}, {"-380.65", "-21.50", "-203.90"}}
	for g := range 3 {
		x := 40 + 300*float64(g)
		head = append(head, L("合计", x), L("因公出国（境）费", x+70), L("公务接待费", x+200))
		for k, v := range figs[g] {
			row = append(row, R(v, x+60+[]float64{0, 130, 230}[k]))
		}
	}
	b.line(0, head...)
	b.line(0, row...)
	tb := one(t, b.page)
	want := []string{"total_prev", "abroad_prev", "reception_prev", "total", "abroad", "reception", "total_change", "abroad_change", "reception_change"}
	if !slices.Equal(tb.Columns, want) {
		t.Fatalf("columns %v, want %v", tb.Columns, want)
	}
	checkValues(t, tb.Rows[0], vals("total_prev", "2552.50", "abroad_prev", "343.41", "reception_prev", "483.09",
		"total", "2171.85", "abroad", "321.91", "reception", "279.19",
		"total_change", "-380.65", "abroad_change", "-21.50", "reception_change", "-203.90"))
}

// A final account prints 预算数 and 决算数 under each item: the item keys
// the column, 决算数 (the account's own figure) plain, 预算数 _budget.
func TestGroupsOfItemsByPeriod(t *testing.T) {
	b := newPage(18)
	b.page.Width = 700
	b.line(0, L("财政拨款“三公”经费支出决算表", 200))
	b.line(0, L("单位：万元", 600))
	b.line(0, C("合计", 82), C("因公出国（境）费", 242), C("公务接待费", 402))
	var head, row []item
	for g := range 3 {
		x := 40 + 160*float64(g)
		head = append(head, C("预算数", x+47), C("决算数", x+117))
		row = append(row, R([]string{"10.00", "4.00", "6.00"}[g], x+60), R([]string{"8.00", "3.00", "5.00"}[g], x+130))
	}
	b.line(0, head...)
	b.line(0, row...)
	tb := one(t, b.page)
	if tb.Kind != yusuan.FAThreePublic {
		t.Fatalf("kind %s", tb.Kind)
	}
	want := []string{"total_budget", "total", "abroad_budget", "abroad", "reception_budget", "reception"}
	if !slices.Equal(tb.Columns, want) {
		t.Fatalf("columns %v, want %v", tb.Columns, want)
	}
	checkValues(t, tb.Rows[0], vals("total_budget", "10.00", "total", "8.00", "abroad_budget", "4.00", "abroad", "3.00",
		"reception_budget", "6.00", "reception", "5.00"))
}

// Jiangsu's “三公”经费、会议费、培训费 table: 合计, then “三公”经费 centred
// over its 小计, 因公出国（境）费, 公务用车购置及运行维护费 (小计 …) and
// 公务接待费, then 会议费 and 培训费. The first 小计 is the “三公” subtotal,
// the second the 公务用车 one; 会议费 and 培训费 have keys of their own.
func TestSubtotalsUnderNestedHeadings(t *testing.T) {
	b := newPage(11)
	b.page.Width = 850
	b.line(0, L("“三公”经费、会议费、培训费支出预算表", 250))
	b.line(0, L("单位：万元", 750))
	b.line(0, L("“三公”经费", 369))
	b.line(0, L("公务用车购置及运行维护费", 380))
	b.line(0, L("合计", 85), L("小计", 185), L("因公出国（境）费", 241), L("小计", 348), L("公务用车购置费", 405),
		L("公务用车运行维护费", 487), L("公务接待费", 578), L("会议费", 670), L("培训费", 752))
	b.line(0, R("1,852.32", 152), R("676.10", 234), R("76.00", 316), R("156.60", 397), R("0.00", 475), R("156.60", 561),
		R("443.50", 643), R("1,094.62", 724), R("81.60", 806))
	tb := one(t, b.page)
	want := []string{"total", "three_public", "abroad", "vehicles", "vehicle_purchase", "vehicle_operation", "reception", "meeting", "training"}
	if !slices.Equal(tb.Columns, want) {
		t.Fatalf("columns %v, want %v", tb.Columns, want)
	}
	checkValues(t, tb.Rows[0], vals("total", "1852.32", "three_public", "676.10", "abroad", "76.00", "vehicles", "156.60",
		"vehicle_purchase", "0.00", "vehicle_operation", "156.60", "reception", "443.50", "meeting", "1094.62", "training", "81.60"))
}

// Guangzhou's economic tables print one amount column headed 预算 and the
// code in brackets before the name ([301]工资福利支出): the column is the
// table's total, the code an economic code.
func TestSingleColumnAndBracketedCodes(t *testing.T) {
	b := newPage(18)
	b.line(0, L("一般公共预算基本支出情况表（按经济分类科目）", 150))
	b.line(0, L("单位名称：广州市某某局", 30), L("单位：万元", 480))
	b.line(0, L("部门预算支出经济科目", 100), L("预算", 400))
	b.line(0, L("合计", 120), R("151,664.25", 430))
	b.line(0, L("[301]工资福利支出", 30), R("118,704.61", 430))
	b.line(0, L(" [30101]基本工资", 34), R("15,122.07", 430))
	tb := one(t, b.page)
	if !slices.Equal(tb.Columns, []string{"total"}) || tb.Headers["total"] != "预算" {
		t.Fatalf("columns %v headers %v", tb.Columns, tb.Headers)
	}
	got := []string{}
	for _, r := range tb.Rows {
		got = append(got, r.EconCode+" "+r.Name+" "+r.Values["total"].String())
	}
	if want := []string{" 合计 151664.25", "301 工资福利支出 118704.61", "30101 基本工资 15122.07"}; !slices.Equal(got, want) {
		t.Errorf("rows %q, want %q", got, want)
	}
}

// A heading that names no known column in a table of a known kind gives
// no key of its own (it may be a fragment of a heading cut apart): the
// column is numbered and doubted, its heading kept.
func TestUnknownHeadingNumbered(t *testing.T) {
	b := newPage(3)
	b.line(0, L("支出总表", 200))
	b.line(0, L("科目名称", 60), L("合计", 200), L("基本支出", 260), L("金预算拨", 330))
	b.line(0, L("某某支出", 60), R("59.56", 240), R("50.00", 310), R("9.56", 380))
	tb := one(t, b.page)
	if !slices.Equal(tb.Columns, []string{"total", "basic", "col4"}) || tb.Headers["col4"] != "金预算拨" {
		t.Fatalf("columns %v headers %v", tb.Columns, tb.Headers)
	}
	want := []yusuan.Doubt{{Reason: yusuan.DoubtGuessedColumn, Column: "col4", Note: `heading "金预算拨" names no known column`}}
	if !reflect.DeepEqual(tb.Doubts, want) {
		t.Errorf("doubts %+v, want %+v", tb.Doubts, want)
	}
}

// Tables listing budget units print each unit's code (单位编码, 部门代码):
// it is the row's unit_code, never a functional code, whether it has six
// digits (204001), three (the department's 123) or one (1 全额, printed
// without a heading left of the codes). A one-digit 序号 is no amount.
func TestUnitCodes(t *testing.T) {
	b := newPage(57)
	b.line(0, L("2022年部门综合预算专项业务经费支出表", 150))
	b.line(0, L("金额单位：元", 480))
	b.line(0, L("序号", 49), L("单位编码", 106), L("单位（项目）名称", 248), L("项目金额", 446))
	b.line(0, L("1", 47), L("合计", 180), R("889510000", 537))
	b.line(0, L("2", 47), L("1", 72), L("全额", 180), R("888160000", 537))
	b.line(0, L("3", 47), L("204001", 90), L("西安市科学技术局", 180), R("882575000", 537))
	b.line(0, L("4", 47), L("专用项目", 180), R("882575000", 537))
	tb := one(t, b.page)
	var got []string
	for _, r := range tb.Rows {
		got = append(got, r.CodeString()+"|"+r.UnitCode+"|"+r.Name+"|"+r.Values["total"].String())
	}
	want := []string{"||合计|889510000", "|1|全额|888160000", "|204001|西安市科学技术局|882575000", "||专用项目|882575000"}
	if !slices.Equal(got, want) || !slices.Equal(tb.Columns, []string{"total"}) {
		t.Errorf("columns %v rows %q, want %q", tb.Columns, got, want)
	}

	b = newPage(9)
	b.line(0, L("收入总表", 200))
	b.line(0, L("部门代码", 40), L("部门名称", 110), L("合计", 300), L("一般公共预算", 360))
	b.line(0, L("合计", 110), R("249,977.11", 330), R("242,360.10", 420))
	b.line(0, L("123", 40), L("苏州市交通运输局", 110), R("249,977.11", 330), R("242,360.10", 420))
	b.line(0, L("123001", 44), L("苏州市交通运输局", 110), R("201,457.56", 330), R("201,457.56", 420))
	tb = one(t, b.page)
	got = nil
	for _, r := range tb.Rows {
		got = append(got, r.CodeString()+"|"+r.UnitCode+"|"+r.Name)
	}
	if want := []string{"||合计", "|123|苏州市交通运输局", "|123001|苏州市交通运输局"}; !slices.Equal(got, want) {
		t.Errorf("rows %q, want %q", got, want)
	}
}
