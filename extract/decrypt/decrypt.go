// Package decrypt turns a PDF encrypted with the standard security handler
// into an equivalent unencrypted file, for object layers that cannot
// decrypt it themselves (ledongthuc/pdf misreads RC4-40 and refuses AES-256
// and RC4 crypt filters). Government portals publish many files with only
// an owner password; those open with the empty user password.
//
// The file is read with a small object parser of its own (classic xref
// tables, xref streams, hybrid files, object streams, and a scan for
// "n g obj" when the xref is broken) and written back with a classic xref
// table: object streams are unpacked into top-level objects and xref
// streams dropped. Streams stay in their original encoding (Flate etc.);
// only the encryption is removed.
package decrypt

import (
	"bytes"
	"errors"
	"fmt"
	"sort"
)

// Errors a caller can tell apart (with errors.Is).
var (
	// ErrNeedPassword: the empty password is not accepted and the given
	// one (if any) is neither the user nor the owner password.
	ErrNeedPassword = errors.New("pdf needs a user password")
	// ErrUnsupported: a public-key or other non-standard security handler,
	// an unknown crypt filter method, or a filter this package cannot undo
	// on an object or xref stream.
	ErrUnsupported = errors.New("unsupported pdf encryption")
	// ErrMalformed: the encryption dictionary lacks entries its handler
	// needs or has them at the wrong length, so no password can open the
	// file: it is damaged, not protected.
	ErrMalformed = errors.New("malformed encryption dictionary")
)

// Encrypted reports whether data may be encrypted: it contains the name
// /Encrypt, which trailers and xref stream dictionaries are never
// compressed around. It is a cheap test to decide whether to call Decrypt;
// a false positive costs only a parse, since Decrypt returns an
// unencrypted file as it is.
func Encrypted(data []byte) bool {
	return bytes.Contains(data, []byte("/Encrypt"))
}

// Decrypt returns an unencrypted equivalent of data: the same objects
// with strings and streams decrypted, /Encrypt removed from the trailer
// and a fresh xref table. The empty user password is tried first, then
// password as the user and as the owner password. A file that is not
// encrypted is returned as it is. Decrypt never panics on malformed input
// and bounds the memory it uses (decoded object and xref streams are
// limited to 256 MiB in all).
func Decrypt(data []byte, password string) (out []byte, err error) {
	defer func() {
		// Belt and braces: the parser is written not to panic (FuzzDecrypt
		// calls decrypt directly), but a hostile file must never take the
		// harvest down.
		if x := recover(); x != nil {
			out, err = nil, fmt.Errorf("decrypt: internal error on malformed input: %v", x)
		}
	}()
	return decrypt(data, password, false)
}

// Rewrite is Decrypt that also rewrites an unencrypted file: object
// streams unpacked, xref streams and hybrid or broken cross-reference
// data replaced by one classic xref table (found by scanning the file when
// the xref is unusable). It turns files ledongthuc/pdf cannot open (hybrid
// /XRefStm files, wrong xref offsets) into ones it can.
func Rewrite(data []byte, password string) (out []byte, err error) {
	defer func() {
		if x := recover(); x != nil {
			out, err = nil, fmt.Errorf("decrypt: internal error on malformed input: %v", x)
		}
	}()
	return decrypt(data, password, true)
}

func decrypt(data []byte, password string, force bool) ([]byte, error) {
	var err error
	f := newFile(data)
	if err := f.load(); err != nil {
		return nil, fmt.Errorf("decrypt: reading the file structure: %w", err)
	}
	encV := f.trailer.get("Encrypt")
	if encV == nil {
		if !force {
			return data, nil
		}
		f.h = &handler{} // no encryption: every method is mNone
		f.unpackScanned()
		return f.rewrite(-1)
	}
	encNum := -1
	if r, ok := encV.(ref); ok {
		encNum = r.num
		if f.xref[r.num].kind == 2 {
			return nil, errors.New("decrypt: the encryption dictionary is inside an object stream")
		}
		if encV, err = f.resolve(r.num, 0); err != nil {
			return nil, fmt.Errorf("decrypt: encryption dictionary: %w", err)
		}
	}
	enc, ok := encV.(*dict)
	if !ok {
		return nil, fmt.Errorf("decrypt: /Encrypt is not a dictionary")
	}
	var id0 []byte
	if ids, ok := f.trailer.get("ID").(array); ok && len(ids) > 0 {
		s, _ := ids[0].(pdfStr)
		id0 = []byte(s)
	}
	if f.h, err = newHandler(enc, id0, password); err != nil {
		return nil, fmt.Errorf("decrypt: %w", err)
	}
	f.unpackScanned()
	return f.rewrite(encNum)
}

// unpackScanned adds the objects of the object streams a scan of a broken
// file found (the handler must be set: object streams are encrypted).
func (f *file) unpackScanned() {
	for _, n := range f.stmCandidates {
		if s, err := f.objStm(n, 0); err == nil {
			for _, on := range s.nums {
				f.setLoc(on, loc{kind: 2, stm: n})
			}
		}
	}
}

// outObj is one object of the output.
type outObj struct {
	num, gen int
	v        value
	stream   []byte // nil for a non-stream
	isStream bool
}

func (f *file) rewrite(encNum int) ([]byte, error) {
	nums := make([]int, 0, len(f.xref))
	for n, lc := range f.xref {
		if lc.kind != 0 && n != encNum {
			nums = append(nums, n)
		}
	}
	sort.Ints(nums)
	var objs []outObj
	for _, n := range nums {
		lc := f.xref[n]
		if lc.kind == 2 {
			v, err := f.fromStm(n, lc, 0)
			if err != nil {
				continue // an unreadable object reads as null, as in any reader
			}
			objs = append(objs, outObj{num: n, v: v})
			continue
		}
		o, err := f.object(n, 0)
		if err != nil {
			if errors.Is(err, errBudget) {
				return nil, fmt.Errorf("decrypt: %w", err)
			}
			continue
		}
		if !o.stream {
			objs = append(objs, outObj{num: n, gen: o.gen, v: f.h.strings(o.num, o.gen, o.v)})
			continue
		}
		d := o.v.(*dict)
		if t := d.name("Type"); t == "XRef" || t == "ObjStm" {
			continue // replaced by the new xref and unpacked objects
		}
		data, d2, err := f.h.stream(o.num, o.gen, d, o.raw)
		if err != nil {
			return nil, fmt.Errorf("decrypt: object %d: %w", n, err)
		}
		d2 = f.h.strings(o.num, o.gen, d2).(*dict)
		objs = append(objs, outObj{num: n, gen: o.gen, v: d2, stream: data, isStream: true})
	}
	return f.write(objs), nil
}

// strings returns v with every string decrypted (a copy; v is shared with
// the parsed file). Signature /Contents are never encrypted.
func (h *handler) strings(num, gen int, v value) value {
	switch x := v.(type) {
	case pdfStr:
		return pdfStr(h.crypt(h.str, num, gen, x))
	case array:
		out := make(array, len(x))
		for i, e := range x {
			out[i] = h.strings(num, gen, e)
		}
		return out
	case *dict:
		sig := x.name("Type") == "Sig" || x.name("Type") == "DocTimeStamp"
		out := &dict{keys: append([]pdfName(nil), x.keys...), vals: make([]value, len(x.vals))}
		for i, e := range x.vals {
			if sig && x.keys[i] == "Contents" {
				out.vals[i] = e
				continue
			}
			out.vals[i] = h.strings(num, gen, e)
		}
		return out
	}
	return v
}

// stream decrypts a stream's data and returns it with a copy of its
// dictionary from which a /Crypt filter has been removed.
func (h *handler) stream(num, gen int, d *dict, raw []byte) ([]byte, *dict, error) {
	d = &dict{keys: append([]pdfName(nil), d.keys...), vals: append([]value(nil), d.vals...)}
	m := h.stm
	switch d.name("Type") {
	case "XRef":
		return raw, d, nil
	case "Metadata":
		if !h.encryptMetadata {
			m = mNone
		}
	case "EmbeddedFile":
		m = h.eff
	}
	// A /Crypt filter must come first; it overrides the default method.
	filters, _ := d.get("Filter").(array)
	single := false
	if n, ok := d.get("Filter").(pdfName); ok {
		filters, single = array{n}, true
	}
	if len(filters) > 0 && filters[0] == pdfName("Crypt") {
		var parm *dict
		rest := d.get("DecodeParms")
		switch p := rest.(type) {
		case *dict:
			parm, rest = p, nil
		case array:
			if len(p) > 0 {
				parm, _ = p[0].(*dict)
				rest = p[1:]
			}
		}
		cname := pdfName("Identity")
		if n, ok := parm.get("Name").(pdfName); ok {
			cname = n
		}
		cm, ok := h.cf[cname]
		if !ok {
			return nil, nil, fmt.Errorf("%w: stream crypt filter /%s is not defined", ErrUnsupported, cname)
		}
		m = cm
		if single || len(filters) == 1 {
			d.del("Filter")
			d.del("DecodeParms")
		} else {
			d.set("Filter", filters[1:])
			if rest != nil {
				d.set("DecodeParms", rest)
			} else {
				d.del("DecodeParms")
			}
		}
	}
	return h.crypt(m, num, gen, raw), d, nil
}
