// Package textlayer walks the content streams of a PDF and returns, per page,
// every glyph with its true position, size and font, and the ruling lines
// drawn on the page. Positions are in display space: the page as shown
// (its /Rotate applied), origin at the bottom-left corner of the crop box,
// y up, in points.
package textlayer

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/ledongthuc/pdf"

	"yusuan/extract/content"
	"yusuan/extract/font"
	"yusuan/extract/limits"
	"yusuan/extract/pdfobj"
)

// Dir is the writing direction of a glyph in display space.
type Dir uint8

const (
	LeftToRight Dir = iota // ordinary horizontal text
	BottomToTop            // rotated 90° counter-clockwise
	RightToLeft            // upside down
	TopToBottom            // rotated 90° clockwise, or a vertical font
	Skewed                 // any other angle
)

// Glyph is one shown character.
type Glyph struct {
	Text   string
	X, Y   float64 // origin on the baseline
	Adv    float64 // advance width along the baseline (without Tc/Tw)
	Size   float64 // em height
	Dir    Dir
	Font   uint16 // index into Page.Fonts
	Render uint8  // text render mode; 3 is invisible (OCR layers)
}

// Rule is an axis-aligned ruling line: horizontal when Y0 == Y1, vertical
// when X0 == X1. Edges of filled rectangles wider than a hairline come with
// Fill set, so table code can tell cell shading from borders.
type Rule struct {
	X0, Y0, X1, Y1 float64
	Fill           bool
}

// Horizontal reports whether the rule runs along x.
func (r Rule) Horizontal() bool { return r.Y0 == r.Y1 }

// Page is the text layer of one page.
type Page struct {
	Number        int
	Width, Height float64 // of the visible area (rotated crop box)
	Glyphs        []Glyph
	Rules         []Rule
	Fonts         []string
	Images        int
	Warnings      []string

	// Folded counts the radicals and compatibility ideographs read as
	// unified ideographs (fold.go); ActualText the glyphs whose text a
	// marked-content /ActualText gave (actualtext.go).
	Folded, ActualText int
}

// Document is the text layer of a whole file.
type Document struct {
	Pages     []Page
	Producer  string
	Creator   string
	Encrypted bool
	Warnings  []string
	Stats     Stats
}

// Stats measure the work a file took, against the limits (docs/limits.md
// sets the defaults from them).
type Stats struct {
	Ops, Glyphs, Rules int   // in the file
	GuessedGlyphs      int   // of Glyphs, drawn with a font whose text is a guess (font.Font.Guessed)
	FormDraws          int   //
	MaxPageOps         int   // on the busiest page
	MaxPageGlyphs      int   //
	MaxPageRules       int   //
	MaxPageForms       int   //
	DecodedBytes       int64 // streams decoded from the file
	MaxStreamBytes     int64 // the largest decoded stream (page contents or form)
}

// Options bound the work.
type Options struct {
	Limits limits.Limits // zero fields take their defaults
	// Pages, when set, are the only pages read (numbers from 1); the web
	// UI draws one page of a long file without reading the others.
	Pages []int
}

// Read walks every page of the PDF in data. A page that fails keeps what was
// read before the failure and gets a warning; a page over a per-page budget
// is left out (its glyphs and rules dropped) with a warning naming the
// budget; once a per-file budget is spent the remaining pages are left out
// the same way. The other pages still come out. Read returns an error only
// when the file cannot be read at all, or with the pages read so far when
// ctx ends.
func Read(ctx context.Context, data []byte, opt Options) (*Document, error) {
	lim := opt.Limits.Fill()
	f, err := pdfobj.Open(data, lim)
	if err != nil {
		return nil, err
	}
	doc := &Document{Producer: f.Producer, Creator: f.Creator, Encrypted: f.Encrypted, Warnings: f.Warnings}
	w := &walker{file: f, lim: lim, fonts: map[fontKey]*fontEntry{}, forms: map[pdfobj.ObjID]*formEntry{}, ctx: ctx}
	for i, p := range f.Pages {
		if len(opt.Pages) > 0 && !slices.Contains(opt.Pages, p.Number) {
			continue
		}
		if err := ctx.Err(); err != nil {
			return doc, fmt.Errorf("text layer stopped at page %d: %w", p.Number, err)
		}
		if w.fileErr != nil {
			doc.Warnings = append(doc.Warnings, fmt.Sprintf("pages %d to %d left out: %v", p.Number, f.Pages[len(f.Pages)-1].Number, w.fileErr))
			for _, q := range f.Pages[i:] {
				doc.Pages = append(doc.Pages, emptyPage(q))
			}
			break
		}
		doc.Pages = append(doc.Pages, w.readPage(p))
	}
	for _, fe := range w.fontList {
		doc.Warnings = append(doc.Warnings, fe.warnings...)
	}
	w.stats.Ops, w.stats.Glyphs, w.stats.Rules, w.stats.FormDraws = w.ops, w.glyphs, w.rules, w.formDraws
	w.stats.GuessedGlyphs = w.guessedGlyphs
	w.stats.DecodedBytes = f.Decoded()
	doc.Stats = w.stats
	if err := ctx.Err(); err != nil {
		return doc, fmt.Errorf("text layer stopped: %w", err)
	}
	return doc, nil
}

type fontKey struct {
	id   pdfobj.ObjID
	name string
}

type fontEntry struct {
	f        *font.Font
	name     string
	warnings []string
}

type walker struct {
	ctx      context.Context
	file     *pdfobj.File
	lim      limits.Limits
	fonts    map[fontKey]*fontEntry
	fontList []*fontEntry
	forms    map[pdfobj.ObjID]*formEntry // decoded once, drawn many times
	// fileErr is the per-file budget spent: the pages after it are left out.
	fileErr error

	// per file
	ops, glyphs, rules, formDraws int
	guessedGlyphs                 int
	stats                         Stats
	// per page
	page                                      *Page // the page being read
	fontIndex                                 map[*fontEntry]uint16
	scratch                                   []font.Glyph
	glyphBuf                                  []Glyph // the page's glyphs while it is read
	pathRules                                 []Rule  // a path's, before they are counted
	pageOps, pageGlyphs, pageRules, pageForms int
}

// resources is a content stream's /Resources with what it has looked up
// there by name, so that a form drawn 10,000 times resolves its fonts and
// XObjects once.
type resources struct {
	v        pdf.Value
	fonts    map[string]*fontEntry
	xobjects map[string]xobject
}

// xobject is an XObject resource: its value and subtype, or why it cannot
// be read.
type xobject struct {
	v       pdf.Value
	subtype string
	err     error
}

func newResources(v pdf.Value) *resources {
	return &resources{v: v, fonts: map[string]*fontEntry{}, xobjects: map[string]xobject{}}
}

// formEntry is a form XObject read once: its content, or why it cannot be
// drawn.
type formEntry struct {
	data   []byte
	res    *resources // its own /Resources; nil when it has none
	matrix matrix
	err    error
}

// count adds n to a page and a file counter and names the budget spent.
func (w *walker) count(page, file *int, n, pageMax, fileMax int, pageLimit, fileLimit, what string) error {
	*page += n
	*file += n
	switch {
	case *file > fileMax:
		return limits.Exceeded(fileLimit, int64(fileMax), 0, what+" in the file")
	case *page > pageMax:
		return limits.Exceeded(pageLimit, int64(pageMax), 0, fmt.Sprintf("%s on page %d", what, w.page.Number))
	}
	return nil
}

func emptyPage(p pdfobj.Page) Page {
	_, pw, ph := displayMatrix(p)
	return Page{Number: p.Number, Width: pw, Height: ph}
}

type matrix [6]float64

func (m matrix) mul(n matrix) matrix {
	return matrix{
		m[0]*n[0] + m[1]*n[2], m[0]*n[1] + m[1]*n[3],
		m[2]*n[0] + m[3]*n[2], m[2]*n[1] + m[3]*n[3],
		m[4]*n[0] + m[5]*n[2] + n[4], m[4]*n[1] + m[5]*n[3] + n[5],
	}
}

func (m matrix) apply(x, y float64) (float64, float64) {
	return m[0]*x + m[2]*y + m[4], m[1]*x + m[3]*y + m[5]
}

var identity = matrix{1, 0, 0, 1, 0, 0}

type gstate struct {
	ctm                    matrix
	font                   *fontEntry
	size                   float64
	charSpace, wordSpace   float64
	scale, leading, rise   float64
	render                 int
	lineWidth              float64
	strokeWhite, fillWhite bool
}

// displayMatrix maps default user space to display space for the page.
func displayMatrix(p pdfobj.Page) (matrix, float64, float64) {
	c := p.CropBox
	w, h := c.Width(), c.Height()
	switch p.Rotate {
	case 90:
		return matrix{0, -1, 1, 0, -c[1], w + c[0]}, h, w
	case 180:
		return matrix{-1, 0, 0, -1, c[0] + w, c[1] + h}, w, h
	case 270:
		return matrix{0, 1, -1, 0, c[1] + h, -c[0]}, h, w
	}
	return matrix{1, 0, 0, 1, -c[0], -c[1]}, w, h
}

func (w *walker) readPage(p pdfobj.Page) Page {
	base, pw, ph := displayMatrix(p)
	// Glyphs are collected in a buffer kept from page to page and copied
	// out at their final length: growing each page's slice from nothing
	// was a tenth of the text layer's allocation.
	out := Page{Number: p.Number, Width: pw, Height: ph, Glyphs: w.glyphBuf[:0]}
	w.page = &out
	w.fontIndex = map[*fontEntry]uint16{}
	w.pageOps, w.pageGlyphs, w.pageRules, w.pageForms = 0, 0, 0, 0
	defer func() { w.page = nil }()
	contents, err := w.file.Get(p.V, "Contents")
	var data []byte
	if err == nil {
		data, err = w.file.ReadStream(contents)
	}
	if err == nil || !errors.Is(err, limits.ErrExceeded) {
		if err != nil {
			out.Warnings = append(out.Warnings, fmt.Sprintf("page %d: %v", p.Number, err))
		}
		gs := gstate{ctm: base, scale: 1, lineWidth: 1}
		err = w.run(data, newResources(p.Resources), gs, nil)
	}
	w.stats.MaxPageOps = max(w.stats.MaxPageOps, w.pageOps)
	w.stats.MaxPageGlyphs = max(w.stats.MaxPageGlyphs, w.pageGlyphs)
	w.stats.MaxPageRules = max(w.stats.MaxPageRules, w.pageRules)
	w.stats.MaxPageForms = max(w.stats.MaxPageForms, w.pageForms)
	w.stats.MaxStreamBytes = max(w.stats.MaxStreamBytes, int64(len(data)))
	glyphs := out.Glyphs
	w.glyphBuf, out.Glyphs = glyphs[:0], nil
	if len(glyphs) > 0 {
		out.Glyphs = slices.Clone(glyphs)
	}
	switch {
	case err == nil:
	case errors.Is(err, limits.ErrExceeded):
		// Over a budget: nothing of the page is kept, since a page cut
		// short could be misread (a table without its last rows).
		if perFile(err) {
			w.fileErr = err
		}
		return Page{Number: p.Number, Width: pw, Height: ph,
			Warnings: append(out.Warnings, fmt.Sprintf("page %d left out: %v", p.Number, err))}
	default:
		out.Warnings = append(out.Warnings, fmt.Sprintf("page %d: %v", p.Number, err))
	}
	out.Folded = foldGlyphs(out.Glyphs)
	return out
}

// perFile reports a budget of the whole file: once it is spent, every
// later page is left out too.
func perFile(err error) bool {
	var le *limits.Error
	if !errors.As(err, &le) {
		return false
	}
	switch le.Limit {
	case "MaxDecodedBytes", "MaxOpsPerDocument", "MaxGlyphsPerDocument", "MaxRulesPerDocument", "MaxFormsPerDocument":
		return true
	}
	return false
}

// run interprets one content stream (a page or a form) with its resources.
// forms holds the forms being drawn, to cut cycles.
func (w *walker) run(data []byte, res *resources, gs gstate, forms []pdfobj.ObjID) (err error) {
	defer func() {
		if x := recover(); x != nil {
			err = fmt.Errorf("content stream: %w: %v", pdfobj.ErrDamaged, x)
		}
	}()
	var stack []gstate
	var tm, tlm matrix
	var path pathBuilder
	var mc markedContent
	defer mc.close(w)
	return content.Parse(data, w.lim, func(op []byte, args []content.Operand) error {
		if err := w.count(&w.pageOps, &w.ops, 1, w.lim.MaxOpsPerPage, w.lim.MaxOpsPerDocument, "MaxOpsPerPage", "MaxOpsPerDocument", "operators"); err != nil {
			return err
		}
		if w.ops&4095 == 0 && w.ctx.Err() != nil {
			return w.ctx.Err()
		}
		num := func(i int) float64 {
			if i < len(args) {
				return args[i].Num
			}
			return 0
		}
		switch string(op) {
		case "q":
			if len(stack) < 256 {
				stack = append(stack, gs)
			}
		case "Q":
			if n := len(stack); n > 0 { // an unbalanced Q is ignored
				gs, stack = stack[n-1], stack[:n-1]
			}
		case "cm":
			if len(args) >= 6 {
				gs.ctm = matrix{num(0), num(1), num(2), num(3), num(4), num(5)}.mul(gs.ctm)
			}
		case "w":
			gs.lineWidth = num(0)
		case "g":
			gs.fillWhite = num(0) >= 0.99
		case "G":
			gs.strokeWhite = num(0) >= 0.99
		case "rg":
			gs.fillWhite = num(0) >= 0.99 && num(1) >= 0.99 && num(2) >= 0.99
		case "RG":
			gs.strokeWhite = num(0) >= 0.99 && num(1) >= 0.99 && num(2) >= 0.99
		case "k":
			gs.fillWhite = num(0)+num(1)+num(2)+num(3) <= 0.01
		case "K":
			gs.strokeWhite = num(0)+num(1)+num(2)+num(3) <= 0.01
		case "BT":
			tm, tlm = identity, identity
		case "Tc":
			gs.charSpace = num(0)
		case "Tw":
			gs.wordSpace = num(0)
		case "Tz":
			gs.scale = num(0) / 100
		case "TL":
			gs.leading = num(0)
		case "Ts":
			gs.rise = num(0)
		case "Tr":
			gs.render = int(num(0))
		case "Tf":
			if len(args) >= 2 && args[0].Kind == content.Name {
				name := string(args[0].Bytes)
				fe, ok := res.fonts[name]
				if !ok {
					fe = w.loadFont(res.v, name)
					res.fonts[name] = fe
				}
				gs.font, gs.size = fe, num(1)
			}
		case "Td":
			tlm = matrix{1, 0, 0, 1, num(0), num(1)}.mul(tlm)
			tm = tlm
		case "TD":
			gs.leading = -num(1)
			tlm = matrix{1, 0, 0, 1, num(0), num(1)}.mul(tlm)
			tm = tlm
		case "Tm":
			if len(args) >= 6 {
				tlm = matrix{num(0), num(1), num(2), num(3), num(4), num(5)}
				tm = tlm
			}
		case "T*":
			tlm = matrix{1, 0, 0, 1, 0, -gs.leading}.mul(tlm)
			tm = tlm
		case "Tj":
			if len(args) >= 1 {
				return w.show(&gs, &tm, args[len(args)-1].Bytes)
			}
		case "'":
			tlm = matrix{1, 0, 0, 1, 0, -gs.leading}.mul(tlm)
			tm = tlm
			if len(args) >= 1 {
				return w.show(&gs, &tm, args[len(args)-1].Bytes)
			}
		case "\"":
			if len(args) >= 3 {
				gs.wordSpace, gs.charSpace = num(0), num(1)
				tlm = matrix{1, 0, 0, 1, 0, -gs.leading}.mul(tlm)
				tm = tlm
				return w.show(&gs, &tm, args[2].Bytes)
			}
		case "TJ":
			if len(args) >= 1 && args[len(args)-1].Kind == content.Array {
				for _, el := range args[len(args)-1].Arr {
					switch el.Kind {
					case content.String:
						if err := w.show(&gs, &tm, el.Bytes); err != nil {
							return err
						}
					case content.Number:
						adj := -el.Num / 1000 * gs.size
						if gs.font != nil && gs.font.f != nil && gs.font.f.Vertical() {
							tm = matrix{1, 0, 0, 1, 0, adj}.mul(tm)
						} else {
							tm = matrix{1, 0, 0, 1, adj * gs.scale, 0}.mul(tm)
						}
					}
				}
			}
		case "m":
			path.move(gs.ctm, num(0), num(1))
		case "l":
			path.line(gs.ctm, num(0), num(1))
		case "re":
			path.rect(gs.ctm, num(0), num(1), num(2), num(3))
		case "h":
			path.close()
		case "c":
			path.curve(gs.ctm, num(0), num(1), num(2), num(3), num(4), num(5))
		case "v", "y":
			path.curve(gs.ctm, num(0), num(1), num(2), num(3))
		case "S", "s":
			if string(op) == "s" {
				path.close()
			}
			var err error
			if !gs.strokeWhite {
				w.pathRules = path.stroke(w.pathRules[:0])
				err = w.addRules(w.pathRules)
			}
			path.reset()
			return err
		case "f", "F", "f*":
			var err error
			if !gs.fillWhite {
				w.pathRules = path.fill(w.pathRules[:0])
				err = w.addRules(w.pathRules)
			}
			path.reset()
			return err
		case "B", "B*", "b", "b*":
			var err error
			if !gs.strokeWhite {
				w.pathRules = path.stroke(w.pathRules[:0])
				err = w.addRules(w.pathRules)
			}
			path.reset()
			return err
		case "n":
			path.reset()
		case "BMC", "BDC":
			mc.begin(w, res.v, string(op), args)
		case "EMC":
			mc.end(w)
		case "Do":
			if len(args) >= 1 && args[0].Kind == content.Name {
				return w.doXObject(res, string(args[0].Bytes), gs, forms)
			}
		}
		return nil
	})
}

func (w *walker) loadFont(res pdf.Value, name string) *fontEntry {
	dict, err := w.file.Get(res, "Font", name)
	key := fontKey{pdfobj.ID(dict), name}
	if dict.IsNull() {
		key = fontKey{name: "missing:" + name}
	}
	if fe, ok := w.fonts[key]; ok {
		return fe
	}
	fe := &fontEntry{name: name}
	switch {
	case err != nil:
		fe.warnings = append(fe.warnings, fmt.Sprintf("font resource %q: %v: its text is shown as U+FFFD", name, err))
	case dict.IsNull():
		fe.warnings = append(fe.warnings, fmt.Sprintf("font resource %q missing: its text is shown as U+FFFD", name))
	default:
		f, err := font.LoadGuarded(dict, widthGuard{w.file, w.lim.MaxWidths})
		if err != nil {
			fe.warnings = append(fe.warnings, fmt.Sprintf("font %q: %v: its text is shown as U+FFFD", name, err))
		} else {
			fe.f = f
			fe.name = f.Name()
			fe.warnings = append(fe.warnings, f.Warnings()...)
		}
	}
	w.fonts[key] = fe
	w.fontList = append(w.fontList, fe)
	return fe
}

// widthGuard checks a font's width arrays (the one part of a font a file
// can make huge) against MaxWidths before the object layer parses them.
type widthGuard struct {
	f   *pdfobj.File
	max int
}

func (g widthGuard) Guard(v pdf.Value, key string) error { return g.f.Guard(v, key, g.max) }
func (g widthGuard) GuardIndex(v pdf.Value, i int) error { return g.f.GuardIndex(v, i, g.max) }

// show draws the string s with the current state, advancing tm. Glyphs
// count against the budgets before they are kept.
func (w *walker) show(gs *gstate, tm *matrix, s []byte) error {
	fe := gs.font
	if fe == nil {
		w.page.Warnings = appendOnce(w.page.Warnings, fmt.Sprintf("page %d: text shown with no font selected", w.page.Number))
		return nil
	}
	idx, ok := w.fontIndex[fe]
	if !ok {
		idx = uint16(len(w.page.Fonts))
		w.fontIndex[fe] = idx
		w.page.Fonts = append(w.page.Fonts, fe.name)
	}
	var glyphs []font.Glyph
	vertical := false
	if fe.f != nil {
		glyphs = fe.f.Decode(s, w.scratch[:0])
		w.scratch = glyphs
		vertical = fe.f.Vertical()
	} else {
		// Unknown font: one replacement glyph per byte pair keeps counts honest.
		for i := 0; i < len(s); i += 2 {
			glyphs = append(glyphs, font.Glyph{Text: "\uFFFD", Len: 2, Advance: 1})
		}
	}
	if err := w.count(&w.pageGlyphs, &w.glyphs, len(glyphs), w.lim.MaxGlyphsPerPage, w.lim.MaxGlyphsPerDocument, "MaxGlyphsPerPage", "MaxGlyphsPerDocument", "glyphs"); err != nil {
		return err
	}
	if fe.f == nil || fe.f.Guessed() {
		w.guessedGlyphs += len(glyphs)
	}
	fs, th := gs.size, gs.scale
	for _, g := range glyphs {
		trm := matrix{fs * th, 0, 0, fs, 0, gs.rise}.mul(*tm).mul(gs.ctm)
		x, y := trm[4], trm[5]
		ax, ay := trm[0], trm[1] // baseline direction, length fs*th*scale
		// Lengths by Sqrt rather than math.Hypot, which guards an overflow
		// no font size reaches (and is exact alike on axis-aligned text).
		size := math.Sqrt(trm[2]*trm[2] + trm[3]*trm[3])
		dir := direction(ax, ay, vertical)
		advPage := g.Advance * math.Sqrt(ax*ax+ay*ay)
		if vertical {
			advPage = g.Advance * size
		}
		if g.Text != "" {
			w.page.Glyphs = append(w.page.Glyphs, Glyph{Text: g.Text, X: x, Y: y, Adv: advPage, Size: size, Dir: dir, Font: idx, Render: uint8(gs.render)})
		}
		spacing := gs.charSpace
		if g.Space {
			spacing += gs.wordSpace
		}
		if vertical {
			*tm = matrix{1, 0, 0, 1, 0, -g.Advance*fs + spacing}.mul(*tm)
		} else {
			*tm = matrix{1, 0, 0, 1, (g.Advance*fs + spacing) * th, 0}.mul(*tm)
		}
	}
	return nil
}

func direction(ax, ay float64, vertical bool) Dir {
	if vertical {
		return TopToBottom
	}
	const tol = 0.1
	switch {
	case ax > 0 && math.Abs(ay) <= tol*ax:
		return LeftToRight
	case ay > 0 && math.Abs(ax) <= tol*ay:
		return BottomToTop
	case ax < 0 && math.Abs(ay) <= -tol*ax:
		return RightToLeft
	case ay < 0 && math.Abs(ax) <= -tol*ay:
		return TopToBottom
	}
	return Skewed
}

// doXObject draws XObject name: a form is run (read once per file, then
// taken from the cache), an image is counted. Only budgets and ctx stop the
// page; other problems are warnings.
func (w *walker) doXObject(res *resources, name string, gs gstate, forms []pdfobj.ObjID) error {
	x, ok := res.xobjects[name]
	if !ok {
		x.v, x.err = w.file.Get(res.v, "XObject", name)
		if x.err == nil {
			x.err = pdfobj.Safe("xobject", func() { x.subtype = x.v.Key("Subtype").Name() })
		}
		res.xobjects[name] = x
	}
	xo, subtype, err := x.v, x.subtype, x.err
	if err != nil {
		w.page.Warnings = appendOnce(w.page.Warnings, fmt.Sprintf("page %d: XObject %q: %v", w.page.Number, name, err))
		return nil
	}
	switch subtype {
	case "Image":
		w.page.Images++
		return nil
	case "Form":
	default:
		return nil
	}
	id := pdfobj.ID(xo)
	for _, f := range forms {
		if f == id {
			w.page.Warnings = appendOnce(w.page.Warnings, fmt.Sprintf("page %d: form XObject %q draws itself: cycle cut", w.page.Number, name))
			return nil
		}
	}
	if len(forms) >= w.lim.MaxFormDepth {
		w.page.Warnings = appendOnce(w.page.Warnings, fmt.Sprintf("page %d: form XObjects nested deeper than %d: cut (limit MaxFormDepth)", w.page.Number, w.lim.MaxFormDepth))
		return nil
	}
	if err := w.count(&w.pageForms, &w.formDraws, 1, w.lim.MaxFormsPerPage, w.lim.MaxFormsPerDocument, "MaxFormsPerPage", "MaxFormsPerDocument", "form XObjects drawn"); err != nil {
		return err
	}
	fe := w.form(id, xo)
	if fe.err != nil {
		if errors.Is(fe.err, limits.ErrExceeded) {
			return fmt.Errorf("form %q: %w", name, fe.err)
		}
		w.page.Warnings = appendOnce(w.page.Warnings, fmt.Sprintf("page %d: form %q: %v", w.page.Number, name, fe.err))
		return nil
	}
	gs.ctm = fe.matrix.mul(gs.ctm)
	formRes := fe.res
	if formRes == nil {
		formRes = res // a form without resources uses its page's (PDF 1.1)
	}
	err = w.run(fe.data, formRes, gs, append(forms, id))
	switch {
	case err == nil:
	case errors.Is(err, limits.ErrExceeded), errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return err
	default:
		w.page.Warnings = append(w.page.Warnings, fmt.Sprintf("page %d: form %q: %v", w.page.Number, name, err))
	}
	return nil
}

// form reads a form XObject once per file: its stream is decoded the first
// time it is drawn (a Flate bomb drawn 800 times is inflated once).
func (w *walker) form(id pdfobj.ObjID, xo pdf.Value) *formEntry {
	if fe, ok := w.forms[id]; ok && id.Num != 0 {
		return fe
	}
	fe := &formEntry{matrix: identity}
	_ = pdfobj.Safe("form", func() {
		if mv := xo.Key("Matrix"); mv.Kind() == pdf.Array && mv.Len() == 6 {
			for i := 0; i < 6; i++ {
				fe.matrix[i] = pdfobj.Num(mv.Index(i))
			}
		}
		if r, err := w.file.Get(xo, "Resources"); err == nil && r.Kind() == pdf.Dict {
			fe.res = newResources(r)
		}
	})
	fe.data, fe.err = w.file.ReadStream(xo)
	w.stats.MaxStreamBytes = max(w.stats.MaxStreamBytes, int64(len(fe.data)))
	if fe.err != nil && !errors.Is(fe.err, limits.ErrExceeded) && len(fe.data) > 0 {
		fe.err = nil // a damaged tail: draw what decoded
	}
	w.forms[id] = fe
	return fe
}

func appendOnce(list []string, s string) []string {
	for _, x := range list {
		if x == s {
			return list
		}
	}
	return append(list, s)
}

func (w *walker) addRules(rules []Rule) error {
	if err := w.count(&w.pageRules, &w.rules, len(rules), w.lim.MaxRulesPerPage, w.lim.MaxRulesPerDocument, "MaxRulesPerPage", "MaxRulesPerDocument", "ruling lines"); err != nil {
		return err
	}
	w.page.Rules = append(w.page.Rules, rules...)
	return nil
}

// pathBuilder collects the current path in display space: its straight
// segments, for stroking, and the outline of each subpath, for filling.
type pathBuilder struct {
	segs      [][4]float64
	subs      []subpath
	cx, cy    float64
	sx, sy    float64
	havePoint bool
	closed    bool // by h: a line after it starts a new subpath
}

// subpath is what filling needs of one subpath: the box around its points
// (a curve's control points included, so the curve lies inside) and
// whether it is an axis-aligned rectangle.
type subpath struct {
	x0, y0, x1, y1 float64
	// pts are its first points; a rectangle has at most five (the fifth
	// back at the start).
	pts    [5][2]float64
	n      int
	curved bool // has a curve: no rectangle
	re     bool // drawn by re: stroked as its four edges
}

func (s *subpath) add(x, y float64) {
	if s.n < len(s.pts) {
		s.pts[s.n] = [2]float64{x, y}
	}
	s.n++
	s.x0, s.y0, s.x1, s.y1 = min(s.x0, x), min(s.y0, y), max(s.x1, x), max(s.y1, y)
}

// rectangle reports whether the (closed) subpath is an axis-aligned
// rectangle: at most four corners, each a corner of its box, joined by
// axis-aligned sides.
func (s *subpath) rectangle() bool {
	if s.curved || s.n > len(s.pts) || s.n < 4 {
		return false
	}
	const tol = 0.5
	near := func(a, b float64) bool { return math.Abs(a-b) <= tol }
	for i := 0; i < s.n; i++ {
		p, q := s.pts[i], s.pts[(i+1)%s.n]
		if !near(p[0], q[0]) && !near(p[1], q[1]) {
			return false // a diagonal side
		}
		if !near(p[0], s.x0) && !near(p[0], s.x1) || !near(p[1], s.y0) && !near(p[1], s.y1) {
			return false // a point inside an edge: an L or a notch
		}
	}
	return true
}

// sub is the subpath being drawn; a segment after h or re starts a new
// one at the current point.
func (p *pathBuilder) sub() *subpath {
	if n := len(p.subs); n == 0 || p.closed || p.subs[n-1].re {
		p.begin(p.cx, p.cy)
		p.closed = false
	}
	return &p.subs[len(p.subs)-1]
}

func (p *pathBuilder) begin(x, y float64) {
	p.subs = append(p.subs, subpath{x0: x, y0: y, x1: x, y1: y})
	p.subs[len(p.subs)-1].add(x, y)
}

func (p *pathBuilder) move(m matrix, x, y float64) {
	p.cx, p.cy = m.apply(x, y)
	p.sx, p.sy = p.cx, p.cy
	p.havePoint = true
	if n := len(p.subs); n > 0 && p.subs[n-1].n == 1 {
		p.subs = p.subs[:n-1] // m m: the first move drew nothing
	}
	p.begin(p.cx, p.cy)
	p.closed = false
}

func (p *pathBuilder) line(m matrix, x, y float64) {
	nx, ny := m.apply(x, y)
	if p.havePoint {
		p.segs = append(p.segs, [4]float64{p.cx, p.cy, nx, ny})
		p.sub().add(nx, ny)
	}
	p.cx, p.cy, p.havePoint = nx, ny, true
}

// curve is c, v or y: the control points and end point in user space.
// Curves are no ruling lines when stroked, but a filled thin shape may
// have rounded ends.
func (p *pathBuilder) curve(m matrix, pts ...float64) {
	if !p.havePoint || len(pts) < 2 {
		return
	}
	s := p.sub()
	s.curved = true
	for i := 0; i+1 < len(pts); i += 2 {
		x, y := m.apply(pts[i], pts[i+1])
		s.x0, s.y0, s.x1, s.y1 = min(s.x0, x), min(s.y0, y), max(s.x1, x), max(s.y1, y)
		p.cx, p.cy = x, y
	}
}

func (p *pathBuilder) close() {
	if p.havePoint && (p.cx != p.sx || p.cy != p.sy) {
		p.segs = append(p.segs, [4]float64{p.cx, p.cy, p.sx, p.sy})
		p.cx, p.cy = p.sx, p.sy
	}
	p.closed = p.havePoint
}

func (p *pathBuilder) rect(m matrix, x, y, w, h float64) {
	x0, y0 := m.apply(x, y)
	x1, y1 := m.apply(x+w, y+h)
	// Only axis-aligned rectangles matter for tables.
	xa, ya := m.apply(x+w, y)
	if math.Abs(xa-x1) > 0.01 && math.Abs(ya-y0) > 0.01 && math.Abs(xa-x0) > 0.01 {
		return
	}
	p.subs = append(p.subs, subpath{x0: min(x0, x1), y0: min(y0, y1), x1: max(x0, x1), y1: max(y0, y1), re: true})
	p.sx, p.sy, p.cx, p.cy, p.havePoint = x0, y0, x0, y0, true
}

func (p *pathBuilder) reset() { *p = pathBuilder{segs: p.segs[:0], subs: p.subs[:0]} }

const hairline = 3.0 // a filled shape thinner than this is a drawn line

// stroke appends the ruling lines of the stroked path to out.
func (p *pathBuilder) stroke(out []Rule) []Rule {
	for _, s := range p.segs {
		if r, ok := axisRule(s); ok {
			out = append(out, r)
		}
	}
	for _, s := range p.subs {
		if s.re {
			out = appendEdges(out, [4]float64{s.x0, s.y0, s.x1, s.y1}, false)
		}
	}
	return out
}

// fill appends the ruling lines of the filled path to out. A subpath
// thinner than a hairline is a drawn line along its length, however it
// was drawn: by re, or point by point (m l l l h f, as some writers draw
// every cell border, mitred at the corners); an axis-aligned rectangle
// wider than that is shading, its edges marked Fill. Other shapes are no
// ruling lines.
func (p *pathBuilder) fill(out []Rule) []Rule {
	for i := range p.subs {
		s := &p.subs[i]
		w, h := s.x1-s.x0, s.y1-s.y0
		switch {
		case s.n == 1 && !s.re:
			// a lone point
		case h <= hairline && w > h:
			y := (s.y0 + s.y1) / 2
			out = append(out, Rule{X0: s.x0, Y0: y, X1: s.x1, Y1: y})
		case w <= hairline && h > w:
			x := (s.x0 + s.x1) / 2
			out = append(out, Rule{X0: x, Y0: s.y0, X1: x, Y1: s.y1})
		case s.re || s.rectangle():
			out = appendEdges(out, [4]float64{s.x0, s.y0, s.x1, s.y1}, true)
		}
	}
	return out
}

func axisRule(s [4]float64) (Rule, bool) {
	const tol = 0.5
	x0, y0, x1, y1 := s[0], s[1], s[2], s[3]
	switch {
	case math.Abs(y0-y1) <= tol && math.Abs(x0-x1) > tol:
		y := (y0 + y1) / 2
		return Rule{X0: min(x0, x1), Y0: y, X1: max(x0, x1), Y1: y}, true
	case math.Abs(x0-x1) <= tol && math.Abs(y0-y1) > tol:
		x := (x0 + x1) / 2
		return Rule{X0: x, Y0: min(y0, y1), X1: x, Y1: max(y0, y1)}, true
	}
	return Rule{}, false
}

func appendEdges(out []Rule, r [4]float64, fill bool) []Rule {
	return append(out,
		Rule{X0: r[0], Y0: r[1], X1: r[2], Y1: r[1], Fill: fill},
		Rule{X0: r[0], Y0: r[3], X1: r[2], Y1: r[3], Fill: fill},
		Rule{X0: r[0], Y0: r[1], X1: r[0], Y1: r[3], Fill: fill},
		Rule{X0: r[2], Y0: r[1], X1: r[2], Y1: r[3], Fill: fill},
	)
}

// Text joins the page's glyph texts in drawing order (for diagnostics).
func (p *Page) Text() string {
	var b strings.Builder
	for _, g := range p.Glyphs {
		b.WriteString(g.Text)
	}
	return b.String()
}
