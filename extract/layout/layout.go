// Package layout rebuilds lines and text segments from positioned glyphs:
// glyphs grouped into lines by baseline, lines split into segments at gaps
// measured against the font size (Chinese has no spaces), reading order top
// to bottom and left to right, fake-bold duplicates removed, and text outside
// the visible page kept apart.
package layout

import (
	"bytes"
	"math"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"yusuan/extract/textlayer"
)

// Segment is a run of glyphs on one line with no wide gap inside.
type Segment struct {
	Text           string
	X0, Y0, X1, Y1 float64 // bounding box in display space (y up)
	Size           float64
	Font           string
	// Xs holds the start x of each rune of Text (same length as []rune(Text)),
	// so callers can split a segment precisely.
	Xs []float64
}

// Line is a row of segments sharing a baseline.
type Line struct {
	Segments       []Segment
	Baseline       float64
	X0, Y0, X1, Y1 float64
	Dir            textlayer.Dir
}

// Text joins the line's segments with single spaces.
func (l Line) Text() string {
	parts := make([]string, len(l.Segments))
	for i, s := range l.Segments {
		parts[i] = s.Text
	}
	return strings.Join(parts, " ")
}

// Size is the largest font size on the line.
func (l Line) Size() float64 {
	m := 0.0
	for _, s := range l.Segments {
		m = max(m, s.Size)
	}
	return m
}

// Page is the rebuilt text of one page.
type Page struct {
	Number        int
	Width, Height float64
	Lines         []Line // visible text in reading order
	Offpage       []Line // text drawn outside the visible area
	OffpageChars  int
	Rules         []textlayer.Rule
	Images        int
	Warnings      []string
}

// Options tune grouping; zero values mean the defaults.
type Options struct {
	// SegmentGap splits a line where the gap between glyphs exceeds this
	// many ems.
	SegmentGap float64
}

const (
	defaultSegmentGap = 0.9
	baselineTol       = 0.3 // of the font size
	ascent            = 0.85
	descent           = 0.15
)

type glyph struct {
	textlayer.Glyph
	// u, v are the glyph origin in the text's own frame: u along the
	// baseline, v across it (up), so every direction groups alike.
	u, v float64
}

// Build turns a page's glyphs into lines.
func Build(p textlayer.Page, opt Options) Page {
	if opt.SegmentGap == 0 {
		opt.SegmentGap = defaultSegmentGap
	}
	out := Page{Number: p.Number, Width: p.Width, Height: p.Height, Rules: p.Rules, Images: p.Images, Warnings: p.Warnings}
	var vis, off [5][]glyph
	vis[textlayer.LeftToRight] = make([]glyph, 0, len(p.Glyphs))
	var prev glyph
	prevVisible := false
	for _, g := range p.Glyphs {
		if strings.TrimSpace(g.Text) == "" && g.Text != " " {
			continue
		}
		u, v := frame(g.Dir, g.X, g.Y)
		gg := glyph{g, u, v}
		outside := offPage(g, p.Width, p.Height)
		// A word that starts on the page and runs past its edge stays whole
		// and visible: a cell value must not be cut in two.
		if outside && prevVisible && prev.Dir == g.Dir && math.Abs(prev.v-v) < 0.1*g.Size && math.Abs(u-prev.u-prev.Adv) < 0.5*g.Size {
			outside = false
		}
		prev, prevVisible = gg, !outside
		if outside {
			off[g.Dir] = append(off[g.Dir], gg)
			if g.Text != " " {
				out.OffpageChars += len([]rune(g.Text))
			}
		} else {
			vis[g.Dir] = append(vis[g.Dir], gg)
		}
	}
	for d := range vis {
		out.Lines = append(out.Lines, lines(vis[d], textlayer.Dir(d), p.Fonts, opt)...)
		out.Offpage = append(out.Offpage, lines(off[d], textlayer.Dir(d), p.Fonts, opt)...)
	}
	sortReading(out.Lines)
	sortReading(out.Offpage)
	return out
}

// frame maps display coordinates to the text frame of direction d.
func frame(d textlayer.Dir, x, y float64) (u, v float64) {
	switch d {
	case textlayer.BottomToTop:
		return y, -x
	case textlayer.RightToLeft:
		return -x, -y
	case textlayer.TopToBottom:
		return -y, x
	}
	return x, y
}

// offPage is true when poppler would drop the glyph (TextPage::addChar):
// its origin lies outside the page across the baseline, or it begins past
// the page's end or ends before its start along the baseline. A title
// whose baseline sits under the bottom edge is off the page even when the
// tops of its characters show.
func offPage(g textlayer.Glyph, w, h float64) bool {
	ax, ay := g.Adv, 0.0 // the advance in display space
	switch g.Dir {
	case textlayer.BottomToTop:
		ax, ay = 0, g.Adv
	case textlayer.TopToBottom:
		ax, ay = 0, -g.Adv
	case textlayer.RightToLeft:
		ax = -g.Adv
	}
	// poppler's test in its device space (y down) is x+ax < 0 || x > w ||
	// y'+ay' < 0 || y' > h with y' = h-y, ay' = -ay.
	return g.X+ax < 0 || g.X > w || g.Y+ay > h || g.Y < 0
}

func sortReading(ls []Line) {
	before := func(a, b *Line) bool {
		// Same visual row when their vertical extents mostly overlap.
		ov := math.Min(a.Y1, b.Y1) - math.Max(a.Y0, b.Y0)
		if ov > 0.5*math.Min(a.Y1-a.Y0, b.Y1-b.Y0) {
			return a.X0 < b.X0
		}
		return a.Y1 > b.Y1
	}
	slices.SortStableFunc(ls, func(a, b Line) int { return order(before(&a, &b), before(&b, &a)) })
}

// order turns a less function's answers for (a, b) and (b, a) into a
// comparison for the generic sorts (sort.SliceStable swaps through
// reflection): the sort sees exactly the less function's answers, NaN
// included, so the order is the one sort.SliceStable gave.
func order(less, greater bool) int {
	switch {
	case less:
		return -1
	case greater:
		return 1
	}
	return 0
}

func lines(gs []glyph, d textlayer.Dir, fonts []string, opt Options) []Line {
	if len(gs) == 0 {
		return nil
	}
	// Sort by baseline (v descending), then by u.
	slices.SortStableFunc(gs, func(a, b glyph) int {
		if a.v != b.v {
			return order(a.v > b.v, a.v < b.v)
		}
		return order(a.u < b.u, a.u > b.u)
	})
	var out []Line
	var seg segBuilder // reused from segment to segment
	start := 0
	for i := 1; i <= len(gs); i++ {
		if i < len(gs) {
			ref := gs[start]
			tol := baselineTol * math.Max(math.Min(ref.Size, gs[i].Size), 1)
			if ref.v-gs[i].v <= tol {
				continue
			}
		}
		row := gs[start:i]
		slices.SortStableFunc(row, func(a, b glyph) int { return order(a.u < b.u, a.u > b.u) })
		row = dedupe(row)
		if l, ok := buildLine(row, d, fonts, opt, &seg); ok {
			out = append(out, l)
		}
		start = i
	}
	return out
}

// dedupe drops glyphs drawn again at nearly the same place (fake bold,
// shadows).
func dedupe(row []glyph) []glyph {
	out := row[:0]
	for _, g := range row {
		dup := false
		for k := len(out) - 1; k >= 0 && k >= len(out)-4; k-- {
			p := out[k]
			// Fake bold offsets are a fraction of the glyph's own width;
			// narrow glyphs (dot leaders) legitimately sit closer than that.
			tol := math.Min(0.2*g.Size, 0.3*math.Max(g.Adv, 0.1*g.Size))
			if p.Text == g.Text && math.Abs(p.u-g.u) < tol && math.Abs(p.v-g.v) < tol {
				dup = true
				break
			}
		}
		if !dup {
			out = append(out, g)
		}
	}
	return out
}

func isCJK(r rune) bool {
	return unicode.Is(unicode.Han, r) || (r >= 0x3000 && r <= 0x303F) || (r >= 0xFF00 && r <= 0xFFEF)
}

// buildLine splits a row into segments, building each in seg.
func buildLine(row []glyph, d textlayer.Dir, fonts []string, opt Options, seg *segBuilder) (Line, bool) {
	l := Line{Dir: d}
	var cur *segBuilder
	var prevEnd float64
	var prevRune rune
	flush := func() {
		if cur != nil && len(bytes.TrimSpace(cur.text)) > 0 {
			l.Segments = append(l.Segments, cur.finish())
		}
		cur = nil
	}
	spaceSeen := false
	for _, g := range row {
		size := math.Max(g.Size, 1)
		if g.Text == " " {
			// Gaps are measured from positions; a drawn space only says
			// that the gap inside a segment is a word break.
			spaceSeen = true
			continue
		}
		gap := g.u - prevEnd
		if cur != nil && gap > opt.SegmentGap*size {
			flush()
		}
		first, _ := utf8.DecodeRuneInString(g.Text)
		if cur == nil {
			cur = seg
			cur.start(fonts[min(int(g.Font), len(fonts)-1)])
		} else if (spaceSeen && gap > 0.1*size) || (gap > 0.2*size && !isCJK(first) && !isCJK(prevRune)) {
			cur.addSpace(prevEnd)
		}
		spaceSeen = false
		cur.add(g)
		prevEnd = g.u + g.Adv
		prevRune, _ = utf8.DecodeLastRuneInString(g.Text)
	}
	flush()
	if len(l.Segments) == 0 {
		return l, false
	}
	l.X0, l.Y0, l.X1, l.Y1 = math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	for _, s := range l.Segments {
		l.X0, l.Y0 = math.Min(l.X0, s.X0), math.Min(l.Y0, s.Y0)
		l.X1, l.Y1 = math.Max(l.X1, s.X1), math.Max(l.Y1, s.Y1)
	}
	l.Baseline = row[0].Y
	if d == textlayer.BottomToTop || d == textlayer.TopToBottom {
		l.Baseline = row[0].X
	}
	return l, true
}

// segBuilder collects one segment; its buffers are reused, the segment
// gets copies of their final length.
type segBuilder struct {
	text           []byte
	xs             []float64
	font           string
	size           float64
	x0, y0, x1, y1 float64 // bounding box so far
	n              int
}

func (s *segBuilder) start(font string) {
	*s = segBuilder{text: s.text[:0], xs: s.xs[:0], font: font}
}

func (s *segBuilder) add(g glyph) {
	bx0, by0, bx1, by1 := glyphBox(g.Glyph)
	if s.n == 0 {
		s.x0, s.y0, s.x1, s.y1 = bx0, by0, bx1, by1
	} else {
		s.x0, s.y0, s.x1, s.y1 = math.Min(s.x0, bx0), math.Min(s.y0, by0), math.Max(s.x1, bx1), math.Max(s.y1, by1)
	}
	s.n++
	s.text = append(s.text, g.Text...)
	for range g.Text {
		s.xs = append(s.xs, g.X)
	}
	s.size = math.Max(s.size, g.Size)
}

func (s *segBuilder) addSpace(at float64) {
	s.text = append(s.text, ' ')
	s.xs = append(s.xs, at)
}

func (s *segBuilder) finish() Segment {
	return Segment{Text: string(s.text), Size: s.size, Font: s.font, Xs: slices.Clone(s.xs), X0: s.x0, Y0: s.y0, X1: s.x1, Y1: s.y1}
}

// glyphBox is the glyph's box in display space.
func glyphBox(g textlayer.Glyph) (x0, y0, x1, y1 float64) {
	switch g.Dir {
	case textlayer.BottomToTop:
		return g.X - ascent*g.Size, g.Y, g.X + descent*g.Size, g.Y + g.Adv
	case textlayer.TopToBottom:
		return g.X - descent*g.Size, g.Y - g.Adv, g.X + ascent*g.Size, g.Y
	case textlayer.RightToLeft:
		return g.X - g.Adv, g.Y - ascent*g.Size, g.X, g.Y + descent*g.Size
	}
	return g.X, g.Y - descent*g.Size, g.X + g.Adv, g.Y + ascent*g.Size
}
