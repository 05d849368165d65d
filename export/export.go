// Package export writes the store as a dataset for researchers: CSV (UTF-8
// with a BOM, so Excel shows the Chinese), XLSX (one sheet per table kind),
// JSON Lines in the extract shape, or Parquet (for DuckDB, pandas, Spark),
// with a README.md data dictionary in every folder.
//
// Amounts are exact everywhere: the decimal string as printed plus its unit,
// integer fen, and in Parquet a DECIMAL(18,2) yuan column that DuckDB and
// pandas read without floating point.
package export

import (
	"context"
	"database/sql"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/parquet-go/parquet-go"

	"yusuan"
	"yusuan/store"
)

// Formats lists the formats Write knows.
var Formats = []string{"csv", "jsonl", "parquet", "xlsx"}

// ErrUnknownFormat is returned by Write for a format not in Formats.
var ErrUnknownFormat = errors.New("unknown format")

// Summary is what Write wrote (the --json summary of `yusuan export`).
type Summary struct {
	Format  string        `json:"format"`
	Dir     string        `json:"dir"`
	Files   []FileSummary `json:"files"`
	Seconds float64       `json:"seconds"`
}

// FileSummary is one file written. Rows counts data lines (documents in
// documents.jsonl, lines of every sheet in an xlsx).
type FileSummary struct {
	Name  string `json:"name"`
	Rows  int    `json:"rows"`
	Bytes int64  `json:"bytes"`
}

// Rows is the number of data rows in every file.
func (s Summary) Rows() int {
	n := 0
	for _, f := range s.Files {
		n += f.Rows
	}
	return n
}

// Bytes is the size of every file.
func (s Summary) Bytes() int64 {
	var n int64
	for _, f := range s.Files {
		n += f.Bytes
	}
	return n
}

// Write exports everything in st to dir (created if needed) in one of
// Formats, plus README.md, the data dictionary. Each file is written beside
// its final name and renamed into place when complete. Tabular formats are
// read in one snapshot, so the files agree with each other even while an
// ingest is running. An unknown format fails before anything is created.
func Write(ctx context.Context, st *store.Store, format, dir string) (Summary, error) {
	start := time.Now()
	sum := Summary{Format: format, Dir: dir}
	if !slices.Contains(Formats, format) {
		return sum, fmt.Errorf("%w %q (want one of %s)", ErrUnknownFormat, format, strings.Join(Formats, ", "))
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return sum, err
	}
	add := func(name string, rows int) error {
		info, err := os.Stat(filepath.Join(dir, name))
		if err != nil {
			return err
		}
		sum.Files = append(sum.Files, FileSummary{Name: name, Rows: rows, Bytes: info.Size()})
		return nil
	}
	write := func(name string, fn func(w io.Writer) (int, error)) error {
		rows, err := writeFile(filepath.Join(dir, name), fn)
		if err != nil {
			return err
		}
		return add(name, rows)
	}
	switch format {
	case "jsonl":
		if err := write("documents.jsonl", func(w io.Writer) (int, error) { return DocumentsJSONL(ctx, st, w) }); err != nil {
			return sum, err
		}
		if err := write("findings.jsonl", func(w io.Writer) (int, error) { return FindingsJSONL(ctx, st, w) }); err != nil {
			return sum, err
		}
	default:
		tx, err := st.ReadDB().BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
		if err != nil {
			return sum, err
		}
		defer tx.Rollback()
		if format == "xlsx" {
			if err := write("yusuan.xlsx", func(w io.Writer) (int, error) { return writeXLSX(ctx, tx, w) }); err != nil {
				return sum, err
			}
			break
		}
		for _, d := range datasets {
			name := d.name + "." + format
			if err := write(name, func(w io.Writer) (int, error) { return d.write(ctx, tx, format, w) }); err != nil {
				return sum, err
			}
		}
	}
	if err := write("README.md", func(w io.Writer) (int, error) {
		_, err := io.WriteString(w, Dictionary())
		return 0, err
	}); err != nil {
		return sum, err
	}
	sum.Seconds = float64(time.Since(start).Milliseconds()) / 1000
	return sum, nil
}

// writeFile writes path through a temporary file renamed into place, so a
// reader never sees half a file.
func writeFile(path string, fn func(io.Writer) (int, error)) (int, error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return 0, err
	}
	defer os.Remove(tmp.Name())
	rows, err := fn(tmp)
	if err != nil {
		tmp.Close()
		return 0, fmt.Errorf("%s: %w", filepath.Base(path), err)
	}
	if err := tmp.Close(); err != nil {
		return 0, fmt.Errorf("%s: %w", filepath.Base(path), err)
	}
	// A dataset is meant to be shared: readable like any file the user makes.
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return 0, err
	}
	return rows, os.Rename(tmp.Name(), path)
}

// DocumentWithProvenance is one line of documents.jsonl: the document in
// the extract shape plus where it was found and whether it is current
// (see DocumentRow.Current).
type DocumentWithProvenance struct {
	*yusuan.Document
	Provenance   []store.Source `json:"provenance"`
	Current      bool           `json:"current"`
	SupersededBy string         `json:"superseded_by,omitempty"`
	CopyOf       string         `json:"copy_of,omitempty"`
}

// DocumentsJSONL writes every document, one JSON object per line, and
// returns how many.
func DocumentsJSONL(ctx context.Context, st *store.Store, w io.Writer) (int, error) {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	n := 0
	infos, err := st.Documents(ctx, store.Filter{})
	if err != nil {
		return 0, err
	}
	bySHA := make(map[string]store.DocInfo, len(infos))
	for _, di := range infos {
		bySHA[di.SHA256] = di
	}
	for doc, err := range st.AllDocuments(ctx, store.Filter{}) {
		if err != nil {
			return n, err
		}
		srcs, err := st.Sources(ctx, doc.SHA256)
		if err != nil {
			return n, err
		}
		if srcs == nil {
			srcs = []store.Source{}
		}
		di := bySHA[doc.SHA256]
		if err := enc.Encode(DocumentWithProvenance{Document: doc, Provenance: srcs, Current: di.Current,
			SupersededBy: di.SupersededBy, CopyOf: di.CopyOf}); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

// FindingsJSONL writes the open findings in the shape of `check --json`,
// with their evidence and verdicts (false alarms included: their verdict
// says so), and returns how many.
func FindingsJSONL(ctx context.Context, st *store.Store, w io.Writer) (int, error) {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	n := 0
	for f, err := range st.AllFindings(ctx, store.FindingFilter{All: true}) {
		if err != nil {
			return n, err
		}
		if err := enc.Encode(f.Finding); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

// dataset is one exported table: a query whose columns are, in order, the
// fields of its row type (database/sql scans NULL into nil pointers).
type dataset struct {
	name    string
	columns []column
	// each calls fn with every row, a struct value of the row type.
	each func(ctx context.Context, tx *sql.Tx, fn func(row reflect.Value) error) error
	// parquet writes the rows as Parquet, typed by the row type.
	parquet func(ctx context.Context, tx *sql.Tx, w io.Writer) (int, error)
}

// colType is what a column holds, the same in every format.
type colType int

const (
	colText    colType = iota
	colInteger         // int64
	colDecimal         // int64 fen written as yuan with places decimals
	colBool
	colNumber // float64 (coordinates)
)

// column is one column of a dataset, from a field of its row type: the
// parquet tag names it in every format.
type column struct {
	name     string
	typ      colType
	places   int  // colDecimal
	optional bool // may be empty (NULL)
}

func columnsOf(rt reflect.Type) []column {
	cols := make([]column, rt.NumField())
	for i := range cols {
		f := rt.Field(i)
		name, opts, _ := strings.Cut(f.Tag.Get("parquet"), ",")
		c := column{name: name}
		t := f.Type
		if t.Kind() == reflect.Pointer {
			c.optional, t = true, t.Elem()
		}
		switch t.Kind() {
		case reflect.String:
			c.typ = colText
		case reflect.Int64:
			c.typ = colInteger
			if _, after, ok := strings.Cut(opts, "decimal("); ok {
				c.typ = colDecimal
				c.places, _ = strconv.Atoi(after[:strings.IndexByte(after, ':')])
			}
		case reflect.Bool:
			c.typ = colBool
		case reflect.Float64:
			c.typ = colNumber
		default:
			panic(fmt.Sprintf("export: field %s: unsupported type %s", f.Name, f.Type))
		}
		cols[i] = c
	}
	return cols
}

func newDataset[T any](name, query string, fix func(*T)) dataset {
	d := dataset{name: name, columns: columnsOf(reflect.TypeFor[T]())}
	scan := func(ctx context.Context, tx *sql.Tx, fn func(*T) error) error {
		rows, err := tx.QueryContext(ctx, query)
		if err != nil {
			return err
		}
		defer rows.Close()
		var v T
		ptrs := fieldPointers(&v)
		for rows.Next() {
			var zero T
			v = zero
			if err := rows.Scan(ptrs...); err != nil {
				return err
			}
			if fix != nil {
				fix(&v)
			}
			if err := fn(&v); err != nil {
				return err
			}
		}
		return rows.Err()
	}
	d.each = func(ctx context.Context, tx *sql.Tx, fn func(reflect.Value) error) error {
		return scan(ctx, tx, func(v *T) error { return fn(reflect.ValueOf(v).Elem()) })
	}
	d.parquet = func(ctx context.Context, tx *sql.Tx, w io.Writer) (int, error) {
		pw := parquet.NewGenericWriter[T](w, parquet.Compression(&parquet.Zstd))
		buf := make([]T, 0, 4096)
		n := 0
		flush := func() error {
			_, err := pw.Write(buf)
			n += len(buf)
			buf = buf[:0]
			return err
		}
		err := scan(ctx, tx, func(v *T) error {
			buf = append(buf, *v)
			if len(buf) == cap(buf) {
				return flush()
			}
			return nil
		})
		if err == nil {
			err = flush()
		}
		if err == nil {
			err = pw.Close()
		}
		return n, err
	}
	return d
}

// write writes the dataset as csv or parquet and returns the rows written.
func (d dataset) write(ctx context.Context, tx *sql.Tx, format string, w io.Writer) (int, error) {
	if format == "parquet" {
		return d.parquet(ctx, tx, w)
	}
	s, err := newCSVSink(w, d.columns)
	if err != nil {
		return 0, err
	}
	n := 0
	if err := d.each(ctx, tx, func(row reflect.Value) error { n++; return s.add(row) }); err != nil {
		return n, err
	}
	s.w.Flush()
	return n, s.w.Error()
}

func fieldPointers(v any) []any {
	rv := reflect.ValueOf(v).Elem()
	out := make([]any, rv.NumField())
	for i := range out {
		out[i] = rv.Field(i).Addr().Interface()
	}
	return out
}

// field is a row's i-th value, ok false when NULL.
func field(row reflect.Value, i int) (reflect.Value, bool) {
	f := row.Field(i)
	if f.Kind() == reflect.Pointer {
		if f.IsNil() {
			return f, false
		}
		f = f.Elem()
	}
	return f, true
}

// csvSink writes rows as CSV with a header line of column names.
type csvSink struct {
	w    *csv.Writer
	cols []column
	rec  []string
}

func newCSVSink(w io.Writer, cols []column) (*csvSink, error) {
	if _, err := io.WriteString(w, "\ufeff"); err != nil {
		return nil, err
	}
	s := &csvSink{w: csv.NewWriter(w), cols: cols, rec: make([]string, len(cols))}
	header := make([]string, len(cols))
	for i, c := range cols {
		header[i] = c.name
	}
	return s, s.w.Write(header)
}

func (s *csvSink) add(row reflect.Value) error {
	for i, c := range s.cols {
		f, ok := field(row, i)
		if !ok {
			s.rec[i] = ""
			continue
		}
		switch c.typ {
		case colText:
			s.rec[i] = Neutralize(f.String())
		case colInteger:
			s.rec[i] = strconv.FormatInt(f.Int(), 10)
		case colDecimal:
			// A DECIMAL column holds fen: print it as yuan, exactly.
			s.rec[i] = yusuan.AmountFromFen(f.Int(), yusuan.Yuan, int32(c.places)).String()
		case colBool:
			s.rec[i] = strconv.FormatBool(f.Bool())
		case colNumber:
			s.rec[i] = strconv.FormatFloat(f.Float(), 'f', -1, 64)
		}
	}
	return s.w.Write(s.rec)
}

// Neutralize keeps a text field from running as a formula when a
// spreadsheet opens the CSV (OWASP "CSV injection"): a field starting with
// =, +, -, @, a tab or a carriage return gets a leading apostrophe, which
// spreadsheets show as text. Numbers as printed (-12.50, +3, -1,234.5,
// -5%) and runs of dashes (the "--" of an empty cell) are left alone: they
// cannot run.
func Neutralize(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '@', '\t', '\r':
		return "'" + s
	case '+', '-':
		if isPlainNumber(s) || strings.Trim(s, "-") == "" {
			return s
		}
		return "'" + s
	}
	return s
}

// isPlainNumber: an optional sign, digits with optional thousands commas,
// an optional fraction and an optional percent sign, nothing else.
func isPlainNumber(s string) bool {
	if s[0] == '+' || s[0] == '-' {
		s = s[1:]
	}
	s = strings.TrimSuffix(s, "%")
	intPart, frac, hasFrac := strings.Cut(s, ".")
	if intPart == "" || (hasFrac && frac == "") {
		return false
	}
	for i, r := range intPart {
		if r == ',' && i > 0 {
			continue
		}
		if r < '0' || r > '9' {
			return false
		}
	}
	for _, r := range frac {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}
