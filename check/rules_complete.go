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

func ruleCompletenessTables(e *emitter, d *doc) {
	req := requiredTables[d.Meta.Kind]
	if len(req) == 0 {
		return
	}
	if len(d.Tables) == 0 {
		e.add(finding{msg: "未能识别任何表格"})
		return
	}
	var missing []string
	var mkinds []string
	for _, k := range req {
		if d.table(k) == nil {
			missing = append(missing, vocab.KindLabel(k))
			mkinds = append(mkinds, string(k))
		}
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

func ruleCompletenessThreePublic(e *emitter, d *doc) {
	if d.Meta.Kind != yusuan.KindBudget && d.Meta.Kind != yusuan.KindFinalAccount {
		return
	}
	if len(d.Tables) == 0 {
		return
	}
	if d.table(yusuan.ThreePublic, yusuan.FAThreePublic) == nil {
		e.add(finding{tables: []string{string(yusuan.ThreePublic)}, msg: "未公开“三公”经费表"})
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
