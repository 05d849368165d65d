package pdfsyntax

import (
	"errors"
	"testing"
)

func TestLiteral(t *testing.T) {
	for _, tt := range []struct {
		in, want string
		next     int
		err      error
	}{
		{"(abc) rest", "abc", 5, nil},
		{`(a\(b\)c)`, "a(b)c", 9, nil},
		{"(a(b)c)", "a(b)c", 7, nil},
		{`(\101\12x)`, "A\nx", 10, nil},
		{"(ab\\\ncd)", "abcd", 8, nil},
		{`(\n\r\t\b\f\\)`, "\n\r\t\b\f\\", 14, nil},
		{"(abc", "abc", 4, ErrUnterminated},
	} {
		got, next, err := Literal([]byte(tt.in), 0)
		if string(got) != tt.want || next != tt.next || !errors.Is(err, tt.err) {
			t.Errorf("Literal(%q) = %q, %d, %v; want %q, %d, %v", tt.in, got, next, err, tt.want, tt.next, tt.err)
		}
	}
}

func TestHex(t *testing.T) {
	for _, tt := range []struct {
		in     string
		strict bool
		want   string
		err    error
	}{
		{"<4E2D 56fd>", true, "N-V\xfd", nil},
		{"<414>", true, "A@", nil},
		{"<41zz42>", false, "AB", nil},
		{"<41zz42>", true, "A", ErrBadHex},
		{"<41", false, "A", ErrUnterminated},
	} {
		got, _, err := Hex([]byte(tt.in), 0, tt.strict)
		if string(got) != tt.want || !errors.Is(err, tt.err) {
			t.Errorf("Hex(%q, %v) = %q, %v; want %q, %v", tt.in, tt.strict, got, err, tt.want, tt.err)
		}
	}
}

func TestName(t *testing.T) {
	for in, want := range map[string]string{"A#42C": "ABC", "Plain": "Plain", "bad#zz": "bad#zz", "end#4": "end#4"} {
		if got := string(Name([]byte(in))); got != want {
			t.Errorf("Name(%q) = %q, want %q", in, got, want)
		}
	}
}

func FuzzLiteral(f *testing.F) {
	f.Add([]byte(`(a\(b\101)`))
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) == 0 {
			return
		}
		_, next, _ := Literal(data, 0)
		if next > len(data) || next < 1 {
			t.Fatalf("next %d of %d", next, len(data))
		}
		_, next, _ = Hex(data, 0, false)
		if next > len(data) {
			t.Fatalf("hex next %d of %d", next, len(data))
		}
		if s, next, _ := LiteralMax(data, 0, 8); len(s) > 8 || next > len(data) {
			t.Fatalf("LiteralMax 8: %d bytes, next %d of %d", len(s), next, len(data))
		}
		if s, next, _ := HexMax(data, 0, false, 8); len(s) > 8 || next > len(data) {
			t.Fatalf("HexMax 8: %d bytes, next %d of %d", len(s), next, len(data))
		}
	})
}

func TestMaxLength(t *testing.T) {
	for _, tt := range []struct {
		in   string
		max  int
		want string
		err  error
	}{
		{"(abcd)", 4, "abcd", nil},
		{"(abcde)", 4, "abcd", ErrTooLong},
		{`(a\nbcd)`, 4, "a\nbc", ErrTooLong},
		{"((((((((x))))))))", 4, "((((", ErrTooLong},
		{"(abcde)", 0, "abcde", nil},
	} {
		got, _, err := LiteralMax([]byte(tt.in), 0, tt.max)
		if string(got) != tt.want || !errors.Is(err, tt.err) {
			t.Errorf("LiteralMax(%q, %d) = %q, %v; want %q, %v", tt.in, tt.max, got, err, tt.want, tt.err)
		}
	}
	if got, _, err := HexMax([]byte("<41424344>"), 0, true, 4); string(got) != "ABCD" || err != nil {
		t.Errorf("hex at the limit: %q %v", got, err)
	}
	if got, _, err := HexMax([]byte("<4142434445>"), 0, true, 4); string(got) != "ABCD" || !errors.Is(err, ErrTooLong) {
		t.Errorf("hex over the limit: %q %v", got, err)
	}
}
