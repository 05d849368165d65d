package xlsx

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

func TestAppendColumn(t *testing.T) {
	for i, want := range map[int]string{0: "A", 25: "Z", 26: "AA", 51: "AZ", 52: "BA", 701: "ZZ", 702: "AAA", 16383: "XFD"} {
		if got := string(appendColumn(nil, i)); got != want {
			t.Errorf("column %d = %s, want %s", i, got, want)
		}
	}
}

// TestReadBack writes every kind of cell and reads the file back with an
// independent reader (excelize, a test-only dependency).
func TestReadBack(t *testing.T) {
	var buf bytes.Buffer
	wb := New(&buf)
	money := wb.NumberFormat("#,##0.00")
	if again := wb.NumberFormat("#,##0.00"); again != money || money < 2 {
		t.Fatalf("styles %d %d", money, again)
	}
	s, err := wb.AddSheet("收支总表", true)
	if err != nil {
		t.Fatal(err)
	}
	long := strings.Repeat("预", maxCellChars+10)
	rows := [][]any{
		{Cell{Style: Bold, Value: "code"}, Cell{Style: Bold, Value: "name"}, Cell{Style: Bold, Value: "amount"}, "ok", "n"},
		{"2010301", "=HYPERLINK(\"x\")", Cell{Style: money, Value: Number("-1234.50")}, true, int64(7)},
		{"a<b>&\"c\"\x01\x1f", nil, Number("12345678901234.56"), false, 2.5},
		{long, "𠀀", nil, nil, 3},
	}
	for _, r := range rows {
		if err := s.WriteRow(r); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := wb.AddSheet("second", false); err != nil {
		t.Fatal(err)
	}
	if err := wb.Close(); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := f.GetSheetList(); len(got) != 2 || got[0] != "收支总表" || got[1] != "second" {
		t.Fatalf("sheets %q", got)
	}
	got, err := f.GetRows("收支总表", excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{
		{"code", "name", "amount", "ok", "n"},
		{"2010301", "=HYPERLINK(\"x\")", "-1234.50", "1", "7"},
		{"a<b>&\"c\"  ", "", "12345678901234.56", "0", "2.5"},
	}
	for i, w := range want {
		if strings.Join(got[i], "|") != strings.Join(w, "|") {
			t.Errorf("row %d: %q, want %q", i+1, got[i], w)
		}
	}
	if n := len([]rune(got[3][0])); n != maxCellChars || got[3][1] != "𠀀" {
		t.Errorf("long text kept %d characters (want %d), then %q", n, maxCellChars, got[3][1])
	}
	for cell, typ := range map[string]excelize.CellType{"A2": excelize.CellTypeInlineString, "B2": excelize.CellTypeInlineString,
		"D2": excelize.CellTypeBool, "C2": excelize.CellTypeUnset} {
		if got, _ := f.GetCellType("收支总表", cell); got != typ {
			t.Errorf("%s type %v, want %v", cell, got, typ)
		}
	}
	if formula, _ := f.GetCellFormula("收支总表", "B2"); formula != "" {
		t.Errorf("text became the formula %q", formula)
	}
	sid, _ := f.GetCellStyle("收支总表", "C2")
	if st, err := f.GetStyle(sid); err != nil || st.CustomNumFmt == nil || *st.CustomNumFmt != "#,##0.00" {
		t.Errorf("number format %+v (%v)", st, err)
	}
	sid, _ = f.GetCellStyle("收支总表", "A1")
	if st, err := f.GetStyle(sid); err != nil || st.Font == nil || !st.Font.Bold {
		t.Errorf("header style %+v (%v)", st, err)
	}
	if panes, err := f.GetPanes("收支总表"); err != nil || !panes.Freeze || panes.YSplit != 1 {
		t.Errorf("panes %+v (%v)", panes, err)
	}
}

func TestRefused(t *testing.T) {
	wb := New(&bytes.Buffer{})
	for _, name := range []string{"", "a/b", "[x]", strings.Repeat("表", 32)} {
		if _, err := wb.AddSheet(name, false); !errors.Is(err, ErrSheetName) {
			t.Errorf("sheet %q: %v", name, err)
		}
	}
	s, err := wb.AddSheet("Sheet", false)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := wb.AddSheet("sheet", false); !errors.Is(err, ErrSheetName) {
		t.Errorf("a second sheet named alike: %v", err)
	}
	for _, v := range []any{Number("1e5"), Number("1,234"), Number(""), Number("--1"), struct{}{}} {
		if err := s.WriteRow([]any{v}); err == nil {
			t.Errorf("%#v written", v)
		}
	}
	if err := New(&bytes.Buffer{}).Close(); err == nil {
		t.Error("a workbook without a sheet closed")
	}
}
