package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode"
)

// TestDocumentLinksResolve: every relative link in README.md and the CLI
// and data documents names a file of the repository, and an anchor names
// one of its headings.
func TestDocumentLinksResolve(t *testing.T) {
	link := regexp.MustCompile(`\[[^\]]*\]\(([^)\s]+)\)`)
	checked := 0
	for _, doc := range []string{"../../README.md", "../../docs/cli.md", "../../docs/data-dictionary.md"} {
		b, err := os.ReadFile(doc)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range link.FindAllStringSubmatch(string(b), -1) {
			target := m[1]
			if strings.Contains(target, "://") || strings.HasPrefix(target, "mailto:") {
				continue
			}
			path, anchor, _ := strings.Cut(target, "#")
			full := doc
			if path != "" {
				full = filepath.Join(filepath.Dir(doc), path)
			}
			tb, err := os.ReadFile(full)
			if err != nil {
				t.Errorf("%s: link %q: %v", doc, target, err)
				continue
			}
			if anchor != "" && !hasHeading(string(tb), anchor) {
				t.Errorf("%s: link %q: no such heading in %s", doc, target, full)
			}
			checked++
		}
	}
	if checked < 8 {
		t.Fatalf("only %d links checked", checked)
	}
}

// hasHeading: a Markdown heading of text whose GitHub anchor is anchor.
func hasHeading(text, anchor string) bool {
	for line := range strings.SplitSeq(text, "\n") {
		h := strings.TrimLeft(line, "#")
		if len(h) == len(line) || !strings.HasPrefix(h, " ") {
			continue
		}
		var b strings.Builder
		for _, r := range strings.ToLower(strings.TrimSpace(h)) {
			switch {
			case r == ' ':
				b.WriteRune('-')
			case r == '-' || r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r):
				b.WriteRune(r)
			}
		}
		if b.String() == anchor {
			return true
		}
	}
	return false
}
