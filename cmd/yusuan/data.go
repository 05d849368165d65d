package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"

	"yusuan"
	"yusuan/export"
	"yusuan/extract"
	"yusuan/ingest"
	"yusuan/store"
)

// extractor is the real extractor as the ingest pipeline sees it: every
// file is extracted in a child process (yusuan extract-worker) that is
// killed when its time is up and held to its memory limit, the one hard
// bound on the PDF library's own loops and allocations.
func extractor() ingest.Extractor {
	exe, err := os.Executable()
	if err != nil {
		return ingest.ExtractorFunc{Ver: extract.Version, Fn: extractFile}
	}
	return &ingest.Process{Command: []string{exe, workerCommandName}, Ver: extract.Version}
}

// closeExtractor stops the extractor's idle worker processes.
func closeExtractor(ex ingest.Extractor) {
	if c, ok := ex.(io.Closer); ok {
		c.Close()
	}
}

func extractFile(ctx context.Context, data []byte, name string) *yusuan.Document {
	return extract.Extract(ctx, data, name, extract.Options{})
}

// workerCommandName is the hidden command ingest.Process starts.
const workerCommandName = "extract-worker"

func workerCommand() command {
	c := command{name: workerCommandName, hidden: true, summary: "extract the PDF on stdin to a JSON document on stdout (started by ingest, one per file)"}
	c.run = func(ctx context.Context, e *env, args []string) int {
		if err := ingest.Worker(ctx, os.Stdin, e.stdout, extractFile); err != nil {
			fmt.Fprintln(e.stderr, err)
			return 1
		}
		return 0
	}
	return c
}

func dbFlag(fs *flag.FlagSet) *string {
	return fs.String("db", "yusuan.db", "SQLite database (the archive lives beside it in yusuan-archive/)")
}

// openStore opens the database or reports why not.
func openStore(ctx context.Context, e *env, name, path string) (*store.Store, bool) {
	st, err := store.Open(ctx, path)
	if err != nil {
		fmt.Fprintf(e.stderr, "yusuan %s: %v\n", name, err)
		return nil, false
	}
	return st, true
}

func ingestCommand() command {
	c := command{name: "ingest", summary: "archive, extract and store PDF files and directories (idempotent: the same bytes twice are one document)", usage: "[--db yusuan.db] [--workers N] PATH..."}
	c.run = func(ctx context.Context, e *env, args []string) int {
		fs := newFlags(e, c)
		db := dbFlag(fs)
		workers := fs.Int("workers", 0, "parallel extractions (default: the number of cores)")
		if ok, st := parseFlags(fs, args); !ok {
			return st
		}
		if fs.NArg() == 0 {
			fs.Usage()
			return 2
		}
		st, ok := openStore(ctx, e, c.name, *db)
		if !ok {
			return 1
		}
		defer st.Close()
		ex := extractor()
		defer closeExtractor(ex)
		sum, err := ingest.Run(ctx, ingest.Options{Store: st, Extractor: ex, Paths: fs.Args(), Workers: *workers, Progress: e.stderr, Logger: e.log})
		fmt.Fprintln(e.stdout, sum.String())
		if err != nil {
			fmt.Fprintf(e.stderr, "yusuan ingest: %v\n", err)
			return 1
		}
		if sum.Failed > 0 {
			return 1
		}
		return 0
	}
	return c
}

func reextractCommand() command {
	c := command{name: "reextract", summary: "re-run this extractor over archived documents stored by an older one (no original files needed)", usage: "[--db yusuan.db] [--year Y]"}
	c.run = func(ctx context.Context, e *env, args []string) int {
		fs := newFlags(e, c)
		db := dbFlag(fs)
		year := fs.Int("year", 0, "only documents of this year")
		if ok, st := parseFlags(fs, args); !ok {
			return st
		}
		st, ok := openStore(ctx, e, c.name, *db)
		if !ok {
			return 1
		}
		defer st.Close()
		ex := extractor()
		defer closeExtractor(ex)
		sum, err := ingest.Reextract(ctx, st, ex, ingest.ReextractOptions{Progress: e.stderr, Logger: e.log, Filter: store.Filter{Year: *year}})
		fmt.Fprintln(e.stdout, sum.String())
		if err != nil {
			fmt.Fprintf(e.stderr, "yusuan reextract: %v\n", err)
			return 1
		}
		return 0
	}
	return c
}

func exportCommand() command {
	c := command{name: "export", summary: "write the dataset for researchers: documents, tables, rows, cells, facts, findings", usage: "[--db yusuan.db] --format csv|jsonl|parquet --out DIR"}
	c.run = func(ctx context.Context, e *env, args []string) int {
		fs := newFlags(e, c)
		db := dbFlag(fs)
		format := fs.String("format", "csv", "csv (UTF-8 with BOM, for Excel), jsonl (documents in the extract shape) or parquet (DuckDB, pandas, Spark)")
		out := fs.String("out", "", "output directory (created)")
		if ok, st := parseFlags(fs, args); !ok {
			return st
		}
		if *out == "" {
			fmt.Fprintln(e.stderr, "yusuan export: --out DIR is required")
			return 2
		}
		if _, err := os.Stat(*db); err != nil {
			fmt.Fprintf(e.stderr, "yusuan export: %v\n", err)
			return 1
		}
		st, ok := openStore(ctx, e, c.name, *db)
		if !ok {
			return 1
		}
		defer st.Close()
		if err := export.Write(ctx, st, *format, *out); err != nil {
			fmt.Fprintf(e.stderr, "yusuan export: %v\n", err)
			return 1
		}
		fmt.Fprintf(e.stdout, "wrote %s files to %s\n", *format, *out)
		return 0
	}
	return c
}
