package vocab

import (
	"testing"

	"yusuan"
)

// Titles as printed in the seed and the real corpus (labels, years and
// decorations included).
func TestMatchTitle(t *testing.T) {
	cases := []struct {
		in    string
		kind  yusuan.TableKind
		label string
	}{
		{"2026年预算收支总表", yusuan.IncomeExpenditureSummary, ""},
		{"表一2026年预算收支总表", yusuan.IncomeExpenditureSummary, "表一"},
		{"预算01表收支总表", yusuan.IncomeExpenditureSummary, "预算01表"},
		{"一、收支预算总表", yusuan.IncomeExpenditureSummary, ""},
		{"2026年度收支预算总表", yusuan.IncomeExpenditureSummary, ""},
		{"2026年部门收支总体情况表", yusuan.IncomeExpenditureSummary, ""},
		{"收支总表", yusuan.IncomeExpenditureSummary, ""},
		{"2026年预算收入总表", yusuan.IncomeSummary, ""},
		{"2026年部门收入预算总表", yusuan.IncomeSummary, ""},
		{"收入总体情况表", yusuan.IncomeSummary, ""},
		{"2026年预算支出总表", yusuan.ExpenditureSummary, ""},
		{"支出总体情况表", yusuan.ExpenditureSummary, ""},
		{"2026年财政拨款收支总表", yusuan.FiscalSummary, ""},
		{"四、财政拨款收支预算总表", yusuan.FiscalSummary, ""},
		{"财政拨款收支总体情况表", yusuan.FiscalSummary, ""},
		{"2026年一般公共预算支出预算表（不含上年结转）", yusuan.GeneralBudgetExpenditure, ""},
		{"一般公共预算支出表（按功能分类）", yusuan.GeneralBudgetExpenditure, ""},
		{"五、一般公共预算拨款支出预算表", yusuan.GeneralBudgetExpenditure, ""},
		{"一般公共预算支出情况表", yusuan.GeneralBudgetExpenditure, ""},
		{"2026年一般公共预算安排基本支出分经济科目表（不含上年结转）", yusuan.GeneralBudgetBasicByEconomic, ""},
		{"一般公共预算基本支出表", yusuan.GeneralBudgetBasicByEconomic, ""},
		{"一般公共预算基本支出情况表", yusuan.GeneralBudgetBasicByEconomic, ""},
		{"一般公共预算支出表（按经济分类）", yusuan.GeneralBudgetByEconomic, ""},
		{"2026年度一般公共预算支出经济分类情况表", yusuan.GeneralBudgetByEconomic, ""},
		{"表6 2022年部门综合预算一般公共预算支出明细表（按经济分类科目分）", yusuan.GeneralBudgetByEconomic, "表6"},
		{"一般公共预算项目支出情况表（按经济分类科目）", yusuan.GeneralBudgetProjectByEconomic, ""},
		{"表7 2022年部门综合预算一般公共预算基本支出明细表（按功能科目分）", yusuan.GeneralBudgetBasicByFunction, "表7"},
		{"表11 2022部门综合预算财政拨款结转资金支出表", yusuan.FiscalCarryoverExpenditure, "表11"},
		{"2022年部门综合预算一般公共预算基本支出明细表（按支出经济分类科目-不含上年结转）", yusuan.GeneralBudgetBasicByEconomic, ""},
		{"公开05表 财政拨款支出表（功能科目）", yusuan.FiscalExpenditure, "公开05表"},
		{"五、财政拨款支出预算表", yusuan.FiscalExpenditure, ""},
		{"本年支出总体情况表", yusuan.ExpenditureSummary, ""},
		{"表3 本年支出总体情况表", yusuan.ExpenditureSummary, "表3"},
		{"2018年度江苏省高级人民法院收支预算总表", yusuan.IncomeExpenditureSummary, ""},
		{"省委办公厅部门收入预算总表", yusuan.IncomeSummary, ""},
		{"江苏省人民检察院2017年支出预算总表", yusuan.ExpenditureSummary, ""},
		{"表11：2026年市级部门项目支出绩效表", yusuan.PerformanceTargets, "表11"},
		{"2022年部门综合预算专项业务经费支出表", yusuan.ProjectCurrent, ""},
		{"2022年部门综合预算政府性基金收支表（不含上年结转）", yusuan.GovFundExpenditure, ""},
		{"信访干部培训专项项目绩效自评表", yusuan.PerformanceEvaluation, ""},
		{"表1：项目年度绩效指标表", yusuan.PerformanceEvaluation, "表1"},
		{"基本支出预算情况表", yusuan.BasicExpenditure, ""},
		{"基本支出总表", yusuan.BasicExpenditure, ""},
		{"2026年政府性基金预算收入表（不含上年结转）", yusuan.GovFundIncome, ""},
		{"2026年政府性基金预算支出表（不含上年结转）", yusuan.GovFundExpenditure, ""},
		{"预算07表政府性基金预算支出表", yusuan.GovFundExpenditure, "预算07表"},
		{"2026年国有资本经营预算收支预算表（不含上年结转）", yusuan.StateCapital, ""},
		{"国有资本经营预算支出表", yusuan.StateCapital, ""},
		{"2026年财政拨款安排“三公”经费支出预算表", yusuan.ThreePublic, ""},
		{"财政拨款“三公”经费支出表", yusuan.ThreePublic, ""},
		{"2026年财政拨款安排机关运行经费预算表", yusuan.AdminOperating, ""},
		{"2026年项目支出预算表（本年预算）", yusuan.ProjectCurrent, ""},
		{"项目支出预算情况表", yusuan.ProjectCurrent, ""},
		{"项目支出总表", yusuan.ProjectCurrent, ""},
		{"2026年项目支出预算表（上年结转）", yusuan.ProjectCarryover, ""},
		{"政府采购预算明细表", yusuan.Procurement, ""},
		{"预算10表政府采购预算明细表", yusuan.Procurement, "预算10表"},
		{"项目支出绩效目标表（含转移支付项目）", yusuan.PerformanceTargets, ""},
		{"预算部门（单位）整体支出绩效目标申报表", yusuan.PerformanceTargets, ""},
		{"政策和项目预算绩效目标表", yusuan.PerformanceTargets, ""},
		{"收入支出决算总表", yusuan.FAIncomeExpenditureSummary, ""},
		{"一、收入支出决算总表", yusuan.FAIncomeExpenditureSummary, ""},
		{"财政拨款收入支出决算总表", yusuan.FAFiscalSummary, ""},
		{"二、收入决算表", yusuan.FAIncome, ""},
		{"支出决算表", yusuan.FAExpenditure, ""},
		{"一般公共预算财政拨款支出决算表", yusuan.FAGeneralBudgetExpenditure, ""},
		{"一般公共预算财政拨款基本支出决算表", yusuan.FAGeneralBudgetBasic, ""},
		{"政府性基金预算财政拨款收入支出决算表", yusuan.FAGovFund, ""},
		{"国有资本经营预算财政拨款支出决算表", yusuan.FAStateCapital, ""},
		{"财政拨款“三公”经费支出决算表", yusuan.FAThreePublic, ""},
		{"部门公开表9 2026年国有资本经营预算收支预算表", yusuan.StateCapital, "部门公开表9"},
		{"2026年部门财务收支预算总表", yusuan.IncomeExpenditureSummary, ""},
		{"2025年预算单位财政拨款收支预算总表", yusuan.FiscalSummary, ""},
	}
	for _, c := range cases {
		got, ok := MatchTitle(c.in)
		if !ok || got.Kind != c.kind || got.Label != c.label {
			t.Errorf("MatchTitle(%q) = %+v, %v; want %s label %q", c.in, got, ok, c.kind, c.label)
		}
	}
}

func TestNotTitle(t *testing.T) {
	for _, s := range []string{
		"表一2026年预算收支总表. . . 3",
		"（项目绩效目标表公开情况见附件）",
		"2026年度阳泉市生态环境局城区分局预算收入总计108.22万元，其中：本年收入108.22万元",
		"单位：万元",
		"目录",
		"注：每一分项预算均需填报一个相应的绩效目标表",
		"2022年部门综合预算公开报表",
		"2017年度部门预算公开表",
		"本表反映部门年度总体收支预算情况，见收支预算总表",
	} {
		if got, ok := MatchTitle(s); ok {
			t.Errorf("MatchTitle(%q) = %+v, want no title", s, got)
		}
	}
}

func TestLabelOnly(t *testing.T) {
	for in, want := range map[string]string{"预算公开表1": "预算公开表1", "部门公开表9": "部门公开表9", "表 八": "表八", "公开01表": "公开01表", "表8": "表8", "公开表4": "公开表4"} {
		if got, ok := LabelOnly(in); !ok || got != want {
			t.Errorf("LabelOnly(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
	if _, ok := LabelOnly("表一2026年预算收支总表"); ok {
		t.Error("a title is not a bare label")
	}
}

// Header stacks as the table package builds them (spanning group first).
func TestColumnKey(t *testing.T) {
	cases := []struct {
		header string
		kind   yusuan.TableKind
		want   string
	}{
		{"2026年预算数合计", yusuan.ExpenditureSummary, "total"},
		{"基本支出", yusuan.ExpenditureSummary, "basic"},
		{"项目支出", yusuan.ExpenditureSummary, "project"},
		{"本年收入合计", yusuan.IncomeSummary, "total"},
		{"本年收入一般公共预算", yusuan.IncomeSummary, "gpb"},
		{"政府性基金", yusuan.IncomeSummary, "fund"},
		{"国有资本经营预算", yusuan.IncomeSummary, "soe"},
		{"财政专户管理资金", yusuan.IncomeSummary, "special"},
		{"单位资金", yusuan.IncomeSummary, "unit"},
		{"事业收入", yusuan.IncomeSummary, "business"},
		{"其他收入", yusuan.IncomeSummary, "other"},
		{"上年结转", yusuan.IncomeSummary, "carryover"},
		{"2026年合计", yusuan.IncomeExpenditureSummary, "total"},
		{"当年预算安排", yusuan.IncomeExpenditureSummary, "current"},
		{"上年结转安排", yusuan.IncomeExpenditureSummary, "carryover"},
		{"金额小计", yusuan.FiscalSummary, "subtotal"},
		{"小计", yusuan.IncomeSummary, "total"},
		{"人员经费", yusuan.GeneralBudgetBasicByEconomic, "personnel"},
		{"公用经费", yusuan.GeneralBudgetBasicByEconomic, "public"},
		{"一般公共预算基本支出", yusuan.Other, "basic"},
		{"预算数", yusuan.FAIncome, "budget"},
		{"决算数", yusuan.FAIncome, "actual"},
		{"因公出国（境）费", yusuan.ThreePublic, "abroad"},
		{"公务接待费", yusuan.ThreePublic, "reception"},
		{"公务用车购置及运行费", yusuan.ThreePublic, "vehicles"},
		{"公务用车购置及运行费购置费", yusuan.ThreePublic, "vehicle_purchase"},
		{"公务用车购置及运行费运行费", yusuan.ThreePublic, "vehicle_operation"},
		{"项目名称", yusuan.ProjectCurrent, ""},
		{"公务用车购置及运行维护费公务用车购置经费", yusuan.ThreePublic, "vehicle_purchase"},
		{"公务用车购置及运行维护费公务用车运行维护费", yusuan.ThreePublic, "vehicle_operation"},
		{"公务用车购置及运行维护费小计", yusuan.ThreePublic, "vehicles"},
		{"基本支出小计", yusuan.GeneralBudgetExpenditure, "basic"},
		{"财政拨款一般公共预算小计", yusuan.IncomeSummary, "gpb"},
		{"机关运行经费支出", yusuan.AdminOperating, "total"},
		{"上年结余、结转", yusuan.ProjectCurrent, "carryover"},
		{"机关运行经费支出", yusuan.ThreePublic, "admin_operating"},
		{"机关运行经费预算数", yusuan.ThreePublic, "admin_operating"},
		{"会议费", yusuan.ThreePublic, "meeting"},
		{"一般公共预算拨款安排的“三公”经费预算小计", yusuan.ThreePublic, "three_public"},
		{"其他资金", yusuan.ProjectCurrent, "unit"},
		{"2026年政府采购项目小计", yusuan.ExpenditureSummary, "procurement"},
		{"2026年政府采购项目其中：2026年政府采购项目中预留给中小企业的项目资金规模", yusuan.ExpenditureSummary, "procurement_sme"},
		{"其中：2026年政府采购项目中预留给小型、微型企业的项目资金规模", yusuan.ExpenditureSummary, "procurement_small"},
	}
	for _, c := range cases {
		if got := ColumnKey(c.header, c.kind); got != c.want {
			t.Errorf("ColumnKey(%q, %s) = %q, want %q", c.header, c.kind, got, c.want)
		}
	}
}

func TestTextColumnRole(t *testing.T) {
	cases := map[string]TextRole{
		"科目编码": RoleCode, "功能分类科目编码": RoleCode, "类": RoleCodePart, "款": RoleCodePart, "项": RoleCodePart,
		"经济分类科目编码": RoleEconCode, "政府预算经济分类科目编码": RoleGovEconCode,
		"科目名称": RoleName, "项目名称": RoleName, "单位名称": RoleName, "部门预算支出经济科目名称": RoleName,
		"政府预算支出经济科目名称": RoleName2, "合计": RoleNone,
		"单位编码": RoleUnitCode, "部门代码": RoleUnitCode, "部门经济科目编码": RoleEconCode, "功能科目编码": RoleCode,
	}
	for in, want := range cases {
		if got := TextColumnRole(in); got != want {
			t.Errorf("TextColumnRole(%q) = %d, want %d", in, got, want)
		}
	}
}

// FuzzMatchTitle: any printed line is matched without panicking, and a
// match always has a kind.
func FuzzMatchTitle(f *testing.F) {
	for _, s := range []string{"表一2026年预算收支总表", "预算01表收支总表", "部门公开表9 2026年国有资本经营预算收支预算表", "（", "表"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, ok := MatchTitle(s); ok && got.Kind == "" {
			t.Fatalf("MatchTitle(%q) matched without a kind", s)
		}
		ColumnKey(s, yusuan.FiscalSummary)
		TextColumnRole(s)
	})
}
