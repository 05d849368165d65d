package check

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"testing"

	"yusuan"
	"yusuan/fixtures/synth"
)

// synthDocs generates a small synthetic corpus (departments with their units,
// two years) and gives each document a digest, as the store would.
func synthDocs(seed uint64, n int) ([]*synth.PrintedDoc, []*yusuan.Document) {
	pds := synth.Corpus(seed, n)
	docs := make([]*yusuan.Document, len(pds))
	for i, pd := range pds {
		docs[i] = withSHA(&pd.Doc)
	}
	return pds, docs
}

func withSHA(d *yusuan.Document) *yusuan.Document {
	sum := sha256.Sum256([]byte(d.File + fmt.Sprint(d.Meta.Year)))
	d.SHA256 = hex.EncodeToString(sum[:])
	return d
}

func TestSynthCleanCorpus(t *testing.T) {
	_, docs := synthDocs(7, 6)
	fs := Check(docs, Options{})
	for _, f := range fs {
		if f.Severity == yusuan.SeverityError {
			t.Errorf("clean synthetic corpus: %s %v %v %s", f.Rule, f.Documents[0].File, f.Tables, f.Message)
		}
	}
	t.Logf("%d documents, %d findings", len(docs), len(fs))
}

// TestSynthPlantedDefects plants every defect kind synth knows into a copy
// of a synthetic corpus (up to two documents per kind) and checks the whole
// corpus: each planted defect is found with its rule, severity and table,
// naming the planted document; no other document gets an error.
func TestSynthPlantedDefects(t *testing.T) {
	const seed, depts = 11, 4
	base := synth.Corpus(seed, depts)
	for _, kind := range synth.AllDefects() {
		planted := 0
		for i := range base {
			if planted == 2 {
				break
			}
			pds := slices.Clone(base)
			pds[i] = base[i].Clone() // Plant changes only this copy
			exp, err := synth.Plant(pds[i], synth.Defect{Kind: kind})
			if errors.Is(err, synth.ErrNotApplicable) {
				continue
			}
			if err != nil {
				t.Fatalf("%s: %v", kind, err)
			}
			planted++
			file := pds[i].Doc.File
			docs := make([]*yusuan.Document, len(pds))
			for j, pd := range pds {
				docs[j] = withSHA(&pd.Doc)
			}
			fs := Check(docs, Options{})
			for _, e := range exp {
				if e.Rule == "completeness.tables" {
					// docs/cli.md: a missing table is a warning.
					e.Severity = yusuan.SeverityWarning
				}
				ok := false
				for _, f := range fs {
					ok = ok || f.Rule == e.Rule && f.Severity == e.Severity &&
						(e.TableKind == "" || slices.Contains(f.Tables, string(e.TableKind))) &&
						slices.ContainsFunc(f.Documents, func(d yusuan.DocRef) bool { return d.File == file })
				}
				if !ok {
					t.Errorf("%s in %s: no %s %s finding on %s (%s); got:\n%s", kind, file, e.Severity, e.Rule,
						e.TableKind, e.Detail, dump(fsOf(fs, file)))
				}
			}
			for _, f := range errorsOf(fs) {
				if !slices.ContainsFunc(f.Documents, func(d yusuan.DocRef) bool { return d.File == file }) {
					t.Errorf("%s planted in %s: error in another document %s: %s %s", kind, file,
						f.Documents[0].File, f.Rule, f.Message)
				}
			}
		}
		if planted == 0 {
			t.Errorf("defect %s could not be planted", kind)
		}
	}
}

func fsOf(fs []yusuan.Finding, file string) []yusuan.Finding {
	var out []yusuan.Finding
	for _, f := range fs {
		if slices.ContainsFunc(f.Documents, func(d yusuan.DocRef) bool { return d.File == file }) {
			out = append(out, f)
		}
	}
	return out
}

// TestSynthCleanFinalAccounts: the synthetic final accounts (departments
// whose text names their units as “部门机关本级预算和所属1个单位预算，分别为：…”,
// the 本级's document named as the department) check without an error.
func TestSynthCleanFinalAccounts(t *testing.T) {
	pds := synth.FinalCorpus(7, 6)
	docs := make([]*yusuan.Document, len(pds))
	for i, pd := range pds {
		docs[i] = withSHA(&pd.Doc)
	}
	fs := Check(docs, Options{})
	for _, f := range errorsOf(fs) {
		t.Errorf("clean final accounts: %s %v %s", f.Rule, f.Documents[0].File, f.Message)
	}
	if !slices.ContainsFunc(fs, func(f yusuan.Finding) bool { return f.Rule == "summary.balance" }) {
		t.Errorf("no finding at all: %d", len(fs)) // the rules ran (尾差 notes)
	}
}

// TestSynthTemplateWithoutTable: a synthetic document printed from a
// template without the 国有资本经营预算表 (labels running on) gets a note,
// no warning; the same table dropped from a template that has it (a gap
// in the labels: the planted completeness.tables) stays a warning.
func TestSynthTemplateWithoutTable(t *testing.T) {
	base := synth.Corpus(5, 3)
	left, gap := 0, 0
	for _, pd := range base {
		labelled := pd.Doc.Tables[0].Label != ""
		c := pd.Clone()
		if err := synth.LeaveOut(c, yusuan.StateCapital); errors.Is(err, synth.ErrNotApplicable) {
			continue
		} else if err != nil {
			t.Fatal(err)
		}
		fs := CheckDocument(withSHA(&c.Doc), Options{Rules: []string{"completeness.tables"}})
		want := yusuan.SeverityInfo
		if !labelled {
			want = yusuan.SeverityWarning // nothing shows the template
		}
		if len(fs) != 1 || fs[0].Severity != want || !slices.Contains(fs[0].Tables, string(yusuan.StateCapital)) {
			t.Errorf("%s (labels %q…) left out of the template: want one %s, got\n%s", c.Doc.File, pd.Doc.Tables[0].Label, want, dump(fs))
		}
		if labelled {
			left++
		}
		p := pd.Clone()
		if _, err := synth.Plant(p, synth.Defect{Kind: synth.CompletenessTables}); err != nil {
			t.Fatal(err)
		}
		fs = CheckDocument(withSHA(&p.Doc), Options{Rules: []string{"completeness.tables"}})
		if len(fs) != 1 || fs[0].Severity != yusuan.SeverityWarning {
			t.Errorf("%s: dropped table: want one warning, got\n%s", p.Doc.File, dump(fs))
		}
		gap++
	}
	if left == 0 || gap == 0 {
		t.Fatalf("no labelled document left the table out (%d) or had it dropped (%d)", left, gap)
	}
	t.Logf("%d documents left it out of their template, %d had it dropped", left, gap)
}
