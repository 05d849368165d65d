package decrypt

import (
	"bytes"
	"errors"
	"fmt"
	"sort"
)

// loc is where an object lives: kind 1 at a byte offset, kind 2 as entry
// idx of object stream stm, kind 0 free.
type loc struct {
	kind     byte
	off, gen int
	stm, idx int
}

// object is one parsed top-level object; raw is the stream data as stored.
type object struct {
	num, gen int
	v        value
	stream   bool
	raw      []byte
	end      int
}

// objStm is a decoded object stream: object number to offset in data.
type objStm struct {
	data    []byte
	offs    map[int]int
	nums    []int // in stream order, for the idx of an xref entry
	extends bool  // it names another object stream with /Extends
}

// Limits on hostile input.
const (
	maxSections     = 512       // xref sections followed through /Prev
	maxObjNum       = 8_388_607 // the PDF implementation limit
	maxStreamDecode = 64 << 20  // decoded bytes of one object or xref stream
	maxTotalDecode  = 256 << 20 // decoded bytes of all of them
	maxResolve      = 8         // nested indirect lookups (/Length in object streams)
)

type file struct {
	data      []byte
	work      int // shared parse budget, see lexer
	xref      map[int]loc
	trailer   *dict
	scanned   map[int]int // lazily built by scan: object number to offset
	stms      map[int]*objStm
	decoded   int
	maxStream int // decoded bytes of one object or xref stream
	h         *handler
	// Set by scanAll: trailers in file order, object streams to unpack.
	scanTrailer   []*dict
	stmCandidates []int
}

func newFile(data []byte) *file {
	return &file{data: data, work: 64*len(data) + 16<<20, maxStream: maxStreamDecode, xref: map[int]loc{}, stms: map[int]*objStm{}}
}

func (f *file) lex(pos int) *lexer { return &lexer{buf: f.data, pos: pos, work: &f.work} }

// load reads the cross-reference data; when it is broken it falls back to
// scanning the file for "n g obj".
func (f *file) load() error {
	if err := f.loadXref(); err != nil || f.trailer == nil || f.trailer.get("Root") == nil {
		if errors.Is(err, errBudget) {
			return err
		}
		f.xref = map[int]loc{}
		f.trailer = nil
		if err := f.scanAll(); err != nil {
			return err
		}
	}
	if f.trailer == nil {
		return errors.New("no trailer found")
	}
	return nil
}

func (f *file) loadXref() error {
	i := bytes.LastIndex(f.data, []byte("startxref"))
	if i < 0 {
		return errors.New("no startxref")
	}
	l := f.lex(i + len("startxref"))
	off, ok := l.uint()
	if !ok {
		return errors.New("bad startxref")
	}
	seen := map[int]bool{}
	for n := 0; n < maxSections; n++ {
		if off <= 0 || off >= len(f.data) || seen[off] {
			return nil
		}
		seen[off] = true
		tr, err := f.section(off)
		if err != nil {
			if n == 0 {
				return err
			}
			return nil // keep what the newer sections gave
		}
		f.mergeTrailer(tr)
		if x, ok := integer(tr.get("XRefStm")); ok && x > 0 && x < len(f.data) && !seen[x] {
			seen[x] = true
			if _, err := f.section(x); err != nil && n == 0 {
				return err
			}
		}
		prev, ok := integer(tr.get("Prev"))
		if !ok {
			return nil
		}
		off = prev
	}
	return nil
}

// mergeTrailer keeps the newest value of every key.
func (f *file) mergeTrailer(tr *dict) {
	if f.trailer == nil {
		f.trailer = &dict{}
	}
	for i, k := range tr.keys {
		if f.trailer.get(k) == nil {
			f.trailer.set(k, tr.vals[i])
		}
	}
}

func (f *file) setLoc(num int, l loc) {
	if num <= 0 || num > maxObjNum {
		return
	}
	if _, ok := f.xref[num]; !ok {
		f.xref[num] = l
	}
}

// section reads one classic xref table or xref stream at off and returns
// its trailer dictionary.
func (f *file) section(off int) (*dict, error) {
	l := f.lex(off)
	if l.keywordAt("xref") {
		for {
			start, ok1 := l.uint()
			count, ok2 := l.uint()
			if !ok1 || !ok2 {
				break
			}
			if count > (len(f.data)-l.pos)/16+1 {
				return nil, fmt.Errorf("xref subsection of %d entries at %d exceeds the file", count, off)
			}
			for i := 0; i < count; i++ {
				o, ok1 := l.uint()
				g, ok2 := l.uint()
				l.skipWS()
				t := l.regular()
				if !ok1 || !ok2 || len(t) != 1 {
					return nil, fmt.Errorf("bad xref entry at %d", l.pos)
				}
				if err := l.spend(20); err != nil {
					return nil, err
				}
				if t[0] == 'n' && o > 0 && o < len(f.data) {
					f.setLoc(start+i, loc{kind: 1, off: o, gen: g})
				} else {
					f.setLoc(start+i, loc{})
				}
			}
		}
		if !l.keywordAt("trailer") {
			return nil, fmt.Errorf("no trailer after xref at %d", off)
		}
		v, err := l.value(0)
		if err != nil {
			return nil, fmt.Errorf("trailer: %w", err)
		}
		d, ok := v.(*dict)
		if !ok {
			return nil, errors.New("trailer is not a dictionary")
		}
		return d, nil
	}
	o, err := f.parseAt(off, 0)
	if err != nil {
		return nil, fmt.Errorf("xref at %d: %w", off, err)
	}
	d, ok := o.v.(*dict)
	if !ok || !o.stream || d.name("Type") != "XRef" {
		return nil, fmt.Errorf("no xref table or stream at %d", off)
	}
	return d, f.xrefStream(d, o.raw)
}

func (f *file) xrefStream(d *dict, raw []byte) error {
	data, err := f.decode(d, raw) // xref streams are never encrypted
	if err != nil {
		return fmt.Errorf("xref stream: %w", err)
	}
	wa, _ := d.get("W").(array)
	if len(wa) < 3 {
		return errors.New("xref stream without /W")
	}
	var w [3]int
	rowLen := 0
	for i := range w {
		n, ok := integer(wa[i])
		if !ok || n < 0 || n > 8 {
			return errors.New("bad /W in xref stream")
		}
		w[i] = n
		rowLen += n
	}
	if rowLen == 0 {
		return errors.New("zero /W in xref stream")
	}
	index, _ := d.get("Index").(array)
	if index == nil {
		size, _ := integer(d.get("Size"))
		index = array{keyword("0"), keyword(fmt.Sprint(size))}
	}
	pos := 0
	field := func(n int, def int) int {
		if n == 0 {
			return def
		}
		v := 0
		for _, b := range data[pos : pos+n] {
			v = v<<8 | int(b)
		}
		pos += n
		return v
	}
	for i := 0; i+1 < len(index); i += 2 {
		start, ok1 := integer(index[i])
		count, ok2 := integer(index[i+1])
		if !ok1 || !ok2 || start < 0 || count < 0 {
			return errors.New("bad /Index in xref stream")
		}
		for j := 0; j < count && pos+rowLen <= len(data); j++ {
			typ := field(w[0], 1)
			a := field(w[1], 0)
			b := field(w[2], 0)
			switch typ {
			case 1:
				if a > 0 && a < len(f.data) {
					f.setLoc(start+j, loc{kind: 1, off: a, gen: b})
				}
			case 2:
				f.setLoc(start+j, loc{kind: 2, stm: a, idx: b})
			case 0:
				f.setLoc(start+j, loc{})
			}
		}
	}
	return nil
}

// parseAt parses the object "n g obj ... endobj" at off. depth counts
// nested lookups for an indirect /Length.
func (f *file) parseAt(off, depth int) (*object, error) {
	l := f.lex(off)
	num, ok1 := l.uint()
	gen, ok2 := l.uint()
	if !ok1 || !ok2 || !l.keywordAt("obj") {
		return nil, fmt.Errorf("no object header at %d", off)
	}
	v, err := l.value(0)
	if err != nil {
		return nil, fmt.Errorf("object %d: %w", num, err)
	}
	o := &object{num: num, gen: gen, v: v}
	d, isDict := v.(*dict)
	if isDict && l.keywordAt("stream") {
		if l.pos < len(l.buf) && l.buf[l.pos] == '\r' {
			l.pos++
		}
		if l.pos < len(l.buf) && l.buf[l.pos] == '\n' {
			l.pos++
		}
		start := l.pos
		n := -1
		switch lv := d.get("Length").(type) {
		case keyword:
			n, _ = integer(lv)
		case ref:
			if depth < maxResolve && lv.num != num {
				if r, err := f.resolve(lv.num, depth+1); err == nil {
					if k, ok := integer(r); ok {
						n = k
					}
				}
			}
		}
		if n >= 0 && n <= len(f.data)-start && f.endstreamAt(start+n) >= 0 {
			o.raw = f.data[start : start+n]
			l.pos = f.endstreamAt(start + n)
		} else {
			// Wrong or missing /Length: take the data up to "endstream".
			i := bytes.Index(f.data[start:], []byte("endstream"))
			if i < 0 {
				return nil, fmt.Errorf("object %d: stream without endstream", num)
			}
			if err := l.spend(i); err != nil {
				return nil, err
			}
			e := start + i
			l.pos = e + len("endstream")
			if e > start && f.data[e-1] == '\n' {
				e--
			}
			if e > start && f.data[e-1] == '\r' {
				e--
			}
			o.raw = f.data[start:e]
		}
		o.stream = true
	}
	l.keywordAt("endobj")
	o.end = l.pos
	return o, nil
}

// endstreamAt returns the offset after "endstream" when it follows p after
// optional white space, else -1.
func (f *file) endstreamAt(p int) int {
	for i := 0; i < 4 && p < len(f.data) && isWS(f.data[p]); i++ {
		p++
	}
	if bytes.HasPrefix(f.data[p:], []byte("endstream")) {
		return p + len("endstream")
	}
	return -1
}

// object returns top-level object num, consulting a scan of the file when
// the xref offset is wrong.
func (f *file) object(num int, depth int) (*object, error) {
	lc, ok := f.xref[num]
	if ok && lc.kind == 1 {
		if o, err := f.parseAt(lc.off, depth); err == nil && o.num == num {
			return o, nil
		}
	}
	if f.scanned == nil {
		if err := f.scan(); err != nil {
			return nil, err
		}
	}
	if off, ok := f.scanned[num]; ok {
		o, err := f.parseAt(off, depth)
		if err == nil && o.num == num {
			return o, nil
		}
		return nil, fmt.Errorf("object %d: %w", num, err)
	}
	return nil, fmt.Errorf("object %d not found", num)
}

// resolve returns the value of object num (the dictionary for a stream).
// Strings in it are still encrypted unless it came from an object stream.
func (f *file) resolve(num, depth int) (value, error) {
	if depth > maxResolve {
		return nil, errors.New("indirect references nested too deeply")
	}
	lc := f.xref[num]
	if lc.kind == 2 {
		return f.fromStm(num, lc, depth)
	}
	o, err := f.object(num, depth)
	if err != nil {
		return nil, err
	}
	return o.v, nil
}

// fromStm parses object num out of its object stream.
func (f *file) fromStm(num int, lc loc, depth int) (value, error) {
	s, err := f.objStm(lc.stm, depth+1)
	if err != nil {
		return nil, err
	}
	off, ok := s.offs[num]
	if !ok {
		return nil, fmt.Errorf("object %d not in object stream %d", num, lc.stm)
	}
	l := &lexer{buf: s.data, pos: off, work: &f.work}
	return l.value(0)
}

// objStm loads, decrypts and decodes object stream num.
func (f *file) objStm(num, depth int) (*objStm, error) {
	if s, ok := f.stms[num]; ok {
		if s == nil {
			return nil, fmt.Errorf("object stream %d is broken", num)
		}
		return s, nil
	}
	f.stms[num] = nil // a stream that contains itself fails instead of looping
	o, err := f.object(num, depth)
	if err != nil {
		return nil, err
	}
	s, err := f.objStmOf(o)
	if err != nil {
		return nil, err
	}
	f.stms[num] = s
	return s, nil
}

// objStmOf decrypts, decodes and indexes the object stream o.
func (f *file) objStmOf(o *object) (*objStm, error) {
	num := o.num
	d, ok := o.v.(*dict)
	if !ok || !o.stream || d.name("Type") != "ObjStm" {
		return nil, fmt.Errorf("object %d is not an object stream", num)
	}
	raw, d, err := f.h.stream(o.num, o.gen, d, o.raw)
	if err != nil {
		return nil, fmt.Errorf("object stream %d: %w", num, err)
	}
	data, err := f.decode(d, raw)
	if err != nil {
		return nil, fmt.Errorf("object stream %d: %w", num, err)
	}
	n, _ := integer(d.get("N"))
	first, ok := integer(d.get("First"))
	if !ok || first < 0 || first > len(data) || n < 0 || n > len(data) {
		return nil, fmt.Errorf("object stream %d: bad /N or /First", num)
	}
	s := &objStm{data: data, offs: map[int]int{}}
	l := &lexer{buf: data[:first], work: &f.work}
	for i := 0; i < n; i++ {
		on, ok1 := l.uint()
		oo, ok2 := l.uint()
		if !ok1 || !ok2 {
			break
		}
		s.nums = append(s.nums, on)
		if _, dup := s.offs[on]; !dup && first+oo < len(data) {
			s.offs[on] = first + oo
		}
	}
	_, s.extends = d.get("Extends").(ref)
	return s, nil
}

// scan finds every "n g obj" in the file (the later of duplicates wins),
// skipping stream data, and collects trailers.
func (f *file) scan() error {
	f.scanned = map[int]int{}
	var trailers []*dict
	data := f.data
	pos := 0
	nextT := -2 // absolute offset of the next "trailer"; -1 none, -2 unknown
	for pos < len(data) {
		i := bytes.Index(data[pos:], []byte("obj"))
		if nextT == -2 || (nextT >= 0 && nextT < pos) {
			// Searched again only once passed, so scanning stays linear.
			nextT = bytes.Index(data[pos:], []byte("trailer"))
			if nextT >= 0 {
				nextT += pos
			}
		}
		if nextT >= 0 && (i < 0 || nextT < pos+i) {
			t := nextT - pos
			l := f.lex(pos + t + len("trailer"))
			if v, err := l.value(0); err == nil {
				if d, ok := v.(*dict); ok {
					trailers = append(trailers, d)
				}
			} else if errors.Is(err, errBudget) {
				return err
			}
			pos += t + len("trailer")
			continue
		}
		if i < 0 {
			break
		}
		at := pos + i
		pos = at + 3
		if at+3 < len(data) && isRegular(data[at+3]) {
			continue
		}
		start, ok := objHeaderStart(data, at)
		if !ok {
			continue
		}
		o, err := f.parseAt(start, maxResolve) // no /Length lookups while scanning
		if err != nil {
			if errors.Is(err, errBudget) {
				return err
			}
			continue
		}
		if o.num > 0 && o.num <= maxObjNum {
			f.scanned[o.num] = start
		}
		if d, ok := o.v.(*dict); ok && o.stream && d.name("Type") == "XRef" {
			trailers = append(trailers, d)
		}
		pos = max(pos, o.end)
	}
	f.scanTrailer = trailers
	return nil
}

// objHeaderStart walks back from "obj" at i over "num gen " and returns the
// offset of num.
func objHeaderStart(data []byte, i int) (int, bool) {
	p := i - 1
	for p >= 0 && isWS(data[p]) {
		p--
	}
	digits := func() bool {
		e := p
		for p >= 0 && data[p] >= '0' && data[p] <= '9' && e-p < 12 {
			p--
		}
		return p < e
	}
	if !digits() {
		return 0, false
	}
	ws := p
	for p >= 0 && isWS(data[p]) {
		p--
	}
	if p == ws || !digits() {
		return 0, false
	}
	if p >= 0 && isRegular(data[p]) {
		return 0, false
	}
	return p + 1, true
}

// scanAll replaces the xref with a scan of the file, adding the objects
// of every object stream found.
func (f *file) scanAll() error {
	if err := f.scan(); err != nil {
		return err
	}
	for i := len(f.scanTrailer) - 1; i >= 0; i-- {
		f.mergeTrailer(f.scanTrailer[i])
	}
	nums := make([]int, 0, len(f.scanned))
	for n, off := range f.scanned {
		f.xref[n] = loc{kind: 1, off: off}
		nums = append(nums, n)
	}
	sort.Ints(nums)
	f.stmCandidates = nil
	catalog := 0
	for _, n := range nums {
		o, err := f.parseAt(f.scanned[n], 0)
		if err != nil {
			continue
		}
		d, ok := o.v.(*dict)
		if ok && o.stream && d.name("Type") == "ObjStm" {
			f.stmCandidates = append(f.stmCandidates, n)
		}
		if ok && !o.stream && d.name("Type") == "Catalog" {
			catalog = n
		}
	}
	// A file cut before its trailer: the catalog found is the root.
	if catalog != 0 && (f.trailer == nil || f.trailer.get("Root") == nil) {
		if f.trailer == nil {
			f.trailer = &dict{}
		}
		f.trailer.set("Root", ref{catalog, 0})
	}
	return nil
}
