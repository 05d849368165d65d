package table

import (
	"fmt"
	"math"
	"slices"

	"yusuan"
	"yusuan/vocab"
)

// notes collect, while a region is rebuilt, what the table model was unsure
// of and where the table lies, for Table.Doubts and Table.Areas.
type notes struct {
	// per row of the table, in order
	split []bool // grouped from its lines by a guess
	side  []bool // its side taken from columns matched by position, or not found
	refit []bool // its columns matched to the table's by position
	cols  []yusuan.Doubt
	areas []yusuan.Area
}

// rows notes rows appended to the table.
func (n *notes) rows(k int, split []bool, side, refit bool) {
	for i := 0; i < k; i++ {
		n.split = append(n.split, i < len(split) && split[i])
		n.side = append(n.side, side)
		n.refit = append(n.refit, refit)
	}
}

// append notes the rows of other after these (deferred panels).
func (n *notes) append(o notes) {
	n.split = append(n.split, o.split...)
	n.side = append(n.side, o.side...)
	n.refit = append(n.refit, o.refit...)
}

// column notes a doubt about a column's key, once per key.
func (n *notes) column(key, note string) {
	if slices.ContainsFunc(n.cols, func(d yusuan.Doubt) bool { return d.Column == key }) {
		return
	}
	n.cols = append(n.cols, yusuan.Doubt{Reason: yusuan.DoubtGuessedColumn, Column: key, Note: note})
}

// keep drops the notes of rows not kept (keep[i] false), as the rows are.
func (n *notes) keep(keep []bool) {
	var s, d, r []bool
	for i, k := range keep {
		if k {
			s, d, r = append(s, n.split[i]), append(d, n.side[i]), append(r, n.refit[i])
		} else if j := len(s) - 1; j >= 0 {
			// joined to the row kept before it
			s[j], d[j], r[j] = s[j] || n.split[i], d[j] || n.side[i], r[j] || n.refit[i]
		}
	}
	n.split, n.side, n.refit = s, d, r
}

// doubts turns the notes into the table's doubts.
func (n *notes) doubts(t *yusuan.Table) []yusuan.Doubt {
	out := slices.Clone(n.cols)
	rowsOf := func(flags []bool) []int {
		var idx []int
		for i, f := range flags {
			if f && i < len(t.Rows) {
				idx = append(idx, i)
			}
		}
		return idx
	}
	if rs := rowsOf(n.refit); len(rs) > 0 {
		out = append(out, yusuan.Doubt{Reason: yusuan.DoubtGuessedColumn, Rows: rs, Note: "printed with other column widths: columns matched by position"})
	}
	if rs := rowsOf(n.split); len(rs) > 0 {
		out = append(out, yusuan.Doubt{Reason: yusuan.DoubtSplitRow, Rows: rs, Note: "a line as close to the row above as to the row below"})
	}
	if vocab.IsTwoSided(t.Kind) {
		side := slices.Clone(n.side)
		for i := range t.Rows {
			if i < len(side) && t.Rows[i].Side == "" {
				side[i] = true
			}
		}
		if rs := rowsOf(side); len(rs) > 0 {
			out = append(out, yusuan.Doubt{Reason: yusuan.DoubtSide, Rows: rs, Note: "side not told by the columns"})
		}
	}
	return out
}

// area is where the table lies on one page: its lines, its header lines
// and the headings of its columns that hold amounts or printed text.
func area(page int, lines, header []tline, cols []*column, twoSided bool) yusuan.Area {
	a := yusuan.Area{Page: page, BBox: linesBox(lines)}
	if len(header) == 0 {
		return a
	}
	h := linesBox(header)
	a.Header = &h
	for _, c := range cols {
		if c.role != vocab.RoleNone || !c.hasBox {
			continue
		}
		if a.Columns == nil {
			a.Columns = map[string]yusuan.Rect{}
		}
		key := c.key
		if twoSided && c.side != "" {
			key = string(c.side) + ":" + key
		}
		a.Columns[key] = c.hbox
	}
	return a
}

func linesBox(lines []tline) yusuan.Rect {
	b := yusuan.Rect{math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)}
	for _, l := range lines {
		b = yusuan.Rect{math.Min(b[0], l.x0), math.Min(b[1], l.y0), math.Max(b[2], l.x1), math.Max(b[3], l.y1)}
	}
	return b
}

// inherit gives a page's columns what the same printed columns had on the
// table's previous page where this page alone cannot tell: a column empty
// here keeps its role and key; a text column of a table keeping text
// columns keeps its role (the first name column being empty here); an
// amount column whose heading is not read here takes the key of the
// column printed at the same place, which is noted as a doubt.
func inherit(cols, prev []*column, kind yusuan.TableKind, page int, n *notes) {
	for _, c := range cols {
		var p *column
		for _, q := range prev {
			if q.side == c.side && overlap(c.x0, c.x1, q.x0, q.x1) > 0.6*math.Min(c.x1-c.x0, q.x1-q.x0) {
				p = q
				break
			}
		}
		if p == nil {
			continue
		}
		same := c.headerText() == p.headerText()
		text := func(c *column) bool { return c.role == vocab.RoleName || c.role == vocab.RoleName2 || c.textual }
		switch {
		case same && c.created && c.nAmt+c.nCode+c.nInt+c.nText == 0,
			same && textColumns(kind) && text(c) && text(p):
			c.role, c.key, c.textual, c.slugged, c.fallback, c.nameTail = p.role, p.key, p.textual, p.slugged, p.fallback, p.nameTail
		case c.role == vocab.RoleNone && !c.textual && (c.fallback || c.slugged) && p.role == vocab.RoleNone && !p.textual && !p.fallback && !p.slugged &&
			!slices.ContainsFunc(cols, func(o *column) bool { return o.key == p.key && o.side == c.side }):
			n.column(p.key, fmt.Sprintf("heading %q on page %d not read: key of the column printed at its place on the page before", c.headerText(), page))
			c.key, c.fallback, c.slugged = p.key, false, false
		}
	}
}
