package main

import (
	"context"
	"os"
	"testing"
)

// TestMain lets this test binary stand in for yusuan as the extract worker
// that ingest starts (os.Executable is the test binary here).
func TestMain(m *testing.M) {
	if len(os.Args) > 1 && os.Args[1] == workerCommandName {
		os.Exit(run(context.Background(), os.Args[1:], os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}
