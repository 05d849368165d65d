package store_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"yusuan"
	"yusuan/ingest/fakepdf"
	"yusuan/store"
)

func openTemp(t testing.TB) *store.Store {
	t.Helper()
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "yusuan.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// extracted is what the fake extractor makes of Document(seed).
func extracted(seed int) *yusuan.Document {
	data := fakepdf.File(seed)
	return fakepdf.Extractor{}.Extract(context.Background(), data, "doc.pdf")
}

func TestMigrationsFromEmptyAndReopen(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "y.db")
	for i := range 3 {
		st, err := store.Open(ctx, path)
		if err != nil {
			t.Fatalf("open %d: %v", i, err)
		}
		files, _ := filepath.Glob("migrations/*.sql")
		last := filepath.Base(files[len(files)-1])
		v, err := st.SchemaVersion(ctx)
		if err != nil || fmt.Sprintf("%04d", v) != last[:4] {
			t.Fatalf("open %d: schema version %d, %v; want that of %s", i, v, err, last)
		}
		var n int
		if err := st.ReadDB().QueryRow(`SELECT count(*) FROM schema_migrations`).Scan(&n); err != nil || n != len(files) {
			t.Fatalf("open %d: %d migrations recorded (%v), want %d", i, n, err, len(files))
		}
		var strict int
		if err := st.ReadDB().QueryRow(`SELECT count(*) FROM pragma_table_list WHERE name IN ('documents','cells','facts') AND strict = 1`).Scan(&strict); err != nil || strict != 3 {
			t.Fatalf("strict tables: %d (%v), want 3", strict, err)
		}
		var mode string
		if err := st.ReadDB().QueryRow(`PRAGMA journal_mode`).Scan(&mode); err != nil || mode != "wal" {
			t.Fatalf("journal mode %q (%v)", mode, err)
		}
		st.Close()
	}
	if _, err := os.Stat(filepath.Join(filepath.Dir(path), store.ArchiveDirName)); err != nil {
		t.Errorf("archive directory not created beside the database: %v", err)
	}
}

func TestReaderPoolIsReadOnly(t *testing.T) {
	st := openTemp(t)
	if _, err := st.ReadDB().Exec(`DELETE FROM documents`); err == nil {
		t.Fatal("write through the read pool succeeded")
	}
}

func TestDocumentRoundTripsToIdenticalJSON(t *testing.T) {
	ctx := context.Background()
	st := openTemp(t)
	for _, seed := range []int{1, 7, 8} {
		doc := extracted(seed)
		want, _ := json.Marshal(doc)
		added, err := st.PutDocument(ctx, doc, 1234, store.Source{File: "doc.pdf"})
		if err != nil || !added {
			t.Fatalf("put: added=%v err=%v", added, err)
		}
		got, err := st.Document(ctx, doc.SHA256)
		if err != nil {
			t.Fatal(err)
		}
		gotJSON, _ := json.Marshal(got)
		if !bytes.Equal(gotJSON, want) {
			t.Fatalf("seed %d: round trip differs:\n got %.300s\nwant %.300s", seed, gotJSON, want)
		}
		raw, _ := st.DocumentJSON(ctx, doc.SHA256)
		if !bytes.Equal(raw, want) {
			t.Fatalf("seed %d: stored JSON differs", seed)
		}
	}
}

func TestPutTwiceAddsOnlyNewSources(t *testing.T) {
	ctx := context.Background()
	st := openTemp(t)
	doc := extracted(3)
	for i, src := range []store.Source{{File: "a.pdf"}, {File: "a.pdf"}, {File: "b.pdf", URL: "http://x/b.pdf", LinkText: "单位预算"}} {
		added, err := st.PutDocument(ctx, doc, 10, src)
		if err != nil {
			t.Fatal(err)
		}
		if added != (i == 0) {
			t.Errorf("put %d: added = %v", i, added)
		}
	}
	srcs, err := st.Sources(ctx, doc.SHA256)
	if err != nil {
		t.Fatal(err)
	}
	if len(srcs) != 2 || srcs[1].LinkText != "单位预算" || srcs[1].FetchedAt.IsZero() {
		t.Fatalf("sources = %+v", srcs)
	}
	n, _ := st.Count(ctx, store.Filter{})
	if n != 1 {
		t.Fatalf("%d documents, want 1", n)
	}
}

func TestCellsAndFactsInFen(t *testing.T) {
	ctx := context.Background()
	st := openTemp(t)
	doc := &yusuan.Document{Schema: 1, SHA256: strings.Repeat("a", 64), File: "x.pdf",
		Meta: yusuan.Meta{Entity: "某局", Scope: yusuan.ScopeUnit, Kind: yusuan.KindBudget, Year: 2026},
		Tables: []yusuan.Table{{Kind: yusuan.ExpenditureSummary, Unit: "万元", Pages: []int{7}, Columns: []string{"total", "basic", "project"},
			Rows: []yusuan.Row{{Name: "合计", Page: 7, Values: map[string]yusuan.Amount{
				"total": yusuan.MustAmount("108.22"), "basic": yusuan.MustAmount("0.00"), "project": yusuan.Null},
				Raw: map[string]string{"project": "—"}}}},
			{Kind: yusuan.ThreePublic, Unit: "元", Pages: []int{9}, Columns: []string{"total"},
				Rows: []yusuan.Row{{Name: "合计", Page: 9, Values: map[string]yusuan.Amount{"total": yusuan.MustAmount("1234567.89")}}}},
			{Kind: yusuan.ProjectCurrent, Unit: "万元", Pages: []int{10}, Columns: []string{"total"},
				Rows: []yusuan.Row{{Name: "合计", Page: 10, Values: map[string]yusuan.Amount{"total": yusuan.MustAmount("1.1234567")}}}}},
		Facts:   yusuan.Facts{"total_income": yusuan.MustAmount("108.22"), "yoy_change_pct": yusuan.MustAmount("-10.50")},
		Sources: []yusuan.FactSource{{Key: "total_income", Value: yusuan.MustAmount("108.22"), Page: 18, Sentence: "收入总计108.22万元。"}},
	}
	if _, err := st.PutDocument(ctx, doc, 1, store.Source{File: "x.pdf"}); err != nil {
		t.Fatal(err)
	}
	type cell struct {
		col, unit   string
		amount, raw *string
		fen, places *int64
	}
	rows, err := st.ReadDB().Query(`SELECT c.col, c.unit, c.amount, c.raw, c.fen, c.places FROM cells c
		JOIN rows r ON r.id = c.row_id JOIN tables t ON t.id = r.table_id ORDER BY t.seq, c.col`)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for rows.Next() {
		var c cell
		if err := rows.Scan(&c.col, &c.unit, &c.amount, &c.raw, &c.fen, &c.places); err != nil {
			t.Fatal(err)
		}
		got = append(got, strings.Join([]string{c.col, c.unit, s(c.amount), s(c.raw), i(c.fen), i(c.places)}, "|"))
	}
	rows.Close()
	want := []string{
		"basic|万元|0.00|NULL|0|2",
		"project|万元|NULL|—|NULL|NULL",
		"total|万元|108.22|NULL|108220000|2",
		"total|元|1234567.89|NULL|123456789|2",
		"total|万元|1.1234567|NULL|NULL|7", // finer than a fen: exact text kept, no fen
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("cells:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	var f1, f2 string
	st.ReadDB().QueryRow(`SELECT amount||'|'||fen||'|'||unit||'|'||page||'|'||sentence FROM facts WHERE key='total_income'`).Scan(&f1)
	st.ReadDB().QueryRow(`SELECT amount||'|'||coalesce(fen,'NULL')||'|'||unit FROM facts WHERE key='yoy_change_pct'`).Scan(&f2)
	if f1 != "108.22|108220000|万元|18|收入总计108.22万元。" || f2 != "-10.50|NULL|%" {
		t.Fatalf("facts: %q %q", f1, f2)
	}
}

func s(p *string) string {
	if p == nil {
		return "NULL"
	}
	return *p
}

func i(p *int64) string {
	if p == nil {
		return "NULL"
	}
	return strconv.FormatInt(*p, 10)
}

func TestSQLSumIsExact(t *testing.T) {
	ctx := context.Background()
	st := openTemp(t)
	// 0.1 + 0.2 style amounts that floats get wrong, many times over.
	var tbl yusuan.Table
	tbl = yusuan.Table{Kind: yusuan.ExpenditureSummary, Unit: "万元", Columns: []string{"total"}, Pages: []int{1}}
	vals := []string{"0.01", "0.02", "0.10", "0.20", "1234567.89", "0.07", "-0.03"}
	for k := 0; k < 1000; k++ {
		v := vals[k%len(vals)]
		tbl.Rows = append(tbl.Rows, yusuan.Row{Name: "x", Page: 1, Values: map[string]yusuan.Amount{"total": yusuan.MustAmount(v)}})
	}
	doc := &yusuan.Document{Schema: 1, SHA256: strings.Repeat("b", 64), Tables: []yusuan.Table{tbl}}
	if _, err := st.PutDocument(ctx, doc, 1, store.Source{File: "s.pdf"}); err != nil {
		t.Fatal(err)
	}
	var sum int64
	var typ string
	if err := st.ReadDB().QueryRow(`SELECT sum(fen), typeof(sum(fen)) FROM cells`).Scan(&sum, &typ); err != nil {
		t.Fatal(err)
	}
	// Σ over 1000 rows: 142 full cycles of the 7 values plus the first 6.
	var want int64
	for k := 0; k < 1000; k++ {
		f, _ := yusuan.MustAmount(vals[k%len(vals)]).Fen(yusuan.WanYuan)
		want += f
	}
	if sum != want || typ != "integer" {
		t.Fatalf("SUM(fen) = %d (%s), want %d", sum, typ, want)
	}
	exact := decimal.Zero
	for k := 0; k < 1000; k++ {
		exact = exact.Add(yusuan.MustAmount(vals[k%len(vals)]).Decimal())
	}
	if got := yusuan.AmountFromFen(sum, yusuan.WanYuan, 2); !got.Decimal().Equal(exact) || got.String() != "176543261.21" {
		t.Fatalf("sum in 万元 = %s, want %s", got, exact)
	}
}

func TestDocumentsFilterAndIterator(t *testing.T) {
	ctx := context.Background()
	st := openTemp(t)
	for seed := 1; seed <= 6; seed++ {
		if _, err := st.PutDocument(ctx, extracted(seed), 1, store.Source{File: "f.pdf"}); err != nil {
			t.Fatal(err)
		}
	}
	// Document(seed) has year 2024 + seed%3: seeds 2 and 5 are 2026.
	docs, err := st.Documents(ctx, store.Filter{Year: 2026})
	if err != nil {
		t.Fatal(err)
	}
	if len(docs) != 2 || docs[0].Tables != 13 || docs[0].Status != store.StatusOK || docs[0].Entity != "测试市第2局" {
		t.Fatalf("documents(2026) = %+v", docs)
	}
	docs, _ = st.Documents(ctx, store.Filter{Entity: "第5局", Kind: yusuan.KindBudget})
	if len(docs) != 1 || docs[0].Year != 2026 {
		t.Fatalf("documents(第5局) = %+v", docs)
	}
	n := 0
	for doc, err := range st.AllDocuments(ctx, store.Filter{}) {
		if err != nil {
			t.Fatal(err)
		}
		if len(doc.Tables) != 13 {
			t.Fatalf("%s: %d tables", doc.SHA256, len(doc.Tables))
		}
		n++
		if n == 4 {
			break
		}
	}
	if n != 4 {
		t.Fatalf("iterated %d", n)
	}
	if _, err := st.Document(ctx, strings.Repeat("0", 64)); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("missing document: %v", err)
	}
}

func TestEntitiesAcrossYears(t *testing.T) {
	ctx := context.Background()
	db := filepath.Join(t.TempDir(), "yusuan.db")
	st := reopen(t, db)
	mk := func(c byte, entity string, year int) *yusuan.Document {
		return &yusuan.Document{Schema: 1, SHA256: strings.Repeat(string(c), 64),
			Meta: yusuan.Meta{Entity: entity, Year: year, Scope: yusuan.ScopeUnit}}
	}
	docs := []*yusuan.Document{
		mk('1', "阳泉市生态环境局城区分局", 2025),
		mk('2', "阳泉市生态环境局 城区分局", 2026), // same after normalisation
		mk('3', "阳泉市城区生态环境分局", 2027),   // renamed; joined by code below
		mk('4', "别的单位", 2026),
	}
	for _, d := range docs {
		if _, err := st.PutDocument(ctx, d, 1, store.Source{File: "f"}); err != nil {
			t.Fatal(err)
		}
	}
	if err := st.SetEntityCode(ctx, docs[0].SHA256, "046008"); err != nil {
		t.Fatal(err)
	}
	if err := st.SetEntityCode(ctx, docs[2].SHA256, "046008"); err != nil {
		t.Fatal(err)
	}
	all, _ := st.Documents(ctx, store.Filter{})
	ids := map[string]int64{}
	for _, d := range all {
		ids[d.SHA256[:1]] = d.EntityID
	}
	if ids["1"] != ids["2"] || ids["1"] != ids["3"] || ids["4"] == ids["1"] || ids["1"] == 0 {
		t.Fatalf("entity ids = %v", ids)
	}
	same, _ := st.Documents(ctx, store.Filter{EntityID: ids["1"]})
	if len(same) != 3 {
		t.Fatalf("%d documents of the entity, want 3", len(same))
	}
	// Opened again, the entities are recomputed from names, aliases and
	// codes: the code still joins the renamed unit.
	st.Close()
	st = reopen(t, db)
	defer st.Close()
	all, _ = st.Documents(ctx, store.Filter{})
	for _, d := range all {
		if got := d.EntityID == ids["1"]; got != (d.SHA256[:1] != "4") {
			t.Errorf("reopened: %s in entity %d (%v)", d.SHA256[:1], d.EntityID, ids)
		}
	}
}

func TestReplaceDocument(t *testing.T) {
	ctx := context.Background()
	st := openTemp(t)
	doc := extracted(4)
	if _, err := st.PutDocument(ctx, doc, 1, store.Source{File: "a.pdf"}); err != nil {
		t.Fatal(err)
	}
	doc.Tables = doc.Tables[:2]
	doc.Extractor = "fake/2"
	if err := st.ReplaceDocument(ctx, doc); err != nil {
		t.Fatal(err)
	}
	var tables, rows int
	st.ReadDB().QueryRow(`SELECT count(*) FROM tables`).Scan(&tables)
	st.ReadDB().QueryRow(`SELECT count(*) FROM rows`).Scan(&rows)
	if tables != 2 || rows != 16 {
		t.Fatalf("after replace: %d tables, %d rows", tables, rows)
	}
	stale, _ := st.Documents(ctx, store.Filter{NotExtractor: "fake/2"})
	if len(stale) != 0 {
		t.Fatalf("stale after replace: %d", len(stale))
	}
	srcs, _ := st.Sources(ctx, doc.SHA256)
	if len(srcs) != 1 {
		t.Fatalf("sources lost: %v", srcs)
	}
}

func TestArchive(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	a, err := store.OpenArchive(dir)
	if err != nil {
		t.Fatal(err)
	}
	data := bytes.Repeat([]byte("预算公开 "), 100000)
	sum := sha256.Sum256(data)
	want := hex.EncodeToString(sum[:])
	sha, size, err := a.Put(ctx, bytes.NewReader(data))
	if err != nil || sha != want || size != int64(len(data)) {
		t.Fatalf("put: %s %d %v", sha, size, err)
	}
	if p := a.Path(sha); p != filepath.Join(dir, sha[:2], sha[2:4], sha) {
		t.Fatalf("path %s", p)
	}
	if _, _, err := a.Put(ctx, bytes.NewReader(data)); err != nil {
		t.Fatal(err)
	}
	got, err := a.ReadAll(sha)
	if err != nil || !bytes.Equal(got, data) {
		t.Fatalf("read back: %v", err)
	}
	ents, _ := os.ReadDir(dir)
	if len(ents) != 1 {
		t.Fatalf("archive root holds %d entries (temporary files left?)", len(ents))
	}
	// Damage the file on disk: reading must notice.
	if err := os.WriteFile(a.Path(sha), append(data[:10:10], 'x'), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := a.ReadAll(sha); !errors.Is(err, store.ErrCorrupt) {
		t.Fatalf("corrupt file read: %v", err)
	}
	if _, err := a.ReadAll(strings.Repeat("e", 64)); !errors.Is(err, store.ErrNotArchived) {
		t.Fatalf("missing file: %v", err)
	}
}
