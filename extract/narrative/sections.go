package narrative

import (
	"regexp"
	"sort"
	"strings"
	"unicode/utf8"

	"yusuan"
)

// headingPatterns are the numbering schemes that open a section, outermost
// first. A line is a heading when it starts with one of them and is short
// and unpunctuated, as headings are (a long or punctuated line that starts
// with "1、" is a list item of a paragraph).
var headingPatterns = []*regexp.Regexp{
	regexp.MustCompile(`^第[一二三四五六七八九十百]+部分`),
	regexp.MustCompile(`^[一二三四五六七八九十]{1,3}\s*[、.．]`),
	regexp.MustCompile(`^[（(][一二三四五六七八九十]{1,3}[）)]`),
	regexp.MustCompile(`^\d{1,2}\s*(?:[、．]|\.(?:[^\d]|$))`),
	regexp.MustCompile(`^[（(]\d{1,2}[）)]`),
	regexp.MustCompile(`^[①②③④⑤⑥⑦⑧⑨⑩]`),
	// Unnumbered headings such as "2025年单位预算编制说明".
	regexp.MustCompile(`^(?:\d{4}\s*年度?)?[\p{Han}“”（）()]{2,24}(?:编制说明|情况说明|收支说明|名词解释|概况)`),
}

// notHeading rules out lines that start like a heading but carry a
// sentence or a figure.
var notHeading = regexp.MustCompile(`[。；，,;]|\d+(?:\.\d+)?\s*(?:万元|元|%|％)`)

// headingLike reports whether the squeezed text reads as a heading.
func headingLike(t string) bool { return headingLevel(t, false) >= 0 }

// headingLevel returns the numbering level of a heading (0 = 第X部分), or
// -1 when t is not a heading. emphasised (bold or large type) allows a
// longer heading.
func headingLevel(t string, emphasised bool) int {
	t = strings.TrimSpace(t)
	max := 40
	if emphasised {
		max = 60
	}
	if t == "" || utf8.RuneCountInString(t) > max || notHeading.MatchString(t) {
		return -1
	}
	for i, re := range headingPatterns {
		if loc := re.FindStringIndex(t); loc != nil {
			if strings.TrimSpace(t[loc[1]:]) == "" && i < len(headingPatterns)-1 {
				return -1 // a bare number is no heading
			}
			return i
		}
	}
	return -1
}

// tocLine marks the start of a table of contents; the rest of its page is
// skipped.
var tocLine = regexp.MustCompile(`^目\s*录$`)

// paraEnd ends a paragraph when it closes a line; listStart opens one.
var (
	paraEnd   = regexp.MustCompile(`[。！？：:；;]$`)
	listStart = regexp.MustCompile(`^(?:\d{1,2}[、.．]|[（(][\d一二三四五六七八九十]{1,3}[）)]|[①②③④⑤⑥⑦⑧⑨⑩]|其中[：:])`)
)

// piece is a run of section text from one page.
type piece struct {
	text string
	page int
}

// section is a section under construction: its text as pieces with pages,
// paragraphs separated by "\n".
type section struct {
	heading string
	page    int
	pieces  []piece
}

func (s *section) text() string {
	var b strings.Builder
	for _, p := range s.pieces {
		b.WriteString(p.text)
	}
	return strings.TrimSpace(b.String())
}

// add appends a line, starting a new paragraph when asked.
func (s *section) add(t string, page int, newPara bool) {
	if len(s.pieces) == 0 {
		s.pieces = append(s.pieces, piece{t, page})
		return
	}
	if newPara {
		s.pieces = append(s.pieces, piece{"\n" + t, page})
		return
	}
	last := &s.pieces[len(s.pieces)-1]
	joined := joinText(last.text, t)
	add := joined[len(last.text):]
	if last.page == page {
		last.text = joined
	} else {
		s.pieces = append(s.pieces, piece{add, page})
	}
}

// Sections splits the prose of a document into headed sections. Pages for
// which skip returns true (tables claimed by the table extractor) are left
// out, and so are pages that look like tables, tables of contents, page
// numbers and running headers.
func Sections(lines []Line, skip func(page int) bool) []yusuan.Section {
	secs := buildSections(lines, skip)
	out := make([]yusuan.Section, 0, len(secs))
	for _, s := range secs {
		out = append(out, yusuan.Section{Heading: s.heading, Text: s.text(), Page: s.page})
	}
	return out
}

func buildSections(lines []Line, skip func(page int) bool) []*section {
	tables, heavy := tablePages(lines)
	var kept []Line
	for _, l := range lines {
		if tables[l.Page] || skip != nil && skip(l.Page) {
			continue
		}
		kept = append(kept, l)
	}
	kept = dropTOC(kept)
	headers := runningHeaders(kept)
	body := bodySize(kept)

	var secs []*section
	var cur *section
	prevEnded := true
	for _, l := range kept {
		raw := strings.TrimSpace(l.Text)
		if raw == "" || isArtefact(raw) || headers[headerKey(raw)] {
			continue
		}
		t := squeeze(raw)
		emph := l.Bold || body > 0 && l.Size > body*1.1
		isHeading := headingLevel(t, emph) >= 0
		// A table row on a prose page (a small table inside the text) is
		// no part of a paragraph.
		if onlyNumbers(raw) || !isHeading && tabular(l.Text) && (heavy[l.Page] || !proseLine(t)) {
			continue
		}
		if isHeading {
			cur = &section{heading: t, page: l.Page}
			secs = append(secs, cur)
			prevEnded = true
			continue
		}
		if cur == nil {
			continue // cover text before the first heading
		}
		cur.add(t, l.Page, prevEnded || listStart.MatchString(t))
		prevEnded = paraEnd.MatchString(t)
	}
	return dedupeTOC(secs)
}

// onlyNumbers reports a line of nothing but amounts (a table row that
// slipped onto a prose page).
func onlyNumbers(s string) bool {
	for _, f := range strings.Fields(s) {
		if !isAmountToken(f) {
			return false
		}
	}
	return true
}

// dropTOC removes a table of contents: from a "目录" line to the end of its
// page.
func dropTOC(lines []Line) []Line {
	out := lines[:0:0]
	tocPage := -1
	for _, l := range lines {
		if tocLine.MatchString(squeeze(l.Text)) {
			tocPage = l.Page
			continue
		}
		if l.Page == tocPage {
			continue
		}
		out = append(out, l)
	}
	return out
}

// dedupeTOC drops empty sections whose heading comes again later: entries
// of a contents list printed without leaders.
func dedupeTOC(secs []*section) []*section {
	later := map[string]int{}
	for _, s := range secs {
		later[s.heading]++
	}
	out := secs[:0]
	for _, s := range secs {
		later[s.heading]--
		if s.text() == "" && later[s.heading] > 0 {
			continue
		}
		out = append(out, s)
	}
	return out
}

// bodySize is the most common font size, the size of body text; 0 when
// sizes are unknown.
func bodySize(lines []Line) float64 {
	count := map[float64]int{}
	for _, l := range lines {
		if l.Size > 0 {
			count[l.Size] += utf8.RuneCountInString(l.Text)
		}
	}
	sizes := make([]float64, 0, len(count))
	for s := range count {
		sizes = append(sizes, s)
	}
	sort.Float64s(sizes)
	best, bestN := 0.0, 0
	for _, s := range sizes {
		if count[s] > bestN {
			best, bestN = s, count[s]
		}
	}
	return best
}
