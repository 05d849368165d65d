package narrative

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// corpusDir points at a folder of real disclosures (PDFs) to measure fact
// recall on; the test is skipped without it, so the suite stays offline.
// It needs pdftotext (poppler-utils).
//
//	go test ./extract/narrative -run TestCorpus -corpus=/path/to/pdfs -v
var corpusDir = flag.String("corpus", "", "folder of real PDFs to report facts for")

func TestCorpus(t *testing.T) {
	if *corpusDir == "" {
		t.Skip("no -corpus folder given")
	}
	files, _ := filepath.Glob(filepath.Join(*corpusDir, "*.pdf"))
	for _, f := range files {
		out, err := exec.Command("pdftotext", "-layout", f, "-").Output()
		if err != nil {
			t.Logf("%s: %v", f, err)
			continue
		}
		secs, facts, src, warns, _ := Parse(context.Background(), pagesToLines(string(out)))
		std := 0
		for _, k := range StandardKeys() {
			if _, ok := facts[k]; ok {
				std++
			}
		}
		fmt.Printf("=== %s: %d sections, %d facts (%d of %d standard keys)\n", filepath.Base(f), len(secs), len(facts), std, len(StandardKeys()))
		keys := make([]string, 0, len(facts))
		for k := range facts {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, s := range src {
			sent := []rune(s.Sentence)
			if len(sent) > 90 {
				sent = sent[:90]
			}
			fmt.Printf("  %-28s %-12s p%-3d %s\n", s.Key, s.Value, s.Page, string(sent))
		}
		for _, w := range warns {
			fmt.Println("  warn:", w)
		}
		year := 0
		if m := regexp.MustCompile(`_((?:19|20)\d\d)_`).FindStringSubmatch(filepath.Base(f)); m != nil {
			year, _ = strconv.Atoi(m[1])
		}
		for _, n := range Boilerplate(secs, year) {
			fmt.Println("  note:", n)
		}
		if os.Getenv("NARRATIVE_SECTIONS") != "" {
			for _, s := range secs {
				fmt.Printf("  [%d] %s :: %.60s\n", s.Page, s.Heading, strings.ReplaceAll(s.Text, "\n", "⏎"))
			}
		}
	}
}
