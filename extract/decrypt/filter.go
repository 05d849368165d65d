package decrypt

import (
	"bytes"
	"compress/zlib"
	"errors"
	"fmt"
	"io"
)

// decode applies the stream's filters (FlateDecode with an optional PNG
// predictor, which is what object and xref streams use). It is only used
// for object and xref streams; other streams are copied undecoded.
func (f *file) decode(d *dict, raw []byte) ([]byte, error) {
	var filters []value
	switch v := d.get("Filter").(type) {
	case nil:
	case pdfName:
		filters = []value{v}
	case array:
		filters = v
	default:
		return nil, fmt.Errorf("%w: /Filter of type %T", ErrUnsupported, v)
	}
	var parms []value
	switch v := d.get("DecodeParms").(type) {
	case *dict:
		parms = []value{v}
	case array:
		parms = v
	}
	data := raw
	for i, fv := range filters {
		name, _ := fv.(pdfName)
		var p *dict
		if i < len(parms) {
			p, _ = parms[i].(*dict)
		}
		switch name {
		case "FlateDecode", "Fl":
			out, err := f.inflate(data)
			if err != nil {
				return nil, err
			}
			if data, err = unpredict(out, p); err != nil {
				return nil, err
			}
		default:
			return nil, fmt.Errorf("%w: filter /%s on an object or xref stream", ErrUnsupported, name)
		}
	}
	return data, nil
}

// ErrTooLarge reports a stream that decodes to more than the size limit.
var ErrTooLarge = errors.New("decoded stream exceeds the size limit")

func (f *file) inflate(data []byte) ([]byte, error) {
	zr, err := zlib.NewReader(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("flate: %w", err)
	}
	limit := min(f.maxStream, maxTotalDecode-f.decoded)
	out, err := io.ReadAll(io.LimitReader(zr, int64(limit)+1))
	if len(out) > limit {
		return nil, ErrTooLarge
	}
	f.decoded += len(out)
	// A missing checksum or truncated tail is common; keep what decoded.
	if err != nil && len(out) == 0 {
		return nil, fmt.Errorf("flate: %w", err)
	}
	return out, nil
}

// unpredict undoes a PNG predictor (/Predictor >= 10).
func unpredict(data []byte, p *dict) ([]byte, error) {
	pred, _ := integer(p.get("Predictor"))
	if pred <= 1 {
		return data, nil
	}
	if pred < 10 {
		return nil, fmt.Errorf("%w: predictor %d", ErrUnsupported, pred)
	}
	cols, ok := integer(p.get("Columns"))
	if !ok {
		cols = 1
	}
	colors, ok := integer(p.get("Colors"))
	if !ok {
		colors = 1
	}
	bpc, ok := integer(p.get("BitsPerComponent"))
	if !ok {
		bpc = 8
	}
	if cols <= 0 || colors <= 0 || bpc <= 0 || cols > 1<<20 || colors > 32 || bpc > 16 {
		return nil, errors.New("bad predictor parameters")
	}
	bpp := max(1, (colors*bpc+7)/8)
	rowLen := (cols*colors*bpc + 7) / 8
	out := make([]byte, 0, len(data))
	prev := make([]byte, rowLen)
	for len(data) > 0 {
		typ := data[0]
		row := make([]byte, rowLen)
		copy(row, data[1:])
		data = data[min(len(data), rowLen+1):]
		for i := range row {
			var a, c byte
			if i >= bpp {
				a, c = row[i-bpp], prev[i-bpp]
			}
			b := prev[i]
			switch typ {
			case 1:
				row[i] += a
			case 2:
				row[i] += b
			case 3:
				row[i] += byte((int(a) + int(b)) / 2)
			case 4:
				row[i] += paeth(a, b, c)
			}
		}
		out = append(out, row...)
		prev = row
	}
	return out, nil
}

func paeth(a, b, c byte) byte {
	p := int(a) + int(b) - int(c)
	pa, pb, pc := abs(p-int(a)), abs(p-int(b)), abs(p-int(c))
	switch {
	case pa <= pb && pa <= pc:
		return a
	case pb <= pc:
		return b
	}
	return c
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}
