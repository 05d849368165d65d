package web

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"slices"
	"strings"
	"time"

	"yusuan"
	"yusuan/check"
	"yusuan/extract"
	"yusuan/extract/draw"
	"yusuan/store"
	"yusuan/vocab"
)

type option struct{ Value, Label string }

var (
	verdictOptions = []option{{"", "any"}, {store.VerdictNone, "none yet"}, {store.VerdictAny, "judged"},
		{string(yusuan.VerdictConfirmed), "confirmed"}, {string(yusuan.VerdictFalseAlarm), "false alarm"},
		{string(yusuan.VerdictExplained), "explained"}, {store.VerdictStale, "stale (judge again)"}}
	sortOptions = []option{{"", "most serious first"}, {store.SortEntity, "entity"}, {store.SortYear, "newest year"},
		{store.SortRule, "rule"}, {store.SortRecent, "newest reported"}}
)

type findingsView struct {
	page
	Q          map[string]string
	Severities []yusuan.Severity
	Rules      []string
	Verdicts   []option
	Sorts      []option
	Scope      string
	Rows       []findingRow
	Links      pageLinks
	APIURL     string
}

func (s *Server) findings(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	q := r.URL.Query()
	f, p, err := findingFilter(q)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	res, err := s.st.QueryFindings(ctx, f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v := findingsView{page: s.pageOf(r, "Findings", "findings"), Q: formValues(q), Severities: severities,
		Verdicts: verdictOptions, Sorts: sortOptions, Rows: findingRows(res.Findings),
		Links: newPageLinks("/findings", q, p, res.Total), APIURL: "/api/findings"}
	if e := r.URL.RawQuery; e != "" {
		v.APIURL += "?" + e
	}
	counts, err := s.st.CountFindings(ctx, store.FindingFilter{All: true})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	for _, c := range counts {
		if !slices.Contains(v.Rules, c.Rule) {
			v.Rules = append(v.Rules, c.Rule)
		}
	}
	if f.Rule != "" && !slices.Contains(v.Rules, f.Rule) {
		v.Rules = append(v.Rules, f.Rule) // a prefix (cross.) stays selected
	}
	if v.Scope, err = s.findingScope(ctx, f); err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "findings", v)
}

// findingScope says what a list is narrowed to beyond the form's
// filters: one entity, one document, one run.
func (s *Server) findingScope(ctx context.Context, f store.FindingFilter) (string, error) {
	var parts []string
	if f.EntityID != 0 {
		e, err := s.st.Entity(ctx, f.EntityID)
		switch {
		case errors.Is(err, store.ErrEntityNotFound):
			parts = append(parts, fmt.Sprintf("of entity #%d, which does not exist", f.EntityID))
		case err != nil:
			return "", err
		default:
			parts = append(parts, "of "+e.Name)
		}
	}
	if f.SHA256 != "" {
		d, err := s.st.DocumentInfo(ctx, f.SHA256)
		switch {
		case errors.Is(err, store.ErrNotFound):
			parts = append(parts, "on a document not in the store")
		case err != nil:
			return "", err
		default:
			parts = append(parts, fmt.Sprintf("on %s %d (%s)", d.Entity, d.Year, d.File))
		}
	}
	if f.NewIn != 0 {
		parts = append(parts, fmt.Sprintf("new, changed or back in check run #%d", f.NewIn))
	}
	if f.Status == "gone" {
		parts = append(parts, "gone")
	}
	if len(parts) == 0 {
		return "", nil
	}
	return "Findings " + strings.Join(parts, ", ") + ".", nil
}

type findingView struct {
	page
	findingRow
	F                store.StoredFinding
	Documents        []yusuan.DocRef
	RuleDescription  string
	Evidence         []evidenceRow
	Narrative        []evidenceRow
	Pages            []evidencePage
	History          []historyLine
	ExtractorVersion string
	CSRF             string
	Kinds            []verdictKind
	AskBy            bool
	By               string
	Saved            bool
}

type evidenceRow struct {
	Role, Table, Row, Column string
	Page                     int
	PageURL, FileURL         string
	Text, Amount, Unit       string
}

type evidencePage struct {
	SHA256, Short string
	Entity        string
	Year, Page    int
	Crop, SVG     template.HTML // from draw only: its text is escaped there
	FileURL       string
	PageURL       string
	Archived      bool
	Err           string
	Stale         string // the older extractor version the document was read by
}

type historyLine struct {
	At   time.Time
	Text string
}

type verdictKind struct {
	Value, Label string
	Checked      bool
}

// maxEvidencePages bounds the pages drawn for one finding.
const maxEvidencePages = 6

// lookupFinding reads the finding of a route's {id}; an id as the CLI
// prints it (its first 12 digits) redirects to the full id under prefix.
// It answers the request itself when it returns false.
func (s *Server) lookupFinding(w http.ResponseWriter, r *http.Request, prefix string) (store.StoredFinding, bool) {
	id := r.PathValue("id")
	if !findingRE.MatchString(id) {
		s.fail(w, r, errNotFound)
		return store.StoredFinding{}, false
	}
	f, err := s.st.Finding(r.Context(), id)
	if errors.Is(err, store.ErrFindingNotFound) {
		if full, rerr := s.st.ResolveFindingID(r.Context(), id); rerr == nil {
			http.Redirect(w, r, prefix+full, http.StatusFound)
			return f, false
		}
	}
	if err != nil {
		s.fail(w, r, err)
		return f, false
	}
	return f, true
}

func (s *Server) finding(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	f, ok := s.lookupFinding(w, r, "/findings/")
	if !ok {
		return
	}
	var err error
	v := findingView{page: s.pageOf(r, check.ShortID(f.ID)+" "+f.Rule, "findings"), findingRow: newFindingRow(f),
		F: f, Documents: f.Documents, ExtractorVersion: extract.Version,
		CSRF: s.csrf.token(s.csrf.session(w, r)), Saved: r.URL.Query().Get("saved") == "1"}
	if rule, ok := check.Lookup(f.Rule); ok {
		v.RuleDescription = rule.Description
	}
	for _, e := range f.Evidence {
		row := newEvidenceRow(e)
		if e.Table < 0 || e.Kind == "narrative" {
			v.Narrative = append(v.Narrative, row)
		} else {
			v.Evidence = append(v.Evidence, row)
		}
	}
	v.Pages = s.evidencePages(ctx, f)
	if v.History, err = s.history(ctx, f.ID); err != nil {
		s.fail(w, r, err)
		return
	}
	for _, k := range []verdictKind{{Value: string(yusuan.VerdictConfirmed), Label: "a real inconsistency in the published document"},
		{Value: string(yusuan.VerdictFalseAlarm), Label: "a misread or a gap of the checker"},
		{Value: string(yusuan.VerdictExplained), Label: "real, and the document explains it"}} {
		k.Checked = f.Verdict != nil && string(f.Verdict.Verdict) == k.Value
		v.Kinds = append(v.Kinds, k)
	}
	v.AskBy, v.By = v.User == "", cmp.Or(v.User, s.opt.By)
	s.render(w, r, http.StatusOK, "finding", v)
}

func newEvidenceRow(e yusuan.Evidence) evidenceRow {
	row := evidenceRow{Role: e.Role, Page: e.Page, Text: e.Text, Amount: groupDigits(e.Amount.String()), Unit: e.Unit}
	switch {
	case e.Label != "" && !strings.HasPrefix(e.Title, e.Label):
		row.Table = e.Label + " " + e.Title
	case e.Title != "":
		row.Table = e.Title
	default:
		row.Table = vocab.KindLabel(yusuan.TableKind(e.Kind))
	}
	row.Row = strings.TrimSpace(strings.Join([]string{deref(e.Code), e.Row}, " "))
	if e.Side != "" {
		row.Row += " (" + string(e.Side) + ")"
	}
	row.Column = cmp.Or(e.Header, vocab.ColumnName(e.Column))
	if e.SHA256 != "" && e.Page > 0 {
		row.FileURL = fileURL(e.SHA256, e.Page)
		if e.Table >= 0 {
			row.PageURL = pageURL(e.SHA256, e.Page)
		}
	}
	return row
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// evidenceLayers are drawn under a finding's outlines on the whole page:
// the table regions and the value boxes, enough to see the cells in their
// table without the clutter of every layer (the page view has them all).
// Crops show the value boxes only: a crop is a few rows, where a table's
// label would cover them.
const (
	evidenceLayers = draw.Regions | draw.Cells
	cropLayers     = draw.Cells
)

// evidencePages draws each page a finding cites, with its cells outlined:
// a crop around them and the whole page. A page that cannot be drawn says
// why instead.
func (s *Server) evidencePages(ctx context.Context, f store.StoredFinding) []evidencePage {
	type key struct {
		sha  string
		page int
	}
	var keys []key
	for _, e := range f.Evidence {
		k := key{e.SHA256, e.Page}
		if citesPage(e) && !slices.Contains(keys, k) {
			keys = append(keys, k)
		}
	}
	if len(keys) == 0 && len(f.Documents) > 0 {
		// A finding without cells (a missing table): the pages it names.
		for _, p := range f.Pages {
			keys = append(keys, key{f.Documents[0].SHA256, p})
		}
	}
	keys = keys[:min(len(keys), maxEvidencePages)]
	cited := map[string][]int{}
	for _, k := range keys {
		cited[k.sha] = append(cited[k.sha], k.page)
	}
	for sha, pages := range cited {
		_ = s.pages.readPages(ctx, sha, pages) // a page that fails says so below
	}
	var out []evidencePage
	for _, k := range keys {
		ep := evidencePage{SHA256: k.sha, Short: k.sha[:min(12, len(k.sha))], Page: k.page, FileURL: fileURL(k.sha, k.page),
			PageURL: pageURL(k.sha, k.page), Archived: s.pages.files.Has(k.sha)}
		for _, d := range f.Documents {
			if d.SHA256 == k.sha {
				ep.Entity, ep.Year = d.Entity, d.Year
			}
		}
		if di, err := s.st.DocumentInfo(ctx, k.sha); err == nil && di.Extractor != extract.Version {
			ep.Stale = di.Extractor
		}
		hs := pageHighlights(f.Evidence, k.sha, k.page)
		if len(hs) > 0 {
			crop, err := s.pages.drawing(ctx, k.sha, k.page, draw.Options{Layers: cropLayers, Highlights: hs, Crop: true, Scale: 1.6})
			if err != nil {
				ep.Err = drawError(err)
				out = append(out, ep)
				continue
			}
			ep.Crop = template.HTML(crop)
		}
		whole, err := s.pages.drawing(ctx, k.sha, k.page, draw.Options{Layers: evidenceLayers, Highlights: hs, Scale: 1.2})
		if err != nil {
			ep.Err = drawError(err)
		} else {
			ep.SVG = template.HTML(whole)
		}
		out = append(out, ep)
	}
	return out
}

// pageHighlights are the cells of the evidence on one page of a document.
// citesPage reports whether a figure points at a place on a page: a cell,
// or a narrative figure the extractor placed.
func citesPage(e yusuan.Evidence) bool {
	return store.ValidSHA(e.SHA256) && e.Page > 0 && (e.Table >= 0 || e.BBox != nil)
}

func pageHighlights(ev []yusuan.Evidence, sha string, page int) []draw.Highlight {
	var out []draw.Highlight
	for _, h := range draw.EvidenceHighlights(ev, sha) {
		if h.Page == page {
			out = append(out, h)
		}
	}
	return out
}

// drawError says in words why a page was not drawn.
func drawError(err error) string {
	switch {
	case errors.Is(err, ErrNotArchived):
		return "The original file is not in the archive, so the page cannot be read again and drawn."
	case errors.Is(err, ErrNoSuchPage):
		return "The document has no such page."
	case errors.Is(err, store.ErrNotFound):
		return "The document is not in the store."
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, context.Canceled):
		return "Reading the page took too long."
	}
	return "The page could not be drawn: " + err.Error()
}

// history is what runs and analysts did to a finding, oldest first.
func (s *Server) history(ctx context.Context, id string) ([]historyLine, error) {
	events, err := s.st.FindingHistory(ctx, id)
	if err != nil {
		return nil, err
	}
	verdicts, err := s.st.Verdicts(ctx, id)
	if err != nil {
		return nil, err
	}
	var out []historyLine
	for _, e := range events {
		text := fmt.Sprintf("check run #%d: %s", e.RunID, e.Event)
		switch {
		case e.Replaces != "":
			text += " (the same defect as " + check.ShortID(e.Replaces) + " on the previous version of the document)"
		case e.Event == "changed":
			text += " (other figures)"
		}
		out = append(out, historyLine{At: e.At, Text: text})
	}
	for _, vr := range verdicts {
		text := "verdict " + string(vr.Verdict.Verdict) + " by " + vr.By
		if vr.Note != "" {
			text += ": " + vr.Note
		}
		out = append(out, historyLine{At: vr.At, Text: text})
	}
	slices.SortStableFunc(out, func(a, b historyLine) int { return a.At.Compare(b.At) })
	return out, nil
}

// maxFormBytes bounds a posted form.
const maxFormBytes = 64 << 10

// verdict stores an analyst's judgement from the form, through the same
// store call as `yusuan verdict`, and sends the browser back to the
// finding (post, redirect, get).
func (s *Server) verdict(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if !findingRE.MatchString(id) {
		s.fail(w, r, errNotFound)
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, badRequestf("the form could not be read"))
		return
	}
	if err := s.csrf.verify(r, r.PostForm.Get("csrf")); err != nil {
		s.fail(w, r, err)
		return
	}
	kind := yusuan.VerdictKind(r.PostForm.Get("verdict"))
	if !kind.Valid() {
		s.fail(w, r, badRequestf("choose confirmed, false-alarm or explained"))
		return
	}
	by, _ := r.Context().Value(userKey{}).(string)
	if by == "" {
		by = cmp.Or(strings.TrimSpace(r.PostForm.Get("by")), s.opt.By)
	}
	if by == "" {
		s.fail(w, r, badRequestf("say who gives the verdict"))
		return
	}
	if _, err := s.st.SetVerdict(r.Context(), id, kind, r.PostForm.Get("note"), by); err != nil {
		s.fail(w, r, err)
		return
	}
	s.log.Info("web: verdict", "finding", id, "verdict", kind, "by", by)
	http.Redirect(w, r, "/findings/"+id+"?saved=1#verdict", http.StatusSeeOther)
}
