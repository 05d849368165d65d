package layout

import (
	"testing"

	"yusuan/extract/textlayer"
)

// run lays out glyphs of equal advance from x on baseline y.
func run(s string, x, y, size, adv float64) []textlayer.Glyph {
	var out []textlayer.Glyph
	for _, r := range s {
		out = append(out, textlayer.Glyph{Text: string(r), X: x, Y: y, Adv: adv, Size: size})
		x += adv
	}
	return out
}

func concat(gs ...[]textlayer.Glyph) []textlayer.Glyph {
	var out []textlayer.Glyph
	for _, g := range gs {
		out = append(out, g...)
	}
	return out
}

func TestBuild(t *testing.T) {
	tests := []struct {
		name   string
		glyphs []textlayer.Glyph
		want   []string
	}{
		{"cjk then amount far right", concat(run("教育支出", 72, 700, 10, 10), run("97.42", 500, 700, 10, 5)), []string{"教育支出 97.42"}},
		{"two lines top first", concat(run("乙", 72, 680, 10, 10), run("甲", 72, 700, 10, 10)), []string{"甲", "乙"}},
		{"baseline jitter stays one line", concat(run("合计", 72, 700, 10, 10), run("1.00", 300, 701.5, 10, 5)), []string{"合计 1.00"}},
		{"dot leaders kept", run("概况.....", 72, 700, 9, 9)[:2], []string{"概况"}},
		{"fake bold removed", concat(run("支出", 72, 700, 10, 10), run("支出", 72.3, 700, 10, 10)), []string{"支出"}},
		{"narrow dots not duplicates", concat(run("况", 72, 700, 9, 9), run(".....", 81, 700, 9, 2.69)), []string{"况....."}},
		{"latin words get spaces", concat(run("WPS", 72, 700, 10, 5), run("Office", 92, 700, 10, 5)), []string{"WPS Office"}},
		{"cjk gap inside segment no space", concat(run("一般", 72, 700, 10, 10), run("公共", 95, 700, 10, 10)), []string{"一般公共"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := Build(textlayer.Page{Number: 1, Width: 595, Height: 842, Glyphs: tt.glyphs, Fonts: []string{"F"}}, Options{})
			var got []string
			for _, l := range p.Lines {
				got = append(got, l.Text())
			}
			if len(got) != len(tt.want) {
				t.Fatalf("lines %q, want %q", got, tt.want)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Errorf("line %d %q, want %q", i, got[i], tt.want[i])
				}
			}
		})
	}
}

func TestColumns(t *testing.T) {
	for s, want := range map[string]int{"abc": 3, "预算": 4, "１２": 4, "a预": 3} {
		if got := Columns(s); got != want {
			t.Errorf("Columns(%q) = %d, want %d", s, got, want)
		}
	}
}

// TestOffPage follows poppler: a glyph is off the page when its origin is
// outside across the baseline, whatever part of it shows.
func TestOffPage(t *testing.T) {
	const w, h = 595.0, 842.0
	for _, tc := range []struct {
		name string
		g    textlayer.Glyph
		off  bool
	}{
		{"title under the bottom edge, tops showing", textlayer.Glyph{X: 207, Y: -20.9, Adv: 26, Size: 26}, true},
		{"baseline on the page, descender below", textlayer.Glyph{X: 207, Y: 0.5, Adv: 9, Size: 9}, false},
		{"baseline over the top edge", textlayer.Glyph{X: 52, Y: 842.5, Adv: 5, Size: 5}, true},
		{"starts left of the page, ends on it", textlayer.Glyph{X: -3, Y: 400, Adv: 9, Size: 9}, false},
		{"ends left of the page", textlayer.Glyph{X: -10, Y: 400, Adv: 9, Size: 9}, true},
		{"starts past the right edge", textlayer.Glyph{X: 596, Y: 400, Adv: 9, Size: 9}, true},
		{"rotated, running up from under the bottom", textlayer.Glyph{X: 30, Y: -5, Adv: 9, Size: 9, Dir: textlayer.BottomToTop}, true},
		{"rotated, running up off the top", textlayer.Glyph{X: 30, Y: 838, Adv: 9, Size: 9, Dir: textlayer.BottomToTop}, true},
	} {
		if got := offPage(tc.g, w, h); got != tc.off {
			t.Errorf("%s: offPage = %v, want %v", tc.name, got, tc.off)
		}
	}
}
