package pdfobj

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"fmt"
	"io"
	"regexp"
	"sort"
	"strconv"

	"yusuan/extract/limits"
)

var (
	reObj     = regexp.MustCompile(`(?:^|[\r\n\s])(\d{1,10})\s+(\d{1,5})\s+obj\b`)
	reRoot    = regexp.MustCompile(`/Root\s+(\d+)\s+(\d+)\s+R`)
	reInfo    = regexp.MustCompile(`/Info\s+(\d+)\s+(\d+)\s+R`)
	reEncrypt = regexp.MustCompile(`/Encrypt\s+(\d+)\s+(\d+)\s+R`)
	reID      = regexp.MustCompile(`/ID\s*\[\s*(<[0-9A-Fa-f\s]*>|\((?:[^()\\]|\\.)*\))\s*(<[0-9A-Fa-f\s]*>|\((?:[^()\\]|\\.)*\))\s*\]`)
	reCatalog = regexp.MustCompile(`/Type\s*/Catalog\b`)
	reObjStm  = regexp.MustCompile(`/Type\s*/ObjStm\b`)
	reIntKey  = func(key string) *regexp.Regexp { return regexp.MustCompile(`/` + key + `\s+(\d+)(?:\s|/|>)`) }
	reN       = reIntKey("N")
	reFirst   = reIntKey("First")
	reLength  = reIntKey("Length")
	reFlate   = regexp.MustCompile(`/Filter\s*(?:\[\s*)?/FlateDecode`)
)

type xrefEntry struct {
	typ    byte // 1 plain object at offset, 2 inside an object stream
	offset int64
	gen    uint16
	stream uint32
	index  uint32
}

// rebuildXref scans the file for objects and appends a fresh cross-reference
// stream, so that a file whose xref is broken (wrong offsets, a hybrid file,
// a missing table) can be read. It returns the repaired copy.
func rebuildXref(data []byte, lim limits.Limits) ([]byte, error) {
	entries := map[uint32]xrefEntry{}
	var maxNum uint32
	var catalog uint32
	var catalogGen uint16
	for _, m := range reObj.FindAllSubmatchIndex(data, -1) {
		num, err1 := strconv.ParseUint(string(data[m[2]:m[3]]), 10, 32)
		gen, err2 := strconv.ParseUint(string(data[m[4]:m[5]]), 10, 16)
		if err1 != nil || err2 != nil || int64(num) > lim.MaxObjects {
			continue
		}
		entries[uint32(num)] = xrefEntry{typ: 1, offset: int64(m[2]), gen: uint16(gen)}
		maxNum = max(maxNum, uint32(num))
		body := data[m[1]:min(len(data), m[1]+512)]
		if end := bytes.Index(body, []byte("endobj")); end >= 0 {
			body = body[:end]
		}
		if reCatalog.Match(body) {
			catalog, catalogGen = uint32(num), uint16(gen)
		}
	}
	if len(entries) == 0 {
		return nil, fmt.Errorf("%w: no objects found", ErrDamaged)
	}
	// Objects packed in object streams.
	for num, e := range entries {
		if e.typ != 1 {
			continue
		}
		for i, inner := range objStmMembers(data, e.offset) {
			if _, plain := entries[inner]; plain || int64(inner) > lim.MaxObjects {
				continue
			}
			entries[inner] = xrefEntry{typ: 2, stream: num, index: uint32(i)}
			maxNum = max(maxNum, inner)
		}
	}
	trailer := "/Size " + strconv.Itoa(int(maxNum)+2)
	if m := lastMatch(reRoot, data); m != nil {
		trailer += fmt.Sprintf(" /Root %s %s R", m[1], m[2])
	} else if catalog != 0 {
		trailer += fmt.Sprintf(" /Root %d %d R", catalog, catalogGen)
	} else {
		return nil, fmt.Errorf("%w: no document catalog found", ErrDamaged)
	}
	for _, re := range []*regexp.Regexp{reInfo, reEncrypt} {
		if m := lastMatch(re, data); m != nil {
			trailer += " " + string(m[0])
		}
	}
	if m := lastMatch(reID, data); m != nil {
		trailer += " " + string(m[0])
	}
	nums := make([]uint32, 0, len(entries))
	for n := range entries {
		nums = append(nums, n)
	}
	sort.Slice(nums, func(i, j int) bool { return nums[i] < nums[j] })
	var rows bytes.Buffer
	row := make([]byte, 13)
	for n := uint32(0); n <= maxNum+1; n++ {
		e, ok := entries[n]
		for i := range row {
			row[i] = 0
		}
		switch {
		case n == maxNum+1: // the xref stream itself, filled in below
		case !ok:
			row[0] = 0
			binary.BigEndian.PutUint16(row[11:], 0xFFFF)
		case e.typ == 1:
			row[0] = 1
			binary.BigEndian.PutUint64(row[1:], uint64(e.offset))
			binary.BigEndian.PutUint32(row[9:], uint32(e.gen))
		default:
			row[0] = 2
			binary.BigEndian.PutUint64(row[1:], uint64(e.stream))
			binary.BigEndian.PutUint32(row[9:], e.index)
		}
		rows.Write(row)
	}
	out := make([]byte, 0, len(data)+rows.Len()+256)
	out = append(out, data...)
	out = append(out, '\n')
	xrefOff := len(out)
	// Patch the self entry now that its offset is known.
	self := rows.Bytes()[int(maxNum+1)*13:]
	self[0] = 1
	binary.BigEndian.PutUint64(self[1:], uint64(xrefOff))
	out = append(out, fmt.Sprintf("%d 0 obj\n<< /Type /XRef /W [1 8 4] %s /Length %d >>\nstream\n", maxNum+1, trailer, rows.Len())...)
	out = append(out, rows.Bytes()...)
	out = append(out, fmt.Sprintf("\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n", xrefOff)...)
	return out, nil
}

func lastMatch(re *regexp.Regexp, data []byte) [][]byte {
	all := re.FindAllSubmatch(data, -1)
	if len(all) == 0 {
		return nil
	}
	return all[len(all)-1]
}

// objStmMembers lists the object numbers stored in the object stream at
// offset, or nil when it is not one.
func objStmMembers(data []byte, offset int64) []uint32 {
	head := data[offset:min(int64(len(data)), offset+1024)]
	si := bytes.Index(head, []byte("stream"))
	if si < 0 || !reObjStm.Match(head[:si]) {
		return nil
	}
	dict := head[:si]
	n := intOf(reN, dict)
	first := intOf(reFirst, dict)
	length := intOf(reLength, dict)
	start := int(offset) + si + len("stream")
	for start < len(data) && (data[start] == '\r' || data[start] == '\n') {
		start++
	}
	end := len(data)
	if length > 0 && start+length <= len(data) {
		end = start + length
	} else if e := bytes.Index(data[start:], []byte("endstream")); e >= 0 {
		end = start + e
	}
	raw := data[start:end]
	if reFlate.Match(dict) {
		zr, err := zlib.NewReader(bytes.NewReader(raw))
		if err != nil {
			return nil
		}
		raw, _ = io.ReadAll(io.LimitReader(zr, 64<<20))
	}
	if first > len(raw) {
		first = len(raw)
	}
	fields := bytes.Fields(raw[:first])
	var out []uint32
	for i := 0; i+1 < len(fields) && len(out) < n; i += 2 {
		v, err := strconv.ParseUint(string(fields[i]), 10, 32)
		if err != nil {
			break
		}
		out = append(out, uint32(v))
	}
	return out
}

func intOf(re *regexp.Regexp, b []byte) int {
	m := re.FindSubmatch(b)
	if m == nil {
		return 0
	}
	v, _ := strconv.Atoi(string(m[1]))
	return v
}
