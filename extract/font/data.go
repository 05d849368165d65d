package font

import (
	_ "embed"
	"encoding/binary"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
	"sync/atomic"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// tables.bin holds the predefined Adobe-GB1 CMaps and Adobe-GB1-UCS2
// (Adobe, BSD-3-Clause, from Debian poppler-data), glyph names (BSD, from
// github.com/ledongthuc/pdf) and standard-14 advance widths (from the URW
// base35 AFM files of Debian fonts-urw-base35). See internal/gen for the
// format, the details and licence notes. It is read in place, each part
// decoded when first needed: a process that extracts one PDF (yusuan
// extract FILE) needs a few parts or none, and decompressing and decoding
// the whole file took 15 ms of its start.
//
//go:generate go run ./internal/gen -o tables.bin
//go:embed tables.bin
var tablesData string

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

// sections is the directory of tables.bin: each section's contents by
// name, as substrings of tablesData.
var sections = sync.OnceValue(func() map[string]string {
	const magic = "YFNT2"
	if !strings.HasPrefix(tablesData, magic) {
		panic("font: embedded tables: bad magic")
	}
	r := &reader{b: tablesData[len(magic):]}
	n := int(r.uv())
	type entry struct {
		name     string
		off, len int
	}
	es := make([]entry, 0, min(n, 64))
	for i := 0; i < n && r.err == nil; i++ {
		es = append(es, entry{r.str(), int(r.uv()), int(r.uv())})
	}
	body := r.b
	out := make(map[string]string, len(es))
	for _, e := range es {
		if r.err != nil || e.off < 0 || e.len < 0 || e.off+e.len > len(body) {
			// The data is generated and committed; failure is a build defect.
			panic(fmt.Sprintf("font: embedded tables corrupt at section %q", e.name))
		}
		out[e.name] = body[e.off : e.off+e.len]
	}
	return out
})

// lazyByName returns a lookup of the sections named prefix+name, each
// decoded on first use and kept; ok is false when there is no such section.
func lazyByName[T any](prefix string, decode func(name, data string) (T, error)) func(name string) (T, bool) {
	loaders := sync.OnceValue(func() map[string]func() T {
		m := map[string]func() T{}
		for sec, data := range sections() {
			if name, ok := strings.CutPrefix(sec, prefix); ok {
				m[name] = sync.OnceValue(func() T {
					v, err := decode(name, data)
					if err != nil {
						panic(fmt.Sprintf("font: embedded tables corrupt: %s%s: %v", prefix, name, err))
					}
					return v
				})
			}
		}
		return m
	})
	return func(name string) (T, bool) {
		if l := loaders()[name]; l != nil {
			return l(), true
		}
		var zero T
		return zero, false
	}
}

// predefined returns a predefined CMap we ship (every one is Adobe-GB1),
// or nil.
func predefined(name string) *predefCMap {
	m, _ := predefinedCMaps(name)
	return m
}

// predefinedCMaps is set in init: a CMap's decoding looks up its base.
var predefinedCMaps func(name string) (*predefCMap, bool)

func init() { predefinedCMaps = lazyByName("cmap/", decodeCMap) }

// std14 returns a standard-14 font's metrics, or nil.
func std14(name string) *stdMetrics {
	m, _ := std14Metrics(name)
	return m
}

var std14Metrics = lazyByName("std14/", decodeMetrics)

// gb1Map maps Adobe-GB1 CIDs to Unicode: three bytes per CID, read in
// place.
type gb1Map string

func (g gb1Map) at(cid uint32) rune {
	if i := int(cid) * 3; cid < 1<<24 && i+3 <= len(g) {
		return rune(g[i]) | rune(g[i+1])<<8 | rune(g[i+2])<<16
	}
	return 0
}

var gb1 = sync.OnceValue(func() gb1Map {
	data, ok := sections()["gb1"]
	if !ok || len(data)%3 != 0 {
		panic("font: embedded tables corrupt: gb1")
	}
	return gb1Map(data)
})

// glyphList is the sorted glyph names and their code points.
type glyphList struct {
	names []string
	runes []rune
}

var glyphs = sync.OnceValue(func() *glyphList {
	r := &reader{b: sections()["glyphs"]}
	n := int(r.uv())
	if n > len(r.b) {
		panic("font: embedded tables corrupt: glyph count")
	}
	g := &glyphList{names: make([]string, n), runes: make([]rune, n)}
	for i := 0; i < n; i++ {
		g.names[i] = r.str()
		g.runes[i] = rune(r.uv())
	}
	if r.err != nil {
		panic(fmt.Sprintf("font: embedded tables corrupt: glyphs: %v", r.err))
	}
	return g
})

type reader struct {
	b   string
	err error
}

func (r *reader) uv() uint64 {
	if r.err != nil {
		return 0
	}
	var v uint64
	for i := 0; i < len(r.b) && i < binary.MaxVarintLen64; i++ {
		c := r.b[i]
		v |= uint64(c&0x7F) << (7 * i)
		if c < 0x80 {
			r.b = r.b[i+1:]
			return v
		}
	}
	r.err = errors.New("bad varint")
	return 0
}

func (r *reader) bytes(n int) string {
	if r.err != nil || n < 0 || n > len(r.b) {
		r.err = errors.New("short data")
		return ""
	}
	b := r.b[:n]
	r.b = r.b[n:]
	return b
}

func (r *reader) str() string { return r.bytes(int(r.uv())) }

func (r *reader) byte1() byte {
	b := r.bytes(1)
	if len(b) == 0 {
		return 0
	}
	return b[0]
}

func (r *reader) ranges() []cidRange {
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

// decodeCMap decodes one cmap/ section; its usecmap base is decoded too.
func decodeCMap(name, data string) (*predefCMap, error) {
	r := &reader{b: data}
	m := &predefCMap{name: name}
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
	m.ranges = r.ranges()
	m.notdefs = r.ranges()
	if r.err != nil {
		return nil, r.err
	}
	if m.usecmap != "" {
		if m.usecmap == name {
			return nil, errors.New("uses itself")
		}
		m.base = predefined(m.usecmap)
		if m.base == nil {
			return nil, fmt.Errorf("unknown base %s", m.usecmap)
		}
		if m.cs == nil {
			m.cs = m.base.cs
		}
	}
	if m.cs == nil {
		return nil, errors.New("no codespace")
	}
	m.dense = sync.OnceValue(func() *denseCID { return buildDense(m) })
	return m, nil
}

// decodeMetrics decodes one std14/ section.
func decodeMetrics(name, data string) (*stdMetrics, error) {
	r := &reader{b: data}
	m := &stdMetrics{name: name, byRune: map[rune]float64{}}
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
	return m, r.err
}

// glyphRune resolves a glyph name through the glyph list and the uniXXXX /
// uXXXX[XX] conventions. Names such as g12 or cid123 have no Unicode.
func glyphRune(name string) (string, bool) {
	g := glyphs()
	if i := sort.SearchStrings(g.names, name); i < len(g.names) && g.names[i] == name {
		return string(g.runes[i]), true
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

// runeBlocks hold the UTF-8 of the BMP code points in 4-byte slots, 256
// code points a block, each block built on first use (a document touches a
// few dozen), so that glyph texts are sliced from them without allocating.
var runeBlocks [256]atomic.Pointer[string]

// ascii holds the ASCII characters, one byte each.
const ascii = "\x00\x01\x02\x03\x04\x05\x06\x07\x08\t\n\x0b\x0c\r\x0e\x0f" +
	"\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f" +
	" !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~\x7f"

func runeBlock(hi rune) *string {
	if b := runeBlocks[hi].Load(); b != nil {
		return b
	}
	buf := make([]byte, 4*256)
	for lo := range rune(256) {
		encodeRune(buf[4*lo:], hi<<8|lo)
	}
	s := string(buf)
	if !runeBlocks[hi].CompareAndSwap(nil, &s) {
		return runeBlocks[hi].Load() // built meanwhile by another goroutine
	}
	return &s
}

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
func runeString(r rune) string {
	switch {
	case r < 0:
		return replacement
	case r < 0x80:
		return ascii[r : r+1]
	case r < 0x10000:
		if r >= 0xD800 && r <= 0xDFFF {
			return replacement
		}
		b, i := *runeBlock(r >> 8), 4*(r&0xFF)
		if r < 0x800 {
			return b[i : i+2]
		}
		return b[i : i+3]
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
