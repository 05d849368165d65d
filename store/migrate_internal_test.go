package store

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
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
