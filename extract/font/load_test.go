package font

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/ledongthuc/pdf"

	"yusuan/fixtures/pdfgen"
)

func stream(dict, data string) string {
	return fmt.Sprintf("<< %s /Length %d >>\nstream\n%s\nendstream", dict, len(data), data)
}

// pageWithFonts returns the bodies of a one-page document whose page
// resources name fonts /F1.. as objects 4.., followed by extra objects.
func pageWithFonts(nfonts int, rest ...string) []string {
	var fonts []string
	for i := 0; i < nfonts; i++ {
		fonts = append(fonts, fmt.Sprintf("/F%d %d 0 R", i+1, 4+i))
	}
	return append([]string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << " + strings.Join(fonts, " ") + " >> >> >>",
	}, rest...)
}

func fontValue(t testing.TB, doc []byte, name string) pdf.Value {
	t.Helper()
	r, err := pdf.NewReader(bytes.NewReader(doc), int64(len(doc)))
	if err != nil {
		t.Fatalf("NewReader: %v", err)
	}
	return r.Page(1).Resources().Key("Font").Key(name)
}

const testToUnicode = `/CIDInit /ProcSet findresource begin 12 dict begin begincmap
/CMapName /Adobe-Identity-UCS def /CMapType 2 def
1 begincodespacerange <0000> <FFFF> endcodespacerange
2 beginbfchar <0001> <4E2D> <0002> <56FD> endbfchar
1 beginbfrange <0010> <0011> [<0031> <0032>] endbfrange
endcmap CMapName currentdict /CMap defineresource pop end end`

func testDoc() []byte {
	return pdfgen.Classic(pageWithFonts(6,
		// 4: Type0 Identity-H + ToUnicode + W/DW.
		"<< /Type /Font /Subtype /Type0 /BaseFont /ABCDEF+SimSun /Encoding /Identity-H /DescendantFonts [10 0 R] /ToUnicode 11 0 R >>",
		// 5: TrueType WinAnsi with widths and a descriptor.
		"<< /Type /Font /Subtype /TrueType /BaseFont /ABCDEE+Calibri /Encoding /WinAnsiEncoding /FirstChar 48 /LastChar 50 /Widths [507 507 12 0 R] /FontDescriptor 13 0 R >>",
		// 6: Type0 GBK-EUC-H, not embedded, W in both forms.
		"<< /Type /Font /Subtype /Type0 /BaseFont /SimHei /Encoding /GBK-EUC-H /DescendantFonts [<< /Type /Font /Subtype /CIDFontType2 /BaseFont /SimHei /CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 2 >> /DW 1000 /W [814 907 500 4559 [990]] >>] >>",
		// 7: Type1 with Differences, no widths: standard-14 metrics.
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding << /Type /Encoding /BaseEncoding /WinAnsiEncoding /Differences [65 /uni4E2D /B 97 /g17] >> >>",
		// 8: ToUnicode with an unsupported filter: the library panics.
		"<< /Type /Font /Subtype /TrueType /BaseFont /Bad /ToUnicode 14 0 R >>",
		// 9: Type0 with an embedded encoding CMap and vertical metrics.
		"<< /Type /Font /Subtype /Type0 /BaseFont /Vert /Encoding 15 0 R /DescendantFonts [<< /Subtype /CIDFontType0 /CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) >> /DW2 [880 -1000] /W2 [4559 [-900 500 880] 97 98 -800 500 880] >>] >>",
		// 10: descendant of 4.
		"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /ABCDEF+SimSun /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /DW 1000 /W [1 [1000 980] 16 17 500.5] >>",
		// 11: ToUnicode of 4.
		stream("", testToUnicode),
		// 12: a Widths element given by reference.
		"226",
		// 13: descriptor of 5.
		"<< /Type /FontDescriptor /FontName /ABCDEE+Calibri /Flags 32 /MissingWidth 333 >>",
		// 14: stream with an unsupported filter.
		stream("/Filter /LZWDecode", "xx"),
		// 15: embedded CMap with WMode 1.
		stream("/Type /CMap /CMapName /Custom-V /WMode 1", "/WMode 1 def 1 begincodespacerange <0000> <FFFF> endcodespacerange 1 begincidrange <0000> <FFFF> 0 endcidrange"),
	)...)
}

func TestLoad(t *testing.T) {
	doc := testDoc()
	cases := []struct {
		font     string
		in       string
		want     []want
		name     string
		method   Method
		vertical bool
	}{
		{"F1", "\x00\x01\x00\x02\x00\x10\x00\x11\x00\x05", []want{g("中", 1), g("国", 0.98), g("1", 0.5005), g("2", 0.5005), g(replacement, 1)}, "ABCDEF+SimSun", "ToUnicode", false},
		{"F2", "0 12", []want{g("0", 0.507), g(" ", 0.333), g("1", 0.507), g("2", 0.226)}, "ABCDEE+Calibri", "WinAnsiEncoding", false},
		{"F3", "A\xd6\xd0\xb9\xfa", []want{g("A", 0.5), g("中", 0.99), g("国", 1)}, "SimHei", "GBK-EUC-H", false},
		{"F4", "ABab", []want{g("中", 0.5), g("B", 0.667), g(replacement, 0.5), g("b", 0.556)}, "Helvetica", "WinAnsiEncoding+Differences", false},
		{"F6", "\x11\xcf\x00\x61\x00\x62\x00\x63", []want{g("中", 0.9), g("、", 0.8), g("。", 0.8), g("·", 1)}, "Vert", "embedded CMap+Adobe-GB1", true},
	}
	for _, tc := range cases {
		t.Run(tc.font, func(t *testing.T) {
			f, err := Load(fontValue(t, doc, tc.font))
			if err != nil {
				t.Fatalf("Load: %v", err)
			}
			if f.Name() != tc.name || f.Method() != tc.method || f.Vertical() != tc.vertical {
				t.Errorf("got name %q method %q vertical %v", f.Name(), f.Method(), f.Vertical())
			}
			got := f.Decode([]byte(tc.in), nil)
			if len(got) != len(tc.want) {
				t.Fatalf("got %+v", got)
			}
			for i, w := range tc.want {
				if got[i].Text != w.text || got[i].Advance != w.adv {
					t.Errorf("glyph %d: got (%q, %v) want (%q, %v)", i, got[i].Text, got[i].Advance, w.text, w.adv)
				}
			}
		})
	}
	t.Run("panic becomes error", func(t *testing.T) {
		if _, err := Load(fontValue(t, doc, "F5")); err == nil || !strings.Contains(err.Error(), "Bad") {
			t.Fatalf("want error naming the font, got %v", err)
		}
	})
	t.Run("not a dictionary", func(t *testing.T) {
		if _, err := Load(pdf.Value{}); err == nil {
			t.Fatal("want error")
		}
	})
}

func BenchmarkLoad(b *testing.B) {
	doc := testDoc()
	vals := []pdf.Value{fontValue(b, doc, "F1"), fontValue(b, doc, "F2"), fontValue(b, doc, "F3")}
	for _, v := range vals { // the tables are decoded on first use
		if _, err := Load(v); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		for _, v := range vals {
			if _, err := Load(v); err != nil {
				b.Fatal(err)
			}
		}
	}
}
