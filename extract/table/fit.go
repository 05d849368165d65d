package table

import (
	"yusuan"
	"yusuan/vocab"
)

// misfit reports whether a line's cells do not sit in the given columns:
// two cells in one column, an amount in a text column, text in an amount
// column, or a cell in a column no header names (the page printed this
// stretch of the table with other column widths).
func misfit(l tline, cols []*column, kind yusuan.TableKind, withHeader bool) bool {
	seen := map[int]bool{}
	freeForm := vocab.IsFreeForm(kind)
	for _, c := range l.cells {
		k := assign(c, cols)
		if k < 0 {
			return true
		}
		col := cols[k]
		// Two pieces of one text cell (cut at a figure inside it) fit.
		textCol := col.role == vocab.RoleName || col.role == vocab.RoleName2 || col.textual
		if seen[k] && !freeForm && !(textCol && !c.num) {
			return true
		}
		seen[k] = true
		num := c.num
		if col.role != vocab.RoleNone && amountish(c.text) && col.role != vocab.RoleCode {
			return true
		}
		if col.role == vocab.RoleNone && !num && !freeForm && !totalStartRe.MatchString(squeeze(c.text)) {
			return true // (a total's label centred over merged cells fits)
		}
		if col.role == vocab.RoleNone && withHeader && len(col.header) == 0 && !freeForm {
			return true
		}
		if overlap(c.x0, c.x1, col.x0, col.x1) <= 0 {
			return true
		}
	}
	return false
}

// block is a run of body lines laid out with one set of columns.
type block struct {
	lines []tline
	cols  []*column
	// guessed: the block's own columns were matched to the table's by
	// order, not by place.
	guessed bool
}

// blocks cuts the body into runs that fit the columns and runs that do not;
// a run that does not fit gets its own columns, matched to the table's
// columns in order (amount to amount, text to text).
func blocks(body []tline, cols []*column, kind yusuan.TableKind, withHeader bool, s *Settings) []block {
	var out []block
	var cur []tline
	curFit := true
	flush := func() {
		if len(cur) == 0 {
			return
		}
		bc, guessed := cols, false
		if !curFit {
			bc, guessed = refit(cur, cols, kind, s)
		}
		out = append(out, block{lines: cur, cols: bc, guessed: guessed})
		cur = nil
	}
	for _, l := range body {
		hasNum := false
		for _, c := range l.cells {
			if c.num {
				hasNum = true
			}
		}
		fit := curFit
		if hasNum || len(cur) == 0 {
			fit = !misfit(l, cols, kind, withHeader)
		}
		if fit != curFit && len(cur) > 0 {
			flush()
		}
		curFit = fit
		cur = append(cur, l)
	}
	flush()
	return out
}

// refit finds a block's own columns and takes roles and keys from the
// table's columns: by place, else in order (byOrder tells that an amount
// column was matched so). Columns left without a match keep their own.
func refit(lines []tline, cols []*column, kind yusuan.TableKind, s *Settings) (nc []*column, byOrder bool) {
	nc = discoverColumns(nil, lines, nil, s)
	classify(nc, lines, kind)
	// Amounts match amounts, codes codes and names names: a code column
	// the table's columns lack keeps its own role.
	sort := func(c *column) int {
		switch {
		case c.role == vocab.RoleNone:
			return 0
		case isCodeRole(c.role):
			return 1
		}
		return 2
	}
	used := make([]bool, len(cols))
	next := 0
	for _, b := range nc {
		match := -1
		for i, c := range cols {
			// Line numbers and codes are told by place: a 序号 of one
			// digit is no amount.
			placed := sort(c) == sort(b) || c.role == vocab.RoleLineNo || isCodeRole(c.role)
			if !used[i] && placed && overlap(b.x0, b.x1, c.x0, c.x1) > 0.5*(b.x1-b.x0) {
				match = i
				break
			}
		}
		if match < 0 {
			for i := next; i < len(cols); i++ {
				if !used[i] && sort(cols[i]) == sort(b) {
					match = i
					byOrder = byOrder || b.role == vocab.RoleNone
					break
				}
			}
		}
		if match < 0 {
			continue
		}
		used[match] = true
		next = match + 1
		m := cols[match]
		b.role, b.key, b.side, b.header = m.role, m.key, m.side, m.header
	}
	return nc, byOrder
}
