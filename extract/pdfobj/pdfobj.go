// Package pdfobj is the boundary around the PDF object layer
// (github.com/ledongthuc/pdf): it opens files defensively, lists pages with
// their inherited attributes without trusting the page tree, checks what
// the layer is about to parse against the limits (package limits), and
// turns the layer's panics into errors so one bad object never takes a
// document down.
//
// The layer has no limits of its own and cannot be interrupted: an object
// stream that /Extends itself makes it loop forever, a 5-million-entry
// array is parsed whole, a predictor row is allocated at whatever size the
// file names. So structures it would trip on are found first (precheck,
// checkObjectStreams, Guard) and repaired or refused here.
package pdfobj

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"

	"github.com/ledongthuc/pdf"

	"yusuan/extract/content"
	"yusuan/extract/decrypt"
	"yusuan/extract/limits"
)

// Errors a caller can tell apart. A file over a budget gives an error
// matching limits.ErrExceeded.
var (
	ErrNotPDF       = errors.New("not a PDF file")
	ErrNeedPassword = errors.New("encrypted with a user password")
	ErrDamaged      = errors.New("damaged PDF")
	ErrUnsupported  = errors.New("unsupported PDF feature")
	// ErrHostile: a structure the object layer would loop on or allocate
	// without bound; the file is repaired (its cross-reference rebuilt or
	// the file rewritten) before it is read.
	ErrHostile = errors.New("refused: structure exceeds safety limits")
)

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
	Limits    limits.Limits
	// Warnings about the structure (pages skipped, cycles cut).
	Warnings []string

	data    []byte // the bytes the object layer reads
	xref    xrefView
	decoded int64  // stream bytes decoded so far, against MaxDecodedBytes
	scratch []byte // ReadStream's buffer
	stms    map[ObjID]*objStm
	checked map[guardKey]error
	// damage lists page tree nodes the object layer could not read: a
	// rewrite of the file may recover their pages.
	damage []string
}

type objStm struct {
	s   *decrypt.ObjStm
	err error
}

type guardKey struct {
	id  ObjID
	max int
}

// ObjID identifies an indirect object (number and generation). For a direct
// object it is the ID of the indirect object that contains it.
type ObjID struct {
	Num uint32
	Gen uint16
}

// Safe runs fn and turns a panic of the object layer into an error that
// says what is wrong with the file.
func Safe(what string, fn func()) (err error) {
	defer func() {
		if x := recover(); x != nil {
			err = fmt.Errorf("%s: %w: %s", what, ErrDamaged, explain(x))
		}
	}()
	fn()
	return nil
}

// explain turns a panic of the object layer into a sentence a user can act
// on. The layer panics with bare strings and fmt errors, so its messages
// are recognised by their text here, at the boundary, and nowhere else.
func explain(x any) string {
	msg := fmt.Sprint(x)
	if msg == "pred" {
		return "a stream predictor that is not supported"
	}
	for _, e := range []struct{ in, say string }{
		// The layer reached the end of its input where a value should be
		// and panicked on the io.EOF it got instead: the Go detail helps
		// nobody.
		{"unexpected value type", "an object is cut short before its value (the file may be truncated: download it again)"},
		{"reading at offset", "the file ends inside an object (truncated download?) [%s]"},
		{"loading ", "the cross-reference table points at the wrong object [%s]"},
		{"non-name key", "junk bytes inside a dictionary [%s]"},
		{"unexpected keyword", "junk bytes where an object should start [%s]"},
		{"unexpected delimiter", "junk bytes where an object should start [%s]"},
		{"invalid integer", "a number too large or malformed [%s]"},
		{"invalid real", "a number too large or malformed [%s]"},
		{"cannot find object in stream", "an object is missing from its object stream"},
		{"object stream", "a damaged object stream [%s]"},
		{"missing First", "a damaged object stream [%s]"},
		{"unknown filter", "a stream compressed with a filter that is not supported [%s]"},
		{"malformed hex string", "a malformed hex string"},
		{"invalid escape", "a malformed string [%s]"},
		{"missing endobj", "an object without its endobj"},
		{"stream keyword not followed", "a malformed stream"},
		{"nesting exceeds", "objects nested more than 1000 deep"},
	} {
		if strings.Contains(msg, e.in) {
			if strings.Contains(e.say, "%s") {
				return fmt.Sprintf(e.say, shorten(msg, 80))
			}
			return e.say
		}
	}
	return shorten(msg, 160)
}

func shorten(s string, n int) string {
	s = strings.ToValidUTF8(s, "\ufffd")
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}

var (
	reXrefHead  = regexp.MustCompile(`(?m)^\s*(\d+)\s+(\d+)\s*$`)
	reHeaderVer = regexp.MustCompile(`^%PDF-(\d)\.(\d)`)
)

// precheck refuses structures that make the object layer allocate without
// bound before it sees them: a huge /Size or xref subsection, a
// cross-reference stream whose predictor rows are huge.
func precheck(data []byte, lim limits.Limits) error {
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
	// The object layer allocates a cross-reference stream's predictor row
	// at the size /Columns names, before reading a byte of it. Other
	// streams are checked when they are read (ReadStream).
	for off := 0; ; {
		i := bytes.Index(data[off:], []byte("/XRef"))
		if i < 0 {
			break
		}
		at := off + i
		off = at + 5
		dict := data[max(0, at-2048):min(len(data), at+2048)]
		if s := bytes.Index(dict[min(len(dict), 2048):], []byte("stream")); s >= 0 {
			dict = dict[:min(len(dict), 2048)+s]
		}
		for _, n := range numbersAfter(dict, "/Columns", 1) {
			if n > lim.MaxRowBytes {
				return fmt.Errorf("%w: %v", ErrHostile, limits.Exceeded("MaxRowBytes", lim.MaxRowBytes, n, "cross-reference stream predictor row"))
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

// Open reads a PDF held in memory. Zero limits take their defaults.
func Open(data []byte, lim limits.Limits) (*File, error) {
	lim = lim.Fill()
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
		case errors.Is(err, decrypt.ErrMalformed):
			return nil, fmt.Errorf("%w: %w", ErrDamaged, err)
		case errors.Is(err, decrypt.ErrUnsupported):
			return nil, fmt.Errorf("%w: %w", ErrUnsupported, err)
		case err != nil:
			return nil, fmt.Errorf("%w: cannot decrypt: %w", ErrDamaged, err)
		}
		data = plain
	}
	f, err := open(data, lim)
	if f != nil {
		f.Encrypted = f.Encrypted || encrypted
	}
	return f, err
}

// open reads the file as it is when the object layer can; otherwise, or
// when part of the page tree is unreadable, it tries repaired copies and
// keeps whichever lists the most pages.
func open(data []byte, lim limits.Limits) (*File, error) {
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
			if err == nil && len(f.Pages) > 0 && len(f.damage) == 0 {
				return f, nil
			}
		}
	}
	if err != nil && !errors.Is(err, ErrDamaged) && !errors.Is(err, ErrHostile) {
		return nil, err
	}
	why := "cross-reference table damaged"
	switch {
	case truncated:
		why = "file truncated"
	case err != nil && (errors.Is(err, ErrHostile) || errors.Is(err, errNoTree)):
		why = err.Error()
	case err == nil && len(f.damage) > 0:
		why = "page tree damaged (" + f.damage[0] + ")"
	}
	if err != nil {
		f = nil
	}
	// A broken, truncated, hostile or unusual cross-reference (wrong
	// offsets, hybrid files that read as zero pages, a huge /Size, an
	// object stream extending itself) is rebuilt by scanning the file for
	// objects; objects the layer cannot parse (junk in a dictionary, a
	// number beyond int64) are rewritten by a lenient parser.
	best, how := f, ""
	for _, fix := range []struct {
		how string
		fn  func([]byte) ([]byte, error)
	}{
		{"rebuilt the cross-reference by scanning the file", func(d []byte) ([]byte, error) { return rebuildXref(d, lim) }},
		{"rewrote the file object by object", func(d []byte) ([]byte, error) { return decrypt.Rewrite(d, "") }},
	} {
		if best != nil && len(best.Pages) > 0 && len(best.damage) == 0 {
			break
		}
		fixed, ferr := fix.fn(data)
		if ferr != nil {
			if err == nil {
				err = ferr
			}
			continue
		}
		g, gerr := openReader(patchHeader(fixed), lim)
		if gerr != nil {
			if err == nil {
				err = gerr
			}
			continue
		}
		if best == nil || len(g.Pages) > len(best.Pages) {
			best, how = g, fix.how
		}
	}
	switch {
	case best == nil && err == nil:
		return nil, fmt.Errorf("%w: no pages after repair", ErrDamaged)
	case best == nil:
		return nil, err
	case how != "":
		best.Warnings = append(best.Warnings, fmt.Sprintf("%s: %s, %d pages recovered", why, how, len(best.Pages)))
	}
	return best, nil
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

func openReader(data []byte, lim limits.Limits) (*File, error) {
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
	f := &File{Reader: r, Limits: lim, data: data, stms: map[ObjID]*objStm{}, checked: map[guardKey]error{}}
	f.xref, _ = xrefOf(r)
	if err := f.checkObjectStreams(); err != nil {
		return nil, err
	}
	if err := Safe("trailer", func() { f.Encrypted = !r.Trailer().Key("Encrypt").IsNull() }); err != nil {
		f.Warnings = append(f.Warnings, err.Error())
	}
	if info, err := f.Get(r.Trailer(), "Info"); err != nil {
		f.Warnings = append(f.Warnings, "document information skipped: "+err.Error())
	} else {
		_ = Safe("document information", func() {
			f.Producer = info.Key("Producer").Text()
			f.Creator = info.Key("Creator").Text()
		})
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
	case strings.Contains(msg, "not a PDF"):
		return fmt.Errorf("%w: %v", ErrNotPDF, msg)
	case strings.Contains(msg, "encrypt"), strings.Contains(msg, "password"):
		return fmt.Errorf("%w: encryption: %v", ErrUnsupported, msg)
	}
	return fmt.Errorf("%w: %s", ErrDamaged, explain(msg))
}

// checkObjectStreams finds, before the object layer follows them, object
// streams it would loop in or decode without bound. The layer looks an
// object up in the stream its cross-reference names and, when it is not
// there, follows /Extends with no end: a stream that extends itself hangs
// it for good. Each stream is decoded once here, within the limits, and
// kept for Guard.
func (f *File) checkObjectStreams() error {
	for num := 0; num < f.xref.len(); num++ {
		if !f.xref.inStream(uint32(num)) {
			continue
		}
		e, ok := f.xref.at(uint32(num))
		if !ok {
			continue
		}
		if holder, ok := f.xref.at(e.stream.Num); ok && holder.inStream {
			// The layer would recurse without end resolving it.
			return fmt.Errorf("%w: object stream %d is itself inside an object stream", ErrHostile, e.stream.Num)
		}
		s, err := f.objStm(e.stream)
		switch {
		case errors.Is(err, limits.ErrExceeded):
			return fmt.Errorf("%w: %w", ErrHostile, err)
		case err != nil:
			continue // unreadable: the layer fails on it too, and says so
		}
		if _, ok := s.Offsets[num]; !ok && s.Extends {
			return fmt.Errorf("%w: object %d is not in object stream %d, which /Extends another", ErrHostile, num, e.stream.Num)
		}
	}
	return nil
}

// objStm decodes object stream id once, within MaxStreamBytes and the
// file's MaxDecodedBytes.
func (f *File) objStm(id ObjID) (*decrypt.ObjStm, error) {
	if c, ok := f.stms[id]; ok {
		return c.s, c.err
	}
	c := &objStm{}
	f.stms[id] = c
	e, ok := f.xref.at(id.Num)
	if !ok || e.inStream || e.offset <= 0 || e.offset >= int64(len(f.data)) {
		c.err = fmt.Errorf("%w: object stream %d not found", ErrDamaged, id.Num)
		return nil, c.err
	}
	budget := min(f.Limits.MaxStreamBytes, f.Limits.MaxDecodedBytes-f.decoded)
	if budget <= 0 {
		c.err = f.decodedLimit()
		return nil, c.err
	}
	c.s, c.err = decrypt.ReadObjStm(f.data, int(e.offset), int(budget))
	switch {
	case errors.Is(c.err, decrypt.ErrTooLarge) && budget < f.Limits.MaxStreamBytes:
		c.err = f.decodedLimit()
	case errors.Is(c.err, decrypt.ErrTooLarge):
		c.err = limits.Exceeded("MaxStreamBytes", f.Limits.MaxStreamBytes, 0, fmt.Sprintf("decoded object stream %d", id.Num))
	case c.err == nil:
		f.decoded += int64(len(c.s.Data))
	}
	return c.s, c.err
}

func (f *File) decodedLimit() error {
	return limits.Exceeded("MaxDecodedBytes", f.Limits.MaxDecodedBytes, 0, "streams decoded from the file")
}

// Guard checks, without resolving it, the object that entry key of v (a
// dictionary or stream) refers to: when it is indirect, the object must
// have at most maxElems array and dictionary elements in all, strings and
// nesting within the limits. The object layer parses an object whole, so
// a 5-million-entry /Widths would be read before anyone could count it. A
// direct entry was parsed with its parent and passes.
func (f *File) Guard(v pdf.Value, key string, maxElems int) error {
	id, ok := RawRef(v, key)
	if !ok {
		return nil
	}
	return f.checkObject(id, maxElems, "/"+key)
}

// Get looks up the path of dictionary keys from v, each indirect object
// measured (Guard, MaxArrayLen) before the object layer parses it. A panic
// of the layer or an object over the limits is the error.
func (f *File) Get(v pdf.Value, keys ...string) (pdf.Value, error) {
	for _, k := range keys {
		if err := f.Guard(v, k, f.Limits.MaxArrayLen); err != nil {
			return pdf.Value{}, err
		}
		if err := Safe("/"+k, func() { v = v.Key(k) }); err != nil {
			return pdf.Value{}, err
		}
	}
	return v, nil
}

// GuardIndex is Guard for element i of array v.
func (f *File) GuardIndex(v pdf.Value, i, maxElems int) error {
	id, ok := RawIndexRef(v, i)
	if !ok {
		return nil
	}
	return f.checkObject(id, maxElems, fmt.Sprintf("element %d", i))
}

func (f *File) checkObject(id ObjID, maxElems int, what string) error {
	k := guardKey{id, maxElems}
	if err, ok := f.checked[k]; ok {
		return err
	}
	e, ok := f.xref.at(id.Num)
	if !ok || e.id != id {
		return nil // the layer resolves it to null
	}
	var data []byte
	if e.inStream {
		s, err := f.objStm(e.stream)
		if err != nil {
			f.checked[k] = err
			return err
		}
		off, ok := s.Offsets[int(id.Num)]
		if !ok {
			return nil // the layer fails to find it and says so
		}
		data = s.Data[off:]
	} else {
		if e.offset <= 0 || e.offset >= int64(len(f.data)) {
			return nil
		}
		data = f.data[e.offset:]
	}
	lim := f.Limits
	lim.MaxArrayLen = maxElems
	_, err := content.ScanObject(data, lim)
	var le *limits.Error
	if errors.As(err, &le) {
		c := *le
		c.What = fmt.Sprintf("%s (object %d)", what, id.Num)
		if le.Limit == "MaxArrayLen" && maxElems != f.Limits.MaxArrayLen {
			c.Limit = "MaxWidths"
		}
		err = &c
	} else {
		err = nil
	}
	f.checked[k] = err
	return err
}

// inherited carries attributes down the page tree (PDF 32000 §7.7.3.4), so no
// /Parent chain has to be trusted.
type inherited struct {
	resources pdf.Value
	mediaBox  pdf.Value
	cropBox   pdf.Value
	rotate    pdf.Value
}

// treeWalk is the state of one walk of the page tree.
type treeWalk struct {
	seen map[ObjID]bool
	// path holds the /Pages nodes from the root to the current one: a
	// page's /Parent among them has given its attributes on the way down
	// and is not read again (reading a node with 10,000 kids once per
	// page made listing quadratic).
	path map[ObjID]bool
	// fromParent caches, per /Parent object and key, what the /Parent
	// chain gives a page that names a node off the path.
	fromParent map[parentKey]pdf.Value
	full       bool // MaxPages reached
	deep       bool // MaxTreeDepth reached
}

// errNoTree: the catalog or the root of the page tree cannot be read.
var errNoTree = errors.New("page tree unreadable")

type parentKey struct {
	id  ObjID
	key string
}

func (f *File) listPages() error {
	cat, err := f.Get(f.Reader.Trailer(), "Root")
	var root pdf.Value
	if err == nil {
		root, err = f.Get(cat, "Pages")
	}
	if err != nil {
		return fmt.Errorf("%w: catalog: %w", errNoTree, err)
	}
	rootID, _ := RawRef(cat, "Pages")
	if root.IsNull() {
		return fmt.Errorf("%w: no page tree", ErrDamaged)
	}
	w := &treeWalk{seen: map[ObjID]bool{}, path: map[ObjID]bool{}, fromParent: map[parentKey]pdf.Value{}}
	f.walk(w, root, rootID, "the root", inherited{}, 0)
	return nil
}

// walk lists the pages under node, whose object is id (zero for a node
// written directly inside its parent's /Kids, which has no identity of its
// own). A node that cannot be read is skipped with a warning (and noted as
// damage, which a rewrite may repair).
func (f *File) walk(w *treeWalk, node pdf.Value, id ObjID, where string, inh inherited, depth int) {
	if depth > f.Limits.MaxTreeDepth {
		if !w.deep {
			w.deep = true
			f.Warnings = append(f.Warnings, "pages below the cut are left out: "+limits.Exceeded("MaxTreeDepth", int64(f.Limits.MaxTreeDepth), 0, "page tree").Error())
		}
		return
	}
	if len(f.Pages) >= f.Limits.MaxPages {
		if !w.full {
			w.full = true
			f.Warnings = append(f.Warnings, "the pages after it are left out: "+limits.Exceeded("MaxPages", int64(f.Limits.MaxPages), 0, fmt.Sprintf("page %d", len(f.Pages)+1)).Error())
		}
		return
	}
	if id.Num != 0 {
		if w.seen[id] {
			f.Warnings = append(f.Warnings, fmt.Sprintf("page tree cycle at object %d: cut", id.Num))
			return
		}
		w.seen[id] = true
	}
	var typ string
	var kids pdf.Value
	pageLike := false
	if id.Num != 0 {
		where = fmt.Sprintf("object %d", id.Num)
	}
	err := Safe("page tree: "+where, func() {
		if node.Kind() != pdf.Dict {
			panic(fmt.Sprintf("not a dictionary but %v", kindName(node.Kind())))
		}
		typ = node.Key("Type").Name()
		// Presence only: resolving a page's /Parent would parse the node
		// listing all its siblings again, once per page.
		for _, k := range []string{"Contents", "MediaBox", "Parent", "Resources"} {
			pageLike = pageLike || hasKey(node, k)
		}
	})
	for key, dst := range map[string]*pdf.Value{"Resources": &inh.resources, "MediaBox": &inh.mediaBox, "CropBox": &inh.cropBox, "Rotate": &inh.rotate, "Kids": &kids} {
		if err != nil {
			break
		}
		var v pdf.Value
		if v, err = f.Get(node, key); err == nil && !v.IsNull() {
			*dst = v
		}
	}
	if err != nil {
		f.Warnings = append(f.Warnings, fmt.Sprintf("page tree: %s: %v", where, err))
		return
	}
	isNode := typ == "Pages" || (typ == "" && kids.Kind() == pdf.Array)
	if !isNode && typ != "Page" && (typ != "" || !pageLike) {
		// A font, an image, a stray dictionary: no page.
		f.Warnings = append(f.Warnings, fmt.Sprintf("page tree: %s is not a page (/Type /%s): skipped", where, typ))
		return
	}
	if isNode {
		n := 0
		_ = Safe("page tree", func() { n = kids.Len() })
		w.path[id] = true
		for i := 0; i < n && !w.full; i++ {
			var kid pdf.Value
			err := f.GuardIndex(kids, i, f.Limits.MaxArrayLen)
			if err == nil {
				err = Safe(fmt.Sprintf("page tree: kid %d of object %d", i+1, id.Num), func() { kid = kids.Index(i) })
			}
			if err != nil {
				f.damage = append(f.damage, err.Error())
				f.Warnings = append(f.Warnings, fmt.Sprintf("page %d skipped: %v", len(f.Pages)+1, err))
				continue
			}
			kidID, _ := RawIndexRef(kids, i)
			f.walk(w, kid, kidID, fmt.Sprintf("kid %d of %s", i+1, where), inh, depth+1)
		}
		delete(w.path, id)
		return
	}
	// Attributes missing on the way down may still sit on ancestors that
	// only the /Parent chain reaches; walk it, bounded, to find them.
	for key, dst := range map[string]*pdf.Value{"Resources": &inh.resources, "MediaBox": &inh.mediaBox} {
		if dst.IsNull() {
			*dst = f.fromParents(w, node, key)
		}
	}
	p := Page{Number: len(f.Pages) + 1, V: node, Resources: inh.resources}
	_ = Safe("page boxes", func() {
		p.MediaBox = rectOf(inh.mediaBox, Rect{0, 0, 595.276, 841.89})
		p.CropBox = intersect(rectOf(inh.cropBox, p.MediaBox), p.MediaBox)
		p.Rotate = ((int(inh.rotate.Int64()) % 360) + 360) % 360 / 90 * 90
	})
	f.Pages = append(f.Pages, p)
}

func kindName(k pdf.ValueKind) string {
	switch k {
	case pdf.Null:
		return "null"
	case pdf.Stream:
		return "a stream"
	case pdf.Array:
		return "an array"
	case pdf.Name:
		return "a name"
	}
	return "a number or string"
}

// fromParents looks key up along the /Parent chain of a page, at most 32
// levels and never twice through the same node. A parent on the walk's
// path gave what it has on the way down, so the chain is not read then;
// what a parent off the path gives is cached per parent.
func (f *File) fromParents(w *treeWalk, node pdf.Value, key string) pdf.Value {
	pid, ok := RawRef(node, "Parent")
	if !ok || w.path[pid] {
		return pdf.Value{}
	}
	pk := parentKey{pid, key}
	if v, ok := w.fromParent[pk]; ok {
		return v
	}
	var found pdf.Value
	seen := map[ObjID]bool{}
	for n := node; len(seen) < 32; {
		ref, ok := RawRef(n, "Parent")
		if !ok || seen[ref] {
			break
		}
		seen[ref] = true
		var err error
		if n, err = f.Get(n, "Parent"); err != nil {
			break
		}
		if v, err := f.Get(n, key); err == nil && !v.IsNull() {
			found = v
			break
		}
	}
	w.fromParent[pk] = found
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

// Decoded is the number of stream bytes decoded from the file so far.
func (f *File) Decoded() int64 { return f.decoded }

// ReadStream returns the decoded bytes of a stream (or the concatenation of
// an array of streams, as page /Contents may be). It checks the filters
// before the object layer sets them up (an unsupported one, a predictor
// row over MaxRowBytes) and stops decoding at MaxStreamBytes and at the
// file's MaxDecodedBytes, returning what was decoded with the error.
func (f *File) ReadStream(v pdf.Value) ([]byte, error) {
	var parts []pdf.Value
	if err := Safe("stream", func() {
		switch v.Kind() {
		case pdf.Stream:
			parts = []pdf.Value{v}
		case pdf.Array:
			for i := 0; i < v.Len() && i < f.Limits.MaxArrayLen; i++ {
				parts = append(parts, v.Index(i))
			}
		}
	}); err != nil {
		return nil, err
	}
	var out []byte
	for _, s := range parts {
		if s.Kind() != pdf.Stream {
			continue
		}
		if err := f.checkFilters(s); err != nil {
			return out, err
		}
		streamLeft, fileLeft := f.Limits.MaxStreamBytes-int64(len(out)), f.Limits.MaxDecodedBytes-f.decoded
		budget := min(streamLeft, fileLeft)
		over := func() error {
			if fileLeft < streamLeft {
				return f.decodedLimit()
			}
			return limits.Exceeded("MaxStreamBytes", f.Limits.MaxStreamBytes, 0, "decoded stream")
		}
		if budget <= 0 {
			return out, over()
		}
		var b []byte
		var readErr error
		err := Safe("stream", func() {
			rc := s.Reader()
			defer rc.Close()
			// Read into a buffer kept from stream to stream and copy out
			// at the final size: io.ReadAll grew each stream from 512
			// bytes, a tenth of all the bytes an extraction allocated.
			buf := bytes.NewBuffer(f.scratch[:0])
			_, readErr = buf.ReadFrom(io.LimitReader(rc, budget+1))
			f.scratch = buf.Bytes()[:0]
			b = bytes.Clone(buf.Bytes())
		})
		if err != nil {
			return out, err
		}
		f.decoded += int64(len(b))
		if int64(len(b)) > budget {
			return nil, over() // the caller drops what is over a budget
		}
		if readErr != nil && len(b) == 0 {
			return out, fmt.Errorf("%w: stream: %v", ErrDamaged, readErr)
		}
		if out == nil && len(parts) == 1 {
			return b, nil
		}
		out = append(out, b...)
		out = append(out, '\n')
	}
	return out, nil
}

// checkFilters refuses, before the object layer sets them up, filters it
// cannot decode (it panics on them) and predictor rows over MaxRowBytes
// (it allocates two of them at the size /Columns names).
func (f *File) checkFilters(s pdf.Value) error {
	return safeErr("stream filters", func() error {
		filter, parms := s.Key("Filter"), s.Key("DecodeParms")
		var names []string
		var ps []pdf.Value
		switch filter.Kind() {
		case pdf.Null:
		case pdf.Name:
			names, ps = []string{filter.Name()}, []pdf.Value{parms}
		case pdf.Array:
			for i := 0; i < filter.Len() && i < 8; i++ {
				names = append(names, filter.Index(i).Name())
				ps = append(ps, parms.Index(i))
			}
		default:
			return fmt.Errorf("%w: /Filter is %s", ErrDamaged, kindName(filter.Kind()))
		}
		for i, name := range names {
			switch name {
			case "FlateDecode":
				pred := ps[i].Key("Predictor")
				if pred.IsNull() {
					continue
				}
				if pred.Kind() != pdf.Integer || pred.Int64() != 12 {
					return fmt.Errorf("%w: stream predictor %v (only PNG Up, 12, is read)", ErrUnsupported, pred)
				}
				cols := ps[i].Key("Columns")
				if cols.Kind() != pdf.Integer || cols.Int64() < 1 {
					return fmt.Errorf("%w: predictor /Columns %v", ErrDamaged, cols)
				}
				if n := cols.Int64(); n > f.Limits.MaxRowBytes {
					return limits.Exceeded("MaxRowBytes", f.Limits.MaxRowBytes, n, "stream predictor row")
				}
			case "ASCII85Decode":
				if !ps[i].IsNull() {
					return fmt.Errorf("%w: /DecodeParms on an ASCII85 stream", ErrUnsupported)
				}
			default:
				return fmt.Errorf("%w: stream filter /%s", ErrUnsupported, name)
			}
		}
		return nil
	})
}

// safeErr is Safe for a function that returns an error itself.
func safeErr(what string, fn func() error) error {
	var err error
	if perr := Safe(what, func() { err = fn() }); perr != nil {
		return perr
	}
	return err
}
