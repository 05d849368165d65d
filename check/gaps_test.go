package check

import (
	"slices"
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
