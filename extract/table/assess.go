package table

import (
	"fmt"
	"slices"
	"strings"

	"github.com/shopspring/decimal"

	"yusuan"
	"yusuan/vocab"
)

// shiftDoubts gives doubts about rows of a table merged after off rows.
func shiftDoubts(ds []yusuan.Doubt, off int) []yusuan.Doubt {
	out := make([]yusuan.Doubt, len(ds))
	for i, d := range ds {
		out[i] = d
		out[i].Rows = make([]int, len(d.Rows))
		for k, r := range d.Rows {
			out[i].Rows[k] = r + off
		}
	}
	return out
}

// assess finishes a table's doubts once it is whole: doubts of its pages
// about the same thing become one, and a table whose own totals do not add
// up as read (收入总计 ≠ 支出总计; 合计 ≠ Σ类, beyond rounding) is doubted as
// unbalanced: it may be cut, merged or misaligned.
func assess(t *yusuan.Table) {
	var out []yusuan.Doubt
	for _, d := range t.Doubts {
		i := slices.IndexFunc(out, func(o yusuan.Doubt) bool {
			return o.Reason == d.Reason && o.Column == d.Column && (len(o.Rows) > 0) == (len(d.Rows) > 0)
		})
		if i < 0 {
			out = append(out, d)
			continue
		}
		out[i].Rows = append(out[i].Rows, d.Rows...)
	}
	if vocab.IsTwoSided(t.Kind) {
		out = append(out, sidesBalance(t)...)
	} else {
		out = append(out, categoriesBalance(t, len(out) == 0)...)
	}
	t.Doubts = out
}

// sidesBalance compares 收入总计 with 支出总计 in a two-sided table.
func sidesBalance(t *yusuan.Table) []yusuan.Doubt {
	in, out := -1, -1
	for i, r := range t.Rows {
		name := squeeze(r.Name)
		if !strings.Contains(name, "总计") {
			continue
		}
		switch {
		case r.Side == yusuan.SideIncome && in < 0 && !strings.Contains(name, "支出"):
			in = i
		case r.Side == yusuan.SideExpenditure && out < 0 && !strings.Contains(name, "收入"):
			out = i
		}
	}
	if in < 0 || out < 0 {
		return nil
	}
	a, b := mainValue(t.Rows[in]), mainValue(t.Rows[out])
	if a.IsNull() || b.IsNull() || within(a.Decimal().Sub(b.Decimal()), []yusuan.Amount{a, b}) {
		return nil
	}
	return []yusuan.Doubt{{Reason: yusuan.DoubtUnbalanced, Rows: []int{in, out},
		Note: fmt.Sprintf("收入总计 %s ≠ 支出总计 %s as read", a, b)}}
}

// mainValue is a two-sided row's figure: its side's first column.
func mainValue(r yusuan.Row) yusuan.Amount {
	for _, k := range []string{"amount", "total", "subtotal", "budget", "actual"} {
		if v := r.Values[k]; !v.IsNull() {
			return v
		}
	}
	return yusuan.Null
}

// categoriesBalance compares a coded table's 合计 with the sum of its 类
// rows, column by column, when the table prints one 合计 and each 类 once.
// A column that does not add up is doubted unless the table's own detail
// confirms every figure as read (sound: no other doubt on the table; and
// confirmed): then the document's 合计 disagrees with what it prints, which
// is the checks' to report, not a reading to doubt.
func categoriesBalance(t *yusuan.Table, sound bool) []yusuan.Doubt {
	total := -1
	var cats []int
	seen := map[string]bool{}
	for i, r := range t.Rows {
		c := r.CodeString()
		switch {
		case c == "" && totalStartRe.MatchString(squeeze(r.Name)):
			if total >= 0 {
				return nil // several blocks (units), each with its 合计
			}
			total = i
		case len(c) == 3:
			if seen[c] {
				return nil
			}
			seen[c] = true
			cats = append(cats, i)
		}
	}
	if total < 0 || len(cats) == 0 {
		return nil
	}
	var out []yusuan.Doubt
	for _, key := range t.Columns {
		tot := t.Rows[total].Values[key]
		if tot.IsNull() {
			continue
		}
		sum := decimal.Zero
		terms := []yusuan.Amount{tot}
		for _, i := range cats {
			if v := t.Rows[i].Values[key]; !v.IsNull() {
				sum = sum.Add(v.Decimal())
				terms = append(terms, v)
			}
		}
		if len(terms) == 1 || within(tot.Decimal().Sub(sum), terms) || sound && confirmed(t.Rows, key) {
			continue
		}
		out = append(out, yusuan.Doubt{Reason: yusuan.DoubtUnbalanced, Column: key, Rows: []int{total},
			Note: fmt.Sprintf("合计 %s ≠ Σ类 %s as read", tot, sum.StringFixed(int32(tot.Places())))})
	}
	return out
}

// confirmed reports whether a coded table's detail confirms its 类 rows in
// a column: every 类 prints 款 rows under it and is their sum, every 款
// printing 项 rows is theirs, every 款 and 项 has its parent printed.
func confirmed(rows []yusuan.Row, key string) bool {
	byCode := map[string]yusuan.Row{}
	for _, r := range rows {
		if c := r.CodeString(); c != "" {
			byCode[c] = r
		}
	}
	for code, r := range byCode {
		if len(code) > 3 {
			if _, ok := byCode[code[:len(code)-2]]; !ok {
				return false // an item without its parent: a line lost or misread
			}
		}
		v := r.Values[key]
		sum := decimal.Zero
		terms := []yusuan.Amount{v}
		for c, x := range byCode {
			if len(c) == len(code)+2 && strings.HasPrefix(c, code) {
				if w := x.Values[key]; !w.IsNull() {
					sum = sum.Add(w.Decimal())
					terms = append(terms, w)
				}
			}
		}
		switch {
		case v.IsNull():
			if len(terms) > 1 {
				return false // items printing what their group does not
			}
		case len(code) == 3 && len(terms) == 1:
			return false // a 类 nothing below confirms
		case len(terms) > 1 && !within(v.Decimal().Sub(sum), terms):
			return false
		}
	}
	return true
}

// within reports whether a difference is rounding: no more than half a
// unit of the last printed digit per term.
func within(diff decimal.Decimal, terms []yusuan.Amount) bool {
	places := 0
	for _, a := range terms {
		places = max(places, a.Places())
	}
	tol := decimal.New(5, -int32(places)-1).Mul(decimal.NewFromInt(int64(len(terms))))
	return diff.Abs().LessThanOrEqual(tol)
}
