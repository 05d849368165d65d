//go:build unix

package ingest_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"syscall"
	"testing"
	"time"

	"yusuan/ingest"
	"yusuan/ingest/fakepdf"
	"yusuan/store"
)

// BenchmarkIngest ingests b.N generated documents of realistic size (13
// tables, ≈300 cells, narrative, facts) with all cores, and reports
// documents per second and database bytes per document.
func BenchmarkIngest(b *testing.B) {
	ctx := context.Background()
	dir := b.TempDir()
	in := filepath.Join(dir, "in")
	os.MkdirAll(in, 0o755)
	var size int64
	for i := range b.N {
		data := fakepdf.File(i)
		size += int64(len(data))
		if err := os.WriteFile(filepath.Join(in, fmt.Sprintf("%06d.pdf", i)), data, 0o644); err != nil {
			b.Fatal(err)
		}
	}
	st, err := store.Open(ctx, filepath.Join(dir, "yusuan.db"))
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	cpu0 := cpuTime()
	start := time.Now()
	sum, err := ingest.Run(ctx, ingest.Options{Store: st, Extractor: fakepdf.Extractor{}, Paths: []string{in},
		Workers: runtime.NumCPU()})
	el := time.Since(start)
	cpu := cpuTime() - cpu0
	b.StopTimer()
	if err != nil || sum.New != b.N {
		b.Fatalf("%+v %v", sum, err)
	}
	st.Close() // checkpoints the WAL into the database file
	info, err := os.Stat(filepath.Join(dir, "yusuan.db"))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(b.N)/el.Seconds(), "docs/s")
	b.ReportMetric(float64(info.Size())/float64(b.N), "dbbytes/doc")
	b.ReportMetric(float64(size)/float64(b.N), "filebytes/doc")
	// CPU time is steadier than wall time on a shared machine.
	b.ReportMetric(cpu.Seconds()*1000/float64(b.N), "cpu-ms/doc")
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
