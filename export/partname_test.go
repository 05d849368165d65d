package export

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestPartName(t *testing.T) {
	long := strings.Repeat("表", 31)
	for _, tt := range []struct {
		name string
		part int
		want string
	}{
		{"cells", 1, "cells"},
		{"cells", 2, "cells (2)"},
		{long, 1, long},
		{long, 2, strings.Repeat("表", 27) + " (2)"},
		{long, 12, strings.Repeat("表", 26) + " (12)"},
	} {
		got := partName(tt.name, tt.part)
		if got != tt.want || utf8.RuneCountInString(got) > 31 {
			t.Errorf("partName(%d runes, %d) = %q, want %q", utf8.RuneCountInString(tt.name), tt.part, got, tt.want)
		}
	}
}
