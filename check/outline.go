package check

import "yusuan"

// outlineAgrees reports whether the lines of a group, taken in order, can
// be read as an outline adding up to the group's figure: each line either a
// project, or a heading whose figure the lines right after it add up to
// (38_xian 表10: 西安市科学技术局 882,575,000 = 专用项目 = 300,000 + 882,275,000,
// each heading over its own projects). A flat sum of such a block counts
// every level. The search stops after a bounded number of steps (false).
func outlineAgrees(t *yusuan.Table, rows []*yusuan.Row, col string, sc int64, want money) bool {
	var vals []money
	for _, r := range rows {
		if m := toMoney(r.Values[col], sc); m.ok {
			if m.v < 0 {
				return false // the pruning below needs figures ≥ 0
			}
			vals = append(vals, m)
		}
	}
	if len(vals) < 2 || !want.ok {
		return false
	}
	budget := 20000
	// kids: vals[i:] start with lines adding up to want (acc so far, tol
	// the rounding allowed), after which k accepts where they end.
	var kids func(i int, acc, want, tol int64, k func(int) bool) bool
	kids = func(i int, acc, want, tol int64, k func(int) bool) bool {
		if budget--; budget < 0 {
			return false
		}
		if acc != 0 && 2*abs(acc-want) <= tol && k(i) {
			return true
		}
		if i >= len(vals) || 2*(acc-want) > tol {
			return false
		}
		v := vals[i]
		if kids(i+1, acc+v.v, want, tol+v.ulp, k) { // a project
			return true
		}
		return kids(i+1, 0, v.v, v.ulp, func(end int) bool { // a heading over the lines after it
			return end > i+1 && kids(end, acc+v.v, want, tol+v.ulp, k)
		})
	}
	return kids(0, 0, want.v, want.ulp, func(end int) bool { return end == len(vals) })
}
