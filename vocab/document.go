package vocab

import (
	"regexp"
	"strings"
)

// What disclosures print around their tables: unit and entity lines under a
// title, notes below a table, page numbers and part headings between
// tables. The table extractor reads these to tell where a table starts and
// ends; the metadata reader reads the entity labels.

// UnitWords are the units tables print amounts in, longest first (元 is in
// the others).
var UnitWords = []string{"万元", "千元", "元"}

var (
	// UnitRe finds a table's unit (单位：万元, 金额单位：元); group 1 is the unit.
	UnitRe = regexp.MustCompile(`单位[：:]\s*(` + strings.Join(UnitWords, "|") + `)`)
	// unitLineRe is a line that is only the unit (单位：万元 at the right).
	unitLineRe = regexp.MustCompile(`^(?:金额单位|单位[：:])`)
	// EntityLineRe is the 单位名称：…/部门：…/编制单位：… line printed under a
	// title; what follows the colon is the entity.
	EntityLineRe = regexp.MustCompile(`^(?:编制|预算|主管|填报)?(?:单位|部门)(?:[（(]单位[）)])?(?:名称)?[：:]`)
	// noDataRe says that a table is empty (注：本表无数据, 本单位无政府性基金
	// 预算收支, 此表无…).
	noDataRe = regexp.MustCompile(`本表无数据|无数据|[本此]表为空|此表无|没有.*(数据|收支|支出|收入)|无.*(预算|收支|支出)(数据)?[。，]?$|本单位无|本部门无`)
	// noteRe starts a note under a table (注：…, 注1. …, 备注：…, 说明：…, or a
	// lone 备注): the table ends there. 注 alone begins words too
	// (注量实现正增长 in a wrapped cell), so a mark must follow it.
	noteRe = regexp.MustCompile(`^(?:注|备注|说明)\s*(?:[：:]|\d|$)`)
	// PartRe is the heading of a part of the document (第二部分 …): it
	// ends any table and is no table title.
	PartRe = regexp.MustCompile(`^第[一二三四五六七八九十]+部分`)
	// PageNumberRe is a printed page number (- 12 -, 第3页共9页, 3/9).
	PageNumberRe = regexp.MustCompile(`^(?:[-－—]?\s*\d{1,3}\s*[-－—]?|第\d+页(共\d+页)?|\d+/\d+)$`)
	// HeadingRe is a narrative heading: 一、…, （一）… or 第X部分.
	HeadingRe = regexp.MustCompile(`^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)]|第[一二三四五六七八九十]+部分)`)
)

// contentsRe is the heading of a table of contents (目录, 目 录).
var contentsRe = regexp.MustCompile(`^目录$`)

// IsContentsHeading reports whether squeezed line text heads a table of
// contents.
func IsContentsHeading(t string) bool { return contentsRe.MatchString(t) }

// titleRemarkRe is a bracketed remark printed under a title
// (（按经济分类）, （2026年度）).
var titleRemarkRe = regexp.MustCompile(`^[（(][^（）()]{1,16}[）)]$`)

// IsTitleRemark reports whether squeezed line text is a bracketed remark
// that belongs to the title above it.
func IsTitleRemark(t string) bool { return titleRemarkRe.MatchString(t) }

// roundingWords explain rounding differences in a note (尾差, 四舍五入):
// such a note is part of the table, not its end.
var roundingWords = []string{"尾差", "四舍五入"}

// SaysNoData reports whether squeezed text says that a table is empty.
func SaysNoData(t string) bool {
	return strings.ContainsAny(t, "无空没") && noDataRe.MatchString(t)
}

// IsNote reports whether squeezed line text starts a note under a table.
func IsNote(t string) bool { return noteRe.MatchString(t) }

// IsRoundingNote reports whether a note only explains rounding.
func IsRoundingNote(t string) bool {
	for _, w := range roundingWords {
		if strings.Contains(t, w) {
			return true
		}
	}
	return false
}

// IsUnitLine reports whether squeezed line text is a unit line
// (单位：万元, 金额单位：元) rather than a line that mentions the unit.
func IsUnitLine(t string) bool { return unitLineRe.MatchString(t) }

// glossaryRe heads a glossary (名词解释, 名称解释): definitions, never the
// document's figures or statements about itself.
var glossaryRe = regexp.MustCompile(`名词解释|名称解释|专业名词|术语解释`)

// IsGlossaryHeading reports whether a narrative heading opens a glossary.
func IsGlossaryHeading(h string) bool { return glossaryRe.MatchString(h) }
