package web

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"yusuan"
	"yusuan/vocab"
)

// diffDocuments lists what changed from one version of a document to the
// next, as a reader would say it: tables added or dropped, rows added or
// dropped, figures changed (table, row, column: old → new), narrative
// figures changed. Tables are matched by kind and their order among
// tables of that kind; rows by side, code and name.
func diffDocuments(old, cur *yusuan.Document) []string {
	var out []string
	if old.Meta.Title != cur.Meta.Title {
		out = append(out, fmt.Sprintf("title: %s → %s", old.Meta.Title, cur.Meta.Title))
	}
	if old.Pages != cur.Pages {
		out = append(out, fmt.Sprintf("pages: %d → %d", old.Pages, cur.Pages))
	}
	ot, ct := tablesByKey(old.Tables), tablesByKey(cur.Tables)
	for _, k := range ct.order {
		c := ct.tables[k]
		o, ok := ot.tables[k]
		if !ok {
			out = append(out, "table added: "+tableName(c))
			continue
		}
		out = append(out, diffTable(o, c)...)
	}
	for _, k := range ot.order {
		if _, ok := ct.tables[k]; !ok {
			out = append(out, "table dropped: "+tableName(ot.tables[k]))
		}
	}
	for _, k := range unionKeys(old.Facts, cur.Facts) {
		o, c := old.Facts[k], cur.Facts[k]
		if !o.Equal(c) {
			out = append(out, fmt.Sprintf("情况说明 %s: %s → %s", k, orDash(o), orDash(c)))
		}
	}
	return out
}

type keyedTables struct {
	order  []string
	tables map[string]*yusuan.Table
}

func tablesByKey(ts []yusuan.Table) keyedTables {
	out := keyedTables{tables: map[string]*yusuan.Table{}}
	seen := map[yusuan.TableKind]int{}
	for i := range ts {
		t := &ts[i]
		k := fmt.Sprintf("%s#%d", t.Kind, seen[t.Kind])
		seen[t.Kind]++
		out.order = append(out.order, k)
		out.tables[k] = t
	}
	return out
}

func tableName(t *yusuan.Table) string {
	name := strings.TrimSpace(t.Label + " " + t.Title)
	if t.Label != "" && strings.HasPrefix(t.Title, t.Label) {
		name = t.Title
	}
	if name == "" {
		name = vocab.KindLabel(t.Kind)
	}
	return name
}

func rowKey(r yusuan.Row) string {
	return string(r.Side) + "\x1f" + r.CodeString() + "\x1f" + strings.Join(strings.Fields(r.Name), "")
}

func diffTable(old, cur *yusuan.Table) []string {
	var out []string
	name := tableName(cur)
	oldRows := map[string]*yusuan.Row{}
	for i := range old.Rows {
		if k := rowKey(old.Rows[i]); oldRows[k] == nil {
			oldRows[k] = &old.Rows[i]
		}
	}
	seen := map[string]bool{}
	for i := range cur.Rows {
		c := &cur.Rows[i]
		k := rowKey(*c)
		if seen[k] {
			continue
		}
		seen[k] = true
		o := oldRows[k]
		if o == nil {
			out = append(out, fmt.Sprintf("%s: row added: %s", name, rowName(c)))
			continue
		}
		for _, col := range unionKeys(o.Values, c.Values) {
			if ov, cv := o.Values[col], c.Values[col]; !ov.Equal(cv) {
				header := cur.Headers[col]
				if header == "" {
					header = vocab.ColumnName(col)
				}
				out = append(out, fmt.Sprintf("%s: %s, %s: %s → %s", name, rowName(c), header, orDash(ov), orDash(cv)))
			}
		}
	}
	for i := range old.Rows {
		if k := rowKey(old.Rows[i]); !seen[k] {
			seen[k] = true
			out = append(out, fmt.Sprintf("%s: row dropped: %s", name, rowName(&old.Rows[i])))
		}
	}
	return out
}

func rowName(r *yusuan.Row) string {
	return strings.TrimSpace(r.CodeString() + " " + r.Name)
}

func orDash(a yusuan.Amount) string {
	if a.IsNull() {
		return "—"
	}
	return groupDigits(a.String())
}

// unionKeys are the keys of a and b, sorted, each once.
func unionKeys(a, b map[string]yusuan.Amount) []string {
	keys := slices.Collect(maps.Keys(a))
	for k := range b {
		if _, ok := a[k]; !ok {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	return keys
}
