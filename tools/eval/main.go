// Command eval measures yusuan on the shared corpus against poppler's
// pdftotext: Han characters recovered, warnings, CPU time. It is run by
// `make eval` and needs the corpus and pdftotext; the tests never use it.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"text/tabwriter"
	"time"
	"unicode"
)

func main() {
	corpus := flag.String("corpus", "../shared/corpus", "corpus folder (with real/ and seed/)")
	bin := flag.String("yusuan", "bin/yusuan", "yusuan binary")
	runs := flag.Int("runs", 3, "time each command this many times and keep the least CPU (the machine may be busy)")
	flag.Parse()
	files, _ := filepath.Glob(filepath.Join(*corpus, "real", "*.pdf"))
	seeds, _ := filepath.Glob(filepath.Join(*corpus, "seed", "*.pdf"))
	files = append(seeds, files...)
	sort.Strings(files)
	if len(files) == 0 {
		fmt.Println("eval: no PDFs found under", *corpus)
		return
	}
	tw := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "file\tpages\than yusuan\than pdftotext\tratio\toff-page\twarnings\tcpu yusuan\tcpu pdftotext -bbox-layout\ttime ratio\tnote\t")
	var sumY, sumP time.Duration
	fail := 0
	for _, f := range files {
		name := filepath.Base(f)
		yOut, yErr, yCPU, yRunErr := runCPU(*bin, "text", f)
		pOut, _, _, pErr := runCPU("pdftotext", "-layout", f, "-")
		_, _, pCPU, _ := runCPU("pdftotext", "-bbox-layout", f, "-")
		for i := 1; i < *runs; i++ {
			_, _, y, _ := runCPU(*bin, "text", f)
			_, _, p, _ := runCPU("pdftotext", "-bbox-layout", f, "-")
			yCPU, pCPU = min(yCPU, y), min(pCPU, p)
		}
		pages := bytes.Count(yOut, []byte("\f"))
		hy, hp := han(yOut), han(pOut)
		ratio := "-"
		note := ""
		if hp > 0 {
			r := float64(hy) / float64(hp)
			ratio = fmt.Sprintf("%.4f", r)
			if r < 0.995 || r > 1.005 {
				note = "OUT OF RANGE"
				fail++
			}
		} else if hy == 0 {
			note = "no text layer"
		}
		if yRunErr != nil {
			note += " exit: " + yRunErr.Error()
		}
		if pErr != nil {
			note += " pdftotext failed"
		}
		warn, off := 0, 0
		for _, l := range strings.Split(string(yErr), "\n") {
			if strings.Contains(l, "warning:") {
				warn++
			}
			if i := strings.Index(l, " characters lie outside"); i > 0 {
				var n int
				fmt.Sscanf(l[strings.LastIndex(l[:i], " ")+1:], "%d", &n)
				off += n
			}
		}
		sumY += yCPU
		sumP += pCPU
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%s\t%d\t%d\t%s\t%s\t%.2f\t%s\t\n", name, pages, hy, hp, ratio, off, warn, yCPU.Round(time.Millisecond), pCPU.Round(time.Millisecond), float64(yCPU)/float64(max(pCPU, 1)), note)
	}
	tw.Flush()
	fmt.Printf("\ntotal CPU: yusuan text %s, pdftotext -bbox-layout %s, ratio %.2f; files out of the 99.5%%–100.5%% range: %d\n",
		sumY.Round(time.Millisecond), sumP.Round(time.Millisecond), float64(sumY)/float64(max(sumP, 1)), fail)
}

func han(b []byte) int {
	n := 0
	for _, r := range string(b) {
		if unicode.Is(unicode.Han, r) {
			n++
		}
	}
	return n
}

// runCPU runs a command and returns its output and the CPU time it used.
func runCPU(name string, args ...string) (stdout, stderr []byte, cpu time.Duration, err error) {
	cmd := exec.Command(name, args...)
	var o, e bytes.Buffer
	cmd.Stdout, cmd.Stderr = &o, &e
	err = cmd.Run()
	if cmd.ProcessState != nil {
		cpu = cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
	}
	return o.Bytes(), e.Bytes(), cpu, err
}
