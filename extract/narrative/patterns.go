package narrative

import (
	"fmt"
	"regexp"
	"regexp/syntax"
	"strings"
	"sync"
)

// Regular-expression pieces the fact patterns are written with. They run
// over normalised sentences: no blanks, ASCII digits, no thousands
// separators, no quotation marks (so “三公” reads 三公).

// amt captures an amount and its unit for fact key k.
func amt(k string) string {
	return fmt.Sprintf(`(?P<a_%s>\d+(?:\.\d+)?)(?P<u_%s>亿元|万元|千元|元)`, k, k)
}

// pct captures a percentage for fact key k.
func pct(k string) string { return fmt.Sprintf(`(?P<p_%s>\d+(?:\.\d+)?)%%`, k) }

// cnt captures a whole count for fact key k.
func cnt(k string) string { return fmt.Sprintf(`(?P<n_%s>\d+)`, k) }

// dir captures a direction word, whose sign applies to fact key k.
func dir(k string) string {
	return fmt.Sprintf(`(?P<d_%s>增加|增长|上升|提高|增幅|增|减少|下降|降低|减幅|降幅|减|缩减|压减)`, k)
}

// gap is a short run of words (no clause punctuation, no figures except a
// year) between a subject and its figure: "机关运行经费2026年财政拨款预算".
const gap = `(?:[^。；，,、\d%]|\d{4}年度?){0,24}?`

// wide is a longer stretch inside one sentence, across commas.
const wide = `[^。；;]{0,40}?`

// cmp opens a comparison with last year: 比上年, 较2025年年初预算, 比上年执行数,
// 同比.
// "与2023年相比，收、支总计各增加…" puts a comma after 相比.
const cmp = `(?:(?:比|较|与)(?:[^。；，,\d%]|\d{4}年度?){0,16}?(?:相比[，,][^。；，,\d%]{0,10}?)?|同比)`

// change is "比上年[预算13.35万元相比，]减少1.14万元，下降8.5%": the change (signed
// by its direction word), optionally the printed previous figure, and
// optionally the percentage.
func change(changeKey, pctKey, prevKey string) string {
	s := cmp
	if prevKey != "" {
		s += `(?:` + amt(prevKey) + `(?:相比|比较)?[，,]?)?`
	}
	s += dir(changeKey) + amt(changeKey)
	if pctKey != "" {
		s += `(?:[，,]?` + dir(pctKey) + `?` + pct(pctKey) + `)?`
	}
	return s
}

// opt makes a fragment optional.
func opt(s string) string { return `(?:` + s + `)?` }

// totalSubject names the document's total income (收入总计, 收支总预算 …).
const totalSubject = `(?:(?:预算)?收入(?:预算)?总计|(?:收、?支|收入、?支出)(?:总预算|预算总额|预算总计|决算总计|总计|预算)|收入预算|预算收入)(?:合计|总额)?(?:为|是|共)?[：:]?`

// pattern is one way a sentence can state facts. Every named group of re
// feeds a fact: a_K amount (u_K its unit, d_K its direction), p_K a
// percentage, n_K a count. set assigns constants when re matches (持平 →
// 0). notAfter lists words that, right before the match, mean the figure
// is someone else's (财政拨款收入预算总计 is not the total).
type pattern struct {
	re       string
	set      map[string]string
	notAfter []string
}

// commonNotAfter applies to every pattern: a figure preceded by a change
// word is a change, not a level.
var commonNotAfter = []string{"增加", "减少", "增长", "下降", "其中增加", "其中减少"}

// facts lists the sentence patterns, most specific first; the first
// pattern (in this order) that yields a key, at its first sentence in
// document order, wins.
var patterns = []pattern{
	// Totals and the change against last year.
	{re: totalSubject + amt("total_income") + wide + change("yoy_change", "yoy_change_pct", "total_income_prev"),
		notAfter: []string{"财政拨款", "拨款", "一般公共", "基金", "经营", "专户管理资金"}},
	{re: totalSubject + amt("total_income") + wide + `(?:与上年(?:基本)?持平|` + cmp + `(?:基本)?持平)`,
		set:      map[string]string{"yoy_change": "0", "yoy_change_pct": "0"},
		notAfter: []string{"财政拨款", "拨款", "一般公共", "基金", "经营"}},
	// "…；收入比2025年减少29,815.76万元" (Chongqing): the total as the
	// subject of its own clause.
	{re: `(?:^|[；;])(?:本年)?收入(?:预算)?(?:总计)?` + change("yoy_change", "yoy_change_pct", "")},
	{re: `(?:预算)?收入(?:预算)?总计(?:为|是|共)?` + amt("total_income"), notAfter: []string{"财政拨款", "拨款"}},
	{re: `(?:收入、?支出|收、?支)(?:预算|决算)?总计(?:为|是|共)?` + amt("total_income") + opt(wide+change("yoy_change", "yoy_change_pct", "")),
		notAfter: []string{"财政拨款", "拨款"}},
	// "收、支总计22066.59万元" states both totals at once.
	{re: `收、?支(?:预算|决算)?总计(?:为|是|共)?` + amt("total_expenditure"), notAfter: []string{"财政拨款", "拨款"}},
	{re: `收入预算[：:]` + gap + amt("total_income")},
	{re: `支出预算[：:]` + gap + amt("total_expenditure")},
	{re: `收支(?:总预算|预算总额|预算总计|预算)(?:为|是|共)?` + amt("total_income"), notAfter: []string{"财政拨款", "拨款"}},
	{re: `(?:收入预算|预算收入)(?:合计|总额)?(?:为|是|共)?` + amt("total_income"),
		notAfter: []string{"财政拨款", "拨款", "一般公共", "基金", "经营", "专户管理资金"}},
	{re: `本年(?:预算)?收入(?:预算)?(?:合计)?(?:为|是|共)?` + amt("current_income"), notAfter: []string{"财政拨款"}},
	{re: `(?:上年|年初)结转(?:和|及|、)?(?:结余)?(?:资金|收入)?(?:为|是)?` + amt("carryover_income")},
	{re: `支出(?:预算|决算)?总计(?:为|是|共)?` + amt("total_expenditure"), notAfter: []string{"财政拨款", "拨款", "一般公共预算"}},
	{re: `(?:支出预算|预算支出)(?:合计|总额)?(?:为|是|共)?` + amt("total_expenditure"),
		notAfter: []string{"财政拨款", "拨款", "一般公共", "基金", "经营", "经费", "费", "基本", "项目"}},
	{re: `支出(?:合计|总额)(?:为|是|共)?` + amt("total_expenditure"), notAfter: []string{"财政拨款", "拨款", "一般公共预算", "基本", "项目"}},

	// Sources and uses, with their shares.
	{re: `一般公共预算(?:财政)?(?:当年)?(?:拨款)?(?:收入)?(?:预算)?(?:为)?` + amt("gpb_income") + `[，,]?占` + gap + pct("gpb_income_pct")},
	{re: `一般公共预算(?:财政)?(?:当年)?(?:拨款)?(?:收入)?(?:为)?` + amt("gpb_income")},
	{re: `基本支出(?:预算)?(?:数)?(?:为)?` + amt("basic") + `[，,]?占` + gap + pct("basic_pct")},
	{re: `基本支出(?:预算)?(?:数)?(?:为)?` + amt("basic")},
	{re: `项目支出(?:预算)?(?:数)?(?:为)?` + amt("project") + `[，,]?占` + gap + pct("project_pct")},
	{re: `项目支出(?:预算)?(?:数)?(?:为)?` + amt("project")},
	// A figure after a subordinate unit's name (…社会科学院日常公用经费) is
	// that unit's, not the document's.
	{re: `人员(?:经费|支出)(?:预算)?(?:为)?` + amt("personnel"), notAfter: []string{"在职", "离退休", "退休", "机关", "院", "中心", "所", "站", "队"}},
	{re: `(?:日常)?公用(?:经费|支出)(?:预算)?(?:为)?` + amt("public"), notAfter: []string{"机关", "院", "中心", "所", "站", "队"}},

	// "三公" funds: a final account states the actual figure, a budget the
	// budgeted one; "none" is zero.
	{re: `三公经费` + wide + `支出决算(?:数)?(?:为)?` + amt("three_public")},
	{re: `三公经费(?:财政拨款)?(?:支出|预算|数|安排)*(?:共|为|合计|总额|共计)*` + amt("three_public") +
		opt(`[，,]?`+change("three_public_change", "three_public_change_pct", "three_public_prev"))},
	{re: `(?:无|没有|未安排|不安排|未使用)[^。；，结]{0,12}三公经费`, set: map[string]string{"three_public": "0"}},
	{re: `三公经费[^。；，结]{0,16}?(?:为0|为零|均为0|为空)(?:[^.\d]|$)`, set: map[string]string{"three_public": "0"}},

	// 机关运行经费 and last year's figure.
	{re: `机关运行经费` + gap + amt("admin_operating") +
		opt(`[，,]?`+change("admin_operating_change", "admin_operating_change_pct", "admin_operating_prev"))},
	{re: `(?:财政拨款|公用)运行经费` + gap + amt("admin_operating") +
		opt(`[，,]?`+change("admin_operating_change", "admin_operating_change_pct", "admin_operating_prev"))},
	// A public institution (事业单位) has none: 本单位为事业单位，无机关运行经费。
	{re: `(?:无|没有|未安排|不安排)[^。；，结]{0,12}机关运行经费`, set: map[string]string{"admin_operating": "0"}},
	{re: `机关运行经费[^。；，结]{0,16}?(?:为0|为零|均为0|为空)(?:[^.\d]|$)`, set: map[string]string{"admin_operating": "0"}},

	// Procurement.
	{re: `政府采购(?:预算)?(?:总额|合计|总计)(?:为|共|共计)?` + amt("procurement_total")},
	{re: `政府采购(?:预算|项目)(?:共有|共计|为|共)?` + amt("procurement_total"), notAfter: []string{"拨款"}},

	// Performance targets: how many projects, how much money.
	{re: `绩效目标(?:管理|编报工作|申报)?[^。；\d]{0,16}?` + cnt("performance_project_count") + `个(?:[^。；，,\d]{0,8})?` +
		opt(`[，,][^。；，,\d]{0,14}?`+amt("performance_amount")), notAfter: []string{"整体", "部门整体"}},
	{re: `绩效管理[^。；]{0,10}?涉及[^。；，,\d]{0,8}?` + amt("performance_amount") + `[，,][^。；，,\d]{0,8}?` + cnt("performance_project_count") + `个(?:[^。；，,\d]{0,4})?绩效目标`},
	{re: `实行(?:了)?绩效目标管理[，,]涉及[^。；，,\d]{0,14}?` + amt("performance_amount")},

	// Staffing.
	{re: `(?:行政|事业|人员)?编制(?:数|人数)?(?:为|共)?` + cnt("staff_authorized") + `(?:人|名)`, notAfter: []string{"实有", "实际"}},
	{re: `实有(?:人数|人员|编制数|编制)?(?:为|共)?` + cnt("staff_actual") + `(?:人|名)`},
	{re: `(?:实际)?在职(?:人员|人数)(?:总数)?(?:为|共)?` + cnt("staff_actual") + `(?:人|名)`},
}

// compiled is a pattern with its regexp built, and the longest literal
// every match must contain, to skip sentences cheaply.
type compiled struct {
	pattern
	re   *regexp.Regexp
	need string
}

var compiledPatterns = sync.OnceValue(func() []compiled {
	out := make([]compiled, len(patterns))
	for i, p := range patterns {
		out[i] = compiled{pattern: p, re: regexp.MustCompile(p.re), need: requiredLiteral(p.re)}
	}
	return out
})

// requiredLiteral returns the longest literal among the top-level parts of
// a regular expression: text any match contains.
func requiredLiteral(expr string) string {
	re, err := syntax.Parse(expr, syntax.Perl)
	if err != nil {
		return ""
	}
	re = re.Simplify()
	parts := []*syntax.Regexp{re}
	if re.Op == syntax.OpConcat {
		parts = re.Sub
	}
	best := ""
	for _, p := range parts {
		if p.Op == syntax.OpLiteral && p.Flags&syntax.FoldCase == 0 && len(string(p.Rune)) > len(best) {
			best = string(p.Rune)
		}
	}
	return best
}

// derivation says how to get a previous-year figure that the text gives
// only as a change: prev = current − change.
type derivation struct{ prev, current, change string }

var derivations = []derivation{
	{"admin_operating_prev", "admin_operating", "admin_operating_change"},
	{"three_public_prev", "three_public", "three_public_change"},
	{"total_income_prev", "total_income", "yoy_change"},
}

// StandardKeys returns the fact keys of docs/checks.md, in documentation
// order. Parse may return more keys (changes and previous-year figures:
// admin_operating_change, three_public_prev, total_income_prev …).
func StandardKeys() []string {
	return append([]string(nil), standardKeys...)
}

var standardKeys = []string{
	"total_income", "total_expenditure", "current_income", "carryover_income",
	"yoy_change", "yoy_change_pct", "gpb_income", "gpb_income_pct",
	"basic", "basic_pct", "project", "project_pct", "personnel", "public",
	"three_public", "admin_operating", "admin_operating_prev", "procurement_total",
	"performance_project_count", "performance_amount", "staff_authorized", "staff_actual",
}

// Normalise is the form fact patterns read sentences in (and
// FactSource.FigureAt counts in): ASCII digits, no blanks, no quotation
// marks, no thousands separators.
func Normalise(s string) string {
	var b strings.Builder
	for _, r := range s {
		if n, ok := NormalRune(r); ok {
			b.WriteRune(n)
		}
	}
	return thousands.ReplaceAllStringFunc(b.String(), func(m string) string {
		return strings.ReplaceAll(m, ",", "")
	})
}

// NormalRune is one character as Normalise writes it; false when it drops
// it. Thousands separators are Normalise's own.
func NormalRune(r rune) (rune, bool) {
	switch {
	case r >= '０' && r <= '９':
		return '0' + r - '０', true
	case r == '．':
		return '.', true
	case r == '％':
		return '%', true
	case r == '“', r == '”', r == '"', r == '‘', r == '’', r == '\'', r == '「', r == '」', r == '『', r == '』':
		return 0, false
	case r == ' ', r == '\t', r == '\n', r == '\r', r == '\u3000', r == '\u00a0':
		return 0, false
	}
	return r, true
}

// thousands matches a number with thousands separators.
var thousands = regexp.MustCompile(`\d{1,3}(?:,\d{3})+(?:\.\d+)?`)

// skipSentence marks sentences whose figures belong to something else than
// the document as a whole: one project's description, a definition.
var skipSentence = regexp.MustCompile(`该项目|本项目|项目自评|自评得分|项目全年预算|^[^，。]{0,30}[：:](?:是)?指|是指`)
