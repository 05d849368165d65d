package ingest_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"yusuan"
	"yusuan/ingest"
	"yusuan/ingest/fakepdf"
	"yusuan/store"
)

// The tests of Process start this test binary as the worker: TestMain
// serves files when workerEnv is set, with fakepdf as the extractor and
// two misbehaviours a PDF library could show, selected by markers in the
// file: one never returns, one allocates without bound.
const (
	workerEnv    = "YUSUAN_TEST_WORKER" // file the worker appends its pid to
	hangMarker   = "%HANG"
	greedyMarker = "%GREEDY"
	leakMarker   = "%LEAK" // times out, leaving a goroutine at work
)

func TestMain(m *testing.M) {
	if pids := os.Getenv(workerEnv); pids != "" {
		f, err := os.OpenFile(pids, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
		if err == nil {
			fmt.Fprintln(f, os.Getpid())
			f.Close()
		}
		err = ingest.Worker(context.Background(), os.Stdin, os.Stdout, testExtract)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

var greedy [][]byte // what the greedy file holds on to

func testExtract(ctx context.Context, data []byte, name string) *yusuan.Document {
	switch {
	case bytes.Contains(data, []byte(hangMarker)):
		for { // a loop inside a library: no context reaches it
			time.Sleep(time.Hour)
		}
	case bytes.Contains(data, []byte(leakMarker)):
		go func() {
			for { // what a timed-out extraction may leave behind
				runtime.Gosched()
			}
		}()
		return ingest.FailedDocument("", name, yusuan.FailTimeout, "gave up after 60s")
	case bytes.Contains(data, []byte(greedyMarker)):
		for {
			b := make([]byte, 64<<20)
			for i := range b {
				b[i] = 1
			}
			greedy = append(greedy, b)
		}
	}
	return fakepdf.Extractor{}.Extract(ctx, data, name)
}

// worker returns a Process running this binary as the worker, and the
// file its workers record their pids in.
func worker(t *testing.T) (*ingest.Process, string) {
	t.Helper()
	pids := filepath.Join(t.TempDir(), "pids")
	t.Setenv(workerEnv, pids)
	p := &ingest.Process{Command: []string{os.Args[0], "-test.run=^$"}, Ver: "fake/1"}
	t.Cleanup(func() { p.Close() })
	return p, pids
}

func workerPids(t *testing.T, path string) []int {
	t.Helper()
	b, _ := os.ReadFile(path)
	var out []int
	for _, f := range strings.Fields(string(b)) {
		n, err := strconv.Atoi(f)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, n)
	}
	return out
}

// gone reports that no process pid exists any more.
func gone(pid int) bool {
	return errors.Is(syscall.Kill(pid, 0), syscall.ESRCH)
}

// TestProcessExtracts: a file extracted in a worker gives exactly the
// document the extractor gives in process, and workers are reused.
func TestProcessExtracts(t *testing.T) {
	p, pids := worker(t)
	ctx := context.Background()
	for i := range 3 {
		data := fakepdf.File(i)
		got, _ := json.Marshal(p.Extract(ctx, data, "a.pdf"))
		want, _ := json.Marshal(fakepdf.Extractor{}.Extract(ctx, data, "a.pdf"))
		if !bytes.Equal(got, want) {
			t.Fatalf("file %d: the worker's document differs from the extractor's", i)
		}
	}
	if n := len(workerPids(t, pids)); n != 1 {
		t.Errorf("%d workers started for 3 files in a row, want 1", n)
	}
	doc := p.Extract(ctx, []byte("<html>"), "b.pdf")
	if !strings.Contains(doc.Error, "not a PDF") {
		t.Errorf("bad file: %+v", doc)
	}
}

// TestProcessTimeout: a file whose extraction never returns is stopped at
// its deadline, the worker is gone, and the next file is served.
func TestProcessTimeout(t *testing.T) {
	p, pids := worker(t)
	p.Timeout = time.Second
	start := time.Now()
	doc := p.Extract(context.Background(), []byte("%PDF-1.4\n"+hangMarker+"\n%%EOF\n"), "hang.pdf")
	if doc.ErrorKind != yusuan.FailTimeout || !strings.Contains(doc.Error, "gave up after") || doc.Extractor != "fake/1" {
		t.Fatalf("hanging file: %+v", doc)
	}
	if d := time.Since(start); d > 30*time.Second {
		t.Errorf("stopped after %s", d)
	}
	hung := workerPids(t, pids)
	if len(hung) != 1 || !gone(hung[0]) {
		t.Fatalf("worker %v still running after its file timed out", hung)
	}
	if doc := p.Extract(context.Background(), fakepdf.File(1), "next.pdf"); doc.Error != "" {
		t.Fatalf("next file: %s", doc.Error)
	}
	if n := len(workerPids(t, pids)); n != 2 {
		t.Errorf("%d workers, want a new one after the kill", n)
	}
}

// TestTimedOutWorkerRetires: a worker whose file timed out inside it
// (work may still run in it) answers and ends.
func TestTimedOutWorkerRetires(t *testing.T) {
	p, pids := worker(t)
	doc := p.Extract(context.Background(), []byte("%PDF-1.4\n"+leakMarker+"\n%%EOF\n"), "leak.pdf")
	if doc.ErrorKind != yusuan.FailTimeout {
		t.Fatalf("%+v", doc)
	}
	if w := workerPids(t, pids); len(w) != 1 || !gone(w[0]) {
		t.Fatalf("worker %v still running after its file timed out", w)
	}
}

// TestProcessMemoryLimit: a file that allocates without bound is stopped
// at its memory limit and reported as such.
func TestProcessMemoryLimit(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("the address-space limit is Linux-only")
	}
	p, pids := worker(t)
	doc, oom := p.ExtractWithin(context.Background(), []byte("%PDF-1.4\n"+greedyMarker+"\n%%EOF\n"), "greedy.pdf", 256<<20)
	if !oom || doc.ErrorKind != yusuan.FailLimit || !strings.Contains(doc.Error, "memory limit of 256 MiB") {
		t.Fatalf("greedy file: oom %v, %+v", oom, doc)
	}
	if w := workerPids(t, pids); len(w) != 1 || !gone(w[0]) {
		t.Fatalf("worker %v still running", w)
	}
}

// TestTimeoutStoredAsFailure: ingest stores a file that timed out as a
// failure of kind timeout, under the extractor's version, so a later
// version retries it.
func TestTimeoutStoredAsFailure(t *testing.T) {
	p, _ := worker(t)
	dir := t.TempDir()
	write(t, filepath.Join(dir, "in", "hang.pdf"), []byte("%PDF-1.4\n"+hangMarker+"\n%%EOF\n"))
	write(t, filepath.Join(dir, "in", "good.pdf"), fakepdf.File(3))
	st := openStore(t, dir)
	sum, err := ingest.Run(context.Background(), ingest.Options{Store: st, Extractor: p, Paths: []string{filepath.Join(dir, "in")},
		FileTimeout: time.Second})
	if err != nil || sum.New != 1 || sum.Failed != 1 {
		t.Fatalf("%+v %v", sum, err)
	}
	failed, _ := st.Documents(context.Background(), store.Filter{Status: store.StatusFailed})
	if len(failed) != 1 || failed[0].Extractor != "fake/1" {
		t.Fatalf("failed %+v", failed)
	}
	doc, err := st.Document(context.Background(), failed[0].SHA256)
	if err != nil || doc.ErrorKind != yusuan.FailTimeout {
		t.Fatalf("stored failure: %+v %v", doc, err)
	}
	stale, _ := st.Documents(context.Background(), store.Filter{NotExtractor: "fake/2"})
	if len(stale) != 2 {
		t.Errorf("a later version would retry %d documents, want 2", len(stale))
	}
}

// boundedFake is a MemoryBounded extractor that fails for want of memory
// below need, and records the memory it was given and the most given at
// once.
type boundedFake struct {
	need    int64
	mu      sync.Mutex
	given   []int64
	inUse   atomic.Int64
	maxUsed atomic.Int64
}

func (b *boundedFake) Version() string { return "fake/1" }

func (b *boundedFake) Extract(ctx context.Context, data []byte, name string) *yusuan.Document {
	doc, _ := b.ExtractWithin(ctx, data, name, 1<<62)
	return doc
}

func (b *boundedFake) ExtractWithin(ctx context.Context, data []byte, name string, memory int64) (*yusuan.Document, bool) {
	b.mu.Lock()
	b.given = append(b.given, memory)
	b.mu.Unlock()
	now := b.inUse.Add(memory)
	for {
		m := b.maxUsed.Load()
		if now <= m || b.maxUsed.CompareAndSwap(m, now) {
			break
		}
	}
	defer b.inUse.Add(-memory)
	time.Sleep(5 * time.Millisecond) // overlap with the other workers
	if memory < b.need {
		return ingest.FailedDocument("", name, yusuan.FailLimit, "over the memory limit"), true
	}
	return fakepdf.Extractor{}.Extract(ctx, data, name), false
}

// TestRetryWithFileMemory: a file stopped by its estimated limit is run
// again, once, with the whole FileMemory.
func TestRetryWithFileMemory(t *testing.T) {
	dir := t.TempDir()
	st := openStore(t, dir)
	ex := &boundedFake{need: 500 << 20}
	p := &ingest.Pipeline{Store: st, Extractor: ex, Memory: ingest.NewBudget(2 << 30), FileMemory: 1 << 30}
	res, err := p.Bytes(context.Background(), fakepdf.File(1), store.Source{File: "a.pdf"})
	if err != nil || res.Outcome != ingest.New {
		t.Fatalf("%+v %v", res, err)
	}
	est := ingest.EstimateMemory(int64(len(fakepdf.File(1))), 1<<30)
	if len(ex.given) != 2 || ex.given[0] != est || ex.given[1] != 1<<30 {
		t.Errorf("memory given %v, want [%d %d]", ex.given, est, 1<<30)
	}
	// Needing more than FileMemory: one retry, then a failure.
	ex = &boundedFake{need: 2 << 30}
	p.Extractor = ex
	res, err = p.Bytes(context.Background(), fakepdf.File(2), store.Source{File: "b.pdf"})
	if err != nil || res.Outcome != ingest.Failed || len(ex.given) != 2 {
		t.Fatalf("%+v %v, given %v", res, err, ex.given)
	}
}

// TestRunSharesMemory: the workers of a run never hold more than the
// memory budget together.
func TestRunSharesMemory(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "in")
	for i := range 16 {
		write(t, filepath.Join(in, fmt.Sprintf("%02d.pdf", i)), fakepdf.File(i))
	}
	st := openStore(t, dir)
	ex := &boundedFake{}
	const fileMemory = 200 << 20
	budget := int64(2*fileMemory + fileMemory/2)
	sum, err := ingest.Run(context.Background(), ingest.Options{Store: st, Extractor: ex, Paths: []string{in}, Workers: 8,
		MemoryBudget: budget, FileMemory: fileMemory})
	if err != nil || sum.New != 16 {
		t.Fatalf("%+v %v", sum, err)
	}
	if m := ex.maxUsed.Load(); m > budget {
		t.Errorf("%d MiB in use at once, budget %d MiB", m>>20, budget>>20)
	}
}
