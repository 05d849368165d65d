// Command gendb builds a large synthetic database for measuring the web
// UI (and anything else that reads a store) at scale:
//
//	go run ./tools/gendb -db /tmp/big/yusuan.db -docs 100000
//
// then
//
//	YUSUAN_BENCH_DB=/tmp/big/yusuan.db go test ./web -run X -bench Pages -benchtime 40x
//
// The database is created (it must not exist); its archive lives beside
// it. Never commit it.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"yusuan/fixtures/bigdb"
	"yusuan/progress"
	"yusuan/store"
)

func main() {
	db := flag.String("db", "", "the database to create")
	docs := flag.Int("docs", 100_000, "documents")
	every := flag.Int("archive-every", 10, "archive the original of every n-th document (1: all)")
	depts := flag.Int("departments", 3, "synthetic departments rendered as the base documents")
	seed := flag.Uint64("seed", 1, "random seed")
	flag.Parse()
	if *db == "" {
		fmt.Fprintln(os.Stderr, "gendb: -db is required")
		os.Exit(2)
	}
	if _, err := os.Stat(*db); !errors.Is(err, fs.ErrNotExist) {
		fmt.Fprintf(os.Stderr, "gendb: %s exists: give a new path\n", *db)
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	st, err := store.Open(ctx, *db)
	if err != nil {
		fmt.Fprintf(os.Stderr, "gendb: %v\n", err)
		os.Exit(1)
	}
	defer st.Close()
	d := progress.NewDisplay(os.Stderr, progress.DisplayOptions{Logger: slog.Default()})
	stats, err := bigdb.Generate(ctx, st, bigdb.Options{Documents: *docs, ArchiveEvery: *every, Departments: *depts, Seed: *seed,
		Progress: d.Report})
	d.Close()
	fmt.Printf("%+v\n", stats)
	if err != nil {
		fmt.Fprintf(os.Stderr, "gendb: %v\n", err)
		os.Exit(1)
	}
}
