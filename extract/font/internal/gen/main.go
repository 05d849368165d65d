// Command gen builds extract/font/tables.bin, the compact font data that
// package font embeds. Run it through `go generate ./extract/font/` on a
// machine with the Debian packages poppler-data (Adobe CMaps) and
// fonts-urw-base35 (AFM metrics) installed; the output is committed so that
// builds and tests never need them.
//
// Sources and licences:
//   - /usr/share/poppler/cMap/Adobe-GB1/*: Adobe CMap resources, BSD-3-Clause
//     (Copyright 1990-2020 Adobe), redistribution in binary form permitted
//     with the notice. Adobe-GB1-UCS2 supplies CID→Unicode; poppler-data's
//     cidToUnicode/Adobe-GB1 is deliberately NOT used because it is GPL-2.
//   - /usr/share/fonts/type1/urw-base35/*.afm: URW metric files (AGPL-3 with
//     font exception); only advance widths (metric facts) are taken.
//   - glyph names: nameToRune of github.com/ledongthuc/pdf (BSD-3-Clause,
//     The Go Authors), read from the module cache with go/parser.
package main

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"flag"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"unicode/utf16"

	"yusuan/extract/font/internal/cmap"
)

var (
	cmapDir = flag.String("cmaps", "/usr/share/poppler/cMap/Adobe-GB1", "Adobe-GB1 CMap directory")
	afmDir  = flag.String("afm", "/usr/share/fonts/type1/urw-base35", "URW base35 AFM directory")
	out     = flag.String("o", "tables.bin", "output file")
)

// Predefined CMaps shipped; V variants refer to their H base via usecmap.
var cmapNames = []string{
	"GBK-EUC-H", "GBK-EUC-V", "GB-EUC-H", "GB-EUC-V", "GBpc-EUC-H", "GBpc-EUC-V",
	"GBKp-EUC-H", "GBKp-EUC-V", "GBK2K-H", "GBK2K-V",
	"UniGB-UCS2-H", "UniGB-UCS2-V", "UniGB-UTF16-H", "UniGB-UTF16-V",
}

// Standard-14 font name → URW AFM file.
var afmFiles = [][2]string{
	{"Courier", "NimbusMonoPS-Regular"},
	{"Courier-Bold", "NimbusMonoPS-Bold"},
	{"Courier-Oblique", "NimbusMonoPS-Italic"},
	{"Courier-BoldOblique", "NimbusMonoPS-BoldItalic"},
	{"Helvetica", "NimbusSans-Regular"},
	{"Helvetica-Bold", "NimbusSans-Bold"},
	{"Helvetica-Oblique", "NimbusSans-Italic"},
	{"Helvetica-BoldOblique", "NimbusSans-BoldItalic"},
	{"Times-Roman", "NimbusRoman-Regular"},
	{"Times-Bold", "NimbusRoman-Bold"},
	{"Times-Italic", "NimbusRoman-Italic"},
	{"Times-BoldItalic", "NimbusRoman-BoldItalic"},
	{"Symbol", "StandardSymbolsPS"},
	{"ZapfDingbats", "D050000L"},
}

type writer struct{ bytes.Buffer }

func (w *writer) uv(x uint64) { w.Write(binary.AppendUvarint(nil, x)) }
func (w *writer) str(s string) {
	w.uv(uint64(len(s)))
	w.WriteString(s)
}

// The file is read in place, without decompressing or decoding it as a
// whole (a process extracting one PDF needs a few of its parts): a
// directory of named sections, then the sections.
//
//	"YFNT2" uvarint(count) {str(name) uvarint(offset) uvarint(length)}... sections
//
// with offsets from the first section. Sections:
//
//	cmap/NAME    one predefined CMap: wmode, usecmap, codespaces, CID ranges, notdef ranges
//	gb1          Adobe-GB1 CID → Unicode, 3 bytes little-endian per CID (0 = none)
//	glyphs       glyph names, sorted, each with its code point
//	std14/NAME   one standard-14 font's widths: code+1 (0 = unencoded), rune, width
func main() {
	flag.Parse()
	names := glyphNames()
	var secs []section

	for _, n := range cmapNames {
		data, err := os.ReadFile(filepath.Join(*cmapDir, n))
		if err != nil {
			log.Fatal(err)
		}
		m, err := cmap.Parse(data)
		if err != nil {
			log.Fatalf("%s: %v", n, err)
		}
		if m.Skipped != 0 {
			log.Fatalf("%s: %d entries skipped", n, m.Skipped)
		}
		var w writer
		w.WriteByte(byte(m.WMode))
		w.str(m.UseCMap)
		w.uv(uint64(len(m.Codespaces)))
		for _, cs := range m.Codespaces {
			w.WriteByte(byte(cs.N))
			w.Write(cs.Lo[:cs.N])
			w.Write(cs.Hi[:cs.N])
		}
		rs := m.CIDs
		sort.SliceStable(rs, func(i, j int) bool {
			if rs[i].N != rs[j].N {
				return rs[i].N < rs[j].N
			}
			return rs[i].Lo < rs[j].Lo
		})
		w.ranges(rs)
		// Notdef ranges give the CID (hence width) of control codes.
		w.ranges(m.NotDefs)
		secs = append(secs, section{"cmap/" + n, w.Bytes()})
		log.Printf("%s: %d codespaces, %d cid ranges, usecmap %q", n, len(m.Codespaces), len(rs), m.UseCMap)
	}

	// Adobe-GB1 CID → Unicode (first code point of the mapping; variation
	// selectors dropped), fixed width so that a lookup reads three bytes.
	var gb1 []byte
	for _, r := range gb1ToUnicode() {
		gb1 = append(gb1, byte(r), byte(r>>8), byte(r>>16))
	}
	secs = append(secs, section{"gb1", gb1})

	// Glyph names, sorted.
	keys := make([]string, 0, len(names))
	for k := range names {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var gw writer
	gw.uv(uint64(len(keys)))
	for _, k := range keys {
		gw.str(k)
		gw.uv(uint64(names[k]))
	}
	secs = append(secs, section{"glyphs", gw.Bytes()})

	// Standard-14 metrics.
	for _, f := range afmFiles {
		gl := readAFM(filepath.Join(*afmDir, f[1]+".afm"), names)
		var w writer
		w.uv(uint64(len(gl)))
		for _, g := range gl {
			w.uv(uint64(g.code + 1))
			w.uv(uint64(g.r))
			w.uv(uint64(g.wx))
		}
		secs = append(secs, section{"std14/" + f[0], w.Bytes()})
	}

	var w writer
	w.WriteString("YFNT2")
	w.uv(uint64(len(secs)))
	off := 0
	for _, s := range secs {
		w.str(s.name)
		w.uv(uint64(off))
		w.uv(uint64(len(s.data)))
		off += len(s.data)
	}
	for _, s := range secs {
		w.Write(s.data)
	}
	if err := os.WriteFile(*out, w.Bytes(), 0o644); err != nil {
		log.Fatal(err)
	}
	log.Printf("wrote %s: %d bytes, %d sections", *out, w.Len(), len(secs))
}

type section struct {
	name string
	data []byte
}

func (w *writer) ranges(rs []cmap.CIDRange) {
	w.uv(uint64(len(rs)))
	for _, r := range rs {
		w.WriteByte(r.N)
		w.uv(uint64(r.Lo))
		w.uv(uint64(r.Hi - r.Lo))
		w.uv(uint64(r.CID))
	}
}

func gb1ToUnicode() []rune {
	data, err := os.ReadFile(filepath.Join(*cmapDir, "Adobe-GB1-UCS2"))
	if err != nil {
		log.Fatal(err)
	}
	m, err := cmap.Parse(data)
	if err != nil {
		log.Fatal(err)
	}
	var tab []rune
	set := func(cid uint32, dst []byte) {
		if len(dst) < 2 {
			return
		}
		u := make([]uint16, len(dst)/2)
		for i := range u {
			u[i] = uint16(dst[2*i])<<8 | uint16(dst[2*i+1])
		}
		rs := utf16.Decode(u)
		if len(rs) == 0 || rs[0] == 0xFFFD {
			return
		}
		for int(cid) >= len(tab) {
			tab = append(tab, 0)
		}
		tab[cid] = rs[0]
	}
	for _, c := range m.BFChars {
		set(c.Code, c.Dst)
	}
	for _, r := range m.BFRanges {
		for c := r.Lo; c <= r.Hi; c++ {
			if r.Array != nil {
				if int(c-r.Lo) < len(r.Array) {
					set(c, r.Array[c-r.Lo])
				}
				continue
			}
			v := uint32(r.Dst[0])<<8 | uint32(r.Dst[1])
			v += c - r.Lo
			set(c, []byte{byte(v >> 8), byte(v)})
		}
	}
	log.Printf("Adobe-GB1-UCS2: %d CIDs", len(tab))
	return tab
}

type glyph struct {
	code int // -1 unencoded
	r    rune
	wx   int
}

func readAFM(path string, names map[string]rune) []glyph {
	f, err := os.Open(path)
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close()
	var gl []glyph
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if !strings.HasPrefix(line, "C ") {
			continue
		}
		g := glyph{code: -1}
		name := ""
		for _, part := range strings.Split(line, ";") {
			fs := strings.Fields(part)
			if len(fs) < 2 {
				continue
			}
			switch fs[0] {
			case "C":
				g.code, _ = strconv.Atoi(fs[1])
			case "WX":
				g.wx, _ = strconv.Atoi(fs[1])
			case "N":
				name = fs[1]
			}
		}
		g.r = names[name]
		if g.code < 0 && g.r == 0 {
			continue
		}
		if g.code > 255 {
			g.code = -1
		}
		gl = append(gl, g)
	}
	return gl
}

// glyphNames reads nameToRune from the ledongthuc/pdf sources.
func glyphNames() map[string]rune {
	dir, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "github.com/ledongthuc/pdf").Output()
	if err != nil {
		log.Fatalf("go list: %v", err)
	}
	path := filepath.Join(strings.TrimSpace(string(dir)), "name.go")
	fset := token.NewFileSet()
	file, err := parser.ParseFile(fset, path, nil, 0)
	if err != nil {
		log.Fatal(err)
	}
	names := map[string]rune{}
	ast.Inspect(file, func(n ast.Node) bool {
		kv, ok := n.(*ast.KeyValueExpr)
		if !ok {
			return true
		}
		k, ok1 := kv.Key.(*ast.BasicLit)
		v, ok2 := kv.Value.(*ast.BasicLit)
		if !ok1 || !ok2 {
			return true
		}
		name, err1 := strconv.Unquote(k.Value)
		r, err2 := strconv.ParseInt(v.Value, 0, 32)
		if err1 == nil && err2 == nil {
			names[name] = rune(r)
		}
		return false
	})
	if len(names) < 1000 {
		log.Fatalf("only %d glyph names found in %s", len(names), path)
	}
	// Names the ledongthuc list lacks but PDFs use (Adobe Glyph List).
	for k, v := range map[string]rune{"space": 0x20, "nbspace": 0xA0, "Euro": 0x20AC, "sfthyphen": 0xAD} {
		if _, ok := names[k]; !ok {
			names[k] = v
		}
	}
	fmt.Fprintf(os.Stderr, "glyph names: %d\n", len(names))
	return names
}
