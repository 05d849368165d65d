package export_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/parquet-go/parquet-go"

	"yusuan"
	"yusuan/export"
	"yusuan/ingest"
	"yusuan/ingest/fakepdf"
	"yusuan/store"
)

// fixture is a store with five fake documents, a failed one and a check run.
func fixture(t testing.TB) *store.Store {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	st, err := store.Open(ctx, filepath.Join(dir, "yusuan.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	p := &ingest.Pipeline{Store: st, Extractor: fakepdf.Extractor{}}
	for seed := range 5 {
		src := store.Source{File: fmt.Sprintf("d%d.pdf", seed), URL: fmt.Sprintf("https://czj.example.gov.cn/%d.pdf", seed), LinkText: "预算公开"}
		if _, err := p.Bytes(ctx, fakepdf.File(seed), src); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := p.Bytes(ctx, []byte("<html>这不是PDF</html>"), store.Source{File: "bad.pdf"}); err != nil {
		t.Fatal(err)
	}
	docs, _ := st.Documents(ctx, store.Filter{Status: store.StatusOK})
	_, err = st.SaveFindings(ctx, store.CheckRun{}, []yusuan.Finding{{Rule: "summary.balance", Severity: yusuan.SeverityError,
		Documents: []yusuan.DocRef{{SHA256: docs[0].SHA256, File: docs[0].File, Entity: docs[0].Entity, Year: docs[0].Year},
			{SHA256: docs[1].SHA256, File: docs[1].File, Entity: docs[1].Entity, Year: docs[1].Year}},
		Tables: []string{"income_expenditure_summary"}, Message: "收入总计 108.32 ≠ 支出总计 108.22", Expected: "108.22", Actual: "108.32", Pages: []int{3}}})
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func readCSV(t *testing.T, path string) []map[string]string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(b, []byte("\ufeff")) {
		t.Fatalf("%s: no UTF-8 BOM", path)
	}
	recs, err := csv.NewReader(bytes.NewReader(b[3:])).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var out []map[string]string
	for _, r := range recs[1:] {
		m := map[string]string{}
		for i, h := range recs[0] {
			m[h] = r[i]
		}
		out = append(out, m)
	}
	return out
}

type cellKey struct {
	sha        string
	table, row int
	col        string
}

// expectedCells lists every amount of money in every stored document (a
// number in a table with a unit), from the documents themselves, and the
// other printed cells (text, numbers without a unit) by their text.
func expectedCells(t *testing.T, st *store.Store) (money map[cellKey]yusuan.Amount, other map[cellKey]string) {
	money, other = map[cellKey]yusuan.Amount{}, map[cellKey]string{}
	for doc, err := range st.AllDocuments(context.Background(), store.Filter{}) {
		if err != nil {
			t.Fatal(err)
		}
		for ti, tb := range doc.Tables {
			for ri, r := range tb.Rows {
				for col, a := range r.Values {
					k := cellKey{doc.SHA256, ti, ri, col}
					switch {
					case !a.IsNull() && tb.Unit != "":
						money[k] = a
					case r.Raw[col] != "":
						other[k] = r.Raw[col]
					case !a.IsNull():
						other[k] = a.String()
					}
				}
			}
		}
	}
	return money, other
}

// tableUnits maps document and table to the table's printed unit.
func tableUnits(t *testing.T, st *store.Store) map[cellKey]yusuan.Unit {
	out := map[cellKey]yusuan.Unit{}
	for doc, err := range st.AllDocuments(context.Background(), store.Filter{}) {
		if err != nil {
			t.Fatal(err)
		}
		for ti, tb := range doc.Tables {
			out[cellKey{sha: doc.SHA256, table: ti}] = yusuan.Unit(tb.Unit)
		}
	}
	return out
}

func TestCSVCellsEqualDocumentsToTheFen(t *testing.T) {
	st := fixture(t)
	out := t.TempDir()
	if _, err := export.Write(context.Background(), st, "csv", out); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"documents", "sources", "entities", "tables", "rows", "cells", "other_cells", "facts", "findings"} {
		if _, err := os.Stat(filepath.Join(out, name+".csv")); err != nil {
			t.Errorf("missing %s.csv", name)
		}
	}
	want, wantOther := expectedCells(t, st)
	units := tableUnits(t, st)
	cells := readCSV(t, filepath.Join(out, "cells.csv"))
	if len(cells) != len(want) || len(cells) < 5*250 {
		t.Fatalf("%d cells exported, documents have %d", len(cells), len(want))
	}
	other := readCSV(t, filepath.Join(out, "other_cells.csv"))
	if len(other) != len(wantOther) {
		t.Fatalf("%d other cells exported, documents have %d", len(other), len(wantOther))
	}
	for _, c := range other {
		ti, _ := strconv.Atoi(c["table_seq"])
		ri, _ := strconv.Atoi(c["row_seq"])
		if w, ok := wantOther[cellKey{c["sha256"], ti, ri, c["col"]}]; !ok || export.Neutralize(w) != c["text"] {
			t.Fatalf("other cell %v: text %q, document %q", c, c["text"], w)
		}
	}
	for _, c := range cells {
		ti, _ := strconv.Atoi(c["table_seq"])
		ri, _ := strconv.Atoi(c["row_seq"])
		k := cellKey{c["sha256"], ti, ri, c["col"]}
		a, ok := want[k]
		if !ok {
			t.Fatalf("exported cell %v not in the document", k)
		}
		if c["amount"] != a.String() {
			t.Fatalf("%v: amount %q, document %q", k, c["amount"], a)
		}
		unit := yusuan.Unit(c["unit"])
		if unit != units[cellKey{sha: k.sha, table: ti}] {
			t.Fatalf("%v: unit %s", k, unit)
		}
		fen, err := a.Fen(unit)
		if err != nil {
			t.Fatal(err)
		}
		if c["fen"] != strconv.FormatInt(fen, 10) {
			t.Fatalf("%v: fen %s, document %s %s = %d fen", k, c["fen"], a, unit, fen)
		}
		yuan := yusuan.MustAmount(c["yuan"])
		if !yuan.Decimal().Equal(a.Decimal().Mul(yusuan.MustAmount(strconv.FormatInt(unit.FenPer()/100, 10)).Decimal())) {
			t.Fatalf("%v: yuan %s for %s %s", k, c["yuan"], a, unit)
		}
		if c["places"] != strconv.Itoa(a.Places()) {
			t.Fatalf("%v: places %s", k, c["places"])
		}
	}
	docs := readCSV(t, filepath.Join(out, "documents.csv"))
	if len(docs) != 6 || docs[0]["first_url"] != "https://czj.example.gov.cn/0.pdf" || docs[5]["status"] != "failed" ||
		!strings.HasPrefix(docs[5]["error"], "not a PDF") || docs[0]["tables"] != "13" || docs[0]["text_layer"] != "true" {
		t.Fatalf("documents.csv: %v", docs)
	}
	f := readCSV(t, filepath.Join(out, "findings.csv"))
	if len(f) != 1 || f[0]["rule"] != "summary.balance" || f[0]["sha256"] != docs[0]["sha256"] || !strings.Contains(f[0]["documents"], docs[1]["sha256"]) {
		t.Fatalf("findings.csv: %v", f)
	}
	facts := readCSV(t, filepath.Join(out, "facts.csv"))
	if len(facts) != 5*7 {
		t.Fatalf("%d facts", len(facts))
	}
	for _, fr := range facts {
		if fr["key"] == "yoy_change_pct" && (fr["unit"] != "%" || fr["fen"] != "") {
			t.Fatalf("percent fact: %v", fr)
		}
	}
}

func TestParquetRoundTrip(t *testing.T) {
	st := fixture(t)
	out := t.TempDir()
	if _, err := export.Write(context.Background(), st, "parquet", out); err != nil {
		t.Fatal(err)
	}
	cells, err := parquet.ReadFile[export.CellRow](filepath.Join(out, "cells.parquet"))
	if err != nil {
		t.Fatal(err)
	}
	want, _ := expectedCells(t, st)
	if len(cells) != len(want) {
		t.Fatalf("%d cells in parquet, documents have %d", len(cells), len(want))
	}
	for _, c := range cells {
		k := cellKey{c.SHA256, int(c.TableSeq), int(c.RowSeq), c.Column}
		a, ok := want[k]
		if !ok || c.Amount != a.String() {
			t.Fatalf("%v: amount %v, document %q", k, c.Amount, a)
		}
		fen, _ := a.Fen(yusuan.Unit(c.Unit))
		if c.Fen != fen || c.Yuan != fen {
			t.Fatalf("%v: fen %v yuan %v, want %d", k, c.Fen, c.Yuan, fen)
		}
	}
	// The yuan column is a DECIMAL(18,2), which DuckDB and pandas read exactly.
	f, err := os.Open(filepath.Join(out, "cells.parquet"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	info, _ := f.Stat()
	pf, err := parquet.OpenFile(f, info.Size())
	if err != nil {
		t.Fatal(err)
	}
	col, ok := pf.Schema().Lookup("yuan")
	if !ok {
		t.Fatal("no yuan column")
	}
	if lt := col.Node.Type().LogicalType(); lt == nil || lt.String() != "DECIMAL(18,2)" {
		t.Fatalf("yuan logical type %+v", lt)
	}
	docs, err := parquet.ReadFile[export.DocumentRow](filepath.Join(out, "documents.parquet"))
	if err != nil || len(docs) != 6 || docs[0].Tables != 13 || docs[5].Status != "failed" {
		t.Fatalf("documents.parquet: %d rows, %v", len(docs), err)
	}
	for _, name := range []string{"sources", "entities", "tables", "rows", "other_cells", "facts", "findings"} {
		if _, err := os.Stat(filepath.Join(out, name+".parquet")); err != nil {
			t.Errorf("missing %s.parquet", name)
		}
	}
	findings, err := parquet.ReadFile[export.FindingRow](filepath.Join(out, "findings.parquet"))
	if err != nil || len(findings) != 1 || findings[0].Year == 0 {
		t.Fatalf("findings.parquet: %+v %v", findings, err)
	}
}

func TestJSONLIsTheExtractShapeWithProvenance(t *testing.T) {
	st := fixture(t)
	out := t.TempDir()
	ctx := context.Background()
	if _, err := export.Write(ctx, st, "jsonl", out); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(filepath.Join(out, "documents.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 64<<20)
	n := 0
	for sc.Scan() {
		var line struct {
			SHA256     string         `json:"sha256"`
			Provenance []store.Source `json:"provenance"`
		}
		if err := json.Unmarshal(sc.Bytes(), &line); err != nil {
			t.Fatal(err)
		}
		var doc yusuan.Document
		json.Unmarshal(sc.Bytes(), &doc)
		got, _ := json.Marshal(doc)
		want, _ := st.DocumentJSON(ctx, line.SHA256)
		if !bytes.Equal(got, want) {
			t.Fatalf("%s: jsonl document differs from the stored extract", line.SHA256)
		}
		if len(line.Provenance) != 1 || line.Provenance[0].File == "" {
			t.Fatalf("%s: provenance %+v", line.SHA256, line.Provenance)
		}
		n++
	}
	if n != 6 {
		t.Fatalf("%d lines", n)
	}
	fl, _ := os.ReadFile(filepath.Join(out, "findings.jsonl"))
	var fd yusuan.Finding
	if err := json.Unmarshal(fl, &fd); err != nil || fd.Rule != "summary.balance" || len(fd.Documents) != 2 {
		t.Fatalf("findings.jsonl: %s", fl)
	}
}

func TestUnknownFormatCreatesNothing(t *testing.T) {
	st := fixture(t)
	out := filepath.Join(t.TempDir(), "out")
	_, err := export.Write(context.Background(), st, "xlsm", out)
	if !errors.Is(err, export.ErrUnknownFormat) || err.Error() != `unknown format "xlsm" (want one of csv, jsonl, parquet, xlsx)` {
		t.Fatalf("err = %v", err)
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Fatalf("the folder was created: %v", err)
	}
}

var _ = io.Discard
