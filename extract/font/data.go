package font

import (
	"bytes"
	"compress/gzip"
	_ "embed"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"sync"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// tables.bin.gz holds the predefined Adobe-GB1 CMaps and Adobe-GB1-UCS2
// (Adobe, BSD-3-Clause, from Debian poppler-data), glyph names (BSD, from
// github.com/ledongthuc/pdf) and standard-14 advance widths (from the URW
// base35 AFM files of Debian fonts-urw-base35). See internal/gen for the
// details and licence notes.
//
//go:generate go run ./internal/gen -o tables.bin.gz
//go:embed tables.bin.gz
var tablesGz []byte

// cidRange maps codes lo..hi of n bytes to cid, cid+1, ….
type cidRange struct {
	lo, hi uint32
	n      uint8
	cid    uint32
}

// predefCMap is one predefined (named) CMap; read-only after loading.
type predefCMap struct {
	name    string
	wmode   int
	usecmap string
	cs      *codespace
	ranges  []cidRange // sorted by (n, lo)
	notdefs []cidRange
	base    *predefCMap
	dense   func() *denseCID
}

// denseCID gives direct code→CID lookups for 1- and 2-byte codes; longer
// codes go through binary search over ranges4.
type denseCID struct {
	one     [256]uint16
	two     []uint16 // 65536 entries, nil when the CMap has no 2-byte codes
	ranges4 []cidRange
}

func (d *denseCID) lookup(code uint32, n int) uint32 {
	switch n {
	case 1:
		return uint32(d.one[code&0xFF])
	case 2:
		if d.two != nil {
			return uint32(d.two[code&0xFFFF])
		}
		return 0
	}
	return searchCID(d.ranges4, code, uint8(n))
}

// searchCID finds code among ranges sorted by (n, lo); 0 when absent.
func searchCID(rs []cidRange, code uint32, n uint8) uint32 {
	i := sort.Search(len(rs), func(i int) bool {
		r := &rs[i]
		return r.n > n || r.n == n && r.hi >= code
	})
	if i < len(rs) {
		r := &rs[i]
		if r.n == n && r.lo <= code && code <= r.hi {
			return r.cid + (code - r.lo)
		}
	}
	return 0
}

func buildDense(m *predefCMap) *denseCID {
	d := &denseCID{}
	if m.base != nil {
		b := m.base.dense()
		d.one = b.one
		if b.two != nil {
			d.two = append([]uint16(nil), b.two...)
		}
		d.ranges4 = b.ranges4
	}
	apply := func(rs []cidRange) {
		for _, r := range rs {
			switch r.n {
			case 1:
				for c := r.lo; c <= r.hi && c < 256; c++ {
					d.one[c] = uint16(r.cid + c - r.lo)
				}
			case 2:
				if d.two == nil {
					d.two = make([]uint16, 65536)
				}
				for c := r.lo; c <= r.hi && c < 65536; c++ {
					d.two[c] = uint16(r.cid + c - r.lo)
				}
			}
		}
	}
	apply(m.notdefs)
	apply(m.ranges)
	var r4 []cidRange
	for _, r := range m.ranges {
		if r.n > 2 {
			r4 = append(r4, r)
		}
	}
	if len(r4) > 0 {
		// Own long ranges first; base ranges fill the rest (V maps override
		// only 2-byte codes in practice).
		if len(d.ranges4) > 0 {
			r4 = mergeRanges(r4, d.ranges4)
		}
		d.ranges4 = r4
	}
	return d
}

// mergeRanges returns own plus those base ranges that own does not overlap,
// sorted by (n, lo).
func mergeRanges(own, base []cidRange) []cidRange {
	out := append([]cidRange(nil), own...)
	for _, b := range base {
		overl := false
		for _, o := range own {
			if o.n == b.n && o.lo <= b.hi && b.lo <= o.hi {
				overl = true
				break
			}
		}
		if !overl {
			out = append(out, b)
		}
	}
	sortRanges(out)
	return out
}

func sortRanges(rs []cidRange) {
	sort.Slice(rs, func(i, j int) bool {
		if rs[i].n != rs[j].n {
			return rs[i].n < rs[j].n
		}
		return rs[i].lo < rs[j].lo
	})
}

// stdMetrics holds one standard-14 font's widths (glyph space units).
type stdMetrics struct {
	name    string
	byRune  map[rune]float64
	builtin [256]rune    // the font's own encoding (StandardEncoding for text fonts)
	codeW   [256]float64 // width by builtin code, 0 when absent
}

type tables struct {
	cmaps      map[string]*predefCMap
	gb1        []rune // Adobe-GB1 CID → Unicode (0 = none)
	glyphNames []string
	glyphRunes []rune
	std14      map[string]*stdMetrics
}

// loadTables decodes the embedded data once; the result is read-only.
var loadTables = sync.OnceValue(func() *tables {
	t, err := decodeTables(tablesGz)
	if err != nil {
		// The data is generated and committed; failure is a build defect.
		panic(fmt.Sprintf("font: embedded tables corrupt: %v", err))
	}
	return t
})

type reader struct {
	b   []byte
	err error
}

func (r *reader) uv() uint64 {
	if r.err != nil {
		return 0
	}
	v, n := binary.Uvarint(r.b)
	if n <= 0 {
		r.err = errors.New("bad varint")
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *reader) bytes(n int) []byte {
	if r.err != nil || n < 0 || n > len(r.b) {
		r.err = errors.New("short data")
		return nil
	}
	b := r.b[:n]
	r.b = r.b[n:]
	return b
}

func (r *reader) str() string { return string(r.bytes(int(r.uv()))) }

func (r *reader) byte1() byte {
	b := r.bytes(1)
	if len(b) == 0 {
		return 0
	}
	return b[0]
}

func decodeTables(gz []byte) (*tables, error) {
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		return nil, err
	}
	raw, err := io.ReadAll(zr)
	if err != nil {
		return nil, err
	}
	if !bytes.HasPrefix(raw, []byte("YFNT1")) {
		return nil, errors.New("bad magic")
	}
	r := &reader{b: raw[5:]}
	t := &tables{cmaps: map[string]*predefCMap{}, std14: map[string]*stdMetrics{}}
	readRanges := func() []cidRange {
		n := int(r.uv())
		if r.err != nil || n > len(r.b) {
			r.err = errors.New("bad range count")
			return nil
		}
		rs := make([]cidRange, 0, n)
		for i := 0; i < n; i++ {
			k := r.byte1()
			lo := uint32(r.uv())
			d := uint32(r.uv())
			cid := uint32(r.uv())
			rs = append(rs, cidRange{lo: lo, hi: lo + d, n: k, cid: cid})
		}
		sortRanges(rs)
		return rs
	}
	ncm := int(r.uv())
	var order []*predefCMap
	for i := 0; i < ncm && r.err == nil; i++ {
		m := &predefCMap{name: r.str()}
		m.wmode = int(r.byte1())
		m.usecmap = r.str()
		ncs := int(r.uv())
		var css []csRange
		for j := 0; j < ncs && r.err == nil; j++ {
			k := int(r.byte1())
			lo := r.bytes(k)
			hi := r.bytes(k)
			var c csRange
			c.n = k
			copy(c.lo[:], lo)
			copy(c.hi[:], hi)
			css = append(css, c)
		}
		if len(css) > 0 {
			m.cs = newCodespace(css)
		}
		m.ranges = readRanges()
		m.notdefs = readRanges()
		t.cmaps[m.name] = m
		order = append(order, m)
	}
	for _, m := range order {
		if m.usecmap != "" {
			m.base = t.cmaps[m.usecmap]
			if m.base == nil {
				return nil, fmt.Errorf("cmap %s: unknown base %s", m.name, m.usecmap)
			}
			if m.cs == nil {
				m.cs = m.base.cs
			}
		}
		if m.cs == nil {
			return nil, fmt.Errorf("cmap %s: no codespace", m.name)
		}
		m.dense = sync.OnceValue(func() *denseCID { return buildDense(m) })
	}
	ngb := int(r.uv())
	if ngb > len(r.b) {
		return nil, errors.New("bad gb1 count")
	}
	t.gb1 = make([]rune, ngb)
	for i := range t.gb1 {
		t.gb1[i] = rune(r.uv())
	}
	nn := int(r.uv())
	if nn > len(r.b) {
		return nil, errors.New("bad name count")
	}
	t.glyphNames = make([]string, nn)
	t.glyphRunes = make([]rune, nn)
	for i := 0; i < nn; i++ {
		t.glyphNames[i] = r.str()
		t.glyphRunes[i] = rune(r.uv())
	}
	nf := int(r.uv())
	for i := 0; i < nf && r.err == nil; i++ {
		m := &stdMetrics{name: r.str(), byRune: map[rune]float64{}}
		ng := int(r.uv())
		for j := 0; j < ng && r.err == nil; j++ {
			code := int(r.uv()) - 1
			ru := rune(r.uv())
			w := float64(r.uv())
			if ru != 0 {
				if _, dup := m.byRune[ru]; !dup || code >= 0 {
					m.byRune[ru] = w
				}
			}
			if code >= 0 && code < 256 {
				m.builtin[code] = ru
				m.codeW[code] = w
			}
		}
		t.std14[m.name] = m
	}
	if r.err != nil {
		return nil, r.err
	}
	return t, nil
}

// glyphRune resolves a glyph name through the glyph list and the uniXXXX /
// uXXXX[XX] conventions. Names such as g12 or cid123 have no Unicode.
func glyphRune(name string) (string, bool) {
	t := loadTables()
	if i := sort.SearchStrings(t.glyphNames, name); i < len(t.glyphNames) && t.glyphNames[i] == name {
		return string(t.glyphRunes[i]), true
	}
	if strings.HasPrefix(name, "uni") && len(name) >= 7 && (len(name)-3)%4 == 0 {
		var sb strings.Builder
		for i := 3; i < len(name); i += 4 {
			v, ok := parseHex(name[i : i+4])
			if !ok || v >= 0xD800 && v <= 0xDFFF {
				sb.Reset()
				break
			}
			sb.WriteRune(rune(v))
		}
		if sb.Len() > 0 {
			return sb.String(), true
		}
	}
	if len(name) >= 5 && len(name) <= 7 && name[0] == 'u' {
		if v, ok := parseHex(name[1:]); ok && v <= 0x10FFFF && !(v >= 0xD800 && v <= 0xDFFF) {
			return string(rune(v)), true
		}
	}
	// Suffixed variants (a.sc, one.oldstyle) and ligatures (f_f_i).
	if i := strings.IndexByte(name, '.'); i > 0 {
		return glyphRune(name[:i])
	}
	if strings.Contains(name, "_") {
		var sb strings.Builder
		for _, p := range strings.Split(name, "_") {
			s, ok := glyphRune(p)
			if !ok {
				return "", false
			}
			sb.WriteString(s)
		}
		return sb.String(), true
	}
	return "", false
}

func parseHex(s string) (uint32, bool) {
	if s == "" {
		return 0, false
	}
	var v uint32
	for i := 0; i < len(s); i++ {
		c := s[i]
		var d byte
		switch {
		case c >= '0' && c <= '9':
			d = c - '0'
		case c >= 'A' && c <= 'F':
			d = c - 'A' + 10
		default: // the conventions require upper-case hex
			return 0, false
		}
		v = v<<4 | uint32(d)
	}
	return v, true
}

// runeStrings is one string holding every BMP code point as UTF-8 in a 4-byte
// slot, so that glyph texts can be sliced from it without allocating.
var runeStrings = sync.OnceValue(func() string {
	b := make([]byte, 4*65536)
	for r := 0; r < 65536; r++ {
		rr := rune(r)
		if r >= 0xD800 && r <= 0xDFFF {
			rr = 0xFFFD
		}
		encodeRune(b[4*r:], rr)
	}
	return string(b)
})

func encodeRune(p []byte, r rune) {
	switch {
	case r < 0x80:
		p[0] = byte(r)
	case r < 0x800:
		p[0] = 0xC0 | byte(r>>6)
		p[1] = 0x80 | byte(r)&0x3F
	default:
		p[0] = 0xE0 | byte(r>>12)
		p[1] = 0x80 | byte(r>>6)&0x3F
		p[2] = 0x80 | byte(r)&0x3F
	}
}

// runeString returns r as a string; BMP runes do not allocate.
func runeString(all string, r rune) string {
	switch {
	case r < 0:
		return replacement
	case r < 0x80:
		return all[4*r : 4*r+1]
	case r < 0x800:
		return all[4*r : 4*r+2]
	case r < 0x10000:
		if r >= 0xD800 && r <= 0xDFFF {
			return replacement
		}
		return all[4*r : 4*r+3]
	case r <= 0x10FFFF:
		return string(r)
	}
	return replacement
}

const replacement = "\uFFFD"

// gbkRunes maps 2-byte GBK codes to BMP runes (0 = invalid), built once from
// golang.org/x/text so that decoding needs no per-glyph transformer.
var gbkRunes = sync.OnceValue(func() []uint16 { return buildTwoByte(false) })

// gb18030Runes is the same for the 2-byte part of GB 18030.
var gb18030Runes = sync.OnceValue(func() []uint16 { return buildTwoByte(true) })

func buildTwoByte(gb18030 bool) []uint16 {
	tab := make([]uint16, 65536)
	dec := simplifiedchinese.GBK.NewDecoder()
	if gb18030 {
		dec = simplifiedchinese.GB18030.NewDecoder()
	}
	var src [2]byte
	var dst [8]byte
	for b1 := 0x81; b1 <= 0xFE; b1++ {
		for b2 := 0x40; b2 <= 0xFE; b2++ {
			src[0], src[1] = byte(b1), byte(b2)
			dec.Reset()
			n, _, err := dec.Transform(dst[:], src[:], true)
			if err != nil || n == 0 {
				continue
			}
			r, size := decodeUTF8(dst[:n])
			if size == n && r != 0xFFFD && r < 0x10000 {
				tab[b1<<8|b2] = uint16(r)
			}
		}
	}
	return tab
}

func decodeUTF8(p []byte) (rune, int) {
	switch {
	case len(p) >= 1 && p[0] < 0x80:
		return rune(p[0]), 1
	case len(p) >= 2 && p[0]&0xE0 == 0xC0:
		return rune(p[0]&0x1F)<<6 | rune(p[1]&0x3F), 2
	case len(p) >= 3 && p[0]&0xF0 == 0xE0:
		return rune(p[0]&0x0F)<<12 | rune(p[1]&0x3F)<<6 | rune(p[2]&0x3F), 3
	}
	return 0xFFFD, len(p)
}

// gb18030Four decodes one 4-byte GB 18030 sequence (rare; allocates).
func gb18030Four(b []byte) string {
	out, err := simplifiedchinese.GB18030.NewDecoder().Bytes(b)
	if err != nil || len(out) == 0 || string(out) == replacement {
		return ""
	}
	return string(out)
}
