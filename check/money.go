package check

import (
	"math"
	"strings"

	"yusuan"
)

// Amounts are compared as int64 counts of 0.0001 元. That keeps 万元 printed
// with six decimals (1 fen) and half a fen in tolerances exact, converts 元,
// 千元 and 万元 to one scale, and is far cheaper than big decimals over
// thousands of documents. It never goes through a float.
const (
	perYuan = 10000
	scale元  = perYuan
	scale千元 = 1000 * perYuan
	scale万元 = 10000 * perYuan
	// maxFrac caps the decimals read: anything finer than 1e-8 of a unit is
	// below the scale anyway.
	maxFrac = 8
)

// unitScale is the number of internal units in one printed unit. An empty or
// unknown unit is taken as 万元, the unit of nearly every budget table.
func unitScale(u string) int64 {
	switch yusuan.Unit(strings.TrimSpace(u)) {
	case yusuan.Yuan:
		return scale元
	case yusuan.QianYuan:
		return scale千元
	}
	return scale万元
}

// money is one printed amount on the common scale.
type money struct {
	v   int64 // value in 0.0001 元
	ulp int64 // one unit of the last printed digit, same scale
	ok  bool  // false for null (then v is 0)
	// overflow: the amount (or a sum) is beyond what int64 holds on this
	// scale (±9.2×10¹⁴ 元); ok is false and v means nothing.
	overflow bool
}

// plus adds two amounts, their ulps too; an overflow is kept, never wrapped.
func (m money) plus(o money) money {
	if m.overflow || o.overflow {
		return money{overflow: true}
	}
	v, ok := addInt(m.v, o.v)
	if !ok {
		return money{overflow: true}
	}
	return money{v: v, ulp: m.ulp + o.ulp, ok: m.ok || o.ok}
}

func (m money) neg() money { m.v = -m.v; return m }

// addInt adds without wrapping around; ok is false on overflow.
func addInt(a, b int64) (int64, bool) {
	c := a + b
	if (b > 0 && c < a) || (b < 0 && c > a) {
		return 0, false
	}
	return c, true
}

var pow10 = [...]int64{1, 10, 100, 1000, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18}

// toMoney converts an amount printed in a table of the given scale. Null,
// absurdly long or malformed amounts give ok=false.
func toMoney(a yusuan.Amount, scale int64) money {
	s := a.String()
	if s == "" {
		return money{}
	}
	neg := false
	if s[0] == '-' {
		neg, s = true, s[1:]
	}
	ip, fp := s, ""
	if i := strings.IndexByte(s, '.'); i >= 0 {
		ip, fp = s[:i], s[i+1:]
	}
	if len(fp) > maxFrac {
		fp = fp[:maxFrac]
	}
	if len(ip)+len(fp) == 0 {
		return money{}
	}
	var iv, fv int64
	for _, c := range []byte(ip) {
		if c < '0' || c > '9' {
			return money{}
		}
		if iv > (math.MaxInt64-9)/10 {
			return money{overflow: true}
		}
		iv = iv*10 + int64(c-'0')
	}
	for _, c := range []byte(fp) {
		if c < '0' || c > '9' {
			return money{}
		}
		fv = fv*10 + int64(c-'0')
	}
	p := pow10[len(fp)]
	if iv > math.MaxInt64/scale {
		return money{overflow: true}
	}
	v, ok := addInt(iv*scale, fv*scale/p)
	if !ok {
		return money{overflow: true}
	}
	if neg {
		v = -v
	}
	ulp := scale / p
	if ulp == 0 {
		ulp = 1
	}
	return money{v: v, ulp: ulp, ok: true}
}

// places is how many decimals to print for an amount of this ulp in this
// scale (the printed precision).
func places(ulp, scale int64) int {
	for p := 0; p < len(pow10); p++ {
		if scale/pow10[p] <= ulp {
			return p
		}
	}
	return 2
}

// format prints v in the unit of scale with p decimals, rounding half away
// from zero.
func format(v, scale int64, p int) string {
	if p < 0 {
		p = 0
	}
	div := int64(1)
	if scale > pow10[p] {
		div = scale / pow10[p]
	}
	neg := v < 0
	if neg {
		v = -v
	}
	q := (v + div/2) / div
	if scale < pow10[p] { // more decimals than the scale holds
		q = v * (pow10[p] / scale)
	}
	digits := itoa(q)
	if p > 0 {
		for len(digits) <= p {
			digits = "0" + digits
		}
		digits = digits[:len(digits)-p] + "." + digits[len(digits)-p:]
	}
	if neg && strings.Trim(digits, "0.") != "" {
		digits = "-" + digits
	}
	return digits
}

func itoa(v int64) string {
	if v == 0 {
		return "0"
	}
	var b [24]byte
	i := len(b)
	for v > 0 {
		i--
		b[i] = byte('0' + v%10)
		v /= 10
	}
	return string(b[i:])
}

func abs(v int64) int64 {
	if v < 0 {
		return -v
	}
	return v
}

// verdict of comparing a printed figure with what it should be.
type verdict int

const (
	agree    verdict = iota // exactly equal
	rounding                // within the 尾差 tolerance
	mismatch                // beyond it
)

// judge compares actual with expected, tolerating half a unit of the last
// printed digit for each rounded term (the terms' ulps are summed in ulps).
func judge(actual, expected, ulps int64) verdict {
	d := abs(actual - expected)
	switch {
	case d == 0:
		return agree
	case 2*d <= ulps:
		return rounding
	}
	return mismatch
}

// sum accumulates printed terms.
type sum struct {
	v, ulps int64
	n       int   // non-null terms
	coarse  int64 // the largest ulp of a term (the coarsest precision)
	// overflow: a term, or the sum, is beyond int64 (see money).
	overflow bool
	// p are the cells added, for evidence.
	p parts
}

// parts are the printed cells a figure adds up, for its evidence: kept one
// by one (cells: the first maxParts+1 of n), or, for the many sums over the
// rows of one column or the columns of one row, as those rows or columns,
// listed only when a finding needs them.
type parts struct {
	cells []cellRef
	n     int
	// lost are lines that always print a figure but came out blank (see
	// addLine): their figures were not read.
	lost []cellRef
	// A sum over rows × col, or over row × cols.
	t     *yusuan.Table
	rows  []*yusuan.Row
	col   string
	row   *yusuan.Row
	cols  []string
	lines bool // rows are lines that always print a figure (addLine)
}

// list returns the cells (the first maxParts+1), how many there are, and
// the lines that came out blank.
func (p parts) list() (cells []cellRef, n int, lost []cellRef) {
	switch {
	case p.rows != nil:
		for _, r := range p.rows {
			if p.lines && blank(r) {
				lost = append(lost, cellRef{p.t, r, p.col})
			} else if !r.Values[p.col].IsNull() {
				if n++; len(cells) <= maxParts {
					cells = append(cells, cellRef{p.t, r, p.col})
				}
			}
		}
		return cells, n, lost
	case p.row != nil:
		for _, c := range p.cols {
			if !p.row.Values[c].IsNull() {
				n++
				cells = append(cells, cellRef{p.t, p.row, c})
			}
		}
		return cells, n, nil
	}
	return p.cells, p.n, p.lost
}

// each calls f with every cell of the parts (no cap) on a row that prints
// figures, and every line that came out blank.
func (p parts) each(f func(cellRef)) {
	switch {
	case p.rows != nil:
		for _, r := range p.rows {
			if !blank(r) || p.lines {
				f(cellRef{p.t, r, p.col})
			}
		}
	case p.row != nil:
		for _, c := range p.cols {
			if !p.row.Values[c].IsNull() {
				f(cellRef{p.t, p.row, c})
			}
		}
	default:
		for _, c := range p.cells {
			f(c)
		}
		for _, c := range p.lost {
			f(c)
		}
	}
}

// sumRows adds up one column over rows; lines: the rows always print a
// figure when printed (a 类, a unit's line), so a blank one was not read.
func sumRows(t *yusuan.Table, rows []*yusuan.Row, col string, sc int64, lines bool) sum {
	var s sum
	for _, r := range rows {
		s.add(toMoney(r.Values[col], sc))
	}
	s.p = parts{t: t, rows: rows, col: col, lines: lines}
	return s
}

// sumCols adds up columns of one row.
func sumCols(t *yusuan.Table, r *yusuan.Row, cols []string, sc int64) sum {
	var s sum
	for _, c := range cols {
		s.add(toMoney(r.Values[c], sc))
	}
	s.p = parts{t: t, row: r, cols: cols}
	return s
}

func (s *sum) add(m money) {
	if m.overflow {
		s.overflow = true
		return
	}
	if !m.ok {
		return
	}
	v, ok := addInt(s.v, m.v)
	if !ok {
		s.overflow = true
		return
	}
	s.v = v
	s.ulps += m.ulp
	s.n++
	s.coarse = max(s.coarse, m.ulp)
}

// addCell adds a printed cell (sc is its table's scale) and keeps where it
// was read.
func (s *sum) addCell(t *yusuan.Table, r *yusuan.Row, col string, sc int64) {
	m := toMoney(r.Values[col], sc)
	if !m.ok && !m.overflow {
		return
	}
	s.add(m)
	s.keep(cellRef{t, r, col})
}

func (s *sum) keep(c cellRef) {
	s.p.n++
	if len(s.p.cells) <= maxParts {
		s.p.cells = append(s.p.cells, c)
	}
}

// addLine adds a line that prints a figure whenever it is printed at all
// (a 类, a unit's line): one that came out without any figure was not
// read, which makes the sum doubtful.
func (s *sum) addLine(t *yusuan.Table, r *yusuan.Row, col string, sc int64) {
	if blank(r) {
		s.p.lost = append(s.p.lost, cellRef{t, r, col})
		return
	}
	s.addCell(t, r, col, sc)
}

// addTerm adds a figure already read, keeping the cells it was read from.
func (s *sum) addTerm(x term) {
	n := s.n
	s.add(x.m)
	if s.n == n && !x.m.overflow {
		return
	}
	for _, c := range x.sourceCells() {
		s.keep(c)
	}
}

// tolerance is twice the 尾差 allowed between a printed figure and what its
// terms make (judge takes ulps, not halves): half a unit of the last printed
// digit for each rounded term, the figure itself included. A figure that a
// person wrote from printed figures (a narrative statement) rounds each term
// at the coarsest precision involved before adding them up: 29.74 万元 =
// 658.32 − 628.58 from 6583160.53 元 and 6285846.37 元 is two terms rounded
// to 0.01 万元, not two rounded to 0.01 元. nStated is the number of terms
// the person combined (0: no stated figure takes part).
func tolerance(ulps int64, nStated int, coarse int64) int64 {
	if nStated > 0 {
		ulps = max(ulps, int64(nStated)*coarse)
	}
	return ulps
}

// diffText prints a nonzero difference with enough decimals to show it: at
// least two significant digits unless exact (差 0.0086, not 差 0.01 or 差
// 0.00 when the figures are printed with two decimals).
func diffText(d, scale int64, p int) string {
	for ; p < maxPlaces(scale); p++ {
		s := format(d, scale, p)
		if strings.Trim(s, "0.") == "" {
			continue
		}
		exact := d%(scale/pow10[p]) == 0
		if exact || len(strings.TrimLeft(strings.ReplaceAll(s, ".", ""), "0")) >= 2 {
			return s
		}
	}
	return format(d, scale, maxPlaces(scale))
}

// maxPlaces is the number of decimals the internal scale holds for a unit.
func maxPlaces(scale int64) int {
	p := 0
	for scale >= 10 && p < len(pow10)-1 {
		scale /= 10
		p++
	}
	return p
}
