package table

import (
	"fmt"
	"math"
	"regexp"
	"slices"
	"sort"
	"strings"
	"unicode/utf8"

	"yusuan"
	"yusuan/extract/textlayer"
	"yusuan/vocab"
)

// column is one printed column of a table region.
type column struct {
	x0, x1                   float64
	header                   []string // header pieces stacked above the column, top first
	nAmt, nCode, nInt, nText int
	role                     vocab.TextRole // RoleNone: an amount column
	key                      string
	side                     yusuan.Side
	// created: made from a heading alone, with no body text under it.
	created bool
	// hx0, hx1: the lowest heading printed over this column alone (0, 0
	// when none); headings are centred in their cell, which tells the
	// cell's width where its text does not.
	hx0, hx1 float64
	// textual: a text column kept beside the amounts (绩效目标); its text
	// neither starts a row nor counts as an amount.
	textual bool
	// nameTail: a narrow heading-less column left of the name column that
	// only holds the ends of names wrapped back to the left edge (福田分 /
	// 局): its text ends the row's name.
	nameTail bool
	// hbox bounds the headings printed over this column alone (group
	// headings over several columns left out); hasBox says there are any.
	hbox   yusuan.Rect
	hasBox bool
	// slugged: the heading read names no known column; fallback: no
	// heading was read over the column. Either way its key is made up
	// (col3), only in tables whose columns have known keys.
	slugged, fallback bool
}

// addBox widens the column's heading box to hold heading f.
func (c *column) addBox(f cell) {
	if !c.hasBox {
		c.hbox, c.hasBox = yusuan.Rect{f.x0, f.y0, f.x1, f.y1}, true
		return
	}
	c.hbox = yusuan.Rect{math.Min(c.hbox[0], f.x0), math.Min(c.hbox[1], f.y0), math.Max(c.hbox[2], f.x1), math.Max(c.hbox[3], f.y1)}
}

func (c *column) xc() float64 { return (c.x0 + c.x1) / 2 }

func (c *column) headerText() string { return strings.Join(c.header, "") }

var (
	ordinalStartRe = regexp.MustCompile(`^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)]|\d+[、.．]|[①②③④⑤⑥⑦⑧⑨⑩])`)
	totalStartRe   = regexp.MustCompile(`^(?:合\s*计|总\s*计|小\s*计|本年收入|本年支出|收入总计|支出总计|收入合计|支出合计|部门合计|单位合计)`)
	// codeNameRe is a code printed before its name in one cell:
	// 2050803-培训支出, 301 工资福利支出, [301]工资福利支出 (Guangzhou).
	codeNameRe   = regexp.MustCompile(`^(?:[\[［【]\s*)?(\d{3}(?:\d{2}){0,2})(?:\s*[\]］】])?\s*[-－—:：]?\s*([^\d\]］】].*)$`)
	headerWordRe = regexp.MustCompile(`项目|科目|编码|名称|合计|金额|预算数|决算数|小计|收入|支出|单位|经费|资金|指标|序号|行次|栏次`)
)

// isData reports whether a line is a table body line rather than header.
// headingLine reports whether a line holds heading words (科目名称, 合计 …,
// or 类/款/项 printed alone).
func headingLine(l tline) bool {
	if headerWordRe.MatchString(l.squeezed()) {
		return true
	}
	for _, c := range l.cells {
		if t := squeeze(c.text); t != "" && strings.Trim(t, "类款项") == "" {
			return true // 类, 款, 项, 类款, 类款项
		}
	}
	return false
}

// headingRow reports whether a line prints headings of several columns:
// three cells or more, most of them naming a column (一般公共预算 政府性基金
// 国有资本经营 …).
func headingRow(l tline) bool {
	if len(l.cells) < 3 {
		return false
	}
	n := 0
	for _, c := range l.cells {
		t := squeeze(c.text)
		if !c.num && slices.ContainsFunc(vocab.LeafWords, func(w string) bool { return strings.Contains(t, w) }) {
			n++
		}
	}
	return 2*n > len(l.cells)
}

// columnNumbers reports whether a line only numbers the columns (1 2 3 …).
func columnNumbers(l tline) bool {
	for _, c := range l.cells {
		t := strings.TrimSpace(c.text)
		if !(codeLikeSmall(t) || t == "栏次" || t == "行次") {
			return false
		}
	}
	return true
}

func codeLikeSmall(t string) bool {
	for _, f := range strings.Fields(t) {
		if len(f) > 2 || !codeLike(f+"0") {
			return false
		}
	}
	return t != ""
}

func isData(l tline, left float64) bool {
	smallInts := 0
	for _, c := range l.cells {
		t := strings.TrimSpace(c.text)
		if amountish(t) {
			return true
		}
		if numeric(t) {
			if len(t) <= 2 {
				smallInts++
				continue
			}
			return true
		}
	}
	if smallInts > 0 && smallInts == len(l.cells) {
		return false // column numbers 1 2 3 …
	}
	first := l.cells[0]
	t := squeeze(first.text)
	if ordinalStartRe.MatchString(t) && !strings.ContainsAny(t, "年") {
		return true
	}
	// 合计 starts a body line when it stands alone or with amounts (which
	// returned above); 合计 beside other headings is a header line.
	if first.x0-left < 2*first.size && totalStartRe.MatchString(t) {
		for _, c := range l.cells[1:] {
			if !totalStartRe.MatchString(squeeze(c.text)) {
				return false
			}
		}
		return true
	}
	return false
}

// splitHeaderCell cuts a header cell that runs several column headings
// together (基本支出项目支出, 科目编码科目名称).
func splitHeaderCell(c cell) []cell {
	rs := []rune(c.text)
	if len(rs) < 4 {
		return []cell{c}
	}
	s := string(rs)
	cuts := map[int]bool{}
	var starts []int
	for _, w := range vocab.LeafWords {
		for off := 0; ; {
			i := strings.Index(s[off:], w)
			if i < 0 {
				break
			}
			starts = append(starts, len([]rune(s[:off+i])))
			off += i + len(w)
		}
	}
	// Headings wrapped inside narrow cells and run together on one line
	// (一般公共预 | 政府性基, the 算 / 金预算 below): cut where the next
	// source heading starts.
	for _, w := range []string{"政府性基", "国有资"} {
		if i := strings.Index(s, w); i > 0 && !slices.Contains(starts, 0) {
			if pre := []rune(s[:i]); len(pre) >= 3 {
				starts = append(starts, 0, len(pre))
			}
		}
	}
	sort.Ints(starts)
	if len(starts) >= 2 {
		for _, st := range starts[1:] {
			if st > 0 {
				cuts[st] = true
			}
		}
	}
	for _, w := range []string{"编码", "名称", "代码"} {
		for off := 0; ; {
			i := strings.Index(s[off:], w)
			if i < 0 {
				break
			}
			end := len([]rune(s[:off+i+len(w)]))
			if end < len(rs) {
				cuts[end] = true
			}
			off += i + len(w)
		}
	}
	if len(cuts) == 0 {
		return []cell{c}
	}
	w := (c.x1 - c.x0) / float64(len(rs))
	var out []cell
	start := 0
	for i := 1; i <= len(rs); i++ {
		if i < len(rs) && !cuts[i] {
			continue
		}
		p := c
		p.text = string(rs[start:i])
		p.x0 = c.x0 + w*float64(start)
		p.x1 = c.x0 + w*float64(i)
		out = append(out, p)
		start = i
	}
	return out
}

type interval struct{ x0, x1 float64 }

func mergeIntervals(iv []interval) []interval {
	sort.Slice(iv, func(i, j int) bool { return iv[i].x0 < iv[j].x0 })
	var out []interval
	for _, v := range iv {
		if n := len(out); n > 0 && v.x0 < out[n-1].x1-0.5 {
			out[n-1].x1 = math.Max(out[n-1].x1, v.x1)
			continue
		}
		out = append(out, v)
	}
	return out
}

// splitCrowded splits a cluster of text edges holding two amounts of one
// line: amounts set close together (the widest of one column reaching the
// next column's) are two columns, told apart by the edge they align on
// (right, else left, else centre).
func splitCrowded(cl []interval, body []tline, s *Settings) []interval {
	var out []interval
	for _, v := range cl {
		var in []placedCell
		crowded := false
		for li, l := range body {
			n := 0
			for _, c := range l.cells {
				if c.num && c.x0 >= v.x0-0.01 && c.x1 <= v.x1+0.01 {
					in = append(in, placedCell{c, li})
					n++
				}
			}
			crowded = crowded || n >= 2
		}
		var parts []interval
		if crowded {
			parts = alignedColumns(in, s)
		}
		if len(parts) < 2 {
			out = append(out, v)
			continue
		}
		parts[0].x0 = math.Min(parts[0].x0, v.x0)
		parts[len(parts)-1].x1 = math.Max(parts[len(parts)-1].x1, v.x1)
		out = append(out, parts...)
	}
	return out
}

// placedCell is a cell and the index of its line.
type placedCell struct {
	c    cell
	line int
}

// alignedColumns groups cells by a shared edge so that no group holds two
// cells of one line: the columns' extents left to right, nil when no edge
// does. The edge giving the fewest columns wins (right on a tie): an edge
// that amounts do not share scatters them.
func alignedColumns(in []placedCell, s *Settings) []interval {
	var best []interval
	edges := []func(c cell) float64{
		func(c cell) float64 { return c.x1 },
		func(c cell) float64 { return c.x0 },
		cell.xc,
	}
	for _, edge := range edges {
		sorted := slices.Clone(in)
		sort.Slice(sorted, func(i, j int) bool { return edge(sorted[i].c) < edge(sorted[j].c) })
		var groups [][]placedCell
		for i, p := range sorted {
			if i == 0 || edge(p.c)-edge(sorted[i-1].c) > s.AlignTolerance*p.c.size {
				groups = append(groups, nil)
			}
			groups[len(groups)-1] = append(groups[len(groups)-1], p)
		}
		ok := len(groups) >= 2
		for _, g := range groups {
			seen := map[int]bool{}
			for _, p := range g {
				if seen[p.line] {
					ok = false
				}
				seen[p.line] = true
			}
		}
		if !ok {
			continue
		}
		if best != nil && len(groups) >= len(best) {
			continue
		}
		best = make([]interval, len(groups))
		for i, g := range groups {
			best[i] = interval{math.Inf(1), math.Inf(-1)}
			for _, p := range g {
				best[i].x0, best[i].x1 = math.Min(best[i].x0, p.c.x0), math.Max(best[i].x1, p.c.x1)
			}
		}
	}
	return best
}

// discoverColumns finds the columns of one page of a table from the
// positions of its body cells (amounts right- or left-aligned, names) and
// its header words, pdfplumber-style text edges without ruling lines; vertical
// ruling lines, when the page has them, split columns that text alone joins.
func discoverColumns(header, body []tline, vrules []float64, s *Settings) []*column {
	var nums, texts []cell
	for _, l := range body {
		for _, c := range l.cells {
			if c.num {
				nums = append(nums, c)
			} else {
				texts = append(texts, c)
			}
		}
	}
	var iv []interval
	for _, c := range nums {
		iv = append(iv, interval{c.x0, c.x1})
	}
	numCl := mergeIntervals(append([]interval(nil), iv...))
	for _, c := range texts {
		x1 := c.x1
		for _, n := range numCl {
			if n.x0 > c.x0+1 && n.x0 < x1 {
				x1 = n.x0 - 0.01
				break
			}
		}
		iv = append(iv, interval{c.x0, x1})
	}
	cl := mergeIntervals(iv)
	cl = splitCrowded(cl, body, s)
	cl = splitAtRules(cl, vrules, body, s.ColumnStrategy == StrategyLines)
	cols := make([]*column, len(cl))
	for i, v := range cl {
		cols[i] = &column{x0: v.x0, x1: v.x1}
	}
	var allFrags []cell
	for _, l := range header {
		for _, hc := range l.cells {
			if !codeLikeSmall(strings.TrimSpace(hc.text)) {
				allFrags = append(allFrags, splitHeaderCell(hc)...)
			}
		}
	}
	// A column under a leaf heading of its own (no heading below it), on
	// whatever header line, does not take a neighbour's heading (附属单位
	// 上缴收入 beside 其他收入 whose amounts reach under it).
	headed := map[*column]bool{}
	for _, f := range allFrags {
		leaf := true
		for _, g := range allFrags {
			if (g.y0+g.y1)/2 < (f.y0+f.y1)/2-0.3*f.size && overlap(f.x0, f.x1, g.x0, g.x1) > 0 {
				leaf = false
				break
			}
		}
		if !leaf {
			continue
		}
		var hit []*column
		for _, c := range cols {
			if ov := overlap(f.x0, f.x1, c.x0, c.x1); ov > 0.5 && ov > s.HeadingOverlap*math.Min(f.x1-f.x0, c.x1-c.x0) {
				hit = append(hit, c)
			}
		}
		if len(hit) == 1 {
			headed[hit[0]] = true
		}
	}
	// Header lines bottom-up: a piece over one column is its heading, over
	// several a spanning group heading, over none an empty column.
	for i := len(header) - 1; i >= 0; i-- {
		var frags []cell
		for _, hc := range header[i].cells {
			if codeLikeSmall(strings.TrimSpace(hc.text)) {
				continue // a column number (1 2 3 …), not a heading
			}
			frags = append(frags, splitHeaderCell(hc)...)
		}
		var misses []cell
		for _, f := range frags {
			var hit []*column
			for _, c := range cols {
				ov := overlap(f.x0, f.x1, c.x0, c.x1)
				if ov > 0.5 && ov > s.HeadingOverlap*math.Min(f.x1-f.x0, c.x1-c.x0) {
					hit = append(hit, c)
				}
			}
			if len(hit) == 0 {
				misses = append(misses, f)
				continue
			}
			for _, c := range hit {
				c.header = append([]string{squeeze(f.text)}, c.header...)
				if len(hit) == 1 {
					c.addBox(f)
					c.x0, c.x1 = math.Min(c.x0, f.x0), math.Max(c.x1, f.x1)
					if c.hx1 == 0 {
						c.hx0, c.hx1 = f.x0, f.x1
					}
				}
			}
		}
		// A heading over no text: the heading of a nearby column that has
		// none yet (行次 centred over right-aligned numbers), else an empty
		// column of its own.
		for _, f := range misses {
			var near *column
			d := s.HeadingReach * f.size
			for _, c := range cols {
				// Amounts sit right-aligned under a centred heading:
				// a heading right of a column's amounts is not its own.
				if len(c.header) > 0 || headed[c] || f.xc() > c.x1+1 {
					continue
				}
				if dd := math.Max(c.x0-f.x1, f.x0-c.x1); dd < d {
					near, d = c, dd
				}
			}
			if near == nil {
				near = cellBelow(f, allFrags, cols, vrules)
			}
			if near != nil {
				near.header = []string{squeeze(f.text)}
				near.addBox(f)
				near.hx0, near.hx1 = f.x0, f.x1
				near.x0, near.x1 = math.Min(near.x0, f.x0), math.Max(near.x1, f.x1)
				continue
			}
			nc := &column{x0: f.x0, x1: f.x1, header: []string{squeeze(f.text)}, created: true, hx0: f.x0, hx1: f.x1}
			nc.addBox(f)
			cols = append(cols, nc)
			sort.SliceStable(cols, func(a, b int) bool { return cols[a].x0 < cols[b].x0 })
		}
	}
	return adoptHeadings(cols)
}

// cellBelow finds the column printed under a heading in the same cell when
// they do not overlap (narrow amounts right-aligned under a centred heading
// in a wide column): with ruling lines, the headerless column between the
// same two vertical rules; without, the headerless column starting right
// of the heading and ending before the next heading (of any header line)
// begins.
func cellBelow(f cell, line []cell, cols []*column, vrules []float64) *column {
	if len(vrules) >= 2 {
		a, b := math.Inf(-1), math.Inf(1)
		for _, x := range vrules {
			if x <= f.xc() {
				a = x
			} else if x < b {
				b = x
			}
		}
		if math.IsInf(a, -1) || math.IsInf(b, 1) {
			return nil
		}
		var found *column
		for _, c := range cols {
			if len(c.header) == 0 && c.x0 >= a-1 && c.x1 <= b+1 {
				if found != nil {
					return nil // two columns in one cell: not this
				}
				found = c
			}
		}
		return found
	}
	next := math.Inf(1)
	for _, g := range line {
		if g.x0 > f.x1-0.5 && g.x0 < next {
			next = g.x0
		}
	}
	var found *column
	for _, c := range cols {
		if len(c.header) > 0 || c.x0 < f.x1 || c.x1 <= f.xc() || c.x1 >= next {
			continue
		}
		if found != nil {
			return nil
		}
		found = c
	}
	return found
}

// adoptHeadings gives a column of text with no heading the heading of an
// adjacent column made from a heading alone: a heading centred over a
// column of narrow right-aligned dashes does not overlap them.
func adoptHeadings(cols []*column) []*column {
	for i := 0; i < len(cols); i++ {
		h := cols[i]
		if h.created || len(h.header) > 0 {
			continue
		}
		best, d := -1, math.Inf(1)
		for _, j := range []int{i - 1, i + 1} {
			if j < 0 || j >= len(cols) || !cols[j].created {
				continue
			}
			c := cols[j]
			if c.xc() > h.x1+1 {
				continue
			}
			if dd := math.Max(c.x0-h.x1, h.x0-c.x1); dd < d && dd < 4*9 {
				best, d = j, dd
			}
		}
		if best < 0 {
			continue
		}
		c := cols[best]
		h.header = c.header
		h.hbox, h.hasBox = c.hbox, c.hasBox
		h.hx0, h.hx1 = c.hx0, c.hx1
		h.x0, h.x1 = math.Min(h.x0, c.x0), math.Max(h.x1, c.x1)
		cols = append(cols[:best], cols[best+1:]...)
		if best < i {
			i--
		}
	}
	return cols
}

// splitAtRules splits merged text-edge clusters at vertical ruling lines
// that no single cell crosses (at every rule when all is set).
func splitAtRules(cl []interval, vrules []float64, body []tline, all bool) []interval {
	if len(vrules) == 0 {
		return cl
	}
	var out []interval
	for _, v := range cl {
		cur := v
		for _, x := range vrules {
			if x <= cur.x0+1 || x >= cur.x1-1 {
				continue
			}
			crossed := false
			for _, l := range body {
				if all {
					break
				}
				for _, c := range l.cells {
					if c.x0 < x-1 && c.x1 > x+1 {
						crossed = true
						break
					}
				}
				if crossed {
					break
				}
			}
			if !crossed {
				out = append(out, interval{cur.x0, x})
				cur = interval{x, cur.x1}
			}
		}
		out = append(out, cur)
	}
	return out
}

// assign returns the column index a cell belongs to.
func assign(c cell, cols []*column) int {
	best, bestOv := -1, 0.0
	isNum := c.num
	if !isNum {
		// Columns made from a heading alone (a group heading over
		// nothing) come last: text under them belongs to a real column.
		for pass := 0; pass < 2; pass++ {
			for i, col := range cols {
				if col.created == (pass == 0) {
					continue
				}
				if c.x0+0.5 >= col.x0 && c.x0+0.5 <= col.x1 {
					return i
				}
			}
		}
	}
	for i, col := range cols {
		if ov := overlap(c.x0, c.x1, col.x0, col.x1); ov > bestOv {
			best, bestOv = i, ov
		}
	}
	if best >= 0 {
		return best
	}
	d := math.Inf(1)
	for i, col := range cols {
		dd := math.Min(math.Abs(c.xc()-col.x0), math.Abs(c.xc()-col.x1))
		if dd < d {
			best, d = i, dd
		}
	}
	return best
}

// classify decides each column's role and key.
func classify(cols []*column, body []tline, kind yusuan.TableKind) {
	longest := make([]int, len(cols)) // runes of each column's longest text
	for _, l := range body {
		for _, c := range l.cells {
			i := assign(c, cols)
			if i < 0 {
				continue
			}
			t := strings.TrimSpace(c.text)
			switch {
			case amountish(t):
				cols[i].nAmt++
			case codeLike(t):
				cols[i].nCode++
			case numeric(t):
				cols[i].nInt++
			default:
				cols[i].nText++
				if n := utf8.RuneCountInString(t); n > longest[i] {
					longest[i] = n
				}
			}
		}
	}
	totalsOnly := make([]bool, len(cols))
	for i := range totalsOnly {
		totalsOnly[i] = cols[i].nText > 0
	}
	for _, l := range body {
		for _, c := range l.cells {
			if i := assign(c, cols); i >= 0 && !c.num && !totalStartRe.MatchString(squeeze(c.text)) {
				totalsOnly[i] = false
			}
		}
	}
	firstText := -1
	for i, c := range cols {
		if c.nText > c.nAmt+c.nCode+c.nInt {
			firstText = i
			break
		}
	}
	for i, c := range cols {
		h := c.headerText()
		hr := vocab.TextColumnRole(h)
		key := vocab.ColumnKey(h, kind)
		n := c.nAmt + c.nCode + c.nInt + c.nText
		switch {
		case hr == vocab.RoleLineNo:
			c.role = hr
		case c.created && n == 0 && key == "" && hr == vocab.RoleNone && !vocab.IsFreeForm(kind),
			c.created && n == 0 && key == "income" && vocab.IsTwoSided(kind):
			c.role = vocab.RoleLineNo // a group heading (收入, 支出, 本年收入 over a side) over nothing
		case n == 0:
			if key == "" && hr != vocab.RoleNone {
				c.role = hr
			}
		case c.nText > c.nAmt+c.nCode+c.nInt:
			c.role = vocab.RoleName
			if hr == vocab.RoleName2 {
				c.role = hr
			}
		case c.nCode > 0 && c.nAmt == 0 && (isCodeRole(hr) || (firstText >= 0 && i < firstText)):
			c.role = hr
			if c.role == vocab.RoleNone || c.role == vocab.RoleName || c.role == vocab.RoleName2 {
				c.role = vocab.RoleCode
			}
		}
		c.key = key
	}
	// Codes printed beside the units' codes without a heading of their own
	// (the department's 204 left of its units' 204001, 1 全额 and 4 自收自支
	// above them) are units' codes too, not classification codes.
	for i, c := range cols {
		if c.role != vocab.RoleUnitCode {
			continue
		}
		for _, j := range []int{i - 1, i + 1} {
			if j < 0 || j >= len(cols) {
				continue
			}
			o := cols[j]
			if len(o.header) == 0 && o.nAmt == 0 && o.nText == 0 && o.nCode+o.nInt > 0 && (o.role == vocab.RoleCode || o.role == vocab.RoleNone) {
				o.role = vocab.RoleUnitCode
			}
		}
	}
	// Sides of two-sided tables: the expenditure side starts at the first
	// text column printed after an amount column.
	if vocab.IsTwoSided(kind) {
		seenValue, split := false, -1
		for i, c := range cols {
			if c.role == vocab.RoleNone {
				seenValue = true
			} else if seenValue && (c.role == vocab.RoleName || c.role == vocab.RoleName2) {
				split = i
				break
			}
		}
		if split > 0 {
			for i, c := range cols {
				c.side = yusuan.SideIncome
				if i >= split {
					c.side = yusuan.SideExpenditure
					if c.role == vocab.RoleName2 {
						c.role = vocab.RoleName
					}
				}
			}
			var inc, exp []*column
			for _, c := range cols {
				if c.role != vocab.RoleNone {
					continue
				}
				if c.side == yusuan.SideIncome {
					inc = append(inc, c)
				} else {
					exp = append(exp, c)
				}
			}
			// Final accounts keep 决算数/预算数 as printed (actual, budget).
			final := kind == yusuan.FAIncomeExpenditureSummary || kind == yusuan.FAFiscalSummary
			keep := func(c *column) bool { return final && (c.key == "actual" || c.key == "budget") }
			if len(inc) == 1 && !keep(inc[0]) {
				inc[0].key = "amount"
			}
			if len(exp) > 0 && !keep(exp[0]) && (len(exp) == 1 || exp[0].key == "" || exp[0].key == "amount" || exp[0].key == "budget") {
				exp[0].key = "total"
				if kind == yusuan.FiscalSummary || kind == yusuan.FAFiscalSummary {
					exp[0].key = "subtotal"
				}
			}
		}
	}
	// A name's last characters wrapped back to the left edge (公室 under
	// 深圳市饮用水源保护管理办) are short.
	for i, c := range cols {
		if c.role == vocab.RoleName && len(c.header) == 0 && c.nText <= 2 && !totalsOnly[i] && i+1 < len(cols) &&
			cols[i+1].role == vocab.RoleName && len(cols[i+1].header) > 0 && (cols[i+1].nText >= 4*c.nText || longest[i] <= 3) {
			c.nameTail = true
		}
	}
	// Second name column is name2. A column holding only 合计 (printed
	// across the code columns) is part of the name.
	names := 0
	for i, c := range cols {
		if c.role == vocab.RoleName && (totalsOnly[i] || c.nameTail) {
			continue
		}
		if c.role == vocab.RoleName && c.side != yusuan.SideExpenditure {
			names++
			if names > 1 {
				c.role = vocab.RoleName2
			}
		}
	}
	subtotalGroups(cols)
	freeForm := vocab.IsFreeForm(kind)
	// Performance targets and procurement tables keep their text columns
	// (实施单位, 年度绩效目标 …; 专项名称, 采购组织形式 …) as printed text
	// beside the amounts, each under its own key, keyed by their leaf
	// heading (年度资金总额 under 项目资金) when the leaves are unique.
	leaf := func(c *column) string { return c.headerText() }
	if textColumns(kind) {
		firstName := true
		for _, c := range cols {
			if c.role == vocab.RoleName || c.role == vocab.RoleName2 {
				if firstName && c.role == vocab.RoleName {
					firstName = false
					continue
				}
				c.role = vocab.RoleNone
				c.textual = true
			}
			// Text with a number or two in it (完成率10 / 0%) is text.
			if c.role == vocab.RoleNone && c.nText > 0 && 2*c.nText >= c.nAmt+c.nCode+c.nInt+c.nText {
				c.textual = true
			}
		}
		leaves := map[string]int{}
		for _, c := range cols {
			if len(c.header) > 0 {
				leaves[c.header[len(c.header)-1]]++
			}
		}
		leaf = func(c *column) string {
			if kind == yusuan.PerformanceTargets && len(c.header) > 0 && leaves[c.header[len(c.header)-1]] == 1 {
				return c.header[len(c.header)-1]
			}
			return c.headerText()
		}
	}
	singleTotal(cols, kind)
	groupedKeys(cols, kind)
	used := map[string]int{}
	for i, c := range cols {
		if c.role != vocab.RoleNone {
			continue
		}
		if freeForm {
			c.key = vocab.Slug(leaf(c))
		}
		// A heading that names no known column (a fragment of a heading
		// cut apart, or a column no template prints) gives no key: the
		// column is numbered, its heading kept in Headers.
		if c.key == "" {
			c.key = fmt.Sprintf("col%d", i+1)
			c.slugged = !freeForm && c.headerText() != ""
			c.fallback = !freeForm && !c.slugged
		}
		// Keys are unique per side: both sides of 收支总表 may print 决算数.
		used[string(c.side)+"/"+c.key]++
		if n := used[string(c.side)+"/"+c.key]; n > 1 {
			c.key = fmt.Sprintf("%s_%d", c.key, n)
		}
	}
}

// subtotalGroups keys a 小计 printed under a group heading centred over
// the group's other columns: the group is in the heading of a column after
// it (上年结转结余 centred over the third and fourth after 小计). The
// nearest group heading wins: the 小计's own heading may name a wider
// group above it (“三公”经费预算数 over 公务用车购置及运行费 over 小计),
// and a heading that is already the key of a column between (公务用车…
// over the 小计 beside) leaves the heading above it (“三公”经费), so the
// 小计 further right are read first.
func subtotalGroups(cols []*column) {
	firstValue := slices.IndexFunc(cols, func(c *column) bool { return c.role == vocab.RoleNone })
	for i := len(cols) - 2; i >= 0; i-- {
		c := cols[i]
		if c.role != vocab.RoleNone || i == firstValue || !strings.HasSuffix(c.headerText(), "小计") {
			continue
		}
		if c.key != "total" && c.key != "subtotal" && !vocab.IsGroupKey(c.key) {
			continue
		}
	next:
		for k, nc := range cols[i+1:] {
			nh, h := nc.header, nc.headerText()
			if nc.role != vocab.RoleNone || strings.HasSuffix(h, "合计") {
				break
			}
			if strings.HasSuffix(h, "小计") && !vocab.IsGroupKey(nc.key) {
				break // another group's 小计, not read
			}
			if len(nh) < 2 {
				continue
			}
			// A heading wrapped over two lines (一般公共预算 / 资金) names
			// its own column, no group.
			gs := slices.DeleteFunc(vocab.GroupKeys(strings.Join(nh[:len(nh)-1], "")), func(g string) bool { return g == nc.key })
			if len(gs) == 0 {
				continue
			}
			for _, g := range gs {
				if !slices.ContainsFunc(cols[i+1:i+2+k], func(o *column) bool { return o.key == g }) {
					c.key = g
					break next
				}
			}
			break
		}
	}
}

// hrule is a horizontal ruling line.
type hrule struct{ y, x0, x1 float64 }

func hrules(rs []textlayer.Rule, s *Settings) []hrule {
	if s.RowStrategy == StrategyText {
		return nil
	}
	var out []hrule
	for _, r := range rs {
		if r.Fill || !r.Horizontal() {
			continue
		}
		out = append(out, hrule{r.Y0, math.Min(r.X0, r.X1), math.Max(r.X0, r.X1)})
	}
	// Cell borders drawn one cell at a time: join collinear pieces.
	sort.Slice(out, func(i, j int) bool {
		if math.Abs(out[i].y-out[j].y) > s.SnapTolerance {
			return out[i].y < out[j].y
		}
		return out[i].x0 < out[j].x0
	})
	var merged []hrule
	for _, r := range out {
		if n := len(merged); n > 0 && math.Abs(merged[n-1].y-r.y) <= s.SnapTolerance && r.x0 <= merged[n-1].x1+s.JoinTolerance {
			merged[n-1].x1 = math.Max(merged[n-1].x1, r.x1)
			continue
		}
		merged = append(merged, r)
	}
	return merged
}

func vrulesIn(rs []textlayer.Rule, y0, y1 float64, s *Settings) []float64 {
	if s.ColumnStrategy == StrategyText {
		return nil
	}
	// Cell borders drawn one cell at a time: join collinear pieces.
	type vr struct{ x, lo, hi float64 }
	var vs []vr
	for _, r := range rs {
		if r.Fill || r.Horizontal() || r.X0 != r.X1 {
			continue
		}
		vs = append(vs, vr{r.X0, math.Min(r.Y0, r.Y1), math.Max(r.Y0, r.Y1)})
	}
	// Pieces whose x differ by at most SnapTolerance from the next are one
	// line (a strict order by x, then grouping: a comparator that calls
	// close x equal is no order, and the sort may then split a line among
	// nearby pieces, such as glyphs a producer drew as outlines).
	sort.Slice(vs, func(i, j int) bool {
		if vs[i].x != vs[j].x {
			return vs[i].x < vs[j].x
		}
		return vs[i].lo < vs[j].lo
	})
	var merged []vr
	for i := 0; i < len(vs); {
		j := i + 1
		for j < len(vs) && vs[j].x-vs[j-1].x <= s.SnapTolerance {
			j++
		}
		group := slices.Clone(vs[i:j])
		sort.Slice(group, func(a, b int) bool { return group[a].lo < group[b].lo })
		start := len(merged)
		for _, v := range group {
			if n := len(merged); n > start && v.lo <= merged[n-1].hi+s.JoinTolerance {
				merged[n-1].hi = math.Max(merged[n-1].hi, v.hi)
				continue
			}
			merged = append(merged, v)
		}
		i = j
	}
	var xs []float64
	for _, r := range merged {
		if overlap(r.lo, r.hi, y0, y1) > 0.5*(y1-y0) {
			xs = append(xs, r.x)
		}
	}
	sort.Float64s(xs)
	var out []float64
	for _, x := range xs {
		if n := len(out); n > 0 && x-out[n-1] < s.JoinTolerance {
			continue
		}
		out = append(out, x)
	}
	return out
}

// ruleBetween reports whether a horizontal rule separates two lines at x.
func ruleBetween(rs []hrule, upper, lower tline, x float64) bool {
	lo, hi := (lower.y0+lower.y1)/2, (upper.y0+upper.y1)/2
	for _, r := range rs {
		if r.y > lo && r.y < hi && r.x0 <= x && r.x1 >= x {
			return true
		}
	}
	return false
}
