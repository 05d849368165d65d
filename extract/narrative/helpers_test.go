package narrative

import (
	"os"
	"strings"
	"testing"
)

// pagesToLines turns text with pages separated by form feeds (pdftotext's
// output, or a testdata file) into Lines, pages numbered from 1.
func pagesToLines(text string) []Line {
	var out []Line
	for i, page := range strings.Split(text, "\f") {
		for _, l := range strings.Split(page, "\n") {
			out = append(out, Line{Page: i + 1, Text: l})
		}
	}
	return out
}

func readLines(t testing.TB, path string) []Line {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return pagesToLines(string(b))
}
