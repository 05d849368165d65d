package textlayer

import (
	"testing"
	"unicode"
)

func TestFold(t *testing.T) {
	for _, tc := range []struct {
		in, want string
		n        int
	}{
		{"⼀、⼀般公共预算", "一、一般公共预算", 2},                         // Kangxi U+2F00
		{"收⽀总表", "收支总表", 1},                                 // U+2F40
		{"⻅证 ⻈ ⻓期 ⻔", "见证 讠 长期 门", 4},                       // CJK Radicals Supplement (simplified forms)
		{"⺟亲 ⻳", "母亲 龟", 2},                                 // the two supplement radicals NFKC also folds
		{"\uF900 \uFA11 \uF929", "\u8C48 \uFA11 \u6717", 2}, // compatibility ideographs; U+FA11 﨑 is unified and stays
		{"\U0002F800", "丽", 1},                              // CJK Compatibility Ideographs Supplement
		{"一般公共预算“三公”—", "一般公共预算“三公”—", 0},                   // E2-led punctuation passes unchanged
		{"2026年 108.22", "2026年 108.22", 0},
		{"⿰", "⿰", 0}, // an ideographic description character is no radical
		{"\x7f\x7f2026年度\x7f泉州市公安局\x7f部门预算", "  2026年度 泉州市公安局 部门预算", 0}, // pdftocairo's blanks (DEL)
		{"收\u0085⽀\t总表\x00", "收 支 总表 ", 1},                              // C1, C0 controls become spaces, not counted
		{"", "", 0},
	} {
		got, n := fold(tc.in)
		if got != tc.want || n != tc.n {
			t.Errorf("fold(%q) = %q, %d; want %q, %d", tc.in, got, n, tc.want, tc.n)
		}
	}
}

// TestFoldTable checks the generated table: every Kangxi radical folds,
// and everything folds to a unified ideograph outside the folded blocks.
func TestFoldTable(t *testing.T) {
	for r := rune(0x2F00); r <= 0x2FD5; r++ {
		if foldRune(r) == r {
			t.Errorf("Kangxi radical %U does not fold", r)
		}
	}
	for _, r := range []rune{0x2E80, 0x2E9A, 0x2EF4, 0x2FD6, 0x2FF0, 0xFA0E, 0xFA11, 0xFA29, 0x4E00, 0x9FA5} {
		if foldRune(r) != r {
			t.Errorf("%U folds to %U; it should stay", r, foldRune(r))
		}
	}
	n := 0
	for _, tab := range [][]rune{radicals[:], compat[:], compatSup[:]} {
		for _, f := range tab {
			if f == 0 {
				continue
			}
			n++
			if !unicode.Is(unicode.Ideographic, f) || foldRune(f) != f {
				t.Errorf("folds to %U, not a unified ideograph", f)
			}
		}
	}
	if n != 328+460+542 {
		t.Errorf("%d entries, want %d", n, 328+460+542)
	}
}

func BenchmarkFoldPlain(b *testing.B) {
	for b.Loop() {
		fold("预")
	}
}
