package check

import (
	"cmp"
	"slices"
	"strings"

	"yusuan"
	"yusuan/vocab"
)

// findByWords is the first row whose normalised name contains one of words.
func findByWords(rows []*yusuan.Row, words []string) *yusuan.Row {
	for _, r := range rows {
		n := normName(r.Name)
		for _, w := range words {
			if strings.Contains(n, w) {
				return r
			}
		}
	}
	return nil
}

// sourceRow finds an income source line of a two-sided table: current-year
// sources among the items, 上年结转 among the carry-over lines.
func (ts *twoSided) sourceRow(col string, words []string) *yusuan.Row {
	if col == "carryover" {
		heads := make([]*yusuan.Row, 0, len(ts.inc.extras))
		for _, x := range ts.inc.extras {
			heads = append(heads, x.head)
		}
		return findByWords(heads, words)
	}
	return findByWords(ts.inc.items, words)
}

// currentOrGrand is a side's 本年合计, or its 总计 when it prints none.
func currentOrGrand(s sideRows) *yusuan.Row {
	if s.current != nil {
		return s.current
	}
	return s.grand
}

func one(x term) sum { return sum{ulps: x.m.ulp, n: 1, coarse: x.m.ulp} }

func ruleCrossTotals(e *emitter, d *doc) {
	ies := d.table(yusuan.IncomeExpenditureSummary)
	inc := d.table(yusuan.IncomeSummary)
	exp := d.table(yusuan.ExpenditureSummary)
	fis := d.table(yusuan.FiscalSummary)
	if ies == nil {
		return
	}
	ts := d.twoSided(ies)
	if inc != nil && ts.inc.grand != nil {
		// A total printed blank while the table has figures was not read:
		// no orZero for totals.
		x := cell(ies, ts.inc.grand, ts.incCol, "收支总表 "+normName(ts.inc.grand.Name))
		a := tableTotal(inc, "total", "收入总表 合计")
		e.compare(a, x, one(x), tablesOf(inc, ies))
		if r := totalRow(inc); r != nil {
			for _, src := range vocab.IncomeSources {
				if _, printed := r.Values[src.Col]; !printed {
					continue
				}
				ir := ts.sourceRow(src.Col, src.Words)
				if ir == nil {
					continue
				}
				x := orZero(cell(ies, ir, ts.incCol, "收支总表 "+normName(ir.Name)))
				a := orZero(cell(inc, r, src.Col, "收入总表 合计（"+vocab.ColumnName(src.Col)+"）"))
				e.compare(a, x, one(x), tablesOf(inc, ies))
			}
		}
	}
	if exp != nil {
		if r := currentOrGrand(ts.exp); r != nil {
			x := cell(ies, r, ts.expCols[0], "收支总表 "+normName(r.Name))
			a := tableTotal(exp, "total", "支出总表 合计")
			e.compare(a, x, one(x), tablesOf(exp, ies))
		}
	}
	if fis != nil {
		fs := d.twoSided(fis)
		for _, src := range vocab.IncomeSources[:3] {
			fr := fs.sourceRow(src.Col, src.Words)
			ir := ts.sourceRow(src.Col, src.Words)
			if fr == nil || ir == nil {
				continue
			}
			x := orZero(cell(ies, ir, ts.incCol, "收支总表 "+normName(ir.Name)))
			a := orZero(cell(fis, fr, fs.incCol, "财政拨款收支总表 "+normName(fr.Name)))
			// Some 收支总表 print each source with its 上年结转 included.
			if co := fiscalCarryover(fis, fs, src.Words); co.n > 0 && co.v != 0 &&
				judge(a.m.v, x.m.v, allowed(a, x, one(x))) == mismatch {
				b := plus(a, totalTerm("上年结转", co, a.scale, fis), a.label+"+上年结转")
				if judge(b.m.v, x.m.v, allowed(b, x, one(x))) != mismatch {
					a = b
				}
			}
			e.compare(a, x, one(x), tablesOf(fis, ies))
		}
	}
}

// categoryTerms maps the 类 rows of a coded table by normalised name. A
// department's table repeats the 类 unit by unit: the category is their sum,
// unless the first occurrence (the department's own block) already is.
func categoryTerms(t *yusuan.Table, col string) (map[string]term, []string) {
	all := map[string][]term{}
	var order []string
	// Lines are grouped by code, so that a line whose name was not read
	// still counts; the category is named by its first printed name.
	nameOf := map[string]string{}
	for _, r := range categoryRows(t) {
		k := r.CodeString()
		if k == "" {
			k = normName(r.Name)
		}
		if nameOf[k] == "" {
			nameOf[k] = normName(r.Name)
		}
		if _, dup := all[k]; !dup {
			order = append(order, k)
		}
		all[k] = append(all[k], orZero(cell(t, r, col, vocab.KindLabel(t.Kind)+" "+rowLabel(r))))
	}
	for i, k := range order {
		if nameOf[k] == "" {
			nameOf[k] = vocab.CategoryCodes[k]
		}
		if n := nameOf[k]; n != "" {
			all[n], order[i] = all[k], n
			if n != k {
				delete(all, k)
			}
		}
	}
	m := make(map[string]term, len(all))
	for n, xs := range all {
		m[n] = xs[0]
		if len(xs) == 1 {
			continue
		}
		var rest sum
		for _, x := range xs[1:] {
			rest.addTerm(x)
		}
		if judge(xs[0].m.v, rest.v, xs[0].m.ulp+rest.ulps) != mismatch {
			continue
		}
		var s sum
		for _, x := range xs {
			s.addTerm(x)
		}
		x := totalTerm(xs[0].label+"（各单位合计）", s, xs[0].scale, t)
		m[n] = x
	}
	return m, order
}

// categoryRows are the 类 lines of a functional classification table: by
// code, or by name in a table that prints none (29_hangzhou 表3: 一般公共服务
// 支出 12,868.19 above its 款 and 项, all without codes). A 类 named again
// right below itself (其他支出, then its 款 其他支出) counts once.
func categoryRows(t *yusuan.Table) []*yusuan.Row {
	rows := dataRows(t)
	var out []*yusuan.Row
	for _, r := range rows {
		if levelOf(r) == 1 {
			out = append(out, r)
		}
	}
	if len(out) > 0 || slices.Contains(econKinds, t.Kind) || slices.ContainsFunc(rows, func(r *yusuan.Row) bool {
		return r.CodeString() != "" || r.EconCode != "" || r.GovEconCode != ""
	}) {
		return out
	}
	last := ""
	for _, r := range rows {
		n := normName(r.Name)
		if vocab.CategoryNames[n] && n != last {
			out = append(out, r)
		}
		if n != "" {
			last = n
		}
	}
	return out
}

// matchCategories compares the categories of a two-sided table's
// expenditure side (column col) with the 类 rows of a coded table (column
// tcol). A nonzero category found on one side only is a warning: names vary
// between templates more than figures do.
func matchCategories(e *emitter, two *yusuan.Table, ts *twoSided, col string, coded *yusuan.Table, tcol string) {
	var printed sum
	for _, r := range ts.exp.items {
		printed.addCell(two, r, col, unitScale(two.Unit))
	}
	if printed.n == 0 {
		return // the categories' figures were not read
	}
	cats, order := categoryTerms(coded, tcol)
	if len(cats) == 0 {
		return // the table prints no 类 (Jiangsu's 支出预算总表: one 合计 line)
	}
	seen := map[string]bool{}
	tables := tablesOf(two, coded)
	for _, r := range ts.exp.items {
		n := normName(r.Name)
		a := cell(two, r, col, vocab.KindLabel(two.Kind)+" "+n)
		c, ok := cats[n]
		if !ok {
			// Only a category the template names can be missing from the
			// other table (not 部门预算, nor a name cut by wrapping).
			if a.m.ok && a.m.v != 0 && vocab.CategoryNames[n] {
				e.add(finding{sev: yusuan.SeverityWarning, tables: tables, pages: a.pages(), unit: unitName(a.scale),
					msg:     vocab.KindLabel(two.Kind) + " " + n + " " + a.String() + " 在" + vocab.KindLabel(coded.Kind) + "中无对应的类",
					actual:  a.String(),
					figures: []figure{{roleActual, a}}})
			}
			continue
		}
		seen[n] = true
		e.compare(orZero(a), c, one(c), tables)
	}
	for _, n := range order {
		c := cats[n]
		if seen[n] || c.m.v == 0 || !vocab.CategoryNames[n] {
			continue
		}
		e.add(finding{sev: yusuan.SeverityWarning, tables: tables, pages: c.pages(), unit: unitName(c.scale),
			msg:      c.label + " " + c.String() + " 在" + vocab.KindLabel(two.Kind) + "中无对应的支出功能分类",
			expected: c.String(),
			figures:  []figure{{roleExpected, c}}})
	}
}

func ruleCrossCategories(e *emitter, d *doc) {
	ies := d.table(yusuan.IncomeExpenditureSummary)
	exp := d.table(yusuan.ExpenditureSummary)
	if ies == nil || exp == nil {
		return
	}
	ts := d.twoSided(ies)
	matchCategories(e, ies, ts, ts.expCols[0], exp, "total")
}

// fiscalCarryover is the 上年财政拨款结转 of one source in a fiscal summary.
func fiscalCarryover(fis *yusuan.Table, fs *twoSided, words []string) sum {
	var s sum
	sc := unitScale(fis.Unit)
	for _, x := range fs.inc.extras {
		if r := findByWords(x.subs, words); r != nil {
			s.addCell(fis, r, fs.incCol, sc)
		} else if strings.Contains(normName(x.head.Name), "结转") && findByWords([]*yusuan.Row{x.head}, words) != nil {
			s.addCell(fis, x.head, fs.incCol, sc)
		}
	}
	return s
}

// statedCarryovers are the carry-overs of one fiscal source (col, named
// by words) a document states, most specific first. The first is the
// source's own, perhaps empty: the fiscal summary's line for it (1.一般公共
// 预算 under 上年财政拨款结转), else its 上年财政拨款结转 as a whole when the
// source is the only fiscal one with money (templates that do not break the
// carry-over down). Then the 上年财政拨款结转 as a whole, and the 收支总表's
// line for the fiscal carry-over or the source.
func (d *doc) statedCarryovers(fis *yusuan.Table, col string, words []string) []sum {
	fs := d.twoSided(fis)
	own := fiscalCarryover(fis, fs, words)
	var heads sum
	for _, x := range fs.inc.extras {
		if strings.Contains(normName(x.head.Name), "结转") {
			extraValue(fis, x, fs.incCol, &heads)
		}
	}
	if own.n == 0 && soleFiscalSource(fis, fs, col) {
		own = heads
	}
	out := []sum{own}
	if heads.n > 0 && heads.v != 0 {
		out = append(out, heads)
	}
	if ies := d.table(yusuan.IncomeExpenditureSummary); ies != nil {
		ts := d.twoSided(ies)
		for _, x := range ts.inc.extras {
			r := findByWords(append([]*yusuan.Row{x.head}, x.subs...), append([]string{"财政拨款"}, words...))
			if r == nil {
				continue
			}
			var s sum
			s.addCell(ies, r, ts.incCol, unitScale(ies.Unit))
			if s.n > 0 && s.v != 0 {
				out = append(out, s)
			}
		}
	}
	return out
}

// soleFiscalSource reports whether a fiscal summary spends money from col
// alone among the fiscal sources.
func soleFiscalSource(fis *yusuan.Table, fs *twoSided, col string) bool {
	r := currentOrGrand(fs.exp)
	if r == nil || !toMoney(r.Values[col], unitScale(fis.Unit)).ok {
		return false
	}
	for _, c := range []string{"gpb", "fund", "soe"} {
		if m := toMoney(r.Values[c], unitScale(fis.Unit)); c != col && m.ok && m.v != 0 {
			return false
		}
	}
	return true
}

// excludesCarryover reports whether a table's title says 不含上年结转.
func excludesCarryover(t *yusuan.Table) bool {
	return strings.Contains(fold(t.Title), "不含上年结转")
}

func ruleCrossGeneralBudget(e *emitter, d *doc) {
	gbe := d.table(yusuan.GeneralBudgetExpenditure)
	if gbe == nil {
		return
	}
	if fis := d.table(yusuan.FiscalSummary); fis != nil {
		fs := d.twoSided(fis)
		if r := currentOrGrand(fs.exp); r != nil && anyCol([]*yusuan.Row{r}, "gpb") {
			x := orZero(cell(fis, r, "gpb", "财政拨款收支总表 "+normName(r.Name)+"（一般公共预算）"))
			a := tableTotal(gbe, "total", "一般公共预算支出表 合计")
			y := withoutCarryover(a, x, d.statedCarryovers(fis, "gpb", []string{"一般公共预算"}), excludesCarryover(gbe))
			e.compare(a, y, one(y), tablesOf(gbe, fis))
			if y.label == x.label {
				// No carry-over between them: category by category too.
				matchCategories(e, fis, fs, "gpb", gbe, "total")
			}
		}
	}
	if econ := d.table(yusuan.GeneralBudgetBasicByEconomic); econ != nil {
		x := tableTotal(econ, "total", "基本支出经济科目表 合计")
		a := tableTotal(gbe, "basic", "一般公共预算支出表 合计（基本支出）")
		e.compare(a, x, one(x), tablesOf(gbe, econ))
	}
}

func ruleCrossAdminOperating(e *emitter, d *doc) {
	ao := d.table(yusuan.AdminOperating)
	econ := d.table(yusuan.GeneralBudgetBasicByEconomic, yusuan.BasicExpenditure)
	if ao == nil || econ == nil || !hasValues(ao) {
		return
	}
	a := tableTotal(ao, "total", "机关运行经费 合计")
	x := publicTotal(econ)
	if !x.m.ok {
		return // no 公用经费 in the table, as a column or as rows
	}
	tables := tablesOf(ao, econ)
	// A document may say its 机关运行经费 is of another scope (2017: 财政部
	// counted the running costs of 专项 in it): a difference is then
	// explained, in its own words.
	e.explained = d.adminOperatingScope()
	defer func() { e.explained = "" }()
	if d.Meta.Scope == yusuan.ScopeDepartment {
		// A department's 事业单位 have 公用经费 but no 机关运行经费: only
		// more than all 公用经费 is a contradiction.
		if a.m.v > x.m.v && judge(a.m.v, x.m.v, a.m.ulp+x.m.ulp) == mismatch {
			e.add(finding{tables: tables, pages: append(a.pages(), x.pages()...), unit: unitName(a.scale),
				msg:      "机关运行经费 " + a.String() + " > 公用经费 " + x.String() + "（超出 " + format(a.m.v-x.m.v, a.scale, places(a.m.ulp, a.scale)) + " " + unitName(a.scale) + "）",
				expected: "≤ " + x.String(), actual: a.String(),
				figures: []figure{{roleActual, a}, {roleExpected, x}}})
		}
		return
	}
	e.compare(a, x, one(x), tables)
}

// adminOperatingScope is the document's own words saying its 机关运行经费
// is of another scope than the basic-expenditure 公用经费 (the sentences
// about 机关运行 that say so, or that follow one about it), "" when none.
// 56_jiangsu p.22: “主要原因是两个年度报表设计的统计口径形成的差异。2017 年
// 将涉及机关运行的项目经费支出纳入了本表……”.
func (d *doc) adminOperatingScope() string {
	for _, s := range d.Narrative {
		sents := strings.FieldsFunc(s.Text, func(r rune) bool { return r == '。' || r == '\n' })
		var said []string
		for i, sent := range sents {
			about := strings.Contains(sent, "机关运行") || i > 0 && strings.Contains(sents[i-1], "机关运行")
			if about && vocab.AdminOperatingScopeRe.MatchString(sent) {
				said = append(said, strings.TrimSpace(sent)+"。")
			}
		}
		if len(said) > 0 {
			return strings.Join(said, "")
		}
	}
	return ""
}

// publicGroups are the economic 类 that make up 公用经费 in a 基本支出 table.
var publicGroups = map[string]bool{"302": true, "310": true, "商品和服务支出": true, "资本性支出": true}

// publicTotal is the 公用经费 of a basic-expenditure table: its public
// column, else (a table broken down by economic classification only) its
// 公用经费合计 line, else Σ its 302 and 310 lines.
func publicTotal(t *yusuan.Table) term {
	label := vocab.KindLabel(t.Kind) + " 公用经费"
	if slices.Contains(allCols(t), "public") {
		return tableTotal(t, "public", label)
	}
	cols := valueCols(t)
	if len(cols) == 0 {
		return term{label: label, scale: unitScale(t.Unit), table: t}
	}
	col := cols[0]
	for _, c := range []string{"total", "amount", "actual"} {
		if slices.Contains(cols, c) {
			col = c
			break
		}
	}
	rows := dataRows(t)
	for _, r := range rows {
		switch normName(r.Name) {
		case "公用经费合计", "公用经费小计", "公用经费":
			return orZero(cell(t, r, col, label+"（"+normName(r.Name)+"）"))
		}
	}
	var s sum
	for _, r := range rows {
		if looksLikeOrg(r.Name) {
			// A department table repeats the groups unit by unit.
			return term{label: label, scale: unitScale(t.Unit), table: t}
		}
		if !isEconGroup(r) {
			continue
		}
		code := cmp.Or(r.EconCode, r.GovEconCode, r.CodeString())
		if publicGroups[code] || (code == "" && publicGroups[normName(r.Name)]) {
			s.addCell(t, r, col, unitScale(t.Unit))
		}
	}
	if s.n == 0 {
		return term{label: label, scale: unitScale(t.Unit), table: t}
	}
	x := totalTerm(label+"（商品和服务支出+资本性支出）", s, unitScale(t.Unit), t)
	return x
}

// projectTotal is a project table's figure for a column: its 合计 row, else
// the sum of its unit lines, else of all lines.
func (d *doc) projectTotal(t *yusuan.Table, col, label string) term {
	if r := totalRow(t); r != nil {
		return orZero(cell(t, r, col, label))
	}
	sc := unitScale(t.Unit)
	var groups, all sum
	for _, r := range dataRows(t) {
		all.addCell(t, r, col, sc)
		if d.isUnitRow(r.Name) {
			groups.addCell(t, r, col, sc)
		}
	}
	s := all
	if groups.n > 0 {
		s = groups
	}
	if s.n == 0 {
		return zero(t, label)
	}
	x := totalTerm(label, s, sc, t)
	return x
}

func ruleCrossProject(e *emitter, d *doc) {
	pc := d.table(yusuan.ProjectCurrent)
	if pc == nil {
		return
	}
	pco := d.table(yusuan.ProjectCarryover)
	if es := d.table(yusuan.ExpenditureSummary); es != nil {
		x := tableTotal(es, "project", "支出总表 项目支出")
		a := d.projectTotal(pc, "total", "项目支出表（本年）合计")
		tables := tablesOf(pc, es)
		if pco != nil && hasValues(pco) {
			c := d.projectTotal(pco, "total", "")
			a = plus(a, c, "项目支出表（本年+上年结转）合计")
			tables = tablesOf(pc, pco, es)
		}
		e.compare(a, x, one(x), tables)
	}
	if gbe := d.table(yusuan.GeneralBudgetExpenditure); gbe != nil {
		if _, ok := colSet(pc)["gpb"]; ok {
			x := tableTotal(gbe, "project", "一般公共预算支出表 项目支出")
			a := d.projectTotal(pc, "gpb", "项目支出表（本年）一般公共预算")
			// The 一般公共预算支出表 may include the 上年结转 that the project
			// table prints in a column of its own.
			for _, c := range allCols(pc) {
				if c != "carryover" && !strings.Contains(c, "结转") {
					continue
				}
				co := d.projectTotal(pc, c, "")
				if judge(a.m.v, x.m.v, allowed(a, x, one(x))) == mismatch && co.m.ok && co.m.v != 0 {
					b := plus(a, co, "项目支出表（本年）一般公共预算+上年结转")
					if judge(b.m.v, x.m.v, allowed(b, x, one(x))) != mismatch {
						a = b
					}
				}
				break
			}
			tables := tablesOf(pc, gbe)
			// checks.md: the project table (本年) is the 项目支出 less the
			// carry-over; the 一般公共预算支出表 includes the 一般公共预算
			// 上年结转 (printed in the fiscal summary) where the project
			// table's own carry-over column mixes every fund.
			if fis := d.table(yusuan.FiscalSummary); fis != nil && judge(a.m.v, x.m.v, allowed(a, x, one(x))) == mismatch {
				co := fiscalCarryover(fis, d.twoSided(fis), []string{"一般公共预算"})
				if y := withoutCarryover(a, x, []sum{co}, false); y.label != x.label {
					x = y
					tables = tablesOf(pc, gbe, fis)
				}
			}
			e.compare(a, x, one(x), tables)
		}
	}
}

func colSet(t *yusuan.Table) map[string]bool {
	m := map[string]bool{}
	for _, c := range valueCols(t) {
		m[c] = true
	}
	return m
}

func ruleCrossGovFund(e *emitter, d *doc) {
	gf := d.table(yusuan.GovFundExpenditure)
	fis := d.table(yusuan.FiscalSummary)
	if gf == nil || fis == nil {
		return
	}
	fs := d.twoSided(fis)
	r := currentOrGrand(fs.exp)
	if r == nil || !anyCol([]*yusuan.Row{r}, "fund") {
		return // the fiscal summary prints no 政府性基金 column
	}
	x := orZero(cell(fis, r, "fund", "财政拨款收支总表 "+normName(r.Name)+"（政府性基金）"))
	a := tableTotal(gf, "total", "政府性基金预算支出表 合计")
	x = withoutCarryover(a, x, d.statedCarryovers(fis, "fund", []string{"政府性基金"}), excludesCarryover(gf))
	e.compare(a, x, one(x), tablesOf(gf, fis))
}

// withoutCarryover is the fiscal summary's figure x a table's a should
// equal when the fiscal summary includes 上年财政拨款结转 (cos: the
// carry-overs the document states, the source's own first): less the first
// stated carry-over that makes them agree; failing that, less the source's
// own when the table's title says 不含上年结转. Templates do not always say;
// a carry-over that makes figures agree is what they mean.
func withoutCarryover(a, x term, cos []sum, excludes bool) term {
	less := func(co sum) term {
		return minus(x, totalTerm("上年结转", co, x.scale, nil), x.label+"−上年结转")
	}
	for _, co := range cos {
		if co.v == 0 {
			continue
		}
		if y := less(co); judge(a.m.v, y.m.v, a.m.ulp+y.m.ulp) != mismatch {
			return y
		}
	}
	if excludes && len(cos) > 0 && cos[0].v != 0 {
		return less(cos[0])
	}
	return x
}
