package font

import (
	"fmt"
	"sort"
	"strings"
	"testing"
)

func ptr(v float64) *float64 { return &v }

// div is w/1000 computed at run time, as the package does (a constant
// expression would be rounded differently).
func div(w float64) float64 { return w / 1000 }

// toUni wraps CMap body lines in a minimal ToUnicode CMap.
func toUni(codespace string, body ...string) []byte {
	return []byte(`/CIDInit /ProcSet findresource begin
12 dict begin
begincmap
/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def
/CMapName /Adobe-Identity-UCS def
/CMapType 2 def
1 begincodespacerange
` + codespace + `
endcodespacerange
` + strings.Join(body, "\n") + `
endcmap
CMapName currentdict /CMap defineresource pop
end
end
`)
}

// want is one expected glyph: text and advance (code/len checked when set).
type want struct {
	text string
	adv  float64
	code uint32
	n    int
}

type fontCase struct {
	name     string
	spec     Spec
	in       string // the shown string's bytes
	want     []want
	vertical bool
	method   Method
	warn     string // substring of a warning; "" means no warnings
}

func g(text string, adv float64) want { return want{text: text, adv: adv} }
func gc(text string, adv float64, code uint32, n int) want {
	return want{text: text, adv: adv, code: code, n: n}
}

func runCases(t *testing.T, cases []fontCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f, err := New(tc.spec)
			if err != nil {
				t.Fatalf("New: %v", err)
			}
			got := f.Decode([]byte(tc.in), nil)
			if len(got) != len(tc.want) {
				t.Fatalf("got %d glyphs %+v, want %d", len(got), got, len(tc.want))
			}
			total := 0
			for i, w := range tc.want {
				gl := got[i]
				total += gl.Len
				if gl.Text != w.text || gl.Advance != w.adv {
					t.Errorf("glyph %d: got (%q, %v) want (%q, %v)", i, gl.Text, gl.Advance, w.text, w.adv)
				}
				if w.n != 0 && (gl.Code != w.code || gl.Len != w.n) {
					t.Errorf("glyph %d: got code %#x/%d want %#x/%d", i, gl.Code, gl.Len, w.code, w.n)
				}
				if sp := gl.Len == 1 && gl.Code == 32; gl.Space != sp {
					t.Errorf("glyph %d: Space=%v", i, gl.Space)
				}
			}
			if total != len(tc.in) {
				t.Errorf("consumed %d bytes of %d", total, len(tc.in))
			}
			if f.Vertical() != tc.vertical {
				t.Errorf("Vertical=%v", f.Vertical())
			}
			if tc.method != "" && f.Method() != tc.method {
				t.Errorf("Method=%q want %q", f.Method(), tc.method)
			}
			ws := strings.Join(f.Warnings(), "\n")
			if tc.warn == "" && ws != "" {
				t.Errorf("unexpected warnings: %s", ws)
			}
			if tc.warn != "" && !strings.Contains(ws, tc.warn) {
				t.Errorf("warnings %q lack %q", ws, tc.warn)
			}
			// Its text is a guess exactly when it maps nothing or reads a
			// symbolic font's codes as WinAnsi.
			guess := strings.Contains(tc.warn, noMapWarning) || strings.Contains(tc.warn, "symbolic TrueType")
			if f.Guessed() != guess {
				t.Errorf("Guessed=%v, want %v", f.Guessed(), guess)
			}
			if f.Name() != tc.spec.BaseFont {
				t.Errorf("Name=%q", f.Name())
			}
		})
	}
}

func TestToUnicode(t *testing.T) {
	tu := toUni("<0000> <FFFF>",
		"3 beginbfchar",
		"<0003> <4E2D>",
		"<0004> <D83DDE00>", // surrogate pair
		"<0005> <00660069>", // ligature "fi"
		"endbfchar",
		"3 beginbfrange",
		"<0010> <0012> <00FE>", // increment carries: FE, FF, 0100
		"<0020> <0022> [<0041> <00420043> <D834DD1E>]",
		"<0030> <0031> <D83DDE00>", // multi-unit destination incremented
		"endbfrange",
		"% a comment and some garbage: ] >> (x) { } <zz> 12 beginbfchar <01> endbfchar",
		"1 beginbfchar <0006> <0047> endbfchar",
	)
	spec := Spec{Subtype: "Type0", BaseFont: "ABCDEF+SimSun", Encoding: "Identity-H", ToUnicode: tu,
		Ordering: "Identity", W: []CIDWidth{{3, 3, 1000}, {16, 18, 500}, {0x20, 0x20, 277.83}}, DW: ptr(900)}
	runCases(t, []fontCase{{
		name: "identity-h",
		spec: spec,
		in:   "\x00\x03\x00\x04\x00\x05\x00\x10\x00\x11\x00\x12\x00\x20\x00\x21\x00\x22\x00\x30\x00\x31\x00\x06\x00\x07",
		want: []want{
			gc("中", 1, 3, 2), g("😀", 0.9), g("fi", 0.9), g("þ", 0.5), g("ÿ", 0.5), g("Ā", 0.5),
			gc("A", div(277.83), 0x20, 2), g("BC", 0.9), g("𝄞", 0.9), g("😀", 0.9), g("😁", 0.9), g("G", 0.9),
			g(replacement, 0.9),
		},
		method: "ToUnicode", // code 7 is unmapped: U+FFFD, no warning (the font has a ToUnicode)
	}})
}

func TestToUnicodeUseless(t *testing.T) {
	zero := toUni("<00> <FF>", "1 beginbfrange", "<00> <1F> <0000>", "<80> <81> [<0000> <0000>]", "endbfrange",
		"2 beginbfchar", "<41> <0000>", "<42> <>", "endbfchar")
	runCases(t, []fontCase{
		{
			name:   "all-zero falls back to WinAnsi",
			spec:   Spec{Subtype: "TrueType", BaseFont: "Foo", Encoding: "WinAnsiEncoding", ToUnicode: zero, FirstChar: 65, Widths: []float64{600, 700}},
			in:     "AB\x80",
			want:   []want{g("A", 0.6), g("B", 0.7), g("€", 0.5)},
			method: "WinAnsiEncoding",
			warn:   "ToUnicode CMap maps nothing useful",
		},
		{
			name: "partial ToUnicode; rest from GBK",
			spec: Spec{Subtype: "Type0", BaseFont: "SimHei", Encoding: "GBK-EUC-H",
				ToUnicode: toUni("<00> <FF>", "1 beginbfchar", "<41> <0042>", "endbfchar")},
			in:     "A\xd6\xd0",
			want:   []want{g("B", 1), g("中", 1)},
			method: "ToUnicode",
		},
		{
			name:   "garbage ToUnicode",
			spec:   Spec{Subtype: "Type1", BaseFont: "Helvetica", ToUnicode: []byte("\x00\xff<<garbage>> [ ( endcmap")},
			in:     "a",
			want:   []want{g("a", 0.556)},
			method: "StandardEncoding (assumed)",
			warn:   "maps nothing useful",
		},
	})
}

func TestPredefinedCMaps(t *testing.T) {
	w := []CIDWidth{{4559, 4559, 1000}, {846, 846, 500}, {7716, 7716, 250}, {34, 34, 510}, {97, 97, 900}, {1875, 1875, 990}}
	cid := func(enc string) Spec {
		return Spec{Subtype: "Type0", BaseFont: "SimSun", Encoding: enc, Ordering: "GB1", W: w, DW: ptr(800)}
	}
	runCases(t, []fontCase{
		{
			name:   "GBK-EUC-H",
			spec:   cid("GBK-EUC-H"),
			in:     "A \xd6\xd0\xb9\xfa\xa1\xa2\x80",
			want:   []want{gc("A", 0.5, 0x41, 1), gc(" ", 0.25, 0x20, 1), gc("中", 1, 0xD6D0, 2), g("国", 0.99), g("、", 0.9), g("€", 0.8)},
			method: "GBK-EUC-H",
		},
		{
			name:     "GBK-EUC-V",
			spec:     Spec{Subtype: "Type0", BaseFont: "SimSun", Encoding: "GBK-EUC-V", W2: []CIDVMetric{{575, 575, -900, 500, 880}}},
			in:       "\xa1\xa2\xd6\xd0",
			want:     []want{g("、", 0.9), g("中", 1)},
			vertical: true,
		},
		{
			name: "GB-EUC-H",
			spec: cid("GB-EUC-H"),
			in:   "\xd6\xd0A",
			want: []want{g("中", 1), g("A", 0.5)},
		},
		{
			name: "GBpc-EUC-H",
			spec: cid("GBpc-EUC-H"),
			in:   "\xd6\xd0A",
			want: []want{g("中", 1), g("A", 0.51)}, // GBpc maps ASCII to CIDs 1-95
		},
		{
			name: "GBpc-EUC-H single high bytes",
			spec: cid("GBpc-EUC-H"),
			in:   "\x80\xfd\xfe\xff",
			want: []want{g("ü", 0.8), g("©", 0.8), g("™", 0.8), g("…", 0.8)},
		},
		{
			name: "GBKp-EUC-H",
			spec: cid("GBKp-EUC-H"),
			in:   "\xd6\xd0",
			want: []want{g("中", 1)},
		},
		{
			name:   "GBK2K-H",
			spec:   Spec{Subtype: "Type0", BaseFont: "SimSun", Encoding: "GBK2K-H", W: []CIDWidth{{22354, 22354, 600}, {4559, 4559, 1000}}},
			in:     "\x81\x30\x84\x36\xd6\xd0A",
			want:   []want{gc("¥", 0.6, 0x81308436, 4), gc("中", 1, 0xD6D0, 2), gc("A", 1, 0x41, 1)},
			method: "GBK2K-H",
		},
		{
			name:   "UniGB-UCS2-H",
			spec:   cid("UniGB-UCS2-H"),
			in:     "\x4e\x2d\x56\xfd\x00\x41",
			want:   []want{g("中", 1), g("国", 0.99), g("A", 0.51)},
			method: "UniGB-UCS2-H",
		},
		{
			name:     "UniGB-UCS2-V",
			spec:     Spec{Subtype: "Type0", BaseFont: "SimSun", Encoding: "UniGB-UCS2-V", DW2: []float64{880, -1200}, W2: []CIDVMetric{{575, 575, -500, 500, 880}}},
			in:       "\x30\x01\x4e\x2d",
			want:     []want{g("、", 0.5), g("中", 1.2)},
			vertical: true,
		},
		{
			name:   "UniGB-UTF16-H",
			spec:   Spec{Subtype: "Type0", BaseFont: "SimSun", Encoding: "UniGB-UTF16-H", W: []CIDWidth{{22048, 22048, 700}, {4559, 4559, 1000}}},
			in:     "\xd8\x40\xdc\x87\x4e\x2d",
			want:   []want{gc("\U00020087", 0.7, 0xD840DC87, 4), g("中", 1)},
			method: "UniGB-UTF16-H",
		},
		{
			name:   "Identity-H with Adobe-GB1 and no ToUnicode",
			spec:   Spec{Subtype: "Type0", BaseFont: "SimSun", Encoding: "Identity-H", Ordering: "GB1", W: w},
			in:     "\x11\xcf\x07\x53\x00\x22",
			want:   []want{g("中", 1), g("国", 0.99), g("A", 0.51)},
			method: "Identity+Adobe-GB1",
		},
		{
			name:     "Identity-V default vertical metrics",
			spec:     Spec{Subtype: "Type0", BaseFont: "SimSun", Encoding: "Identity-V", Ordering: "GB1", W2: []CIDVMetric{{34, 34, -880, 250, 880}}},
			in:       "\x11\xcf\x00\x22",
			want:     []want{g("中", 1), g("A", 0.88)},
			vertical: true,
		},
		{
			name:   "Identity-H without ToUnicode, Identity ordering",
			spec:   Spec{Subtype: "Type0", BaseFont: "ABCDEF+SimSun", Encoding: "Identity-H", Ordering: "Identity"},
			in:     "\x00\x01\x00",
			want:   []want{gc(replacement, 1, 1, 2), gc(replacement, 1, 0, 1)},
			method: "none",
			warn:   `font "ABCDEF+SimSun": no ToUnicode and no known encoding; text shown as U+FFFD`,
		},
		{
			name:   "unshipped Unicode CMap",
			spec:   Spec{Subtype: "Type0", BaseFont: "MingLiU", Encoding: "UniCNS-UCS2-H", DW: ptr(1000)},
			in:     "\x4e\x2d",
			want:   []want{g("中", 1)},
			method: "UniCNS-UCS2-H",
			warn:   "not available",
		},
	})
}

func TestEmbeddedCMap(t *testing.T) {
	enc := []byte(`%!PS-Adobe-3.0 Resource-CMap
/CIDInit /ProcSet findresource begin 12 dict begin begincmap
/CIDSystemInfo 3 dict dup begin /Registry (Adobe) def /Ordering (GB1) def /Supplement 2 def end def
/CMapName /Custom-H def /WMode 0 def
2 begincodespacerange <00> <80> <8140> <FEFE> endcodespacerange
1 begincidchar <d6d0> 4559 endcidchar
2 begincidrange <20> <20> 7716 <21> <7e> 814 endcidrange
endcmap CMapName currentdict /CMap defineresource pop end end`)
	useGBK := []byte("/GBK-EUC-H usecmap\n1 begincidchar <d6d0> 1875 endcidchar")
	w := []CIDWidth{{4559, 4559, 1000}, {846, 846, 500}, {1875, 1875, 990}}
	runCases(t, []fontCase{
		{
			name: "own ranges, GB1 text",
			spec: Spec{Subtype: "Type0", BaseFont: "Custom", EncodingCMap: enc, W: w},
			in:   "\xd6\xd0A \xb9\xfa",
			// CID 7716 is U+2002 in Adobe-GB1-UCS2.
			want:   []want{g("中", 1), g("A", 0.5), g("\u2002", 1), gc(replacement, 1, 0xB9FA, 2)},
			method: "embedded CMap+Adobe-GB1",
		},
		{
			name:   "usecmap GBK-EUC-H",
			spec:   Spec{Subtype: "Type0", BaseFont: "Custom", EncodingCMap: useGBK, W: w},
			in:     "\xd6\xd0A",
			want:   []want{g("中", 0.99), g("A", 0.5)}, // text from GBK bytes, CID overridden
			method: "embedded CMap (usecmap GBK-EUC-H)",
		},
		{
			name:   "usecmap Identity-H",
			spec:   Spec{Subtype: "Type0", BaseFont: "Custom", EncodingCMap: []byte("/Identity-H usecmap 1 begincidchar <0001> 4559 endcidchar"), Ordering: "GB1", W: w},
			in:     "\x00\x01\x07\x53",
			want:   []want{g("中", 1), g("国", 0.99)},
			method: "embedded CMap+Adobe-GB1",
		},
		{
			name:   "empty embedded CMap",
			spec:   Spec{Subtype: "Type0", BaseFont: "X", EncodingCMap: []byte{}, ToUnicode: toUni("<0000> <FFFF>", "1 beginbfchar <0001> <0041> endbfchar")},
			in:     "\x00\x01",
			want:   []want{g("A", 1)},
			method: "ToUnicode",
			warn:   "embedded encoding CMap is empty",
		},
	})
}

func TestSimpleFonts(t *testing.T) {
	runCases(t, []fontCase{
		{
			name:   "Helvetica standard-14 metrics, WinAnsi",
			spec:   Spec{Subtype: "Type1", BaseFont: "Helvetica", Encoding: "WinAnsiEncoding"},
			in:     "A 1'\x93\x80",
			want:   []want{g("A", 0.667), g(" ", 0.278), g("1", 0.556), g("'", 0.191), g("“", 0.333), g("€", 0.556)},
			method: "WinAnsiEncoding",
		},
		{
			name:   "Arial,Bold alias",
			spec:   Spec{Subtype: "TrueType", BaseFont: "Arial,Bold", Encoding: "WinAnsiEncoding"},
			in:     "Aa",
			want:   []want{g("A", 0.722), g("a", 0.556)},
			method: "WinAnsiEncoding",
		},
		{
			name: "Times New Roman alias, StandardEncoding quoteright",
			spec: Spec{Subtype: "Type1", BaseFont: "TimesNewRomanPSMT", Encoding: "StandardEncoding"},
			in:   "A'`",
			want: []want{g("A", 0.722), g("’", 0.333), g("‘", 0.333)},
		},
		{
			name: "Times-Bold",
			spec: Spec{Subtype: "Type1", BaseFont: "Times-Bold", Encoding: "WinAnsiEncoding"},
			in:   "A1",
			want: []want{g("A", 0.722), g("1", 0.5)},
		},
		{
			name: "Courier New",
			spec: Spec{Subtype: "TrueType", BaseFont: "ABCDEF+CourierNewPSMT", Encoding: "WinAnsiEncoding"},
			in:   "iW",
			want: []want{g("i", 0.6), g("W", 0.6)},
		},
		{
			name: "Symbol built-in",
			spec: Spec{Subtype: "Type1", BaseFont: "Symbol"},
			in:   "ab",
			want: []want{g("α", 0.631), g("β", 0.549)},
		},
		{
			name:   "MacRoman with widths and MissingWidth",
			spec:   Spec{Subtype: "TrueType", BaseFont: "Foo", Encoding: "MacRomanEncoding", FirstChar: 0x80, Widths: []float64{610}, MissingWidth: ptr(300)},
			in:     "\x80\xa5z",
			want:   []want{g("Ä", 0.61), g("•", 0.3), g("z", 0.3)},
			method: "MacRomanEncoding",
		},
		{
			name: "PDFDocEncoding, no widths, not standard-14: 0.5",
			spec: Spec{Subtype: "Type1", BaseFont: "Foo", Encoding: "PDFDocEncoding"},
			in:   "\x18\x84\xa0",
			want: []want{g("˘", 0.5), g("—", 0.5), g("€", 0.5)},
		},
		{
			name: "Differences: glyph list, uni, u, ligature, suffix, gNN",
			spec: Spec{Subtype: "Type1", BaseFont: "ABCDEF+Foo", Encoding: "WinAnsiEncoding",
				Differences: []Difference{{1, "uni4E2D"}, {2, "u1F600"}, {3, "f_i"}, {4, "a.sc"}, {5, "g12"}, {6, "cid345"}, {7, "Euro"}, {8, "uni00410042"}},
				FirstChar:   1, Widths: []float64{1000, 1000, 500, 400, 300, 300, 556, 900}},
			in:     "\x01\x02\x03\x04\x05\x06\x07\x08A",
			want:   []want{g("中", 1), g("😀", 1), g("fi", 0.5), g("a", 0.4), g(replacement, 0.3), g(replacement, 0.3), g("€", 0.556), g("AB", 0.9), g("A", 0.5)},
			method: "WinAnsiEncoding+Differences",
			warn:   `font "ABCDEF+Foo": 2 glyph names without Unicode (e.g. g12, cid345)`,
		},
		{
			name: "Type3 FontMatrix scale",
			spec: Spec{Subtype: "Type3", BaseFont: "", FontMatrix: []float64{0.01, 0, 0, 0.01, 0, 0},
				Differences: []Difference{{65, "A"}, {66, "B"}}, FirstChar: 65, Widths: []float64{50, 75}},
			in:   "ABC",
			want: []want{g("A", 0.5), g("B", 0.75), g(replacement, 0)},
		},
		{
			// Chromium (Skia): unused codes carry the .notdef glyph g0
			// and no ToUnicode entry; they draw nothing, so no warning.
			name: "Type3 from Chromium: g0 fillers",
			spec: Spec{Subtype: "Type3", FontMatrix: []float64{0.001, 0, 0, -0.001, 0, 0},
				Differences: []Difference{{0, "g0"}, {1, "g0"}, {2, "g4DC4"}}, FirstChar: 0, Widths: []float64{1000, 0, 1000},
				ToUnicode: toUni("<00> <FF>", "1 beginbfchar <02> <2F00> endbfchar")},
			in:     "\x02",
			want:   []want{g("\u2F00", 1)},
			method: "ToUnicode",
		},
		{
			name:   "Type3 glyph drawn without Unicode",
			spec:   Spec{Subtype: "Type3", FontMatrix: []float64{0.001, 0, 0, 0.001, 0, 0}, Differences: []Difference{{0, "g0"}, {1, "g17"}, {2, "A"}}, FirstChar: 0, Widths: []float64{0, 500, 500}},
			in:     "\x01\x02",
			want:   []want{g(replacement, 0.5), g("A", 0.5)},
			method: "+Differences",
			warn:   `1 glyph names without Unicode (e.g. g17)`,
		},
		{
			name:   "Type3 without names",
			spec:   Spec{Subtype: "Type3", BaseFont: "T3", FirstChar: 65, Widths: []float64{500}, FontMatrix: []float64{0.001, 0, 0, 0.001, 0, 0}},
			in:     "A",
			want:   []want{g(replacement, 0.5)},
			method: "none",
			warn:   `font "T3": no ToUnicode and no known encoding; text shown as U+FFFD`,
		},
		{
			name:   "symbolic TrueType without Encoding",
			spec:   Spec{Subtype: "TrueType", BaseFont: "ABCDEE+Wingdings", Flags: 4, FirstChar: 32, Widths: []float64{250, 800}},
			in:     " !",
			want:   []want{g(" ", 0.25), g("!", 0.8)},
			method: "WinAnsiEncoding (assumed)",
			warn:   `font "ABCDEE+Wingdings": symbolic TrueType font without ToUnicode or /Encoding`,
		},
		{
			name:   "nonsymbolic TrueType with ToUnicode, 1-byte codes",
			spec:   Spec{Subtype: "TrueType", BaseFont: "ABCDEE+SimSun", Encoding: "WinAnsiEncoding", ToUnicode: toUni("<00> <FF>", "1 beginbfchar <31> <0031> endbfchar", "1 beginbfrange <41> <42> <4E00> endbfrange"), FirstChar: 49, Widths: []float64{500}},
			in:     "1AB",
			want:   []want{g("1", 0.5), g("一", 0.5), g("丁", 0.5)},
			method: "ToUnicode",
		},
		{
			name:   "embedded Type1 without Encoding",
			spec:   Spec{Subtype: "Type1", BaseFont: "ABCDEF+Minion", FirstChar: 39, Widths: []float64{250}},
			in:     "'",
			want:   []want{g("’", 0.25)},
			method: "StandardEncoding (assumed)",
			warn:   "built-in encoding is assumed to be StandardEncoding",
		},
		{
			name: "unknown encoding name",
			spec: Spec{Subtype: "Type1", BaseFont: "Foo", Encoding: "MacExpertEncoding"},
			in:   "a",
			want: []want{g("a", 0.5)},
			warn: `unknown encoding "MacExpertEncoding"`,
		},
	})
}

func TestNewErrors(t *testing.T) {
	if _, err := New(Spec{Subtype: "CIDFontType2", BaseFont: "X"}); err == nil {
		t.Fatal("want error for a descendant subtype")
	}
}

func TestStandard14Names(t *testing.T) {
	for in, want := range map[string]string{
		"Helvetica": "Helvetica", "ABCDEF+Arial-BoldMT": "Helvetica-Bold", "Arial,Italic": "Helvetica-Oblique",
		"Arial,BoldItalic": "Helvetica-BoldOblique", "Times New Roman": "Times-Roman", "Times New Roman,Bold": "Times-Bold",
		"TimesNewRomanPS-BoldItalicMT": "Times-BoldItalic", "Courier": "Courier", "CourierNewPS-BoldMT": "Courier-Bold",
		"Symbol": "Symbol", "ZapfDingbats": "ZapfDingbats", "SimSun": "", "Calibri": "",
	} {
		if got := standard14(in); got != want {
			t.Errorf("standard14(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestTables(t *testing.T) {
	var cmaps []string
	for name := range sections() {
		if n, ok := strings.CutPrefix(name, "cmap/"); ok {
			cmaps = append(cmaps, n)
		}
	}
	if len(cmaps) != 14 {
		t.Errorf("%d cmaps: %v", len(cmaps), cmaps)
	}
	for _, tc := range []struct {
		cmap string
		code uint32
		n    int
		cid  uint32
	}{
		{"GBK-EUC-H", 0xD6D0, 2, 4559}, {"GBK-EUC-H", 0x41, 1, 846}, {"GBK-EUC-H", 0x20, 1, 7716},
		{"GBK-EUC-H", 0xA1A2, 2, 97}, {"GBK-EUC-V", 0xA1A2, 2, 575}, {"GBK-EUC-V", 0xD6D0, 2, 4559},
		{"GBK2K-H", 0x81308436, 4, 22354}, {"GBK2K-V", 0x81308436, 4, 22354}, {"GB-EUC-H", 0xB0A1, 2, 940},
		{"GBpc-EUC-H", 0x80, 1, 7712}, {"UniGB-UCS2-H", 0x41, 2, 34}, {"UniGB-UCS2-V", 0x3001, 2, 575},
		{"UniGB-UTF16-H", 0xD840DC87, 4, 22048}, {"UniGB-UTF16-V", 0x4E2D, 2, 4559},
	} {
		if got := predefined(tc.cmap).dense().lookup(tc.code, tc.n); got != tc.cid {
			t.Errorf("%s %#x: CID %d, want %d", tc.cmap, tc.code, got, tc.cid)
		}
	}
	for cid, r := range map[uint32]rune{4559: '中', 1875: '国', 34: 'A', 97: '、', 0x5630: 0x9FB5, 22048: 0x20087, 0: 0, 1 << 30: 0} {
		if got := gb1().at(cid); got != r {
			t.Errorf("gb1[%d] = %U, want %U", cid, got, r)
		}
	}
	if predefined("Identity-H") != nil || predefined("KSC-EUC-H") != nil {
		t.Error("a CMap that is not shipped was found")
	}
	if g := glyphs(); len(g.names) < 4000 || !sort.StringsAreSorted(g.names) {
		t.Errorf("%d glyph names, sorted %v", len(g.names), sort.StringsAreSorted(g.names))
	}
	if m := std14("Helvetica"); m == nil || m.byRune['A'] != 667 || m.builtin['A'] != 'A' {
		t.Errorf("Helvetica metrics %v", m)
	}
	if len(tablesData) > 1<<20 {
		t.Errorf("tables.bin is %d bytes", len(tablesData))
	}
}

// TestSectionsDecode: every section decodes (they are decoded lazily, so
// a corrupt one would otherwise show only with the PDF that needs it).
func TestSectionsDecode(t *testing.T) {
	n := 0
	for name := range sections() {
		switch {
		case strings.HasPrefix(name, "cmap/"):
			if m := predefined(strings.TrimPrefix(name, "cmap/")); m == nil || m.dense() == nil {
				t.Errorf("%s: not decoded", name)
			}
		case strings.HasPrefix(name, "std14/"):
			m := std14(strings.TrimPrefix(name, "std14/"))
			coded := 0
			for _, w := range m.codeW {
				if w > 0 {
					coded++
				}
			}
			if coded < 90 {
				t.Errorf("%s: %d codes with widths", name, coded)
			}
		case name == "gb1", name == "glyphs":
		default:
			t.Errorf("unknown section %s", name)
		}
		n++
	}
	if n != 14+14+2 {
		t.Errorf("%d sections, want 30", n)
	}
}

// TestDecodeAllocs guards the hot loop: no allocation beyond dst.
func TestDecodeAllocs(t *testing.T) {
	for _, spec := range []Spec{
		benchIdentitySpec(),
		{Subtype: "Type0", BaseFont: "SimSun", Encoding: "GBK-EUC-H", W: []CIDWidth{{4559, 4559, 1000}}},
		{Subtype: "TrueType", BaseFont: "Arial", Encoding: "WinAnsiEncoding"},
	} {
		f, err := New(spec)
		if err != nil {
			t.Fatal(err)
		}
		s := benchString(spec.Encoding)
		dst := make([]Glyph, 0, len(s))
		if n := testing.AllocsPerRun(50, func() { dst = f.Decode(s, dst[:0]) }); n != 0 {
			t.Errorf("%s: %v allocs per Decode", spec.Encoding, n)
		}
	}
}

func benchIdentitySpec() Spec {
	var b strings.Builder
	fmt.Fprintf(&b, "100 beginbfchar\n")
	for i := 0; i < 100; i++ {
		fmt.Fprintf(&b, "<%04X> <%04X>\n", i+1, 0x4E00+i*37)
	}
	b.WriteString("endbfchar\n")
	fmt.Fprintf(&b, "3 beginbfrange\n<0100> <01FF> <5000>\n<0200> <02FF> <6000>\n<0300> <03FF> <0041>\nendbfrange\n")
	return Spec{Subtype: "Type0", BaseFont: "ABCDEF+SimSun", Encoding: "Identity-H", Ordering: "Identity",
		ToUnicode: toUni("<0000> <FFFF>", b.String()), W: []CIDWidth{{1, 100, 1000}, {0x300, 0x3FF, 500}}}
}

func benchString(enc string) []byte {
	var s []byte
	switch enc {
	case "Identity-H":
		for i := 0; i < 1000; i++ {
			c := []int{i%100 + 1, 0x100 + i%256, 0x300 + i%26}[i%3]
			s = append(s, byte(c>>8), byte(c))
		}
	case "GBK-EUC-H":
		for i := 0; i < 1000; i++ {
			if i%4 == 0 {
				s = append(s, byte('0'+i%10))
			} else {
				s = append(s, 0xB0+byte(i%40), 0xA1+byte(i%90))
			}
		}
	default:
		for i := 0; i < 1000; i++ {
			s = append(s, byte(32+i%95))
		}
	}
	return s
}

func BenchmarkDecode(b *testing.B) {
	for _, bc := range []struct {
		name string
		spec Spec
	}{
		{"IdentityH-ToUnicode", benchIdentitySpec()},
		{"GBK-EUC-H", Spec{Subtype: "Type0", BaseFont: "SimSun", Encoding: "GBK-EUC-H", Ordering: "GB1", W: []CIDWidth{{4559, 4559, 1000}, {814, 907, 500}}}},
		{"WinAnsi", Spec{Subtype: "TrueType", BaseFont: "Arial", Encoding: "WinAnsiEncoding"}},
	} {
		f, err := New(bc.spec)
		if err != nil {
			b.Fatal(err)
		}
		s := benchString(bc.spec.Encoding)
		dst := make([]Glyph, 0, len(s))
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(s)))
			for b.Loop() {
				dst = f.Decode(s, dst[:0])
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(dst)), "ns/glyph")
		})
	}
}

// TestRuneString: every code point's text, BMP ones without allocating.
func TestRuneString(t *testing.T) {
	for r := rune(-1); r <= 0x110000; r++ {
		want := string(r)
		if r < 0 || r >= 0xD800 && r <= 0xDFFF || r > 0x10FFFF {
			want = replacement
		}
		if got := runeString(r); got != want {
			t.Fatalf("runeString(%U) = %q, want %q", r, got, want)
		}
	}
	if n := testing.AllocsPerRun(10, func() {
		for _, r := range "A中€ü、\u0800\uFFFF" {
			_ = runeString(r)
		}
	}); n != 0 {
		t.Errorf("%v allocs for BMP runes", n)
	}
}
