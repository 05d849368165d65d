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
		// A narrative published apart from its tables (表样附后,
		// 附件：…部门预算报表) says so: that is no table left unread.
		if said, page := d.sentence(vocab.SaysTablesElsewhere); said != "" {
			e.add(finding{sev: yusuan.SeverityInfo, pages: []int{page}, tables: []string{narrativeTable},
				msg: "文件不含表格，文中说明表格另附：“" + said + "”"})
			return
		}
		e.add(finding{msg: "未能识别任何表格"})
		return
	}
	if !d.hasBudgetTables() {
		// Performance targets or a list of projects only: not the budget
		// tables, each of them missing.
		e.add(finding{sev: yusuan.SeverityInfo, msg: "未识别出模板要求的任何预算表（文件只含：" + strings.Join(d.tableLabels(), "、") + "）"})
		return
	}
	var missing, unlisted []string
	var mkinds, ukinds []string
	template, templatePages := d.templateWithout()
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
		// The document's contents promise it: left out, or not read.
		if entry, page := d.contentsEntry(k); entry != "" {
			e.add(finding{tables: []string{string(k)}, pages: []int{page}, actual: string(k),
				conf: yusuan.ConfidenceLow, why: "目录列有此表，提取未能读出或文件未附",
				msg: "未能读出表：" + vocab.KindLabel(k) + "（目录列有“" + entry + "”）"})
			continue
		}
		// The document says the unit has none of it: explained.
		if said, page := d.sentence(func(s string) bool { return vocab.SaysNone(s, k) }); said != "" {
			e.add(finding{sev: yusuan.SeverityInfo, tables: []string{string(k)}, pages: []int{page}, actual: string(k),
				msg: "未列" + vocab.KindLabel(k) + "，文中说明：“" + said + "”"})
			continue
		}
		// A table the document's template does not print is not missing.
		if template != "" {
			unlisted = append(unlisted, vocab.KindLabel(k))
			ukinds = append(ukinds, string(k))
			continue
		}
		missing = append(missing, vocab.KindLabel(k))
		mkinds = append(mkinds, string(k))
	}
	if len(unlisted) > 0 {
		e.add(finding{sev: yusuan.SeverityInfo, tables: ukinds, pages: templatePages, actual: strings.Join(ukinds, ","),
			msg: "模板未列：" + strings.Join(unlisted, "、") + "（" + template + "）"})
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

// templateWithout says why the tables the document prints are its
// template's whole set, "" when nothing shows it: its contents list the
// tables (and a kind they do not list is no table of the template), or
// its printed labels run from the first number to the last with none
// missing (表一…表十二: a kind printed under none of them is not in the
// template; a gap could be the kind). It returns the pages that tell: the
// contents', or the first and last labelled tables'.
func (d *doc) templateWithout() (string, []int) {
	if n, page := d.contentsTables(); n >= minListed {
		return "目录所列 " + strconv.Itoa(n) + " 张表中无此表", []int{page}
	}
	if first, last, ok := d.labelsUnbroken(); ok {
		return "所印表号" + first.Label + "至" + last.Label + "连续，无缺号", []int{firstPage(first.Pages), firstPage(last.Pages)}
	}
	return "", nil
}

// minListed is how many tables a contents list or a run of labels must
// name to stand for the template's set (a list of the document's parts
// names one, 预算公开表).
const minListed = 5

// contentsTables counts the entries of the document's contents that are
// tables (a label, or a title the vocabulary knows), and gives the page
// of the contents that list them.
func (d *doc) contentsTables() (n, page int) {
	for _, c := range d.Contents {
		m := 0
		for _, e := range c.Entries {
			if vocab.PartRe.MatchString(e) {
				continue // 第二部分 …部门预算表: the heading of the set
			}
			if label, _ := vocab.SplitLabel(e); label != "" {
				m++
			} else if _, ok := vocab.Classify(e); ok {
				m++
			}
		}
		if m > 0 && page == 0 {
			page = c.Page
		}
		n += m
	}
	return n, page
}

// contentsEntry is the entry of the document's contents naming a table of
// kind k (or one publishing its figures), and the contents' page.
func (d *doc) contentsEntry(k yusuan.TableKind) (string, int) {
	for _, c := range d.Contents {
		for _, e := range c.Entries {
			for _, kk := range append([]yusuan.TableKind{k}, sameFigures[k]...) {
				if vocab.Names(e, kk) {
					return e, c.Page
				}
			}
		}
	}
	return "", 0
}

// labelsUnbroken reports whether the printed labels of the document's
// tables run from 1 with no number missing, in the series most of them
// are printed in (表一…, 公开01表…), and gives the first and last tables so
// labelled. A table whose label was not read, between two that were,
// stands for a number.
func (d *doc) labelsUnbroken() (first, last *yusuan.Table, ok bool) {
	count := map[string]int{}
	for i := range d.Tables {
		if s, _, ok := vocab.LabelNumber(d.Tables[i].Label); ok {
			count[s]++
		}
	}
	series, most := "", 0
	for s, n := range count {
		if n > most || n == most && s < series {
			series, most = s, n
		}
	}
	if most < minListed {
		return nil, nil, false
	}
	next, unread := 1, 0
	for i := range d.Tables {
		t := &d.Tables[i]
		s, n, ok := vocab.LabelNumber(t.Label)
		switch {
		case !ok || s != series:
			unread++
		case n < next: // a part (表3-1) or a table continued
		case n-next > unread:
			return nil, nil, false
		default:
			if first == nil {
				first = t
			}
			last, next, unread = t, n+1, 0
		}
	}
	return first, last, true
}

// sentence is the first sentence of the narrative (definitions left out)
// that match accepts, and its section's page.
func (d *doc) sentence(match func(string) bool) (string, int) {
	for _, s := range d.Narrative {
		if vocab.IsGlossaryHeading(s.Heading) {
			continue
		}
		for _, sent := range strings.FieldsFunc(s.Heading+"\n"+s.Text, func(r rune) bool { return r == '。' || r == '；' || r == '\n' }) {
			if sent = strings.TrimSpace(sent); match(sent) {
				return sent, s.Page
			}
		}
	}
	return "", 0
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
	case d.TextUnreadable:
		e.add(finding{msg: "文字无法解码（字体未把字形映射到正确的字符），无从核对"})
	}
}
