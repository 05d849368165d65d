package table

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"yusuan/extract/textlayer"
)

// A ruling line drawn in pieces, with glyphs a producer drew as outlines
// just beside it (pdftocairo: the “ of “三公”经费 at x 284–287), is still one
// line: 57_jiangsu p.19, where it parts 公务用车购置及运行维护费's 小计 from
// 公务用车购置费 (lost, the two columns were read as one).
func TestVerticalRuleBesideGlyphOutlines(t *testing.T) {
	v := func(x, lo, hi float64) textlayer.Rule { return textlayer.Rule{X0: x, Y0: lo, X1: x, Y1: hi} }
	// The vertical pieces pdftocairo draws between x 240 and 300 on that
	// page, in its order.
	rs := []textlayer.Rule{
		v(280.3045, 509.404, 510.139), v(297.461, 511.326, 511.998), v(297.156, 513.467, 514.139), v(297.211, 509.608, 510.232),
		v(263.2925, 482.674, 483.408), v(284.445, 485.721, 487.58), v(286.805, 485.721, 487.58), v(286.805, 483.721, 485.502),
		v(287.289, 483.471, 489.611), v(281.758, 487.783, 489.721), v(283.992, 487.783, 489.721), v(284.445, 487.783, 489.721),
		v(286.805, 487.783, 489.721), v(283.992, 485.721, 487.58), v(293.48, 486.565, 487.83), v(295.332, 486.565, 487.096),
		v(293.48, 484.627, 486.346), v(292.949, 484.627, 486.346), v(299.031, 484.908, 489.518), v(242.533, 499.819, 500.299),
		v(242.533, 472.849, 499.818), v(260.801, 444.428, 450.615), v(260.27, 444.678, 449.631), v(266.926, 444.85, 448.022),
		v(267.379, 444.615, 447.881), v(271.004, 448.193, 450.584), v(271.004, 444.787, 447.975), v(270.473, 444.897, 447.975),
		v(294.8165, 451.389, 452.123), v(299.047, 438.041, 442.65), v(242.533, 422.127, 472.377), v(287.482, 422.127, 472.377),
		v(242.533, 384.611, 421.65), v(242.533, 384.131, 384.611), v(287.482, 384.611, 421.65),
	}
	// The answer may not depend on the order the pieces come in: shuffled
	// 500 times, the line is always there.
	s := DefaultSettings()
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range 500 {
		rng.Shuffle(len(rs), func(a, b int) { rs[a], rs[b] = rs[b], rs[a] })
		got := vrulesIn(rs, 399, 518, &s)
		if !slices.ContainsFunc(got, func(x float64) bool { return math.Abs(x-287.482) < 1 }) {
			t.Fatalf("order %d: rules at %v: the line at 287.48 is lost", i, got)
		}
	}
}
