package textlayer

import "strings"

// Some producers map glyphs to look-alike code points: Chromium (Skia)
// print-to-PDF writes ToUnicode entries to Kangxi Radicals (⼀ U+2F00 for
// 一, ⽀ U+2F40 for 支) and to the CJK Radicals Supplement (⻅ for 见),
// because its fonts draw both with one glyph; WPS shows such code points
// through UniGB-UCS2-H; other fonts carry CJK Compatibility Ideographs.
// Read as they are, titles and names no longer match (收⽀总表). Where
// Chromium adds /ActualText, that gives the text (actualtext.go); the fold
// reads everything else as poppler does through Adobe-GB1: by Unicode's
// Equivalent_Unified_Ideograph, so ⼾ U+2F3E gives 戶 even where the
// source had 户.
//
//go:generate go run ./internal/gen -o fold_table.go

// foldRune returns the unified ideograph a radical or compatibility
// ideograph stands for, or r itself.
func foldRune(r rune) rune {
	var f rune
	switch {
	case r >= 0x2E80 && r <= 0x2FDF:
		f = radicals[r-0x2E80]
	case r >= 0xF900 && r <= 0xFAFF:
		f = compat[r-0xF900]
	case r >= 0x2F800 && r <= 0x2FA1F:
		f = compatSup[r-0x2F800]
	}
	if f == 0 {
		return r
	}
	return f
}

// fold returns s with every radical and compatibility ideograph replaced
// by its unified ideograph, and how many were replaced. It allocates only
// when it replaces something.
//
// A control character (C0, DEL, C1) is no text anyone printed: some
// producers map blanks to one (pdftocairo writes DEL for the spaces of a
// title). It becomes a space, and is not counted.
func fold(s string) (string, int) {
	// Every foldable rune starts with one of these bytes (U+2E80–U+2FDF:
	// E2, U+F900–U+FAFF: EF, U+2F800–: F0); CJK text mostly has none.
	if strings.IndexByte(s, 0xE2) < 0 && strings.IndexByte(s, 0xEF) < 0 && strings.IndexByte(s, 0xF0) < 0 && !hasControl(s) {
		return s, 0
	}
	n, controls := 0, false
	for _, r := range s {
		switch {
		case isControl(r):
			controls = true
		case foldRune(r) != r:
			n++
		}
	}
	if n == 0 && !controls {
		return s, 0
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		if isControl(r) {
			r = ' '
		}
		b.WriteRune(foldRune(r))
	}
	return b.String(), n
}

func isControl(r rune) bool { return r < 0x20 || r >= 0x7F && r <= 0x9F }

// hasControl reports whether s holds a control character: a byte below
// 0x20, DEL, or a C1 control (C2 80–C2 9F in UTF-8).
func hasControl(s string) bool {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c < 0x20 || c == 0x7F:
			return true
		case c == 0xC2 && i+1 < len(s) && s[i+1] >= 0x80 && s[i+1] <= 0x9F:
			return true
		}
	}
	return false
}

// foldGlyphs folds the text of every glyph and returns how many characters
// it replaced.
func foldGlyphs(gs []Glyph) int {
	n := 0
	for i := range gs {
		var k int
		gs[i].Text, k = fold(gs[i].Text)
		n += k
	}
	return n
}
