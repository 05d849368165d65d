package decrypt

import (
	"bytes"
	"encoding/hex"
	"fmt"
	"math"
	"strconv"
)

// write assembles the output file. Object numbers are kept unless they are
// so sparse that the xref table would be mostly empty; then objects are
// renumbered densely (references follow). References to objects that do
// not exist become null, which is what they mean.
func (f *file) write(objs []outObj) []byte {
	maxNum := 0
	for _, o := range objs {
		maxNum = max(maxNum, o.num)
	}
	renum := map[int]int{}
	dense := maxNum <= 2*len(objs)+1024
	for i, o := range objs {
		if dense {
			renum[o.num] = o.num
		} else {
			renum[o.num] = i + 1
		}
	}
	w := &writer{renum: renum, keepGen: dense}
	var b bytes.Buffer
	b.Grow(len(f.data) + len(f.data)/8)
	fmt.Fprintf(&b, "%%PDF-%s\n%%\xe2\xe3\xcf\xd3\n", headerVersion(f.data))
	offsets := map[int]int{}
	gens := map[int]int{}
	outMax := 0
	for _, o := range objs {
		n := renum[o.num]
		gen := o.gen
		if !dense {
			gen = 0
		}
		offsets[n], gens[n] = b.Len(), gen
		outMax = max(outMax, n)
		fmt.Fprintf(&b, "%d %d obj\n", n, gen)
		if o.isStream {
			d := o.v.(*dict)
			d.set("Length", keyword(strconv.Itoa(len(o.stream))))
			w.value(&b, d)
			b.WriteString("\nstream\n")
			b.Write(o.stream)
			b.WriteString("\nendstream")
		} else {
			w.value(&b, o.v)
		}
		b.WriteString("\nendobj\n")
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f\r\n", outMax+1)
	for n := 1; n <= outMax; n++ {
		if off, ok := offsets[n]; ok {
			fmt.Fprintf(&b, "%010d %05d n\r\n", off, gens[n])
		} else {
			b.WriteString("0000000000 00001 f\r\n")
		}
	}
	tr := &dict{}
	for i, k := range f.trailer.keys {
		switch k {
		case "Encrypt", "Prev", "XRefStm", "Size", "Type", "W", "Index", "Filter", "DecodeParms", "Length":
			continue
		}
		tr.set(k, f.trailer.vals[i])
	}
	tr.keys = append([]pdfName{"Size"}, tr.keys...)
	tr.vals = append([]value{keyword(strconv.Itoa(outMax + 1))}, tr.vals...)
	b.WriteString("trailer\n")
	w.value(&b, tr)
	fmt.Fprintf(&b, "\nstartxref\n%d\n%%%%EOF\n", xref)
	return b.Bytes()
}

// headerVersion is the input's version when it is 1.0 to 1.7, else 1.7
// (a PDF 2.0 file without encryption reads fine as 1.7, and
// ledongthuc/pdf accepts only 1.x headers).
func headerVersion(data []byte) string {
	i := bytes.Index(data[:min(len(data), 1024)], []byte("%PDF-1."))
	if i >= 0 && i+8 <= len(data) && data[i+7] >= '0' && data[i+7] <= '7' {
		return string(data[i+5 : i+8])
	}
	return "1.7"
}

type writer struct {
	renum   map[int]int
	keepGen bool
}

func (w *writer) value(b *bytes.Buffer, v value) {
	switch x := v.(type) {
	case nil:
		b.WriteString("null")
	case keyword:
		b.WriteString(cleanKeyword(string(x)))
	case pdfName:
		writeName(b, string(x))
	case pdfStr:
		b.WriteByte('<')
		b.WriteString(hex.EncodeToString(x))
		b.WriteByte('>')
	case ref:
		n, ok := w.renum[x.num]
		if !ok {
			b.WriteString("null")
			return
		}
		gen := x.gen
		if !w.keepGen {
			gen = 0
		}
		fmt.Fprintf(b, "%d %d R", n, gen)
	case array:
		b.WriteByte('[')
		for i, e := range x {
			if i > 0 {
				b.WriteByte(' ')
			}
			w.value(b, e)
		}
		b.WriteByte(']')
	case *dict:
		b.WriteString("<<")
		for i, k := range x.keys {
			writeName(b, string(k))
			b.WriteByte(' ')
			w.value(b, x.vals[i])
			if i < len(x.keys)-1 {
				b.WriteByte(' ')
			}
		}
		b.WriteString(">>")
	}
}

func writeName(b *bytes.Buffer, s string) {
	b.WriteByte('/')
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c <= ' ' || c >= 0x7f || c == '#' || isDelim(c) {
			fmt.Fprintf(b, "#%02X", c)
			continue
		}
		b.WriteByte(c)
	}
}

// cleanKeyword returns a bare token as ledongthuc/pdf can read it: that
// reader panics on an integer beyond int64 (/Count 99999999999999999999),
// on a real it cannot parse, and on any other keyword where a value is
// expected, losing the whole object. Such a number is clamped; other junk
// becomes null, which is what a reader that skips it sees.
func cleanKeyword(k string) string {
	switch k {
	case "true", "false", "null":
		return k
	}
	digits, dots := 0, 0
	for i := 0; i < len(k); i++ {
		switch c := k[i]; {
		case c >= '0' && c <= '9':
			digits++
		case c == '.':
			dots++
		case (c == '+' || c == '-') && i == 0:
		default:
			return "null"
		}
	}
	switch {
	case digits == 0 || dots > 1:
		return "null"
	case dots == 0:
		if _, err := strconv.ParseInt(k, 10, 64); err != nil {
			if k[0] == '-' {
				return strconv.FormatInt(math.MinInt64, 10)
			}
			return strconv.FormatInt(math.MaxInt64, 10)
		}
	default:
		if _, err := strconv.ParseFloat(k, 64); err != nil {
			return "0"
		}
	}
	return k
}
