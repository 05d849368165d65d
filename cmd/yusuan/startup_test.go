package main

import (
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// BenchmarkStartup measures what one process costs before and around its
// work, as `yusuan extract FILE` once per file pays it: the CPU (user and
// system) of `yusuan -h` (process start, package initialisation) and of
// `yusuan extract` on a one-page fixture (start-up plus the first
// extraction's one-time costs: font tables, regexps, a fresh heap).
// Compare with pdftotext -bbox-layout on the same file.
func BenchmarkStartup(b *testing.B) {
	bin := binary(b)
	page, err := filepath.Abs(filepath.Join(fixtures, "type0_identityh_tounicode.pdf"))
	if err != nil {
		b.Fatal(err)
	}
	for _, bc := range []struct {
		name string
		args []string
	}{
		{"help", []string{"-h"}},
		{"extract", []string{"extract", page}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			var cpu time.Duration
			for b.Loop() {
				cmd := exec.Command(bin, bc.args...)
				if err := cmd.Run(); err != nil {
					b.Fatal(err)
				}
				cpu += cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
			}
			b.ReportMetric(float64(cpu.Microseconds())/1e3/float64(b.N), "ms-cpu/op")
		})
	}
}
