package check

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/shopspring/decimal"

	"yusuan"
	"yusuan/vocab"
)

const narrativeTable = "narrative"

// factPages are the pages where a fact was read.
func (d *doc) factPages(keys ...string) []int {
	var out []int
	for _, s := range d.Sources {
		if slices.Contains(keys, s.Key) && s.Page != 0 {
			out = append(out, s.Page)
		}
	}
	return out
}

// factTarget ties a narrative fact to the table figure it names.
type factTarget struct {
	key, label string
	table      func(d *doc) (term, bool)
}

// factAlts are other table figures the text may state under the same name
// (基本支出 of the 一般公共预算支出表, in the 财政拨款 paragraph): a fact
// agreeing with one of them is right.
var factAlts = map[string]func(d *doc) (term, bool){
	"basic":   totalOf([]yusuan.TableKind{yusuan.GeneralBudgetExpenditure}, "basic", "合计（基本支出）"),
	"project": totalOf([]yusuan.TableKind{yusuan.GeneralBudgetExpenditure}, "project", "合计（项目支出）"),
}

func iesTerm(d *doc, pick func(ts *twoSided) (*yusuan.Row, string)) (term, bool) {
	t := d.table(yusuan.IncomeExpenditureSummary)
	if t == nil {
		return term{}, false
	}
	r, col := pick(d.twoSided(t))
	if r == nil {
		return term{}, false
	}
	x := cell(t, r, col, "收支总表 "+normName(r.Name))
	if !x.m.ok && hasValues(t) && totalKindOf(r.Name) != notTotal {
		return x, false // a total printed blank was not read
	}
	if totalKindOf(r.Name) != notTotal {
		// The text may state a total as the sum of the parts it states,
		// each rounded (93,664.78 + 721.71 = 94,386.49 for 943,864,999.96
		// 元): each nonzero part is a rounded term. The grand totals of
		// both sides are one figure, stated as “收入、支出预算总计”: the
		// side with more parts counts.
		ts := d.twoSided(t)
		x.n, x.coarse = nonzeroParts(t, ts, r.Side, col), x.m.ulp
		if totalKindOf(r.Name) == totalGrand {
			x.n = max(nonzeroParts(t, ts, yusuan.SideIncome, ts.incCol), nonzeroParts(t, ts, yusuan.SideExpenditure, ts.expCols[0]))
		}
	}
	return orZero(x), true
}

// nonzeroParts counts the nonzero sources (or categories) and carry-over
// lines of one side of a two-sided table.
func nonzeroParts(t *yusuan.Table, ts *twoSided, side yusuan.Side, col string) int {
	s := ts.inc
	if side == yusuan.SideExpenditure {
		s = ts.exp
	}
	sc := unitScale(t.Unit)
	n := 0
	for _, r := range s.items {
		if m := toMoney(r.Values[col], sc); m.ok && m.v != 0 {
			n++
		}
	}
	for _, x := range s.extras {
		if m := toMoney(x.head.Values[col], sc); m.ok && m.v != 0 {
			n++
		}
	}
	return n
}

func totalOf(kinds []yusuan.TableKind, col, label string) func(d *doc) (term, bool) {
	return func(d *doc) (term, bool) {
		t := d.table(kinds...)
		if t == nil {
			return term{}, false
		}
		return tableTotal(t, col, vocab.KindLabel(t.Kind)+" "+label), true
	}
}

// factTargets are data: which table figure each fact key must equal.
var factTargets = []factTarget{
	{"total_income", "收入总计", func(d *doc) (term, bool) {
		return iesTerm(d, func(ts *twoSided) (*yusuan.Row, string) { return ts.inc.grand, ts.incCol })
	}},
	{"total_expenditure", "支出总计", func(d *doc) (term, bool) {
		return iesTerm(d, func(ts *twoSided) (*yusuan.Row, string) { return ts.exp.grand, ts.expCols[0] })
	}},
	{"current_income", "本年收入", func(d *doc) (term, bool) {
		return iesTerm(d, func(ts *twoSided) (*yusuan.Row, string) { return ts.inc.current, ts.incCol })
	}},
	{"carryover_income", "上年结转", func(d *doc) (term, bool) {
		return iesTerm(d, func(ts *twoSided) (*yusuan.Row, string) {
			return ts.sourceRow("carryover", []string{"上年结转"}), ts.incCol
		})
	}},
	{"gpb_income", "一般公共预算收入", func(d *doc) (term, bool) {
		return iesTerm(d, func(ts *twoSided) (*yusuan.Row, string) {
			return ts.sourceRow("gpb", []string{"一般公共预算"}), ts.incCol
		})
	}},
	{"basic", "基本支出", totalOf([]yusuan.TableKind{yusuan.ExpenditureSummary}, "basic", "合计（基本支出）")},
	{"project", "项目支出", totalOf([]yusuan.TableKind{yusuan.ExpenditureSummary}, "project", "合计（项目支出）")},
	{"personnel", "人员经费", totalOf([]yusuan.TableKind{yusuan.GeneralBudgetBasicByEconomic, yusuan.BasicExpenditure}, "personnel", "合计（人员经费）")},
	{"public", "公用经费", totalOf([]yusuan.TableKind{yusuan.GeneralBudgetBasicByEconomic, yusuan.BasicExpenditure}, "public", "合计（公用经费）")},
	{"three_public", "“三公”经费", func(d *doc) (term, bool) {
		t := d.table(yusuan.ThreePublic)
		if t == nil {
			return term{}, false
		}
		return d.threePublicTotal(t)
	}},
	{"admin_operating", "机关运行经费", totalOf([]yusuan.TableKind{yusuan.AdminOperating}, "total", "合计")},
	{"performance_amount", "绩效目标项目金额", performanceTerm},
}

// performanceTerm sums the 年度资金总额 of the project performance target
// tables. Those tables are free-form: one table per project with a row
// named …年度资金总额… (its first printed value), or one table listing the
// projects with a column whose header says 年度资金总额; the unit is the
// table's, else a printed "（元）"/"（万元）". When the narrative states how
// many projects it publishes and the tables show another number, the sum
// is not comparable and there is no term.
func performanceTerm(d *doc) (term, bool) {
	x, _, ok := performanceIn(d, scale元)
	return x, ok
}

// performanceIn is performanceTerm with tables that print no unit taken to
// be in the unit of scale; guessed tells whether any was.
func performanceIn(d *doc, guess int64) (x term, guessed, ok bool) {
	var s sum
	var first *yusuan.Table
	projects := 0
	for i := range d.Tables {
		t := &d.Tables[i]
		if t.Kind != yusuan.PerformanceTargets {
			continue
		}
		sc, known := perfScale(t)
		if !known {
			sc = guess
		}
		funds := annualFunds(t)
		guessed = guessed || (!known && len(funds) > 0)
		for _, c := range funds {
			s.addCell(t, c.r, c.col, sc)
		}
		projects += len(funds)
		if first == nil && len(funds) > 0 {
			first = t
		}
	}
	if s.n == 0 {
		return term{}, false, false
	}
	if n, ok := d.Facts["performance_project_count"]; ok && !n.IsNull() && n.String() != strconv.Itoa(projects) {
		return term{}, false, false
	}
	sc, known := perfScale(first)
	if !known {
		sc = guess
	}
	return totalTerm("绩效目标表 年度资金总额", s, sc, first), guessed, true
}

// annualFunds lists the 年度资金总额 cells of a performance table.
func annualFunds(t *yusuan.Table) []cellRef {
	var out []cellRef
	var col string
	for _, k := range allCols(t) {
		if vocab.IsAnnualFunds(k) || vocab.IsAnnualFunds(fold(t.Headers[k])) {
			col = k
			break
		}
	}
	for i := range t.Rows {
		r := &t.Rows[i]
		if col != "" {
			if v := r.Values[col]; !v.IsNull() && totalKindOf(r.Name) == notTotal {
				out = append(out, cellRef{t, r, col})
			}
			continue
		}
		// The label may be the row's name or a cell of its own (资金总额：
		// printed left of the figure).
		labelled := vocab.IsAnnualFunds(fold(r.Name))
		for _, s := range r.Raw {
			labelled = labelled || vocab.IsAnnualFunds(fold(s))
		}
		if !labelled {
			continue
		}
		keys := make([]string, 0, len(r.Values))
		for k := range r.Values {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			if !r.Values[k].IsNull() {
				out = append(out, cellRef{t, r, k})
				break
			}
		}
	}
	return out
}

// tableTexts are the words a free-form table prints: its title first, then
// its headers, line names and cells.
func tableTexts(t *yusuan.Table) []string {
	out := []string{t.Title}
	for _, h := range t.Headers {
		out = append(out, h)
	}
	for i := range t.Rows {
		out = append(out, t.Rows[i].Name)
		for _, s := range t.Rows[i].Raw {
			out = append(out, s)
		}
	}
	return out
}

// perfScale is the unit of a performance table's amounts: the table's, else
// a printed “（元）”/“（万元）” in its title, headers or cells; known is
// false when none is printed (元 is then the usual guess).
func perfScale(t *yusuan.Table) (sc int64, known bool) {
	if strings.TrimSpace(t.Unit) != "" {
		return unitScale(t.Unit), true
	}
	for _, s := range tableTexts(t) {
		s = fold(s)
		if strings.Contains(s, "(万元)") {
			return scale万元, true
		}
		if strings.Contains(s, "(元)") {
			return scale元, true
		}
	}
	return scale元, false
}

func ruleNarrativeFigure(e *emitter, d *doc) {
	for _, ft := range factTargets {
		f, ok := d.fact(ft.key, "情况说明 "+ft.label)
		if !ok {
			continue
		}
		if ft.key == "three_public" && f.m.v == 0 {
			continue // narrative.three_public
		}
		x, ok := ft.table(d)
		if !ok {
			continue
		}
		if alt := factAlts[ft.key]; alt != nil && x.m.ok && judge(f.m.v, x.m.v, allowed(f, x, one(x))) == mismatch {
			if y, ok := alt(d); ok && y.m.ok && judge(f.m.v, y.m.v, allowed(f, y, one(y))) != mismatch {
				x = y
			}
		}
		f.table = nil
		tables := append([]string{narrativeTable}, tablesOf(x.table)...)
		if ft.key == "performance_amount" {
			// The table (often in 元) is checked against the text (万元).
			// A table that prints no unit agrees in either.
			if _, guessed, _ := performanceIn(d, scale元); guessed && judge(x.m.v, f.m.v, allowed(x, f, one(f))) == mismatch {
				if y, _, ok := performanceIn(d, scale万元); ok && judge(y.m.v, f.m.v, allowed(y, f, one(f))) != mismatch {
					x = y
				} else {
					e.conf, e.why = yusuan.ConfidenceLow, "绩效目标表未印金额单位，按元读"
				}
			}
			e.compare(x, f, one(f), []string{string(yusuan.PerformanceTargets), narrativeTable}, d.factPages(ft.key)...)
			e.conf, e.why = "", ""
			continue
		}
		e.compare(f, x, one(x), tables, d.factPages(ft.key)...)
	}
}

// percentTargets: each stated share, its part and the wholes it may be a
// share of (fact keys, whose table figures are preferred). Templates differ
// on the whole (支出总计, 本年支出合计, 基本+项目): a share agreeing with any
// of them is right.
var percentTargets = []struct {
	key, label string
	part       string
	wholes     [][]string // each whole is the sum of these keys
}{
	{"gpb_income_pct", "一般公共预算收入占比", "gpb_income", [][]string{{"total_income"}, {"current_income"}}},
	{"basic_pct", "基本支出占比", "basic", [][]string{{"total_expenditure"}, {"basic", "project"}}},
	{"project_pct", "项目支出占比", "project", [][]string{{"total_expenditure"}, {"basic", "project"}}},
}

// figure is the table figure a fact names, else the fact itself.
func (d *doc) figure(key string) (term, bool) {
	for _, ft := range factTargets {
		if ft.key == key {
			if x, ok := ft.table(d); ok {
				return x, true
			}
		}
	}
	if key == "total_expenditure" {
		if t := d.table(yusuan.ExpenditureSummary); t != nil {
			return tableTotal(t, "total", "支出总表 合计"), true
		}
	}
	return d.fact(key, "情况说明 "+key)
}

func decOf(a yusuan.Amount) decimal.Decimal { return a.Decimal() }

// statedHalf is half the coarsest precision a figure may have been rounded
// to before a share was computed from it: the table's printed precision,
// or the precision the narrative states that figure in, when it does.
func (d *doc) statedHalf(key string, x term) int64 {
	u := x.coarsest()
	if f, ok := d.fact(key, ""); ok {
		u = max(u, f.m.ulp)
	}
	return u * int64(x.terms()) / 2
}

func ruleNarrativePercent(e *emitter, d *doc) {
	for _, pt := range percentTargets {
		stated, ok := d.Facts[pt.key]
		if !ok || stated.IsNull() {
			continue
		}
		part, ok := d.figure(pt.part)
		if !ok || !part.m.ok {
			continue
		}
		k := int32(stated.Places())
		halfUlp := decimal.New(5, -k-1)
		type cand struct {
			whole term
			r     decimal.Decimal
			diff  decimal.Decimal
			fits  bool // within what the rounding of part and whole allows
		}
		// The writer may have divided figures rounded to the precision they
		// state them in (万元, two decimals) rather than the table's 元.
		hPart := d.statedHalf(pt.part, part)
		var best *cand
		for _, keys := range pt.wholes {
			var w term
			var hWhole int64
			okAll := true
			for i, key := range keys {
				x, ok := d.figure(key)
				if !ok || !x.m.ok {
					okAll = false
					break
				}
				hWhole += d.statedHalf(key, x)
				if i == 0 {
					w = x
				} else {
					ulp := w.m.ulp
					w = plus(w, x, w.label+"+"+x.label)
					w.m.ulp = ulp
				}
			}
			if !okAll || w.m.v == 0 {
				continue
			}
			pct := func(p, w int64) decimal.Decimal {
				return decimal.NewFromInt(p).Mul(decimal.NewFromInt(100)).DivRound(decimal.NewFromInt(w), k+6)
			}
			r := pct(part.m.v, w.m.v)
			c := cand{whole: w, r: r, diff: decOf(stated).Sub(r).Abs()}
			if part.m.v > 0 && w.m.v > hWhole && part.m.v > hPart {
				lo := pct(part.m.v-hPart, w.m.v+hWhole).Sub(halfUlp)
				hi := pct(part.m.v+hPart, w.m.v-hWhole).Add(halfUlp)
				c.fits = !decOf(stated).LessThan(lo) && !decOf(stated).GreaterThan(hi)
			}
			if best == nil || c.diff.LessThan(best.diff) {
				best = &c
			}
		}
		if best == nil || best.diff.LessThanOrEqual(halfUlp) {
			continue
		}
		whole := best.whole
		st, _ := d.fact(pt.key, "情况说明 "+pt.label)
		f := finding{
			tables:   append([]string{narrativeTable}, tablesOf(part.table, whole.table)...),
			pages:    d.factPages(pt.key),
			expected: best.r.StringFixed(k), actual: stated.String(), unit: "%",
			figures: []figure{{roleActual, st}, {rolePart, part}, {rolePart, whole}},
			msg: "情况说明 " + pt.label + " " + stated.String() + "% ≠ " + part.label + " " + part.String() +
				" ÷ " + whole.label + " " + format(whole.m.v, whole.scale, places(whole.m.ulp, whole.scale)) +
				" = " + best.r.StringFixed(k+2) + "%",
		}
		// Shares stated to add up to 100% are adjusted by up to one unit
		// of their last digit (57_jiangsu p.25: 63.75% for 63.7399%, with
		// 25.38% and 10.87% for 10.877%): within 1.5 units is rounding.
		if best.fits || best.diff.LessThanOrEqual(decimal.New(15, -k-1)) {
			f.sev = yusuan.SeverityInfo
			f.msg = "尾差：" + f.msg
		}
		e.add(f)
	}
}

// yoyFacts are the stated year-on-year figures: this year's figure, last
// year's, the change and the percentage (fact keys; any may be missing).
var yoyFacts = []struct{ cur, prev, change, pct, label string }{
	{"total_income", "total_income_prev", "yoy_change", "yoy_change_pct", "收入总计"},
	{"admin_operating", "admin_operating_prev", "admin_operating_change", "admin_operating_change_pct", "机关运行经费"},
}

func half(a yusuan.Amount) decimal.Decimal { return decimal.New(5, -int32(a.Places())-1) }

func ruleNarrativeYoY(e *emitter, d *doc) {
	tables := []string{narrativeTable, string(yusuan.IncomeExpenditureSummary)}
	for _, y := range yoyFacts {
		get := func(k string) (yusuan.Amount, bool) {
			a, ok := d.Facts[k]
			return a, ok && !a.IsNull()
		}
		cur, okCur := get(y.cur)
		prev, okPrev := get(y.prev)
		change, okChange := get(y.change)
		pct, okPct := get(y.pct)
		pages := d.factPages(y.cur, y.prev, y.change, y.pct)
		fig := func(role string, keys ...string) []figure {
			var out []figure
			for _, k := range keys {
				if x, ok := d.fact(k, "情况说明 "+k); ok {
					out = append(out, figure{role, x})
				}
			}
			return out
		}
		// The stated change = this year − last year, both as stated.
		if okCur && okPrev && okChange {
			want := cur.Decimal().Sub(prev.Decimal())
			tol := half(cur).Add(half(prev)).Add(half(change))
			if change.Decimal().Sub(want).Abs().GreaterThan(tol) {
				e.add(finding{tables: tables, pages: pages, expected: want.String(), actual: change.String(), unit: "万元",
					msg: "情况说明 " + y.label + "增减 " + change.String() + " ≠ " + cur.String() + " − 上年 " + prev.String() +
						" = " + want.String() + "（差 " + change.Decimal().Sub(want).Abs().String() + " 万元）",
					figures: append(fig(roleActual, y.change), fig(rolePart, y.cur, y.prev)...)})
			}
		}
		if !okChange || !okPct {
			continue
		}
		c, p := change.Decimal(), pct.Decimal()
		if !c.IsZero() && !p.IsZero() && c.Sign() != p.Sign() {
			e.add(finding{tables: tables, pages: pages, actual: pct.String(), unit: "%",
				msg:     "情况说明 " + y.label + "增减 " + change.String() + " 万元与增减率 " + pct.String() + "% 方向相反",
				figures: append(fig(roleActual, y.pct), fig(roleExpected, y.change)...)})
			continue
		}
		// Last year's figure as stated, or this year's less the change; the
		// percentage may be anything their rounding allows, plus half a unit
		// of its own last digit.
		var bases []decimal.Decimal
		var base decimal.Decimal
		hc := half(change)
		switch {
		case okPrev:
			base = prev.Decimal()
			bases = []decimal.Decimal{base.Sub(half(prev)), base.Add(half(prev))}
		case okCur:
			base = cur.Decimal().Sub(c)
			for _, dt := range []decimal.Decimal{half(cur).Neg(), half(cur)} {
				for _, dc := range []decimal.Decimal{hc.Neg(), hc} {
					bases = append(bases, cur.Decimal().Add(dt).Sub(c.Add(dc)))
				}
			}
		default:
			continue
		}
		k := int32(pct.Places())
		first := true
		var lo, hi decimal.Decimal
		for _, b := range bases {
			if b.Sign() <= 0 {
				first = true
				break
			}
			for _, dc := range []decimal.Decimal{hc.Neg(), hc} {
				r := c.Add(dc).Mul(decimal.NewFromInt(100)).DivRound(b, k+6)
				if first || r.LessThan(lo) {
					lo = r
				}
				if first || r.GreaterThan(hi) {
					hi = r
				}
				first = false
			}
		}
		if first || base.Sign() <= 0 {
			continue // no meaningful base
		}
		hp := decimal.New(5, -k-1)
		if p.GreaterThanOrEqual(lo.Sub(hp)) && p.LessThanOrEqual(hi.Add(hp)) {
			continue
		}
		r := c.Mul(decimal.NewFromInt(100)).DivRound(base, k+2)
		baseKey := y.prev
		if !okPrev {
			baseKey = y.cur
		}
		e.add(finding{tables: tables, pages: pages, expected: r.StringFixed(k), actual: pct.String(), unit: "%",
			msg: "情况说明 " + y.label + "增减率 " + pct.String() + "% ≠ 增减额 " + change.String() + " ÷ 上年 " +
				base.String() + " = " + r.String() + "%",
			figures: append(fig(roleActual, y.pct), fig(rolePart, y.change, baseKey)...)})
	}
}

// noThreePublicRE matches statements that there is no “三公” budget (quotes
// removed first).
var noThreePublicRE = regexp.MustCompile(`(无|没有|未安排|不存在)(财政拨款)?(安排)?(的)?三公经费|三公经费(预算|支出)?(数)?(均)?为(0|零|0\.00)(万元|元)?[，。；,;]`)

func ruleNarrativeThreePublic(e *emitter, d *doc) {
	t := d.table(yusuan.ThreePublic)
	if t == nil {
		return
	}
	f, hasFact := d.fact("three_public", "情况说明 “三公”经费")
	saysNone := (hasFact && f.m.v == 0) || (!hasFact && noThreePublicRE.MatchString(stripQuotes(fold(d.narrative()))))
	tot, ok := d.threePublicTotal(t)
	if !hasValues(t) {
		tot, ok = zero(t, "“三公”经费表 合计"), true
	}
	if !ok || !tot.m.ok {
		return // the table's total could not be read
	}
	tables := []string{narrativeTable, string(t.Kind)}
	pages := append(d.factPages("three_public"), t.Pages...)
	figs := []figure{{roleExpected, tot}}
	if hasFact {
		figs = append([]figure{{roleActual, f}}, figs...)
	}
	switch {
	case saysNone && tot.m.v != 0 && hasFact && 2*abs(tot.m.v) <= f.m.ulp:
		// 0.00 万元 stated for a table's 30 元: the text rounds it away.
		e.add(finding{sev: yusuan.SeverityInfo, tables: tables, pages: pages, expected: "0", actual: tot.String(),
			unit: unitName(tot.scale), figures: figs,
			msg: "尾差：情况说明称“三公”经费 " + f.String() + " 万元，" + tot.label + " 为 " + tot.String() + " " + unitName(tot.scale)})
	case saysNone && tot.m.v != 0:
		e.add(finding{tables: tables, pages: pages, expected: "0", actual: tot.String(),
			unit: unitName(tot.scale), figures: figs,
			msg: "情况说明称无“三公”经费，但" + tot.label + " 为 " + tot.String() + " " + unitName(tot.scale)})
	case hasFact && f.m.v != 0 && tot.m.v == 0:
		e.add(finding{tables: tables, pages: pages, expected: f.String(), actual: "0", unit: "万元", figures: figs,
			msg: "情况说明称“三公”经费 " + f.String() + " 万元，但“三公”经费表无数"})
	}
}

// dateRE finds 截至/截止 dates in the text.
var dateRE = regexp.MustCompile(`截[至止]([0-9]{4})年(([0-9]{1,2})月([0-9]{1,2}日)?|底|末|年底|年末)?`)

// wrongLevel lists definitions that name a level of government.
var levelWords = []struct {
	word       string
	provincial bool // the word belongs to provincial documents
}{
	{"省直部门", true}, {"省级部门", true}, {"省直单位", true}, {"省级预算部门", true},
	{"市直部门", false}, {"市级部门", false}, {"县直部门", false}, {"区直部门", false},
}

// isProvincial guesses the level of an entity from its name.
func isProvincial(entity string) bool {
	e := fold(entity)
	return (strings.Contains(e, "省") || strings.Contains(e, "自治区")) &&
		!strings.ContainsAny(e, "市县州旗盟")
}

func ruleNarrativeBoilerplate(e *emitter, d *doc) {
	tables := []string{narrativeTable}
	// Duplicated phrases: 主要原因是主要原因是.
	counts := map[string]int{}
	var order []string
	pagesOf := map[string][]int{}
	for _, s := range d.Narrative {
		for _, ph := range proseRepeats(s.Text) {
			if counts[ph] == 0 {
				order = append(order, ph)
			}
			counts[ph]++
			pagesOf[ph] = append(pagesOf[ph], s.Page)
		}
	}
	for _, ph := range order {
		msg := "重复词组“" + ph + "”"
		if counts[ph] > 1 {
			msg += "（" + strconv.Itoa(counts[ph]) + " 处）"
		}
		e.add(finding{tables: tables, pages: pagesOf[ph], msg: msg, actual: ph})
	}
	// Dates from another year.
	y := d.Meta.Year
	if y != 0 {
		// The years each month and day is printed with: 截至2026年2月25日
		// twice and 截至2025年2月25日 once is last year's sentence left in.
		years := map[string]map[int]bool{}
		for _, s := range d.Narrative {
			for _, m := range dateRE.FindAllStringSubmatch(fold(s.Text), -1) {
				yr, _ := strconv.Atoi(m[1])
				if years[m[2]] == nil {
					years[m[2]] = map[int]bool{}
				}
				years[m[2]][yr] = true
			}
		}
		seen := map[string]bool{}
		for _, s := range d.Narrative {
			for _, m := range dateRE.FindAllStringSubmatch(fold(s.Text), -1) {
				yr, _ := strconv.Atoi(m[1])
				leftOver := m[2] != "" && yr != y && years[m[2]][y]
				if dateFits(d.Meta.Kind, y, yr) && !leftOver || seen[m[0]] {
					continue
				}
				seen[m[0]] = true
				e.add(finding{tables: tables, pages: []int{s.Page}, actual: m[0],
					msg: "日期“" + m[0] + "”与 " + strconv.Itoa(y) + " 年度文件不符"})
			}
		}
	}
	// Definitions naming another level of government.
	if d.Meta.Entity != "" {
		prov := isProvincial(d.Meta.Entity)
		for _, lw := range levelWords {
			if lw.provincial == prov {
				continue
			}
			for _, s := range d.Narrative {
				if strings.Contains(s.Text, lw.word) {
					e.add(finding{tables: tables, pages: []int{s.Page}, actual: lw.word,
						msg: "“" + lw.word + "”不合本级（" + d.Meta.Entity + "）"})
					break
				}
			}
		}
	}
}

// dateFits: a budget for year y speaks of dates in y or in y-1, when it
// was drawn up (Shanghai counts assets 截至y-1年8月31日, Shenzhen 截至y-1年10月);
// a final account of dates in y or y+1.
func dateFits(kind yusuan.DocKind, y, yr int) bool {
	if yr == y {
		return true
	}
	if kind == yusuan.KindFinalAccount {
		return yr == y+1
	}
	return yr == y-1
}

// repeatedPhrases finds Han phrases of 3–10 characters printed twice in a
// row.
func repeatedPhrases(text string) []string {
	rs := []rune(text)
	var out []string
	for i := 0; i < len(rs); i++ {
		for l := 10; l >= 3; l-- {
			if i+2*l > len(rs) || rs[i] != rs[i+l] || rs[i] < 0x3400 {
				continue
			}
			if slices.Equal(rs[i:i+l], rs[i+l:i+2*l]) && allHan(rs[i:i+l]) && !headerWordsOnly(string(rs[i:i+l])) {
				out = append(out, string(rs[i:i+2*l]))
				i += 2*l - 1
				break
			}
		}
	}
	return out
}

// proseRepeats are the repeated phrases of the sentences of text that read
// as prose: a table's cells run into the narrative print a phrase twice
// when two wrapped cells sit side by side (43_guangzhou p.83 “黄埔至黄埔至
// 南沙东部快速通道沙7,000南沙…”), which is no slip of the writer's.
func proseRepeats(text string) []string {
	var out []string
	for _, sent := range strings.FieldsFunc(text, func(r rune) bool { return strings.ContainsRune("。！？；\n", r) }) {
		if !tableDebris(sent) {
			out = append(out, repeatedPhrases(sent)...)
		}
	}
	return out
}

// bareFigure is a figure printed without its unit between words: a cell's
// (2,611.52目标1, 沙7,000南沙), not a sentence's (108.22万元, 1,000份).
var bareFigure = regexp.MustCompile(`(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+\.\d{2})(\p{Han})`)

// measureWords may follow a figure in a sentence.
const measureWords = "万千亿元个人名份辆台套次项家户件条所篇期场天年月日倍吨米处"

// debrisHeaderWords are header words that prose does not string together.
var debrisHeaderWords = []string{"小计", "合计", "单位名称", "科目编码", "科目名称", "项目名称", "预算数", "决算数", "金额"}

// tableDebris reports whether a sentence is a table's text run into the
// narrative: a unit line (单位：万元), a figure without its unit between
// words, or two header words (38_xian p.18 “单位名称小计行政事业小计…”).
func tableDebris(sent string) bool {
	if vocab.UnitRe.MatchString(sent) {
		return true
	}
	for _, m := range bareFigure.FindAllStringSubmatch(sent, -1) {
		if !strings.Contains(measureWords, m[1]) {
			return true
		}
	}
	n := 0
	for _, w := range debrisHeaderWords {
		if strings.Contains(sent, w) {
			n++
		}
	}
	return n >= 2
}

func allHan(rs []rune) bool {
	for _, r := range rs {
		if !unicode.Is(unicode.Han, r) {
			return false
		}
	}
	return true
}

// headerWordsOnly reports whether s is a run of table header words.
func headerWordsOnly(s string) bool {
	ok := make([]bool, len(s)+1) // ok[i]: s[:i] splits into header words
	ok[0] = true
	for i := 0; i < len(s); i++ {
		if !ok[i] {
			continue
		}
		for _, w := range vocab.TableHeaderWords {
			if strings.HasPrefix(s[i:], w) {
				ok[i+len(w)] = true
			}
		}
	}
	return ok[len(s)]
}

// threePublicTotal is this year's “三公” total of a “三公” table. Tables
// printed across may show last year, this year and the change side by side
// (total, total_2, total_3: the group whose headers name the document's
// year counts; unknown when none does), and may add 会议费 and 培训费 into
// their 合计 (the “三公” total is then 出国 + 接待 + 公务用车).
func (d *doc) threePublicTotal(t *yusuan.Table) (term, bool) {
	const label = "“三公”经费表 合计"
	cols := allCols(t)
	if !slices.Contains(cols, "abroad") && !slices.Contains(cols, "reception") {
		return threePublicRowsTotal(t), true
	}
	// The “三公” 小计 beside 会议费 and 培训费 (this year's when years are
	// printed side by side: the others are three_public_prev …).
	if slices.Contains(cols, "three_public") {
		return tableTotal(t, "three_public", "“三公”经费表 “三公”经费小计"), true
	}
	suffix := ""
	if slices.Contains(cols, "total_2") || slices.Contains(cols, "abroad_2") {
		suffix = "?"
		if y := d.Meta.Year; y != 0 {
			for _, c := range cols {
				if strings.Contains(t.Headers[c], strconv.Itoa(y)+"年") {
					suffix = groupSuffix(c)
					break
				}
			}
		}
		if suffix == "?" && !slices.Contains(cols, "abroad_2") {
			suffix = "" // one group; total_2 is a 小计 within it
		}
	}
	if suffix == "?" {
		return term{}, false // several years side by side, which is this one's unknown
	}
	extra := slices.ContainsFunc(cols, func(c string) bool {
		return c == "meeting" || c == "training" || c == "admin_operating" || strings.HasPrefix(c, "会议费") || strings.HasPrefix(c, "培训费")
	})
	if !extra {
		return tableTotal(t, "total"+suffix, label), true
	}
	var s sum
	var missing bool
	for _, k := range []string{"abroad", "reception", "vehicles"} {
		x := tableTotal(t, k+suffix, label)
		if !x.m.ok {
			missing = true
			break
		}
		s.addTerm(x)
	}
	if missing || s.n == 0 {
		return term{}, false
	}
	x := totalTerm("“三公”经费表 出国+接待+公务用车", s, unitScale(t.Unit), t)
	return x, true
}

// threePublicRowsTotal is the “三公” total of a table listing the items as
// lines: the line naming the “三公” total, else 合计 when the table lists
// nothing else, else the sum of the three items. Tables also list 行政经费
// (Guangzhou's 表8: 行政经费 3,555.29 above “三公”经费 304.63, and no 合计),
// 会议费, 培训费 or 机关运行经费, which a 合计 would count.
func threePublicRowsTotal(t *yusuan.Table) term {
	const col = "total"
	if r := threePublicLine(t, isThreePublicTotalName); r != nil {
		return orZero(cell(t, r, col, "“三公”经费表 "+normName(r.Name)))
	}
	if threePublicLine(t, isThreePublicExtra) == nil {
		return tableTotal(t, col, "“三公”经费表 合计")
	}
	sc := unitScale(t.Unit)
	var s sum
	for _, w := range []string{"出国", "接待", "购置及运行"} {
		if r := threePublicLine(t, func(n string) bool { return strings.Contains(n, w) }); r != nil {
			s.addCell(t, r, col, sc)
		}
	}
	if s.n == 0 {
		return term{label: "“三公”经费表 出国+接待+公务用车", scale: sc, table: t}
	}
	return totalTerm("“三公”经费表 出国+接待+公务用车", s, sc, t)
}

// isThreePublicTotalName: “三公”经费, “三公”经费合计, “三公”经费支出 (quotes
// stripped, normalised).
func isThreePublicTotalName(n string) bool {
	rest, ok := strings.CutPrefix(n, "三公经费")
	return ok && utf8.RuneCountInString(rest) <= 4 && !strings.ContainsAny(rest, "出国接待公务用车")
}

// isThreePublicExtra: lines some “三公” tables add beside the three items.
func isThreePublicExtra(n string) bool {
	for _, w := range vocab.ThreePublicExtras {
		if strings.Contains(n, w) {
			return true
		}
	}
	return false
}

// groupSuffix is the _2 of total_2 (the numbering of repeated column groups).
func groupSuffix(col string) string {
	if i := strings.LastIndexByte(col, '_'); i > 0 {
		if _, err := strconv.Atoi(col[i+1:]); err == nil {
			return col[i:]
		}
	}
	return ""
}
