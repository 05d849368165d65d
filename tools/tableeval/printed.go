package main

import (
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"

	"yusuan"
	"yusuan/extract/layout"
	"yusuan/vocab"
)

// printed is a table as the document prints it: its label and title on the
// page where it starts. It is read from the text with loose rules of its
// own (a line ending in 表 that names budget words and is followed by a
// unit, a header or amounts), not with the extractor's, so that a table the
// extractor misses or misnames shows.
type printed struct {
	label, title string
	page         int
}

var (
	// titleEnd: 表, perhaps followed by a bracketed remark.
	titleEnd = regexp.MustCompile(`表(?:[（(][^（）()]{0,24}[）)])?$`)
	// budgetWord: a table title names one of these.
	budgetWord = regexp.MustCompile(`预算|决算|收入|支出|收支|经费|资金|采购|绩效|评价`)
	// tableStart: what follows a title: a unit, a header word, an amount,
	// a no-data note.
	tableStart = regexp.MustCompile(`单位[：:]|名称[：:]|指标|万元|科目|项目|合计|总计|收入|支出|\d[\d,]*\.\d{2}|无数据|为空|本表无`)
	// notTitle: notes, sentences, sets of tables.
	// ordinal: 一、 or 9. before a title.
	ordinal  = regexp.MustCompile(`^(?:[一二三四五六七八九十]+、|\d{1,2}[.．、])`)
	notTitle = regexp.MustCompile(`^(?:注|备注|说明)[：:]|[，。；！？]|报表$`)
)

// printedTables scans the pages for printed table titles, once per table
// (a title repeated atop its continuation pages counts once).
func printedTables(pages []layout.Page) []printed {
	var out []printed
	for k, p := range pages {
		texts := make([]string, len(p.Lines))
		for i, l := range p.Lines {
			texts[i] = vocab.Squeeze(l.Text())
		}
		if contentsPage(texts) {
			continue
		}
		for i := 0; i < len(texts); i++ {
			label, rest := vocab.SplitLabel(texts[i])
			title, last := rest, i
			switch {
			case rest == "" && label == "":
				continue
			case rest == "" || label == "" && isLabelLine(rest):
				// A label on a line of its own: the title is next to it.
				if label == "" {
					label = rest
				}
				title = ""
				for _, j := range []int{i + 1, i - 1, i + 2} {
					if j >= 0 && j < len(texts) && looksLikeTitle(texts[j]) {
						title, last = texts[j], max(i, j)
						break
					}
				}
				if title == "" {
					continue
				}
			case !titleEnd.MatchString(rest) && i+1 < len(texts) && utf8.RuneCountInString(texts[i+1]) <= 8 &&
				strings.HasSuffix(texts[i+1], "表") && !ordinal.MatchString(texts[i+1]) &&
				(label != "" || ordinal.MatchString(rest) || !looksLikeTitle(texts[i+1])):
				// A title wrapped over two lines: the second is a title's
				// end (算表), or the first starts like a title.
				title, last = rest+texts[i+1], i+1
			}
			if !looksLikeTitle(title) || !followedByTable(pages, k, last) {
				continue
			}
			i = last
			title = ordinal.ReplaceAllString(title, "")
			// The same title again is the table continuing.
			if n := len(out); n > 0 && out[n-1].title == title && (label == "" || out[n-1].label == label) {
				continue
			}
			if label == "" {
				for _, j := range []int{i - 1, i + 1} {
					if j >= 0 && j < len(texts) {
						if l, r := vocab.SplitLabel(texts[j]); l != "" && r == "" {
							label = l
						}
					}
				}
			}
			out = append(out, printed{label: label, title: title, page: p.Number})
		}
	}
	return out
}

func isLabelLine(s string) bool {
	_, ok := vocab.LabelOnly(s)
	return ok
}

func looksLikeTitle(s string) bool {
	n := utf8.RuneCountInString(s)
	return n >= 4 && n <= 70 && titleEnd.MatchString(s) && budgetWord.MatchString(s) && !notTitle.MatchString(s) && !vocab.PartRe.MatchString(s)
}

// followedByTable reports whether a table follows line i of page k: among
// the next lines (on this page or atop the next), one holds a unit, a header
// word or an amount before another title-like line does.
func followedByTable(pages []layout.Page, k, i int) bool {
	seen := 0
	for ; k < len(pages) && seen < 8; k, i = k+1, -1 {
		for j := i + 1; j < len(pages[k].Lines) && seen < 8; j++ {
			t := vocab.Squeeze(pages[k].Lines[j].Text())
			if t == "" || vocab.PageNumberRe.MatchString(t) || isLabelLine(t) {
				continue
			}
			seen++
			if looksLikeTitle(t) || vocab.HeadingRe.MatchString(t) && !tableStart.MatchString(t) {
				return false
			}
			if tableStart.MatchString(t) {
				return true
			}
		}
	}
	return false
}

func contentsPage(texts []string) bool {
	for _, t := range texts {
		if vocab.IsContentsHeading(t) {
			return true
		}
	}
	return false
}

// match pairs each printed table with the extracted table that holds its
// first page and whose title matches; the rest of the extracted tables are
// extra.
func match(pr []printed, tables []yusuan.Table) (found []int, extra []int) {
	used := make([]bool, len(tables))
	found = make([]int, len(pr))
	for i, p := range pr {
		found[i] = -1
		for k, t := range tables {
			if used[k] || !containsPage(t.Pages, p.page) && !containsPage(t.Pages, p.page+1) {
				continue
			}
			tt := vocab.Squeeze(t.Title)
			if tt != "" && (strings.Contains(p.title, tt) || strings.Contains(tt, p.title)) || t.Label != "" && t.Label == p.label {
				found[i], used[k] = k, true
				break
			}
		}
	}
	for k := range tables {
		if !used[k] {
			extra = append(extra, k)
		}
	}
	return found, extra
}

func containsPage(pages []int, p int) bool {
	for _, q := range pages {
		if q == p {
			return true
		}
	}
	return false
}

func pageSpan(pages []int) string {
	if len(pages) == 0 {
		return "p-"
	}
	if len(pages) == 1 {
		return fmt.Sprintf("p%d", pages[0])
	}
	return fmt.Sprintf("p%d-%d", pages[0], pages[len(pages)-1])
}

// cellAmountRe is an amount standing alone between blanks, as in a table
// cell (not 121,393.52万元 in a sentence).
var cellAmountRe = regexp.MustCompile(`(?:^|\s)-?\d[\d,]*\.\d{2}(?:\s|$)`)

// tablePagesAfter lists the pages after a table's last page, before the
// next printed table (next, 0 when none), that look like the table going on:
// three lines or more printing two amounts each as cells.
func tablePagesAfter(pages []layout.Page, got []int, next int) []int {
	if len(got) == 0 {
		return nil
	}
	var out []int
	for _, p := range pages {
		if p.Number <= got[len(got)-1] || next > 0 && p.Number >= next {
			continue
		}
		rows := 0
		for _, l := range p.Lines {
			// Blanks between amounts: the regexp's matches must not share
			// them, so count on a line with each blank doubled.
			t := strings.ReplaceAll(" "+l.Text()+" ", " ", "  ")
			if len(cellAmountRe.FindAllString(t, 3)) >= 2 {
				rows++
			}
		}
		if rows < 3 {
			break
		}
		out = append(out, p.Number)
	}
	return out
}
