package store_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"testing"

	"yusuan"
	"yusuan/store"
)

// Odd but valid documents come back as identical JSON. (Not a fuzz target:
// under fuzzing's coverage instrumentation the transpiled SQLite runs too
// slowly to be useful.)
func TestOddDocumentsRoundTrip(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "odd.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	for i, in := range []string{
		`{}`,
		`{"error":"not a PDF","tables":[],"warnings":null}`,
		`{"tables":[{"unit":"万元","rows":[{"values":{"a":"1.005","b":null,"c":"-0.00","e":"99999999999999999999.99"},"raw":{"d":"—"},"boxes":{"z":[1,2,3,4]}}]}]}`,
		`{"tables":[{"unit":"","columns":null,"pages":null,"headers":{},"rows":[{"code":"","values":{}}]}],"facts":{"x_pct":"3","staff_actual":"12","y":null}}`,
		`{"tables":[{"kind":"other","unit":"千元","rows":[{"code":null,"values":{"total":"0.001"}},{"code":"2010101","level":3,"values":null}]}]}`,
		`{"facts":{},"fact_sources":[{"key":"only_in_sources","value":"1.10","page":2,"sentence":"…"}],"narrative":[{"heading":"","text":"","page":0}]}`,
	} {
		var doc yusuan.Document
		if err := json.Unmarshal([]byte(in), &doc); err != nil {
			t.Fatalf("%d: %v", i, err)
		}
		doc.SHA256 = fmt.Sprintf("%064x", i+1)
		want, _ := json.Marshal(&doc)
		if _, err := st.PutDocument(ctx, &doc, 1, store.Source{File: "f"}); err != nil {
			t.Fatalf("%d: %v", i, err)
		}
		got, err := st.DocumentJSON(ctx, doc.SHA256)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Fatalf("%d: round trip:\n got %s\nwant %s", i, got, want)
		}
	}
}
