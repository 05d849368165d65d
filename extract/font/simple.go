package font

import (
	"strings"

	"golang.org/x/text/encoding/charmap"
)

// pdfDocHigh is PDFDocEncoding 0x18-0x1F and 0x80-0xA0 (PDF 32000 D.2);
// other codes are ASCII / Latin-1, with 0x7F, 0x9F and 0xAD undefined.
var pdfDocLow = [8]rune{0x02D8, 0x02C7, 0x02C6, 0x02D9, 0x02DD, 0x02DB, 0x02DA, 0x02DC}
var pdfDocHigh = [33]rune{
	0x2022, 0x2020, 0x2021, 0x2026, 0x2014, 0x2013, 0x0192, 0x2044,
	0x2039, 0x203A, 0x2212, 0x2030, 0x201E, 0x201C, 0x201D, 0x2018,
	0x2019, 0x201A, 0x2122, 0xFB01, 0xFB02, 0x0141, 0x0152, 0x0160,
	0x0178, 0x017D, 0x0131, 0x0142, 0x0153, 0x0161, 0x017E, 0, 0x20AC,
}

// baseEncoding returns code → rune (0 = undefined) for a named simple-font
// encoding, or nil when the name is unknown.
func baseEncoding(name string) *[256]rune {
	var e [256]rune
	switch name {
	case "WinAnsiEncoding":
		for c := 0x20; c < 256; c++ {
			r := charmap.Windows1252.DecodeByte(byte(c))
			if r == 0xFFFD || r >= 0x80 && r < 0xA0 || r == 0x7F {
				continue
			}
			e[c] = r
		}
		// PDF 32000 D.2 note: unused codes print as bullets, and 0xA0/0xAD
		// are space and hyphen.
		for _, c := range []int{0x7F, 0x81, 0x8D, 0x8F, 0x90, 0x9D} {
			e[c] = 0x2022
		}
	case "MacRomanEncoding":
		for c := 0x20; c < 256; c++ {
			if c == 0x7F {
				continue
			}
			e[c] = charmap.Macintosh.DecodeByte(byte(c))
		}
	case "PDFDocEncoding":
		for c := 0x18; c < 0x20; c++ {
			e[c] = pdfDocLow[c-0x18]
		}
		for c := 0x20; c < 0x7F; c++ {
			e[c] = rune(c)
		}
		for c := 0x80; c <= 0xA0; c++ {
			e[c] = pdfDocHigh[c-0x80]
		}
		for c := 0xA1; c < 256; c++ {
			if c != 0xAD {
				e[c] = rune(c)
			}
		}
	case "StandardEncoding":
		e = std14("Helvetica").builtin
	case "Symbol", "ZapfDingbats":
		e = std14(name).builtin
	default:
		return nil
	}
	return &e
}

// standard14 maps a BaseFont (subset prefix removed) to its standard-14
// name, accepting the usual Windows aliases (Arial, Times New Roman, Courier
// New); "" when it is not one of them.
func standard14(base string) string {
	base = stripSubset(base)
	base = strings.ReplaceAll(base, " ", "")
	fam, style := base, ""
	if i := strings.IndexAny(base, ",-"); i >= 0 {
		fam, style = base[:i], base[i+1:]
	}
	lf := strings.ToLower(fam)
	switch lf {
	case "symbol", "symbolmt":
		return "Symbol"
	case "zapfdingbats":
		return "ZapfDingbats"
	}
	ls := strings.ToLower(style)
	bold := strings.Contains(ls, "bold") || strings.HasSuffix(lf, "bold")
	italic := strings.Contains(ls, "italic") || strings.Contains(ls, "oblique") ||
		strings.HasSuffix(lf, "italic")
	lf = strings.TrimSuffix(strings.TrimSuffix(lf, "italic"), "bold")
	switch lf {
	case "helvetica", "arial", "arialmt":
		switch {
		case bold && italic:
			return "Helvetica-BoldOblique"
		case bold:
			return "Helvetica-Bold"
		case italic:
			return "Helvetica-Oblique"
		}
		return "Helvetica"
	case "times", "timesnewroman", "timesnewromanps", "timesnewromanpsmt":
		switch {
		case bold && italic:
			return "Times-BoldItalic"
		case bold:
			return "Times-Bold"
		case italic:
			return "Times-Italic"
		}
		return "Times-Roman"
	case "courier", "couriernew", "couriernewps", "couriernewpsmt":
		switch {
		case bold && italic:
			return "Courier-BoldOblique"
		case bold:
			return "Courier-Bold"
		case italic:
			return "Courier-Oblique"
		}
		return "Courier"
	}
	return ""
}

// stripSubset removes a subset tag "ABCDEF+".
func stripSubset(name string) string {
	if len(name) > 7 && name[6] == '+' {
		for i := 0; i < 6; i++ {
			if name[i] < 'A' || name[i] > 'Z' {
				return name
			}
		}
		return name[7:]
	}
	return name
}
