package check

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// fold turns full-width ASCII into half-width and drops every space, so that
// printed names compare whatever the typesetting.
func fold(s string) string {
	clean := true
	for _, r := range s {
		if r <= ' ' || (r >= '！' && r <= '～') || r == '\u3000' || (r >= 0x80 && r < 0x3000 && unicode.IsSpace(r)) {
			clean = false
			break
		}
	}
	if clean {
		return s // the common case: no allocation
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case r >= '！' && r <= '～':
			b.WriteRune(r - '！' + '!')
		case unicode.IsSpace(r) || r == '\u3000':
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

const chineseNumerals = "一二三四五六七八九十百"

// ordinalLen is the length in bytes of the ordinal a folded name starts
// with (一、 （一） 1、 1. ①), 0 if none; top tells a 一、 ordinal, which the
// two-sided summary tables give sources and categories. Hand-written: it
// runs for every row of every table.
func ordinalLen(s string) (n int, top bool) {
	i := 0
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		if !strings.ContainsRune(chineseNumerals, r) {
			break
		}
		i += size
	}
	if i > 0 {
		if strings.HasPrefix(s[i:], "、") {
			return i + len("、"), true
		}
		if strings.HasPrefix(s[i:], ".") {
			return i + 1, true
		}
		return 0, false
	}
	if strings.HasPrefix(s, "(") {
		j := 1
		for j < len(s) {
			r, size := utf8.DecodeRuneInString(s[j:])
			if !strings.ContainsRune(chineseNumerals, r) {
				break
			}
			j += size
		}
		if j > 1 && j < len(s) && s[j] == ')' {
			return j + 1, false
		}
		return 0, false
	}
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	if i > 0 {
		if strings.HasPrefix(s[i:], "、") {
			return i + len("、"), false
		}
		if strings.HasPrefix(s[i:], ".") {
			return i + 1, false
		}
		return 0, false
	}
	if r, size := utf8.DecodeRuneInString(s); r >= '①' && r <= '⑳' {
		return size, false
	}
	return 0, false
}

// normName is a row name without spaces, width differences and ordinal.
func normName(s string) string {
	s = fold(s)
	n, _ := ordinalLen(s)
	return s[n:]
}

// hasSubOrdinal reports whether a printed name starts with a lower-level
// ordinal: 1. 1、 (一) ①.
func hasSubOrdinal(s string) bool {
	n, top := ordinalLen(fold(s))
	return n > 0 && !top
}

// hasChineseOrdinal reports whether a printed name starts with 一、 二、 ….
func hasChineseOrdinal(s string) bool {
	_, top := ordinalLen(fold(s))
	return top
}

// totalKind classifies total rows.
type totalKind int

const (
	notTotal     totalKind = iota
	totalPlain             // 合计: the sum of the table
	totalCurrent           // 本年收入合计 / 本年支出合计
	totalGrand             // 收入总计 / 支出总计
)

// totalNames are the printed names of total rows (after normName); names
// vary by province, so they are data.
var totalNames = map[string]totalKind{
	"合计":     totalPlain,
	"总计":     totalGrand,
	"部门合计":   totalPlain,
	"单位合计":   totalPlain,
	"部门总计":   totalPlain,
	"本年收入合计": totalCurrent,
	"本年支出合计": totalCurrent,
	"本年收入小计": totalCurrent,
	"本年支出小计": totalCurrent,
	"本年收入":   totalCurrent,
	"本年支出":   totalCurrent,
	"收入合计":   totalCurrent,
	"支出合计":   totalCurrent,
	"收入本年合计": totalCurrent,
	"支出本年合计": totalCurrent,
	"收入总计":   totalGrand,
	"支出总计":   totalGrand,
	"收入总数":   totalGrand,
	"支出总数":   totalGrand,
}

func totalKindOf(name string) totalKind { return totalNames[normName(name)] }

// isColumnNumberRow recognises the printed "1 2 3 4 …" line under some
// headers, which an extractor may keep as a row.
func isColumnNumberRow(name string) bool {
	n := fold(name)
	if n == "" {
		return false
	}
	for _, r := range n {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// entityStrip are suffixes that do not change which entity a name means.
var entityStrip = []string{"(本级)", "本级", "机关"}

// normEntity is the entity match key: no spaces, half-width, without
// （本级） or a trailing 机关.
func normEntity(s string) string {
	s = fold(s)
	for changed := true; changed; {
		changed = false
		for _, suf := range entityStrip {
			if strings.HasSuffix(s, suf) && len(s) > len(suf) {
				s, changed = strings.TrimSuffix(s, suf), true
			}
		}
	}
	return s
}

// codeRE finds a budget entity code printed before a name ("046008-阳泉市…")
// or opening a file name ("046008-2026.pdf").
var codeRE = regexp.MustCompile(`^([0-9]{3,12})[-_－]`)

// orgSuffixes end names of organisations (units) rather than projects.
var orgSuffixes = []string{"局", "中心", "站", "所", "院", "办公室", "委员会", "队", "学校", "小学", "中学", "幼儿园",
	"馆", "处", "会", "厅", "委", "办", "社", "团", "机关", "本级", "狱", "场", "台", "厂", "公司", "中队", "大队", "支队", "事务所", "医院", "街道办事处", "政府", "研究院", "大学", "学院", "协会", "联合会"}

// projectSuffixes end names of projects and funds rather than units.
var projectSuffixes = []string{"经费", "资金", "项目", "补助", "补贴", "专项", "工程", "费", "支出", "建设", "工作"}

func hasProjectSuffix(name string) bool {
	n := normEntity(name)
	for _, w := range projectSuffixes {
		if strings.HasSuffix(n, w) {
			return true
		}
	}
	return false
}

// looksLikeOrg tells a unit's name from a project's by how it ends
// (…中心 is a unit, …中心运转经费 a project).
func looksLikeOrg(name string) bool {
	full := normEntity(name)
	n := full
	// A place in brackets after the name: 一带一路环境技术交流与转移中心（深圳）.
	if strings.HasSuffix(n, ")") {
		if i := strings.LastIndex(n, "("); i > 0 {
			n = n[:i]
		}
	}
	if n == "" {
		return false
	}
	for _, w := range projectSuffixes {
		if strings.HasSuffix(n, w) {
			return false
		}
	}
	for _, s := range orgSuffixes {
		if strings.HasSuffix(n, s) {
			return true
		}
	}
	// normEntity dropped a trailing 本级/机关: the name was a unit's.
	return full != fold(name)
}

// stripQuotes removes every kind of quote, so “三公” and "三公" read alike.
func stripQuotes(s string) string {
	return strings.Map(func(r rune) rune {
		switch r {
		case '"', '\'', '“', '”', '‘', '’', '「', '」', '『', '』', '＂':
			return -1
		}
		return r
	}, s)
}

// subtotalNames are the printed names of subtotal lines inside an economic
// classification table (a 基本支出 table printed as 人员经费 then 公用经费
// blocks): they sum groups, so they are neither items nor the table's total.
var subtotalNames = map[string]bool{
	"人员经费合计": true, "公用经费合计": true, "人员经费小计": true, "公用经费小计": true,
	"人员支出合计": true, "公用支出合计": true,
}

func isSubtotal(name string) bool { return subtotalNames[normName(name)] }

// isEconCode reports whether a code is of an economic classification (部门
// 301…, 政府 501…) rather than a functional one (201…).
func isEconCode(code string) bool {
	return code != "" && (code[0] == '3' || code[0] == '5')
}
