package extract

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math"
	"regexp"
	"strings"

	"yusuan"
	"yusuan/extract/docmeta"
	"yusuan/extract/layout"
	"yusuan/extract/narrative"
	"yusuan/extract/table"
)

// Extract reads one PDF into a Document. It never fails: a file that cannot
// be read at all gets a record with Error and ErrorKind set (a file over a
// per-file limit or past its time included), and problems that lose only
// part of the document (a page, a table, a font) become warnings. All work
// on the file stops by opt.Timeout.
func Extract(ctx context.Context, data []byte, fileName string, opt Options) *yusuan.Document {
	sum := sha256.Sum256(data)
	newDoc := func() *yusuan.Document {
		return &yusuan.Document{
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
	}
	opt = opt.withDefaults()
	ctx, cancel := context.WithTimeout(ctx, opt.Timeout)
	defer cancel()
	var doc *yusuan.Document
	if !bounded(ctx, func(ctx context.Context) { doc = extract(ctx, data, opt, newDoc()) }) {
		doc = newDoc()
		fail(doc, timeoutError(ctx, opt.Timeout))
	}
	return doc
}

func extract(ctx context.Context, data []byte, opt Options, doc *yusuan.Document) *yusuan.Document {
	t, err := textOf(ctx, data, opt)
	if t == nil {
		fail(doc, err)
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
	doc.TextLayer, doc.TextUnreadable, doc.GarbledChars = t.TextLayer, t.Unreadable, t.Garbled
	doc.Warnings = append(doc.Warnings, t.Warnings...)
	if !t.TextLayer || t.Unreadable {
		// Tables read from guessed text would be misreads: nothing is read.
		return doc
	}
	analyse(ctx, doc, t.Pages)
	if ctx.Err() != nil {
		// A file cut short is a failure, so that a later run retries it.
		fail(doc, timeoutError(ctx, opt.Timeout))
	}
	return doc
}

// fail records why the file could not be read; what was read is dropped.
func fail(doc *yusuan.Document, err error) {
	doc.Error = err.Error()
	doc.ErrorKind = FailureKind(err)
	doc.Tables = []yusuan.Table{}
	doc.Narrative = []yusuan.Section{}
	doc.Facts = yusuan.Facts{}
	doc.Sources = nil
}

// analyse fills tables, narrative, facts and metadata from the lines. A
// panic in any part is contained and reported, keeping the other parts.
func analyse(ctx context.Context, doc *yusuan.Document, pages []layout.Page) {
	contain(doc, "tables", func() {
		var warns []string
		doc.Tables, _, warns = table.Extract(ctx, pages)
		if doc.Tables == nil {
			doc.Tables = []yusuan.Table{}
		}
		doc.Warnings = append(doc.Warnings, warns...)
	})
	if ctx.Err() != nil {
		return
	}
	lines := narrativeLines(pages)
	contain(doc, "narrative", func() {
		// Narrative and tables share pages (绩效目标表 inside 绩效管理情况), so
		// only the lines inside a table's rows are left out, not whole pages.
		sections, facts, sources, warns, err := narrative.Parse(ctx, outsideTables(lines, doc.Tables))
		if err != nil {
			return // ctx ended: the caller records the timeout
		}
		if sections != nil {
			doc.Narrative = sections
		}
		if facts != nil {
			doc.Facts = facts
		}
		placeFigures(pages, sources)
		doc.Sources = sources
		doc.Warnings = append(doc.Warnings, warns...)
		doc.Contents = narrative.Contents(lines)
	})
	if ctx.Err() != nil {
		return
	}
	contain(doc, "document metadata", func() {
		titles := make([]string, 0, len(doc.Tables))
		for _, tb := range doc.Tables {
			titles = append(titles, tb.Title)
		}
		doc.Meta = docmeta.Detect(lines, titles)
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

// outsideTables drops the lines a table prints: on each of its pages, from
// its title (and the label printed above it) down to its last row and the
// notes right under it (注：本表无数据, the 尾差 note), so that titles, unit
// lines and header rows do not leak into the narrative. A continuation
// page without a repeated title is dropped from its top; an empty table
// (no rows) runs from its title to the next heading, sentence or title.
func outsideTables(lines []narrative.Line, tables []yusuan.Table) []narrative.Line {
	squeeze := func(s string) string {
		return strings.Map(func(r rune) rune {
			if r == ' ' || r == '\t' || r == '\u3000' || r == '\u00a0' {
				return -1
			}
			return r
		}, s)
	}
	byPage := map[int][]int{}
	for i, l := range lines {
		byPage[l.Page] = append(byPage[l.Page], i)
	}
	titles := map[string]bool{}
	for _, t := range tables {
		titles[squeeze(t.Title)] = true
	}
	// isTitle: the line prints the table's title, perhaps with its label,
	// unit or a short remark, and is no sentence mentioning it.
	isTitle := func(text, title string) bool {
		s, tt := squeeze(text), squeeze(title)
		return tt != "" && strings.Contains(s, tt) && len([]rune(s)) <= len([]rune(tt))+16
	}
	otherTitle := func(text string, self string) bool {
		for tt := range titles {
			if tt != squeeze(self) && isTitle(text, tt) {
				return true
			}
		}
		return false
	}
	mid := func(l narrative.Line) float64 { return l.Y - 0.5*max(l.Size, 1) }
	// A heading (第X部分, 一、, （一）) or a sentence starts the narrative.
	headingRe := regexp.MustCompile(`^(?:第[一二三四五六七八九十]+部分|[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)])`)
	narrativeStart := func(s string) bool {
		return headingRe.MatchString(s) || len([]rune(s)) >= 20 && strings.ContainsAny(s, "，。；")
	}
	isNote := func(s string) bool {
		s = squeeze(s)
		return (strings.HasPrefix(s, "注") || strings.HasPrefix(s, "说明：") || strings.HasPrefix(s, "备注")) && len([]rune(s)) <= 120
	}
	drop := make([]bool, len(lines))
	for _, t := range tables {
		for k, p := range t.Pages {
			idx := byPage[p]
			lo, hi := math.Inf(1), math.Inf(-1)
			for _, r := range t.Rows {
				if r.Page == p && r.BBox != nil {
					lo, hi = min(lo, r.BBox[1]), max(hi, r.BBox[3])
				}
			}
			rows := !math.IsInf(lo, 1)
			ti := -1 // position in idx of the title line
			for j, i := range idx {
				if isTitle(lines[i].Text, t.Title) && (!rows || mid(lines[i]) >= hi-1) {
					ti = j
					if !rows {
						break
					}
				}
			}
			top := hi
			switch {
			case ti >= 0:
				top = lines[idx[ti]].Y + 1
				if ti > 0 && t.Label != "" && squeeze(lines[idx[ti-1]].Text) == squeeze(t.Label) {
					top = lines[idx[ti-1]].Y + 1
				}
			case k > 0 && !rows && k < len(t.Pages)-1:
				for _, i := range idx { // a page in the middle: all the table's
					drop[i] = true
				}
				continue
			case k > 0:
				top = math.Inf(1) // a continuation: the page's top is the table's
			case !rows:
				continue
			}
			bottom := lo
			// Below the last row (or, in an empty table, below the title):
			// notes belong to the table; so do the header and item lines
			// of an empty table, up to the next heading, sentence or title.
			start := 0
			if rows {
				for start < len(idx) && mid(lines[idx[start]]) >= lo-1 {
					start++
				}
			} else {
				start = ti + 1
				bottom = top
			}
			for j := start; j < len(idx); j++ {
				l := lines[idx[j]]
				if isNote(l.Text) {
					bottom = l.Y - max(l.Size, 1)
					continue
				}
				// On a page the table continues to, sentences may be its
				// cells (绩效目标 forms): only a heading ends it there.
				end := narrativeStart(squeeze(l.Text))
				if k > 0 {
					end = headingRe.MatchString(squeeze(l.Text))
				}
				if rows || otherTitle(l.Text, t.Title) || end {
					break
				}
				bottom = l.Y - max(l.Size, 1)
			}
			for _, i := range idx {
				if m := mid(lines[i]); m >= bottom-1 && m <= top+1 {
					drop[i] = true
				}
			}
		}
	}
	out := lines[:0:0]
	for i, l := range lines {
		if !drop[i] {
			out = append(out, l)
		}
	}
	return out
}
