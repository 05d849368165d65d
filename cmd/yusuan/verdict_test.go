package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"yusuan"
	"yusuan/ingest"
	"yusuan/ingest/fakepdf"
	"yusuan/store"
)

// fakeDB is a database of a few fake documents (no PDF extraction).
func fakeDB(t *testing.T) string {
	t.Helper()
	ctx := context.Background()
	db := filepath.Join(t.TempDir(), "yusuan.db")
	st, err := store.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	p := &ingest.Pipeline{Store: st, Extractor: fakepdf.Extractor{}}
	for seed := range 3 {
		if _, err := p.Bytes(ctx, fakepdf.File(seed), store.Source{File: fmt.Sprintf("d%d.pdf", seed)}); err != nil {
			t.Fatal(err)
		}
	}
	return db
}

func jsonFindings(t *testing.T, out string) map[string]yusuan.Finding {
	t.Helper()
	m := map[string]yusuan.Finding{}
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		var f yusuan.Finding
		if err := json.Unmarshal([]byte(line), &f); err != nil {
			t.Fatalf("%v: %s", err, line)
		}
		m[f.ID] = f
	}
	return m
}

// A verdict given on the command line is stored, kept by the next check,
// hides the false alarm from its output and reaches the export.
func TestVerdictRoundTrip(t *testing.T) {
	db := fakeDB(t)
	out, errOut, code := runCLI(t, "check", "--db", db, "--json")
	if code != 0 {
		t.Fatalf("check: exit %d %s", code, errOut)
	}
	before := jsonFindings(t, out)
	var id string
	for k, f := range before {
		if f.Severity == yusuan.SeverityError && (id == "" || k < id) {
			id = k
		}
	}
	if id == "" {
		t.Fatal("no error finding")
	}
	// The id as the report prints it, flags after the arguments.
	out, errOut, code = runCLI(t, "verdict", "--db", db, id[:14], "false-alarm", "--note", "表格列读错", "--by", "张三")
	if code != 0 || !strings.Contains(out, id) || !strings.Contains(out, "false-alarm by 张三: 表格列读错") {
		t.Fatalf("verdict: exit %d\n%s\n%s", code, out, errOut)
	}
	out, _, _ = runCLI(t, "check", "--db", db, "--json")
	after := jsonFindings(t, out)
	if _, shown := after[id]; shown || len(after) != len(before)-1 {
		t.Errorf("false alarm still shown (%d findings, %d before)", len(after), len(before))
	}
	out, _, _ = runCLI(t, "check", "--db", db, "--json", "--all")
	all := jsonFindings(t, out)
	if v := all[id].Verdict; v == nil || v.Verdict != yusuan.VerdictFalseAlarm || v.Note != "表格列读错" || v.By != "张三" || v.Stale {
		t.Errorf("--all: verdict %+v", v)
	}
	out, _, _ = runCLI(t, "check", "--db", db)
	if strings.Contains(out, id[:14]) || !strings.Contains(out, "1 false alarms hidden (--all shows them)") {
		t.Errorf("report:\n%s", out)
	}
	dir := t.TempDir()
	if _, errOut, code := runCLI(t, "export", "--db", db, "--format", "csv", "--out", dir); code != 0 {
		t.Fatalf("export: %s", errOut)
	}
	b, err := os.ReadFile(filepath.Join(dir, "findings.csv"))
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(b, []byte("\ufeff")))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, h := range recs[0] {
		col[h] = i
	}
	found := false
	for _, r := range recs[1:] {
		if r[col["id"]] == id {
			found = r[col["verdict"]] == "false-alarm" && r[col["verdict_note"]] == "表格列读错" && r[col["verdict_by"]] == "张三"
		}
	}
	if !found || len(recs)-1 != len(before) {
		t.Errorf("findings.csv: %d rows (want %d), verdict exported: %v", len(recs)-1, len(before), found)
	}
	// Showing a finding lists its verdicts.
	if out, _, code := runCLI(t, "verdict", "--db", db, id); code != 0 || !strings.Contains(out, "false-alarm by 张三") {
		t.Errorf("show: exit %d\n%s", code, out)
	}
}

func TestVerdictErrors(t *testing.T) {
	db := fakeDB(t)
	if _, errOut, code := runCLI(t, "check", "--db", db, "--json"); code != 0 {
		t.Fatal(errOut)
	}
	for _, c := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"verdict", "--db", db, "f-00000000", "confirmed", "--by", "x"}, 1, "no finding has id"},
		{[]string{"verdict", "--db", db, "f-00000000", "maybe"}, 2, "want confirmed, false-alarm or explained"},
		{[]string{"verdict", "--db", db}, 2, "want a finding id"},
		{[]string{"verdict", "--db", filepath.Join(t.TempDir(), "none.db"), "f-00000000", "confirmed", "--by", "x"}, 1, "no database at"},
	} {
		_, errOut, code := runCLI(t, c.args...)
		if code != c.code || !strings.Contains(errOut, c.want) {
			t.Errorf("%v: exit %d, want %d; stderr %q", c.args[1:], code, c.code, errOut)
		}
	}
}

func TestCheckFailOn(t *testing.T) {
	db := fakeDB(t)
	if _, _, code := runCLI(t, "check", "--db", db, "--fail-on", "error"); code != 1 {
		t.Errorf("--fail-on error with errors: exit %d", code)
	}
	if _, _, code := runCLI(t, "check", "--db", db, "--rule", "completeness.text_layer", "--fail-on", "warning"); code != 0 {
		t.Errorf("--fail-on warning without findings: exit %d", code)
	}
	if _, _, code := runCLI(t, "check", "--db", db, "--fail-on", "info"); code != 2 {
		t.Errorf("--fail-on info: exit %d", code)
	}
}
