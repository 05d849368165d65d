package main

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/shopspring/decimal"

	"yusuan"
	"yusuan/vocab"
)

// categorySums checks, in every coded table, that the 合计 row equals the
// sum of the 类 rows (3-digit functional or economic codes) in each column
// the 合计 row prints, within rounding: half a unit of the last printed
// digit per term. fails describes each table that does not add up.
func categorySums(tables []yusuan.Table) (checked, passed int, fails []string) {
	for _, t := range tables {
		total, cats := totalAndCategories(t)
		if total == nil || len(cats) == 0 {
			continue
		}
		checked++
		var bad []string
		for _, c := range t.Columns {
			want := total.Values[c]
			if want.IsNull() {
				continue
			}
			sum := decimal.Zero
			places := max(want.Places(), 0)
			for _, r := range cats {
				v := r.Values[c]
				sum = sum.Add(v.Decimal())
				places = max(places, v.Places())
			}
			tol := decimal.New(5, -int32(places)-1).Mul(decimal.NewFromInt(int64(len(cats) + 1)))
			if want.Decimal().Sub(sum).Abs().GreaterThan(tol) {
				bad = append(bad, fmt.Sprintf("%s 合计 %s, Σ类 %s", c, want, sum.String()))
			}
		}
		if len(bad) == 0 {
			passed++
			continue
		}
		fails = append(fails, fmt.Sprintf("%s %q %s (%d 类): %s", t.Kind, t.Title, pageSpan(t.Pages), len(cats), strings.Join(bad, "; ")))
	}
	return checked, passed, fails
}

// grandTotalRe is the name of a table's grand total row (合计, 总计,
// 本年支出合计), not a part's (人员经费合计).
var grandTotalRe = regexp.MustCompile(`^(?:本年)?(?:支出|收入)?(?:合计|总计)$`)

// totalAndCategories finds a coded table's first 合计/总计 row and its 类
// rows: functional codes of 3 digits, or else economic ones.
func totalAndCategories(t yusuan.Table) (*yusuan.Row, []yusuan.Row) {
	if t.Kind == yusuan.PerformanceTargets || t.Kind == yusuan.Procurement {
		return nil, nil
	}
	var total *yusuan.Row
	var fn, econ []yusuan.Row
	for i, r := range t.Rows {
		name := vocab.Squeeze(r.Name)
		if total == nil && r.Code == nil && r.EconCode == "" && r.Side == "" && grandTotalRe.MatchString(name) {
			total = &t.Rows[i]
		}
		switch {
		case r.Code != nil && len(*r.Code) == 3:
			fn = append(fn, r)
		case r.Code == nil && len(r.EconCode) == 3:
			econ = append(econ, r)
		}
	}
	if len(fn) > 0 {
		return total, fn
	}
	return total, econ
}
