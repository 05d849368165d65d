package narrative

import (
	"context"
	"strings"
	"testing"
)

// TestHeadingLevel: only the document's heading scheme (第X部分, 一、, （一）)
// opens a section; list items and definitions stay paragraph text.
func TestHeadingLevel(t *testing.T) {
	cases := []struct {
		text string
		emph bool
		want int
	}{
		{"第三部分部门预算支出具体情况", false, 0},
		{"2025年单位预算编制说明", false, 0},
		{"一、部门职责", false, 1},
		{"十一、深圳市社会保险基金管理局光明分局", false, 1},
		{"（一）一般公共预算当年支出规模变化情况", false, 2},
		// Seed and corpus list items: Arabic and circled numbers.
		{"2.人事财务科负责机关、所属单位的干部人事、机构编制、劳动工资、生态环境保护领域固定资产投资规模和方向、", false, -1},
		{"①公务用车购置费", false, -1},
		{"4、协助上级环保部门承担", false, -1},
		{"1、整体绩效目标", true, -1},
		{"10.财政专项资金（经费）（含教育费附加）项目", false, -1},
		// Definitions, and lines that break off inside an enumeration.
		{"六、财政专户管理资金：", true, -1},
		{"一、财政拨款收入：指预算单位从本级财政部门取得的财", false, -1},
		{"（四）讨论、决定本省行政区域内的政治、经济、教育、", false, -1},
		{"（一）在职人员经费8,657.53万元，主要是在职人员工资", false, -1},
		// Longer than a plain heading, but bold or large.
		{"十一、一般公共预算“三公”经费、会议费、培训费支出预算表情况说明", false, -1},
		{"十一、一般公共预算“三公”经费、会议费、培训费支出预算表情况说明", true, 1},
		{"一、", false, -1},
	}
	for _, c := range cases {
		if got := headingLevel(c.text, c.emph); got != c.want {
			t.Errorf("headingLevel(%q, %v) = %d, want %d", c.text, c.emph, got, c.want)
		}
	}
}

// TestSectionLayout uses the geometry of real pages: paragraphs indent
// their first line by two characters and wrap to the left margin.
func TestSectionLayout(t *testing.T) {
	body := func(p int, x float64, s string) Line { return Line{Page: p, Text: s, Size: 16, X: x} }
	bold := func(p int, x float64, s string) Line { return Line{Page: p, Text: s, Size: 16, Bold: true, X: x} }
	title := func(p int, x float64, s string) Line { return Line{Page: p, Text: s, Size: 18, X: x} }
	lines := []Line{
		// 01_jiangsu: a contents list over two pages, without leaders.
		{Page: 1, Text: "目 录", Size: 16, Bold: true, X: 258},
		bold(1, 122, "第一部分 部门概况"),
		body(1, 122, "一、主要职能"),
		body(1, 122, "二、2017年主要工作任务及目标"),
		body(2, 122, "十一、一般公共预算“三公”经费、会议费、培训费支"),
		body(2, 90, "出预算表"),
		bold(2, 122, "第四部分 名称解释"),
		Line{Page: 2, Text: "第一部分 部门概况", Size: 16, Bold: true, X: 226},
		bold(2, 122, "一、主要职能"),
		// 03_jiangsu: an item of a list of functions, wrapped.
		body(2, 122, "（七）监督本级人民政府、人民法院和人民检察院的工"),
		body(2, 90, "作，联系本级人民代表大会代表，受理人民群众对上述机"),
		body(2, 90, "关和国家工作人员的申诉和意见；"),
		body(2, 122, "（八）撤销下一级人民代表大会及其常务委员会的不适"),
		body(2, 90, "当的决议；"),
		// 03_jiangsu: a centred title over two lines.
		title(3, 171, "第三部分 江苏省人大常委会办公厅"),
		title(3, 250, "2017年度部门预算情况说明"),
		// 01_jiangsu: a bold heading wrapped to the margin.
		bold(3, 122, "十一、一般公共预算“三公”经费、会议费、培训费支"),
		bold(3, 90, "出预算表情况说明"),
		body(3, 122, "本表反映部门年度一般公共预算资金安排的“三公”经"),
		body(3, 90, "费情况。"),
		// 12_shanghai: a centred heading followed by a paragraph.
		Line{Page: 4, Text: "2025年单位预算编制说明", Size: 18, X: 323},
		Line{Page: 4, Text: "2025年，上海市财政局收入预算17,192万元，其中：财政拨款收入17,192万元，比2024年预算减少990万元；事业收入0万元；事业单", Size: 12, X: 83},
		Line{Page: 4, Text: "位经营收入0万元；其他收入0万元。", Size: 12, X: 59},
		// 31_central: the part's number on a line of its own, the title
		// centred over two more.
		Line{Page: 5, Text: "第三部分", Size: 36, Bold: true, X: 226},
		Line{Page: 5, Text: "国家信访局2024年度部门决", Size: 36, Bold: true, X: 73},
		Line{Page: 5, Text: "算情况说明", Size: 36, Bold: true, X: 208},
		body(6, 122, "一、收入支出决算总体情况说明"),
		// 33_fuzhou: an item wrapped over a page break.
		body(6, 114, "（六）负责对排污者排放污染物的种类、数量的核定并"),
		body(7, 90, "按规定征收排污费。"),
	}
	secs := Sections(lines, nil)
	var got []string
	for _, s := range secs {
		got = append(got, s.Heading)
	}
	want := []string{
		"第一部分部门概况", "一、主要职能",
		"第三部分江苏省人大常委会办公厅2017年度部门预算情况说明",
		"十一、一般公共预算“三公”经费、会议费、培训费支出预算表情况说明",
		"2025年单位预算编制说明",
		"第三部分国家信访局2024年度部门决算情况说明", "一、收入支出决算总体情况说明",
	}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("headings:\n got %q\nwant %q", got, want)
	}
	if !strings.HasPrefix(secs[1].Text, "（七）监督本级人民政府") || !strings.Contains(secs[1].Text, "\n（八）撤销下一级人民代表大会及其常务委员会的不适当的决议；") {
		t.Errorf("list items not kept as paragraphs: %q", secs[1].Text)
	}
	if secs[3].Text != "本表反映部门年度一般公共预算资金安排的“三公”经费情况。" {
		t.Errorf("text %q", secs[3].Text)
	}
	if !strings.HasPrefix(secs[4].Text, "2025年，上海市财政局收入预算17,192万元") {
		t.Errorf("text %q", secs[4].Text)
	}
	if secs[6].Text != "（六）负责对排污者排放污染物的种类、数量的核定并按规定征收排污费。" {
		t.Errorf("text %q", secs[6].Text)
	}
}

// renshe is 20_shenzhen_2026_renshe (pages 9–10, 31, 53): a department of
// 21 units, each with its own subsection under 第三部分.
var renshe = []Line{
	{Page: 9, Text: "第二部分 部门预算收支总体情况", Size: 22, Bold: true, X: 133},
	{Page: 9, Text: "2026年深圳市人力资源和社会保障局部门预算收入", Size: 15, X: 118},
	{Page: 9, Text: "571,347.93万元，较2025年年初预算增加10,886.87万元，增", Size: 15, X: 88},
	{Page: 9, Text: "长1.9%。", Size: 15, X: 88},
	{Page: 9, Text: "第三部分 部门预算支出具体情况", Size: 22, Bold: true, X: 133},
	{Page: 10, Text: "一、深圳市人力资源和社会保障局（本级）", Size: 15, X: 118},
	{Page: 10, Text: "深圳市人力资源和社会保障局（本级）预算156,491.01万", Size: 15, X: 118},
	{Page: 10, Text: "元，包括在职人员经费8,657.53万元、公用经费3,045.77万", Size: 15, X: 88},
	{Page: 10, Text: "元、对个人和家庭的补助支出1,701.12万元、增人增资支出", Size: 15, X: 88},
	{Page: 10, Text: "865.75万元、项目支出142,220.85万元。", Size: 15, X: 88},
	{Page: 10, Text: "（五）项目支出142,220.85万元，具体包括：", Size: 15, X: 118},
	{Page: 31, Text: "十八、深圳市公共就业服务中心", Size: 15, X: 118},
	{Page: 31, Text: "深圳市公共就业服务中心预算15,501.05万元，包括在职人员经费2,791.56万元、公用经费542.77万元、项目支出11,407.24万元。", Size: 15, X: 118},
	{Page: 36, Text: "第五部分 财政拨款“三公”经费预算情况", Size: 22, Bold: true, X: 133},
	{Page: 36, Text: "2026年财政拨款“三公”经费预算299.23万元，较2025年年初预算增加120.00万元。", Size: 15, X: 118},
}

// caizhengju is 18_shenzhen_2026_caizhengju: the same template for a
// department that is its own single unit (部门预算为本级预算).
var caizhengju = []Line{
	{Page: 6, Text: "第二部分 部门预算收支总体情况", Size: 22, Bold: true, X: 133},
	{Page: 6, Text: "2026年深圳市财政局（本级）部门预算收入37,385.88万元，较2025年年初预算减少16,640.31万元，下降30.8%。", Size: 15, X: 118},
	{Page: 7, Text: "第三部分 部门预算支出具体情况", Size: 22, Bold: true, X: 133},
	{Page: 7, Text: "一、深圳市财政局（本级）", Size: 15, X: 118},
	{Page: 7, Text: "深圳市财政局（本级）预算37,385.88万元，包括在职人员经费8,009.83万元、公用经费1,466.93万元、项目支出26,361.57万元。", Size: 15, X: 118},
}

// xianItem is 38_xian_2022_kejiju pages 20–32: the department's totals,
// then items of the economic classification, 502 broken down by unit.
var xianItem = []Line{
	{Page: 20, Text: "（一）收支预算总体情况", Size: 12, X: 40},
	{Page: 21, Text: "2022年本部门预算支出94386.49万元，其中一般公共预算支出93664.78万元，未安排支出的实户资金721.71万元。", Size: 12, X: 40},
	{Page: 21, Text: "（三）一般公共预算拨款支出明细情况", Size: 12, X: 40},
	{Page: 32, Text: "①机关工资福利支出（501）1349.07万元，较上年减少912.27万元。", Size: 12, X: 40},
	{Page: 32, Text: "②机关商品和服务支出（502）996.33万元，较上年增加212.77万元，其中：2021年度专项业务费支出533万元，公务用车补贴97.64万元，西安市社会科学院日常公用经费65.56万元，局机关日常公用经费87.36万元。2022年专项业务费806.10万元，交通补贴81.08万元，日常公用经费109.15万元。", Size: 12, X: 40},
	{Page: 32, Text: "③机关资本性支出（一）（503）5.40万元，较上年增加5.40万元。", Size: 12, X: 40},
}

func TestDepartmentScope(t *testing.T) {
	cases := []struct {
		name   string
		lines  []Line
		want   map[string]string // "" = absent
		source map[string]string // key → prefix of the sentence used
	}{
		{"department of units", renshe,
			map[string]string{"total_income": "571347.93", "yoy_change": "10886.87", "three_public": "299.23", "project": "", "public": ""},
			map[string]string{"total_income": "2026年深圳市人力资源和社会保障局部门预算收入571,347.93万元"}},
		{"single-unit department", caizhengju,
			map[string]string{"total_income": "37385.88", "project": "26361.57", "public": "1466.93"},
			map[string]string{"project": "深圳市财政局（本级）预算37,385.88万元"}},
		// A sentence naming a unit, even in a general section, is not
		// the department's.
		{"unit named in a general section", append([]Line{
			{Page: 8, Text: "第二部分 部门预算收支总体情况", Size: 22, Bold: true, X: 133},
			{Page: 8, Text: "其中，深圳市人力资源和社会保障局（本级）项目支出142,220.85万元。", Size: 15, X: 118},
		}, renshe...),
			map[string]string{"total_income": "571347.93", "project": ""}, nil},
		// A unit named by its subsection's name, outside it.
		{"unit's budget stated in a general section", append([]Line{
			{Page: 8, Text: "第二部分 部门预算收支总体情况", Size: 22, Bold: true, X: 133},
			{Page: 8, Text: "其中，深圳市公共就业服务中心2026年预算15,501.05万元，项目支出11,407.24万元。", Size: 15, X: 118},
		}, renshe...),
			map[string]string{"total_income": "571347.93", "project": ""}, nil},
		// 38_xian p.32: a paragraph about one economic item (502) gives
		// 局机关's share of it; the sentence after the first names no
		// subject and is still the item's, not the department's 公用经费.
		{"classification item's paragraph", xianItem, map[string]string{"public": "", "total_expenditure": "94386.49"}, nil},
		// The department's own figure, later in the same section, is
		// taken; so is one naming 本部门 inside an item's paragraph.
		{"department figure after an item's paragraph", append(append([]Line(nil), xianItem...),
			Line{Page: 33, Text: "基本支出中人员经费4353.69万元，公用经费360.10万元。", Size: 12, X: 40}),
			map[string]string{"public": "360.10", "personnel": "4353.69"},
			map[string]string{"public": "基本支出中人员经费4353.69万元"}},
		{"own entity inside an item's paragraph", []Line{
			{Page: 32, Text: "（三）一般公共预算拨款支出明细情况", Size: 12, X: 40},
			{Page: 32, Text: "①工资福利支出（301）4182.68万元。本部门公用经费360.10万元。", Size: 12, X: 40},
		}, map[string]string{"public": "360.10"}, nil},
		// The general section's statement outranks an earlier one
		// elsewhere.
		{"general section first", []Line{
			{Page: 3, Text: "一、部门职责", Size: 15},
			{Page: 3, Text: "本部门下设办公室，项目支出10.00万元。", Size: 15},
			{Page: 5, Text: "二、支出预算情况说明", Size: 15},
			{Page: 5, Text: "支出预算108.22万元，其中：基本支出97.42万元，占90.02%；项目支出10.8万元，占9.98%。", Size: 15},
		}, map[string]string{"project": "10.8", "project_pct": "9.98", "basic": "97.42"},
			map[string]string{"project": "支出预算108.22万元"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, facts, src, _, _ := Parse(context.Background(), c.lines)
			for k, want := range c.want {
				got, ok := facts[k]
				if want == "" {
					if ok {
						t.Errorf("%s = %s, want none (a unit's figure)", k, got)
					}
					continue
				}
				if got.String() != want {
					t.Errorf("%s = %q, want %q", k, got, want)
				}
			}
			for k, prefix := range c.source {
				found := false
				for _, s := range src {
					if s.Key == k {
						found = true
						if !strings.HasPrefix(s.Sentence, prefix) {
							t.Errorf("%s read from %q, want %q…", k, s.Sentence, prefix)
						}
					}
				}
				if !found {
					t.Errorf("no source for %s", k)
				}
			}
		})
	}
}

// TestClassItem: what opens a paragraph about one item of a
// classification, and what does not.
func TestClassItem(t *testing.T) {
	cases := map[string]bool{
		"②机关商品和服务支出（502）996.33万元":        true,
		"③机关资本性支出（一）（503）5.40万元":         true,
		"（2）行政运行（2060101）支出1187.60万元":    true,
		"(1)工资福利支出（301）4182.68万元":        true,
		"1.一般公共服务支出（类）人大事务（款）":           true,
		"2022年本部门一般公共预算支出93664.78万元":     false,
		"（1）基本支出97.42万元，其中人员经费（301、303）": false,
		"其中：基本支出（人员经费）80万元":              false,
	}
	for lead, want := range cases {
		if got := classItem.MatchString(Normalise(lead)); got != want {
			t.Errorf("classItem(%q) = %v, want %v", lead, got, want)
		}
	}
}

func TestIsUnitHeading(t *testing.T) {
	cases := map[string]bool{
		"一、深圳市人力资源和社会保障局（本级）":   true,
		"十五、深圳城市职业学院（深圳技师学院）":   true,
		"十八、深圳市公共就业服务中心":        true,
		"三、深圳市社会保险基金管理局本级":      true,
		"（二）所属单位预算情况":           true,
		"二、机构编制":                false,
		"三、部门机构设置和所属单位情况":       false,
		"一、实施部门预算绩效管理的单位范围":     false,
		"第二部分部门预算收支总体情况":        false,
		"一、机关运行经费":              false,
		"第九部分名词解释":              false,
		"二、国有资产占用情况":            false,
		"四、部门收支预算编制相关依据及测算分析情况": false,
	}
	for h, want := range cases {
		if got := isUnitHeading(h); got != want {
			t.Errorf("isUnitHeading(%q) = %v, want %v", h, got, want)
		}
	}
}

// FuzzSections runs the layout rules over lines with made-up geometry.
func FuzzSections(f *testing.F) {
	f.Add("第三部分\n国家信访局2024年度部门决\n算情况说明\n一、收入\n（六）负责对排污者的核定并\f按规定征收。\n目 录\n一、收入")
	f.Add("1、整体绩效目标\n十一、一般公共预算“三公”经费、会议费、培训费支\n出预算表\n")
	f.Fuzz(func(t *testing.T, s string) {
		lines := pagesToLines(s)
		for i := range lines {
			lines[i].X = float64((i * 37) % 200)
			lines[i].Size = float64(10 + i%8)
			lines[i].Bold = i%3 == 0
		}
		secs, facts, src, _, _ := Parse(context.Background(), lines)
		for _, sec := range secs {
			if sec.Heading == "" {
				t.Fatal("empty heading")
			}
		}
		if len(src) < len(facts) {
			t.Fatalf("%d facts but %d sources", len(facts), len(src))
		}
	})
}

// TestContents: the entries of each table of contents, a title wrapped
// over two lines joined, page numbers left out; the contents are no
// narrative.
func TestContents(t *testing.T) {
	body := func(p int, s string) Line { return Line{Page: p, Text: s, Size: 16, X: 122} }
	lines := []Line{
		// 01_jiangsu p.1–2: a list over two pages, without leaders.
		{Page: 1, Text: "目 录", Size: 16, Bold: true, X: 258},
		body(1, "第一部分 部门概况"),
		body(1, "第二部分 省委办公厅 2017 年度部门预算表"),
		body(1, "七、政府性基金支出预算表"),
		body(1, "— 1 —"),
		body(2, "十一、一般公共预算“三公”经费、会议费、培训费支"),
		{Page: 2, Text: "出预算表", Size: 16, X: 90},
		body(2, "十二、政府采购支出预算表"),
		body(2, "第三部分 省委办公厅 2017 年度部门预算情况说明"),
		body(3, "第一部分 部门概况"),
		body(3, "一、主要职能"),
		body(3, "省委办公厅是省委的综合办事机构。"),
		// 38_xian p.41: a list of the tables, with leaders.
		{Page: 41, Text: "目   录", Size: 16, X: 258},
		body(41, "表1     2022 年部门综合预算收支总表 ........ 1"),
		body(41, "表 10   2022 年部门综合预算专项业务经费支出表"),
	}
	got := Contents(lines)
	want := [][]string{
		{"第一部分部门概况", "第二部分省委办公厅2017年度部门预算表", "七、政府性基金支出预算表",
			"十一、一般公共预算“三公”经费、会议费、培训费支出预算表", "十二、政府采购支出预算表",
			"第三部分省委办公厅2017年度部门预算情况说明"},
		{"表1 2022年部门综合预算收支总表", "表10 2022年部门综合预算专项业务经费支出表"},
	}
	if len(got) != len(want) {
		t.Fatalf("%d contents, want %d: %+v", len(got), len(want), got)
	}
	for i := range want {
		if strings.Join(got[i].Entries, "|") != strings.Join(want[i], "|") {
			t.Errorf("contents %d:\n got %q\nwant %q", i, got[i].Entries, want[i])
		}
	}
	if got[0].Page != 1 || got[1].Page != 41 {
		t.Errorf("pages %d, %d; want 1, 41", got[0].Page, got[1].Page)
	}
	secs := Sections(lines, nil)
	if len(secs) != 2 || secs[1].Text != "省委办公厅是省委的综合办事机构。" {
		t.Errorf("sections %+v", secs)
	}
	if Contents(lines[9:12]) != nil {
		t.Error("contents found where none is printed")
	}
}
