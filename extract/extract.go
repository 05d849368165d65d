package extract

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"

	"yusuan"
	"yusuan/extract/docmeta"
	"yusuan/extract/layout"
	"yusuan/extract/narrative"
	"yusuan/extract/table"
)

// Extract reads one PDF into a Document. It never fails: a file that cannot
// be read at all gets a record with Error set, and problems that lose only
// part of the document (a page, a table, a font) become warnings.
func Extract(ctx context.Context, data []byte, fileName string, opt Options) *yusuan.Document {
	sum := sha256.Sum256(data)
	doc := &yusuan.Document{
		Schema:    yusuan.SchemaVersion,
		File:      fileName,
		SHA256:    hex.EncodeToString(sum[:]),
		Extractor: Version,
		Meta:      yusuan.Meta{Scope: yusuan.ScopeUnknown, Kind: yusuan.KindUnknown},
		Tables:    []yusuan.Table{},
		Narrative: []yusuan.Section{},
		Facts:     yusuan.Facts{},
		Warnings:  []string{},
	}
	t, err := ReadText(ctx, data, opt)
	if t == nil {
		doc.Error = err.Error()
		return doc
	}
	if err != nil {
		doc.Warnings = append(doc.Warnings, err.Error())
	}
	doc.Pages = len(t.Pages)
	doc.Producer = strings.TrimSpace(t.Doc.Producer)
	if doc.Producer == "" {
		doc.Producer = strings.TrimSpace(t.Doc.Creator)
	}
	doc.TextLayer = t.TextLayer
	doc.Warnings = append(doc.Warnings, t.Warnings...)
	if !t.TextLayer {
		return doc
	}
	analyse(doc, t.Pages)
	return doc
}

// analyse fills tables, narrative, facts and metadata from the lines. A
// panic in any part is contained and reported, keeping the other parts.
func analyse(doc *yusuan.Document, pages []layout.Page) {
	contain(doc, "tables", func() {
		var warns []string
		doc.Tables, _, warns = table.Extract(pages)
		if doc.Tables == nil {
			doc.Tables = []yusuan.Table{}
		}
		doc.Warnings = append(doc.Warnings, warns...)
	})
	lines := narrativeLines(pages)
	contain(doc, "narrative", func() {
		// Narrative and tables share pages (绩效目标表 inside 绩效管理情况), so
		// only the lines inside a table's rows are left out, not whole pages.
		sections, facts, sources, warns := narrative.Parse(outsideTables(lines, doc.Tables))
		if sections != nil {
			doc.Narrative = sections
		}
		if facts != nil {
			doc.Facts = facts
		}
		doc.Sources = sources
		doc.Warnings = append(doc.Warnings, warns...)
	})
	contain(doc, "document metadata", func() {
		var first []docmeta.Line
		for _, l := range lines {
			if l.Page > 3 {
				break
			}
			first = append(first, l)
		}
		titles := make([]string, 0, len(doc.Tables))
		for _, tb := range doc.Tables {
			titles = append(titles, tb.Title)
		}
		doc.Meta = docmeta.Detect(first, titles)
	})
}

func contain(doc *yusuan.Document, part string, fn func()) {
	defer func() {
		if x := recover(); x != nil {
			doc.Warnings = append(doc.Warnings, fmt.Sprintf("%s: internal error, part skipped: %v", part, x))
		}
	}()
	fn()
}

// narrativeLines flattens the visible lines of every page for the narrative
// and metadata parsers.
func narrativeLines(pages []layout.Page) []narrative.Line {
	var out []narrative.Line
	for _, p := range pages {
		for _, l := range p.Lines {
			bold := false
			for _, s := range l.Segments {
				f := strings.ToLower(s.Font)
				if strings.Contains(f, "bold") || strings.Contains(f, "hei") || strings.Contains(s.Font, "黑") {
					bold = true
				}
			}
			out = append(out, narrative.Line{Page: p.Number, Text: l.Text(), Size: l.Size(), Bold: bold, X: l.X0, Y: l.Y1})
		}
	}
	return out
}

// outsideTables drops the lines that lie within the rows of a table.
func outsideTables(lines []narrative.Line, tables []yusuan.Table) []narrative.Line {
	type span struct{ y0, y1 float64 }
	spans := map[int][]span{}
	for _, t := range tables {
		byPage := map[int]span{}
		for _, r := range t.Rows {
			if r.BBox == nil {
				continue
			}
			sp, ok := byPage[r.Page]
			if !ok {
				sp = span{r.BBox[1], r.BBox[3]}
			}
			byPage[r.Page] = span{min(sp.y0, r.BBox[1]), max(sp.y1, r.BBox[3])}
		}
		for p, sp := range byPage {
			spans[p] = append(spans[p], sp)
		}
	}
	out := lines[:0:0]
	for _, l := range lines {
		inside := false
		for _, sp := range spans[l.Page] {
			if l.Y-0.3*l.Size >= sp.y0-1 && l.Y-0.3*l.Size <= sp.y1+1 {
				inside = true
				break
			}
		}
		if !inside {
			out = append(out, l)
		}
	}
	return out
}
