package check

import (
	"bufio"
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"yusuan"
	"yusuan/store"
	"yusuan/vocab"
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

// ReportOptions adjust Report.
type ReportOptions struct {
	// All shows false alarms whose verdict still holds (hidden otherwise).
	All bool
}

// Report writes findings for people, false alarms hidden (ReportWith).
func Report(w io.Writer, fs []yusuan.Finding) error { return ReportWith(w, fs, ReportOptions{}) }

// ReportWith writes findings for people: grouped by document (documents
// with the most serious findings first), each group's findings most serious
// first, in aligned columns — id, severity, rule, the tables by their
// printed label and title, pages, the message with its unit — each followed
// by how sure the reading is when not sure, and the verdict; then a count
// line.
func ReportWith(w io.Writer, fs []yusuan.Finding, opt ReportOptions) error {
	type group struct {
		ref  yusuan.DocRef
		fs   []yusuan.Finding
		rank int
	}
	idx := map[string]*group{}
	var groups []*group
	hidden := 0
	for _, f := range fs {
		if !opt.All && Hidden(f) {
			hidden++
			continue
		}
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
	var shown []yusuan.Finding
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
		var notes [][]string
		for _, f := range g.fs {
			shown = append(shown, f)
			pages := pageRanges(f.Pages)
			msg := WithUnit(f.Message, f.Unit)
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
			rows = append(rows, []string{ShortID(f.ID), string(f.Severity), f.Rule, TableNames(f), where, msg})
			notes = append(notes, findingNotes(f))
		}
		writeAligned(bw, rows, notes)
		bw.WriteString("\n")
	}
	fmt.Fprintln(bw, CountLine(shown))
	if hidden > 0 {
		fmt.Fprintf(bw, "%d false alarms hidden (--all shows them)\n", hidden)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write report: %w", err)
	}
	return nil
}

// CountLine is "N findings: E error, W warning, I info".
func CountLine(fs []yusuan.Finding) string {
	n := map[yusuan.Severity]int{}
	for _, f := range fs {
		n[f.Severity]++
	}
	return fmt.Sprintf("%d findings: %d error, %d warning, %d info", len(fs), n[yusuan.SeverityError],
		n[yusuan.SeverityWarning], n[yusuan.SeverityInfo])
}

// ShortID is the start of a finding id that the report prints and `yusuan
// verdict` accepts (12 hex digits: unique among millions of findings).
func ShortID(id string) string {
	if id == "" {
		return "-"
	}
	return id[:min(len(id), len("f-")+12)]
}

// TableNames names the tables a finding rests on as the document prints
// them ("表8 财政拨款“三公”经费支出预算表"), from its evidence; without
// evidence, by the usual name of their kind. The narrative is 情况说明.
func TableNames(f yusuan.Finding) string {
	var names []string
	add := func(n string) {
		if n != "" && !slices.Contains(names, n) {
			names = append(names, n)
		}
	}
	for _, e := range f.Evidence {
		switch {
		case e.Table < 0 || e.Kind == narrativeTable:
			add("情况说明")
		case e.Label != "" && !strings.HasPrefix(e.Title, e.Label):
			add(strings.TrimSpace(e.Label + " " + e.Title))
		case e.Title != "":
			add(e.Title)
		default:
			add(vocab.KindLabel(yusuan.TableKind(e.Kind)))
		}
	}
	if len(names) == 0 {
		for _, k := range f.Tables {
			if k == narrativeTable {
				add("情况说明")
			} else {
				add(vocab.KindLabel(yusuan.TableKind(k)))
			}
		}
	}
	if len(names) == 0 {
		return "-"
	}
	return strings.Join(names, "；")
}

// diffRE finds a difference printed without its unit: "差 1.01" not
// followed by a unit.
var diffRE = regexp.MustCompile(`差 ?(-?[0-9][0-9,]*(?:\.[0-9]+)?)( ?(?:万元|千元|元|%))?`)

// WithUnit adds the finding's unit to every difference its message prints
// without one ("差 1.01" → "差 1.01 万元").
func WithUnit(msg, unit string) string {
	if unit == "" {
		return msg
	}
	return diffRE.ReplaceAllStringFunc(msg, func(m string) string {
		sub := diffRE.FindStringSubmatch(m)
		if sub[2] != "" {
			return m
		}
		return m + " " + unit
	})
}

// findingNotes are the lines printed under a finding: how sure the
// reading is when it is not, and the verdict.
func findingNotes(f yusuan.Finding) []string {
	var out []string
	if f.Confidence != "" && f.Confidence != yusuan.ConfidenceHigh || f.Why != "" {
		line := "confidence " + string(cmp.Or(f.Confidence, yusuan.ConfidenceHigh))
		if f.Why != "" {
			line += ": " + f.Why
		}
		out = append(out, line)
	}
	if v := f.Verdict; v != nil {
		line := "verdict " + string(v.Verdict)
		if v.By != "" {
			line += " by " + v.By
		}
		if !v.At.IsZero() {
			line += " " + v.At.Local().Format(time.DateOnly)
		}
		if v.Note != "" {
			line += ": " + strings.ReplaceAll(v.Note, "\n", " ")
		}
		if v.Stale {
			line += " — STALE: given on other figures (a revised document or another reading); judge again"
		}
		out = append(out, line)
	}
	return out
}

// writeAligned pads every column but the last to its widest cell, counting
// East Asian characters as two columns (tabwriter counts runes). Each row's
// notes follow it on their own lines, under the second column.
func writeAligned(w *bufio.Writer, rows [][]string, notes [][]string) {
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
	for k, r := range rows {
		w.WriteString("  ")
		for i, c := range r {
			w.WriteString(c)
			if i < n-1 {
				w.WriteString(strings.Repeat(" ", widths[i]-displayWidth(c)+2))
			}
		}
		w.WriteByte('\n')
		if k < len(notes) {
			for _, note := range notes[k] {
				w.WriteString(strings.Repeat(" ", 2+widths[0]+2) + "↳ " + note + "\n")
			}
		}
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

// ReportRun writes the check part of the harvest report for a run saved by
// RunStore: the count line with what changed since the run before; the new
// and changed errors and warnings in full; the errors and warnings gone;
// how many new notes. db is the database path shown in the hint.
func ReportRun(ctx context.Context, w io.Writer, st *store.Store, res StoreResult, db string) error {
	changes, err := st.RunChanges(ctx, res.Run.ID)
	if err != nil {
		return err
	}
	visible := Visible(res.Findings)
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "check: %d documents, %s; since the last run: %d new, %d changed, %d gone\n", res.Documents,
		CountLine(visible), res.Run.New, res.Run.Changed, res.Run.Gone)
	if n := len(res.Findings) - len(visible); n > 0 {
		fmt.Fprintf(bw, "%d false alarms hidden by verdicts\n", n)
	}
	var fresh, changed []yusuan.Finding
	var gone []store.RunChange
	var takeovers []string
	notes := 0
	for _, c := range changes {
		f := c.Finding.Finding
		switch {
		case c.Event == "gone":
			if f.Severity != yusuan.SeverityInfo {
				gone = append(gone, c)
			}
		case Hidden(f):
		case f.Severity == yusuan.SeverityInfo:
			notes++
		case c.Event == "changed":
			changed = append(changed, f)
			if c.Replaces != "" {
				takeovers = append(takeovers, fmt.Sprintf("  %s was %s on the previous version of the document", ShortID(f.ID), ShortID(c.Replaces)))
			}
		default:
			fresh = append(fresh, f)
		}
	}
	if len(fresh) > 0 {
		fmt.Fprintln(bw, "\nnew errors and warnings:")
		if err := ReportWith(bw, fresh, ReportOptions{All: true}); err != nil {
			return err
		}
	}
	if len(changed) > 0 {
		fmt.Fprintln(bw, "\nchanged errors and warnings (other figures, or the same defect on a revised document):")
		if err := ReportWith(bw, changed, ReportOptions{All: true}); err != nil {
			return err
		}
		for _, t := range takeovers {
			fmt.Fprintln(bw, t)
		}
	}
	if len(gone) > 0 {
		const shown = 20
		fmt.Fprintln(bw, "\nerrors and warnings gone since the last run:")
		rows := make([][]string, 0, min(len(gone), shown))
		for _, c := range gone[:min(len(gone), shown)] {
			f := c.Finding
			rows = append(rows, []string{ShortID(f.ID), string(f.Severity), f.Rule, docLabel(f.Finding), WithUnit(f.Message, f.Unit)})
		}
		writeAligned(bw, rows, nil)
		if len(gone) > shown {
			fmt.Fprintf(bw, "  … and %d more\n", len(gone)-shown)
		}
	}
	if notes > 0 {
		fmt.Fprintf(bw, "\n%d new or changed notes (rounding 尾差 and the like): yusuan check --db %s lists them\n", notes, db)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write report: %w", err)
	}
	return nil
}

// docLabel names a finding's first document: entity and year.
func docLabel(f yusuan.Finding) string {
	if len(f.Documents) == 0 {
		return "-"
	}
	d := f.Documents[0]
	if d.Year == 0 {
		return cmp.Or(d.Entity, d.File, "-")
	}
	return cmp.Or(d.Entity, d.File) + " " + strconv.Itoa(d.Year)
}
