package narrative

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"yusuan"
)

var update = flag.Bool("update", false, "rewrite golden files")

// seedFacts is every figure the seed document's text states, keyed as in
// docs/checks.md (plus the change figures it prints alongside).
var seedFacts = map[string]string{
	"total_income":               "108.22",
	"total_expenditure":          "108.22",
	"current_income":             "108.22",
	"carryover_income":           "0",
	"yoy_change":                 "-12.70",
	"yoy_change_pct":             "-10.50",
	"gpb_income":                 "108.22",
	"gpb_income_pct":             "100.00",
	"basic":                      "97.42",
	"basic_pct":                  "90.02",
	"project":                    "10.8",
	"project_pct":                "9.98",
	"personnel":                  "85.21",
	"public":                     "12.21",
	"three_public":               "0",
	"admin_operating":            "12.21",
	"admin_operating_prev":       "13.35",
	"admin_operating_change":     "-1.14",
	"admin_operating_change_pct": "-8.5",
	"procurement_total":          "0",
	"performance_project_count":  "1",
	"performance_amount":         "10.80",
	"staff_authorized":           "6",
	"staff_actual":               "5",
	// Derived: 108.22 − (−12.70).
	"total_income_prev": "120.92",
}

func TestSeedFacts(t *testing.T) {
	_, facts, sources, _, _ := Parse(context.Background(), readLines(t, "testdata/seed.txt"))
	for k, want := range seedFacts {
		got, ok := facts[k]
		if !ok {
			t.Errorf("%s: missing, want %s", k, want)
			continue
		}
		if got.String() != want {
			t.Errorf("%s = %s, want %s (printed as stated)", k, got, want)
		}
	}
	for k, v := range facts {
		if _, ok := seedFacts[k]; !ok {
			t.Errorf("unexpected fact %s = %s", k, v)
		}
	}
	// Every standard key of docs/checks.md is stated in the seed.
	for _, k := range StandardKeys() {
		if _, ok := facts[k]; !ok {
			t.Errorf("standard key %s not found", k)
		}
	}
	// Sources carry the page and the sentence.
	want := map[string]int{"total_income": 18, "basic": 18, "admin_operating_prev": 20, "staff_actual": 3, "three_public": 19}
	for _, s := range sources {
		if p, ok := want[s.Key]; ok && s.Page != p {
			t.Errorf("%s read on page %d, want %d", s.Key, s.Page, p)
		}
		// A list item's title ("2、项目绩效目标") is no part of the
		// sentence under it.
		if s.Key == "performance_project_count" && !strings.HasPrefix(s.Sentence, "2026年阳泉市生态环境局城区分局纳入绩效目标管理的二级项目1个") {
			t.Errorf("%s read from %q", s.Key, s.Sentence)
		}
		if s.Sentence == "" || !s.Value.Equal(facts[s.Key]) {
			t.Errorf("source %+v does not back fact %s", s, facts[s.Key])
		}
	}
}

func TestSeedSectionsGolden(t *testing.T) {
	secs, _, _, _, _ := Parse(context.Background(), readLines(t, "testdata/seed.txt"))
	got, err := json.MarshalIndent(secs, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join("testdata", "seed_sections.golden.json")
	if *update {
		if err := os.WriteFile(golden, append(got, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run with -update)", err)
	}
	if strings.TrimSpace(string(got)) != strings.TrimSpace(string(want)) {
		t.Errorf("sections differ from %s (run with -update and review the diff)", golden)
	}
}

func TestSeedSections(t *testing.T) {
	secs, _, _, _, _ := Parse(context.Background(), readLines(t, "testdata/seed.txt"))
	byHeading := map[string]yusuan.Section{}
	for _, s := range secs {
		byHeading[s.Heading] = s
		if strings.Contains(s.Text, "- 1") || strings.Contains(s.Text, ".....") {
			t.Errorf("%s: page furniture left in text: %q", s.Heading, s.Text)
		}
		if strings.Contains(s.Text, "10.80\t") || strings.Contains(s.Text, "64.99") {
			t.Errorf("%s: table rows leaked into narrative", s.Heading)
		}
	}
	cases := []struct {
		heading, prefix string
		page            int
	}{
		{"一、单位预算收支数据变动情况及原因", "2026年度阳泉市生态环境局城区分局预算收入总计108.22万元，其中：", 18},
		{"三、支出预算情况说明", "2026年度阳泉市生态环境局城区分局支出预算108.22万元，其中：基本支出97.42万元，占90.02%；项目支出10.8万元，占9.98%。", 18},
		// A line wrapped inside "0万\n元" is joined without a blank.
		{"四、财政拨款收支预算总体情况说明", "2026年度阳泉市生态环境局城区分局财政拨款收支总预算108.22万元。其中：一般公共预算拨款108.22万元，政府性基金预算拨款0万元，国有资本经营预算拨款0万元。", 18},
		{"七、“三公”经费增减变动原因说明", "本单位无“三公”经费预算。", 19},
		{"（一）一般公共预算当年支出规模变化情况", "2026年度阳泉市生态环境局城区分局一般公共预算当年支出108.22万元，比上年减少12.70万元，下降10.5%。", 19},
		{"八、机关运行经费增减变动原因说明", "本单位机关运行经费2026年财政拨款预算12.21万元", 20},
		// Numbered list items are paragraphs of their section, each
		// short item title on a line of its own.
		{"十、绩效管理情况", "1、整体绩效目标\n2026年阳泉市生态环境局城区分局整体绩效目标1个，涉及资金108.22万元。\n2、项目绩效目标\n2026年阳泉市生态环境局城区分局纳入绩效目标管理的二级项目1个", 20},
		{"第三部分2026年度单位预算情况说明", "", 18},
	}
	for _, c := range cases {
		s, ok := byHeading[c.heading]
		if !ok {
			t.Errorf("no section %q", c.heading)
			continue
		}
		if !strings.HasPrefix(s.Text, c.prefix) {
			t.Errorf("%s: text %q, want prefix %q", c.heading, s.Text, c.prefix)
		}
		if s.Page != c.page {
			t.Errorf("%s: page %d, want %d", c.heading, s.Page, c.page)
		}
	}
	// The sections are the headings of the contents list (plus the two
	// （一）（二） of 五、, which it does not list): no list item (1、 ① 2.…)
	// and no glossary entry (六、财政专户管理资金：) is a heading.
	wantHeadings := []string{
		"第一部分概况", "一、本单位职责", "二、机构设置情况",
		"第二部分2026年单位预算报表",
		"第三部分2026年度单位预算情况说明", "一、单位预算收支数据变动情况及原因", "二、收入预算情况说明",
		"三、支出预算情况说明", "四、财政拨款收支预算总体情况说明", "五、一般公共预算支出情况说明",
		"（一）一般公共预算当年支出规模变化情况", "（二）一般公共预算当年支出结构情况",
		"六、一般公共预算基本支出情况说明", "七、“三公”经费增减变动原因说明", "八、机关运行经费增减变动原因说明",
		"九、政府采购情况", "十、绩效管理情况", "十一、国有资产占有使用情况", "十二、其他说明",
		"（一）政府购买服务指导性目录", "（二）其他",
		"第四部分名词解释",
	}
	var got []string
	for _, s := range secs {
		got = append(got, s.Heading)
	}
	if strings.Join(got, "|") != strings.Join(wantHeadings, "|") {
		t.Errorf("headings:\n got %q\nwant %q", got, wantHeadings)
	}
	// The contents list is not a section of its own.
	n := 0
	for _, s := range secs {
		if s.Heading == "一、单位预算收支数据变动情况及原因" {
			n++
		}
	}
	if n != 1 {
		t.Errorf("heading found %d times, want once (contents entries dropped)", n)
	}
}

func TestParseSkipping(t *testing.T) {
	lines := readLines(t, "testdata/seed.txt")
	secs, facts, _, _, _ := ParseSkipping(context.Background(), lines, func(p int) bool { return p == 20 })
	if _, ok := facts["admin_operating"]; ok {
		t.Error("fact read from a skipped page")
	}
	for _, s := range secs {
		if s.Page == 20 {
			t.Errorf("section %q from a skipped page", s.Heading)
		}
	}
	if facts["basic"].String() != "97.42" {
		t.Errorf("basic = %s on a page not skipped", facts["basic"])
	}
}

// TestSentences runs the patterns over sentences copied from real
// disclosures of several provinces.
func TestSentences(t *testing.T) {
	cases := []struct {
		name, text string
		want       map[string]string
	}{
		{"beijing prev printed", "2026 年度收入预算 29956.27 万元，比 2025 年年初预算数 28479.84 万元增加 1476.43 万元，增长 5.18%。",
			map[string]string{"total_income": "29956.27", "total_income_prev": "28479.84", "yoy_change": "1476.43", "yoy_change_pct": "5.18"}},
		{"shenzhen 较 and thousands", "2026年深圳市财政局（本级）部门预算收入37,385.88万元，较2025年年初预算减少16,640.31万元，下降30.8%。",
			map[string]string{"total_income": "37385.88", "yoy_change": "-16640.31", "yoy_change_pct": "-30.8", "total_income_prev": "54026.19"}},
		{"hangzhou 执行数", "2026 年收入预算 99,230.46 万元，比上年执行数增加7,331.92 万元，增长 8.0%，主要原因是本年度北郊监狱改扩建工程项目预算增加。",
			map[string]string{"total_income": "99230.46", "yoy_change": "7331.92", "yoy_change_pct": "8.0", "total_income_prev": "91898.54"}},
		{"jiangsu 收、支预算总计", "省委办公厅 2017 年度收入、支出预算总计 20849.45 万元，与上年相比收、支预算总计各增加 2043.58 万元，增长 10.87%。",
			map[string]string{"total_income": "20849.45", "total_expenditure": "20849.45", "yoy_change": "2043.58", "yoy_change_pct": "10.87", "total_income_prev": "18805.87"}},
		{"central 收、支总计", "国家信访局2024年度收、支总计22066.59万元，与2023年相比，收、支总计各增加5834.37万元，增长35.74%。",
			map[string]string{"total_income": "22066.59", "total_expenditure": "22066.59", "yoy_change": "5834.37", "yoy_change_pct": "35.74", "total_income_prev": "16232.22"}},
		{"fuzhou spaced letters", "2026 年 , 福 州 市仓 山 生 态 环 境局 收 入 预 算 为1338.13 万元，比上年增加 31.85 万元，增长 2.44%，主要原因是人员经费增加。",
			map[string]string{"total_income": "1338.13", "yoy_change": "31.85", "yoy_change_pct": "2.44", "total_income_prev": "1306.28"}},
		{"yantai 持平", "2026年通过一般公共预算财政拨款安排的“三公”经费预算共14.3万元，与上年基本持平。",
			map[string]string{"three_public": "14.3"}},
		{"central final account", "国家信访局 2024 年度“三公”经费财政拨款支出预算为 76.43万元，2024 年度支出决算为 46.21 万元，完成预算的 60.46%。",
			map[string]string{"three_public": "46.21"}},
		{"three_public none", "本单位无“三公”经费预算。", map[string]string{"three_public": "0"}},
		{"three_public carry-over is not none", "本部门无 2021 年结转的财政拨款“三公”经费支出和会议费、培训费支出。", map[string]string{}},
		{"admin shenzhen", "2026 年本单位机关运行经费财政拨款预算 2,719.55 万元，较 2025 年年初预算减少 956.74 万元，下降 26.0%。",
			map[string]string{"admin_operating": "2719.55", "admin_operating_change": "-956.74", "admin_operating_change_pct": "-26.0", "admin_operating_prev": "3676.29"}},
		{"admin fuzhou 上升", "2026 年，福州市仓山生态环境局一般公共预算拨款安排的机关运行经费支出 12.08 万元，比上年增加 1.94 万元，上升 19.13%。",
			map[string]string{"admin_operating": "12.08", "admin_operating_change": "1.94", "admin_operating_change_pct": "19.13", "admin_operating_prev": "10.14"}},
		{"admin none", "本单位为事业单位，无机关运行经费。", map[string]string{"admin_operating": "0"}},
		{"admin zero", "2026年本单位机关运行经费预算为0。", map[string]string{"admin_operating": "0"}},
		{"admin carry-over is not none", "本单位无上年结转的机关运行经费。", map[string]string{}},
		{"procurement beijing", "2026 年北京市司法局政府采购预算总额 7565.76 万元，其中：政府采购货物预算 196.91 万元，政府采购工程预算 0万元，政府采购服务预算 7368.85 万元。",
			map[string]string{"procurement_total": "7565.76"}},
		{"procurement shenzhen", "深圳市财政局（本级）纳入 2026 年部门预算的政府采购项目共有 3,790.75 万元，其中：货物类项目 242.80 万元。",
			map[string]string{"procurement_total": "3790.75"}},
		{"performance putuo", "本部门2个预算单位开展了2026年项目预算绩效目标编报工作，编报绩效目标的项目20个，涉及项目预算资金7054.05万元。",
			map[string]string{"performance_project_count": "20", "performance_amount": "7054.05"}},
		{"performance shenzhen order", "2026 年深圳市财政局（本级）所有项目支出预算纳入部门预算绩效管理，涉及预算资金 26,361.57 万元，设置并编报 8 个项目绩效目标。",
			map[string]string{"performance_project_count": "8", "performance_amount": "26361.57"}},
		{"performance hangzhou spaced", "2026 年本部门其他运转类项目和特定目标类项目均实行 绩 效 目 标 管 理 ， 共 计 31 个 一 级 项 目 ， 涉 及 资 金28,506.17 万元。",
			map[string]string{"performance_project_count": "31", "performance_amount": "28506.17"}},
		{"staff jiangsu", "现有 38 个处室及机关党委，编制 339 名，其中行政编制 199 名、行政附属编制 104 名、事业编制 36名。",
			map[string]string{"staff_authorized": "339"}},
		{"shares suzhou", "苏州市自然资源和规划局 2026 年支出预算合计 10,022.32 万元，其中：基本支出 4,822.22 万元，占 48.11%；项目支出 5,200.1 万元，占 51.89%。",
			map[string]string{"total_expenditure": "10022.32", "basic": "4822.22", "basic_pct": "48.11", "project": "5200.1", "project_pct": "51.89"}},
		{"amount in 元", "2026年部门预算收入总计96,282,213.44元。", map[string]string{"total_income": "9628.221344"}},
		{"full-width digits", "收入预算总计１０８．２２万元，比上年减少１２．７０万元，下降１０．５０％。",
			map[string]string{"total_income": "108.22", "yoy_change": "-12.70", "yoy_change_pct": "-10.50", "total_income_prev": "120.92"}},
		{"持平 total", "2026年收入预算500.00万元，与上年持平。", map[string]string{"total_income": "500.00", "yoy_change": "0", "yoy_change_pct": "0", "total_income_prev": "500.00"}},
		{"chongqing 年初预算数 and clause subject", "（一）收入预算：2026 年年初预算数 583,429.56 万元，其中：一般公共预算拨款 227,955.11 万元；收入比 2025 年减少 29,815.76 万元，主要是事业单位经营收入资金减少 16,897.63 万元。",
			map[string]string{"total_income": "583429.56", "gpb_income": "227955.11", "yoy_change": "-29815.76", "total_income_prev": "613245.32"}},
		{"final account 年初结转和结余", "3.年初结转和结余1615.24万元，为国家信访局及所属单位以前年度支出预算尚未完成，结转到本年仍按原规定用途继续使用的资金。",
			map[string]string{"carryover_income": "1615.24"}},
		{"chongqing 支出预算：", "（二）支出预算：2026年年初预算数583,429.56万元。", map[string]string{"total_expenditure": "583429.56"}},
		{"shenzhen 在职人员经费 is a part", "深圳市财政局（本级）预算37,385.88万元，包括在职人员经费8,009.83万元、公用经费1,466.93万元、项目支出26,361.57万元。",
			map[string]string{"public": "1466.93", "project": "26361.57"}},
		{"a unit's figure is not the document's", "其中：2021年度专项业务费支出533万元，西安市社会科学院日常公用经费65.56万元。", map[string]string{}},
		{"a project's carry-over is not the document's", "截至2024年12月31日，项目全年预算数为1018.55万元，其中当年财政拨款898.00万元、上年结转资金120.55万元。", map[string]string{}},
		{"fiscal total is not the total", "2026年度财政拨款收支总预算108.22万元。", map[string]string{}},
		{"definition ignored", "机关运行经费：指行政单位使用一般公共预算财政拨款安排的基本支出中的公用经费支出，共100万元。", map[string]string{}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			lines := []Line{{Page: 1, Text: "一、情况说明"}, {Page: 2, Text: c.text}}
			_, facts, _, _, _ := Parse(context.Background(), lines)
			for k, want := range c.want {
				if got := facts[k]; got.String() != want {
					t.Errorf("%s = %q, want %q", k, got, want)
				}
			}
			for k, v := range facts {
				if _, ok := c.want[k]; !ok {
					t.Errorf("unexpected %s = %s", k, v)
				}
			}
		})
	}
}

func TestBoilerplate(t *testing.T) {
	secs, _, _, _, _ := Parse(context.Background(), readLines(t, "testdata/seed.txt"))
	notes := Boilerplate(secs, 2026)
	joined := strings.Join(notes, "\n")
	for _, want := range []string{"主要原因是主要原因是", "date from year 2025 where the same date is printed with year 2026 elsewhere"} {
		if !strings.Contains(joined, want) {
			t.Errorf("notes lack %q:\n%s", want, joined)
		}
	}
	if strings.Contains(joined, "截至2026年") {
		t.Errorf("a date of the document's own year noted:\n%s", joined)
	}
	if got := Boilerplate([]yusuan.Section{{Heading: "x", Text: "截至2019年12月31日，共有车辆3辆。"}}, 2026); len(got) != 1 {
		t.Errorf("a date seven years old not noted: %v", got)
	}
	// Budgets for 2026 count assets at the end of 2025: no note.
	if got := Boilerplate([]yusuan.Section{{Heading: "x", Text: "截至2025年12月31日，共有车辆3辆。截至2025年底，无设备。"}}, 2026); len(got) != 0 {
		t.Errorf("last year's closing date noted: %v", got)
	}
	if got := Boilerplate([]yusuan.Section{{Heading: "x", Text: "收入增加，主要原因是人员增加。"}}, 2026); len(got) != 0 {
		t.Errorf("clean text noted: %v", got)
	}
}

func TestBoilerplateLevel(t *testing.T) {
	secs, _, _, _, _ := Parse(context.Background(), readLines(t, "testdata/seed.txt"))
	notes := BoilerplateFor(secs, yusuan.Meta{Entity: "阳泉市生态环境局城区分局", Year: 2026})
	joined := strings.Join(notes, "\n")
	if !strings.Contains(joined, "省直部门 (province level) in a city-level document") {
		t.Errorf("wrong-level definition not noted:\n%s", joined)
	}
	notes = BoilerplateFor(secs, yusuan.Meta{Entity: "山西省生态环境厅", Year: 2026})
	if strings.Contains(strings.Join(notes, "\n"), "省直部门") {
		t.Errorf("a province's own level noted: %v", notes)
	}
	for entity, want := range map[string]string{"国家信访局": "central", "江苏省委办公厅": "province", "上海市普陀区司法局": "city", "某局": ""} {
		if got := entityLevel(entity); got != want {
			t.Errorf("entityLevel(%s) = %q, want %q", entity, got, want)
		}
	}
}

func TestSqueezeJoin(t *testing.T) {
	cases := []struct{ in, want string }{
		{"2026 年度收入 108.22 万元", "2026年度收入108.22万元"},
		{"  a  b ", "a b"},
		{"“三公” 经费", "“三公”经费"},
	}
	for _, c := range cases {
		if got := squeeze(c.in); got != c.want {
			t.Errorf("squeeze(%q) = %q, want %q", c.in, got, c.want)
		}
	}
	if got := joinText("国有资本经营预算拨款0万", "元。"); got != "国有资本经营预算拨款0万元。" {
		t.Errorf("join = %q", got)
	}
	if got := joinText("WPS", "Office"); got != "WPS Office" {
		t.Errorf("join = %q", got)
	}
}

func TestInWan(t *testing.T) {
	cases := []struct{ num, unit, want string }{
		{"108000", "元", "10.8000"},
		{"96282213.44", "元", "9628.221344"},
		{"1.2", "亿元", "12000"},
		{"12.21", "万元", "12.21"},
	}
	for _, c := range cases {
		got, err := inWan(c.num, c.unit)
		if err != nil || got.String() != c.want {
			t.Errorf("inWan(%s %s) = %s, %v; want %s", c.num, c.unit, got, err, c.want)
		}
	}
}

func FuzzParse(f *testing.F) {
	b, err := os.ReadFile("testdata/seed.txt")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(string(b[:4000]))
	f.Add("一、收入\n收入预算总计１０８．２２万元，比上年减少12.70万元，下降10.50%\f- 2 -")
	f.Add("（一）\n\t1\t2\n目 录\n....3")
	f.Fuzz(func(t *testing.T, s string) {
		secs, facts, src, _, _ := Parse(context.Background(), pagesToLines(s))
		_ = Boilerplate(secs, 2026)
		if len(src) < len(facts) {
			t.Fatalf("%d facts but %d sources", len(facts), len(src))
		}
	})
}

func BenchmarkParse(b *testing.B) {
	data, err := os.ReadFile("testdata/seed.txt")
	if err != nil {
		b.Fatal(err)
	}
	lines := pagesToLines(string(data))
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		Parse(context.Background(), lines)
	}
}

// TestPageBreak joins a sentence broken by a page footer and a running
// header, as the Hangzhou budget prints "比上年预算 / 12 / 数增加".
func TestPageBreak(t *testing.T) {
	var lines []Line
	for p := 10; p <= 14; p++ {
		lines = append(lines, Line{Page: p, Text: "杭州市司法局 2026 年度部门预算"})
		switch p {
		case 12:
			lines = append(lines,
				Line{Page: p, Text: "（七）一般公共预算“三公”经费预算情况说明"},
				Line{Page: p, Text: "2026 年“三公”经费预算数为 413.68 万元，比上年预算"})
		case 13:
			lines = append(lines, Line{Page: p, Text: "数增加 14.18 万元，增长 3.5%，具体如下："})
		default:
			lines = append(lines, Line{Page: p, Text: "本页正文，与上页相接，内容较长以免被当作标题处理。"})
		}
		lines = append(lines, Line{Page: p, Text: "- " + strconv.Itoa(p) + " -"})
	}
	secs, facts, src, _, _ := Parse(context.Background(), lines)
	var sec yusuan.Section
	for _, s := range secs {
		if strings.HasPrefix(s.Heading, "（七）") {
			sec = s
		}
		if strings.Contains(s.Text, "杭州市司法局2026年度部门预算") || strings.Contains(s.Text, "- 1") {
			t.Errorf("running header or page number in %q", s.Text)
		}
	}
	if want := "2026年“三公”经费预算数为413.68万元，比上年预算数增加14.18万元，增长3.5%，具体如下："; !strings.HasPrefix(sec.Text, want) {
		t.Errorf("text %q, want prefix %q", sec.Text, want)
	}
	if facts["three_public"].String() != "413.68" || facts["three_public_change"].String() != "14.18" || facts["three_public_change_pct"].String() != "3.5" {
		t.Errorf("facts %v", facts)
	}
	for _, s := range src {
		if s.Key == "three_public" && s.Page != 12 {
			t.Errorf("three_public read on page %d, want 12 (where its sentence starts)", s.Page)
		}
	}
}

// TestParseStops: a cancelled context stops the parse with its error.
func TestParseStops(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	secs, facts, _, _, err := Parse(ctx, readLines(t, "testdata/seed.txt"))
	if !errors.Is(err, context.Canceled) || secs != nil || facts != nil {
		t.Errorf("cancelled: %d sections, %d facts, err %v", len(secs), len(facts), err)
	}
}
