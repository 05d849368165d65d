package table

import (
	"fmt"
	"math"
	"sort"
	"strings"
	"unicode/utf8"

	"yusuan"
	"yusuan/internal/disjoint"
	"yusuan/vocab"
)

// rowReading is what cutting a page's lines into rows needs besides the
// lines and columns.
type rowReading struct {
	s  *Settings
	hr []hrule // the page's horizontal rules (none with StrategyText)
	// text holds the text cells of the whole region (all its pages), to
	// tell a cell filled to its column's edge (its text wraps) from a
	// short one.
	text []cell
	// rowGap is the gap that separates rows (rowGapOf), 0 when lines are
	// as close within a row as between rows.
	rowGap float64
}

// rowGroups cuts body lines into printed rows: a line with an amount, a code
// or an item ordinal starts a row; a text-only line close to another line
// (no ruling line between) is a wrapped continuation of its cell. The
// groups index the lines returned: body itself, or body's lines cut into
// pieces by row where tall rows centre their cells (centredRows).
func rowGroups(body []tline, cols []*column, rd rowReading) (lines []tline, groups [][]int, guessed []bool) {
	for i := range body {
		body[i].src = i
	}
	bands := ruledBands(body, cols, rd.hr, rd.s)
	if bands == nil {
		if lines, groups, ok := centredRows(body, cols); ok {
			return lines, groups, make([]bool, len(groups))
		}
		groups, guessed := streamGroups(body, cols, rd)
		return body, groups, guessed
	}
	// Lattice: the lines between two ruling lines are one row, unless a
	// band holds several rows (rules only around groups of rows).
	for _, b := range bands {
		sub := make([]tline, len(b))
		for k, i := range b {
			sub[k] = body[i]
		}
		// One row between the rules, or one line of amounts with its name
		// wrapped round it (amounts centred in a tall row).
		if rd.s.RowStrategy == StrategyLines || countAnchors(sub, cols) <= 1 || countValueLines(sub, cols) == 1 {
			groups = append(groups, b)
			guessed = append(guessed, false)
			continue
		}
		sg, sguess := streamGroups(sub, cols, rd)
		for gi, g := range sg {
			for k := range g {
				g[k] = b[g[k]]
			}
			groups = append(groups, g)
			guessed = append(guessed, sguess[gi])
		}
	}
	return body, groups, guessed
}

// ruledBands groups body lines by the horizontal ruling lines between them,
// when rules cross the table between its rows; nil when there are none.
func ruledBands(body []tline, cols []*column, hr []hrule, s *Settings) [][]int {
	if len(body) < 2 || len(hr) < s.MinRules || len(cols) == 0 {
		return nil
	}
	x0, x1 := cols[0].x0, cols[len(cols)-1].x1
	ylo, yhi := math.Inf(1), math.Inf(-1)
	for _, l := range body {
		ylo, yhi = math.Min(ylo, l.y0), math.Max(yhi, l.y1)
	}
	var ys []float64
	for _, r := range hr {
		if r.x1-r.x0 < s.RuleCover*(x1-x0) || overlap(r.x0, r.x1, x0, x1) < s.RuleCover*(x1-x0) || r.y < ylo-2 || r.y > yhi+2 {
			continue
		}
		ys = append(ys, r.y)
	}
	if len(ys) < s.MinRules {
		return nil
	}
	sort.Float64s(ys)
	band := func(y float64) int { return sort.SearchFloat64s(ys, y) }
	var out [][]int
	idx := map[int]int{}
	for i, l := range body {
		if l.page != body[0].page {
			return nil
		}
		b := band((l.y0 + l.y1) / 2)
		g, ok := idx[b]
		if !ok {
			g = len(out)
			idx[b] = g
			out = append(out, nil)
		}
		out[g] = append(out[g], i)
	}
	if len(out) < 2 {
		return nil
	}
	return out
}

// countValueLines counts the lines that print an amount.
func countValueLines(lines []tline, cols []*column) int {
	n := 0
	for _, l := range lines {
		for _, c := range l.cells {
			if k := assign(c, cols); k >= 0 && cols[k].role == vocab.RoleNone && !cols[k].textual && c.num {
				n++
				break
			}
		}
	}
	return n
}

// countAnchors counts the lines that start a row of their own: amounts,
// codes, ordinals or totals.
func countAnchors(lines []tline, cols []*column) int {
	n := 0
	for _, l := range lines {
		if isAnchor(l, cols) {
			n++
		}
	}
	return n
}

func isAnchor(l tline, cols []*column) bool {
	for _, c := range l.cells {
		k := assign(c, cols)
		if k < 0 {
			continue
		}
		switch cols[k].role {
		case vocab.RoleNone:
			if strings.TrimSpace(c.text) != "" && !cols[k].textual {
				return true
			}
		default:
			if isCodeRole(cols[k].role) {
				return true
			}
		}
	}
	t := squeeze(l.cells[0].text)
	return ordinalStartRe.MatchString(t) || totalStartRe.MatchString(t) || codeNameRe.MatchString(t)
}

// streamGroups cuts body lines into rows without ruling lines. guessed
// tells the groups holding a line that was as close to the row above as to
// the row below.
func streamGroups(body []tline, cols []*column, rd rowReading) (groups [][]int, guessed []bool) {
	s, hr, rowGap := rd.s, rd.hr, rd.rowGap
	n := len(body)
	guess := make([]bool, n)
	anchor := make([]bool, n)
	valuesOnly := make([]bool, n) // amounts and no item text
	namesOnly := make([]bool, n)  // item text and no amounts
	for i, l := range body {
		hasValue, hasName := false, false
		for _, c := range l.cells {
			k := assign(c, cols)
			if k < 0 {
				continue
			}
			role := cols[k].role
			switch {
			case role == vocab.RoleNone && cols[k].textual:
				hasName = true
			case role == vocab.RoleNone && strings.TrimSpace(c.text) != "":
				anchor[i] = true
				hasValue = true
			case role == vocab.RoleName || isCodeRole(role):
				hasName = true
			}
			if isCodeRole(role) {
				anchor[i] = true
			}
		}
		valuesOnly[i] = hasValue && !hasName
		namesOnly[i] = hasName && !hasValue
		t := squeeze(l.cells[0].text)
		if ordinalStartRe.MatchString(t) || totalStartRe.MatchString(t) || codeNameRe.MatchString(t) {
			anchor[i] = true
		}
	}
	textEdge := textEdges(cols, rd.text, body)
	sets := disjoint.New(n)
	gap := func(upper, lower tline) float64 { return upper.y0 - lower.y1 }
	// A line of amounts alone beside a wrapped name (amounts centred in
	// their row) belongs to the name's first line; a line of some amounts
	// printed a little above or below the rest of its row belongs to it
	// when they share no column.
	for i, l := range body {
		if !valuesOnly[i] {
			continue
		}
		tol := math.Max(s.RowTolerance*math.Max(l.size, 1), rowGap)
		x := l.cells[0].xc()
		best, bestGap := -1, math.Inf(1)
		for _, j := range []int{i - 1, i + 1} {
			if j < 0 || j >= n || body[j].page != l.page || valuesOnly[j] || !hasPrimary(body[j], cols) {
				continue
			}
			upper, lower := body[j], l
			if j > i {
				upper, lower = l, body[j]
			}
			g := gap(upper, lower)
			if g >= tol || ruleBetween(hr, upper, lower, x) || sharesValueColumn(l, body[j], cols) {
				continue
			}
			// Prefer the name's first line (above) on a tie.
			if best >= 0 && math.Abs(g-bestGap) < s.TieMargin*l.size {
				guess[i] = true
			}
			if g < bestGap-s.TieMargin*l.size || best < 0 {
				best, bestGap = j, g
			}
		}
		if best >= 0 {
			sets.Join(i, best)
			anchor[i], anchor[best] = false, true
		}
	}
	for i, l := range body {
		if anchor[i] || !namesOnly[i] && valuesOnly[i] {
			continue
		}
		if sets.Find(i) != i {
			continue
		}
		tol := math.Max(s.RowTolerance*math.Max(l.size, 1), rowGap)
		best, bestGap := -1, math.Inf(1)
		x := l.cells[0].xc()
		if i > 0 && body[i-1].page == l.page {
			if g := gap(body[i-1], l); g < tol && !ruleBetween(hr, body[i-1], l, x) {
				best, bestGap = i-1, g
			}
		}
		// Wrapped text continues downwards: the line above wins a tie.
		if i+1 < n && body[i+1].page == l.page {
			if g := gap(l, body[i+1]); g < tol && !ruleBetween(hr, l, body[i+1], x) {
				if best >= 0 && math.Abs(g-bestGap) < s.TieMargin*l.size {
					guess[i] = true
				}
				if best < 0 || g < bestGap-s.TieMargin*l.size {
					best = i + 1
				}
			}
		}
		// Rows as tall as their lines (no extra leading): the gap does not
		// tell. Text continues a cell above that it fills to its column's
		// edge (the name wrapped there), else the cell below when it fills
		// its own.
		if best < 0 && namesOnly[i] {
			switch {
			case i > 0 && body[i-1].page == l.page && gap(body[i-1], l) < s.WrapGap*l.size && !ruleBetween(hr, body[i-1], l, x) && wrapsInto(body[i-1], l, cols, textEdge):
				best = i - 1
			case i+1 < n && body[i+1].page == l.page && gap(l, body[i+1]) < s.WrapGap*l.size && !ruleBetween(hr, l, body[i+1], x) && wrapsInto(l, body[i+1], cols, textEdge):
				best = i + 1
			}
		}
		if best >= 0 {
			sets.Join(i, best)
		}
	}
	idx := map[int]int{}
	for i := range body {
		r := sets.Find(i)
		g, ok := idx[r]
		if !ok {
			g = len(groups)
			idx[r] = g
			groups = append(groups, nil)
		}
		groups[g] = append(groups[g], i)
	}
	// A group may hold several anchors only through continuation lines
	// linking them; split it so that each anchor keeps its own row.
	var out [][]int
	for _, g := range groups {
		na := 0
		for _, i := range g {
			if anchor[i] {
				na++
			}
		}
		if na <= 1 {
			out = append(out, g)
			guessed = append(guessed, anyGuess(g, guess))
			continue
		}
		var cur []int
		for _, i := range g {
			if anchor[i] && hasAnchor(cur, anchor) {
				out = append(out, cur)
				guessed = append(guessed, anyGuess(cur, guess))
				cur = nil
			}
			cur = append(cur, i)
		}
		out = append(out, cur)
		guessed = append(guessed, anyGuess(cur, guess))
	}
	return out, guessed
}

func anyGuess(g []int, guess []bool) bool {
	for _, i := range g {
		if guess[i] {
			return true
		}
	}
	return false
}

func hasAnchor(g []int, anchor []bool) bool {
	for _, i := range g {
		if anchor[i] {
			return true
		}
	}
	return false
}

func joinText(a, b string) string {
	if a == "" {
		return b
	}
	if b == "" {
		return a
	}
	ra, _ := utf8.DecodeLastRuneInString(a)
	rb, _ := utf8.DecodeRuneInString(b)
	if ra < 0x80 && rb < 0x80 && ra != '-' && rb != '-' {
		return a + " " + b
	}
	return a + b
}

// sideRow accumulates one side of a printed row.
type sideRow struct {
	row   yusuan.Row
	code  string
	parts []codePart
	texts map[int]string
	box   [4]float64
	has   bool
}

// buildRows turns grouped lines into rows; guessed[i] tells that the
// returned row i was grouped by a guess (guess per group, nil for none).
func buildRows(body []tline, groups [][]int, guess []bool, cols []*column, kind yusuan.TableKind, cs *codeStack) (out []yusuan.Row, guessed []bool) {
	for gi, g := range groups {
		sides := map[yusuan.Side]*sideRow{}
		order := []yusuan.Side{}
		cellsBy := map[int][]cell{}
		for _, i := range g {
			for _, c := range body[i].cells {
				k := assign(c, cols)
				if k >= 0 {
					cellsBy[k] = append(cellsBy[k], c)
				}
			}
		}
		page := body[g[0]].page
		tail := ""
		for k, col := range cols {
			cs := cellsBy[k]
			if len(cs) == 0 {
				continue
			}
			sr := sides[col.side]
			if sr == nil {
				sr = &sideRow{texts: map[int]string{}, box: [4]float64{math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)}}
				sr.row.Side = col.side
				sr.row.Page = page
				sides[col.side] = sr
				order = append(order, col.side)
			}
			text := ""
			bx := [4]float64{math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)}
			for _, c := range cs {
				text = joinText(text, strings.TrimSpace(c.text))
				bx = [4]float64{math.Min(bx[0], c.x0), math.Min(bx[1], c.y0), math.Max(bx[2], c.x1), math.Max(bx[3], c.y1)}
			}
			sr.box = [4]float64{math.Min(sr.box[0], bx[0]), math.Min(sr.box[1], bx[1]), math.Max(sr.box[2], bx[2]), math.Max(sr.box[3], bx[3])}
			switch col.role {
			case vocab.RoleNone:
				a, err := yusuan.ParseAmount(text)
				if col.textual {
					a, err = yusuan.Null, fmt.Errorf("text") // printed text, no amount
				}
				if sr.row.Values == nil {
					sr.row.Values = map[string]yusuan.Amount{}
					sr.row.Boxes = map[string]yusuan.Rect{}
				}
				if err != nil {
					// A total's label centred over merged cells can fall
					// in an amount column: it names the row.
					if !col.textual && totalStartRe.MatchString(squeeze(text)) {
						sr.row.Name = joinText(sr.row.Name, text)
						break
					}
					if sr.row.Raw == nil {
						sr.row.Raw = map[string]string{}
					}
					sr.row.Raw[col.key] = text
				} else {
					sr.row.Values[col.key] = a
					if a.String() != text && !a.IsNull() {
						if sr.row.Raw == nil {
							sr.row.Raw = map[string]string{}
						}
						sr.row.Raw[col.key] = text
					}
				}
				sr.row.Boxes[col.key] = yusuan.Rect(bx)
				sr.has = true
			case vocab.RoleCode, vocab.RoleCodePart:
				sr.code += squeeze(text)
				sr.parts = append(sr.parts, codePart{bx[0], squeeze(text)})
			case vocab.RoleEconCode:
				sr.row.EconCode += squeeze(text)
			case vocab.RoleGovEconCode:
				sr.row.GovEconCode += squeeze(text)
			case vocab.RoleUnitCode:
				sr.row.UnitCode += squeeze(text)
			case vocab.RoleName2:
				sr.row.Name2 = joinText(sr.row.Name2, text)
			case vocab.RoleLineNo:
			default:
				if col.nameTail {
					tail = joinText(tail, text)
					break
				}
				sr.row.Name = joinText(sr.row.Name, text)
			}
		}
		if sr := sides[""]; sr != nil && tail != "" {
			sr.row.Name = joinText(sr.row.Name, tail)
		}
		for _, s := range order {
			sr := sides[s]
			r := finishRow(sr, cols, kind, cs)
			if r.Name == "" && r.Code == nil && !sr.has && r.EconCode == "" && r.UnitCode == "" {
				continue
			}
			if r.Name == "" && r.Code == nil && r.EconCode == "" && r.UnitCode == "" && allNull(r) && len(r.Raw) == 0 {
				continue
			}
			out = append(out, r)
			guessed = append(guessed, gi < len(guess) && guess[gi])
		}
	}
	return out, guessed
}

func allNull(r yusuan.Row) bool {
	for _, v := range r.Values {
		if !v.IsNull() {
			return false
		}
	}
	return true
}

func finishRow(sr *sideRow, cols []*column, kind yusuan.TableKind, cs *codeStack) yusuan.Row {
	r := sr.row
	code := sr.code
	// Functional codes have 3, 5 or 7 digits; six are a budget unit's
	// (204001) printed in the code column.
	if len(code) == 6 && codeLike(code) {
		r.UnitCode, code = code, ""
	}
	if codeLike(code) && cs != nil {
		code = cs.resolve(sr.parts)
	}
	r.Name = collapseSpaces(r.Name)
	// 合计 printed both across the code column and in the name column.
	if h := len(r.Name) / 2; h > 0 && len(r.Name)%2 == 0 && r.Name[:h] == r.Name[h:] && totalStartRe.MatchString(r.Name) {
		r.Name = r.Name[:h]
	}
	r.Name2 = collapseSpaces(r.Name2)
	// 合计 centred across both name columns falls in the second one.
	if r.Name == "" && totalStartRe.MatchString(r.Name2) {
		r.Name, r.Name2 = r.Name2, ""
	}
	// Code and name printed in one cell: 2050803-培训支出.
	if m := codeNameRe.FindStringSubmatch(r.Name); m != nil && (code == "" || code == m[1]) {
		code, r.Name = m[1], strings.TrimSpace(m[2])
	} else if code != "" && !codeLike(code) {
		if m := codeNameRe.FindStringSubmatch(code); m != nil {
			code = m[1]
			r.Name = joinText(strings.TrimSpace(m[2]), r.Name)
		} else {
			// 合计 printed in the code column (sometimes in the name
			// column too).
			if r.Name != code {
				r.Name = joinText(code, r.Name)
			}
			code = ""
		}
	}
	// 合计 printed in an economic code column (and perhaps the name
	// column too) is the row's name, not a code.
	for _, ec := range []*string{&r.EconCode, &r.GovEconCode} {
		if *ec == "" || codeLike(*ec) {
			continue
		}
		if m := codeNameRe.FindStringSubmatch(*ec); m != nil {
			*ec = m[1]
			if r.Name == "" {
				r.Name = strings.TrimSpace(m[2])
			}
			continue
		}
		if r.Name != *ec {
			r.Name = joinText(*ec, r.Name)
		}
		*ec = ""
	}
	if cs != nil {
		switch e := r.EconCode; {
		case len(e) == 3 || len(e) == 5:
			cs.econ = e[:3]
		case len(e) == 2 && codeLike(e) && cs.econ != "":
			r.EconCode = cs.econ + e
		}
	}
	// A second name printed with its code: 50501-工资福利支出.
	if m := codeNameRe.FindStringSubmatch(r.Name2); m != nil {
		switch m[1][0] {
		case '5':
			r.GovEconCode, r.Name2 = m[1], strings.TrimSpace(m[2])
		case '3':
			r.EconCode, r.Name2 = m[1], strings.TrimSpace(m[2])
		}
	}
	if code != "" {
		switch {
		case vocab.IsEconomic(kind) && strings.HasPrefix(code, "3"):
			r.EconCode = code
		case vocab.IsEconomic(kind) && strings.HasPrefix(code, "5"):
			r.GovEconCode = code
		default:
			c := code
			r.Code = &c
			switch len(code) {
			case 3:
				r.Level = 1
			case 5:
				r.Level = 2
			case 7:
				r.Level = 3
			}
		}
	}
	if r.Values == nil {
		r.Values = map[string]yusuan.Amount{}
	}
	for _, c := range cols {
		if c.role == vocab.RoleNone && c.side == r.Side {
			if _, ok := r.Values[c.key]; !ok {
				r.Values[c.key] = yusuan.Null
			}
		}
	}
	if len(r.Boxes) == 0 {
		r.Boxes = nil
	}
	b := yusuan.Rect(sr.box)
	r.BBox = &b
	return r
}

// codePart is one printed piece of a functional code (类, 款 or 项).
type codePart struct {
	x      float64
	digits string
}

// codeStack restores codes printed without their parents: a 款 row printing
// only 05 under 201, or 类/款/项 columns left blank when unchanged. The
// parent is the nearest code printed further left (less indented).
type codeStack struct {
	e []codePart // x and full code, outermost first
	// econ is the last economic 类 (302): a row printing only its 款
	// digits (40 税金及附加费用) belongs to it.
	econ string
}

func (s *codeStack) resolve(parts []codePart) string {
	if len(parts) == 0 {
		return ""
	}
	prefix := ""
	if len(parts[0].digits) >= 3 {
		s.e = s.e[:0]
	} else {
		for len(s.e) > 0 && s.e[len(s.e)-1].x >= parts[0].x-1 {
			s.e = s.e[:len(s.e)-1]
		}
		if len(s.e) > 0 {
			prefix = s.e[len(s.e)-1].digits
		}
	}
	code := prefix
	for _, p := range parts {
		code += p.digits
		s.e = append(s.e, codePart{p.x, code})
	}
	return code
}

// collapseSpaces removes spaces between CJK characters (本 年 收 入 合 计,
// spread labels); spaces in Latin text stay.
func collapseSpaces(s string) string {
	if !strings.Contains(s, " ") {
		return s
	}
	rs := []rune(s)
	var b strings.Builder
	for i, r := range rs {
		if r == ' ' {
			j := i + 1
			for j < len(rs) && rs[j] == ' ' {
				j++
			}
			k := i - 1
			for k >= 0 && rs[k] == ' ' {
				k--
			}
			if k >= 0 && j < len(rs) && (isWide(rs[k]) || isWide(rs[j])) {
				continue
			}
		}
		b.WriteRune(r)
	}
	return b.String()
}

// hasPrimary reports whether a line prints an item name or code.
func hasPrimary(l tline, cols []*column) bool {
	for _, c := range l.cells {
		if k := assign(c, cols); k >= 0 {
			switch cols[k].role {
			case vocab.RoleName:
				return true
			default:
				if isCodeRole(cols[k].role) {
					return true
				}
			}
		}
	}
	return false
}

// sharesValueColumn reports whether two lines print amounts in the same
// column (then they are two rows, not one).
func sharesValueColumn(a, b tline, cols []*column) bool {
	seen := map[int]bool{}
	for _, c := range a.cells {
		if k := assign(c, cols); k >= 0 && cols[k].role == vocab.RoleNone {
			seen[k] = true
		}
	}
	for _, c := range b.cells {
		if k := assign(c, cols); k >= 0 && cols[k].role == vocab.RoleNone && seen[k] {
			return true
		}
	}
	return false
}

// textEdges is, per column, how far its text may reach before it wraps.
// A heading centred over the column gives the cell's width: text starting
// at x0 may reach 2·centre − x0. Without a heading, the right edge of the
// column's text over the whole region: a cell reaching it is full. A
// column with few text cells and no heading has no edge (+Inf).
func textEdges(cols []*column, text []cell, body []tline) []float64 {
	edge := make([]float64, len(cols))
	for k, col := range cols {
		hx0, hx1 := col.hx0, col.hx1
		if hx1 == 0 && k+1 < len(cols) && cols[k+1].created && cols[k+1].nAmt+cols[k+1].nCode+cols[k+1].nInt+cols[k+1].nText == 0 {
			hx0, hx1 = cols[k+1].hx0, cols[k+1].hx1 // its heading, centred beyond its text
		}
		x0 := math.Inf(1)
		for _, l := range body {
			for _, c := range l.cells {
				if !c.num && assign(c, cols) == k {
					x0 = math.Min(x0, c.x0)
				}
			}
		}
		if hx1 > 0 && !math.IsInf(x0, 1) && (hx0+hx1)/2 > x0 {
			edge[k] = hx0 + hx1 - x0
			continue
		}
		n := 0
		for _, c := range text {
			if c.x0 >= col.x0-1 && c.x0 <= col.x1 {
				edge[k] = math.Max(edge[k], c.x1)
				n++
			}
		}
		if n < 4 {
			edge[k] = math.Inf(1)
		}
	}
	return edge
}

// wrapsInto reports whether the text of line lower continues a cell of line
// upper: each of lower's cells sits in a column where upper prints text
// that fills the column to its text edge.
func wrapsInto(upper, lower tline, cols []*column, textEdge []float64) bool {
	if t := squeeze(lower.cells[0].text); ordinalStartRe.MatchString(t) || totalStartRe.MatchString(t) || strings.HasPrefix(t, "其中") {
		return false // a new item, not the rest of a name
	}
	ok := false
	for _, c := range lower.cells {
		k := assign(c, cols)
		if k < 0 || c.num && !cols[k].textual {
			return false
		}
		// The next character did not fit: the cell is full.
		next, _ := utf8.DecodeRuneInString(strings.TrimSpace(c.text))
		adv := 0.55 * c.size
		if isWide(next) {
			adv = c.size
		}
		full := false
		for _, u := range upper.cells {
			if assign(u, cols) == k && (!u.num || cols[k].textual) && u.x1+1.2*adv > textEdge[k] {
				full = true
			}
		}
		if !full {
			return false
		}
		ok = true
	}
	return ok
}

// rowGapOf tells the gap between lines of one row from the gap between
// rows when they differ clearly (tall rows, their text wrapped and their
// amounts centred, with wide spacing between rows): half-way between the
// two. Otherwise 0 (lines are as close within a row as between rows).
func rowGapOf(body []tline, s *Settings) float64 {
	var gaps []float64
	for i := 1; i < len(body); i++ {
		if body[i].page == body[i-1].page {
			if g := body[i-1].y0 - body[i].y1; g >= 0 {
				gaps = append(gaps, g)
			}
		}
	}
	if len(gaps) < 4 {
		return 0
	}
	sort.Float64s(gaps)
	small, large := gaps[len(gaps)/4], gaps[3*len(gaps)/4]
	if small <= 0 || large < s.RowGapRatio*small || small > 1.5*body[0].size {
		return 0
	}
	return (small + large) / 2
}
