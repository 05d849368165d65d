package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"

	"yusuan/extract"
	"yusuan/ingest"
)

func extractCommand() command {
	c := command{name: "extract", summary: "print each PDF's tables, narrative and facts as JSON Lines (no database)", usage: "[--pretty] FILE.pdf..."}
	c.run = func(ctx context.Context, e *env, args []string) int {
		fs := newFlags(e, c)
		pretty := fs.Bool("pretty", false, "indent the JSON")
		if ok, st := parseFlags(fs, args); !ok {
			return st
		}
		if fs.NArg() == 0 {
			return usageError(e, c, "no files given")
		}
		extractionGC()
		enc := json.NewEncoder(e.stdout)
		enc.SetEscapeHTML(false)
		if *pretty {
			enc.SetIndent("", "  ")
		}
		status := 0
		for _, path := range fs.Args() {
			data, err := os.ReadFile(path)
			if err != nil {
				fmt.Fprintf(e.stderr, "yusuan extract: %v\n", err)
				status = 1
				continue
			}
			doc := extract.Extract(ctx, data, filepath.Base(path), extract.Options{})
			if doc.Error != "" {
				fmt.Fprintf(e.stderr, "yusuan extract: %s: %s\n", path, doc.Error)
				status = 1
			}
			if err := enc.Encode(doc); err != nil {
				fmt.Fprintf(e.stderr, "yusuan extract: %v\n", err)
				return 1
			}
		}
		return status
	}
	return c
}

// extractionGC lets the heap grow further between collections in the
// commands that only extract, as the ingest worker does: each file's heap
// is dropped once it is printed, and GOGC 400 under a soft limit of one
// file's memory budget takes about a fifth off their CPU on the corpus.
// GOGC and GOMEMLIMIT in the environment win.
func extractionGC() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(400)
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(ingest.DefaultFileMemory)
	}
}
