// Package disjoint is a union–find over the integers 0..n-1: which of n
// things (text lines, documents) have been joined into one group.
package disjoint

// Sets holds each element's parent; a root is its own parent.
type Sets []int

// New is n elements, each alone.
func New(n int) Sets {
	s := make(Sets, n)
	for i := range s {
		s[i] = i
	}
	return s
}

// Find is the root of i's group (halving the path on the way).
func (s Sets) Find(i int) int {
	for s[i] != i {
		s[i] = s[s[i]]
		i = s[i]
	}
	return i
}

// Join puts a's group under the root of b's.
func (s Sets) Join(a, b int) {
	if ra, rb := s.Find(a), s.Find(b); ra != rb {
		s[ra] = rb
	}
}
