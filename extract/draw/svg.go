package draw

import (
	"bytes"
	"encoding/xml"
	"math"
	"strconv"

	"golang.org/x/text/width"
)

// canvas maps display space (y up, the text layer's and the Document's
// space) to SVG user space (y down). It is the one place the y axis flips.
type canvas struct{ height float64 }

// y flips one y coordinate.
func (c canvas) y(y float64) float64 { return c.height - y }

// box is r as an SVG rectangle: top-left corner, width and height.
func (c canvas) box(r rect) (x, y, w, h float64) {
	return r.x0, c.height - r.y1, r.x1 - r.x0, r.y1 - r.y0
}

// unbox is the inverse of box: an SVG rectangle back in display space.
func (c canvas) unbox(x, y, w, h float64) rect { return rect{x, c.height - y - h, x + w, c.height - y} }

// svg accumulates the document; every number goes through num and every
// text through esc, so output is deterministic and well-formed.
type svg struct{ bytes.Buffer }

// num writes v rounded to hundredths of a point, without trailing zeros
// and never as "-0".
func (s *svg) num(v float64) {
	v = math.Round(v*100) / 100
	if v == 0 || math.IsNaN(v) || math.IsInf(v, 0) {
		v = 0
	}
	var buf [32]byte
	s.Write(strconv.AppendFloat(buf[:0], v, 'f', -1, 64))
}

// esc writes text escaped for character data and attribute values alike;
// characters XML cannot carry become U+FFFD.
func (s *svg) esc(text string) { _ = xml.EscapeText(s, []byte(text)) }

// attr writes ` name="v"` for a number.
func (s *svg) attr(name string, v float64) {
	s.WriteByte(' ')
	s.WriteString(name)
	s.WriteString(`="`)
	s.num(v)
	s.WriteByte('"')
}

// sattr writes ` name="v"` for a string, escaped.
func (s *svg) sattr(name, v string) {
	s.WriteByte(' ')
	s.WriteString(name)
	s.WriteString(`="`)
	s.esc(v)
	s.WriteByte('"')
}

// rect writes a <rect> of box r in display space with extra attributes
// (written as given, so constants only) and an optional hover title.
func (s *svg) rect(c canvas, r rect, attrs, title string) {
	x, y, w, h := c.box(r)
	s.WriteString("<rect")
	s.attr("x", x)
	s.attr("y", y)
	s.attr("width", math.Max(w, 0))
	s.attr("height", math.Max(h, 0))
	if attrs != "" {
		s.WriteByte(' ')
		s.WriteString(attrs)
	}
	if title == "" {
		s.WriteString("/>\n")
		return
	}
	s.WriteString("><title>")
	s.esc(title)
	s.WriteString("</title></rect>\n")
}

// textWidth estimates the width of s at size: East Asian wide characters
// one em, others a little over half.
func textWidth(s string, size float64) float64 {
	w := 0.0
	for _, r := range s {
		switch width.LookupRune(r).Kind() {
		case width.EastAsianWide, width.EastAsianFullwidth:
			w += size
		default:
			w += 0.56 * size
		}
	}
	return w
}

// fit cuts s to at most maxW wide at size, ending in "…" when cut.
func fit(s string, size, maxW float64) string {
	if textWidth(s, size) <= maxW {
		return s
	}
	w := textWidth("…", size)
	for i, r := range s {
		rw := textWidth(string(r), size)
		if w+rw > maxW {
			if i == 0 {
				return ""
			}
			return s[:i] + "…"
		}
		w += rw
	}
	return s
}

// openGroup writes the <g …> start tag open; closeGroup ends the group, or
// removes it when nothing was written inside.
func (s *svg) openGroup(tag string) group {
	start := s.Len()
	s.WriteString(tag)
	s.WriteByte('\n')
	return group{start, s.Len()}
}

type group struct{ start, mark int }

func (s *svg) closeGroup(g group) {
	if s.Len() == g.mark {
		s.Truncate(g.start)
		return
	}
	s.WriteString("</g>\n")
}
