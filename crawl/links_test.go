package crawl

import (
	"reflect"
	"testing"
)

func TestIsPagination(t *testing.T) {
	tests := []struct {
		from, to, text string
		want           bool
	}{
		{"http://a/ys/index.html", "http://a/ys/index_1.html", "下一页", true},
		{"http://a/ys/index_3.html", "http://a/ys/index_4.html", "", true},
		{"http://a/ys/index_3.html", "http://a/ys/index.html", "", true},
		{"http://a/ys/index.html", "http://a/ys/art_1.html", "某局2026年预算", false},
		{"http://a/col/col1/index.html", "http://a/col/col1/2.html", "", true},
		{"http://a/list.do?page=1", "http://a/list.do?page=2", "", true},
		{"http://a/ys/", "http://a/ys/column-index-2.shtml", "", true},
		{"http://a/ys/index.html", "http://a/other/index_1.html", "", false},
		{"http://a/ys/index.html", "http://a/ys/x.html", "3", true},
		{"http://a/ys/index.html", "http://a/ys/x.html", "尾页", true},
	}
	for _, tt := range tests {
		if got := isPagination(tt.from, tt.to, tt.text); got != tt.want {
			t.Errorf("isPagination(%s, %s, %q) = %v, want %v", tt.from, tt.to, tt.text, got, tt.want)
		}
	}
}

func TestLinkKind(t *testing.T) {
	tests := map[string]Kind{
		"http://a/x/y.PDF":         KindFile,
		"http://a/x/y.docx?v=1":    KindFile,
		"http://a/x/y.ofd":         KindFile,
		"http://a/x/":              KindPage,
		"http://a/download.do?i=1": KindPage,
		"http://a/x.jpg":           "",
		"mailto:a@b":               "",
		"javascript:void(0)":       "",
	}
	for u, want := range tests {
		got, ok := linkKind(u)
		if got != want || ok != (want != "") {
			t.Errorf("linkKind(%s) = %q, %v; want %q", u, got, ok, want)
		}
	}
}

func TestScriptAttachments(t *testing.T) {
	got := scriptAttachments(`var file_appendix='a.pdf'; var x=1;
	var file_appendix = "/p/b.pdf,c.xls";`)
	want := []string{"a.pdf", "/p/b.pdf", "c.xls"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestDispositionFilename(t *testing.T) {
	gbk := "attachment; filename=\"\xc4\xb3\xca\xd0\xd4\xa4\xcb\xe3.pdf\"" // 某市预算.pdf in GBK
	tests := map[string]string{
		"": "",
		"attachment; filename=\"budget.pdf\"; filename*=UTF-8''%E6%9F%90%E5%B8%82%E9%A2%84%E7%AE%97.pdf": "某市预算.pdf",
		gbk: "某市预算.pdf",
		`attachment; filename="%E6%9F%90%E5%B8%82%E9%A2%84%E7%AE%97.pdf"`: "某市预算.pdf",
		`attachment; filename=plain.pdf`:                                  "plain.pdf",
		`attachment; filename*=GBK''%C4%B3%CA%D0.pdf`:                     "某市.pdf",
		`inline; filename="../../etc/passwd"`:                             "passwd",
		`attachment; filename="某市预算.pdf"`:                                 "某市预算.pdf",
	}
	for in, want := range tests {
		if got := DispositionFilename(in); got != want {
			t.Errorf("DispositionFilename(%q) = %q, want %q", in, got, want)
		}
	}
}

func FuzzDispositionFilename(f *testing.F) {
	f.Add("attachment; filename*=UTF-8''%E6%9F%90.pdf")
	f.Add("attachment; filename=\"\xc4\xb3.pdf\"")
	f.Fuzz(func(t *testing.T, h string) {
		name := DispositionFilename(h)
		for _, r := range name {
			if r == '/' {
				t.Fatalf("name %q keeps a directory", name)
			}
		}
	})
}

func FuzzLinkHeuristics(f *testing.F) {
	f.Add("http://a/ys/index.html", "http://a/ys/index_1.html", "下一页", "var file_appendix='a.pdf';")
	f.Fuzz(func(t *testing.T, from, to, text, script string) {
		_ = isPagination(from, to, text)
		for _, a := range scriptAttachments(script) {
			if a == "" {
				t.Fatal("empty attachment name")
			}
		}
		_, _ = linkKind(to)
		_ = toUTF8([]byte(script), text)
	})
}
