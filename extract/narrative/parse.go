package narrative

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode"

	"yusuan"
	"yusuan/vocab"
)

// Parse splits the prose of a document into sections and reads the facts
// its sentences state. Pages that look like tables are left out; use
// ParseSkipping when the table extractor knows which pages it claimed.
// When ctx ends it stops and returns ctx's error.
func Parse(ctx context.Context, lines []Line) (sections []yusuan.Section, facts yusuan.Facts, sources []yusuan.FactSource, warnings []string, err error) {
	return ParseSkipping(ctx, lines, nil)
}

// ParseSkipping is Parse leaving out the pages for which skip returns true.
func ParseSkipping(ctx context.Context, lines []Line, skip func(page int) bool) (sections []yusuan.Section, facts yusuan.Facts, sources []yusuan.FactSource, warnings []string, err error) {
	stopped := func() error {
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("narrative stopped: %w", err)
		}
		return nil
	}
	secs := buildSections(lines, skip)
	if err := stopped(); err != nil {
		return nil, nil, nil, nil, err
	}
	sc := sectionRanks(secs)
	var sents []sentence
	sections = make([]yusuan.Section, 0, len(secs))
	for i, s := range secs {
		if err := stopped(); err != nil {
			return nil, nil, nil, nil, err
		}
		sections = append(sections, yusuan.Section{Heading: s.heading, Text: s.text(), Page: s.page})
		if vocab.IsGlossaryHeading(s.heading) {
			continue
		}
		for _, sent := range sentencesOf(s) {
			sent.rank = sc.sentenceRank(sc.ranks[i], sent)
			sents = append(sents, sent)
		}
	}
	ex := extractFacts(ctx, sents)
	if err := stopped(); err != nil {
		return nil, nil, nil, nil, err
	}
	return sections, ex.facts, ex.sources, ex.warnings, nil
}

// boilerplateRules are what a copied template leaves behind.
var (
	yearDate = regexp.MustCompile(`截至\s*(\d{4})\s*年((?:\d{1,2}月(?:\d{1,2}日)?)|年?底|末)?`)
)

// Boilerplate returns notes for the checker about text left over from
// another year's or another unit's template: a phrase printed twice in a
// row (主要原因是主要原因是) and a 截至 date from another year (see
// staleDates). year 0 skips the test against the document's year.
func Boilerplate(sections []yusuan.Section, year int) []string {
	var notes []string
	seen := map[string]bool{}
	for _, s := range sections {
		text := strings.ReplaceAll(s.Text, "\n", "")
		for _, d := range repeatedPhrases(text) {
			n := fmt.Sprintf("page %d: %s: phrase printed twice: %s%s", s.Page, s.Heading, d, d)
			if !seen[n] {
				seen[n] = true
				notes = append(notes, n)
			}
		}
	}
	return append(notes, staleDates(sections, year)...)
}

// staleDates notes 截至 dates that belong to another document: a year far
// from the document's (budgets for N count assets at the end of N−1, final
// accounts for N at the end of N), or a date printed with the same month
// and day as the others but another year (截至2026年2月25日 twice, then
// 截至2025年2月25日).
func staleDates(sections []yusuan.Section, year int) []string {
	type date struct {
		year     int
		monthDay string
		page     int
		heading  string
		excerpt  string
	}
	var dates []date
	for _, s := range sections {
		text := strings.ReplaceAll(s.Text, "\n", "")
		for _, m := range yearDate.FindAllStringSubmatchIndex(text, -1) {
			y, _ := strconv.Atoi(text[m[2]:m[3]])
			md := ""
			if m[4] >= 0 {
				md = text[m[4]:m[5]]
			}
			dates = append(dates, date{y, md, s.Page, s.Heading, excerpt(text, m[0], 40)})
		}
	}
	// The usual year of each month-day, by majority.
	votes := map[string]map[int]int{}
	for _, d := range dates {
		if d.monthDay == "" {
			continue
		}
		if votes[d.monthDay] == nil {
			votes[d.monthDay] = map[int]int{}
		}
		votes[d.monthDay][d.year]++
	}
	var notes []string
	seen := map[string]bool{}
	for _, d := range dates {
		var why string
		if year != 0 && (d.year < year-1 || d.year > year+1) {
			why = fmt.Sprintf("date from year %d in a %d document", d.year, year)
		} else if v := votes[d.monthDay]; d.monthDay != "" && len(v) > 1 {
			best, bestN := 0, 0
			for y, n := range v {
				if n > bestN || n == bestN && y > best {
					best, bestN = y, n
				}
			}
			if d.year != best {
				why = fmt.Sprintf("date from year %d where the same date is printed with year %d elsewhere", d.year, best)
			}
		}
		if why == "" {
			continue
		}
		n := fmt.Sprintf("page %d: %s: %s: %s", d.page, d.heading, why, d.excerpt)
		if !seen[n] {
			seen[n] = true
			notes = append(notes, n)
		}
	}
	return notes
}

// repeatedPhrases finds a phrase of three or more characters printed twice
// in immediate succession.
func repeatedPhrases(text string) []string {
	rs := []rune(text)
	var out []string
	for i := 0; i < len(rs); i++ {
		for n := 12; n >= 3; n-- {
			if i+2*n > len(rs) {
				continue
			}
			a, b := string(rs[i:i+n]), string(rs[i+n:i+2*n])
			if a == b && hanOnly(a) {
				out = append(out, a)
				i += 2*n - 1
				break
			}
		}
	}
	return out
}

func hanOnly(s string) bool {
	for _, r := range s {
		if !unicode.Is(unicode.Han, r) {
			return false
		}
	}
	return true
}

func excerpt(s string, at, n int) string {
	rs := []rune(s[at:])
	if len(rs) > n {
		rs = rs[:n]
	}
	return string(rs)
}

// levelWords name a level of government in a definition (名词解释), and
// the level each stands for.
var levelWords = []struct {
	re    *regexp.Regexp
	level string
}{
	{regexp.MustCompile(`省直部门|省直单位|省级部门|省级财政|省级预算`), "province"},
	{regexp.MustCompile(`市直部门|市直单位|市级部门|市级财政|市级预算`), "city"},
	{regexp.MustCompile(`中央部门|中央本级|中央财政拨款`), "central"},
}

var (
	centralName  = regexp.MustCompile(`^(?:国家|中央|中华人民共和国|全国)`)
	provinceName = regexp.MustCompile(`^\p{Han}{2,8}?(?:省|自治区)`)
)

// entityLevel tells the level of government of an entity from its name:
// 国家信访局 central, 江苏省委办公厅 province, 阳泉市… city; "" when the
// name does not say.
func entityLevel(entity string) string {
	switch {
	case entity == "":
		return ""
	case centralName.MatchString(entity):
		return "central"
	case strings.Contains(entity, "市"):
		return "city"
	case provinceName.MatchString(entity):
		return "province"
	}
	return ""
}

// definition marks a sentence that defines a term.
var definition = regexp.MustCompile(`[：:](?:是)?指|是指`)

// BoilerplateFor is Boilerplate plus the level test, which needs the
// document's entity: a definition naming another level of government than
// the publisher's (指省直部门… in a city bureau's budget).
func BoilerplateFor(sections []yusuan.Section, m yusuan.Meta) []string {
	notes := Boilerplate(sections, m.Year)
	level := entityLevel(m.Entity)
	if level == "" {
		return notes
	}
	for _, s := range sections {
		for _, sent := range sentenceEnd.Split(strings.ReplaceAll(s.Text, "\n", "。"), -1) {
			if !definition.MatchString(sent) && !vocab.IsGlossaryHeading(s.Heading) {
				continue
			}
			for _, lw := range levelWords {
				if lw.level == level {
					continue
				}
				if w := lw.re.FindString(sent); w != "" {
					notes = append(notes, fmt.Sprintf("page %d: %s: definition names %s (%s level) in a %s-level document: %s",
						s.Page, s.Heading, w, lw.level, level, excerpt(sent, 0, 40)))
				}
			}
		}
	}
	return notes
}
