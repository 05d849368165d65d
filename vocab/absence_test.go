package vocab

import (
	"testing"

	"yusuan"
)

func TestLabelNumber(t *testing.T) {
	cases := []struct {
		label  string
		series string
		n      int
	}{
		{"表一", "表〇#", 1},
		{"表十", "表〇#", 10},
		{"表十二", "表〇#", 12},
		{"表二十一", "表〇#", 21},
		{"表1", "表#", 1},
		{"表 10", "表#", 10},
		{"表3-1", "表#", 3},
		{"公开01表", "公开#表", 1},
		{"公开12表", "公开#表", 12},
		{"预算01表", "预算#表", 1},
		{"预算公开表10", "预算公开表#", 10},
		{"部门公开表9", "部门公开表#", 9},
		{"公开表11", "公开表#", 11},
		{"", "", 0},
		{"表", "", 0},
	}
	for _, c := range cases {
		s, n, ok := LabelNumber(c.label)
		if s != c.series || n != c.n || ok != (c.n > 0) {
			t.Errorf("LabelNumber(%q) = %q, %d, %v; want %q, %d", c.label, s, n, ok, c.series, c.n)
		}
	}
}

func TestSaysNone(t *testing.T) {
	cases := []struct {
		text string
		kind yusuan.TableKind
		want bool
	}{
		{"2018年本部门无国有资本经营预算收入。", yusuan.StateCapital, true},                 // 57_jiangsu p.29
		{"1、本部门无国有资本经营预算拨款收支，并在财政拨款收支总体情况表中列示。", yusuan.StateCapital, true}, // 38_xian p.34
		{"本部门2026年没有使用国有资本经营预算拨款安排的支出。", yusuan.StateCapital, true},
		{"本部门无国有资本经营预算拨款收支。", yusuan.GovFundExpenditure, false},
		{"本部门无政府性基金预算。", yusuan.GovFundExpenditure, true},
		{"国有资本经营预算财政拨款收入：指…", yusuan.StateCapital, false},
		{"本单位无“三公”经费预算。", yusuan.ThreePublic, true},
		{"本部门无政府性基金预算，国有资本经营预算收入100万元。", yusuan.StateCapital, false},
		{"本部门无国有资本经营预算。", yusuan.Procurement, false},
	}
	for _, c := range cases {
		if got := SaysNone(c.text, c.kind); got != c.want {
			t.Errorf("SaysNone(%q, %s) = %v", c.text, c.kind, got)
		}
	}
}

func TestSaysTablesElsewhere(t *testing.T) {
	cases := map[string]bool{
		"具体公开表样附后":                 true, // 01_jiangsu p.5
		"2019年度部门预算公开表附后。":         true, // 58_jiangsu p.9
		"附件：北京市财政局2026年度部门预算报表":    true, // 53_beijing p.10
		"附件：北京市司法局2026年度部门预算批复公开表": true, // 14_beijing p.10
		"详见附件。": true,
		"本表反映部门年度总体收支预算情况。":     false,
		"详见公开报表中的政府采购表":         false,
		"本部门无政府性基金预算收支，并已公开空表。": false,
		"附件：2026年部门整体支出绩效目标":    false,
	}
	for text, want := range cases {
		if got := SaysTablesElsewhere(text); got != want {
			t.Errorf("SaysTablesElsewhere(%q) = %v", text, got)
		}
	}
}
