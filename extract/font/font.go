// Package font decodes PDF font dictionaries once per document so that a
// content-stream walker can turn the string operands of Tj/TJ into Unicode
// text with exact advance widths.
//
// Load reads a /Font dictionary of github.com/ledongthuc/pdf into a plain
// Spec; New does all the work and is what the tests exercise. A Font is
// read-only after New and safe for concurrent use.
//
// Unicode comes from, in order: the ToUnicode CMap, the meaning of the
// encoding (GBK/GB 18030/UCS-2/UTF-16 predefined CMaps, Adobe-GB1 CIDs,
// named simple encodings and glyph names), else U+FFFD with a warning.
package font

import (
	"errors"
	"fmt"
	"strings"

	"yusuan/extract/font/internal/cmap"
)

// Glyph is one character code of a shown string.
type Glyph struct {
	Code uint32 // the character code
	Len  int    // bytes of the string this code consumed (1..4)
	// Text is the Unicode text ("\uFFFD" when unmappable; may be several
	// runes for ligatures).
	Text string
	// Advance in text space for font size 1: glyph-space width/1000 (Type3:
	// × FontMatrix). For vertical fonts, the vertical advance (W2/DW2,
	// default 1.0) as a positive number.
	Advance float64
	Space   bool // a single-byte code 32: word spacing (Tw) applies
}

// Difference is one /Differences entry: Code is given glyph Name.
type Difference struct {
	Code int
	Name string
}

// CIDWidth gives CIDs First..Last the horizontal width W (glyph space).
type CIDWidth struct {
	First, Last uint32
	W           float64
}

// CIDVMetric is one /W2 entry: vertical displacement W1y and position
// vector (Vx, Vy) for CIDs First..Last.
type CIDVMetric struct {
	First, Last uint32
	W1y, Vx, Vy float64
}

// Spec is everything New needs from a font dictionary, with no PDF objects.
type Spec struct {
	Subtype  string // Type0, Type1, MMType1, TrueType, Type3
	BaseFont string
	// Encoding is the /Encoding name: a predefined CMap (Type0) or a simple
	// encoding; for a simple font's encoding dictionary, its /BaseEncoding.
	Encoding string
	// EncodingCMap is the data of an embedded CMap stream (Type0).
	EncodingCMap []byte
	Differences  []Difference
	ToUnicode    []byte // ToUnicode CMap data, nil when absent

	// Simple fonts.
	FirstChar    int
	Widths       []float64
	MissingWidth *float64 // FontDescriptor /MissingWidth when present
	Flags        int      // FontDescriptor /Flags
	FontMatrix   []float64

	// Type0: the descendant CIDFont.
	CIDSubtype string // CIDFontType0 or CIDFontType2
	Registry   string
	Ordering   string
	W          []CIDWidth
	DW         *float64 // default 1000
	W2         []CIDVMetric
	DW2        []float64 // [vy w1y], default [880 -1000]
}

// Method names the primary text source a Font uses, for diagnostics:
// "ToUnicode"; a predefined CMap name such as "GBK-EUC-H"; "Identity+Adobe-GB1"
// or "embedded CMap+Adobe-GB1" (CID→Unicode from Adobe-GB1-UCS2); a simple
// encoding such as "WinAnsiEncoding+Differences" or "StandardEncoding
// (assumed)"; or "none" (every glyph is U+FFFD, with a warning).
type Method string

type cidMode uint8

const (
	cidIdentity cidMode = iota
	cidDense
	cidEmbedded
	cidNone // unknown encoding: CID 0
)

type fallback uint8

const (
	fbNone fallback = iota
	fbGBK
	fbGB18030
	fbUCS2
	fbUTF16
)

type simpleGlyph struct {
	text string
	adv  float64
}

// Font is a decoded font; see Decode.
type Font struct {
	name     string
	method   Method
	vertical bool
	warnings []string
	guessed  bool // see Guessed

	simple *[256]simpleGlyph // simple fonts; nil for Type0

	// Type0.
	cs       *codespace
	mode     cidMode
	dense    *denseCID
	embedded []cidRange // sorted by (n, lo), cidEmbedded only
	base     *predefCMap
	// identityBase: codes the embedded CMap does not map are CIDs
	// (usecmap Identity-H/V).
	identityBase bool
	tu           *toUnicode
	fb           fallback
	gb1          gb1Map   // Adobe-GB1 CID → Unicode when the ordering is GB1
	twoByte      []uint16 // GBK / GB 18030 2-byte table for fbGBK / fbGB18030
	widths       []float64
	wFirst       uint32
	dw           float64
}

// Name is the BaseFont (subset prefix kept).
func (f *Font) Name() string { return f.name }

// Vertical reports a vertical writing mode (Identity-V, *-V CMaps).
func (f *Font) Vertical() bool { return f.vertical }

// Warnings describes text that could not be mapped reliably.
func (f *Font) Warnings() []string { return f.warnings }

// Guessed reports that the font's text is no reading but a guess: it has
// no ToUnicode and no encoding that names its glyphs (text shown as U+FFFD,
// or a symbolic TrueType font's codes read as WinAnsi).
func (f *Font) Guessed() bool { return f.guessed }

// Method names the primary source of Unicode text.
func (f *Font) Method() Method { return f.method }

func (f *Font) warnf(format string, args ...any) {
	f.warnings = append(f.warnings, fmt.Sprintf("font %q: ", f.name)+fmt.Sprintf(format, args...))
}

const noMapWarning = "no ToUnicode and no known encoding; text shown as U+FFFD"

// New decodes a font from its Spec.
func New(spec Spec) (*Font, error) {
	f := &Font{name: spec.BaseFont}
	var tu *toUnicode
	if spec.ToUnicode != nil {
		m, err := cmap.Parse(spec.ToUnicode)
		if err == nil {
			tu = newToUnicode(m)
		}
		if tu == nil {
			f.warnf("ToUnicode CMap maps nothing useful; using the encoding")
		}
	}
	switch spec.Subtype {
	case "Type0":
		return f, f.newCID(spec, tu)
	case "Type1", "MMType1", "TrueType", "Type3", "":
		f.newSimple(spec, tu)
		return f, nil
	}
	return nil, fmt.Errorf("font %q: unsupported subtype %q", spec.BaseFont, spec.Subtype)
}

func (f *Font) newSimple(spec Spec, tu *toUnicode) {
	std := standard14(spec.BaseFont)
	var metrics *stdMetrics
	if std != "" {
		metrics = std14(std)
	}
	enc := baseEncoding(spec.Encoding)
	encName := spec.Encoding
	symbolicTT, assumedStd := false, false
	if spec.Encoding != "" && enc == nil {
		f.warnf("unknown encoding %q", spec.Encoding)
	}
	if enc == nil {
		switch {
		case std == "Symbol" || std == "ZapfDingbats":
			enc, encName = baseEncoding(std), std+" built-in"
		case spec.Subtype == "Type3":
			// Only /Differences give meaning to Type3 codes.
		case spec.Subtype == "TrueType":
			// No standard meaning exists for a symbolic TrueType without
			// /Encoding; WinAnsi is what such writers (WPS, Word) mean.
			enc, encName = baseEncoding("WinAnsiEncoding"), "WinAnsiEncoding (assumed)"
			symbolicTT = spec.Flags&4 != 0
		default:
			enc, encName = baseEncoding("StandardEncoding"), "StandardEncoding (assumed)"
			assumedStd = std == ""
		}
	}
	var texts [256]string
	if enc != nil {
		for c, r := range enc {
			if r != 0 {
				texts[c] = runeString(r)
			}
		}
	}
	var unknown []string
	for _, d := range spec.Differences {
		if d.Code < 0 || d.Code > 255 {
			continue
		}
		if s, ok := glyphRune(d.Name); ok {
			texts[d.Code] = s
		} else {
			texts[d.Code] = ""
			// .notdef carries no text: Chromium (Skia, naming glyphs
			// g<id>) fills every unused code with glyph 0, g0.
			notdef := d.Name == ".notdef" || d.Name == "g0"
			if !notdef && (tu == nil || tu.lookup(uint32(d.Code), 1) == "" && tu.lookup(uint32(d.Code), 2) == "") {
				unknown = append(unknown, d.Name)
			}
		}
	}
	if len(spec.Differences) > 0 {
		encName += "+Differences"
	}
	// Glyph space is 1/1000 of text space, except for Type3 fonts, whose
	// FontMatrix says. Division keeps w/1000 exact to the last bit.
	scaled := func(w float64) float64 { return w / 1000 }
	if spec.Subtype == "Type3" {
		m := 0.001
		if len(spec.FontMatrix) == 6 && spec.FontMatrix[0] != 0 {
			m = spec.FontMatrix[0]
		}
		scaled = func(w float64) float64 { return w * m }
	}
	g := new([256]simpleGlyph)
	mapped := 0
	for c := 0; c < 256; c++ {
		text := ""
		if tu != nil {
			if text = tu.lookup(uint32(c), 1); text == "" {
				text = tu.lookup(uint32(c), 2)
			}
		}
		if text == "" {
			text = texts[c]
		}
		if text == "" {
			text = replacement
		} else {
			mapped++
		}
		adv := 0.5
		switch {
		case c >= spec.FirstChar && c-spec.FirstChar < len(spec.Widths):
			adv = scaled(spec.Widths[c-spec.FirstChar])
		case spec.MissingWidth != nil:
			adv = scaled(*spec.MissingWidth)
		case metrics != nil:
			w, ok := 0.0, false
			if std == "Symbol" || std == "ZapfDingbats" {
				w, ok = metrics.codeW[c], metrics.builtin[c] != 0
			} else if rs := []rune(text); len(rs) == 1 {
				w, ok = metrics.byRune[rs[0]]
			}
			if ok {
				adv = w / 1000
			}
		case spec.Subtype == "Type3":
			adv = 0
		}
		g[c] = simpleGlyph{text: text, adv: adv}
	}
	f.simple = g
	switch {
	case tu != nil:
		f.method = "ToUnicode"
	case mapped == 0:
		f.method = "none"
	default:
		f.method = Method(encName)
	}
	if mapped == 0 {
		f.guessed = true
		f.warnf(noMapWarning)
	} else if len(unknown) > 0 {
		ex := unknown
		if len(ex) > 3 {
			ex = ex[:3]
		}
		f.warnf("%d glyph names without Unicode (e.g. %s); shown as U+FFFD", len(unknown), strings.Join(ex, ", "))
	}
	if assumedStd && tu == nil {
		f.warnf("no /Encoding or ToUnicode; the font's built-in encoding is assumed to be StandardEncoding")
	}
	if symbolicTT && tu == nil {
		f.guessed = true
		f.warnf("symbolic TrueType font without ToUnicode or /Encoding; text decoded as WinAnsi may be wrong")
	}
}

// predefFallback gives the text meaning of a predefined CMap's codes.
func predefFallback(name string) (fallback, bool) {
	switch {
	case strings.HasPrefix(name, "GBK2K-"):
		return fbGB18030, true
	case strings.HasPrefix(name, "GBK-EUC-"), strings.HasPrefix(name, "GBKp-EUC-"),
		strings.HasPrefix(name, "GB-EUC-"), strings.HasPrefix(name, "GBpc-EUC-"):
		return fbGBK, true
	case strings.HasPrefix(name, "Uni") && (strings.HasSuffix(name, "-UCS2-H") || strings.HasSuffix(name, "-UCS2-V")):
		return fbUCS2, true
	case strings.HasPrefix(name, "Uni") && (strings.HasSuffix(name, "-UTF16-H") || strings.HasSuffix(name, "-UTF16-V")):
		return fbUTF16, true
	}
	return fbNone, false
}

func (f *Font) newCID(spec Spec, tu *toUnicode) error {
	f.tu = tu
	var source string
	isGB1 := spec.Ordering == "GB1"
	switch {
	case spec.EncodingCMap != nil:
		m, err := cmap.Parse(spec.EncodingCMap)
		if err != nil {
			if errors.Is(err, cmap.ErrEmpty) && m.UseCMap == "" {
				f.warnf("embedded encoding CMap is empty; codes read as 2-byte CIDs")
				f.cs, f.mode = fixedCodespace(2), cidIdentity
				source = "embedded CMap (empty)"
				break
			}
		}
		f.vertical = m.WMode == 1
		if m.UseCMap != "" {
			if b := predefined(m.UseCMap); b != nil {
				f.base = b
				f.vertical = f.vertical || b.wmode == 1
				f.fb, _ = predefFallback(m.UseCMap)
			} else if m.UseCMap == "Identity-H" || m.UseCMap == "Identity-V" {
				f.vertical = f.vertical || m.UseCMap == "Identity-V"
				f.identityBase = true
			}
		}
		if m.Ordering == "GB1" {
			isGB1 = true
		}
		var css []csRange
		for _, c := range m.Codespaces {
			css = append(css, csRange{n: c.N, lo: c.Lo, hi: c.Hi})
		}
		switch {
		case len(css) > 0:
			f.cs = newCodespace(css)
		case f.base != nil:
			f.cs = f.base.cs
		default:
			f.cs = fixedCodespace(2)
		}
		for _, r := range m.NotDefs {
			f.embedded = append(f.embedded, cidRange{lo: r.Lo, hi: r.Hi, n: r.N, cid: r.CID})
		}
		for _, r := range m.CIDs {
			f.embedded = append(f.embedded, cidRange{lo: r.Lo, hi: r.Hi, n: r.N, cid: r.CID})
		}
		sortRanges(f.embedded)
		f.mode = cidEmbedded
		source = "embedded CMap"
		if f.base != nil {
			source += " (usecmap " + f.base.name + ")"
		}
	case spec.Encoding == "Identity-H" || spec.Encoding == "Identity-V" || spec.Encoding == "":
		f.cs, f.mode = fixedCodespace(2), cidIdentity
		f.vertical = spec.Encoding == "Identity-V"
		source = "Identity"
		if spec.Encoding == "" {
			f.warnf("Type0 font without /Encoding; assuming Identity-H")
		}
	default:
		if m := predefined(spec.Encoding); m != nil {
			f.cs, f.mode, f.dense = m.cs, cidDense, m.dense()
			f.vertical = m.wmode == 1
			f.fb, _ = predefFallback(spec.Encoding)
			source = spec.Encoding
			isGB1 = true // every shipped predefined CMap is Adobe-GB1
			break
		}
		// A predefined CMap we do not ship: the text of Unicode CMaps is
		// still known, widths fall back to /DW.
		f.cs, f.mode = fixedCodespace(2), cidNone
		f.vertical = strings.HasSuffix(spec.Encoding, "-V")
		var ok bool
		if f.fb, ok = predefFallback(spec.Encoding); ok {
			if f.fb == fbUTF16 {
				f.cs = newCodespace([]csRange{
					{n: 2, hi: [4]byte{0xD7, 0xFF}},
					{n: 4, lo: [4]byte{0xD8, 0, 0xDC, 0}, hi: [4]byte{0xDB, 0xFF, 0xDF, 0xFF}},
					{n: 2, lo: [4]byte{0xE0, 0}, hi: [4]byte{0xFF, 0xFF}},
				})
			}
			f.warnf("predefined CMap %q not available; widths use /DW", spec.Encoding)
		} else {
			f.warnf("unsupported predefined CMap %q; codes read as 2 bytes", spec.Encoding)
		}
		source = spec.Encoding
	}
	switch f.fb {
	case fbGBK:
		f.twoByte = gbkRunes()
	case fbGB18030:
		f.twoByte = gb18030Runes()
	}
	if f.base != nil {
		isGB1 = true // every shipped predefined CMap is Adobe-GB1
	}
	if isGB1 {
		f.gb1 = gb1()
	}

	// Widths by CID.
	if f.vertical {
		dw := -1000.0
		if len(spec.DW2) == 2 {
			dw = spec.DW2[1]
		}
		f.dw = -dw / 1000
		ws := make([]CIDWidth, len(spec.W2))
		for i, v := range spec.W2 {
			ws[i] = CIDWidth{First: v.First, Last: v.Last, W: -v.W1y}
		}
		f.setWidths(ws)
	} else {
		f.dw = 1
		if spec.DW != nil {
			f.dw = *spec.DW / 1000
		}
		f.setWidths(spec.W)
	}

	switch {
	case tu != nil:
		f.method = "ToUnicode"
	case f.fb != fbNone:
		f.method = Method(source)
	case f.gb1 != "":
		f.method = Method(source + "+Adobe-GB1")
	default:
		f.method = "none"
		f.guessed = true
		f.warnf(noMapWarning)
	}
	return nil
}

// maxWidthSpan bounds the dense CID width table.
const maxWidthSpan = 1 << 17

func (f *Font) setWidths(ws []CIDWidth) {
	if len(ws) == 0 {
		return
	}
	lo, hi := ws[0].First, ws[0].Last
	for _, w := range ws {
		if w.Last < w.First {
			continue
		}
		lo = min(lo, w.First)
		hi = max(hi, w.Last)
	}
	if hi < lo {
		return
	}
	if hi-lo >= maxWidthSpan {
		hi = lo + maxWidthSpan - 1
		f.warnf("/W covers more than %d CIDs; the rest use the default width", maxWidthSpan)
	}
	f.wFirst = lo
	f.widths = make([]float64, hi-lo+1)
	for i := range f.widths {
		f.widths[i] = f.dw
	}
	for _, w := range ws {
		for c := max(w.First, lo); c <= w.Last && c <= hi; c++ {
			f.widths[c-lo] = w.W / 1000
			if c == hi { // guard against wrap at MaxUint32
				break
			}
		}
	}
}

// Decode appends the glyphs of string s to dst.
func (f *Font) Decode(s []byte, dst []Glyph) []Glyph {
	if f.simple != nil {
		tab := f.simple
		for _, b := range s {
			g := &tab[b]
			dst = append(dst, Glyph{Code: uint32(b), Len: 1, Text: g.text, Advance: g.adv, Space: b == ' '})
		}
		return dst
	}
	for i := 0; i < len(s); {
		n := f.cs.next(s[i:])
		var code uint32
		for _, b := range s[i : i+n] {
			code = code<<8 | uint32(b)
		}
		var cid uint32
		switch f.mode {
		case cidIdentity:
			cid = code
		case cidDense:
			cid = f.dense.lookup(code, n)
		case cidEmbedded:
			cid = f.embeddedCID(code, n)
		}
		text := ""
		if f.tu != nil {
			text = f.tu.lookup(code, n)
		}
		if text == "" {
			text = f.fallbackText(code, n, cid, s[i:i+n])
		}
		adv := f.dw
		if d := cid - f.wFirst; d < uint32(len(f.widths)) {
			adv = f.widths[d]
		}
		dst = append(dst, Glyph{Code: code, Len: n, Text: text, Advance: adv, Space: n == 1 && code == ' '})
		i += n
	}
	return dst
}

func (f *Font) embeddedCID(code uint32, n int) uint32 {
	rs := f.embedded
	lo, hi := 0, len(rs)
	nn := uint8(n)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		r := &rs[m]
		if r.n < nn || r.n == nn && r.hi < code {
			lo = m + 1
		} else {
			hi = m
		}
	}
	if lo < len(rs) {
		r := &rs[lo]
		if r.n == nn && r.lo <= code {
			return r.cid + (code - r.lo)
		}
	}
	if f.base != nil {
		return f.base.dense().lookup(code, n)
	}
	if f.identityBase {
		return code
	}
	return 0
}

func (f *Font) fallbackText(code uint32, n int, cid uint32, b []byte) string {
	switch f.fb {
	case fbGBK, fbGB18030:
		switch n {
		case 1:
			if code < 0x80 {
				return runeString(rune(code))
			}
			// GBpc-EUC maps 0x80 and 0xFD-0xFF to CIDs (ü © ™ …); in GBK
			// 0x80 is the euro sign.
			if r := f.gb1.at(cid); cid != 0 && r != 0 {
				return runeString(r)
			}
			if code == 0x80 && f.fb == fbGBK {
				return "€"
			}
		case 2:
			if r := f.twoByte[code]; r != 0 {
				return runeString(rune(r))
			}
		case 4:
			if f.fb == fbGB18030 {
				if s := gb18030Four(b); s != "" {
					return s
				}
			}
		}
	case fbUCS2:
		if n == 2 && (code < 0xD800 || code > 0xDFFF) && code >= 0x20 {
			return runeString(rune(code))
		}
	case fbUTF16:
		switch n {
		case 2:
			if (code < 0xD800 || code > 0xDFFF) && code >= 0x20 {
				return runeString(rune(code))
			}
		case 4:
			h, l := code>>16, code&0xFFFF
			if h >= 0xD800 && h <= 0xDBFF && l >= 0xDC00 && l <= 0xDFFF {
				return string(rune((h-0xD800)<<10 | (l - 0xDC00) + 0x10000))
			}
		}
	}
	if r := f.gb1.at(cid); r != 0 {
		return runeString(r)
	}
	return replacement
}
