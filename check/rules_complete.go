package check

import (
	"slices"
	"strconv"
	"strings"

	"yusuan"
	"yusuan/vocab"
)

// requiredTables are the tables the national templates require (财政部 预算
// and 决算 公开 templates); provinces add more, never fewer.
var requiredTables = map[yusuan.DocKind][]yusuan.TableKind{
	yusuan.KindBudget: {
		yusuan.IncomeExpenditureSummary, yusuan.IncomeSummary, yusuan.ExpenditureSummary,
		yusuan.FiscalSummary, yusuan.GeneralBudgetExpenditure, yusuan.GeneralBudgetBasicByEconomic,
		yusuan.GovFundExpenditure, yusuan.StateCapital, yusuan.ThreePublic,
	},
	yusuan.KindFinalAccount: {
		yusuan.FAIncomeExpenditureSummary, yusuan.FAIncome, yusuan.FAExpenditure, yusuan.FAFiscalSummary,
		yusuan.FAGeneralBudgetExpenditure, yusuan.FAGeneralBudgetBasic, yusuan.FAGovFund,
		yusuan.FAStateCapital, yusuan.FAThreePublic,
	},
}

// sameFigures are tables that publish what a required table would: the
// economic classification of all 一般公共预算 spending (basic and project)
// holds the basic-by-economic table's figures.
var sameFigures = map[yusuan.TableKind][]yusuan.TableKind{
	yusuan.GeneralBudgetBasicByEconomic: {yusuan.GeneralBudgetByEconomic},
}

// traceOf looks for a table of kind k that the extractor did not read as
// one: a table it could not classify, a title run into another table's rows,
// into the prose (a title printed on two lines, its label with the first).
// It returns the text found and its page; "" when none.
func (d *doc) traceOf(k yusuan.TableKind) (string, int) {
	labels := map[string]bool{}
	for i := range d.Tables {
		if l := d.Tables[i].Label; l != "" {
			labels[fold(l)] = true
		}
	}
	names := func(line string) bool {
		line = strings.TrimRight(strings.TrimSpace(line), "0123456789.…·． -—")
		if label, rest, ok := vocab.LabelledTitle(line); ok && !labels[fold(label)] && vocab.Names(rest, k) {
			return true
		}
		return strings.HasSuffix(line, "表") && vocab.Names(line, k)
	}
	for i := range d.Tables {
		t := &d.Tables[i]
		if t.Kind == yusuan.Other && vocab.Names(t.Title, k) {
			return strings.TrimSpace(t.Label + " " + t.Title), firstPage(t.Pages)
		}
	}
	// A line, or a line and the next (a title wrapped: “…支出预” / “算表”).
	pairs := func(lines []string) (string, int) {
		for i, l := range lines {
			if names(l) {
				return strings.TrimSpace(l), i
			}
			if i+1 < len(lines) && names(strings.TrimSpace(l)+strings.TrimSpace(lines[i+1])) {
				return strings.TrimSpace(l) + strings.TrimSpace(lines[i+1]), i
			}
		}
		return "", -1
	}
	for i := range d.Tables {
		t := &d.Tables[i]
		var lines []string
		var pages []int
		for j := range t.Rows {
			if r := &t.Rows[j]; r.CodeString() == "" && blank(r) {
				lines, pages = append(lines, r.Name), append(pages, r.Page)
			}
		}
		if l, i := pairs(lines); i >= 0 {
			return l, pages[i]
		}
	}
	for _, s := range d.Narrative {
		if l, i := pairs(strings.Split(s.Heading+"\n"+s.Text, "\n")); i >= 0 {
			return l, s.Page
		}
	}
	return "", 0
}

func firstPage(ps []int) int {
	if len(ps) == 0 {
		return 0
	}
	return ps[0]
}

func ruleCompletenessTables(e *emitter, d *doc) {
	req := requiredTables[d.Meta.Kind]
	if len(req) == 0 {
		return
	}
	if len(d.Tables) == 0 {
		e.add(finding{msg: "未能识别任何表格"})
		return
	}
	if !d.hasBudgetTables() {
		// Performance targets or a list of projects only: not the budget
		// tables, each of them missing.
		e.add(finding{sev: yusuan.SeverityInfo, msg: "未识别出模板要求的任何预算表（文件只含：" + strings.Join(d.tableLabels(), "、") + "）"})
		return
	}
	var missing []string
	var mkinds []string
	for _, k := range req {
		if d.table(append([]yusuan.TableKind{k}, sameFigures[k]...)...) != nil {
			continue
		}
		// Telling an analyst that a unit did not publish what it did is
		// the worst false alarm: a table whose title the text shows was
		// published, and not read.
		if where, page := d.traceOf(k); where != "" {
			e.add(finding{tables: []string{string(k)}, pages: []int{page}, actual: string(k),
				conf: yusuan.ConfidenceLow, why: "文中有此表的标题，提取未能读出",
				msg: "未能读出表：" + vocab.KindLabel(k) + "（文中见“" + where + "”）"})
			continue
		}
		missing = append(missing, vocab.KindLabel(k))
		mkinds = append(mkinds, string(k))
	}
	if len(missing) > 0 {
		e.add(finding{tables: mkinds, msg: "缺少表：" + strings.Join(missing, "、"), actual: strings.Join(mkinds, ",")})
	}
	// An empty table must say so (注：本表无数据); one printed blank without
	// the note is at most a note: the extractor may have missed the words.
	for i := range d.Tables {
		t := &d.Tables[i]
		if t.Empty || hasValues(t) || t.Kind == yusuan.PerformanceTargets || t.Kind == yusuan.Other {
			continue
		}
		e.add(finding{sev: yusuan.SeverityInfo, tables: []string{string(t.Kind)}, pages: t.Pages,
			msg: vocab.KindLabel(t.Kind) + " 无数据且未注明“本表无数据”"})
	}
}

// ruleEmptyNote reports a table that says it has no data (注：本表无数据,
// 本表为空表) over nonzero figures: the document contradicts itself, and
// its figures, not an empty table's 0, are what the other rules compare.
func ruleEmptyNote(e *emitter, d *doc, t *yusuan.Table) {
	if !t.Empty || t.Kind == yusuan.PerformanceTargets || t.Kind == yusuan.Other {
		return
	}
	sc := unitScale(t.Unit)
	var s sum
	for _, r := range dataRows(t) {
		for _, c := range allCols(t) {
			if m := toMoney(r.Values[c], sc); m.ok && m.v != 0 {
				s.addCell(t, r, c, sc)
			}
		}
	}
	if s.n == 0 {
		return
	}
	x := sumTerm("表中非零数字", s, sc, t)
	what := strconv.Itoa(s.n) + " 个非零数字"
	if r := totalRow(t); r != nil {
		if c := cell(t, r, firstValueCol(t), ""); c.m.ok && c.m.v != 0 {
			what = normName(r.Name) + " " + cellText(r, c.col) + " " + unitName(sc) + " 等 " + what
		}
	}
	e.add(finding{tables: tablesOf(t), pages: t.Pages, unit: unitName(sc), actual: strconv.Itoa(s.n),
		msg:     tableName(t) + " 注明本表无数据，却印有" + what,
		figures: []figure{{roleActual, x}}})
}

// firstValueCol is a table's total column, else its first amount column.
func firstValueCol(t *yusuan.Table) string {
	cols := valueCols(t)
	if slices.Contains(cols, "total") || len(cols) == 0 {
		return "total"
	}
	return cols[0]
}

// hasBudgetTables reports whether the document has any table its
// template requires (or stands for one).
func (d *doc) hasBudgetTables() bool {
	for _, k := range requiredTables[d.Meta.Kind] {
		if d.table(append([]yusuan.TableKind{k}, sameFigures[k]...)...) != nil || d.tracedOf(k) {
			return true
		}
	}
	return false
}

func (d *doc) tracedOf(k yusuan.TableKind) bool {
	where, _ := d.traceOf(k)
	return where != ""
}

// tableLabels are the usual names of a document's table kinds.
func (d *doc) tableLabels() []string {
	var out []string
	for i := range d.Tables {
		if l := vocab.KindLabel(d.Tables[i].Kind); !slices.Contains(out, l) {
			out = append(out, l)
		}
	}
	return out
}

func ruleCompletenessThreePublic(e *emitter, d *doc) {
	if d.Meta.Kind != yusuan.KindBudget && d.Meta.Kind != yusuan.KindFinalAccount {
		return
	}
	if len(d.Tables) == 0 || !d.hasBudgetTables() {
		return
	}
	if d.table(yusuan.ThreePublic, yusuan.FAThreePublic) == nil {
		k := yusuan.ThreePublic
		if d.Meta.Kind == yusuan.KindFinalAccount {
			k = yusuan.FAThreePublic
		}
		if where, page := d.traceOf(k); where != "" {
			e.add(finding{tables: []string{string(k)}, pages: []int{page}, conf: yusuan.ConfidenceLow,
				why: "文中有此表的标题，提取未能读出", msg: "未能读出“三公”经费表（文中见“" + where + "”）"})
		} else {
			e.add(finding{tables: []string{string(k)}, msg: "未公开“三公”经费表"})
		}
	}
	if len(d.Narrative) > 0 && !strings.Contains(d.narrative(), "三公") {
		e.add(finding{tables: []string{narrativeTable}, msg: "情况说明未说明“三公”经费"})
	}
}

func ruleCompletenessTextLayer(e *emitter, d *doc) {
	switch {
	case d.Error != "":
		e.add(finding{msg: "文件无法读取：" + d.Error})
	case !d.TextLayer:
		e.add(finding{msg: "图片型 PDF（无文字层），无从核对"})
	}
}
