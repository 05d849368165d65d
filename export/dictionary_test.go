package export_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/parquet-go/parquet-go"
	"github.com/xuri/excelize/v2"

	"yusuan/export"
)

var update = flag.Bool("update", false, "rewrite docs/data-dictionary.md from export.Dictionary")

const docsDictionary = "../docs/data-dictionary.md"

// TestDictionaryInRepositoryIsCurrent: docs/data-dictionary.md is the text
// every export writes (go test ./export -update rewrites it).
func TestDictionaryInRepositoryIsCurrent(t *testing.T) {
	want := export.Dictionary()
	if *update {
		if err := os.WriteFile(docsDictionary, []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(docsDictionary)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != want {
		t.Fatalf("%s is out of date: go test ./export -run Dictionary -update", docsDictionary)
	}
}

// documented parses a dictionary: each "### section" → its columns (the
// first cell of a table line, in backquotes) that have a meaning.
func documented(t *testing.T, text string) map[string]map[string]bool {
	t.Helper()
	out := map[string]map[string]bool{}
	section := ""
	row := regexp.MustCompile("^\\| `([^`]+)` \\|(.*)\\|\\s*$")
	for line := range strings.SplitSeq(text, "\n") {
		if h, ok := strings.CutPrefix(line, "### "); ok {
			section = h
			continue
		}
		if h, ok := strings.CutPrefix(line, "## "); ok {
			section = h
			continue
		}
		m := row.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		cells := strings.Split(m[2], "|")
		if strings.TrimSpace(cells[len(cells)-1]) == "" {
			continue // no meaning
		}
		if out[section] == nil {
			out[section] = map[string]bool{}
		}
		out[section][m[1]] = true
	}
	return out
}

// TestEveryWrittenColumnIsInTheDictionary exports in every format and
// checks each column (CSV header, Parquet schema, XLSX sheet header, JSON
// Lines key) against the README.md written beside it.
func TestEveryWrittenColumnIsInTheDictionary(t *testing.T) {
	st := hostileStore(t)
	ctx := context.Background()
	for _, format := range export.Formats {
		t.Run(format, func(t *testing.T) {
			out := t.TempDir()
			sum, err := export.Write(ctx, st, format, out)
			if err != nil {
				t.Fatal(err)
			}
			readme, err := os.ReadFile(filepath.Join(out, "README.md"))
			if err != nil || string(readme) != export.Dictionary() {
				t.Fatalf("README.md missing or not the dictionary: %v", err)
			}
			doc := documented(t, string(readme))
			keys := doc["Column keys"]
			reported := map[string]bool{}
			check := func(file, section, col string) {
				if !doc[section][col] && !reported[file+"/"+col] {
					reported[file+"/"+col] = true
					t.Errorf("%s: column %q is not in the data dictionary (section %q; export/dictionary.go)", file, col, section)
				}
			}
			written := 0
			for _, f := range sum.Files {
				path := filepath.Join(out, f.Name)
				base, ext, _ := strings.Cut(f.Name, ".")
				switch ext {
				case "csv":
					b, _ := os.ReadFile(path)
					header, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(b, []byte("\ufeff")))).Read()
					if err != nil {
						t.Fatal(err)
					}
					for _, c := range header {
						check(f.Name, base, c)
						written++
					}
				case "parquet":
					fh, err := os.Open(path)
					if err != nil {
						t.Fatal(err)
					}
					info, _ := fh.Stat()
					pf, err := parquet.OpenFile(fh, info.Size())
					if err != nil {
						t.Fatal(err)
					}
					for _, field := range pf.Schema().Fields() {
						check(f.Name, base, field.Name())
						written++
					}
					fh.Close()
				case "xlsx":
					x, err := excelize.OpenFile(path)
					if err != nil {
						t.Fatal(err)
					}
					for _, sheet := range x.GetSheetList() {
						rows, err := x.GetRows(sheet)
						if err != nil {
							t.Fatal(err)
						}
						if doc[sheet] != nil {
							for _, c := range rows[0] {
								check(sheet, sheet, c)
								written++
							}
							continue
						}
						// A table-kind sheet: its fixed columns, then column keys.
						if !doc["Table kinds"][kindOfSheet(t, string(readme), sheet)] {
							t.Errorf("sheet %q is not a table kind of the dictionary", sheet)
						}
						for _, c := range rows[0] {
							written++
							if doc["yusuan.xlsx"][c] {
								continue
							}
							key := regexp.MustCompile(`_[0-9]+$`).ReplaceAllString(c, "")
							if !keys[key] && !regexp.MustCompile(`^col[0-9a-z]+$`).MatchString(c) && isASCII(c) {
								t.Errorf("sheet %s: column %q is neither documented nor a column key", sheet, c)
							}
						}
					}
					x.Close()
				case "jsonl":
					fh, err := os.Open(path)
					if err != nil {
						t.Fatal(err)
					}
					sc := bufio.NewScanner(fh)
					sc.Buffer(nil, 64<<20)
					for sc.Scan() {
						var line map[string]json.RawMessage
						if err := json.Unmarshal(sc.Bytes(), &line); err != nil {
							t.Fatal(err)
						}
						for k := range line {
							check(f.Name, f.Name, k)
							written++
						}
					}
					fh.Close()
				case "md":
				default:
					t.Errorf("unexpected file %s", f.Name)
				}
			}
			if written < 30 {
				t.Fatalf("only %d columns seen", written)
			}
		})
	}
}

// kindOfSheet finds the kind whose sheet name is sheet in the dictionary's
// Table kinds table.
func kindOfSheet(t *testing.T, readme, sheet string) string {
	m := regexp.MustCompile("(?m)^\\| `([a-z_]+)` \\| " + regexp.QuoteMeta(sheet) + " \\|$").FindStringSubmatch(readme)
	if m == nil {
		return ""
	}
	return m[1]
}

func isASCII(s string) bool {
	for _, r := range s {
		if r > 127 {
			return false
		}
	}
	return true
}
