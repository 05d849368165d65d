package draw

import (
	"math"
	"slices"
	"sort"
	"strings"

	"yusuan"
)

// Geometry is what the extractor found on one page, in display space
// (points, origin at the bottom-left of the visible page, y up: the space
// of the text layer and of every Rect in a Document). The drawing outlines
// exactly this; `yusuan debug --json` prints it.
type Geometry struct {
	Page     int             `json:"page"`
	Width    float64         `json:"width"`
	Height   float64         `json:"height"`
	Lines    int             `json:"lines"`
	Segments int             `json:"segments"`
	Rules    int             `json:"rules"`
	Images   int             `json:"images,omitempty"`
	Offpage  int             `json:"offpage_chars,omitempty"`
	Tables   []TableGeometry `json:"tables"`
}

// TableGeometry is one table's part on the page.
type TableGeometry struct {
	Index int              `json:"index"` // into Document.Tables (Evidence.Table)
	Kind  yusuan.TableKind `json:"kind"`
	Label string           `json:"label,omitempty"`
	Title string           `json:"title"`
	Unit  string           `json:"unit,omitempty"`
	Pages []int            `json:"pages"`
	Empty bool             `json:"empty,omitempty"`
	// Regions are the table's boxes on the page: its Areas, or, when the
	// extractor recorded none for the page, the union of the page's rows
	// (FromRows).
	Regions []Region         `json:"regions"`
	Columns []ColumnGeometry `json:"columns"`
	Rows    []RowGeometry    `json:"rows"`
	Doubts  []DoubtGeometry  `json:"doubts,omitempty"`
}

// Region is one box of a table on the page, with its header rows.
type Region struct {
	BBox     yusuan.Rect  `json:"bbox"`
	Header   *yusuan.Rect `json:"header,omitempty"`
	FromRows bool         `json:"from_rows,omitempty"`
}

// ColumnGeometry is a column as mapped to a key: its printed header's box
// (when the extractor recorded one) and its band from the header down to
// the bottom of the table, wide enough to hold every value read into it.
type ColumnGeometry struct {
	Key       string       `json:"key"`
	Side      yusuan.Side  `json:"side,omitempty"`
	Header    string       `json:"header,omitempty"`
	HeaderBox *yusuan.Rect `json:"header_box,omitempty"`
	Band      yusuan.Rect  `json:"band"`
	Cells     int          `json:"cells"`
}

// RowGeometry is one row read on the page.
type RowGeometry struct {
	Index int            `json:"index"` // into Table.Rows
	Side  yusuan.Side    `json:"side,omitempty"`
	Code  string         `json:"code,omitempty"`
	Name  string         `json:"name"`
	BBox  yusuan.Rect    `json:"bbox"`
	Cells []CellGeometry `json:"cells"`
}

// CellGeometry is one value with the box it was read from.
type CellGeometry struct {
	Column string      `json:"column"`
	BBox   yusuan.Rect `json:"bbox"`
	Value  string      `json:"value"`         // the parsed amount; "" when null
	Raw    string      `json:"raw,omitempty"` // the printed text where it differs
}

// DoubtGeometry is a doubt of the extractor with the boxes it concerns on
// the page: cells, rows, column bands, or the whole table.
type DoubtGeometry struct {
	Reason yusuan.DoubtReason `json:"reason"`
	Column string             `json:"column,omitempty"`
	Rows   []int              `json:"rows,omitempty"`
	Note   string             `json:"note,omitempty"`
	Boxes  []yusuan.Rect      `json:"boxes"`
}

// Measure finds the geometry of every table of in.Tables on the page.
func Measure(in PageInput) Geometry {
	p := in.Page
	g := Geometry{Page: p.Number, Width: p.Width, Height: p.Height, Lines: len(p.Lines), Rules: len(p.Rules), Images: p.Images, Offpage: p.OffpageChars, Tables: []TableGeometry{}}
	for _, l := range p.Lines {
		g.Segments += len(l.Segments)
	}
	for i, t := range in.Tables {
		if tg, ok := measureTable(i, t, p.Number); ok {
			g.Tables = append(g.Tables, tg)
		}
	}
	return g
}

func measureTable(index int, t yusuan.Table, page int) (TableGeometry, bool) {
	tg := TableGeometry{Index: index, Kind: t.Kind, Label: t.Label, Title: t.Title, Unit: t.Unit, Pages: t.Pages, Empty: t.Empty,
		Regions: []Region{}, Columns: []ColumnGeometry{}, Rows: []RowGeometry{}}
	on := slices.Contains(t.Pages, page)
	for i, r := range t.Rows {
		if r.Page != page {
			continue
		}
		on = true
		rg := RowGeometry{Index: i, Side: r.Side, Code: r.CodeString(), Name: r.Name, Cells: []CellGeometry{}}
		box, have := rect{}, false
		if r.BBox != nil {
			box, have = fromRect(*r.BBox), true
		}
		for _, key := range sortedKeys(r.Boxes) {
			b := fromRect(r.Boxes[key])
			rg.Cells = append(rg.Cells, CellGeometry{Column: key, BBox: r.Boxes[key], Value: r.Values[key].String(), Raw: r.Raw[key]})
			if !have {
				box, have = b, true
			}
			box = box.union(b)
		}
		if !have {
			continue // nowhere to draw it
		}
		sort.SliceStable(rg.Cells, func(a, b int) bool { return rg.Cells[a].BBox[0] < rg.Cells[b].BBox[0] })
		rg.BBox = box.yusuan()
		tg.Rows = append(tg.Rows, rg)
	}
	for _, a := range t.Areas {
		if a.Page == page {
			on = true
			tg.Regions = append(tg.Regions, Region{BBox: a.BBox, Header: a.Header})
		}
	}
	if !on {
		return tg, false
	}
	if len(tg.Regions) == 0 && len(tg.Rows) > 0 {
		u := fromRect(tg.Rows[0].BBox)
		for _, r := range tg.Rows[1:] {
			u = u.union(fromRect(r.BBox))
		}
		tg.Regions = append(tg.Regions, Region{BBox: u.yusuan(), FromRows: true})
	}
	tg.Columns = measureColumns(t, page, tg)
	tg.Doubts = measureDoubts(t, tg)
	return tg, true
}

// measureColumns makes one band per column key and side: the x extent of
// the header box joined with the values read into the column, from the top
// of the header (or the table) to the bottom of the table.
func measureColumns(t yusuan.Table, page int, tg TableGeometry) []ColumnGeometry {
	type group struct {
		key  string
		side yusuan.Side
		x    rect // only x0, x1 meaningful until the band is set
		n    int
		hdr  *yusuan.Rect
	}
	var groups []*group
	find := func(key string, side yusuan.Side, b rect) *group {
		for _, g := range groups {
			if g.key == key && g.side == side && overlapX(g.x, b) {
				return g
			}
		}
		g := &group{key: key, side: side, x: b}
		groups = append(groups, g)
		return g
	}
	for _, r := range tg.Rows {
		for _, c := range r.Cells {
			b := fromRect(c.BBox)
			g := find(c.Column, r.Side, b)
			g.x = g.x.union(b)
			g.n++
		}
	}
	// Header boxes recorded by the extractor join the group they sit over,
	// or stand alone for a column with no value here.
	for _, a := range t.Areas {
		if a.Page != page {
			continue
		}
		for _, name := range sortedKeys(a.Columns) {
			h := a.Columns[name]
			hb := fromRect(h)
			side, key := splitSide(name)
			var hit *group
			for _, g := range groups {
				if g.key == key && (side == "" || g.side == side) && overlapX(g.x, hb) {
					hit = g
					break
				}
			}
			if hit == nil {
				hit = &group{key: key, side: side, x: hb}
				groups = append(groups, hit)
			}
			hit.x = hit.x.union(hb)
			hit.hdr = &h
		}
	}
	var out []ColumnGeometry
	for _, g := range groups {
		top, bottom := math.Inf(-1), math.Inf(1)
		for _, reg := range tg.Regions {
			rb := fromRect(reg.BBox)
			if overlapX(rb, g.x) {
				top, bottom = math.Max(top, rb.y1), math.Min(bottom, rb.y0)
			}
		}
		if g.hdr != nil {
			top = math.Max(top, g.hdr[3])
		}
		if math.IsInf(top, -1) || math.IsInf(bottom, 1) {
			top, bottom = g.x.y1, g.x.y0
		}
		cg := ColumnGeometry{Key: g.key, Side: g.side, Header: t.Headers[g.key], HeaderBox: g.hdr, Cells: g.n,
			Band: yusuan.Rect{g.x.x0, bottom, g.x.x1, top}}
		out = append(out, cg)
	}
	sort.SliceStable(out, func(a, b int) bool {
		if out[a].Band[0] != out[b].Band[0] {
			return out[a].Band[0] < out[b].Band[0]
		}
		return out[a].Key < out[b].Key
	})
	if out == nil {
		out = []ColumnGeometry{}
	}
	return out
}

// splitSide reads an area's column name: the key, prefixed by the side in
// two-sided tables ("income:amount").
func splitSide(name string) (yusuan.Side, string) {
	if side, key, ok := strings.Cut(name, ":"); ok && (yusuan.Side(side) == yusuan.SideIncome || yusuan.Side(side) == yusuan.SideExpenditure) {
		return yusuan.Side(side), key
	}
	return "", name
}

// measureDoubts places each doubt: on the cells of its rows in its column,
// on its rows, on its column, or on the whole table. A doubt about rows or
// a column printed on another page has no box here and is left out.
func measureDoubts(t yusuan.Table, tg TableGeometry) []DoubtGeometry {
	var out []DoubtGeometry
	for _, d := range t.Doubts {
		dg := DoubtGeometry{Reason: d.Reason, Column: d.Column, Rows: d.Rows, Note: d.Note, Boxes: []yusuan.Rect{}}
		switch {
		case len(d.Rows) > 0:
			for _, r := range tg.Rows {
				if !slices.Contains(d.Rows, r.Index) {
					continue
				}
				box := r.BBox
				if d.Column != "" {
					box = columnCell(r, d.Column, tg.Columns)
				}
				dg.Boxes = append(dg.Boxes, box)
			}
		case d.Column != "":
			for _, c := range tg.Columns {
				if c.Key == d.Column {
					dg.Boxes = append(dg.Boxes, c.Band)
				}
			}
		default:
			for _, reg := range tg.Regions {
				dg.Boxes = append(dg.Boxes, reg.BBox)
			}
		}
		if len(dg.Boxes) > 0 {
			out = append(out, dg)
		}
	}
	return out
}

// columnCell is the row's cell in column key, or, when the row has no value
// there, the row's height across the column's band.
func columnCell(r RowGeometry, key string, cols []ColumnGeometry) yusuan.Rect {
	for _, c := range r.Cells {
		if c.Column == key {
			return c.BBox
		}
	}
	for _, c := range cols {
		if c.Key == key && (c.Side == r.Side || c.Side == "") {
			return yusuan.Rect{c.Band[0], r.BBox[1], c.Band[2], r.BBox[3]}
		}
	}
	return r.BBox
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// rect is a box in display space (y up), x0 ≤ x1, y0 ≤ y1.
type rect struct{ x0, y0, x1, y1 float64 }

func fromRect(r yusuan.Rect) rect {
	return rect{math.Min(r[0], r[2]), math.Min(r[1], r[3]), math.Max(r[0], r[2]), math.Max(r[1], r[3])}
}

func (r rect) yusuan() yusuan.Rect { return yusuan.Rect{r.x0, r.y0, r.x1, r.y1} }

func (r rect) union(o rect) rect {
	return rect{math.Min(r.x0, o.x0), math.Min(r.y0, o.y0), math.Max(r.x1, o.x1), math.Max(r.y1, o.y1)}
}

func (r rect) grow(d float64) rect { return rect{r.x0 - d, r.y0 - d, r.x1 + d, r.y1 + d} }

func (r rect) contains(x, y float64) bool { return x >= r.x0 && x <= r.x1 && y >= r.y0 && y <= r.y1 }

func overlapX(a, b rect) bool { return math.Min(a.x1, b.x1) > math.Max(a.x0, b.x0) }
