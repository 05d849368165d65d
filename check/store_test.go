package check

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"yusuan"
	"yusuan/ingest"
	"yusuan/ingest/fakepdf"
	"yusuan/store"
)

func openStore(t *testing.T) *store.Store {
	t.Helper()
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "yusuan.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// putDocs stores test documents (their digests made hex).
func putDocs(t *testing.T, st *store.Store, docs ...*yusuan.Document) {
	t.Helper()
	for _, d := range docs {
		d.SHA256 = hexOnly(d.SHA256)
		if _, err := st.PutDocument(context.Background(), d, 1, store.Source{File: d.File}); err != nil {
			t.Fatal(err)
		}
	}
}

func runStore(t *testing.T, st *store.Store, opt Options, f Filter) StoreResult {
	t.Helper()
	res, err := RunStore(context.Background(), st, opt, f)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func openIDs(t *testing.T, st *store.Store) []string {
	t.Helper()
	fs, err := st.Findings(context.Background(), store.FindingFilter{All: true})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, f := range fs {
		ids = append(ids, f.ID)
	}
	slices.Sort(ids)
	return ids
}

func findingIDs(fs []yusuan.Finding) []string {
	var ids []string
	for _, f := range fs {
		ids = append(ids, f.ID)
	}
	slices.Sort(ids)
	return ids
}

func TestRunStore(t *testing.T) {
	ctx := context.Background()
	st := openStore(t)
	prev := prevYear(t)
	set(rowOf(t, prev, yusuan.IncomeExpenditureSummary, yusuan.SideIncome, "收入总计"), "amount", "125.92")
	putDocs(t, st, prev, seedDoc(t))
	res := runStore(t, st, Options{}, Filter{Year: 2026})
	if res.Documents != 2 || res.Run.ID == 0 || res.Run.RulesVersion != RulesVersion || res.Run.Note != "year=2026" {
		t.Fatalf("result %+v", res)
	}
	for _, f := range res.Findings {
		if !slices.ContainsFunc(f.Documents, func(d yusuan.DocRef) bool { return d.Year == 2026 }) {
			t.Errorf("year filter let through %s %v", f.Rule, f.Documents)
		}
	}
	if !found(res.Findings, "year.previous", yusuan.SeverityError, "narrative") {
		t.Fatalf("year.previous not found:\n%s", dump(res.Findings))
	}
	saved, err := st.Findings(ctx, store.FindingFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(openIDs(t, st), findingIDs(res.Findings)) || len(saved) != len(res.Findings) {
		t.Fatalf("saved %d findings, returned %d", len(saved), len(res.Findings))
	}
	byID := map[string]yusuan.Finding{}
	for _, f := range res.Findings {
		byID[f.ID] = f
	}
	for _, s := range saved {
		f := byID[s.ID]
		if s.Rule != f.Rule || s.Message != f.Message || len(s.Documents) != len(f.Documents) || s.Expected != f.Expected ||
			s.Key != f.Key || s.Fingerprint != f.Fingerprint {
			t.Errorf("saved %+v\nwant %+v", s.Finding, f)
		}
	}
}

// movedExtractor reads fake PDFs as another extractor version would: the
// same figures, tables in another order, every box a little elsewhere.
type movedExtractor struct{ ver string }

func (m movedExtractor) Version() string { return m.ver }

func (m movedExtractor) Extract(ctx context.Context, data []byte, name string) *yusuan.Document {
	d := fakepdf.Extractor{Ver: m.ver}.Extract(ctx, data, name)
	slices.Reverse(d.Tables)
	for ti := range d.Tables {
		for ri := range d.Tables[ti].Rows {
			r := &d.Tables[ti].Rows[ri]
			if r.BBox != nil {
				b := *r.BBox
				b[1], b[3] = b[1]+1.5, b[3]+1.5
				r.BBox = &b
			}
			for k, b := range r.Boxes {
				b[0], b[2] = b[0]-2, b[2]-2
				r.Boxes[k] = b
			}
		}
	}
	return d
}

// Finding ids, and the verdicts attached to them, survive a re-extraction
// by another extractor version that reads the same figures.
func TestFindingIDsSurviveReextraction(t *testing.T) {
	ctx := context.Background()
	st := openStore(t)
	p := &ingest.Pipeline{Store: st, Extractor: fakepdf.Extractor{Ver: "fake/1"}}
	for seed := range 4 {
		if _, err := p.Bytes(ctx, fakepdf.File(seed), store.Source{File: fmt.Sprintf("d%d.pdf", seed)}); err != nil {
			t.Fatal(err)
		}
	}
	first := runStore(t, st, Options{}, Filter{})
	if len(first.Findings) < 10 || !slices.Equal(first.Run.Extractors, []string{"fake/1"}) {
		t.Fatalf("%d findings, extractors %v", len(first.Findings), first.Run.Extractors)
	}
	falseAlarm, confirmed := first.Findings[0], first.Findings[len(first.Findings)-1]
	if _, err := st.SetVerdict(ctx, falseAlarm.ID, yusuan.VerdictFalseAlarm, "misread", "张三"); err != nil {
		t.Fatal(err)
	}
	if _, err := st.SetVerdict(ctx, confirmed.ID, yusuan.VerdictConfirmed, "", "张三"); err != nil {
		t.Fatal(err)
	}
	sum, err := ingest.Reextract(ctx, st, movedExtractor{"fake/2"}, ingest.ReextractOptions{
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil || sum.Updated != 4 {
		t.Fatalf("reextract %+v %v", sum, err)
	}
	again := runStore(t, st, Options{}, Filter{})
	if !slices.Equal(findingIDs(again.Findings), findingIDs(first.Findings)) {
		t.Fatalf("ids changed with the extractor version:\n%v\n%v", findingIDs(first.Findings), findingIDs(again.Findings))
	}
	if r := again.Run; r.New != 0 || r.Changed != 0 || r.Gone != 0 || !slices.Equal(r.Extractors, []string{"fake/2"}) {
		t.Errorf("second run %+v", r)
	}
	for _, f := range again.Findings {
		switch f.ID {
		case falseAlarm.ID:
			if !Hidden(f) {
				t.Errorf("false alarm not hidden after re-extraction: %+v", f.Verdict)
			}
		case confirmed.ID:
			if f.Verdict == nil || f.Verdict.Verdict != yusuan.VerdictConfirmed || f.Verdict.Stale {
				t.Errorf("confirmed verdict lost: %+v", f.Verdict)
			}
		default:
			if f.Verdict != nil {
				t.Errorf("%s: verdict %+v", f.ID, f.Verdict)
			}
		}
	}
	if len(Visible(again.Findings)) != len(again.Findings)-1 {
		t.Error("Visible should drop exactly the false alarm")
	}
}

// A run filtered by rule or year reports only what it checked and leaves
// the other saved findings as they were.
func TestFilteredRunKeepsOtherFindings(t *testing.T) {
	st := openStore(t)
	prev := prevYear(t)
	set(rowOf(t, prev, yusuan.IncomeExpenditureSummary, yusuan.SideIncome, "收入总计"), "amount", "125.92")
	putDocs(t, st, prev, seedDoc(t))
	all := runStore(t, st, Options{}, Filter{})
	before := openIDs(t, st)
	if len(before) != len(all.Findings) || len(before) < 5 {
		t.Fatalf("%d saved, %d found", len(before), len(all.Findings))
	}
	rules := []string{"narrative."}
	part := runStore(t, st, Options{Rules: rules}, Filter{Rules: rules})
	if len(part.Findings) == 0 || slices.ContainsFunc(part.Findings, func(f yusuan.Finding) bool { return !strings.HasPrefix(f.Rule, "narrative.") }) {
		t.Fatalf("rule run reported %s", dump(part.Findings))
	}
	if got := openIDs(t, st); !slices.Equal(got, before) || part.Run.Gone != 0 || part.Run.New != 0 {
		t.Errorf("a narrative. run changed the saved findings: %d → %d, run %+v", len(before), len(got), part.Run)
	}
	year := runStore(t, st, Options{}, Filter{Year: 2025})
	if got := openIDs(t, st); !slices.Equal(got, before) || year.Run.Gone != 0 {
		t.Errorf("a 2025 run changed the saved findings: %d → %d", len(before), len(got))
	}
	entity := runStore(t, st, Options{}, Filter{Entity: "没有这个单位"})
	if len(entity.Findings) != 0 || !slices.Equal(openIDs(t, st), before) {
		t.Errorf("an entity run changed the saved findings")
	}
}

// A verdict given on figures that a later reading changes is shown stale:
// on the same finding (a re-extraction of the same file) and through the
// key on a revised document.
func TestStaleVerdicts(t *testing.T) {
	ctx := context.Background()
	st := openStore(t)
	prev, cur := prevYear(t), seedDoc(t)
	set(rowOf(t, prev, yusuan.IncomeExpenditureSummary, yusuan.SideIncome, "收入总计"), "amount", "125.92")
	putDocs(t, st, prev, cur)
	first := runStore(t, st, Options{}, Filter{})
	var yp yusuan.Finding
	for _, f := range first.Findings {
		if f.Rule == "year.previous" && strings.Contains(f.Message, "上年收入总计 120.92") {
			yp = f
		}
	}
	if yp.ID == "" {
		t.Fatalf("no year.previous finding:\n%s", dump(first.Findings))
	}
	if _, err := st.SetVerdict(ctx, yp.ID, yusuan.VerdictConfirmed, "上年文件印 125.92", "张三"); err != nil {
		t.Fatal(err)
	}
	// The same file read again, 收入总计 now 126.92.
	set(rowOf(t, prev, yusuan.IncomeExpenditureSummary, yusuan.SideIncome, "收入总计"), "amount", "126.92")
	if err := st.ReplaceDocument(ctx, prev); err != nil {
		t.Fatal(err)
	}
	second := runStore(t, st, Options{}, Filter{})
	got := byID(second.Findings, yp.ID)
	if got == nil || got.Verdict == nil || !got.Verdict.Stale || got.Fingerprint == yp.Fingerprint {
		t.Fatalf("same id, other figures: %+v", got)
	}
	if second.Run.Changed == 0 {
		t.Errorf("run %+v: the changed figures not counted", second.Run)
	}
	var b bytes.Buffer
	if err := Report(&b, []yusuan.Finding{*got}); err != nil || !strings.Contains(b.String(), "STALE") {
		t.Errorf("report does not show the stale verdict:\n%s", b.String())
	}
	// A revised 2026 document (new bytes, one figure changed elsewhere):
	// the finding moves to the new document's id, its verdict follows as
	// stale, and the superseded document's findings are gone.
	rev := seedDoc(t)
	rev.SHA256 = "5eed" + rev.SHA256[4:]
	set(rowOf(t, rev, yusuan.IncomeExpenditureSummary, yusuan.SideExpenditure, "支出总计"), "total", "108.23")
	putDocs(t, st, rev)
	third := runStore(t, st, Options{}, Filter{})
	var moved *yusuan.Finding
	for i, f := range third.Findings {
		if f.Key == yp.Key {
			moved = &third.Findings[i]
		}
		for _, d := range f.Documents {
			if d.SHA256 == hexOnly(cur.SHA256) && f.Rule != "document.revised" {
				t.Errorf("finding on the superseded document: %s %s", f.Rule, f.Message)
			}
		}
	}
	if moved == nil || moved.ID == yp.ID || moved.Verdict == nil || !moved.Verdict.Stale {
		t.Fatalf("revised document: %+v", moved)
	}
	changes, err := st.RunChanges(ctx, third.Run.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(changes, func(c store.RunChange) bool { return c.Finding.ID == moved.ID && c.Replaces == yp.ID }) {
		t.Errorf("the takeover is not among the changes")
	}
	var rep bytes.Buffer
	if err := ReportRun(ctx, &rep, st, third, "y.db"); err != nil {
		t.Fatal(err)
	}
	out := rep.String()
	for _, want := range []string{
		fmt.Sprintf("check: 3 documents, %s; since the last run: %d new, %d changed, %d gone", CountLine(third.Findings),
			third.Run.New, third.Run.Changed, third.Run.Gone),
		"changed errors and warnings (other figures, or the same defect on a revised document):",
		ShortID(moved.ID) + " was " + ShortID(yp.ID) + " on the previous version of the document",
		"STALE",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("harvest report lacks %q:\n%s", want, out)
		}
	}
}

// Copies of a document are checked once.
func TestCopiesCheckedOnce(t *testing.T) {
	st := openStore(t)
	a := seedDoc(t)
	b := seedDoc(t)
	b.SHA256 = "c0b1" + b.SHA256[4:]
	b.Producer = "WPS"
	putDocs(t, st, a, b)
	res := runStore(t, st, Options{}, Filter{})
	if res.Documents != 1 {
		t.Errorf("%d documents checked, want 1", res.Documents)
	}
	for _, f := range res.Findings {
		if f.Rule == "document.revised" {
			t.Errorf("a copy reported as a revision: %s", f.Message)
		}
	}
}

// A document that a re-extraction finds to be a copy of another is checked
// through that one: its own findings are gone.
func TestBecomingACopyClosesFindings(t *testing.T) {
	ctx := context.Background()
	st := openStore(t)
	a, b := seedDoc(t), seedDoc(t)
	b.SHA256 = "c0b1" + b.SHA256[4:]
	set(rowOf(t, b, yusuan.IncomeExpenditureSummary, yusuan.SideExpenditure, "支出总计"), "total", "108.23")
	putDocs(t, st, a, b)
	first := runStore(t, st, Options{}, Filter{})
	onB := 0
	for _, f := range first.Findings {
		if f.Documents[0].SHA256 == b.SHA256 && f.Rule != "document.revised" {
			onB++
		}
	}
	if onB == 0 {
		t.Fatal("b, the later version, has no findings")
	}
	// b read again as exactly a: a copy.
	again := seedDoc(t)
	again.SHA256 = b.SHA256
	if err := st.ReplaceDocument(ctx, again); err != nil {
		t.Fatal(err)
	}
	second := runStore(t, st, Options{}, Filter{})
	if second.Documents != 1 {
		t.Errorf("%d documents checked, want 1", second.Documents)
	}
	open, err := st.Findings(ctx, store.FindingFilter{All: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range open {
		for _, d := range f.Documents {
			if d.SHA256 == b.SHA256 {
				t.Errorf("a finding on the copy is still open: %s %s", f.Rule, f.Message)
			}
		}
	}
	if second.Run.Gone == 0 {
		t.Errorf("run %+v: the revision's findings should be gone", second.Run)
	}
}

func byID(fs []yusuan.Finding, id string) *yusuan.Finding {
	for i := range fs {
		if fs[i].ID == id {
			return &fs[i]
		}
	}
	return nil
}

// hexOnly maps a test digest to lower-case hex of the same length.
func hexOnly(s string) string {
	b := []byte(s)
	for i, c := range b {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			b[i] = "0123456789abcdef"[int(c)%16]
		}
	}
	return string(b)
}
