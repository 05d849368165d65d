package table

import (
	"math"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"yusuan/vocab"
)

// centredRows reads tall rows whose cells are centred vertically: each row
// prints its amounts (or code) on one line, and each text column wraps its
// cell into as many lines as it needs, centred on that line (Guangzhou's
// project tables: a name over two or three lines, 绩效目标 over seven, the
// amounts half-way down). Text columns run into each other between rows, so
// lines cannot be grouped whole: each column's pieces go to the row whose
// amounts they are centred on.
//
// Between two anchor lines (amounts or codes) a column prints the lower
// half of the upper row's cell and the upper half of the lower row's: with
// as many lines above an anchor as below it, the counts follow from the
// lines above the first anchor down the page, and must come out even at
// the last one. ok is false, and the caller reads the lines whole, when
// no column centres its cells or any column's counts do not come out.
func centredRows(body []tline, cols []*column) (lines []tline, groups [][]int, ok bool) {
	var anchors []int
	isText := make([]bool, len(cols))
	for k, c := range cols {
		isText[k] = c.role == vocab.RoleName || c.role == vocab.RoleName2 || c.role == vocab.RoleNone && c.textual
	}
	// Cells of each line by column; a cell outside the text columns makes
	// its line an anchor.
	byCol := make([][][]cell, len(body))
	anchorOf := make([]int, len(body)) // the row a line anchors, -1 for none
	for i, l := range body {
		byCol[i] = make([][]cell, len(cols))
		anchor := false
		for _, c := range l.cells {
			k := assign(c, cols)
			if k < 0 {
				return nil, nil, false
			}
			byCol[i][k] = append(byCol[i][k], c)
			if !isText[k] && cols[k].role != vocab.RoleLineNo {
				anchor = true
			}
		}
		anchorOf[i] = -1
		if anchor || isAnchor(l, cols) && !isText[assign(l.cells[0], cols)] {
			anchorOf[i] = len(anchors)
			anchors = append(anchors, i)
		}
		if i > 0 && l.page != body[0].page {
			return nil, nil, false
		}
	}
	if len(anchors) < 2 || len(anchors) == len(body) {
		return nil, nil, false // no line to place
	}
	rowOf := make([][]int, len(body)) // rowOf[i][k]: the row of line i's cells in column k
	for i := range body {
		rowOf[i] = make([]int, len(cols))
		for k := range cols {
			rowOf[i][k] = -1
		}
	}
	centred := false
	for k := range cols {
		if !isText[k] {
			continue
		}
		// The lines printing column k, split by the anchors.
		var between [][]int // between[j]: lines above anchor j (j = len(anchors): below the last)
		a := 0
		between = append(between, nil)
		for i := range body {
			for a < len(anchors) && anchors[a] < i {
				a++
				between = append(between, nil)
			}
			if a < len(anchors) && anchors[a] == i {
				if len(byCol[i][k]) > 0 {
					rowOf[i][k] = a
				}
				continue
			}
			if len(byCol[i][k]) > 0 {
				between[a] = append(between[a], i)
			}
		}
		for len(between) <= len(anchors) {
			between = append(between, nil)
		}
		// Walk down: the first row takes every line above it, as many
		// below; each next row the rest of the lines above it.
		below := 0
		for j := range anchors {
			above := len(between[j]) - below
			if above < 0 {
				return nil, nil, false
			}
			for n, i := range between[j] {
				if n < below {
					rowOf[i][k] = j - 1
				} else {
					rowOf[i][k] = j
				}
			}
			below = above
		}
		if len(between[len(anchors)]) != below {
			return nil, nil, false
		}
		for _, i := range between[len(anchors)] {
			rowOf[i][k] = len(anchors) - 1
		}
	}
	// The counts may come out by chance (names wrapped below their
	// amounts, a line each): each cell printed over several lines must be
	// centred on its row's anchor line, and filled to its column's edge
	// on every line but its last.
	top, bottom := make([]float64, len(anchors)), make([]float64, len(anchors))
	count, last := make([]int, len(anchors)), make([]int, len(anchors))
	for k := range cols {
		if !isText[k] {
			continue
		}
		edge := math.Inf(-1)
		for j := range anchors {
			top[j], bottom[j], count[j], last[j] = math.Inf(-1), math.Inf(1), 0, -1
		}
		for i := range body {
			for _, c := range byCol[i][k] {
				edge = math.Max(edge, c.x1)
			}
			if j := rowOf[i][k]; j >= 0 {
				top[j], bottom[j], count[j], last[j] = math.Max(top[j], body[i].y1), math.Min(bottom[j], body[i].y0), count[j]+1, i
			}
		}
		for j, a := range anchors {
			if al := body[a]; count[j] >= 2 && math.Abs((top[j]+bottom[j])/2-(al.y0+al.y1)/2) > 0.4*al.size {
				return nil, nil, false
			}
			centred = centred || count[j] >= 2
		}
		for i := range body {
			j := rowOf[i][k]
			if j < 0 || count[j] < 2 || i == last[j] {
				continue
			}
			// A line may end short where the text after it could not be
			// broken (（100%）, ≥95%): after punctuation, or before a line
			// of the same cell starting with a figure or a sign.
			if cs := byCol[i][k]; cs[len(cs)-1].x1 < edge-3*cs[0].size && !endsClause(cs[len(cs)-1].text) && !unbreakableNext(byCol, rowOf, i, k) {
				return nil, nil, false // a short line: the end of a cell, not its start
			}
		}
	}
	if !centred {
		return nil, nil, false
	}
	// Anchor lines keep their non-text cells; pieces of one line going to
	// one row stay one line.
	groups = make([][]int, len(anchors))
	for i, l := range body {
		pieces := map[int][]cell{}
		var order []int
		for k, cs := range byCol[i] {
			if len(cs) == 0 {
				continue
			}
			r := rowOf[i][k]
			if r < 0 {
				if r = anchorOf[i]; r < 0 {
					return nil, nil, false // a line number beside no amount
				}
			}
			if _, seen := pieces[r]; !seen {
				order = append(order, r)
			}
			pieces[r] = append(pieces[r], cs...)
		}
		for _, r := range order {
			pl := l
			pl.cells = pieces[r]
			slices.SortFunc(pl.cells, func(a, b cell) int {
				switch {
				case a.x0 < b.x0:
					return -1
				case a.x0 > b.x0:
					return 1
				}
				return 0
			})
			pl.x0, pl.x1 = pl.cells[0].x0, pl.cells[len(pl.cells)-1].x1
			pl.sq = ""
			pl.sq = pl.squeezed()
			groups[r] = append(groups[r], len(lines))
			lines = append(lines, pl)
		}
	}
	return lines, groups, true
}

// endsClause reports whether text ends with punctuation after which a
// cell's text may wrap early.
func endsClause(text string) bool {
	r, _ := utf8.DecodeLastRuneInString(strings.TrimSpace(text))
	return strings.ContainsRune("：；，。、:;,", r)
}

// unbreakableNext reports whether the next line of the cell that line i
// prints in column k starts with what text cannot wrap before: a figure,
// a Latin letter or a sign (≥95%, （100%）).
func unbreakableNext(byCol [][][]cell, rowOf [][]int, i, k int) bool {
	for n := i + 1; n < len(byCol); n++ {
		if rowOf[n][k] != rowOf[i][k] || len(byCol[n][k]) == 0 {
			continue
		}
		t := squeeze(byCol[n][k][0].text)
		if codeNameRe.MatchString(t) || ordinalStartRe.MatchString(t) {
			return false // a new item, not the rest of one
		}
		r, _ := utf8.DecodeRuneInString(t)
		return !unicode.Is(unicode.Han, r)
	}
	return false
}
