package extract

import (
	"testing"

	"yusuan"
	"yusuan/extract/layout"
	"yusuan/extract/narrative"
)

// page lays out lines of text, one per entry, 10 points a character, from
// x 100, each line 20 points below the last.
func page(n int, lines ...string) layout.Page {
	p := layout.Page{Number: n, Width: 600, Height: 800}
	for i, text := range lines {
		y0 := 700 - float64(20*i)
		seg := layout.Segment{Text: text, X0: 100, Y0: y0, Y1: y0 + 10}
		for k := range []rune(text) {
			seg.Xs = append(seg.Xs, 100+float64(10*k))
		}
		seg.X1 = 100 + float64(10*len(seg.Xs))
		p.Lines = append(p.Lines, layout.Line{Segments: []layout.Segment{seg}, X0: seg.X0, Y0: seg.Y0, X1: seg.X1, Y1: seg.Y1})
	}
	return p
}

// source is a fact read from sentence whose figure is the n-th occurrence
// (from 1) of figure in it.
func source(pageNum int, sentence, figure string, n int) yusuan.FactSource {
	norm := narrative.Normalise(sentence)
	at := -1
	for from := 0; n > 0; n-- {
		k := indexFrom(norm, figure, from)
		if k < 0 {
			break
		}
		at, from = k, k+1
	}
	return yusuan.FactSource{Key: "k", Page: pageNum, Sentence: sentence, Figure: figure, FigureAt: at}
}

func indexFrom(s, sub string, from int) int {
	for i := from; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return i
		}
	}
	return -1
}

func TestPlaceFigures(t *testing.T) {
	cases := []struct {
		name     string
		pages    []layout.Page
		src      yusuan.FactSource
		wantPage int
		want     *yusuan.Rect
	}{
		{
			name:     "sentence on one page, over two lines, thousands separator",
			pages:    []layout.Page{page(1, "收入总计1,108.22万元，比上年", "减少12.70万元。")},
			src:      source(1, "收入总计1,108.22万元，比上年减少12.70万元。", "1108.22", 1),
			wantPage: 1, want: &yusuan.Rect{140, 700, 220, 710},
		},
		{
			name:     "the same figure twice in the sentence: the second",
			pages:    []layout.Page{page(1, "支出预算9628.22万元，其中：财政拨款支出预算9628.22万元。")},
			src:      source(1, "支出预算9628.22万元，其中：财政拨款支出预算9628.22万元。", "9628.22", 2),
			wantPage: 1, want: &yusuan.Rect{350, 700, 420, 710},
		},
		{
			name:     "a page break inside the words before the figure",
			pages:    []layout.Page{page(1, "基本支出10234.37万元，其"), page(2, "中：人员经费7967.72万元。")},
			src:      source(1, "基本支出10234.37万元，其中：人员经费7967.72万元。", "7967.72", 1),
			wantPage: 2, want: &yusuan.Rect{160, 700, 230, 710},
		},
		{
			name:     "a paragraph printed twice: no box rather than a guess",
			pages:    []layout.Page{page(1, "公用经费395.6万元。", "公用经费395.6万元。")},
			src:      source(1, "公用经费395.6万元。", "395.6", 1),
			wantPage: 1,
		},
		{
			name:     "a figure the page does not print",
			pages:    []layout.Page{page(1, "公用经费395.6万元。")},
			src:      source(1, "公用经费359.6万元。", "359.6", 1),
			wantPage: 1,
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			srcs := []yusuan.FactSource{c.src}
			placeFigures(c.pages, srcs)
			got := srcs[0]
			if got.Page != c.wantPage {
				t.Errorf("page %d, want %d", got.Page, c.wantPage)
			}
			switch {
			case c.want == nil && got.BBox != nil:
				t.Errorf("box %v, want none", *got.BBox)
			case c.want != nil && (got.BBox == nil || *got.BBox != *c.want):
				t.Errorf("box %v, want %v", got.BBox, *c.want)
			}
		})
	}
}
