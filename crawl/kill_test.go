package crawl

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"yusuan/fixtures/portal"
	"yusuan/store"
)

const killChildEnv = "YUSUAN_CRAWL_KILL_CHILD"

// TestMain lets the kill test re-exec this binary as a crawling child.
func TestMain(m *testing.M) {
	if spec := os.Getenv(killChildEnv); spec != "" {
		os.Exit(killChild(spec))
	}
	os.Exit(m.Run())
}

// killChild crawls "dir|baseURL" into dir/yusuan.db until it is killed.
func killChild(spec string) int {
	dir, base, _ := strings.Cut(spec, "|")
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(dir, "yusuan.db"))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	defer st.Close()
	cfg, err := ParseConfig("sites.toml", []byte(siteTOML(base, noSlow)))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	rep, err := Harvest(ctx, Options{Config: cfg, Frontier: NewStoreFrontier(st), Sink: &fakeSink{dir: filepath.Join(dir, "sink")},
		ArchiveDir: filepath.Join(dir, "archive"), LockPath: filepath.Join(dir, "yusuan.db.lock"), Logger: testLogger()})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
	}
	return ExitCode(rep, err)
}

func TestKillResume(t *testing.T) {
	if testing.Short() {
		t.Skip("re-execs the test binary")
	}
	p := startPortal(t, portal.Options{Latency: 20 * time.Millisecond, CrawlDelay: time.Millisecond})
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "sink"), 0o755); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), killChildEnv+"="+dir+"|"+p.URL())
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Kill it once a good part of the portal, files included, is fetched.
	deadline := time.Now().Add(20 * time.Second)
	for {
		reqs := p.Requests()
		total, files := 0, 0
		for path, n := range reqs {
			total += n
			if strings.HasPrefix(path, "/files/dept") {
				files += n
			}
		}
		if total >= 30 && files >= 2 {
			break
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatalf("child made only %d requests", total)
		}
		time.Sleep(5 * time.Millisecond)
	}
	if err := cmd.Process.Kill(); err != nil { // SIGKILL
		t.Fatal(err)
	}
	_ = cmd.Wait()
	if cmd.ProcessState.ExitCode() != -1 {
		t.Fatalf("child finished (exit %d) before it was killed", cmd.ProcessState.ExitCode())
	}
	before := p.Requests()

	st := openStore(t, dir)
	var pending int
	if err := st.ReadDB().QueryRow(`SELECT count(*) FROM crawl_urls WHERE state = 'pending'`).Scan(&pending); err != nil {
		t.Fatal(err)
	}
	if pending == 0 {
		t.Fatal("nothing pending after the kill: the crawl was not interrupted mid-way")
	}

	cfg := mustConfig(t, siteTOML(p.URL(), noSlow))
	fr := NewStoreFrontier(st)
	sink := &fakeSink{dir: filepath.Join(dir, "sink")}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	rep, err := Harvest(ctx, Options{Config: cfg, Frontier: fr, Sink: sink, ArchiveDir: filepath.Join(dir, "archive"),
		LockPath: filepath.Join(dir, "yusuan.db.lock"), Logger: testLogger()})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Resumed) != 1 {
		t.Errorf("run not resumed: %s", rep)
	}
	t.Logf("killed after %d requests with %d pending; resumed: %s", sumCounts(before), pending, rep)

	// Nothing lost: nothing pending, every file archived by one sink or the
	// other, one version per file URL.
	if err := st.ReadDB().QueryRow(`SELECT count(*) FROM crawl_urls WHERE state = 'pending'`).Scan(&pending); err != nil || pending != 0 {
		t.Errorf("%d still pending (%v)", pending, err)
	}
	kept, _ := filepath.Glob(filepath.Join(dir, "sink", "*"))
	bodies := map[string]bool{}
	for _, path := range p.PDFPaths() {
		vs, err := fr.Versions(ctx, p.URL()+path)
		if err != nil || len(vs) != 1 {
			t.Errorf("%s: versions %v (%v)", path, vs, err)
			continue
		}
		bodies[vs[0].SHA256] = true
		if _, err := os.Stat(filepath.Join(dir, "sink", vs[0].SHA256)); err != nil {
			t.Errorf("%s: body lost: %v", path, err)
		}
	}
	if len(kept) != len(bodies) { // the mirror's copy is one body
		t.Errorf("sink holds %d bodies, want %d: %v", len(kept), len(bodies), kept)
	}
	// Nothing duplicated: pages finished before the kill are not fetched
	// again; only the few in flight at the kill are.
	after := p.Requests()
	again := 0
	for _, path := range append(p.PagePaths(), p.PDFPaths()...) {
		if path == portal.FlakyPage {
			continue
		}
		if after[path] > 2 || after[path] == 0 {
			t.Errorf("%s requested %d times", path, after[path])
		}
		if before[path] > 0 && after[path] > before[path] {
			again++
		}
	}
	if again > 8 { // at most the child's worker pool
		t.Errorf("%d URLs fetched again after resuming", again)
	}
	// The killed run's WARC file was recovered from ".open".
	if open, _ := filepath.Glob(filepath.Join(dir, "archive", "warc", "*.open")); len(open) != 0 {
		t.Errorf("open WARC files left: %v", open)
	}
	readWARCs(t, rep.WARCFiles)
}

func sumCounts(m map[string]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}
