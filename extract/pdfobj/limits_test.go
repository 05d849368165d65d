package pdfobj

import (
	"bytes"
	"compress/zlib"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/ledongthuc/pdf"

	"yusuan/extract/limits"
	"yusuan/fixtures/hostilepdf"
	"yusuan/fixtures/pdfgen"
)

func stream(dict, data string) string {
	return fmt.Sprintf("<< %s /Length %d >>\nstream\n%s\nendstream", dict, len(data), data)
}

func deflate(s string) string {
	var b bytes.Buffer
	zw := zlib.NewWriter(&b)
	zw.Write([]byte(s))
	zw.Close()
	return b.String()
}

// objStmPDF is a PDF 1.5 file whose font (object 5, with /Widths object 6
// of n entries) sits in object stream 7; extends makes the stream name
// itself with /Extends and lose object 6.
func objStmPDF(n int, extends bool) []byte {
	widths := "[" + strings.Repeat("500 ", n) + "]"
	font := "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /FirstChar 0 /LastChar 255 /Widths 6 0 R >>"
	head := fmt.Sprintf("5 0 6 %d ", len(font)+1)
	members := 2
	ext := ""
	if extends {
		head, members, ext = "5 0 ", 1, " /Extends 7 0 R"
	}
	body := head + font + " " + widths
	if extends {
		body = head + font
	}
	plain := map[int]string{
		1: "<< /Type /Catalog /Pages 2 0 R >>",
		2: "<< /Type /Pages /Kids [3 0 R] /Count 1 /MediaBox [0 0 200 100] >>",
		3: "<< /Type /Page /Parent 2 0 R /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
		4: stream("", "BT /F1 12 Tf 10 10 Td (x) Tj ET"),
		7: stream(fmt.Sprintf("/Type /ObjStm /N %d /First %d /Filter /FlateDecode%s", members, len(head), ext), deflate(body)),
	}
	var b bytes.Buffer
	b.WriteString("%PDF-1.5\n")
	offs := map[int]int{}
	for _, num := range []int{1, 2, 3, 4, 7} {
		offs[num] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", num, plain[num])
	}
	xref := b.Len()
	var rows []byte
	for num := 0; num <= 8; num++ {
		switch {
		case num == 5:
			rows = append(rows, 2, 0, 0, 0, 7, 0, 0)
		case num == 6:
			rows = append(rows, 2, 0, 0, 0, 7, 0, 1)
		case num == 8:
			rows = append(rows, 1, byte(xref>>24), byte(xref>>16), byte(xref>>8), byte(xref), 0, 0)
		case offs[num] > 0:
			o := offs[num]
			rows = append(rows, 1, byte(o>>24), byte(o>>16), byte(o>>8), byte(o), 0, 0)
		default:
			rows = append(rows, 0, 0, 0, 0, 0, 0xff, 0xff)
		}
	}
	fmt.Fprintf(&b, "8 0 obj\n<< /Type /XRef /Size 9 /W [1 4 2] /Root 1 0 R /Length %d >>\nstream\n", len(rows))
	b.Write(rows)
	fmt.Fprintf(&b, "\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n", xref)
	return b.Bytes()
}

func limitName(err error) string {
	var le *limits.Error
	if errors.As(err, &le) {
		return le.Limit
	}
	return ""
}

// TestInternals: the reflection into the object layer still finds what it
// reads (a library upgrade that changes its layout fails here).
func TestInternals(t *testing.T) {
	f, err := Open(objStmPDF(10, false), limits.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if f.xref.len() != 9 {
		t.Fatalf("xref of %d rows, want 9", f.xref.len())
	}
	e, ok := f.xref.at(6)
	if !ok || !e.inStream || e.stream.Num != 7 || !f.xref.inStream(6) {
		t.Errorf("row 6: %+v %v", e, ok)
	}
	var res, font pdf.Value
	if err := Safe("test", func() { res = f.Pages[0].Resources; font = res.Key("Font").Key("F1") }); err != nil {
		t.Fatal(err)
	}
	if id, ok := RawRef(font, "Widths"); !ok || id.Num != 6 {
		t.Errorf("RawRef(font, Widths) = %v, %v", id, ok)
	}
	if _, ok := RawRef(font, "FirstChar"); ok {
		t.Error("a direct entry read as a reference")
	}
	if id, ok := RawIndexRef(f.Pages[0].V.Key("Parent").Key("Kids"), 0); !ok || id.Num != 3 {
		t.Errorf("RawIndexRef(Kids, 0) = %v, %v", id, ok)
	}
	if id := ID(font); id.Num != 5 {
		t.Errorf("ID(font) = %v", id)
	}
}

// TestGuard: an object is measured before the object layer parses it,
// in the file or inside an object stream.
func TestGuard(t *testing.T) {
	plainFont := "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Widths 6 0 R /FontMatrix [1 0 0 1 0 0] >>"
	plain := pdfgen.Classic("<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
		stream("", "BT ET"), plainFont, "["+strings.Repeat("500 ", 300)+"]")
	for name, data := range map[string][]byte{"plain object": plain, "in an object stream": objStmPDF(300, false)} {
		t.Run(name, func(t *testing.T) {
			f, err := Open(data, limits.Limits{})
			if err != nil {
				t.Fatal(err)
			}
			font := f.Pages[0].Resources.Key("Font").Key("F1")
			if err := f.Guard(font, "Widths", 256); limitName(err) != "MaxWidths" || !strings.Contains(err.Error(), "object 6") {
				t.Errorf("300 widths against 256: %v", err)
			}
			if err := f.Guard(font, "Widths", 300); err != nil {
				t.Errorf("300 widths against 300: %v", err)
			}
			if err := f.Guard(font, "FontMatrix", 1); err != nil {
				t.Errorf("a direct entry: %v", err)
			}
			if err := f.Guard(font, "Missing", 1); err != nil {
				t.Errorf("a missing entry: %v", err)
			}
		})
	}
}

// TestObjectStreamExtends: a stream that /Extends itself and lacks an
// object the xref puts in it would hang the object layer; the file is
// repaired before the layer sees it.
func TestObjectStreamExtends(t *testing.T) {
	f, err := Open(objStmPDF(0, true), limits.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Pages) != 1 || !strings.Contains(strings.Join(f.Warnings, "\n"), "/Extends") {
		t.Errorf("%d pages, warnings %q", len(f.Pages), f.Warnings)
	}
	// The font itself (object 5) is in the stream and still reads.
	if err := Safe("font", func() {
		if n := f.Pages[0].Resources.Key("Font").Key("F1").Key("BaseFont").Name(); n != "Helvetica" {
			t.Errorf("font %q", n)
		}
	}); err != nil {
		t.Error(err)
	}
	// The same file with the object where the xref says: no repair.
	f, err = Open(objStmPDF(3, false), limits.Limits{})
	if err != nil || len(f.Warnings) != 0 {
		t.Errorf("a sound object stream: %v %q", err, f.Warnings)
	}
}

// onePage is a one-page file whose page /Contents is the given stream.
func onePage(contents string) []byte {
	return pdfgen.Classic("<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /Contents 4 0 R >>", contents)
}

func TestReadStreamLimits(t *testing.T) {
	big := strings.Repeat("0 0 m ", 1000) // 6000 bytes
	flated := stream("/Filter /FlateDecode", deflate(big))
	tests := []struct {
		name     string
		lim      limits.Limits
		contents string
		limit    string
		err      error
	}{
		{"stream within", limits.Limits{MaxStreamBytes: 6000}, flated, "", nil},
		{"stream over", limits.Limits{MaxStreamBytes: 5999}, flated, "MaxStreamBytes", nil},
		{"file over", limits.Limits{MaxDecodedBytes: 5999}, flated, "MaxDecodedBytes", nil},
		{"predictor row", limits.Limits{}, stream("/Filter /FlateDecode /DecodeParms << /Predictor 12 /Columns 5000000 >>", deflate("\x02x")), "MaxRowBytes", nil},
		{"unknown filter", limits.Limits{}, stream("/Filter /LZWDecode", "x"), "", ErrUnsupported},
		{"predictor 15", limits.Limits{}, stream("/Filter /FlateDecode /DecodeParms << /Predictor 15 /Columns 4 >>", deflate("\x02xxxx")), "", ErrUnsupported},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := Open(onePage(tt.contents), tt.lim)
			if err != nil {
				t.Fatal(err)
			}
			b, err := f.ReadStream(f.Pages[0].V.Key("Contents"))
			switch {
			case tt.limit != "" && limitName(err) != tt.limit:
				t.Errorf("err %v, want the %s limit", err, tt.limit)
			case tt.limit != "" && b != nil:
				t.Errorf("%d bytes returned over a limit", len(b))
			case tt.err != nil && !errors.Is(err, tt.err):
				t.Errorf("err %v, want %v", err, tt.err)
			case tt.limit == "" && tt.err == nil && (err != nil || len(b) != len(big)):
				t.Errorf("%d bytes, %v", len(b), err)
			}
		})
	}
	// The file budget spans streams: the second read of 6000 bytes fails.
	f, _ := Open(onePage(flated), limits.Limits{MaxDecodedBytes: 10000})
	for i, want := range []string{"", "MaxDecodedBytes"} {
		if _, err := f.ReadStream(f.Pages[0].V.Key("Contents")); limitName(err) != want {
			t.Errorf("read %d: %v, want %q", i+1, err, want)
		}
	}
}

func TestPageLimits(t *testing.T) {
	three := pdfgen.Classic("<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R 4 0 R 5 0 R] /Count 3 >>",
		"<< /Type /Page /Parent 2 0 R >>", "<< /Type /Page /Parent 2 0 R >>", "<< /Type /Page /Parent 2 0 R >>")
	f, err := Open(three, limits.Limits{MaxPages: 2})
	if err != nil || len(f.Pages) != 2 || !strings.Contains(strings.Join(f.Warnings, " "), "MaxPages = 2") {
		t.Errorf("MaxPages 2: %v, %d pages, %q", err, len(f.Pages), f.Warnings)
	}
	deep := hostilepdf.Build("page_tree_deep")
	f, err = Open(deep, limits.Limits{MaxTreeDepth: 10})
	if err != nil || len(f.Pages) != 1 || !strings.Contains(strings.Join(f.Warnings, " "), "MaxTreeDepth = 10") {
		t.Errorf("deep tree: %v, %d pages, %q", err, len(f.Pages), f.Warnings)
	}
}

// TestInheritedFromParent: a page whose /Parent is not the node it was
// listed under still inherits from its /Parent chain.
func TestInheritedFromParent(t *testing.T) {
	data := pdfgen.Classic("<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R 4 0 R] /Count 2 >>",
		"<< /Type /Page /Parent 2 0 R >>",
		"<< /Type /Page /Parent 5 0 R >>",
		"<< /Type /Pages /Kids [] /Count 0 /MediaBox [0 0 100 100] >>")
	f, err := Open(data, limits.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Pages) != 2 || f.Pages[0].MediaBox != (Rect{0, 0, 595.276, 841.89}) || f.Pages[1].MediaBox != (Rect{0, 0, 100, 100}) {
		t.Errorf("pages %+v", f.Pages)
	}
}

func TestExplain(t *testing.T) {
	for in, want := range map[string]string{
		"unexpected value type *errors.errorString in resolve": "an object is cut short before its value (the file may be truncated: download it again)",
		"malformed PDF: reading at offset 123: EOF":            "the file ends inside an object (truncated download?) [malformed PDF: reading at offset 123: EOF]",
		"pred":          "a stream predictor that is not supported",
		"something new": "something new",
	} {
		if got := explain(in); got != want {
			t.Errorf("explain(%q) = %q, want %q", in, got, want)
		}
	}
}
