// Package template holds what is known about disclosure templates as data:
// printed table titles → table kinds, header words → column keys, and the
// printed labels (表一, 预算公开表3, 预算01表 …). Tables are identified by
// their words, never by page or position; provinces word titles differently,
// so matching ignores years, labels, ordinals and decorations.
package vocab

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"yusuan"
)

// Title is a recognised table title.
type Title struct {
	Kind  yusuan.TableKind
	Label string // printed label such as 表一 or 预算01表, "" when none
	Title string // the title as printed, label removed
}

// titleRule maps a normalised title to a kind. Rules are tried in order: more
// specific wordings come first (基本支出 before 支出, 财政拨款收支 before 收支).
type titleRule struct {
	kind  yusuan.TableKind
	final bool // applies to 决算 titles only (else to budget titles only)
	re    *regexp.Regexp
}

var titleRules = []titleRule{
	// Either template.
	{yusuan.PerformanceTargets, false, regexp.MustCompile(`绩效目标|绩效表$`)},
	{yusuan.PerformanceTargets, true, regexp.MustCompile(`绩效目标|绩效表$`)},
	{yusuan.PerformanceEvaluation, true, regexp.MustCompile(`绩效自评|绩效评价|评价得分|绩效指标`)},
	{yusuan.PerformanceEvaluation, false, regexp.MustCompile(`绩效自评|绩效评价|评价得分|绩效指标`)},

	// Final accounts (决算).
	{yusuan.FAThreePublic, true, regexp.MustCompile(`三公`)},
	{yusuan.FAFiscalSummary, true, regexp.MustCompile(`财政拨款收入?支出?决算总表|财政拨款收支决算总表|财政拨款收入支出决算总表`)},
	{yusuan.FAIncomeExpenditureSummary, true, regexp.MustCompile(`^收入支出决算总表|^收支决算总表`)},
	{yusuan.FAGeneralBudgetBasic, true, regexp.MustCompile(`一般公共预算.*基本支出`)},
	{yusuan.FAGeneralBudgetExpenditure, true, regexp.MustCompile(`一般公共预算.*支出决算`)},
	{yusuan.FAGovFund, true, regexp.MustCompile(`政府性基金`)},
	{yusuan.FAStateCapital, true, regexp.MustCompile(`国有资本经营`)},
	{yusuan.FAIncome, true, regexp.MustCompile(`^收入决算表`)},
	{yusuan.FAExpenditure, true, regexp.MustCompile(`^支出决算表`)},

	// Budgets (预算).
	{yusuan.ThreePublic, false, regexp.MustCompile(`三公`)},
	{yusuan.AdminOperating, false, regexp.MustCompile(`机关运行经费`)},
	{yusuan.Procurement, false, regexp.MustCompile(`政府采购`)},
	{yusuan.FiscalSummary, false, regexp.MustCompile(`财政拨款收支|财政拨款收入支出`)},
	// Spending by economic classification: project spending, basic
	// spending, or both (一般公共预算支出表（按经济分类）).
	{yusuan.GeneralBudgetProjectByEconomic, false, regexp.MustCompile(`一般公共预算.*项目支出.*经济`)},
	// Basic spending by functional classification (Xi'an) is not the
	// basic-by-economic table.
	{yusuan.GeneralBudgetBasicByFunction, false, regexp.MustCompile(`一般公共预算.*基本支出.*功能分类`)},
	{yusuan.FiscalCarryoverExpenditure, false, regexp.MustCompile(`财政拨款结转(?:结余)?资金支出`)},
	{yusuan.GeneralBudgetBasicByEconomic, false, regexp.MustCompile(`一般公共预算.*基本支出|财政拨款基本支出.*经济`)},
	{yusuan.GeneralBudgetByEconomic, false, regexp.MustCompile(`一般公共预算.*支出.*经济分类`)},
	{yusuan.GeneralBudgetExpenditure, false, regexp.MustCompile(`一般公共预算.*支出`)},
	{yusuan.GovFundIncome, false, regexp.MustCompile(`政府性基金.*收入`)},
	{yusuan.GovFundExpenditure, false, regexp.MustCompile(`政府性基金.*(?:支出|收支)`)},
	{yusuan.StateCapital, false, regexp.MustCompile(`国有资本经营`)},
	{yusuan.ProjectCarryover, false, regexp.MustCompile(`项目支出.*上年结转`)},
	// 专项业务经费 is Shaanxi's word for project spending.
	{yusuan.ProjectCurrent, false, regexp.MustCompile(`项目支出|专项业务经费支出`)},
	{yusuan.BasicExpenditure, false, regexp.MustCompile(`基本支出`)},
	{yusuan.FiscalExpenditure, false, regexp.MustCompile(`财政拨款支出`)},
	{yusuan.IncomeExpenditureSummary, false, regexp.MustCompile(`^(本年)?(预算)?收支(预算)?(总表|总体情况表)|^(预算)?收入支出(预算)?总表`)},
	{yusuan.IncomeSummary, false, regexp.MustCompile(`^(本年)?(预算)?收入(预算)?(总表|总体情况表)`)},
	{yusuan.ExpenditureSummary, false, regexp.MustCompile(`^(本年)?(预算)?支出(预算)?(总表|总体情况表)`)},
}

var (
	// labelRe finds a printed table label at the start of a title.
	labelRe = regexp.MustCompile(`^(?:(?:预算|决算|部门|单位)?公开表\s*\d{1,2}|公开\s*\d{1,2}\s*表|预算\s*\d{1,2}\s*表|决算\s*\d{1,2}\s*表|附表\s*\d{1,2}|表\s*[一二三四五六七八九十]+|表\s*\d{1,2})(?:[-－]\d+)?[：:、.．\s]*`)
	// labelOnlyRe is a line holding nothing but a label.
	labelOnlyRe = regexp.MustCompile(`^(?:(?:预算|决算|部门|单位)?公开表\s*\d{1,2}|公开\s*\d{1,2}\s*表|预算\s*\d{1,2}\s*表|决算\s*\d{1,2}\s*表|附表\s*\d{1,2}|表\s*[一二三四五六七八九十]+|表\s*\d{1,2})(?:[-－]\d+)?$`)
	ordinalRe   = regexp.MustCompile(`^(?:[（(][一二三四五六七八九十\d]+[）)]|[一二三四五六七八九十]+[、.．]|\d+[、.．])`)
	yearRe      = regexp.MustCompile(`^(?:\d{4}|[（(]\d{4}[）)])\s*年?度?`)
	// A title ends in 表, perhaps followed by a short bracketed remark.
	titleEndRe = regexp.MustCompile(`表(?:[（(][^（）()]{1,16}[）)])?$`)
	decoRe     = regexp.MustCompile(`[（(][^（）()]{0,16}[）)]`)
	// setOfTablesRe ends the heading of a set of tables, not of one.
	setOfTablesRe = regexp.MustCompile(`(?:预算|决算|公开)报表$|(?:预算|决算)公开表$`)
)

// LabelOnly reports whether the text is a bare label line (预算公开表1) and
// returns it normalised (spaces removed).
func LabelOnly(text string) (string, bool) {
	t := squeeze(text)
	if labelOnlyRe.MatchString(t) {
		return t, true
	}
	return "", false
}

// SplitLabel cuts a printed table label from the start of text
// (公开 09 表：一般公共预算… → 公开09表, 一般公共预算…); label is "" when
// text starts with none, rest is squeezed. Labels are cut from the text as
// printed: the space in 部门公开表9 2026年… ends the label's number.
func SplitLabel(text string) (label, rest string) {
	orig := strings.TrimSpace(text)
	m := labelRe.FindString(orig)
	if m == "" {
		return "", squeeze(orig)
	}
	return squeeze(strings.TrimRight(m, "：:、.． ")), squeeze(orig[len(m):])
}

// MatchTitle recognises a table title line. It returns false for lines that
// are not titles (sentences, table-of-contents entries with page numbers).
func MatchTitle(text string) (Title, bool) {
	t := squeeze(text)
	if t == "" || len([]rune(t)) > 60 || !titleEndRe.MatchString(t) {
		return Title{}, false
	}
	label, rest := SplitLabel(text)
	if rest != "" {
		t = rest
	} else {
		label = ""
	}
	// Sentences and notes that end in 表 (注：每一分项预算均需填报一个相应的
	// 绩效目标表) and headings of a set of tables (2022年部门综合预算公开报表)
	// are no table titles.
	if strings.ContainsAny(t, "，。；！？") || noteRe.MatchString(t) || setOfTablesRe.MatchString(t) {
		return Title{}, false
	}
	printed := t
	kind, ok := Classify(t)
	if !ok {
		return Title{}, false
	}
	return Title{Kind: kind, Label: label, Title: printed}, true
}

// Classify maps a title (label already removed or not) to a table kind.
// Titles that end in 表 but match no rule are Other; text that does not look
// like a table title at all gives false.
func Classify(title string) (yusuan.TableKind, bool) {
	t := Normalize(title)
	if t == "" || !strings.HasSuffix(t, "表") {
		return "", false
	}
	final := strings.Contains(t, "决算")
	if k, ok := classifyCore(t, final); ok {
		return k, true
	}
	// The entity may be printed inside the title
	// (2018年度江苏省高级人民法院收支预算总表): try the rest after each
	// organisation name.
	for _, rest := range afterOrgNames(t) {
		if k, ok := classifyCore(yearRe.ReplaceAllString(rest, ""), final); ok && k != yusuan.Other {
			return k, true
		}
	}
	for _, w := range TitleWords {
		if strings.Contains(t, w) {
			return yusuan.Other, true
		}
	}
	return "", false
}

// classifyCore applies the title rules to a normalised title.
func classifyCore(t string, final bool) (yusuan.TableKind, bool) {
	for _, r := range titleRules {
		if r.final == final && r.re.MatchString(t) {
			return r.kind, true
		}
	}
	return "", false
}

// TitleWords appear in budget-table titles; a line ending in 表 without
// any of them (目录表, 情况表 in prose) is not a table title.
var TitleWords = []string{"预算", "决算", "收入", "支出", "收支", "经费", "资金", "采购"}

// OrgSuffixes end the names of organisations (江苏省高级人民法院,
// 省委办公厅, 深圳市统计局, 重庆市经济和信息化委员会).
var OrgSuffixes = []string{"委员会", "办公厅", "办公室", "中心", "政府", "院", "厅", "局", "委", "办", "会", "署", "馆", "所", "站", "队", "社", "团", "校", "处", "部"}

// afterOrgNames returns what follows each place in t that ends an
// organisation name, leftmost first (at least two characters of name).
func afterOrgNames(t string) []string {
	var out []string
	for i, n := 0, 0; i < len(t); {
		_, size := utf8.DecodeRuneInString(t[i:])
		i += size
		n++
		if n < 2 {
			continue
		}
		for _, s := range OrgSuffixes {
			if strings.HasSuffix(t[:i], s) && i < len(t) {
				out = append(out, t[i:])
				break
			}
		}
	}
	return out
}

// Normalize strips what provinces vary around a title: label, ordinal, year,
// entity words (部门/单位/本级), bracketed decorations such as
// （不含上年结转）, spaces and quotes, so that rules can match the core words.
func Normalize(title string) string {
	t := squeeze(title)
	for range 3 {
		before := t
		if m := labelRe.FindString(t); m != "" {
			t = t[len(m):]
		}
		t = ordinalRe.ReplaceAllString(t, "")
		t = yearRe.ReplaceAllString(t, "")
		if before == t {
			break
		}
	}
	// Keep the bracketed 上年结转/本年预算 of project tables: they decide
	// the kind. Other decorations go.
	keep := ""
	for _, m := range decoRe.FindAllString(t, -1) {
		switch {
		case strings.Contains(t, "项目支出") && strings.Contains(m, "上年结转"):
			keep = "上年结转"
		case strings.Contains(m, "经济"):
			keep = "经济分类"
		case strings.Contains(m, "功能"):
			keep = "功能分类"
		}
	}
	t = decoRe.ReplaceAllString(t, "")
	for _, w := range []string{"部门", "单位", "财务", "本级", "区级", "市级", "省级", "综合", "“", "”", "\"", "'", "‘", "’"} {
		t = strings.ReplaceAll(t, w, "")
	}
	if keep != "" {
		t = strings.TrimSuffix(t, "表") + keep + "表"
	}
	return t
}

// Squeeze removes all white space, ideographic spaces included: printed
// text compares without the blanks that spread it over its width.
func Squeeze(s string) string { return squeeze(s) }

func squeeze(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || r == '\u3000' {
			return -1
		}
		return r
	}, s)
}

// IsTwoSided reports whether tables of the kind print income and expenditure
// side by side.
func IsTwoSided(k yusuan.TableKind) bool {
	switch k {
	case yusuan.IncomeExpenditureSummary, yusuan.FiscalSummary,
		yusuan.FAIncomeExpenditureSummary, yusuan.FAFiscalSummary:
		return true
	}
	return false
}

// IsFreeForm reports whether tables of the kind have columns of their own
// (headers slugged, text cells kept) rather than the template's keys.
func IsFreeForm(k yusuan.TableKind) bool {
	switch k {
	case yusuan.Other, yusuan.Procurement, yusuan.PerformanceTargets, yusuan.PerformanceEvaluation:
		return true
	}
	return false
}

// IsEconomic reports whether the kind's rows are economic classification
// items (301…/30101…), so their codes are econ codes.
func IsEconomic(k yusuan.TableKind) bool {
	switch k {
	case yusuan.GeneralBudgetBasicByEconomic, yusuan.BasicExpenditure, yusuan.FAGeneralBudgetBasic,
		yusuan.GeneralBudgetByEconomic, yusuan.GeneralBudgetProjectByEconomic:
		return true
	}
	return false
}
