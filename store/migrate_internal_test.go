package store

import (
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"yusuan"
	"yusuan/ingest/fakepdf"
)

func TestLoadMigrationsRejectsBadNames(t *testing.T) {
	for name, fsys := range map[string]fstest.MapFS{
		"no number":    {"migrations/init.sql": {Data: []byte("")}},
		"short number": {"migrations/1_init.sql": {Data: []byte("")}},
		"duplicate":    {"migrations/0002_a.sql": {Data: []byte("")}, "migrations/0002_b.sql": {Data: []byte("")}},
	} {
		if _, err := loadMigrations(fsys); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	ms, err := loadMigrations(fstest.MapFS{
		"migrations/0100_crawl.sql": {Data: []byte("x")},
		"migrations/0002_b.sql":     {Data: []byte("y")},
		"migrations/0001_a.sql":     {Data: []byte("z")},
	})
	if err != nil || len(ms) != 3 || ms[0].version != 1 || ms[1].name != "b" || ms[2].version != 100 {
		t.Fatalf("%+v %v", ms, err)
	}
}

// An existing database picks up a new migration once, and a failing one
// leaves nothing behind.
func TestUpgradeAppliesNewMigrationsOnce(t *testing.T) {
	ctx := context.Background()
	st, err := Open(ctx, filepath.Join(t.TempDir(), "y.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ms, _ := loadMigrations(migrationFiles)
	next := append(ms, migration{version: 9000, name: "notes", sql: `CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT NOT NULL) STRICT;
		INSERT INTO notes(text) VALUES ('一');`})
	for range 2 {
		if err := st.applyMigrations(ctx, next); err != nil {
			t.Fatal(err)
		}
	}
	var n int
	if err := st.rd.QueryRow(`SELECT count(*) FROM notes`).Scan(&n); err != nil || n != 1 {
		t.Fatalf("notes: %d %v", n, err)
	}
	bad := append(next, migration{version: 9001, name: "broken", sql: `CREATE TABLE half (x INTEGER) STRICT; INSERT INTO nowhere VALUES (1);`})
	if err := st.applyMigrations(ctx, bad); err == nil || !strings.Contains(err.Error(), "9001_broken") {
		t.Fatalf("broken migration: %v", err)
	}
	if err := st.rd.QueryRow(`SELECT count(*) FROM sqlite_schema WHERE name = 'half'`).Scan(&n); err != nil || n != 0 {
		t.Fatalf("half-applied migration left table behind: %d %v", n, err)
	}
	if v, _ := st.SchemaVersion(ctx); v != 9000 {
		t.Fatalf("version %d", v)
	}
}

// A database as wave 1 left it (migrations before 0200: findings per run,
// no document identity) opens with its documents' versions worked out and
// the old findings dropped for the next check to make again.
func TestUpgradeFromPerRunFindings(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "y.db")
	old := &Store{path: path}
	var err error
	if old.wr, err = sql.Open("sqlite", dsn(path, false)); err != nil {
		t.Fatal(err)
	}
	old.wr.SetMaxOpenConns(1)
	ms, _ := loadMigrations(migrationFiles)
	var before []migration
	for _, m := range ms {
		if m.version < 200 {
			before = append(before, m)
		}
	}
	if err := old.applyMigrations(ctx, before); err != nil {
		t.Fatal(err)
	}
	v1 := fakepdf.Document(8)
	v2 := fakepdf.Document(8)
	v2.Tables[0].Rows[1].Values = map[string]yusuan.Amount{"total": yusuan.MustAmount("1.00")}
	for i, d := range []*yusuan.Document{v1, v2} {
		d.SHA256 = strings.Repeat(string(rune('a'+i)), 64)
		blob, _ := encodeDoc(d)
		if _, err := old.wr.Exec(`INSERT INTO entities(id, name, scope) VALUES (1, ?, 'unit') ON CONFLICT DO NOTHING`, d.Meta.Entity); err != nil {
			t.Fatal(err)
		}
		if _, err := old.wr.Exec(`INSERT INTO documents(sha256, size, file, pages, producer, text_layer, title, entity, entity_id,
			scope, kind, year, schema_version, extractor, status, error, warnings, extract, ingested_at, extracted_at)
			VALUES (?, 1, 'x.pdf', 22, '', 1, '', ?, 1, 'unit', 'budget', ?, 1, 'fake/1', 'ok', '', '[]', ?, '', '')`,
			d.SHA256, d.Meta.Entity, d.Meta.Year, blob); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := old.wr.Exec(`INSERT INTO check_runs(id, started_at, finished_at, rules, note, findings) VALUES (1, '', '', '[]', '', 1);
		INSERT INTO findings(id, run_id, seq, rule, severity, message, expected, actual, pages, tables)
		VALUES (1, 1, 0, 'row.sum', 'error', 'm', '', '', '[]', '[]');
		INSERT INTO finding_documents(finding_id, seq, sha256, file, entity, year) VALUES (1, 0, ?, 'x.pdf', '', 2026)`,
		v1.SHA256); err != nil {
		t.Fatal(err)
	}
	old.wr.Close()

	st, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	docs, err := st.Documents(ctx, Filter{})
	if err != nil || len(docs) != 2 {
		t.Fatalf("%v %v", docs, err)
	}
	if docs[0].Current || docs[0].SupersededBy != v2.SHA256 || !docs[1].Current || docs[0].ContentDigest == "" || docs[1].Region == "" {
		t.Errorf("after upgrade: %+v\n%+v", docs[0], docs[1])
	}
	if fs, err := st.Findings(ctx, FindingFilter{Status: "all", All: true}); err != nil || len(fs) != 0 {
		t.Errorf("old findings: %v %v", fs, err)
	}
	runs, _ := st.Runs(ctx)
	if len(runs) != 1 || runs[0].Findings != 1 {
		t.Errorf("runs kept: %+v", runs)
	}
}
