package table

import (
	"context"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
	"unicode/utf8"

	"yusuan"
	"yusuan/vocab"
)

// build rebuilds one region. used is false when the region turns out not to
// be a table (a title in a list of contents, a heading in prose).
func build(ctx context.Context, r *region, s *Settings) (yusuan.Table, bool, error) {
	t := yusuan.Table{Kind: r.title.Kind, Label: r.title.Label, Title: r.title.Title, Unit: r.unit}
	if t.Kind == yusuan.PerformanceTargets && isForm(r) {
		if ft, ok := buildForm(ctx, r, t); ok {
			return ft, true, nil
		}
	}
	var cols []*column
	var carried []tline // header lines of a page that held no body
	cs := &codeStack{}
	// Panels printed side by side after the first (人员经费 left, 公用经费
	// right): their codes, rows and notes, by panel.
	var panelCodes []*codeStack
	var deferred [][]yusuan.Row
	var dn []notes
	var n notes // what was doubted of the rows
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
		if err := ctx.Err(); err != nil {
			return t, false, fmt.Errorf("stopped at page %d: %w", p.page.Number, err)
		}
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
		// 合计 heading a column of its own (a table without a name
		// column) above a line of several source headings is header.
		if start+1 < len(lines) && !hasAmount(lines[start]) && headingRow(lines[start+1]) {
			for start < len(lines) && !hasAmount(lines[start]) {
				start++
			}
		}
		// Text-only rows before the first amount (因公出国（境）费 in an
		// empty table) are body: the header ends at its last heading
		// words, if the rows below start at the left edge (or indented as
		// a name's first line) or print long text (the upper half of a
		// tall row's 绩效目标), not heading fragments.
		{
			last := -1
			for i := 0; i < start; i++ {
				if headingLine(lines[i]) && !longText(lines[i]) {
					last = i
				}
			}
			// A line overlapping the first row (a name's first line, its
			// amounts centred below it) is body whatever it prints; other
			// text lines go no higher than the last heading line and take
			// no piece of heading set beside it (序 / 号 round 功能科目编码).
			first := start
			for start > 0 {
				l := lines[start-1]
				beside := last >= 0 && l.y1 > lines[last].y0
				if first < len(lines) && l.y0 < lines[first].y1 && !columnNumbers(l) ||
					last >= 0 && start-1 > last && !beside && (l.cells[0].x0-left <= 3*l.cells[0].size || longText(l)) {
					start--
					continue
				}
				break
			}
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
			prev := cols
			vr := vrulesIn(p.page.Rules, y0, y1, s)
			cols = discoverColumns(header, body, vr, s)
			classify(cols, body, t.Kind)
			// Lines printed with other column widths pollute the columns:
			// find the columns again without them (when they are few: when
			// most lines do not fit, the columns are wrong, not the lines).
			var fitting []tline
			for _, l := range body {
				if !misfit(l, cols, t.Kind, withHeader) {
					fitting = append(fitting, l)
				}
			}
			if len(fitting) < len(body) && 2*len(fitting) >= len(body) {
				cols = discoverColumns(header, fitting, vr, s)
				classify(cols, fitting, t.Kind)
			}
			if prev != nil {
				inherit(cols, prev, t.Kind, p.page.Number, &n)
			}
			sawHeader = sawHeader || hasHeaderWords
		}
		rd := rowReading{s: s, hr: hrules(p.page.Rules, s), text: text, rowGap: rowGapOf(body, s)}
		listed := cols
		if starts := panelStarts(cols, t.Kind); len(starts) > 1 {
			// Panels side by side, each continuing on the next page's same
			// part: the first panel's rows come first, each other panel's
			// after the whole table, in order.
			for len(deferred) < len(starts) {
				deferred, dn, panelCodes = append(deferred, nil), append(dn, notes{}), append(panelCodes, &codeStack{})
			}
			parts := cutPanels(body, cols, starts)
			for pi := range starts {
				pc := panelColumns(cols, starts, pi)
				lines := joinCodeLines(parts[pi], pc)
				if len(lines) == 0 {
					continue
				}
				pr := rd
				pr.rowGap = rowGapOf(lines, s)
				pl, groups, guessed := rowGroups(lines, pc, pr)
				stack := cs
				if pi > 0 {
					stack = panelCodes[pi]
				}
				rows, split := buildRows(pl, groups, guessed, pc, t.Kind, stack)
				if pi == 0 {
					t.Rows = append(t.Rows, rows...)
					n.rows(len(rows), split, false, false)
				} else {
					deferred[pi] = append(deferred[pi], rows...)
					dn[pi].rows(len(rows), split, false, false)
				}
			}
			listed = cols[starts[0]:starts[1]]
		} else {
			for _, b := range blocks(body, cols, t.Kind, withHeader, s) {
				if vocab.IsTwoSided(t.Kind) && hasSides(b.cols) {
					rows, split := sideRows(b, rd, t.Kind, cs)
					t.Rows = append(t.Rows, rows...)
					n.rows(len(rows), split, b.guessed, b.guessed)
					continue
				}
				bl, groups, guessed := rowGroups(b.lines, b.cols, rd)
				rows, split := buildRows(bl, groups, guessed, b.cols, t.Kind, cs)
				nameMergedCells(rows, rd.hr, b.cols)
				t.Rows = append(t.Rows, promoteName2(rows)...)
				n.rows(len(rows), split, false, b.guessed)
			}
		}
		t.Pages = append(t.Pages, p.page.Number)
		var own []tline // the header printed on this page
		for _, l := range header {
			if l.page == p.page.Number {
				own = append(own, l)
			}
		}
		t.Areas = append(t.Areas, area(p.page.Number, lines, own, listed, vocab.IsTwoSided(t.Kind)))
		for _, c := range listed {
			if c.role != vocab.RoleNone {
				continue
			}
			switch {
			case c.textual:
			case c.fallback:
				n.column(c.key, "no heading read over the column")
			case c.slugged:
				n.column(c.key, fmt.Sprintf("heading %q names no known column", c.headerText()))
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
	for pi := 1; pi < len(deferred); pi++ {
		t.Rows = append(t.Rows, deferred[pi]...)
		n.append(dn[pi])
	}
	if len(t.Pages) == 0 && len(carried) > 0 {
		hasHeaderWords := false
		for _, l := range carried {
			if headingLine(l) {
				hasHeaderWords = true
			}
		}
		if hasHeaderWords {
			cols = discoverColumns(carried, nil, nil, s)
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
	if textColumns(t.Kind) {
		var kept []bool
		t.Rows, kept = mergeTextRows(t.Rows)
		n.keep(kept)
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
	t.Doubts = n.doubts(&t)
	return t, true, nil
}

// nameMergedCells names the rows beside a first name printed once in a
// cell merged over them (Jiangsu's 收入预算总表: 其他资金 centred beside 小计,
// 经营收入 and 其他收入): within a cell of the first name column (rows no
// rule across that column separates) holding one row that prints a first
// name, the rows printing only a second name or a 小计 take that name. A
// table without rules across the name column, or a cell with two such
// names (a name wrapped over two lines), is left as read.
func nameMergedCells(rows []yusuan.Row, hr []hrule, cols []*column) {
	var name *column
	second := false
	for _, c := range cols {
		switch {
		case c.role == vocab.RoleName && name == nil:
			name = c
		case c.role == vocab.RoleName2:
			second = true
		}
	}
	if name == nil || !second || len(rows) < 2 {
		return
	}
	x := (name.x0 + name.x1) / 2
	mid := func(r yusuan.Row) float64 { return (r.BBox[1] + r.BBox[3]) / 2 }
	apart := func(a, b yusuan.Row) bool {
		if a.Page != b.Page {
			return true
		}
		lo, hi := min(mid(a), mid(b)), max(mid(a), mid(b))
		for _, r := range hr {
			if r.y > lo && r.y < hi && r.x0 <= x && r.x1 >= x {
				return true
			}
		}
		return false
	}
	total := func(r yusuan.Row) bool { return r.Name2 == "" && totalStartRe.MatchString(squeeze(r.Name)) }
	var cells [][2]int
	start := 0
	for i := 1; i <= len(rows); i++ {
		if i == len(rows) || apart(rows[i-1], rows[i]) {
			cells = append(cells, [2]int{start, i})
			start = i
		}
	}
	if len(cells) == 1 {
		return // no rule across the name column
	}
	for _, c := range cells {
		label := -1
		for i := c[0]; i < c[1]; i++ {
			if r := rows[i]; r.Name != "" && r.Code == nil && !total(r) {
				if label >= 0 {
					label = -2
					break
				}
				label = i
			}
		}
		if label < 0 {
			continue
		}
		for i := c[0]; i < c[1]; i++ {
			switch r := &rows[i]; {
			case r.Code != nil:
			case r.Name == "" && r.Name2 != "":
				r.Name = rows[label].Name
			case total(*r):
				r.Name, r.Name2 = rows[label].Name, r.Name
			}
		}
	}
}

// promoteName2 moves name2 to name in rows that print no name when no row
// prints both: the two name columns name different rows (预算单位 for the
// unit's line, 科目名称 for its items), not two names of one row.
func promoteName2(rows []yusuan.Row) []yusuan.Row {
	for _, r := range rows {
		if r.Name != "" && r.Name2 != "" {
			return rows
		}
	}
	for i := range rows {
		if r := &rows[i]; r.Name == "" {
			r.Name, r.Name2 = r.Name2, ""
		}
	}
	return rows
}

// longText reports whether a line prints text no heading is: a long
// piece that is a sentence or holds no heading word (the upper half of a
// tall row's 绩效目标 above its amounts).
func longText(l tline) bool {
	for _, c := range l.cells {
		t := squeeze(c.text)
		n := utf8.RuneCountInString(t)
		if c.num || n <= 10 {
			continue
		}
		if strings.ContainsAny(t, "，。；") {
			return true
		}
		// Headings run together hold several heading words; one long
		// piece with at most one (项目 … 项目 counts once) is text.
		words := len(slices.Compact(slices.Sorted(slices.Values(headerWordRe.FindAllString(t, -1)))))
		for _, w := range vocab.LeafWords {
			if strings.Contains(t, w) {
				words++
			}
		}
		if words == 0 || n >= 20 && words <= 1 {
			return true
		}
	}
	return false
}

// textColumns reports whether tables of the kind keep their text columns
// beside the name as printed text (绩效目标, 采购组织形式 …).
func textColumns(k yusuan.TableKind) bool {
	return k == yusuan.PerformanceTargets || k == yusuan.Procurement
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
		for _, u := range vocab.UnitWords {
			if strings.Contains(h, u) {
				return u
			}
		}
	}
	return ""
}

// mergeTextRows joins a row that prints only text beside the amounts (no
// name, no code, no amount: the rest of a long 绩效目标 cell set apart from
// its row) to the row above on the same page.
func mergeTextRows(rows []yusuan.Row) (out []yusuan.Row, kept []bool) {
	kept = make([]bool, len(rows))
	for i, r := range rows {
		n := len(out)
		if n == 0 || r.Name != "" || r.Code != nil || r.EconCode != "" || !allNull(r) || out[n-1].Page != r.Page {
			out = append(out, r)
			kept[i] = true
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
	return out, kept
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
func sideRows(b block, rd rowReading, kind yusuan.TableKind, cs *codeStack) ([]yusuan.Row, []bool) {
	type placedRow struct {
		line  int
		panel int
		row   yusuan.Row
		guess bool
	}
	panel, last := panelsOf(b.cols)
	var all []placedRow
	for pi := 0; pi <= last; pi++ {
		var lines []tline
		var orig []int
		for i, l := range b.lines {
			byPanel := map[int][]cell{}
			for _, c := range l.cells {
				if k := assign(c, b.cols); k >= 0 {
					byPanel[panel[k]] = append(byPanel[panel[k]], c)
				}
			}
			// A total printed across the expenditure panels (支出合计
			// under the first panel's names, its amount in the last
			// one's column) is one row, of the first panel.
			if last >= 2 && totalIn(byPanel[1]) && !hasNumIn(byPanel[1]) && hasNumIn(byPanel[last]) {
				across := true
				for p := 2; p <= last; p++ {
					across = across && !hasNameIn(byPanel[p])
				}
				for p := 2; across && p <= last; p++ {
					byPanel[1] = append(byPanel[1], byPanel[p]...)
					byPanel[p] = nil
				}
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
		if pi == 1 && last >= 2 {
			// A total line's amount printed in a later panel's column is
			// the first panel's total.
			key := ""
			for k, c := range b.cols {
				if panel[k] == 1 && c.role == vocab.RoleNone && key == "" {
					key = c.key
				}
			}
			cols = make([]*column, len(b.cols))
			for k, c := range b.cols {
				cc := *c
				if panel[k] >= 2 && c.role == vocab.RoleNone && key != "" {
					cc.key = key
				}
				cols[k] = &cc
			}
		}
		own := map[string]bool{}
		for k, c := range cols {
			if panel[k] == pi {
				own[c.key] = true
			}
		}
		sl, groups, guessed := rowGroups(lines, cols, rd)
		for gi, g := range groups {
			first := orig[sl[g[0]].src]
			rows, _ := buildRows(sl, [][]int{g}, nil, cols, kind, cs)
			for _, r := range rows {
				// A panel's row has no cells in the other panels' columns.
				for k, v := range r.Values {
					if v.IsNull() && !own[k] {
						delete(r.Values, k)
					}
				}
				all = append(all, placedRow{first, pi, r, guessed[gi]})
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
	guess := make([]bool, len(all))
	for i, p := range all {
		out[i], guess[i] = p.row, p.guess
	}
	return out, guess
}

// panelsOf numbers the panels of a two-sided table's columns: 0 income,
// then 1, 2 … for the expenditure side's panels when it prints several name
// columns each followed by its amounts (收支预算总表 with 功能分类 and 支出
// 用途 side by side; Xi'an's 功能科目, 部门经济科目 and 政府经济科目), else
// 1 for the whole expenditure side. The last panel number is returned too.
func panelsOf(cols []*column) ([]int, int) {
	panel := make([]int, len(cols))
	names, amountsAfter := 0, 0
	panels := true
	for k, c := range cols {
		if c.side != yusuan.SideExpenditure {
			continue
		}
		if c.role == vocab.RoleName {
			if names > 0 && amountsAfter == 0 {
				panels = false // two name columns in a row: not panels
				break
			}
			names++
			amountsAfter = 0
		} else if c.role == vocab.RoleNone && names > 0 {
			amountsAfter++
		}
		panel[k] = names
	}
	if !panels || names < 2 || amountsAfter == 0 {
		names = 1
	}
	for k, c := range cols {
		switch {
		case c.side != yusuan.SideExpenditure:
			panel[k] = 0
		case names == 1 || panel[k] == 0:
			panel[k] = 1
		}
	}
	return panel, names
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

// panelStarts finds the panels a table prints side by side, by the index
// of each panel's first column; fewer than two when it prints one. Panels
// are two identical halves (科目编码 科目名称 决算数 twice), or several
// runs each opening on a code column and printing names and amounts
// (人员经费's 301… beside 公用经费's 302… and 307…/310…).
func panelStarts(cols []*column, kind yusuan.TableKind) []int {
	if vocab.IsTwoSided(kind) || kind == yusuan.PerformanceTargets {
		return nil
	}
	if m := halves(cols); m > 0 {
		return []int{0, m}
	}
	var starts []int
	names, amounts := 0, 0
	for i, c := range cols {
		if isCodeRole(c.role) && (i == 0 || !isCodeRole(cols[i-1].role)) {
			if len(starts) > 0 && (names == 0 || amounts == 0) {
				return nil // a code beside another panel's code and name: one panel
			}
			starts, names, amounts = append(starts, i), 0, 0
			continue
		}
		if len(starts) == 0 {
			if c.role != vocab.RoleLineNo {
				return nil
			}
			continue
		}
		switch {
		case c.role == vocab.RoleName || c.role == vocab.RoleName2:
			names++
		case c.role == vocab.RoleNone && !c.textual:
			amounts++
		}
	}
	if len(starts) < 2 || names == 0 || amounts == 0 {
		return nil
	}
	return starts
}

// halves finds where a table printed as two identical panels side by side
// starts its second panel: the index of the first column of the right
// half, 0 when the table is not so printed.
func halves(cols []*column) int {
	if len(cols) < 4 || len(cols)%2 != 0 {
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

// panelColumns are the columns of panel pi. Later panels read as the
// first does: their names are names, their amount columns take the first
// panel's keys in order (by place when the panels are alike).
func panelColumns(cols []*column, starts []int, pi int) []*column {
	end := func(p int) int {
		if p+1 < len(starts) {
			return starts[p+1]
		}
		return len(cols)
	}
	first := cols[starts[0]:end(0)]
	if pi == 0 {
		return first
	}
	own := cols[starts[pi]:end(pi)]
	out := make([]*column, len(own))
	alike := len(own) == len(first)
	// Headings over no column of their own (人员经费 over the panel) key
	// nothing.
	firstAmounts := slices.DeleteFunc(amountColumns(first), func(c *column) bool { return c.created })
	k := 0
	for i, c := range own {
		cc := *c
		switch {
		case alike:
			cc.role, cc.key = first[i].role, first[i].key
		case cc.role == vocab.RoleName2:
			cc.role = vocab.RoleName
		case cc.role == vocab.RoleNone && !cc.textual && !cc.created && k < len(firstAmounts):
			cc.key = firstAmounts[k].key
			k++
		}
		out[i] = &cc
	}
	return out
}

// cutPanels cuts each line into its panels' parts. A total printed across
// panels (公用经费合计 under one panel's names, its amount in the next
// panel's column) stays whole, in the panel of its label.
func cutPanels(body []tline, cols []*column, starts []int) [][]tline {
	out := make([][]tline, len(starts))
	for _, l := range body {
		parts := make([][]cell, len(starts))
		for _, c := range l.cells {
			p := 0
			for k := 1; k < len(starts); k++ {
				if c.x0 >= cols[starts[k]].x0-1 {
					p = k
				}
			}
			parts[p] = append(parts[p], c)
		}
		for p := 0; p+1 < len(parts); p++ {
			if totalIn(parts[p]) && !hasNumIn(parts[p]) && hasNumIn(parts[p+1]) && !hasNameIn(parts[p+1]) {
				parts[p], parts[p+1] = append(parts[p], parts[p+1]...), nil
			}
		}
		for p, cs := range parts {
			if len(cs) == 0 {
				continue
			}
			h := l
			h.cells = cs
			h.x0, h.x1 = cs[0].x0, cs[len(cs)-1].x1
			h.sq = ""
			h.sq = h.squeezed()
			out[p] = append(out[p], h)
		}
	}
	return out
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
	return r == vocab.RoleCode || r == vocab.RoleCodePart || r == vocab.RoleEconCode || r == vocab.RoleGovEconCode || r == vocab.RoleUnitCode
}
