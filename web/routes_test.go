package web

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"yusuan"
	"yusuan/store"
)

// Every route answers with its content: the overview's counts, lists
// with their filters and pages, a finding with its drawn evidence and
// form, a document with sources, versions, tables and facts, a page with
// every layer, an entity with its key figures, the original file.
func TestRoutes(t *testing.T) {
	f := getFixture(t)
	st := openStore(t, f.db)
	_, ts := newTestServer(t, st, Options{})
	ctx := t.Context()
	errors, err := st.QueryFindings(ctx, store.FindingFilter{Severity: yusuan.SeverityError, Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	var current int
	for _, d := range f.docs {
		if d.Current {
			current++
		}
	}
	cases := []struct {
		path string
		want []string // in the body
	}{
		{"/", []string{"<h1>Overview</h1>", "<b>" + strconv.Itoa(current) + "</b> current documents",
			"<b>" + strconv.Itoa(errors.Total) + "</b> error", "Findings by rule", "Documents by year", "Last check runs"}},
		{"/findings", []string{"Findings <span class=\"count\">", `name="severity"`, "/findings/" + f.balance}},
		{"/findings?severity=error&sort=entity", []string{"<span class=\"count\">" + strconv.Itoa(errors.Total) + "</span>",
			`<option value="error" selected>`, `<option value="entity" selected>`}},
		{"/findings/" + f.balance, []string{"收入总计", "支出总计", `class="highlights"`, "actual " + f.evText[:1],
			`name="csrf"`, `value="false-alarm"`, "/files/" + f.evSHA + ".pdf#page=" + strconv.Itoa(f.evPage),
			`<iframe src="/files/` + f.evSHA + `.pdf#page=` + strconv.Itoa(f.evPage) + `"`}},
		{"/documents", []string{"Documents <span class=\"count\">" + strconv.Itoa(current) + "</span>"}},
		{"/documents?all=1", []string{"Documents <span class=\"count\">" + strconv.Itoa(len(f.docs)) + "</span>", "superseded"}},
		{"/documents/" + f.evSHA, []string{"https://czj.example.gov.cn/files/", "Sources", "Tables", "收入总计",
			"Figures stated in the narrative", "/documents/" + f.evSHA + "/pages/" + strconv.Itoa(f.evPage)}},
		{"/documents/" + f.revised, []string{"Versions of this document", "current", "superseded", "→"}},
		{"/documents/" + f.evSHA + "/pages/" + strconv.Itoa(f.evPage), []string{`class="regions"`, `class="columns"`,
			`class="rows"`, `class="cells"`, `class="legend"`, "income_expenditure_summary"}},
		{"/entities/" + strconv.FormatInt(f.entityID, 10), []string{"Key figures across years", "收入总计", "基本支出",
			"项目支出", "“三公”经费", "机关运行经费", `class="bar"`}},
		{"/api/findings", []string{`"findings":[`, `"total":`}},
		{"/static/style.css", []string{".sidebyside"}},
	}
	for _, c := range cases {
		resp, body := get(t, ts, c.path)
		if resp.StatusCode != http.StatusOK {
			t.Errorf("%s: %d\n%.400s", c.path, resp.StatusCode, body)
			continue
		}
		for _, w := range c.want {
			if !strings.Contains(body, w) {
				t.Errorf("%s: no %q in the page", c.path, w)
			}
		}
	}
}

// The finding page outlines exactly the evidence cells, with their
// parsed amounts as labels, in the crop and on the whole page.
func TestFindingEvidenceDrawn(t *testing.T) {
	f := getFixture(t)
	st := openStore(t, f.db)
	_, ts := newTestServer(t, st, Options{})
	fd, err := st.Finding(t.Context(), f.balance)
	if err != nil {
		t.Fatal(err)
	}
	_, body := get(t, ts, "/findings/"+f.balance)
	svgs := regexp.MustCompile(`(?s)<svg xmlns.*?</svg>`).FindAllString(body, -1)
	if len(svgs) != 2 {
		t.Fatalf("%d drawings, want the crop and the whole page", len(svgs))
	}
	for _, svg := range svgs {
		g := regexp.MustCompile(`(?s)<g class="highlights"[^>]*>(.*?)</g>`).FindStringSubmatch(svg)
		if g == nil {
			t.Fatal("no highlights group")
		}
		for _, e := range fd.Evidence {
			label := e.Role + " " + e.Amount.String() + " " + e.Unit
			if !strings.Contains(g[1], "<title>"+label+"</title>") {
				t.Errorf("no outline titled %q in\n%s", label, g[1])
			}
		}
		if n := strings.Count(g[1], "<rect"); n != len(fd.Evidence) {
			t.Errorf("%d outlines, want %d", n, len(fd.Evidence))
		}
		if strings.Contains(svg, "<script") || strings.Contains(svg, "<style") {
			t.Error("script or style in a drawing")
		}
	}
}

func TestAPI(t *testing.T) {
	f := getFixture(t)
	st := openStore(t, f.db)
	_, ts := newTestServer(t, st, Options{})
	ctx := t.Context()

	var list struct {
		Total, Page, PerPage, Pages int
		Next                        string
		Findings                    []struct {
			ID, Rule, Status string
			Severity         yusuan.Severity
			Evidence         []yusuan.Evidence
			URL              string
		}
	}
	getJSON(t, ts, "/api/findings?per_page=2&sort=rule", &list)
	all, err := st.QueryFindings(ctx, store.FindingFilter{Sort: store.SortRule, Limit: 2})
	if err != nil {
		t.Fatal(err)
	}
	if list.Total != all.Total || len(list.Findings) != 2 || list.Findings[0].ID != all.Findings[0].ID || list.Pages != (all.Total+1)/2 {
		t.Fatalf("list: total %d pages %d, first %v; store: %d %s", list.Total, list.Pages, list.Findings, all.Total, all.Findings[0].ID)
	}
	if list.Next != "/api/findings?page=2&per_page=2&sort=rule" {
		t.Errorf("next = %q", list.Next)
	}

	var one struct {
		Finding struct {
			ID       string
			Evidence []yusuan.Evidence
			Status   string
		}
		History []store.FindingEvent
		Pages   []pageJSON
	}
	getJSON(t, ts, "/api/findings/"+f.balance, &one)
	if one.Finding.ID != f.balance || len(one.Finding.Evidence) != 2 || one.Finding.Evidence[0].Text != f.evText ||
		len(one.History) != 1 || len(one.Pages) != 1 || one.Pages[0].Page != f.evPage {
		t.Errorf("finding: %+v", one)
	}

	var docs struct {
		Total     int
		Documents []documentJSON
	}
	getJSON(t, ts, "/api/documents?all=1&per_page=500", &docs)
	if docs.Total != len(f.docs) || len(docs.Documents) != len(f.docs) {
		t.Errorf("documents: %d of %d, want %d", len(docs.Documents), docs.Total, len(f.docs))
	}
	getJSON(t, ts, "/api/documents?scope=unit&year=2026", &docs)
	for _, d := range docs.Documents {
		if d.Scope != yusuan.ScopeUnit || d.Year != 2026 || !d.Current {
			t.Errorf("filter scope=unit year=2026 gave %+v", d)
		}
	}
	if docs.Total == 0 {
		t.Error("no unit documents of 2026")
	}

	var doc struct {
		Document documentJSON
		Sources  []store.Source
		Versions []documentJSON
		Extract  yusuan.Document
	}
	getJSON(t, ts, "/api/documents/"+f.revised, &doc)
	if doc.Document.SHA256 != f.revised || len(doc.Versions) != 2 || doc.Extract.SHA256 != f.revised || len(doc.Extract.Tables) == 0 ||
		len(doc.Sources) != 1 || doc.Sources[0].URL == "" {
		t.Errorf("document: %+v %d versions, %d tables", doc.Document, len(doc.Versions), len(doc.Extract.Tables))
	}

	var ent struct {
		Entity struct {
			ID   int64
			Name string
		}
		KeyFigures []struct {
			Year    int
			Figures []figureJSON
		} `json:"key_figures"`
		Documents []documentJSON
	}
	getJSON(t, ts, "/api/entities/"+strconv.FormatInt(f.entityID, 10), &ent)
	if ent.Entity.ID != f.entityID || len(ent.KeyFigures) != 2 || len(ent.Documents) == 0 {
		t.Fatalf("entity: %+v", ent)
	}
	// 收入总计 of the fixture's document, in 万元, from its 收支总表.
	doc2, err := st.Document(ctx, f.evSHA)
	if err != nil {
		t.Fatal(err)
	}
	want := ""
	for _, e := range one.Finding.Evidence {
		if e.Role == "actual" {
			fen, _ := e.Amount.Fen(yusuan.Unit(e.Unit))
			want = wan(fen)
		}
	}
	found := false
	for _, y := range ent.KeyFigures {
		if y.Year != doc2.Meta.Year {
			continue
		}
		for _, fg := range y.Figures {
			if fg.Name == "收入总计" {
				found = true
				if fg.Amount != want || fg.FromFact {
					t.Errorf("收入总计 %d = %+v, want %s from the table", y.Year, fg, want)
				}
			}
		}
	}
	if !found {
		t.Errorf("no 收入总计 for %d", doc2.Meta.Year)
	}
}

func getJSON(t *testing.T, ts *httptest.Server, path string, v any) {
	t.Helper()
	resp, body := get(t, ts, path)
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		t.Fatalf("%s: %d %s\n%.300s", path, resp.StatusCode, resp.Header.Get("Content-Type"), body)
	}
	if err := json.Unmarshal([]byte(body), v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}

// Bad filters are 400 with the reason, on pages and in the API.
func TestBadQueries(t *testing.T) {
	f := getFixture(t)
	_, ts := newTestServer(t, openStore(t, f.db), Options{})
	for _, q := range []string{"severity=fatal", "rule=DROP%20TABLE", "year=12", "sort=random", "verdict=maybe", "page=0",
		"per_page=100000", "entity=" + url.QueryEscape(strings.Repeat("局", 101)), "document=../../etc", "status=closed",
		"entity_id=-1", "page=999999999"} {
		for _, p := range []string{"/findings?", "/api/findings?"} {
			resp, body := get(t, ts, p+q)
			if resp.StatusCode != http.StatusBadRequest {
				t.Errorf("%s%s: %d, want 400", p, q, resp.StatusCode)
			}
			if strings.HasPrefix(p, "/api/") && !strings.Contains(body, `"error"`) {
				t.Errorf("%s%s: no JSON error: %s", p, q, body)
			}
		}
	}
	for _, q := range []string{"kind=bogus", "scope=x", "status=maybe", "year=abc"} {
		if resp, _ := get(t, ts, "/documents?"+q); resp.StatusCode != http.StatusBadRequest {
			t.Errorf("/documents?%s: %d, want 400", q, resp.StatusCode)
		}
	}
}

// Ids that are malformed or unknown are 404, never 500.
func TestNotFound(t *testing.T) {
	f := getFixture(t)
	_, ts := newTestServer(t, openStore(t, f.db), Options{})
	sha := strings.Repeat("ab", 32)
	for _, p := range []string{
		"/findings/f-0000000000000000dead", "/findings/nonsense", "/findings/f-" + strings.Repeat("g", 20),
		"/api/findings/f-0000000000000000dead", "/api/findings/%3Cscript%3E",
		"/documents/" + sha, "/documents/" + strings.ToUpper(f.evSHA), "/documents/" + f.evSHA[:63],
		"/documents/" + f.evSHA + "/pages/0", "/documents/" + f.evSHA + "/pages/999", "/documents/" + f.evSHA + "/pages/01",
		"/documents/" + f.evSHA + "/pages/x", "/api/documents/" + sha,
		"/entities/0", "/entities/999999", "/entities/abc", "/api/entities/999999",
		"/files/" + sha + ".pdf", "/files/" + f.evSHA, "/files/" + f.evSHA + ".PDF", "/static/../server.go", "/static/x.css", "/nowhere",
	} {
		resp, body := get(t, ts, p)
		if resp.StatusCode != http.StatusNotFound {
			t.Errorf("%s: %d, want 404\n%.200s", p, resp.StatusCode, body)
		}
		if strings.Contains(body, "<script>") {
			t.Errorf("%s: the request's text came back unescaped", p)
		}
	}
}

// An id as the CLI prints it leads to the finding; a filter on something
// unknown is an empty list that says so.
func TestShortIDsAndUnknownFilters(t *testing.T) {
	f := getFixture(t)
	_, ts := newTestServer(t, openStore(t, f.db), Options{})
	for _, p := range []string{"/findings/", "/api/findings/"} {
		resp, _ := get(t, ts, p+f.balance[:14])
		if resp.StatusCode != http.StatusFound || resp.Header.Get("Location") != p+f.balance {
			t.Errorf("%s%s: %d → %s", p, f.balance[:14], resp.StatusCode, resp.Header.Get("Location"))
		}
	}
	resp, body := get(t, ts, "/findings?entity_id=999999")
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, "which does not exist") || !strings.Contains(body, "No findings match.") {
		t.Errorf("unknown entity: %d", resp.StatusCode)
	}
	resp, body = get(t, ts, "/findings?document="+strings.Repeat("0", 64))
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, "not in the store") {
		t.Errorf("unknown document: %d", resp.StatusCode)
	}
}

// The overview counts a failure stored after it was first shown (the
// counts are kept only while the set of failed documents stays).
func TestOverviewFailures(t *testing.T) {
	st := openStore(t, copyFixture(t))
	_, ts := newTestServer(t, st, Options{})
	if _, body := get(t, ts, "/"); strings.Contains(body, "Extraction failures") {
		t.Fatal("failures before any")
	}
	doc := &yusuan.Document{Schema: 1, File: "broken.pdf", SHA256: strings.Repeat("e", 64), Error: "not a PDF: served text/html",
		Meta: yusuan.Meta{Scope: yusuan.ScopeUnknown, Kind: yusuan.KindUnknown}, Tables: []yusuan.Table{}, Narrative: []yusuan.Section{},
		Facts: yusuan.Facts{}, Warnings: []string{}}
	if _, err := st.PutDocument(t.Context(), doc, 10, store.Source{File: "broken.pdf"}); err != nil {
		t.Fatal(err)
	}
	_, body := get(t, ts, "/")
	if !strings.Contains(body, "Extraction failures") || !strings.Contains(body, "not a PDF: served text/html") ||
		!strings.Contains(body, "/documents/"+doc.SHA256) {
		t.Error("the new failure is not on the overview")
	}
}

// A figure the narrative states is outlined on its page like a cell: the
// planted 人员经费 of the fixture's narrative.figure finding.
func TestNarrativeFigureDrawn(t *testing.T) {
	f := getFixture(t)
	st := openStore(t, f.db)
	_, ts := newTestServer(t, st, Options{})
	res, err := st.QueryFindings(t.Context(), store.FindingFilter{Rule: "narrative."})
	if err != nil {
		t.Fatal(err)
	}
	placed := 0
	for _, sf := range res.Findings {
		_, body := get(t, ts, "/findings/"+sf.ID)
		for _, e := range sf.Evidence {
			if e.Kind != "narrative" || e.BBox == nil {
				continue
			}
			placed++
			sec := regexp.MustCompile(`(?s)<section class="evpage" id="p-[0-9a-f]+-` + strconv.Itoa(e.Page) + `">.*?</section>`).FindString(body)
			if sec == "" {
				t.Errorf("%s: no drawing of page %d, where %s is printed", sf.ID, e.Page, e.Column)
				continue
			}
			label := e.Role + " " + e.Amount.String() + " " + e.Unit
			if !strings.Contains(sec, "<title>"+label+"</title>") {
				t.Errorf("%s: page %d has no outline titled %q", sf.ID, e.Page, label)
			}
		}
	}
	if placed == 0 {
		t.Errorf("none of the %d narrative findings has a narrative figure placed on its page", len(res.Findings))
	}
}
