// Package narrative reads the text part of a budget or final-account
// disclosure (情况说明 and the rest of the prose): it splits it into headed
// sections and parses the figures the text states (docs/checks.md) into
// facts, with the page and sentence each was read from.
package narrative

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Line is one visible line of text in reading order, as the text layer
// gives it. Size and Bold (0/false when unknown) help to tell headings.
type Line struct {
	Page int
	Text string
	Size float64
	Bold bool
	X, Y float64
}

// artefact matches lines that are page furniture, not text: page numbers
// ("- 3 -", "—5—", "第3页", "3", "3/22").
var artefact = regexp.MustCompile(`^(?:[-—–－‐ ]*\d{1,4}[-—–－‐ ]*|第\s*\d+\s*页(?:\s*[,，/]?\s*共\s*\d+\s*页)?|\d+\s*/\s*\d+)$`)

// leaderTOC finds a table-of-contents entry: text then dot leaders then a
// page number.
var leaderTOC = regexp.MustCompile(`(?:\.{3,}|…{2,}|·{3,}|．{3,}|-{6,})\s*\d*\s*$`)

// isArtefact reports page furniture and contents entries.
func isArtefact(s string) bool {
	s = strings.TrimSpace(s)
	if s == "" {
		return true
	}
	if len(s) <= 40 && artefact.MatchString(s) {
		return true
	}
	return strings.ContainsAny(s, ".…·．-") && leaderTOC.MatchString(s)
}

// numericLine reports whether a line reads like a table row: two or more
// amounts separated only by blanks, or hardly anything but digits.
func numericLine(s string) bool {
	fields := strings.FieldsFunc(s, func(r rune) bool { return unicode.IsSpace(r) || r == '\u3000' })
	amounts, other := 0, 0
	run, best := 0, 0
	for _, f := range fields {
		if isAmountToken(f) {
			amounts++
			run++
			if run > best {
				best = run
			}
		} else {
			other += utf8.RuneCountInString(f)
			run = 0
		}
	}
	if best >= 2 {
		return true
	}
	return amounts >= 1 && other <= 2
}

func isAmountToken(f string) bool {
	f = strings.TrimSuffix(strings.TrimSuffix(f, "%"), "％")
	if f == "" {
		return false
	}
	digits := 0
	for _, r := range f {
		switch {
		case r >= '0' && r <= '9', r >= '０' && r <= '９':
			digits++
		case r == '.', r == ',', r == '-', r == '．', r == '，':
		default:
			return false
		}
	}
	return digits > 0
}

// tablePages guesses the pages that hold tables rather than prose: pages
// where a large share of the lines are laid out as table rows. It returns
// the pages with hardly any prose besides (skipped whole) and all such
// table-heavy pages (whose table rows are dropped line by line).
func tablePages(lines []Line) (tables, heavy map[int]bool) {
	type count struct{ all, num, prose int }
	per := map[int]*count{}
	for _, l := range lines {
		t := strings.TrimSpace(l.Text)
		if t == "" || isArtefact(t) && !numericLine(t) {
			continue
		}
		c := per[l.Page]
		if c == nil {
			c = &count{}
			per[l.Page] = c
		}
		c.all++
		if tabular(l.Text) {
			c.num++
		} else if proseLine(t) {
			c.prose++
		}
	}
	tables, heavy = map[int]bool{}, map[int]bool{}
	for p, c := range per {
		if c.num >= 4 && c.num*10 >= c.all*4 {
			heavy[p] = true
			if c.prose < 2 {
				tables[p] = true
			}
		}
	}
	return tables, heavy
}

// runningHeaders finds short lines repeated on many pages (a running head
// or foot such as "苏州市自然资源和规划局 2026 年度单位预算公开").
func runningHeaders(lines []Line) map[string]bool {
	pages := map[string]map[int]bool{}
	allPages := map[int]bool{}
	for _, l := range lines {
		allPages[l.Page] = true
		k := headerKey(l.Text)
		if k == "" || utf8.RuneCountInString(k) > 40 {
			continue
		}
		if pages[k] == nil {
			pages[k] = map[int]bool{}
		}
		pages[k][l.Page] = true
	}
	out := map[string]bool{}
	for k, ps := range pages {
		if len(ps) >= 3 && len(ps)*10 >= len(allPages)*3 && !headingLike(k) {
			out[k] = true
		}
	}
	return out
}

// headerKey is a line with blanks and digits removed, so that "第 3 页" and
// a header carrying the page number compare equal across pages.
func headerKey(s string) string {
	var b strings.Builder
	for _, r := range s {
		if unicode.IsSpace(r) || r == '\u3000' || unicode.IsDigit(r) {
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// isCJK reports a Han character or CJK punctuation, next to which printed
// blanks are layout artefacts rather than word breaks.
func isCJK(r rune) bool {
	return unicode.Is(unicode.Han, r) ||
		(r >= 0x3000 && r <= 0x303f) || (r >= 0xff00 && r <= 0xffef) ||
		r == '“' || r == '”' || r == '‘' || r == '’' || r == '…' || r == '—'
}

// squeeze collapses blanks and removes those touching a CJK character:
// "2026 年度收入 108.22 万元" → "2026年度收入108.22万元".
func squeeze(s string) string {
	rs := []rune(strings.TrimSpace(s))
	var b strings.Builder
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		if unicode.IsSpace(r) || r == '\u3000' || r == '\u00a0' {
			j := i
			for j < len(rs) && (unicode.IsSpace(rs[j]) || rs[j] == '\u3000' || rs[j] == '\u00a0') {
				j++
			}
			if i > 0 && j < len(rs) && !isCJK(rs[i-1]) && !isCJK(rs[j]) {
				b.WriteByte(' ')
			}
			i = j - 1
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// joinText appends a wrapped line to a paragraph: no blank between CJK
// characters, one blank between two Latin words.
func joinText(para, next string) string {
	if para == "" {
		return next
	}
	if next == "" {
		return para
	}
	last, _ := utf8.DecodeLastRuneInString(para)
	first, _ := utf8.DecodeRuneInString(next)
	if isLatin(last) && isLatin(first) {
		return para + " " + next
	}
	return para + next
}

func isLatin(r rune) bool { return r < 0x80 && (unicode.IsLetter(r)) }

// tabular reports a line laid out as a table row: amounts side by side,
// cells separated by tabs or wide gaps (three blanks or more), or a deeply
// indented cell.
func tabular(raw string) bool {
	if numericLine(raw) {
		return true
	}
	raw = strings.TrimRight(raw, " \t")
	lead := true
	run, tab := 0, false
	for _, r := range raw {
		switch r {
		case ' ', '\u3000':
			run++
			continue
		case '\t':
			run, tab = run+1, true
			continue
		}
		if lead {
			if tab || run >= 8 {
				return true
			}
			lead = false
		} else if tab || run >= 3 {
			return true
		}
		run, tab = 0, false
	}
	return false
}

// proseLine reports a line of running text: long enough and punctuated
// as sentences are.
func proseLine(t string) bool {
	return utf8.RuneCountInString(t) >= 15 && strings.ContainsAny(t, "，。；")
}
