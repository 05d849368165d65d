package check

import (
	"path"
	"slices"
	"strings"

	"yusuan"
)

// doc wraps a document with what rules look up repeatedly.
type doc struct {
	*yusuan.Document
	ref   yusuan.DocRef
	key   string // normalised entity name
	code  string // entity code, when printed
	text  string // narrative, joined (lazily)
	sides map[*yusuan.Table]*twoSided
	// merged and shifted cache mergedAt and shiftedKey.
	merged  map[*yusuan.Table]merge
	shifted map[*yusuan.Table]map[int]string
}

func newDoc(d *yusuan.Document) *doc {
	x := &doc{
		Document: d,
		ref:      yusuan.DocRef{SHA256: d.SHA256, File: d.File, Entity: d.Meta.Entity, Year: d.Meta.Year, Kind: d.Meta.Kind, Scope: d.Meta.Scope},
		key:      normEntity(d.Meta.Entity),
	}
	if m := codeRE.FindStringSubmatch(path.Base(d.File)); m != nil {
		x.code = m[1]
	}
	return x
}

// table is the first table of a kind that prints figures, else the first
// of the kind; nil when the document has none. (A table of contents' line
// may be read as an empty table of the kind, pages before the table.)
func (d *doc) table(kinds ...yusuan.TableKind) *yusuan.Table {
	for _, k := range kinds {
		var first *yusuan.Table
		for i := range d.Tables {
			if t := &d.Tables[i]; t.Kind == k {
				if hasValues(t) {
					return t
				}
				if first == nil {
					first = t
				}
			}
		}
		if first != nil {
			return first
		}
	}
	return nil
}

// narrative is the whole 情况说明, headings included.
func (d *doc) narrative() string {
	if d.text == "" {
		var b strings.Builder
		for _, s := range d.Narrative {
			b.WriteString(s.Heading)
			b.WriteByte('\n')
			b.WriteString(s.Text)
			b.WriteByte('\n')
		}
		d.text = b.String()
	}
	return d.text
}

// fact is a narrative figure as a term (facts are stated in 万元).
func (d *doc) fact(key, label string) (term, bool) {
	a, ok := d.Facts[key]
	if !ok || a.IsNull() {
		return term{}, false
	}
	m := toMoney(a, scale万元)
	return term{label: label, m: m, scale: scale万元, stated: true, fact: key}, m.ok
}

// cell is one value of a row as a term.
func cell(t *yusuan.Table, r *yusuan.Row, col, label string) term {
	sc := unitScale(t.Unit)
	return term{label: label, m: toMoney(r.Values[col], sc), scale: sc, table: t, row: r, col: col}
}

// zero is a printed 0 in a table's unit (an empty table or cell).
func zero(t *yusuan.Table, label string) term {
	sc := unitScale(t.Unit)
	return term{label: label, m: money{ulp: sc / 100, ok: true}, scale: sc, table: t}
}

// orZero counts a null cell as 0 (blank cells mean nothing was budgeted);
// it stays blank in messages and evidence: nothing was printed.
func orZero(x term) term {
	if !x.m.ok && !x.m.overflow {
		x.m = money{ulp: x.scale / 100, ok: true}
		x.blank = true
	}
	return x
}

// dataRows are the rows of a table that carry figures: not the column
// number line.
func dataRows(t *yusuan.Table) []*yusuan.Row {
	out := make([]*yusuan.Row, 0, len(t.Rows))
	for i := range t.Rows {
		r := &t.Rows[i]
		if isColumnNumberRow(r.Name) {
			continue
		}
		out = append(out, r)
	}
	return out
}

// totalRow is a one-sided table's 合计 (or 总计) row; in a department's
// table that prints none, the department's own opening line.
func totalRow(t *yusuan.Table) *yusuan.Row {
	var grand *yusuan.Row
	for i := range t.Rows {
		r := &t.Rows[i]
		switch totalKindOf(r.Name) {
		case totalPlain:
			return r
		case totalGrand, totalCurrent:
			if grand == nil {
				grand = r
			}
		}
	}
	if grand == nil {
		grand = departmentLine(t)
	}
	return grand
}

// departmentLine is the first line of a table listing a department and its
// units (深圳市人力资源和社会保障局 571,347.93, then each unit) when it adds
// up the unit lines below it; nil otherwise.
func departmentLine(t *yusuan.Table) *yusuan.Row {
	rows := dataRows(t)
	if len(rows) < 3 || rows[0].CodeString() != "" || !looksLikeOrg(rows[0].Name) {
		return nil
	}
	col := "total"
	if _, ok := rows[0].Values[col]; !ok {
		return nil
	}
	sc := unitScale(t.Unit)
	want := toMoney(rows[0].Values[col], sc)
	var s sum
	for _, r := range rows[1:] {
		if r.CodeString() == "" && r.EconCode == "" && looksLikeOrg(r.Name) {
			s.addCell(t, r, col, sc)
		}
	}
	if !want.ok || want.v == 0 || s.n < 2 || judge(want.v, s.v, want.ulp+s.ulps) == mismatch {
		return nil
	}
	return rows[0]
}

// hasValues reports whether any cell of the table holds a figure.
func hasValues(t *yusuan.Table) bool {
	for i := range t.Rows {
		if isColumnNumberRow(t.Rows[i].Name) {
			continue
		}
		for _, a := range t.Rows[i].Values {
			if !a.IsNull() {
				return true
			}
		}
	}
	return false
}

// tableTotal is the figure of a column for the whole table: its 合计 row,
// else the sum of its 类 rows (or of all rows when nothing is coded); an
// empty table is 0.
func tableTotal(t *yusuan.Table, col, label string) term {
	if !slices.Contains(allCols(t), col) {
		return term{label: label, scale: unitScale(t.Unit), table: t} // not printed (or not extracted)
	}
	if r := totalRow(t); r != nil {
		return orZero(cell(t, r, col, label))
	}
	sc := unitScale(t.Unit)
	var s sum
	rows := dataRows(t)
	coded := false
	for _, r := range rows {
		if levelOf(r) == 1 {
			coded = true
			s.addCell(t, r, col, sc)
		}
	}
	if !coded {
		for _, r := range rows {
			s.addCell(t, r, col, sc)
		}
	}
	if s.n == 0 {
		if hasValues(t) {
			return term{label: label, scale: sc, table: t} // figures elsewhere: not this column
		}
		return zero(t, label)
	}
	x := totalTerm(label, s, sc, t)
	return x
}

// levelOf is the functional classification level of a row: 1 类, 2 款, 3 项,
// 0 uncoded.
func levelOf(r *yusuan.Row) int {
	switch len(r.CodeString()) {
	case 3:
		return 1
	case 5:
		return 2
	case 7:
		return 3
	}
	if r.Code != nil && r.Level > 0 {
		return r.Level
	}
	return 0
}

func kindName(k yusuan.TableKind) string { return string(k) }

// tablesOf lists table kinds for a finding.
func tablesOf(ts ...*yusuan.Table) []string {
	var out []string
	for _, t := range ts {
		if t == nil {
			continue
		}
		k := kindName(t.Kind)
		dup := false
		for _, o := range out {
			dup = dup || o == k
		}
		if !dup {
			out = append(out, k)
		}
	}
	return out
}
