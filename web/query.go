package web

import (
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"yusuan"
	"yusuan/store"
)

// Pagination: the pages and the API take ?page= (from 1) and ?per_page=.
const (
	defaultPerPage = 50
	maxPerPage     = 500
	maxOffset      = 10_000_000
)

type paging struct {
	Page, PerPage int
}

func (p paging) offset() int { return (p.Page - 1) * p.PerPage }

func parsePaging(q url.Values) (paging, error) {
	p := paging{Page: 1, PerPage: defaultPerPage}
	var err error
	if v := q.Get("page"); v != "" {
		if p.Page, err = strconv.Atoi(v); err != nil || p.Page < 1 {
			return p, badRequestf("page %q: want a number from 1", v)
		}
	}
	if v := q.Get("per_page"); v != "" {
		if p.PerPage, err = strconv.Atoi(v); err != nil || p.PerPage < 1 || p.PerPage > maxPerPage {
			return p, badRequestf("per_page %q: want a number from 1 to %d", v, maxPerPage)
		}
	}
	if p.offset() > maxOffset {
		return p, badRequestf("page %d is too far: narrow the filters instead", p.Page)
	}
	return p, nil
}

var (
	ruleRE    = regexp.MustCompile(`^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*\.?$`)
	shaRE     = regexp.MustCompile(`^[0-9a-f]{64}$`)
	findingRE = regexp.MustCompile(`^f-[0-9a-f]{4,40}(~[0-9]{1,4})?$`)
)

// text reads a free-text parameter: trimmed, at most max characters, no
// control characters.
func text(q url.Values, name string, max int) (string, error) {
	v := strings.TrimSpace(q.Get(name))
	if utf8.RuneCountInString(v) > max || !utf8.ValidString(v) || strings.ContainsFunc(v, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
		return "", badRequestf("%s: at most %d characters of text", name, max)
	}
	return v, nil
}

func intParam(q url.Values, name string, lo, hi int) (int, error) {
	v := q.Get(name)
	if v == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < lo || n > hi {
		return 0, badRequestf("%s %q: want a number from %d to %d", name, v, lo, hi)
	}
	return n, nil
}

func boolParam(q url.Values, name string) bool {
	switch q.Get(name) {
	case "1", "true", "on", "yes":
		return true
	}
	return false
}

// findingFilter reads the filters of /findings and /api/findings.
func findingFilter(q url.Values) (store.FindingFilter, paging, error) {
	var f store.FindingFilter
	p, err := parsePaging(q)
	if err != nil {
		return f, p, err
	}
	f.Severity = yusuan.Severity(q.Get("severity"))
	if f.Rule = q.Get("rule"); f.Rule != "" && (len(f.Rule) > 100 || !ruleRE.MatchString(f.Rule)) {
		return f, p, badRequestf("rule %q: want a rule id such as row.sum, or a prefix such as cross.", f.Rule)
	}
	if f.Region, err = text(q, "region", 60); err != nil {
		return f, p, err
	}
	if f.Entity, err = text(q, "entity", 100); err != nil {
		return f, p, err
	}
	if f.Year, err = intParam(q, "year", 1949, 2200); err != nil {
		return f, p, err
	}
	id, err := intParam(q, "entity_id", 1, 1<<31)
	if err != nil {
		return f, p, err
	}
	f.EntityID = int64(id)
	run, err := intParam(q, "new_in", 1, 1<<31)
	if err != nil {
		return f, p, err
	}
	f.NewIn = int64(run)
	if f.SHA256 = q.Get("document"); f.SHA256 != "" && !shaRE.MatchString(f.SHA256) {
		return f, p, badRequestf("document: want a sha256 (64 lower-case hex digits)")
	}
	f.Verdict, f.Status, f.Sort = q.Get("verdict"), q.Get("status"), q.Get("sort")
	f.All = boolParam(q, "all") || f.Verdict == string(yusuan.VerdictFalseAlarm)
	f.Limit, f.Offset = p.PerPage, p.offset()
	if err := f.Validate(); err != nil {
		return f, p, badRequest{err.Error()}
	}
	return f, p, nil
}

// documentQuery reads the filters of /documents and /api/documents.
func documentQuery(q url.Values) (store.DocumentQuery, paging, error) {
	var d store.DocumentQuery
	p, err := parsePaging(q)
	if err != nil {
		return d, p, err
	}
	if d.Year, err = intParam(q, "year", 1949, 2200); err != nil {
		return d, p, err
	}
	switch k := yusuan.DocKind(q.Get("kind")); k {
	case "", yusuan.KindBudget, yusuan.KindFinalAccount, yusuan.KindUnknown:
		d.Kind = k
	default:
		return d, p, badRequestf("kind %q: want budget, final_account or unknown", k)
	}
	switch sc := yusuan.Scope(q.Get("scope")); sc {
	case "", yusuan.ScopeUnit, yusuan.ScopeDepartment, yusuan.ScopeUnknown:
		d.Scope = sc
	default:
		return d, p, badRequestf("scope %q: want unit, department or unknown", sc)
	}
	d.Status = q.Get("status")
	if d.Region, err = text(q, "region", 60); err != nil {
		return d, p, err
	}
	if d.Entity, err = text(q, "entity", 100); err != nil {
		return d, p, err
	}
	id, err := intParam(q, "entity_id", 1, 1<<31)
	if err != nil {
		return d, p, err
	}
	d.EntityID = int64(id)
	d.All = boolParam(q, "all")
	d.Limit, d.Offset = p.PerPage, p.offset()
	if err := d.Validate(); err != nil {
		return d, p, badRequest{err.Error()}
	}
	return d, p, nil
}

// pageLinks are the links of a paginated list: the same query with
// another page.
type pageLinks struct {
	Page, Pages, Total int
	Prev, Next         string
	First, Last        string
}

func newPageLinks(path string, q url.Values, p paging, total int) pageLinks {
	pages := max(1, (total+p.PerPage-1)/p.PerPage)
	at := func(n int) string {
		v := url.Values{}
		for k, vs := range q {
			if k != "page" && len(vs) > 0 && vs[0] != "" {
				v.Set(k, vs[0])
			}
		}
		if n > 1 {
			v.Set("page", strconv.Itoa(n))
		}
		if e := v.Encode(); e != "" {
			return path + "?" + e
		}
		return path
	}
	l := pageLinks{Page: p.Page, Pages: pages, Total: total}
	if p.Page > 1 {
		l.Prev, l.First = at(min(p.Page-1, pages)), at(1)
	}
	if p.Page < pages {
		l.Next, l.Last = at(p.Page+1), at(pages)
	}
	return l
}
