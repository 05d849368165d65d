package check

import (
	"maps"
	"slices"
	"strings"
	"unicode"

	"yusuan"
	"yusuan/vocab"
)

// twoSided is a 收支总表 or 财政拨款收支总表 read as two columns of rows.
type twoSided struct {
	t        *yusuan.Table
	inc, exp sideRows
	incCol   string   // the income amount column
	expCols  []string // expenditure columns, the total first
}

// sideRows splits one side: the items (sources or categories) down to the
// current-year total, then carry-over lines down to the grand total.
type sideRows struct {
	items   []*yusuan.Row
	current *yusuan.Row
	extras  []extra
	grand   *yusuan.Row
}

// extra is a line between 本年合计 and 总计 (上年结转 …) with its sub-lines
// (一、一般公共预算 … under 上年财政拨款结转).
type extra struct {
	head *yusuan.Row
	subs []*yusuan.Row
}

func (d *doc) twoSided(t *yusuan.Table) *twoSided {
	if ts, ok := d.sides[t]; ok {
		return ts
	}
	ts := analyseTwoSided(t)
	if d.sides == nil {
		d.sides = map[*yusuan.Table]*twoSided{}
	}
	d.sides[t] = ts
	return ts
}

func analyseTwoSided(t *yusuan.Table) *twoSided {
	ts := &twoSided{t: t}
	var inc, exp []*yusuan.Row
	for i := range t.Rows {
		r := &t.Rows[i]
		switch r.Side {
		case yusuan.SideIncome:
			inc = append(inc, r)
		case yusuan.SideExpenditure:
			exp = append(exp, r)
		}
	}
	ts.inc, ts.exp = splitSide(inc), splitSide(exp)
	// Some templates list 款 and 项 under each 类 without ordinals: the
	// categories are then the lines named as 类.
	if cats := slices.DeleteFunc(slices.Clone(ts.exp.items), func(r *yusuan.Row) bool {
		return !vocab.CategoryNames[normName(r.Name)]
	}); len(cats) > 0 && !slices.ContainsFunc(ts.exp.items, func(r *yusuan.Row) bool { return hasChineseOrdinal(r.Name) }) {
		ts.exp.items = cats
	}
	// Budgets print 预算数 (amount, or budget beside 上年 figures), final
	// accounts 决算数 (actual).
	ts.incCol = pickCol(inc, "amount", "total", "subtotal", "budget", "actual")
	main := pickCol(exp, "total", "subtotal", "amount", "budget", "actual")
	ts.expCols = []string{main}
	for _, c := range []string{"current", "carryover", "gpb", "fund", "soe"} {
		if c != main && anyCol(exp, c) {
			ts.expCols = append(ts.expCols, c)
		}
	}
	return ts
}

func anyCol(rows []*yusuan.Row, c string) bool {
	for _, r := range rows {
		if _, ok := r.Values[c]; ok {
			return true
		}
	}
	return false
}

func pickCol(rows []*yusuan.Row, cands ...string) string {
	for _, c := range cands {
		if anyCol(rows, c) {
			return c
		}
	}
	return cands[0]
}

func isCarry(name string) bool {
	n := normName(name)
	for _, w := range vocab.CarryWords {
		if strings.Contains(n, w) {
			return true
		}
	}
	return false
}

// splitSide sorts one side's lines: the items (sources or categories), the
// carry-over lines (with the lines detailing them), the current-year and the
// grand total; templates print 本年合计 before or after the items.
func splitSide(rows []*yusuan.Row) sideRows {
	var s sideRows
	inExtras := false
	for _, r := range rows {
		if s.grand != nil || isColumnNumberRow(r.Name) {
			continue
		}
		switch totalKindOf(r.Name) {
		case totalCurrent:
			if s.current == nil {
				s.current = r
				continue
			}
		case totalGrand:
			s.grand = r
			continue
		case totalPlain:
			continue
		}
		switch {
		case isCarry(r.Name) && !(inExtras && hasSubOrdinal(r.Name)):
			// (1.财政拨款结余、结转 under 上年结余、结转 details it.)
			s.extras = append(s.extras, extra{head: r})
			inExtras = true
		case inExtras:
			s.extras[len(s.extras)-1].subs = append(s.extras[len(s.extras)-1].subs, r)
		default:
			s.items = append(s.items, r)
		}
	}
	// Sources and categories carry 一、二、…; lines without one are
	// sub-items (1.事业收入) or blanks, not terms of the total.
	ord := slices.ContainsFunc(s.items, func(r *yusuan.Row) bool { return hasChineseOrdinal(r.Name) })
	if ord {
		s.items = slices.DeleteFunc(s.items, func(r *yusuan.Row) bool { return !hasChineseOrdinal(r.Name) })
	} else if len(s.items) > 1 && normName(s.items[0].Name) != "" && !hasSubOrdinal(s.items[0].Name) &&
		hasSubOrdinal(s.items[1].Name) {
		// 财政拨款 with 1.一般公共预算拨款 … under it: the numbered lines
		// detail the unnumbered ones.
		s.items = slices.DeleteFunc(s.items, func(r *yusuan.Row) bool { return hasSubOrdinal(r.Name) })
	}
	return s
}

// extraValue is a carry-over line's figure: its own, or the sum of its
// sub-lines when it prints none.
func extraValue(t *yusuan.Table, x extra, col string, s *sum) {
	sc := unitScale(t.Unit)
	if m := toMoney(x.head.Values[col], sc); m.ok || m.overflow {
		s.addCell(t, x.head, col, sc)
		return
	}
	for _, r := range x.subs {
		s.addCell(t, r, col, sc)
	}
}

func ruleSummaryBalance(e *emitter, d *doc, t *yusuan.Table) {
	ts := d.twoSided(t)
	tables := tablesOf(t)
	sc := unitScale(t.Unit)
	mainExp := ts.expCols[0]
	// 收入总计 = 支出总计. A total printed blank is no 0.00 (51_shanghai
	// p.7 prints nothing beside 收入总计): its side's lines stand for it.
	if ts.inc.grand != nil && ts.exp.grand != nil {
		a, as := sideTotal(t, ts.inc, ts.incCol)
		x, xs := sideTotal(t, ts.exp, mainExp)
		switch {
		case !a.m.ok && !a.m.overflow || !x.m.ok && !x.m.overflow:
		case as != nil:
			e.compare(x, a, *as, tables)
		case xs != nil:
			e.compare(a, x, *xs, tables)
		default:
			e.compare(a, x, one(x), tables)
		}
	}
	// 本年收入合计 = Σ sources.
	if r := ts.inc.current; r != nil {
		if s := sumRows(t, ts.inc.items, ts.incCol, sc, false); s.n > 0 {
			e.compare(orZero(cell(t, r, ts.incCol, normName(r.Name))), sumTerm("Σ收入来源", s, sc, t), s, tables)
		}
	}
	// 本年支出合计 = Σ categories, column by column.
	if r := ts.exp.current; r != nil {
		var checks colChecks
		for _, c := range ts.expCols {
			s := sumRows(t, ts.exp.items, c, sc, false)
			if s.n == 0 {
				continue // the column is not printed for the categories
			}
			checks.add(c, orZero(cell(t, r, c, "")), "Σ功能分类", s)
		}
		e.compareCols(normName(r.Name), checks, tables, sc, t)
	}
	// 总计 = 本年合计 + carry-over lines, on each side.
	for _, side := range []struct {
		s   sideRows
		col string
	}{{ts.inc, ts.incCol}, {ts.exp, mainExp}} {
		if side.s.grand == nil || side.s.current == nil {
			continue
		}
		var s sum
		s.addCell(t, side.s.current, side.col, sc)
		for _, x := range side.s.extras {
			extraValue(t, x, side.col, &s)
		}
		// (A total printed blank is not compared: cell, not orZero.)
		e.compare(cell(t, side.s.grand, side.col, normName(side.s.grand.Name)),
			sumTerm(normName(side.s.current.Name)+"+结转", s, sc, t), s, tables)
	}
	// Each category: 合计 = 当年 + 结转 (收支总表 only; the fiscal table's
	// 小计 = Σ sources is row.sum).
	if slices.Contains(ts.expCols, "current") || slices.Contains(ts.expCols, "carryover") {
		for _, r := range append(slices.Clone(ts.exp.items), ts.exp.current, ts.exp.grand) {
			if r == nil {
				continue
			}
			var s sum
			s.addCell(t, r, "current", sc)
			s.addCell(t, r, "carryover", sc)
			tot := cell(t, r, mainExp, normName(r.Name)+"（合计）")
			if !tot.m.ok && s.n == 0 {
				continue
			}
			e.compare(orZero(tot), sumTerm("当年预算+上年结转", s, sc, t), s, tables)
		}
	}
}

// sideTotal is a side's grand total as printed; when it is printed blank,
// the sum of what the side prints above it — 本年合计 and the carry-over
// lines, else the items and the carry-over lines — with that sum (nil for
// a printed total). The term is not ok when the side prints nothing.
func sideTotal(t *yusuan.Table, side sideRows, col string) (term, *sum) {
	g := cell(t, side.grand, col, normName(side.grand.Name))
	if g.m.ok || g.m.overflow {
		return g, nil
	}
	sc := unitScale(t.Unit)
	var s sum
	label := "Σ" + sideName(side.grand)
	if c := side.current; c != nil && toMoney(c.Values[col], sc).ok {
		s.addCell(t, c, col, sc)
		label = normName(c.Name) + "+结转"
	} else {
		for _, r := range side.items {
			s.addCell(t, r, col, sc)
		}
	}
	for _, x := range side.extras {
		extraValue(t, x, col, &s)
	}
	if s.n == 0 {
		return g, nil
	}
	return sumTerm(label+"（"+normName(side.grand.Name)+"空白）", s, sc, t), &s
}

// sideName names a side's lines by its grand total: 收入 for 收入总计.
func sideName(grand *yusuan.Row) string {
	if grand.Side == yusuan.SideExpenditure {
		return "支出"
	}
	return "收入"
}

// rowSumFamily says which columns add up to the total in a kind of table.
type rowSumFamily int

const (
	famNone rowSumFamily = iota
	famBasicProject
	famPersonnelPublic
	famSources
)

var rowSumFamilies = map[yusuan.TableKind]rowSumFamily{
	yusuan.ExpenditureSummary:           famBasicProject,
	yusuan.GeneralBudgetExpenditure:     famBasicProject,
	yusuan.GovFundExpenditure:           famBasicProject,
	yusuan.StateCapital:                 famBasicProject,
	yusuan.FAExpenditure:                famBasicProject,
	yusuan.FAGeneralBudgetExpenditure:   famBasicProject,
	yusuan.FAGovFund:                    famBasicProject,
	yusuan.FAStateCapital:               famBasicProject,
	yusuan.GeneralBudgetBasicByEconomic: famPersonnelPublic,
	yusuan.BasicExpenditure:             famPersonnelPublic,
	yusuan.FAGeneralBudgetBasic:         famPersonnelPublic,
	yusuan.GeneralBudgetByEconomic:      famBasicProject,
	yusuan.IncomeSummary:                famSources,
	yusuan.FAIncome:                     famSources,
	yusuan.ThreePublic:                  famSources,
	yusuan.AdminOperating:               famSources,
	yusuan.ProjectCurrent:               famSources,
	yusuan.ProjectCarryover:             famSources,
	yusuan.FiscalSummary:                famSources, // expenditure side: 小计 = gpb + fund + soe
}

// unitSubKeys are columns that detail 单位资金 in some templates; a total
// may or may not count them besides `unit`.
var unitSubKeys = []string{"business", "other", "operating", "superior", "affiliated"}

// sourceKeys are the funding-source columns that add up to a total.
var sourceKeys = []string{"gpb", "fund", "soe", "special", "unit", "carryover", "business", "other",
	"operating", "superior", "affiliated", "subtotal", "business_fund", "account_balance"}

// notParts are columns that are never terms of a row total.
var notParts = []string{"total", "subtotal", "budget", "actual", "amount", "prev", "change", "pct",
	"special_funds", "procurement_sme", "procurement_small"} // the last: 其中 (of which) columns

// partSets are the alternative sets of columns that may add up to the total
// column in a table; a row agrees when any of them does.
func partSets(t *yusuan.Table, fam rowSumFamily) (string, [][]string) {
	cols := t.Columns
	if len(cols) == 0 {
		seen := map[string]bool{}
		for i := range t.Rows {
			for k := range t.Rows[i].Values {
				if !seen[k] {
					seen[k] = true
					cols = append(cols, k)
				}
			}
		}
		slices.Sort(cols)
	}
	has := func(c string) bool { return slices.Contains(cols, c) }
	if slices.ContainsFunc(cols, func(c string) bool { return strings.HasPrefix(c, "budget") || strings.HasPrefix(c, "actual") }) {
		return "", nil // 预算数/决算数 side by side: not a sum
	}
	totalCol := "total"
	if !has("total") {
		if !has("subtotal") {
			return "", nil
		}
		totalCol = "subtotal"
	}
	if fam == famBasicProject || fam == famPersonnelPublic {
		for _, c := range cols {
			if !amountKeys[c] && !slices.Contains(notParts, c) && (hasHan(c) || strings.HasPrefix(c, "col")) {
				// A part we cannot place (单位预留机动经费 beside 基本支出
				// and 项目支出): the known parts need not add up.
				return "", nil
			}
		}
	}
	switch fam {
	case famBasicProject:
		if !has("basic") || !has("project") {
			return "", nil // a part column was not extracted
		}
		if has("reserve") {
			return totalCol, [][]string{{"basic", "project", "reserve"}} // 单位预留机动经费
		}
		return totalCol, [][]string{{"basic", "project"}}
	case famPersonnelPublic:
		if !has("personnel") || !has("public") {
			return "", nil
		}
		return totalCol, [][]string{{"personnel", "public"}}
	}
	for _, c := range cols {
		if !amountKeys[c] && !slices.Contains(notParts, c) {
			return "", nil // a column we cannot place: the parts may be incomplete
		}
	}
	var all, noSub []string
	for _, c := range cols {
		if slices.Contains(notParts, c) || !slices.Contains(sourceKeys, c) {
			continue
		}
		all = append(all, c)
		if !slices.Contains(unitSubKeys, c) {
			noSub = append(noSub, c)
		}
	}
	if len(all) < 2 {
		return "", nil
	}
	sets := [][]string{all}
	if len(noSub) != len(all) && has("unit") {
		sets = append(sets, noSub)
	}
	if totalCol == "total" && has("subtotal") {
		sets = append(sets, []string{"subtotal", "carryover"})
	}
	return totalCol, sets
}

func ruleRowSum(e *emitter, d *doc, t *yusuan.Table) {
	fam := rowSumFamilies[t.Kind]
	if fam == famNone {
		return
	}
	totalCol, sets := partSets(t, fam)
	if len(sets) == 0 {
		return
	}
	sc := unitScale(t.Unit)
	tables := tablesOf(t)
	for _, r := range dataRows(t) {
		if t.Kind == yusuan.FiscalSummary && r.Side != yusuan.SideExpenditure {
			continue
		}
		tot := cell(t, r, totalCol, rowLabel(r)+"（"+vocab.ColumnName(totalCol)+"）")
		best, bestSet := sum{}, []string(nil)
		bestD := int64(-1)
		for _, set := range sets {
			s := sumCols(t, r, set, sc)
			dd := abs(s.v - tot.m.v)
			if bestD < 0 || dd < bestD {
				best, bestSet, bestD = s, set, dd
			}
		}
		if best.n == 0 {
			continue // no part printed: nothing to add up
		}
		names := make([]string, 0, len(bestSet))
		for _, c := range bestSet {
			if _, ok := r.Values[c]; ok {
				names = append(names, vocab.ColumnName(c))
			}
		}
		e.compare(orZero(tot), sumTerm(strings.Join(names, "+"), best, sc, t), best, tables)
	}
}

func rowLabel(r *yusuan.Row) string {
	if c := r.CodeString(); c != "" {
		return c + " " + r.Name
	}
	if r.EconCode != "" {
		return r.EconCode + " " + r.Name
	}
	return r.Name
}

// amountKeys are the column keys that hold amounts (docs/output-format.md);
// others (free-form headers, a code column read as figures) are not summed.
var amountKeys = map[string]bool{
	"total": true, "subtotal": true, "amount": true, "current": true, "carryover": true, "basic": true,
	"project": true, "personnel": true, "public": true, "gpb": true, "fund": true, "soe": true, "special": true,
	"unit": true, "business": true, "other": true, "operating": true, "superior": true, "affiliated": true,
	"budget": true, "actual": true, "reserve": true, "abroad": true, "reception": true, "vehicles": true,
	"vehicle_purchase": true, "vehicle_operation": true, "meeting": true, "training": true, "three_public": true,
	"admin_operating": true, "procurement": true, "procurement_sme": true, "procurement_small": true,
	"business_fund": true, "account_balance": true, "special_funds": true,
}

// valueCols are the amount columns of a table.
func valueCols(t *yusuan.Table) []string {
	var out []string
	for _, c := range allCols(t) {
		if amountKeys[c] {
			out = append(out, c)
		}
	}
	return out
}

// allCols are the columns of a table as extracted.
func allCols(t *yusuan.Table) []string {
	if len(t.Columns) > 0 {
		return t.Columns
	}
	seen := map[string]bool{}
	var cols []string
	for i := range t.Rows {
		for k := range t.Rows[i].Values {
			if !seen[k] {
				seen[k] = true
				cols = append(cols, k)
			}
		}
	}
	slices.Sort(cols)
	return cols
}

// econGroups are the 类 of the economic classifications (部门 301… and
// 政府 501…), for tables that print names without codes.
var econGroups = map[string]bool{
	"工资福利支出": true, "商品和服务支出": true, "对个人和家庭的补助": true, "对个人和家庭补助": true,
	"资本性支出": true, "对企业补助": true, "债务利息及费用支出": true, "对社会保障基金补助": true,
	"资本性支出(基本建设)": true, "对企业补助(基本建设)": true, "其他支出": true,
	"机关工资福利支出": true, "机关商品和服务支出": true, "机关资本性支出(一)": true, "机关资本性支出(二)": true,
	"对事业单位经常性补助": true, "对事业单位资本性补助": true, "对企业资本性支出": true, "对社会保障基金补助支出": true,
}

func isEconGroup(r *yusuan.Row) bool {
	code := r.CodeString()
	switch {
	case r.EconCode == "" && r.GovEconCode == "" && len(code) == 3 && isEconCode(code):
		return true
	case r.EconCode == "" && r.GovEconCode == "" && len(code) > 3:
		return false
	case len(r.EconCode) == 3:
		return true
	case len(r.EconCode) > 3:
		return false
	case len(r.GovEconCode) == 3 && r.EconCode == "":
		return true
	case len(r.GovEconCode) > 3:
		return false
	}
	return econGroups[normName(r.Name)]
}

var econKinds = []yusuan.TableKind{yusuan.GeneralBudgetBasicByEconomic, yusuan.BasicExpenditure, yusuan.FAGeneralBudgetBasic,
	yusuan.GeneralBudgetByEconomic}

func ruleHierarchySum(e *emitter, d *doc, t *yusuan.Table) {
	switch {
	case t.Kind == yusuan.IncomeExpenditureSummary || t.Kind == yusuan.FiscalSummary ||
		t.Kind == yusuan.FAIncomeExpenditureSummary || t.Kind == yusuan.FAFiscalSummary ||
		t.Kind == yusuan.PerformanceTargets || t.Kind == yusuan.Procurement:
		return
	case slices.Contains(econKinds, t.Kind):
		groupedSum(e, t, isEconGroup, nil, econItems)
	case t.Kind == yusuan.ProjectCurrent || t.Kind == yusuan.ProjectCarryover:
		groups, units := projectGroups(d, t)
		groupedSum(e, t, groups, units, "Σ项目")
	case t.Kind == yusuan.AdminOperating:
		// Many 机关运行经费 tables are broken down by economic classification
		// (302 and its 30201…): sum one level, not every line.
		if slices.ContainsFunc(dataRows(t), isEconGroup) {
			groupedSum(e, t, isEconGroup, nil, econItems)
		} else {
			groupedSum(e, t, func(*yusuan.Row) bool { return false }, nil, "")
		}
	default:
		codedSum(e, t)
	}
}

// unitCategory tells a line grouping units by category, printed with a
// code of one or two digits in the units' code column (38_xian 表10: 1 全额,
// 4 自收自支 above 204017).
func unitCategory(r *yusuan.Row) bool { return r.UnitCode != "" && len(r.UnitCode) < 3 }

// isUnitRow tells a unit's line in a project or 机关运行经费 table.
func (d *doc) isUnitRow(name string) bool {
	n := normEntity(name)
	return n == d.key || looksLikeOrg(name)
}

// groupedSum checks tables whose group rows precede their items: each group
// = Σ its items; 合计 = Σ groups (Σ items when there are no groups).
//
// top, when set, picks the groups that add up to 合计 (a project table's
// units, whose projects may be grouped again under them); nil: every group.
func groupedSum(e *emitter, t *yusuan.Table, isGroup, top func(*yusuan.Row) bool, itemsLabel string) {
	sc := unitScale(t.Unit)
	cols := valueCols(t)
	rows := dataRows(t)
	tables := tablesOf(t)
	var total *yusuan.Row
	var groups []*yusuan.Row
	items := map[*yusuan.Row][]*yusuan.Row{}
	var loose []*yusuan.Row // items before any group
	var cur *yusuan.Row
	for _, r := range rows {
		if totalKindOf(r.Name) != notTotal {
			if total == nil {
				total = r
			}
			continue
		}
		if isGroup(r) {
			groups = append(groups, r)
			cur = r
			continue
		}
		if isSubtotal(r.Name) || unitCategory(r) {
			// 人员经费合计 / 公用经费合计: a subtotal over groups, not an
			// item; 1 全额, 4 自收自支: a category over units.
			cur = nil
			continue
		}
		if itemsLabel == econItems && (len(r.EconCode) > 5 || len(r.GovEconCode) > 5 ||
			(r.EconCode == "" && r.GovEconCode == "" && len(r.CodeString()) > 5)) {
			continue // a third level (3010201 under 30102): its 款 counts it already
		}
		if itemsLabel == econItems && looksLikeOrg(r.Name) {
			// A unit's line in a department table: its block starts anew.
			cur = nil
			continue
		}
		if cur == nil {
			loose = append(loose, r)
		} else {
			items[cur] = append(items[cur], r)
		}
	}
	// A unit's block runs to the next unit: the groups found under it by
	// their sums (projects grouped under headings) are part of it.
	if top != nil {
		var unit *yusuan.Row
		for _, r := range rows {
			switch {
			case totalKindOf(r.Name) != notTotal || isSubtotal(r.Name) || unitCategory(r):
				unit = nil
			case top(r):
				unit = r
				items[r] = nil
			case unit != nil:
				items[unit] = append(items[unit], r)
			}
		}
	}
	for _, g := range groups {
		// A group with no item printing a figure is not broken down (the
		// line after it may be the first half of a unit's wrapped name).
		if !slices.ContainsFunc(items[g], func(r *yusuan.Row) bool { return !blank(r) }) ||
			slices.ContainsFunc(items[g], unreadable) {
			continue
		}
		var checks colChecks
		for _, c := range cols {
			x := orZero(cell(t, g, c, ""))
			s := sumRows(t, items[g], c, sc, false)
			if top != nil && judge(x.m.v, s.v, x.m.ulp+s.ulps) != agree && outlineAgrees(t, items[g], c, sc, x.m) {
				continue // projects grouped again under headings
			}
			checks.add(c, x, itemsLabel, s)
		}
		e.compareCols(rowLabel(g), checks, tables, sc, t)
	}
	if total == nil || (len(groups) == 0 && itemsLabel == econItems) {
		return // no group recognised: the levels are unknown
	}
	label := "Σ各行"
	terms := loose
	if len(groups) > 0 {
		label = "Σ各类"
		terms = append(slices.Clone(groups), loose...)
	}
	if top != nil && slices.ContainsFunc(groups, top) {
		label, terms = "Σ各单位", slices.DeleteFunc(slices.Clone(groups), func(r *yusuan.Row) bool { return !top(r) })
	}
	var checks colChecks
	for _, c := range cols {
		var s sum
		for _, it := range terms {
			if slices.Contains(groups, it) {
				s.addLine(t, it, c, sc)
			} else {
				s.addCell(t, it, c, sc)
			}
		}
		tot := cell(t, total, c, "")
		if !tot.m.ok && s.n == 0 {
			continue
		}
		checks.add(c, orZero(tot), label, s)
	}
	e.compareCols(normName(total.Name), checks, tables, sc, t)
}

// codedSum checks functional classification tables: 类 = Σ 款 (or Σ 项 when
// no 款 is printed), 款 = Σ 项, 合计 = Σ 类. A line's children are the lines
// below it, down to the next line of its level or higher, whose code extends
// its own: department tables repeat the same codes unit by unit.
func codedSum(e *emitter, t *yusuan.Table) {
	rows := dataRows(t)
	levels := make([]int, len(rows))
	var l1 []*yusuan.Row
	coded := false
	for i, r := range rows {
		if r.Side != "" {
			return
		}
		levels[i] = levelOf(r)
		coded = coded || levels[i] > 0
		if levels[i] == 1 {
			l1 = append(l1, r)
		}
	}
	if !coded {
		// Categories named without codes: 合计 = Σ类 by name.
		l1 = categoryRows(t)
		if len(l1) == 0 {
			return
		}
	}
	sc := unitScale(t.Unit)
	tables := tablesOf(t)
	cols := valueCols(t)
	check := func(parent *yusuan.Row, kids []*yusuan.Row, label string) {
		if len(kids) == 0 || slices.ContainsFunc(kids, unreadable) {
			return
		}
		var checks colChecks
		for _, c := range cols {
			s := sumRows(t, kids, c, sc, true)
			tot := cell(t, parent, c, "")
			if !tot.m.ok && s.n == 0 {
				continue
			}
			checks.add(c, orZero(tot), label, s)
		}
		e.compareCols(rowLabel(parent), checks, tables, sc, t)
	}
	for i, r := range rows {
		l := levels[i]
		if l != 1 && l != 2 {
			continue
		}
		code := r.CodeString()
		var next, after []*yusuan.Row // children one level down, two levels down
		for j := i + 1; j < len(rows); j++ {
			lj := levels[j]
			if lj == 0 && blank(rows[j]) {
				continue // the rest of a name printed on two lines
			}
			if lj == 0 || lj <= l || !strings.HasPrefix(rows[j].CodeString(), code) {
				break
			}
			if lj == l+1 {
				next = append(next, rows[j])
			} else if lj == l+2 {
				after = append(after, rows[j])
			}
		}
		switch {
		case len(next) > 0 && l == 1:
			check(r, next, "Σ款")
		case len(next) > 0:
			check(r, next, "Σ项")
		case len(after) > 0:
			check(r, after, "Σ项")
		}
	}
	if tot := totalRow(t); tot != nil && len(l1) > 0 {
		check(tot, l1, "Σ类")
	}
}

// threePublicLine finds a line of the “三公” table by what its name says.
func threePublicLine(t *yusuan.Table, match func(n string) bool) *yusuan.Row {
	for i := range t.Rows {
		if match(normName(stripQuotes(t.Rows[i].Name))) {
			return &t.Rows[i]
		}
	}
	return nil
}

func ruleThreePublicSum(e *emitter, d *doc, t *yusuan.Table) {
	abroad := threePublicLine(t, func(n string) bool { return strings.Contains(n, "出国") })
	recept := threePublicLine(t, func(n string) bool { return strings.Contains(n, "接待") })
	car := threePublicLine(t, func(n string) bool { return strings.Contains(n, "购置及运行") })
	buy := threePublicLine(t, func(n string) bool {
		return strings.Contains(n, "购置") && !strings.Contains(n, "运行")
	})
	run := threePublicLine(t, func(n string) bool {
		return strings.Contains(n, "运行") && !strings.Contains(n, "购置")
	})
	sc := unitScale(t.Unit)
	tables := tablesOf(t)
	if slices.Contains(allCols(t), "abroad") || slices.Contains(allCols(t), "reception") {
		threePublicColumns(e, t, sc, tables)
		return
	}
	if abroad == nil && recept == nil && car == nil {
		return // lines not recognised: nothing to add up
	}
	// The “三公” total: its own line, else 合计 unless the table adds other
	// lines (行政经费, 会议费 …) into it.
	total := threePublicLine(t, isThreePublicTotalName)
	if total == nil && threePublicLine(t, isThreePublicExtra) == nil {
		total = totalRow(t)
	}
	// A line named as two items (“因公出国（境）费公务用车购置及运行费其中：
	// 公务用车购置费”: blank lines run into the one with figures) is one
	// printed line: it counts once, and the reading is in doubt.
	items := []*yusuan.Row{abroad, recept, car}
	for i, r := range items {
		if r != nil && slices.Index(items, r) < i {
			e.conf, e.why = yusuan.ConfidenceLow, "行“"+strings.TrimSpace(r.Name)+"”的名称含多个项目，疑为多行合并"
			defer func() { e.conf, e.why = "", "" }()
			break
		}
	}
	line := func(parent *yusuan.Row, kids []*yusuan.Row, label, partsLabel string) {
		var checks colChecks
		kids = slices.DeleteFunc(slices.Clone(kids), func(r *yusuan.Row) bool { return r == nil })
		for _, c := range valueCols(t) {
			var s sum
			for i, r := range kids {
				if slices.Index(kids, r) == i {
					s.addCell(t, r, c, sc)
				}
			}
			tot := cell(t, parent, c, "")
			if tot.m.ok || s.n > 0 {
				checks.add(c, orZero(tot), partsLabel, s)
			}
		}
		e.compareCols(label, checks, tables, sc, t)
	}
	if total != nil {
		line(total, []*yusuan.Row{abroad, recept, car}, "“三公”经费合计", "出国+接待+公务用车")
	}
	if car != nil && (buy != nil || run != nil) {
		line(car, []*yusuan.Row{buy, run}, "公务用车购置及运行费", "购置费+运行维护费")
	}
}

// projectGroups tells the unit lines of a project table: lines named as a
// unit, and lines whose 合计 the lines below add up to exactly (a unit whose
// name does not look like one). Only the named ones can be found wrong: a
// structural guess never raises an error by itself.
func projectGroups(d *doc, t *yusuan.Table) (groups, units func(*yusuan.Row) bool) {
	rows := dataRows(t)
	sc := unitScale(t.Unit)
	col := firstValueCol(t)
	// Where units print their codes (204001 西安市科学技术局), a line named
	// like a unit without one is a project (科技发展专项资金市科技局).
	coded := slices.ContainsFunc(rows, func(r *yusuan.Row) bool {
		return (r.CodeString() != "" || r.UnitCode != "") && totalKindOf(r.Name) == notTotal && d.isUnitRow(r.Name)
	})
	// A line named like a unit but printing no figure is part of a
	// project's wrapped name (广州市交通管理总站 / 2024-2025年信息系统运维项
	// / 目), not a unit's line.
	named := map[*yusuan.Row]bool{}
	for _, r := range rows {
		if totalKindOf(r.Name) == notTotal && d.isUnitRow(r.Name) && (!coded || r.CodeString() != "" || r.UnitCode != "") && !blank(r) {
			named[r] = true
		}
	}
	found := maps.Clone(named)
	for i, r := range rows {
		if found[r] || totalKindOf(r.Name) != notTotal {
			continue
		}
		want := toMoney(r.Values[col], sc)
		if !want.ok || want.v <= 0 || hasProjectSuffix(r.Name) {
			continue
		}
		var s sum
		end := len(rows)
		for j, x := range rows[i+1:] {
			if named[x] || totalKindOf(x.Name) != notTotal {
				end = i + 1 + j
				break
			}
			s.add(toMoney(x.Values[col], sc))
			if s.v >= want.v-s.ulps {
				end = i + 2 + j
				break
			}
		}
		// The lines must close the group: the next line starts another
		// unit (or the table ends).
		closes := end >= len(rows) || named[rows[end]] || totalKindOf(rows[end].Name) != notTotal ||
			!hasProjectSuffix(rows[end].Name)
		if s.n > 0 && closes && judge(want.v, s.v, want.ulp+s.ulps) != mismatch {
			found[r] = true
		}
	}
	return func(r *yusuan.Row) bool { return found[r] }, func(r *yusuan.Row) bool { return named[r] }
}

// threePublicKeys are the columns of a “三公” table printed across (合计,
// 因公出国, 公务接待, 公务用车 小计 (total_2), 购置, 运行维护) and the
// funding columns that may accompany them.
var threePublicKeys = []string{"total", "total_2", "vehicles", "abroad", "reception", "vehicle_purchase", "vehicle_operation", "gpb", "fund", "soe"}

// threePublicColumns checks a “三公” table whose items are columns: 公务用车
// = 购置 + 运行维护, and 合计 = 出国 + 接待 + 公务用车 when the table prints
// nothing else (some add 会议费 and 培训费, or compare years side by side).
func threePublicColumns(e *emitter, t *yusuan.Table, sc int64, tables []string) {
	cols := allCols(t)
	// Several groups side by side (years compared, 会议费 …) number their
	// keys: which total_2 is the 公务用车 subtotal is then unknown.
	for _, c := range cols {
		if c != "total_2" && (strings.HasSuffix(c, "_2") || strings.HasSuffix(c, "_3")) {
			return
		}
	}
	onlyThree := !slices.ContainsFunc(cols, func(c string) bool { return !slices.Contains(threePublicKeys, c) })
	// The 公务用车 subtotal is `vehicles` when its header names it; else the
	// second 小计 (total_2). With `vehicles`, total_2 is the “三公” 小计
	// beside 会议费 and 培训费, which 合计 also counts.
	carKey, threeKey := "total_2", "total"
	if slices.Contains(cols, "vehicles") {
		carKey = "vehicles"
		if slices.Contains(cols, "total_2") {
			threeKey, onlyThree = "total_2", true
		}
	}
	for _, r := range dataRows(t) {
		label := r.Name
		if label == "" {
			label = "“三公”经费"
		}
		car := cell(t, r, carKey, label+" 公务用车购置及运行费")
		var v sum
		v.addCell(t, r, "vehicle_purchase", sc)
		v.addCell(t, r, "vehicle_operation", sc)
		if car.m.ok && v.n > 0 {
			e.compare(car, sumTerm("购置费+运行维护费", v, sc, t), v, tables)
		}
		tot := cell(t, r, threeKey, label+" 合计")
		if !onlyThree || !tot.m.ok {
			continue
		}
		var s sum
		s.addCell(t, r, "abroad", sc)
		s.addCell(t, r, "reception", sc)
		if car.m.ok {
			s.addTerm(car)
		} else {
			s.addCell(t, r, "vehicle_purchase", sc)
			s.addCell(t, r, "vehicle_operation", sc)
		}
		if s.n > 0 {
			e.compare(tot, sumTerm("出国+接待+公务用车", s, sc, t), s, tables)
		}
	}
}

// econItems labels the items of an economic classification group.
const econItems = "Σ经济科目款"

// unreadable reports a row with figures under no known column (a table
// continued on another page whose columns were not matched): sums over it
// cannot be checked.
func unreadable(r *yusuan.Row) bool {
	known, other := false, false
	for k, v := range r.Values {
		if v.IsNull() {
			continue
		}
		if amountKeys[k] {
			known = true
		} else {
			other = true
		}
	}
	return other && !known
}

func hasHan(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}

// blank reports a row that prints no figure.
func blank(r *yusuan.Row) bool {
	for _, v := range r.Values {
		if !v.IsNull() {
			return false
		}
	}
	return true
}
