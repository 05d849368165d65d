package web

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"html/template"
	"mime"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"yusuan"
	"yusuan/extract"
	"yusuan/extract/draw"
	"yusuan/store"
	"yusuan/vocab"
)

type documentsView struct {
	page
	Q      map[string]string
	Rows   []docRow
	Links  pageLinks
	APIURL string
}

func (s *Server) documents(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	dq, p, err := documentQuery(q)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	res, err := s.st.QueryDocuments(r.Context(), dq)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v := documentsView{page: s.pageOf(r, "Documents", "documents"), Q: formValues(q), Rows: docRows(res.Documents),
		Links: newPageLinks("/documents", q, p, res.Total), APIURL: "/api/documents"}
	if e := r.URL.RawQuery; e != "" {
		v.APIURL += "?" + e
	}
	s.render(w, r, http.StatusOK, "documents", v)
}

// docSHA reads and validates the {sha} of a route.
func docSHA(r *http.Request) (string, error) {
	sha := r.PathValue("sha")
	if !shaRE.MatchString(sha) {
		return "", errNotFound
	}
	return sha, nil
}

type documentView struct {
	page
	Doc           store.DocInfo
	KindLabel     string
	Sources       []sourceView
	Versions      []versionView
	Tables        []tableView
	Facts         []factView
	Findings      []findingRow
	FindingsTotal int
}

type sourceView struct {
	store.Source
	Versions []urlVersion
}

type urlVersion struct {
	store.CrawlVersion
	This bool
}

type versionView struct {
	store.DocInfo
	This    bool
	State   string
	Changes []string
	More    int
	Same    string
}

type tableView struct {
	Index   int
	Kind    yusuan.TableKind
	Label   string
	Title   string
	Unit    string
	Empty   bool
	Pages   []pageLink
	Doubts  string
	Columns []columnView
	Rows    []gridRow
	Codes   bool // some row has a code
	// A two-sided table (收支总表) is shown as printed: each line with its
	// income side and its expenditure side, each side with its columns.
	TwoSided        bool
	InCols, OutCols []columnView
	Lines           []sidedLine
}

type sidedLine struct{ In, Out *gridRow }

type columnView struct{ Key, Header string }

type gridRow struct {
	Code, Name string
	Total      bool
	Cells      []string
}

type factView struct {
	Key, Amount, Unit, Sentence, URL string
	Page                             int
}

// documentFindings is how many findings a document page lists.
const documentFindings = 50

// docParts are what the document page and its API twin both show.
type docParts struct {
	info     store.DocInfo
	doc      *yusuan.Document
	findings store.FindingPage // the first documentFindings
}

func (s *Server) documentParts(r *http.Request) (docParts, error) {
	var d docParts
	sha, err := docSHA(r)
	if err != nil {
		return d, err
	}
	if d.info, err = s.st.DocumentInfo(r.Context(), sha); err != nil {
		return d, err
	}
	if d.doc, err = s.pages.document(r.Context(), sha); err != nil {
		return d, err
	}
	d.findings, err = s.st.QueryFindings(r.Context(), store.FindingFilter{SHA256: sha, All: true, Limit: documentFindings})
	return d, err
}

func (s *Server) document(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	d, err := s.documentParts(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	di, doc, sha := d.info, d.doc, d.info.SHA256
	v := documentView{page: s.pageOf(r, cmp.Or(di.Title, di.File), "documents"), Doc: di, KindLabel: kindLabel(di.Kind, di.Scope)}
	if v.Sources, err = s.sources(ctx, sha); err != nil {
		s.fail(w, r, err)
		return
	}
	if v.Versions, err = s.versions(ctx, sha); err != nil {
		s.fail(w, r, err)
		return
	}
	v.Tables = tableViews(sha, doc.Tables)
	v.Facts = factViews(sha, doc)
	v.Findings, v.FindingsTotal = findingRows(d.findings.Findings), d.findings.Total
	s.render(w, r, http.StatusOK, "document", v)
}

// sources are where a document was seen, each URL with the bodies seen
// at it over time.
func (s *Server) sources(ctx context.Context, sha string) ([]sourceView, error) {
	srcs, err := s.st.Sources(ctx, sha)
	if err != nil {
		return nil, err
	}
	out := make([]sourceView, 0, len(srcs))
	for _, src := range srcs {
		sv := sourceView{Source: src}
		if src.URL != "" {
			vs, err := s.st.CrawlVersions(ctx, src.URL)
			if err != nil {
				return nil, err
			}
			for _, cv := range vs {
				sv.Versions = append(sv.Versions, urlVersion{CrawlVersion: cv, This: cv.SHA256 == sha})
			}
		}
		out = append(out, sv)
	}
	return out, nil
}

// maxChanges is how many changed figures a version lists.
const maxChanges = 12

// versions are the documents of the same entity, year, kind and scope,
// each with what changed against the one before it.
func (s *Server) versions(ctx context.Context, sha string) ([]versionView, error) {
	vs, err := s.st.DocumentVersions(ctx, sha)
	if err != nil || len(vs) < 2 {
		return nil, err
	}
	out := make([]versionView, len(vs))
	var prev *yusuan.Document
	for i, d := range vs {
		vv := versionView{DocInfo: d, This: d.SHA256 == sha}
		switch {
		case d.CopyOf != "":
			vv.State = "copy (same figures)"
		case d.SupersededBy != "":
			vv.State = "superseded"
		case d.Current:
			vv.State = "current"
		default:
			vv.State = d.Status
		}
		doc, err := s.pages.document(ctx, d.SHA256)
		if err != nil {
			return nil, err
		}
		if prev != nil {
			changes := diffDocuments(prev, doc)
			vv.Changes = changes[:min(len(changes), maxChanges)]
			vv.More = len(changes) - len(vv.Changes)
			if len(changes) == 0 {
				vv.Same = "the same figures"
			}
		} else {
			vv.Same = "first stored"
		}
		prev = doc
		out[i] = vv
	}
	return out, nil
}

func tableViews(sha string, tables []yusuan.Table) []tableView {
	out := make([]tableView, 0, len(tables))
	for i, t := range tables {
		tv := tableView{Index: i, Kind: t.Kind, Label: t.Label, Title: t.Title, Unit: t.Unit, Empty: t.Empty}
		for _, p := range t.Pages {
			tv.Pages = append(tv.Pages, pageLink{N: p, URL: pageURL(sha, p)})
		}
		var reasons []string
		for _, d := range t.Doubts {
			if !slices.Contains(reasons, string(d.Reason)) {
				reasons = append(reasons, string(d.Reason))
			}
		}
		tv.Doubts = strings.Join(reasons, ", ")
		for _, k := range t.Columns {
			tv.Columns = append(tv.Columns, columnView{Key: k, Header: cmp.Or(t.Headers[k], vocab.ColumnName(k))})
		}
		tv.Codes = slices.ContainsFunc(t.Rows, func(r yusuan.Row) bool { return r.Code != nil })
		if slices.ContainsFunc(t.Rows, func(r yusuan.Row) bool { return r.Side != "" }) {
			twoSided(&tv, t)
		} else {
			for _, row := range t.Rows {
				tv.Rows = append(tv.Rows, newGridRow(row, tv.Columns))
			}
		}
		out = append(out, tv)
	}
	return out
}

func newGridRow(row yusuan.Row, cols []columnView) gridRow {
	g := gridRow{Code: row.CodeString(), Name: row.Name, Total: row.Code == nil && isTotalName(row.Name)}
	if row.Name2 != "" {
		g.Name += " · " + row.Name2
	}
	for _, c := range cols {
		cell := ""
		if a := row.Values[c.Key]; !a.IsNull() {
			cell = groupDigits(a.String())
		} else if raw, ok := row.Raw[c.Key]; ok {
			cell = raw
		}
		g.Cells = append(g.Cells, cell)
	}
	return g
}

// twoSided lays a two-sided table out as printed: a side's columns are
// those its rows have anything in; an income row and an expenditure row
// printed on one line (their boxes overlap vertically on one page; without
// boxes, one after the other) make one line.
func twoSided(tv *tableView, t yusuan.Table) {
	has := func(side yusuan.Side, key string) bool {
		return slices.ContainsFunc(t.Rows, func(r yusuan.Row) bool {
			_, v := r.Values[key]
			_, raw := r.Raw[key]
			_, box := r.Boxes[key]
			return r.Side == side && (v || raw || box)
		})
	}
	for _, c := range tv.Columns {
		if has(yusuan.SideIncome, c.Key) {
			tv.InCols = append(tv.InCols, c)
		}
		if has(yusuan.SideExpenditure, c.Key) {
			tv.OutCols = append(tv.OutCols, c)
		}
	}
	tv.TwoSided = true
	sameLine := func(a, b yusuan.Row) bool {
		if a.BBox == nil || b.BBox == nil {
			return true
		}
		return a.Page == b.Page && min(a.BBox[3], b.BBox[3]) > max(a.BBox[1], b.BBox[1])
	}
	for i := 0; i < len(t.Rows); i++ {
		r := t.Rows[i]
		var line sidedLine
		switch r.Side {
		case yusuan.SideExpenditure:
			g := newGridRow(r, tv.OutCols)
			line.Out = &g
		default:
			g := newGridRow(r, tv.InCols)
			line.In = &g
			if i+1 < len(t.Rows) && t.Rows[i+1].Side == yusuan.SideExpenditure && sameLine(r, t.Rows[i+1]) {
				o := newGridRow(t.Rows[i+1], tv.OutCols)
				line.Out = &o
				i++
			}
		}
		tv.Lines = append(tv.Lines, line)
	}
}

// isTotalName reports a total line (合计, 总计, 收入总计…), to set it off.
func isTotalName(name string) bool {
	n := strings.Join(strings.Fields(name), "")
	return strings.HasSuffix(n, "合计") || strings.HasSuffix(n, "总计")
}

func factViews(sha string, doc *yusuan.Document) []factView {
	type src struct {
		page     int
		sentence string
	}
	sources := map[string]src{}
	for _, fs := range doc.Sources {
		if _, ok := sources[fs.Key]; !ok {
			sources[fs.Key] = src{fs.Page, fs.Sentence}
		}
	}
	keys := make([]string, 0, len(doc.Facts))
	for k := range doc.Facts {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	out := make([]factView, 0, len(keys))
	for _, k := range keys {
		sr := sources[k]
		fv := factView{Key: k, Amount: groupDigits(doc.Facts[k].String()), Unit: string(store.FactUnit(k)), Page: sr.page, Sentence: sr.sentence}
		if sr.page > 0 {
			fv.URL = fileURL(sha, sr.page)
		}
		out = append(out, fv)
	}
	return out
}

type pageView struct {
	page
	SHA256           string
	Doc              store.DocInfo
	Page             int
	Prev, Next       string
	SVG              template.HTML // from draw only
	Err              string
	Stale            string
	ExtractorVersion string
}

// documentPage draws one page with everything the extractor found on it.
func (s *Server) documentPage(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	sha, err := docSHA(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	n, err := strconv.Atoi(r.PathValue("n"))
	if err != nil || n < 1 || strconv.Itoa(n) != r.PathValue("n") {
		s.fail(w, r, errNotFound)
		return
	}
	di, err := s.st.DocumentInfo(ctx, sha)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if n > di.Pages {
		s.fail(w, r, ErrNoSuchPage)
		return
	}
	v := pageView{page: s.pageOf(r, fmt.Sprintf("Page %d · %s", n, cmp.Or(di.Entity, di.File)), "documents"), SHA256: sha, Doc: di,
		Page: n, ExtractorVersion: extract.Version}
	if n > 1 {
		v.Prev = pageURL(sha, n-1)
	}
	if n < di.Pages {
		v.Next = pageURL(sha, n+1)
	}
	if di.Extractor != extract.Version {
		v.Stale = di.Extractor
	}
	svg, err := s.pages.drawing(ctx, sha, n, draw.Options{Layers: draw.AllLayers, Scale: 1.5})
	switch {
	case err == nil:
		v.SVG = template.HTML(svg)
	case errors.Is(err, ErrNotArchived) || errors.Is(err, context.DeadlineExceeded):
		v.Err = drawError(err)
	default:
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "page", v)
}

// file serves an archived original: looked up by a validated digest in
// the archive only, never by a path from the request.
func (s *Server) file(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("file")
	sha, ok := strings.CutSuffix(name, ".pdf")
	if !ok || !shaRE.MatchString(sha) {
		s.fail(w, r, errNotFound)
		return
	}
	di, err := s.st.DocumentInfo(r.Context(), sha)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	f, err := s.pages.openFile(sha)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	defer f.Close()
	h := w.Header()
	h.Set("Content-Type", "application/pdf")
	h.Set("Content-Disposition", contentDisposition(di.File, sha))
	// The bytes of a digest never change.
	h.Set("Cache-Control", "private, max-age=31536000, immutable")
	h.Set("ETag", `"`+sha+`"`)
	// The PDF viewer is the browser's own: the page's policy must not
	// stop it, but nothing else may frame the file.
	h.Set("Content-Security-Policy", "frame-ancestors 'self'")
	http.ServeContent(w, r, "", time.Time{}, f)
}

// contentDisposition names the file inline: an ASCII fallback and the
// original name (Chinese as often as not) per RFC 5987, with anything that
// could break out of the header or name a path removed.
func contentDisposition(name, sha string) string {
	name = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || r == '/' || r == '\\' || r == '"' {
			return '_'
		}
		return r
	}, name)
	if !strings.HasSuffix(strings.ToLower(name), ".pdf") {
		name += ".pdf"
	}
	ascii := sha[:16] + ".pdf"
	v := mime.FormatMediaType("inline", map[string]string{"filename": ascii})
	if name != ascii {
		v += "; filename*=UTF-8''" + rfc5987(name)
	}
	return v
}

// rfc5987 percent-encodes everything but the attr-char set.
func rfc5987(s string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("!#$&+-.^_`|~", c) >= 0 {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
	}
	return b.String()
}
