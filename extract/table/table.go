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
	"context"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"

	"yusuan"
	"yusuan/extract/layout"
	"yusuan/vocab"
)

// Extract finds and rebuilds the tables of a document. tablePages holds the
// pages whose lines are mostly table (the narrative parser skips them; a page
// mixing prose with a short table is not one). A table that cannot be rebuilt
// becomes a warning; the others still come out. When ctx ends, the tables
// rebuilt so far come out with a warning.
func Extract(ctx context.Context, pages []layout.Page) (tables []yusuan.Table, tablePages map[int]bool, warnings []string) {
	tablePages = map[int]bool{}
	var prev *region
	for _, r := range findRegions(pages) {
		if err := ctx.Err(); err != nil {
			warnings = append(warnings, fmt.Sprintf("tables from page %d on skipped: %v", r.page, err))
			break
		}
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
	completeCodes(dst.Rows, src.Rows)
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
	rcs := &codeStack{}       // the right panel's codes
	var deferred []yusuan.Row // the right panel's rows
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
		lines = liftedAmounts(kept)
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
		listed := cols
		if m := panelSplit(cols, t.Kind); m > 0 {
			// Two panels side by side (人员经费 left, 公用经费 right), each
			// continuing on the next page's same half: the left panel's
			// rows come first, the right panel's after the whole table.
			left, right := splitPanels(body, cols[m].x0)
			rc := panelCols(cols, m)
			left, right = joinCodeLines(left, cols[:m]), joinCodeLines(right, rc)
			if len(left) > 0 {
				groups := rowGroups(left, cols[:m], hr, text, rowGapOf(left))
				t.Rows = append(t.Rows, buildRows(left, groups, cols[:m], t.Kind, cs)...)
			}
			if len(right) > 0 {
				groups := rowGroups(right, rc, hr, text, rowGapOf(right))
				deferred = append(deferred, buildRows(right, groups, rc, t.Kind, rcs)...)
			}
			listed = cols[:m]
		} else {
			for _, b := range blocks(body, cols, t.Kind, withHeader) {
				if vocab.IsTwoSided(t.Kind) && hasSides(b.cols) {
					t.Rows = append(t.Rows, sideRows(b, hr, text, rowGap, t.Kind, cs)...)
					continue
				}
				groups := rowGroups(b.lines, b.cols, hr, text, rowGap)
				t.Rows = append(t.Rows, buildRows(b.lines, groups, b.cols, t.Kind, cs)...)
			}
		}
		t.Pages = append(t.Pages, p.page.Number)
		for _, c := range listed {
			if c.role != vocab.RoleNone {
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
	t.Rows = append(t.Rows, deferred...)
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
				if c.role == vocab.RoleNone && !slices.Contains(t.Columns, c.key) {
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
	// An empty table's printed items (and zeros) are no data; but a note
	// saying 本表无数据 over nonzero figures keeps both: Empty with rows is
	// the document contradicting itself, for the checks to report.
	if t.Empty && !anyNonzero(t.Rows) {
		t.Rows = nil
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

func anyNonzero(rows []yusuan.Row) bool {
	for _, r := range rows {
		for _, v := range r.Values {
			if !v.IsNull() && !v.Decimal().IsZero() {
				return true
			}
		}
	}
	return false
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
		line  int
		panel int
		row   yusuan.Row
	}
	panel := panelsOf(b.cols)
	var all []placedRow
	for pi := 0; pi < 3; pi++ {
		var lines []tline
		var orig []int
		for i, l := range b.lines {
			byPanel := map[int][]cell{}
			for _, c := range l.cells {
				if k := assign(c, b.cols); k >= 0 {
					byPanel[panel[k]] = append(byPanel[panel[k]], c)
				}
			}
			// A total printed across both expenditure panels (支出合计
			// under the first panel's names, its amount in the second's
			// column) is one row, of the first panel.
			if totalIn(byPanel[1]) && !hasNameIn(byPanel[2]) && !hasNumIn(byPanel[1]) && hasNumIn(byPanel[2]) {
				byPanel[1] = append(byPanel[1], byPanel[2]...)
				byPanel[2] = nil
			}
			keep := byPanel[pi]
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
		cols := b.cols
		if pi == 1 && panel[len(panel)-1] == 2 {
			// A total line's amount printed in the second panel's column
			// is the first panel's total.
			key := ""
			for k, c := range b.cols {
				if panel[k] == 1 && c.role == vocab.RoleNone && key == "" {
					key = c.key
				}
			}
			cols = make([]*column, len(b.cols))
			for k, c := range b.cols {
				cc := *c
				if panel[k] == 2 && c.role == vocab.RoleNone && key != "" {
					cc.key = key
				}
				cols[k] = &cc
			}
		}
		for _, g := range rowGroups(lines, cols, hr, text, rowGap) {
			first := orig[g[0]]
			for _, r := range buildRows(lines, [][]int{g}, cols, kind, cs) {
				all = append(all, placedRow{first, pi, r})
			}
		}
	}
	sort.SliceStable(all, func(i, j int) bool {
		if all[i].line != all[j].line {
			return all[i].line < all[j].line
		}
		return all[i].panel < all[j].panel
	})
	out := make([]yusuan.Row, len(all))
	for i, p := range all {
		out[i] = p.row
	}
	return out
}

// panelsOf numbers the panels of a two-sided table's columns: 0 income,
// 1 expenditure, and 2 a second expenditure panel when the expenditure side
// prints two name columns each followed by its amounts (收支预算总表 with
// 功能分类 and 支出用途 side by side).
func panelsOf(cols []*column) []int {
	panel := make([]int, len(cols))
	names, amountsAfter := 0, 0
	for k, c := range cols {
		if c.side != yusuan.SideExpenditure {
			continue
		}
		if c.role == vocab.RoleName {
			if names == 1 && amountsAfter == 0 {
				break // two name columns in a row: not two panels
			}
			names++
			amountsAfter = 0
		} else if c.role == vocab.RoleNone && names > 0 {
			amountsAfter++
		}
		panel[k] = names
	}
	for k, c := range cols {
		switch {
		case c.side != yusuan.SideExpenditure:
			panel[k] = 0
		case names != 2 || amountsAfter == 0 || panel[k] == 0:
			panel[k] = 1
		}
	}
	return panel
}

// hasNameIn reports whether cells print text: a name, or a total's label
// centred over an amount column.
func hasNameIn(cs []cell) bool {
	for _, c := range cs {
		if !c.num {
			return true
		}
	}
	return false
}

// totalIn reports whether cells print a total's label (当年支出小计,
// 支出合计).
func totalIn(cs []cell) bool {
	for _, c := range cs {
		if t := squeeze(c.text); !c.num && (totalStartRe.MatchString(t) || strings.HasSuffix(t, "合计") || strings.HasSuffix(t, "小计") || strings.HasSuffix(t, "总计")) {
			return true
		}
	}
	return false
}

func hasNumIn(cs []cell) bool {
	for _, c := range cs {
		if c.num {
			return true
		}
	}
	return false
}

// inNameColumns reports whether every cell of the lines starts inside a
// name column of cols.
func inNameColumns(lines []tline, cols []*column) bool {
	for _, l := range lines {
		for _, c := range l.cells {
			in := false
			for _, col := range cols {
				if (col.role == vocab.RoleName || col.role == vocab.RoleName2) && c.x0 >= col.x0-1 && c.x0 <= col.x1 && c.x1 <= col.x1+c.size {
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

// completeCodes completes the codes of a continuation page's first rows
// that print only their own digits (99 under 20805 on the previous page,
// 类/款/项 columns left blank when unchanged): the parent is the last code
// printed before with the level that the row's indentation (the left edge
// of its box) matches among the previous rows.
func completeCodes(prev, rows []yusuan.Row) {
	for i := range rows {
		r := &rows[i]
		if r.Code == nil {
			continue
		}
		if len(*r.Code) != 2 || r.BBox == nil {
			return
		}
		level, best := 0, math.Inf(1)
		for _, p := range prev {
			if p.Code == nil || p.BBox == nil || (len(*p.Code) != 5 && len(*p.Code) != 7) {
				continue
			}
			if d := math.Abs(p.BBox[0] - r.BBox[0]); d < best {
				level, best = len(*p.Code), d
			}
		}
		if level == 0 || best > 3 {
			return
		}
		parent := ""
		for k := len(prev) - 1; k >= 0 && parent == ""; k-- {
			if c := prev[k].Code; c != nil && len(*c) >= level-2 {
				parent = (*c)[:level-2]
			}
		}
		if parent == "" {
			return
		}
		c := parent + *r.Code
		r.Code = &c
		r.Level = (level - 1) / 2
		prev = append(prev[:len(prev):len(prev)], *r)
	}
}

// liftedAmounts gives back amounts printed a little above their row's
// baseline that the layout put on the header line just above (类款项 with
// 合计's 2,336.91 / 603.14): they move to the row below, which they
// overlap and whose columns they do not share.
func liftedAmounts(lines []tline) []tline {
	for i := 0; i+1 < len(lines); i++ {
		l, next := lines[i], lines[i+1]
		var words, nums []cell
		for _, c := range l.cells {
			if c.num {
				nums = append(nums, c)
			} else {
				words = append(words, c)
			}
		}
		if len(nums) == 0 || len(words) == 0 || next.y1 <= l.y0 || next.page != l.page {
			continue
		}
		w := ""
		for _, c := range words {
			w += squeeze(c.text)
		}
		if w != "类款项" && w != "类款" {
			continue
		}
		clash := false
		for _, c := range nums {
			for _, d := range next.cells {
				if overlap(c.x0, c.x1, d.x0, d.x1) > 0 {
					clash = true
				}
			}
		}
		if clash {
			continue
		}
		out := append([]tline(nil), lines...)
		l.cells = words
		l.x0, l.x1 = words[0].x0, words[len(words)-1].x1
		l.sq = squeeze(l.text())
		l.y0 = math.Max(l.y0, next.y1+0.01) // a heading, not a wrapped name over the row
		next.cells = append(append([]cell(nil), next.cells...), nums...)
		sort.Slice(next.cells, func(a, b int) bool { return next.cells[a].x0 < next.cells[b].x0 })
		next.x0, next.x1 = next.cells[0].x0, math.Max(next.x1, next.cells[len(next.cells)-1].x1)
		next.sq = squeeze(next.text())
		out[i], out[i+1] = l, next
		lines = out
	}
	return lines
}

// panelSplit finds where a table printed as two identical panels side by
// side starts its second panel (科目编码 科目名称 决算数 twice): the index
// of the first column of the right half, 0 when the table is one panel.
func panelSplit(cols []*column, kind yusuan.TableKind) int {
	if vocab.IsTwoSided(kind) || kind == yusuan.PerformanceTargets || len(cols) < 4 || len(cols)%2 != 0 {
		return 0
	}
	m := len(cols) / 2
	role := func(c *column) vocab.TextRole {
		if c.role == vocab.RoleName2 {
			return vocab.RoleName
		}
		return c.role
	}
	hasName := false
	for i := 0; i < m; i++ {
		a, b := cols[i], cols[m+i]
		if role(a) != role(b) || a.side != b.side || a.created || b.created {
			return 0
		}
		if role(a) != vocab.RoleNone && a.headerText() != b.headerText() {
			return 0
		}
		hasName = hasName || role(a) == vocab.RoleName
	}
	if !hasName || cols[m-1].role != vocab.RoleNone || cols[0].role == vocab.RoleNone {
		return 0
	}
	return m
}

// panelCols gives the right panel the left panel's roles and keys.
func panelCols(cols []*column, m int) []*column {
	out := make([]*column, 0, len(cols)-m)
	for i := m; i < len(cols); i++ {
		c := *cols[i]
		c.role, c.key = cols[i-m].role, cols[i-m].key
		out = append(out, &c)
	}
	return out
}

// splitPanels cuts each line at x into its left and right halves.
func splitPanels(body []tline, x float64) (left, right []tline) {
	for _, l := range body {
		var lc, rc []cell
		for _, c := range l.cells {
			if c.x0 < x-1 {
				lc = append(lc, c)
			} else {
				rc = append(rc, c)
			}
		}
		for _, half := range []struct {
			cells []cell
			out   *[]tline
		}{{lc, &left}, {rc, &right}} {
			if len(half.cells) == 0 {
				continue
			}
			h := l
			h.cells = half.cells
			h.x0, h.x1 = half.cells[0].x0, half.cells[len(half.cells)-1].x1
			h.sq = ""
			h.sq = h.squeezed()
			*half.out = append(*half.out, h)
		}
	}
	return left, right
}

// joinCodeLines joins a line printing its 类 code but no 款 to the next
// line printing the 款 but no 类 (codes set a little above the rest of
// the row, 302 / 03 咨询费).
func joinCodeLines(lines []tline, cols []*column) []tline {
	if len(cols) < 2 || !isCodeRole(cols[0].role) || !isCodeRole(cols[1].role) {
		return lines
	}
	in := func(l tline, k int) bool {
		for _, c := range l.cells {
			if assign(c, cols) == k {
				return true
			}
		}
		return false
	}
	var out []tline
	for i := 0; i < len(lines); i++ {
		a := lines[i]
		if i+1 < len(lines) {
			b := lines[i+1]
			if b.page == a.page && a.y0-b.y1 < a.size && in(a, 0) && !in(a, 1) && in(b, 1) && !in(b, 0) {
				a.cells = append(append([]cell(nil), a.cells...), b.cells...)
				sort.SliceStable(a.cells, func(x, y int) bool { return a.cells[x].x0 < a.cells[y].x0 })
				a.x0, a.x1 = math.Min(a.x0, b.x0), math.Max(a.x1, b.x1)
				a.y0 = math.Min(a.y0, b.y0)
				a.sq = ""
				a.sq = a.squeezed()
				i++
			}
		}
		out = append(out, a)
	}
	return out
}

func isCodeRole(r vocab.TextRole) bool {
	return r == vocab.RoleCode || r == vocab.RoleCodePart || r == vocab.RoleEconCode || r == vocab.RoleGovEconCode
}
