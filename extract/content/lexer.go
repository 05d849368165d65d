// Package content tokenizes PDF content streams: operands and operators,
// with inline images skipped without losing sync. It is written for speed
// (no allocation per number or operator) and for hostile input (bounded
// nesting, never panics).
package content

import (
	"errors"
	"fmt"

	"yusuan/extract/limits"
	"yusuan/extract/pdfsyntax"
)

// Kind of an operand.
type Kind uint8

const (
	Null Kind = iota
	Number
	Bool
	Name
	String
	Array
	Dict
)

// Operand is one operand of an operator. Bytes holds a string's decoded bytes
// or a name without its slash; it may alias the stream buffer or a scratch
// buffer, so copy it to keep it beyond the callback.
type Operand struct {
	Kind  Kind
	Num   float64
	Bool  bool
	Bytes []byte
	Arr   []Operand
}

// maxOperands bounds the operand stack; real operators take at most a few.
const maxOperands = 64

// Handler receives each operator with its operands. Returning an error stops
// the parse with that error.
type Handler func(op []byte, args []Operand) error

type lexer struct {
	data []byte
	pos  int
	lim  limits.Limits
	// tmp collects array elements while they are read; arena holds the
	// finished arrays of the current operator. Both are reused, so arrays
	// cost no allocation once warmed up.
	tmp   []Operand
	arena []Operand
}

// Parse walks data and calls h for every operator. Malformed bytes are
// skipped; only h's errors and the limits stop it: nesting deeper than
// MaxNesting, a string longer than MaxStringBytes, an array (or the arrays
// of one operator together) longer than MaxArrayLen give a *limits.Error
// before the memory is spent. Zero limits take their defaults.
func Parse(data []byte, lim limits.Limits, h Handler) error {
	lx := &lexer{data: data, lim: lim.Fill()}
	args := make([]Operand, 0, 16)
	for {
		lx.skipSpace()
		if lx.pos >= len(lx.data) {
			return nil
		}
		c := lx.data[lx.pos]
		if isRegular(c) && !isNumberStart(c) {
			start := lx.pos
			for lx.pos < len(lx.data) && isRegular(lx.data[lx.pos]) {
				lx.pos++
			}
			word := lx.data[start:lx.pos]
			switch string(word) {
			case "true", "false":
				args = push(args, Operand{Kind: Bool, Bool: word[0] == 't'})
				continue
			case "null":
				args = push(args, Operand{})
				continue
			case "BI":
				lx.skipInlineImage()
				args = args[:0]
				lx.arena = lx.arena[:0]
				continue
			}
			if err := h(word, args); err != nil {
				return err
			}
			args = args[:0]
			lx.arena = lx.arena[:0]
			continue
		}
		op, ok, err := lx.operand(0)
		if err != nil {
			return err
		}
		if ok {
			args = push(args, op)
		}
	}
}

func push(args []Operand, o Operand) []Operand {
	if len(args) >= maxOperands {
		copy(args, args[1:])
		args = args[:len(args)-1]
	}
	return append(args, o)
}

// operand reads one operand at pos; ok is false when the byte was not the
// start of one (it is then skipped).
func (lx *lexer) operand(depth int) (Operand, bool, error) {
	if depth > lx.lim.MaxNesting {
		return Operand{}, false, limits.Exceeded("MaxNesting", int64(lx.lim.MaxNesting), 0, "arrays nested in a content stream")
	}
	c := lx.data[lx.pos]
	switch {
	case isNumberStart(c):
		return Operand{Kind: Number, Num: lx.number()}, true, nil
	case c == '/':
		lx.pos++
		start := lx.pos
		for lx.pos < len(lx.data) && isRegular(lx.data[lx.pos]) {
			lx.pos++
		}
		return Operand{Kind: Name, Bytes: pdfsyntax.Name(lx.data[start:lx.pos])}, true, nil
	case c == '(':
		s, err := lx.literal()
		return Operand{Kind: String, Bytes: s}, err == nil, err
	case c == '<':
		if lx.pos+1 < len(lx.data) && lx.data[lx.pos+1] == '<' {
			lx.pos += 2
			return lx.collect(depth, Dict, ">>")
		}
		s, err := lx.hex()
		return Operand{Kind: String, Bytes: s}, err == nil, err
	case c == '[':
		lx.pos++
		return lx.collect(depth, Array, "]")
	}
	lx.pos++ // stray delimiter or '{': skip
	return Operand{}, false, nil
}

// collect reads operands until the closing delimiter.
func (lx *lexer) collect(depth int, kind Kind, closing string) (Operand, bool, error) {
	start := len(lx.tmp)
	finish := func() (Operand, bool, error) {
		n := len(lx.arena)
		if n+len(lx.tmp)-start > lx.lim.MaxArrayLen {
			// Arena holds every array of the pending operands: bounding it
			// bounds one huge array and a flood of small ones alike.
			lx.tmp = lx.tmp[:start]
			return Operand{}, false, lx.arrayLimit()
		}
		lx.arena = append(lx.arena, lx.tmp[start:]...)
		lx.tmp = lx.tmp[:start]
		return Operand{Kind: kind, Arr: lx.arena[n:len(lx.arena):len(lx.arena)]}, true, nil
	}
	for {
		lx.skipSpace()
		if lx.pos >= len(lx.data) {
			return finish()
		}
		if hasPrefixAt(lx.data, lx.pos, closing) {
			lx.pos += len(closing)
			return finish()
		}
		if len(lx.tmp)-start >= lx.lim.MaxArrayLen {
			lx.tmp = lx.tmp[:start]
			return Operand{}, false, lx.arrayLimit()
		}
		c := lx.data[lx.pos]
		if isRegular(c) && !isNumberStart(c) {
			// A keyword inside an array (true, false, null, or garbage).
			wstart := lx.pos
			for lx.pos < len(lx.data) && isRegular(lx.data[lx.pos]) {
				lx.pos++
			}
			switch string(lx.data[wstart:lx.pos]) {
			case "true":
				lx.tmp = append(lx.tmp, Operand{Kind: Bool, Bool: true})
			case "false":
				lx.tmp = append(lx.tmp, Operand{Kind: Bool})
			case "null":
				lx.tmp = append(lx.tmp, Operand{})
			}
			continue
		}
		if c == ')' || c == '>' || c == ']' || c == '}' {
			lx.pos++ // mismatched closer: drop it
			continue
		}
		op, ok, err := lx.operand(depth + 1)
		if err != nil {
			lx.tmp = lx.tmp[:start]
			return Operand{}, false, err
		}
		if ok {
			lx.tmp = append(lx.tmp, op)
		}
	}
}

func (lx *lexer) skipSpace() {
	for lx.pos < len(lx.data) {
		c := lx.data[lx.pos]
		if c == '%' {
			for lx.pos < len(lx.data) && lx.data[lx.pos] != '\n' && lx.data[lx.pos] != '\r' {
				lx.pos++
			}
			continue
		}
		if !isSpace(c) {
			return
		}
		lx.pos++
	}
}

func (lx *lexer) number() float64 {
	neg := false
	for lx.pos < len(lx.data) && (lx.data[lx.pos] == '-' || lx.data[lx.pos] == '+') {
		neg = neg != (lx.data[lx.pos] == '-')
		lx.pos++
	}
	var v float64
	for lx.pos < len(lx.data) && lx.data[lx.pos] >= '0' && lx.data[lx.pos] <= '9' {
		v = v*10 + float64(lx.data[lx.pos]-'0')
		lx.pos++
	}
	if lx.pos < len(lx.data) && lx.data[lx.pos] == '.' {
		lx.pos++
		scale := 0.1
		for lx.pos < len(lx.data) && lx.data[lx.pos] >= '0' && lx.data[lx.pos] <= '9' {
			v += float64(lx.data[lx.pos]-'0') * scale
			scale /= 10
			lx.pos++
		}
	}
	// Swallow malformed tails such as "1.2.3" or "4-5" as one token.
	for lx.pos < len(lx.data) && isRegular(lx.data[lx.pos]) {
		lx.pos++
	}
	if neg {
		return -v
	}
	return v
}

func (lx *lexer) arrayLimit() error {
	return limits.Exceeded("MaxArrayLen", int64(lx.lim.MaxArrayLen), 0, "array in a content stream")
}

func (lx *lexer) literal() ([]byte, error) {
	s, next, err := pdfsyntax.LiteralMax(lx.data, lx.pos, lx.lim.MaxStringBytes)
	lx.pos = next
	return s, lx.stringLimit(err)
}

func (lx *lexer) hex() ([]byte, error) {
	s, next, err := pdfsyntax.HexMax(lx.data, lx.pos, false, lx.lim.MaxStringBytes)
	lx.pos = next
	return s, lx.stringLimit(err)
}

// stringLimit turns ErrTooLong into the limit error; an unterminated
// string is not one (what was read is kept).
func (lx *lexer) stringLimit(err error) error {
	if errors.Is(err, pdfsyntax.ErrTooLong) {
		return limits.Exceeded("MaxStringBytes", int64(lx.lim.MaxStringBytes), 0, "string in a content stream")
	}
	return nil
}

// skipInlineImage moves past "BI <dict> ID <binary> EI". The binary data
// length is known when /L (or /Length) is given or the image is unfiltered;
// otherwise the first "EI" preceded by white space and followed by white
// space or the end is taken.
func (lx *lexer) skipInlineImage() {
	var w, h, bpc, ncomp, length float64 = 0, 0, 8, 1, -1
	filtered := false
	for {
		lx.skipSpace()
		if lx.pos >= len(lx.data) {
			return
		}
		if hasPrefixAt(lx.data, lx.pos, "ID") && (lx.pos+2 >= len(lx.data) || !isRegular(lx.data[lx.pos+2])) {
			lx.pos += 2
			if lx.pos < len(lx.data) && isSpace(lx.data[lx.pos]) {
				lx.pos++
			}
			break
		}
		key, ok, err := lx.operand(0)
		if err != nil || !ok {
			continue
		}
		lx.skipSpace()
		if lx.pos >= len(lx.data) {
			return
		}
		if c := lx.data[lx.pos]; isRegular(c) && !isNumberStart(c) {
			// A bare keyword value (true/false or ID itself): consume word.
			if hasPrefixAt(lx.data, lx.pos, "ID") {
				continue
			}
			for lx.pos < len(lx.data) && isRegular(lx.data[lx.pos]) {
				lx.pos++
			}
			continue
		}
		val, ok, err := lx.operand(0)
		if err != nil || !ok || key.Kind != Name {
			continue
		}
		switch string(key.Bytes) {
		case "W", "Width":
			w = val.Num
		case "H", "Height":
			h = val.Num
		case "BPC", "BitsPerComponent":
			bpc = val.Num
		case "L", "Length":
			length = val.Num
		case "F", "Filter":
			filtered = true
		case "IM", "ImageMask":
			if val.Kind == Bool && val.Bool {
				bpc, ncomp = 1, 1
			}
		case "CS", "ColorSpace":
			if val.Kind == Name {
				switch string(val.Bytes) {
				case "RGB", "DeviceRGB":
					ncomp = 3
				case "CMYK", "DeviceCMYK":
					ncomp = 4
				}
			}
		}
	}
	if length < 0 && !filtered && w > 0 && h > 0 {
		length = float64(int((w*ncomp*bpc+7)/8) * int(h))
	}
	if length >= 0 && lx.pos+int(length) <= len(lx.data) {
		end := lx.pos + int(length)
		// Trust the computed length only when EI follows it.
		j := end
		for j < len(lx.data) && isSpace(lx.data[j]) {
			j++
		}
		if hasPrefixAt(lx.data, j, "EI") && (j+2 >= len(lx.data) || !isRegular(lx.data[j+2])) {
			lx.pos = j + 2
			return
		}
	}
	for i := lx.pos; i+1 < len(lx.data); i++ {
		if lx.data[i] == 'E' && lx.data[i+1] == 'I' && (i == 0 || isSpace(lx.data[i-1])) && (i+2 >= len(lx.data) || isSpace(lx.data[i+2]) || isDelim(lx.data[i+2])) {
			lx.pos = i + 2
			return
		}
	}
	lx.pos = len(lx.data)
}

func hasPrefixAt(b []byte, i int, s string) bool {
	return i+len(s) <= len(b) && string(b[i:i+len(s)]) == s
}

func isSpace(c byte) bool   { return pdfsyntax.IsSpace(c) }
func isDelim(c byte) bool   { return pdfsyntax.IsDelim(c) }
func isRegular(c byte) bool { return pdfsyntax.IsRegular(c) }

func isNumberStart(c byte) bool {
	return c >= '0' && c <= '9' || c == '-' || c == '+' || c == '.'
}

// String renders an operand for diagnostics.
func (o Operand) String() string {
	switch o.Kind {
	case Number:
		return fmt.Sprint(o.Num)
	case Name:
		return "/" + string(o.Bytes)
	case String:
		return fmt.Sprintf("(%q)", o.Bytes)
	case Array, Dict:
		return fmt.Sprint(o.Arr)
	case Bool:
		return fmt.Sprint(o.Bool)
	}
	return "null"
}

// ScanObject reads one object at the start of data, after its optional
// "num gen obj" header, under the limits and without keeping it: it
// measures an object before a parser without limits reads it. The
// elements of all its arrays and dictionaries together count against
// MaxArrayLen. It returns the offset after the object's value.
func ScanObject(data []byte, lim limits.Limits) (end int, err error) {
	lx := &lexer{data: data, lim: lim.Fill()}
	lx.skipSpace()
	start := lx.pos
	if !(lx.integer() && lx.integer() && lx.keyword("obj")) {
		lx.pos = start
	}
	lx.skipSpace()
	if lx.pos >= len(lx.data) {
		return lx.pos, nil
	}
	_, _, err = lx.operand(0)
	return lx.pos, err
}

// integer consumes an unsigned integer token and the space after it.
func (lx *lexer) integer() bool {
	start := lx.pos
	for lx.pos < len(lx.data) && lx.data[lx.pos] >= '0' && lx.data[lx.pos] <= '9' {
		lx.pos++
	}
	if lx.pos == start || lx.pos < len(lx.data) && isRegular(lx.data[lx.pos]) {
		return false
	}
	lx.skipSpace()
	return true
}

// keyword consumes the keyword kw.
func (lx *lexer) keyword(kw string) bool {
	if !hasPrefixAt(lx.data, lx.pos, kw) || lx.pos+len(kw) < len(lx.data) && isRegular(lx.data[lx.pos+len(kw)]) {
		return false
	}
	lx.pos += len(kw)
	return true
}
