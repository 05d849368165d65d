package export_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"yusuan"
	"yusuan/export"
	"yusuan/store"
)

// sheetRows reads a sheet as header → column index and raw rows.
func sheetRows(t *testing.T, f *excelize.File, sheet string) (map[string]int, [][]string) {
	t.Helper()
	rows, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatalf("sheet %s: %v", sheet, err)
	}
	at := map[string]int{}
	for i, h := range rows[0] {
		at[h] = i
	}
	return at, rows[1:]
}

func cellName(t *testing.T, col, row int) string {
	name, err := excelize.CoordinatesToCellName(col+1, row+2)
	if err != nil {
		t.Fatal(err)
	}
	return name
}

func TestXLSXTypesAndValues(t *testing.T) {
	st := fixture(t)
	ctx := context.Background()
	out := t.TempDir()
	sum, err := export.Write(ctx, st, "xlsx", out)
	if err != nil {
		t.Fatal(err)
	}
	if len(sum.Files) != 2 || sum.Files[0].Name != "yusuan.xlsx" || sum.Files[1].Name != "README.md" || sum.Files[0].Rows == 0 {
		t.Fatalf("summary %+v", sum)
	}
	f, err := excelize.OpenFile(filepath.Join(out, "yusuan.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if sheets[0] != "documents" || sheets[1] != "tables" || sheets[len(sheets)-2] != "facts" || sheets[len(sheets)-1] != "findings" {
		t.Fatalf("sheets %q", sheets)
	}

	docs, err := st.Documents(ctx, store.Filter{Status: store.StatusOK})
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, di := range docs {
		doc, err := st.Document(ctx, di.SHA256)
		if err != nil {
			t.Fatal(err)
		}
		for ti, tb := range doc.Tables {
			if tb.Unit == "" || len(tb.Rows) == 0 {
				continue
			}
			sheet := export.KindSheetName(string(tb.Kind))
			at, rows := sheetRows(t, f, sheet)
			for ri, r := range tb.Rows {
				line := -1
				for i, row := range rows {
					if row[at["sha256"]] == doc.SHA256 && row[at["table_seq"]] == strconv.Itoa(ti) && row[at["row_seq"]] == strconv.Itoa(ri) {
						line = i
						break
					}
				}
				if line < 0 {
					t.Fatalf("%s table %d row %d not in sheet %s", doc.SHA256[:8], ti, ri, sheet)
				}
				if got := rows[line][at["name"]]; got != r.Name {
					t.Fatalf("sheet %s line %d: name %q, document %q", sheet, line, got, r.Name)
				}
				if r.Code != nil {
					// Codes are text cells, digits intact.
					c := cellName(t, at["code"], line)
					typ, _ := f.GetCellType(sheet, c)
					if typ != excelize.CellTypeInlineString || rows[line][at["code"]] != *r.Code {
						t.Fatalf("%s!%s: code %q type %v, want text %q", sheet, c, rows[line][at["code"]], typ, *r.Code)
					}
				}
				for col, a := range r.Values {
					if a.IsNull() {
						continue
					}
					c := cellName(t, at[col], line)
					typ, _ := f.GetCellType(sheet, c)
					if typ != excelize.CellTypeUnset && typ != excelize.CellTypeNumber {
						t.Fatalf("%s!%s: amount %s stored as type %v", sheet, c, a, typ)
					}
					got, err := strconv.ParseFloat(rows[line][at[col]], 64)
					want, _ := a.Decimal().Float64()
					if err != nil || got != want {
						t.Fatalf("%s!%s: %q, document %s", sheet, c, rows[line][at[col]], a)
					}
					// Shown with the printed decimal places.
					sid, _ := f.GetCellStyle(sheet, c)
					style, err := f.GetStyle(sid)
					wantFmt := "#,##0"
					if a.Places() > 0 {
						wantFmt += "." + strings.Repeat("0", a.Places())
					}
					if err != nil || style.CustomNumFmt == nil || *style.CustomNumFmt != wantFmt {
						t.Fatalf("%s!%s: number format %v, want %s", sheet, c, style.CustomNumFmt, wantFmt)
					}
					checked++
				}
			}
		}
		break // one document in full is enough
	}
	if checked < 100 {
		t.Fatalf("only %d amounts checked", checked)
	}

	// Documents: Chinese intact, integers as numbers, booleans as booleans.
	at, rows := sheetRows(t, f, "documents")
	if len(rows) != 6 || rows[0][at["entity"]] != docs[0].Entity || !strings.ContainsRune(rows[0][at["entity"]], '局') {
		t.Fatalf("documents sheet: %q", rows)
	}
	if typ, _ := f.GetCellType("documents", cellName(t, at["text_layer"], 0)); typ != excelize.CellTypeBool {
		t.Errorf("text_layer type %v", typ)
	}
	if typ, _ := f.GetCellType("documents", cellName(t, at["size"], 0)); typ != excelize.CellTypeUnset && typ != excelize.CellTypeNumber {
		t.Errorf("size type %v", typ)
	}
	// Facts: money amounts are numbers; the percent fact too, with its own
	// places.
	at, rows = sheetRows(t, f, "facts")
	if len(rows) != 5*7 {
		t.Fatalf("%d facts", len(rows))
	}
	for i, r := range rows {
		if r[at["amount"]] == "" {
			continue
		}
		if typ, _ := f.GetCellType("facts", cellName(t, at["amount"], i)); typ != excelize.CellTypeUnset && typ != excelize.CellTypeNumber {
			t.Fatalf("fact %d amount %q type %v", i, r[at["amount"]], typ)
		}
		if r[at["unit"]] == string(yusuan.WanYuan) && r[at["yuan"]] == "" {
			t.Fatalf("fact %d: money without yuan: %q", i, r)
		}
	}
}

// TestXLSXOpensInLibreOffice converts the workbook with LibreOffice, where
// it is installed, one CSV per sheet with the cells as shown, and finds the
// Chinese, the codes as printed and the amounts with their printed decimal
// places.
func TestXLSXOpensInLibreOffice(t *testing.T) {
	soffice, err := exec.LookPath("soffice")
	if err != nil {
		t.Skip("soffice not installed")
	}
	if testing.Short() {
		t.Skip("starts LibreOffice")
	}
	st := fixture(t)
	ctx := context.Background()
	out := t.TempDir()
	if _, err := export.Write(ctx, st, "xlsx", out); err != nil {
		t.Fatal(err)
	}
	conv := t.TempDir()
	// Comma-separated, UTF-8 (76), cells as shown (token 9), every sheet
	// to its own file (token 12: -1).
	cmd := exec.Command(soffice, "-env:UserInstallation=file://"+filepath.Join(conv, "profile"), "--headless",
		"--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false,-1",
		"--outdir", conv, filepath.Join(out, "yusuan.xlsx"))
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("soffice: %v\n%s", err, b)
	}
	read := func(sheet string) string {
		b, err := os.ReadFile(filepath.Join(conv, "yusuan-"+sheet+".csv"))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	docs, _ := st.Documents(ctx, store.Filter{})
	text := read("documents")
	if !strings.HasPrefix(text, "sha256,file,size,") || !strings.Contains(text, docs[0].Entity) ||
		!strings.Contains(text, ","+strconv.FormatInt(docs[0].Size, 10)+",") {
		t.Fatalf("LibreOffice's CSV of the documents sheet:\n%.600s", text)
	}
	doc, err := st.Document(ctx, docs[0].SHA256)
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, tb := range doc.Tables {
		if tb.Unit == "" {
			continue
		}
		text := read(export.KindSheetName(string(tb.Kind)))
		for _, r := range tb.Rows {
			if r.Code == nil {
				continue
			}
			for _, a := range r.Values {
				if a.IsNull() {
					continue
				}
				// 2010301,…,1,234.50 as printed: the code unchanged, the amount
				// with its places (quoted when it has a thousands separator).
				shown := a.Decimal().StringFixed(int32(a.Places()))
				if !strings.Contains(text, ","+*r.Code+",") || !strings.Contains(text, shown) && !strings.Contains(text, withCommas(shown)) {
					t.Fatalf("%s: code %s or amount %s not shown:\n%.800s", export.KindSheetName(string(tb.Kind)), *r.Code, shown, text)
				}
				checked++
			}
		}
	}
	if checked < 50 {
		t.Fatalf("only %d amounts checked", checked)
	}
}

// withCommas puts thousands separators into a decimal string.
func withCommas(s string) string {
	intPart, frac, _ := strings.Cut(s, ".")
	neg := strings.HasPrefix(intPart, "-")
	intPart = strings.TrimPrefix(intPart, "-")
	var b strings.Builder
	for i, r := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	out := b.String()
	if neg {
		out = "-" + out
	}
	if frac != "" {
		out += "." + frac
	}
	return out
}
