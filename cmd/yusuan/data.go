package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	iofs "io/fs"
	"math"
	"os"
	"slices"
	"strings"
	"time"

	"yusuan"
	"yusuan/export"
	"yusuan/extract"
	"yusuan/ingest"
	"yusuan/progress"
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

// openStore opens an existing database or reports why not, creating
// nothing: only ingest, crawl, harvest and demo create a store.
func openStore(ctx context.Context, e *env, name, path string) (*store.Store, bool) {
	return openStoreWith(ctx, e, name, path, store.Options{})
}

// openStoreWith is openStore with store options (an aliases file).
func openStoreWith(ctx context.Context, e *env, name, path string, opt store.Options) (*store.Store, bool) {
	opt.MustExist = true
	st, err := store.OpenWith(ctx, path, opt)
	if errors.Is(err, store.ErrNoDatabase) {
		fmt.Fprintf(e.stderr, "yusuan %s: no database at %s (ingest, crawl, harvest or demo create one; --db names another)\n", name, path)
		return nil, false
	}
	if err != nil {
		fmt.Fprintf(e.stderr, "yusuan %s: %v\n", name, err)
		return nil, false
	}
	return st, true
}

// createStore opens the database, creating it and its archive if needed.
func createStore(ctx context.Context, e *env, name, path string) (*store.Store, bool) {
	st, err := store.Open(ctx, path)
	if err != nil {
		fmt.Fprintf(e.stderr, "yusuan %s: %v\n", name, err)
		return nil, false
	}
	return st, true
}

func ingestCommand() command {
	c := command{name: "ingest", summary: "archive, extract and store PDF files and directories (idempotent: the same bytes twice are one document)", usage: "[--db yusuan.db] [--workers N] [--json] PATH..."}
	c.run = func(ctx context.Context, e *env, args []string) int {
		fs := newFlags(e, c)
		db := dbFlag(fs)
		workers := fs.Int("workers", 0, "parallel extractions (default: the number of cores)")
		asJSON := fs.Bool("json", false, "print the summary as one JSON object")
		if ok, st := parseFlags(fs, args); !ok {
			return st
		}
		if fs.NArg() == 0 {
			return usageError(e, c, "no files or directories given")
		}
		// Paths are checked before a store is created for them.
		files, err := ingest.Collect(fs.Args())
		if err != nil {
			var pe *iofs.PathError
			if errors.As(err, &pe) {
				err = pe // "stat x.pdf: no such file or directory", without the package's prefix
			}
			fmt.Fprintf(e.stderr, "yusuan ingest: %v\n", err)
			return 1
		}
		st, ok := createStore(ctx, e, c.name, *db)
		if !ok {
			return 1
		}
		defer st.Close()
		report, stop := e.startProgress()
		ex := extractor()
		defer closeExtractor(ex)
		sum, err := ingest.Run(ctx, ingest.Options{Store: st, Extractor: ex, Paths: files, Workers: *workers, Progress: report, Logger: e.log})
		stop()
		if *asJSON {
			e.printJSON(ingestJSON{DB: st.Path(), Files: sum.Files, New: sum.New, Known: sum.Known, Failed: sum.Failed,
				Unreadable: sum.Unreadable, Bytes: sum.Bytes, Seconds: seconds(sum.Elapsed), Error: errString(err)})
		} else {
			fmt.Fprintln(e.stdout, sum.String())
		}
		if err != nil {
			fmt.Fprintf(e.stderr, "yusuan ingest: %v\n", err)
			return 1
		}
		if sum.Failed > 0 || sum.Unreadable > 0 {
			return 1
		}
		return 0
	}
	return c
}

// ingestJSON is the --json summary of ingest (docs/cli.md).
type ingestJSON struct {
	DB         string  `json:"db"`
	Files      int     `json:"files"`
	New        int     `json:"new"`
	Known      int     `json:"known"`
	Failed     int     `json:"failed"`
	Unreadable int     `json:"unreadable"`
	Bytes      int64   `json:"bytes"`
	Seconds    float64 `json:"seconds"`
	Error      string  `json:"error,omitempty"`
}

func seconds(d time.Duration) float64 { return math.Round(d.Seconds()*1000) / 1000 }

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

func reextractCommand() command {
	c := command{name: "reextract", summary: "re-run this extractor over archived documents stored by an older one (no original files needed)", usage: "[--db yusuan.db] [--year Y] [--json]"}
	c.run = func(ctx context.Context, e *env, args []string) int {
		fs := newFlags(e, c)
		db := dbFlag(fs)
		year := fs.Int("year", 0, "only documents of this year")
		asJSON := fs.Bool("json", false, "print the summary as one JSON object")
		if ok, st := parseFlags(fs, args); !ok {
			return st
		}
		if fs.NArg() > 0 {
			return usageError(e, c, "takes no arguments")
		}
		st, ok := openStore(ctx, e, c.name, *db)
		if !ok {
			return 1
		}
		defer st.Close()
		report, stop := e.startProgress()
		ex := extractor()
		defer closeExtractor(ex)
		sum, err := ingest.Reextract(ctx, st, ex, ingest.ReextractOptions{Progress: report, Logger: e.log, Filter: store.Filter{Year: *year}})
		stop()
		if *asJSON {
			e.printJSON(reextractJSON{DB: st.Path(), Considered: sum.Considered, Updated: sum.Updated, Failed: sum.Failed,
				Missing: sum.Missing, Seconds: seconds(sum.Elapsed), Error: errString(err)})
		} else {
			fmt.Fprintln(e.stdout, sum.String())
		}
		if err != nil {
			fmt.Fprintf(e.stderr, "yusuan reextract: %v\n", err)
			return 1
		}
		return 0
	}
	return c
}

// reextractJSON is the --json summary of reextract.
type reextractJSON struct {
	DB         string  `json:"db"`
	Considered int     `json:"considered"`
	Updated    int     `json:"updated"`
	Failed     int     `json:"failed"`
	Missing    int     `json:"missing"`
	Seconds    float64 `json:"seconds"`
	Error      string  `json:"error,omitempty"`
}

func exportCommand() command {
	c := command{name: "export", summary: "write the dataset for researchers: documents, tables, rows, cells, facts, findings, and a README.md data dictionary", usage: "[--db yusuan.db] --format csv|jsonl|parquet|xlsx --out DIR [--json]"}
	c.run = func(ctx context.Context, e *env, args []string) int {
		fs := newFlags(e, c)
		db := dbFlag(fs)
		format := fs.String("format", "csv", "csv (UTF-8 with BOM, for Excel), xlsx (one sheet per table kind), jsonl (documents in the extract shape) or parquet (DuckDB, pandas, Spark)")
		out := fs.String("out", "", "output directory (created)")
		asJSON := fs.Bool("json", false, "print the summary as one JSON object")
		if ok, st := parseFlags(fs, args); !ok {
			return st
		}
		if *out == "" {
			return usageError(e, c, "--out DIR is required")
		}
		if fs.NArg() > 0 {
			return usageError(e, c, fmt.Sprintf("unexpected argument %q", fs.Arg(0)))
		}
		if !slices.Contains(export.Formats, *format) {
			return usageError(e, c, fmt.Sprintf("unknown format %q (want one of %s)", *format, strings.Join(export.Formats, ", ")))
		}
		st, ok := openStore(ctx, e, c.name, *db)
		if !ok {
			return 1
		}
		defer st.Close()
		sum, err := export.Write(ctx, st, *format, *out)
		if err != nil {
			fmt.Fprintf(e.stderr, "yusuan export: %v\n", err)
			return 1
		}
		if *asJSON {
			e.printJSON(sum)
		} else {
			fmt.Fprintf(e.stdout, "wrote %d %s files to %s (%d rows, %s; README.md describes them)\n", len(sum.Files), sum.Format, sum.Dir, sum.Rows(), progress.Bytes(sum.Bytes()))
		}
		return 0
	}
	return c
}
