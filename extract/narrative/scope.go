package narrative

import (
	"regexp"
	"sort"
	"strings"
	"unicode/utf8"
)

// A department's document describes the department as a whole and then,
// often, each of its units: "一、深圳市人力资源和社会保障局（本级）…项目支出
// 142,220.85万元", "二、深圳市劳动人事争议仲裁院…". A fact must speak for the
// whole document, so sentences are ranked: the general sections first
// (部门预算收支总体情况, 收入预算, 支出预算), then the rest, and a unit's
// statements last, only when the document describes a single unit.

// Sentence ranks, best first.
const (
	rankGeneral = iota // a general section: 收支总体情况, 收入预算, 支出预算
	rankOther          // elsewhere, speaking for the document
	rankUnit           // a unit's subsection or a sentence naming a unit
	rankNever          // a unit of a multi-unit department: never used
)

// generalHeading names a section about the budget as a whole; the
// exclusions are sections about one source or one kind of spending.
var (
	generalHeading    = regexp.MustCompile(`收支|收入|支出`)
	notGeneralHeading = regexp.MustCompile(`财政拨款|一般公共预算|政府性基金|国有资本|三公|机关运行|采购|绩效|资产|项目|名词|解释|基本支出|经济分类|功能分类|明细`)
)

// headingNumber strips a heading's numbering.
var headingNumber = regexp.MustCompile(`^(?:第[一二三四五六七八九十百]+部分|[一二三四五六七八九十]{1,3}\s*[、.．]|[（(][一二三四五六七八九十]{1,3}[）)])\s*`)

// unitName is a heading that is an organisation's name: "深圳市劳动人事争议
// 仲裁院", "深圳城市职业学院（深圳技师学院）", "…局（本级）".
var unitName = regexp.MustCompile(`^[\p{Han}（）()]{3,30}?(?:局|院|厅|中心|学校|馆|所|站|队|处|会|室|委|办|社|台|团|监狱|医院|（本级）|\(本级\)|本级)(?:[（(][\p{Han}]{2,20}[）)])?$`)

// notUnitName marks words of a topic heading that ends like an
// organisation name (部门预算绩效管理情况, 名词解释 …).
var notUnitName = regexp.MustCompile(`预算|决算|支出|收入|情况|说明|经费|部分|概况|职责|职能|目标|采购|资产|名词|解释|其他|绩效|设置|依据|公开|表`)

// unitsHeading names the units collectively: "所属单位预算情况".
var unitsHeading = regexp.MustCompile(`^各?(?:所属|下属|二级|直属|基层)(?:事业|预算)?单位`)

// namesUnit marks a sentence about one unit of the department rather than
// the department: "深圳市财政局（本级）预算…", "机关本级…".
var namesUnit = regexp.MustCompile(`（本级）|\(本级\)|机关本级|[局院厅委办]本级`)

// isUnitHeading reports whether a heading is one unit's subsection.
func isUnitHeading(h string) bool {
	rest := headingNumber.ReplaceAllString(h, "")
	if unitsHeading.MatchString(rest) {
		return true
	}
	return unitName.MatchString(rest) && !notUnitName.MatchString(rest)
}

// scope is what the ranking knows of a document's units.
type scope struct {
	ranks []int    // per section
	multi bool     // a department of two units or more
	units []string // the units' names, from their headings
}

// sectionRanks gives each section its rank. A unit's subsection covers the
// deeper sections after it. Unit sections count only in a department
// that describes two units or more: a document about a single unit (深圳市
// 财政局（本级）, whose 部门预算为本级预算) speaks for that unit throughout.
func sectionRanks(secs []*section) scope {
	ranks := make([]int, len(secs))
	unit := make([]bool, len(secs))
	names := map[string]bool{}
	collective := false
	inUnit, unitLevel := false, 0
	for i, s := range secs {
		if inUnit && s.level <= unitLevel {
			inUnit = false
		}
		if isUnitHeading(s.heading) {
			inUnit, unitLevel = true, s.level
			rest := headingNumber.ReplaceAllString(s.heading, "")
			if unitsHeading.MatchString(rest) {
				collective = true
			} else {
				names[rest] = true
			}
		}
		unit[i] = inUnit
	}
	multi := collective || len(names) >= 2
	var units []string
	for n := range names {
		if utf8.RuneCountInString(n) >= 4 {
			units = append(units, Normalise(n))
		}
	}
	sort.Strings(units)
	for i, s := range secs {
		switch {
		case unit[i] && multi:
			ranks[i] = rankNever
		case unit[i]:
			ranks[i] = rankUnit
		case generalHeading.MatchString(s.heading) && !notGeneralHeading.MatchString(s.heading):
			ranks[i] = rankGeneral
		default:
			ranks[i] = rankOther
		}
	}
	return scope{ranks: ranks, multi: multi, units: units}
}

// sentenceRank lowers a sentence's section rank when the sentence names a
// unit: such a sentence is used last, and never in a multi-unit
// department (its sections ranked rankNever tell).
func (sc scope) sentenceRank(sectionRank int, s sentence) int {
	if sectionRank == rankNever {
		return sectionRank
	}
	if sc.paragraphOfPart(s) {
		return rankNever
	}
	if sc.multi && sc.statesUnitBudget(s.norm) {
		return rankNever
	}
	// A document about one unit speaks for that unit throughout, whose own
	// name may well say 本级: its sentences keep their section's rank.
	if !sc.multi || !namesUnit.MatchString(s.norm) {
		return sectionRank
	}
	return rankNever
}

// statesUnitBudget reports a sentence giving one unit's budget by the
// name its subsection has: "其中，深圳市劳动人事争议仲裁院预算4,720.86万元".
func (sc scope) statesUnitBudget(norm string) bool {
	for _, u := range sc.units {
		for i := strings.Index(norm, u); i >= 0; {
			if unitFigure.MatchString(norm[i+len(u):]) {
				return true
			}
			j := strings.Index(norm[i+len(u):], u)
			if j < 0 {
				break
			}
			i += len(u) + j
		}
	}
	return false
}

// unitFigure follows a unit's name when the figure after it is the unit's.
// "…局部门预算" is the department's own (a department may be named like its
// first unit).
var unitFigure = regexp.MustCompile(`^(?:\d{4}年度?)?(?:预算|决算|收入|支出|项目支出|基本支出|人员经费|公用经费|机关运行经费)`)

// A paragraph speaks for what it opens with. One that opens with a part of
// the document — one item of a classification, printed with its code
// ("②机关商品和服务支出（502）996.33万元…", "1.一般公共服务支出（类）…"), or
// one unit ("局机关…", "机关本级…") — gives that part's figures, in its
// later sentences too, where the subject goes unsaid: 38_xian p.32 "2022年
// 专项业务费806.10万元，交通补贴81.08万元，日常公用经费109.15万元" is 局机关's
// share of item 502, not the department's 公用经费 (360.10万元). A sentence
// naming the document's own entity (本部门…) speaks for it wherever it is.
var (
	// listNumber is a list item's or heading's number.
	listNumber = `(?:[（(]?\d{1,2}[)）]|\d{1,2}[、.．]|[①-⑳]|[（(][一二三四五六七八九十]{1,3}[)）]|[一二三四五六七八九十]{1,3}[、.．])?`
	// classItem opens a paragraph with a category and its code or level.
	classItem = regexp.MustCompile(`^` + listNumber + `(?:\d{4}年度?)?(?:[\p{Han}“”、]|[（(][\p{Han}]{1,8}[)）]){2,30}?[（(](?:\d{3}|\d{5}|\d{7}|类|款|项)[)）]`)
	// unitLead opens a paragraph with one unit as its subject.
	unitLead = regexp.MustCompile(`^` + listNumber + `(?:\d{4}年度?)?[\p{Han}]{0,24}?(?:（本级）|\(本级\)|机关本级|[局院厅委办]本级|[局院厅委办]机关)`)
	// ownEntity names the document's own entity as a sentence's subject.
	ownEntity = regexp.MustCompile(`本部门|本单位|我部门|我单位|部门(?:预算|决算)?(?:总)?(?:收入|支出)`)
)

// paragraphOfPart reports whether a sentence belongs to a paragraph about
// a part of the document and does not name the document itself.
func (sc scope) paragraphOfPart(s sentence) bool {
	if ownEntity.MatchString(s.norm) {
		return false
	}
	if classItem.MatchString(s.lead) {
		return true
	}
	// A document about one unit (深圳市财政局（本级）) speaks for it
	// throughout.
	return sc.multi && unitLead.MatchString(s.lead)
}
