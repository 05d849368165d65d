package vocab

import (
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
	best, bestEnd, bestLen := "", -1, 0
	for _, w := range headerWords {
		i := strings.LastIndex(h, w.word)
		if i < 0 {
			continue
		}
		end := i + len(w.word)
		if end > bestEnd || (end == bestEnd && len(w.word) > bestLen) {
			best, bestEnd, bestLen = w.key, end, len(w.word)
		}
	}
	// 小计 under a group heading (基本支出 / 小计 人员经费 公用经费) is the
	// group's total.
	if best == "subtotal" {
		if g := groupKey(h[:bestEnd-len("小计")]); g != "" {
			return g
		}
	}
	// The 机关运行经费 table's single amount column is its total
	// (机关运行经费支出).
	if best == "" && kind == yusuan.AdminOperating && strings.Contains(h, "机关运行经费") {
		return "total"
	}
	if best == "subtotal" && kind != yusuan.FiscalSummary && kind != yusuan.FAFiscalSummary {
		best = "total"
	}
	return best
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
		}
		return RoleCode
	case strings.Contains(h, "政府预算") && strings.Contains(h, "名称"):
		return RoleName2
	case strings.Contains(h, "名称") || strings.Contains(h, "项目") || strings.Contains(h, "科目"):
		return RoleName
	}
	return RoleNone
}

// Slug makes a column key from a printed header for free-form tables: the
// printed words without spaces.
func Slug(header string) string {
	return squeeze(header)
}

// GroupKey is the key of the last source or spending group named in a
// spanning heading (基本支出 → basic), "" when none.
func GroupKey(h string) string { return groupKey(squeeze(h)) }

func groupKey(h string) string {
	best, bestEnd := "", -1
	for _, w := range headerWords {
		switch w.key {
		case "gpb", "fund", "soe", "special", "unit", "basic", "project", "carryover", "current", "vehicles":
		default:
			continue
		}
		if i := strings.LastIndex(h, w.word); i >= 0 && i+len(w.word) > bestEnd {
			best, bestEnd = w.key, i+len(w.word)
		}
	}
	return best
}
