package export

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"reflect"
	"slices"
	"strings"

	"github.com/shopspring/decimal"

	"yusuan"
	"yusuan/export/xlsx"
	"yusuan/vocab"
)

// The workbook: documents and tables as in CSV, one sheet per table kind
// with the tables laid out as printed (a line per printed row, a column per
// amount column), then facts and findings. Amounts are numbers formatted
// with their printed decimal places; codes and every other text are text
// cells, never formulas.

// xlsxDatasets are the datasets that become sheets of their own, before
// and after the table kinds.
var (
	xlsxBefore = []string{"documents", "tables"}
	xlsxAfter  = []string{"facts", "findings"}
)

// kindSheetColumns are the columns of a table-kind sheet before its
// amount columns (named by their column keys).
var kindSheetColumns = []string{"sha256", "entity", "year", "doc_kind", "table_seq", "title", "unit", "row_seq",
	"side", "code", "level", "name", "name2", "econ_code", "econ_name", "gov_econ_code", "gov_econ_name", "unit_code", "page"}

type workbook struct {
	f    *xlsx.Workbook
	rows int
}

func writeXLSX(ctx context.Context, tx *sql.Tx, w io.Writer) (int, error) {
	wb := &workbook{f: xlsx.New(w)}
	for _, name := range xlsxBefore {
		if err := wb.dataset(ctx, tx, name); err != nil {
			return wb.rows, err
		}
	}
	kinds, err := tableKinds(ctx, tx)
	if err != nil {
		return wb.rows, err
	}
	for _, k := range kinds {
		if err := wb.kind(ctx, tx, k); err != nil {
			return wb.rows, fmt.Errorf("sheet %s: %w", k, err)
		}
	}
	for _, name := range xlsxAfter {
		if err := wb.dataset(ctx, tx, name); err != nil {
			return wb.rows, err
		}
	}
	return wb.rows, wb.f.Close()
}

// numberStyle is the style showing places decimals with thousands
// separators, as budgets print them.
func (wb *workbook) numberStyle(places int) int {
	format := "#,##0"
	if places > 0 {
		format += "." + strings.Repeat("0", places)
	}
	return wb.f.NumberFormat(format)
}

// sheet streams rows into a sheet, going on in a new one past Excel's
// row limit.
type sheet struct {
	wb     *workbook
	name   string
	part   int
	header []any
	sw     *xlsx.Sheet
}

func (wb *workbook) newSheet(name string, header []string) (*sheet, error) {
	h := make([]any, len(header))
	for i, c := range header {
		h[i] = xlsx.Cell{Style: xlsx.Bold, Value: c}
	}
	s := &sheet{wb: wb, name: name, header: h}
	return s, s.open()
}

func (s *sheet) open() error {
	s.part++
	sw, err := s.wb.f.AddSheet(partName(s.name, s.part), true)
	if err != nil {
		return err
	}
	s.sw = sw
	return sw.WriteRow(s.header)
}

// partName is the name of a sheet's part-th part: "name (2)" from the
// second on, the name shortened to keep within Excel's 31 characters.
func partName(name string, part int) string {
	if part < 2 {
		return name
	}
	suffix := fmt.Sprintf(" (%d)", part)
	if r := []rune(name); len(r)+len(suffix) > 31 {
		name = string(r[:31-len(suffix)])
	}
	return name + suffix
}

// add writes a row, going on in "name (2)" past Excel's row limit.
func (s *sheet) add(vals []any) error {
	if s.sw.Rows() == xlsx.MaxRows {
		if err := s.open(); err != nil {
			return err
		}
	}
	s.wb.rows++
	return s.sw.WriteRow(vals)
}

// dataset writes one of the CSV datasets as a sheet with typed cells.
func (wb *workbook) dataset(ctx context.Context, tx *sql.Tx, name string) error {
	d, ok := datasetNamed(name)
	if !ok {
		return fmt.Errorf("no dataset %s", name)
	}
	header := make([]string, len(d.columns))
	amountAt, placesAt := -1, -1
	for i, c := range d.columns {
		header[i] = c.name
		switch c.name {
		case "amount":
			amountAt = i
		case "places":
			placesAt = i
		}
	}
	s, err := wb.newSheet(name, header)
	if err != nil {
		return err
	}
	vals := make([]any, len(d.columns))
	err = d.each(ctx, tx, func(row reflect.Value) error {
		for i, c := range d.columns {
			f, ok := field(row, i)
			if !ok {
				vals[i] = nil
				continue
			}
			switch c.typ {
			case colText:
				vals[i] = f.String()
			case colInteger:
				vals[i] = f.Int()
			case colDecimal:
				yuan := yusuan.AmountFromFen(f.Int(), yusuan.Yuan, int32(c.places)).Decimal().StringFixed(int32(c.places))
				vals[i] = xlsx.Cell{Style: wb.numberStyle(c.places), Value: xlsx.Number(yuan)}
			case colBool:
				vals[i] = f.Bool()
			case colNumber:
				vals[i] = f.Float()
			}
		}
		// The amount as printed is a number in a spreadsheet.
		if amountAt >= 0 && vals[amountAt] != nil {
			places := -1
			if placesAt >= 0 {
				if p, ok := vals[placesAt].(int64); ok {
					places = int(p)
				}
			}
			vals[amountAt] = wb.amountCell(vals[amountAt].(string), places)
		}
		return s.add(vals)
	})
	return err // the next sheet, or the workbook's Close, ends this one
}

// amountCell is a decimal string as a number cell showing places decimals
// (those of the string when places < 0), or the text itself when it is
// not a number.
func (wb *workbook) amountCell(text string, places int) any {
	d, err := decimal.NewFromString(text)
	if err != nil {
		return text
	}
	if places < 0 {
		places = max(0, int(-d.Exponent()))
	}
	return xlsx.Cell{Style: wb.numberStyle(places), Value: xlsx.Number(d.String())}
}

func datasetNamed(name string) (dataset, bool) {
	for _, d := range datasets {
		if d.name == name {
			return d, true
		}
	}
	return dataset{}, false
}

func tableKinds(ctx context.Context, tx *sql.Tx) ([]string, error) {
	rows, err := tx.QueryContext(ctx, `SELECT DISTINCT kind FROM tables ORDER BY kind`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var k string
		if err := rows.Scan(&k); err != nil {
			return nil, err
		}
		out = append(out, k)
	}
	return out, rows.Err()
}

// KindSheetName is the sheet of a table kind: its usual Chinese name,
// which fits Excel's 31 characters where the kind's key may not.
func KindSheetName(kind string) string {
	name := vocab.KindLabel(yusuan.TableKind(kind))
	name = strings.NewReplacer(":", "：", "/", "／", `\`, "＼", "?", "？", "*", "＊", "[", "（", "]", "）").Replace(name)
	if r := []rune(name); len(r) > 31 {
		name = string(r[:31])
	}
	return name
}

// kindColumns are the amount column keys of a kind's tables in the order
// they are printed (first seen first).
func kindColumns(ctx context.Context, tx *sql.Tx, kind string) ([]string, error) {
	rows, err := tx.QueryContext(ctx, `SELECT t.columns FROM tables t JOIN documents d ON d.id = t.document_id
		WHERE t.kind = ? ORDER BY d.id, t.seq`, kind)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	seen := map[string]bool{}
	for rows.Next() {
		var js string
		if err := rows.Scan(&js); err != nil {
			return nil, err
		}
		var cols []string
		if err := json.Unmarshal([]byte(js), &cols); err != nil {
			return nil, err
		}
		for _, c := range cols {
			if !seen[c] {
				seen[c] = true
				out = append(out, c)
			}
		}
	}
	return out, rows.Err()
}

// kind writes the tables of one kind as printed: a line per row.
func (wb *workbook) kind(ctx context.Context, tx *sql.Tx, kind string) error {
	cols, err := kindColumns(ctx, tx, kind)
	if err != nil {
		return err
	}
	// A cell may carry a key its table's columns do not list; it gets a
	// column too, found as the rows go by, so the keys are collected first.
	extra, err := tx.QueryContext(ctx, `SELECT DISTINCT c.col FROM cells c JOIN rows r ON r.id = c.row_id
		JOIN tables t ON t.id = r.table_id WHERE t.kind = ? ORDER BY c.col`, kind)
	if err != nil {
		return err
	}
	at := map[string]int{}
	for i, c := range cols {
		at[c] = i
	}
	for extra.Next() {
		var c string
		if err := extra.Scan(&c); err != nil {
			extra.Close()
			return err
		}
		if _, ok := at[c]; !ok {
			at[c] = len(cols)
			cols = append(cols, c)
		}
	}
	extra.Close()
	fixed := len(kindSheetColumns)
	s, err := wb.newSheet(KindSheetName(kind), append(slices.Clone(kindSheetColumns), cols...))
	if err != nil {
		return err
	}
	q, err := tx.QueryContext(ctx, `SELECT r.id, d.sha256, d.entity, d.year, d.kind, t.seq, t.title, t.unit, r.seq,
		r.side, r.code, r.level, r.name, r.name2, r.econ_code, r.econ_name, r.gov_econ_code, r.gov_econ_name, r.unit_code, r.page,
		c.col, c.amount, c.places, c.raw
		FROM rows r JOIN tables t ON t.id = r.table_id JOIN documents d ON d.id = t.document_id
		LEFT JOIN cells c ON c.row_id = r.id
		WHERE t.kind = ? ORDER BY d.id, t.seq, r.seq, c.col`, kind)
	if err != nil {
		return err
	}
	defer q.Close()
	var (
		vals  []any
		curID int64 = -1
	)
	flush := func() error {
		if vals == nil {
			return nil
		}
		return s.add(vals)
	}
	for q.Next() {
		var (
			id               int64
			row              [19]sql.NullString
			col, amount, raw sql.NullString
			places           sql.NullInt64
		)
		ptrs := []any{&id}
		for i := range row {
			ptrs = append(ptrs, &row[i])
		}
		ptrs = append(ptrs, &col, &amount, &places, &raw)
		if err := q.Scan(ptrs...); err != nil {
			return err
		}
		if id != curID {
			if err := flush(); err != nil {
				return err
			}
			curID = id
			vals = make([]any, fixed+len(cols))
			for i, v := range row {
				if !v.Valid || v.String == "" {
					continue
				}
				switch kindSheetColumns[i] {
				case "year", "table_seq", "row_seq", "level", "page":
					var n int64
					fmt.Sscan(v.String, &n)
					vals[i] = n
				default:
					vals[i] = v.String
				}
			}
		}
		if !col.Valid {
			continue
		}
		i := fixed + at[col.String]
		switch {
		case amount.Valid:
			p := -1
			if places.Valid {
				p = int(places.Int64)
			}
			vals[i] = wb.amountCell(amount.String, p)
		case raw.Valid && raw.String != "":
			vals[i] = raw.String
		}
	}
	if err := q.Err(); err != nil {
		return err
	}
	return flush()
}
