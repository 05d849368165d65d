package table

import (
	"fmt"
	"slices"
	"strings"

	"yusuan"
	"yusuan/vocab"
)

// amountColumns are the columns of cols that hold amounts.
func amountColumns(cols []*column) []*column {
	var out []*column
	for _, c := range cols {
		if c.role == vocab.RoleNone && !c.textual {
			out = append(out, c)
		}
	}
	return out
}

// singleTotal keys the only amount column of a standard table `total`
// when its heading names no other key (预算, 预算数, 金额, 机关运行经费支出):
// a table printing one figure per row prints its total. In a final
// account 预算数 and 决算数 stay apart (budget, actual).
func singleTotal(cols []*column, kind yusuan.TableKind) {
	if vocab.IsFreeForm(kind) || vocab.IsTwoSided(kind) {
		return
	}
	amt := amountColumns(cols)
	if len(amt) != 1 {
		return
	}
	switch c := amt[0]; {
	case c.key == "", !vocab.IsFinalAccount(kind) && (c.key == "budget" || c.key == "amount"):
		c.key = "total"
	}
}

// groupedKeys gives a meaning to the keys of columns printed again under
// several group headings, which the keys of their own headings leave
// repeated (gpb, fund, soe under each of 总计, 因公出国(境)费 …; total,
// abroad … under 2025年预算数 and again under 2026年预算数; 预算数, 决算数
// under each item). The amount columns must repeat one sequence of keys;
// what a group's headings print beyond what every group prints at the same
// place is the group's heading, which names either a period or an item:
//
//   - a period: the year (the latest year printed is the current one and
//     keeps the plain keys; the year before gives `_prev`, others `_YYYY`),
//     the change (增减: `_change`), 预算数 or 决算数 (the current figure of
//     a final account is 决算数: 预算数 gives `_budget`; of a budget,
//     预算数: 决算数 gives `_actual`);
//   - an item (因公出国(境)费 …): its key goes before the columns' own,
//     abroad_gpb, unless the columns' own keys are periods (预算数, 决算数
//     under each item), which then give the suffix: abroad_budget, abroad.
//
// The keys are left alone (and numbered later) when the groups cannot be
// told or the keys would not come out unique.
func groupedKeys(cols []*column, kind yusuan.TableKind) {
	if vocab.IsFreeForm(kind) || vocab.IsTwoSided(kind) {
		return
	}
	amt := amountColumns(cols)
	base := make([]string, len(amt))
	for i, c := range amt {
		base[i] = c.key
	}
	p := repeatPeriod(base)
	if p == 0 {
		// The columns' own headings may be periods where their keys are
		// not (预算数 and 决算数 under each item, keyed by the item).
		for i, c := range amt {
			base[i] = ""
			if n := len(c.header); n > 0 {
				if pk, _ := vocab.PeriodOf(c.header[n-1]); pk == vocab.PeriodBudget || pk == vocab.PeriodActual {
					base[i] = pk
				}
			}
		}
		if p = repeatPeriod(base); p == 0 {
			return
		}
	}
	m := len(amt) / p
	heads := make([][]string, m) // heads[g][j]: the heading of group g's j-th column
	for g := range heads {
		heads[g] = make([]string, p)
		for j := range p {
			heads[g][j] = squeeze(amt[g*p+j].headerText())
		}
	}
	// What group g prints beyond every group at each place: the pieces of
	// its headings that the text all groups print there does not hold
	// (预算数 against 决算数, not 预 against 决).
	texts := make([]string, m)
	for j := range p {
		col := make([]string, m)
		for g := range m {
			col[g] = heads[g][j]
		}
		common := commonSuffix(col)
		for g := range m {
			for _, piece := range amt[g*p+j].header {
				if piece = squeeze(piece); !strings.Contains(common, piece) {
					texts[g] = joinDistinct(texts[g], piece)
				}
			}
		}
	}
	// The columns' own keys may be periods (预算数, 决算数 under each item).
	leafPeriod := make([]string, p)
	for j := range p {
		if base[j] == "budget" || base[j] == "actual" {
			leafPeriod[j] = base[j]
		}
	}
	final := vocab.IsFinalAccount(kind)
	suffix, items, ok := groupMeanings(texts, heads, final)
	if !ok {
		return
	}
	keys := make([]string, len(amt))
	for g := range m {
		for j := range p {
			var k string
			switch {
			case items[g] != "" && leafPeriod[j] != "":
				k = items[g] + periodSuffix(leafPeriod[j], final)
			case items[g] != "" && base[j] != "":
				k = items[g] + "_" + base[j]
			case items[g] == "" && suffix[g] != "\x00" && base[j] != "":
				k = base[j] + suffix[g]
			default:
				return
			}
			keys[g*p+j] = k
		}
	}
	if slices.Contains(keys, "") || len(slices.Compact(slices.Sorted(slices.Values(keys)))) != len(keys) {
		return
	}
	for i, c := range amt {
		c.key = keys[i]
	}
}

// groupMeanings reads each group's heading text: for period groups the
// suffix of its keys (suffix[g], "\x00" when the group names none); for
// item groups its item key (items[g]). ok is false when groups name
// neither or mix the two.
func groupMeanings(texts []string, heads [][]string, final bool) (suffix, items []string, ok bool) {
	m := len(texts)
	suffix, items = make([]string, m), make([]string, m)
	periods := make([]string, m)
	years := make([]int, m)
	latest := 0
	for g := range m {
		// A year printed in any heading of the group (its group heading
		// may sit over one column only) tells the group's year when the
		// groups print different years.
		for _, h := range heads[g] {
			if pk, y := vocab.PeriodOf(h); pk == vocab.PeriodYear {
				years[g] = y
				break
			}
		}
		periods[g], _ = vocab.PeriodOf(texts[g])
		if periods[g] == vocab.PeriodYear {
			periods[g] = ""
		}
	}
	distinctYears := false
	for g := range m {
		latest = max(latest, years[g])
		distinctYears = distinctYears || years[g] != years[0]
	}
	nPeriod, nItem := 0, 0
	for g := range m {
		switch {
		case distinctYears && years[g] != 0:
			suffix[g] = yearSuffix(years[g], latest)
		case periods[g] != "":
			suffix[g] = periodSuffix(periods[g], final)
		default:
			suffix[g] = "\x00"
		}
		if suffix[g] != "\x00" {
			nPeriod++
			continue
		}
		items[g] = groupItem(texts, g)
		if items[g] != "" {
			nItem++
		}
	}
	switch {
	case nPeriod == m:
		for g := range items {
			items[g] = ""
		}
		return suffix, items, true
	case nItem == m:
		return suffix, items, true
	}
	return nil, nil, false
}

// groupItem is the item a group's heading names: the key of its text, or
// for a 小计 group the key of the heading it shares with the next group
// (公务用车购置及运行维护费 over 小计, 公务用车购置费 …).
func groupItem(texts []string, g int) string {
	t := texts[g]
	if strings.HasSuffix(t, "小计") && g+1 < len(texts) {
		if k := vocab.SpanningKey(texts[g+1]); k != "" {
			return k
		}
	}
	return vocab.ColumnKey(t, yusuan.ThreePublic)
}

func yearSuffix(y, latest int) string {
	switch y {
	case latest:
		return ""
	case latest - 1:
		return "_prev"
	}
	return fmt.Sprintf("_%d", y)
}

// periodSuffix is the suffix of a period's keys: none for the current
// figure (决算数 in a final account, 预算数 in a budget).
func periodSuffix(p string, final bool) string {
	switch {
	case p == vocab.PeriodChange:
		return "_change"
	case p == vocab.PeriodActual && final, p == vocab.PeriodBudget && !final:
		return ""
	}
	return "_" + p
}

// repeatPeriod is the length of the shortest sequence of keys that keys
// repeats at least twice, with no key twice in one repeat; 0 when keys is
// no such repetition (or repeats no key at all).
func repeatPeriod(keys []string) int {
	n := len(keys)
	for p := 1; 2*p <= n; p++ {
		if n%p != 0 {
			continue
		}
		ok := !slices.Contains(keys[:p], "")
		seen := map[string]bool{}
		for _, k := range keys[:p] {
			ok = ok && !seen[k]
			seen[k] = true
		}
		for i := p; ok && i < n; i++ {
			ok = keys[i] == keys[i%p]
		}
		if ok {
			return p
		}
	}
	return 0
}

// commonSuffix is the longest text every string ends with.
func commonSuffix(ss []string) string {
	if len(ss) == 0 {
		return ""
	}
	s := []rune(ss[0])
	n := len(s)
	for _, t := range ss[1:] {
		r := []rune(t)
		k := 0
		for k < n && k < len(r) && s[len(s)-1-k] == r[len(r)-1-k] {
			k++
		}
		n = k
	}
	return string(s[len(s)-n:])
}

// joinDistinct adds a piece of heading text to a group's text unless the
// text already holds it (a heading over several of the group's columns).
func joinDistinct(text, piece string) string {
	switch {
	case piece == "" || strings.Contains(text, piece):
		return text
	case strings.Contains(piece, text):
		return piece
	}
	return text + piece
}
