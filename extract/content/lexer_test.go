package content

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"yusuan/extract/limits"
)

// trace renders every operator call as "op(args)" for comparison.
func trace(t *testing.T, data string) string {
	t.Helper()
	var out []string
	err := Parse([]byte(data), limits.Limits{}, func(op []byte, args []Operand) error {
		parts := make([]string, len(args))
		for i, a := range args {
			parts[i] = a.String()
		}
		out = append(out, fmt.Sprintf("%s(%s)", op, strings.Join(parts, " ")))
		return nil
	})
	if err != nil {
		out = append(out, "error: "+err.Error())
	}
	return strings.Join(out, " ")
}

func TestParse(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"text ops", "BT /F1 12 Tf 72 700 Td (Hi) Tj ET", `BT() Tf(/F1 12) Td(72 700) Tj(("Hi")) ET()`},
		{"numbers", "1 -2 +3 .5 -.25 4. cm", "cm(1 -2 3 0.5 -0.25 4)"},
		{"escapes", `(a\(b\)c\\d\nx\101\12) Tj`, `Tj(("a(b)c\\d\nxA\n"))`},
		{"nested parens", "(a(b)c) Tj", `Tj(("a(b)c"))`},
		{"line continuation", "(ab\\\ncd) Tj", `Tj(("abcd"))`},
		{"hex", "<4E2D 56FD> Tj <414> Tj", `Tj(("N-V\xfd")) Tj(("A@"))`},
		{"TJ array", "[(A) -120 (B) 30.5] TJ", `TJ([("A") -120 ("B") 30.5])`},
		{"quote ops", "(x) ' 1 2 (y) \"", `'(("x")) "(1 2 ("y"))`},
		{"comments", "% a comment (x) Tj\n1 w", "w(1)"},
		{"name escapes", "/A#42C Do", "Do(/ABC)"},
		{"marked content dict", "/P <</MCID 3>> BDC (x) Tj EMC", `BDC(/P [/MCID 3]) Tj(("x")) EMC()`},
		{"inline image with EI in data", "q BI /W 4 /H 1 /BPC 8 /CS /G ID \x00EI) EI Q (after) Tj", `q() Q() Tj(("after"))`},
		{"inline image filtered", "BI /W 10 /H 10 /F /AHx ID 00ff00 EI (z) Tj", `Tj(("z"))`},
		{"bools and null", "true false null 1 d0", "d0(true false null 1)"},
		{"stray closers", ") ] > 5 w", "w(5)"},
		{"unterminated string", "(abc", ""},
		{"unterminated array", "[1 2", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := trace(t, tt.in); got != tt.want {
				t.Errorf("Parse(%q)\n got %s\nwant %s", tt.in, got, tt.want)
			}
		})
	}
}

// TestParseLimits: each budget stops the parse with a *limits.Error naming
// it, and what came before the offending operand was still handled.
func TestParseLimits(t *testing.T) {
	lim := limits.Limits{MaxNesting: 8, MaxStringBytes: 16, MaxArrayLen: 10}
	tests := []struct {
		name, in, limit string
	}{
		{"nesting", strings.Repeat("[", 100000) + strings.Repeat("]", 100000) + " TJ", "MaxNesting"},
		{"literal string", "(" + strings.Repeat("a", 17) + ") Tj", "MaxStringBytes"},
		{"escaped literal string", "(" + strings.Repeat(`\a`, 17) + ") Tj", "MaxStringBytes"},
		{"nested parentheses", strings.Repeat("(", 100000) + strings.Repeat(")", 100000) + " Tj", "MaxStringBytes"},
		{"hex string", "<" + strings.Repeat("41", 17) + "> Tj", "MaxStringBytes"},
		{"one long array", "[" + strings.Repeat("1 ", 11) + "] TJ", "MaxArrayLen"},
		{"arrays of one operator", "[1 2 3 4] [1 2 3 4] [1 2 3 4] TJ", "MaxArrayLen"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := 0
			err := Parse([]byte("q "+tt.in), lim, func(op []byte, _ []Operand) error {
				if string(op) == "q" {
					before++
				}
				return nil
			})
			var le *limits.Error
			if !errors.As(err, &le) || le.Limit != tt.limit || !errors.Is(err, limits.ErrExceeded) {
				t.Fatalf("got %v, want the %s limit", err, tt.limit)
			}
			if before != 1 {
				t.Errorf("the operator before the limit was not handled")
			}
		})
	}
	// Exactly at the limits is fine.
	ok := "(" + strings.Repeat("a", 16) + ") Tj <" + strings.Repeat("41", 16) + "> Tj [1 2 3 4 5 6 7 8 9 10] TJ"
	if got := trace(t, ok); strings.Contains(got, "error") {
		t.Errorf("at the limits: %s", got)
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"BT /F1 12 Tf (x) Tj ET", "[(a) 1 (b)] TJ", "BI /W 1 /H 1 ID x EI", "<<>>", "(\\", "<4"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		_ = Parse(data, limits.Limits{}, func(op []byte, args []Operand) error {
			if len(args) > maxOperands {
				t.Fatalf("%d operands", len(args))
			}
			return nil
		})
	})
}

func BenchmarkParse(b *testing.B) {
	var sb strings.Builder
	for i := 0; i < 2000; i++ {
		fmt.Fprintf(&sb, "BT /F1 9 Tf 1 0 0 1 %d 500 Tm [(\x00\x12\x00\x34) -250 (\x01\x02)] TJ ET 0.5 w 10 %d m 500 %d l S\n", i%500, i, i)
	}
	data := []byte(sb.String())
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		_ = Parse(data, limits.Limits{}, func([]byte, []Operand) error { return nil })
	}
}

func TestScanObject(t *testing.T) {
	lim := limits.Limits{MaxArrayLen: 6, MaxStringBytes: 8, MaxNesting: 4}
	tests := []struct {
		in    string
		end   int // -1: any
		limit string
	}{
		{"12 0 obj [1 2 3] endobj", 16, ""},
		{"[1 2 3 4 5 6] [7 8 9 10 11 12]", 13, ""}, // one value only (objects in an object stream follow each other)
		{"<< /A [1 2] /B 3 >>", 19, ""},            // 4 + 2 elements
		{"12 0 obj << /A [1 2 3] /B 3 >> endobj", -1, "MaxArrayLen"},
		{"[1 2 3 4 5 6 7]", -1, "MaxArrayLen"},
		{"(123456789)", -1, "MaxStringBytes"},
		{"[[[[[[1]]]]]]", -1, "MaxNesting"},
		{"12 0 obj 42 endobj", 11, ""},
		{"", 0, ""},
	}
	for _, tt := range tests {
		end, err := ScanObject([]byte(tt.in), lim)
		var le *limits.Error
		switch {
		case tt.limit == "" && err != nil:
			t.Errorf("%q: %v", tt.in, err)
		case tt.limit != "" && (!errors.As(err, &le) || le.Limit != tt.limit):
			t.Errorf("%q: got %v, want the %s limit", tt.in, err, tt.limit)
		case tt.end >= 0 && end != tt.end:
			t.Errorf("%q: end %d, want %d", tt.in, end, tt.end)
		}
	}
}

func FuzzScanObject(f *testing.F) {
	for _, s := range []string{"12 0 obj [1 2 3] endobj", "<< /A (x) >>", "[[[", "(", "1 0 obj"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		end, _ := ScanObject(data, limits.Limits{MaxArrayLen: 100, MaxStringBytes: 100, MaxNesting: 8})
		if end < 0 || end > len(data) {
			t.Fatalf("end %d of %d", end, len(data))
		}
	})
}
