package table

import (
	"math"
	"regexp"
	"slices"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"yusuan"
	"yusuan/extract/layout"
)

// cell is a piece of text that belongs to one table cell: a layout segment,
// split where it runs over a column boundary.
type cell struct {
	text           string
	x0, y0, x1, y1 float64
	size           float64
	num            bool // prints an amount or a placeholder (numeric)
}

func (c cell) xc() float64 { return (c.x0 + c.x1) / 2 }

// tline is one text line of a table region.
type tline struct {
	cells []cell
	// whole holds the layout segments cut only at column gaps: free-form
	// tables (绩效目标) print numbers inside their text (≥4.5分).
	whole          []cell
	x0, y0, x1, y1 float64
	size           float64
	page           int
	sq             string // the line's text without spaces, cached
	// src is the index of the line rowGroups was given that this line is
	// (a piece of).
	src int
}

func (l tline) text() string {
	parts := make([]string, len(l.cells))
	for i, c := range l.cells {
		parts[i] = c.text
	}
	return strings.Join(parts, " ")
}

func (l tline) squeezed() string {
	if l.sq != "" {
		return l.sq
	}
	return squeeze(l.text())
}

var (
	// amountRunRe is a run of digits that can only be an amount: with
	// thousands separators (some templates leave out all but the last:
	// 120258,600) or decimals.
	amountRunRe = regexp.MustCompile(`^-?(?:\d+(?:,\d{3})+(?:\.\d+)?|\d+\.\d+)$`)
	twoDecRe    = regexp.MustCompile(`\d[\d,]*\.\d\d`)
	// amountOrdinalRe is a two-decimal amount run into an ordinal (0.001.).
	amountOrdinalRe = regexp.MustCompile(`^(-?[\d,]*\d\.\d\d)\d{1,2}[.]$`)
	// amountPercentRe is a two-decimal amount run into the figure of a
	// percentage (0.00100 before %).
	amountPercentRe = regexp.MustCompile(`^(-?[\d,]*\d\.\d\d)\d{1,3}(?:\.\d+)?$`)
	codeRe          = regexp.MustCompile(`^\d{3}(?:\d{2}){0,2}$`)
)

func isWide(r rune) bool {
	return unicode.Is(unicode.Han, r) || (r >= 0x3000 && r <= 0x303F) || (r >= 0xFF00 && r <= 0xFFEF) || r == '“' || r == '”'
}

func isNumRune(r rune) bool {
	return (r >= '0' && r <= '9') || r == '.' || r == ',' || r == '-'
}

// splitSegment cuts a segment where adjacent cells touch: at wide gaps
// between CJK glyphs (cells printed close together), between an amount and
// CJK text (108.22一、一般公共服务支出), after a leading code
// (2013299其他组织事务支出) and between amounts run together (0.130.13).
func splitSegment(s layout.Segment) []cell {
	rs := []rune(s.Text)
	size := s.Size
	if size <= 0 {
		size = math.Max(s.Y1-s.Y0, 1)
	}
	if len(rs) != len(s.Xs) || len(rs) < 2 {
		return []cell{{text: strings.TrimSpace(s.Text), x0: s.X0, y0: s.Y0, x1: s.X1, y1: s.Y1, size: size}}
	}
	cut := make([]bool, len(rs)) // cut[i]: a cell starts at rune i
	for i := 1; i < len(rs); i++ {
		if isWide(rs[i-1]) && isWide(rs[i]) && rs[i-1] != '、' {
			if s.Xs[i]-s.Xs[i-1]-size > 0.45*size {
				cut[i] = true
			}
		}
	}
	// Spaces between amounts (108.22 108.22), and between an amount and
	// text ((一)…, CJK or not), separate cells.
	for i := 1; i < len(rs)-1; i++ {
		if rs[i] != ' ' {
			continue
		}
		a := i
		for a > 0 && isNumRune(rs[a-1]) {
			a--
		}
		b := i + 1
		for b < len(rs) && isNumRune(rs[b]) {
			b++
		}
		left, right := string(rs[a:i]), string(rs[i+1:b])
		switch {
		case isNumRune(rs[i-1]) && isNumRune(rs[i+1]),
			amountRunRe.MatchString(left) && rs[i+1] != ' ',
			amountRunRe.MatchString(right) && rs[i-1] != ' ':
			cut[i+1] = true
		}
	}
	// Numeric runs.
	for i := 0; i < len(rs); {
		if !isNumRune(rs[i]) {
			i++
			continue
		}
		j := i
		for j < len(rs) && isNumRune(rs[j]) {
			j++
		}
		run := string(rs[i:j])
		before := i > 0 && isWide(rs[i-1])
		after := j < len(rs) && isWide(rs[j])
		tightBefore := before && s.Xs[i]-s.Xs[i-1]-size <= 0.15*size
		tightAfter := after && s.Xs[j]-s.Xs[j-1]-0.55*size <= 0.15*size
		// A figure set tight inside text (养护169.47公里) is part of it; a
		// dash between two words is a hyphen (民办技校补助-民办技校从教津贴),
		// and so is one set tight against the text it ends (2022年- where
		// the name wraps): neither is a cell of its own.
		inText := tightBefore && tightAfter
		hyphen := before && after || tightBefore && j == len(rs)
		switch {
		case (amountRunRe.MatchString(run) && !inText || isDash(run) && !hyphen) && (before || after):
			if i > 0 {
				cut[i] = true
			}
			if j < len(rs) {
				cut[j] = true
			}
		case i == 0 && codeRe.MatchString(run) && after:
			cut[j] = true
		// A segment opening on an amount of two decimals run into Latin
		// text (0.00km）年度…: the last amount column touching the text
		// column after it) is two cells.
		case i == 0 && j < len(rs) && twoDecEnd.MatchString(run) && unicode.IsLetter(rs[j]) && rs[j] < 0x80:
			cut[j] = true
		}
		// Digits and text set apart by a column gap (an amount in whole
		// yuan right-aligned against the next cell's text) are two cells.
		if before && s.Xs[i]-s.Xs[i-1]-size > 0.3*size {
			cut[i] = true
		}
		if after && s.Xs[j]-s.Xs[j-1]-0.55*size > 0.3*size {
			cut[j] = true
		}
		// An amount run into the ordinal starting the next cell's text
		// (0.00 then 1.为工作人员…).
		if m := amountOrdinalRe.FindStringSubmatchIndex(run); m != nil && after {
			cut[i+len([]rune(run[:m[3]]))] = true
		}
		// An amount run into a percentage starting the next cell's text
		// (0.00 then 100%；2.项目…): a figure of two decimals, then digits
		// and %.
		if j < len(rs) && (rs[j] == '%' || rs[j] == '％') {
			if m := amountPercentRe.FindStringSubmatchIndex(run); m != nil {
				cut[i+len([]rune(run[:m[3]]))] = true
			}
		}
		if strings.Count(run, ".") >= 2 {
			locs := twoDecRe.FindAllStringIndex(run, -1)
			if len(locs) >= 2 && locs[len(locs)-1][1] == len(run) {
				pos, contiguous := 0, true
				for _, l := range locs {
					if l[0] != pos {
						contiguous = false
						break
					}
					pos = l[1]
				}
				for k := 1; contiguous && k < len(locs); k++ {
					cut[i+len([]rune(run[:locs[k][0]]))] = true
				}
			}
		}
		i = j
	}
	var out []cell
	start := 0
	for i := 1; i <= len(rs); i++ {
		if i < len(rs) && !cut[i] {
			continue
		}
		x1 := s.X1
		if i < len(rs) {
			adv := 0.55 * size
			if isWide(rs[i-1]) {
				adv = size
			}
			x1 = math.Min(s.Xs[i-1]+adv, s.Xs[i])
		}
		t := strings.TrimSpace(string(rs[start:i]))
		if t != "" {
			out = append(out, cell{text: t, x0: s.Xs[start], y0: s.Y0, x1: x1, y1: s.Y1, size: size})
		}
		start = i
	}
	return out
}

// splitGaps cuts a segment only where its glyphs leave a gap wider than
// half a character (adjacent cells of a free-form table).
func splitGaps(s layout.Segment) []cell {
	rs := []rune(s.Text)
	size := s.Size
	if size <= 0 {
		size = math.Max(s.Y1-s.Y0, 1)
	}
	whole := []cell{{text: strings.TrimSpace(s.Text), x0: s.X0, y0: s.Y0, x1: s.X1, y1: s.Y1, size: size}}
	if len(rs) != len(s.Xs) || len(rs) < 2 {
		return whole
	}
	adv := func(r rune) float64 {
		switch {
		case r >= 0x80:
			return size
		case strings.ContainsRune("-.,:;'!|()", r):
			return 0.3 * size // narrow: a dash placeholder beside text
		}
		return 0.55 * size
	}
	// Digits run into text only across a gap (an amount right-aligned
	// against the next cell): a smaller gap tells there.
	gapMin := func(a, b rune) float64 {
		if a >= '0' && a <= '9' && isWide(b) || isWide(a) && b >= '0' && b <= '9' {
			return 0.3 * size
		}
		return 0.45 * size
	}
	var out []cell
	start := 0
	for i := 1; i <= len(rs); i++ {
		if i < len(rs) && (rs[i-1] == ' ' || rs[i] == ' ' || s.Xs[i]-s.Xs[i-1]-adv(rs[i-1]) <= gapMin(rs[i-1], rs[i])) {
			continue
		}
		x1 := s.X1
		if i < len(rs) {
			x1 = math.Min(s.Xs[i-1]+adv(rs[i-1]), s.Xs[i])
		}
		if t := strings.TrimSpace(string(rs[start:i])); t != "" {
			out = append(out, cell{text: t, x0: s.Xs[start], y0: s.Y0, x1: x1, y1: s.Y1, size: size})
		}
		start = i
	}
	if len(out) == 0 {
		return whole
	}
	return out
}

// toLines turns a page's layout lines into table lines with split cells.
func toLines(p layout.Page) []tline {
	out := make([]tline, 0, len(p.Lines))
	for _, l := range p.Lines {
		tl := tline{x0: l.X0, y0: l.Y0, x1: l.X1, y1: l.Y1, size: l.Size(), page: p.Number}
		for _, s := range l.Segments {
			for _, c := range splitGaps(s) {
				c.num = numeric(c.text)
				tl.whole = append(tl.whole, c)
			}
			for _, c := range splitSegment(s) {
				c.num = numeric(c.text)
				tl.cells = append(tl.cells, c)
			}
		}
		tl.cells = embeddedFigures(mergeDistributed(tl.cells))
		tl.whole = mergeDistributed(tl.whole)
		tl.sq = squeeze(tl.text())
		if len(tl.cells) > 0 {
			out = append(out, tl)
		}
	}
	return joinWrappedAmounts(out)
}

// embeddedFigures marks as text a figure set close between two pieces of
// text on its line (单价≤ 23.51 万元 inside a 绩效目标 cell): an amount cell
// has a column gap on one side at least.
func embeddedFigures(cs []cell) []cell {
	for i := 1; i < len(cs); i++ {
		c := &cs[i]
		if !c.num || cs[i-1].num || c.x0-cs[i-1].x1 >= 0.5*c.size {
			continue
		}
		// Text on both sides, or text opening a bracket or a clause just
		// before it (辖内国省道（ 62.898, the unit wrapped to the next line).
		if i+1 < len(cs) && !cs[i+1].num && cs[i+1].x0-c.x1 < 0.5*c.size || opensClause(cs[i-1].text) {
			c.num = false
		}
	}
	return cs
}

// opensClause reports whether text ends where a figure inside a sentence
// follows: an opening bracket, a colon, a comparison sign.
func opensClause(text string) bool {
	r, _ := utf8.DecodeLastRuneInString(strings.TrimSpace(text))
	return strings.ContainsRune("（(：:≤≥<>＜＞=", r)
}

// numeric reports whether a cell prints an amount or a placeholder for one.
func numeric(t string) bool {
	// Fast path: text with letters or CJK words is no amount (most cells).
	for _, r := range t {
		if r >= 0x80 && !strings.ContainsRune("，．－—–─（）０１２３４５６７８９\u3000\u00a0万元千％−＋", r) {
			return false
		}
		if r < 0x80 && (r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z') {
			return false
		}
	}
	n := yusuan.NormalizeNumber(t)
	if n == "" {
		return false
	}
	if _, err := yusuan.ParseAmount(t); err != nil {
		return false
	}
	return true
}

// amountish is an unmistakable amount: decimals, thousands separators or a
// dash placeholder (a bare integer may be a code or a column number).
func amountish(t string) bool {
	if !numeric(t) {
		return false
	}
	n := strings.TrimSpace(t)
	return strings.ContainsAny(n, ".,，") || isDash(n)
}

func isDash(t string) bool {
	t = strings.TrimSpace(t)
	if t == "" {
		return false
	}
	for _, r := range t {
		switch r {
		case '-', '—', '–', '─', '－':
		default:
			return false
		}
	}
	return true
}

func codeLike(t string) bool {
	if len(t) < 2 || len(t) > 7 {
		return false
	}
	for _, r := range t {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

func squeeze(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || r == '\u3000' {
			return -1
		}
		return r
	}, s)
}

func overlap(a0, a1, b0, b1 float64) float64 {
	return math.Min(a1, b1) - math.Max(a0, b0)
}

// mergeDistributed joins single characters spread evenly over a cell
// (收    入    总    计, 项    目): templates justify short labels that way.
func mergeDistributed(cs []cell) []cell {
	single := func(c cell) bool {
		rs := []rune(c.text)
		return len(rs) == 1 && isWide(rs[0])
	}
	var out []cell
	for i := 0; i < len(cs); {
		j := i + 1
		if single(cs[i]) {
			g0 := -1.0
			for j < len(cs) && single(cs[j]) {
				g := cs[j].x0 - cs[j-1].x1
				if g > 4*cs[i].size || (g0 >= 0 && (g > 1.5*g0+1 || g < g0/1.5-1)) {
					break
				}
				if g0 < 0 {
					g0 = g
				}
				j++
			}
		}
		if j-i >= 2 {
			m := cs[i]
			for _, c := range cs[i+1 : j] {
				m.text += c.text
				m.x1 = c.x1
				m.y0, m.y1 = min(m.y0, c.y0), max(m.y1, c.y1)
			}
			out = append(out, m)
		} else {
			out = append(out, cs[i])
			j = i + 1
		}
		i = j
	}
	return out
}

var (
	wrapHeadRe = regexp.MustCompile(`^-?[\d,]+\.\d$`)
	wrapTailRe = regexp.MustCompile(`^\d$`)
	twoDecEnd  = regexp.MustCompile(`\.\d\d$`)
)

// joinWrappedAmounts rejoins amounts too wide for their column: the last
// digit wraps onto a line below, right-aligned with the rest
// ("12,868.1" then "9" is 12,868.19). The head prints one decimal where
// the column prints two (another amount with two decimals ends at the same
// edge), and nothing else sits in the column between head and tail.
func joinWrappedAmounts(ls []tline) []tline {
	changed := false
	var ends *twoDecEnds // built on the first head
	for i := range ls {
		for ci := range ls[i].cells {
			c := &ls[i].cells[ci]
			if !wrapHeadRe.MatchString(c.text) {
				continue
			}
			if ends == nil {
				ends = newTwoDecEnds(ls)
			}
			if !ends.at(c.x1, c.size) {
				continue
			}
		next:
			for j := i + 1; j < len(ls) && ls[j].y1 > c.y0-2.5*c.size; j++ {
				for k, d := range ls[j].cells {
					if d.x1 < c.x0 || d.x0 > c.x1 {
						continue
					}
					if wrapTailRe.MatchString(d.text) && math.Abs(d.x1-c.x1) < 0.3*c.size && c.y0-d.y1 < 1.5*c.size {
						c.text += d.text
						ls[j].cells = append(ls[j].cells[:k:k], ls[j].cells[k+1:]...)
						changed = true
						ends.add(*c) // a rejoined amount has two decimals
					}
					break next
				}
			}
		}
	}
	if !changed {
		return ls
	}
	out := ls[:0]
	for _, l := range ls {
		if len(l.cells) == 0 {
			continue
		}
		l.x0, l.x1 = l.cells[0].x0, l.cells[len(l.cells)-1].x1
		l.sq = squeeze(l.text())
		out = append(out, l)
	}
	return out
}

// twoDecEnds are the right edges of the amounts with two decimals,
// sorted, so that finding one at x is a search, not a scan of every cell
// (quadratic on a page of thousands of cells).
type twoDecEnds struct{ xs []float64 }

func newTwoDecEnds(ls []tline) *twoDecEnds {
	e := &twoDecEnds{}
	for _, l := range ls {
		for _, c := range l.cells {
			if c.num && twoDecEnd.MatchString(c.text) {
				e.xs = append(e.xs, c.x1)
			}
		}
	}
	sort.Float64s(e.xs)
	return e
}

func (e *twoDecEnds) add(c cell) {
	if !c.num || !twoDecEnd.MatchString(c.text) {
		return
	}
	i := sort.SearchFloat64s(e.xs, c.x1)
	e.xs = slices.Insert(e.xs, i, c.x1)
}

// at reports whether an amount with two decimals ends at x (within 0.3 of
// the size).
func (e *twoDecEnds) at(x, size float64) bool {
	tol := 0.3 * size
	const slack = 1e-9 // the search bounds are rounded; the test is exact
	for i := sort.SearchFloat64s(e.xs, x-tol-slack); i < len(e.xs) && e.xs[i] <= x+tol+slack; i++ {
		if math.Abs(e.xs[i]-x) < tol {
			return true
		}
	}
	return false
}
