package web

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"yusuan"
	"yusuan/check"
	"yusuan/extract"
	"yusuan/fixtures/demosite"
	"yusuan/fixtures/synth"
	"yusuan/fixtures/synth/render"
	"yusuan/ingest"
	"yusuan/store"
)

// The fixture: the documents of one synthetic department (really
// rendered and really extracted), a revised version of one of them, the
// findings of a check, and one finding whose evidence is two real cells
// of a 收支总表 (收入总计 and 支出总计), as the rules record evidence. It is
// built once per test binary, in a directory removed at the end; tests
// that write copy it first (copyFixture).
type fixture struct {
	dir, db string
	docs    []store.DocInfo
	// balance is the crafted finding; its evidence is on page evPage of
	// evSHA: the cell printing evText (收入总计) and expText (支出总计).
	balance         string
	evSHA           string
	evPage          int
	evText, expText string
	revised         string // the sha256 of the revised version
	entityID        int64
}

var (
	fixOnce sync.Once
	fix     *fixture
	fixErr  error
	fixDir  string
)

// YUSUAN_WEB_FIXTURE names a directory to build the fixture in and keep
// (to serve it by hand: yusuan serve --db DIR/yusuan.db).
func TestMain(m *testing.M) {
	code := m.Run()
	if fixDir != "" && os.Getenv("YUSUAN_WEB_FIXTURE") == "" {
		os.RemoveAll(fixDir)
	}
	os.Exit(code)
}

func getFixture(t testing.TB) *fixture {
	t.Helper()
	fixOnce.Do(func() {
		if fixDir = os.Getenv("YUSUAN_WEB_FIXTURE"); fixDir != "" {
			fixErr = os.MkdirAll(fixDir, 0o755)
		} else {
			fixDir, fixErr = os.MkdirTemp("", "yusuan-web-test-")
		}
		if fixErr == nil {
			fix, fixErr = buildFixture(context.Background(), fixDir)
		}
	})
	if fixErr != nil {
		t.Fatalf("fixture: %v", fixErr)
	}
	return fix
}

// fixtureRule is the rule of the crafted finding: a registered rule, so
// that its page shows the rule's description. A later check run reports
// it gone: tests that check again work on a copy.
const fixtureRule = "summary.balance"

func buildFixture(ctx context.Context, dir string) (*fixture, error) {
	f := &fixture{dir: dir, db: filepath.Join(dir, "yusuan.db")}
	site, err := demosite.Build(7, 1)
	if err != nil {
		return nil, err
	}
	st, err := store.Open(ctx, f.db)
	if err != nil {
		return nil, err
	}
	defer st.Close()
	p := &ingest.Pipeline{Store: st, Extractor: ingest.ExtractorFunc{Ver: extract.Version,
		Fn: func(ctx context.Context, data []byte, name string) *yusuan.Document {
			return extract.Extract(ctx, data, name, extract.Options{})
		}}}
	names := make([]string, 0, len(site.Files))
	for name := range site.Files {
		names = append(names, name)
	}
	slices.Sort(names)
	fetched := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	for _, name := range names {
		src := store.Source{File: name, URL: "https://czj.example.gov.cn/files/" + name, PageURL: "https://czj.example.gov.cn/yjsgk/index.html",
			LinkText: site.Titles[name], FetchedAt: fetched}
		if _, err := p.Bytes(ctx, site.Files[name], src); err != nil {
			return nil, err
		}
	}
	// A revised version of a unit's 2026 budget: one figure changed.
	for _, d := range site.Docs {
		if d.Doc.Meta.Year != synth.FirstYear+1 || d.Doc.Meta.Scope != yusuan.ScopeUnit {
			continue
		}
		c := d.Clone()
		if _, err := synth.Plant(c, synth.Defect{Kind: synth.SummaryBalance}); err != nil {
			continue
		}
		pdf, err := render.Render(c, render.Styles()[0])
		if err != nil {
			return nil, err
		}
		res, err := p.Bytes(ctx, pdf, store.Source{File: "revised-" + c.Doc.File, URL: "https://czj.example.gov.cn/files/" + c.Doc.File,
			FetchedAt: fetched.Add(24 * time.Hour)})
		if err != nil {
			return nil, err
		}
		f.revised = res.SHA256
		break
	}
	if f.revised == "" {
		return nil, fmt.Errorf("no document to revise")
	}
	if _, err := check.RunStore(ctx, st, check.Options{}, check.Filter{}); err != nil {
		return nil, err
	}
	if f.docs, err = st.Documents(ctx, store.Filter{}); err != nil {
		return nil, err
	}
	if err := f.craft(ctx, st); err != nil {
		return nil, err
	}
	return f, nil
}

// craft saves the finding whose evidence is the 收入总计 and 支出总计 cells
// of a department's 收支总表.
func (f *fixture) craft(ctx context.Context, st *store.Store) error {
	for _, di := range f.docs {
		if di.Scope != yusuan.ScopeDepartment || di.Status != store.StatusOK {
			continue
		}
		doc, err := st.Document(ctx, di.SHA256)
		if err != nil {
			return err
		}
		for ti, t := range doc.Tables {
			if t.Kind != yusuan.IncomeExpenditureSummary {
				continue
			}
			inc := cellEvidence(di, ti, t, "收入总计", yusuan.SideIncome, "amount", "actual")
			exp := cellEvidence(di, ti, t, "支出总计", yusuan.SideExpenditure, "total", "expected")
			if inc == nil || exp == nil || inc.Page != exp.Page {
				continue
			}
			fd := yusuan.Finding{Rule: fixtureRule, Severity: yusuan.SeverityError, Confidence: yusuan.ConfidenceHigh,
				Documents: []yusuan.DocRef{{SHA256: di.SHA256, File: di.File, Entity: di.Entity, Year: di.Year, Kind: di.Kind, Scope: di.Scope}},
				Tables:    []string{string(t.Kind)}, Unit: t.Unit, Pages: []int{inc.Page},
				Message:  fmt.Sprintf("收入总计 %s ≠ 支出总计 %s（测试）", inc.Amount, exp.Amount),
				Expected: exp.Amount.String(), Actual: inc.Amount.String(), Evidence: []yusuan.Evidence{*inc, *exp}}
			fd.Stamp()
			if _, _, err := st.SaveRun(ctx, store.CheckRun{Note: "fixture"}, []yusuan.Finding{fd}, store.Scope{Rules: []string{"none"}}); err != nil {
				return err
			}
			f.balance, f.evSHA, f.evPage, f.evText, f.expText, f.entityID = fd.ID, di.SHA256, inc.Page, inc.Text, exp.Text, di.EntityID
			return nil
		}
	}
	return fmt.Errorf("no 收支总表 with 收入总计 and 支出总计 boxes")
}

func cellEvidence(di store.DocInfo, ti int, t yusuan.Table, name string, side yusuan.Side, col, role string) *yusuan.Evidence {
	for _, r := range t.Rows {
		if r.Side != side || strings.Join(strings.Fields(r.Name), "") != name {
			continue
		}
		box, ok := r.Boxes[col]
		a := r.Values[col]
		if !ok || a.IsNull() {
			return nil
		}
		text := a.String()
		if raw, ok := r.Raw[col]; ok {
			text = raw
		}
		b := box
		return &yusuan.Evidence{Role: role, SHA256: di.SHA256, Table: ti, Kind: string(t.Kind), Label: t.Label, Title: t.Title,
			Side: side, Row: r.Name, Code: r.Code, Column: col, Header: t.Headers[col], Page: r.Page, BBox: &b, Text: text,
			Amount: a, Unit: t.Unit}
	}
	return nil
}

// copyFixture copies the fixture's database and archive into a new
// directory, for a test that writes.
func copyFixture(t testing.TB) string {
	t.Helper()
	f := getFixture(t)
	dst := t.TempDir()
	err := filepath.Walk(f.dir, func(path string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(f.dir, path)
		target := filepath.Join(dst, rel)
		if info.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		in, err := os.Open(path)
		if err != nil {
			return err
		}
		defer in.Close()
		out, err := os.Create(target)
		if err != nil {
			return err
		}
		if _, err := io.Copy(out, in); err != nil {
			out.Close()
			return err
		}
		return out.Close()
	})
	if err != nil {
		t.Fatal(err)
	}
	return filepath.Join(dst, "yusuan.db")
}

// openStore opens a database of the fixture read for the test's life.
func openStore(t testing.TB, db string) *store.Store {
	t.Helper()
	st, err := store.OpenWith(context.Background(), db, store.Options{MustExist: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// newTestServer serves a store with opt over httptest (loopback).
func newTestServer(t testing.TB, st *store.Store, opt Options) (*Server, *httptest.Server) {
	t.Helper()
	if opt.Logger == nil {
		opt.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if opt.By == "" {
		opt.By = "测试员"
	}
	s, err := New(st, st.Archive(), opt)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(s)
	t.Cleanup(ts.Close)
	return s, ts
}

// get fetches a path from ts without following redirects.
func get(t testing.TB, ts *httptest.Server, path string) (*http.Response, string) {
	t.Helper()
	return do(t, ts, mustRequest(t, http.MethodGet, ts.URL+path, nil))
}

func mustRequest(t testing.TB, method, url string, body io.Reader) *http.Request {
	t.Helper()
	req, err := http.NewRequest(method, url, body)
	if err != nil {
		t.Fatal(err)
	}
	return req
}

func do(t testing.TB, ts *httptest.Server, req *http.Request) (*http.Response, string) {
	t.Helper()
	c := ts.Client()
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, string(b)
}
