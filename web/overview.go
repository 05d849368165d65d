package web

import (
	"cmp"
	"context"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"yusuan"
	"yusuan/check"
	"yusuan/store"
)

type overviewView struct {
	page
	Documents, Failed, Judged int
	Severities                []severityCount
	Rules                     []ruleRow
	YearColumns               []string
	Years                     []yearRow
	Regions                   []store.RegionCount
	Failures                  []failureRow
	Runs                      []store.CheckRun
	Crawls                    []store.CrawlRunSummary
}

type severityCount struct {
	Severity yusuan.Severity
	N        int
	URL      string
}

type countCell struct {
	N   int
	URL string
}

type ruleRow struct {
	Rule, Description, URL string
	Cells                  []countCell // error, warning, info
}

type yearRow struct {
	Year  int
	Cells []countCell
}

type failureRow struct {
	store.FailureCount
	Kind string
}

var severities = []yusuan.Severity{yusuan.SeverityError, yusuan.SeverityWarning, yusuan.SeverityInfo}

// maxRegions is how many regions the overview lists.
const maxRegions = 20

func (s *Server) overview(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	v := overviewView{page: s.pageOf(r, "Overview", "")}
	counts, err := s.st.CountFindings(ctx, store.FindingFilter{})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	bySev := map[yusuan.Severity]int{}
	rules := map[string]*ruleRow{}
	var ruleIDs []string
	for _, c := range counts {
		bySev[c.Severity] += c.N
		rr := rules[c.Rule]
		if rr == nil {
			rr = &ruleRow{Rule: c.Rule, URL: "/findings?rule=" + url.QueryEscape(c.Rule), Cells: make([]countCell, 3)}
			if rule, ok := check.Lookup(c.Rule); ok {
				rr.Description = rule.Description
			}
			rules[c.Rule] = rr
			ruleIDs = append(ruleIDs, c.Rule)
		}
		rr.Cells[c.Severity.Rank()] = countCell{N: c.N, URL: "/findings?rule=" + url.QueryEscape(c.Rule) + "&severity=" + string(c.Severity)}
	}
	// Rules with errors first, then by how many findings they have.
	slices.SortFunc(ruleIDs, func(a, b string) int {
		x, y := rules[a], rules[b]
		for i := range 3 {
			if c := cmp.Compare(y.Cells[i].N, x.Cells[i].N); c != 0 {
				return c
			}
		}
		return cmp.Compare(a, b)
	})
	for _, id := range ruleIDs {
		v.Rules = append(v.Rules, *rules[id])
	}
	for _, sev := range severities {
		v.Severities = append(v.Severities, severityCount{Severity: sev, N: bySev[sev], URL: "/findings?severity=" + string(sev)})
	}
	judged, err := s.st.CountFindings(ctx, store.FindingFilter{Verdict: store.VerdictAny, All: true})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	for _, c := range judged {
		v.Judged += c.N
	}
	if err := s.documentCounts(r, &v); err != nil {
		s.fail(w, r, err)
		return
	}
	if v.Runs, err = s.st.RecentRuns(ctx, 5); err != nil {
		s.fail(w, r, err)
		return
	}
	if v.Crawls, err = s.st.RecentCrawlRuns(ctx, 5); err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "overview", v)
}

// documentCounts fills the overview's documents by year, kind and scope,
// by region, and the extraction failures.
func (s *Server) documentCounts(r *http.Request, v *overviewView) error {
	ctx := r.Context()
	counts, err := s.st.CountDocuments(ctx)
	if err != nil {
		return err
	}
	type col struct {
		kind  yusuan.DocKind
		scope yusuan.Scope
	}
	var cols []col
	years := map[int]map[col]int{}
	var yearList []int
	for _, c := range counts {
		v.Documents += c.N
		if c.Status == store.StatusFailed {
			v.Failed += c.N
		}
		k := col{c.Kind, c.Scope}
		if !slices.Contains(cols, k) {
			cols = append(cols, k)
		}
		if years[c.Year] == nil {
			years[c.Year] = map[col]int{}
			yearList = append(yearList, c.Year)
		}
		years[c.Year][k] += c.N
	}
	// Budgets before final accounts, departments before units.
	rank := func(c col) int {
		return map[yusuan.DocKind]int{yusuan.KindBudget: 0, yusuan.KindFinalAccount: 1}[c.kind]*10 +
			map[yusuan.Scope]int{yusuan.ScopeDepartment: 0, yusuan.ScopeUnit: 1}[c.scope] +
			map[bool]int{true: 100}[c.kind == yusuan.KindUnknown || c.kind == ""] +
			map[bool]int{true: 2}[c.scope == yusuan.ScopeUnknown || c.scope == ""]
	}
	slices.SortFunc(cols, func(a, b col) int { return cmp.Compare(rank(a), rank(b)) })
	for _, c := range cols {
		v.YearColumns = append(v.YearColumns, kindLabel(c.kind, c.scope))
	}
	slices.SortFunc(yearList, func(a, b int) int { return cmp.Compare(b, a) })
	for _, y := range yearList {
		row := yearRow{Year: y}
		for _, c := range cols {
			q := url.Values{"kind": {string(c.kind)}, "scope": {string(c.scope)}}
			if y != 0 {
				q.Set("year", strconv.Itoa(y))
			}
			row.Cells = append(row.Cells, countCell{N: years[y][c], URL: "/documents?" + q.Encode()})
		}
		v.Years = append(v.Years, row)
	}
	regions, err := s.st.CountDocumentsByRegion(ctx)
	if err != nil {
		return err
	}
	v.Regions = provinces(regions)
	failures, err := s.countFailures(ctx)
	if err != nil {
		return err
	}
	// One line per kind, with its latest reason.
	at := map[string]int{}
	for _, f := range failures {
		k := cmp.Or(f.Kind, failureKind(f.Error))
		if i, ok := at[k]; ok {
			v.Failures[i].N += f.N
			continue
		}
		at[k] = len(v.Failures)
		v.Failures = append(v.Failures, failureRow{FailureCount: f, Kind: k})
	}
	return nil
}

// provinces folds region counts into their provinces (江苏省苏州市 into
// 江苏省), most documents first; names without a place come last.
func provinces(rs []store.RegionCount) []store.RegionCount {
	n := map[string]int{}
	var order []string
	for _, r := range rs {
		p := store.Province(r.Region)
		if p == "" {
			p = r.Region // a city without its province (深圳市…): as named
		}
		if _, ok := n[p]; !ok {
			order = append(order, p)
		}
		n[p] += r.N
	}
	slices.SortFunc(order, func(a, b string) int {
		if (a == "") != (b == "") {
			return map[bool]int{true: 1, false: -1}[a == ""]
		}
		return cmp.Or(cmp.Compare(n[b], n[a]), cmp.Compare(a, b))
	})
	out := make([]store.RegionCount, 0, min(len(order), maxRegions))
	for _, p := range order {
		if len(out) == maxRegions && p != "" {
			continue
		}
		out = append(out, store.RegionCount{Region: p, N: n[p]})
	}
	return out
}

// failureKind is the first part of a stored extraction error ("not a
// PDF", "gave up after 1m0s"): what the overview groups failures by that
// were stored without their kind.
func failureKind(msg string) string {
	k, _, _ := strings.Cut(msg, ":")
	k = strings.TrimSpace(k)
	if r := []rune(k); len(r) > 40 {
		k = string(r[:40]) + "…"
	}
	return cmp.Or(k, "unknown")
}

// failuresTTL bounds how long counted failures are kept even when the set
// of failed documents stays the same (a re-extraction that fails again
// for another reason).
const failuresTTL = 10 * time.Minute

// countFailures counts the extraction failures, again only when the set
// of failed documents changed.
func (s *Server) countFailures(ctx context.Context) ([]store.FailureCount, error) {
	stamp, err := s.st.FailureStamp(ctx)
	if err != nil {
		return nil, err
	}
	c := &s.failures
	c.Lock()
	defer c.Unlock()
	if c.stamp == stamp && time.Since(c.at) < failuresTTL {
		return c.val, nil
	}
	val, err := s.st.CountFailures(ctx, 20)
	if err != nil {
		return nil, err
	}
	c.stamp, c.at, c.val = stamp, time.Now(), val
	return val, nil
}
