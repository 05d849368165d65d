package font

import (
	"testing"
	"unicode/utf8"

	"yusuan/extract/font/internal/cmap"
)

func cmapSeeds(f *testing.F) {
	f.Add([]byte(testToUnicode))
	f.Add(toUni("<00> <FF>", "1 beginbfrange <00> <FF> <0000> endbfrange"))
	f.Add(toUni("<0000> <FFFF>", "1 beginbfrange <0000> <FFFF> [<0041> <D83DDE00> <>] endbfrange"))
	f.Add(toUni("<0000> <FFFF>", "1 beginbfrange <00FF> <0300> <D83DDEFF> endbfrange", "/Foo usecmap"))
	f.Add([]byte("2 begincodespacerange <00> <80> <8140> <FEFE> endcodespacerange 1 begincidrange <8140> <FEFE> 100 endcidrange 1 begincidchar <41> 5 endcidchar"))
	f.Add([]byte("3 begincodespacerange <00> <7F> <81308130> <FE39FE39> <8140> <FEFE> endcodespacerange"))
	f.Add([]byte("<<(()\\)>> [ <<<< ] beginbfchar <zz> <0041 endbfchar"))
}

// FuzzCMap checks that the CMap parser and the ToUnicode table never panic
// and that lookups return valid UTF-8.
func FuzzCMap(f *testing.F) {
	cmapSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		m, _ := cmap.Parse(data)
		if m == nil {
			t.Fatal("nil CMap")
		}
		tu := newToUnicode(m)
		if tu == nil {
			return
		}
		for _, c := range m.BFChars {
			if s := tu.lookup(c.Code, int(c.N)); !utf8.ValidString(s) {
				t.Fatalf("invalid UTF-8 %q", s)
			}
		}
		for _, r := range m.BFRanges {
			for _, c := range []uint32{r.Lo, r.Hi, r.Lo + (r.Hi-r.Lo)/2} {
				if s := tu.lookup(c, int(r.N)); !utf8.ValidString(s) {
					t.Fatalf("invalid UTF-8 %q", s)
				}
			}
		}
	})
}

var fuzzEncodings = []string{"Identity-H", "GBK-EUC-H", "GBK2K-V", "UniGB-UTF16-H", "UniGB-UCS2-V", "GBpc-EUC-H", "UniKS-UTF16-H", "Bogus"}

// FuzzDecode builds fonts of every family from fuzzed CMap data and decodes
// fuzzed strings: no panics, every byte consumed, 1..4 bytes per code.
func FuzzDecode(f *testing.F) {
	f.Add(uint8(0), []byte(testToUnicode), []byte("\x00\x01\x00\x02\x00"))
	f.Add(uint8(1), []byte{}, []byte("A\xd6\xd0\x81"))
	f.Add(uint8(2), []byte("2 begincodespacerange <00> <80> <8140> <FEFE> endcodespacerange"), []byte("\x81\x30\x84\x36\xff"))
	f.Add(uint8(11), []byte("1 begincodespacerange <00000000> <FFFFFFFF> endcodespacerange 1 begincidrange <00000000> <FFFFFFFF> 4294967295 endcidrange"), []byte("\xd8\x40\xdc"))
	f.Add(uint8(20), []byte(""), []byte("abc\x80\xff"))
	f.Fuzz(func(t *testing.T, sel uint8, data []byte, s []byte) {
		var spec Spec
		switch sel % 4 {
		case 0, 1: // Type0 with data as ToUnicode
			spec = Spec{Subtype: "Type0", BaseFont: "F", Encoding: fuzzEncodings[int(sel/4)%len(fuzzEncodings)], ToUnicode: data,
				Ordering: "GB1", W: []CIDWidth{{0xFFFFFF00, 0xFFFFFFFF, 500}, {4294967295, 4294967295, 1000}}, W2: []CIDVMetric{{1, 3, -500, 0, 0}}}
		case 2: // Type0 with data as the encoding CMap
			spec = Spec{Subtype: "Type0", BaseFont: "F", EncodingCMap: data}
		case 3: // simple font
			spec = Spec{Subtype: []string{"Type1", "TrueType", "Type3", "MMType1"}[int(sel/4)%4], BaseFont: "Helvetica",
				ToUnicode: data, Differences: []Difference{{-1, "x"}, {300, "y"}, {65, string(data)}}, FirstChar: -5, Widths: []float64{1, 2}}
		}
		fnt, err := New(spec)
		if err != nil {
			return
		}
		gs := fnt.Decode(s, nil)
		total := 0
		for _, gl := range gs {
			if gl.Len < 1 || gl.Len > 4 || gl.Text == "" || !utf8.ValidString(gl.Text) {
				t.Fatalf("bad glyph %+v", gl)
			}
			total += gl.Len
		}
		if total != len(s) {
			t.Fatalf("consumed %d of %d bytes", total, len(s))
		}
	})
}
