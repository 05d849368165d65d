package textlayer

import (
	"unicode/utf16"
	"unicode/utf8"

	"github.com/ledongthuc/pdf"

	"yusuan/extract/content"
	"yusuan/extract/pdfobj"
)

// A marked-content span with /ActualText says what its glyphs mean:
// Chromium wraps every glyph whose ToUnicode it could only give as a
// look-alike (⼾ U+2F3E for 户) in /Span <</ActualText <FEFF6237>>> BDC …
// EMC. As poppler does, the glyphs shown inside such a span are replaced
// by the actual text, placed where they were.

// markedContent tracks the marked-content spans of one content stream.
type markedContent struct {
	// stack holds, per open span, the page glyph index where its actual
	// text starts, or -1 for a span without one (or inside one).
	stack  []int
	texts  []string
	active int // depth of the span with actual text; 0 when none
	// named caches the actual text of property lists named in the
	// resources, looked up once per stream.
	named map[string]namedText
}

type namedText struct {
	text string
	ok   bool
}

const maxMarkedDepth = 256

// begin opens a span (BMC, BDC); BDC's properties are inline or named in
// the resources' /Properties.
func (mc *markedContent) begin(w *walker, res pdf.Value, op string, args []content.Operand) {
	if len(mc.stack) >= maxMarkedDepth {
		return
	}
	text, ok := "", false
	if op == "BDC" && mc.active == 0 && len(args) >= 2 {
		if p := args[1]; p.Kind == content.Name {
			nt, seen := mc.named[string(p.Bytes)]
			if !seen {
				nt.text, nt.ok = actualText(res, p)
				if mc.named == nil {
					mc.named = map[string]namedText{}
				}
				mc.named[string(p.Bytes)] = nt
			}
			text, ok = nt.text, nt.ok
		} else {
			text, ok = actualText(res, p)
		}
	}
	if !ok {
		mc.stack = append(mc.stack, -1)
		mc.texts = append(mc.texts, "")
		return
	}
	mc.stack = append(mc.stack, len(w.page.Glyphs))
	mc.texts = append(mc.texts, text)
	mc.active = len(mc.stack)
}

// end closes the innermost span (EMC).
func (mc *markedContent) end(w *walker) {
	n := len(mc.stack)
	if n == 0 {
		return // an unbalanced EMC is ignored
	}
	start, text := mc.stack[n-1], mc.texts[n-1]
	mc.stack, mc.texts = mc.stack[:n-1], mc.texts[:n-1]
	if n == mc.active {
		mc.active = 0
		w.replaceGlyphs(start, text)
	}
}

// close ends the spans a stream leaves open.
func (mc *markedContent) close(w *walker) {
	for len(mc.stack) > 0 {
		mc.end(w)
	}
}

// replaceGlyphs puts text in place of the glyphs shown since index start:
// one character per glyph when the counts agree, else the whole text on
// the first glyph, stretched over all of them. Nothing shown, nothing put.
func (w *walker) replaceGlyphs(start int, text string) {
	gs := w.page.Glyphs
	if start < 0 || start >= len(gs) {
		return
	}
	shown := gs[start:]
	w.page.ActualText += len(shown)
	if utf8.RuneCountInString(text) == len(shown) {
		i := 0
		for _, r := range text {
			shown[i].Text = string(r)
			i++
		}
		return
	}
	first, last := shown[0], shown[len(shown)-1]
	first.Text = text
	switch first.Dir {
	case LeftToRight:
		first.Adv = last.X + last.Adv - first.X
	case RightToLeft:
		first.Adv = first.X - (last.X - last.Adv)
	case BottomToTop:
		first.Adv = last.Y + last.Adv - first.Y
	case TopToBottom:
		first.Adv = first.Y - (last.Y - last.Adv)
	}
	first.Adv = max(first.Adv, 0)
	w.page.Glyphs = append(gs[:start], first)
	if text == "" {
		w.page.Glyphs = gs[:start]
	}
}

// actualText reads /ActualText from BDC's property list: an inline
// dictionary, or a name in the resources' /Properties.
func actualText(res pdf.Value, props content.Operand) (string, bool) {
	switch props.Kind {
	case content.Dict:
		for i := 0; i+1 < len(props.Arr); i += 2 {
			k, v := props.Arr[i], props.Arr[i+1]
			if k.Kind == content.Name && string(k.Bytes) == "ActualText" && v.Kind == content.String {
				return textString(v.Bytes), true
			}
		}
	case content.Name:
		var v pdf.Value
		_ = pdfobj.Safe("marked content properties", func() {
			v = res.Key("Properties").Key(string(props.Bytes)).Key("ActualText")
		})
		if v.Kind() == pdf.String {
			return v.Text(), true
		}
	}
	return "", false
}

// textString decodes a PDF text string: UTF-16BE after a byte order mark,
// UTF-8 after one (PDF 2.0), else PDFDocEncoding, read as Latin-1 (they
// differ only in rarely used punctuation).
func textString(b []byte) string {
	switch {
	case len(b) >= 2 && b[0] == 0xFE && b[1] == 0xFF:
		u := make([]uint16, 0, (len(b)-2)/2)
		for i := 2; i+1 < len(b); i += 2 {
			u = append(u, uint16(b[i])<<8|uint16(b[i+1]))
		}
		return string(utf16.Decode(u))
	case len(b) >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF:
		return string(b[3:])
	}
	rs := make([]rune, len(b))
	for i, c := range b {
		rs[i] = rune(c)
	}
	return string(rs)
}
