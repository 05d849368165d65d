package check

import (
	"strings"

	"yusuan"
)

// ruleCrossPerformance compares each project's 年度资金总额 in the
// performance-target tables with the project's line in the project table,
// matched by name. The tables are free-form: a list of projects with a
// 年度资金总额 column (40_yantai), or one table per project whose name is in
// its title or its cells (the seed: 108000 元 against 10.80 万元). A name
// matched only approximately makes at most a warning.
func ruleCrossPerformance(e *emitter, d *doc) {
	pc := d.table(yusuan.ProjectCurrent)
	if pc == nil {
		return
	}
	projects := projectLines(d, pc)
	if len(projects) == 0 {
		return
	}
	col := firstValueCol(pc)
	for i := range d.Tables {
		t := &d.Tables[i]
		if t.Kind != yusuan.PerformanceTargets {
			continue
		}
		sc, known := perfScale(t)
		funds := annualFunds(t)
		for _, c := range funds {
			var p *yusuan.Row
			exact := false
			if len(funds) > 1 && normProject(c.r.Name) != "" {
				// A list: each line names its project.
				p, exact = matchProject(projects, []string{c.r.Name})
			} else if len(funds) == 1 {
				p, exact = matchProject(projects, perfTexts(t))
			}
			if p == nil {
				continue
			}
			a := term{label: "绩效目标表 " + strings.TrimSpace(p.Name) + " 年度资金总额", m: toMoney(c.r.Values[c.col], sc),
				scale: sc, table: t, row: c.r, col: c.col}
			x := cell(pc, p, col, "项目支出表 "+strings.TrimSpace(p.Name))
			if !known {
				// No unit printed: the figure agrees in 元 or in 万元.
				if w := toMoney(c.r.Values[c.col], scale万元); x.m.ok && judge(w.v, x.m.v, w.ulp+x.m.ulp) != mismatch {
					a.m, a.scale = w, scale万元
				} else {
					e.conf, e.why = yusuan.ConfidenceLow, "绩效目标表未印金额单位，按元读"
				}
			}
			if !exact {
				why := "项目名称按相近匹配（“" + strings.TrimSpace(p.Name) + "”）"
				if e.conf == "" {
					e.conf, e.why = yusuan.ConfidenceMedium, why
				} else {
					e.why += "；" + why
				}
			}
			e.compare(a, x, one(x), tablesOf(t, pc))
			e.conf, e.why = "", ""
		}
	}
}

// projectLines are a project table's projects: lines that are neither
// totals nor units.
func projectLines(d *doc, t *yusuan.Table) []*yusuan.Row {
	var out []*yusuan.Row
	for _, r := range dataRows(t) {
		if totalKindOf(r.Name) != notTotal || d.isUnitRow(r.Name) || normProject(r.Name) == "" || blank(r) {
			continue
		}
		out = append(out, r)
	}
	return out
}

// perfTexts are the texts of a one-project performance table where its
// project's name may be printed: title (less 项目绩效目标表), headers, line
// names and cells.
func perfTexts(t *yusuan.Table) []string {
	out := tableTexts(t)
	out[0] = strings.TrimSuffix(strings.TrimSuffix(t.Title, "绩效目标表"), "项目")
	return out
}

// normProject is a project name for matching: no spaces, width folded.
func normProject(s string) string { return fold(stripQuotes(s)) }

// matchProject finds the project a text names: one whose name the text
// contains (exact), else the one sharing the longest run of characters
// with it, at least 60 % of its name and 6 characters, and no other as
// long (市…环保工作运转经费 printed 市…环保工作及运转经费). Ambiguous: nil.
func matchProject(projects []*yusuan.Row, texts []string) (*yusuan.Row, bool) {
	var found *yusuan.Row
	for _, p := range projects {
		n := normProject(p.Name)
		for _, s := range texts {
			if strings.Contains(normProject(s), n) {
				if found != nil && found != p {
					return nil, false
				}
				found = p
			}
		}
	}
	if found != nil {
		return found, true
	}
	best, bestLen, tie := (*yusuan.Row)(nil), 0, false
	for _, p := range projects {
		n := []rune(normProject(p.Name))
		l := 0
		for _, s := range texts {
			l = max(l, commonRun(n, []rune(normProject(s))))
		}
		if l < 6 || 10*l < 6*len(n) {
			continue
		}
		switch {
		case l > bestLen:
			best, bestLen, tie = p, l, false
		case l == bestLen:
			tie = true
		}
	}
	if tie {
		return nil, false
	}
	return best, false
}

// commonRun is the length of the longest run of characters a and b share.
func commonRun(a, b []rune) int {
	if len(a) == 0 || len(b) == 0 {
		return 0
	}
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	best := 0
	for i := range a {
		for j := range b {
			if a[i] == b[j] {
				cur[j+1] = prev[j] + 1
				best = max(best, cur[j+1])
			} else {
				cur[j+1] = 0
			}
		}
		prev, cur = cur, prev
	}
	return best
}
