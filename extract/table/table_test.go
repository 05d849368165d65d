package table

import (
	"context"
	"strings"
	"testing"

	"yusuan"
	"yusuan/extract/layout"
	"yusuan/extract/textlayer"
)

// pageBuilder lays out synthetic lines as the layout package would.
type pageBuilder struct {
	page  layout.Page
	size  float64
	y     float64
	pitch float64
}

func newPage(n int) *pageBuilder {
	return &pageBuilder{page: layout.Page{Number: n, Width: 595, Height: 842}, size: 9, y: 800, pitch: 20}
}

// seg makes a segment starting at x (left) with CJK glyphs one em wide and
// others 0.55 em.
func seg(text string, x, y, size float64) layout.Segment {
	s := layout.Segment{Text: text, X0: x, Y0: y - 0.15*size, Y1: y + 0.85*size, Size: size}
	cx := x
	for _, r := range text {
		s.Xs = append(s.Xs, cx)
		if isWide(r) {
			cx += size
		} else {
			cx += 0.55 * size
		}
	}
	s.X1 = cx
	return s
}

// width of text as seg lays it out.
func width(text string, size float64) float64 {
	s := seg(text, 0, 0, size)
	return s.X1
}

// item places text left-aligned at x, or right-aligned ending at x when
// right is set.
type item struct {
	text  string
	x     float64
	right bool
}

func L(text string, x float64) item { return item{text, x, false} }
func R(text string, x float64) item { return item{text, x, true} }

// line adds a line at the current y and moves down by dy (pitch when 0).
func (b *pageBuilder) line(dy float64, items ...item) *pageBuilder {
	var l layout.Line
	for _, it := range items {
		x := it.x
		if it.right {
			x -= width(it.text, b.size)
		}
		l.Segments = append(l.Segments, seg(it.text, x, b.y, b.size))
	}
	l.X0, l.Y0, l.X1, l.Y1 = l.Segments[0].X0, l.Segments[0].Y0, l.Segments[len(l.Segments)-1].X1, l.Segments[0].Y1
	l.Baseline = b.y
	b.page.Lines = append(b.page.Lines, l)
	if dy == 0 {
		dy = b.pitch
	}
	b.y -= dy
	return b
}

func (b *pageBuilder) hrule(x0, x1 float64) *pageBuilder {
	y := b.y + b.pitch/2 + 2
	b.page.Rules = append(b.page.Rules, textlayer.Rule{X0: x0, Y0: y, X1: x1, Y1: y})
	return b
}

func values(r yusuan.Row) map[string]string {
	out := map[string]string{}
	for k, v := range r.Values {
		if !v.IsNull() {
			out[k] = v.String()
		}
	}
	return out
}

func findRow(t *testing.T, tb yusuan.Table, side yusuan.Side, name string) yusuan.Row {
	t.Helper()
	for _, r := range tb.Rows {
		if r.Name == name && r.Side == side {
			return r
		}
	}
	t.Fatalf("table %s: no row %q (side %q); rows: %+v", tb.Kind, name, side, tb.Rows)
	return yusuan.Row{}
}

func checkValues(t *testing.T, r yusuan.Row, want map[string]string) {
	t.Helper()
	got := values(r)
	if len(got) != len(want) {
		t.Errorf("row %q: values %v, want %v", r.Name, got, want)
		return
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("row %q: %s = %q, want %q (all %v)", r.Name, k, got[k], v, got)
		}
	}
}

func one(t *testing.T, pages ...layout.Page) yusuan.Table {
	t.Helper()
	tables, _, warns := Extract(context.Background(), pages)
	if len(tables) != 1 {
		t.Fatalf("got %d tables (%v), want 1", len(tables), warns)
	}
	return tables[0]
}

// Stream layout (no ruling lines), right-aligned amounts, a name wrapped
// over three lines around its amounts, a group header over three columns.
func TestStreamExpenditureSummary(t *testing.T) {
	b := newPage(7)
	b.line(0, L("预算公开表3", 60))
	b.line(0, L("2026年预算支出总表", 200))
	b.line(0, L("单位名称：某局", 60), L("单位：万元", 480))
	b.line(0, L("项目", 100), L("2026年预算数", 360))
	b.line(0, L("科目编码", 60), L("科目名称", 130), L("合计", 330), L("基本支出", 400), L("项目支出", 480))
	b.line(0, L("合计", 60), R("108.22", 350), R("97.42", 430), R("10.80", 510))
	b.line(0, L("211", 60), L("节能环保支出", 110), R("1,075.79", 350), R("64.99", 430), R("10.80", 510))
	b.line(6, L("机关事业单位基本养老保险缴", 110))
	b.line(6, L("2080505", 60), R("8.15", 350), R("8.15", 430))
	b.line(0, L("费支出", 110))
	b.line(0, L("2110102", 60), L("一般行政管理事务", 110), R("0.00", 350), R("-", 430), R("10.80", 510))
	tb := one(t, b.page)
	if tb.Kind != yusuan.ExpenditureSummary || tb.Label != "预算公开表3" || tb.Unit != "万元" || tb.Empty {
		t.Fatalf("table %+v", tb)
	}
	if got := tb.Columns; len(got) != 3 || got[0] != "total" || got[1] != "basic" || got[2] != "project" {
		t.Fatalf("columns %v", got)
	}
	if len(tb.Rows) != 4 {
		t.Fatalf("rows %+v", tb.Rows)
	}
	checkValues(t, findRow(t, tb, "", "合计"), map[string]string{"total": "108.22", "basic": "97.42", "project": "10.80"})
	r := findRow(t, tb, "", "节能环保支出")
	if r.CodeString() != "211" || r.Level != 1 || r.Page != 7 || r.Raw["total"] != "1,075.79" {
		t.Errorf("row %+v", r)
	}
	checkValues(t, r, map[string]string{"total": "1075.79", "basic": "64.99", "project": "10.80"})
	r = findRow(t, tb, "", "机关事业单位基本养老保险缴费支出")
	if r.CodeString() != "2080505" || r.Level != 3 {
		t.Errorf("wrapped row %+v", r)
	}
	checkValues(t, r, map[string]string{"total": "8.15", "basic": "8.15"})
	r = findRow(t, tb, "", "一般行政管理事务")
	checkValues(t, r, map[string]string{"total": "0.00", "project": "10.80"})
	if _, ok := r.Boxes["project"]; !ok || r.BBox == nil {
		t.Errorf("boxes missing: %+v", r)
	}
}

// Two-sided 收支总表 with touching cells (108.22一、一般公共服务支出) and a
// header run together (2026年合计当年预算安排上年结转安排).
func TestTwoSided(t *testing.T) {
	b := newPage(5)
	b.line(0, L("2026年预算收支总表", 200))
	b.line(0, L("单位：万元", 60))
	b.line(0, L("收入", 60), L("支出", 190))
	b.line(0, L("项目", 60), L("2026年", 154), L("项目", 200), L("2026年合计", 320), L("当年预算安排", 374), L("上年结转安排", 430))
	b.line(0, L("一、一般公共预算", 60), L("108.22一、一般公共服务支出", 154), L("0.13", 320), L("0.13", 374))
	b.line(0, L("二、政府性基金预算", 60), L("二、外交支出", 190))
	b.line(0, L("本年收入合计", 60), L("108.22", 154), L("本年支出合计", 190), L("108.22", 320), L("108.22", 374))
	b.line(0, L("收入总计", 60), L("108.22", 154), L("支出总计", 190), L("108.22", 320), L("108.22", 374))
	tb := one(t, b.page)
	if tb.Kind != yusuan.IncomeExpenditureSummary {
		t.Fatalf("kind %s", tb.Kind)
	}
	want := []string{"amount", "total", "current", "carryover"}
	if len(tb.Columns) != len(want) {
		t.Fatalf("columns %v, want %v", tb.Columns, want)
	}
	for i := range want {
		if tb.Columns[i] != want[i] {
			t.Fatalf("columns %v, want %v", tb.Columns, want)
		}
	}
	checkValues(t, findRow(t, tb, yusuan.SideIncome, "一、一般公共预算"), map[string]string{"amount": "108.22"})
	checkValues(t, findRow(t, tb, yusuan.SideExpenditure, "一、一般公共服务支出"), map[string]string{"total": "0.13", "current": "0.13"})
	checkValues(t, findRow(t, tb, yusuan.SideExpenditure, "二、外交支出"), map[string]string{})
	checkValues(t, findRow(t, tb, yusuan.SideIncome, "收入总计"), map[string]string{"amount": "108.22"})
	checkValues(t, findRow(t, tb, yusuan.SideExpenditure, "支出总计"), map[string]string{"total": "108.22", "current": "108.22"})
}

// Codes printed over 类/款/项 columns, and a code printed with its name.
func TestSplitCodes(t *testing.T) {
	b := newPage(3)
	b.line(0, L("表五", 60))
	b.line(0, L("一般公共预算支出表", 200))
	b.line(0, L("单位：元", 60))
	b.line(0, L("科目编码", 60), L("科目名称", 150), L("合计", 330), L("基本支出", 400), L("项目支出", 480))
	b.line(0, L("类", 60), L("款", 85), L("项", 110))
	b.line(0, L("201", 60), L("一般公共服务支出", 150), R("1300.00", 350), R("1300.00", 430))
	b.line(0, L("201", 60), L("01", 85), L("人大事务", 150), R("1300.00", 350), R("1300.00", 430))
	b.line(0, L("201", 60), L("01", 85), L("01", 110), L("行政运行", 150), R("1300.00", 350), R("1300.00", 430))
	tb := one(t, b.page)
	if tb.Kind != yusuan.GeneralBudgetExpenditure || tb.Label != "表五" || tb.Unit != "元" {
		t.Fatalf("table %+v", tb)
	}
	r := findRow(t, tb, "", "行政运行")
	if r.CodeString() != "2010101" || r.Level != 3 {
		t.Errorf("row %+v", r)
	}
	if r := findRow(t, tb, "", "人大事务"); r.CodeString() != "20101" || r.Level != 2 {
		t.Errorf("row %+v", r)
	}

	// Children printing only their own digits, indented under the parent.
	b = newPage(5)
	b.line(0, L("支出总体情况表", 200))
	b.line(0, L("科目编码", 60), L("科目名称", 150), L("合计", 330), L("基本支出", 400), L("项目支出", 480))
	b.line(0, L("201", 60), L("一般公共服务支出", 150), R("1,506.40", 350), R("1,506.40", 430))
	b.line(0, L("05", 66), L("统计信息事务", 150), R("1,506.40", 350), R("1,506.40", 430))
	b.line(0, L("01", 72), L("行政运行", 150), R("588.75", 350), R("588.75", 430))
	b.line(0, L("02", 72), L("一般行政管理事务", 150), R("917.65", 350), R("917.65", 430))
	b.line(0, L("208", 60), L("社会保障和就业支出", 150), R("3.00", 350), R("3.00", 430))
	b.line(0, L("05", 66), L("行政事业单位养老支出", 150), R("3.00", 350), R("3.00", 430))
	tb = one(t, b.page)
	for name, code := range map[string]string{"统计信息事务": "20105", "行政运行": "2010501", "一般行政管理事务": "2010502", "行政事业单位养老支出": "20805"} {
		if r := findRow(t, tb, "", name); r.CodeString() != code {
			t.Errorf("%s: code %q, want %s", name, r.CodeString(), code)
		}
	}

	b = newPage(4)
	b.line(0, L("预算05表一般公共预算支出表", 200))
	b.line(0, L("金额单位：万元", 400))
	b.line(0, L("功能分类科目", 60), L("合计", 330), L("基本支出", 400), L("项目支出", 480))
	b.line(0, L("2050803-培训支出", 60), R("3.50", 350), R("3.50", 430))
	tb = one(t, b.page)
	r = findRow(t, tb, "", "培训支出")
	if r.CodeString() != "2050803" || tb.Label != "预算05表" {
		t.Errorf("row %+v label %q", r, tb.Label)
	}
}

// Lattice: tightly spaced rows that only ruling lines separate, and a name
// wrapped inside its cell.
func TestLatticeRows(t *testing.T) {
	tb := one(t, latticePage())
	if tb.Kind != yusuan.AdminOperating {
		t.Fatalf("kind %s", tb.Kind)
	}
	names := []string{}
	for _, r := range tb.Rows {
		names = append(names, r.Name)
	}
	want := []string{"部门合计", "某某市某某局下属的某某中心", "办公室", "某某所"}
	if len(names) != len(want) {
		t.Fatalf("rows %q, want %q", names, want)
	}
	for i := range want {
		if names[i] != want[i] {
			t.Fatalf("rows %q, want %q", names, want)
		}
	}
	checkValues(t, tb.Rows[1], map[string]string{"total": "10.00", "gpb": "10.00"})
}

// A table continued on the next page with its header repeated, and a
// continuation page holding only the 合计 row.
func TestSpanningPages(t *testing.T) {
	p1 := newPage(10)
	p1.line(0, L("2026年预算支出总表", 200))
	p1.line(0, L("单位：万元", 60))
	p1.line(0, L("科目编码", 60), L("科目名称", 130), L("合计", 330), L("基本支出", 400), L("项目支出", 480))
	p1.line(0, L("201", 60), L("一般公共服务支出", 110), R("0.13", 350), R("0.13", 430))
	p2 := newPage(11)
	p2.line(0, L("科目编码", 60), L("科目名称", 130), L("合计", 330), L("基本支出", 400), L("项目支出", 480))
	p2.line(0, L("208", 60), L("社会保障和就业支出", 110), R("21.61", 350), R("21.61", 430))
	p3 := newPage(12)
	p3.line(0, L("合计", 60), R("21.74", 350), R("21.74", 430))
	p3.line(0, L("第三部分 情况说明", 60))
	p3.line(0, L("一、收支预算情况说明：2026年度本单位收入预算21.74万元，全部为一般公共预算。", 60))
	tables, pages, _ := Extract(context.Background(), []layout.Page{p1.page, p2.page, p3.page})
	if len(tables) != 1 {
		t.Fatalf("%d tables", len(tables))
	}
	tb := tables[0]
	if len(tb.Pages) != 3 || len(tb.Rows) != 3 {
		t.Fatalf("pages %v rows %+v", tb.Pages, tb.Rows)
	}
	// Page 12 holds one table line and two of prose: the narrative's page.
	if !pages[10] || !pages[11] || pages[12] {
		t.Errorf("table pages %v, want 10 and 11", pages)
	}
	checkValues(t, findRow(t, tb, "", "合计"), map[string]string{"total": "21.74", "basic": "21.74"})
	if r := findRow(t, tb, "", "合计"); r.Page != 12 {
		t.Errorf("合计 on page %d", r.Page)
	}
}

// Empty tables: 注：本表无数据, and a header with an empty 合计.
func TestEmptyTables(t *testing.T) {
	b := newPage(12)
	b.line(0, L("2026年政府性基金预算支出表（不含上年结转）", 150))
	b.line(0, L("单位：万元", 60))
	b.line(0, L("科目编码", 60), L("科目名称", 130), L("合计", 330), L("基本支出", 400), L("项目支出", 480))
	b.line(0, L("合计", 60))
	b.line(0, L("注：本表无数据", 60))
	b.line(0, L("2026年财政拨款安排“三公”经费支出预算表", 150))
	b.line(0, L("单位：万元", 60))
	b.line(0, L("项目", 60), L("合计", 330), L("一般公共预算", 400))
	b.line(0, L("合计", 60))
	tables, _, _ := Extract(context.Background(), []layout.Page{b.page})
	if len(tables) != 2 {
		t.Fatalf("%d tables", len(tables))
	}
	for _, tb := range tables {
		if !tb.Empty {
			t.Errorf("%s not empty: %+v", tb.Kind, tb)
		}
	}
	if tables[0].Kind != yusuan.GovFundExpenditure || tables[1].Kind != yusuan.ThreePublic {
		t.Errorf("kinds %s %s", tables[0].Kind, tables[1].Kind)
	}
}

// A note saying 本表无数据 under nonzero figures keeps both (the document
// contradicts itself; check reports it); under zeros the table is empty.
func TestEmptyNoteOverFigures(t *testing.T) {
	for _, c := range []struct {
		total string
		rows  int
	}{{"5.00", 1}, {"0.00", 0}} {
		b := newPage(12)
		b.line(0, L("2026年政府性基金预算支出表", 150))
		b.line(0, L("单位：万元", 60))
		b.line(0, L("科目编码", 60), L("科目名称", 130), L("合计", 330), L("基本支出", 400), L("项目支出", 480))
		b.line(0, L("合计", 60), R(c.total, 350), R(c.total, 430))
		b.line(0, L("注：本表无数据", 60))
		tb := one(t, b.page)
		if !tb.Empty || len(tb.Rows) != c.rows {
			t.Errorf("合计 %s: empty %v, rows %+v", c.total, tb.Empty, tb.Rows)
		}
	}
}

// Titles in a table of contents and in prose are not tables.
func TestNoTables(t *testing.T) {
	b := newPage(2)
	b.line(0, L("目录", 60))
	b.line(0, L("（一）收支总表", 60))
	b.line(0, L("（二）收入总表", 60))
	b.line(0, L("第一部分 部门概况", 60))
	b.line(0, L("本部门主要职责是贯彻执行国家有关法律法规和方针政策，负责全市相关工作。", 60))
	tables, pages, _ := Extract(context.Background(), []layout.Page{b.page})
	if len(tables) != 0 || len(pages) != 0 {
		t.Fatalf("tables %+v pages %v", tables, pages)
	}
}

func TestSplitSegment(t *testing.T) {
	cases := []struct {
		in   string
		want []string
	}{
		{"108.22一、一般公共服务支出", []string{"108.22", "一、一般公共服务支出"}},
		{"2013299其他组织事务支出", []string{"2013299", "其他组织事务支出"}},
		{"住房改革支出6.86 6.86", []string{"住房改革支出", "6.86", "6.86"}},
		{"0.130.13", []string{"0.13", "0.13"}},
		{"96,282,213.44 一、公共安全支出", []string{"96,282,213.44", "一、公共安全支出"}},
		{"1. 一般公共预算", []string{"1. 一般公共预算"}},
		{"2026年预算数", []string{"2026年预算数"}},
		{"29,569.515638一、一般公共服务支出", []string{"29,569.515638", "一、一般公共服务支出"}},
		{"民办技校补助-民", []string{"民办技校补助-民"}},
		{"181,184.15 (一)一般公共服务支出", []string{"181,184.15", "(一)一般公共服务支出"}},
		{"120258,600一、社会保障和就业支出", []string{"120258,600", "一、社会保障和就业支出"}},
		{"(二)教育支出 32,368.57", []string{"(二)教育支出", "32,368.57"}},
		{"0.001.为工作人员提供良好的履职环境", []string{"0.00", "1.为工作人员提供良好的履职环境"}},
		{"东城养护所养护169.47公里国省道", []string{"东城养护所养护169.47公里国省道"}},
		{"广州市司法局2022年-", []string{"广州市司法局2022年-"}},
		{"0.00100%；2.项目实施期间", []string{"0.00", "100%；2.项目实施期间"}},
		{"0.00km）年度费用控制", []string{"0.00", "km）年度费用控制"}},
	}
	for _, c := range cases {
		var got []string
		for _, x := range splitSegment(seg(c.in, 0, 0, 9)) {
			got = append(got, x.text)
		}
		if len(got) != len(c.want) {
			t.Errorf("split %q = %q, want %q", c.in, got, c.want)
			continue
		}
		for i := range got {
			if got[i] != c.want[i] {
				t.Errorf("split %q = %q, want %q", c.in, got, c.want)
			}
		}
	}
}

func BenchmarkExtract(b *testing.B) {
	var pages []layout.Page
	for n := 1; n <= 20; n++ {
		p := newPage(n)
		p.line(0, L("2026年预算支出总表", 200))
		p.line(0, L("单位：万元", 60))
		p.line(0, L("科目编码", 60), L("科目名称", 130), L("合计", 330), L("基本支出", 400), L("项目支出", 480))
		for i := 0; i < 35; i++ {
			p.line(0, L("2010101", 60), L("行政运行", 110), R("1,234.56", 350), R("1,000.00", 430), R("234.56", 510))
		}
		pages = append(pages, p.page)
	}
	b.ResetTimer()
	for b.Loop() {
		Extract(context.Background(), pages)
	}
}

// FuzzSplitSegment: any segment text splits into cells that keep every
// non-space rune in order.
func FuzzSplitSegment(f *testing.F) {
	for _, s := range []string{"108.22一、一般公共服务支出", "2013299其他组织事务支出", "0.130.13", "6.86 6.86", "1,2,3..4"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		cs := splitSegment(seg(s, 0, 0, 9))
		var b strings.Builder
		for _, c := range cs {
			b.WriteString(c.text)
		}
		if squeeze(b.String()) != squeeze(s) {
			t.Fatalf("split %q lost text: %q", s, b.String())
		}
	})
}

// FuzzSplitGaps: cutting at column gaps keeps every non-space rune in
// order.
func FuzzSplitGaps(f *testing.F) {
	for _, s := range []string{"323100保障单位日常业务工作正常运转", "- 按期完成", "≥4.5分", "a  b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var b strings.Builder
		for _, c := range splitGaps(seg(s, 0, 0, 9)) {
			b.WriteString(c.text)
		}
		if squeeze(b.String()) != squeeze(s) {
			t.Fatalf("split %q lost text: %q", s, b.String())
		}
	})
}
