package textlayer

import (
	"context"
	"math"
	"testing"
)

// TestFilledRules: a filled shape thinner than a hairline is a ruling line
// whichever operators drew it; a wider axis-aligned rectangle is shading
// (edges marked Fill); other shapes are no rules.
func TestFilledRules(t *testing.T) {
	tests := []struct {
		name    string
		content string
		want    []Rule
	}{
		{"re hairline", "0 g 42 474.04 184.05 0.75 re f",
			[]Rule{{X0: 42, Y0: 474.415, X1: 226.05, Y1: 474.415}}},
		// Guangzhou's borders: every cell edge a thin quadrilateral,
		// mitred at the corner (files 42–44).
		{"mitred horizontal edge", "0 0 0 rg 42 474.79 m 226.05 474.79 l 226.05 474.04 l 42.75 474.04 l h f",
			[]Rule{{X0: 42, Y0: 474.415, X1: 226.05, Y1: 474.415}}},
		{"mitred vertical edge", "0 0 0 rg 42 410.89 m 42 474.79 l 42.75 474.04 l 42.75 410.89 l h f",
			[]Rule{{X0: 42.375, Y0: 410.89, X1: 42.375, Y1: 474.79}}},
		{"two edges in one fill", "42 474.79 m 226.05 474.79 l 226.05 474.04 l 42.75 474.04 l h 42 410.89 m 42 474.79 l 42.75 474.04 l 42.75 410.89 l h f",
			[]Rule{{X0: 42, Y0: 474.415, X1: 226.05, Y1: 474.415}, {X0: 42.375, Y0: 410.89, X1: 42.375, Y1: 474.79}}},
		{"edge closed by fill, not by h", "100 200 m 300 200 l 300 201 l 100 201 l f",
			[]Rule{{X0: 100, Y0: 200.5, X1: 300, Y1: 200.5}}},
		{"rounded ends", "100 200 m 300 200 l 301 200 301 201 300 201 c 100 201 l 99 201 99 200 100 200 c f",
			[]Rule{{X0: 99, Y0: 200.5, X1: 301, Y1: 200.5}}},
		{"shaded cell point by point", "0.9 g 100 200 m 300 200 l 300 220 l 100 220 l h f",
			[]Rule{
				{X0: 100, Y0: 200, X1: 300, Y1: 200, Fill: true},
				{X0: 100, Y0: 220, X1: 300, Y1: 220, Fill: true},
				{X0: 100, Y0: 200, X1: 100, Y1: 220, Fill: true},
				{X0: 300, Y0: 200, X1: 300, Y1: 220, Fill: true},
			}},
		{"shaded cell by re", "0.9 g 100 200 200 20 re f",
			[]Rule{
				{X0: 100, Y0: 200, X1: 300, Y1: 200, Fill: true},
				{X0: 100, Y0: 220, X1: 300, Y1: 220, Fill: true},
				{X0: 100, Y0: 200, X1: 100, Y1: 220, Fill: true},
				{X0: 300, Y0: 200, X1: 300, Y1: 220, Fill: true},
			}},
		{"L-shaped fill", "100 200 m 300 200 l 300 220 l 200 220 l 200 240 l 100 240 l h f", nil},
		{"diagonal band", "100 200 m 300 400 l 302 400 l 102 200 l h f", nil},
		{"white edge", "1 g 100 200 m 300 200 l 300 201 l 100 201 l h f", nil},
		{"rotated re", "q 0.7071 0.7071 -0.7071 0.7071 300 300 cm 0 0 100 1 re f Q", nil},
		{"stroked path: its axis-aligned segments", "100 200 m 300 200 l 300 250 l 100 300 l S",
			[]Rule{{X0: 100, Y0: 200, X1: 300, Y1: 200}, {X0: 300, Y0: 200, X1: 300, Y1: 250}}},
		{"line after re starts a new subpath", "100 200 200 20 re 100 200 m 100 500 l 100.5 500 l 100.5 200 l f",
			[]Rule{
				{X0: 100, Y0: 200, X1: 300, Y1: 200, Fill: true},
				{X0: 100, Y0: 220, X1: 300, Y1: 220, Fill: true},
				{X0: 100, Y0: 200, X1: 100, Y1: 220, Fill: true},
				{X0: 300, Y0: 200, X1: 300, Y1: 220, Fill: true},
				{X0: 100.25, Y0: 200, X1: 100.25, Y1: 500},
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := Read(context.Background(), pagesPDF("", tt.content), Options{})
			if err != nil {
				t.Fatal(err)
			}
			got := doc.Pages[0].Rules
			if len(got) != len(tt.want) {
				t.Fatalf("rules %+v, want %+v", got, tt.want)
			}
			for i, r := range got {
				w := tt.want[i]
				if !exact(r.X0, w.X0) || !exact(r.Y0, w.Y0) || !exact(r.X1, w.X1) || !exact(r.Y1, w.Y1) || r.Fill != w.Fill {
					t.Errorf("rule %d: %+v, want %+v", i, r, w)
				}
			}
		})
	}
}

func exact(a, b float64) bool { return math.Abs(a-b) < 1e-9 }
