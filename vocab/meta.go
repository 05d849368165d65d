package vocab

import (
	"regexp"
	"strings"
	"unicode/utf8"
)

// How disclosures name themselves: the document title on the cover
// (2026年北京市司法局部门预算, 国家信访局2024年度部门决算), the labels that
// name the publishing entity (预算主管部门：…, 部门名称：…) and the words that
// say budget or final account, department or unit.

const (
	docYear   = `(?P<year>(?:19|20)\d{2})年度?`
	docEntity = `(?P<entity>[\p{Han}（）()]{2,40}?)`
	// docKind follows the year: level, scope and kind.
	docKind = `(?:(?:省|市|区|县|中央)级)?(?P<scope>部门|单位)?(?:综合)?(?P<kind>预算|决算)`
)

// DocTitles are the patterns of a document's title, tried in order over
// the cover and over table titles. Groups: year, entity, scope (部门/单位,
// may be empty) and kind (预算/决算). The first prints the year first.
var DocTitles = []*regexp.Regexp{
	// 2026年北京市司法局部门预算, 2026年度福州市仓山生态环境局单位预算
	regexp.MustCompile(`^` + docYear + docEntity + docKind),
	// 国家信访局2024年度部门决算, 苏州市自然资源和规划局（本级）2026年度单位预算公开
	regexp.MustCompile(docEntity + docYear + docKind),
}

// DocTitleSuffixes may follow a title's kind (…预算公开, …部门决算情况说明).
var DocTitleSuffixes = []string{"信息公开", "公开", "情况说明"}

// DocYearKindRe is a year followed by scope and kind anywhere in the text
// (第二部分 2019 年度部门预算表): groups year, scope, kind.
var DocYearKindRe = regexp.MustCompile(docYear + docKind)

// YearRemarkRe is a year printed alone in brackets under a table's title
// ((2026年度)): group 1.
var YearRemarkRe = regexp.MustCompile(`^[（(]((?:19|20)\d{2})年度?[）)]$`)

// DocScopeRe says department or unit (部门预算, 单位决算): group 1.
var DocScopeRe = regexp.MustCompile(`(部门|单位)(?:综合)?(?:预算|决算)`)

// FinalAccountRe says that a text is about a final account rather than a
// budget (a final account speaks of 预算 too; a budget seldom of these).
var FinalAccountRe = regexp.MustCompile(`(?:部门|单位)决算|决算(?:总)?表|决算公开`)

// EntityLabel is a label that names the publishing entity on a cover or
// above a table. Override: it outranks a title that names only a region
// (上海市普陀区2026年区级部门预算 / 预算主管部门：上海市普陀区司法局). Its
// group scope (部门/单位), when present, tells department or unit.
type EntityLabel struct {
	Re       *regexp.Regexp
	Override bool
}

// EntityLabels are tried in order; group entity is the name.
var EntityLabels = []EntityLabel{
	{regexp.MustCompile(`(?:预算)?主管(?P<scope>部门)(?:及代码)?[：:]\s*(?:\d+[-_])?(?P<entity>[\p{Han}（）()]{2,40})`), true},
	{regexp.MustCompile(`预算(?P<scope>单位)[：:]\s*(?P<entity>[\p{Han}（）()]{2,40})`), true},
	{regexp.MustCompile(`(?P<scope>部门|单位)(?:名称)?[：:]\s*(?:\d+[-_])?(?P<entity>[\p{Han}（）()]{2,40}?)(?:\s|单位[：:]|金额单位|$)`), false},
	{regexp.MustCompile(`编制(?P<scope>单位|部门)[：:]\s*(?P<entity>[\p{Han}（）()]{2,40}?)(?:\s|单位[：:]|$)`), false},
}

// EntityCellRe is an entity printed in the cell after a label, without a
// colon (部门名称   北京市司法局): it must end like an organisation.
var EntityCellRe = regexp.MustCompile(`^(?P<scope>部门|单位)名称\s+(?P<entity>[\p{Han}（）()]{2,40})$`)

// EntityYearRe is an organisation's name followed by a year in running
// text (江苏省政协办公厅 2019 年度收入、支出预算总计…), on squeezed text.
var EntityYearRe = regexp.MustCompile(`([\p{Han}（）()]{3,30})(?:19|20)\d{2}年`)

// RegionOnlyRe is a name that is a place, not an organisation.
var RegionOnlyRe = regexp.MustCompile(`^[\p{Han}]{1,12}?(?:省|市|区|县|自治区|自治州|盟|旗)$`)

// NotEntityRe rules out names that are budget vocabulary or units rather
// than organisations ("2017年政府采购预算表" names no entity).
var NotEntityRe = regexp.MustCompile(`预算|决算|支出|收入|采购|经费|拨款|基金|项目|公开|^(?:万元|千元|元|人|个)$`)

// EntityPrefixes are words that run into a name in running text (关于…,
// 附件…, 年度…).
var EntityPrefixes = []string{"年度", "年", "关于", "附件"}

// EndsLikeOrg reports whether a name ends like an organisation's (局, 厅,
// 委员会 …).
func EndsLikeOrg(name string) bool {
	name = strings.TrimSuffix(strings.TrimSuffix(name, "（本级）"), "(本级)")
	for _, s := range OrgSuffixes {
		if strings.HasSuffix(name, s) && utf8.RuneCountInString(name) > utf8.RuneCountInString(s)+1 {
			return true
		}
	}
	return false
}
