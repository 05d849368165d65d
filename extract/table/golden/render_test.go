package golden

import (
	"fmt"
	"math"
	"strings"
	"unicode/utf8"

	"yusuan/fixtures/pdfgen"
	"yusuan/fixtures/synth"
)

// style is how the test renderer prints a table.
type style struct {
	ruled    bool // ruling lines around every body cell (lattice)
	centered bool // amounts vertically centred beside wrapped names
}

const (
	margin  = 40.0
	fsize   = 9.0
	lineH   = 11.0
	padding = 4.0
)

// renderer lays out the printed tables of a synthetic document into PDF
// pages, as spreadsheet exports do: fixed column widths, names wrapped in
// their cells, header cells merged over their spans, the header repeated
// on every page a table continues to.
type renderer struct {
	d    *pdfgen.Document
	f    *pdfgen.Font
	st   style
	page *pdfgen.Page
	w, h float64
	y    float64
}

func render(pd *synth.PrintedDoc, st style) ([]byte, error) {
	r := &renderer{d: pdfgen.New(pdfgen.Options{Producer: "golden test"}), st: st}
	r.f = r.d.AddFont(pdfgen.Type0IdentityH)
	for _, t := range pd.Tables {
		r.table(t)
	}
	b, err := r.d.Bytes()
	if err != nil {
		return nil, fmt.Errorf("render %s: %w", pd.FileName(), err)
	}
	return b, nil
}

func (r *renderer) newPage(landscape bool) {
	r.w, r.h = pdfgen.A4W, pdfgen.A4H
	if landscape {
		r.w, r.h = r.h, r.w
	}
	r.page = r.d.AddPage(r.w, r.h)
	r.y = r.h - margin
}

func textWidth(s string, size float64) float64 {
	w := 0.0
	for _, c := range s {
		if c < 0x80 {
			w += 0.5 * size
		} else {
			w += size
		}
	}
	return w
}

// wrap cuts s into lines no wider than w.
func wrap(s string, w, size float64) []string {
	if textWidth(s, size) <= w || utf8.RuneCountInString(s) <= 1 {
		return []string{s}
	}
	var out []string
	var cur strings.Builder
	cw := 0.0
	for _, c := range s {
		cwid := size
		if c < 0x80 {
			cwid = 0.5 * size
		}
		if cw+cwid > w && cur.Len() > 0 {
			out = append(out, cur.String())
			cur.Reset()
			cw = 0
		}
		cur.WriteRune(c)
		cw += cwid
	}
	if cur.Len() > 0 {
		out = append(out, cur.String())
	}
	return out
}

func (r *renderer) table(t synth.PrintedTable) {
	if r.page == nil || r.y < 200 || t.Landscape != (r.w > r.h) {
		r.newPage(t.Landscape)
	}
	ncol := len(t.Widths)
	widths := make([]float64, ncol)
	total := 0.0
	for i, w := range t.Widths {
		widths[i] = float64(max(w, 2))*fsize + 2*padding
		total += widths[i]
	}
	if avail := r.w - 2*margin; total > avail {
		for i := range widths {
			widths[i] *= avail / total
		}
		total = avail
	}
	xs := make([]float64, ncol+1)
	xs[0] = margin
	for i, w := range widths {
		xs[i+1] = xs[i] + w
	}
	p := r.page
	if t.Label != "" {
		p.Text(margin, r.y, 10, r.f, t.Label)
		r.y -= 20
	}
	p.TextCenter(r.w/2, r.y, 14, r.f, t.Title)
	r.y -= 22
	if t.EntityLine != "" {
		p.Text(margin, r.y, 10, r.f, t.EntityLine)
		r.y -= 16
	}
	if t.UnitLine != "" {
		p.TextRight(xs[ncol], r.y, 10, r.f, t.UnitLine)
		r.y -= 18
	}
	r.header(t, xs)
	for _, row := range t.Body {
		// Lines per cell after wrapping.
		cells := make([][]string, len(row))
		n := 1
		for i, s := range row {
			if i >= ncol {
				break
			}
			if i < len(t.Align) && t.Align[i] == 'L' {
				cells[i] = wrap(s, widths[i]-2*padding, fsize)
			} else {
				cells[i] = []string{s}
			}
			n = max(n, len(cells[i]))
		}
		height := float64(n)*lineH + 2*padding
		if r.y-height < margin {
			r.newPage(t.Landscape)
			p = r.page
			r.header(t, xs)
		}
		top := r.y
		for i := range cells {
			lines := cells[i]
			y := top - padding - fsize
			if r.st.centered && len(lines) < n {
				y -= float64(n-len(lines)) * lineH / 2
			}
			for _, s := range lines {
				if s == "" {
					y -= lineH
					continue
				}
				switch {
				case i < len(t.Align) && t.Align[i] == 'R':
					p.TextRight(xs[i+1]-padding, y, fsize, r.f, s)
				case i < len(t.Align) && t.Align[i] == 'C':
					p.TextCenter((xs[i]+xs[i+1])/2, y, fsize, r.f, s)
				default:
					p.Text(xs[i]+padding, y, fsize, r.f, s)
				}
				y -= lineH
			}
		}
		r.y = top - height
		if r.st.ruled {
			p.LineWidth(0.5)
			p.Line(xs[0], top, xs[ncol], top)
			p.Line(xs[0], r.y, xs[ncol], r.y)
			for _, x := range xs {
				p.Line(x, top, x, r.y)
			}
		}
	}
	r.y -= 8
	for _, n := range t.Notes {
		p.Text(margin, r.y, 9, r.f, n)
		r.y -= 16
	}
	r.y -= 24
}

// header prints the header rows with merged cells centred over their spans.
func (r *renderer) header(t synth.PrintedTable, xs []float64) {
	p := r.page
	rows := len(t.Header)
	if rows == 0 {
		return
	}
	rowH := 2*lineH + 2*padding
	top := r.y
	for ri, hr := range t.Header {
		for _, c := range hr {
			span := max(c.ColSpan, 1)
			rs := max(c.RowSpan, 1)
			if c.Col+span > len(xs)-1 {
				continue
			}
			x0, x1 := xs[c.Col], xs[c.Col+span]
			lines := wrap(c.Text, x1-x0-2*padding, fsize)
			cellTop := top - float64(ri)*rowH
			cellH := float64(rs) * rowH
			y := cellTop - cellH/2 + float64(len(lines))*lineH/2 - fsize
			for _, s := range lines {
				p.TextCenter((x0+x1)/2, y, fsize, r.f, s)
				y -= lineH
			}
			if r.st.ruled {
				p.LineWidth(0.5)
				p.StrokeRect(x0, cellTop-cellH, x1-x0, cellH)
			}
		}
	}
	r.y = top - float64(rows)*rowH
	_ = math.Abs
}
