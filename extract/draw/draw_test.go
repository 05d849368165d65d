package draw

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"unicode"

	"yusuan"
	"yusuan/extract"
	"yusuan/extract/layout"
	"yusuan/extract/textlayer"
	"yusuan/fixtures/synth"
	"yusuan/fixtures/synth/render"
)

var update = flag.Bool("update", false, "rewrite the golden SVGs in testdata")

const fixtures = "../../fixtures/testdata/pdf"

// readPDF reads a PDF's lines and tables as `yusuan debug` does.
func readPDF(t *testing.T, data []byte) ([]layout.Page, []yusuan.Table) {
	t.Helper()
	txt, err := extract.ReadText(context.Background(), data, extract.Options{})
	if txt == nil {
		t.Fatal(err)
	}
	doc := extract.Extract(context.Background(), data, "x.pdf", extract.Options{})
	if doc.Error != "" {
		t.Fatal(doc.Error)
	}
	return txt.Pages, doc.Tables
}

func fixture(t *testing.T, name string) ([]layout.Page, []yusuan.Table) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(fixtures, name))
	if err != nil {
		t.Fatal(err)
	}
	return readPDF(t, data)
}

// seed renders the seed disclosure (阳泉市生态环境局城区分局) in style i.
func seed(t *testing.T, i int) ([]layout.Page, []yusuan.Table) {
	t.Helper()
	pdf, err := render.Render(synth.Seed(), render.Styles()[i])
	if err != nil {
		t.Fatal(err)
	}
	return readPDF(t, pdf)
}

// seedTotal finds the 支出总表's 合计 row and its page.
func seedTotal(t *testing.T, tables []yusuan.Table) (int, yusuan.Row) {
	t.Helper()
	for i, tb := range tables {
		if tb.Kind != yusuan.ExpenditureSummary {
			continue
		}
		for _, r := range tb.Rows {
			if r.Name == "合计" && r.Values["total"].String() == "108.22" {
				return i, r
			}
		}
	}
	t.Fatal("no 支出总表 合计 108.22 in the seed")
	return 0, yusuan.Row{}
}

// glyphs lays out s from x on baseline y: CJK one em wide, the rest half.
func glyphs(s string, x, y, size float64) []textlayer.Glyph {
	var out []textlayer.Glyph
	for _, r := range s {
		adv := size / 2
		if unicode.Is(unicode.Han, r) || r >= 0xFF00 {
			adv = size
		}
		out = append(out, textlayer.Glyph{Text: string(r), X: x, Y: y, Adv: adv, Size: size})
		x += adv
	}
	return out
}

// box is the box layout gives a run of glyphs.
func box(gs []textlayer.Glyph) yusuan.Rect {
	last := gs[len(gs)-1]
	return yusuan.Rect{gs[0].X, gs[0].Y - 0.15*gs[0].Size, last.X + last.Adv, gs[0].Y + 0.85*gs[0].Size}
}

// handmade is a small 支出总表 page whose table carries everything the
// extractor can record: areas, header and column boxes, doubts.
func handmade() PageInput {
	var gs []textlayer.Glyph
	add := func(s string, x, y, size float64) yusuan.Rect {
		g := glyphs(s, x, y, size)
		gs = append(gs, g...)
		return box(g)
	}
	add("2026年预算支出总表", 120, 270, 12)
	add("单位：万元", 330, 250, 9)
	add("项目", 40, 230, 9)
	hTotal := add("合计", 202, 230, 9)
	hBasic := add("基本支出", 280, 230, 9)
	hProject := add("项目支出", 350, 230, 9)
	type cell struct {
		key, text string
		x         float64
	}
	rows := []struct {
		code, name string
		y          float64
		cells      []cell
	}{
		{"", "合计", 210, []cell{{"total", "108.22", 215}, {"basic", "97.42", 297.5}, {"project", "10.80", 367.5}}},
		{"201", "一般公共服务支出", 195, []cell{{"total", "0.13", 224}, {"basic", "0.13", 302}}},
		{"208", "社会保障和就业支出", 180, []cell{{"total", "108.09", 215}, {"basic", "97.29", 297.5}, {"project", "10.80", 367.5}}},
	}
	tb := yusuan.Table{Kind: yusuan.ExpenditureSummary, Label: "表3", Title: "2026年预算支出总表", Pages: []int{1}, Unit: "万元",
		Columns: []string{"total", "basic", "project"}, Headers: map[string]string{"total": "合计", "basic": "基本支出", "project": "项目支出"}}
	for _, r := range rows {
		row := yusuan.Row{Name: r.name, Page: 1, Values: map[string]yusuan.Amount{}, Boxes: map[string]yusuan.Rect{}}
		x := 40.0
		var b yusuan.Rect
		if r.code != "" {
			code := r.code
			row.Code = &code
			b = add(r.code, x, r.y, 9)
			x = 70
		}
		nb := add(r.name, x, r.y, 9)
		if r.code == "" {
			b = nb
		}
		for _, c := range r.cells {
			cb := add(c.text, c.x, r.y, 9)
			row.Values[c.key] = yusuan.MustAmount(c.text)
			row.Boxes[c.key] = cb
			b[2] = math.Max(b[2], cb[2])
		}
		row.BBox = &b
		tb.Rows = append(tb.Rows, row)
	}
	header := yusuan.Rect{38, 226, 395, 240}
	tb.Areas = []yusuan.Area{{Page: 1, BBox: yusuan.Rect{38, 176, 395, 240}, Header: &header,
		Columns: map[string]yusuan.Rect{"total": hTotal, "basic": hBasic, "project": hProject}}}
	tb.Doubts = []yusuan.Doubt{
		{Reason: yusuan.DoubtGuessedColumn, Column: "project", Note: "header read by position"},
		{Reason: yusuan.DoubtSplitRow, Rows: []int{2}},
		{Reason: yusuan.DoubtSide, Rows: []int{1}, Column: "basic"},
		{Reason: yusuan.DoubtUnbalanced, Note: "合计 ≠ Σ"},
		{Reason: yusuan.DoubtCutShort, Rows: []int{7}}, // a row on another page: not drawn here
	}
	page := layout.Build(textlayer.Page{Number: 1, Width: 420, Height: 300, Glyphs: gs, Fonts: []string{"SimSun"},
		Rules: []textlayer.Rule{{X0: 38, Y0: 240, X1: 395, Y1: 240}, {X0: 38, Y0: 176, X1: 395, Y1: 176}, {X0: 38, Y0: 226, X1: 395, Y1: 226, Fill: true}}}, layout.Options{})
	return PageInput{Page: page, Tables: []yusuan.Table{{Kind: yusuan.Other, Title: "elsewhere", Pages: []int{2}}, tb}}
}

// hostile is a page whose text, titles and labels try to break out of the
// markup.
const hostileText = `<script>alert("x&y")</script>'`

func hostile() (PageInput, Options) {
	gs := glyphs(hostileText, 40, 100, 10)
	gs = append(gs, glyphs("]]><!-- \x01 -->", 40, 80, 10)...)
	page := layout.Build(textlayer.Page{Number: 1, Width: 300, Height: 150, Glyphs: gs, Fonts: []string{"F"}}, layout.Options{})
	b := box(gs[:len([]rune(hostileText))])
	tb := yusuan.Table{Kind: "<b>kind</b>", Title: `表"&<b>`, Label: "</svg>", Pages: []int{1}, Unit: "<u>",
		Headers: map[string]string{"c\"1": `a"b<`}, Doubts: []yusuan.Doubt{{Reason: "<x>", Note: "&amp;"}},
		Rows: []yusuan.Row{{Name: "<img src=x onerror=alert(1)>", Page: 1, BBox: &b, Values: map[string]yusuan.Amount{"c\"1": yusuan.MustAmount("1.00")},
			Raw: map[string]string{"c\"1": "<1>"}, Boxes: map[string]yusuan.Rect{"c\"1": b}}}}
	return PageInput{Page: page, Tables: []yusuan.Table{tb}}, Options{Layers: AllLayers, Highlights: []Highlight{{BBox: b, Label: "</svg><script>", Role: `"`}}}
}

func TestGolden(t *testing.T) {
	seedPages, seedTables := seed(t, 0)
	_, total := seedTotal(t, seedTables)
	seedPage := seedPages[total.Page-1]
	cite := func(key, role string) Highlight {
		return Highlight{Page: total.Page, BBox: total.Boxes[key], Role: role, Label: role + " " + total.Values[key].String() + " 万元"}
	}
	hl := []Highlight{cite("total", "actual"), cite("basic", "part"), cite("project", "part")}
	page := func(name string) PageInput {
		pages, tables := fixture(t, name)
		return PageInput{Page: pages[0], Tables: tables}
	}
	hin, hopt := hostile()
	tests := []struct {
		name string
		in   PageInput
		opt  Options
	}{
		{"seed_all", PageInput{Page: seedPage, Tables: seedTables}, Options{Layers: AllLayers, Highlights: hl[:1]}},
		{"seed_evidence_crop", PageInput{Page: seedPage, Tables: seedTables}, Options{Highlights: hl, Crop: true}},
		{"handmade_areas_doubts", handmade(), Options{Layers: AllLayers}},
		{"rotated_page", page("rotated_page.pdf"), Options{Layers: AllLayers}},
		{"rotated_text", page("rotated_text.pdf"), Options{Layers: Segments}},
		{"image_only", page("image_only.pdf"), Options{Layers: AllLayers}},
		{"hostile", hin, hopt},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := Page(&b, tc.in, tc.opt); err != nil {
				t.Fatal(err)
			}
			wellFormed(t, b.Bytes())
			// Same input, same bytes: nothing depends on map order.
			var again bytes.Buffer
			if err := Page(&again, tc.in, tc.opt); err != nil || !bytes.Equal(b.Bytes(), again.Bytes()) {
				t.Fatalf("second drawing differs (err %v)", err)
			}
			golden := filepath.Join("testdata", tc.name+".svg")
			if *update {
				if err := os.WriteFile(golden, b.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (go test -update writes it)", err)
			}
			if !bytes.Equal(b.Bytes(), want) {
				got, exp := strings.Split(b.String(), "\n"), strings.Split(string(want), "\n")
				for i := range min(len(got), len(exp)) {
					if got[i] != exp[i] {
						t.Fatalf("differs from %s at line %d:\n got %s\nwant %s\n(go test -update rewrites it after a wanted change)", golden, i+1, got[i], exp[i])
					}
				}
				t.Fatalf("differs from %s: %d lines, want %d", golden, len(got), len(exp))
			}
		})
	}
}

// element is an SVG element as parsed back, with the classes of the groups
// around it.
type element struct {
	name    string
	attrs   map[string]string
	text    string // character data directly inside
	title   string
	classes []string
}

func (e element) num(t *testing.T, name string) float64 {
	t.Helper()
	v, err := strconv.ParseFloat(strings.Fields(e.attrs[name])[0], 64)
	if err != nil {
		t.Fatalf("%s %s=%q: %v", e.name, name, e.attrs[name], err)
	}
	return v
}

func (e element) in(class string) bool {
	for _, c := range e.classes {
		if c == class {
			return true
		}
	}
	return false
}

// parse reads the SVG back with encoding/xml: every element, in order.
func parse(t *testing.T, svg []byte) []element {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(svg))
	var out []element
	var stack []int // indexes into out
	var classes []string
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("SVG not well-formed: %v", err)
		}
		switch tk := tok.(type) {
		case xml.StartElement:
			if len(stack) == 0 && len(out) > 0 {
				t.Fatalf("a second root element <%s>", tk.Name.Local)
			}
			e := element{name: tk.Name.Local, attrs: map[string]string{}, classes: append([]string(nil), classes...)}
			for _, a := range tk.Attr {
				e.attrs[a.Name.Local] = a.Value
			}
			out = append(out, e)
			stack = append(stack, len(out)-1)
			classes = append(classes, e.attrs["class"])
		case xml.EndElement:
			stack, classes = stack[:len(stack)-1], classes[:len(classes)-1]
		case xml.CharData:
			if len(stack) == 0 {
				continue
			}
			top := &out[stack[len(stack)-1]]
			if top.name == "title" && len(stack) > 1 {
				out[stack[len(stack)-2]].title += string(tk)
			}
			top.text += string(tk)
		}
	}
	if len(out) == 0 || out[0].name != "svg" || out[0].attrs["viewBox"] == "" {
		t.Fatalf("no <svg viewBox> root")
	}
	return out
}

func wellFormed(t *testing.T, svg []byte) { t.Helper(); parse(t, svg) }

// svgRect is a <rect>'s box in SVG space.
func svgRect(t *testing.T, e element) [4]float64 {
	x, y := e.num(t, "x"), e.num(t, "y")
	return [4]float64{x, y, x + e.num(t, "width"), y + e.num(t, "height")}
}

// textBox is a horizontal <text>'s box in SVG space: from its first x to
// its last character's x plus half an em (digits), baseline ± the glyph's
// ascent and descent.
func textBox(t *testing.T, e element) [4]float64 {
	xs := strings.Fields(e.attrs["x"])
	x0 := e.num(t, "x")
	x1, _ := strconv.ParseFloat(xs[len(xs)-1], 64)
	y, size := e.num(t, "y"), e.num(t, "font-size")
	return [4]float64{x0, y - 0.85*size, x1 + 0.5*size, y + 0.15*size}
}

func inside(a, b [4]float64) bool {
	const eps = 0.02
	return a[0] >= b[0]-eps && a[1] >= b[1]-eps && a[2] <= b[2]+eps && a[3] <= b[3]+eps
}

// TestHighlightedCellHoldsItsText: on the seed's 支出总表, the text
// "108.22" of the 合计 row lies inside the outline drawn for its cell and
// inside the highlight, after the flip to SVG space; no other text does.
func TestHighlightedCellHoldsItsText(t *testing.T) {
	for _, style := range []int{0, 1} {
		t.Run(fmt.Sprint(style), func(t *testing.T) {
			pages, tables := seed(t, style)
			_, total := seedTotal(t, tables)
			var b bytes.Buffer
			err := Page(&b, PageInput{Page: pages[total.Page-1], Tables: tables},
				Options{Layers: AllLayers, Highlights: []Highlight{{Page: total.Page, BBox: total.Boxes["total"], Label: "actual 108.22 万元", Role: "actual"}}})
			if err != nil {
				t.Fatal(err)
			}
			els := parse(t, b.Bytes())
			var hl, cell [][4]float64
			for _, e := range els {
				if e.name != "rect" {
					continue
				}
				if e.in("highlights") {
					hl = append(hl, svgRect(t, e))
				}
				if e.in("cells") && strings.HasPrefix(e.title, "total = 108.22 万元") && strings.Contains(e.title, "合计") {
					cell = append(cell, svgRect(t, e))
				}
			}
			if len(hl) != 1 || len(cell) != 1 {
				t.Fatalf("%d highlight outlines, %d cell outlines of 合计 total; want 1 each", len(hl), len(cell))
			}
			in := 0
			for _, e := range els {
				if e.name != "text" || !e.in("text") {
					continue
				}
				tb := textBox(t, e)
				if inside(tb, hl[0]) {
					in++
					if e.text != "108.22" {
						t.Errorf("text %q inside the highlight", e.text)
					}
					if !inside(tb, cell[0]) {
						t.Errorf("108.22 at %v outside its cell outline %v", tb, cell[0])
					}
				}
			}
			if in != 1 {
				t.Errorf("%d texts inside the highlight %v, want 108.22 alone", in, hl[0])
			}
			// And the label says what was cited.
			found := false
			for _, e := range els {
				found = found || (e.name == "text" && e.in("labels") && e.text == "actual 108.22 万元")
			}
			if !found {
				t.Error("no label \"actual 108.22 万元\"")
			}
		})
	}
}

func TestCropShowsTheRowNameAndHeaders(t *testing.T) {
	pages, tables := seed(t, 0)
	_, total := seedTotal(t, tables)
	p := pages[total.Page-1]
	var b bytes.Buffer
	if err := Page(&b, PageInput{Page: p, Tables: tables}, Options{Crop: true, Margin: 10, Highlights: []Highlight{{BBox: total.Boxes["project"], Label: "expected 10.80"}}}); err != nil {
		t.Fatal(err)
	}
	vb := strings.Fields(parse(t, b.Bytes())[0].attrs["viewBox"])
	var v [4]float64
	for i, f := range vb {
		v[i], _ = strconv.ParseFloat(f, 64)
	}
	row := *total.BBox
	// The crop spans the row from its name to the cited value and the
	// table's column headers above it, plus the margin, clipped to the
	// page; not the whole page.
	top, bottom := p.Height-v[1], p.Height-v[1]-v[3]
	if v[0] > row[0]-10+0.01 || v[0]+v[2] < math.Min(row[2]+10, p.Width)-0.01 || bottom > row[1]-10+0.01 || v[3] > p.Height/2 {
		t.Errorf("viewBox %v does not hold row %v on a %gx%g page", v, row, p.Width, p.Height)
	}
	header := false
	for _, tg := range Measure(PageInput{Page: p, Tables: tables}).Tables {
		for _, r := range tg.Regions {
			if r.Header != nil && fromRect(r.BBox).contains(row[0]+1, (row[1]+row[3])/2) {
				header = true
				if r.Header[3] > top+0.01 {
					t.Errorf("crop top %.2f cuts the column headers %v", top, *r.Header)
				}
			}
		}
	}
	if !header {
		t.Error("the seed's 收支总表 has no header box")
	}
	// No line of text is cut through by the crop's top or bottom edge.
	for _, l := range p.Lines {
		if l.X1 < v[0] || l.X0 > v[0]+v[2] {
			continue
		}
		for _, edge := range []float64{top, bottom} {
			if l.Y0 < edge-0.01 && l.Y1 > edge+0.01 {
				t.Errorf("edge %.2f cuts line %q (%.2f–%.2f)", edge, l.Text(), l.Y0, l.Y1)
			}
		}
	}
	if strings.Contains(b.String(), `class="legend"`) || strings.Contains(b.String(), `class="rows"`) {
		t.Error("a crop without layers draws a legend or rows")
	}
}

func TestMeasureHandmade(t *testing.T) {
	g := Measure(handmade())
	if len(g.Tables) != 1 || g.Tables[0].Index != 1 {
		t.Fatalf("tables %+v; want the table at index 1 only", g.Tables)
	}
	tg := g.Tables[0]
	if len(tg.Regions) != 1 || tg.Regions[0].FromRows || tg.Regions[0].BBox != (yusuan.Rect{38, 176, 395, 240}) {
		t.Errorf("regions %+v", tg.Regions)
	}
	wantCols := []struct {
		key    string
		x0, x1 float64
		cells  int
	}{{"total", 202, 242, 3}, {"basic", 280, 320, 3}, {"project", 350, 390, 2}}
	if len(tg.Columns) != 3 {
		t.Fatalf("columns %+v", tg.Columns)
	}
	for i, w := range wantCols {
		c := tg.Columns[i]
		if c.Key != w.key || c.Band != (yusuan.Rect{w.x0, 176, w.x1, 240}) || c.Cells != w.cells || c.HeaderBox == nil || c.Header == "" {
			t.Errorf("column %d: %+v; want %s band x %g–%g, y 176–240, %d cells", i, c, w.key, w.x0, w.x1, w.cells)
		}
	}
	rowBox := func(i int) yusuan.Rect { return tg.Rows[i].BBox }
	want := []struct {
		reason yusuan.DoubtReason
		boxes  []yusuan.Rect
	}{
		{yusuan.DoubtGuessedColumn, []yusuan.Rect{tg.Columns[2].Band}},
		{yusuan.DoubtSplitRow, []yusuan.Rect{rowBox(2)}},
		{yusuan.DoubtSide, []yusuan.Rect{{302, 195 - 1.35, 320, 195 + 7.65}}},
		{yusuan.DoubtUnbalanced, []yusuan.Rect{{38, 176, 395, 240}}},
	}
	if len(tg.Doubts) != len(want) {
		t.Fatalf("doubts %+v; want %d (cut_short's row is on another page)", tg.Doubts, len(want))
	}
	for i, w := range want {
		d := tg.Doubts[i]
		if d.Reason != w.reason || len(d.Boxes) != len(w.boxes) {
			t.Errorf("doubt %d: %+v, want %s", i, d, w.reason)
			continue
		}
		for k := range w.boxes {
			for j := range 4 {
				if math.Abs(d.Boxes[k][j]-w.boxes[k][j]) > 1e-9 {
					t.Errorf("doubt %s box %v, want %v", d.Reason, d.Boxes[k], w.boxes[k])
					break
				}
			}
		}
	}
}

// TestColumnsWithoutAreas: with no areas recorded, a table's region is the
// union of its rows, and a two-sided table keeps one band per side.
func TestColumnsWithoutAreas(t *testing.T) {
	row := func(side yusuan.Side, x float64, y float64) yusuan.Row {
		b := yusuan.Rect{x, y, x + 20, y + 9}
		return yusuan.Row{Side: side, Page: 3, BBox: &yusuan.Rect{x - 100, y, x + 20, y + 9}, Values: map[string]yusuan.Amount{"amount": yusuan.MustAmount("1")}, Boxes: map[string]yusuan.Rect{"amount": b}}
	}
	tb := yusuan.Table{Kind: yusuan.FiscalSummary, Pages: []int{3}, Rows: []yusuan.Row{
		row(yusuan.SideIncome, 200, 500), row(yusuan.SideExpenditure, 450, 500), row(yusuan.SideIncome, 200, 480), row(yusuan.SideExpenditure, 452, 480)}}
	g := Measure(PageInput{Page: layout.Page{Number: 3, Width: 595, Height: 842}, Tables: []yusuan.Table{tb}})
	tg := g.Tables[0]
	if len(tg.Regions) != 1 || !tg.Regions[0].FromRows || tg.Regions[0].BBox != (yusuan.Rect{100, 480, 472, 509}) {
		t.Errorf("regions %+v", tg.Regions)
	}
	if len(tg.Columns) != 2 || tg.Columns[0].Side != yusuan.SideIncome || tg.Columns[0].Band != (yusuan.Rect{200, 480, 220, 509}) ||
		tg.Columns[1].Side != yusuan.SideExpenditure || tg.Columns[1].Band != (yusuan.Rect{450, 480, 472, 509}) {
		t.Errorf("columns %+v", tg.Columns)
	}
}

// TestTwoSidedAreaColumns: in a two-sided table the area names columns
// "side:key"; each heading box joins the band of its own side.
func TestTwoSidedAreaColumns(t *testing.T) {
	row := func(side yusuan.Side, x float64, y float64) yusuan.Row {
		return yusuan.Row{Side: side, Page: 1, BBox: &yusuan.Rect{x - 100, y, x + 20, y + 9}, Values: map[string]yusuan.Amount{"amount": yusuan.MustAmount("1")},
			Boxes: map[string]yusuan.Rect{"amount": {x, y, x + 20, y + 9}}}
	}
	hdr := yusuan.Rect{100, 515, 480, 530}
	tb := yusuan.Table{Kind: yusuan.IncomeExpenditureSummary, Pages: []int{1},
		Rows: []yusuan.Row{row(yusuan.SideIncome, 200, 500), row(yusuan.SideExpenditure, 450, 500)},
		Areas: []yusuan.Area{{Page: 1, BBox: yusuan.Rect{100, 500, 480, 530}, Header: &hdr, Columns: map[string]yusuan.Rect{
			"income:amount": {190, 515, 225, 530}, "expenditure:amount": {440, 515, 475, 530}, "expenditure:total": {300, 515, 330, 530}}}}}
	cols := Measure(PageInput{Page: layout.Page{Number: 1, Width: 595, Height: 842}, Tables: []yusuan.Table{tb}}).Tables[0].Columns
	want := []ColumnGeometry{
		{Key: "amount", Side: yusuan.SideIncome, Band: yusuan.Rect{190, 500, 225, 530}, Cells: 1},
		{Key: "total", Side: yusuan.SideExpenditure, Band: yusuan.Rect{300, 500, 330, 530}},
		{Key: "amount", Side: yusuan.SideExpenditure, Band: yusuan.Rect{440, 500, 475, 530}, Cells: 1},
	}
	if len(cols) != len(want) {
		t.Fatalf("columns %+v", cols)
	}
	for i, w := range want {
		c := cols[i]
		if c.Key != w.Key || c.Side != w.Side || c.Band != w.Band || c.Cells != w.Cells || c.HeaderBox == nil {
			t.Errorf("column %d: %+v, want %+v", i, c, w)
		}
	}
}

func TestHostileTextEscaped(t *testing.T) {
	in, opt := hostile()
	var b bytes.Buffer
	if err := Page(&b, in, opt); err != nil {
		t.Fatal(err)
	}
	els := parse(t, b.Bytes())
	var texts []string
	for _, e := range els {
		if e.name == "script" || e.name == "img" || e.name == "b" || e.name == "u" || e.name == "x" {
			t.Errorf("markup from page text became an element: <%s>", e.name)
		}
		if e.name == "text" {
			texts = append(texts, e.text)
		}
	}
	all := strings.Join(texts, "\n")
	for _, want := range []string{hostileText, "]]><!--\uFFFD-->", "</svg><script>"} {
		if !strings.Contains(all, want) {
			t.Errorf("text %q not drawn as text; texts:\n%s", want, all)
		}
	}
	if strings.Count(b.String(), "<svg") != 1 || strings.Count(b.String(), "</svg>") != 1 {
		t.Error("the drawing holds more than one svg element")
	}
}

// TestRotatedPages: /Rotate 90 gives a landscape drawing with the text
// upright (no turn) inside the page; text drawn at 90°, 180° and 270° is
// turned to its direction around its baseline's start, inside the page.
func TestRotatedPages(t *testing.T) {
	pages, tables := fixture(t, "rotated_page.pdf")
	p := pages[0]
	if !(p.Width > p.Height) {
		t.Fatalf("rotated page %gx%g, want landscape", p.Width, p.Height)
	}
	var b bytes.Buffer
	if err := Page(&b, PageInput{Page: p, Tables: tables}, Options{}); err != nil {
		t.Fatal(err)
	}
	els := parse(t, b.Bytes())
	if vb := els[0].attrs["viewBox"]; vb != fmt.Sprintf("0 0 %s %s", trim(p.Width), trim(p.Height)) {
		t.Errorf("viewBox %q", vb)
	}
	found := false
	for _, e := range els {
		if e.name != "text" || !e.in("text") {
			continue
		}
		if e.text == "一般公共服务支出" && e.attrs["transform"] == "" {
			found = true
			tb := textBox(t, e)
			if !inside(tb, [4]float64{0, 0, p.Width, p.Height}) {
				t.Errorf("%q at %v outside the page", e.text, tb)
			}
		}
	}
	if !found {
		t.Error("一般公共服务支出 not drawn upright")
	}

	pages, _ = fixture(t, "rotated_text.pdf")
	b.Reset()
	if err := Page(&b, PageInput{Page: pages[0]}, Options{}); err != nil {
		t.Fatal(err)
	}
	turns := map[string]string{}
	for _, e := range parse(t, b.Bytes()) {
		if e.name == "text" && e.attrs["transform"] != "" {
			turns[e.text] = strings.Fields(strings.TrimPrefix(e.attrs["transform"], "rotate("))[0]
			x, y := e.num(t, "x"), e.num(t, "y")
			if want := fmt.Sprintf("rotate(%s %s %s)", turns[e.text], e.attrs["x"], e.attrs["y"]); e.attrs["transform"] != want || x < 0 || x > pages[0].Width || y < 0 || y > pages[0].Height {
				t.Errorf("%q: transform %q at (%g, %g)", e.text, e.attrs["transform"], x, y)
			}
		}
	}
	want := map[string]string{"一般公共服务支出": "-90", "教育支出 97.42": "90", "科学技术支出 10.80": "180"}
	for text, turn := range want {
		if turns[text] != turn {
			t.Errorf("%q turned %q, want %s (all: %v)", text, turns[text], turn, turns)
		}
	}
}

func TestImageOnlyAndBadPages(t *testing.T) {
	pages, _ := fixture(t, "image_only.pdf")
	var b bytes.Buffer
	if err := Page(&b, PageInput{Page: pages[0]}, Options{Layers: AllLayers}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "no text layer on this page: 1 image(s) only") || !strings.Contains(b.String(), `class="page"`) {
		t.Errorf("image-only page:\n%s", b.String())
	}
	for _, p := range []layout.Page{{Number: 2}, {Number: 3, Width: 100, Height: math.NaN()}, {Number: 4, Width: math.Inf(1), Height: 5}} {
		if err := Page(io.Discard, PageInput{Page: p}, Options{}); !errors.Is(err, ErrNoPage) {
			t.Errorf("page %+v: err %v, want ErrNoPage", p, err)
		}
	}
}

func TestEvidenceHighlights(t *testing.T) {
	b := yusuan.Rect{1, 2, 3, 4}
	ev := []yusuan.Evidence{
		{Role: "actual", SHA256: "a", Page: 6, BBox: &b, Amount: yusuan.MustAmount("108.32"), Unit: "万元"},
		{Role: "expected", SHA256: "a", Page: 6, BBox: &b, Amount: yusuan.MustAmount("108.22"), Unit: "万元"},
		{Role: "part", SHA256: "b", Page: 6, BBox: &b, Amount: yusuan.MustAmount("1")},
		{Role: "actual", SHA256: "a", Kind: "narrative", Table: -1, Amount: yusuan.MustAmount("2")},
	}
	got := EvidenceHighlights(ev, "a")
	if len(got) != 2 || got[0].Label != "actual 108.32 万元" || got[1].Label != "expected 108.22 万元" || got[0].Page != 6 || got[1].Role != "expected" || got[0].BBox != b {
		t.Errorf("%+v", got)
	}
}

func BenchmarkPage(b *testing.B) {
	in := handmade()
	for b.Loop() {
		if err := Page(io.Discard, in, Options{Layers: AllLayers}); err != nil {
			b.Fatal(err)
		}
	}
}

// FuzzPage: whatever the page's text, titles and labels hold, the drawing
// is one well-formed SVG document that shows the text as text.
func FuzzPage(f *testing.F) {
	f.Add(hostileText, `表"&<b>`, "</svg>")
	f.Add("2026年预算支出总表", "收支总表", "actual 108.22 万元")
	f.Add("\x00\xff\ufffe]]>", "\u2028", "--><!--")
	f.Fuzz(func(t *testing.T, text, title, label string) {
		in, opt := hostile()
		p := layout.Build(textlayer.Page{Number: 1, Width: 300, Height: 150, Glyphs: glyphs(text, 10, 100, 10), Fonts: []string{"F"}}, layout.Options{})
		in.Page = p
		in.Tables[0].Title = title
		opt.Highlights[0].Label = label
		var b bytes.Buffer
		if err := Page(&b, in, opt); err != nil {
			t.Fatal(err)
		}
		for _, e := range parse(t, b.Bytes())[1:] {
			if e.name == "script" || e.name == "svg" {
				t.Fatalf("<%s> inside the drawing", e.name)
			}
		}
	})
}

// A figure outside every table (stated in the narrative) is cropped with
// its whole line and the lines around it, none cut at the side.
func TestCropShowsTheSentence(t *testing.T) {
	var gs []textlayer.Glyph
	lines := []string{"一、收入支出决算总体情况说明", "国家信访局2024年度收、支总计22066.59万元，与2023年", "相比，收、支总计各增加5834.37万元，增长35.74%。", "（一）收入决算具体情况"}
	for i, l := range lines {
		gs = append(gs, glyphs(l, 60, 700-float64(20*i), 12)...)
	}
	page := layout.Build(textlayer.Page{Number: 1, Width: 595, Height: 842, Glyphs: gs, Fonts: []string{"SimSun"}}, layout.Options{})
	// 35.74 on the third line: after 相比，收、支总计各增加5834.37万元，增长.
	start := len([]rune(lines[0])) + len([]rune(lines[1])) + len([]rune("相比，收、支总计各增加5834.37万元，增长"))
	fig := box(gs[start : start+5])
	var b bytes.Buffer
	if err := Page(&b, PageInput{Page: page}, Options{Crop: true, Highlights: []Highlight{{BBox: fig, Label: "actual 35.74 %"}}}); err != nil {
		t.Fatal(err)
	}
	var v [4]float64
	for i, f := range strings.Fields(parse(t, b.Bytes())[0].attrs["viewBox"]) {
		v[i], _ = strconv.ParseFloat(f, 64)
	}
	left, right, top, bottom := v[0], v[0]+v[2], page.Height-v[1], page.Height-v[1]-v[3]
	for _, l := range page.Lines {
		inside := l.Y0 >= bottom-0.01 && l.Y1 <= top+0.01
		if inside && (l.X0 < left-0.01 || l.X1 > right+0.01) {
			t.Errorf("line %q (%.1f–%.1f) cut by the crop's sides %.1f–%.1f", l.Text(), l.X0, l.X1, left, right)
		}
		if l.Text() == lines[2] && !inside {
			t.Errorf("the figure's line is not in the crop %v", v)
		}
	}
	if v[3] > 100 {
		t.Errorf("crop %v: taller than the sentence and its neighbours", v)
	}
}
