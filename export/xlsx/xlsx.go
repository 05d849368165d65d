// Package xlsx writes Office Open XML workbooks (.xlsx) as a stream: the
// sheets one after another straight into the zip, typed cells (numbers
// written exactly as decimal strings, text always as inline strings, so
// never a formula, booleans), a bold header row kept frozen, and number
// formats. It is what the export needs and no more: yusuan linked a full
// spreadsheet library for it, whose start-up every command paid.
package xlsx

import (
	"archive/zip"
	"bufio"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"
)

// MaxRows is a sheet's row limit in Excel.
const MaxRows = 1 << 20

// maxCellChars is the most characters Excel keeps in a cell.
const maxCellChars = 32767

// Number is a number written as given: a decimal string ("1234.50"),
// kept exact rather than passed through a float.
type Number string

// Cell is a value with a style (from Workbook.NumberFormat or Bold).
type Cell struct {
	Style int
	Value any // string, Number, int, int64, float64, bool or nil
}

// Bold is the style of header cells.
const Bold = 1

// Workbook writes sheets into w; Close finishes the file.
type Workbook struct {
	zw      *zip.Writer
	sheets  []string
	formats []string // custom number formats; style 2+i
	cur     *Sheet
	closed  bool
}

// New starts a workbook written to w.
func New(w io.Writer) *Workbook {
	return &Workbook{zw: zip.NewWriter(w)}
}

// NumberFormat is the style showing numbers in format ("#,##0.00").
func (wb *Workbook) NumberFormat(format string) int {
	for i, f := range wb.formats {
		if f == format {
			return 2 + i
		}
	}
	wb.formats = append(wb.formats, format)
	return 1 + len(wb.formats)
}

// ErrSheetName is a sheet name Excel refuses.
var ErrSheetName = errors.New("invalid sheet name")

// Sheet is the sheet being written.
type Sheet struct {
	w   *bufio.Writer
	row int
	buf []byte
}

// AddSheet ends the sheet being written and starts the next, whose first
// row (the header) stays in view when freezeHeader is set.
func (wb *Workbook) AddSheet(name string, freezeHeader bool) (*Sheet, error) {
	if err := wb.endSheet(); err != nil {
		return nil, err
	}
	if name == "" || utf8.RuneCountInString(name) > 31 || strings.ContainsAny(name, `[]:*?/\`) {
		return nil, fmt.Errorf("%w: %q", ErrSheetName, name)
	}
	for _, s := range wb.sheets {
		if strings.EqualFold(s, name) {
			return nil, fmt.Errorf("%w: %q twice", ErrSheetName, name)
		}
	}
	wb.sheets = append(wb.sheets, name)
	f, err := wb.zw.Create(fmt.Sprintf("xl/worksheets/sheet%d.xml", len(wb.sheets)))
	if err != nil {
		return nil, err
	}
	s := &Sheet{w: bufio.NewWriterSize(f, 64<<10)}
	s.w.WriteString(xmlHeader + `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" ` +
		`xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">`)
	s.w.WriteString(`<sheetViews><sheetView workbookViewId="0"`)
	if len(wb.sheets) == 1 {
		s.w.WriteString(` tabSelected="1"`)
	}
	s.w.WriteString(`>`)
	if freezeHeader {
		s.w.WriteString(`<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>` +
			`<selection pane="bottomLeft" activeCell="A2" sqref="A2"/>`)
	}
	s.w.WriteString(`</sheetView></sheetViews><sheetData>`)
	wb.cur = s
	return s, nil
}

// WriteRow writes the next row; a nil value leaves its cell empty.
func (s *Sheet) WriteRow(vals []any) error {
	if s.row == MaxRows {
		return fmt.Errorf("sheet full: %d rows", MaxRows)
	}
	s.row++
	b := s.buf[:0]
	b = append(b, `<row r="`...)
	b = strconv.AppendInt(b, int64(s.row), 10)
	b = append(b, `">`...)
	for i, v := range vals {
		style := 0
		if c, ok := v.(Cell); ok {
			style, v = c.Style, c.Value
		}
		if v == nil {
			continue
		}
		b = append(b, `<c r="`...)
		b = appendColumn(b, i)
		b = strconv.AppendInt(b, int64(s.row), 10)
		b = append(b, '"')
		if style != 0 {
			b = append(b, ` s="`...)
			b = strconv.AppendInt(b, int64(style), 10)
			b = append(b, '"')
		}
		switch x := v.(type) {
		case string:
			b = append(b, ` t="inlineStr"><is><t xml:space="preserve">`...)
			b = appendText(b, x)
			b = append(b, `</t></is></c>`...)
		case Number:
			if !isNumber(string(x)) {
				return fmt.Errorf("row %d column %d: %q is not a number", s.row, i+1, x)
			}
			b = append(b, `><v>`...)
			b = append(b, x...)
			b = append(b, `</v></c>`...)
		case int:
			b = append(b, `><v>`...)
			b = strconv.AppendInt(b, int64(x), 10)
			b = append(b, `</v></c>`...)
		case int64:
			b = append(b, `><v>`...)
			b = strconv.AppendInt(b, x, 10)
			b = append(b, `</v></c>`...)
		case float64:
			b = append(b, `><v>`...)
			b = strconv.AppendFloat(b, x, 'g', -1, 64)
			b = append(b, `</v></c>`...)
		case bool:
			b = append(b, ` t="b"><v>`...)
			if x {
				b = append(b, '1')
			} else {
				b = append(b, '0')
			}
			b = append(b, `</v></c>`...)
		default:
			return fmt.Errorf("row %d column %d: cannot write a %T", s.row, i+1, v)
		}
	}
	b = append(b, `</row>`...)
	s.buf = b
	_, err := s.w.Write(b)
	return err
}

// Rows is how many rows the sheet has so far.
func (s *Sheet) Rows() int { return s.row }

func (wb *Workbook) endSheet() error {
	if wb.cur == nil {
		return nil
	}
	s := wb.cur
	wb.cur = nil
	s.w.WriteString(`</sheetData></worksheet>`)
	return s.w.Flush()
}

// Close ends the last sheet and writes the workbook's index, styles and
// relationships. A workbook needs at least one sheet.
func (wb *Workbook) Close() error {
	if wb.closed {
		return nil
	}
	wb.closed = true
	if err := wb.endSheet(); err != nil {
		return err
	}
	if len(wb.sheets) == 0 {
		return errors.New("xlsx: a workbook needs a sheet")
	}
	var book, rels, types strings.Builder
	book.WriteString(xmlHeader + `<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" ` +
		`xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">` +
		`<bookViews><workbookView activeTab="0"/></bookViews><sheets>`)
	rels.WriteString(xmlHeader + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">`)
	types.WriteString(xmlHeader + `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
		`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
		`<Default Extension="xml" ContentType="application/xml"/>` +
		`<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>` +
		`<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>`)
	for i, name := range wb.sheets {
		n := i + 1
		fmt.Fprintf(&book, `<sheet name="%s" sheetId="%d" r:id="rId%d"/>`, escape(name), n, n)
		fmt.Fprintf(&rels, `<Relationship Id="rId%d" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet%d.xml"/>`, n, n)
		fmt.Fprintf(&types, `<Override PartName="/xl/worksheets/sheet%d.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`, n)
	}
	book.WriteString(`</sheets></workbook>`)
	fmt.Fprintf(&rels, `<Relationship Id="rId%d" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>`, len(wb.sheets)+1)
	types.WriteString(`</Types>`)
	parts := []struct{ name, body string }{
		{"xl/workbook.xml", book.String()},
		{"xl/_rels/workbook.xml.rels", rels.String()},
		{"xl/styles.xml", wb.styles()},
		{"_rels/.rels", xmlHeader + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
			`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`},
		{"[Content_Types].xml", types.String()},
	}
	for _, p := range parts {
		f, err := wb.zw.Create(p.name)
		if err != nil {
			return err
		}
		if _, err := io.WriteString(f, p.body); err != nil {
			return err
		}
	}
	return wb.zw.Close()
}

// styles: style 0 plain, 1 bold (the header), 2+i the number formats.
func (wb *Workbook) styles() string {
	var b strings.Builder
	b.WriteString(xmlHeader + `<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">`)
	if len(wb.formats) > 0 {
		fmt.Fprintf(&b, `<numFmts count="%d">`, len(wb.formats))
		for i, f := range wb.formats {
			fmt.Fprintf(&b, `<numFmt numFmtId="%d" formatCode="%s"/>`, 164+i, escape(f))
		}
		b.WriteString(`</numFmts>`)
	}
	b.WriteString(`<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts>` +
		`<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>` +
		`<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>` +
		`<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>`)
	fmt.Fprintf(&b, `<cellXfs count="%d"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>`+
		`<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>`, 2+len(wb.formats))
	for i := range wb.formats {
		fmt.Fprintf(&b, `<xf numFmtId="%d" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>`, 164+i)
	}
	b.WriteString(`</cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>`)
	return b.String()
}

const xmlHeader = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n"

// appendColumn appends the letters of the i-th column (0: A, 26: AA).
func appendColumn(b []byte, i int) []byte {
	var tmp [4]byte
	n := len(tmp)
	for i++; i > 0; i = (i - 1) / 26 {
		n--
		tmp[n] = byte('A' + (i-1)%26)
	}
	return append(b, tmp[n:]...)
}

// appendText appends s escaped for XML, without the characters XML 1.0
// cannot hold, cut at Excel's cell limit.
func appendText(b []byte, s string) []byte {
	n := 0 // UTF-16 code units, as Excel counts
	for _, r := range s {
		w := 1
		if r >= 0x10000 {
			w = 2
		}
		if n+w > maxCellChars {
			break
		}
		n += w
		switch {
		case r == '<':
			b = append(b, "&lt;"...)
		case r == '>':
			b = append(b, "&gt;"...)
		case r == '&':
			b = append(b, "&amp;"...)
		case r == '"':
			b = append(b, "&quot;"...)
		case r == '\t' || r == '\n' || r == '\r':
			b = utf8.AppendRune(b, r)
		case r < 0x20 || r == 0xFFFE || r == 0xFFFF || r >= 0xD800 && r < 0xE000 || r == utf8.RuneError:
			b = append(b, ' ')
		default:
			b = utf8.AppendRune(b, r)
		}
	}
	return b
}

func escape(s string) string { return string(appendText(nil, s)) }

// isNumber accepts what a spreadsheet reads as a number: an optional
// sign, digits with at most one point.
func isNumber(s string) bool {
	s = strings.TrimPrefix(s, "-")
	if s == "" || s == "." {
		return false
	}
	dot := false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '.' && !dot:
			dot = true
		case c >= '0' && c <= '9':
		default:
			return false
		}
	}
	return true
}
