package table

import (
	"fmt"
	"slices"
	"testing"

	"yusuan"
	"yusuan/extract/layout"
)

// rowSpec is a row as it must come out: code, name, side and the values
// that are not null.
type rowSpec struct {
	side   yusuan.Side
	code   string
	name   string
	values map[string]string
}

// checkRows asserts every row of a table, in order.
func checkRows(t *testing.T, tb yusuan.Table, want []rowSpec) {
	t.Helper()
	if len(tb.Rows) != len(want) {
		for _, r := range tb.Rows {
			t.Logf("  %s %q %q %v", r.Side, r.CodeString(), r.Name, values(r))
		}
		t.Fatalf("%d rows, want %d", len(tb.Rows), len(want))
	}
	for i, w := range want {
		r := tb.Rows[i]
		if r.Side != w.side || r.CodeString() != w.code || r.Name != w.name {
			t.Errorf("row %d: %s %q %q, want %s %q %q", i, r.Side, r.CodeString(), r.Name, w.side, w.code, w.name)
		}
		got := values(r)
		if len(got) != len(w.values) {
			t.Errorf("row %d %q: values %v, want %v", i, w.name, got, w.values)
			continue
		}
		for k, v := range w.values {
			if got[k] != v {
				t.Errorf("row %d %q: values %v, want %v", i, w.name, got, w.values)
				break
			}
		}
	}
}

func vals(kv ...string) map[string]string {
	m := map[string]string{}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = kv[i+1]
	}
	return m
}

// 类/款/项 printed in three code columns; the next page carries on
// without the header and lays its columns out a little further right (the
// sheet printed to fit each page). Codes keep their three parts and the
// name stays a name.
func TestSplitCodesOnShiftedContinuationPage(t *testing.T) {
	p1 := newPage(9)
	p1.line(0, L("一般公共预算支出表", 200))
	p1.line(0, L("单位：万元", 480))
	p1.line(0, L("科目编码", 60), L("科目名称", 150), L("合计", 330), L("基本支出", 400), L("项目支出", 480))
	p1.line(0, L("类", 60), L("款", 85), L("项", 110))
	p1.line(0, L("合计", 150), R("598.74", 370), R("598.74", 450))
	p1.line(0, L("201", 60), L("一般公共服务支出", 150), R("500.00", 370), R("500.00", 450))
	p1.line(0, L("201", 60), L("03", 85), L("政府办公厅（室）及相关机构事务", 150), R("500.00", 370), R("500.00", 450))
	p1.line(0, L("201", 60), L("03", 85), L("01", 110), L("行政运行", 150), R("500.00", 370), R("500.00", 450))
	p2 := newPage(10)
	p2.line(0, L("208", 72), L("社会保障和就业支出", 168), R("98.74", 388), R("98.74", 468))
	p2.line(0, L("208", 72), L("05", 97), L("行政事业单位养老支出", 168), R("98.74", 388), R("98.74", 468))
	p2.line(0, L("208", 72), L("05", 97), L("01", 122), L("行政单位离退休", 168), R("98.74", 388), R("98.74", 468))
	tb := one(t, p1.page, p2.page)
	checkRows(t, tb, []rowSpec{
		{"", "", "合计", vals("total", "598.74", "basic", "598.74")},
		{"", "201", "一般公共服务支出", vals("total", "500.00", "basic", "500.00")},
		{"", "20103", "政府办公厅（室）及相关机构事务", vals("total", "500.00", "basic", "500.00")},
		{"", "2010301", "行政运行", vals("total", "500.00", "basic", "500.00")},
		{"", "208", "社会保障和就业支出", vals("total", "98.74", "basic", "98.74")},
		{"", "20805", "行政事业单位养老支出", vals("total", "98.74", "basic", "98.74")},
		{"", "2080501", "行政单位离退休", vals("total", "98.74", "basic", "98.74")},
	})
}

// Class 1 (split 类/款/项 columns on a continuation page), as Shanghai
// prints it: amounts in 元 so wide that the widest of
// one column reaches into the next column's; the code columns 类/款/项 and
// the name must not be read as one column, on the header's page nor on the
// page after it.
func TestSplitCodesTouchingAmounts(t *testing.T) {
	p1 := newPage(9)
	p1.line(0, L("收入预算总表", 200))
	p1.line(0, L("单位：元", 480))
	p1.line(0, L("功能分类科目编码", 60), L("功能分类科目名称", 150), L("合计", 350), L("财政拨款收入", 410), L("事业收入", 480))
	p1.line(0, L("类款项", 60))
	p1.line(0, L("201", 60), L("一般公共服务支出", 150), R("82,096,797.42", 400), R("82,096,797.42", 462))
	p1.line(0, L("201", 60), L("03", 85), L("政府办公厅（室）及相关机构事务", 150), R("82,096,797.42", 400), R("82,096,797.42", 462))
	p1.line(0, L("201", 60), L("03", 85), L("01", 110), L("行政运行", 150), R("82,096,797.42", 400), R("82,096,797.42", 462))
	p1.line(0, L("208", 60), L("社会保障和就业支出", 150), R("1,554,220.00", 402), R("1,554,220.00", 462))
	p1.line(0, L("208", 60), L("05", 85), L("行政事业单位养老支出", 150), R("1,554,220.00", 402), R("1,554,220.00", 462))
	p2 := newPage(10)
	p2.line(0, L("208", 60), L("05", 85), L("01", 110), L("行政单位离退休", 150), R("1,554,220.00", 402), R("1,554,220.00", 462))
	p2.line(0, L("合计", 150), R("83,651,017.42", 400), R("83,651,017.42", 462))
	tb := one(t, p1.page, p2.page)
	v := func(a string) map[string]string { return vals("total", a, "fiscal", a) }
	checkRows(t, tb, []rowSpec{
		{"", "201", "一般公共服务支出", v("82096797.42")},
		{"", "20103", "政府办公厅（室）及相关机构事务", v("82096797.42")},
		{"", "2010301", "行政运行", v("82096797.42")},
		{"", "208", "社会保障和就业支出", v("1554220.00")},
		{"", "20805", "行政事业单位养老支出", v("1554220.00")},
		{"", "2080501", "行政单位离退休", v("1554220.00")},
		{"", "", "合计", v("83651017.42")},
	})
}

// at adds a line with its baseline at y.
func (b *pageBuilder) at(y float64, items ...item) *pageBuilder {
	b.y = y
	return b.line(1, items...)
}

// Class 2: a two-row header with spans (本年收入 over the sources, 上年结转
// alone at the right, set on the upper line): the carry-over amounts,
// reaching to the left under 单位资金's heading, stay 上年结转's.
func TestSpannedHeaderCarryover(t *testing.T) {
	b := newPage(4)
	b.line(0, L("收入总表", 200))
	b.line(0, L("单位：万元", 480))
	b.line(0, L("项目", 60), L("合计", 150), L("本年收入", 300), L("上年结转", 505))
	b.line(0, L("一般公共预算", 190), L("政府性基金", 252), L("国有资本经营预算", 306), L("财政专户管理资金", 382), L("单位资金", 450))
	b.line(0, L("合计", 60), R("13,580.67", 185), R("1,235.00", 244), R("12,345.67", 545))
	b.line(0, L("某某局", 60), R("13,580.67", 185), R("1,235.00", 244), R("12,345.67", 545))
	tb := one(t, b.page)
	want := []string{"total", "gpb", "fund", "soe", "special", "unit", "carryover"}
	if !slices.Equal(tb.Columns, want) {
		t.Errorf("columns %v, want %v", tb.Columns, want)
	}
	checkRows(t, tb, []rowSpec{
		{"", "", "合计", vals("total", "13580.67", "gpb", "1235.00", "carryover", "12345.67")},
		{"", "", "某某局", vals("total", "13580.67", "gpb", "1235.00", "carryover", "12345.67")},
	})
}

// Class 2: the side headings of a two-sided table (本年收入 over the income
// side) are no column of their own.
func TestSideHeadingNoColumn(t *testing.T) {
	b := newPage(10)
	b.line(0, L("2026年部门财务收支预算总表", 200))
	b.line(0, L("单位：元", 480))
	b.line(0, L("本年收入", 140), L("本年支出", 400))
	b.line(0, L("项目", 60), L("预算数", 235), L("项目", 300), L("预算数", 470))
	b.line(0, L("一、财政拨款收入", 40), R("96,282,213.44", 285), L("一、公共安全支出", 300), R("96,282,213.44", 520))
	b.line(0, L("收入总计", 60), R("96,282,213.44", 285), L("支出总计", 320), R("96,282,213.44", 520))
	tb := one(t, b.page)
	if !slices.Equal(tb.Columns, []string{"amount", "total"}) {
		t.Errorf("columns %v, want [amount total]", tb.Columns)
	}
	inc, exp := yusuan.SideIncome, yusuan.SideExpenditure
	checkRows(t, tb, []rowSpec{
		{inc, "", "一、财政拨款收入", vals("amount", "96282213.44")},
		{exp, "", "一、公共安全支出", vals("total", "96282213.44")},
		{inc, "", "收入总计", vals("amount", "96282213.44")},
		{exp, "", "支出总计", vals("total", "96282213.44")},
	})
	if len(tb.Doubts) != 0 {
		t.Errorf("doubts %+v", tb.Doubts)
	}
}

// Class 2: a header repeated atop every page of a long table (its upper line
// the first line of the page, as a running head would be) is read whole on
// every page: no column keyed by a heading fragment (预算拨款收入).
func TestRepeatedHeaderAtPageTop(t *testing.T) {
	var pages []layout.Page
	for n := 13; n <= 16; n++ {
		b := newPage(n)
		if n == 13 {
			b.line(0, L("2026年部门收入总体情况表", 200))
			b.line(0, L("单位：万元", 480))
		}
		b.line(0, L("科目", 150), L("一般公共", 240), L("政府性基", 300))
		b.line(0, L("总计", 180), L("预算拨款", 240), L("金预算拨", 300))
		b.line(0, L("科目编码", 60), L("科目名称", 120), L("收入", 250), L("款收入", 300))
		b.line(0, L(fmt.Sprint(200+n), 60), L("某某支出", 120), R("59.56", 215), R("59.56", 280), R("0.00", 340))
		pages = append(pages, b.page)
	}
	tb := one(t, pages...)
	if !slices.Equal(tb.Columns, []string{"total", "gpb", "fund"}) {
		t.Errorf("columns %v, want [total gpb fund]", tb.Columns)
	}
	for _, r := range tb.Rows {
		checkValues(t, r, map[string]string{"total": "59.56", "gpb": "59.56", "fund": "0.00"})
	}
}

// Class 3: an income amount run into the expenditure item beside it, the
// two set apart by a space before an ASCII parenthesis (181,184.15
// (一)一般公共服务支出) or not at all (120258,600一、…, its separators
// printed as the sheet kept them): both sides are read.
func TestTwoSidedRunTogether(t *testing.T) {
	b := newPage(16)
	b.line(0, L("2026年财政拨款收支总体情况表", 200))
	b.line(0, L("单位:万元", 480))
	b.line(0, L("收入", 100), L("支出", 380))
	b.line(0, L("项目", 100), L("预算数", 220), L("项目", 330), L("合计", 430), L("一般公共预算", 480))
	b.line(0, L("一、本年收入", 60), R("181,184.15", 275), L("一、本年支出", 280), R("181,184.15", 460), R("181,184.15", 540))
	b.line(0, L("(一)一般公共预算资金", 40), L("181,184.15 (一)一般公共服务支出", 224), R("190.63", 460), R("190.63", 540))
	b.line(0, L("(二)政府性基金预算资金", 40), L("(二)教育支出", 280), R("180,993.52", 460), R("180,993.52", 540))
	b.line(0, L("收入合计", 60), R("181,184.15", 275), L("支出合计", 300), R("181,184.15", 460), R("181,184.15", 540))
	tb := one(t, b.page)
	inc, exp := yusuan.SideIncome, yusuan.SideExpenditure
	all := "181184.15"
	checkRows(t, tb, []rowSpec{
		{inc, "", "一、本年收入", vals("amount", all)},
		{exp, "", "一、本年支出", vals("total", all, "gpb", all)},
		{inc, "", "(一)一般公共预算资金", vals("amount", all)},
		{exp, "", "(一)一般公共服务支出", vals("total", "190.63", "gpb", "190.63")},
		{inc, "", "(二)政府性基金预算资金", vals()},
		{exp, "", "(二)教育支出", vals("total", "180993.52", "gpb", "180993.52")},
		{inc, "", "收入合计", vals("amount", all)},
		{exp, "", "支出合计", vals("total", all, "gpb", all)},
	})

	b = newPage(7)
	b.line(0, L("2026年预算单位财务收支预算总表", 200))
	b.line(0, L("单位：元", 480))
	b.line(0, L("项目", 100), L("预算数", 200), L("项目", 300), L("合计", 440))
	b.line(0, L("一、财政拨款收入", 40), L("120258,600一、社会保障和就业支出", 206), R("120258,600", 480))
	b.line(0, L("四、其他收入", 40), R("7880,000", 255), L("二、卫生健康支出", 258), R("7880,000", 480))
	b.line(0, L("收入总计", 60), R("128138,600", 255), L("支出总计", 280), R("128138,600", 480))
	tb = one(t, b.page)
	checkRows(t, tb, []rowSpec{
		{inc, "", "一、财政拨款收入", vals("amount", "120258600")},
		{exp, "", "一、社会保障和就业支出", vals("total", "120258600")},
		{inc, "", "四、其他收入", vals("amount", "7880000")},
		{exp, "", "二、卫生健康支出", vals("total", "7880000")},
		{inc, "", "收入总计", vals("amount", "128138600")},
		{exp, "", "支出总计", vals("total", "128138600")},
	})
}

// Class 4: Shenzhen's coded tables print the unit's line in 预算单位 and its
// items in 科目名称 (a unit's name wrapping back to the left edge): each
// row's name is its name, none lands in name2.
func TestUnitAndItemNameColumns(t *testing.T) {
	b := newPage(19)
	b.line(0, L("支出总表", 300))
	b.line(0, L("部门名称：深圳市某某局（本级）", 40), L("单位：万元", 520))
	b.line(0, L("预算单位", 50), L("科目编码", 160), L("科目名称", 230), L("支出总计", 340), L("基本支出", 410), L("项目支出", 480))
	b.line(7, L("深圳市饮用水源保护管理办", 40))
	b.line(7, R("5,417.80", 380), R("4,104.00", 450), R("1,313.80", 520))
	b.line(0, L("公室", 20))
	b.line(0, L("201", 160), L("一般公共服务支出", 230), R("5,417.80", 380), R("4,104.00", 450), R("1,313.80", 520))
	b.line(0, L("20105", 160), L("统计信息事务", 230), R("5,417.80", 380), R("4,104.00", 450), R("1,313.80", 520))
	tb := one(t, b.page)
	v := vals("total", "5417.80", "basic", "4104.00", "project", "1313.80")
	checkRows(t, tb, []rowSpec{
		{"", "", "深圳市饮用水源保护管理办公室", v},
		{"", "201", "一般公共服务支出", v},
		{"", "20105", "统计信息事务", v},
	})
	for _, r := range tb.Rows {
		if r.Name2 != "" {
			t.Errorf("row %q: name2 %q", r.Name, r.Name2)
		}
	}
}

// Class 5: Guangzhou's project tables set each row's cells centred on its
// amounts: a name over two or three lines, a 绩效目标 over many, running
// into the next row's without a gap. Each row keeps its whole name and its
// whole 绩效目标, and no fragment becomes a row.
func TestCentredTallRows(t *testing.T) {
	b := newPage(29)
	b.line(0, L("部门预算项目支出及其他支出预算表", 200))
	b.line(0, L("单位：万元", 480))
	b.line(0, L("支出项目类别", 60), L("总计", 190), L("一般公共预算", 250), L("绩效目标", 400))
	name, goal, amt := 40.0, 340.0, func(v string) []item { return []item{R(v, 220), R(v, 310)} }
	// Row 1: name over two lines around its amounts, 绩效目标 over three.
	b.at(700, L("故障排除速度：24小时内；维护工作按时完成率达百分之百", goal))
	b.at(692.75, L("广州市司法局2021年信", name+25))
	b.at(685.5, append(amt("343.60"), L("正常运行率：百分之九十九；故障响应率：百分之百；", goal))...)
	b.at(678.25, L("息化运维服务项目", name))
	b.at(671, L("用户满意度达标。", goal))
	// Row 2: name over three lines, the middle one with the amounts.
	b.at(656.5, L("2017年广州市强制隔离", name+25), L("在统一标准、互联互通、安全可靠的基础上，以各种资", goal))
	b.at(642, append([]item{L("戒毒场所内部视频监控系统", name)}, append(amt("95.41"), L("源的整合，融合为手段，搭建戒毒局内部视频监控系统", goal))...)...)
	b.at(627.5, L("高清数字化升级改造项目", name), L("平台建设水平达到国内领先的水平。", goal))
	// Row 3: name over two lines, 绩效目标 over five.
	b.at(613, L("根据《全国司法行政信息化发展规划》、“数字法治智慧", goal))
	b.at(598.5, L("司法”信息化体系建设实施方案、《广东省司法行政系统", goal))
	b.at(591.25, L("广州新华监狱信息化建", name+25))
	b.at(584, append(amt("196.57"), L("信息化发展规划纲要》以及《信息化建设三年规划》等", goal))...)
	b.at(576.75, L("设项目", name))
	b.at(569.5, L("文件对建设数字化监狱的要求，运用物联网、大数据分析", goal))
	b.at(555, L("等技术，建设监狱业务平台。", goal))
	tb := one(t, b.page)
	want := []struct{ name, goal, v string }{
		{"广州市司法局2021年信息化运维服务项目", "故障排除速度：24小时内；维护工作按时完成率达百分之百正常运行率：百分之九十九；故障响应率：百分之百；用户满意度达标。", "343.60"},
		{"2017年广州市强制隔离戒毒场所内部视频监控系统高清数字化升级改造项目", "在统一标准、互联互通、安全可靠的基础上，以各种资源的整合，融合为手段，搭建戒毒局内部视频监控系统平台建设水平达到国内领先的水平。", "95.41"},
		{"广州新华监狱信息化建设项目", "根据《全国司法行政信息化发展规划》、“数字法治智慧司法”信息化体系建设实施方案、《广东省司法行政系统信息化发展规划纲要》以及《信息化建设三年规划》等文件对建设数字化监狱的要求，运用物联网、大数据分析等技术，建设监狱业务平台。", "196.57"},
	}
	if len(tb.Rows) != len(want) {
		for _, r := range tb.Rows {
			t.Logf("  %q %q %v", r.Name, r.Name2, values(r))
		}
		t.Fatalf("%d rows, want %d", len(tb.Rows), len(want))
	}
	for i, w := range want {
		r := tb.Rows[i]
		if r.Name != w.name || r.Name2 != w.goal {
			t.Errorf("row %d: %q / %q, want %q / %q", i, r.Name, r.Name2, w.name, w.goal)
		}
		checkValues(t, r, map[string]string{"total": w.v, "gpb": w.v})
	}
}

// Class 5: procurement tables print several text columns side by side;
// each keeps its own text (printed, keyed by its heading) instead of all
// of them running together in one name.
func TestProcurementTextColumns(t *testing.T) {
	b := newPage(20)
	b.line(0, L("政府采购支出预算表", 200))
	b.line(0, L("单位：万元", 480))
	b.line(0, L("采购品目大类", 30), L("专项名称", 120), L("经济科目", 230), L("采购品目名称", 330), L("采购组织形式", 430), L("总计", 530))
	b.line(0, L("合计", 30), R("268.00", 560))
	b.line(0, L("一、货物A", 30), R("268.00", 560))
	b.line(0, L("信息系统运行维护费", 120), L("信息网络及软件购置更新", 230), R("60.00", 560))
	b.line(0, L("PC服务器", 330), L("部门集中采购", 430), R("40.00", 560))
	b.line(0, L("台式计算机（20万以下）", 330), L("分散自行组织", 430), R("20.00", 560))
	tb := one(t, b.page)
	if !slices.Equal(tb.Columns, []string{"专项名称", "经济科目", "采购品目名称", "采购组织形式", "总计"}) {
		t.Errorf("columns %v", tb.Columns)
	}
	want := []struct {
		name string
		raw  map[string]string
		v    string
	}{
		{"合计", nil, "268.00"},
		{"一、货物A", nil, "268.00"},
		{"", map[string]string{"专项名称": "信息系统运行维护费", "经济科目": "信息网络及软件购置更新"}, "60.00"},
		{"", map[string]string{"采购品目名称": "PC服务器", "采购组织形式": "部门集中采购"}, "40.00"},
		{"", map[string]string{"采购品目名称": "台式计算机（20万以下）", "采购组织形式": "分散自行组织"}, "20.00"},
	}
	if len(tb.Rows) != len(want) {
		t.Fatalf("rows %+v", tb.Rows)
	}
	for i, w := range want {
		r := tb.Rows[i]
		if r.Name != w.name || r.Name2 != "" {
			t.Errorf("row %d: name %q name2 %q, want %q", i, r.Name, r.Name2, w.name)
		}
		for k, v := range w.raw {
			if r.Raw[k] != v {
				t.Errorf("row %d: %s = %q, want %q (raw %v)", i, k, r.Raw[k], v, r.Raw)
			}
		}
		checkValues(t, r, map[string]string{"总计": w.v})
	}
}

// Class 6: Xi'an's 收支总表 prints income and three expenditure panels side
// by side (功能分类, 部门经济分类, 政府经济分类), each with its names and
// amounts: each panel's line is a row of its own, with its own amounts.
func TestFourPanelSummary(t *testing.T) {
	b := newPage(42)
	b.line(0, L("2022年部门综合预算收支总表", 300))
	b.line(0, L("金额单位：元", 700))
	b.line(0, L("收入", 100), L("支出", 500))
	b.line(0, L("项目", 60), L("预算数", 180), L("支出功能分科目", 240), L("预算数", 380), L("部门预算支出经济科目", 430), L("预算数", 590), L("政府预算支出经济分类科目", 640), L("预算数", 790))
	b.line(0, L("一、部门预算", 40), R("9,366.00", 220), L("一、部门预算", 240), R("9,366.00", 420), L("一、部门预算", 430), R("9,366.00", 630), L("一、部门预算", 640), R("9,366.00", 830))
	b.line(0, L("1、财政拨款", 40), R("9,366.00", 220), L("1、一般公共服务支出", 240), L("1、人员经费和公用经费支出", 430), R("471.00", 630), L("1、机关工资福利支出", 640), R("134.00", 830))
	b.line(0, L("2、上级补助收入", 40), L("2、科学技术支出", 240), R("9,366.00", 420), L("2、专项业务经费支出", 430), R("8,895.00", 630), L("2、对企业补助", 640), R("9,232.00", 830))
	b.line(0, L("收入总计", 40), R("9,366.00", 220), L("支出总计", 240), R("9,366.00", 420), L("支出总计", 430), R("9,366.00", 630), L("支出总计", 640), R("9,366.00", 830))
	tb := one(t, b.page)
	inc, exp := yusuan.SideIncome, yusuan.SideExpenditure
	all := "9366.00"
	checkRows(t, tb, []rowSpec{
		{inc, "", "一、部门预算", vals("amount", all)},
		{exp, "", "一、部门预算", vals("total", all)},
		{exp, "", "一、部门预算", vals("budget", all)},
		{exp, "", "一、部门预算", vals("budget_2", all)},
		{inc, "", "1、财政拨款", vals("amount", all)},
		{exp, "", "1、一般公共服务支出", vals()},
		{exp, "", "1、人员经费和公用经费支出", vals("budget", "471.00")},
		{exp, "", "1、机关工资福利支出", vals("budget_2", "134.00")},
		{inc, "", "2、上级补助收入", vals()},
		{exp, "", "2、科学技术支出", vals("total", all)},
		{exp, "", "2、专项业务经费支出", vals("budget", "8895.00")},
		{exp, "", "2、对企业补助", vals("budget_2", "9232.00")},
		{inc, "", "收入总计", vals("amount", all)},
		{exp, "", "支出总计", vals("total", all)},
		{exp, "", "支出总计", vals("budget", all)},
		{exp, "", "支出总计", vals("budget_2", all)},
	})
}

// A final account's 基本支出决算表 printed as three panels side by side
// (人员经费's 301/303 left, 公用经费's 302 and its 307/310 continued in a
// third panel), 公用经费合计 printed under the second panel's names with
// its amount in the third panel's column: each panel's rows in turn, each
// code an economic code, the total whole.
func TestThreeEconomicPanels(t *testing.T) {
	b := newPage(12)
	b.page.Width = 820
	b.line(0, L("一般公共预算财政拨款基本支出决算表", 300))
	b.line(0, L("金额单位：万元", 700))
	b.line(0, L("人员经费", 150), L("公用经费", 520))
	b.line(0, L("科目代码", 40), L("科目名称", 120), L("决算数", 255), L("科目代码", 300), L("科目名称", 380), L("决算数", 490),
		L("科目代码", 535), L("科目名称", 610), L("决算数", 760))
	b.line(0, L("301", 40), L("工资福利支出", 80), R("6,982.75", 292), L("302", 303), L("商品和服务支出", 353), R("2,239.41", 528),
		L("310", 535), L("资本性支出", 580), R("27.24", 802))
	b.line(0, L("30101", 40), L("基本工资", 80), R("1,857.40", 292), L("30201", 303), L("办公费", 353), R("83.92", 528),
		L("31002", 535), L("办公设备购置", 580), R("24.67", 802))
	b.line(0, L("30108", 40), L("机关事业单位基本养老保险缴费", 80), R("659.05", 292))
	b.line(0, L("人员经费合计", 80), R("7,967.72", 292), L("公用经费合计", 353), R("2,266.65", 802))
	tb := one(t, b.page)
	var got []string
	for _, r := range tb.Rows {
		got = append(got, r.EconCode+" "+r.Name+" "+r.Values["actual"].String())
	}
	want := []string{"301 工资福利支出 6982.75", "30101 基本工资 1857.40", "30108 机关事业单位基本养老保险缴费 659.05", " 人员经费合计 7967.72",
		"302 商品和服务支出 2239.41", "30201 办公费 83.92", " 公用经费合计 2266.65",
		"310 资本性支出 27.24", "31002 办公设备购置 24.67"}
	if !slices.Equal(got, want) || !slices.Equal(tb.Columns, []string{"actual"}) {
		t.Errorf("columns %v rows\n%q\nwant\n%q", tb.Columns, got, want)
	}
}

// Jiangsu's 收入预算总表 prints each source once, centred in a cell merged
// over its 小计 and items (rules across the name column only between the
// sources): every row of the cell carries the source's name, the 小计
// too, and a cell without amounts keeps its rows as read.
func TestMergedFirstNames(t *testing.T) {
	b := newPage(2)
	b.line(0, L("收入预算总表", 250))
	b.line(0, L("部门：江苏省某某厅", 40), L("单位：万元", 480))
	b.line(0, L("项目名称", 150), L("金额", 480))
	b.hrule(40, 520).line(0, L("收入总计", 200), R("9,146.79", 520))
	b.hrule(40, 520).line(0, L("小计", 200), R("9,066.79", 520))
	b.hrule(190, 520).line(0, L("一般公共预算资金", 50), L("公共财政拨款(补助)资金", 200), R("9,066.79", 520))
	b.hrule(40, 520).line(0, L("小计", 200), R("80.00", 520))
	b.hrule(190, 520).line(0, L("事业收入", 200), R("0.00", 520))
	b.hrule(190, 520).line(0, L("其他资金", 50), L("经营收入", 200), R("0.00", 520))
	b.hrule(190, 520).line(0, L("其他收入", 200), R("80.00", 520))
	b.hrule(40, 520)
	tb := one(t, b.page)
	type names struct{ name, name2 string }
	var got []names
	for _, r := range tb.Rows {
		got = append(got, names{r.Name, r.Name2})
	}
	want := []names{{"收入总计", ""}, {"一般公共预算资金", "小计"}, {"一般公共预算资金", "公共财政拨款(补助)资金"},
		{"其他资金", "小计"}, {"其他资金", "事业收入"}, {"其他资金", "经营收入"}, {"其他资金", "其他收入"}}
	if !slices.Equal(got, want) {
		t.Errorf("rows\n%q\nwant\n%q", got, want)
	}

	// Without rules nothing tells where a cell ends: rows stay as read.
	b = newPage(2)
	b.line(0, L("收入预算总表", 250))
	b.line(0, L("部门：江苏省某某厅", 40), L("单位：万元", 480))
	b.line(0, L("项目名称", 150), L("金额", 480))
	b.line(0, L("小计", 200), R("80.00", 520))
	b.line(0, L("其他资金", 50), L("经营收入", 200), R("0.00", 520))
	b.line(0, L("其他收入", 200), R("80.00", 520))
	for _, r := range one(t, b.page).Rows {
		if r.Name2 == "其他收入" && r.Name != "" || r.Name2 == "小计" {
			t.Errorf("unruled: row %q %q given a name", r.Name, r.Name2)
		}
	}
}
