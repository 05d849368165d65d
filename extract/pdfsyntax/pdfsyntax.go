// Package pdfsyntax holds the lexical rules of PDF (ISO 32000 §7.2–7.3)
// shared by the content-stream tokenizer and the object rewriter: character
// classes and the decoding of literal strings, hex strings and names.
package pdfsyntax

import "errors"

// ErrUnterminated reports a string that runs to the end of the data.
var ErrUnterminated = errors.New("unterminated string")

// ErrTooLong reports a string longer than the caller's maximum; reading
// stops there, before the rest is copied.
var ErrTooLong = errors.New("string too long")

// ErrBadHex reports a byte in a hex string that is neither a hex digit nor
// white space.
var ErrBadHex = errors.New("bad byte in hex string")

// IsSpace reports PDF white space (NUL included).
func IsSpace(c byte) bool {
	return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == 0
}

// IsDelim reports PDF delimiters.
func IsDelim(c byte) bool {
	switch c {
	case '(', ')', '<', '>', '[', ']', '{', '}', '/', '%':
		return true
	}
	return false
}

// IsRegular reports characters that belong to names, numbers and keywords.
func IsRegular(c byte) bool { return !IsSpace(c) && !IsDelim(c) }

// Unhex is the value of a hex digit.
func Unhex(c byte) (byte, bool) {
	switch {
	case c >= '0' && c <= '9':
		return c - '0', true
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10, true
	case c >= 'A' && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

// Literal decodes the literal string whose opening parenthesis is at
// data[pos]. It returns the string's bytes, the position after the closing
// parenthesis, and ErrUnterminated when the data ends first (with what was
// read). Without escapes the result aliases data.
func Literal(data []byte, pos int) ([]byte, int, error) { return LiteralMax(data, pos, 0) }

// LiteralMax is Literal stopping with ErrTooLong, at the position reached,
// once the string would exceed max bytes (max ≤ 0: no limit).
func LiteralMax(data []byte, pos, max int) ([]byte, int, error) {
	pos++ // (
	start := pos
	for i := pos; i < len(data); i++ {
		c := data[i]
		if max > 0 && i-start > max {
			return data[start : start+max], i, ErrTooLong
		}
		if c == '\\' || c == '(' {
			break
		}
		if c == ')' {
			return data[start:i], i + 1, nil
		}
	}
	var out []byte
	nest := 1
	for pos < len(data) {
		c := data[pos]
		pos++
		switch c {
		case '(':
			nest++
		case ')':
			nest--
			if nest == 0 {
				return out, pos, nil
			}
		case '\\':
			if pos >= len(data) {
				return out, pos, ErrUnterminated
			}
			e := data[pos]
			pos++
			switch e {
			case 'n':
				c = '\n'
			case 'r':
				c = '\r'
			case 't':
				c = '\t'
			case 'b':
				c = '\b'
			case 'f':
				c = '\f'
			case '\r':
				if pos < len(data) && data[pos] == '\n' {
					pos++
				}
				continue
			case '\n':
				continue
			case '0', '1', '2', '3', '4', '5', '6', '7':
				v := int(e - '0')
				for k := 0; k < 2 && pos < len(data) && data[pos] >= '0' && data[pos] <= '7'; k++ {
					v = v*8 + int(data[pos]-'0')
					pos++
				}
				c = byte(v)
			default:
				c = e
			}
		}
		if max > 0 && len(out) >= max {
			return out, pos, ErrTooLong
		}
		out = append(out, c)
	}
	return out, pos, ErrUnterminated
}

// Hex decodes the hex string whose '<' is at data[pos]; an odd final digit
// is padded with 0. It returns the bytes, the position after '>', and
// ErrUnterminated or (when strict) ErrBadHex at the offending byte; lenient
// decoding skips bad bytes.
func Hex(data []byte, pos int, strict bool) ([]byte, int, error) {
	return HexMax(data, pos, strict, 0)
}

// HexMax is Hex stopping with ErrTooLong once the string would exceed max
// bytes (max ≤ 0: no limit).
func HexMax(data []byte, pos int, strict bool, max int) ([]byte, int, error) {
	pos++ // <
	var out []byte
	var hi byte
	half := false
	for pos < len(data) {
		c := data[pos]
		pos++
		if c == '>' {
			if half {
				if max > 0 && len(out) >= max {
					return out, pos, ErrTooLong
				}
				out = append(out, hi<<4)
			}
			return out, pos, nil
		}
		v, ok := Unhex(c)
		if !ok {
			if strict && !IsSpace(c) {
				return out, pos, ErrBadHex
			}
			continue
		}
		if half {
			if max > 0 && len(out) >= max {
				return out, pos, ErrTooLong
			}
			out = append(out, hi<<4|v)
		} else {
			hi = v
		}
		half = !half
	}
	if half && (max <= 0 || len(out) < max) {
		out = append(out, hi<<4)
	}
	return out, pos, ErrUnterminated
}

// Name decodes the #xx escapes of a name's characters (without the slash).
// Without escapes the result aliases raw.
func Name(raw []byte) []byte {
	for i := range raw {
		if raw[i] != '#' {
			continue
		}
		out := make([]byte, 0, len(raw))
		for j := 0; j < len(raw); j++ {
			if raw[j] == '#' && j+2 < len(raw) {
				hi, ok1 := Unhex(raw[j+1])
				lo, ok2 := Unhex(raw[j+2])
				if ok1 && ok2 {
					out = append(out, hi<<4|lo)
					j += 2
					continue
				}
			}
			out = append(out, raw[j])
		}
		return out
	}
	return raw
}
