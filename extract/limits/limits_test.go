package limits

import (
	"errors"
	"fmt"
	"testing"
)

func TestFill(t *testing.T) {
	l := Limits{MaxPages: 7}.Fill()
	if l.MaxPages != 7 || l.MaxStreamBytes != Default.MaxStreamBytes || l.MaxGlyphsPerPage != Default.MaxGlyphsPerPage {
		t.Errorf("Fill kept %d pages, set %d stream bytes, %d glyphs", l.MaxPages, l.MaxStreamBytes, l.MaxGlyphsPerPage)
	}
	if Default.Fill() != Default {
		t.Error("Fill changed the defaults")
	}
}

func TestError(t *testing.T) {
	err := fmt.Errorf("page 2: %w", Exceeded("MaxRowBytes", 1<<20, 1500000000, "stream predictor row"))
	if !errors.Is(err, ErrExceeded) {
		t.Error("not ErrExceeded")
	}
	var le *Error
	if !errors.As(err, &le) || le.Limit != "MaxRowBytes" {
		t.Errorf("As: %v", le)
	}
	for _, tt := range []struct {
		err  error
		want string
	}{
		{err, "page 2: stream predictor row: 1500000000 bytes, over the limit MaxRowBytes = 1 MiB"},
		{Exceeded("MaxGlyphsPerPage", 100000, 0, "glyphs on page 3"), "glyphs on page 3: over the limit MaxGlyphsPerPage = 100000"},
		{Exceeded("MaxDecodedBytes", 256<<20, 0, "streams"), "streams: over the limit MaxDecodedBytes = 256 MiB"},
	} {
		if got := tt.err.Error(); got != tt.want {
			t.Errorf("got %q, want %q", got, tt.want)
		}
	}
}
