package check

import (
	"slices"
	"testing"

	"yusuan"
)

// yuanTotals is a pair of documents of one entity whose 收支总表 prints
// 收入总计 in 元 (last year's, then this year's).
func yuanTotals(tb testing.TB, prevTotal, curTotal, change, statedPrev string) []*yusuan.Document {
	p, d := prevYear(tb), seedDoc(tb)
	for _, x := range []struct {
		d     *yusuan.Document
		total string
	}{{p, prevTotal}, {d, curTotal}} {
		tableOf(x.d, yusuan.IncomeExpenditureSummary).Unit = "元"
		set(rowOf(tb, x.d, yusuan.IncomeExpenditureSummary, yusuan.SideIncome, "收入总计"), "amount", x.total)
	}
	d.Facts["yoy_change"] = yusuan.MustAmount(change)
	d.Facts["total_income_prev"] = yusuan.MustAmount(statedPrev)
	return []*yusuan.Document{p, d}
}

// TestYearPreviousCoarseTolerance: the stated change in 万元 is the
// difference of the two totals as the text rounds them (658.32 − 628.58 =
// 29.74), while the tables print 6583160.53 − 6285846.37 = 297314.16 元 =
// 29.7314 万元: two terms rounded to 0.01 万元 allow 0.010 万元.
func TestYearPreviousCoarseTolerance(t *testing.T) {
	cases := []struct {
		change, statedPrev string
		want               []string // severity: message
	}{
		// 628.58 is 6285846.37 元 rounded as written: no note.
		{"29.74", "628.58", []string{
			"info: 尾差：情况说明 比上年增减 29.74 万元 ≠ 本年收入总计 6583160.53 − 上年收入总计 6285846.37 = 297314.16 元（差 0.0086 万元，容许 0.010 万元）",
		}},
		// 29.7314 rounds to 29.73: the change as written, no note.
		{"29.73", "628.58", nil},
		// Beyond the roundings: an error. (A stated 总计 may add up the
		// five rounded categories of the expenditure side: 0.025 万元.)
		{"29.75", "628.62", []string{
			"error: 情况说明 比上年增减 29.75 万元 ≠ 本年收入总计 6583160.53 − 上年收入总计 6285846.37 = 297314.16 元（差 0.019 万元）",
			"error: 情况说明 上年收入总计 628.62 万元 ≠ 上年文件 收支总表 收入总计 6285846.37 元（差 0.035 万元）",
		}},
	}
	for _, c := range cases {
		fs := Check(yuanTotals(t, "6285846.37", "6583160.53", c.change, c.statedPrev), Options{Rules: []string{"year.previous"}})
		var got []string
		for _, f := range fs {
			if slices.Contains(f.Tables, string(yusuan.IncomeExpenditureSummary)) {
				got = append(got, string(f.Severity)+": "+f.Message)
			}
		}
		if !slices.Equal(got, c.want) {
			t.Errorf("change %s:\n got %q\nwant %q", c.change, got, c.want)
		}
	}
}

// TestExactAgreementAcrossUnits: figures equal after conversion give no
// finding at all, whatever their units and printed precisions.
func TestExactAgreementAcrossUnits(t *testing.T) {
	fs := Check(yuanTotals(t, "6285800.00", "6583200", "29.74", "628.58"), Options{Rules: []string{"year.previous"}})
	for _, f := range fs {
		if slices.Contains(f.Tables, string(yusuan.IncomeExpenditureSummary)) {
			t.Errorf("exact agreement reported: %s %s", f.Severity, f.Message)
		}
	}
	e := &emitter{rule: &Rule{ID: "x", Severity: yusuan.SeverityError}}
	a := term{label: "a", m: toMoney(yusuan.MustAmount("316.20"), scale万元), scale: scale万元, stated: true}
	x := term{label: "b", m: toMoney(yusuan.MustAmount("316.200000"), scale万元), scale: scale万元}
	e.compare(a, x, one(x), nil)
	if len(e.out) != 0 {
		t.Errorf("316.20 vs 316.200000: %+v", e.out)
	}
	// Nonzero, below the stated precision: the stated figure is the
	// printed one rounded as written, no note.
	x.m = toMoney(yusuan.MustAmount("316.202751"), scale万元)
	e.compare(a, x, one(x), nil)
	if len(e.out) != 0 {
		t.Errorf("316.20 vs 316.202751: %+v", e.out)
	}

}

func TestDiffText(t *testing.T) {
	cases := []struct {
		amount string
		scale  int64
		p      int
		want   string
	}{
		{"0.0027", scale万元, 2, "0.0027"},
		{"0.002751", scale万元, 2, "0.0028"},
		{"0.01", scale万元, 2, "0.01"},
		{"5", scale万元, 2, "5.00"},
		{"0.000001", scale万元, 2, "0.000001"},
		{"0.004", scale元, 2, "0.004"},
		{"0.0001", scale元, 0, "0.0001"},
		{"400", scale元, 0, "400"},
	}
	for _, c := range cases {
		m := toMoney(yusuan.MustAmount(c.amount), c.scale)
		if got := diffText(m.v, c.scale, c.p); got != c.want {
			t.Errorf("diffText(%s, %d places) = %s, want %s", c.amount, c.p, got, c.want)
		}
	}
}

// TestPercentFromRoundedFigures: a share the text computes from figures it
// rounds to 0.01 万元 (0.42 ÷ (0.42+6.17)) while the table prints 元 (4164
// ÷ 65831.60 = 6.33%) is a 尾差, not an error; a share beyond what rounding
// allows is.
func TestPercentFromRoundedFigures(t *testing.T) {
	doc := func(pct string) *yusuan.Document {
		return &yusuan.Document{SHA256: "p", TextLayer: true,
			Facts: yusuan.Facts{"basic": yusuan.MustAmount("0.42"), "project": yusuan.MustAmount("6.17"),
				"basic_pct": yusuan.MustAmount(pct)},
			Tables: []yusuan.Table{{Kind: yusuan.ExpenditureSummary, Unit: "元", Columns: []string{"total", "basic", "project"},
				Rows: []yusuan.Row{{Name: "合计", Values: map[string]yusuan.Amount{
					"total": yusuan.MustAmount("65831.60"), "basic": yusuan.MustAmount("4164.00"), "project": yusuan.MustAmount("61667.60")}}}}},
		}
	}
	cases := []struct {
		pct string
		sev yusuan.Severity // "" none
	}{
		{"6.33", ""},
		{"6.37", yusuan.SeverityInfo},
		{"6.40", yusuan.SeverityInfo}, // 0.4214 ÷ 6.5732 at most
		{"6.42", yusuan.SeverityError},
		{"6.60", yusuan.SeverityError},
	}
	for _, c := range cases {
		fs := CheckDocument(doc(c.pct), Options{Rules: []string{"narrative.percent"}})
		var got yusuan.Severity
		if len(fs) > 0 {
			got = fs[0].Severity
		}
		if len(fs) > 1 || got != c.sev {
			t.Errorf("basic_pct %s: got %s\n%s", c.pct, got, dump(fs))
		}
	}
}

func TestBoilerplateHeaderLeak(t *testing.T) {
	cases := []struct {
		text string
		want []string
	}{
		{"单位：万元金额项目金额项目合计", nil},
		{"科目编码科目名称科目编码科目名称", nil},
		{"预算数决算数预算数决算数", nil},
		{"主要原因是主要原因是人员减少", []string{"主要原因是主要原因是"}},
		{"资产资产资产", nil},   // two characters: too short to tell
		{"用于用于保障运转", nil}, // two characters: too short to tell
		{"项目支出主要用于项目支出主要用于", []string{"项目支出主要用于项目支出主要用于"}},
	}
	for _, c := range cases {
		if got := repeatedPhrases(c.text); !slices.Equal(got, c.want) {
			t.Errorf("repeatedPhrases(%q) = %q, want %q", c.text, got, c.want)
		}
	}
	for w, want := range map[string]bool{"金额项目": true, "项目金额": true, "科目编码科目名称": true, "主要原因是": false, "项目进度": false} {
		if got := headerWordsOnly(w); got != want {
			t.Errorf("headerWordsOnly(%q) = %v", w, got)
		}
	}
}

// TestThreePublicStatedZeroRounded: “三公”经费 0.00 万元 against a table's
// 30 元 is the text's rounding (info); against 80 元 it is not (error).
func TestThreePublicStatedZeroRounded(t *testing.T) {
	doc := func(total string) *yusuan.Document {
		return corpusDoc(2026, yusuan.Facts{"three_public": yusuan.MustAmount("0.00")}, yusuan.Table{
			Kind: yusuan.ThreePublic, Unit: "元", Columns: []string{"total"},
			Rows: []yusuan.Row{{Name: "合计", Values: vals("total", total)}, {Name: "公务接待费", Values: vals("total", total)}}})
	}
	cases := []struct {
		total string
		want  []string
	}{
		{"30", []string{"info: 尾差：情况说明称“三公”经费 0.00 万元，“三公”经费表 合计 为 30 元"}},
		{"80", []string{"error: 情况说明称无“三公”经费，但“三公”经费表 合计 为 80 元"}},
	}
	for _, c := range cases {
		var got []string
		for _, f := range CheckDocument(doc(c.total), Options{Rules: []string{"narrative.three_public"}}) {
			got = append(got, string(f.Severity)+": "+f.Message)
		}
		if !slices.Equal(got, c.want) {
			t.Errorf("%s 元: got %q want %q", c.total, got, c.want)
		}
	}
}

// TestStatedTotalOfRoundedParts: 38_xian states 收入总计 94,386.49 万元 =
// 一般公共预算 93,664.78 + 上年结转 721.71 as it rounds them, for a table
// total of 943,864,999.96 元 (94,386.50 rounded): two rounded terms, 尾差.
// 94,386.48 is beyond them.
func TestStatedTotalOfRoundedParts(t *testing.T) {
	doc := func(stated string) *yusuan.Document {
		return corpusDoc(2022, yusuan.Facts{"total_income": yusuan.MustAmount(stated)}, yusuan.Table{
			Kind: yusuan.IncomeExpenditureSummary, Unit: "元", Columns: []string{"amount", "total"},
			Rows: []yusuan.Row{
				{Side: yusuan.SideIncome, Name: "一、一般公共预算拨款收入", Values: vals("amount", "936647800.40")},
				{Side: yusuan.SideIncome, Name: "二、政府性基金预算拨款收入", Values: vals("amount", "0")},
				{Side: yusuan.SideIncome, Name: "本年收入合计", Values: vals("amount", "936647800.40")},
				{Side: yusuan.SideIncome, Name: "上年结转", Values: vals("amount", "7217199.56")},
				{Side: yusuan.SideIncome, Name: "收入总计", Values: vals("amount", "943864999.96")},
			}})
	}
	cases := []struct{ stated, want string }{
		// The table's total rounded as written: no note.
		{"94386.50", ""},
		{"94386.49", "info: 尾差：情况说明 收入总计 94386.49 万元 ≠ 收支总表 收入总计 943864999.96 元（差 0.010 万元，容许 0.010 万元）"},
		{"94386.48", "error: 情况说明 收入总计 94386.48 万元 ≠ 收支总表 收入总计 943864999.96 元（差 0.020 万元）"},
	}
	for _, c := range cases {
		var got []string
		for _, f := range CheckDocument(doc(c.stated), Options{Rules: []string{"narrative.figure"}}) {
			if f.Actual == c.stated {
				got = append(got, string(f.Severity)+": "+f.Message)
			}
		}
		if c.want == "" && len(got) != 0 || c.want != "" && (len(got) != 1 || got[0] != c.want) {
			t.Errorf("%s: got %q\nwant %q", c.stated, got, c.want)
		}
	}
	// 38_xian p.21 states 支出总计 94,386.49 too: the expenditure side's
	// one figure is the same total, made of the income side's two parts.
	d := doc("94386.50")
	d.Facts = yusuan.Facts{"total_expenditure": yusuan.MustAmount("94386.49")}
	d.Tables[0].Rows = append(d.Tables[0].Rows,
		yusuan.Row{Side: yusuan.SideExpenditure, Name: "一、部门预算", Values: vals("total", "943864999.96")},
		yusuan.Row{Side: yusuan.SideExpenditure, Name: "支出总计", Values: vals("total", "943864999.96")})
	fs := CheckDocument(d, Options{Rules: []string{"narrative.figure"}})
	if len(fs) != 1 || fs[0].Severity != yusuan.SeverityInfo {
		t.Errorf("支出总计: got\n%s", dump(fs))
	}
}

// TestBoilerplateTableDebris: a phrase printed twice in a table's text run
// into the narrative is no slip of the writer's; in a sentence it is.
func TestBoilerplateTableDebris(t *testing.T) {
	cases := map[string][]string{
		// 43_guangzhou p.83, 47_shenzhen p.60: project tables' cells.
		"沙湾大桥是黄埔至黄埔至南沙东部快速通道沙7,000南沙东部快速通道全线的关键节点。": nil,
		"深圳市饮用水源保护水源保护管理2,611.52目标1：重点饮用水源地管理办公室":   nil,
		// 38_xian p.18, 56_jiangsu p.16: header rows.
		"编制人数实有人数离退休单位名称小计行政事业小计行政事业人员":                      nil,
		"算表部门：江苏省人民检察院单位：万元“三公”经费公务用车购置及运行维护费因公出公务合计公务用公务用车": nil,
		// The seed p.18, 20_shenzhen: slips in sentences.
		"比上年减少12.70万元，下降10.50%，主要原因是主要原因是我局人员预算与项目预算收入减少。": {"主要原因是主要原因是"},
		"本年度计划本年度计划完成绩效评价报告1份，利益相关方抽样问卷调查不少于1,000份。":       {"本年度计划本年度计划"},
	}
	for text, want := range cases {
		if got := proseRepeats(text); !slices.Equal(got, want) {
			t.Errorf("proseRepeats(%q) = %q, want %q", text, got, want)
		}
	}
}
