package store_test

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"yusuan"
	"yusuan/ingest/fakepdf"
	"yusuan/store"
)

// put stores doc as the fake extractor would read its bytes, and returns
// the stored document.
func put(t *testing.T, st *store.Store, doc *yusuan.Document) *yusuan.Document {
	t.Helper()
	got := fakepdf.Extractor{}.Extract(context.Background(), fakepdf.Encode(doc), "x.pdf")
	if _, err := st.PutDocument(context.Background(), got, 1, store.Source{File: "x.pdf"}); err != nil {
		t.Fatal(err)
	}
	return got
}

func info(t *testing.T, st *store.Store, sha string) store.DocInfo {
	t.Helper()
	ds, err := st.Documents(context.Background(), store.Filter{SHA256: sha})
	if err != nil || len(ds) != 1 {
		t.Fatalf("%s: %v %v", sha, ds, err)
	}
	return ds[0]
}

// revise changes one figure of a document.
func revise(d *yusuan.Document) *yusuan.Document {
	r := *d
	r.Tables = append([]yusuan.Table(nil), d.Tables...)
	t := r.Tables[0]
	t.Rows = append([]yusuan.Row(nil), t.Rows...)
	row := t.Rows[1]
	row.Values = map[string]yusuan.Amount{}
	for k, v := range t.Rows[1].Values {
		row.Values[k] = v
	}
	row.Values["total"] = yusuan.MustAmount("123456.78")
	t.Rows[1] = row
	r.Tables[0] = t
	return &r
}

// sumCurrent adds up every stored cell in fen, over current documents only.
func sumCurrent(t *testing.T, st *store.Store) int64 {
	t.Helper()
	var n sql.NullInt64
	if err := st.ReadDB().QueryRow(`SELECT sum(c.fen) FROM cells c JOIN rows r ON r.id = c.row_id
		JOIN tables t ON t.id = r.table_id JOIN documents d ON d.id = t.document_id WHERE d.current = 1`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n.Int64
}

func TestSupersededAndCopies(t *testing.T) {
	st := openTemp(t)
	base := fakepdf.Document(3)
	v1 := put(t, st, base)
	alone := sumCurrent(t, st)
	// A byte-different copy (another producer, the same tables and facts).
	cp := *base
	cp.Producer = "WPS Office"
	cp.Pages = 23
	c1 := put(t, st, &cp)
	if c1.SHA256 == v1.SHA256 {
		t.Fatal("copy has the same bytes")
	}
	// The department's own document of the same name and year: not a version.
	dep := *base
	dep.Meta.Scope = yusuan.ScopeDepartment
	d1 := put(t, st, &dep)
	// A revision: one figure changed.
	v2 := put(t, st, revise(base))

	for _, c := range []struct {
		name          string
		sha           string
		current       bool
		superseded    string
		copyOf        string
		contentDigest bool
	}{
		{"first version", v1.SHA256, false, v2.SHA256, "", true},
		{"copy of the first version", c1.SHA256, false, "", v1.SHA256, true},
		{"department document", d1.SHA256, true, "", "", true},
		{"revision", v2.SHA256, true, "", "", true},
	} {
		di := info(t, st, c.sha)
		if di.Current != c.current || di.SupersededBy != c.superseded || di.CopyOf != c.copyOf || (di.ContentDigest != "") != c.contentDigest {
			t.Errorf("%s: current=%v superseded_by=%.8s copy_of=%.8s digest=%q", c.name, di.Current, di.SupersededBy, di.CopyOf, di.ContentDigest)
		}
	}
	if info(t, st, v1.SHA256).ContentDigest != info(t, st, c1.SHA256).ContentDigest {
		t.Error("copy: content digests differ")
	}
	// Sums over current documents count the unit once (the revision) and
	// the department once.
	var want int64
	for _, sha := range []string{v2.SHA256, d1.SHA256} {
		var n int64
		st.ReadDB().QueryRow(`SELECT sum(c.fen) FROM cells c JOIN rows r ON r.id = c.row_id JOIN tables t ON t.id = r.table_id
			JOIN documents d ON d.id = t.document_id WHERE d.sha256 = ?`, sha).Scan(&n)
		want += n
	}
	if got := sumCurrent(t, st); got != want || got == 2*alone {
		t.Errorf("sum over current documents %d, want %d", got, want)
	}
	cur, _ := st.Documents(context.Background(), store.Filter{OnlyCurrent: true})
	if len(cur) != 2 {
		t.Errorf("%d current documents, want 2", len(cur))
	}
	checked, _ := st.Documents(context.Background(), store.Filter{SkipCopies: true})
	if len(checked) != 3 {
		t.Errorf("%d documents without copies, want 3", len(checked))
	}
	vs, err := st.DocumentVersions(context.Background(), v2.SHA256)
	if err != nil || len(vs) != 3 || vs[0].SHA256 != v1.SHA256 || vs[2].SHA256 != v2.SHA256 {
		t.Errorf("versions %v %v", vs, err)
	}
}

// A document without content (a scan) published after one with content
// does not replace its figures.
// A disclosure published as two files, its narrative and its tables, is two
// parts, both current; a later combined file supersedes both.
func TestNarrativeAndTablesFilesAreParts(t *testing.T) {
	st := openTemp(t)
	base := fakepdf.Document(5)
	if len(base.Facts) == 0 || len(base.Tables) == 0 {
		t.Fatal("the fake document needs facts and tables")
	}
	narr := *base
	narr.Tables = nil
	tabs := *base
	tabs.Facts, tabs.Sources = nil, nil
	n := put(t, st, &narr)
	tb := put(t, st, &tabs)
	for _, sha := range []string{n.SHA256, tb.SHA256} {
		if di := info(t, st, sha); !di.Current || di.SupersededBy != "" {
			t.Errorf("%s: %+v: a part taken for a version", sha[:8], di)
		}
	}
	// The narrative file republished with other figures supersedes its
	// first version only.
	narr2 := narr
	narr2.Facts = yusuan.Facts{}
	for k, v := range narr.Facts {
		narr2.Facts[k] = v
	}
	narr2.Facts["total_income"] = yusuan.MustAmount("99999.99")
	n2 := put(t, st, &narr2)
	if di := info(t, st, n.SHA256); di.Current || di.SupersededBy != n2.SHA256 {
		t.Errorf("first narrative: %+v", di)
	}
	if di := info(t, st, tb.SHA256); !di.Current {
		t.Errorf("tables file: %+v", di)
	}
	whole := put(t, st, revise(base))
	for _, sha := range []string{n2.SHA256, tb.SHA256} {
		if di := info(t, st, sha); di.Current || di.SupersededBy != whole.SHA256 {
			t.Errorf("%s after the combined file: %+v", sha[:8], di)
		}
	}
}

func TestScanDoesNotSupersedeText(t *testing.T) {
	st := openTemp(t)
	base := fakepdf.Document(4)
	text := put(t, st, base)
	scan := *base
	scan.TextLayer, scan.Tables, scan.Facts, scan.Sources = false, nil, nil, nil
	img := put(t, st, &scan)
	if di := info(t, st, text.SHA256); !di.Current {
		t.Error("text version not current")
	}
	if di := info(t, st, img.SHA256); di.Current || di.SupersededBy != text.SHA256 {
		t.Errorf("scan: %+v", di)
	}
}

func TestAliasesMergeEntities(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db := filepath.Join(dir, "yusuan.db")
	st, err := store.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	a := fakepdf.Document(5)
	a.Meta.Entity = "江苏省委办公厅"
	b := revise(a)
	b.Meta.Entity = "中共江苏省委办公厅"
	da, db2 := put(t, st, a), put(t, st, b)
	if x, y := info(t, st, da.SHA256), info(t, st, db2.SHA256); x.EntityID == y.EntityID || !x.Current || !y.Current {
		t.Fatalf("without aliases: %+v %+v", x, y)
	}
	st.Close()
	aliases := "# one office, three names\n[[entity]]\nnames = [\"中共江苏省委办公厅\", \"江苏省委办公厅\", \"中国共产党江苏省委员会办公厅\"]\n"
	if err := os.WriteFile(filepath.Join(dir, store.AliasesFileName), []byte(aliases), 0o644); err != nil {
		t.Fatal(err)
	}
	st, err = store.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	x, y := info(t, st, da.SHA256), info(t, st, db2.SHA256)
	if x.EntityID != y.EntityID || x.Current || y.SupersededBy != "" || x.SupersededBy != db2.SHA256 {
		t.Fatalf("with aliases: %+v\n%+v", x, y)
	}
	var name, region string
	st.ReadDB().QueryRow(`SELECT name, region FROM entities WHERE id = ?`, x.EntityID).Scan(&name, &region)
	if name != "中共江苏省委办公厅" || region != "江苏省" {
		t.Errorf("entity %q %q", name, region)
	}
	// A document under the third name joins the same entity.
	c := revise(b)
	c.Meta.Entity = "中国共产党江苏省委员会办公厅"
	c.Meta.Year++
	dc := put(t, st, c)
	if z := info(t, st, dc.SHA256); z.EntityID != x.EntityID {
		t.Errorf("third name: entity %d, want %d", z.EntityID, x.EntityID)
	}
	f := finding("row.sum", yusuan.SeverityError, da.SHA256, "中共江苏省委办公厅", a.Meta.Year, "一般公共服务支出", "10.00")
	if _, _, err := st.SaveRun(ctx, store.CheckRun{}, []yusuan.Finding{f}, store.Scope{}); err != nil {
		t.Fatal(err)
	}
	if got := st.CanonicalEntity("中国共产党 江苏省委员会办公厅"); got != "中共江苏省委办公厅" {
		t.Errorf("canonical %q", got)
	}
	var n int
	st.ReadDB().QueryRow(`SELECT count(*) FROM entities`).Scan(&n)
	if n != 1 {
		t.Errorf("%d entities", n)
	}
	st.Close()

	// A mistaken alias taken back: one name removed from the group splits
	// its document off again, under the name it printed.
	aliases = "[[entity]]\nnames = [\"中共江苏省委办公厅\", \"中国共产党江苏省委员会办公厅\"]\n"
	if err := os.WriteFile(filepath.Join(dir, store.AliasesFileName), []byte(aliases), 0o644); err != nil {
		t.Fatal(err)
	}
	st = reopen(t, db)
	x, y, z := info(t, st, da.SHA256), info(t, st, db2.SHA256), info(t, st, dc.SHA256)
	if x.EntityID == y.EntityID || y.EntityID != z.EntityID || !x.Current || !y.Current || x.SupersededBy != "" {
		t.Fatalf("alias taken back: %+v\n%+v\n%+v", x, y, z)
	}
	if got := entityNames(t, st); !slices.Equal(got, []string{"中共江苏省委办公厅", "江苏省委办公厅"}) {
		t.Errorf("entities %q", got)
	}
	var fe int64
	if err := st.ReadDB().QueryRow(`SELECT entity_id FROM findings WHERE id = ?`, f.ID).Scan(&fe); err != nil || fe != x.EntityID {
		t.Errorf("the finding on %s is under entity %d, its document under %d (%v)", da.SHA256[:8], fe, x.EntityID, err)
	}
	st.Close()

	// The file removed: every name is its own entity; opened again, nothing
	// moves.
	if err := os.Remove(filepath.Join(dir, store.AliasesFileName)); err != nil {
		t.Fatal(err)
	}
	st = reopen(t, db)
	ids := map[int64]bool{}
	for _, sha := range []string{da.SHA256, db2.SHA256, dc.SHA256} {
		ids[info(t, st, sha).EntityID] = true
	}
	if len(ids) != 3 {
		t.Errorf("without the file: %d entities of three names", len(ids))
	}
	if got := entityNames(t, st); !slices.Equal(got, []string{"中共江苏省委办公厅", "中国共产党江苏省委员会办公厅", "江苏省委办公厅"}) {
		t.Errorf("entities %q", got)
	}
	st.Close()
	st = reopen(t, db)
	defer st.Close()
	for _, sha := range []string{da.SHA256, db2.SHA256, dc.SHA256} {
		if !ids[info(t, st, sha).EntityID] {
			t.Errorf("%s changed entity on a plain reopen", sha[:8])
		}
	}
}

func reopen(t *testing.T, db string) *store.Store {
	t.Helper()
	st, err := store.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// entityNames are the stored entities' names, sorted.
func entityNames(t *testing.T, st *store.Store) []string {
	t.Helper()
	rows, err := st.ReadDB().Query(`SELECT name FROM entities ORDER BY name`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var n string
		rows.Scan(&n)
		out = append(out, n)
	}
	return out
}

func TestAliasFileErrors(t *testing.T) {
	for name, text := range map[string]string{
		"bad toml":    "[[entity]\nnames = [\"a\"]",
		"unknown key": "[[entity]]\nname = [\"甲\", \"乙\"]",
		"one name":    "[[entity]]\nnames = [\"甲局\"]",
		"two groups":  "[[entity]]\nnames = [\"甲局\", \"乙局\"]\n[[entity]]\nnames = [\"丙局\", \"甲 局\"]",
	} {
		if _, err := store.ParseAliases("aliases.toml", []byte(text)); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, store.AliasesFileName), []byte("[[entity]]\nnames = [\"甲局\"]"), 0o644)
	if _, err := store.Open(context.Background(), filepath.Join(dir, "y.db")); err == nil {
		t.Error("a bad aliases file beside the database was ignored")
	}
}

// A store written before the identity columns existed gets them on open.
func TestBackfillOnOpen(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "y.db")
	st, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	base := fakepdf.Document(6)
	v1, v2 := put(t, st, base), put(t, st, revise(base))
	st.Close()
	raw, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec(`UPDATE documents SET content_digest = NULL, current = 1, superseded_by = NULL, copy_of = NULL;
		UPDATE entities SET region = NULL`); err != nil {
		t.Fatal(err)
	}
	raw.Close()
	st, err = store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if x, y := info(t, st, v1.SHA256), info(t, st, v2.SHA256); x.Current || x.SupersededBy != v2.SHA256 || !y.Current || y.ContentDigest == "" {
		t.Errorf("after backfill: %+v\n%+v", x, y)
	}
}

// Re-extraction that reads another year moves a document to another group
// of versions: both groups are recomputed.
func TestReplaceMovesGroup(t *testing.T) {
	ctx := context.Background()
	st := openTemp(t)
	base := fakepdf.Document(7)
	v1, v2 := put(t, st, base), put(t, st, revise(base))
	if info(t, st, v1.SHA256).Current {
		t.Fatal("v1 current")
	}
	moved := *v2
	moved.Meta.Year--
	if err := st.ReplaceDocument(ctx, &moved); err != nil {
		t.Fatal(err)
	}
	if !info(t, st, v1.SHA256).Current || !info(t, st, v2.SHA256).Current {
		t.Error("after the move both should be current")
	}
}

func TestRegion(t *testing.T) {
	for name, want := range map[string]string{
		"中共江苏省委办公厅":        "江苏省",
		"中国共产党江苏省委员会办公厅":   "江苏省",
		"江苏省苏州市财政局":        "江苏省苏州市",
		"上海市普陀区司法局":        "上海市普陀区",
		"广州市财政局":           "广州市",
		"阳泉市生态环境局城区分局":     "阳泉市",
		"杭州市西湖区教育局":        "杭州市西湖区",
		"广西壮族自治区南宁市青秀区财政局": "广西壮族自治区南宁市青秀区",
		"国家信访局":            "中央",
		"国家市场监督管理总局":       "中央",
		"中共中央办公厅":          "中央",
		"中国气象局":            "中央",
		"最高人民检察院":          "中央",
		"江苏省人民检察院":         "江苏省",
		"市场监督管理局":          "",
		"某县财政局":            "",
	} {
		if got := store.Region(name); got != want {
			t.Errorf("Region(%s) = %q, want %q", name, got, want)
		}
	}
}

// A store whose entities lost their region (one written before 中央 was a
// region) recomputes it when opened, and the findings of the entity follow:
// the region filter finds them.
func TestRegionsRecomputedWithFindings(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "y.db")
	st, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	d := fakepdf.Document(8)
	d.Meta.Entity = "国家信访局"
	sha := put(t, st, d).SHA256
	f := yusuan.Finding{Rule: "hierarchy.sum", Severity: yusuan.SeverityError, Documents: []yusuan.DocRef{{SHA256: sha, Entity: "国家信访局", Year: d.Meta.Year}},
		Tables: []string{"expenditure_summary"}, Message: "合计 1.00 ≠ Σ类 2.00"}
	f.Stamp()
	if _, _, err := st.SaveRun(ctx, store.CheckRun{RulesVersion: "r", Documents: 1}, []yusuan.Finding{f}, store.Scope{}); err != nil {
		t.Fatal(err)
	}
	st.Close()
	raw, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec(`UPDATE entities SET region = NULL; UPDATE findings SET region = '', province = ''`); err != nil {
		t.Fatal(err)
	}
	raw.Close()
	if st, err = store.Open(ctx, path); err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if fs := open(t, st, store.FindingFilter{Region: store.Central}); len(fs) != 1 || fs[0].Region != store.Central {
		t.Errorf("findings in region %s: %+v", store.Central, fs)
	}
}

// Whether a document's text reads is stored as columns too (the export and
// the web UI read them), and a re-extraction updates them.
func TestTextReadabilityColumns(t *testing.T) {
	ctx := context.Background()
	st := openTemp(t)
	d := fakepdf.Document(9)
	d.GarbledChars = 12
	sha := put(t, st, d).SHA256
	read := func() (unreadable bool, garbled int) {
		t.Helper()
		if err := st.ReadDB().QueryRow(`SELECT text_unreadable, garbled_chars FROM documents WHERE sha256 = ?`, sha).Scan(&unreadable, &garbled); err != nil {
			t.Fatal(err)
		}
		return unreadable, garbled
	}
	if u, g := read(); u || g != 12 {
		t.Errorf("stored %v %d, want false 12", u, g)
	}
	d.GarbledChars, d.TextUnreadable, d.SHA256 = 0, true, sha
	if err := st.ReplaceDocument(ctx, d); err != nil {
		t.Fatal(err)
	}
	if u, g := read(); !u || g != 0 {
		t.Errorf("after re-extraction %v %d, want true 0", u, g)
	}
}

// FuzzParseAliases: an aliases file is parsed or refused with an
// *AliasError, never a panic; what it accepts is groups of two or more
// names, none in two groups.
func FuzzParseAliases(f *testing.F) {
	f.Add("[[entity]]\nnames = [\"中共江苏省委办公厅\", \"江苏省委办公厅\"]\n")
	f.Add("[[entity]]\nnames = [\"甲局\", \"乙局\"]\n[[entity]]\nnames = [\"丙局\", \"甲 局\"]")
	f.Add("[[entity]\nnames = [\"a\"]")
	f.Add("[[entity]]\nnames = [\"\", \"　\", \"x\"]")
	f.Fuzz(func(t *testing.T, text string) {
		a, err := store.ParseAliases("aliases.toml", []byte(text))
		if err != nil {
			var ae *store.AliasError
			if !errors.As(err, &ae) {
				t.Fatalf("error %v is not an *AliasError", err)
			}
			return
		}
		seen := map[string]bool{}
		for _, g := range a.Groups() {
			if len(g) < 2 {
				t.Fatalf("group %q has fewer than two names", g)
			}
			for _, n := range g {
				k := store.NormalizeEntity(n)
				if k == "" || seen[k] {
					t.Fatalf("name %q empty or in two groups", n)
				}
				seen[k] = true
				if c, ok := a.Canonical(n); !ok || c != g[0] {
					t.Fatalf("Canonical(%q) = %q, %v; want %q", n, c, ok, g[0])
				}
			}
		}
	})
}
