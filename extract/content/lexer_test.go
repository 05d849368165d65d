package content

import (
	"fmt"
	"strings"
	"testing"
)

// trace renders every operator call as "op(args)" for comparison.
func trace(t *testing.T, data string) string {
	t.Helper()
	var out []string
	err := Parse([]byte(data), func(op []byte, args []Operand) error {
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

func TestParseDepth(t *testing.T) {
	deep := strings.Repeat("[", 100000) + strings.Repeat("]", 100000) + " TJ"
	err := Parse([]byte(deep), func([]byte, []Operand) error { return nil })
	if err != ErrTooDeep {
		t.Fatalf("deep nesting: got %v, want ErrTooDeep", err)
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"BT /F1 12 Tf (x) Tj ET", "[(a) 1 (b)] TJ", "BI /W 1 /H 1 ID x EI", "<<>>", "(\\", "<4"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		_ = Parse(data, func(op []byte, args []Operand) error {
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
		_ = Parse(data, func([]byte, []Operand) error { return nil })
	}
}
