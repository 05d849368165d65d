package golden

import (
	"context"
	"testing"

	"yusuan/extract/layout"
	"yusuan/extract/table"
	"yusuan/extract/textlayer"
	"yusuan/fixtures/synth"
)

// The table step must cost at most 1.2× the text layer on the same input:
// compare BenchmarkTextLayer with BenchmarkTables.

func seedPDF(b *testing.B) []byte {
	data, err := render(synth.Seed(), style{ruled: true, centered: true})
	if err != nil {
		b.Fatal(err)
	}
	return data
}

func textPages(b *testing.B, data []byte) []layout.Page {
	doc, err := textlayer.Read(context.Background(), data, textlayer.Options{})
	if doc == nil {
		b.Fatal(err)
	}
	pages := make([]layout.Page, 0, len(doc.Pages))
	for _, p := range doc.Pages {
		pages = append(pages, layout.Build(p, layout.Options{}))
	}
	return pages
}

func BenchmarkTextLayer(b *testing.B) {
	data := seedPDF(b)
	for b.Loop() {
		textPages(b, data)
	}
}

func BenchmarkTables(b *testing.B) {
	pages := textPages(b, seedPDF(b))
	for b.Loop() {
		table.Extract(pages)
	}
}
