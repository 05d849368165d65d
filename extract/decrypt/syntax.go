package decrypt

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"

	"yusuan/extract/pdfsyntax"
)

// The value tree of the minimal object parser. Numbers, booleans, null and
// any other bare keyword are kept as their source text (keyword), which is
// all a rewriter needs.
type (
	value   any
	keyword string
	pdfName string
	pdfStr  []byte
	array   []value
	ref     struct{ num, gen int }
	dict    struct {
		keys []pdfName
		vals []value
	}
)

func (d *dict) get(k pdfName) value {
	if d == nil {
		return nil
	}
	for i, kk := range d.keys {
		if kk == k {
			return d.vals[i]
		}
	}
	return nil
}

func (d *dict) set(k pdfName, v value) {
	for i, kk := range d.keys {
		if kk == k {
			d.vals[i] = v
			return
		}
	}
	d.keys = append(d.keys, k)
	d.vals = append(d.vals, v)
}

func (d *dict) del(k pdfName) {
	for i, kk := range d.keys {
		if kk == k {
			d.keys = append(d.keys[:i:i], d.keys[i+1:]...)
			d.vals = append(d.vals[:i:i], d.vals[i+1:]...)
			return
		}
	}
}

func (d *dict) name(k pdfName) pdfName {
	n, _ := d.get(k).(pdfName)
	return n
}

// integer returns the value as an int when it is an integer keyword.
func integer(v value) (int, bool) {
	k, ok := v.(keyword)
	if !ok {
		return 0, false
	}
	n, err := strconv.ParseInt(string(k), 10, 64)
	if err != nil || n < -1<<40 || n > 1<<40 {
		return 0, false
	}
	return int(n), true
}

// maxDepth bounds nesting of arrays and dictionaries (hostile input).
const maxDepth = 256

var (
	errSyntax = errors.New("syntax error")
	errBudget = errors.New("parse work budget exhausted")
)

// lexer reads PDF tokens from buf. work is a shared budget of bytes
// consumed, so repeated parse attempts on hostile input stay linear-ish.
type lexer struct {
	buf  []byte
	pos  int
	work *int
}

func isWS(c byte) bool      { return pdfsyntax.IsSpace(c) }
func isDelim(c byte) bool   { return pdfsyntax.IsDelim(c) }
func isRegular(c byte) bool { return pdfsyntax.IsRegular(c) }

func (l *lexer) spend(n int) error {
	*l.work -= n
	if *l.work < 0 {
		return errBudget
	}
	return nil
}

func (l *lexer) skipWS() {
	for l.pos < len(l.buf) {
		c := l.buf[l.pos]
		if isWS(c) {
			l.pos++
			continue
		}
		if c == '%' {
			for l.pos < len(l.buf) && l.buf[l.pos] != '\n' && l.buf[l.pos] != '\r' {
				l.pos++
			}
			continue
		}
		return
	}
}

// regular reads a run of regular characters.
func (l *lexer) regular() []byte {
	start := l.pos
	for l.pos < len(l.buf) && isRegular(l.buf[l.pos]) {
		l.pos++
	}
	return l.buf[start:l.pos]
}

// keywordAt reports whether kw starts at the current position (after white
// space) as a whole token, consuming it if so.
func (l *lexer) keywordAt(kw string) bool {
	l.skipWS()
	if !bytes.HasPrefix(l.buf[l.pos:], []byte(kw)) {
		return false
	}
	end := l.pos + len(kw)
	if end < len(l.buf) && isRegular(l.buf[end]) {
		return false
	}
	l.pos = end
	return true
}

// value parses one direct object; "n g R" becomes a ref.
func (l *lexer) value(depth int) (value, error) {
	if depth > maxDepth {
		return nil, fmt.Errorf("%w: nesting deeper than %d", errSyntax, maxDepth)
	}
	l.skipWS()
	if l.pos >= len(l.buf) {
		return nil, fmt.Errorf("%w: unexpected end of data", errSyntax)
	}
	switch c := l.buf[l.pos]; c {
	case '/':
		l.pos++
		raw := l.regular()
		if err := l.spend(len(raw) + 1); err != nil {
			return nil, err
		}
		return pdfName(decodeName(raw)), nil
	case '(':
		return l.literal()
	case '<':
		if l.pos+1 < len(l.buf) && l.buf[l.pos+1] == '<' {
			l.pos += 2
			return l.dict(depth)
		}
		return l.hex()
	case '[':
		l.pos++
		var a array
		for {
			l.skipWS()
			if l.pos >= len(l.buf) {
				return nil, fmt.Errorf("%w: unterminated array", errSyntax)
			}
			if l.buf[l.pos] == ']' {
				l.pos++
				return a, nil
			}
			if l.atStray() {
				l.pos++
				continue
			}
			if bytes.HasPrefix(l.buf[l.pos:], []byte(">>")) {
				l.pos += 2 // a dictionary closed twice
				continue
			}
			v, err := l.value(depth + 1)
			if err != nil {
				return nil, err
			}
			a = append(a, v)
		}
	default:
		if !isRegular(c) {
			return nil, fmt.Errorf("%w: unexpected %q at %d", errSyntax, c, l.pos)
		}
		tok := l.regular()
		if err := l.spend(len(tok)); err != nil {
			return nil, err
		}
		if n, ok := integer(keyword(tok)); ok && n >= 0 {
			// Look ahead for "gen R".
			save := l.pos
			l.skipWS()
			g := l.regular()
			if gen, ok := integer(keyword(g)); ok && gen >= 0 && gen <= 65535 {
				l.skipWS()
				if l.pos < len(l.buf) && l.buf[l.pos] == 'R' && (l.pos+1 == len(l.buf) || !isRegular(l.buf[l.pos+1])) {
					l.pos++
					return ref{n, gen}, nil
				}
			}
			l.pos = save
		}
		return keyword(tok), nil
	}
}

func (l *lexer) dict(depth int) (value, error) {
	d := &dict{}
	for {
		l.skipWS()
		if l.pos >= len(l.buf) {
			return nil, fmt.Errorf("%w: unterminated dictionary", errSyntax)
		}
		if l.buf[l.pos] == '>' && l.pos+1 < len(l.buf) && l.buf[l.pos+1] == '>' {
			l.pos += 2
			return d, nil
		}
		if l.atStray() {
			l.pos++
			continue
		}
		k, err := l.value(depth + 1)
		if err != nil {
			return nil, err
		}
		key, ok := k.(pdfName)
		if !ok {
			continue // junk where a key should be: skipped, as readers do
		}
		l.skipWS()
		if l.pos < len(l.buf) && (l.buf[l.pos] == '>' || l.atStray()) {
			d.set(key, keyword("null")) // a key without value
			continue
		}
		v, err := l.value(depth + 1)
		if err != nil {
			return nil, err
		}
		d.set(key, v)
	}
}

// atStray reports a delimiter that cannot start a value here: ')', '}',
// '{', a single '>', or a ']' outside an array (which checks for its own
// ']' first). Readers skip such junk inside arrays and dictionaries, and
// so does this parser, so that one damaged entry does not lose the object
// (a page tree node listing every page, say).
func (l *lexer) atStray() bool {
	if l.pos >= len(l.buf) {
		return false
	}
	switch l.buf[l.pos] {
	case ')', '}', '{', ']':
		return true
	case '>':
		return l.pos+1 >= len(l.buf) || l.buf[l.pos+1] != '>'
	}
	return false
}

func (l *lexer) literal() (value, error) {
	str, next, err := pdfsyntax.Literal(l.buf, l.pos)
	l.pos = next
	if err != nil {
		return nil, fmt.Errorf("%w: %v", errSyntax, err)
	}
	// The string is decrypted in place later: never alias the input.
	return pdfStr(bytes.Clone(str)), l.spend(len(str) + 2)
}

func (l *lexer) hex() (value, error) {
	str, next, err := pdfsyntax.Hex(l.buf, l.pos, true)
	l.pos = next
	if err != nil {
		return nil, fmt.Errorf("%w: %v", errSyntax, err)
	}
	return pdfStr(str), l.spend(2*len(str) + 2)
}

func decodeName(raw []byte) string { return string(pdfsyntax.Name(raw)) }

// uint reads an unsigned integer token.
func (l *lexer) uint() (int, bool) {
	l.skipWS()
	start := l.pos
	for l.pos < len(l.buf) && l.buf[l.pos] >= '0' && l.buf[l.pos] <= '9' {
		l.pos++
	}
	if l.pos == start || l.pos-start > 12 || (l.pos < len(l.buf) && isRegular(l.buf[l.pos])) {
		l.pos = start
		return 0, false
	}
	n, _ := strconv.Atoi(string(l.buf[start:l.pos]))
	return n, true
}
