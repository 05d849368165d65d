package layout

import (
	"math"
	"sort"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/width"
)

// Render prints lines as plain text that keeps the page's layout, like
// `pdftotext -layout`: segments placed at columns proportional to their x
// position, a blank line where the vertical gap is large.
func Render(lines []Line) string {
	if len(lines) == 0 {
		return ""
	}
	sizes := make([]float64, 0, len(lines))
	for _, l := range lines {
		sizes = append(sizes, l.Size())
	}
	sort.Float64s(sizes)
	pitch := math.Max(sizes[len(sizes)/2]/2, 1) // half an em: one ASCII column
	var b strings.Builder
	prevBottom := math.NaN()
	for _, l := range lines {
		h := l.Y1 - l.Y0
		if !math.IsNaN(prevBottom) && prevBottom-l.Y1 > 1.2*h {
			b.WriteByte('\n')
		}
		prevBottom = l.Y0
		col := 0
		for i, s := range l.Segments {
			want := int(math.Round(s.X0 / pitch))
			if i > 0 && want <= col {
				want = col + 1
			}
			if want > col {
				b.WriteString(strings.Repeat(" ", want-col))
				col = want
			}
			b.WriteString(s.Text)
			col += Columns(s.Text)
		}
		b.WriteByte('\n')
	}
	return b.String()
}

// Columns is the width of s in terminal columns: East Asian wide and
// full-width characters take two.
func Columns(s string) int {
	n := 0
	for len(s) > 0 {
		r, size := utf8.DecodeRuneInString(s)
		s = s[size:]
		switch width.LookupRune(r).Kind() {
		case width.EastAsianWide, width.EastAsianFullwidth:
			n += 2
		default:
			n++
		}
	}
	return n
}
