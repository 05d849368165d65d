package store

import (
	"regexp"
	"strings"
)

// provinces are the province-level names by the short form names begin
// with, and their full form.
var provinces = []struct{ short, full string }{
	{"北京", "北京市"}, {"天津", "天津市"}, {"上海", "上海市"}, {"重庆", "重庆市"},
	{"河北", "河北省"}, {"山西", "山西省"}, {"辽宁", "辽宁省"}, {"吉林", "吉林省"}, {"黑龙江", "黑龙江省"},
	{"江苏", "江苏省"}, {"浙江", "浙江省"}, {"安徽", "安徽省"}, {"福建", "福建省"}, {"江西", "江西省"},
	{"山东", "山东省"}, {"河南", "河南省"}, {"湖北", "湖北省"}, {"湖南", "湖南省"}, {"广东", "广东省"},
	{"海南", "海南省"}, {"四川", "四川省"}, {"贵州", "贵州省"}, {"云南", "云南省"}, {"陕西", "陕西省"},
	{"甘肃", "甘肃省"}, {"青海", "青海省"}, {"台湾", "台湾省"},
	{"内蒙古", "内蒙古自治区"}, {"广西", "广西壮族自治区"}, {"西藏", "西藏自治区"},
	{"宁夏", "宁夏回族自治区"}, {"新疆", "新疆维吾尔自治区"},
	{"香港", "香港特别行政区"}, {"澳门", "澳门特别行政区"},
}

// Central is the region of the central government's organs.
const Central = "中央"

// centralPrefixes begin the names of central organs (after 中国共产党/中共):
// no province, city or county is named 国家…, 中央…, 全国…, 国务院…, 最高人民…
// or 中国….
var centralPrefixes = []string{"国家", "中央", "全国", "国务院", "最高人民", "中国"}

var (
	// provinceSuffixRE is what may follow a province's short name.
	provinceSuffixRE = regexp.MustCompile(`^(?:壮族自治区|回族自治区|维吾尔自治区|自治区|特别行政区|省|市)`)
	cityRE           = regexp.MustCompile(`^(\p{Han}{2,4}?(?:自治州|地区|市|州|盟))`)
	districtRE       = regexp.MustCompile(`^(\p{Han}{1,4}?(?:新区|区|县|旗|市))`)
	// notPlace are words that make a would-be place name an organ's name
	// (国家市场…, 财政局…).
	notPlace = []string{"局", "厅", "委", "办", "部", "会", "院", "所", "处", "科", "站", "队", "中心", "公司",
		"学", "医", "管理", "发展", "建设", "服务", "国家", "中央", "全国", "政府"}
)

// Region is the administrative area an entity's name begins with, as
// precise as the name says: the province (江苏省 for 江苏省委办公厅 and for
// 中国共产党江苏省委员会办公厅), then a city (苏州市) and a district or county
// (普陀区): "上海市普陀区" for 上海市普陀区司法局, "广州市" for 广州市财政局.
// A central organ (国家信访局, 中共中央办公厅, 中国气象局) is "中央"; the
// region is "" when the name begins with no place at all (财政局). A
// heuristic on the printed name: it is used to filter and group, never to
// identify.
func Region(entity string) string {
	s := NormalizeEntity(entity)
	for _, p := range []string{"中国共产党", "中共"} {
		s = strings.TrimPrefix(s, p)
	}
	for _, p := range centralPrefixes {
		if strings.HasPrefix(s, p) {
			return Central
		}
	}
	var region string
	for _, p := range provinces {
		if strings.HasPrefix(s, p.short) {
			rest := s[len(p.short):]
			m := provinceSuffixRE.FindString(rest)
			if m == "" && !strings.HasPrefix(rest, "委") {
				// 江苏财政厅 is rare; 江苏委… (江苏省委 without 省) rarer: only
				// the short name followed by a suffix or 委 is the province.
				continue
			}
			region, s = p.full, rest[len(m):]
			break
		}
	}
	if m := cityRE.FindString(s); m != "" && place(m, s[len(m):]) {
		region += m
		s = s[len(m):]
	}
	if region != "" {
		if m := districtRE.FindString(s); m != "" && place(m, s[len(m):]) {
			region += m
		}
	}
	return region
}

// place reports whether name (followed by rest) is a place, not the start
// of an organ's name.
func place(name, rest string) bool {
	if strings.HasPrefix(rest, "场") || strings.HasPrefix(rest, "民") || strings.HasPrefix(rest, "级") {
		return false // 市场, 市民, 县级
	}
	for _, w := range notPlace {
		if strings.Contains(name, w) {
			return false
		}
	}
	return true
}

// Province is the province-level part a region begins with (江苏省 of
// 江苏省苏州市; 中央 of 中央), "" when it names none.
func Province(region string) string {
	if region == Central {
		return Central
	}
	for _, p := range provinces {
		if strings.HasPrefix(region, p.full) {
			return p.full
		}
	}
	return ""
}
