package disjoint

import "testing"

func TestSets(t *testing.T) {
	s := New(6)
	s.Join(0, 1)
	s.Join(2, 3)
	s.Join(3, 1)
	for _, tt := range []struct {
		a, b int
		same bool
	}{{0, 2, true}, {1, 3, true}, {0, 4, false}, {4, 5, false}, {5, 5, true}} {
		if got := s.Find(tt.a) == s.Find(tt.b); got != tt.same {
			t.Errorf("%d and %d together: %v, want %v", tt.a, tt.b, got, tt.same)
		}
	}
	if s.Find(0) != 1 || s.Find(4) != 4 {
		t.Errorf("roots %d %d, want 1 (b's root) and 4", s.Find(0), s.Find(4))
	}
}
