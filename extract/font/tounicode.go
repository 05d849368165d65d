package font

import (
	"sort"
	"unicode/utf16"

	"yusuan/extract/font/internal/cmap"
)

// maxExpanded bounds how many codes of non-trivial bfranges are expanded into
// single entries; maxExpandDst bounds the destination length of such ranges
// (incrementing a long ligature string is meaningless).
const (
	maxExpanded  = 1 << 16
	maxExpandDst = 8
)

// tuKey combines code length and code so that <20> and <0020> differ.
func tuKey(code uint32, n int) uint64 { return uint64(n)<<32 | uint64(code) }

type tuSingle struct {
	key  uint64
	text string
}

// tuRange maps lo..hi to consecutive BMP code points from base.
type tuRange struct {
	lo, hi uint64
	base   rune
}

// toUnicode is a parsed ToUnicode CMap: sorted singles and BMP ranges,
// looked up by binary search; read-only after construction.
type toUnicode struct {
	singles []tuSingle
	ranges  []tuRange
	// idx gives direct lookups for singles: idx[key-idxBase] is the index
	// of the single plus one (0: none). Built when the keys span at most
	// maxIdxSpan, which covers the usual Identity-H subset fonts.
	idx     []int32
	idxBase uint64
}

const maxIdxSpan = 1 << 16

// useless reports whether a mapping carries no text: empty, NUL/control
// characters or U+FFFD only.
func useless(s string) bool {
	for _, r := range s {
		if r >= 0x20 && r != 0xFFFD || r == '\t' || r == '\n' || r == '\r' {
			return false
		}
	}
	return true
}

// utf16Text decodes a bfchar/bfrange destination. Odd lengths (broken
// writers) are read as Latin-1 bytes.
func utf16Text(b []byte) string {
	if len(b) == 2 { // the common case: one BMP character, no allocation
		return runeString(rune(b[0])<<8 | rune(b[1]))
	}
	if len(b)%2 == 1 {
		rs := make([]rune, len(b))
		for i, c := range b {
			rs[i] = rune(c)
		}
		return string(rs)
	}
	u := make([]uint16, len(b)/2)
	for i := range u {
		u[i] = uint16(b[2*i])<<8 | uint16(b[2*i+1])
	}
	return string(utf16.Decode(u))
}

// addBytes returns b + d as a big-endian integer of len(b) bytes (the carry
// crosses bytes: <00FF> + 1 = <0100>).
func addBytes(b []byte, d uint32) []byte {
	out := append([]byte(nil), b...)
	carry := uint64(d)
	for i := len(out) - 1; i >= 0 && carry > 0; i-- {
		s := uint64(out[i]) + carry&0xFF
		out[i] = byte(s)
		carry = carry>>8 + s>>8
	}
	return out
}

// newToUnicode builds the lookup table. It returns nil when the CMap maps
// nothing useful (the caller then falls back to the encoding).
func newToUnicode(m *cmap.CMap) *toUnicode {
	t := &toUnicode{}
	expanded := 0
	for _, c := range m.BFChars {
		if s := utf16Text(c.Dst); !useless(s) {
			t.singles = append(t.singles, tuSingle{tuKey(c.Code, int(c.N)), s})
		}
	}
	for _, r := range m.BFRanges {
		span := r.Hi - r.Lo
		if r.Array != nil {
			for i, d := range r.Array {
				if uint32(i) > span {
					break
				}
				if s := utf16Text(d); !useless(s) {
					t.singles = append(t.singles, tuSingle{tuKey(r.Lo+uint32(i), int(r.N)), s})
				}
			}
			continue
		}
		if len(r.Dst) == 2 {
			base := rune(r.Dst[0])<<8 | rune(r.Dst[1])
			end := base + rune(span)
			if end <= 0xFFFF && (end < 0xD800 || base > 0xDFFF) {
				t.ranges = append(t.ranges, tuRange{tuKey(r.Lo, int(r.N)), tuKey(r.Hi, int(r.N)), base})
				continue
			}
		}
		if len(r.Dst) == 0 || len(r.Dst) > maxExpandDst {
			continue
		}
		for i := uint32(0); i <= span && expanded < maxExpanded; i++ {
			expanded++
			if s := utf16Text(addBytes(r.Dst, i)); !useless(s) {
				t.singles = append(t.singles, tuSingle{tuKey(r.Lo+i, int(r.N)), s})
			}
		}
	}
	// Later definitions win over earlier ones for the same code.
	sort.SliceStable(t.singles, func(i, j int) bool { return t.singles[i].key < t.singles[j].key })
	out := t.singles[:0]
	for i, s := range t.singles {
		if i+1 < len(t.singles) && t.singles[i+1].key == s.key {
			continue
		}
		out = append(out, s)
	}
	t.singles = out
	sort.SliceStable(t.ranges, func(i, j int) bool { return t.ranges[i].lo < t.ranges[j].lo })
	usefulRanges := 0
	for _, r := range t.ranges {
		if r.base+rune(r.hi-r.lo) >= 0x20 {
			usefulRanges++
		}
	}
	if len(t.singles) == 0 && usefulRanges == 0 {
		return nil
	}
	if n := len(t.singles); n > 0 {
		lo, hi := t.singles[0].key, t.singles[n-1].key
		if hi-lo < maxIdxSpan {
			t.idxBase = lo
			t.idx = make([]int32, hi-lo+1)
			for i, s := range t.singles {
				t.idx[s.key-lo] = int32(i + 1)
			}
		}
	}
	return t
}

// lookup returns the text of a code, or "" when the CMap does not map it
// usefully.
func (t *toUnicode) lookup(code uint32, n int) string {
	key := tuKey(code, n)
	ss := t.singles
	var lo, hi int
	if t.idx != nil {
		if d := key - t.idxBase; d < uint64(len(t.idx)) {
			if i := t.idx[d]; i > 0 {
				return ss[i-1].text
			}
		}
	} else {
		lo, hi = 0, len(ss)
		for lo < hi {
			m := int(uint(lo+hi) >> 1)
			if ss[m].key < key {
				lo = m + 1
			} else {
				hi = m
			}
		}
		if lo < len(ss) && ss[lo].key == key {
			return ss[lo].text
		}
	}
	rs := t.ranges
	if len(rs) == 0 {
		return ""
	}
	lo, hi = 0, len(rs)
	for lo < hi { // first range with lo > key
		m := int(uint(lo+hi) >> 1)
		if rs[m].lo <= key {
			lo = m + 1
		} else {
			hi = m
		}
	}
	// Ranges may overlap in broken CMaps: look back a little.
	for i := lo - 1; i >= 0 && i >= lo-8; i-- {
		r := &rs[i]
		if key <= r.hi {
			ru := r.base + rune(key-r.lo)
			if ru < 0x20 {
				return ""
			}
			return runeString(ru)
		}
	}
	return ""
}
