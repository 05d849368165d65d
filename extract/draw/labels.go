package draw

import "math"

// label is a small tag of text drawn over the page, in SVG space.
type label struct {
	x, y, w, h float64 // the tag's box
	text       string
	title      string // hover text (the full text when the tag is cut)
	size       float64
	fill       string // tag colour
	color      string // text colour
	opacity    float64
}

// labeler places tags so that they hide neither each other nor, where it
// can, the page's text: each tag goes to the first of its candidate places
// that is free of tags and text, else to the first free of tags, else to
// the first.
type labeler struct {
	placed []label
	text   []label    // boxes of the text drawn (SVG space), to keep clear of
	bounds [4]float64 // x0, y0, x1, y1 of the visible canvas (SVG space)
}

// spot is a candidate top-left corner.
type spot struct{ x, y float64 }

func (lb *labeler) add(l label, spots ...spot) {
	at := func(s spot) label {
		c := l
		c.x, c.y = lb.clamp(s.x, s.y, l.w, l.h)
		return c
	}
	for _, avoid := range [][]label{append(lb.placed[:len(lb.placed):len(lb.placed)], lb.text...), lb.placed} {
		for _, s := range spots {
			if c := at(s); !overlaps(c, avoid) {
				lb.placed = append(lb.placed, c)
				return
			}
		}
	}
	lb.placed = append(lb.placed, at(spots[0]))
}

func (lb *labeler) clamp(x, y, w, h float64) (float64, float64) {
	x = math.Max(lb.bounds[0], math.Min(x, lb.bounds[2]-w))
	y = math.Max(lb.bounds[1], math.Min(y, lb.bounds[3]-h))
	return x, y
}

func overlaps(c label, others []label) bool {
	for _, p := range others {
		if c.x < p.x+p.w && p.x < c.x+c.w && c.y < p.y+p.h && p.y < c.y+c.h {
			return true
		}
	}
	return false
}

// write draws every tag, in the order placed.
func (lb *labeler) write(s *svg) {
	if len(lb.placed) == 0 {
		return
	}
	s.WriteString(`<g class="labels" font-family="sans-serif">` + "\n")
	for _, l := range lb.placed {
		s.WriteString("<g>")
		if l.title != "" {
			s.WriteString("<title>")
			s.esc(l.title)
			s.WriteString("</title>")
		}
		s.WriteString("<rect")
		s.attr("x", l.x)
		s.attr("y", l.y)
		s.attr("width", l.w)
		s.attr("height", l.h)
		s.sattr("fill", l.fill)
		if l.opacity > 0 && l.opacity < 1 {
			s.attr("fill-opacity", l.opacity)
		}
		s.WriteString(`/><text`)
		s.attr("x", l.x+0.25*l.size)
		s.attr("y", l.y+0.86*l.size+0.1*l.size)
		s.attr("font-size", l.size)
		s.sattr("fill", l.color)
		s.WriteByte('>')
		s.esc(l.text)
		s.WriteString("</text></g>\n")
	}
	s.WriteString("</g>\n")
}

// tag makes a label of text at size, cut to maxW (0: no limit).
func tag(text, title string, size, maxW float64, fill, color string) label {
	pad := 0.25 * size
	shown := text
	if maxW > 0 {
		shown = fit(text, size, maxW-2*pad)
	}
	if shown != text && title == "" {
		title = text
	}
	return label{text: shown, title: title, size: size, fill: fill, color: color, opacity: 0.9,
		w: textWidth(shown, size) + 2*pad, h: 1.2 * size}
}
