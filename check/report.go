package check

import (
	"bufio"
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"yusuan"
)

// Filter selects findings for output (yusuan check --year --rule --entity).
type Filter struct {
	Year int // 0: any
	// Rules are ids or prefixes ending in "."; empty: any.
	Rules []string
	// Entity matches a substring of any involved document's entity, compared
	// after normalisation; "": any.
	Entity string
	// MinSeverity drops less serious findings; "": keep all.
	MinSeverity yusuan.Severity
}

// Match reports whether a finding passes the filter.
func (f Filter) Match(x yusuan.Finding) bool {
	if len(f.Rules) > 0 && !(Options{Rules: f.Rules}).wants(x.Rule) {
		return false
	}
	if f.MinSeverity != "" && x.Severity.Rank() > f.MinSeverity.Rank() {
		return false
	}
	if f.Year != 0 && !slices.ContainsFunc(x.Documents, func(d yusuan.DocRef) bool { return d.Year == f.Year }) {
		return false
	}
	if f.Entity != "" {
		want := normEntity(f.Entity)
		if !slices.ContainsFunc(x.Documents, func(d yusuan.DocRef) bool { return strings.Contains(normEntity(d.Entity), want) }) {
			return false
		}
	}
	return true
}

// Apply keeps the findings that match.
func (f Filter) Apply(fs []yusuan.Finding) []yusuan.Finding {
	var out []yusuan.Finding
	for _, x := range fs {
		if f.Match(x) {
			out = append(out, x)
		}
	}
	return out
}

// WriteJSON writes one finding per line (docs/cli.md).
func WriteJSON(w io.Writer, fs []yusuan.Finding) error {
	bw := bufio.NewWriter(w)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	for i := range fs {
		x := fs[i]
		if x.Documents == nil {
			x.Documents = []yusuan.DocRef{}
		}
		if x.Tables == nil {
			x.Tables = []string{}
		}
		if err := enc.Encode(x); err != nil {
			return fmt.Errorf("write finding: %w", err)
		}
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write findings: %w", err)
	}
	return nil
}

// Report writes findings for people: grouped by document (documents with
// the most serious findings first), each group's findings most serious
// first, in aligned columns, then a count line.
func Report(w io.Writer, fs []yusuan.Finding) error {
	type group struct {
		ref  yusuan.DocRef
		fs   []yusuan.Finding
		rank int
	}
	idx := map[string]*group{}
	var groups []*group
	for _, f := range fs {
		ref := yusuan.DocRef{}
		if len(f.Documents) > 0 {
			ref = f.Documents[0]
		}
		k := ref.SHA256 + "\x00" + ref.File
		g := idx[k]
		if g == nil {
			g = &group{ref: ref, rank: 3}
			idx[k] = g
			groups = append(groups, g)
		}
		g.fs = append(g.fs, f)
		g.rank = min(g.rank, f.Severity.Rank())
	}
	slices.SortStableFunc(groups, func(a, b *group) int {
		return cmp.Or(cmp.Compare(a.rank, b.rank), cmp.Compare(a.ref.Entity, b.ref.Entity),
			cmp.Compare(a.ref.Year, b.ref.Year), cmp.Compare(a.ref.File, b.ref.File))
	})
	bw := bufio.NewWriter(w)
	counts := map[yusuan.Severity]int{}
	for _, g := range groups {
		slices.SortStableFunc(g.fs, func(a, b yusuan.Finding) int {
			return cmp.Or(cmp.Compare(a.Severity.Rank(), b.Severity.Rank()), cmp.Compare(ruleOrder(a.Rule), ruleOrder(b.Rule)))
		})
		title := g.ref.Entity
		if title == "" {
			title = "（未知主体）"
		}
		if g.ref.Year != 0 {
			title += " " + strconv.Itoa(g.ref.Year)
		}
		if g.ref.File != "" {
			title += "  " + g.ref.File
		}
		if g.ref.SHA256 != "" {
			title += "  " + g.ref.SHA256[:min(12, len(g.ref.SHA256))]
		}
		fmt.Fprintf(bw, "%s\n", title)
		rows := make([][]string, 0, len(g.fs))
		for _, f := range g.fs {
			counts[f.Severity]++
			pages := pageRanges(f.Pages)
			msg := f.Message
			if len(f.Documents) > 1 {
				var others []string
				for _, d := range f.Documents[1:] {
					others = append(others, fmt.Sprintf("%s %d", d.Entity, d.Year))
				}
				msg += "  〔另见 " + strings.Join(others, "；") + "〕"
			}
			where := "-"
			if len(pages) > 0 {
				where = "p." + strings.Join(pages, ",")
			}
			rows = append(rows, []string{string(f.Severity), f.Rule, strings.Join(f.Tables, ","), where, msg})
		}
		writeAligned(bw, rows)
		bw.WriteString("\n")
	}
	fmt.Fprintf(bw, "%d findings: %d error, %d warning, %d info\n", len(fs),
		counts[yusuan.SeverityError], counts[yusuan.SeverityWarning], counts[yusuan.SeverityInfo])
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write report: %w", err)
	}
	return nil
}

// writeAligned pads every column but the last to its widest cell, counting
// East Asian characters as two columns (tabwriter counts runes).
func writeAligned(w *bufio.Writer, rows [][]string) {
	if len(rows) == 0 {
		return
	}
	n := len(rows[0])
	widths := make([]int, n)
	for _, r := range rows {
		for i := 0; i < n-1; i++ {
			widths[i] = max(widths[i], displayWidth(r[i]))
		}
	}
	for _, r := range rows {
		w.WriteString("  ")
		for i, c := range r {
			w.WriteString(c)
			if i < n-1 {
				w.WriteString(strings.Repeat(" ", widths[i]-displayWidth(c)+2))
			}
		}
		w.WriteByte('\n')
	}
}

func displayWidth(s string) int {
	n := 0
	for _, r := range s {
		if isWide(r) {
			n += 2
		} else {
			n++
		}
	}
	return n
}

func isWide(r rune) bool {
	return unicode.Is(unicode.Han, r) ||
		(r >= 0x3000 && r <= 0x303f) || (r >= 0xff00 && r <= 0xff60) || (r >= 0xffe0 && r <= 0xffe6) ||
		(r >= 0x2e80 && r <= 0x2fdf) || (r >= 0x3040 && r <= 0x30ff) || (r >= 0xac00 && r <= 0xd7a3)
}

// pageRanges prints sorted pages compactly: 3,4,5,9 → 3-5,9.
func pageRanges(ps []int) []string {
	var out []string
	for i := 0; i < len(ps); {
		j := i
		for j+1 < len(ps) && ps[j+1] == ps[j]+1 {
			j++
		}
		if j > i {
			out = append(out, strconv.Itoa(ps[i])+"-"+strconv.Itoa(ps[j]))
		} else {
			out = append(out, strconv.Itoa(ps[i]))
		}
		i = j + 1
	}
	return out
}
