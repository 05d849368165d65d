package vocab

import (
	"regexp"
	"strings"

	"yusuan"
)

// Tracing a table in a document's text: before the checks say a required
// table was not published, they look for its title or label where an
// extractor may have left it (a title line run into the prose or into
// another table's rows, a title the classification does not know). These
// patterns recognise a title loosely; they never classify a table.

// looseTitles are wordings a title of the kind may take beyond what
// titleRules classify (本年支出总体情况表), or where titleRules rank another
// kind first (一般公共预算支出表（按经济分类） is not the basic-by-economic
// table, but publishes its figures).
var looseTitles = map[yusuan.TableKind]*regexp.Regexp{
	yusuan.IncomeExpenditureSummary:     regexp.MustCompile(`^(本年|当年)?(预算)?收支(预算)?(总表|总体情况表)|^(本年|当年)?(预算)?收入支出(预算)?总表`),
	yusuan.IncomeSummary:                regexp.MustCompile(`^(本年|当年)?(预算)?收入(预算)?(总表|总体情况表)`),
	yusuan.ExpenditureSummary:           regexp.MustCompile(`^(本年|当年)?(预算)?支出(预算)?(总表|总体情况表)`),
	yusuan.GeneralBudgetBasicByEconomic: regexp.MustCompile(`一般公共预算.*支出.*经济分类`),
	yusuan.GeneralBudgetByEconomic:      regexp.MustCompile(`一般公共预算.*支出.*经济分类`),
}

// Names reports whether text, a printed title perhaps cut short (its 表 on
// the next line) or run together with a label, could name a table of kind
// k.
func Names(text string, k yusuan.TableKind) bool {
	t := Normalize(text)
	if t == "" {
		return false
	}
	final := strings.Contains(t, "决算")
	for _, r := range titleRules {
		if r.kind == k && r.final == final && r.re.MatchString(t) {
			return true
		}
	}
	if re := looseTitles[k]; re != nil && !final && re.MatchString(t) {
		return true
	}
	return false
}

// labelInTextRe finds a table label inside a line of text (group 1). Bare
// 表N / 表一 labels must start the line or follow a non-Han character
// (收支总表 12, a table of contents' page number, is no label); 公开09表
// and the like are distinctive anywhere.
var labelInTextRe = regexp.MustCompile(`((?:(?:预算|决算|部门|单位)?公开表\s*\d{1,2}|公开\s*\d{1,2}\s*表|预算\s*\d{1,2}\s*表|决算\s*\d{1,2}\s*表|附表\s*\d{1,2})(?:[-－]\d+)?)[：:、.．\s]*|(?:^|[^\p{Han}])(表\s*(?:[一二三四五六七八九十]+|\d{1,2})(?:[-－]\d+)?)[：:、.．\s]*`)

// LabelledTitle finds a label followed by words in a line of text
// ("……资金公开09表：一般公共预算“三公”经费、会议费、培训费") and returns the
// label (spaces removed) and what follows it.
func LabelledTitle(text string) (label, rest string, ok bool) {
	m := labelInTextRe.FindStringSubmatchIndex(text)
	if m == nil {
		return "", "", false
	}
	switch {
	case m[2] >= 0:
		label = text[m[2]:m[3]]
	case m[4] >= 0:
		label = text[m[4]:m[5]]
	}
	label = squeeze(label)
	rest = strings.TrimSpace(text[m[1]:])
	if rest == "" || label == "" {
		return "", "", false
	}
	return label, rest, true
}
