package web

import (
	"cmp"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"yusuan"
	"yusuan/check"
	"yusuan/store"
)

// pageNames are the page templates, each parsed with base.html.
var pageNames = []string{"overview", "findings", "finding", "documents", "document", "page", "entity", "error"}

var templateFuncs = template.FuncMap{
	"fmtTime":  fmtTime,
	"fmtBytes": fmtBytes,
	"short":    func(sha string) string { return sha[:min(12, len(sha))] },
	"add":      func(a, b int) int { return a + b },
	"sub":      func(a, b int) int { return a - b },
}

func parseTemplates() (map[string]*template.Template, error) {
	out := map[string]*template.Template{}
	for _, name := range pageNames {
		t, err := template.New(name).Funcs(templateFuncs).ParseFS(templateFiles, "templates/base.html", "templates/"+name+".html")
		if err != nil {
			return nil, fmt.Errorf("web: template %s: %w", name, err)
		}
		out[name] = t
	}
	return out, nil
}

func fmtTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Local().Format("2006-01-02 15:04")
}

func fmtBytes(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.0f KB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d bytes", n)
}

// page is what every page template reads.
type page struct {
	Title string
	Nav   string // the navigation item to mark
	User  string // the authenticated user, if any
}

func (s *Server) pageOf(r *http.Request, title, nav string) page {
	u, _ := r.Context().Value(userKey{}).(string)
	return page{Title: title, Nav: nav, User: u}
}

type errorView struct {
	page
	Status  int
	Message string
}

// groupDigits prints a decimal amount with thousands separators
// (1234567.89 → 1,234,567.89), as budget tables print them.
func groupDigits(s string) string {
	sign := ""
	if strings.HasPrefix(s, "-") {
		sign, s = "-", s[1:]
	}
	intPart, frac, hasFrac := strings.Cut(s, ".")
	if strings.Trim(intPart, "0123456789") != "" {
		return sign + s
	}
	var b strings.Builder
	b.WriteString(sign)
	for i, c := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if hasFrac {
		b.WriteByte('.')
		b.WriteString(frac)
	}
	return b.String()
}

// Labels of document kinds and scopes as a reader names them.
func kindLabel(kind yusuan.DocKind, scope yusuan.Scope) string {
	k := map[yusuan.DocKind]string{yusuan.KindBudget: "预算", yusuan.KindFinalAccount: "决算"}[kind]
	sc := map[yusuan.Scope]string{yusuan.ScopeDepartment: "部门", yusuan.ScopeUnit: "单位"}[scope]
	if k == "" && sc == "" {
		return "unknown"
	}
	return sc + cmp.Or(k, "?")
}

// pageLink is a page number with where it leads.
type pageLink struct {
	N   int
	URL string
}

// fileURL opens the archived original at a page, in the browser's viewer.
func fileURL(sha string, page int) string {
	u := "/files/" + sha + ".pdf"
	if page > 0 {
		u += "#page=" + strconv.Itoa(page)
	}
	return u
}

func pageURL(sha string, page int) string {
	return "/documents/" + sha + "/pages/" + strconv.Itoa(page)
}

// findingRow is one finding in a list.
type findingRow struct {
	ID, Short  string
	Severity   yusuan.Severity
	Confidence yusuan.Confidence
	Why        string
	Rule       string
	Entity     string
	EntityID   int64
	Year       int
	Tables     string // by printed label and title
	Message    string // with units
	PageLinks  []pageLink
	Verdict    *yusuan.Verdict
	Status     string
}

func newFindingRow(f store.StoredFinding) findingRow {
	row := findingRow{ID: f.ID, Short: check.ShortID(f.ID), Severity: f.Severity, Confidence: cmp.Or(f.Confidence, yusuan.ConfidenceHigh),
		Why: f.Why, Rule: f.Rule, EntityID: f.EntityID, Tables: check.TableNames(f.Finding),
		Message: check.WithUnit(f.Message, f.Unit), Verdict: f.Verdict, Status: f.Status}
	sha := ""
	if len(f.Documents) > 0 {
		d := f.Documents[0]
		row.Entity, row.Year, sha = cmp.Or(d.Entity, d.File), d.Year, d.SHA256
	}
	for _, p := range f.Pages {
		// The pages of the first document, where the evidence says so.
		psha := sha
		for _, e := range f.Evidence {
			if e.Page == p && e.SHA256 != "" {
				psha = e.SHA256
				break
			}
		}
		l := pageLink{N: p, URL: "/findings/" + f.ID}
		if psha != "" {
			l.URL = pageURL(psha, p)
		}
		row.PageLinks = append(row.PageLinks, l)
	}
	return row
}

func findingRows(fs []store.StoredFinding) []findingRow {
	out := make([]findingRow, len(fs))
	for i, f := range fs {
		out[i] = newFindingRow(f)
	}
	return out
}

// docRow is one document in a list.
type docRow struct {
	store.DocInfo
	KindLabel string
}

func docRows(ds []store.DocInfo) []docRow {
	out := make([]docRow, len(ds))
	for i, d := range ds {
		out[i] = docRow{DocInfo: d, KindLabel: kindLabel(d.Kind, d.Scope)}
	}
	return out
}

// formValues are a query's first values, for refilling a form.
func formValues(q url.Values) map[string]string {
	out := map[string]string{}
	for k, v := range q {
		if len(v) > 0 {
			out[k] = v[0]
		}
	}
	return out
}
