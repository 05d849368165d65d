package main

// Tests that build the binary and run it, as a user or a cron job would.

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"

	"yusuan/fixtures/portal"
)

var (
	buildOnce sync.Once
	binPath   string
	buildErr  error
)

// binary builds cmd/yusuan once per test run.
func binary(t testing.TB) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds the binary")
	}
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "yusuan-bin-")
		if err != nil {
			buildErr = err
			return
		}
		binPath = filepath.Join(dir, "yusuan")
		if runtime.GOOS == "windows" {
			binPath += ".exe"
		}
		out, err := exec.Command("go", "build", "-ldflags", "-X main.version=v9.9.9-test", "-o", binPath, ".").CombinedOutput()
		if err != nil {
			buildErr = err
			t.Logf("go build: %s", out)
		}
	})
	if buildErr != nil {
		t.Fatalf("go build: %v", buildErr)
	}
	return binPath
}

// TestMain serves as the extract worker when ingest starts the test binary
// as one (os.Executable is the test binary in tests), and removes the
// built binary at the end.
func TestMain(m *testing.M) {
	if len(os.Args) > 1 && os.Args[1] == workerCommandName {
		os.Exit(run(context.Background(), os.Args[1:], os.Stdout, os.Stderr))
	}
	code := m.Run()
	if binPath != "" {
		os.RemoveAll(filepath.Dir(binPath))
	}
	os.Exit(code)
}

type result struct {
	stdout, stderr string
	code           int
}

// exe runs the binary in dir.
func exe(t *testing.T, dir string, args ...string) result {
	t.Helper()
	cmd := exec.Command(binary(t), args...)
	cmd.Dir = dir
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return result{out.String(), errb.String(), code}
}

func absFixture(t *testing.T, name string) string {
	p, err := filepath.Abs(filepath.Join(fixtures, name))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func lines(s string) []string {
	s = strings.TrimRight(s, "\n")
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}

func entries(t *testing.T, dir string) []string {
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range es {
		out = append(out, e.Name())
	}
	return out
}

func TestBinaryVersionAndHelp(t *testing.T) {
	dir := t.TempDir()
	r := exe(t, dir, "--version")
	if r.code != 0 || !strings.HasPrefix(r.stdout, "yusuan v9.9.9-test ") || !strings.Contains(r.stdout, "extractor ") || r.stderr != "" {
		t.Errorf("--version: %+v", r)
	}
	r = exe(t, dir, "-h")
	if r.code != 0 || !strings.Contains(r.stdout, "Commands:") || !strings.Contains(r.stdout, "v9.9.9-test") || r.stderr != "" {
		t.Errorf("-h: %+v", r)
	}
	for _, args := range [][]string{{"ingest", "-h"}, {"ingest", "x.pdf", "--help"}, {"help", "ingest"}, {"-v", "ingest", "-h"}} {
		r = exe(t, dir, args...)
		if r.code != 0 || !strings.HasPrefix(r.stdout, "Usage: yusuan ingest") || !strings.Contains(r.stdout, "--workers") ||
			!strings.Contains(r.stdout, "Global flags:") || r.stderr != "" {
			t.Errorf("%q: %+v", args, r)
		}
	}
	// Every command explains itself on stdout with exit 0.
	for _, c := range commands() {
		if c.hidden {
			continue
		}
		r = exe(t, dir, c.name, "-h")
		if r.code != 0 || !strings.HasPrefix(r.stdout, "Usage: yusuan "+c.name) || r.stderr != "" {
			t.Errorf("%s -h: %+v", c.name, r)
		}
	}
	// Mistakes: exit 2 and one line on stderr.
	for _, args := range [][]string{{"--bogus"}, {"ingest", "--bogus", "x.pdf"}, {"--log-format", "xml", "check"}, {"ingest"}} {
		r = exe(t, dir, args...)
		if r.code != 2 || r.stdout != "" || len(lines(r.stderr)) != 1 {
			t.Errorf("%q: exit %d, stdout %q, stderr %q", args, r.code, r.stdout, r.stderr)
		}
	}
	if r := exe(t, dir); r.code != 2 || !strings.Contains(r.stderr, "Commands:") {
		t.Errorf("no arguments: %+v", r)
	}
	if got := entries(t, dir); len(got) != 0 {
		t.Errorf("help and mistakes left %q behind", got)
	}
}

func TestBinaryFlagsAfterArguments(t *testing.T) {
	dir := t.TempDir()
	pdf := absFixture(t, "simple_truetype_tounicode.pdf")
	r := exe(t, dir, "ingest", pdf, "--db", "x.db", "--workers", "1")
	if r.code != 0 || !strings.HasPrefix(r.stdout, "1 files: 1 new") {
		t.Fatalf("ingest FILE --db x.db: %+v", r)
	}
	if got := entries(t, dir); strings.Join(got, " ") != "x.db yusuan-archive" {
		t.Fatalf("files in the working directory: %q (no stray yusuan.db)", got)
	}
	// "--" ends the flags: a file may be named like one.
	b, _ := os.ReadFile(absFixture(t, "gbk_euc_h.pdf"))
	if err := os.WriteFile(filepath.Join(dir, "--db"), b, 0o644); err != nil {
		t.Fatal(err)
	}
	r = exe(t, dir, "ingest", "--db", "x.db", "--", "--db")
	if r.code != 0 || !strings.HasPrefix(r.stdout, "1 files: 1 new") {
		t.Fatalf("ingest --db x.db -- --db: %+v", r)
	}
	// Global flags after the command and its arguments.
	r = exe(t, dir, "check", "--db", "x.db", "-q")
	if r.code != 0 || r.stderr != "" || !strings.Contains(r.stdout, "2 documents checked") {
		t.Fatalf("check --db x.db -q: %+v", r)
	}
}

func TestBinaryOnlyCreatingCommandsCreateAStore(t *testing.T) {
	dir := t.TempDir()
	for _, args := range [][]string{
		{"check", "--db", "typo.db"},
		{"export", "--db", "typo.db", "--format", "csv", "--out", "out"},
		{"reextract", "--db", "typo.db"},
		{"check"}, // the default ./yusuan.db
	} {
		r := exe(t, dir, args...)
		if r.code != 1 || len(lines(r.stderr)) != 1 || !strings.Contains(r.stderr, "no database at ") || r.stdout != "" {
			t.Errorf("%q: %+v", args, r)
		}
	}
	// A missing input file is reported before any store is made.
	if r := exe(t, dir, "ingest", "--db", "new.db", "missing.pdf"); r.code != 1 || len(lines(r.stderr)) != 1 {
		t.Errorf("ingest missing.pdf: %+v", r)
	}
	if got := entries(t, dir); len(got) != 0 {
		t.Fatalf("left behind: %q", got)
	}
}

func TestBinaryExport(t *testing.T) {
	dir := t.TempDir()
	if r := exe(t, dir, "ingest", "--db", "x.db", absFixture(t, "simple_truetype_tounicode.pdf"), "-q"); r.code != 0 {
		t.Fatalf("ingest: %+v", r)
	}
	r := exe(t, dir, "export", "--db", "x.db", "--format", "xlsm", "--out", "out")
	if r.code != 2 || len(lines(r.stderr)) != 1 || strings.Count(r.stderr, "unknown format") != 1 || strings.Contains(r.stderr, "export: export") {
		t.Errorf("unknown format: %+v", r)
	}
	if _, err := os.Stat(filepath.Join(dir, "out")); !os.IsNotExist(err) {
		t.Errorf("unknown format created the folder: %v", err)
	}
	for _, format := range []string{"xlsx", "csv", "parquet", "jsonl"} {
		r = exe(t, dir, "export", "--out", "out-"+format, "--db", "x.db", "--format", format, "--json")
		if r.code != 0 {
			t.Fatalf("export %s: %+v", format, r)
		}
		var sum struct {
			Format string `json:"format"`
			Dir    string `json:"dir"`
			Files  []struct {
				Name  string `json:"name"`
				Rows  int    `json:"rows"`
				Bytes int64  `json:"bytes"`
			} `json:"files"`
			Seconds *float64 `json:"seconds"`
		}
		if err := json.Unmarshal([]byte(r.stdout), &sum); err != nil || len(lines(r.stdout)) != 1 {
			t.Fatalf("export --json: %v\n%s", err, r.stdout)
		}
		if sum.Format != format || sum.Dir != "out-"+format || sum.Seconds == nil || len(sum.Files) < 2 || sum.Files[len(sum.Files)-1].Name != "README.md" {
			t.Fatalf("export --json: %+v", sum)
		}
		for _, f := range sum.Files {
			info, err := os.Stat(filepath.Join(dir, sum.Dir, f.Name))
			if err != nil || info.Size() != f.Bytes {
				t.Errorf("%s: %v, size %d in the summary", f.Name, err, f.Bytes)
			}
		}
	}
}

// TestBinaryOneLogFormat: every line on stderr comes from the one handler,
// in the format asked for, whether the flag is before or after the command.
func TestBinaryOneLogFormat(t *testing.T) {
	dir := t.TempDir()
	pdf := absFixture(t, "simple_truetype_tounicode.pdf")
	r := exe(t, dir, "ingest", "--db", "x.db", pdf)
	r2 := exe(t, dir, "check", "--db", "x.db")
	text := lines(r.stderr + r2.stderr)
	if len(text) < 3 {
		t.Fatalf("stderr %q", text)
	}
	for _, l := range text {
		if !strings.HasPrefix(l, "time=") || !strings.Contains(l, " level=") {
			t.Errorf("not a text log line: %q", l)
		}
	}
	for _, args := range [][]string{
		{"--log-format", "json", "check", "--db", "x.db"},
		{"check", "--db", "x.db", "--log-format=json"},
		{"-v", "ingest", "--db", "x.db", pdf, "--log-format", "json"},
	} {
		r := exe(t, dir, args...)
		ls := lines(r.stderr)
		if r.code != 0 || len(ls) == 0 {
			t.Fatalf("%q: %+v", args, r)
		}
		for _, l := range ls {
			var rec map[string]any
			if err := json.Unmarshal([]byte(l), &rec); err != nil || rec["level"] == nil || rec["msg"] == nil {
				t.Errorf("%q: not a JSON log line: %q", args, l)
			}
		}
	}
	// -v shows the debug line of each file; -q leaves only warnings.
	if r := exe(t, dir, "ingest", "-v", "--db", "x.db", pdf); !strings.Contains(r.stderr, "level=DEBUG msg=ingest file=simple_truetype_tounicode.pdf") {
		t.Errorf("-v: %q", r.stderr)
	}
	if r := exe(t, dir, "-q", "ingest", "--db", "x.db", pdf); r.stderr != "" || r.code != 0 {
		t.Errorf("-q: %+v", r)
	}
}

func TestBinaryIngestJSON(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.pdf")
	if err := os.WriteFile(bad, []byte("<html>404</html>"), 0o644); err != nil {
		t.Fatal(err)
	}
	r := exe(t, dir, "ingest", "--json", "--db", "x.db", absFixture(t, "simple_truetype_tounicode.pdf"), bad)
	var sum map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &sum); err != nil {
		t.Fatalf("%v: %q", err, r.stdout)
	}
	if r.code != 1 || sum["files"] != 2.0 || sum["new"] != 1.0 || sum["failed"] != 1.0 || sum["known"] != 0.0 ||
		sum["bytes"].(float64) <= 0 || sum["db"] != filepath.Join(dir, "x.db") {
		t.Fatalf("exit %d, summary %v", r.code, sum)
	}
}

// TestBinaryHarvestJSON harvests the fixture portal and parses the
// summary a cron wrapper would read.
func TestBinaryHarvestJSON(t *testing.T) {
	dir := t.TempDir()
	// A bad configuration: exit 2, a summary saying so, nothing created.
	for _, cmd := range []string{"harvest", "crawl"} {
		r := exe(t, dir, cmd, "--json", "--config", "missing.toml", "--db", "h.db")
		var bad struct {
			ExitCode int    `json:"exit_code"`
			Error    string `json:"error"`
		}
		if err := json.Unmarshal([]byte(r.stdout), &bad); err != nil || r.code != 2 || bad.ExitCode != 2 || bad.Error == "" || len(entries(t, dir)) != 0 {
			t.Fatalf("%s with a missing config: %v %+v", cmd, err, r)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	p, err := portal.Start(ctx, portal.Options{ListPages: 2, SlowDelay: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	if err := os.WriteFile(filepath.Join(dir, "sites.toml"), []byte(p.SitesTOML("fixture")), 0o644); err != nil {
		t.Fatal(err)
	}
	r := exe(t, dir, "harvest", "--json", "--config", "sites.toml", "--db", "h.db", "-q")
	var sum struct {
		Crawl struct {
			Sites    []string       `json:"sites"`
			FilesNew int            `json:"files_new"`
			Failures map[string]int `json:"failures"`
		} `json:"crawl"`
		Documents struct{ New, Failed, Total int } `json:"documents"`
		Check     *struct {
			Documents int            `json:"documents"`
			Findings  map[string]int `json:"findings"`
			New       int            `json:"new"`
		} `json:"check"`
		ExitCode int `json:"exit_code"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &sum); err != nil || len(lines(r.stdout)) != 1 {
		t.Fatalf("%v:\n%s\n%s", err, r.stdout, r.stderr)
	}
	if sum.ExitCode != r.code || len(sum.Crawl.Sites) != 1 || sum.Crawl.FilesNew == 0 || sum.Documents.Total == 0 ||
		sum.Documents.New != sum.Documents.Total || sum.Check == nil || sum.Check.Documents != sum.Documents.Total {
		t.Fatalf("exit %d, summary %+v\n%s", r.code, sum, r.stdout)
	}
	// crawl --json: the crawl report alone; the second night finds nothing new.
	r = exe(t, dir, "crawl", "--json", "--config", "sites.toml", "--db", "h.db", "-q")
	var c struct {
		FilesNew       int `json:"files_new"`
		FilesUnchanged int `json:"files_unchanged"`
		ExitCode       int `json:"exit_code"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &c); err != nil || c.ExitCode != r.code || c.FilesNew != 0 || c.FilesUnchanged == 0 {
		t.Fatalf("crawl --json: %v %+v\n%s", err, c, r.stdout)
	}
}
