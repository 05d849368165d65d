package vocab

import (
	"regexp"
	"strconv"
	"strings"

	"yusuan"
)

// What a document says about the tables it does not print: the numbering
// of the tables it does print (a template's 表一…表十二 run without a
// gap), its statement that the unit has none of what a table would report
// (本部门无国有资本经营预算收入), and its statement that the tables are
// published elsewhere (公开表附后, 附件：…部门预算报表).

// labelSeriesRe reads a printed label as its series (the words around the
// number) and its number: 表十二, 公开01表, 预算公开表10, 表3-1.
var labelSeriesRe = regexp.MustCompile(`^(\D*?)(\d{1,2}|[一二三四五六七八九十]{1,3})(表?)(?:[-－]\d+)?$`)

// LabelNumber reads a printed table label (as Title.Label holds it, spaces
// removed) as a series and a number: 表十二 → 表#, 12; 公开01表 → 公开#表, 1;
// 预算公开表10 → 预算公开表#, 10; a part such as 表3-1 numbers as 表3. Series
// of Arabic and Chinese numbers differ (表# and 表〇#). ok is false for a
// label without a number.
func LabelNumber(label string) (series string, n int, ok bool) {
	m := labelSeriesRe.FindStringSubmatch(squeeze(label))
	if m == nil {
		return "", 0, false
	}
	num := m[2]
	if v, err := strconv.Atoi(num); err == nil {
		n = v
		series = m[1] + "#" + m[3]
	} else {
		n = chineseNumber(num)
		series = m[1] + "〇#" + m[3]
	}
	if n <= 0 {
		return "", 0, false
	}
	return series, n, true
}

// chineseNumber reads 一 … 九十九; 0 when it is none.
func chineseNumber(s string) int {
	digit := func(r rune) int { return strings.IndexRune("一二三四五六七八九", r)/3 + 1 }
	r := []rune(s)
	switch {
	case len(r) == 1 && r[0] == '十':
		return 10
	case len(r) == 1:
		return digit(r[0])
	case len(r) == 2 && r[0] == '十':
		return 10 + digit(r[1])
	case len(r) == 2 && r[1] == '十':
		return 10 * digit(r[0])
	case len(r) == 3 && r[1] == '十':
		return 10*digit(r[0]) + digit(r[2])
	}
	return 0
}

// noneSubjects are the words a sentence names what a table of the kind
// reports by, when it says the unit has none of it.
var noneSubjects = map[yusuan.TableKind]string{
	yusuan.StateCapital:       `国有资本经营`,
	yusuan.FAStateCapital:     `国有资本经营`,
	yusuan.GovFundExpenditure: `政府性基金`,
	yusuan.GovFundIncome:      `政府性基金`,
	yusuan.FAGovFund:          `政府性基金`,
	yusuan.ThreePublic:        `三公`,
	yusuan.FAThreePublic:      `三公`,
}

var noneRes = func() map[yusuan.TableKind]*regexp.Regexp {
	out := map[yusuan.TableKind]*regexp.Regexp{}
	for k, s := range noneSubjects {
		out[k] = regexp.MustCompile(`(?:无|没有|未安排|不涉及|未使用)[^。；;，,]{0,16}?` + s)
	}
	return out
}()

// SaysNone reports whether a sentence says the unit has nothing a table of
// kind k would report: 2018年本部门无国有资本经营预算收入; 本部门无国有资本经营
// 预算拨款收支，并在财政拨款收支总体情况表中列示.
func SaysNone(sentence string, k yusuan.TableKind) bool {
	re := noneRes[k]
	return re != nil && re.MatchString(strings.NewReplacer("“", "", "”", "", "\"", "").Replace(squeeze(sentence)))
}

// elsewhereRe says that the tables are published elsewhere: 具体公开表样附后,
// 2019年度部门预算公开表附后, 附件：北京市财政局2026年度部门预算报表.
var elsewhereRe = regexp.MustCompile(`表(?:样)?(?:另行)?附后|(?:详见|见)附件|附件[一二三\d]?[：:][^。；]{0,40}?(?:报表|公开表|预算表|决算表)|表(?:另行|单独)(?:公开|发布)`)

// SaysTablesElsewhere reports whether text says the document's tables are
// published separately from it.
func SaysTablesElsewhere(text string) bool { return elsewhereRe.MatchString(squeeze(text)) }
