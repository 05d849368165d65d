package crawl

import (
	"errors"
	"net/url"
	"sort"
	"strings"
	"testing"
	"time"

	"yusuan/fixtures/portal"
)

// The Jiangsu-like API of the fixture portal, walked from configuration
// alone: departments → templates → files (a JSON body) → downloads.
func TestHarvestAPISite(t *testing.T) {
	frontiers(t, func(t *testing.T, fr Frontier, dir string) {
		p := startPortal(t, portal.Options{CrawlDelay: time.Millisecond})
		cfg := mustConfig(t, p.SitesAPITOML("jiangsu"))
		sink := &fakeSink{}
		rep := harvest(t, cfg, fr, sink, dir)
		want := p.APIFileList()
		if len(want) != 4 {
			t.Fatalf("fixture API lists %d files", len(want))
		}
		if len(rep.FailureList) != 0 || rep.FilesNew != len(want) || ExitCode(rep, nil) != ExitOK {
			t.Fatalf("report: %s", rep)
		}
		// One request per department, per template, per file.
		reqs := p.Requests()
		for path, n := range map[string]int{portal.APIDepartments: 1, portal.APITemplates: 3, portal.APIFiles: 3} {
			if reqs[path] != n || p.Statuses(path)[200] != n {
				t.Errorf("%s: %d requests (%v), want %d answered 200", path, reqs[path], p.Statuses(path), n)
			}
		}
		got := map[string]FetchedFile{}
		for _, f := range sink.files {
			got[pathOf(f.URL)] = f
		}
		for _, w := range want {
			f, ok := got[w.Download]
			if !ok {
				t.Errorf("%s (%s) not fetched", w.Download, w.OldName)
				continue
			}
			if f.LinkText != w.OldName || f.PageTitle != w.Dept || f.Referrer != p.URL()+"/" {
				t.Errorf("%s: link text %q, page title %q, referrer %q; want %q, %q", w.Download, f.LinkText, f.PageTitle, f.Referrer, w.OldName, w.Dept)
			}
			if h := p.Header(w.Download); h.Get("Referer") != p.URL()+"/" {
				t.Errorf("%s requested with Referer %q", w.Download, h.Get("Referer"))
			}
		}
		// The POSTs are archived with their bodies.
		var bodies []string
		for _, r := range readWARCs(t, rep.WARCFiles) {
			if r.typ == "request" && strings.HasSuffix(r.uri, portal.APITemplates) {
				bodies = append(bodies, r.block)
			}
		}
		sort.Strings(bodies)
		if len(bodies) != 3 || !strings.Contains(bodies[0], "POST /api/front/budgetfinal/itemsandpag.do HTTP/1.1") ||
			!strings.Contains(bodies[0], "\r\n\r\ndate=2021&groupid=101&typeid=2") {
			t.Errorf("archived template requests: %q", bodies)
		}
		// The next night: the walk again, the downloads conditional.
		p.ResetCounters()
		rep = harvest(t, cfg, fr, sink, dir)
		if rep.FilesUnchanged != len(want) || rep.FilesNew != 0 {
			t.Errorf("second run: %s", rep)
		}
		for _, w := range want {
			if st := p.Statuses(w.Download); st[304] != 1 || st[200] != 0 {
				t.Errorf("second run %s: %v", w.Download, st)
			}
		}
	})
}

// An answer missing a configured field fails its branch, typed; the
// other branches go on.
func TestHarvestAPIAnswerMismatch(t *testing.T) {
	p := startPortal(t, portal.Options{CrawlDelay: time.Millisecond})
	toml := strings.Replace(p.SitesAPITOML("jiangsu"), `url = "`+p.URL()+portal.APIDownload+`?iid={{files.iid}}"`,
		`url = "`+p.URL()+portal.APIDownload+`?iid={{files.fileid}}"`, 1)
	rep := harvest(t, mustConfig(t, toml), NewMemFrontier(), nil, t.TempDir())
	if rep.Failures[FailAPI] != 4 || rep.FilesNew != 0 {
		t.Fatalf("report: %s", rep)
	}
	if f := rep.FailureList[0]; !errors.Is(f.Cause, ErrAPIAnswer) || !strings.Contains(f.Err, "files.fileid") {
		t.Errorf("failure %+v", f)
	}
}

func TestAPIConfigErrors(t *testing.T) {
	base := "[[site]]\nname = \"a\"\nkind = \"api\"\n"
	step := "[[site.step]]\nname = \"list\"\nurl = \"http://a.example/list.do\"\n"
	dl := "[site.download]\nurl = \"http://a.example/dl?id={{list.id}}\"\n"
	tests := []struct {
		name, toml string
		line       int
		msg        string
	}{
		{"no steps", base, 1, "at least one [[site.step]]"},
		{"no download", base + step, 1, "[site.download]"},
		{"unknown step", base + step + "[site.download]\nurl = \"http://a.example/dl?id={{files.id}}\"\n", 8, "names no earlier step"},
		{"later step", base + "[[site.step]]\nname = \"a1\"\nurl = \"http://a.example/x?{{b1.id}}\"\n" +
			"[[site.step]]\nname = \"b1\"\nurl = \"http://a.example/y\"\n" + dl, 6, "names no earlier step"},
		{"bad method", base + "[[site.step]]\nname = \"list\"\nmethod = \"PUT\"\nurl = \"http://a.example/l\"\n" + dl, 6, "GET or POST"},
		{"host placeholder", base + "[[site.step]]\nname = \"list\"\nurl = \"http://{{x.host}}/l\"\n" + dl, 6, "no earlier step"},
		{"relative url", base + "[[site.step]]\nname = \"list\"\nurl = \"/list.do\"\n" + dl, 6, "literal host"},
		{"bad path", base + "[[site.step]]\nname = \"list\"\nurl = \"http://a.example/l\"\nitems = \"a..b\"\n" + dl, 7, "bad JSON path"},
		{"form and json", base + "[[site.step]]\nname = \"list\"\nmethod = \"POST\"\nurl = \"http://a.example/l\"\nform = { a = \"1\" }\njson = { b = 2 }\n" + dl, 9, "not both"},
		{"unknown step key", base + "[[site.step]]\nname = \"list\"\nurl = \"http://a.example/l\"\nmetod = \"POST\"\n" + dl, 7, "unknown key"},
		{"steps on html", "[[site]]\nname = \"a\"\nstart = [\"http://a.example/\"]\n" + step, 4, `kind = "api"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseConfig("sites.toml", []byte(tt.toml))
			var ce *ConfigError
			if !errors.As(err, &ce) || !strings.Contains(err.Error(), tt.msg) {
				t.Fatalf("err = %v, want a ConfigError about %q", err, tt.msg)
			}
			if ce.Line != tt.line {
				t.Errorf("line %d, want %d (%v)", ce.Line, tt.line, err)
			}
		})
	}
}

func TestAPITemplates(t *testing.T) {
	known := map[string]bool{"departments": true, "templates": true}
	tpl, err := parseTemplate("groupid={{departments.iid}}&t={{ templates.budgetTemplates[1].uuid }}", known)
	if err != nil {
		t.Fatal(err)
	}
	answer, err := decodeJSON([]byte(`{"budgetTemplates":[{"uuid":"a"},{"uuid":"b"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	dept, _ := decodeJSON([]byte(`{"iid": 12345678901234567890, "name": "某厅"}`))
	got, err := tpl.expand(map[string]any{"departments": dept, "templates": answer})
	if err != nil || got != "groupid=12345678901234567890&t=b" {
		t.Errorf("expand = %q, %v", got, err)
	}
	// A JSON body keeps a lone placeholder's type.
	st := APIStep{Method: "POST", JSON: map[string]any{"id": mustTemplate(t, "{{departments.iid}}", known), "q": "x"}}
	st.URL = mustTemplate(t, "http://a.example/x", known)
	_, _, body, ct, err := st.request(map[string]any{"departments": dept})
	if err != nil || string(body) != `{"id":12345678901234567890,"q":"x"}` || !strings.HasPrefix(ct, "application/json") {
		t.Errorf("json body %s (%s), %v", body, ct, err)
	}
	// A GBK answer is read.
	gbk := []byte("{\"name\":\"\xc4\xb3\xcc\xfc\"}") // 某厅
	v, err := decodeJSON(gbk)
	if err != nil || v.(map[string]any)["name"] != "某厅" {
		t.Errorf("GBK answer: %v, %v", v, err)
	}
	// A GET step puts its form in the query.
	st = APIStep{Method: "GET", URL: mustTemplate(t, "http://a.example/x?a=1", known),
		Form: map[string]template{"b": mustTemplate(t, "{{departments.name}}", known)}}
	_, u, _, _, _ := st.request(map[string]any{"departments": dept})
	if q, _ := url.Parse(u); q.Query().Get("b") != "某厅" || q.Query().Get("a") != "1" {
		t.Errorf("GET url %s", u)
	}
}

func mustTemplate(t *testing.T, s string, known map[string]bool) template {
	t.Helper()
	tpl, err := parseTemplate(s, known)
	if err != nil {
		t.Fatal(err)
	}
	return tpl
}

func FuzzAPIAnswer(f *testing.F) {
	f.Add([]byte(`{"budgetTemplates":[{"uuid":"a"}]}`), "budgetTemplates[0].uuid")
	f.Add([]byte(`[{"iid":1,"name":"x"}]`), "")
	f.Add([]byte("\xff\xfe{"), "a.b[3]")
	f.Fuzz(func(t *testing.T, body []byte, path string) {
		p, err := parseJSONPath(path)
		if err != nil {
			return
		}
		v, err := decodeJSON(body)
		if err != nil {
			if !errors.Is(err, ErrAPIAnswer) {
				t.Fatalf("untyped error %v", err)
			}
			return
		}
		for _, it := range p.items(v) {
			_, _ = scalarText(it)
		}
	})
}
