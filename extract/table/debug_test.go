package table

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"testing"

	"yusuan/extract/layout"
	"yusuan/extract/textlayer"
)

// TestDebugPDF prints the regions, lines and columns of one page of a PDF
// named by YUSUAN_DEBUG_PDF (page YUSUAN_DEBUG_PAGE); skipped otherwise.
func TestDebugPDF(t *testing.T) {
	path := os.Getenv("YUSUAN_DEBUG_PDF")
	if path == "" {
		t.Skip("set YUSUAN_DEBUG_PDF to a PDF to print its table regions")
	}
	page, _ := strconv.Atoi(os.Getenv("YUSUAN_DEBUG_PAGE"))
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := textlayer.Read(context.Background(), data, textlayer.Options{})
	if doc == nil {
		t.Fatal(err)
	}
	var pages []layout.Page
	for _, p := range doc.Pages {
		pages = append(pages, layout.Build(p, layout.Options{}))
	}
	if os.Getenv("YUSUAN_DEBUG_RAW") != "" {
		for _, p := range pages {
			if p.Number != page {
				continue
			}
			fmt.Println("PAGE", p.Number, p.Width, p.Height)
			for _, l := range toLines(p) {
				fmt.Printf("  y%.1f-%.1f:", l.y0, l.y1)
				for _, c := range l.cells {
					fmt.Printf(" [%s %.1f-%.1f]", c.text, c.x0, c.x1)
				}
				fmt.Println()
			}
		}
	}
	for _, r := range findRegions(pages) {
		for _, p := range r.parts {
			if p.page.Number != page {
				continue
			}
			fmt.Println("REGION", r.title.Label, r.title.Title, r.title.Kind, "page", p.page.Number)
			for _, l := range p.lines {
				fmt.Printf("  y%.1f-%.1f:", l.y0, l.y1)
				for _, c := range l.cells {
					fmt.Printf(" [%s %.1f-%.1f]", c.text, c.x0, c.x1)
				}
				fmt.Println()
			}
			left := 1e9
			for _, l := range p.lines {
				left = min(left, l.x0)
			}
			start := 0
			for start < len(p.lines) && !isData(p.lines[start], left) {
				start++
			}
			ds := DefaultSettings()
			cols := discoverColumns(p.lines[:start], p.lines[start:], vrulesIn(p.page.Rules, 0, 1e9, &ds), &ds)
			classify(cols, p.lines[start:], r.title.Kind)
			for _, c := range cols {
				fmt.Printf("   COL %.1f-%.1f role=%d key=%s side=%s hdr=%q n=%d/%d/%d/%d\n", c.x0, c.x1, c.role, c.key, c.side, c.header, c.nAmt, c.nCode, c.nInt, c.nText)
			}
		}
	}
}

// TestDebugBuild prints the rows build makes of each region of the PDF.
func TestDebugBuild(t *testing.T) {
	path := os.Getenv("YUSUAN_DEBUG_PDF")
	if path == "" {
		t.Skip("set YUSUAN_DEBUG_PDF to a PDF to print its tables")
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := textlayer.Read(context.Background(), data, textlayer.Options{})
	if doc == nil {
		t.Fatal(err)
	}
	var pages []layout.Page
	for _, p := range doc.Pages {
		pages = append(pages, layout.Build(p, layout.Options{}))
	}
	for _, r := range findRegions(pages) {
		ds := DefaultSettings()
		tb, used, err := build(context.Background(), r, &ds)
		fmt.Println("TABLE", r.title.Title, used, err, tb.Pages, tb.Columns)
		for _, row := range tb.Rows {
			fmt.Printf("   %s %q %q %v p%d\n", row.Side, row.CodeString(), row.Name, row.Values, row.Page)
		}
	}
}
