package textlayer

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"yusuan/fixtures/pdfgen"
)

// TestActualText: glyphs inside a marked-content span with /ActualText
// read as the actual text, as poppler reads them; radicals outside one
// are folded.
func TestActualText(t *testing.T) {
	d := pdfgen.New(pdfgen.Options{Seed: "actualtext"})
	f := d.AddFont(pdfgen.Type0IdentityH)
	p := d.AddPage(595, 842)
	p.BT().Tf(f, 12).Td(72, 700)
	// Chromium: one glyph per span, its ToUnicode a Kangxi radical.
	p.Raw("/Span <</ActualText <FEFF6237>>> BDC").Tj("⼾").Raw("EMC")
	p.Tj("⼀")
	// A span over three glyphs with a two-character text: all on the first.
	p.Raw("/Span <</ActualText (AB)>> BDC").Tj("123").Raw("EMC")
	// Nested spans: the outer one's text counts; BMC spans carry none.
	p.Raw("/Span <</ActualText <FEFF9884>>> BDC /P <</MCID 3>> BDC").Tj("X").Raw("EMC EMC")
	p.Raw("/Artifact BMC").Tj("算").Raw("EMC")
	// An empty actual text removes its glyphs; an unbalanced EMC is ignored.
	p.Raw("/Span <</ActualText ()>> BDC").Tj("-").Raw("EMC EMC")
	// A span left open at the end of the stream still applies.
	p.Raw("/Span <</ActualText <FEFF8868>>> BDC").Tj("Y")
	p.ET()
	data, err := d.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	doc, err := Read(context.Background(), data, Options{})
	if err != nil {
		t.Fatal(err)
	}
	pg := doc.Pages[0]
	var texts []string
	for _, g := range pg.Glyphs {
		texts = append(texts, g.Text)
	}
	if got, want := strings.Join(texts, "|"), "户|一|AB|预|算|表"; got != want {
		t.Errorf("glyphs %q, want %q", got, want)
	}
	if pg.ActualText != 7 || pg.Folded != 1 {
		t.Errorf("ActualText %d, Folded %d; want 7, 1", pg.ActualText, pg.Folded)
	}
	// "AB" stretches over the three digits it replaced.
	if ab := pg.Glyphs[2]; ab.Adv < 3*f.WidthAt("1", 12)-0.01 {
		t.Errorf("AB advance %.2f, want the three digits' %.2f", ab.Adv, 3*f.WidthAt("1", 12))
	}
}

func TestTextString(t *testing.T) {
	for in, want := range map[string]string{"\xFE\xFF\x62\x37": "户", "\xFE\xFF\xD8\x40\xDC\x87": "\U00020087", "\xEF\xBB\xBF户": "户", "caf\xE9": "café", "": ""} {
		if got := textString([]byte(in)); got != want {
			t.Errorf("textString(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestActualTextNamed: BDC's property list named in the page's
// /Properties, as Acrobat writes it.
func TestActualTextNamed(t *testing.T) {
	data := onePage(`BT /F1 12 Tf 72 700 Td /Span /MC0 BDC (ab) Tj EMC /Span /MC1 BDC (c) Tj EMC /Span /MC0 BDC (de) Tj EMC ET`,
		`/Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >> /Properties << /MC0 << /ActualText <FEFF9884> >> /MC1 << /MCID 4 >> >>`)
	doc, err := Read(context.Background(), data, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var texts []string
	for _, g := range doc.Pages[0].Glyphs {
		texts = append(texts, g.Text)
	}
	if got := strings.Join(texts, "|"); got != "预|c|预" {
		t.Errorf("glyphs %q, want 预|c|预", got)
	}
}

// onePage writes a one-page PDF with the given content stream and page
// resources.
func onePage(content, resources string) []byte {
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << " + resources + " >> /Contents 4 0 R >>",
		fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(content)+1, content),
	}
	return pdfgen.Classic(objs...)
}
