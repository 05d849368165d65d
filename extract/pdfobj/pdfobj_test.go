package pdfobj

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
	"yusuan/fixtures/pdfgen"

	"yusuan/extract/limits"
)

// minimalPDF builds a one-page PDF with a correct xref; body is the page's
// content stream.
func minimalPDF(body string) []byte {
	return pdfgen.Classic(
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 /MediaBox [0 0 200 100] >>",
		"<< /Type /Page /Parent 2 0 R /Contents 4 0 R /Rotate 90 /CropBox [10 10 190 90] >>",
		fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(body)+1, body))
}

func TestOpen(t *testing.T) {
	f, err := Open(minimalPDF("BT ET"), limits.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Pages) != 1 {
		t.Fatalf("pages %d", len(f.Pages))
	}
	p := f.Pages[0]
	if p.Rotate != 90 || p.MediaBox != (Rect{0, 0, 200, 100}) || p.CropBox != (Rect{10, 10, 190, 90}) {
		t.Errorf("page attributes %+v", p)
	}
	if id := ID(p.V); id.Num != 3 {
		t.Errorf("page object id %+v, want 3", id)
	}
}

func TestOpenErrors(t *testing.T) {
	good := minimalPDF("BT ET")
	tests := []struct {
		name string
		data []byte
		want error
		msg  string
	}{
		{"empty", nil, ErrNotPDF, "empty file"},
		{"html", []byte("<!DOCTYPE html><html><head><title>404</title></head></html>"), ErrNotPDF, "an HTML page"},
		{"zip", []byte("PK\x03\x04rest"), ErrNotPDF, "ZIP"},
		{"garbage", []byte("hello world"), ErrNotPDF, "no %PDF header"},
		{"only a header", []byte("%PDF-1.4\n"), ErrDamaged, "truncated"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Open(tt.data, limits.Limits{})
			if !errors.Is(err, tt.want) || !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("got %v, want %v mentioning %q", err, tt.want, tt.msg)
			}
		})
	}
	// Junk before the header and after %%EOF, as some portals serve, is trimmed.
	junk := append(append([]byte("\xef\xbb\xbf  \n"), good...), []byte("<script>tracker()</script>")...)
	if f, err := Open(junk, limits.Limits{}); err != nil || len(f.Pages) != 1 {
		t.Errorf("junk-wrapped file: %v", err)
	}
	// A PDF 2.0 header is accepted.
	v2 := []byte(strings.Replace(string(good), "%PDF-1.4", "%PDF-2.0", 1))
	if f, err := Open(v2, limits.Limits{}); err != nil || len(f.Pages) != 1 {
		t.Errorf("PDF 2.0 file: %v", err)
	}
}

func TestRebuildXref(t *testing.T) {
	good := minimalPDF("BT /F1 12 Tf (x) Tj ET")
	// Shift every xref offset: the table points into the wrong places.
	broken := []byte(strings.Replace(string(good), "0000000009 00000 n", "0000000001 00000 n", 1))
	broken = []byte(strings.ReplaceAll(string(broken), " 00000 n \n", " 00000 n \n"))
	f, err := Open(broken, limits.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Pages) != 1 {
		t.Fatalf("pages %d", len(f.Pages))
	}
	// Truncated after the page objects: the rebuild recovers the page.
	cut := good[:strings.Index(string(good), "xref")]
	f, err = Open(cut, limits.Limits{})
	if err != nil || len(f.Pages) != 1 {
		t.Fatalf("truncated file: %v", err)
	}
	if !strings.Contains(strings.Join(f.Warnings, " "), "file truncated") {
		t.Errorf("warnings %q", f.Warnings)
	}
}

func TestPrecheck(t *testing.T) {
	for _, tt := range []struct {
		name, data string
		hostile    bool
	}{
		{"normal", "trailer << /Size 12 >>", false},
		{"huge size", "trailer << /Size 2000000000 >>", true},
		{"huge subsection", "xref\n1999999990 5\n", true},
		{"huge index", "/Index [0 10 2000000000 3]", true},
	} {
		err := precheck([]byte(tt.data+strings.Repeat(" ", 100)), limits.Limits{}.Fill())
		if (err != nil) != tt.hostile {
			t.Errorf("%s: %v", tt.name, err)
		}
	}
}

func FuzzOpen(f *testing.F) {
	f.Add(minimalPDF("BT ET"))
	f.Add([]byte("%PDF-1.4\n1 0 obj << >> endobj %%EOF"))
	f.Fuzz(func(t *testing.T, data []byte) {
		done := make(chan struct{})
		go func() {
			defer close(done)
			if fl, err := Open(data, limits.Limits{MaxPages: 100, MaxObjects: 10000, MaxStreamBytes: 1 << 20}); err == nil {
				for _, p := range fl.Pages {
					_ = Safe("test", func() { _, _ = fl.ReadStream(p.V.Key("Contents")) })
				}
			}
		}()
		select {
		case <-done:
		case <-time.After(3 * time.Second):
			t.Fatalf("Open did not return within 3 s")
		}
	})
}
