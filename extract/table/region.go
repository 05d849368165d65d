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

var (
	unitRe      = regexp.MustCompile(`单位[：:]\s*(万元|千元|元)`)
	entityRe    = regexp.MustCompile(`^(?:编制|预算|主管|填报)?(?:单位|部门)(?:[（(]单位[）)])?(?:名称)?[：:]`)
	noDataRe    = regexp.MustCompile(`本表无数据|无数据|本表为空|此表无|没有.*(数据|收支|支出|收入)|无.*(预算|收支|支出)(数据)?[。，]?$|本单位无|本部门无`)
	partRe      = regexp.MustCompile(`^第[一二三四五六七八九十]+部分`)
	pageNumRe   = regexp.MustCompile(`^(?:[-－—]?\s*\d{1,3}\s*[-－—]?|第\d+页(共\d+页)?|\d+/\d+)$`)
	sentenceEnd = regexp.MustCompile(`[。；]$`)
)

// titleOf recognises a table title among a line's cells (the title may share
// its line with a label or a unit).
func titleOf(l tline) (vocab.Title, bool) {
	if !strings.Contains(l.squeezed(), "表") || partRe.MatchString(l.squeezed()) {
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

// narrative reports whether a line is prose, which ends a table region.
// Free-form tables (绩效目标) print sentences in adjacent cells: for them
// only a single piece of text counts.
func narrative(l tline, p layout.Page, freeForm bool) bool {
	t := l.squeezed()
	pageWidth := p.Width
	if partRe.MatchString(t) {
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
	return n >= 12 && sentenceEnd.MatchString(t) && !strings.HasPrefix(t, "注")
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

// headingRe is a narrative heading: 一、…, （一）… or 第X部分.
var headingRe = regexp.MustCompile(`^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)]|第[一二三四五六七八九十]+部分)`)

// narrativeHeading reports whether line i is the heading of a stretch of
// narrative: a lone ordinal heading without amounts followed by prose.
func narrativeHeading(lines []tline, i int, p layout.Page) bool {
	l := lines[i]
	if !headingRe.MatchString(l.squeezed()) {
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
		if !headingRe.MatchString(lines[k].squeezed()) {
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
	for k, p := range pages {
		lines := all[k]
		// A running head (苏州市…2026年度单位预算公开 atop every page) is
		// no part of a table continuing on the page; a table's header
		// repeated atop its pages (headings over several columns) is.
		if len(lines) > 1 && heads[lines[0].squeezed()] >= 3 && !hasAmount(lines[0]) && len(lines[0].cells) < 3 {
			lines = lines[1:]
		}
		var pendingLabel string
		for i := 0; i < len(lines); i++ {
			l := lines[i]
			title, ok := titleOf(l)
			// A title wrapped before its last character (…支出预算 / 表).
			if !ok && i+1 < len(lines) && lines[i+1].squeezed() == "表" && !strings.HasSuffix(l.squeezed(), "表") {
				if wt, wok := vocab.MatchTitle(l.text() + "表"); wok {
					title, ok = wt, true
					i++
				}
			}
			if t := title; ok {
				if t.Label == "" {
					t.Label = labelNear(lines, i, pendingLabel)
				}
				cur = &region{title: t, titleY: l.y0, page: p.Number}
				if u := unitRe.FindStringSubmatch(l.squeezed()); u != nil {
					cur.unit = u[1]
				}
				// A unit above the title (some templates print it there).
				for k := i - 1; k >= 0 && k >= i-3 && cur.unit == ""; k-- {
					if u := unitRe.FindStringSubmatch(lines[k].squeezed()); u != nil {
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
			if pageNumRe.MatchString(t) {
				continue
			}
			if strings.HasPrefix(t, "注") || strings.HasPrefix(t, "说明：") || strings.HasPrefix(t, "备注") {
				if noDataRe.MatchString(t) {
					cur.empty = true
				}
				if strings.Contains(t, "尾差") || strings.Contains(t, "四舍五入") {
					continue
				}
				cur = nil
				continue
			}
			if len(l.cells) == 1 && strings.ContainsAny(t, "无空没") && noDataRe.MatchString(t) && utf8.RuneCountInString(t) < 30 {
				cur.empty = true
				continue
			}
			// Prose ends the table; long text inside a column to the right
			// of the table's left edge (绩效目标 cells) does not.
			freeForm := cur.title.Kind == yusuan.PerformanceTargets || cur.title.Kind == yusuan.Other
			atLeft := cur.left == 0 || l.x0 < cur.left+4*l.size
			if partRe.MatchString(t) || atLeft && (narrativeHeading(lines, i, p) || narrative(l, p, freeForm)) {
				cur = nil
				continue
			}
			if u := unitRe.FindStringSubmatch(t); u != nil {
				if cur.unit == "" {
					cur.unit = u[1]
				}
				if strings.HasPrefix(t, "单位：") || strings.HasPrefix(t, "单位:") || strings.HasPrefix(t, "金额单位") {
					continue
				}
			}
			if entityRe.MatchString(t) {
				if cur.entity == "" {
					cur.entity = entityRe.ReplaceAllString(unitRe.ReplaceAllString(t, ""), "")
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

func hasAmount(l tline) bool {
	for _, c := range l.cells {
		if c.num {
			return true
		}
	}
	return false
}
