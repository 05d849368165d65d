package check

import (
	"slices"
	"strings"

	"yusuan"
	"yusuan/vocab"
)

// ruleAmountRange reports every printed figure too large to be counted
// exactly (beyond ±9.2×10¹⁴ 元, far beyond any budget: digits run
// together, a code or an account number read as an amount). Comparisons
// leave such figures out rather than report a wrapped-around sum.
func ruleAmountRange(e *emitter, d *doc) {
	for ti := range d.Tables {
		t := &d.Tables[ti]
		sc := unitScale(t.Unit)
		for ri := range t.Rows {
			r := &t.Rows[ri]
			var keys []string
			for k, v := range r.Values {
				// 10 digits fit whatever the unit: most cells need no parse.
				if len(v.String()) > 10 && toMoney(v, sc).overflow {
					keys = append(keys, k)
				}
			}
			slices.Sort(keys)
			for _, k := range keys {
				x := cell(t, r, k, vocab.KindLabel(t.Kind)+" "+rowLabel(r)+"（"+columnName(t, k)+"）")
				e.add(finding{tables: tablesOf(t), unit: unitName(sc), actual: r.Values[k].String(),
					conf: yusuan.ConfidenceLow, why: "金额超出可核对范围，疑为误读",
					msg:     x.label + " " + cellText(r, k) + " " + unitName(sc) + " 过大，无从核对，疑为误读",
					figures: []figure{{roleActual, x}}})
			}
		}
	}
	var keys []string
	for k, v := range d.Facts {
		if !v.IsNull() && !strings.HasSuffix(k, "_pct") && toMoney(v, scale万元).overflow {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	for _, k := range keys {
		x := term{label: "情况说明 " + k, scale: scale万元, fact: k, m: money{overflow: true}}
		e.add(finding{tables: []string{narrativeTable}, unit: "万元", actual: d.Facts[k].String(),
			conf: yusuan.ConfidenceLow, why: "金额超出可核对范围，疑为误读", pages: d.factPages(k),
			msg:     x.label + " " + d.Facts[k].String() + " 万元 过大，无从核对，疑为误读",
			figures: []figure{{roleActual, x}}})
	}
}
