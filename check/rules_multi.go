package check

import (
	"regexp"
	"slices"
	"strconv"
	"strings"

	"yusuan"
	"yusuan/vocab"
)

// corpus is a set of documents, digested, grouped by entity.
//
// Entity match: two documents are of the same entity when they play the same
// role (department or unit; a department document and the unit document of
// its own 本级 share a name but not a role), are of the same kind (budget or
// final account) and have the same name after normalisation (spaces and
// width removed, （本级） and a trailing 机关 dropped), or the same entity
// code (the digits a file name starts with, "046008-2026.pdf").
//
// Only digests stay in memory, so that thousands of documents can be
// checked together; document.revised reloads the few documents it compares.
type corpus struct {
	sums   []*summary
	byName map[groupKey][]*summary
	byCode map[groupKey][]*summary
	load   func(sha string) (*yusuan.Document, error)
	// garbled counts, by sha256, the garbled characters of the documents
	// that have any (yusuan.Document.GarbledChars).
	garbled map[string]int
}

type groupKey struct {
	role string
	kind yusuan.DocKind
	id   string
	year int
}

// summary is what the several-document rules need of one document.
type summary struct {
	ref       yusuan.DocRef
	key, code string
	role      string
	kind      yusuan.DocKind
	scope     yusuan.Scope
	year      int
	figures   map[string]term // figure keys (total_income …) → table figure
	facts     map[string]term // stated facts used across years, with pages
	unitNames []string        // departments: the units they name
	ownUnit   bool            // departments: the text names their 本级 among their units
	// lines: departments' per-unit lines, by table kind then unit key;
	// own: a unit's own total of the same tables.
	lines map[yusuan.TableKind]map[string]term
	own   map[yusuan.TableKind]term
	// garbled is yusuan.Document.GarbledChars.
	garbled int
}

func role(scope yusuan.Scope) string {
	if scope == yusuan.ScopeDepartment {
		return "department"
	}
	return "unit"
}

// crossFigures are the figures compared across documents.
var crossFigures = []string{"total_income", "total_expenditure", "basic", "project", "admin_operating", "three_public"}

// crossFacts are the stated figures compared with other documents.
var crossFacts = []string{"yoy_change", "total_income_prev", "admin_operating_prev", "three_public_prev"}

func digest(d *doc) *summary {
	s := &summary{ref: d.ref, key: d.key, code: d.code, role: role(d.Meta.Scope), kind: d.Meta.Kind,
		scope: d.Meta.Scope, year: d.Meta.Year, figures: map[string]term{}, facts: map[string]term{}, garbled: d.GarbledChars}
	for _, k := range crossFigures {
		if x, ok := d.figure(k); ok {
			s.figures[k] = x.detach(d)
		}
	}
	for _, k := range crossFacts {
		if f, ok := d.fact(k, ""); ok {
			s.facts[k] = f.detach(d)
		}
	}
	s.own = map[yusuan.TableKind]term{}
	if t := d.table(yusuan.AdminOperating); t != nil {
		s.own[yusuan.AdminOperating] = tableTotal(t, "total", "单位文件 机关运行经费 合计").detach(d)
	}
	if t := d.table(yusuan.ProjectCurrent); t != nil {
		s.own[yusuan.ProjectCurrent] = d.projectTotal(t, "total", "单位文件 项目支出表（本年）合计").detach(d)
	}
	if s.scope == yusuan.ScopeDepartment {
		s.unitNames = d.unitNames()
		s.ownUnit = strings.Contains(d.narrative(), "本级")
		s.lines = map[yusuan.TableKind]map[string]term{}
		for _, k := range []yusuan.TableKind{yusuan.AdminOperating, yusuan.ProjectCurrent} {
			t := d.table(k)
			if t == nil {
				continue
			}
			m := map[string]term{}
			for _, r := range dataRows(t) {
				if totalKindOf(r.Name) != notTotal || !looksLikeOrg(r.Name) {
					continue
				}
				n := normEntity(normName(r.Name))
				if _, dup := m[n]; !dup {
					m[n] = orZero(cell(t, r, "total", "部门"+vocab.KindLabel(k)+" "+r.Name)).detach(d)
				}
			}
			s.lines[k] = m
		}
	}
	return s
}

func newCorpus() *corpus {
	return &corpus{byName: map[groupKey][]*summary{}, byCode: map[groupKey][]*summary{}, garbled: map[string]int{}}
}

// add puts a document's digest into the corpus.
func (c *corpus) add(s *summary) {
	c.sums = append(c.sums, s)
	if s.garbled > 0 {
		c.garbled[s.ref.SHA256] = s.garbled
	}
	if s.key != "" {
		k := groupKey{s.role, s.kind, s.key, s.year}
		c.byName[k] = append(c.byName[k], s)
	}
	if s.code != "" {
		k := groupKey{s.role, s.kind, s.code, s.year}
		c.byCode[k] = append(c.byCode[k], s)
	}
}

// same lists the documents of s's entity (and role and kind) for a year, in
// input order; s itself included when the year is its own.
func (c *corpus) same(s *summary, year int) []*summary {
	var out []*summary
	if s.key != "" {
		out = append(out, c.byName[groupKey{s.role, s.kind, s.key, year}]...)
	}
	if s.code != "" {
		for _, x := range c.byCode[groupKey{s.role, s.kind, s.code, year}] {
			if !slices.Contains(out, x) {
				out = append(out, x)
			}
		}
	}
	return out
}

// addFor reports a finding involving several documents.
func (e *emitter) addFor(f finding, refs ...yusuan.DocRef) {
	e.refs = refs
	e.add(f)
	e.refs = nil
}

// compareFor is compare for findings involving several documents.
func (e *emitter) compareFor(refs []yusuan.DocRef, actual, expected term, parts sum, tables []string, pages ...int) {
	e.refs = refs
	e.compare(actual, expected, parts, tables, pages...)
	e.refs = nil
}

func ruleYearPrevious(e *emitter, c *corpus) {
	for _, s := range c.sums {
		if s.year == 0 {
			continue
		}
		prevs := c.same(s, s.year-1)
		if len(prevs) == 0 {
			continue
		}
		p := prevs[len(prevs)-1] // the latest version ingested
		refs := []yusuan.DocRef{s.ref, p.ref}
		// The stated change = this year's total − last year's published one.
		if f, ok := s.facts["yoy_change"]; ok {
			cur, ok1 := s.figures["total_income"]
			prev, ok2 := p.figures["total_income"]
			if ok1 && ok2 {
				f.label = "情况说明 比上年增减"
				// Pages are those of the first document named (this year's).
				exp := combined("本年收入总计 "+cur.String()+" − 上年收入总计 "+prev.String()+" =",
					money{v: cur.m.v - prev.m.v, ulp: cur.m.ulp, ok: true}, cur.scale, cur, prev)
				exp.det.pages = cur.pages()
				e.compareFor(refs, f, exp, sum{ulps: cur.m.ulp + prev.m.ulp, n: 2, coarse: max(cur.coarsest(), prev.coarsest())},
					[]string{narrativeTable, string(yusuan.IncomeExpenditureSummary)})
			}
		}
		// A stated last-year figure = last year's document.
		for _, pf := range []struct{ fact, fig, label string }{
			{"total_income_prev", "total_income", "收入总计"},
			{"admin_operating_prev", "admin_operating", "机关运行经费"},
			{"three_public_prev", "three_public", "“三公”经费"},
		} {
			f, ok := s.facts[pf.fact]
			prev, ok2 := p.figures[pf.fig]
			if !ok || !ok2 {
				continue
			}
			f.label = "情况说明 上年" + pf.label
			prev.label = "上年文件 " + prev.label
			kind := prev.det.kind
			if kind == "" {
				kind = yusuan.TableKind(pf.fig)
			}
			e.compareFor(refs, f, prev, one(prev), []string{narrativeTable, string(kind)})
		}
	}
}

// Department and units.
//
// A department document's units are known from what it prints: the lines of
// its 机关运行经费 table and the unit lines of its project tables, and the
// list of units in its narrative (纳入编制范围的单位 / 单位构成 … 包括：A、B、C).
// A unit document is one of them when its normalised entity name is one of
// those names, or when its entity code extends the department's code
// (046 → 046008). The sums are compared only when every named unit has a
// document of the same year and kind in the set.

// unitListRE captures the list after 包括 in a sentence about the units.
var unitListRE = regexp.MustCompile(`(?:单位构成|编制范围|所属单位|下属单位|预算单位)[^。]*?(?:包括|分别是|分别为|为)[:：]?([^。]+)`)

var unitSplitRE = regexp.MustCompile(`[、，,；;和及]`)

func (d *doc) unitNames() []string {
	var names []string
	add := func(s string) {
		if i := strings.LastIndexAny(s, ":："); i >= 0 {
			s = s[i+1:] // 分别为：A
		}
		s = strings.TrimSuffix(strings.TrimSpace(s), "等")
		s = strings.TrimSuffix(s, "。")
		n := normEntity(normName(s))
		if n == "" || !looksLikeOrg(s) || slices.Contains(names, n) {
			return
		}
		names = append(names, n)
	}
	if t := d.table(yusuan.AdminOperating); t != nil {
		for _, r := range dataRows(t) {
			if totalKindOf(r.Name) == notTotal {
				add(r.Name)
			}
		}
	}
	for _, k := range []yusuan.TableKind{yusuan.ProjectCurrent, yusuan.ProjectCarryover} {
		if t := d.table(k); t != nil {
			for _, r := range dataRows(t) {
				if totalKindOf(r.Name) == notTotal && looksLikeOrg(r.Name) {
					add(r.Name)
				}
			}
		}
	}
	for _, m := range unitListRE.FindAllStringSubmatch(fold(d.narrative()), -1) {
		for _, part := range unitSplitRE.Split(m[1], -1) {
			add(part)
		}
	}
	return names
}

func ruleDepartmentUnits(e *emitter, c *corpus) {
	for _, dep := range c.sums {
		if dep.scope != yusuan.ScopeDepartment {
			continue
		}
		var units []*summary
		complete := true
		for _, n := range dep.unitNames {
			ds := c.byName[groupKey{"unit", dep.kind, n, dep.year}]
			if len(ds) == 0 {
				complete = false
				continue
			}
			units = append(units, ds[len(ds)-1])
		}
		// The department's own 本级 (机关本级) is one of its units, often
		// named only as such (“部门机关本级预算和所属1个单位预算”): its
		// document has the department's name.
		if own := c.byName[groupKey{"unit", dep.kind, dep.key, dep.year}]; len(own) > 0 {
			if u := own[len(own)-1]; !slices.Contains(units, u) {
				units = append(units, u)
			}
		} else if dep.ownUnit && !slices.Contains(dep.unitNames, dep.key) {
			complete = false
		}
		if dep.code != "" && len(dep.code) < 6 {
			for _, u := range c.sums {
				if u.role == "unit" && u.year == dep.year && u.kind == dep.kind &&
					strings.HasPrefix(u.code, dep.code) && len(u.code) > len(dep.code) && !slices.Contains(units, u) {
					units = append(units, u)
				}
			}
		}
		if len(units) == 0 {
			continue
		}
		refs := []yusuan.DocRef{dep.ref}
		for _, u := range units {
			refs = append(refs, u.ref)
		}
		if complete {
			for _, key := range []string{"total_income", "total_expenditure", "basic", "project"} {
				depFig, ok := dep.figures[key]
				if !ok {
					continue
				}
				var s sum
				var xs []term
				all := true
				for _, u := range units {
					x, ok := u.figures[key]
					if !ok {
						all = false
						break
					}
					s.add(x.m)
					xs = append(xs, x)
				}
				if !all {
					continue
				}
				depFig.label = "部门 " + depFig.label
				label := "Σ" + strconv.Itoa(len(units)) + "个单位"
				exp := sumTerm(label, s, depFig.scale, nil)
				c := combined(label, exp.m, exp.scale, xs...)
				exp.det = c.det
				e.compareFor(refs, depFig, exp, s, []string{string(depFig.det.kind)})
			}
		}
		// Per unit: the department's 机关运行经费 and project lines.
		for _, u := range units {
			for kind, lines := range dep.lines {
				a, ok1 := lines[u.key]
				x, ok2 := u.own[kind]
				if ok1 && ok2 {
					e.compareFor([]yusuan.DocRef{dep.ref, u.ref}, a, x, one(x), []string{string(kind)})
				}
			}
		}
	}
}

// keyFigures are a document's headline figures, for comparing versions:
// every total and 类 line of every table, column by column, and the facts.
func keyFigures(d *doc) (map[string]term, []string) {
	m := map[string]term{}
	var order []string
	put := func(k string, x term) {
		if !x.m.ok {
			return
		}
		if _, dup := m[k]; !dup {
			order = append(order, k)
		}
		m[k] = x
	}
	seenKind := map[yusuan.TableKind]bool{}
	for i := range d.Tables {
		t := &d.Tables[i]
		if seenKind[t.Kind] || t.Kind == yusuan.PerformanceTargets || t.Kind == yusuan.Other {
			continue
		}
		seenKind[t.Kind] = true
		for _, r := range dataRows(t) {
			if totalKindOf(r.Name) == notTotal && levelOf(r) != 1 {
				continue
			}
			for _, c := range valueCols(t) {
				put(vocab.KindLabel(t.Kind)+" "+rowLabel(r)+"（"+vocab.ColumnName(c)+"）", cell(t, r, c, ""))
			}
		}
	}
	keys := make([]string, 0, len(d.Facts))
	for k := range d.Facts {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		x, _ := d.fact(k, "")
		put("情况说明 "+k, x)
	}
	return m, order
}

func ruleDocumentRevised(e *emitter, c *corpus) {
	done := map[*summary]bool{}
	for _, s := range c.sums {
		if done[s] {
			continue
		}
		var versions []*summary
		for _, x := range c.same(s, s.year) {
			if !slices.ContainsFunc(versions, func(v *summary) bool { return v.ref.SHA256 == x.ref.SHA256 }) {
				versions = append(versions, x)
			}
			done[x] = true
		}
		if len(versions) < 2 || c.load == nil {
			continue
		}
		var prev *doc
		for _, v := range versions {
			d, err := c.load(v.ref.SHA256)
			if err != nil || d == nil {
				e.addFor(finding{sev: yusuan.SeverityWarning, msg: "无法读取旧版本以比较：" + v.ref.File}, v.ref)
				continue
			}
			cur := newDoc(d)
			if prev != nil {
				revised(e, prev, cur)
			}
			prev = cur
		}
	}
}

func revised(e *emitter, old, cur *doc) {
	a, order := keyFigures(old)
	b, orderB := keyFigures(cur)
	for _, k := range orderB {
		if _, ok := a[k]; !ok {
			order = append(order, k)
		}
	}
	// Only figures both versions print can have changed: a figure printed
	// in one only is another part of the disclosure (a narrative file and
	// a tables file published apart, 14_/15_beijing), not a revision.
	var changes []string
	for _, k := range order {
		x, inA := a[k]
		y, inB := b[k]
		if inA && inB && x.m.v != y.m.v {
			changes = append(changes, k+" "+x.String()+" → "+y.String())
		}
	}
	if len(changes) == 0 {
		return
	}
	n := len(changes)
	shown := changes[:min(n, 5)]
	msg := "同一主体同一年度重新发布，" + strconv.Itoa(n) + " 处数字改变：" + strings.Join(shown, "；")
	if n > len(shown) {
		msg += "；等"
	}
	e.addFor(finding{msg: msg, actual: strconv.Itoa(n)}, old.ref, cur.ref)
}
