package main

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// serve refuses to listen beyond loopback without auth, before touching
// any database; a missing database is an error, never created.
func TestServeRefuses(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "none.db")
	for _, c := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"serve", "--db", missing, "--addr", "0.0.0.0:8080"}, 2, "--auth"},
		{[]string{"serve", "--db", missing, "--addr", ":8080"}, 2, "every interface"},
		{[]string{"serve", "--db", missing, "--addr", "0.0.0.0:8080", "--auth", "nopassword"}, 2, "user:password"},
		{[]string{"serve", "--db", missing, "--auth", "a:longenough", "--auth-file", "x"}, 2, "not both"},
		{[]string{"serve", "--db", missing}, 1, "no database at"},
		{[]string{"report", "--db", missing, "--out", "x.html"}, 2, "--html is required"},
		{[]string{"report", "--db", missing, "--html"}, 2, "--out FILE is required"},
		{[]string{"report", "--db", missing, "--html", "--out", "x.html", "--severity", "fatal"}, 2, "want error, warning or info"},
		{[]string{"report", "--db", missing, "--html", "--out", "x.html"}, 1, "no database at"},
	} {
		_, errOut, code := runCLI(t, c.args...)
		if code != c.code || !strings.Contains(errOut, c.want) {
			t.Errorf("%v: exit %d, want %d; stderr %q", c.args, code, c.code, errOut)
		}
	}
	if _, err := os.Stat(missing); err == nil {
		t.Error("a database was created")
	}
}

// serve answers on the address it prints and stops cleanly when its
// context ends (SIGINT, SIGTERM).
func TestServeRunsAndStops(t *testing.T) {
	db := fakeDB(t)
	if _, errOut, code := runCLI(t, "check", "--db", db); code != 0 {
		t.Fatal(errOut)
	}
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	pr, pw := io.Pipe()
	done := make(chan int, 1)
	go func() {
		code := run(ctx, []string{"serve", "--db", db, "--addr", "127.0.0.1:0", "-q"}, pw, io.Discard)
		pw.Close()
		done <- code
	}()
	line, err := bufio.NewReader(pr).ReadString('\n')
	if err != nil {
		t.Fatal(err)
	}
	go io.Copy(io.Discard, pr)
	url := regexp.MustCompile(`http://127\.0\.0\.1:[0-9]+/`).FindString(line)
	if url == "" {
		t.Fatalf("no address in %q", line)
	}
	resp, err := http.Get(url + "findings")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Security-Policy") == "" {
		t.Errorf("GET /findings: %d", resp.StatusCode)
	}
	cancel()
	if code := <-done; code != 0 {
		t.Errorf("exit %d after the context ended", code)
	}
}

// report --html writes the file and says what it holds; documents whose
// originals cannot be drawn (these fake ones are not PDFs) say so.
func TestReportHTML(t *testing.T) {
	db := fakeDB(t)
	if _, errOut, code := runCLI(t, "check", "--db", db); code != 0 {
		t.Fatal(errOut)
	}
	out := filepath.Join(t.TempDir(), "report.html")
	stdout, errOut, code := runCLI(t, "report", "--html", "--out", out, "--db", db, "--severity", "warning")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	html := string(b)
	if !strings.HasPrefix(html, "<!doctype html>") || !strings.Contains(html, "severity ≥ warning") ||
		!regexp.MustCompile(`report\.html: [1-9][0-9]* findings in [1-9][0-9]* documents`).MatchString(stdout) {
		t.Errorf("stdout %q; the file starts %.200s", stdout, html)
	}
	if info, _ := os.Stat(out); info.Mode().Perm() != 0o644 {
		t.Errorf("mode %v", info.Mode().Perm())
	}
}
