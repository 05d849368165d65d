// Package limits holds the budgets that bound the work and memory one PDF
// file may cause, and the error that names the budget a file went over.
//
// Every budget is checked before the memory or work it guards is spent: a
// stream stops decoding at MaxStreamBytes, a string stops being read at
// MaxStringBytes, a predictor row is refused before it is allocated. What
// happens then depends on where the budget sits: a page over a per-page
// budget is left out with a warning and the other pages come out; a file
// over a per-file budget keeps the pages read before it. docs/limits.md
// lists the defaults and why they are what they are.
package limits

import (
	"errors"
	"fmt"
)

// Limits bound what one file may cost. A zero field takes its default
// (see Default), so callers set only the budgets they want to change.
type Limits struct {
	// File structure.
	MaxPages     int   // pages listed
	MaxTreeDepth int   // levels of the page tree
	MaxObjects   int64 // largest object number a cross-reference may name

	// Decoding.
	MaxStreamBytes  int64 // decoded bytes of one stream
	MaxDecodedBytes int64 // decoded bytes of all streams of the file together
	MaxRowBytes     int64 // bytes of one predictor row (/Columns × /Colors × /BitsPerComponent / 8)

	// Syntax, in content streams and in the objects checked before the
	// object layer parses them (font widths).
	MaxStringBytes int // bytes of one string
	MaxArrayLen    int // elements of one array
	MaxNesting     int // arrays and dictionaries inside each other
	MaxWidths      int // entries of a font's /Widths, /W or /W2 array, nested ones included

	// Drawing, forms included.
	MaxOpsPerPage        int // content-stream operators per page
	MaxGlyphsPerPage     int // glyphs shown per page
	MaxRulesPerPage      int // ruling lines (stroked or filled path edges) per page
	MaxFormsPerPage      int // form XObjects drawn per page
	MaxFormDepth         int // forms drawn inside forms
	MaxOpsPerDocument    int
	MaxGlyphsPerDocument int
	MaxRulesPerDocument  int
	MaxFormsPerDocument  int
}

// Default suits government disclosures with a wide margin. The 37 real
// files measured (docs/limits.md) peak at 262 pages, 59,000 operators,
// 4,000 glyphs and 1,300 ruling lines on one page, one million operators,
// 168,000 glyphs and 26,000 ruling lines in one file, one form per page,
// 0.9 MB in one decoded stream and 11 MB decoded in all. The per-file
// budgets also bound the time: a file just under all of them takes at
// most about 2 s of CPU (the hostile suite's under_* cases).
var Default = Limits{
	MaxPages:     20_000,
	MaxTreeDepth: 64,
	MaxObjects:   5_000_000,

	MaxStreamBytes:  32 << 20,
	MaxDecodedBytes: 256 << 20,
	MaxRowBytes:     1 << 20,

	MaxStringBytes: 1 << 20,
	MaxArrayLen:    1 << 20,
	MaxNesting:     32,
	MaxWidths:      1 << 17,

	MaxOpsPerPage:        1_000_000,
	MaxGlyphsPerPage:     100_000,
	MaxRulesPerPage:      50_000,
	MaxFormsPerPage:      10_000,
	MaxFormDepth:         16,
	MaxOpsPerDocument:    20_000_000,
	MaxGlyphsPerDocument: 1_000_000,
	MaxRulesPerDocument:  1_000_000,
	MaxFormsPerDocument:  100_000,
}

// Fill returns l with every zero field set to its default.
func (l Limits) Fill() Limits {
	d := Default
	set := func(v *int, def int) {
		if *v == 0 {
			*v = def
		}
	}
	set64 := func(v *int64, def int64) {
		if *v == 0 {
			*v = def
		}
	}
	set(&l.MaxPages, d.MaxPages)
	set(&l.MaxTreeDepth, d.MaxTreeDepth)
	set64(&l.MaxObjects, d.MaxObjects)
	set64(&l.MaxStreamBytes, d.MaxStreamBytes)
	set64(&l.MaxDecodedBytes, d.MaxDecodedBytes)
	set64(&l.MaxRowBytes, d.MaxRowBytes)
	set(&l.MaxStringBytes, d.MaxStringBytes)
	set(&l.MaxArrayLen, d.MaxArrayLen)
	set(&l.MaxNesting, d.MaxNesting)
	set(&l.MaxWidths, d.MaxWidths)
	set(&l.MaxOpsPerPage, d.MaxOpsPerPage)
	set(&l.MaxGlyphsPerPage, d.MaxGlyphsPerPage)
	set(&l.MaxRulesPerPage, d.MaxRulesPerPage)
	set(&l.MaxFormsPerPage, d.MaxFormsPerPage)
	set(&l.MaxFormDepth, d.MaxFormDepth)
	set(&l.MaxOpsPerDocument, d.MaxOpsPerDocument)
	set(&l.MaxGlyphsPerDocument, d.MaxGlyphsPerDocument)
	set(&l.MaxRulesPerDocument, d.MaxRulesPerDocument)
	set(&l.MaxFormsPerDocument, d.MaxFormsPerDocument)
	return l
}

// ErrExceeded matches (errors.Is) every *Error.
var ErrExceeded = errors.New("over a safety limit")

// Error reports the budget a file went over. Limit is the field of Limits,
// so the message tells a user which option to raise if the file is genuine.
type Error struct {
	Limit string // e.g. "MaxStreamBytes"
	Max   int64  // the budget
	Got   int64  // what the file asked for, when known before spending it; 0 otherwise
	What  string // what went over, e.g. "decoded stream of object 12"
}

// Exceeded returns the error for limit name with budget max; got is what
// the file asked for (0 when unknown).
func Exceeded(name string, max, got int64, what string) *Error {
	return &Error{Limit: name, Max: max, Got: got, What: what}
}

func (e *Error) Error() string {
	if e.Got > 0 {
		return fmt.Sprintf("%s: %s, over the limit %s = %s", e.What, count(e.Limit, e.Got), e.Limit, count(e.Limit, e.Max))
	}
	return fmt.Sprintf("%s: over the limit %s = %s", e.What, e.Limit, count(e.Limit, e.Max))
}

// Is makes errors.Is(err, ErrExceeded) true.
func (e *Error) Is(target error) bool { return target == ErrExceeded }

// count prints byte budgets in binary units, others as numbers.
func count(limit string, n int64) string {
	if len(limit) > 5 && limit[len(limit)-5:] == "Bytes" {
		switch {
		case n >= 1<<30 && n%(1<<30) == 0:
			return fmt.Sprintf("%d GiB", n>>30)
		case n >= 1<<20 && n%(1<<20) == 0:
			return fmt.Sprintf("%d MiB", n>>20)
		case n >= 1<<10 && n%(1<<10) == 0:
			return fmt.Sprintf("%d KiB", n>>10)
		}
		return fmt.Sprintf("%d bytes", n)
	}
	return fmt.Sprint(n)
}
