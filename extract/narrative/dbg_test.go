package narrative

import (
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
)

func TestDbg(t *testing.T) {
	f := os.Getenv("DBG")
	if f == "" {
		t.Skip()
	}
	out, _ := exec.Command("pdftotext", "-layout", f, "-").Output()
	secs := buildSections(pagesToLines(string(out)), nil)
	for _, s := range secs {
		fmt.Printf("[%d] %s\n", s.page, s.heading)
		for _, se := range sentencesOf(s) {
			if strings.Contains(se.norm, os.Getenv("DBGQ")) {
				fmt.Printf("    %d %s\n", se.page, se.norm)
			}
		}
	}
}

func TestDbg3(t *testing.T) {
	f := os.Getenv("DBG")
	if f == "" {
		t.Skip()
	}
	out, _ := exec.Command("pdftotext", "-layout", f, "-").Output()
	_, facts, src, w := Parse(pagesToLines(string(out)))
	fmt.Println(facts)
	for _, s := range src {
		fmt.Println(s.Key, s.Value, s.Sentence)
	}
	fmt.Println(w)
}
