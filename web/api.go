package web

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"yusuan"
	"yusuan/store"
)

// The JSON API: the same filters and pagination as the pages
// (docs/web.md). Amounts are decimal strings, as everywhere in yusuan.

// listJSON is the envelope of a paginated list.
type listJSON struct {
	Total   int    `json:"total"`
	Page    int    `json:"page"`
	PerPage int    `json:"per_page"`
	Pages   int    `json:"pages"`
	Next    string `json:"next,omitempty"`
	Prev    string `json:"prev,omitempty"`
}

func newListJSON(path string, q url.Values, p paging, total int) listJSON {
	l := newPageLinks(path, q, p, total)
	return listJSON{Total: total, Page: p.Page, PerPage: p.PerPage, Pages: l.Pages, Next: l.Next, Prev: l.Prev}
}

// findingJSON is a finding as `yusuan check --json` prints it, with its
// state across runs and the URL of its page.
type findingJSON struct {
	store.StoredFinding
	URL string `json:"url"`
}

func findingsJSON(fs []store.StoredFinding) []findingJSON {
	out := make([]findingJSON, len(fs))
	for i, f := range fs {
		out[i] = findingJSON{StoredFinding: f, URL: "/findings/" + f.ID}
	}
	return out
}

func (s *Server) apiFindings(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f, p, err := findingFilter(q)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	res, err := s.st.QueryFindings(r.Context(), f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, struct {
		listJSON
		Findings []findingJSON `json:"findings"`
	}{newListJSON("/api/findings", q, p, res.Total), findingsJSON(res.Findings)})
}

// pageJSON names a page a finding cites: its drawing and the original.
type pageJSON struct {
	SHA256   string `json:"sha256"`
	Page     int    `json:"page"`
	Drawing  string `json:"drawing"`
	Original string `json:"original"`
}

func (s *Server) apiFinding(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	f, ok := s.lookupFinding(w, r, "/api/findings/")
	if !ok {
		return
	}
	history, err := s.st.FindingHistory(ctx, f.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	verdicts, err := s.st.Verdicts(ctx, f.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var pages []pageJSON
	for _, e := range f.Evidence {
		pj := pageJSON{SHA256: e.SHA256, Page: e.Page, Drawing: pageURL(e.SHA256, e.Page), Original: fileURL(e.SHA256, e.Page)}
		if e.SHA256 != "" && e.Page > 0 && e.Table >= 0 && !containsPage(pages, pj) {
			pages = append(pages, pj)
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"finding": findingJSON{f, "/findings/" + f.ID}, "history": nonNil(history),
		"verdicts": nonNil(verdicts), "pages": nonNil(pages)})
}

func containsPage(ps []pageJSON, p pageJSON) bool {
	for _, x := range ps {
		if x.SHA256 == p.SHA256 && x.Page == p.Page {
			return true
		}
	}
	return false
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// documentJSON is a stored document's summary.
type documentJSON struct {
	SHA256       string         `json:"sha256"`
	File         string         `json:"file"`
	Title        string         `json:"title"`
	Entity       string         `json:"entity"`
	EntityID     int64          `json:"entity_id,omitempty"`
	Region       string         `json:"region,omitempty"`
	Scope        yusuan.Scope   `json:"scope"`
	Kind         yusuan.DocKind `json:"kind"`
	Year         int            `json:"year"`
	Pages        int            `json:"pages"`
	Size         int64          `json:"size"`
	Producer     string         `json:"producer,omitempty"`
	TextLayer    bool           `json:"text_layer"`
	Tables       int            `json:"tables"`
	Warnings     int            `json:"warnings"`
	Status       string         `json:"status"`
	Error        string         `json:"error,omitempty"`
	Extractor    string         `json:"extractor"`
	IngestedAt   time.Time      `json:"ingested_at"`
	ExtractedAt  time.Time      `json:"extracted_at"`
	Current      bool           `json:"current"`
	SupersededBy string         `json:"superseded_by,omitempty"`
	CopyOf       string         `json:"copy_of,omitempty"`
	URL          string         `json:"url"`
	FileURL      string         `json:"file_url"`
}

func newDocumentJSON(d store.DocInfo) documentJSON {
	return documentJSON{SHA256: d.SHA256, File: d.File, Title: d.Title, Entity: d.Entity, EntityID: d.EntityID, Region: d.Region,
		Scope: d.Scope, Kind: d.Kind, Year: d.Year, Pages: d.Pages, Size: d.Size, Producer: d.Producer, TextLayer: d.TextLayer,
		Tables: d.Tables, Warnings: d.Warnings, Status: d.Status, Error: d.Error, Extractor: d.Extractor, IngestedAt: d.IngestedAt,
		ExtractedAt: d.ExtractedAt, Current: d.Current, SupersededBy: d.SupersededBy, CopyOf: d.CopyOf,
		URL: "/documents/" + d.SHA256, FileURL: fileURL(d.SHA256, 0)}
}

func documentsJSON(ds []store.DocInfo) []documentJSON {
	out := make([]documentJSON, len(ds))
	for i, d := range ds {
		out[i] = newDocumentJSON(d)
	}
	return out
}

func (s *Server) apiDocuments(w http.ResponseWriter, r *http.Request) {
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
	writeJSON(w, http.StatusOK, struct {
		listJSON
		Documents []documentJSON `json:"documents"`
	}{newListJSON("/api/documents", q, p, res.Total), documentsJSON(res.Documents)})
}

func (s *Server) apiDocument(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	d, err := s.documentParts(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	sha := d.info.SHA256
	srcs, err := s.st.Sources(ctx, sha)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	versions, err := s.st.DocumentVersions(ctx, sha)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	extracted, err := json.Marshal(d.doc)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"document": newDocumentJSON(d.info), "sources": nonNil(srcs), "versions": documentsJSON(versions),
		"findings_total": d.findings.Total, "findings": findingsJSON(d.findings.Findings),
		"findings_url": "/api/findings?all=1&document=" + sha,
		"extract":      json.RawMessage(extracted),
	})
}

// figureJSON is one key figure of one document.
type figureJSON struct {
	Name     string `json:"name"`
	Amount   string `json:"amount"` // 万元, decimal string
	Unit     string `json:"unit"`
	Source   string `json:"source"`
	FromFact bool   `json:"from_narrative,omitempty"`
}

func (s *Server) apiEntity(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id < 1 {
		s.fail(w, r, errNotFound)
		return
	}
	v, err := s.entityData(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	type yearJSON struct {
		SHA256  string       `json:"sha256"`
		Year    int          `json:"year"`
		Kind    string       `json:"kind"`
		Figures []figureJSON `json:"figures"`
	}
	years := []yearJSON{}
	for _, y := range v.Figures.Years {
		yj := yearJSON{SHA256: y.SHA256, Year: y.Year, Kind: y.Kind, Figures: []figureJSON{}}
		for i, c := range y.Cells {
			if c.Text != "" {
				yj.Figures = append(yj.Figures, figureJSON{Name: v.Figures.Names[i], Amount: c.Amount, Unit: "万元", Source: c.Source, FromFact: c.FromFact})
			}
		}
		years = append(years, yj)
	}
	docs := make([]store.DocInfo, len(v.Documents))
	for i, d := range v.Documents {
		docs[i] = d.DocInfo
	}
	e := v.Entity
	writeJSON(w, http.StatusOK, map[string]any{
		"entity": map[string]any{"id": e.ID, "name": e.Name, "scope": e.Scope, "code": e.Code, "region": e.Region,
			"names": nonNil(e.Names), "url": "/entities/" + strconv.FormatInt(e.ID, 10)},
		"key_figures": years, "documents": documentsJSON(docs),
		"findings_total": v.FindingsTotal, "findings": findingsJSON(v.found),
		"findings_url": "/api/findings?entity_id=" + strconv.FormatInt(id, 10),
	})
}
