package check

import (
	"slices"
	"strings"
	"testing"

	"yusuan"
)

// What a document does not print, told from the document itself
// (completeness.tables): a table its template does not have is no missing
// table; a table its contents list, or a gap in its labels, is.

// labelled is the seed without its 国有资本经营预算表, the others labelled
// 表一… in order, as Jiangsu 2017 (02_jiangsu: 表一 收支预算总表 … 表十二
// 政府采购支出预算表) prints them; skip leaves a number out at that place.
func labelled(t *testing.T, skip int) *yusuan.Document {
	d := seedDoc(t)
	removeTable(d, yusuan.StateCapital)
	n := 0
	for i := range d.Tables {
		n++
		if n == skip {
			n++
		}
		d.Tables[i].Label = "表" + []string{"", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二", "十三", "十四", "十五"}[n]
	}
	return d
}

func TestTemplateWithoutTable(t *testing.T) {
	completeness := Options{Rules: []string{"completeness.tables"}}
	cases := []struct {
		name string
		doc  func(t *testing.T) *yusuan.Document
		sev  yusuan.Severity
		msg  string
	}{
		// 02_jiangsu, 22/48/49_chongqing: labels run on with no gap.
		{"labels without a gap", func(t *testing.T) *yusuan.Document { return labelled(t, 0) },
			yusuan.SeverityInfo, "模板未列：国有资本经营预算表（所印表号表一至表十三连续，无缺号）"},
		// A number missing where the table would be: it may be the table.
		{"a gap in the labels", func(t *testing.T) *yusuan.Document { return labelled(t, 9) },
			yusuan.SeverityWarning, "缺少表：国有资本经营预算表"},
		// A table whose label was not read stands for its number.
		{"a label not read", func(t *testing.T) *yusuan.Document {
			d := labelled(t, 0)
			d.Tables[4].Label = ""
			return d
		}, yusuan.SeverityInfo, "模板未列：国有资本经营预算表（所印表号表一至表十三连续，无缺号）"},
		// 03/56_jiangsu: no labels, but contents listing the tables.
		{"contents without it", func(t *testing.T) *yusuan.Document {
			d := seedDoc(t)
			removeTable(d, yusuan.StateCapital)
			d.Contents = []yusuan.Contents{{Page: 1, Entries: []string{"第一部分部门概况", "第二部分省人大办公厅2017年度部门预算表",
				"一、收支预算总表", "二、收入预算总表", "三、支出预算总表", "四、财政拨款收支预算总表", "五、财政拨款支出预算表",
				"七、政府性基金支出预算表", "十一、一般公共预算“三公”经费、会议费、培训费支出预算表", "十二、政府采购支出预算表"}}}
			return d
		}, yusuan.SeverityInfo, "模板未列：国有资本经营预算表（目录所列 8 张表中无此表）"},
		// 14_beijing: contents listing the table the document lacks.
		{"contents with it", func(t *testing.T) *yusuan.Document {
			d := seedDoc(t)
			removeTable(d, yusuan.StateCapital)
			d.Contents = []yusuan.Contents{{Page: 1, Entries: []string{"一、收支总表", "二、收入总表", "七、政府性基金预算支出表",
				"八、国有资本经营预算支出表", "九、财政拨款“三公”经费支出表", "十、政府采购预算明细表"}}}
			return d
		}, yusuan.SeverityWarning, "未能读出表：国有资本经营预算表（目录列有“八、国有资本经营预算支出表”）"},
		// 57_jiangsu p.29: the document says the unit has none.
		{"the narrative says none", func(t *testing.T) *yusuan.Document {
			d := seedDoc(t)
			removeTable(d, yusuan.StateCapital)
			d.Narrative = append(d.Narrative, yusuan.Section{Heading: "（二）国有资本经营预算收支情况", Text: "2018年本部门无国有资本经营预算收入。", Page: 29})
			return d
		}, yusuan.SeverityInfo, "未列国有资本经营预算表，文中说明：“2018年本部门无国有资本经营预算收入”"},
		// A definition is no statement about the unit.
		{"a definition says nothing", func(t *testing.T) *yusuan.Document {
			d := seedDoc(t)
			removeTable(d, yusuan.StateCapital)
			d.Narrative = append(d.Narrative, yusuan.Section{Heading: "第四部分名词解释", Text: "国有资本经营预算：无国有资本经营预算的单位不填。", Page: 24})
			return d
		}, yusuan.SeverityWarning, "缺少表：国有资本经营预算表"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			fs := CheckDocument(c.doc(t), completeness)
			if len(fs) != 1 || fs[0].Severity != c.sev || fs[0].Message != c.msg {
				t.Errorf("got:\n%swant %s %s", dump(fs), c.sev, c.msg)
			}
			if len(fs) == 1 && !slices.Contains(fs[0].Tables, string(yusuan.StateCapital)) {
				t.Errorf("tables %v", fs[0].Tables)
			}
		})
	}
}

// TestTablesPublishedElsewhere: 01/58_jiangsu and 53/14_beijing print no
// table and say where the tables are; a file that says nothing keeps the
// warning.
func TestTablesPublishedElsewhere(t *testing.T) {
	narrativeOnly := func(text string) *yusuan.Document {
		return &yusuan.Document{SHA256: strings.Repeat("b", 64), File: "58.pdf", TextLayer: true,
			Meta:      yusuan.Meta{Entity: "江苏省政协办公厅", Kind: yusuan.KindBudget, Scope: yusuan.ScopeDepartment, Year: 2019},
			Narrative: []yusuan.Section{{Heading: "第二部分2019年度部门预算表", Text: text, Page: 9}}, Facts: yusuan.Facts{}}
	}
	fs := CheckDocument(narrativeOnly("2019年度部门预算公开表附后。"), Options{})
	if len(fs) != 1 || fs[0].Severity != yusuan.SeverityInfo || fs[0].Rule != "completeness.tables" ||
		fs[0].Message != "文件不含表格，文中说明表格另附：“2019年度部门预算公开表附后”" || fs[0].Pages[0] != 9 {
		t.Errorf("tables elsewhere:\n%s", dump(fs))
	}
	fs = CheckDocument(narrativeOnly("本部门预算由机关本级组成。"), Options{})
	if got := messages(fs, yusuan.SeverityWarning); !slices.Equal(got, []string{"completeness.tables: 未能识别任何表格"}) {
		t.Errorf("nothing said: %q", got)
	}
}

// summaryShanghai is 51_shanghai p.7: 收入总计 printed blank (nothing beside
// it), 支出总计 195,774,300 元.
func summaryShanghai(income string) yusuan.Table {
	return yusuan.Table{Kind: yusuan.IncomeExpenditureSummary, Unit: "元", Pages: []int{7}, Columns: []string{"amount", "total"}, Rows: []yusuan.Row{
		{Name: "一、财政拨款收入", Side: yusuan.SideIncome, Values: vals("amount", income), Page: 7},
		{Name: "1、一般公共预算", Side: yusuan.SideIncome, Values: vals("amount", income), Page: 7},
		{Name: "二、事业收入", Side: yusuan.SideIncome, Values: vals("amount", ""), Page: 7},
		{Name: "一、一般公共服务支出", Side: yusuan.SideExpenditure, Values: vals("total", "134339860"), Page: 7},
		{Name: "二、社会保障和就业支出", Side: yusuan.SideExpenditure, Values: vals("total", "23992440"), Page: 7},
		{Name: "三、卫生健康支出", Side: yusuan.SideExpenditure, Values: vals("total", "6142000"), Page: 7},
		{Name: "四、住房保障支出", Side: yusuan.SideExpenditure, Values: vals("total", "31300000"), Page: 7},
		{Name: "收入总计", Side: yusuan.SideIncome, Values: vals("amount", ""), Page: 7},
		{Name: "支出总计", Side: yusuan.SideExpenditure, Values: vals("total", "195774300"), Page: 7},
	}}
}

// TestBlankTotalIsNoZero: a total printed blank is no printed 0.00: the
// lines of its side stand for it, and a message never shows 0.00 for it.
func TestBlankTotalIsNoZero(t *testing.T) {
	balance := Options{Rules: []string{"summary.balance"}}
	fs := CheckDocument(corpusDoc(2026, nil, summaryShanghai("195774300")), balance)
	if len(fs) != 0 {
		t.Errorf("income lines agree with 支出总计:\n%s", dump(fs))
	}
	fs = CheckDocument(corpusDoc(2026, nil, summaryShanghai("195770000")), balance)
	want := []string{"summary.balance: 支出总计 195774300 ≠ Σ收入（收入总计空白） 195770000（差 4300 元）"}
	if got := messages(fs, yusuan.SeverityError); !slices.Equal(got, want) {
		t.Errorf("income lines against 支出总计: got\n%s", dump(fs))
	}
	// A 合计 printed blank over figures: shown blank, no difference to
	// a figure not printed.
	tb := yusuan.Table{Kind: yusuan.GeneralBudgetExpenditure, Pages: []int{3}, Columns: []string{"total"}, Rows: []yusuan.Row{
		{Name: "合计", Values: vals("total", ""), Page: 3},
		{Code: code("201"), Name: "一般公共服务支出", Level: 1, Values: vals("total", "5.00"), Page: 3},
		{Code: code("20101"), Name: "人大事务", Level: 2, Values: vals("total", "5.00"), Page: 3},
	}}
	fs = CheckDocument(corpusDoc(2026, nil, tb), Options{Rules: []string{"hierarchy.sum"}})
	if len(fs) != 1 {
		t.Fatalf("blank 合计:\n%s", dump(fs))
	}
	for _, f := range fs {
		if strings.Contains(f.Message, "0.00") || !strings.Contains(f.Message, " 空白 ≠ ") || strings.Contains(f.Message, "差") || f.Actual != "" {
			t.Errorf("blank 合计: %s %q actual %q", f.Severity, f.Message, f.Actual)
		}
		for _, ev := range f.Evidence {
			if ev.Role == "actual" && !ev.Amount.IsNull() {
				t.Errorf("blank cell's evidence amount %s", ev.Amount)
			}
		}
	}
}

// TestRoundingNotesCollapsed: a table rounded cell by cell differs by a
// cent in many lines (20_shenzhen's 一般公共预算支出表（按经济分类）: 36
// notes): one note a rule and table, the largest difference, with the
// count; a note on a doubted reading says nothing and goes.
func TestRoundingNotesCollapsed(t *testing.T) {
	tb := yusuan.Table{Kind: yusuan.GeneralBudgetBasicByEconomic, Label: "表6", Pages: []int{11}, Columns: []string{"total"}, Rows: []yusuan.Row{
		{Name: "合计", Values: vals("total", "100.03"), Page: 11},
		{Code: code("301"), Name: "工资福利支出", Level: 1, Values: vals("total", "50.01"), Page: 11},
		{Code: code("30101"), Name: "基本工资", Level: 2, Values: vals("total", "25.01"), Page: 11},
		{Code: code("30102"), Name: "津贴补贴", Level: 2, Values: vals("total", "25.01"), Page: 11},
		{Code: code("302"), Name: "商品和服务支出", Level: 1, Values: vals("total", "50.01"), Page: 11},
		{Code: code("30201"), Name: "办公费", Level: 2, Values: vals("total", "25.00"), Page: 11},
		{Code: code("30202"), Name: "印刷费", Level: 2, Values: vals("total", "25.00"), Page: 11},
	}}
	hier := Options{Rules: []string{"hierarchy.sum"}}
	fs := CheckDocument(corpusDoc(2026, nil, tb), hier)
	want := []string{"hierarchy.sum: 尾差：301 工资福利支出（合计） 50.01 ≠ Σ经济科目款 50.02（差 0.01 万元，容许 0.015 万元）（本表共 3 处尾差，差均不超过此处）"}
	if got := messages(fs, yusuan.SeverityInfo); !slices.Equal(got, want) {
		t.Errorf("got\n%swant %q", dump(fs), want)
	}
	// The extractor doubted the 合计 line: its note goes, the others
	// stay (one note, counting two).
	tb.Doubts = []yusuan.Doubt{{Reason: yusuan.DoubtSplitRow, Rows: []int{0}}}
	fs = CheckDocument(corpusDoc(2026, nil, tb), hier)
	if len(fs) != 1 || !strings.HasSuffix(fs[0].Message, "（本表共 2 处尾差，差均不超过此处）") || fs[0].Confidence != yusuan.ConfidenceHigh {
		t.Errorf("doubted 合计:\n%s", dump(fs))
	}
}

// TestThreePublicMergedLine: the rendered synthetic final account
// d002-dept-2026-final p.13 prints 因公出国（境）费 and 其中：公务用车购置费
// blank around 公务用车购置及运行费 3.45; read as one line named for both,
// it counts once (合计 5.96 = 3.45 + 2.51), and a difference would rest on
// a doubted reading.
func TestThreePublicMergedLine(t *testing.T) {
	tb := func(total string) yusuan.Table {
		return yusuan.Table{Kind: yusuan.FAThreePublic, Label: "决算09表", Pages: []int{13}, Columns: []string{"budget", "actual"}, Rows: []yusuan.Row{
			{Name: "合计", Values: vals("budget", total, "actual", "5.83"), Page: 13},
			{Name: "因公出国（境）费公务用车购置及运行费其中：公务用车购置费", Values: vals("budget", "3.45", "actual", "3.37"), Page: 13},
			{Name: "公务用车运行费", Values: vals("budget", "3.45", "actual", "3.37"), Page: 13},
			{Name: "公务接待费", Values: vals("budget", "2.51", "actual", "2.46"), Page: 13},
		}}
	}
	rule := Options{Rules: []string{"three_public.sum"}}
	if fs := CheckDocument(corpusDoc(2026, nil, tb("5.96")), rule); len(fs) != 0 {
		t.Errorf("merged line counted twice:\n%s", dump(fs))
	}
	fs := CheckDocument(corpusDoc(2026, nil, tb("6.96")), rule)
	if len(fs) != 1 || fs[0].Severity != yusuan.SeverityWarning || fs[0].Confidence != yusuan.ConfidenceLow ||
		fs[0].Why != "行“因公出国（境）费公务用车购置及运行费其中：公务用车购置费”的名称含多个项目，疑为多行合并" {
		t.Errorf("difference over a merged line:\n%s%+v", dump(fs), fs)
	}
}
