package vocab

import (
	"regexp"
	"strings"

	"yusuan"
)

// ColumnNames are the Chinese names of column keys, for messages and data
// dictionaries.
var ColumnNames = map[string]string{
	"total": "合计", "subtotal": "小计", "amount": "金额", "current": "当年预算", "carryover": "上年结转",
	"basic": "基本支出", "project": "项目支出", "personnel": "人员经费", "public": "公用经费",
	"gpb": "一般公共预算", "fund": "政府性基金", "soe": "国有资本经营预算", "special": "财政专户管理资金",
	"unit": "单位资金", "business": "事业收入", "other": "其他收入",
	"abroad": "因公出国（境）费", "reception": "公务接待费", "vehicles": "公务用车购置及运行费",
	"vehicle_purchase": "公务用车购置费", "vehicle_operation": "公务用车运行维护费", "meeting": "会议费", "training": "培训费",
	"three_public": "“三公”经费", "admin_operating": "机关运行经费", "reserve": "单位预留机动经费",
	"business_fund": "用事业基金弥补收支差额", "account_balance": "上年实户资金余额", "special_funds": "专项资金",
	"procurement": "政府采购项目", "procurement_sme": "预留给中小企业的项目资金", "procurement_small": "预留给小型、微型企业的项目资金",
	"operating": "事业单位经营收支", "superior": "上级补助收入", "affiliated": "附属单位上缴收入",
	"budget": "预算数", "actual": "决算数", "income": "本年收入", "fiscal": "财政拨款收入",
	"carry_begin": "年初结转和结余", "carry_end": "年末结转和结余", "remit": "上缴上级支出", "subsidy": "对附属单位补助支出",
}

// ColumnName is the Chinese name of a column key, the key itself when unknown.
func ColumnName(key string) string {
	if n, ok := ColumnNames[key]; ok {
		return n
	}
	return key
}

// CategoryNames are the 类 of the functional classification (支出功能分类),
// current and older names.
var CategoryNames = map[string]bool{
	"一般公共服务支出": true, "外交支出": true, "国防支出": true, "公共安全支出": true, "教育支出": true,
	"科学技术支出": true, "文化旅游体育与传媒支出": true, "文化体育与传媒支出": true, "社会保障和就业支出": true,
	"社会保险基金支出": true, "卫生健康支出": true, "医疗卫生与计划生育支出": true, "医疗卫生支出": true,
	"节能环保支出": true, "城乡社区支出": true, "农林水支出": true, "交通运输支出": true,
	"资源勘探工业信息等支出": true, "资源勘探信息等支出": true, "商业服务业等支出": true, "金融支出": true,
	"援助其他地区支出": true, "自然资源海洋气象等支出": true, "国土海洋气象等支出": true, "住房保障支出": true,
	"粮油物资储备支出": true, "国有资本经营预算支出": true, "灾害防治及应急管理支出": true, "预备费": true,
	"其他支出": true, "转移性支出": true, "债务还本支出": true, "债务付息支出": true, "债务发行费用支出": true,
	"抗疫特别国债安排的支出": true,
}

// CategoryCodes name the 类 by code, for lines whose name was not read.
var CategoryCodes = map[string]string{
	"201": "一般公共服务支出", "202": "外交支出", "203": "国防支出", "204": "公共安全支出", "205": "教育支出",
	"206": "科学技术支出", "207": "文化旅游体育与传媒支出", "208": "社会保障和就业支出", "209": "社会保险基金支出",
	"210": "卫生健康支出", "211": "节能环保支出", "212": "城乡社区支出", "213": "农林水支出", "214": "交通运输支出",
	"215": "资源勘探工业信息等支出", "216": "商业服务业等支出", "217": "金融支出", "219": "援助其他地区支出",
	"220": "自然资源海洋气象等支出", "221": "住房保障支出", "222": "粮油物资储备支出", "223": "国有资本经营预算支出",
	"224": "灾害防治及应急管理支出", "227": "预备费", "229": "其他支出", "230": "转移性支出", "231": "债务还本支出",
	"232": "债务付息支出", "233": "债务发行费用支出", "234": "抗疫特别国债安排的支出",
}

// CarryWords mark the lines between 本年合计 and 总计 of a two-sided
// summary: carry-overs and the like (上年结转, 年终结转, 用事业基金弥补收支差额,
// 年初结转和结余 …).
var CarryWords = []string{"结转", "结余", "弥补", "事业基金", "上年", "年末", "年终", "年初"}

// IncomeSource maps the income lines of the summary tables to the source
// columns of 收入总表, by what the printed name contains.
type IncomeSource struct {
	Col   string
	Words []string
}

// IncomeSources are the funding sources in template order: the first three
// are the fiscal (财政拨款) sources.
var IncomeSources = []IncomeSource{
	{"gpb", []string{"一般公共预算"}},
	{"fund", []string{"政府性基金"}},
	{"soe", []string{"国有资本经营"}},
	{"special", []string{"财政专户"}},
	{"unit", []string{"单位资金"}},
	{"carryover", []string{"上年结转"}},
}

// ThreePublicExtras are lines or columns some “三公” tables print beside
// 因公出国（境）费, 公务接待费 and 公务用车购置及运行费, which their 合计 may
// count: 行政经费 (Guangzhou), 会议费 and 培训费, 机关运行经费.
var ThreePublicExtras = []string{"行政经费", "会议费", "培训费", "机关运行经费"}

// AdminOperatingScopeRe finds, in a sentence about 机关运行经费, the words
// of a document saying its scope differs from the basic-expenditure 公用经费
// (“财政部对“机关运行经费”口径调整，将专项中包含的运行经费统计在这张表中”).
var AdminOperatingScopeRe = regexp.MustCompile(`口径|专项中|项目(支出|经费)?中`)

// IsAnnualFunds reports whether a label of a performance-target table names
// a project's funds for the year: 年度资金总额, 年度预算资金总额, or a bare
// 资金总额 — not 实施期资金总额, the funds of the whole implementation period.
func IsAnnualFunds(label string) bool {
	return strings.Contains(label, "资金总额") && (strings.Contains(label, "年度") || !strings.Contains(label, "实施期"))
}

// KindLabels are the usual Chinese names of table kinds, for messages when a
// table's own printed title is not at hand.
var KindLabels = map[yusuan.TableKind]string{
	yusuan.IncomeExpenditureSummary:       "收支总表",
	yusuan.IncomeSummary:                  "收入总表",
	yusuan.ExpenditureSummary:             "支出总表",
	yusuan.FiscalSummary:                  "财政拨款收支总表",
	yusuan.GeneralBudgetExpenditure:       "一般公共预算支出表",
	yusuan.GeneralBudgetBasicByEconomic:   "一般公共预算基本支出表",
	yusuan.BasicExpenditure:               "基本支出表",
	yusuan.GovFundIncome:                  "政府性基金预算收入表",
	yusuan.GovFundExpenditure:             "政府性基金预算支出表",
	yusuan.StateCapital:                   "国有资本经营预算表",
	yusuan.Procurement:                    "政府采购预算表",
	yusuan.PerformanceTargets:             "绩效目标表",
	yusuan.FAIncomeExpenditureSummary:     "收入支出决算总表",
	yusuan.FAIncome:                       "收入决算表",
	yusuan.FAExpenditure:                  "支出决算表",
	yusuan.FAFiscalSummary:                "财政拨款收入支出决算总表",
	yusuan.FAGeneralBudgetExpenditure:     "一般公共预算财政拨款支出决算表",
	yusuan.FAGeneralBudgetBasic:           "一般公共预算财政拨款基本支出决算表",
	yusuan.FAGovFund:                      "政府性基金预算财政拨款收入支出决算表",
	yusuan.FAStateCapital:                 "国有资本经营预算财政拨款支出决算表",
	yusuan.FAThreePublic:                  "“三公”经费支出决算表",
	yusuan.ThreePublic:                    "“三公”经费表",
	yusuan.AdminOperating:                 "机关运行经费表",
	yusuan.ProjectCurrent:                 "项目支出表（本年）",
	yusuan.ProjectCarryover:               "项目支出表（上年结转）",
	yusuan.GeneralBudgetByEconomic:        "一般公共预算支出表（按经济分类）",
	yusuan.GeneralBudgetProjectByEconomic: "一般公共预算项目支出表（按经济分类）",
	yusuan.FiscalExpenditure:              "财政拨款支出表",
	yusuan.GeneralBudgetBasicByFunction:   "一般公共预算基本支出表（按功能科目）",
	yusuan.FiscalCarryoverExpenditure:     "财政拨款结转资金支出表",
}

// KindLabel is the usual Chinese name of a table kind.
func KindLabel(k yusuan.TableKind) string {
	if l, ok := KindLabels[k]; ok {
		return l
	}
	return string(k)
}

// TableHeaderWords are the words of table headers; a repetition made of
// nothing else (金额项目金额项目) is a table's header that ran into the
// text, not a slip of the writer's.
var TableHeaderWords = []string{
	"项目", "金额", "合计", "总计", "小计", "预算数", "决算数", "预算", "决算", "科目", "名称", "编码", "代码",
	"科目编码", "科目名称", "项目名称", "单位名称", "单位编码", "单位", "类", "款", "项", "功能分类", "经济分类",
	"收入", "支出", "本年", "上年", "本年收入", "本年支出", "基本支出", "项目支出", "人员经费", "公用经费",
	"万元", "元", "年度", "资金", "来源", "财政拨款", "一般公共预算", "政府性基金", "栏次", "行次", "序号", "备注",
}
