// Package table rebuilds disclosure tables from positioned text and ruling
// lines: table regions start at a title the template package recognises,
// columns come from ruling lines when the page has them and otherwise from
// text edges (amounts aligned in columns, header words above them), rows
// from vertical overlap with wrapped cell text joined, and tables continuing
// over pages are merged. A region ends at the next title, at a narrative
// heading or at prose. Two-sided tables are rebuilt one side at a time;
// performance-target forms (项目名称 … 年度资金总额：) give one row per
// project.
package table

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"

	"yusuan"
	"yusuan/extract/layout"
	"yusuan/extract/template"
)

// Extract finds and rebuilds the tables of a document. tablePages holds the
// pages whose lines are mostly table (the narrative parser skips them; a page
// mixing prose with a short table is not one). A table that cannot be rebuilt
// becomes a warning; the others still come out.
func Extract(pages []layout.Page) (tables []yusuan.Table, tablePages map[int]bool, warnings []string) {
	tablePages = map[int]bool{}
	var prev *region
	for _, r := range findRegions(pages) {
		t, used, err := safeBuild(r)
		if err != nil {
			warnings = append(warnings, fmt.Sprintf("page %d: table %s: %v", r.page, r.title.Title, err))
			continue
		}
		if !used {
			continue
		}
		// A page is a table page when the table holds most of its lines;
		// a page mixing prose and a short table stays with the narrative.
		for _, p := range r.parts {
			if slices.Contains(t.Pages, p.page.Number) && 2*len(p.lines) >= len(p.page.Lines) {
				tablePages[p.page.Number] = true
			}
		}
		if n := len(tables); n > 0 && continues(prev, r, &tables[n-1], &t) {
			merge(&tables[n-1], t)
			prev = r
			continue
		}
		if t.Kind == yusuan.Other {
			warnings = append(warnings, fmt.Sprintf("page %d: table %s not mapped to a known kind", r.page, t.Title))
		}
		tables = append(tables, t)
		prev = r
	}
	return tables, tablePages, warnings
}

// continues reports whether region r is the same table as the previous one
// printed again on the next page (title repeated with the same entity).
func continues(prev, r *region, last, t *yusuan.Table) bool {
	if prev == nil || last.Kind != t.Kind || last.Title != t.Title || prev.entity != r.entity {
		return false
	}
	lp := last.Pages[len(last.Pages)-1]
	return t.Pages[0] == lp+1 || t.Pages[0] == lp
}

func merge(dst *yusuan.Table, src yusuan.Table) {
	for _, p := range src.Pages {
		if !slices.Contains(dst.Pages, p) {
			dst.Pages = append(dst.Pages, p)
		}
	}
	for _, c := range src.Columns {
		if !slices.Contains(dst.Columns, c) {
			dst.Columns = append(dst.Columns, c)
		}
	}
	for k, v := range src.Headers {
		if dst.Headers == nil {
			dst.Headers = map[string]string{}
		}
		if _, ok := dst.Headers[k]; !ok {
			dst.Headers[k] = v
		}
	}
	dst.Rows = append(dst.Rows, src.Rows...)
	dst.Empty = dst.Empty && src.Empty
}

func safeBuild(r *region) (t yusuan.Table, used bool, err error) {
	defer func() {
		if x := recover(); x != nil {
			err = fmt.Errorf("rebuilding failed: %v", x)
		}
	}()
	return build(r)
}

// build rebuilds one region. used is false when the region turns out not to
// be a table (a title in a list of contents, a heading in prose).
func build(r *region) (yusuan.Table, bool, error) {
	t := yusuan.Table{Kind: r.title.Kind, Label: r.title.Label, Title: r.title.Title, Unit: r.unit}
	if t.Kind == yusuan.PerformanceTargets && isForm(r) {
		if ft, ok := buildForm(r, t); ok {
			return ft, true, nil
		}
	}
	var cols []*column
	var carried []tline // header lines of a page that held no body
	cs := &codeStack{}
	sawHeader := false
	var text []cell
	for _, p := range r.parts {
		for _, l := range p.lines {
			for _, c := range l.cells {
				if !c.num {
					text = append(text, c)
				}
			}
		}
	}
	for _, p := range r.parts {
		lines := p.lines
		if len(lines) == 0 {
			continue
		}
		var kept []tline
		for _, l := range lines {
			if t.Kind == yusuan.PerformanceTargets && len(l.whole) > 0 {
				l.cells = l.whole
			}
			if !columnNumbers(l) {
				kept = append(kept, l)
			}
		}
		lines = kept
		left := math.Inf(1)
		for _, l := range lines {
			left = math.Min(left, l.x0)
		}
		start := 0
		for start < len(lines) && !isData(lines[start], left) {
			start++
		}
		// Text-only rows before the first amount (因公出国（境）费 in an
		// empty table) are body: the header ends at its last heading
		// words, if the rows below start at the left edge.
		{
			last := -1
			for i := 0; i < start; i++ {
				if headingLine(lines[i]) {
					last = i
				}
			}
			if last >= 0 {
				k := start
				for k-1 > last && lines[k-1].cells[0].x0-left <= 2*lines[k-1].cells[0].size {
					k--
				}
				start = k
			}
		}
		// The first line of a name wrapped round its centred amounts
		// overlaps them: it is body, not header.
		for start > 0 && start < len(lines) && lines[start-1].y0 < lines[start].y1 && !columnNumbers(lines[start-1]) {
			start--
		}
		header, body := lines[:start], lines[start:]
		if len(body) == 0 {
			carried = append(carried, header...)
			continue
		}
		if len(carried) > 0 {
			header = append(carried, header...)
			carried = nil
		}
		// A page continuing the table without its header: text above the
		// first amount that sits in the name columns is the rest of the
		// previous page's rows, not a heading.
		if cols != nil && len(header) > 0 && inNameColumns(header, cols) {
			body = append(append([]tline(nil), header...), body...)
			header = nil
		}
		hasHeaderWords := false
		for _, l := range header {
			if headingLine(l) {
				hasHeaderWords = true
			}
		}
		if len(body) == 0 && !hasHeaderWords {
			continue
		}
		y0, y1 := math.Inf(1), math.Inf(-1)
		for _, l := range lines {
			y0, y1 = math.Min(y0, l.y0), math.Max(y1, l.y1)
		}
		withHeader := len(header) > 0 && hasHeaderWords
		if withHeader || cols == nil {
			vr := vrulesIn(p.page.Rules, y0, y1)
			cols = discoverColumns(header, body, vr)
			classify(cols, body, t.Kind)
			// Lines printed with other column widths pollute the columns:
			// find the columns again without them.
			var fitting []tline
			for _, l := range body {
				if !misfit(l, cols, t.Kind, withHeader) {
					fitting = append(fitting, l)
				}
			}
			if len(fitting) < len(body) && len(fitting) > 0 {
				cols = discoverColumns(header, fitting, vr)
				classify(cols, fitting, t.Kind)
			}
			sawHeader = sawHeader || hasHeaderWords
		}
		hr := hrules(p.page.Rules)
		rowGap := rowGapOf(body)
		for _, b := range blocks(body, cols, t.Kind, withHeader) {
			if template.IsTwoSided(t.Kind) && hasSides(b.cols) {
				t.Rows = append(t.Rows, sideRows(b, hr, text, rowGap, t.Kind, cs)...)
				continue
			}
			groups := rowGroups(b.lines, b.cols, hr, text, rowGap)
			t.Rows = append(t.Rows, buildRows(b.lines, groups, b.cols, t.Kind, cs)...)
		}
		t.Pages = append(t.Pages, p.page.Number)
		for _, c := range cols {
			if c.role != template.RoleNone {
				continue
			}
			if !slices.Contains(t.Columns, c.key) {
				t.Columns = append(t.Columns, c.key)
			}
			if h := c.headerText(); h != "" {
				if t.Headers == nil {
					t.Headers = map[string]string{}
				}
				if _, ok := t.Headers[c.key]; !ok {
					t.Headers[c.key] = h
				}
			}
		}
	}
	if len(t.Pages) == 0 && len(carried) > 0 {
		hasHeaderWords := false
		for _, l := range carried {
			if headingLine(l) {
				hasHeaderWords = true
			}
		}
		if hasHeaderWords {
			cols = discoverColumns(carried, nil, nil)
			classify(cols, nil, t.Kind)
			t.Pages = []int{carried[0].page}
			for _, c := range cols {
				if c.role == template.RoleNone && !slices.Contains(t.Columns, c.key) {
					t.Columns = append(t.Columns, c.key)
				}
			}
			t.Empty = true
			t.Rows = []yusuan.Row{}
			return t, true, nil
		}
	}
	if len(t.Pages) == 0 {
		if r.empty {
			t.Pages = []int{r.page}
			t.Empty = true
			t.Rows = []yusuan.Row{}
			t.Columns = []string{}
			return t, true, nil
		}
		return t, false, nil
	}
	if !anyValue(t.Rows) && !sawHeader && !r.empty {
		return t, false, nil
	}
	if t.Kind == yusuan.PerformanceTargets {
		t.Rows = mergeTextRows(t.Rows)
	}
	t.Empty = r.empty || !anyValue(t.Rows)
	if t.Empty {
		t.Rows = nil // an empty table's printed items are no data
	}
	if t.Rows == nil {
		t.Rows = []yusuan.Row{}
	}
	if t.Columns == nil {
		t.Columns = []string{}
	}
	if t.Unit == "" && t.Kind != yusuan.PerformanceTargets {
		t.Unit = guessUnit(t)
	}
	return t, true, nil
}

func anyValue(rows []yusuan.Row) bool {
	for _, r := range rows {
		for _, v := range r.Values {
			if !v.IsNull() {
				return true
			}
		}
	}
	return false
}

// guessUnit reads a unit from the header when no unit line was printed
// (金额（万元）).
func guessUnit(t yusuan.Table) string {
	for _, h := range t.Headers {
		switch {
		case strings.Contains(h, "万元"):
			return "万元"
		case strings.Contains(h, "千元"):
			return "千元"
		case strings.Contains(h, "元"):
			return "元"
		}
	}
	return ""
}

// mergeTextRows joins a row that prints only text beside the amounts (no
// name, no code, no amount: the rest of a long 绩效目标 cell set apart from
// its row) to the row above on the same page.
func mergeTextRows(rows []yusuan.Row) []yusuan.Row {
	var out []yusuan.Row
	for _, r := range rows {
		n := len(out)
		if n == 0 || r.Name != "" || r.Code != nil || r.EconCode != "" || !allNull(r) || out[n-1].Page != r.Page {
			out = append(out, r)
			continue
		}
		prev := &out[n-1]
		for k, v := range r.Raw {
			if prev.Raw == nil {
				prev.Raw = map[string]string{}
			}
			prev.Raw[k] = joinText(prev.Raw[k], v)
			if _, ok := prev.Values[k]; !ok {
				prev.Values[k] = yusuan.Null
			}
		}
		if r.BBox != nil && prev.BBox != nil {
			b := *prev.BBox
			b[0], b[1], b[2], b[3] = math.Min(b[0], r.BBox[0]), math.Min(b[1], r.BBox[1]), math.Max(b[2], r.BBox[2]), math.Max(b[3], r.BBox[3])
			prev.BBox = &b
		}
	}
	return out
}

func hasSides(cols []*column) bool {
	for _, c := range cols {
		if c.side == yusuan.SideExpenditure {
			return true
		}
	}
	return false
}

// sideRows rebuilds the rows of a two-sided table one side at a time: each
// side wraps its names and centres its amounts on its own, so a line may
// end a row on one side and continue one on the other. Rows come out in
// printed order, income before expenditure on a shared line.
func sideRows(b block, hr []hrule, text []cell, rowGap float64, kind yusuan.TableKind, cs *codeStack) []yusuan.Row {
	type placedRow struct {
		line int
		side int
		row  yusuan.Row
	}
	var all []placedRow
	for si, side := range []yusuan.Side{yusuan.SideIncome, yusuan.SideExpenditure} {
		var lines []tline
		var orig []int
		for i, l := range b.lines {
			var keep []cell
			for _, c := range l.cells {
				if k := assign(c, b.cols); k >= 0 && b.cols[k].side == side {
					keep = append(keep, c)
				}
			}
			if len(keep) == 0 {
				continue
			}
			pl := l
			pl.cells = keep
			pl.x0, pl.x1 = keep[0].x0, keep[len(keep)-1].x1
			pl.sq = ""
			pl.sq = pl.squeezed()
			lines = append(lines, pl)
			orig = append(orig, i)
		}
		for _, g := range rowGroups(lines, b.cols, hr, text, rowGap) {
			first := orig[g[0]]
			for _, r := range buildRows(lines, [][]int{g}, b.cols, kind, cs) {
				all = append(all, placedRow{first, si, r})
			}
		}
	}
	sort.SliceStable(all, func(i, j int) bool {
		if all[i].line != all[j].line {
			return all[i].line < all[j].line
		}
		return all[i].side < all[j].side
	})
	out := make([]yusuan.Row, len(all))
	for i, p := range all {
		out[i] = p.row
	}
	return out
}

// inNameColumns reports whether every cell of the lines starts inside a
// name column of cols.
func inNameColumns(lines []tline, cols []*column) bool {
	for _, l := range lines {
		for _, c := range l.cells {
			in := false
			for _, col := range cols {
				if (col.role == template.RoleName || col.role == template.RoleName2) && c.x0 >= col.x0-1 && c.x0 <= col.x1 && c.x1 <= col.x1+c.size {
					in = true
					break
				}
			}
			if !in {
				return false
			}
		}
	}
	return true
}
