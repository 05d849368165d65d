// Package draw draws a page as yusuan read it, as SVG: the text segments
// the table code saw, at their positions, the ruling lines, and over them
// what the extractor made of the page — table regions, header boxes,
// column bands with their keys, rows, cells with their parsed amounts,
// doubts — and the cells a finding cites, outlined and labelled. It is
// `yusuan debug`'s output and the web UI's evidence view.
//
// Everything is in display space (the text layer's: the page as shown,
// its /Rotate applied, origin at the bottom-left of the visible area, y
// up), as are the boxes of a yusuan.Document; the flip to SVG's y-down
// happens in one place (canvas). Output is deterministic: stable order
// and numbers rounded to hundredths of a point.
package draw

import (
	"errors"
	"fmt"
	"io"
	"math"
	"strings"
	"unicode"
	"unicode/utf8"

	"yusuan"
	"yusuan/extract/layout"
	"yusuan/extract/textlayer"
)

// PageInput is one page as the extractor read it, with the document's
// tables; only their parts on this page are drawn. Tables keeps the
// document's order so that indexes match Evidence.Table.
type PageInput struct {
	Page   layout.Page
	Tables []yusuan.Table
}

// Layer selects what is drawn over the text. Text, ruling lines and the
// page box are always drawn.
type Layer uint16

const (
	Segments Layer = 1 << iota // each text segment's box, as layout split the lines
	Regions                    // table boxes and header boxes, labelled with the table
	Columns                    // column bands and header boxes, labelled with the key
	Rows                       // row boxes in alternating tints, numbered
	Cells                      // value boxes; the parsed amount on hover
	Doubts                     // what the extractor was unsure of, dashed red with the reason
	Legend                     // a key below the page: the tables on it and the colours

	// AllLayers is everything (`yusuan debug`, the web page view).
	AllLayers = Segments | Regions | Columns | Rows | Cells | Doubts | Legend
)

// Highlight is a box to outline strongly with a label: a cell a finding
// cites ("actual 108.32 万元").
type Highlight struct {
	Page  int // 0: the page drawn
	BBox  yusuan.Rect
	Label string
	// Role picks the colour: "actual", "expected", "part" (Evidence.Role)
	// or anything else.
	Role string
}

// EvidenceHighlights turns the cells a finding cites in document sha into
// highlights labelled with their role and amount ("actual 108.32 万元").
// Evidence without a box (a narrative figure) is left out.
func EvidenceHighlights(ev []yusuan.Evidence, sha string) []Highlight {
	var out []Highlight
	for _, e := range ev {
		if e.BBox == nil || e.Page == 0 || (sha != "" && e.SHA256 != sha) {
			continue
		}
		parts := make([]string, 0, 3)
		for _, p := range []string{e.Role, e.Amount.String(), e.Unit} {
			if p != "" {
				parts = append(parts, p)
			}
		}
		out = append(out, Highlight{Page: e.Page, BBox: *e.BBox, Label: strings.Join(parts, " "), Role: e.Role})
	}
	return out
}

// Options say what to draw and how much of the page.
type Options struct {
	Layers     Layer
	Highlights []Highlight
	// Crop shows only the highlighted boxes of this page, each widened to
	// its row so the row's name shows, plus Margin, and no legend. With no
	// highlight on the page, the whole page is drawn.
	Crop   bool
	Margin float64 // points around a crop; 0 means 24
	// Scale multiplies the width and height attributes (1 point = 1 CSS
	// pixel at scale 1); 0 means 1. The viewBox stays in points.
	Scale float64
}

// ErrNoPage is returned for a page without a positive size.
var ErrNoPage = errors.New("page has no size")

// FontFamily is the font list for page text: system CJK fonts first.
const FontFamily = `'Noto Sans CJK SC','Source Han Sans SC','Microsoft YaHei','PingFang SC',sans-serif`

// Colours, one per kind of mark.
const (
	colRule     = "#555"
	colSegment  = "#1c7ed6"
	colRegion   = "#1971c2"
	colHeader   = "#f08c00"
	colColumn   = "#7048e8"
	colRow      = "#0ca678"
	colCell     = "#2b8a3e"
	colDoubt    = "#e03131"
	colLabelTxt = "#fff"
)

func roleColour(role string) string {
	switch role {
	case "actual":
		return "#d9480f"
	case "expected":
		return "#1864ab"
	case "part":
		return "#5c940d"
	}
	return "#a61e4d"
}

// Page writes the SVG drawing of in.Page to w.
func Page(w io.Writer, in PageInput, opt Options) error {
	p := in.Page
	if !(p.Width > 0 && p.Height > 0) || math.IsInf(p.Width, 0) || math.IsInf(p.Height, 0) {
		return fmt.Errorf("draw page %d (%gx%g): %w", p.Number, p.Width, p.Height, ErrNoPage)
	}
	if opt.Margin <= 0 {
		opt.Margin = 24
	}
	if opt.Scale <= 0 {
		opt.Scale = 1
	}
	d := &drawing{c: canvas{height: p.Height}, opt: opt, page: p}
	for _, h := range opt.Highlights {
		if h.Page == 0 || h.Page == p.Number {
			d.highlights = append(d.highlights, h)
		}
	}
	d.geo = Measure(in)
	d.view = d.viewBox()
	d.labels.bounds = [4]float64{d.view.x0, d.view.y0, d.view.x1, d.view.y1}
	d.write()
	_, err := w.Write(d.s.Bytes())
	return err
}

type drawing struct {
	s          svg
	c          canvas
	opt        Options
	page       layout.Page
	geo        Geometry
	highlights []Highlight
	view       rect // SVG space: x0, y0, x1, y1
	legend     []string
	labels     labeler
}

func (d *drawing) on(l Layer) bool { return d.opt.Layers&l != 0 }

// shows reports whether the display-space box r meets the part of the
// page shown, so that a crop carries only what it shows.
func (d *drawing) shows(r rect) bool {
	x, y, w, h := d.c.box(r)
	v := d.view
	return x <= v.x1 && x+w >= v.x0 && y <= v.y1 && y+h >= v.y0
}

// viewBox is the part of the canvas shown, in SVG space.
func (d *drawing) viewBox() rect {
	p := d.page
	full := rect{0, 0, p.Width, p.Height}
	if d.opt.Crop && len(d.highlights) > 0 {
		var u rect
		for i, h := range d.highlights {
			b := d.widenToRow(fromRect(h.BBox))
			if i == 0 {
				u = b
			} else {
				u = u.union(b)
			}
		}
		u = d.snapToLines(d.withHeader(u).grow(d.opt.Margin))
		x0, y0 := math.Max(u.x0, 0), math.Max(d.c.y(u.y1), 0)
		x1, y1 := math.Min(u.x1, p.Width), math.Min(d.c.y(u.y0), p.Height)
		if x1 > x0 && y1 > y0 {
			return rect{x0, y0, x1, y1}
		}
		return full
	}
	if d.on(Legend) && !d.opt.Crop {
		d.legend = d.legendLines()
		full.y1 += legendTop + float64(len(d.legend)+1)*legendLine
	}
	return full
}

// withHeader joins b with the column headers of the table region it lies
// in and widens it to the region, so that a crop shows the figures with
// their columns and the rows around them with all their values, unless the
// headers are further than maxHeaderReach of the page away (a row far down
// a long table: its labels name the columns).
func (d *drawing) withHeader(b rect) rect {
	cx, cy := (b.x0+b.x1)/2, (b.y0+b.y1)/2
	for _, t := range d.geo.Tables {
		for _, r := range t.Regions {
			reg := fromRect(r.BBox)
			if r.Header == nil || !reg.contains(cx, cy) {
				continue
			}
			w := b.union(fromRect(*r.Header))
			w.x0, w.x1 = math.Min(w.x0, reg.x0), math.Max(w.x1, reg.x1) // the table's whole width
			if (w.y1-w.y0)-(b.y1-b.y0) <= maxHeaderReach*d.page.Height {
				return w
			}
		}
	}
	return b
}

const maxHeaderReach = 0.3

// snapToLines moves a crop's edges out to the text lines they would cut
// through, so that no line shows half its height or half its text.
func (d *drawing) snapToLines(b rect) rect {
	for _, l := range d.page.Lines {
		if l.X1 < b.x0 || l.X0 > b.x1 {
			continue
		}
		if l.Y0 < b.y0 && l.Y1 > b.y0 {
			b.y0 = l.Y0
		}
		if l.Y0 < b.y1 && l.Y1 > b.y1 {
			b.y1 = l.Y1
		}
	}
	// Nor is a line inside the crop cut at its side (a sentence before
	// the figure's line that runs wider).
	for _, l := range d.page.Lines {
		if l.Y0 >= b.y0 && l.Y1 <= b.y1 && l.X1 >= b.x0 && l.X0 <= b.x1 {
			b.x0, b.x1 = math.Min(b.x0, l.X0), math.Max(b.x1, l.X1)
		}
	}
	return b
}

// widenToRow joins b with the row it lies in, so that a cropped cell shows
// with its row's name; a figure outside every table (the narrative's) is
// joined with its line of text, so that it shows with its sentence.
func (d *drawing) widenToRow(b rect) rect {
	cx, cy := (b.x0+b.x1)/2, (b.y0+b.y1)/2
	inRow := false
	for _, t := range d.geo.Tables {
		for _, r := range t.Rows {
			if rb := fromRect(r.BBox); rb.contains(cx, cy) {
				b, inRow = b.union(rb), true
			}
		}
	}
	if inRow {
		return b
	}
	for _, l := range d.page.Lines {
		if lb := (rect{l.X0, l.Y0, l.X1, l.Y1}); lb.contains(cx, cy) {
			b = b.union(lb)
		}
	}
	return b
}

const (
	legendTop  = 14.0
	legendLine = 11.0
	legendSize = 8.0
)

func (d *drawing) write() {
	s, v := &d.s, d.view
	s.WriteString(`<svg xmlns="http://www.w3.org/2000/svg" version="1.1"`)
	s.WriteString(` viewBox="`)
	s.num(v.x0)
	s.WriteByte(' ')
	s.num(v.y0)
	s.WriteByte(' ')
	s.num(v.x1 - v.x0)
	s.WriteByte(' ')
	s.num(v.y1 - v.y0)
	s.WriteByte('"')
	s.attr("width", (v.x1-v.x0)*d.opt.Scale)
	s.attr("height", (v.y1-v.y0)*d.opt.Scale)
	s.WriteString(">\n<title>")
	s.esc(fmt.Sprintf("page %d as yusuan read it", d.page.Number))
	s.WriteString("</title>\n")
	// The page, then the tints under the text, the text, and the outlines
	// and labels over it.
	s.rect(d.c, d.c.unbox(v.x0, v.y0, v.x1-v.x0, v.y1-v.y0), `class="canvas" fill="#f1f3f5"`, "")
	s.rect(d.c, rect{0, 0, d.page.Width, d.page.Height}, `class="page" fill="#fff" stroke="#868e96" stroke-width="0.5"`, "")
	d.tints()
	d.rules()
	d.text()
	d.outlines()
	d.doubts()
	d.highlight()
	d.labels.write(s)
	d.writeLegend()
	s.WriteString("</svg>\n")
}

// tints fills regions, header boxes, rows and column headers, under the
// text so it stays legible.
func (d *drawing) tints() {
	s, c := &d.s, d.c
	if d.on(Regions) {
		g := s.openGroup(`<g class="regions" fill="` + colRegion + `" fill-opacity="0.05">`)
		for _, t := range d.geo.Tables {
			for _, r := range t.Regions {
				s.rect(c, fromRect(r.BBox), "", "")
				if r.Header != nil {
					s.rect(c, fromRect(*r.Header), `class="header" fill="`+colHeader+`" fill-opacity="0.12"`, "header rows")
				}
			}
		}
		s.closeGroup(g)
	}
	if d.on(Rows) {
		g := s.openGroup(`<g class="rows" fill="` + colRow + `" fill-opacity="0.09">`)
		for _, t := range d.geo.Tables {
			for i, r := range t.Rows {
				if i%2 == 1 || !d.shows(fromRect(r.BBox)) {
					continue // every other row: the stripes tell rows apart
				}
				s.rect(c, fromRect(r.BBox), "", "")
			}
		}
		s.closeGroup(g)
	}
	if d.on(Columns) {
		g := s.openGroup(`<g class="column-headers" fill="` + colColumn + `" fill-opacity="0.12">`)
		for _, t := range d.geo.Tables {
			for _, col := range t.Columns {
				if col.HeaderBox != nil {
					s.rect(c, fromRect(*col.HeaderBox), "", "")
				}
			}
		}
		s.closeGroup(g)
	}
}

func (d *drawing) rules() {
	s := &d.s
	g := s.openGroup(`<g class="rules" stroke="` + colRule + `" stroke-width="0.5">`)
	for _, r := range d.page.Rules {
		if !d.shows(rect{min(r.X0, r.X1), min(r.Y0, r.Y1), max(r.X0, r.X1), max(r.Y0, r.Y1)}) {
			continue
		}
		s.WriteString("<line")
		s.attr("x1", r.X0)
		s.attr("y1", d.c.y(r.Y0))
		s.attr("x2", r.X1)
		s.attr("y2", d.c.y(r.Y1))
		if r.Fill {
			s.WriteString(` stroke-opacity="0.4"`) // the edge of a shaded cell, not a border
		}
		s.WriteString("/>\n")
	}
	s.closeGroup(g)
}

// Glyph box proportions, as layout measures segments.
const (
	ascent  = 0.85
	descent = 0.15
)

// text draws every visible segment where layout put it, or, on a page
// without text, says so. The segments' boxes are kept for the labels to
// keep clear of.
func (d *drawing) text() {
	s, c := &d.s, d.c
	if len(d.page.Lines) == 0 {
		msg := "no text on this page"
		if d.page.Images > 0 {
			msg = fmt.Sprintf("no text layer on this page: %d image(s) only (scanned?) — nothing for yusuan to read", d.page.Images)
		}
		size := math.Min(12, d.page.Width/float64(len([]rune(msg)))*1.6)
		s.WriteString(`<text class="notice" text-anchor="middle" font-family="sans-serif" fill="#c92a2a"`)
		s.attr("x", d.page.Width/2)
		s.attr("y", d.page.Height/2)
		s.attr("font-size", size)
		s.WriteByte('>')
		s.esc(msg)
		s.WriteString("</text>\n")
		return
	}
	if d.on(Segments) {
		g := s.openGroup(`<g class="segments" fill="none" stroke="` + colSegment + `" stroke-width="0.3" stroke-opacity="0.6">`)
		for _, l := range d.page.Lines {
			for _, sg := range l.Segments {
				if d.shows(rect{sg.X0, sg.Y0, sg.X1, sg.Y1}) {
					s.rect(c, rect{sg.X0, sg.Y0, sg.X1, sg.Y1}, "", "")
				}
			}
		}
		s.closeGroup(g)
	}
	g := s.openGroup(`<g class="text" fill="#212529" font-family="` + FontFamily + `">`)
	for _, l := range d.page.Lines {
		for _, sg := range l.Segments {
			if r := (rect{sg.X0, sg.Y0, sg.X1, sg.Y1}); d.shows(r) {
				d.segment(l.Dir, sg)
				x, y, w, h := c.box(r)
				d.labels.text = append(d.labels.text, label{x: x, y: y, w: w, h: h})
			}
		}
	}
	s.closeGroup(g)
}

// segment draws one segment. Horizontal text puts each character at the
// x the PDF drew it (the gaps the table code splits segments at show);
// other directions are stretched to the segment's length and turned.
// Spaces are dropped: positions, not spaces, carry the gaps.
func (d *drawing) segment(dir textlayer.Dir, sg layout.Segment) {
	size := math.Max(sg.Size, 0.1)
	if (dir == textlayer.LeftToRight || dir == textlayer.Skewed) && len(sg.Xs) == utf8.RuneCountInString(sg.Text) {
		d.placed(sg, size)
		return
	}
	text := strings.Join(strings.Fields(sg.Text), " ")
	if text == "" {
		return
	}
	// The baseline's start in display space, the run's length and the
	// turn (degrees clockwise on screen).
	var x, y, length, turn float64
	switch dir {
	case textlayer.BottomToTop:
		x, y, length, turn = sg.X0+ascent*size, sg.Y0, sg.Y1-sg.Y0, -90
	case textlayer.TopToBottom:
		x, y, length, turn = sg.X0+descent*size, sg.Y1, sg.Y1-sg.Y0, 90
	case textlayer.RightToLeft:
		x, y, length, turn = sg.X1, sg.Y0+ascent*size, sg.X1-sg.X0, 180
	default:
		x, y, length = sg.X0, sg.Y0+descent*size, sg.X1-sg.X0
	}
	s := &d.s
	sy := d.c.y(y)
	s.WriteString("<text")
	s.attr("x", x)
	s.attr("y", sy)
	s.attr("font-size", size)
	if length > 0 {
		s.attr("textLength", length)
		s.WriteString(` lengthAdjust="spacingAndGlyphs"`)
	}
	if turn != 0 {
		s.WriteString(` transform="rotate(`)
		s.num(turn)
		s.WriteByte(' ')
		s.num(x)
		s.WriteByte(' ')
		s.num(sy)
		s.WriteString(`)"`)
	}
	s.WriteByte('>')
	s.esc(text)
	s.WriteString("</text>\n")
}

// placed draws a horizontal segment with one x per character.
func (d *drawing) placed(sg layout.Segment, size float64) {
	s := &d.s
	var text strings.Builder
	xs := make([]float64, 0, len(sg.Xs))
	i := 0
	for _, r := range sg.Text {
		x := sg.Xs[i]
		i++
		if unicode.IsSpace(r) {
			continue
		}
		// Runes of one glyph (a ligature) share its x: keep them apart.
		if n := len(xs); n > 0 && x <= xs[n-1] {
			x = xs[n-1] + 0.5*size
		}
		xs = append(xs, x)
		text.WriteRune(r)
	}
	if len(xs) == 0 {
		return
	}
	s.WriteString(`<text x="`)
	for i, x := range xs {
		if i > 0 {
			s.WriteByte(' ')
		}
		s.num(x)
	}
	s.WriteByte('"')
	s.attr("y", d.c.y(sg.Y0+descent*size))
	s.attr("font-size", size)
	s.WriteByte('>')
	s.esc(text.String())
	s.WriteString("</text>\n")
}

// outlines draws the strokes of regions, columns and cells over the text,
// and places their labels.
func (d *drawing) outlines() {
	s, c := &d.s, d.c
	if d.on(Columns) {
		g := s.openGroup(`<g class="columns" fill="none" stroke="` + colColumn + `" stroke-width="0.6" stroke-dasharray="4 2" stroke-opacity="0.8">`)
		for _, t := range d.geo.Tables {
			for _, col := range t.Columns {
				b := fromRect(col.Band)
				s.rect(c, b, "", columnTitle(col))
				x, y, w, h := c.box(b)
				text := col.Key
				if col.Side != "" {
					text = string(col.Side)[:3] + "." + col.Key
				}
				l := tag(text, columnTitle(col), 5.5, math.Max(w, 36), colColumn, colLabelTxt)
				d.labels.add(l, spot{x, y + h + 1}, spot{x, y + h + 1 + l.h}, spot{x, y - l.h - 1}, spot{x, y + h + 1 + 2*l.h})
			}
		}
		s.closeGroup(g)
	}
	if d.on(Cells) {
		g := s.openGroup(`<g class="cells" fill="#fff" fill-opacity="0" stroke="` + colCell + `" stroke-width="0.5">`)
		for _, t := range d.geo.Tables {
			for _, r := range t.Rows {
				for _, cell := range r.Cells {
					if !d.shows(fromRect(cell.BBox)) {
						continue
					}
					s.rect(c, fromRect(cell.BBox), "", cellTitle(t, r, cell))
				}
			}
		}
		s.closeGroup(g)
	}
	if d.on(Rows) {
		g := s.openGroup(`<g class="row-numbers" font-family="sans-serif" font-size="5" fill="` + colRow + `" text-anchor="end">`)
		for _, t := range d.geo.Tables {
			left := map[yusuan.Side]float64{}
			for _, r := range t.Rows {
				if l, ok := left[r.Side]; !ok || r.BBox[0] < l {
					left[r.Side] = r.BBox[0]
				}
			}
			for _, r := range t.Rows {
				if !d.shows(fromRect(r.BBox)) {
					continue
				}
				s.WriteString("<text")
				s.attr("x", left[r.Side]-1.5)
				s.attr("y", c.y(r.BBox[1])-0.5)
				s.WriteByte('>')
				s.num(float64(r.Index))
				s.WriteString("<title>")
				s.esc(rowTitle(r))
				s.WriteString("</title></text>\n")
			}
		}
		s.closeGroup(g)
	}
	if d.on(Regions) {
		g := s.openGroup(`<g class="region-outlines" fill="none" stroke="` + colRegion + `" stroke-width="1">`)
		for _, t := range d.geo.Tables {
			for _, r := range t.Regions {
				b := fromRect(r.BBox)
				attrs := ""
				if r.FromRows {
					attrs = `stroke-dasharray="6 2"` // no Area: the union of the rows
				}
				s.rect(c, b, attrs, tableTitle(t))
				x, y, w, h := c.box(b)
				l := tag(tableLine(t), tableTitle(t), 6.5, math.Max(w, 80), colRegion, colLabelTxt)
				// Under the table, where the page is usually blank: above it
				// the label would hide the header the columns were read from.
				d.labels.add(l, spot{x, y + h + 1}, spot{x, y - l.h - 1}, spot{x, y + h + 1 + l.h}, spot{x, y})
			}
		}
		s.closeGroup(g)
	}
}

func (d *drawing) doubts() {
	if !d.on(Doubts) {
		return
	}
	s, c := &d.s, d.c
	g := s.openGroup(`<g class="doubts" fill="` + colDoubt + `" fill-opacity="0.06" stroke="` + colDoubt + `" stroke-width="1.2" stroke-dasharray="3 2">`)
	for _, t := range d.geo.Tables {
		for _, dg := range t.Doubts {
			title := doubtTitle(t, dg)
			for i, b := range dg.Boxes {
				r := fromRect(b).grow(1)
				s.rect(c, r, "", title)
				if i == 0 {
					x, y, w, _ := c.box(r)
					l := tag(string(dg.Reason), title, 5.5, 0, colDoubt, colLabelTxt)
					d.labels.add(l, spot{x + w - l.w, y - l.h}, spot{x, y - l.h}, spot{x + w, y})
				}
			}
		}
	}
	s.closeGroup(g)
}

func (d *drawing) highlight() {
	s, c := &d.s, d.c
	g := s.openGroup(`<g class="highlights" fill="none" stroke-width="1.6">`)
	for _, h := range d.highlights {
		col := roleColour(h.Role)
		r := fromRect(h.BBox).grow(1.2)
		s.rect(c, r, `stroke="`+col+`"`, h.Label)
		if h.Label == "" {
			continue
		}
		x, y, w, hh := c.box(r)
		l := tag(h.Label, "", 7, 0, col, colLabelTxt)
		l.opacity = 1
		// Beside the box on its left first: amounts are right-aligned, so
		// that is where a table row is blank.
		mid := y + (hh-l.h)/2
		d.labels.add(l, spot{x - l.w - 1, mid}, spot{x + w - l.w, y - l.h - 0.5}, spot{x + w - l.w, y + hh + 0.5},
			spot{x + w + 1, mid}, spot{x, y - l.h - 0.5}, spot{x + w - l.w, y - 2*l.h - 1}, spot{x + w - l.w, y + hh + l.h + 1})
	}
	s.closeGroup(g)
}

func (d *drawing) legendLines() []string {
	g := d.geo
	out := []string{fmt.Sprintf("page %d · %s×%s pt · %d lines, %d segments, %d rules, %d images", g.Page, trim(g.Width), trim(g.Height), g.Lines, g.Segments, g.Rules, g.Images)}
	if g.Offpage > 0 {
		out[0] += fmt.Sprintf(" · %d characters outside the page (not drawn)", g.Offpage)
	}
	if len(g.Tables) == 0 {
		out = append(out, "no table on this page")
	}
	for _, t := range g.Tables {
		line := tableLine(t)
		if t.Unit != "" {
			line += " · " + t.Unit
		}
		line += fmt.Sprintf(" · pages %s · %d rows, %d columns here", pageSpan(t.Pages), len(t.Rows), len(t.Columns))
		switch {
		case t.Empty:
			line += " · empty"
		case len(t.Regions) > 0 && t.Regions[0].FromRows:
			line += " · region from its rows (no area recorded)"
		}
		if len(t.Doubts) > 0 {
			// Each reason once, with how often it occurs here.
			var reasons []string
			count := map[yusuan.DoubtReason]int{}
			for _, dg := range t.Doubts {
				if count[dg.Reason] == 0 {
					reasons = append(reasons, string(dg.Reason))
				}
				count[dg.Reason]++
			}
			for i, r := range reasons {
				if n := count[yusuan.DoubtReason(r)]; n > 1 {
					reasons[i] = fmt.Sprintf("%s ×%d", r, n)
				}
			}
			line += " · doubts: " + strings.Join(reasons, ", ")
		}
		out = append(out, line)
	}
	return out
}

func (d *drawing) writeLegend() {
	if len(d.legend) == 0 {
		return
	}
	s := &d.s
	g := s.openGroup(`<g class="legend" font-family="` + FontFamily + `" fill="#212529">`)
	y := d.page.Height + legendTop
	for i, line := range d.legend {
		s.WriteString("<text")
		s.attr("x", 4)
		s.attr("y", y+float64(i)*legendLine)
		s.attr("font-size", legendSize)
		s.WriteByte('>')
		s.esc(fit(line, legendSize, d.page.Width-8))
		s.WriteString("</text>\n")
	}
	// The colour key on a line of its own.
	keys := []struct{ name, colour string }{{"table region", colRegion}, {"header rows", colHeader}, {"column", colColumn},
		{"row", colRow}, {"cell", colCell}, {"doubt", colDoubt}, {"segment", colSegment}}
	x := 4.0
	for _, k := range keys {
		s.WriteString("<text")
		s.attr("x", x)
		s.attr("y", y+float64(len(d.legend))*legendLine)
		s.attr("font-size", legendSize)
		s.sattr("fill", k.colour)
		s.WriteByte('>')
		s.esc("■ " + k.name)
		s.WriteString("</text>\n")
		x += textWidth("■ "+k.name, legendSize) + 8
	}
	s.closeGroup(g)
}

func tableLine(t TableGeometry) string {
	parts := []string{fmt.Sprintf("#%d", t.Index)}
	if t.Label != "" {
		parts = append(parts, t.Label)
	}
	parts = append(parts, string(t.Kind), t.Title)
	return strings.Join(parts, " ")
}

func tableTitle(t TableGeometry) string {
	s := tableLine(t)
	if t.Unit != "" {
		s += " (" + t.Unit + ")"
	}
	return s
}

func columnTitle(c ColumnGeometry) string {
	s := "column " + c.Key
	if c.Side != "" {
		s += " (" + string(c.Side) + ")"
	}
	if c.Header != "" {
		s += ": " + c.Header
	}
	if c.HeaderBox == nil {
		s += " · header box not recorded"
	}
	return s + fmt.Sprintf(" · %d values here", c.Cells)
}

func rowTitle(r RowGeometry) string {
	s := fmt.Sprintf("row %d", r.Index)
	if r.Side != "" {
		s += " " + string(r.Side)
	}
	if r.Code != "" {
		s += " " + r.Code
	}
	return s + " " + r.Name
}

func cellTitle(t TableGeometry, r RowGeometry, c CellGeometry) string {
	v := c.Value
	if v == "" {
		v = "null"
	} else if t.Unit != "" {
		v += " " + t.Unit
	}
	s := c.Column + " = " + v
	if c.Raw != "" {
		s += " (printed " + c.Raw + ")"
	}
	return s + " · " + rowTitle(r)
}

func doubtTitle(t TableGeometry, dg DoubtGeometry) string {
	s := "doubt: " + string(dg.Reason)
	if dg.Column != "" {
		s += " · column " + dg.Column
	}
	if len(dg.Rows) > 0 {
		s += fmt.Sprintf(" · rows %v", dg.Rows)
	}
	if dg.Note != "" {
		s += " · " + dg.Note
	}
	return s + " · " + tableLine(t)
}

func pageSpan(pages []int) string {
	switch len(pages) {
	case 0:
		return "?"
	case 1:
		return fmt.Sprint(pages[0])
	}
	return fmt.Sprintf("%d–%d", pages[0], pages[len(pages)-1])
}

func trim(v float64) string {
	var s svg
	s.num(v)
	return s.String()
}
