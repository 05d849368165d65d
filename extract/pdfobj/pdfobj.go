// Package pdfobj is the boundary around the PDF object layer
// (github.com/ledongthuc/pdf): it opens files defensively, lists pages with
// their inherited attributes without trusting the page tree, and turns the
// library's panics into errors so one bad object never takes a document down.
package pdfobj

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"reflect"
	"regexp"
	"strconv"

	"github.com/ledongthuc/pdf"

	"yusuan/extract/decrypt"
)

// Errors a caller can tell apart.
var (
	ErrNotPDF       = errors.New("not a PDF file")
	ErrNeedPassword = errors.New("encrypted with a user password")
	ErrDamaged      = errors.New("damaged PDF")
	ErrHostile      = errors.New("refused: structure exceeds safety limits")
)

// Limits bound the work a single file may cause.
type Limits struct {
	MaxPages       int   // pages listed at most
	MaxObjects     int64 // largest object number accepted in the xref
	MaxStreamBytes int64 // decoded bytes read from one stream
}

// DefaultLimits suit government disclosures (the largest seen has 262 pages).
var DefaultLimits = Limits{MaxPages: 20000, MaxObjects: 5_000_000, MaxStreamBytes: 256 << 20}

// Rect is a rectangle in default user space: x0, y0, x1, y1.
type Rect [4]float64

// Width and Height of the rectangle.
func (r Rect) Width() float64  { return r[2] - r[0] }
func (r Rect) Height() float64 { return r[3] - r[1] }

// Page is one page with its inherited attributes resolved.
type Page struct {
	Number    int // 1-based
	V         pdf.Value
	Resources pdf.Value
	MediaBox  Rect
	CropBox   Rect
	Rotate    int // 0, 90, 180 or 270
}

// File is an opened PDF.
type File struct {
	Reader    *pdf.Reader
	Pages     []Page
	Producer  string
	Creator   string
	Encrypted bool
	Limits    Limits
	// Warnings about the structure (pages skipped, cycles cut).
	Warnings []string
}

// ObjID identifies an indirect object (number and generation). For a direct
// object it is the ID of the indirect object that contains it.
type ObjID struct {
	Num uint32
	Gen uint16
}

// ID returns the object identity of v. The library does not export it; it is
// read by reflection so that fonts and forms can be cached and cycles found.
func ID(v pdf.Value) ObjID {
	rv := reflect.ValueOf(v)
	p := rv.FieldByName("ptr")
	if !p.IsValid() || p.NumField() < 2 {
		return ObjID{}
	}
	return ObjID{Num: uint32(p.Field(0).Uint()), Gen: uint16(p.Field(1).Uint())}
}

// Safe runs fn and turns a panic into an error.
func Safe(what string, fn func()) (err error) {
	defer func() {
		if x := recover(); x != nil {
			err = fmt.Errorf("%s: %w: %v", what, ErrDamaged, x)
		}
	}()
	fn()
	return nil
}

var (
	reXrefHead  = regexp.MustCompile(`(?m)^\s*(\d+)\s+(\d+)\s*$`)
	reHeaderVer = regexp.MustCompile(`^%PDF-(\d)\.(\d)`)
)

// precheck refuses structures that make the object layer allocate without
// bound (a huge /Size or xref subsection) before it sees them.
func precheck(data []byte, lim Limits) error {
	bound := lim.MaxObjects
	if n := int64(len(data)); n+1000 < bound {
		bound = n + 1000 // an object takes more than one byte of the file
	}
	// Keys are found with bytes.Index, not regexps: this runs over every
	// byte of every file.
	for _, n := range numbersAfter(data, "/Size", 1) {
		if n > bound {
			return fmt.Errorf("%w: /Size %d", ErrHostile, n)
		}
	}
	for _, n := range numbersAfter(data, "/Index", -1) {
		if n > bound {
			return fmt.Errorf("%w: xref /Index entry %d", ErrHostile, n)
		}
	}
	// Classic xref subsection headers "start count" right after "xref".
	for off := 0; ; {
		i := bytes.Index(data[off:], []byte("xref"))
		if i < 0 {
			break
		}
		off += i + 4
		if i > 0 && data[off-5] == 't' { // "startxref"
			continue
		}
		end := off + 4096
		if end > len(data) {
			end = len(data)
		}
		seg := data[off:end]
		if t := bytes.Index(seg, []byte("trailer")); t >= 0 {
			seg = seg[:t]
		}
		for _, m := range reXrefHead.FindAllSubmatch(seg, -1) {
			a, err1 := strconv.ParseInt(string(m[1]), 10, 64)
			b, err2 := strconv.ParseInt(string(m[2]), 10, 64)
			if err1 != nil || err2 != nil || a+b > bound {
				return fmt.Errorf("%w: xref subsection %s %s", ErrHostile, m[1], m[2])
			}
		}
	}
	return nil
}

// numbersAfter returns the integers that follow each occurrence of key,
// inside an array when the key is followed by '[' (at most max of them per
// occurrence; -1 for all); a number too long to parse counts as huge.
func numbersAfter(data []byte, key string, maxPer int) []int64 {
	var out []int64
	for off := 0; ; {
		i := bytes.Index(data[off:], []byte(key))
		if i < 0 {
			return out
		}
		p := off + i + len(key)
		off = p
		if p < len(data) && isNameChar(data[p]) {
			continue // a longer name such as /SizeX
		}
		for p < len(data) && (data[p] == ' ' || data[p] == '\r' || data[p] == '\n' || data[p] == '\t' || data[p] == '[') {
			p++
		}
		for n := 0; (maxPer < 0 || n < maxPer) && p < len(data) && data[p] >= '0' && data[p] <= '9'; n++ {
			start := p
			for p < len(data) && data[p] >= '0' && data[p] <= '9' {
				p++
			}
			v, err := strconv.ParseInt(string(data[start:p]), 10, 64)
			if err != nil {
				v = 1 << 62
			}
			out = append(out, v)
			for p < len(data) && (data[p] == ' ' || data[p] == '\r' || data[p] == '\n' || data[p] == '\t') {
				p++
			}
		}
	}
}

// isNameChar reports bytes that continue a PDF name.
func isNameChar(c byte) bool {
	return c > ' ' && c < 0x7f && !bytes.ContainsRune([]byte("()<>[]{}/%"), rune(c))
}

// normalize trims bytes before the header and after the last %%EOF, which
// portals and download tools add, and which the object layer rejects.
func normalize(data []byte) ([]byte, error) {
	head := data
	if len(head) > 1024 {
		head = head[:1024]
	}
	i := bytes.Index(head, []byte("%PDF-"))
	if i < 0 {
		return nil, fmt.Errorf("%w: %s", ErrNotPDF, sniff(data))
	}
	data = data[i:]
	if j := bytes.LastIndex(data, []byte("%%EOF")); j >= 0 {
		data = data[:j+5]
	}
	return data, nil
}

// sniff names what a non-PDF file looks like, for the error message.
func sniff(data []byte) string {
	if len(data) == 0 {
		return "empty file"
	}
	head := bytes.ToLower(bytes.TrimSpace(data[:min(len(data), 512)]))
	switch {
	case bytes.HasPrefix(head, []byte("<!doctype html")), bytes.HasPrefix(head, []byte("<html")), bytes.Contains(head, []byte("<head")):
		return "an HTML page"
	case bytes.HasPrefix(head, []byte("pk\x03\x04")):
		return "a ZIP archive (docx/xlsx/ofd?)"
	case bytes.HasPrefix(head, []byte("\xd0\xcf\x11\xe0")):
		return "an old Office document"
	case bytes.HasPrefix(head, []byte("\x89png")), bytes.HasPrefix(head, []byte("\xff\xd8")):
		return "an image"
	}
	return "no %PDF header"
}

// Open reads a PDF held in memory.
func Open(data []byte, lim Limits) (*File, error) {
	data, err := normalize(data)
	if err != nil {
		return nil, err
	}
	encrypted := decrypt.Encrypted(data)
	if encrypted {
		// The object layer's own decryption silently garbles RC4-40 and
		// refuses AES-256 and V4 RC4: decrypt everything ourselves first.
		plain, err := decrypt.Decrypt(data, "")
		switch {
		case errors.Is(err, decrypt.ErrNeedPassword):
			return nil, fmt.Errorf("%w: it cannot be opened without one", ErrNeedPassword)
		case err != nil:
			return nil, fmt.Errorf("cannot decrypt: %w", err)
		}
		data = plain
	}
	f, err := open(data, lim)
	if f != nil {
		f.Encrypted = f.Encrypted || encrypted
	}
	return f, err
}

func open(data []byte, lim Limits) (*File, error) {
	data = patchHeader(data)
	truncated := !bytes.Contains(data[max(0, len(data)-1024):], []byte("%%EOF"))
	var f *File
	var err error
	switch {
	case truncated:
		err = fmt.Errorf("%w: no %%%%EOF marker (truncated download?)", ErrDamaged)
	default:
		if err = precheck(data, lim); err == nil {
			f, err = openReader(data, lim)
			if err == nil && len(f.Pages) > 0 {
				return f, nil
			}
		}
	}
	if err != nil && !errors.Is(err, ErrDamaged) && !errors.Is(err, ErrHostile) {
		return nil, err
	}
	// A broken, truncated, hostile or unusual cross-reference (wrong offsets,
	// hybrid files that read as zero pages, a huge /Size) is rebuilt by
	// scanning the file for objects; the rebuilt one is the only one read.
	f2, err2 := repair(data, lim)
	if err2 != nil {
		return f, err
	}
	why := "cross-reference table damaged"
	switch {
	case truncated:
		why = "file truncated"
	case errors.Is(err, ErrHostile):
		why = err.Error()
	}
	f2.Warnings = append(f2.Warnings, fmt.Sprintf("%s: rebuilt the cross-reference by scanning the file, %d pages recovered", why, len(f2.Pages)))
	return f2, nil
}

// repair rebuilds the cross-reference by scanning; when that still does not
// open, the file is rewritten object by object.
func repair(data []byte, lim Limits) (*File, error) {
	var err error
	for _, fix := range []func([]byte) ([]byte, error){
		func(d []byte) ([]byte, error) { return rebuildXref(d, lim) },
		func(d []byte) ([]byte, error) { return decrypt.Rewrite(d, "") },
	} {
		fixed, ferr := fix(data)
		if ferr != nil {
			err = ferr
			continue
		}
		f, oerr := openReader(patchHeader(fixed), lim)
		if oerr == nil && len(f.Pages) > 0 {
			return f, nil
		}
		err = oerr
	}
	if err == nil {
		err = fmt.Errorf("%w: no pages after repair", ErrDamaged)
	}
	return nil, err
}

// patchHeader makes the header one the object layer accepts: it takes only
// %PDF-1.0..1.7 followed by an end of line, while 2.0 files and odd header
// spacing are common enough.
func patchHeader(data []byte) []byte {
	if m := reHeaderVer.FindSubmatch(data[:min(len(data), 16)]); m != nil && string(m[1]) == "1" && len(data) > 9 && (data[8] == '\n' || data[8] == '\r') {
		return data
	}
	patched := make([]byte, len(data))
	copy(patched, data)
	copy(patched, "%PDF-1.7\n")
	return patched
}

func openReader(data []byte, lim Limits) (*File, error) {
	var r *pdf.Reader
	var openErr error
	if err := Safe("open", func() {
		r, openErr = pdf.NewReader(bytes.NewReader(data), int64(len(data)))
	}); err != nil {
		return nil, err
	}
	if openErr != nil {
		return nil, classifyOpenError(openErr)
	}
	f := &File{Reader: r, Limits: lim}
	if err := Safe("trailer", func() {
		t := r.Trailer()
		f.Encrypted = !t.Key("Encrypt").IsNull()
		info := t.Key("Info")
		f.Producer = info.Key("Producer").Text()
		f.Creator = info.Key("Creator").Text()
	}); err != nil {
		f.Warnings = append(f.Warnings, err.Error())
	}
	if err := f.listPages(); err != nil {
		return nil, err
	}
	return f, nil
}

func classifyOpenError(err error) error {
	switch {
	case errors.Is(err, pdf.ErrInvalidPassword):
		return fmt.Errorf("%w: needs a password to open", ErrNeedPassword)
	case errors.Is(err, ErrDamaged):
		return err
	}
	msg := err.Error()
	switch {
	case bytes.Contains([]byte(msg), []byte("not a PDF")):
		return fmt.Errorf("%w: %v", ErrNotPDF, msg)
	case bytes.Contains([]byte(msg), []byte("encrypt")), bytes.Contains([]byte(msg), []byte("password")):
		return fmt.Errorf("unsupported encryption: %v", msg)
	}
	return fmt.Errorf("%w: %v", ErrDamaged, msg)
}

// inherited carries attributes down the page tree (PDF 32000 §7.7.3.4), so no
// /Parent chain has to be trusted.
type inherited struct {
	resources pdf.Value
	mediaBox  pdf.Value
	cropBox   pdf.Value
	rotate    pdf.Value
}

func (f *File) listPages() error {
	var root pdf.Value
	if err := Safe("catalog", func() { root = f.Reader.Trailer().Key("Root").Key("Pages") }); err != nil {
		return err
	}
	if root.IsNull() {
		return fmt.Errorf("%w: no page tree", ErrDamaged)
	}
	seen := map[ObjID]bool{}
	var walk func(node pdf.Value, inh inherited, depth int) error
	walk = func(node pdf.Value, inh inherited, depth int) error {
		if depth > 64 {
			f.Warnings = append(f.Warnings, "page tree deeper than 64 levels: cut")
			return nil
		}
		if len(f.Pages) >= f.Limits.MaxPages {
			return fmt.Errorf("%w: more than %d pages", ErrHostile, f.Limits.MaxPages)
		}
		id := ID(node)
		if id.Num != 0 {
			if seen[id] {
				f.Warnings = append(f.Warnings, fmt.Sprintf("page tree cycle at object %d: cut", id.Num))
				return nil
			}
			seen[id] = true
		}
		var typ string
		var kids pdf.Value
		err := Safe("page tree", func() {
			for key, dst := range map[string]*pdf.Value{"Resources": &inh.resources, "MediaBox": &inh.mediaBox, "CropBox": &inh.cropBox, "Rotate": &inh.rotate} {
				if v := node.Key(key); !v.IsNull() {
					*dst = v
				}
			}
			typ = node.Key("Type").Name()
			kids = node.Key("Kids")
		})
		if err != nil {
			f.Warnings = append(f.Warnings, err.Error())
			return nil
		}
		if typ == "Pages" || (typ == "" && kids.Kind() == pdf.Array) {
			n := 0
			_ = Safe("page tree", func() { n = kids.Len() })
			for i := 0; i < n; i++ {
				var kid pdf.Value
				if err := Safe("page tree", func() { kid = kids.Index(i) }); err != nil {
					f.Warnings = append(f.Warnings, err.Error())
					continue
				}
				if err := walk(kid, inh, depth+1); err != nil {
					return err
				}
			}
			return nil
		}
		// Attributes missing on the way down may still sit on ancestors that
		// only the /Parent chain reaches; walk it, bounded, to find them.
		for key, dst := range map[string]*pdf.Value{"Resources": &inh.resources, "MediaBox": &inh.mediaBox} {
			if dst.IsNull() {
				*dst = fromParents(node, key)
			}
		}
		p := Page{Number: len(f.Pages) + 1, V: node, Resources: inh.resources}
		_ = Safe("page boxes", func() {
			p.MediaBox = rectOf(inh.mediaBox, Rect{0, 0, 595.276, 841.89})
			p.CropBox = intersect(rectOf(inh.cropBox, p.MediaBox), p.MediaBox)
			p.Rotate = ((int(inh.rotate.Int64()) % 360) + 360) % 360 / 90 * 90
		})
		f.Pages = append(f.Pages, p)
		return nil
	}
	return walk(root, inherited{}, 0)
}

// fromParents looks key up along the /Parent chain, at most 32 levels and
// never twice through the same node.
func fromParents(node pdf.Value, key string) pdf.Value {
	var found pdf.Value
	_ = Safe("page tree", func() {
		seen := map[ObjID]bool{}
		for n := node.Key("Parent"); !n.IsNull() && len(seen) < 32; n = n.Key("Parent") {
			id := ID(n)
			if seen[id] {
				return
			}
			seen[id] = true
			if v := n.Key(key); !v.IsNull() {
				found = v
				return
			}
		}
	})
	return found
}

func rectOf(v pdf.Value, def Rect) Rect {
	if v.Kind() != pdf.Array || v.Len() < 4 {
		return def
	}
	var r Rect
	for i := 0; i < 4; i++ {
		r[i] = num(v.Index(i))
	}
	if r[0] > r[2] {
		r[0], r[2] = r[2], r[0]
	}
	if r[1] > r[3] {
		r[1], r[3] = r[3], r[1]
	}
	if r.Width() <= 0 || r.Height() <= 0 {
		return def
	}
	return r
}

func intersect(a, b Rect) Rect {
	r := Rect{max(a[0], b[0]), max(a[1], b[1]), min(a[2], b[2]), min(a[3], b[3])}
	if r.Width() <= 0 || r.Height() <= 0 {
		return b
	}
	return r
}

func num(v pdf.Value) float64 {
	switch v.Kind() {
	case pdf.Integer:
		return float64(v.Int64())
	case pdf.Real:
		return v.Float64()
	}
	return 0
}

// Num reads a number (integer or real) safely; 0 otherwise.
func Num(v pdf.Value) float64 {
	var x float64
	_ = Safe("number", func() { x = num(v) })
	return x
}

// ReadStream returns the decoded bytes of a stream (or the concatenation of
// an array of streams, as page /Contents may be), bounded by the limits.
func (f *File) ReadStream(v pdf.Value) ([]byte, error) {
	var out []byte
	err := Safe("stream", func() {
		var parts []pdf.Value
		switch v.Kind() {
		case pdf.Stream:
			parts = []pdf.Value{v}
		case pdf.Array:
			for i := 0; i < v.Len(); i++ {
				parts = append(parts, v.Index(i))
			}
		}
		for _, s := range parts {
			if s.Kind() != pdf.Stream {
				continue
			}
			rc := s.Reader()
			b, err := io.ReadAll(io.LimitReader(rc, f.Limits.MaxStreamBytes+1-int64(len(out))))
			rc.Close()
			out = append(out, b...)
			if int64(len(out)) > f.Limits.MaxStreamBytes {
				panic(fmt.Sprintf("stream larger than %d bytes", f.Limits.MaxStreamBytes))
			}
			if err != nil && len(b) == 0 {
				panic(err)
			}
			out = append(out, '\n')
		}
	})
	return out, err
}
