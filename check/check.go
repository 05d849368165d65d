// Package check runs the consistency rules of docs/checks.md over extracted
// documents. Rules are pure functions of yusuan.Document values: the store
// runner (store.go) only loads documents and saves the findings.
package check

import (
	"cmp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"

	"yusuan"
	"yusuan/vocab"
)

// Scope says what one application of a rule looks at.
type Scope string

const (
	ScopeTable     Scope = "table"     // one table at a time
	ScopeDocument  Scope = "document"  // the tables and narrative of one document
	ScopeDocuments Scope = "documents" // several documents (same entity over years, department and units, versions)
)

// Rule is one consistency check. Exactly one of the check functions is set,
// matching Scope.
type Rule struct {
	ID          string
	Description string
	// Severity is the default; a rule reports 尾差 as info whatever its default.
	Severity yusuan.Severity
	Scope    Scope
	// Kinds, for table rules, are the table kinds the rule applies to (nil:
	// every kind).
	Kinds []yusuan.TableKind

	table     func(e *emitter, d *doc, t *yusuan.Table)
	document  func(e *emitter, d *doc)
	documents func(e *emitter, c *corpus)
}

// Rules is the registry, in the order rules run and are documented.
func Rules() []Rule { return slices.Clone(registry()) }

// Lookup finds a rule by id.
func Lookup(id string) (Rule, bool) {
	for _, r := range registry() {
		if r.ID == id {
			return r, true
		}
	}
	return Rule{}, false
}

var registry = sync.OnceValue(func() []Rule {
	return []Rule{
		{ID: "summary.balance", Description: "收支总表：收入总计=支出总计，本年收入合计=Σ收入来源，本年支出合计=Σ功能分类，各类 合计=当年+结转",
			Severity: yusuan.SeverityError, Scope: ScopeTable,
			Kinds: []yusuan.TableKind{yusuan.IncomeExpenditureSummary, yusuan.FiscalSummary, yusuan.FAIncomeExpenditureSummary, yusuan.FAFiscalSummary},
			table: ruleSummaryBalance},
		{ID: "row.sum", Description: "每行 合计=Σ分项（基本+项目、人员+公用、各资金来源）",
			Severity: yusuan.SeverityError, Scope: ScopeTable, table: ruleRowSum},
		{ID: "hierarchy.sum", Description: "类=Σ款，款=Σ项，合计=Σ类；经济科目 类=Σ款；项目表 单位行=Σ项目",
			Severity: yusuan.SeverityError, Scope: ScopeTable, table: ruleHierarchySum},
		{ID: "three_public.sum", Description: "“三公”合计=出国+接待+公务用车；公务用车=购置+运行维护",
			Severity: yusuan.SeverityError, Scope: ScopeTable,
			Kinds: []yusuan.TableKind{yusuan.ThreePublic, yusuan.FAThreePublic}, table: ruleThreePublicSum},
		{ID: "table.empty_note", Description: "表注称本表无数据（空表），表中却印有数字",
			Severity: yusuan.SeverityWarning, Scope: ScopeTable, table: ruleEmptyNote},
		{ID: "cross.totals", Description: "收支总表、收入总表、支出总表、财政拨款收支总表的总数与资金来源一致",
			Severity: yusuan.SeverityError, Scope: ScopeDocument, document: ruleCrossTotals},
		{ID: "cross.categories", Description: "收支总表各功能分类支出=支出总表对应类",
			Severity: yusuan.SeverityError, Scope: ScopeDocument, document: ruleCrossCategories},
		{ID: "cross.general_budget", Description: "一般公共预算支出表=财政拨款收支总表一般公共预算列；其基本支出=基本支出经济科目表合计",
			Severity: yusuan.SeverityError, Scope: ScopeDocument, document: ruleCrossGeneralBudget},
		{ID: "cross.admin_operating", Description: "机关运行经费=基本支出表公用经费（行政单位）",
			Severity: yusuan.SeverityError, Scope: ScopeDocument, document: ruleCrossAdminOperating},
		{ID: "cross.project", Description: "项目支出表（本年+结转）合计=支出总表项目支出；一般公共预算列=一般公共预算支出表项目支出",
			Severity: yusuan.SeverityError, Scope: ScopeDocument, document: ruleCrossProject},
		{ID: "cross.gov_fund", Description: "政府性基金预算支出表=财政拨款收支总表政府性基金列",
			Severity: yusuan.SeverityError, Scope: ScopeDocument, document: ruleCrossGovFund},
		{ID: "cross.performance", Description: "绩效目标表各项目年度资金总额=项目支出表中同名项目金额",
			Severity: yusuan.SeverityError, Scope: ScopeDocument, document: ruleCrossPerformance},
		{ID: "narrative.figure", Description: "情况说明所述金额=其所指表中数字（元与万元换算后）",
			Severity: yusuan.SeverityError, Scope: ScopeDocument, document: ruleNarrativeFigure},
		{ID: "narrative.percent", Description: "情况说明所述占比=部分/总数（按所印精度）",
			Severity: yusuan.SeverityError, Scope: ScopeDocument, document: ruleNarrativePercent},
		{ID: "narrative.yoy_internal", Description: "情况说明所述增减额与增减率互相一致",
			Severity: yusuan.SeverityError, Scope: ScopeDocument, document: ruleNarrativeYoY},
		{ID: "narrative.three_public", Description: "说明称无“三公”经费而表中有数，或相反",
			Severity: yusuan.SeverityError, Scope: ScopeDocument, document: ruleNarrativeThreePublic},
		{ID: "narrative.boilerplate", Description: "套话疏漏：重复词组、他年日期、错误层级的名词解释",
			Severity: yusuan.SeverityInfo, Scope: ScopeDocument, document: ruleNarrativeBoilerplate},
		{ID: "year.previous", Description: "所述比上年增减=本年数−上年公开文件之数（同一主体）",
			Severity: yusuan.SeverityError, Scope: ScopeDocuments, documents: ruleYearPrevious},
		{ID: "department.units", Description: "部门预算=所属各单位预算之和；机关运行经费与项目表按单位一致",
			Severity: yusuan.SeverityError, Scope: ScopeDocuments, documents: ruleDepartmentUnits},
		{ID: "document.revised", Description: "同一主体同一年度重新发布而数字改变",
			Severity: yusuan.SeverityWarning, Scope: ScopeDocuments, documents: ruleDocumentRevised},
		{ID: "completeness.tables", Description: "模板要求的表均已公开（空表须注明本表无数据）",
			Severity: yusuan.SeverityWarning, Scope: ScopeDocument, document: ruleCompletenessTables},
		{ID: "completeness.three_public", Description: "“三公”经费表及其说明均已公开",
			Severity: yusuan.SeverityWarning, Scope: ScopeDocument, document: ruleCompletenessThreePublic},
		{ID: "amount.range", Description: "金额超出可核对范围（±9.2×10¹⁴ 元，疑为误读），不参与比较",
			Severity: yusuan.SeverityWarning, Scope: ScopeDocument, document: ruleAmountRange},
		{ID: "completeness.text_layer", Description: "图片型 PDF 或无法读取，无从核对",
			Severity: yusuan.SeverityWarning, Scope: ScopeDocument, document: ruleCompletenessTextLayer},
	}
})

// Options select rules.
type Options struct {
	// Rules are rule ids, or prefixes ending in "." ("cross."); empty runs all.
	Rules []string
}

func (o Options) wants(id string) bool {
	if len(o.Rules) == 0 {
		return true
	}
	for _, r := range o.Rules {
		if r == id || (strings.HasSuffix(r, ".") && strings.HasPrefix(id, r)) {
			return true
		}
	}
	return false
}

// checkable reports whether a document has anything rules can read; the
// text-layer rule is the only one run on the others.
func checkable(d *yusuan.Document) bool { return d.Error == "" && d.TextLayer && !d.TextUnreadable }

// CheckDocument runs the table and document rules over one document.
func CheckDocument(d *yusuan.Document, opt Options) []yusuan.Finding {
	e := &emitter{}
	checkOne(e, newDoc(d), opt)
	sortFindings(e.out)
	return e.out
}

func checkOne(e *emitter, d *doc, opt Options) {
	ok := checkable(d.Document)
	for i := range registry() {
		r := &registry()[i]
		if !opt.wants(r.ID) || (!ok && r.ID != "completeness.text_layer") {
			continue
		}
		e.rule, e.doc = r, d
		switch r.Scope {
		case ScopeTable:
			for ti := range d.Tables {
				t := &d.Tables[ti]
				if len(r.Kinds) == 0 || slices.Contains(r.Kinds, t.Kind) {
					r.table(e, d, t)
				}
			}
		case ScopeDocument:
			r.document(e, d)
		}
	}
	e.collapseRounding()
}

// Check runs every selected rule over a set of documents: the one-document
// rules over each, then the several-document rules over the set grouped by
// entity and year. Findings come sorted (document, severity, rule).
func Check(docs []*yusuan.Document, opt Options) []yusuan.Finding {
	bySHA := make(map[string]*yusuan.Document, len(docs))
	for _, d := range docs {
		bySHA[d.SHA256] = d
	}
	r := NewRun(opt, func(sha string) (*yusuan.Document, error) { return bySHA[sha], nil })
	for _, d := range docs {
		r.Add(d)
	}
	return r.Finish()
}

// Run checks documents as they come, on every core, keeping only digests,
// so that a large store can be streamed through it: Add each document, then
// Finish once. Results do not depend on the number of workers.
type Run struct {
	opt   Options
	c     *corpus
	in    chan job
	wg    sync.WaitGroup
	mu    sync.Mutex
	done  []result
	n     int
	final bool
}

type job struct {
	i int
	d *yusuan.Document
}

type result struct {
	i   int
	fs  []yusuan.Finding
	sum *summary
}

// NewRun starts a run; load fetches a document again by digest (for
// document.revised, which compares versions; nil skips that comparison).
func NewRun(opt Options, load func(sha string) (*yusuan.Document, error)) *Run {
	c := newCorpus()
	c.load = load
	r := &Run{opt: opt, c: c, in: make(chan job, 16)}
	for range max(1, runtime.GOMAXPROCS(0)) {
		r.wg.Add(1)
		go r.work()
	}
	return r
}

func (r *Run) work() {
	defer r.wg.Done()
	var local []result
	for j := range r.in {
		e := &emitter{}
		x := newDoc(j.d)
		checkOne(e, x, r.opt)
		res := result{i: j.i, fs: e.out}
		if checkable(j.d) {
			res.sum = digest(x)
		}
		local = append(local, res)
	}
	r.mu.Lock()
	r.done = append(r.done, local...)
	r.mu.Unlock()
}

// Add checks one document (on a worker) and keeps its digest for the
// several-document rules; the document itself is not retained. Add must
// not be called after Finish, nor concurrently.
func (r *Run) Add(d *yusuan.Document) {
	r.in <- job{r.n, d}
	r.n++
}

// Finish waits for the workers, runs the several-document rules and returns
// every finding, sorted.
func (r *Run) Finish() []yusuan.Finding {
	if r.final {
		return nil
	}
	r.final = true
	close(r.in)
	r.wg.Wait()
	// Input order decides which version of a document is the latest.
	slices.SortFunc(r.done, func(a, b result) int { return cmp.Compare(a.i, b.i) })
	var out []yusuan.Finding
	for _, res := range r.done {
		out = append(out, res.fs...)
		if res.sum != nil {
			r.c.add(res.sum)
		}
	}
	r.done = nil
	e := &emitter{out: out, garbled: r.c.garbled}
	for i := range registry() {
		rule := &registry()[i]
		if rule.Scope == ScopeDocuments && r.opt.wants(rule.ID) {
			e.rule, e.doc = rule, nil
			rule.documents(e, r.c)
		}
	}
	sortFindings(e.out)
	return e.out
}

func sortFindings(fs []yusuan.Finding) {
	slices.SortStableFunc(fs, func(a, b yusuan.Finding) int {
		da, db := firstDoc(a), firstDoc(b)
		return cmp.Or(
			cmp.Compare(da.SHA256, db.SHA256),
			cmp.Compare(da.File, db.File),
			cmp.Compare(a.Severity.Rank(), b.Severity.Rank()),
			cmp.Compare(ruleOrder(a.Rule), ruleOrder(b.Rule)),
		)
	})
}

func firstDoc(f yusuan.Finding) yusuan.DocRef {
	if len(f.Documents) == 0 {
		return yusuan.DocRef{}
	}
	return f.Documents[0]
}

func ruleOrder(id string) int {
	for i, r := range registry() {
		if r.ID == id {
			return i
		}
	}
	return len(registry())
}

// emitter collects the findings of the rule being run.
type emitter struct {
	rule *Rule
	doc  *doc
	out  []yusuan.Finding
	// refs, when set, are the documents of the findings added (rules over
	// several documents).
	refs []yusuan.DocRef
	// explained, when set, is the document's own sentence explaining the
	// differences the rule finds: they are notes (info), quoting it.
	explained string
	// conf and why, when set, lower the confidence of the findings added
	// for a reason of the rule's own (a match by approximate name).
	conf yusuan.Confidence
	why  string
	// notes are the 尾差 notes among out, by index.
	notes []roundingNote
	// garbled is corpus.garbled, for the rules over several documents.
	garbled map[string]int
}

// roundingNote is a 尾差 note in emitter.out: its index, the difference
// (in 0.0001 元) and the table its figure is read from.
type roundingNote struct {
	i     int
	diff  int64
	table int
}

// finding is what a rule reports; the emitter adds the rule, default
// severity, document, evidence and confidence.
type finding struct {
	sev      yusuan.Severity // "" = the rule's default
	docs     []*doc          // nil = the document being checked
	tables   []string
	pages    []int
	msg      string
	expected string
	actual   string
	unit     string
	// figures are the terms the finding compares, with their roles; the
	// evidence and the confidence of the reading derive from them.
	figures []figure
	// conf and why lower the confidence for reasons of the rule's own (a
	// table said missing that the text names).
	conf yusuan.Confidence
	why  string
	// rounding marks a 尾差 note, diff its difference (0.0001 元).
	rounding bool
	diff     int64
}

// figure is a term in a role (actual, expected, part).
type figure struct {
	role string
	t    term
}

func (e *emitter) add(f finding) {
	sev := f.sev
	if sev == "" {
		sev = e.rule.Severity
	}
	docs := f.docs
	if docs == nil && e.doc != nil {
		docs = []*doc{e.doc}
	}
	refs := make([]yusuan.DocRef, 0, len(docs))
	for _, d := range docs {
		refs = append(refs, d.ref)
	}
	if e.refs != nil {
		refs = slices.Clone(e.refs)
	}
	pages := slices.Clone(f.pages)
	rd := reading{conf: yusuan.ConfidenceHigh, ownSums: e.rule.Scope == ScopeTable}
	var ev []yusuan.Evidence
	for _, fg := range f.figures {
		x := evidenceOf(e.doc, fg.t, fg.role, &rd)
		for _, v := range x {
			// Pages are the first document's; other documents' pages are
			// in their evidence.
			if v.Page != 0 && v.Role != rolePart && (len(refs) == 0 || v.SHA256 == refs[0].SHA256) {
				pages = append(pages, v.Page)
			}
		}
		ev = append(ev, x...)
	}
	// A document whose text is partly garbled is read with no confidence.
	for _, ref := range refs {
		n := e.garbled[ref.SHA256]
		for _, d := range docs {
			if d.ref.SHA256 == ref.SHA256 {
				n = d.GarbledChars
			}
		}
		if n > 0 {
			rd.lower(yusuan.ConfidenceLow, ref.File+" 有 "+strconv.Itoa(n)+" 个字符无法正确解码（字体映射有误），读数可能有误")
		}
	}
	if f.conf != "" {
		rd.lower(f.conf, f.why)
	}
	if e.conf != "" {
		rd.lower(e.conf, e.why)
	}
	slices.Sort(pages)
	pages = slices.Compact(pages)
	if len(pages) > 0 && pages[0] == 0 {
		pages = pages[1:]
	}
	// An error needs two printed figures read with confidence: one resting
	// on a doubted reading is at most a warning.
	if sev == yusuan.SeverityError && rd.conf != yusuan.ConfidenceHigh {
		sev = yusuan.SeverityWarning
	}
	// A 尾差 note on a figure whose reading is doubted tells nothing: the
	// difference is within rounding of figures that may not be those
	// printed.
	if f.rounding && rd.conf != yusuan.ConfidenceHigh {
		return
	}
	if e.explained != "" && sev != yusuan.SeverityInfo {
		sev = yusuan.SeverityInfo
		f.msg += "；文件自述：“" + e.explained + "”"
		rd.why = append(rd.why, "文件说明了口径不同")
	}
	out := yusuan.Finding{
		Rule: e.rule.ID, Severity: sev, Confidence: rd.conf, Why: strings.Join(rd.why, "；"), Documents: refs,
		Tables: f.tables, Message: f.msg, Expected: f.expected, Actual: f.actual, Unit: f.unit, Pages: pages,
		Evidence: ev,
	}
	out.Stamp()
	// Notes on a table's cells are collapsed (collapseRounding); a stated
	// figure's (table -1) are each about its own sentence.
	if f.rounding {
		for _, v := range ev {
			if v.Role == roleActual && v.Table >= 0 {
				e.notes = append(e.notes, roundingNote{i: len(e.out), diff: f.diff, table: v.Table})
				break
			}
		}
	}
	e.out = append(e.out, out)
}

// collapseRounding keeps one 尾差 note of a rule on a table, the largest
// difference (the first of equal ones), saying how many the table has: a
// table rounded cell by cell (本套报表因取数时四舍五入，部分金额可能存在尾差)
// differs by a cent in many lines, and one note tells an analyst as much
// as thirty.
func (e *emitter) collapseRounding() {
	type key struct {
		rule   string
		table  int
		tables string
	}
	best := map[key]int{} // → index into e.notes
	count := map[key]int{}
	for j, n := range e.notes {
		f := &e.out[n.i]
		k := key{f.Rule, n.table, strings.Join(f.Tables, ",")}
		if _, ok := best[k]; !ok {
			best[k] = j
		} else if n.diff > e.notes[best[k]].diff {
			best[k] = j
		}
		count[k]++
	}
	drop := map[int]bool{}
	for j, n := range e.notes {
		f := &e.out[n.i]
		k := key{f.Rule, n.table, strings.Join(f.Tables, ",")}
		if best[k] != j {
			drop[n.i] = true
		} else if count[k] > 1 {
			f.Message += "（本表共 " + strconv.Itoa(count[k]) + " 处尾差，差均不超过此处）"
		}
	}
	e.notes = nil
	if len(drop) == 0 {
		return
	}
	out := e.out[:0]
	for i, f := range e.out {
		if !drop[i] {
			out = append(out, f)
		}
	}
	e.out = out
}

// term is one figure taking part in a comparison, with where it was read.
type term struct {
	label string
	m     money
	scale int64
	// The figure's source: a cell (table, row, col), a narrative fact, a
	// sum of cells (p), or a table as a whole (table alone: an empty
	// table's 0).
	table *yusuan.Table
	row   *yusuan.Row
	col   string
	fact  string
	p     parts
	// det replaces the source in terms kept after their document is
	// released (detach).
	det *detached
	// stated: a figure a person wrote (情况说明), who rounds what they read
	// to their own precision before adding or subtracting.
	stated bool
	// n is the number of printed terms the figure adds up (0: one), coarse
	// the largest ulp among them (0: m.ulp).
	n      int
	coarse int64
	// blank: a cell printed empty, counted as 0 (orZero).
	blank bool
}

// detached is what a term kept after its document is released says about
// its source.
type detached struct {
	pages []int
	kind  yusuan.TableKind
	ev    []yusuan.Evidence
	rd    reading
}

// terms is the number of rounded terms a figure stands for.
func (t term) terms() int { return max(t.n, 1) }

// coarsest is the largest ulp among the printed terms a figure stands for.
func (t term) coarsest() int64 {
	switch {
	case t.coarse > 0:
		return t.coarse
	case t.n > 1:
		return t.m.ulp / int64(t.n)
	}
	return t.m.ulp
}

// plus adds b to a (a sum of two figures of possibly different tables).
func plus(a, b term, label string) term {
	a.m = a.m.plus(b.m)
	a.label = label
	_, _, la := a.p.list()
	_, _, lb := b.p.list()
	cells := append(a.sourceCells(), b.sourceCells()...)
	a.p = parts{cells: cells, n: len(cells), lost: append(la, lb...)}
	a.row, a.col = nil, ""
	return a
}

// minus subtracts b from a; b's cells are listed as parts of the figure.
func minus(a, b term, label string) term {
	b.m = b.m.neg()
	return plus(a, b, label)
}

// combined is a figure computed from detached figures of several
// documents: its evidence lists theirs as parts.
func combined(label string, m money, scale int64, parts ...term) term {
	x := term{label: label, m: m, scale: scale}
	det := &detached{rd: reading{conf: yusuan.ConfidenceHigh}}
	det.ev = []yusuan.Evidence{{Table: -1, Row: label, Amount: x.amount(), Unit: unitName(scale)}}
	for _, p := range parts {
		if p.det == nil {
			continue
		}
		det.pages = append(det.pages, p.det.pages...)
		for _, v := range p.det.ev {
			v.Role = rolePart
			det.ev = append(det.ev, v)
		}
		for _, w := range p.det.rd.why {
			det.rd.lower(p.det.rd.conf, w)
		}
		det.rd.lower(p.det.rd.conf, "")
	}
	x.det = det
	return x
}

// sourceCells are the cells a term was read from.
func (t term) sourceCells() []cellRef {
	if t.row != nil && t.col != "" {
		return []cellRef{{t.table, t.row, t.col}}
	}
	cells, _, _ := t.p.list()
	return slices.Clone(cells)
}

// allowed is the tolerance (in ulps, see judge) of comparing actual with
// expected made of parts: every rounded term counts; when one side is a
// stated figure, the terms of the other side count at the coarsest
// precision involved.
func allowed(actual, expected term, parts sum) int64 {
	ulps := actual.m.ulp + parts.ulps
	switch {
	case actual.stated && !expected.stated:
		n := max(parts.n, expected.terms())
		ulps = tolerance(ulps, n, max(actual.coarsest(), parts.coarse, expected.coarsest()))
	case expected.stated && !actual.stated:
		ulps = tolerance(ulps, actual.terms(), max(expected.coarsest(), actual.coarsest()))
	}
	return ulps
}

// writtenRounded reports a stated figure that is the other, printed one
// rounded to the digits it is written with (409.09 万元 for 4,090,946.00 元,
// 17192 万元 for 171,915,169 元): that is how it was written, no difference
// to note.
func writtenRounded(actual, expected term) bool {
	d := abs(actual.m.v - expected.m.v)
	return actual.stated && !expected.stated && 2*d <= actual.m.ulp ||
		expected.stated && !actual.stated && 2*d <= expected.m.ulp
}

// detach keeps what a term says about its source (pages, evidence and the
// confidence of its reading) without holding the document in memory.
func (t term) detach(d *doc) term {
	det := &detached{pages: t.pages(), rd: reading{conf: yusuan.ConfidenceHigh}}
	if t.fact != "" {
		det.pages = d.factPages(t.fact)
	}
	if t.table != nil {
		det.kind = t.table.Kind
	}
	// The figure and its first cells, not every part: thousands of
	// documents' digests stay in memory.
	for i, ev := range evidenceOf(d, t, roleActual, &det.rd) {
		if ev.Role != rolePart || i <= 3 {
			det.ev = append(det.ev, ev)
		}
	}
	t.table, t.row, t.p, t.fact = nil, nil, parts{}, ""
	t.det = det
	return t
}

func (t term) pages() []int {
	if t.det != nil {
		return t.det.pages
	}
	if t.row != nil && t.row.Page != 0 {
		return []int{t.row.Page}
	}
	if t.table != nil {
		return t.table.Pages
	}
	return nil
}

// String is the figure as printed: blankText for a cell printed empty,
// never a 0.00 it does not print.
func (t term) String() string {
	if t.blank {
		return blankText
	}
	return format(t.m.v, t.scale, places(t.m.ulp, t.scale))
}

// blankText stands for a cell printed empty in messages.
const blankText = "空白"

// compare reports actual ≠ expected (expected being the sum of parts, whose
// number of rounded terms sets the tolerance): nothing when equal, info
// within 尾差, the rule's severity beyond. The message names both sides;
// units are shown when they differ, and with the difference.
func (e *emitter) compare(actual term, expected term, parts sum, tables []string, extraPages ...int) {
	if actual.m.overflow || expected.m.overflow || parts.overflow {
		e.tooLarge(actual, expected, parts, tables)
		return
	}
	if !actual.m.ok || !expected.m.ok {
		return // a side is missing: nothing to compare
	}
	ulps := allowed(actual, expected, parts)
	v := judge(actual.m.v, expected.m.v, ulps)
	if v == agree || v == rounding && writtenRounded(actual, expected) {
		return
	}
	// Print the expected figure in the unit of the actual one, at the
	// finer of their precisions (收入总表 943865000 against 收支总表
	// 943864999.96 is not “943865000 ≠ 943865000”).
	scale := actual.scale
	p := places(actual.m.ulp, scale)
	pe := p
	if !expected.blank && expected.scale == scale {
		pe = max(p, places(expected.m.ulp, scale))
	}
	exp := format(expected.m.v, scale, pe)
	act := actual.String()
	unitA, unitE := "", ""
	if actual.scale != expected.scale && expected.scale != 0 {
		unitA, unitE = " "+unitName(actual.scale), " "+unitName(expected.scale)
	}
	expShown := exp
	if unitE != "" {
		expShown = expected.String()
	}
	if expected.blank {
		exp, expShown, unitE = "", blankText, ""
	}
	if actual.blank {
		act, unitA = "", ""
	}
	unit := unitName(scale)
	msg := actual.label + " " + actual.String() + unitA + " ≠ " + expected.label + " " + expShown + unitE
	pages := append(actual.pages(), expected.pages()...)
	pages = append(pages, extraPages...)
	f := finding{tables: tables, pages: pages, expected: exp, actual: act, unit: unit,
		figures: []figure{{roleActual, actual}, {roleExpected, expected}}}
	diff := diffText(abs(actual.m.v-expected.m.v), scale, p)
	switch {
	case v == rounding:
		f.sev, f.rounding, f.diff = yusuan.SeverityInfo, true, abs(actual.m.v-expected.m.v)
		f.msg = "尾差：" + msg + "（差 " + diff + " " + unit + "，容许 " + format(ulps/2, scale, p+1) + " " + unit + "）"
	case actual.blank || expected.blank:
		f.msg = msg // no difference to a figure not printed
	default:
		f.msg = msg + "（差 " + diff + " " + unit + "）"
	}
	e.add(f)
}

// tooLarge reports a comparison that could not be made because a figure,
// or the sum of several, is beyond what the checker counts exactly (no
// budget comes near: the figure was misread).
func (e *emitter) tooLarge(actual, expected term, parts sum, tables []string) {
	// A figure too large by itself is reported once, by amount.range.
	pc, _, _ := parts.p.list()
	for _, c := range append(append(actual.sourceCells(), expected.sourceCells()...), pc...) {
		if toMoney(c.r.Values[c.col], unitScale(c.t.Unit)).overflow {
			return
		}
	}
	if actual.fact != "" && actual.m.overflow || expected.fact != "" && expected.m.overflow {
		return
	}
	var cells []string
	for _, x := range []term{actual, expected} {
		if x.m.overflow {
			cells = append(cells, x.label)
		}
	}
	what := strings.Join(cells, "、")
	if what == "" {
		what = actual.label + " 与 " + expected.label
	}
	e.add(finding{sev: yusuan.SeverityWarning, tables: tables, conf: yusuan.ConfidenceLow,
		why: "金额超出可核对范围，疑为误读", msg: what + " 金额过大（超出 ±9.2×10¹⁴ 元），未比较",
		figures: []figure{{roleActual, actual}, {roleExpected, expected}}})
}

func unitName(scale int64) string {
	switch scale {
	case scale元:
		return "元"
	case scale千元:
		return "千元"
	}
	return "万元"
}

// sumTerm makes the expected side of a comparison from a sum.
func sumTerm(label string, s sum, scale int64, t *yusuan.Table) term {
	ulp := int64(0)
	if s.n > 0 {
		ulp = s.ulps / int64(s.n)
	}
	if ulp == 0 {
		ulp = scale / 100
	}
	return term{label: label, m: money{v: s.v, ulp: ulp, ok: true, overflow: s.overflow}, scale: scale, table: t,
		n: s.n, coarse: s.coarse, p: s.p}
}

// totalTerm is a figure made of a sum, tolerating the rounding of every
// term of it.
func totalTerm(label string, s sum, scale int64, t *yusuan.Table) term {
	x := sumTerm(label, s, scale, t)
	x.m.ulp = s.ulps
	return x
}

// colCheck is one column of a row-wise comparison: a figure against the
// sum of parts (named label).
type colCheck struct {
	col    string
	actual term
	label  string
	parts  sum
}

// colChecks collects the columns of a row that do not agree (most agree:
// nothing is kept for them).
type colChecks []colCheck

func (cs *colChecks) add(col string, actual term, label string, parts sum) {
	if !actual.m.overflow && !parts.overflow && (!actual.m.ok || judge(actual.m.v, parts.v, actual.m.ulp+parts.ulps) == agree) {
		return
	}
	*cs = append(*cs, colCheck{col, actual, label, parts})
}

// compareCols compares one row column by column and reports each distinct
// disagreement once, naming every column that shows it (a 类 off by 0.01 in
// 合计 and 基本支出 alike is one finding, not two).
func (e *emitter) compareCols(label string, checks colChecks, tables []string, sc int64, t *yusuan.Table) {
	if len(checks) == 0 {
		return
	}
	type key struct{ a, x int64 }
	var order []key
	cols := map[key][]string{}
	first := map[key]colCheck{}
	for _, c := range checks {
		if c.actual.m.overflow || c.parts.overflow {
			c.actual.label = label + "（" + vocab.ColumnName(c.col) + "）"
			e.compare(c.actual, sumTerm(c.label, c.parts, sc, t), c.parts, tables)
			continue
		}
		k := key{c.actual.m.v, c.parts.v}
		if _, ok := first[k]; !ok {
			order = append(order, k)
			first[k] = c
		}
		cols[k] = append(cols[k], vocab.ColumnName(c.col))
	}
	for _, k := range order {
		c := first[k]
		c.actual.label = label + "（" + strings.Join(cols[k], "、") + "）"
		e.compare(c.actual, sumTerm(c.label, c.parts, sc, t), c.parts, tables)
	}
}
