package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"yusuan"
	"yusuan/crawl"
)

func runCLI(t *testing.T, args ...string) (string, string, int) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(context.Background(), args, &out, &errb)
	return out.String(), errb.String(), code
}

const fixtures = "../../fixtures/testdata/pdf"

func TestHelp(t *testing.T) {
	out, _, code := runCLI(t, "-h")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	for _, name := range []string{"text", "extract", "ingest", "check", "export", "crawl", "harvest", "demo", "reextract", "verdict"} {
		if !strings.Contains(out, "  "+name+" ") {
			t.Errorf("help does not list %s:\n%s", name, out)
		}
	}
	if _, _, code := runCLI(t, "nonsense"); code != 2 {
		t.Errorf("unknown command: exit %d, want 2", code)
	}
	if out, _, code := runCLI(t, "text", "-h"); code != 0 || !strings.Contains(out, "--all") {
		t.Errorf("text -h: exit %d\n%s", code, out)
	}
}

func TestText(t *testing.T) {
	out, errOut, code := runCLI(t, "text", filepath.Join(fixtures, "offpage_text.pdf"))
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if !strings.Contains(out, "2026年预算收支总表") || strings.Contains(out, "打印标题行") {
		t.Errorf("visible text wrong:\n%s", out)
	}
	if !strings.Contains(errOut, "page 1: 31 characters lie outside the visible page (--all prints them)") {
		t.Errorf("no off-page warning: %s", errOut)
	}
	out, _, _ = runCLI(t, "text", "--all", filepath.Join(fixtures, "offpage_text.pdf"))
	if !strings.Contains(out, "[outside the visible page 1]") || !strings.Contains(out, "打印标题行：不可见") {
		t.Errorf("--all does not print the off-page text:\n%s", out)
	}
	out, _, _ = runCLI(t, "text", "--json", filepath.Join(fixtures, "simple_truetype_tounicode.pdf"))
	var f fileJSON
	if err := json.Unmarshal([]byte(out), &f); err != nil {
		t.Fatal(err)
	}
	if len(f.Pages) != 1 || len(f.Pages[0].Runs) == 0 || f.Pages[0].Runs[0].Text != "2026年预算收支总表" || f.Pages[0].Runs[0].Size == 0 {
		t.Errorf("json runs %+v", f.Pages)
	}
}

func TestExtractBadFiles(t *testing.T) {
	dir := t.TempDir()
	html := filepath.Join(dir, "x.pdf")
	if err := os.WriteFile(html, []byte("<html><body>404</body></html>"), 0o644); err != nil {
		t.Fatal(err)
	}
	out, errOut, code := runCLI(t, "extract", html, filepath.Join(fixtures, "gbk_euc_h.pdf"))
	if code != 1 {
		t.Errorf("exit %d, want 1 when a file failed", code)
	}
	if !strings.Contains(errOut, "not a PDF file: an HTML page") {
		t.Errorf("stderr %q", errOut)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 2 {
		t.Fatalf("%d records, want one per file", len(lines))
	}
	var bad, good yusuan.Document
	if err := json.Unmarshal([]byte(lines[0]), &bad); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(lines[1]), &good); err != nil {
		t.Fatal(err)
	}
	if bad.Error == "" || len(bad.Tables) != 0 {
		t.Errorf("bad file record %+v", bad)
	}
	if good.Error != "" || !good.TextLayer || good.Pages != 1 {
		t.Errorf("good file record %+v", good)
	}
}

// TestDemo runs `yusuan demo` end to end: portal, harvest, ingest, check.
func TestDemo(t *testing.T) {
	if testing.Short() {
		t.Skip("end to end")
	}
	dir := t.TempDir()
	out, errOut, code := runCLI(t, "demo", "--dir", dir)
	if code != 0 {
		t.Fatalf("exit %d\n%s\n%s", code, out, errOut)
	}
	for _, want := range []string{"crawl: 1 sites", "documents: 18 new (0 could not be extracted)", "check: 18 documents",
		// The planted defects give exactly five errors; any more is an
		// extraction or checking bug on the synthetic documents.
		" 5 error, 1 warning,", "planted in the synthetic documents: 5 inconsistencies"} {
		if !strings.Contains(out, want) {
			t.Errorf("demo output lacks %q:\n%s", want, out)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "yusuan.db")); err != nil {
		t.Error(err)
	}
	// The same harvest again downloads nothing new.
	out2, _, code := runCLI(t, "demo", "--dir", dir)
	if code != 0 || !strings.Contains(out2, "documents: 0 new") {
		t.Errorf("second demo run (exit %d):\n%s", code, out2)
	}
}

func TestExampleSites(t *testing.T) {
	cfg, err := crawl.LoadConfig("../../examples/sites.toml")
	if err != nil {
		t.Fatal(err)
	}
	if len(cfg.Sites) != 1 || cfg.Sites[0].Name != "czj-example" {
		t.Errorf("sites %+v", cfg.Sites)
	}
}
