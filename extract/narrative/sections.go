package narrative

import (
	"math"
	"regexp"
	"sort"
	"strings"
	"unicode/utf8"

	"yusuan"
	"yusuan/vocab"
)

// headingPatterns are the numbering schemes of section headings, outermost
// first: 第X部分, 一、, （一）. Arabic and circled numbers (1. 2、 （1） ①) number
// list items inside paragraphs ("2.人事财务科负责机关、所属单位的干部人事…",
// "①公务用车购置费"), never headings. A line is a heading when it starts
// with one of these and is short and unpunctuated, as headings are.
var headingPatterns = []*regexp.Regexp{
	regexp.MustCompile(`^第[一二三四五六七八九十百]+部分`),
	regexp.MustCompile(`^[一二三四五六七八九十]{1,3}\s*[、.．]`),
	regexp.MustCompile(`^[（(][一二三四五六七八九十]{1,3}[）)]`),
}

// unnumberedHeading is a heading printed without a number, such as
// "2025年单位预算编制说明"; it counts as outermost.
var unnumberedHeading = regexp.MustCompile(`^(?:\d{4}\s*年度?)?[\p{Han}“”（）()]{2,24}(?:编制说明|情况说明|收支说明|名词解释|概况)$`)

// notHeading rules out lines that start like a heading but carry a
// sentence, a definition (一、基本支出：指…) or a figure, or break off
// inside an enumeration (…政治、经济、教育、).
var notHeading = regexp.MustCompile(`[。；，,;：:！？!?]|、$|\d+(?:\.\d+)?\s*(?:万元|元|%|％)`)

// Heading lengths, in characters: plain and emphasised (bold or large
// type, which long two-line headings usually are).
const (
	maxHeading           = 30
	maxEmphasisedHeading = 40
)

// headingLike reports whether the squeezed text reads as a heading.
func headingLike(t string) bool { return headingLevel(t, false) >= 0 }

// headingLevel returns the numbering level of a heading (0 = 第X部分 or an
// unnumbered heading, 1 = 一、, 2 = （一）), or -1 when t is not a heading.
// emphasised (bold or large type) allows a longer heading.
func headingLevel(t string, emphasised bool) int {
	t = strings.TrimSpace(t)
	max := maxHeading
	if emphasised {
		max = maxEmphasisedHeading
	}
	if t == "" || utf8.RuneCountInString(t) > max || notHeading.MatchString(t) {
		return -1
	}
	for i, re := range headingPatterns {
		if loc := re.FindStringIndex(t); loc != nil {
			if strings.TrimSpace(t[loc[1]:]) == "" {
				return -1 // a bare number is no heading
			}
			return i
		}
	}
	if unnumberedHeading.MatchString(t) {
		return 0
	}
	return -1
}

// numbered reports whether a line starts with any numbering, heading or
// list item: such a line never continues the line above.
var numbered = regexp.MustCompile(`^(?:第[一二三四五六七八九十百]+部分|[一二三四五六七八九十]{1,3}\s*[、.．]|[（(][一二三四五六七八九十\d]{1,3}[）)]|\d{1,2}\s*(?:[、．]|\.(?:\D|$))|[①②③④⑤⑥⑦⑧⑨⑩])`)

// tocLine marks the start of a table of contents; the rest of its page is
// skipped.
var tocLine = regexp.MustCompile(`^目\s*录$`)

// paraEnd ends a paragraph when it closes a line; listStart opens one.
var (
	paraEnd   = regexp.MustCompile(`[。！？：:；;]$`)
	listStart = regexp.MustCompile(`^(?:\d{1,2}(?:[、．]|\.(?:\D|$))|[（(][\d一二三四五六七八九十]{1,3}[）)]|[①②③④⑤⑥⑦⑧⑨⑩]|其中[：:])`)
)

// piece is a run of section text from one page.
type piece struct {
	text string
	page int
}

// section is a section under construction: its text as pieces with pages,
// paragraphs separated by "\n", and its heading's numbering level.
type section struct {
	heading string
	page    int
	level   int
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

	// The visible text lines, squeezed, page furniture and table rows
	// left out.
	type textLine struct {
		Line
		t    string
		emph bool
	}
	var tl []textLine
	for _, l := range kept {
		raw := strings.TrimSpace(l.Text)
		if raw == "" || isArtefact(raw) || headers[headerKey(raw)] {
			continue
		}
		t := squeeze(raw)
		emph := l.Bold || body > 0 && l.Size > body*1.1
		// A table row on a prose page (a small table inside the text) is
		// no part of a paragraph.
		if onlyNumbers(raw) || headingLevel(t, emph) < 0 && tabular(l.Text) && (heavy[l.Page] || !proseLine(t)) {
			continue
		}
		tl = append(tl, textLine{l, t, emph})
	}

	// The right margin of each page's text, to tell a line that fills
	// its width (and so may wrap) from a short one.
	margin := map[int]float64{}
	for _, l := range tl {
		margin[l.Page] = max(margin[l.Page], rightEdge(l.Line, l.t))
	}
	fills := func(l Line, t string) bool {
		return l.Size > 0 && rightEdge(l, t) >= margin[l.Page]-2.5*l.Size
	}

	var secs []*section
	var cur *section
	prevEnded := true
	for i := 0; i < len(tl); i++ {
		l := tl[i]
		t := l.t
		level := headingLevel(t, l.emph)
		// A number printed on a line of its own ("第三部分" over
		// "2026年度单位预算情况说明") heads the line below.
		if level < 0 && i+1 < len(tl) && bareNumber(t) && tl[i+1].Page == l.Page && !numbered.MatchString(tl[i+1].t) {
			if lv := headingLevel(t+tl[i+1].t, true); lv >= 0 {
				t, level = t+tl[i+1].t, lv
				i++
				l = tl[i] // the title may go on in a third line
			}
		}
		if level >= 0 && i+1 < len(tl) {
			n := tl[i+1]
			switch continuesHeading(l.Line, n.Line, t, n.t, l.emph, n.emph, fills(l.Line, l.t)) {
			case wrapsIntoText:
				level = -1
			case wrapsIntoHeading:
				if lv := headingLevel(t+n.t, true); lv >= 0 {
					t, level = t+n.t, lv
					i++
				} else {
					level = -1
				}
			}
		}
		if level >= 0 {
			cur = &section{heading: t, page: l.Page, level: level}
			secs = append(secs, cur)
			prevEnded = true
			continue
		}
		if cur == nil {
			continue // cover text before the first heading
		}
		cur.add(t, l.Page, prevEnded || listStart.MatchString(t))
		// A short numbered line that does not run to the margin is a list
		// item's title ("1、整体绩效目标"): its text starts a paragraph.
		prevEnded = paraEnd.MatchString(t) ||
			numbered.MatchString(t) && utf8.RuneCountInString(t) <= maxHeading && !notHeading.MatchString(t) && !fills(l.Line, t)
	}
	return dedupeTOC(secs)
}

// How a heading candidate relates to the line after it.
const (
	standsAlone      = iota
	wrapsIntoText    // the first line of a paragraph or list item
	wrapsIntoHeading // a heading printed over two lines
)

// bareNumber reports a heading number with nothing after it.
func bareNumber(t string) bool {
	for _, re := range headingPatterns {
		if loc := re.FindStringIndex(t); loc != nil && strings.TrimSpace(t[loc[1]:]) == "" {
			return true
		}
	}
	return false
}

// rightEdge estimates where a line ends: its start plus a full em per CJK
// character and half an em for the others.
func rightEdge(l Line, t string) float64 {
	w := 0.0
	for _, r := range t {
		if r < 0x2000 {
			w += 0.5
		} else {
			w++
		}
	}
	return l.X + w*l.Size
}

// continuesHeading tells whether the heading candidate l (text t) goes on
// in the next line n. Paragraphs indent their first line and wrap to the
// left margin, so a candidate followed by a line starting well to its left
// is the first line of a paragraph ("（八）撤销下一级人民代表大会…的不适" /
// "当的决议；"), or the first line of a long heading when the two read as
// one ("十一、一般公共预算“三公”经费、会议费、培训费支" / "出预算表情况说明").
// full says the candidate runs to the right margin, as a wrapped line does
// (a centred heading followed by an indented paragraph does not).
// A centred title may also go on in a second line of the same type
// ("第三部分 江苏省人大常委会办公厅" / "2017年度部门预算情况说明").
func continuesHeading(l, n Line, t, nt string, emph, nEmph, full bool) int {
	// A paragraph may go on at the top of the next page.
	if n.Page != l.Page && n.Page != l.Page+1 || numbered.MatchString(nt) {
		return standsAlone
	}
	size := l.Size
	if size <= 0 {
		size = 10
	}
	short := utf8.RuneCountInString(nt) <= 20 && !notHeading.MatchString(nt)
	sameType := math.Abs(l.Size-n.Size) < 0.5 && l.Bold == n.Bold
	if full && l.X > 0 && n.X > 0 && n.X < l.X-size {
		if short && sameType {
			return wrapsIntoHeading
		}
		return wrapsIntoText
	}
	if emph && nEmph && sameType && short && utf8.RuneCountInString(t) >= 12 && l.Size > 0 && n.Page == l.Page {
		return wrapsIntoHeading
	}
	return standsAlone
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

// dropTOC removes the tables of contents (tocRanges).
func dropTOC(lines []Line) []Line {
	out := lines[:0:0]
	last := 0
	for _, r := range tocRanges(lines) {
		out = append(out, lines[last:r[0]]...)
		last = r[1]
	}
	return append(out, lines[last:]...)
}

// tocRanges finds the tables of contents, as [start, end) of lines: from a
// "目录" line up to where its first entry is printed again as the body's
// first heading (contents may run over several pages), or to the end of
// the 目录 page when the first entry does not come again within a few
// pages.
func tocRanges(lines []Line) [][2]int {
	var out [][2]int
	for i := 0; i < len(lines); i++ {
		if !tocLine.MatchString(squeeze(lines[i].Text)) {
			continue
		}
		tocPage := lines[i].Page
		end := i + 1
		for end < len(lines) && lines[end].Page == tocPage {
			end++
		}
		first := ""
		for j := i + 1; j < len(lines) && lines[j].Page <= tocPage+1; j++ {
			if first = tocEntry(lines[j].Text); first != "" {
				for k := j + 1; k < len(lines) && lines[k].Page <= tocPage+maxTOCPages; k++ {
					if tocEntry(lines[k].Text) == first && !leaderTOC.MatchString(strings.TrimSpace(lines[k].Text)) {
						end = k
						break
					}
				}
				break
			}
		}
		out = append(out, [2]int{i, end})
		i = end - 1
	}
	return out
}

// Contents returns the document's tables of contents (38_xian prints one
// of its parts and another of its tables), each with its entries: a title
// wrapped over two lines joined ("十一、一般公共预算“三公”经费、会议费、培训费支"
// / "出预算表"), leaders and page numbers removed. nil when it prints none.
func Contents(lines []Line) []yusuan.Contents {
	var out []yusuan.Contents
	for _, r := range tocRanges(lines) {
		var entries []string
		for _, l := range lines[r[0]+1 : r[1]] {
			e := tocEntry(l.Text)
			if e == "" {
				continue
			}
			// A line with no number or label of its own goes on the
			// entry above it.
			if n := len(entries); n > 0 && !opensEntry(e) {
				entries[n-1] += e
				continue
			}
			entries = append(entries, e)
		}
		if len(entries) > 0 {
			out = append(out, yusuan.Contents{Page: lines[r[0]].Page, Entries: entries})
		}
	}
	return out
}

// opensEntry reports a line that starts a contents entry: a number
// (第一部分, 一、, （一）, 1.), a table's label (表1, 公开01表 …), a bracketed
// note ("（具体部门预算公开报表）") or an attachment.
func opensEntry(e string) bool {
	if label, _ := vocab.SplitLabel(e); label != "" {
		return true
	}
	return numbered.MatchString(e) || strings.HasPrefix(e, "（") || strings.HasPrefix(e, "(") || strings.HasPrefix(e, "附件")
}

// maxTOCPages bounds how far a table of contents may run.
const maxTOCPages = 5

// tocTail is what follows an entry in a contents list: leaders and a page
// number.
var tocTail = regexp.MustCompile(`(?:[.…·．\-]|\s)*\d*\s*$`)

// tocEntry is a line as a contents entry compares with its heading: blanks,
// leaders and page number removed; "" for page furniture.
func tocEntry(s string) string {
	s = strings.TrimSpace(s)
	if s == "" || artefact.MatchString(s) {
		return ""
	}
	return squeeze(tocTail.ReplaceAllString(s, ""))
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
