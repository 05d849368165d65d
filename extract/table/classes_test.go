package table

import (
	"testing"

	"yusuan"
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

// Class 1: 类/款/项 printed in three code columns; the next page carries on
// without the header and lays its columns out a little further right (the
// sheet printed to fit each page). Codes keep their three parts and the
// name stays a name.
func TestSplitCodesOnContinuationPage(t *testing.T) {
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

// Class 1, as Shanghai prints it: amounts in 元 so wide that the widest of
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
