package font

// csRange is one codespace range: n-byte codes with each byte within lo..hi.
type csRange struct {
	n      int
	lo, hi [4]byte
}

// codespace splits a string into character codes. byFirst gives the code
// length for a first byte when every codespace range starting with that byte
// has the same length (the common case: answered by one array index);
// 0 means several lengths are possible and the ranges are checked.
type codespace struct {
	byFirst [256]uint8
	ranges  []csRange
}

func newCodespace(rs []csRange) *codespace {
	cs := &codespace{ranges: rs}
	minLen := 4
	for _, r := range rs {
		if r.n < minLen {
			minLen = r.n
		}
	}
	if len(rs) == 0 {
		minLen = 1
	}
	for b := 0; b < 256; b++ {
		l := uint8(0)
		amb := false
		for _, r := range rs {
			if byte(b) < r.lo[0] || byte(b) > r.hi[0] {
				continue
			}
			if l != 0 && l != uint8(r.n) {
				amb = true
			}
			l = uint8(r.n)
		}
		switch {
		case amb:
			cs.byFirst[b] = 0
		case l == 0:
			// No range starts with this byte: per PDF 32000 9.7.6.2 the
			// code is invalid; consume the shortest code length.
			cs.byFirst[b] = uint8(minLen)
		default:
			cs.byFirst[b] = l
		}
	}
	return cs
}

// fixedCodespace returns a codespace where every code has n bytes.
func fixedCodespace(n int) *codespace {
	var r csRange
	r.n = n
	for i := 0; i < n; i++ {
		r.hi[i] = 0xFF
	}
	return newCodespace([]csRange{r})
}

// next returns the length of the code at the start of s (len(s) > 0); the
// result never exceeds len(s).
func (cs *codespace) next(s []byte) int {
	n := int(cs.byFirst[s[0]])
	if n == 0 {
		n = cs.match(s)
	}
	if n > len(s) {
		n = len(s)
	}
	return n
}

func (cs *codespace) match(s []byte) int {
	shortest := 0
	for n := 1; n <= 4 && n <= len(s); n++ {
		for i := range cs.ranges {
			r := &cs.ranges[i]
			if r.n != n {
				continue
			}
			ok := true
			for k := 0; k < n; k++ {
				if s[k] < r.lo[k] || s[k] > r.hi[k] {
					ok = false
					break
				}
			}
			if ok {
				return n
			}
			if shortest == 0 && s[0] >= r.lo[0] && s[0] <= r.hi[0] {
				shortest = n
			}
		}
	}
	if shortest == 0 {
		shortest = 1
	}
	return shortest
}
