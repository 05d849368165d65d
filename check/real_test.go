package check

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"yusuan"
)

// TestExtractedJSON checks the JSON Lines that `yusuan extract` wrote for a
// directory of PDFs, named by YUSUAN_CHECK_JSON (skipped otherwise: the real
// corpus is not part of the repository). It prints the report, for people.
func TestExtractedJSON(t *testing.T) {
	dir := os.Getenv("YUSUAN_CHECK_JSON")
	if dir == "" {
		t.Skip("YUSUAN_CHECK_JSON not set")
	}
	files, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	var docs []*yusuan.Document
	for _, f := range files {
		fh, err := os.Open(f)
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(fh)
		sc.Buffer(make([]byte, 64<<20), 64<<20)
		for sc.Scan() {
			var d yusuan.Document
			if err := json.Unmarshal(sc.Bytes(), &d); err != nil {
				t.Errorf("%s: %v", f, err)
				continue
			}
			docs = append(docs, &d)
		}
		fh.Close()
	}
	fs := Check(docs, Options{})
	if err := Report(os.Stdout, fs); err != nil {
		t.Fatal(err)
	}
}
