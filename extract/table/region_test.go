package table

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"yusuan"
	"yusuan/extract/layout"
)

// extractAll runs Extract on the pages and lists the kinds and page spans
// of the tables, for exact comparison.
func extractAll(t *testing.T, pages ...*pageBuilder) []yusuan.Table {
	t.Helper()
	var ps []layout.Page
	for _, b := range pages {
		ps = append(ps, b.page)
	}
	tables, _, _ := Extract(context.Background(), ps)
	return tables
}

type tableWant struct {
	kind  yusuan.TableKind
	label string
	pages []int
	rows  int
}

func checkTables(t *testing.T, got []yusuan.Table, want []tableWant) {
	t.Helper()
	if len(got) != len(want) {
		for _, g := range got {
			t.Logf("got %s %q %q pages %v rows %d", g.Kind, g.Label, g.Title, g.Pages, len(g.Rows))
		}
		t.Fatalf("got %d tables, want %d", len(got), len(want))
	}
	for i, w := range want {
		g := got[i]
		if g.Kind != w.kind || g.Label != w.label || len(g.Rows) != w.rows || !slices.Equal(g.Pages, w.pages) {
			t.Errorf("table %d: %s %q pages %v rows %d; want %s %q pages %v rows %d",
				i, g.Kind, g.Label, g.Pages, len(g.Rows), w.kind, w.label, w.pages, w.rows)
		}
	}
}

// projectPage prints one page of a project table whose 绩效目标 column
// wraps long text, the title repeated atop the page.
func projectPage(n int, target string, rows ...[2]string) *pageBuilder {
	b := newPage(n)
	b.line(0, L("部门预算项目支出及其他支出预算表", 200))
	b.line(0, L("单位：万元", 480))
	b.line(0, L("项目名称", 40), L("总计", 180), L("一般公共预算", 250), L("绩效目标", 400))
	for _, r := range rows {
		b.line(0, L(r[0], 40), R(r[1], 220), R(r[1], 310), L(target, 400))
	}
	return b
}

// Class "cut short": a wrapped cell that starts with 注 (注量实现正增长…)
// is no note under the table, and a title repeated atop every page of a
// long table is no running head: the table runs over all its pages.
func TestTableNotCutShort(t *testing.T) {
	p1 := projectPage(24, "支持企业开展保税燃料加", [2]string{"外贸稳增长财政补助", "3,500.00"})
	p1.line(0, L("注量实现正增长。支持企业做大保税物流。", 400))
	p1.line(0, L("口岸通关工作补助", 40), R("300.00", 220), R("300.00", 310))
	p2 := projectPage(25, "促进中欧班列高质量发展", [2]string{"中欧班列发展财政补助", "6,400.00"})
	p3 := projectPage(26, "完善办公用房使用功能", [2]string{"经贸大厦维修改造工程", "411.00"})
	got := extractAll(t, p1, p2, p3)
	checkTables(t, got, []tableWant{{yusuan.ProjectCurrent, "", []int{24, 25, 26}, 4}})
	checkValues(t, findRow(t, got[0], "", "经贸大厦维修改造工程"), map[string]string{"total": "411.00", "gpb": "411.00"})
}

// Class "cut short": a performance-target form whose overall target is a
// paragraph printed across the page keeps its indicator grid below.
func TestFormParagraphKeepsGrid(t *testing.T) {
	b := newPage(28)
	b.line(0, L("表十", 40))
	b.line(0, L("2026年部门整体绩效目标表", 200))
	b.line(0, L("单位名称：某某市规划和自然资源局", 40))
	b.line(0, L("当年整体绩效目标", 220))
	b.line(0, L("一是构建高质量发展国土空间开发保护新格局，加快推进国土空间总体规划优化实施，统筹山水林田湖草沙系统保护修复。", 40))
	b.line(0, L("指标名称", 80), L("指标性质", 250), L("指标值", 320), L("计量单位", 380))
	b.line(0, L("每年开采监测覆盖面积", 80), L("≥", 250), L("8", 320), L("万平方公里", 380))
	b.line(0, L("地灾隐患点巡查覆盖率", 80), L("＝", 250), L("100", 320), L("%", 380))
	got := extractAll(t, b)
	if len(got) != 1 || got[0].Kind != yusuan.PerformanceTargets || got[0].Label != "表十" {
		t.Fatalf("tables %+v", got)
	}
	found := false
	for _, r := range got[0].Rows {
		if r.Name == "地灾隐患点巡查覆盖率" {
			found = true
		}
	}
	if !found {
		t.Errorf("the indicator grid below the paragraph is lost: rows %+v", got[0].Rows)
	}
}

// Class "wrapped titles": a label and title wrapped before 支出预算表 (a
// title of no kind by itself) and one wrapped before 算表 each start their
// own table, of the kind the whole title names, and do not swallow the
// table after them. A line of a table's own title under a table's last row
// (支出预算总表 under 结转和结余资金) is not joined to it.
func TestWrappedTitles(t *testing.T) {
	b := newPage(19)
	b.line(0, L("一般公共预算机关运行经费支出预算表", 150))
	b.line(0, L("单位：万元", 480))
	b.line(0, L("科目编码", 60), L("科目名称", 150), L("金额", 400))
	b.line(0, L("合计", 150), R("1,130.74", 440))
	b.line(0, L("302", 60), L("商品和服务支出", 150), R("1,130.74", 440))
	b.line(16, L("公开 09 表：一般公共预算“三公”经费、会议费、培训费", 90))
	b.line(0, L("支出预算表", 90))
	b.line(0, L("单位：万元", 480))
	b.line(0, L("合计", 60), L("因公出国（境）费", 150), L("公务接待费", 250), L("会议费", 350), L("培训费", 450))
	b.line(0, R("1,384.74", 100), R("100.00", 200), R("116.50", 300), R("200.44", 400), R("700.00", 500))
	b.line(16, L("十二、政府采购支出预", 90))
	b.line(0, L("算表", 90))
	b.line(0, L("单位：万元", 480))
	b.line(0, L("采购品目", 60), L("总计", 400))
	b.line(0, L("合计", 60), R("2,889.80", 440))
	b.line(16, L("其他资金", 60), L("结转和结余资金", 150))
	b.line(16, L("支出预算总表", 200))
	b.line(0, L("单位：万元", 480))
	b.line(0, L("合计", 60), L("基本支出", 200), L("项目支出", 300))
	b.line(0, R("13,649.07", 100), R("8,500.00", 240), R("5,149.07", 340))
	got := extractAll(t, b)
	checkTables(t, got, []tableWant{
		{yusuan.AdminOperating, "", []int{19}, 2},
		{yusuan.ThreePublic, "公开09表", []int{19}, 1},
		{yusuan.Procurement, "", []int{19}, 2},
		{yusuan.ExpenditureSummary, "", []int{19}, 1},
	})
	if got[1].Title != "一般公共预算“三公”经费、会议费、培训费支出预算表" {
		t.Errorf("title %q", got[1].Title)
	}
	checkValues(t, got[1].Rows[0], map[string]string{"total": "1384.74", "abroad": "100.00", "reception": "116.50", "meeting": "200.44", "training": "700.00"})
}

// A bracketed remark under a title that tells the kind (（按经济分类）) is
// part of it.
func TestTitleRemarkLine(t *testing.T) {
	b := newPage(34)
	b.line(0, L("表8", 40))
	b.line(0, L("一般公共预算支出表", 200))
	b.line(0, L("（按经济分类）", 210))
	b.line(0, L("单位：万元", 480))
	b.line(0, L("科目编码", 60), L("科目名称", 150), L("合计", 330), L("基本支出", 400), L("项目支出", 470))
	b.line(0, L("合计", 150), R("120.00", 350), R("100.00", 430), R("20.00", 500))
	b.line(0, L("301", 60), L("工资福利支出", 150), R("100.00", 350), R("100.00", 430))
	b.line(0, L("302", 60), L("商品和服务支出", 150), R("20.00", 350), R("20.00", 500))
	got := extractAll(t, b)
	checkTables(t, got, []tableWant{{yusuan.GeneralBudgetByEconomic, "表8", []int{34}, 3}})
	if r := findRow(t, got[0], "", "工资福利支出"); r.EconCode != "301" || r.Code != nil {
		t.Errorf("economic row %+v", r)
	}
}

// Class "contents taken for a table": titles listed on a contents page
// (目录) hold no table, nor does a list of titles without a 目录 heading
// (followed by a heading, then prose on the next page); the real table
// after them does.
func TestContentsAreNoTables(t *testing.T) {
	prose := func(n int) *pageBuilder {
		b := newPage(n)
		b.line(0, L("某某市审计局（单位）主要职能", 300))
		b.line(0, L("某某市审计局是主管全市审计工作的市政府组成部门。", 133))
		b.line(0, L("1、向市委审计委员会提出年度本级预算执行和其他财政收支情况审计报告。", 123))
		b.line(0, L("主要职能包括：", 123))
		b.line(0, L("项目", 123), L("合计", 200))
		return b
	}
	p2 := newPage(2)
	p2.line(0, L("目 录", 280))
	p2.line(0, L("一、单位主要职能", 54))
	p2.line(0, L("五、单位预算表", 54))
	p2.line(0, L("1.", 84), L("2026年预算单位财务收支预算总表", 107))
	p2.line(0, L("8．2026年预算单位一般公共预算基本支出部门预算经济分类预算表", 84))
	p2.line(0, L("9.", 84), L("2026年单位“三公”经费和机关运行经费预算表", 107))
	p2.line(0, L("六、其他相关情况说明", 54))
	p3 := prose(3)
	p4 := newPage(4)
	p4.line(0, L("十、一般公共预算机关运行经费支出预算表", 60))
	p4.line(0, L("十一、一般公共预算“三公”经费、会议费、培训费支出预算表", 60))
	p4.line(0, L("十二、政府采购支出预算表", 60))
	p4.line(0, L("十三、其他情况说明", 60))
	p5 := prose(5)
	p7 := newPage(7)
	p7.line(0, L("2026年单位“三公”经费和机关运行经费预算表", 150))
	p7.line(0, L("单位：元", 480))
	p7.line(0, L("合计", 60), L("因公出国（境）费", 150), L("公务接待费", 250))
	p7.line(0, R("30,000", 100), R("10,000", 200), R("20,000", 300))
	got := extractAll(t, p2, p3, p4, p5, p7)
	checkTables(t, got, []tableWant{{yusuan.ThreePublic, "", []int{7}, 1}})
	// No region starts at a listed title: the 9. entry's region would
	// otherwise run on through the prose of the next page.
	regions := findRegions([]layout.Page{p2.page, p3.page, p4.page, p5.page, p7.page})
	if len(regions) != 1 || regions[0].page != 7 {
		for _, r := range regions {
			t.Logf("region %q page %d", r.title.Title, r.page)
		}
		t.Errorf("%d regions, want the one on page 7", len(regions))
	}
}

// Class "lost": a table whose title is printed atop each of its pages (the
// only title of the file, 广州市生态环境局…绩效目标表 over 140 pages) is no
// running head: it gives one table over all the pages. A running head that
// names no table (2026年度部门预算公开表) is still dropped.
func TestTitleOnEveryPage(t *testing.T) {
	var pages []*pageBuilder
	for n := 1; n <= 3; n++ {
		b := newPage(n)
		b.line(0, L("某某市生态环境局2026年项目支出绩效目标表（含转移支付项目）", 150))
		b.line(0, L("部门名称：某某市生态环境局", 40), L("单位：万元", 480))
		b.line(0, L("项目名称（资金使用单位）", 40), L("总计", 200), L("财政拨款", 260), L("绩效目标", 400))
		b.line(0, L(fmt.Sprintf("环保监督检查员经费%d", n), 40), R("238.00", 230), R("238.00", 290), L("强化落实环境保护属地责任", 400))
		pages = append(pages, b)
	}
	got := extractAll(t, pages...)
	checkTables(t, got, []tableWant{{yusuan.PerformanceTargets, "", []int{1, 2, 3}, 3}})

	pages = nil
	for n := 5; n <= 7; n++ {
		b := newPage(n)
		b.line(0, L("2026年度部门预算公开表", 200))
		if n == 5 {
			b.line(0, L("收支总表", 200))
			b.line(0, L("单位：万元", 480))
			b.line(0, L("项目", 40), L("金额", 300))
		}
		b.line(0, L(fmt.Sprintf("收入项%d", n), 40), R("10.00", 330))
		pages = append(pages, b)
	}
	got = extractAll(t, pages...)
	checkTables(t, got, []tableWant{{yusuan.IncomeExpenditureSummary, "", []int{5, 6, 7}, 3}})
}

// A bare label printed atop every page of its table (深圳: 表3 over pages
// 20–23) names the table; it is no running head to drop.
func TestLabelOnEveryPage(t *testing.T) {
	one := newPage(1)
	one.line(0, L("表2", 30))
	one.line(0, L("收入总表", 250))
	one.line(0, L("单位：万元", 480))
	one.line(0, L("项目", 40), L("金额", 300))
	one.line(0, L("合计", 40), R("30.00", 330))
	pages := []*pageBuilder{one}
	for n := 2; n <= 4; n++ {
		b := newPage(n)
		b.line(0, L("表3", 30))
		if n == 2 {
			b.line(0, L("支出总表", 250))
			b.line(0, L("单位：万元", 480))
			b.line(0, L("项目", 40), L("金额", 300))
		}
		b.line(0, L(fmt.Sprintf("支出项%d", n), 40), R("10.00", 330))
		pages = append(pages, b)
	}
	got := extractAll(t, pages...)
	checkTables(t, got, []tableWant{{yusuan.IncomeSummary, "表2", []int{1}, 1}, {yusuan.ExpenditureSummary, "表3", []int{2, 3, 4}, 3}})
}
