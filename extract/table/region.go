package table

import (
	"regexp"
	"strings"
	"unicode/utf8"

	"yusuan"
	"yusuan/extract/layout"
	"yusuan/vocab"
)

// region is the stretch of lines that belongs to one printed table: from its
// title to the next title or to narrative text, over one or more pages.
type region struct {
	title vocab.Title
	unit  string
	// entity is the 单位名称/部门名称 line printed under the title, used to
	// tell a continued table from the same table of another unit.
	entity string
	parts  []part
	empty  bool // 注：本表无数据
	titleY float64
	page   int
	left   float64 // leftmost x of the region's lines so far
}

// part is the region's lines on one page.
type part struct {
	page  layout.Page
	lines []tline
}

// sentenceEnd ends a sentence.
var sentenceEnd = regexp.MustCompile(`[。；]$`)

// titleOf recognises a table title among a line's cells (the title may share
// its line with a label or a unit).
func titleOf(l tline) (vocab.Title, bool) {
	if !strings.Contains(l.squeezed(), "表") || vocab.PartRe.MatchString(l.squeezed()) {
		return vocab.Title{}, false // 第二部分 2026年单位预算报表
	}
	if t, ok := vocab.MatchTitle(l.text()); ok {
		return t, true
	}
	for _, c := range l.cells {
		if t, ok := vocab.MatchTitle(c.text); ok {
			return t, true
		}
	}
	return vocab.Title{}, false
}

// gridAfter tells, for each line of a page, whether a row of a grid (three
// cells or more) follows it on the page before any title or heading.
func gridAfter(lines []tline) []bool {
	out := make([]bool, len(lines))
	for i := len(lines) - 2; i >= 0; i-- {
		next := lines[i+1]
		t := next.squeezed()
		if isTitle(next) || vocab.HeadingRe.MatchString(t) || vocab.PartRe.MatchString(t) {
			continue
		}
		out[i] = len(next.cells) >= 3 || out[i+1]
	}
	return out
}

// wrappedTitle joins a title printed over two lines: the first is no title
// by itself, the second is a short piece ending in 表 (算表, 支出预算表).
func wrappedTitle(l, next tline) (vocab.Title, bool) {
	t, n := l.squeezed(), next.squeezed()
	if len(next.cells) != 1 || hasAmount(next) || utf8.RuneCountInString(n) > 8 || !strings.HasSuffix(n, "表") {
		return vocab.Title{}, false
	}
	if strings.HasSuffix(t, "表") || hasAmount(l) && !hasLabel(l) || l.y0-next.y1 > 1.5*l.size {
		return vocab.Title{}, false
	}
	// A title of its own (支出预算总表 under a table's last row) is no
	// title's end.
	if own, ok := titleOf(next); ok && own.Kind != yusuan.Other {
		return vocab.Title{}, false
	}
	return vocab.MatchTitle(l.text() + next.text())
}

// listEntry reports whether the title on line i of page k is an entry of
// a list of titles: the next line, on this page or atop the next, is
// another title, a part heading or a short narrative heading, not a
// table's unit, header or rows.
func listEntry(all [][]tline, k, i int) bool {
	for k < len(all) {
		lines := all[k]
		for i++; i < len(lines); i++ {
			l := lines[i]
			t := l.squeezed()
			if vocab.PageNumberRe.MatchString(t) {
				continue
			}
			if _, ok := vocab.LabelOnly(t); ok {
				continue
			}
			if vocab.PartRe.MatchString(t) || isTitle(l) {
				return true
			}
			if vocab.HeadingRe.MatchString(t) && !hasAmount(l) && !strings.ContainsAny(t, "，。；：:") && utf8.RuneCountInString(t) <= 30 {
				// A wrapped entry (十一、…支 / 出预算表) is an entry too.
				return true
			}
			return false
		}
		k, i = k+1, -1
	}
	return false
}

// isKindTitle reports whether a line is the title of a table of a known
// kind (not a heading such as 2026年部门预算公开表 that names no table).
func isKindTitle(l tline) bool {
	t, ok := titleOf(l)
	return ok && t.Kind != yusuan.Other
}

func hasLabel(l tline) bool {
	label, _ := vocab.SplitLabel(l.text())
	return label != ""
}

func isTitle(l tline) bool {
	_, ok := titleOf(l)
	return ok
}

// narrative reports whether a line is prose, which ends a table region.
// Free-form tables (绩效目标) print sentences in adjacent cells: for them
// only a single piece of text counts.
func narrative(l tline, p layout.Page, freeForm bool) bool {
	t := l.squeezed()
	pageWidth := p.Width
	if vocab.PartRe.MatchString(t) {
		return true
	}
	if !freeForm && prose(l, pageWidth) && !ruledAcross(l, p) {
		return true
	}
	if len(l.cells) != 1 {
		return false
	}
	n := utf8.RuneCountInString(t)
	if n >= 30 && (strings.ContainsAny(t, "，。；") || l.x1-l.x0 > 0.6*pageWidth) {
		return true
	}
	return n >= 12 && sentenceEnd.MatchString(t) && !vocab.IsNote(t)
}

// prose reports whether a line is running text: continuous (no column gaps
// between its pieces, which amounts set in another font may cut apart),
// spanning most of the page width, with sentence punctuation.
func prose(l tline, pageWidth float64) bool {
	if l.x1-l.x0 < 0.5*pageWidth {
		return false
	}
	t := l.squeezed()
	if utf8.RuneCountInString(t) < 25 || !strings.ContainsAny(t, "，。；：") {
		return false
	}
	for i := 1; i < len(l.cells); i++ {
		if l.cells[i].x0-l.cells[i-1].x1 > 1.2*l.size {
			return false
		}
	}
	return true
}

// sentence reports whether a line reads as a sentence: continuous text
// (amounts in it included) with sentence punctuation.
func sentence(l tline) bool {
	t := l.squeezed()
	if utf8.RuneCountInString(t) < 15 || !strings.ContainsAny(t, "，。；") {
		return false
	}
	for i := 1; i < len(l.cells); i++ {
		if l.cells[i].x0-l.cells[i-1].x1 > 1.2*l.size {
			return false
		}
	}
	return true
}

// ruledAcross reports whether a vertical ruling line cuts through a line:
// cells of a ruled table, not prose.
func ruledAcross(l tline, p layout.Page) bool {
	for _, r := range p.Rules {
		if r.Fill || r.Horizontal() || r.X0 != r.X1 {
			continue
		}
		lo, hi := min(r.Y0, r.Y1), max(r.Y0, r.Y1)
		if r.X0 > l.x0+1 && r.X0 < l.x1-1 && lo <= (l.y0+l.y1)/2 && hi >= (l.y0+l.y1)/2 {
			return true
		}
	}
	return false
}

// narrativeHeading reports whether line i is the heading of a stretch of
// narrative: a lone ordinal heading without amounts followed by prose.
func narrativeHeading(lines []tline, i int, p layout.Page) bool {
	l := lines[i]
	if !vocab.HeadingRe.MatchString(l.squeezed()) {
		return false
	}
	for _, c := range l.cells {
		if c.num {
			return false
		}
	}
	for k := i + 1; k < len(lines) && k <= i+2; k++ {
		if (prose(lines[k], p.Width) || sentence(lines[k])) && !ruledAcross(lines[k], p) {
			return true
		}
		if !vocab.HeadingRe.MatchString(lines[k].squeezed()) {
			return false
		}
	}
	return false
}

// findRegions walks the pages and cuts them into table regions.
func findRegions(pages []layout.Page) []*region {
	var out []*region
	var cur *region
	all := make([][]tline, len(pages))
	heads := map[string]int{} // first lines of pages: running heads
	for k, p := range pages {
		all[k] = toLines(p)
		if len(all[k]) > 0 {
			heads[all[k][0].squeezed()]++
		}
	}
	for k := range pages {
		// A running head (苏州市…2026年度单位预算公开 atop every page) is
		// no part of a table continuing on the page; a table's header
		// repeated atop its pages (headings over several columns) is.
		// A title repeated atop every page of a long table is a title all
		// the same: the regions it starts are merged again. So is a bare
		// label (表3) atop every page of its table: it names the table.
		if l := all[k]; len(l) > 1 && heads[l[0].squeezed()] >= 3 && !hasAmount(l[0]) && !isKindTitle(l[0]) && !isLabelLine(l[0]) && len(l[0].cells) < 3 {
			all[k] = l[1:]
		}
	}
	for k, p := range pages {
		lines := all[k]
		contents := false // on a table of contents, titles are entries
		var grid []bool
		gridBelow := func(i int) bool {
			if grid == nil {
				grid = gridAfter(lines)
			}
			return grid[i]
		}
		var pendingLabel string
		for i := 0; i < len(lines); i++ {
			l := lines[i]
			if vocab.IsContentsHeading(l.squeezed()) {
				contents, cur = true, nil
				continue
			}
			title, ok := titleOf(l)
			// A title wrapped over two lines (…培训费支出预 / 算表): the
			// second line is short and ends the title.
			if !ok && i+1 < len(lines) {
				if wt, wok := wrappedTitle(l, lines[i+1]); wok {
					title, ok = wt, true
					i++
				}
			}
			// A bracketed remark on the line below that tells the kind
			// (（按经济分类）) is part of the title.
			if ok && i+1 < len(lines) && vocab.IsTitleRemark(lines[i+1].squeezed()) {
				if wt, wok := vocab.MatchTitle(l.text() + lines[i+1].text()); wok && wt.Kind != title.Kind {
					title = wt
					i++
				}
			}
			if ok && (contents || listEntry(all, k, i)) {
				// A list of table titles (contents, or titles followed by
				// nothing but more titles and headings) holds no table.
				cur = nil
				continue
			}
			if t := title; ok {
				if t.Label == "" {
					t.Label = labelNear(lines, i, pendingLabel)
				}
				cur = &region{title: t, titleY: l.y0, page: p.Number}
				if u := vocab.UnitRe.FindStringSubmatch(l.squeezed()); u != nil {
					cur.unit = u[1]
				}
				// A unit above the title (some templates print it there).
				for k := i - 1; k >= 0 && k >= i-3 && cur.unit == ""; k-- {
					if u := vocab.UnitRe.FindStringSubmatch(lines[k].squeezed()); u != nil {
						cur.unit = u[1]
					}
				}
				out = append(out, cur)
				pendingLabel = ""
				continue
			}
			if lab, ok := vocab.LabelOnly(l.text()); ok {
				if cur == nil || cur.title.Label != lab {
					pendingLabel = lab
				}
				continue
			}
			if cur == nil {
				continue
			}
			t := l.squeezed()
			if vocab.PageNumberRe.MatchString(t) {
				continue
			}
			if vocab.IsNote(t) {
				if vocab.SaysNoData(t) {
					cur.empty = true
				}
				if vocab.IsRoundingNote(t) {
					continue
				}
				cur = nil
				continue
			}
			if len(l.cells) == 1 && vocab.SaysNoData(t) && utf8.RuneCountInString(t) < 30 {
				cur.empty = true
				continue
			}
			// Prose ends the table; long text inside a column to the right
			// of the table's left edge (绩效目标 cells) does not.
			kind := cur.title.Kind
			freeForm := kind == yusuan.PerformanceTargets || kind == yusuan.PerformanceEvaluation || kind == yusuan.Other
			atLeft := cur.left == 0 || l.x0 < cur.left+4*l.size
			if vocab.PartRe.MatchString(t) || atLeft && narrativeHeading(lines, i, p) {
				cur = nil
				continue
			}
			// A paragraph inside a performance-target form (整体绩效目标
			// printed across the page above the 指标 grid) is a cell of
			// it, not the narrative after it.
			if atLeft && narrative(l, p, freeForm) && !(kind == yusuan.PerformanceTargets && gridBelow(i)) {
				cur = nil
				continue
			}
			if u := vocab.UnitRe.FindStringSubmatch(t); u != nil {
				if cur.unit == "" {
					cur.unit = u[1]
				}
				if vocab.IsUnitLine(t) {
					continue
				}
			}
			if vocab.EntityLineRe.MatchString(t) {
				if cur.entity == "" {
					cur.entity = vocab.EntityLineRe.ReplaceAllString(vocab.UnitRe.ReplaceAllString(t, ""), "")
				}
				continue
			}
			if n := len(cur.parts); n == 0 || cur.parts[n-1].page.Number != p.Number {
				cur.parts = append(cur.parts, part{page: p})
			}
			cur.parts[len(cur.parts)-1].lines = append(cur.parts[len(cur.parts)-1].lines, l)
			if cur.left == 0 || l.x0 < cur.left {
				cur.left = l.x0
			}
		}
	}
	return out
}

// labelNear finds a bare label printed just before or after a title line.
func labelNear(lines []tline, i int, pending string) string {
	if pending != "" {
		return pending
	}
	for k := i + 1; k < len(lines) && k <= i+2; k++ {
		if _, ok := titleOf(lines[k]); ok {
			break
		}
		if lab, ok := vocab.LabelOnly(lines[k].text()); ok {
			return lab
		}
		for _, c := range lines[k].cells {
			if lab, ok := vocab.LabelOnly(c.text); ok {
				return lab
			}
		}
	}
	for _, c := range lines[i].cells {
		if lab, ok := vocab.LabelOnly(c.text); ok {
			return lab
		}
	}
	return ""
}

func isLabelLine(l tline) bool {
	_, ok := vocab.LabelOnly(l.text())
	return ok
}

func hasAmount(l tline) bool {
	for _, c := range l.cells {
		if c.num {
			return true
		}
	}
	return false
}
