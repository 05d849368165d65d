package main

import (
	"encoding/json"
	"encoding/xml"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"yusuan/extract/draw"
)

// wellFormedSVG parses s and reports its root element's name.
func wellFormedSVG(t *testing.T, s string) string {
	t.Helper()
	dec := xml.NewDecoder(strings.NewReader(s))
	root := ""
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return root
		}
		if err != nil {
			t.Fatalf("not well-formed XML: %v", err)
		}
		if se, ok := tok.(xml.StartElement); ok && root == "" {
			root = se.Name.Local
		}
	}
}

func TestDebug(t *testing.T) {
	pdf := filepath.Join(fixtures, "ruling_lines.pdf")
	// SVG on stdout, flags after the file.
	out, errOut, code := runCLI(t, "debug", pdf, "--page", "1")
	if code != 0 || errOut != "" {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if wellFormedSVG(t, out) != "svg" || !strings.Contains(out, ">108.22</text>") || !strings.Contains(out, `class="rules"`) {
		t.Errorf("drawing lacks the page's text or rules:\n%.600s", out)
	}
	// --out writes the same drawing to a file.
	file := filepath.Join(t.TempDir(), "p1.svg")
	if _, errOut, code := runCLI(t, "debug", "--page", "1", "--out", file, pdf); code != 0 {
		t.Fatalf("--out: exit %d: %s", code, errOut)
	}
	if b, err := os.ReadFile(file); err != nil || string(b) != out {
		t.Errorf("--out file differs from stdout (err %v)", err)
	}
	// --json: the geometry the drawing outlines.
	out, _, code = runCLI(t, "debug", "--json", "--page=1", pdf)
	var g draw.Geometry
	if err := json.Unmarshal([]byte(out), &g); err != nil || code != 0 {
		t.Fatalf("--json: exit %d, %v: %s", code, err, out)
	}
	if g.Page != 1 || g.Rules == 0 || g.Lines == 0 || len(g.Tables) == 0 || len(g.Tables[0].Rows) == 0 || len(g.Tables[0].Regions) == 0 {
		t.Errorf("--json geometry %+v", g)
	}

	// An image-only page: the page box and a notice, exit 0.
	out, errOut, code = runCLI(t, "debug", filepath.Join(fixtures, "image_only.pdf"), "--page", "1")
	if code != 0 || !strings.Contains(errOut, "page 1 has no text layer (1 images): only the page box is drawn") ||
		wellFormedSVG(t, out) != "svg" || !strings.Contains(out, "no text layer on this page") {
		t.Errorf("image-only page: exit %d, stderr %q", code, errOut)
	}

	html := filepath.Join(t.TempDir(), "x.pdf")
	if err := os.WriteFile(html, []byte("<html><body>404</body></html>"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"debug", pdf, "--page", "9"}, 1, "no page 9: the file has 1 page(s)"},
		{[]string{"debug", html, "--page", "1"}, 1, "not a PDF file"},
		{[]string{"debug", "missing.pdf", "--page", "1"}, 1, "missing.pdf"},
		{[]string{"debug", pdf}, 2, "--page N is required"},
		{[]string{"debug", "--page", "1"}, 2, "give one PDF file"},
		{[]string{"debug", pdf, pdf, "--page", "1"}, 2, "give one PDF file"},
		{[]string{"debug", pdf, "--page", "x"}, 2, "invalid value"},
	} {
		out, errOut, code := runCLI(t, c.args...)
		if code != c.code || out != "" || len(lines(errOut)) != 1 || !strings.Contains(errOut, c.msg) {
			t.Errorf("%q: exit %d, stdout %q, stderr %q; want exit %d and %q", c.args, code, out, errOut, c.code, c.msg)
		}
	}
}
