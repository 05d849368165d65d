// Package table rebuilds disclosure tables from positioned text and ruling
// lines: table regions start at a title the template package recognises,
// columns come from ruling lines when the page has them and otherwise from
// text edges (amounts aligned in columns, header words above them), rows
// from vertical overlap with wrapped cell text joined, and tables continuing
// over pages are merged. A region ends at the next title, at a narrative
// heading or at prose. Two-sided tables are rebuilt one side at a time;
// performance-target forms (项目名称 … 年度资金总额：) give one row per
// project.
package table

import (
	"context"
	"fmt"
	"slices"

	"yusuan"
	"yusuan/extract/layout"
	"yusuan/vocab"
)

// Extract finds and rebuilds the tables of a document. tablePages holds the
// pages whose lines are mostly table (the narrative parser skips them; a page
// mixing prose with a short table is not one). A table that cannot be rebuilt
// becomes a warning; the others still come out. When ctx ends, the tables
// rebuilt so far come out with a warning.
func Extract(ctx context.Context, pages []layout.Page) (tables []yusuan.Table, tablePages map[int]bool, warnings []string) {
	return ExtractWith(ctx, pages, DefaultSettings())
}

// ExtractWith is Extract with other settings of the table model (zero
// fields take their defaults).
func ExtractWith(ctx context.Context, pages []layout.Page, s Settings) (tables []yusuan.Table, tablePages map[int]bool, warnings []string) {
	s = s.withDefaults()
	tablePages = map[int]bool{}
	var prev *region
	for _, r := range findRegions(pages) {
		if err := ctx.Err(); err != nil {
			warnings = append(warnings, fmt.Sprintf("tables from page %d on skipped: %v", r.page, err))
			break
		}
		t, used, err := safeBuild(ctx, r, &s)
		if err != nil {
			warnings = append(warnings, fmt.Sprintf("page %d: table %s: %v", r.page, r.title.Title, err))
			continue
		}
		if !used {
			continue
		}
		// A page is a table page when the table holds most of its lines;
		// a page mixing prose and a short table stays with the narrative.
		for _, p := range r.parts {
			if slices.Contains(t.Pages, p.page.Number) && 2*len(p.lines) >= len(p.page.Lines) {
				tablePages[p.page.Number] = true
			}
		}
		if n := len(tables); n > 0 && continues(prev, r, &tables[n-1], &t) {
			merge(&tables[n-1], t)
			prev = r
			continue
		}
		if t.Kind == yusuan.Other {
			warnings = append(warnings, fmt.Sprintf("page %d: table %s not mapped to a known kind", r.page, t.Title))
		}
		tables = append(tables, t)
		prev = r
	}
	for i := range tables {
		fillPeriodNames(tables[i].Rows)
		assess(&tables[i])
	}
	return tables, tablePages, warnings
}

// continues reports whether region r is the same table as the previous one
// printed again on the next page (title repeated with the same entity).
func continues(prev, r *region, last, t *yusuan.Table) bool {
	if prev == nil || last.Kind != t.Kind || last.Title != t.Title || prev.entity != r.entity {
		return false
	}
	lp := last.Pages[len(last.Pages)-1]
	return t.Pages[0] == lp+1 || t.Pages[0] == lp
}

func merge(dst *yusuan.Table, src yusuan.Table) {
	for _, p := range src.Pages {
		if !slices.Contains(dst.Pages, p) {
			dst.Pages = append(dst.Pages, p)
		}
	}
	for _, c := range src.Columns {
		if !slices.Contains(dst.Columns, c) {
			dst.Columns = append(dst.Columns, c)
		}
	}
	for k, v := range src.Headers {
		if dst.Headers == nil {
			dst.Headers = map[string]string{}
		}
		if _, ok := dst.Headers[k]; !ok {
			dst.Headers[k] = v
		}
	}
	completeCodes(dst.Rows, src.Rows)
	dst.Doubts = append(dst.Doubts, shiftDoubts(src.Doubts, len(dst.Rows))...)
	dst.Areas = append(dst.Areas, src.Areas...)
	dst.Rows = append(dst.Rows, src.Rows...)
	dst.Empty = dst.Empty && src.Empty
}

func safeBuild(ctx context.Context, r *region, s *Settings) (t yusuan.Table, used bool, err error) {
	defer func() {
		if x := recover(); x != nil {
			err = fmt.Errorf("rebuilding failed: %v", x)
		}
	}()
	return build(ctx, r, s)
}

// fillPeriodNames names the rows of a table printing one row per period
// (年度: 2025年, 2026年, 增减变化金额) beside a name printed once, in a cell
// merged over its rows (预算单位), which may continue on the next page: a
// row with a period for its second name and no name is the name's above.
func fillPeriodNames(rows []yusuan.Row) {
	for i := 1; i < len(rows); i++ {
		r := &rows[i]
		if r.Name != "" || r.Code != nil || r.Name2 == "" {
			continue
		}
		if p, _ := vocab.PeriodOf(r.Name2); p == vocab.PeriodYear || p == vocab.PeriodChange {
			r.Name = rows[i-1].Name
		}
	}
}
