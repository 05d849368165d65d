// Package docmeta reads what a disclosure is from its cover and titles:
// the entity that publishes it, whether it covers one unit or a whole
// department, budget or final account, and the year.
package docmeta

import (
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"yusuan"
	"yusuan/extract/narrative"
)

// Line is a line of text as the text layer gives it.
type Line = narrative.Line

// yearRe is a printed year, "2026" or "2026 年度".
const yearRe = `(?P<year>(?:19|20)\d{2})年度?`

// entityRe is an organisation name: Han characters with an optional
// parenthesised qualifier such as （本级）.
const entityRe = `(?P<entity>[\p{Han}（）()]{2,40}?)`

// docRe is what follows the year: level, scope and kind.
const docRe = `(?:(?:省|市|区|县|中央)级)?(?P<scope>部门|单位)?(?:综合)?(?P<kind>预算|决算)`

// titlePatterns, tried in order over the cover text joined into one
// string, then over each title.
var titlePatterns = []*regexp.Regexp{
	// 2026年北京市司法局部门预算, 2026年度福州市仓山生态环境局单位预算
	regexp.MustCompile(`^` + yearRe + entityRe + docRe),
	// 国家信访局2024年度部门决算, 苏州市自然资源和规划局（本级）2026年度单位预算公开
	regexp.MustCompile(entityRe + yearRe + docRe),
}

// labelPatterns name the entity outright on a cover or table header; the
// first ones outrank a title that names only a region
// (上海市普陀区2026年区级部门预算 / 预算主管部门：上海市普陀区司法局).
var labelPatterns = []struct {
	re       *regexp.Regexp
	override bool
}{
	{regexp.MustCompile(`(?:预算)?主管部门(?:及代码)?[：:]\s*(?:\d+[-_])?(?P<entity>[\p{Han}（）()]{2,40})`), true},
	{regexp.MustCompile(`预算单位[：:]\s*(?P<entity>[\p{Han}（）()]{2,40})`), true},
	{regexp.MustCompile(`(?:部门|单位)(?:名称)?[：:]\s*(?:\d+[-_])?(?P<entity>[\p{Han}（）()]{2,40}?)(?:\s|单位[：:]|金额单位|$)`), false},
	{regexp.MustCompile(`编制(?:单位|部门)[：:]\s*(?P<entity>[\p{Han}（）()]{2,40}?)(?:\s|单位[：:]|$)`), false},
}

// regionOnly matches a name that is a place, not an organisation.
var regionOnly = regexp.MustCompile(`^[\p{Han}]{1,12}?(?:省|市|区|县|自治区|自治州|盟|旗)$`)

// stopLine ends the cover: a contents list or the first heading.
var stopLine = regexp.MustCompile(`^(?:目录|第[一二三四五六七八九十]+部分|[一二三四五六七八九十]+、|表[一二三四五六七八九十\d]+$|预算\d+表|公开\d+表)`)

// anyYear finds a year anywhere, as a last resort.
var anyYear = regexp.MustCompile(`((?:19|20)\d{2})\s*年`)

// Detect reads the document's metadata from the lines of its first pages
// and from the titles of its tables (the caller may add other titles, such
// as a link text or file name, last). Whatever cannot be told stays empty,
// 0 or unknown.
func Detect(firstPages []Line, titles []string) yusuan.Meta {
	m := yusuan.Meta{Scope: yusuan.ScopeUnknown, Kind: yusuan.KindUnknown}
	cover := coverText(firstPages)
	candidates := append([]string{cover}, coverLines(firstPages)...)
	for _, t := range titles {
		candidates = append(candidates, squeeze(t))
	}
	found := false
	for _, c := range candidates {
		if c == "" {
			continue
		}
		for _, re := range titlePatterns {
			sm := re.FindStringSubmatch(c)
			if sm == nil {
				continue
			}
			g := groups(re, sm)
			if cleanEntity(g["entity"]) == "" {
				continue
			}
			m.Title = titleOf(c, re)
			m.Entity = cleanEntity(g["entity"])
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
	for _, l := range firstPages {
		t := strings.TrimSpace(l.Text)
		for _, lp := range labelPatterns {
			sm := lp.re.FindStringSubmatch(t)
			if sm == nil {
				continue
			}
			e := cleanEntity(groups(lp.re, sm)["entity"])
			if e == "" {
				continue
			}
			if m.Entity == "" || lp.override && (regionOnly.MatchString(m.Entity) || !found) {
				m.Entity = e
			}
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
	return m
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
// list or the first heading, from the first page that has text.
func coverLines(lines []Line) []string {
	var out []string
	page := -1
	for _, l := range lines {
		t := squeeze(l.Text)
		if t == "" {
			continue
		}
		if page < 0 {
			page = l.Page
		}
		if l.Page != page || stopLine.MatchString(t) || len(out) >= 6 {
			break
		}
		out = append(out, t)
	}
	return out
}

// coverText joins the cover lines: covers print the name and the title
// over several lines ("阳泉市生态环境局城区分局" / "2026年度单位预算公开"),
// sometimes breaking a word ("…部门预" / "算").
func coverText(lines []Line) string {
	return strings.Join(coverLines(lines), "")
}

// titleOf cuts a matched candidate down to the title proper: up to the end
// of the line-joined phrase (…预算公开, …部门决算, …预算信息公开).
func titleOf(c string, re *regexp.Regexp) string {
	loc := re.FindStringIndex(c)
	end := loc[1]
	for _, suffix := range []string{"信息公开", "公开", "情况说明"} {
		if strings.HasPrefix(c[end:], suffix) {
			end += len(suffix)
			break
		}
	}
	start := 0
	if re == titlePatterns[1] {
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

// notEntity rules out names that are budget vocabulary or units rather
// than organisations ("2017年政府采购预算表" names no entity).
var notEntity = regexp.MustCompile(`预算|决算|支出|收入|采购|经费|拨款|基金|项目|公开|^(?:万元|千元|元|人|个)$`)

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
	if notEntity.MatchString(e) {
		return ""
	}
	e = strings.TrimPrefix(e, "年度")
	e = strings.TrimPrefix(e, "年")
	for _, p := range []string{"关于", "附件"} {
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

var scopeText = regexp.MustCompile(`(部门|单位)(?:综合)?(?:预算|决算)`)

func scopeFromText(s string) yusuan.Scope {
	if sm := scopeText.FindStringSubmatch(s); sm != nil {
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
