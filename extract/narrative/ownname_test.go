package narrative

import (
	"context"
	"testing"
)

// A unit whose own name ends in 本级 states its income in 收入预算情况说明;
// the 财政拨款 section's figure (which includes the carry-over) must not win.
func TestOwnNameWithBenji(t *testing.T) {
	lines := []Line{
		{Page: 1, Text: "二、收入预算情况说明", Size: 12, X: 72, Y: 700},
		{Page: 1, Text: "2025年度洛阳市自然资源局本级预算收入574.81万元，主要包括一般公共预算拨款收入571.19万元，占99.37%；上年结转3.62万元，占0.63%。", Size: 10, X: 72, Y: 680},
		{Page: 1, Text: "四、财政拨款收支预算总体情况说明", Size: 12, X: 72, Y: 660},
		{Page: 1, Text: "2025年度洛阳市自然资源局本级财政拨款收支总预算574.81万元。其中：一般公共预算拨款574.81万元，政府性基金预算拨款0万元。", Size: 10, X: 72, Y: 640},
	}
	_, facts, _, _, _ := Parse(context.Background(), lines)
	if got := facts["gpb_income"].String(); got != "571.19" {
		t.Errorf("gpb_income %q, want 571.19", got)
	}
	if got := facts["gpb_income_pct"].String(); got != "99.37" {
		t.Errorf("gpb_income_pct %q, want 99.37", got)
	}
}
