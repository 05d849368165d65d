package textlayer

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"yusuan/extract/limits"
	"yusuan/fixtures/pdfgen"
)

// pagesPDF writes a file with one page per content stream (Helvetica as
// /F1, form /Fm object 3 drawing formBody), pages numbered from object 10.
func pagesPDF(formBody string, contents ...string) []byte {
	objs := map[int]string{
		1: "<< /Type /Catalog /Pages 2 0 R >>",
		3: fmt.Sprintf("<< /Type /XObject /Subtype /Form /BBox [0 0 600 800] /Resources << /Font << /F1 4 0 R >> >> /Length %d >>\nstream\n%s\nendstream", len(formBody), formBody),
		4: "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
	}
	var kids []string
	for i, c := range contents {
		page, body := 10+2*i, 11+2*i
		kids = append(kids, fmt.Sprintf("%d 0 R", page))
		objs[page] = fmt.Sprintf("<< /Type /Page /Parent 2 0 R /Resources << /Font << /F1 4 0 R >> /XObject << /Fm 3 0 R >> >> /Contents %d 0 R >>", body)
		objs[body] = fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(c), c)
	}
	objs[2] = fmt.Sprintf("<< /Type /Pages /Kids [%s] /Count %d /MediaBox [0 0 600 800] >>", strings.Join(kids, " "), len(contents))
	return pdfgen.ClassicObjects(objs)
}

func text(s string) string { return "BT /F1 12 Tf 72 700 Td (" + s + ") Tj ET" }

func pageTexts(doc *Document) []string {
	var out []string
	for _, p := range doc.Pages {
		out = append(out, p.Text())
	}
	return out
}

func warned(doc *Document, s string) bool {
	all := append([]string(nil), doc.Warnings...)
	for _, p := range doc.Pages {
		all = append(all, p.Warnings...)
	}
	return strings.Contains(strings.Join(all, "\n"), s)
}

// TestPageBudgets: a page over a per-page budget is left out with a
// warning naming it; the pages around it come out whole.
func TestPageBudgets(t *testing.T) {
	tests := []struct {
		name  string
		lim   limits.Limits
		page  string
		limit string
	}{
		{"glyphs", limits.Limits{MaxGlyphsPerPage: 10}, text("0123456789A"), "MaxGlyphsPerPage = 10"},
		{"operators", limits.Limits{MaxOpsPerPage: 20}, strings.Repeat("q Q ", 10) + text("x"), "MaxOpsPerPage = 20"},
		{"rules", limits.Limits{MaxRulesPerPage: 7}, "0 0 10 10 re S 20 20 10 10 re S", "MaxRulesPerPage = 7"},
		{"forms", limits.Limits{MaxFormsPerPage: 3}, "/Fm Do /Fm Do /Fm Do /Fm Do", "MaxFormsPerPage = 3"},
		{"string", limits.Limits{MaxStringBytes: 8}, text("123456789"), "MaxStringBytes = 8"},
		{"stream", limits.Limits{MaxStreamBytes: 40}, text(strings.Repeat("x", 40)), "MaxStreamBytes = 40"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := pagesPDF(text("form"), text("before"), tt.page, text("after"))
			doc, err := Read(context.Background(), data, Options{Limits: tt.lim})
			if err != nil {
				t.Fatal(err)
			}
			got := pageTexts(doc)
			if len(got) != 3 || got[0] != "before" || got[1] != "" || got[2] != "after" {
				t.Errorf("pages %q, want before, nothing, after", got)
			}
			if len(doc.Pages[1].Rules) != 0 {
				t.Errorf("page left out kept %d rules", len(doc.Pages[1].Rules))
			}
			if !warned(doc, "page 2 left out") || !warned(doc, tt.limit) {
				t.Errorf("no warning naming %s: %q %q", tt.limit, doc.Warnings, doc.Pages[1].Warnings)
			}
		})
	}
}

// TestFileBudgets: once a per-file budget is spent, the rest of the pages
// are left out, numbered, with one warning.
func TestFileBudgets(t *testing.T) {
	data := pagesPDF(text("form"), text("one"), text("two"), text("three"), text("four"))
	for _, tt := range []struct {
		lim   limits.Limits
		limit string
	}{
		{limits.Limits{MaxGlyphsPerDocument: 7}, "MaxGlyphsPerDocument = 7"},
		{limits.Limits{MaxOpsPerDocument: 12}, "MaxOpsPerDocument = 12"},
	} {
		doc, err := Read(context.Background(), data, Options{Limits: tt.lim})
		if err != nil {
			t.Fatal(err)
		}
		if got := pageTexts(doc); len(got) != 4 || got[0] != "one" || got[1] != "two" || got[2] != "" || got[3] != "" {
			t.Errorf("%s: pages %q", tt.limit, got)
		}
		if !warned(doc, "pages 4 to 4 left out") || !warned(doc, tt.limit) {
			t.Errorf("%s: warnings %q", tt.limit, doc.Warnings)
		}
	}
}

// TestRulesPerDocument: the ruling lines of the whole file are bounded
// too (pages of 49,999 each would otherwise hold 2 GB in 800 pages).
func TestRulesPerDocument(t *testing.T) {
	page := func(s string) string { return "0 0 10 10 re S " + text(s) }
	data := pagesPDF("", page("one"), page("two"), page("three"), page("four"))
	doc, err := Read(context.Background(), data, Options{Limits: limits.Limits{MaxRulesPerDocument: 10}})
	if err != nil {
		t.Fatal(err)
	}
	if got := pageTexts(doc); len(got) != 4 || got[0] != "one" || got[1] != "two" || got[2] != "" || got[3] != "" {
		t.Errorf("pages %q", got)
	}
	if len(doc.Pages[1].Rules) != 4 || len(doc.Pages[2].Rules) != 0 || doc.Stats.Rules != 12 {
		t.Errorf("rules %d %d, counted %d", len(doc.Pages[1].Rules), len(doc.Pages[2].Rules), doc.Stats.Rules)
	}
	if !warned(doc, "pages 4 to 4 left out") || !warned(doc, "MaxRulesPerDocument = 10") {
		t.Errorf("warnings %q", doc.Warnings)
	}
}

// TestFormDecodedOnce: a form drawn on every page is decoded once.
func TestFormDecodedOnce(t *testing.T) {
	form := text(strings.Repeat("f", 1000))
	pages := make([]string, 10)
	for i := range pages {
		pages[i] = "/Fm Do /Fm Do"
	}
	doc, err := Read(context.Background(), pagesPDF(form, pages...), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if doc.Stats.FormDraws != 20 {
		t.Errorf("%d form draws, want 20", doc.Stats.FormDraws)
	}
	if d := doc.Stats.DecodedBytes; d > int64(len(form))+10*20 {
		t.Errorf("decoded %d bytes: the form was read more than once", d)
	}
	if got := pageTexts(doc); got[9] != strings.Repeat("f", 2000) {
		t.Errorf("page 10 shows %d characters", len(got[9]))
	}
}

// TestStops: a cancelled context stops the walk with its error and the
// pages read so far.
func TestStops(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	doc, err := Read(ctx, pagesPDF("", text("a"), text("b")), Options{})
	if !errors.Is(err, context.Canceled) || doc == nil || len(doc.Pages) != 0 {
		t.Errorf("got %v with %v", err, doc)
	}
}
