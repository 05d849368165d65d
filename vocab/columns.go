package vocab

import (
	"regexp"
	"slices"
	"strconv"
	"strings"

	"yusuan"
)

// headerWord maps a printed header word to a column key.
type headerWord struct {
	word, key string
}

// headerWords are the header words templates print above amount columns.
// A column's header is the text stacked above it (spanning group first, leaf
// last); the word that ends last wins, so 一般公共预算 + 基本支出 is basic and
// 本年收入 + 合计 is total.
var headerWords = []headerWord{
	{"合计", "total"},
	{"总计", "total"},
	{"小计", "subtotal"},
	{"一般公共预算", "gpb"},
	{"政府性基金", "fund"},
	{"国有资本经营", "soe"},
	{"财政专户", "special"},
	{"专户管理", "special"},
	{"单位资金", "unit"},
	{"事业收入", "business"},
	{"事业单位经营收入", "operating"},
	{"经营收入", "operating"},
	{"上级补助收入", "superior"},
	{"附属单位上缴收入", "affiliated"},
	{"其他收入", "other"},
	{"上年结转", "carryover"},
	{"上年财政拨款结转", "carryover"},
	{"结转结余", "carryover"},
	{"上年结余、结转", "carryover"},
	{"上年结余和结转", "carryover"},
	{"基本支出", "basic"},
	{"项目支出", "project"},
	{"专项业务经费", "project"}, // Xi'an: 人员经费 + 公用经费 + 专项业务经费
	{"人员经费", "personnel"},
	{"人员支出", "personnel"},
	{"公用经费", "public"},
	{"公用支出", "public"},
	{"当年预算", "current"},
	{"本年预算", "current"},
	{"当年拨款", "current"},
	{"本年拨款", "current"},
	{"当年财政拨款", "current"},
	{"预算数", "budget"},
	{"决算数", "actual"},
	{"金额", "amount"},
	{"年初结转和结余", "carry_begin"},
	{"年初财政拨款结转和结余", "carry_begin"},
	{"年末结转和结余", "carry_end"},
	{"年末财政拨款结转和结余", "carry_end"},
	{"本年收入", "income"},
	{"财政拨款收入", "fiscal"},
	{"上缴上级支出", "remit"},
	{"经营支出", "operating"},
	{"对附属单位补助支出", "subsidy"},
	{"因公出国", "abroad"},
	{"公务接待", "reception"},
	{"公务用车购置及运行费", "vehicles"},
	{"公务用车购置及运行", "vehicles"},
	{"公务用车购置及运行维护费", "vehicles"},
	{"公务用车购置费", "vehicle_purchase"},
	{"购置费", "vehicle_purchase"},
	{"购置经费", "vehicle_purchase"},
	{"运行维护费", "vehicle_operation"},
	{"运行维护经费", "vehicle_operation"},
	{"运行费", "vehicle_operation"},
	{"会议费", "meeting"},
	{"培训费", "training"},
	// The “三公” subtotal beside 会议费 and 培训费 (一般公共预算拨款安排的
	// “三公”经费预算 / 小计).
	{"“三公”经费", "three_public"},
	{"三公经费", "three_public"},
	{"机关运行经费", "admin_operating"},
	// Guangzhou: 其他资金 is the non-fiscal money (单位资金).
	{"其他资金", "unit"},
	// Jiangsu 2017: 单位预留机动经费, a third part beside 基本支出 and 项目支出.
	{"预留机动经费", "reserve"},
	// Xi'an: 用事业基金弥补收支差额, 上年实户资金余额, 其中：专项资金列入部门预算的项目.
	{"事业基金", "business_fund"},
	{"实户资金余额", "account_balance"},
	{"专项资金", "special_funds"},
	{"预算总额", "total"},
	// Shenzhen: 2026年政府采购项目 / 小计, 其中：…预留给中小企业的项目资金规模,
	// 其中：…预留给小型、微型企业的项目资金规模.
	{"政府采购", "procurement"},
	{"中小企业", "procurement_sme"},
	{"小型、微型企业", "procurement_small"},
}

// LeafWords are the header words that name one column each; a header line
// printing two of them run together (基本支出项目支出) is two cells.
var LeafWords = []string{
	"合计", "小计", "一般公共预算", "政府性基金", "国有资本经营", "财政专户", "单位资金",
	"事业收入", "事业单位经营收入", "上级补助收入", "附属单位上缴收入", "其他收入",
	"上年结转", "基本支出", "项目支出", "人员经费", "公用经费", "当年预算", "本年预算",
	"因公出国", "公务接待",
}

// ColumnKey maps the header text printed above an amount column to its key,
// "" when no known word appears. kind adjusts template differences
// (小计 is subtotal in 财政拨款收支总表, total elsewhere).
func ColumnKey(header string, kind yusuan.TableKind) string {
	h := squeeze(header)
	best, start := lastKey(h, nil)
	// 小计 under a group heading (基本支出 / 小计 人员经费 公用经费) is the
	// group's total.
	if best == "subtotal" {
		if g := groupKey(h[:start]); g != "" {
			return g
		}
	}
	// 预算数 or 决算数 after an item (机关运行经费预算数, 因公出国（境）费决算数)
	// says for which period the item is printed: the item is the column.
	if best == "budget" || best == "actual" {
		if item, _ := lastKey(h[:start], func(k string) bool { return periodItems[k] }); item != "" {
			return item
		}
	}
	// The 机关运行经费 table's single amount column is its total
	// (机关运行经费支出).
	if best == "admin_operating" && kind == yusuan.AdminOperating {
		return "total"
	}
	if best == "subtotal" && kind != yusuan.FiscalSummary && kind != yusuan.FAFiscalSummary {
		best = "total"
	}
	return best
}

// periodItems are the items a table may print for several periods
// (预算数 and 决算数, years side by side).
var periodItems = map[string]bool{
	"abroad": true, "reception": true, "vehicles": true, "vehicle_purchase": true, "vehicle_operation": true,
	"meeting": true, "training": true, "three_public": true, "admin_operating": true,
}

// lastKey finds the header word of h that ends last (the longest on a tie)
// among the words whose key passes keep (all when nil): its key and the
// byte offset where it starts; "" and 0 when none.
func lastKey(h string, keep func(string) bool) (key string, start int) {
	bestEnd, bestLen := -1, 0
	for _, w := range headerWords {
		if keep != nil && !keep(w.key) {
			continue
		}
		i := strings.LastIndex(h, w.word)
		if i < 0 {
			continue
		}
		end := i + len(w.word)
		if end > bestEnd || (end == bestEnd && len(w.word) > bestLen) {
			key, start, bestEnd, bestLen = w.key, i, end, len(w.word)
		}
	}
	return key, start
}

// TextRole is what a non-amount column holds.
type TextRole int

const (
	RoleNone        TextRole = iota
	RoleCode                 // functional classification code (科目编码)
	RoleCodePart             // one of 类/款/项 printed apart
	RoleEconCode             // 部门预算支出经济分类科目编码 (301…)
	RoleGovEconCode          // 政府预算支出经济分类科目编码 (501…)
	RoleName                 // item name
	RoleName2                // second name column (政府预算经济科目名称)
	RoleLineNo               // 行次/序号: printed line numbers, not amounts
	RoleUnitCode             // 单位编码/部门代码: the code of a budget unit (204001)
)

// TextColumnRole maps a header printed above a text column to its role.
func TextColumnRole(header string) TextRole {
	h := squeeze(header)
	switch {
	case h == "行次" || h == "序号" || h == "栏次" || strings.HasSuffix(h, "行次"):
		return RoleLineNo
	case h == "类" || h == "款" || h == "项" || strings.HasSuffix(h, "类款项") && len([]rune(h)) <= 4:
		return RoleCodePart
	case strings.Contains(h, "编码") || strings.Contains(h, "代码"):
		switch {
		case strings.Contains(h, "政府预算") || strings.Contains(h, "政府经济"):
			return RoleGovEconCode
		case strings.Contains(h, "经济"):
			return RoleEconCode
		case unitCodeRe.MatchString(h):
			return RoleUnitCode
		}
		return RoleCode
	case strings.Contains(h, "政府预算") && strings.Contains(h, "名称"):
		return RoleName2
	case strings.Contains(h, "名称") || strings.Contains(h, "项目") || strings.Contains(h, "科目"):
		return RoleName
	}
	return RoleNone
}

// unitCodeRe heads a column of budget units' codes (单位编码, 部门代码,
// 预算单位编码), not of classification codes.
var unitCodeRe = regexp.MustCompile(`(?:单位|部门)(?:[（(]单位[）)])?(?:编码|代码)`)

// Slug makes a column key from a printed header for free-form tables: the
// printed words without spaces.
func Slug(header string) string {
	return squeeze(header)
}

// SpanningKey is the key a heading printed above a column's own gives a
// 小计 beside it: in 公务用车购置及运行维护费公务用车购置费, vehicles.
func SpanningKey(h string) string {
	h = squeeze(h)
	_, start := lastKey(h, nil)
	return groupKey(h[:start])
}

func groupKey(h string) string {
	k, _ := lastKey(h, func(k string) bool { return groupKeys[k] })
	return k
}

// GroupKeys are the keys of the source or spending groups named in a
// spanning heading, the last printed (the nearest to the columns) first.
func GroupKeys(h string) []string {
	h = squeeze(h)
	var out []string
	for {
		k, start := lastKey(h, func(k string) bool { return groupKeys[k] })
		if k == "" {
			return out
		}
		if !slices.Contains(out, k) {
			out = append(out, k)
		}
		h = h[:start]
	}
}

// IsGroupKey reports whether a heading spanning several columns may give
// its 小计 the key (基本支出 → basic, 公务用车购置及运行费 → vehicles).
func IsGroupKey(k string) bool { return groupKeys[k] }

// groupKeys are the keys a heading spanning several columns may give
// their 小计.
var groupKeys = map[string]bool{
	"gpb": true, "fund": true, "soe": true, "special": true, "unit": true, "basic": true, "project": true,
	"carryover": true, "current": true, "vehicles": true, "three_public": true, "procurement": true,
}

// yearWordRe is a year in a heading (2025年预算数).
var yearWordRe = regexp.MustCompile(`((?:19|20)\d{2})\s*年`)

// Period kinds a heading may print its columns for (PeriodOf).
const (
	PeriodYear   = "year"   // a year: 2025年预算数, 2026年
	PeriodChange = "change" // 增减, 增减变化情况
	PeriodBudget = "budget" // 预算数
	PeriodActual = "actual" // 决算数, 执行数
)

// PeriodOf says for which period a heading prints its columns: a year
// (with the year), the change between years, 预算数 or 决算数; "" when the
// heading names none.
func PeriodOf(h string) (period string, year int) {
	h = squeeze(h)
	if m := yearWordRe.FindStringSubmatch(h); m != nil {
		y, _ := strconv.Atoi(m[1])
		return PeriodYear, y
	}
	switch {
	case strings.Contains(h, "增减"):
		return PeriodChange, 0
	case strings.Contains(h, "决算数") || strings.Contains(h, "执行数"):
		return PeriodActual, 0
	case strings.Contains(h, "预算数"):
		return PeriodBudget, 0
	}
	return "", 0
}

// IsFinalAccount reports whether the kind is a final account's (决算) table.
func IsFinalAccount(k yusuan.TableKind) bool { return strings.HasPrefix(string(k), "fa_") }
