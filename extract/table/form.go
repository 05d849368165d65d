package table

import (
	"context"
	"math"
	"regexp"
	"strings"

	"yusuan"
)

// Some performance-target tables are forms, one project per form: label
// cells (项目名称, 实施期资金总额：) each followed by their value, not columns
// under a header row. A form gives one row per 项目名称: its name, and the
// amounts printed after labels ending in a colon, keyed by the label.

// fieldLabelRe is a form label or a column heading: words that end the
// names of fields (实施单位, 项目类别, 年度绩效目标, 主管部门及代码 …).
var fieldLabelRe = regexp.MustCompile(`(?:单位|部门|类别|目标|指标|资金|属性|期|代码|名称|金额|预算数|总额)(?:[（(][^（）()]*[）)])?$`)

func isProjectLabel(c cell) bool { return squeeze(c.text) == "项目名称" }

// formStart reports whether a line opens a form: 项目名称 followed by a
// project's name rather than by other column headings.
func formStart(l tline) bool {
	if len(l.cells) < 2 || !isProjectLabel(l.cells[0]) {
		return false
	}
	v := squeeze(l.cells[1].text)
	return v != "" && !l.cells[1].num && !fieldLabelRe.MatchString(v)
}

// isForm looks at the first three lines of the region's first part.
func isForm(r *region) bool {
	if len(r.parts) == 0 {
		return false
	}
	for i, l := range r.parts[0].lines {
		if i >= 3 {
			break
		}
		if formStart(wholeLine(l)) {
			return true
		}
	}
	return false
}

// wholeLine is the line with its cells cut at column gaps only.
func wholeLine(l tline) tline {
	if len(l.whole) > 0 {
		l.cells = l.whole
	}
	return l
}

// buildForm reads a region of forms; ok is false when no amount was found
// (then the region is read as a grid).
func buildForm(ctx context.Context, r *region, t yusuan.Table) (yusuan.Table, bool) {
	var cur *yusuan.Row
	var nameX float64 // x of the name's first line, for its wrapped lines
	var nameY float64
	wrapping := false
	var rows []yusuan.Row
	flush := func() {
		if cur != nil {
			rows = append(rows, *cur)
			cur = nil
		}
	}
	keys := []string{}
	for _, p := range r.parts {
		if ctx.Err() != nil {
			return t, false
		}
		if len(p.lines) > 0 && !contains(t.Pages, p.page.Number) {
			t.Pages = append(t.Pages, p.page.Number)
		}
		for _, l := range p.lines {
			l = wholeLine(l)
			if formStart(l) {
				flush()
				v := l.cells[1]
				cur = &yusuan.Row{Name: strings.TrimSpace(v.text), Page: l.page, Values: map[string]yusuan.Amount{}}
				b := yusuan.Rect{v.x0, v.y0, v.x1, v.y1}
				cur.BBox = &b
				nameX, nameY, wrapping = v.x0, v.y0, true
				continue
			}
			if cur == nil {
				continue
			}
			// The row's box covers its form on its first page.
			if l.page == cur.Page {
				b := cur.BBox
				b[0], b[1], b[2], b[3] = math.Min(b[0], l.x0), math.Min(b[1], l.y0), math.Max(b[2], l.x1), math.Max(b[3], l.y1)
			}
			// The name wrapped under itself: lines printing only text at
			// the name's left edge, right below it.
			if wrapping && len(l.cells) == 1 && math.Abs(l.cells[0].x0-nameX) < 1 && !l.cells[0].num && nameY-l.y1 < l.size && l.page == cur.Page {
				cur.Name = joinText(cur.Name, strings.TrimSpace(l.cells[0].text))
				nameY = l.y0
				cur.BBox[1] = math.Min(cur.BBox[1], l.y0)
				continue
			}
			wrapping = false
			for i := 0; i+1 < len(l.cells); i++ {
				label := squeeze(l.cells[i].text)
				if !strings.HasSuffix(label, "：") && !strings.HasSuffix(label, ":") || !l.cells[i+1].num {
					continue
				}
				key := strings.TrimRight(label, "：:")
				if strings.Contains(key, "日期") || strings.Contains(key, "电话") {
					continue // 填报日期：20260225 is no amount
				}
				a, err := yusuan.ParseAmount(l.cells[i+1].text)
				if err != nil || key == "" {
					continue
				}
				if _, dup := cur.Values[key]; !dup {
					cur.Values[key] = a
					if !contains(keys, key) {
						keys = append(keys, key)
					}
				}
			}
		}
	}
	flush()
	if !anyValue(rows) {
		return t, false
	}
	for i := range rows {
		for _, k := range keys {
			if _, ok := rows[i].Values[k]; !ok {
				rows[i].Values[k] = yusuan.Null
			}
		}
	}
	t.Rows = rows
	t.Columns = keys
	return t, true
}

func contains[T comparable](s []T, v T) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}
