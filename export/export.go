// Package export writes the store as a dataset for researchers: CSV (UTF-8
// with a BOM, so Excel shows the Chinese), JSON Lines in the extract shape,
// or Parquet (for DuckDB, pandas, Spark).
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
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"

	"github.com/parquet-go/parquet-go"

	"yusuan"
	"yusuan/store"
)

// Formats lists the formats Write knows.
var Formats = []string{"csv", "jsonl", "parquet"}

// Write exports everything in st to dir (created if needed) in format csv,
// jsonl or parquet. Each file is written beside its final name and renamed
// into place when complete. Tabular formats are read in one snapshot, so
// the files agree with each other even while an ingest is running.
func Write(ctx context.Context, st *store.Store, format, dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("export: %w", err)
	}
	switch format {
	case "jsonl":
		if err := writeFile(filepath.Join(dir, "documents.jsonl"), func(w io.Writer) error {
			return DocumentsJSONL(ctx, st, w)
		}); err != nil {
			return err
		}
		return writeFile(filepath.Join(dir, "findings.jsonl"), func(w io.Writer) error {
			return FindingsJSONL(ctx, st, w)
		})
	case "csv", "parquet":
		tx, err := st.ReadDB().BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
		if err != nil {
			return fmt.Errorf("export: %w", err)
		}
		defer tx.Rollback()
		for _, d := range datasets {
			name := filepath.Join(dir, d.name+"."+format)
			if err := writeFile(name, func(w io.Writer) error { return d.write(ctx, tx, format, w) }); err != nil {
				return err
			}
		}
		return nil
	}
	return fmt.Errorf("export: unknown format %q (want one of %s)", format, strings.Join(Formats, ", "))
}

// writeFile writes path through a temporary file renamed into place, so a
// reader never sees half a file.
func writeFile(path string, fn func(io.Writer) error) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	defer os.Remove(tmp.Name())
	if err := fn(tmp); err != nil {
		tmp.Close()
		return fmt.Errorf("export %s: %w", filepath.Base(path), err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("export %s: %w", filepath.Base(path), err)
	}
	// A dataset is meant to be shared: readable like any file the user makes.
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return fmt.Errorf("export: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("export: %w", err)
	}
	return nil
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

// DocumentsJSONL writes every document, one JSON object per line.
func DocumentsJSONL(ctx context.Context, st *store.Store, w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	infos, err := st.Documents(ctx, store.Filter{})
	if err != nil {
		return err
	}
	bySHA := make(map[string]store.DocInfo, len(infos))
	for _, di := range infos {
		bySHA[di.SHA256] = di
	}
	for doc, err := range st.AllDocuments(ctx, store.Filter{}) {
		if err != nil {
			return err
		}
		srcs, err := st.Sources(ctx, doc.SHA256)
		if err != nil {
			return err
		}
		if srcs == nil {
			srcs = []store.Source{}
		}
		di := bySHA[doc.SHA256]
		if err := enc.Encode(DocumentWithProvenance{Document: doc, Provenance: srcs, Current: di.Current,
			SupersededBy: di.SupersededBy, CopyOf: di.CopyOf}); err != nil {
			return err
		}
	}
	return nil
}

// FindingsJSONL writes the open findings in the shape of `check --json`,
// with their evidence and verdicts (false alarms included: their verdict
// says so).
func FindingsJSONL(ctx context.Context, st *store.Store, w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	for f, err := range st.AllFindings(ctx, store.FindingFilter{All: true}) {
		if err != nil {
			return err
		}
		if err := enc.Encode(f.Finding); err != nil {
			return err
		}
	}
	return nil
}

// dataset is one exported table: a query whose columns are, in order, the
// fields of its row type T (database/sql scans NULL into nil pointers).
type dataset struct {
	name  string
	write func(ctx context.Context, tx *sql.Tx, format string, w io.Writer) error
}

func newDataset[T any](name, query string, fix func(*T)) dataset {
	return dataset{name: name, write: func(ctx context.Context, tx *sql.Tx, format string, w io.Writer) error {
		rows, err := tx.QueryContext(ctx, query)
		if err != nil {
			return err
		}
		defer rows.Close()
		var sink rowSink[T]
		if format == "parquet" {
			sink = newParquetSink[T](w)
		} else {
			if sink, err = newCSVSink[T](w); err != nil {
				return err
			}
		}
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
			if err := sink.add(v); err != nil {
				return err
			}
		}
		if err := rows.Err(); err != nil {
			return err
		}
		return sink.close()
	}}
}

func fieldPointers(v any) []any {
	rv := reflect.ValueOf(v).Elem()
	out := make([]any, rv.NumField())
	for i := range out {
		out[i] = rv.Field(i).Addr().Interface()
	}
	return out
}

type rowSink[T any] interface {
	add(T) error
	close() error
}

type parquetSink[T any] struct {
	w   *parquet.GenericWriter[T]
	buf []T
}

func newParquetSink[T any](w io.Writer) *parquetSink[T] {
	return &parquetSink[T]{w: parquet.NewGenericWriter[T](w, parquet.Compression(&parquet.Zstd))}
}

func (p *parquetSink[T]) add(v T) error {
	p.buf = append(p.buf, v)
	if len(p.buf) >= 4096 {
		return p.flush()
	}
	return nil
}

func (p *parquetSink[T]) flush() error {
	if len(p.buf) == 0 {
		return nil
	}
	_, err := p.w.Write(p.buf)
	p.buf = p.buf[:0]
	return err
}

func (p *parquetSink[T]) close() error {
	if err := p.flush(); err != nil {
		return err
	}
	return p.w.Close()
}

// csvSink writes T's fields as CSV columns named by their parquet tags.
type csvSink[T any] struct {
	w      *csv.Writer
	places []int // decimal places of DECIMAL(s:p) fields, -1 otherwise
	rec    []string
}

func newCSVSink[T any](w io.Writer) (*csvSink[T], error) {
	if _, err := io.WriteString(w, "\ufeff"); err != nil {
		return nil, err
	}
	rt := reflect.TypeFor[T]()
	s := &csvSink[T]{w: csv.NewWriter(w), rec: make([]string, rt.NumField())}
	header := make([]string, rt.NumField())
	for i := range header {
		tag := rt.Field(i).Tag.Get("parquet")
		name, opts, _ := strings.Cut(tag, ",")
		header[i] = name
		p := -1
		if _, after, ok := strings.Cut(opts, "decimal("); ok {
			p, _ = strconv.Atoi(after[:strings.IndexByte(after, ':')])
		}
		s.places = append(s.places, p)
	}
	return s, s.w.Write(header)
}

func (s *csvSink[T]) add(v T) error {
	rv := reflect.ValueOf(v)
	for i := range s.rec {
		f := rv.Field(i)
		if f.Kind() == reflect.Pointer {
			if f.IsNil() {
				s.rec[i] = ""
				continue
			}
			f = f.Elem()
		}
		switch f.Kind() {
		case reflect.String:
			s.rec[i] = f.String()
		case reflect.Int64, reflect.Int:
			if s.places[i] >= 0 {
				// A DECIMAL column holds fen: print it as yuan, exactly.
				s.rec[i] = yusuan.AmountFromFen(f.Int(), yusuan.Yuan, int32(s.places[i])).String()
			} else {
				s.rec[i] = strconv.FormatInt(f.Int(), 10)
			}
		case reflect.Bool:
			s.rec[i] = strconv.FormatBool(f.Bool())
		case reflect.Float64:
			s.rec[i] = strconv.FormatFloat(f.Float(), 'f', -1, 64)
		default:
			return fmt.Errorf("csv: unsupported field type %s", f.Type())
		}
	}
	return s.w.Write(s.rec)
}

func (s *csvSink[T]) close() error {
	s.w.Flush()
	return s.w.Error()
}
