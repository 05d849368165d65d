package extract

import (
	"math"
	"strings"
	"unicode/utf8"

	"yusuan"
	"yusuan/extract/layout"
	"yusuan/extract/narrative"
)

// placeFigures finds the box of each narrative figure, so that a finding
// on it can outline it on the page like a table cell. The sentence up to
// the figure, normalised as the narrative read it, is looked up in the
// normalised text of its page; a sentence running over a page break is
// found by the words just before the figure on the next page. A figure
// found nowhere, or in more than one place, keeps no box.
func placeFigures(pages []layout.Page, sources []yusuan.FactSource) {
	streams := map[int]*figureStream{}
	stream := func(n int) *figureStream {
		if n < 1 || n > len(pages) {
			return nil
		}
		if s, ok := streams[n]; ok {
			return s
		}
		s := newFigureStream(pages[n-1])
		streams[n] = s
		return s
	}
	for i := range sources {
		src := &sources[i]
		norm := narrative.Normalise(src.Sentence)
		from, to := src.FigureAt, src.FigureAt+len(src.Figure)
		if src.Figure == "" || from < 0 || to > len(norm) || norm[from:to] != src.Figure {
			continue
		}
		if s := stream(src.Page); s != nil {
			// The whole sentence, else the sentence up to the figure (its
			// end may be on the next page).
			k := s.find(norm)
			if k < 0 {
				k = s.find(norm[:to])
			}
			if k >= 0 {
				src.BBox = s.box(k+from, k+to)
				continue
			}
		}
		src.Page, src.BBox = placeNear(stream, src.Page, norm, from, to)
	}
}

// placeNear finds a figure by the fewest words before it that occur once,
// on its sentence's page or the next (the page break may fall anywhere in
// the sentence, even in those words). It returns the page unchanged and no
// box when nothing fits.
func placeNear(stream func(int) *figureStream, page int, norm string, from, to int) (int, *yusuan.Rect) {
	for n := maxFigureContext; n >= minFigureContext; n-- {
		near := norm[contextStart(norm, from, n):to]
		for _, p := range []int{page, page + 1} {
			if s := stream(p); s != nil {
				if k := s.find(near); k >= 0 {
					return p, s.box(k+len(near)-(to-from), k+len(near))
				}
			}
		}
	}
	return page, nil
}

// The characters before a figure that may identify it where its sentence
// is not found whole: a longer run first.
const (
	maxFigureContext = 10
	minFigureContext = 2
)

// contextStart steps back n runes from byte offset at.
func contextStart(s string, at, n int) int {
	for ; n > 0 && at > 0; n-- {
		_, size := utf8.DecodeLastRuneInString(s[:at])
		at -= size
	}
	return at
}

// figureStream is a page's visible text normalised as narrative.Normalise
// does, with the box of each character.
type figureStream struct {
	text   string
	starts []int // byte offset in text of each character
	boxes  []yusuan.Rect
}

func newFigureStream(p layout.Page) *figureStream {
	type char struct {
		r   rune
		box yusuan.Rect
	}
	var chars []char
	for _, l := range p.Lines {
		for _, seg := range l.Segments {
			rs := []rune(seg.Text)
			for i, r := range rs {
				n, ok := narrative.NormalRune(r)
				if !ok || i >= len(seg.Xs) {
					continue
				}
				x1 := seg.X1
				if i+1 < len(seg.Xs) {
					x1 = seg.Xs[i+1]
				}
				chars = append(chars, char{n, yusuan.Rect{seg.Xs[i], seg.Y0, x1, seg.Y1}})
			}
		}
	}
	// A thousands separator goes, as in Normalise: a comma after a digit
	// and before a group of exactly three.
	group := func(i int) bool {
		for k := i; k < i+3; k++ {
			if k >= len(chars) || !isDigit(chars[k].r) {
				return false
			}
		}
		return i+3 == len(chars) || !isDigit(chars[i+3].r)
	}
	s := &figureStream{}
	var b strings.Builder
	for i, c := range chars {
		if c.r == ',' && i > 0 && isDigit(chars[i-1].r) && group(i+1) {
			continue
		}
		s.starts = append(s.starts, b.Len())
		s.boxes = append(s.boxes, c.box)
		b.WriteRune(c.r)
	}
	s.text = b.String()
	return s
}

func isDigit(r rune) bool { return r >= '0' && r <= '9' }

// find returns the byte offset of the only occurrence of s, or -1 when
// there is none or more than one.
func (f *figureStream) find(s string) int {
	k := strings.Index(f.text, s)
	if k < 0 || strings.Contains(f.text[k+1:], s) {
		return -1
	}
	return k
}

// box is the union of the boxes of the characters in text[from:to].
func (f *figureStream) box(from, to int) *yusuan.Rect {
	r := yusuan.Rect{math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)}
	found := false
	for i, at := range f.starts {
		if at < from || at >= to {
			continue
		}
		b := f.boxes[i]
		r = yusuan.Rect{min(r[0], b[0]), min(r[1], b[1]), max(r[2], b[2]), max(r[3], b[3])}
		found = true
	}
	if !found {
		return nil
	}
	return &r
}
