package extract

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"yusuan/extract/layout"
	"yusuan/extract/pdfobj"
)

const fixtureDir = "../fixtures/testdata/pdf"

func readText(t *testing.T, path string) (*Text, error) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return ReadText(context.Background(), data, Options{Timeout: 2 * time.Second})
}

func lineTexts(lines []layout.Line) []string {
	var out []string
	for _, l := range lines {
		out = append(out, l.Text())
	}
	return out
}

func TestLines(t *testing.T) {
	tests := []struct {
		file    string
		lines   []string
		offpage []string
	}{
		{"simple_truetype_tounicode.pdf", []string{"2026年预算收支总表", "单位：万元", "一般公共服务支出 108.22", "教育支出 97.42"}, nil},
		{"gbk_euc_h.pdf", []string{"2026年预算收支总表", "单位：万元", "一般公共服务支出 108.22", "教育支出 97.42"}, nil},
		{"stsong_unigb_ucs2.pdf", []string{"2026年预算收支总表", "单位：万元", "一般公共服务支出 108.22", "教育支出 97.42"}, nil},
		{"fake_bold.pdf", []string{"2026年预算收支总表", "一般公共服务支出", "教育支出 97.42"}, nil},
		{"offpage_text.pdf",
			[]string{"2026年预算收支总表", "单位：万元", "一般公共服务支出 108.22", "教育支出 97.42", "科学技术支出 10.80", "合 计 216.44", "跨越右边界 12345.67"},
			[]string{"打印标题行：不可见", "跨越上边界的标题", "右侧超出页面的列 999.99"}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			txt, err := readText(t, filepath.Join(fixtureDir, tt.file))
			if err != nil {
				t.Fatal(err)
			}
			p := txt.Pages[0]
			got := lineTexts(p.Lines)
			if len(got) < len(tt.lines) {
				t.Fatalf("lines %q, want to start with %q", got, tt.lines)
			}
			for i, want := range tt.lines {
				if got[i] != want {
					t.Errorf("line %d: %q, want %q", i, got[i], want)
				}
			}
			if off := lineTexts(p.Offpage); strings.Join(off, "|") != strings.Join(tt.offpage, "|") {
				t.Errorf("off-page lines %q, want %q", off, tt.offpage)
			}
		})
	}
}

func TestOffpageWarning(t *testing.T) {
	txt, err := readText(t, filepath.Join(fixtureDir, "offpage_text.pdf"))
	if err != nil {
		t.Fatal(err)
	}
	want := "page 1: 31 characters lie outside the visible page"
	for _, w := range txt.Warnings {
		if w == want {
			return
		}
	}
	t.Errorf("warnings %q, want %q", txt.Warnings, want)
}

func TestImageOnlyFlagged(t *testing.T) {
	txt, err := readText(t, filepath.Join(fixtureDir, "image_only.pdf"))
	if err != nil {
		t.Fatal(err)
	}
	if txt.TextLayer {
		t.Error("image-only file reported as having a text layer")
	}
	if !strings.Contains(strings.Join(txt.Warnings, "\n"), "no text layer: image-only (scanned) PDF, 1 images") {
		t.Errorf("warnings %q", txt.Warnings)
	}
}

// TestHostile: each hostile file fails cleanly or yields what the truth says,
// within 2 s, never a panic or a hang.
func TestHostile(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(fixtureDir, "hostile", "*.pdf"))
	if len(files) < 12 {
		t.Fatalf("only %d hostile fixtures", len(files))
	}
	for _, f := range files {
		name := filepath.Base(f)
		t.Run(name, func(t *testing.T) {
			var tr struct {
				Pages int      `json:"pages"`
				Text  []string `json:"text"`
			}
			b, err := os.ReadFile(strings.TrimSuffix(f, ".pdf") + ".truth.json")
			if err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal(b, &tr); err != nil {
				t.Fatal(err)
			}
			start := time.Now()
			txt, err := readText(t, f)
			if d := time.Since(start); d > 2*time.Second {
				t.Errorf("took %s", d)
			}
			if tr.Pages < 0 {
				if err == nil || !errors.Is(err, pdfobj.ErrNotPDF) {
					t.Fatalf("got %v, want a not-a-PDF error", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("got error %v, want %d pages", err, tr.Pages)
			}
			if len(txt.Pages) != tr.Pages {
				t.Errorf("pages: got %d, want %d", len(txt.Pages), tr.Pages)
			}
			var all []string
			for _, p := range txt.Pages {
				all = append(all, lineTexts(p.Lines)...)
			}
			for _, want := range tr.Text {
				if !strings.Contains(strings.Join(all, "\n"), want) {
					t.Errorf("text %q missing from %q", want, all)
				}
			}
		})
	}
}

func TestTimeout(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(fixtureDir, "text_state.pdf"))
	if err != nil {
		t.Fatal(err)
	}
	_, err = ReadText(context.Background(), data, Options{Timeout: time.Nanosecond})
	if err == nil || !strings.Contains(err.Error(), "gave up after") {
		t.Errorf("got %v, want a timeout error", err)
	}
}

// benchFiles are the fixtures and, when present, the shared corpus
// (YUSUAN_CORPUS, default ../../shared/corpus).
func benchFiles(b *testing.B) [][]byte {
	b.Helper()
	files, _ := filepath.Glob(filepath.Join(fixtureDir, "*.pdf"))
	corpus := os.Getenv("YUSUAN_CORPUS")
	if corpus == "" {
		corpus = "../../shared/corpus"
	}
	real, _ := filepath.Glob(filepath.Join(corpus, "real", "*.pdf"))
	files = append(files, real...)
	var blobs [][]byte
	for _, f := range files {
		if strings.Contains(f, "user_password") {
			continue
		}
		d, err := os.ReadFile(f)
		if err == nil {
			blobs = append(blobs, d)
		}
	}
	return blobs
}

// BenchmarkReadText measures the text layer and lines per page over the
// fixtures and the corpus.
func BenchmarkReadText(b *testing.B) {
	benchPages(b, func(d []byte) int {
		if txt, _ := ReadText(context.Background(), d, Options{}); txt != nil {
			return len(txt.Pages)
		}
		return 0
	})
}

// BenchmarkExtract measures the whole extraction (text layer, tables,
// narrative, metadata) per page over the fixtures and the corpus.
func BenchmarkExtract(b *testing.B) {
	benchPages(b, func(d []byte) int {
		return Extract(context.Background(), d, "bench.pdf", Options{}).Pages
	})
}

// benchPages runs read over every bench file and reports the time per
// page it returns.
func benchPages(b *testing.B, read func([]byte) int) {
	blobs := benchFiles(b)
	pages := 0
	b.ResetTimer()
	for b.Loop() {
		pages = 0
		for _, d := range blobs {
			pages += read(d)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(max(pages, 1))/1e3, "µs/page")
	b.ReportMetric(float64(pages), "pages")
}
