package vocab

import "testing"

func TestIsNote(t *testing.T) {
	for s, want := range map[string]bool{
		"注：本表无数据": true,
		"注:由于四舍五入，合计数与分项之和存在尾差": true,
		"注1.本表金额单位为万元":          true,
		"备注：本部门没有政府性基金":         true,
		"说明：本部门无相关收支项目。":        true,
		"备注": true,
		// Words that begin with 注 in a wrapped cell (注量实现正增长,
		// 注册用户总数) are no notes.
		"注量实现正增长。支持企业做大保税物流": false,
		"注册用户总数；":            false,
		"说明书印刷费":             false,
	} {
		if got := IsNote(s); got != want {
			t.Errorf("IsNote(%q) = %v, want %v", s, got, want)
		}
	}
}

func TestSaysNoData(t *testing.T) {
	for s, want := range map[string]bool{
		"注：本表无数据。":           true,
		"此表为空":               true,
		"本部门没有政府性基金预算支出":     true,
		"注：本表反映部门年度总体收支预算情况": false,
	} {
		if got := SaysNoData(s); got != want {
			t.Errorf("SaysNoData(%q) = %v, want %v", s, got, want)
		}
	}
}

func TestSplitLabel(t *testing.T) {
	for _, c := range []struct{ in, label, rest string }{
		{"公开 09 表：一般公共预算“三公”经费、会议费、培训费", "公开09表", "一般公共预算“三公”经费、会议费、培训费"},
		{"部门公开表9 2026年国有资本经营预算收支预算表", "部门公开表9", "2026年国有资本经营预算收支预算表"},
		{"表1.2026年市级部门收支预算总表", "表1", "2026年市级部门收支预算总表"},
		{"预算01表", "预算01表", ""},
		{"收支总表", "", "收支总表"},
	} {
		label, rest := SplitLabel(c.in)
		if label != c.label || rest != c.rest {
			t.Errorf("SplitLabel(%q) = %q, %q; want %q, %q", c.in, label, rest, c.label, c.rest)
		}
	}
}

func TestEndsLikeOrg(t *testing.T) {
	for s, want := range map[string]bool{
		"江苏省政协办公厅": true, "深圳市统计局（本级）": true, "重庆市经济和信息化委员会": true, "江苏省人民检察院": true,
		"局": false, "主要原因是": false, "一般公共预算": false,
	} {
		if got := EndsLikeOrg(s); got != want {
			t.Errorf("EndsLikeOrg(%q) = %v, want %v", s, got, want)
		}
	}
}

func TestLineKinds(t *testing.T) {
	if !IsContentsHeading("目录") || IsContentsHeading("采购目录") {
		t.Error("目录 heads contents; 采购目录 does not")
	}
	if !IsTitleRemark("（按经济分类）") || IsTitleRemark("（一）收入预算") {
		t.Error("a bracketed remark alone is a title remark; an ordinal heading is not")
	}
	if !IsUnitLine("金额单位：万元") || !IsUnitLine("单位：元") || IsUnitLine("部门：某某局单位：万元") {
		t.Error("unit lines start with their label")
	}
	if !IsRoundingNote("注：由于四舍五入，合计数存在尾差") || IsRoundingNote("注：本表无数据") {
		t.Error("rounding notes")
	}
}
