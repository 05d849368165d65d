package font

import (
	"fmt"
	"io"

	"github.com/ledongthuc/pdf"
)

// maxStream bounds the bytes read from one CMap stream.
const maxStream = 8 << 20

// maxArray bounds the elements read from one /Widths or /W array.
const maxArray = 1 << 20

// Load decodes a /Font dictionary. It never panics: panics of the PDF
// library on malformed input are returned as errors.
func Load(dict pdf.Value) (f *Font, err error) { return LoadGuarded(dict, nil) }

// Guard is asked before the entries of a font that a file can make huge
// are read (/DescendantFonts and its font, /Widths, /W, /W2); an error
// leaves the entry out, with a warning. The PDF library parses an object
// whole when it is read, so only a guard that measures it first bounds it.
type Guard interface {
	Guard(dict pdf.Value, key string) error  // entry key of a dictionary
	GuardIndex(array pdf.Value, i int) error // element i of an array
}

// LoadGuarded is Load with a guard (nil: none).
func LoadGuarded(dict pdf.Value, guard Guard) (f *Font, err error) {
	defer func() {
		if r := recover(); r != nil {
			f, err = nil, fmt.Errorf("font: decoding failed: %v", r)
		}
	}()
	spec, warns, err := readSpec(dict, guard)
	if err != nil {
		return nil, err
	}
	f, err = New(spec)
	if f != nil {
		f.warnings = append(warns, f.warnings...)
	}
	return f, err
}

// ReadSpec reads the parts of a /Font dictionary that New needs.
func ReadSpec(dict pdf.Value) (spec Spec, err error) {
	spec, _, err = readSpec(dict, nil)
	return spec, err
}

func readSpec(dict pdf.Value, guard Guard) (spec Spec, warns []string, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("font %q: malformed font dictionary: %v", spec.BaseFont, r)
		}
	}()
	refuse := func(what string, err error) {
		warns = append(warns, fmt.Sprintf("font %q: %s left out: %v", spec.BaseFont, what, err))
	}
	// get reads dict[key] unless the guard refuses it.
	get := func(dict pdf.Value, key string) pdf.Value {
		if guard != nil {
			if err := guard.Guard(dict, key); err != nil {
				refuse("/"+key, err)
				return pdf.Value{}
			}
		}
		return dict.Key(key)
	}
	if dict.Kind() != pdf.Dict {
		return spec, nil, fmt.Errorf("font: not a dictionary (%v)", dict.Kind())
	}
	spec.Subtype = dict.Key("Subtype").Name()
	if spec.Subtype == "" && !dict.Key("DescendantFonts").IsNull() {
		spec.Subtype = "Type0" // a missing /Subtype is common enough to forgive
	}
	spec.BaseFont = dict.Key("BaseFont").Name()
	if spec.BaseFont == "" {
		spec.BaseFont = dict.Key("Name").Name()
	}
	if tu := dict.Key("ToUnicode"); tu.Kind() == pdf.Stream {
		if spec.ToUnicode, err = readStream(tu); err != nil {
			return spec, warns, fmt.Errorf("font %q: ToUnicode: %w", spec.BaseFont, err)
		}
	}
	enc := dict.Key("Encoding")
	switch enc.Kind() {
	case pdf.Name:
		spec.Encoding = enc.Name()
	case pdf.Stream:
		if spec.EncodingCMap, err = readStream(enc); err != nil {
			return spec, warns, fmt.Errorf("font %q: encoding CMap: %w", spec.BaseFont, err)
		}
		if spec.EncodingCMap == nil {
			spec.EncodingCMap = []byte{}
		}
		if u := enc.Key("UseCMap"); u.Kind() == pdf.Name {
			// Express /UseCMap as the PostScript operator the parser knows.
			spec.EncodingCMap = append([]byte("/"+u.Name()+" usecmap\n"), spec.EncodingCMap...)
		}
	case pdf.Dict:
		spec.Encoding = enc.Key("BaseEncoding").Name()
		spec.Differences = readDifferences(enc.Key("Differences"))
	}
	if spec.Subtype == "Type0" {
		d := get(dict, "DescendantFonts")
		if d.Kind() == pdf.Array {
			if guard != nil {
				if err := guard.GuardIndex(d, 0); err != nil {
					refuse("the descendant font", err)
					return spec, warns, nil
				}
			}
			d = d.Index(0)
		}
		if d.Kind() == pdf.Dict {
			readCIDFont(d, &spec, get)
		}
		return spec, warns, nil
	}
	spec.FirstChar = int(dict.Key("FirstChar").Int64())
	spec.Widths = readNumbers(get(dict, "Widths"))
	if fd := dict.Key("FontDescriptor"); fd.Kind() == pdf.Dict {
		spec.Flags = int(fd.Key("Flags").Int64())
		if mw := fd.Key("MissingWidth"); mw.Kind() == pdf.Integer || mw.Kind() == pdf.Real {
			v := mw.Float64()
			spec.MissingWidth = &v
		}
	}
	if spec.Subtype == "Type3" {
		spec.FontMatrix = readNumbers(dict.Key("FontMatrix"))
	}
	return spec, warns, nil
}

func readCIDFont(d pdf.Value, spec *Spec, get func(pdf.Value, string) pdf.Value) {
	spec.CIDSubtype = d.Key("Subtype").Name()
	if si := d.Key("CIDSystemInfo"); si.Kind() == pdf.Dict {
		spec.Registry = si.Key("Registry").RawString()
		spec.Ordering = si.Key("Ordering").RawString()
	}
	if dw := d.Key("DW"); dw.Kind() == pdf.Integer || dw.Kind() == pdf.Real {
		v := dw.Float64()
		spec.DW = &v
	}
	spec.W = readW(get(d, "W"))
	if dw2 := readNumbers(d.Key("DW2")); len(dw2) == 2 {
		spec.DW2 = dw2
	}
	spec.W2 = readW2(get(d, "W2"))
	if spec.BaseFont == "" {
		spec.BaseFont = d.Key("BaseFont").Name()
	}
}

func readStream(v pdf.Value) ([]byte, error) {
	rc := v.Reader()
	defer rc.Close()
	b, err := io.ReadAll(io.LimitReader(rc, maxStream))
	if err != nil {
		return nil, err
	}
	return b, nil
}

func isNum(v pdf.Value) bool { return v.Kind() == pdf.Integer || v.Kind() == pdf.Real }

func readNumbers(v pdf.Value) []float64 {
	if v.Kind() != pdf.Array {
		return nil
	}
	n := min(v.Len(), maxArray)
	out := make([]float64, n)
	for i := range out {
		out[i] = v.Index(i).Float64()
	}
	return out
}

func readDifferences(v pdf.Value) []Difference {
	if v.Kind() != pdf.Array {
		return nil
	}
	var out []Difference
	code := 0
	for i := 0; i < min(v.Len(), maxArray); i++ {
		e := v.Index(i)
		switch e.Kind() {
		case pdf.Integer:
			code = int(e.Int64())
		case pdf.Name:
			out = append(out, Difference{Code: code, Name: e.Name()})
			code++
		}
	}
	return out
}

func cidOf(v pdf.Value) (uint32, bool) {
	if !isNum(v) {
		return 0, false
	}
	x := v.Float64()
	if x < 0 || x > 0xFFFFFFFF {
		return 0, false
	}
	return uint32(x), true
}

// readW reads /W: `c [w1 w2 …]` and `cfirst clast w`.
func readW(v pdf.Value) []CIDWidth {
	if v.Kind() != pdf.Array {
		return nil
	}
	var out []CIDWidth
	n := min(v.Len(), maxArray)
	for i := 0; i < n; {
		first, ok := cidOf(v.Index(i))
		if !ok {
			i++
			continue
		}
		next := v.Index(i + 1)
		if next.Kind() == pdf.Array {
			for j := 0; j < min(next.Len(), maxArray); j++ {
				out = append(out, CIDWidth{First: first + uint32(j), Last: first + uint32(j), W: next.Index(j).Float64()})
			}
			i += 2
			continue
		}
		last, ok := cidOf(next)
		if !ok || !isNum(v.Index(i+2)) {
			i++
			continue
		}
		out = append(out, CIDWidth{First: first, Last: last, W: v.Index(i + 2).Float64()})
		i += 3
	}
	return out
}

// readW2 reads /W2: `c [w1y vx vy …]` and `cfirst clast w1y vx vy`.
func readW2(v pdf.Value) []CIDVMetric {
	if v.Kind() != pdf.Array {
		return nil
	}
	var out []CIDVMetric
	n := min(v.Len(), maxArray)
	for i := 0; i < n; {
		first, ok := cidOf(v.Index(i))
		if !ok {
			i++
			continue
		}
		next := v.Index(i + 1)
		if next.Kind() == pdf.Array {
			for j := 0; j+2 < min(next.Len(), maxArray); j += 3 {
				c := first + uint32(j/3)
				out = append(out, CIDVMetric{First: c, Last: c,
					W1y: next.Index(j).Float64(), Vx: next.Index(j + 1).Float64(), Vy: next.Index(j + 2).Float64()})
			}
			i += 2
			continue
		}
		last, ok := cidOf(next)
		if !ok {
			i++
			continue
		}
		out = append(out, CIDVMetric{First: first, Last: last,
			W1y: v.Index(i + 2).Float64(), Vx: v.Index(i + 3).Float64(), Vy: v.Index(i + 4).Float64()})
		i += 5
	}
	return out
}
