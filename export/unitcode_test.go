package export_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"yusuan"
	"yusuan/export"
	"yusuan/store"
)

// TestRowsCarryUnitCode: a row's unit_code (单位编码) reaches rows.csv.
func TestRowsCarryUnitCode(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "yusuan.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	doc := &yusuan.Document{Schema: 1, SHA256: strings.Repeat("a", 64), File: "u.pdf", Pages: 1, TextLayer: true,
		Meta: yusuan.Meta{Entity: "苏州市交通运输局", Scope: yusuan.ScopeDepartment, Kind: yusuan.KindBudget, Year: 2026},
		Tables: []yusuan.Table{{Kind: yusuan.IncomeSummary, Title: "收入总表", Pages: []int{9}, Unit: "万元", Columns: []string{"total"},
			Rows: []yusuan.Row{{UnitCode: "123001", Name: "苏州市交通运输局", Values: map[string]yusuan.Amount{"total": yusuan.MustAmount("201457.56")}, Page: 9}}}}}
	if _, err := st.PutDocument(ctx, doc, 100, store.Source{File: "u.pdf"}); err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	if _, err := export.Write(ctx, st, "csv", out); err != nil {
		t.Fatal(err)
	}
	rows := readCSV(t, filepath.Join(out, "rows.csv"))
	if len(rows) != 1 || rows[0]["unit_code"] != "123001" || rows[0]["code"] != "" {
		t.Fatalf("rows.csv: %v", rows)
	}
}
