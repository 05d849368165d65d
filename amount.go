package yusuan

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/shopspring/decimal"
)

// Amount is an exact decimal exactly as printed (trailing zeros kept, so
// "0.00" stays "0.00"), or null. It never passes through a float.
type Amount struct {
	text string // canonical: optional '-', digits, optional '.' digits; "" = null
}

// Null is the absent amount.
var Null = Amount{}

// ParseAmount reads a printed amount: thousands separators, full-width
// digits and signs, surrounding spaces and a trailing 万元/元/% are
// tolerated; "", "-", "—" and similar dashes mean null. Parentheses around a
// number mean a negative amount, as accountants print them.
func ParseAmount(printed string) (Amount, error) {
	s := NormalizeNumber(printed)
	if s == "" || isDashOnly(s) {
		return Null, nil
	}
	neg := false
	if strings.HasPrefix(s, "(") && strings.HasSuffix(s, ")") {
		neg, s = true, s[1:len(s)-1]
	}
	if strings.HasPrefix(s, "-") {
		neg, s = !neg, s[1:]
	} else if strings.HasPrefix(s, "+") {
		s = s[1:]
	}
	if !validDecimal(s) {
		return Null, fmt.Errorf("not an amount: %q", printed)
	}
	if strings.HasPrefix(s, ".") {
		s = "0" + s
	}
	s = strings.TrimSuffix(s, ".")
	if neg && strings.Trim(s, "0.") != "" {
		s = "-" + s
	}
	return Amount{text: s}, nil
}

// MustAmount parses a literal amount and panics on a bad one; for tests and
// constants only.
func MustAmount(s string) Amount {
	a, err := ParseAmount(s)
	if err != nil {
		panic(err)
	}
	return a
}

// AmountFromDecimal makes an amount from a decimal, printed with the given
// number of decimal places.
func AmountFromDecimal(d decimal.Decimal, places int32) Amount {
	return Amount{text: d.StringFixed(places)}
}

// NormalizeNumber turns full-width digits and punctuation into ASCII and
// removes thousands separators and spaces.
func NormalizeNumber(printed string) string {
	var b strings.Builder
	for _, r := range strings.TrimSpace(printed) {
		switch {
		case r >= '０' && r <= '９':
			b.WriteRune('0' + r - '０')
		case r == '．':
			b.WriteByte('.')
		case r == '－' || r == '−':
			b.WriteByte('-')
		case r == '＋':
			b.WriteByte('+')
		case r == '（':
			b.WriteByte('(')
		case r == '）':
			b.WriteByte(')')
		case r == ',' || r == '，' || r == ' ' || r == '\u3000' || r == '\u00a0':
		default:
			b.WriteRune(r)
		}
	}
	s := b.String()
	for _, suffix := range []string{"万元", "千元", "元", "%", "％"} {
		s = strings.TrimSuffix(s, suffix)
	}
	return s
}

func isDashOnly(s string) bool {
	for _, r := range s {
		switch r {
		case '-', '—', '–', '─', '－', '/', '\\':
		default:
			return false
		}
	}
	return true
}

func validDecimal(s string) bool {
	digits, dots := 0, 0
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case r == '.':
			dots++
		default:
			return false
		}
	}
	return digits > 0 && dots <= 1
}

// IsNull reports whether the amount is absent.
func (a Amount) IsNull() bool { return a.text == "" }

// String is the amount as printed, or "" when null.
func (a Amount) String() string { return a.text }

// Decimal is the amount's exact value; zero when null.
func (a Amount) Decimal() decimal.Decimal {
	if a.text == "" {
		return decimal.Zero
	}
	return decimal.RequireFromString(a.text)
}

// Places is the number of printed decimal places.
func (a Amount) Places() int {
	if i := strings.IndexByte(a.text, '.'); i >= 0 {
		return len(a.text) - i - 1
	}
	return 0
}

// Equal compares values, not printing: 1.0 equals 1.00.
func (a Amount) Equal(b Amount) bool {
	if a.IsNull() || b.IsNull() {
		return a.IsNull() == b.IsNull()
	}
	return a.Decimal().Equal(b.Decimal())
}

// MarshalJSON writes a decimal string or null.
func (a Amount) MarshalJSON() ([]byte, error) {
	if a.text == "" {
		return []byte("null"), nil
	}
	return json.Marshal(a.text)
}

// UnmarshalJSON reads a decimal string (or a bare number) or null.
func (a *Amount) UnmarshalJSON(b []byte) error {
	s := strings.TrimSpace(string(b))
	if s == "null" {
		*a = Null
		return nil
	}
	if strings.HasPrefix(s, `"`) {
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
	}
	v, err := ParseAmount(s)
	if err != nil {
		return err
	}
	*a = v
	return nil
}

// Unit is a printed currency unit.
type Unit string

const (
	Yuan        Unit = "元"
	WanYuan     Unit = "万元"
	QianYuan    Unit = "千元"
	fenPerYuan       = 100
	yuanPerWan       = 10000
	yuanPerQian      = 1000
)

// FenPer returns how many fen one of this unit is; 0 for an unknown unit.
func (u Unit) FenPer() int64 {
	switch u {
	case Yuan:
		return fenPerYuan
	case WanYuan:
		return fenPerYuan * yuanPerWan
	case QianYuan:
		return fenPerYuan * yuanPerQian
	}
	return 0
}

// Fen converts the amount printed in unit u to integer fen. It fails when the
// unit is unknown or the amount is finer than a fen or too large for int64.
func (a Amount) Fen(u Unit) (int64, error) {
	if a.IsNull() {
		return 0, fmt.Errorf("null amount")
	}
	per := u.FenPer()
	if per == 0 {
		return 0, fmt.Errorf("unknown unit %q", u)
	}
	d := a.Decimal().Mul(decimal.NewFromInt(per))
	if !d.Equal(d.Truncate(0)) {
		return 0, fmt.Errorf("%s %s is finer than a fen", a.text, u)
	}
	if d.Abs().Cmp(decimal.NewFromInt(1<<62)) > 0 {
		return 0, fmt.Errorf("%s %s is too large", a.text, u)
	}
	return d.IntPart(), nil
}

// AmountFromFen turns fen back into an amount in unit u with the given
// number of places (the printed precision).
func AmountFromFen(fen int64, u Unit, places int32) Amount {
	per := u.FenPer()
	if per == 0 {
		per = 1
	}
	return AmountFromDecimal(decimal.NewFromInt(fen).DivRound(decimal.NewFromInt(per), places+2), places)
}
