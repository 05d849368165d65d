package check

import (
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
	if len(ip) > 14 || len(ip)+len(fp) == 0 {
		return money{}
	}
	var iv, fv int64
	for _, c := range []byte(ip) {
		if c < '0' || c > '9' {
			return money{}
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
	v := iv*scale + fv*scale/p
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
}

func (s *sum) add(m money) {
	if !m.ok {
		return
	}
	s.v += m.v
	s.ulps += m.ulp
	s.n++
	s.coarse = max(s.coarse, m.ulp)
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
