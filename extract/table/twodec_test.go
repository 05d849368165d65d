package table

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestTwoDecEnds: the search finds an amount with two decimals ending at x
// exactly when a scan of every cell does.
func TestTwoDecEnds(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	texts := []string{"12.34", "1,234.56", "12.3", "7", "-", "0.00", "合计"}
	var ls []tline
	for range 40 {
		var l tline
		for range 6 {
			x := math.Round(rng.Float64()*5000) / 10
			text := texts[rng.IntN(len(texts))]
			l.cells = append(l.cells, cell{text: text, x0: x - 20, x1: x, size: 9, num: text != "合计"})
		}
		ls = append(ls, l)
	}
	scan := func(x, size float64) bool {
		for _, l := range ls {
			for _, c := range l.cells {
				if c.num && math.Abs(c.x1-x) < 0.3*size && twoDecEnd.MatchString(c.text) {
					return true
				}
			}
		}
		return false
	}
	ends := newTwoDecEnds(ls)
	found := 0
	for i := range 20000 {
		x := float64(i) / 40
		want := scan(x, 9)
		if got := ends.at(x, 9); got != want {
			t.Fatalf("at(%v) = %v, scan says %v", x, got, want)
		}
		if want {
			found++
		}
	}
	if found == 0 {
		t.Fatal("no amount found at all: the test tests nothing")
	}
	ends.add(cell{text: "3.45", x1: 1000, num: true})
	ends.add(cell{text: "3.4", x1: 2000, num: true})
	if !ends.at(1000.1, 9) || ends.at(2000, 9) {
		t.Errorf("added amounts: at(1000.1) %v, at(2000) %v", ends.at(1000.1, 9), ends.at(2000, 9))
	}
}
