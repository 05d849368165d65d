// Package docmeta reads what a disclosure is from its cover and titles:
// the entity that publishes it, whether it covers one unit or a whole
// department, budget or final account, and the year. When the cover does
// not say (a cover printed as an image, a file of tables only), the rest of
// the document does: labels naming the entity above its tables, the year
// and kind in its headings, the kinds of its tables.
package docmeta

import (
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"yusuan"
	"yusuan/extract/narrative"
	"yusuan/vocab"
)

// Line is a line of text as the text layer gives it.
type Line = narrative.Line

// coverPages is how many first pages count as the cover.
const coverPages = 3

// anyYear finds a year anywhere.
var anyYear = regexp.MustCompile(`((?:19|20)\d{2})\s*年`)

// Detect reads the document's metadata from its lines (all of them, in
// order; the first pages are the cover) and from the titles of its tables
// (the caller may add other titles, such as a link text or file name,
// last). Whatever cannot be told stays empty, 0 or unknown.
func Detect(lines []Line, titles []string) yusuan.Meta {
	m := yusuan.Meta{Scope: yusuan.ScopeUnknown, Kind: yusuan.KindUnknown}
	var firstPages []Line
	for _, l := range lines {
		if l.Page <= coverPages {
			firstPages = append(firstPages, l)
		}
	}
	// Covers print the name and the title over several lines
	// (阳泉市生态环境局城区分局 / 2026年度单位预算公开), sometimes breaking a
	// word (…部门预 / 算): the cover is its lines joined.
	cls := coverLines(firstPages)
	cover := strings.Join(cls, "")
	candidates := append([]string{cover}, cls...)
	fromCover := len(candidates)
	for _, t := range titles {
		candidates = append(candidates, squeeze(t))
	}
	found, fromTable := false, false
	for ci, c := range candidates {
		if c == "" {
			continue
		}
		// A table's title names its entity only when the words read as
		// one name an organisation or a place: 2026年一般公共预算支出预算表
		// reads as year, 一般公共, 预算.
		for i, re := range vocab.DocTitles {
			loc := re.FindStringSubmatchIndex(c)
			if loc == nil {
				continue
			}
			g := groups(re, re.FindStringSubmatch(c))
			e := cleanEntity(g["entity"])
			tableTitle := ci >= fromCover || isTableTitle(c) || ci == 0 && inTableTitle(cls, loc[1])
			if e == "" || tableTitle && !vocab.EndsLikeOrg(e) && !vocab.RegionOnlyRe.MatchString(e) {
				continue
			}
			fromTable = tableTitle
			if !tableTitle {
				m.Title = titleOf(c, re, i > 0)
			}
			m.Entity = e
			m.Year, _ = strconv.Atoi(g["year"])
			m.Scope = scopeOf(g["scope"])
			m.Kind = kindOf(g["kind"])
			found = true
			break
		}
		if found {
			break
		}
	}

	// Labelled entity: on the cover it outranks a title naming a region;
	// in table headers it fills in when nothing else did.
	labelScope := yusuan.ScopeUnknown
	for _, l := range firstPages {
		e, sc, override := labelledEntity(l.Text)
		if e == "" {
			continue
		}
		// A label outranks a name read from a table's title too.
		if m.Entity == "" || fromTable || override && (vocab.RegionOnlyRe.MatchString(m.Entity) || !found) {
			m.Entity, fromTable = e, false
		}
		if labelScope == yusuan.ScopeUnknown {
			labelScope = sc
		}
	}

	// Year and kind from anything printed, when the title did not say.
	rest := append([]string{cover}, titles...)
	var all strings.Builder
	for _, l := range firstPages {
		all.WriteString(squeeze(l.Text))
	}
	if m.Year == 0 {
		for _, s := range rest {
			if sm := anyYear.FindStringSubmatch(normalizeDigits(s)); sm != nil {
				m.Year, _ = strconv.Atoi(sm[1])
				break
			}
		}
	}
	if m.Kind == yusuan.KindUnknown {
		// 决算 first: a final account speaks of 预算 too, a budget seldom
		// of 决算.
		for _, s := range append(rest, all.String()) {
			switch {
			case strings.Contains(s, "决算"):
				m.Kind = yusuan.KindFinalAccount
			case strings.Contains(s, "预算"):
				m.Kind = yusuan.KindBudget
			}
			if m.Kind != yusuan.KindUnknown {
				break
			}
		}
	}
	if m.Scope == yusuan.ScopeUnknown {
		for _, s := range rest {
			if sc := scopeFromText(s); sc != yusuan.ScopeUnknown {
				m.Scope = sc
				break
			}
		}
	}
	if m.Title == "" && coverTitle(cover) && (m.Year != 0 || m.Kind != yusuan.KindUnknown) {
		m.Title = cover
	}
	fromBody(&m, lines, titles, labelScope)
	return m
}

// fromBody fills what the cover and titles left unknown from the whole
// document: the entity labelled above a table or named before a year in
// the text, the year, scope and kind its headings and sentences print most
// often, and the kind its tables' titles tell.
func fromBody(m *yusuan.Meta, lines []Line, titles []string, labelScope yusuan.Scope) {
	texts := make([]string, len(lines))
	for i, l := range lines {
		texts[i] = squeeze(l.Text)
	}
	if m.Entity == "" {
		for _, l := range lines {
			e, sc, _ := labelledEntity(l.Text)
			if e == "" {
				continue
			}
			m.Entity = e
			if labelScope == yusuan.ScopeUnknown {
				labelScope = sc
			}
			break
		}
	}
	if m.Entity == "" {
		m.Entity = mostOften(texts, func(t string) []string {
			var out []string
			for _, sm := range vocab.EntityYearRe.FindAllStringSubmatch(t, -1) {
				if e := cleanEntity(sm[1]); e != "" && vocab.EndsLikeOrg(e) {
					out = append(out, e)
				}
			}
			return out
		}, 2)
	}
	if m.Year == 0 {
		y := mostOften(texts, firstGroups(vocab.DocYearKindRe), 1)
		if y == "" {
			y = mostOften(texts, firstGroups(vocab.YearRemarkRe), 1)
		}
		if y == "" {
			y = dominantYear(texts)
		}
		m.Year, _ = strconv.Atoi(y)
	}
	if m.Scope == yusuan.ScopeUnknown {
		m.Scope = scopeOf(mostOften(texts, firstGroups(vocab.DocScopeRe), 1))
	}
	if m.Scope == yusuan.ScopeUnknown {
		m.Scope = labelScope
	}
	if m.Kind == yusuan.KindUnknown {
		m.Kind = kindOfTables(titles)
	}
	if m.Kind == yusuan.KindUnknown {
		for _, t := range texts {
			if vocab.FinalAccountRe.MatchString(t) {
				m.Kind = yusuan.KindFinalAccount
				break
			}
		}
	}
	if m.Kind == yusuan.KindUnknown {
		for _, t := range texts {
			if strings.Contains(t, "预算") {
				m.Kind = yusuan.KindBudget
				break
			}
		}
	}
}

// labelledEntity reads an entity named by a label on a line (部门名称：…,
// 预算主管部门：…, or 部门名称 in the cell before the name), with the scope
// the label's word tells.
func labelledEntity(text string) (entity string, scope yusuan.Scope, override bool) {
	t := strings.TrimSpace(text)
	for _, lp := range vocab.EntityLabels {
		sm := lp.Re.FindStringSubmatch(t)
		if sm == nil {
			continue
		}
		g := groups(lp.Re, sm)
		if e := cleanEntity(g["entity"]); e != "" {
			return e, scopeOf(g["scope"]), lp.Override
		}
	}
	if sm := vocab.EntityCellRe.FindStringSubmatch(t); sm != nil {
		g := groups(vocab.EntityCellRe, sm)
		if e := cleanEntity(g["entity"]); e != "" && vocab.EndsLikeOrg(e) {
			return e, scopeOf(g["scope"]), false
		}
	}
	return "", yusuan.ScopeUnknown, false
}

// inTableTitle reports whether the byte at offset end-1 of the joined
// cover lines lies in a line that is a table's title.
func inTableTitle(lines []string, end int) bool {
	for _, l := range lines {
		if end <= len(l) {
			return isTableTitle(l)
		}
		end -= len(l)
	}
	return false
}

// isTableTitle reports whether a line is a table's title (it ends in 表
// and names a kind of table), not a document's.
func isTableTitle(t string) bool {
	k, ok := vocab.Classify(t)
	return ok && k != yusuan.Other
}

// kindOfTables tells budget or final account from table titles: a title
// naming 决算, or one of a budget table.
func kindOfTables(titles []string) yusuan.DocKind {
	budget := false
	for _, t := range titles {
		if strings.Contains(t, "决算") {
			return yusuan.KindFinalAccount
		}
		if k, ok := vocab.Classify(t); ok && k != yusuan.Other {
			budget = true
		}
	}
	if budget {
		return yusuan.KindBudget
	}
	return yusuan.KindUnknown
}

// firstGroups finds the first group of each match of re in a text.
func firstGroups(re *regexp.Regexp) func(string) []string {
	return func(t string) []string {
		var out []string
		for _, sm := range re.FindAllStringSubmatch(t, -1) {
			out = append(out, sm[1])
		}
		return out
	}
}

// mostOften returns the value find gives most often over the texts, "" when
// none is found at least min times or two tie.
func mostOften(texts []string, find func(string) []string, min int) string {
	counts := map[string]int{}
	for _, t := range texts {
		for _, v := range find(t) {
			counts[v]++
		}
	}
	best, n, tie := "", 0, false
	for v, c := range counts {
		switch {
		case c > n:
			best, n, tie = v, c, false
		case c == n:
			tie = true
		}
	}
	if n < min || tie {
		return ""
	}
	return best
}

// dominantYear is the year printed most often in the text, when it is
// printed at least three times and half again as often as any other
// (a budget's text speaks of its own year most).
func dominantYear(texts []string) string {
	counts := map[string]int{}
	for _, t := range texts {
		for _, sm := range anyYear.FindAllStringSubmatch(t, -1) {
			counts[sm[1]]++
		}
	}
	best, first, second := "", 0, 0
	for y, c := range counts {
		switch {
		case c > first:
			best, first, second = y, c, first
		case c > second:
			second = c
		}
	}
	if first < 3 || 2*first <= 3*second {
		return ""
	}
	return best
}

// coverTitle reports whether cover text can stand as a title: short and
// without figures (a document that opens on a table has a header there:
// "项目支出绩效目标表…单位：万元…合计86,246.64").
func coverTitle(cover string) bool {
	return cover != "" && utf8.RuneCountInString(cover) <= maxTitle && !coverFigure.MatchString(cover)
}

// maxTitle is the longest cover text taken for a title, in characters.
const maxTitle = 60

// coverFigure is an amount in cover text.
var coverFigure = regexp.MustCompile(`\d[\d,]*\.\d+|单位[：:]`)

// coverLines are the squeezed lines of the cover, before the contents
// list or the first heading, from the first page that has text; page
// numbers are no part of it.
func coverLines(lines []Line) []string {
	var out []string
	page := -1
	for _, l := range lines {
		t := squeeze(l.Text)
		if t == "" || vocab.PageNumberRe.MatchString(t) {
			continue
		}
		if page < 0 {
			page = l.Page
		}
		if l.Page != page || coverEnds(t) || len(out) >= 6 {
			break
		}
		out = append(out, t)
	}
	return out
}

// coverEnds reports whether a line ends the cover: a contents list, a
// heading or a table's label.
func coverEnds(t string) bool {
	if vocab.IsContentsHeading(t) || vocab.PartRe.MatchString(t) || vocab.HeadingRe.MatchString(t) {
		return true
	}
	label, _ := vocab.SplitLabel(t)
	return label != ""
}

// titleOf cuts a matched candidate down to the title proper: up to the end
// of the line-joined phrase (…预算公开, …部门决算, …预算信息公开).
// entityFirst: the title starts with the entity, not at the match.
func titleOf(c string, re *regexp.Regexp, entityFirst bool) string {
	loc := re.FindStringIndex(c)
	end := loc[1]
	for _, suffix := range vocab.DocTitleSuffixes {
		if strings.HasPrefix(c[end:], suffix) {
			end += len(suffix)
			break
		}
	}
	start := 0
	if entityFirst {
		start = loc[0]
	}
	return c[start:end]
}

func groups(re *regexp.Regexp, sm []string) map[string]string {
	g := map[string]string{}
	for i, n := range re.SubexpNames() {
		if n != "" && i < len(sm) {
			g[n] = sm[i]
		}
	}
	return g
}

// cleanEntity trims leftovers around a name: a year or 年度 before it, a
// leading 关于, an unbalanced closing parenthesis; it returns "" for a
// name that is no organisation.
func cleanEntity(e string) string {
	e = strings.TrimSpace(e)
	for strings.HasSuffix(e, "）") && strings.Count(e, "（") < strings.Count(e, "）") {
		e = strings.TrimSuffix(e, "）")
	}
	for strings.HasSuffix(e, ")") && strings.Count(e, "(") < strings.Count(e, ")") {
		e = strings.TrimSuffix(e, ")")
	}
	if vocab.NotEntityRe.MatchString(e) {
		return ""
	}
	for _, p := range vocab.EntityPrefixes {
		e = strings.TrimPrefix(e, p)
	}
	if len([]rune(e)) < 2 {
		return ""
	}
	return e
}

func scopeOf(s string) yusuan.Scope {
	switch s {
	case "部门":
		return yusuan.ScopeDepartment
	case "单位":
		return yusuan.ScopeUnit
	}
	return yusuan.ScopeUnknown
}

func kindOf(s string) yusuan.DocKind {
	switch s {
	case "预算":
		return yusuan.KindBudget
	case "决算":
		return yusuan.KindFinalAccount
	}
	return yusuan.KindUnknown
}

func scopeFromText(s string) yusuan.Scope {
	if sm := vocab.DocScopeRe.FindStringSubmatch(s); sm != nil {
		return scopeOf(sm[1])
	}
	return yusuan.ScopeUnknown
}

// squeeze removes blanks and turns full-width digits into ASCII, so that
// "2026 年度" reads "2026年度".
func squeeze(s string) string {
	var b strings.Builder
	for _, r := range s {
		if unicode.IsSpace(r) || r == '\u3000' {
			continue
		}
		b.WriteRune(r)
	}
	return normalizeDigits(b.String())
}

func normalizeDigits(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '０' && r <= '９' {
			return '0' + r - '０'
		}
		return r
	}, s)
}
