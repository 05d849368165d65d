package font_test

import (
	"fmt"

	"yusuan/extract/font"
)

// A non-embedded GBK-EUC-H font as written by iText: text comes from the GBK
// bytes, widths from /W by CID (GBK-EUC-H maps <D6D0> to CID 4559).
func ExampleNew() {
	dw := 1000.0
	f, err := font.New(font.Spec{
		Subtype:  "Type0",
		BaseFont: "SimHei",
		Encoding: "GBK-EUC-H",
		Ordering: "GB1",
		DW:       &dw,
		W:        []font.CIDWidth{{First: 814, Last: 907, W: 500}},
	})
	if err != nil {
		panic(err)
	}
	var glyphs []font.Glyph
	glyphs = f.Decode([]byte("\xd6\xd0 12"), glyphs[:0])
	for _, g := range glyphs {
		fmt.Printf("%q len=%d adv=%v space=%v\n", g.Text, g.Len, g.Advance, g.Space)
	}
	fmt.Println(f.Method(), f.Vertical(), len(f.Warnings()))
	// Output:
	// "中" len=2 adv=1 space=false
	// " " len=1 adv=1 space=true
	// "1" len=1 adv=0.5 space=false
	// "2" len=1 adv=0.5 space=false
	// GBK-EUC-H false 0
}
