package golden

import (
	"context"
	"testing"

	"yusuan/extract"
	"yusuan/extract/layout"
	"yusuan/extract/table"
	"yusuan/fixtures/synth"
	"yusuan/fixtures/synth/render"
)

// The table step must cost at most 1.2× the text layer on the same input:
// compare BenchmarkTextLayer with BenchmarkTables.

func seedPDF(b *testing.B) []byte {
	data, err := render.Render(synth.Seed(), render.Styles()[0])
	if err != nil {
		b.Fatal(err)
	}
	return data
}

func textPages(b *testing.B, data []byte) []layout.Page {
	txt, err := extract.ReadText(context.Background(), data, extract.Options{})
	if txt == nil {
		b.Fatal(err)
	}
	return txt.Pages
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
		table.Extract(b.Context(), pages)
	}
}
