package store_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"yusuan/store"
)

func TestMustExistCreatesNothing(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "typo.db")
	_, err := store.OpenWith(ctx, path, store.Options{MustExist: true})
	if !errors.Is(err, store.ErrNoDatabase) {
		t.Fatalf("err = %v, want ErrNoDatabase", err)
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 0 {
		t.Fatalf("a failed open left %v behind", ents)
	}
	// Once created, it opens.
	st, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	st.Close()
	st, err = store.OpenWith(ctx, path, store.Options{MustExist: true})
	if err != nil {
		t.Fatal(err)
	}
	st.Close()
}

// An entity filter is a substring, not a LIKE pattern: % and _ in it match
// only themselves.
func TestEntityFilterEscapesLike(t *testing.T) {
	ctx := context.Background()
	st := openTemp(t)
	names := []string{"测试100%局", "测试1000局", "a_b单位", "axb单位", `c\d单位`, "cd单位"}
	for i, name := range names {
		doc := extracted(i + 1)
		doc.Meta.Entity = name
		if _, err := st.PutDocument(ctx, doc, 1, store.Source{File: "f.pdf"}); err != nil {
			t.Fatal(err)
		}
	}
	for _, tc := range []struct {
		filter string
		want   []string
	}{
		{"100%", []string{"测试100%局"}},
		{"%", []string{"测试100%局"}},
		{"a_b", []string{"a_b单位"}},
		{"_", []string{"a_b单位"}},
		{`c\d`, []string{`c\d单位`}},
		{"单位", []string{"a_b单位", "axb单位", `c\d单位`, "cd单位"}},
	} {
		docs, err := st.Documents(ctx, store.Filter{Entity: tc.filter})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, d := range docs {
			got = append(got, d.Entity)
		}
		if len(got) != len(tc.want) {
			t.Errorf("entity %q matched %q, want %q", tc.filter, got, tc.want)
			continue
		}
		for i := range got {
			if got[i] != tc.want[i] {
				t.Errorf("entity %q matched %q, want %q", tc.filter, got, tc.want)
				break
			}
		}
	}
}
