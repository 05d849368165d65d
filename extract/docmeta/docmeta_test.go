package docmeta

import (
	"bufio"
	"os"
	"strconv"
	"strings"
	"testing"

	"yusuan"
)

// coverCase is one real document's first lines and what they should say.
type coverCase struct {
	file   string
	want   yusuan.Meta
	titles []string
	lines  []Line
}

// readCovers reads testdata/covers.txt: "## file<TAB>entity<TAB>scope<TAB>
// kind<TAB>year", an optional "titles: a|b" line, then the first lines of
// the document's first two pages, a line holding only \f between pages.
func readCovers(t *testing.T) []coverCase {
	t.Helper()
	f, err := os.Open("testdata/covers.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []coverCase
	sc := bufio.NewScanner(f)
	page := 1
	for sc.Scan() {
		l := sc.Text()
		switch {
		case strings.HasPrefix(l, "## "):
			parts := strings.Split(strings.TrimPrefix(l, "## "), "\t")
			year, _ := strconv.Atoi(parts[4])
			out = append(out, coverCase{file: parts[0], want: yusuan.Meta{
				Entity: parts[1], Scope: yusuan.Scope(parts[2]), Kind: yusuan.DocKind(parts[3]), Year: year}})
			page = 1
		case strings.HasPrefix(l, "titles: "):
			c := &out[len(out)-1]
			c.titles = strings.Split(strings.TrimPrefix(l, "titles: "), "|")
		case l == "\f":
			page++
		default:
			c := &out[len(out)-1]
			c.lines = append(c.lines, Line{Page: page, Text: l})
		}
	}
	return out
}

func TestRealCovers(t *testing.T) {
	cases := readCovers(t)
	if len(cases) != 20 {
		t.Fatalf("%d covers, want 20", len(cases))
	}
	for _, c := range cases {
		got := Detect(c.lines, c.titles)
		if got.Entity != c.want.Entity || got.Scope != c.want.Scope || got.Kind != c.want.Kind || got.Year != c.want.Year {
			t.Errorf("%s:\n got  %q %s %s %d (title %q)\n want %q %s %s %d",
				c.file, got.Entity, got.Scope, got.Kind, got.Year, got.Title,
				c.want.Entity, c.want.Scope, c.want.Kind, c.want.Year)
		}
	}
}

func lines(ss ...string) []Line {
	var out []Line
	for _, s := range ss {
		out = append(out, Line{Page: 1, Text: s})
	}
	return out
}

// paged gives each list of texts a page of its own.
func paged(pages ...[]string) []Line {
	var out []Line
	for i, p := range pages {
		for _, s := range p {
			out = append(out, Line{Page: i + 1, Text: s})
		}
	}
	return out
}

func TestDetect(t *testing.T) {
	cases := []struct {
		name   string
		lines  []Line
		titles []string
		want   yusuan.Meta
	}{
		{"seed cover over two lines", lines("阳泉市生态环境局城区分局", "2026年度单位预算公开", "目 录"), nil,
			yusuan.Meta{Title: "阳泉市生态环境局城区分局2026年度单位预算公开", Entity: "阳泉市生态环境局城区分局", Scope: yusuan.ScopeUnit, Kind: yusuan.KindBudget, Year: 2026}},
		{"beijing year first", lines("2026年北京市司法局部门预算"), nil,
			yusuan.Meta{Title: "2026年北京市司法局部门预算", Entity: "北京市司法局", Scope: yusuan.ScopeDepartment, Kind: yusuan.KindBudget, Year: 2026}},
		{"central final account", lines("国家信访局2024年度部门决算"), nil,
			yusuan.Meta{Title: "国家信访局2024年度部门决算", Entity: "国家信访局", Scope: yusuan.ScopeDepartment, Kind: yusuan.KindFinalAccount, Year: 2024}},
		{"putuo region title with 主管部门", lines("上海市普陀区2026年区级部门预算（主管部门：上海市普陀区司法局）"), nil,
			yusuan.Meta{Title: "上海市普陀区2026年区级部门预算", Entity: "上海市普陀区司法局", Scope: yusuan.ScopeDepartment, Kind: yusuan.KindBudget, Year: 2026}},
		{"suzhou 本级", lines("苏州市自然资源和规划局（本级）2026年度单位预算公开"), nil,
			yusuan.Meta{Title: "苏州市自然资源和规划局（本级）2026年度单位预算公开", Entity: "苏州市自然资源和规划局（本级）", Scope: yusuan.ScopeUnit, Kind: yusuan.KindBudget, Year: 2026}},
		{"full-width and spaced digits", lines("２０２６ 年度", "某某市某某局", "部门预算"), nil,
			yusuan.Meta{Title: "2026年度某某市某某局部门预算", Entity: "某某市某某局", Scope: yusuan.ScopeDepartment, Kind: yusuan.KindBudget, Year: 2026}},
		{"title only from tables", nil, []string{"2026年预算收支总表"},
			yusuan.Meta{Scope: yusuan.ScopeUnknown, Kind: yusuan.KindBudget, Year: 2026}},
		// 24_guangzhou opens on a table: its header is no title; the
		// label 部门名称 tells a department.
		{"table header is no title", lines("项目支出绩效目标表（含转移支付项目）", "部门名称：广州市政务服务和数据管理局 单位：万元", "项目名称 总计 财政拨款 绩效目标", "合计 86,246.64 86,246.64"), nil,
			yusuan.Meta{Entity: "广州市政务服务和数据管理局", Scope: yusuan.ScopeDepartment, Kind: yusuan.KindUnknown}},
		// 58_jiangsu_2019: the cover is an image; the page number is no
		// title; the body names the entity before the year, and the part
		// heading gives year, scope and kind.
		{"cover printed as an image", paged(
			[]string{"- 1 -", "目    录", "第一部分   部门概况"},
			[]string{"第二部分     2019 年度部门预算表", "2019 年度部门预算公开表附后。"},
			[]string{"本表（公开 01 表）反映部门年度总体收支预算情况。", "江苏省政协办公厅 2019 年度收入、", "支出预算总计 13,377.11"},
			[]string{"江苏省政协办公厅 2019 年度财政拨款收、支预算 13,297.11", "主要原因是江苏省政协办公厅2019年度项目增加"}), nil,
			yusuan.Meta{Entity: "江苏省政协办公厅", Scope: yusuan.ScopeDepartment, Kind: yusuan.KindBudget, Year: 2019}},
		// 15_beijing: tables only; the entity is in the cell after 部门名称
		// on the last table, the year under its title.
		{"tables only, entity in a cell", paged(
			[]string{"预算01表 收支总表", "金额单位：万元"},
			[]string{"预算13表 部门整体支出绩效目标表", "（2026年度）", "部门名称          北京市司法局", "2026年市司法局坚持以习近平新时代中国特色社会主义思想为指导"}),
			[]string{"收支总表", "部门整体支出绩效目标表"},
			yusuan.Meta{Entity: "北京市司法局", Scope: yusuan.ScopeDepartment, Kind: yusuan.KindBudget, Year: 2026}},
		// 45_guangzhou: a performance-target table is a budget's.
		{"kind from the tables", lines("广州市生态环境局2026年项目支出绩效目标表（含转移支付项目）", "部门名称：广州市生态环境局", "单位：万元"),
			[]string{"广州市生态环境局2026年项目支出绩效目标表（含转移支付项目）"},
			yusuan.Meta{Entity: "广州市生态环境局", Scope: yusuan.ScopeDepartment, Kind: yusuan.KindBudget, Year: 2026}},
		// A spreadsheet without a cover: the title of a table is no
		// document title, its words (一般公共) no entity; the 单位名称
		// line names it.
		{"entity from the label, not a table title's words", lines("2026年一般公共预算支出预算表", "单位名称：洛阳市统计局本级", "单位：元"),
			[]string{"2026年一般公共预算支出预算表"},
			yusuan.Meta{Entity: "洛阳市统计局本级", Scope: yusuan.ScopeUnit, Kind: yusuan.KindBudget, Year: 2026}},
		// A label names the entity even when a table's title seems to.
		{"label outranks a table title's entity", lines("表一", "2026年某某市某某局预算收支总表", "单位名称：某某市某某中心"),
			[]string{"2026年某某市某某局预算收支总表"},
			yusuan.Meta{Entity: "某某市某某中心", Scope: yusuan.ScopeUnit, Kind: yusuan.KindBudget, Year: 2026}},
		{"nothing", nil, nil, yusuan.Meta{Scope: yusuan.ScopeUnknown, Kind: yusuan.KindUnknown}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := Detect(c.lines, c.titles); got != c.want {
				t.Errorf("got  %+v\nwant %+v", got, c.want)
			}
		})
	}
}

func FuzzParse(f *testing.F) {
	f.Add("阳泉市生态环境局城区分局\n2026年度单位预算公开", "2026年预算收支总表")
	f.Add("预算主管部门：上海市普陀区司法局\n单位：万元", "")
	f.Fuzz(func(t *testing.T, cover, title string) {
		var ls []Line
		for i, l := range strings.Split(cover, "\n") {
			ls = append(ls, Line{Page: 1 + i/5, Text: l})
		}
		m := Detect(ls, []string{title})
		if m.Scope == "" || m.Kind == "" {
			t.Fatalf("empty scope or kind: %+v", m)
		}
	})
}

// The year printed most often stands for the document's year only when it
// clearly dominates.
func TestDominantYear(t *testing.T) {
	for _, c := range []struct {
		texts []string
		want  string
	}{
		{[]string{"2026年信息化", "2026年广州", "2025年信息", "2026年目标", "2029年"}, "2026"},
		{[]string{"2026年", "2026年", "2025年", "2025年", "2026年"}, ""}, // 3 against 2: too close
		{[]string{"2026年", "2026年"}, ""},                            // too few
	} {
		if got := dominantYear(c.texts); got != c.want {
			t.Errorf("dominantYear(%q) = %q, want %q", c.texts, got, c.want)
		}
	}
}
