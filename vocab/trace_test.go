package vocab

import (
	"testing"

	"yusuan"
)

func TestNames(t *testing.T) {
	cases := []struct {
		text string
		kind yusuan.TableKind
		want bool
	}{
		{"本年支出总体情况表", yusuan.ExpenditureSummary, true},        // 42–44_guangzhou 表3
		{"本年支出总体情况表", yusuan.IncomeExpenditureSummary, false}, //
		{"一般公共预算“三公”经费、会议费、培训费", yusuan.ThreePublic, true},    // 57_jiangsu 公开09表, title cut before 支出预算表
		{"一般公共预算支出表（按经济分类）", yusuan.GeneralBudgetBasicByEconomic, true},
		{"2026年国有资本经营预算支出表", yusuan.StateCapital, true},
		{"财政拨款收支总表", yusuan.IncomeExpenditureSummary, false},
		{"政府性基金预算支出表", yusuan.StateCapital, false},
	}
	for _, c := range cases {
		if got := Names(c.text, c.kind); got != c.want {
			t.Errorf("Names(%q, %s) = %v", c.text, c.kind, got)
		}
	}
}

func TestLabelledTitle(t *testing.T) {
	cases := []struct{ text, label, rest string }{
		{"其中：动用上年结转和结余资金公开09表：一般公共预算“三公”经费、会议费、培训费", "公开09表", "一般公共预算“三公”经费、会议费、培训费"},
		{"表3 本年支出总体情况表", "表3", "本年支出总体情况表"},
		{"财政拨款收支总表 12", "", ""},
		{"详见公开09表", "", ""},
	}
	for _, c := range cases {
		l, r, ok := LabelledTitle(c.text)
		if l != c.label || r != c.rest || ok != (c.label != "") {
			t.Errorf("LabelledTitle(%q) = %q, %q, %v", c.text, l, r, ok)
		}
	}
}
