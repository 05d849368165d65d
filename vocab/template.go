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
	{yusuan.PerformanceTargets, false, regexp.MustCompile(`绩效目标`)},
	{yusuan.PerformanceTargets, true, regexp.MustCompile(`绩效目标`)},
	{yusuan.Other, true, regexp.MustCompile(`绩效自评|绩效评价|评价得分|绩效指标`)},
	{yusuan.Other, false, regexp.MustCompile(`绩效自评|绩效评价|评价得分|绩效指标`)},

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
	{yusuan.GeneralBudgetBasicByEconomic, false, regexp.MustCompile(`一般公共预算.*基本支出|财政拨款基本支出.*经济`)},
	// 一般公共预算支出表（按经济分类） spans basic and project spending: not
	// the basic-by-economic table.
	{yusuan.Other, false, regexp.MustCompile(`一般公共预算.*支出.*经济分类`)},
	{yusuan.GeneralBudgetExpenditure, false, regexp.MustCompile(`一般公共预算.*支出`)},
	{yusuan.GovFundIncome, false, regexp.MustCompile(`政府性基金.*收入`)},
	{yusuan.GovFundExpenditure, false, regexp.MustCompile(`政府性基金.*支出`)},
	{yusuan.StateCapital, false, regexp.MustCompile(`国有资本经营`)},
	{yusuan.ProjectCarryover, false, regexp.MustCompile(`项目支出.*上年结转`)},
	{yusuan.ProjectCurrent, false, regexp.MustCompile(`项目支出`)},
	{yusuan.BasicExpenditure, false, regexp.MustCompile(`基本支出`)},
	{yusuan.Other, false, regexp.MustCompile(`财政拨款支出`)},
	{yusuan.IncomeExpenditureSummary, false, regexp.MustCompile(`^(预算)?收支(预算)?(总表|总体情况表)|^(预算)?收入支出(预算)?总表`)},
	{yusuan.IncomeSummary, false, regexp.MustCompile(`^(预算)?收入(预算)?(总表|总体情况表)`)},
	{yusuan.ExpenditureSummary, false, regexp.MustCompile(`^(预算)?支出(预算)?(总表|总体情况表)`)},
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

// MatchTitle recognises a table title line. It returns false for lines that
// are not titles (sentences, table-of-contents entries with page numbers).
func MatchTitle(text string) (Title, bool) {
	t := squeeze(text)
	if t == "" || len([]rune(t)) > 60 || !titleEndRe.MatchString(t) {
		return Title{}, false
	}
	label := ""
	// Labels are cut from the text as printed: the space in
	// 部门公开表9 2026年… ends the label's number.
	orig := strings.TrimSpace(text)
	if m := labelRe.FindString(orig); m != "" && squeeze(m) != t {
		label = squeeze(strings.TrimRight(m, "：:、.． "))
		t = squeeze(orig[len(m):])
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
	for _, r := range titleRules {
		if r.final == final && r.re.MatchString(t) {
			return r.kind, true
		}
	}
	// Words that appear in budget-table titles; anything else ending in 表
	// (目录表, 情况表 in prose) is not a table title.
	for _, w := range []string{"预算", "决算", "收入", "支出", "收支", "经费", "资金", "采购"} {
		if strings.Contains(t, w) {
			return yusuan.Other, true
		}
	}
	return "", false
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

// squeeze removes all white space.
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

// IsEconomic reports whether the kind's rows are economic classification
// items (301…/30101…), so their codes are econ codes.
func IsEconomic(k yusuan.TableKind) bool {
	switch k {
	case yusuan.GeneralBudgetBasicByEconomic, yusuan.BasicExpenditure, yusuan.FAGeneralBudgetBasic:
		return true
	}
	return false
}
