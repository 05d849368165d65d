// Package cmap parses PostScript CMap resources (ToUnicode CMaps, embedded
// and predefined encoding CMaps) with a small byte scanner. It is tolerant:
// garbage is skipped, never fatal, and the amount of data kept is bounded so
// that hostile input cannot exhaust memory.
package cmap

import (
	"errors"
)

// MaxEntries bounds the number of mapping entries kept from one CMap.
const MaxEntries = 1 << 20

// maxDst bounds the length of one bfchar/bfrange destination string.
const maxDst = 512

// Codespace is one codespace range: codes of N bytes whose every byte lies
// between the corresponding bytes of Lo and Hi.
type Codespace struct {
	N      int
	Lo, Hi [4]byte
}

// CIDRange maps codes Lo..Hi (all N bytes long) to CID, CID+1, ….
type CIDRange struct {
	Lo, Hi uint32
	N      uint8
	CID    uint32
}

// BFChar maps one code of N bytes to a UTF-16BE destination.
type BFChar struct {
	Code uint32
	N    uint8
	Dst  []byte
}

// BFRange maps Lo..Hi either to Dst incremented per code (Array nil) or to
// the elements of Array in order.
type BFRange struct {
	Lo, Hi uint32
	N      uint8
	Dst    []byte
	Array  [][]byte
}

// CMap is the parsed content of a CMap resource.
type CMap struct {
	Name       string
	UseCMap    string
	WMode      int
	Registry   string
	Ordering   string
	Codespaces []Codespace
	CIDs       []CIDRange // cidchar entries have Lo == Hi
	NotDefs    []CIDRange
	BFChars    []BFChar
	BFRanges   []BFRange
	Skipped    int // malformed entries skipped
}

// ErrEmpty is returned when the data holds no CMap operators at all.
var ErrEmpty = errors.New("cmap: no mappings or codespace found")

type tokKind uint8

const (
	tEOF tokKind = iota
	tHex
	tStr
	tName
	tNum
	tKeyword
	tOpenArr
	tCloseArr
	tOther
)

type token struct {
	kind tokKind
	b    []byte // hex: decoded bytes; name/keyword/str: raw bytes
	num  int64
}

type scanner struct {
	data []byte
	pos  int
	buf  []byte // arena for decoded hex strings
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == 0
}

func isDelim(c byte) bool {
	switch c {
	case '(', ')', '<', '>', '[', ']', '{', '}', '/', '%':
		return true
	}
	return false
}

func hexVal(c byte) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case c >= 'a' && c <= 'f':
		return int(c-'a') + 10
	case c >= 'A' && c <= 'F':
		return int(c-'A') + 10
	}
	return -1
}

func (s *scanner) next() token {
	d := s.data
	for s.pos < len(d) {
		c := d[s.pos]
		if isSpace(c) {
			s.pos++
			continue
		}
		if c == '%' {
			for s.pos < len(d) && d[s.pos] != '\n' && d[s.pos] != '\r' {
				s.pos++
			}
			continue
		}
		break
	}
	if s.pos >= len(d) {
		return token{kind: tEOF}
	}
	c := d[s.pos]
	switch c {
	case '<':
		if s.pos+1 < len(d) && d[s.pos+1] == '<' {
			s.pos += 2
			return token{kind: tOther}
		}
		s.pos++
		// Decoded bytes go to a shared arena (one allocation per few KB,
		// not per token); earlier tokens keep the old backing array when
		// the arena grows.
		if cap(s.buf)-len(s.buf) < maxDst+1 {
			s.buf = make([]byte, 0, 16<<10)
		}
		start := len(s.buf)
		out := s.buf
		hi := -1
		for s.pos < len(d) && d[s.pos] != '>' {
			v := hexVal(d[s.pos])
			s.pos++
			if v < 0 {
				continue
			}
			if hi < 0 {
				hi = v
			} else {
				if len(out)-start < maxDst+1 {
					out = append(out, byte(hi<<4|v))
				}
				hi = -1
			}
		}
		if hi >= 0 && len(out)-start < maxDst+1 {
			out = append(out, byte(hi<<4)) // odd digit count: trailing 0 per spec
		}
		s.buf = out
		s.pos++ // skip '>'
		return token{kind: tHex, b: out[start:len(out):len(out)]}
	case '>':
		s.pos++
		if s.pos < len(d) && d[s.pos] == '>' {
			s.pos++
		}
		return token{kind: tOther}
	case '(':
		s.pos++
		depth := 1
		start := s.pos
		for s.pos < len(d) && depth > 0 {
			switch d[s.pos] {
			case '\\':
				s.pos++
			case '(':
				depth++
			case ')':
				depth--
			}
			s.pos++
		}
		end := s.pos - 1
		if end < start {
			end = start
		}
		if end > len(d) {
			end = len(d)
		}
		return token{kind: tStr, b: d[start:end]}
	case '[':
		s.pos++
		return token{kind: tOpenArr}
	case ']':
		s.pos++
		return token{kind: tCloseArr}
	case '{', '}', ')':
		s.pos++
		return token{kind: tOther}
	case '/':
		s.pos++
		start := s.pos
		for s.pos < len(d) && !isSpace(d[s.pos]) && !isDelim(d[s.pos]) {
			s.pos++
		}
		return token{kind: tName, b: d[start:s.pos]}
	}
	start := s.pos
	for s.pos < len(d) && !isSpace(d[s.pos]) && !isDelim(d[s.pos]) {
		s.pos++
	}
	w := d[start:s.pos]
	if n, ok := parseInt(w); ok {
		return token{kind: tNum, num: n, b: w}
	}
	return token{kind: tKeyword, b: w}
}

func parseInt(w []byte) (int64, bool) {
	if len(w) == 0 || len(w) > 18 {
		return 0, false
	}
	var n int64
	i := 0
	neg := false
	if w[0] == '-' || w[0] == '+' {
		neg = w[0] == '-'
		i = 1
		if len(w) == 1 {
			return 0, false
		}
	}
	for ; i < len(w); i++ {
		c := w[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int64(c-'0')
	}
	if neg {
		n = -n
	}
	return n, true
}

func codeOf(b []byte) (uint32, uint8, bool) {
	if len(b) == 0 || len(b) > 4 {
		return 0, 0, false
	}
	var c uint32
	for _, x := range b {
		c = c<<8 | uint32(x)
	}
	return c, uint8(len(b)), true
}

func clip(b []byte) []byte {
	if len(b) > maxDst {
		return b[:maxDst]
	}
	return b
}

// Parse parses a CMap. It never panics; malformed entries are counted in
// Skipped. It returns ErrEmpty (with a non-nil, empty CMap) when nothing
// usable was found.
func Parse(data []byte) (*CMap, error) {
	m := &CMap{}
	s := &scanner{data: data}
	var prev [3]token // last operands, prev[2] most recent
	push := func(t token) { prev[0], prev[1], prev[2] = prev[1], prev[2], t }
	entries := 0
	full := func() bool { return entries >= MaxEntries }
	found := false
	for {
		t := s.next()
		if t.kind == tEOF {
			break
		}
		if t.kind != tKeyword {
			push(t)
			continue
		}
		switch string(t.b) {
		case "begincodespacerange":
			found = true
			for {
				a := s.next()
				if a.kind != tHex {
					if a.kind == tEOF || a.kind == tKeyword {
						break
					}
					m.Skipped++
					continue
				}
				b := s.next()
				if b.kind != tHex || len(a.b) != len(b.b) || len(a.b) == 0 || len(a.b) > 4 {
					m.Skipped++
					if b.kind == tEOF || b.kind == tKeyword {
						break
					}
					continue
				}
				if len(m.Codespaces) < 64 {
					cs := Codespace{N: len(a.b)}
					copy(cs.Lo[:], a.b)
					copy(cs.Hi[:], b.b)
					m.Codespaces = append(m.Codespaces, cs)
				}
			}
		case "beginbfchar":
			found = true
			for {
				a := s.next()
				if a.kind != tHex {
					if a.kind == tEOF || a.kind == tKeyword {
						break
					}
					m.Skipped++
					continue
				}
				b := s.next()
				if b.kind == tEOF || b.kind == tKeyword {
					m.Skipped++
					break
				}
				code, n, ok := codeOf(a.b)
				if !ok || b.kind != tHex || full() {
					m.Skipped++
					continue
				}
				m.BFChars = append(m.BFChars, BFChar{Code: code, N: n, Dst: clip(b.b)})
				entries++
			}
		case "beginbfrange":
			found = true
			for {
				a := s.next()
				if a.kind != tHex {
					if a.kind == tEOF || a.kind == tKeyword {
						break
					}
					m.Skipped++
					continue
				}
				b := s.next()
				if b.kind != tHex {
					m.Skipped++
					if b.kind == tEOF || b.kind == tKeyword {
						break
					}
					continue
				}
				lo, n, ok1 := codeOf(a.b)
				hi, n2, ok2 := codeOf(b.b)
				ok := ok1 && ok2 && n == n2 && lo <= hi
				c := s.next()
				switch c.kind {
				case tHex:
					if ok && !full() {
						m.BFRanges = append(m.BFRanges, BFRange{Lo: lo, Hi: hi, N: n, Dst: clip(c.b)})
						entries++
					} else {
						m.Skipped++
					}
					continue
				case tOpenArr:
					var arr [][]byte
					for {
						e := s.next()
						if e.kind == tCloseArr || e.kind == tEOF || e.kind == tKeyword {
							break
						}
						if e.kind == tHex && len(arr) <= int(hi-lo) && len(arr) < 65536 {
							arr = append(arr, clip(e.b))
						}
					}
					if ok && !full() {
						m.BFRanges = append(m.BFRanges, BFRange{Lo: lo, Hi: hi, N: n, Array: arr})
						entries++
					} else {
						m.Skipped++
					}
					continue
				case tEOF, tKeyword:
					m.Skipped++
				default:
					m.Skipped++
					continue
				}
				break
			}
		case "begincidchar", "begincidrange", "beginnotdefrange":
			found = true
			isChar := string(t.b) == "begincidchar"
			isNotDef := string(t.b) == "beginnotdefrange"
			for {
				a := s.next()
				if a.kind != tHex {
					if a.kind == tEOF || a.kind == tKeyword {
						break
					}
					m.Skipped++
					continue
				}
				b := a
				if !isChar {
					b = s.next()
					if b.kind != tHex {
						m.Skipped++
						if b.kind == tEOF || b.kind == tKeyword {
							break
						}
						continue
					}
				}
				c := s.next()
				if c.kind != tNum {
					m.Skipped++
					if c.kind == tEOF || c.kind == tKeyword {
						break
					}
					continue
				}
				lo, n, ok1 := codeOf(a.b)
				hi, n2, ok2 := codeOf(b.b)
				if !ok1 || !ok2 || n != n2 || lo > hi || c.num < 0 || c.num > 0xFFFFFFFF || full() {
					m.Skipped++
					continue
				}
				r := CIDRange{Lo: lo, Hi: hi, N: n, CID: uint32(c.num)}
				if isNotDef {
					m.NotDefs = append(m.NotDefs, r)
				} else {
					m.CIDs = append(m.CIDs, r)
				}
				entries++
			}
		case "usecmap":
			if prev[2].kind == tName {
				m.UseCMap = string(prev[2].b)
			}
		case "def":
			if prev[1].kind == tName {
				key := string(prev[1].b)
				v := prev[2]
				switch key {
				case "WMode":
					if v.kind == tNum && v.num == 1 {
						m.WMode = 1
					}
				case "CMapName":
					if v.kind == tName {
						m.Name = string(v.b)
					}
				case "Registry":
					if v.kind == tStr {
						m.Registry = string(v.b)
					}
				case "Ordering":
					if v.kind == tStr {
						m.Ordering = string(v.b)
					}
				}
			}
			push(t)
		default:
			push(t)
		}
	}
	if !found && m.UseCMap == "" {
		return m, ErrEmpty
	}
	return m, nil
}
