// Command eval measures yusuan on the shared corpus against poppler's
// pdftotext: the characters recovered (the multiset of Han characters and
// digits per page, compared with `pdftotext -layout`), the radicals folded,
// warnings, and CPU time of the text layer and of the whole extraction
// (text layer, tables, narrative) against `pdftotext -bbox-layout`. It is
// run by `make eval` and needs the corpus and pdftotext; the tests never
// use it.
package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"syscall"
	"text/tabwriter"
	"time"
	"unicode"

	"yusuan/extract"
)

func main() {
	corpus := flag.String("corpus", "../shared/corpus", "corpus folder (with real/ and seed/)")
	bin := flag.String("yusuan", "bin/yusuan", "yusuan binary")
	runs := flag.Int("runs", 3, "time each command this many times and keep the least CPU (the machine may be busy)")
	detail := flag.Int("detail", 12, "list at most this many differing characters per page")
	cpu := flag.Bool("cpu", true, "measure CPU time (the slow part)")
	flag.Parse()
	files, _ := filepath.Glob(filepath.Join(*corpus, "real", "*.pdf"))
	seeds, _ := filepath.Glob(filepath.Join(*corpus, "seed", "*.pdf"))
	files = append(seeds, files...)
	sort.Strings(files)
	if len(files) == 0 {
		fmt.Println("eval: no PDFs found under", *corpus)
		return
	}
	var results []fileResult
	for _, f := range files {
		results = append(results, measure(f, *bin, *runs, *cpu))
	}
	printCharacters(results)
	if *cpu {
		printCPU(results, startup(*bin, *runs), corpusCPU(*bin, files, *runs))
	}
	printDifferences(results, *detail)
}

// fileResult is what eval learns about one file.
type fileResult struct {
	name           string
	pages          int
	hanY, hanP     int
	diff           []pageDiff
	folded, actual int // characters folded, glyphs read from /ActualText
	offpage, warns int
	note           string
	// CPU: yusuan text and yusuan extract as processes, the whole
	// extraction in this process, and pdftotext -bbox-layout.
	cpuText, cpuExtract, cpuInProc, cpuPoppler time.Duration
}

// pageDiff is one page's characters that differ: more is what yusuan has
// beyond pdftotext, less what it lacks.
type pageDiff struct {
	page       int
	more, less map[rune]int
}

func (d pageDiff) size() (more, less int) {
	for _, n := range d.more {
		more += n
	}
	for _, n := range d.less {
		less += n
	}
	return more, less
}

func measure(f, bin string, runs int, cpu bool) fileResult {
	r := fileResult{name: filepath.Base(f)}
	yOut, yErr, yCPU, yRunErr := runCPU(bin, "text", f)
	pOut, _, _, pErr := runCPU("pdftotext", "-layout", f, "-")
	iCPU, folded, actual := inProcess(f)
	if !cpu {
		runs = 0
	}
	var pCPU, eCPU time.Duration
	if runs > 0 {
		_, _, pCPU, _ = runCPU("pdftotext", "-bbox-layout", f, "-")
		_, _, eCPU, _ = runCPU(bin, "extract", f)
	}
	for i := 1; i < runs; i++ {
		_, _, y, _ := runCPU(bin, "text", f)
		_, _, p, _ := runCPU("pdftotext", "-bbox-layout", f, "-")
		_, _, e, _ := runCPU(bin, "extract", f)
		in, _, _ := inProcess(f)
		yCPU, pCPU, eCPU, iCPU = min(yCPU, y), min(pCPU, p), min(eCPU, e), min(iCPU, in)
	}
	r.cpuText, r.cpuPoppler, r.cpuExtract, r.cpuInProc = yCPU, pCPU, eCPU, iCPU
	r.folded, r.actual = folded, actual
	yPages, pPages := splitPages(yOut), splitPages(pOut)
	r.pages = len(yPages)
	for i := range max(len(yPages), len(pPages)) {
		var y, p map[rune]int
		if i < len(yPages) {
			y = chars(yPages[i])
		}
		if i < len(pPages) {
			p = chars(pPages[i])
		}
		r.hanY += hanCount(y)
		r.hanP += hanCount(p)
		if d := (pageDiff{page: i + 1, more: minus(y, p), less: minus(p, y)}); len(d.more)+len(d.less) > 0 {
			r.diff = append(r.diff, d)
		}
	}
	if len(yPages) != len(pPages) {
		r.note += fmt.Sprintf(" pages %d vs %d", len(yPages), len(pPages))
	}
	if r.hanP == 0 && r.hanY == 0 {
		r.note += " no text layer"
	}
	if yRunErr != nil {
		r.note += " exit: " + yRunErr.Error()
	}
	if pErr != nil {
		r.note += " pdftotext failed"
	}
	for _, l := range strings.Split(string(yErr), "\n") {
		if strings.Contains(l, "warning:") {
			r.warns++
		}
		if i := strings.Index(l, " characters lie outside"); i > 0 {
			var n int
			fmt.Sscanf(l[strings.LastIndex(l[:i], " ")+1:], "%d", &n)
			r.offpage += n
		}
	}
	return r
}

// inProcess extracts the file in this process (text layer, tables,
// narrative, metadata) and returns the CPU it took, the characters the
// text layer folded and the glyphs it read from /ActualText.
func inProcess(path string) (cpu time.Duration, folded, actual int) {
	data, err := os.ReadFile(path)
	if err != nil {
		return 0, 0, 0
	}
	ctx := context.Background()
	runtime.GC() // the previous file's garbage is not this file's work
	t0 := cpuNow()
	extract.Extract(ctx, data, filepath.Base(path), extract.Options{})
	cpu = cpuNow() - t0
	if t, _ := extract.ReadText(ctx, data, extract.Options{}); t != nil {
		for _, p := range t.Doc.Pages {
			folded += p.Folded
			actual += p.ActualText
		}
	}
	return cpu, folded, actual
}

// cpuNow is the CPU time this process has used (all threads, GC included).
func cpuNow() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func splitPages(b []byte) []string {
	pages := strings.Split(string(b), "\f")
	if n := len(pages); n > 0 && strings.TrimSpace(pages[n-1]) == "" {
		pages = pages[:n-1]
	}
	return pages
}

// chars is the multiset of Han characters and digits in s: what a reader
// of a budget needs to be right, whatever the layout and spacing.
func chars(s string) map[rune]int {
	m := map[rune]int{}
	for _, r := range s {
		if unicode.Is(unicode.Han, r) || unicode.IsDigit(r) {
			m[r]++
		}
	}
	return m
}

func hanCount(m map[rune]int) int {
	n := 0
	for r, k := range m {
		if unicode.Is(unicode.Han, r) {
			n += k
		}
	}
	return n
}

// minus is a − b for multisets.
func minus(a, b map[rune]int) map[rune]int {
	out := map[rune]int{}
	for r, n := range a {
		if d := n - b[r]; d > 0 {
			out[r] = d
		}
	}
	return out
}

func printCharacters(rs []fileResult) {
	fmt.Println("Characters: Han characters and digits per page, yusuan text against pdftotext -layout")
	tw := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "file\tpages\than yusuan\than pdftotext\tratio\tpages differing\tmore\tless\tfolded\tactual text\toff-page\twarnings\tnote\t")
	var totMore, totLess, totFold, same int
	for _, r := range rs {
		more, less := 0, 0
		for _, d := range r.diff {
			m, l := d.size()
			more, less = more+m, less+l
		}
		totMore, totLess, totFold = totMore+more, totLess+less, totFold+r.folded
		if len(r.diff) == 0 {
			same++
		}
		ratio := "-"
		if r.hanP > 0 {
			ratio = fmt.Sprintf("%.4f", float64(r.hanY)/float64(r.hanP))
		}
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%s\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%s\t\n", r.name, r.pages, r.hanY, r.hanP, ratio, len(r.diff), more, less, r.folded, r.actual, r.offpage, r.warns, r.note)
	}
	tw.Flush()
	fmt.Printf("\nfiles with the same characters on every page: %d of %d; characters yusuan has more: %d, less: %d; folded: %d\n\n", same, len(rs), totMore, totLess, totFold)
}

// startup is the least CPU of `yusuan -h` over the runs: the process
// start and package initialisation every per-process command pays before
// it reads its file.
func startup(bin string, runs int) time.Duration {
	var least time.Duration
	for i := range max(runs, 1) * 5 {
		_, _, c, _ := runCPU(bin, "-h")
		if i == 0 || c < least {
			least = c
		}
	}
	return least
}

// corpusCPU is the least CPU of one `yusuan extract` over every file: the
// corpus extracted as a user would in one command, start-up paid once.
func corpusCPU(bin string, files []string, runs int) time.Duration {
	var least time.Duration
	for i := range max(runs, 1) {
		_, _, c, _ := runCPU(bin, append([]string{"extract"}, files...)...)
		if i == 0 || c < least {
			least = c
		}
	}
	return least
}

func printCPU(rs []fileResult, start, corpus time.Duration) {
	fmt.Println("CPU (least of the runs): yusuan text and extract per process, extract in process, against pdftotext -bbox-layout")
	tw := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "file\ttext\textract\textract in process\tpdftotext -bbox-layout\ttext ratio\textract ratio\tin-process ratio\t")
	var sum [4]time.Duration
	ms := func(d time.Duration) string { return d.Round(time.Millisecond).String() }
	ratio := func(a, b time.Duration) float64 { return float64(a) / float64(max(b, 1)) }
	for _, r := range rs {
		sum[0] += r.cpuText
		sum[1] += r.cpuExtract
		sum[2] += r.cpuInProc
		sum[3] += r.cpuPoppler
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%.2f\t%.2f\t%.2f\t\n", r.name, ms(r.cpuText), ms(r.cpuExtract), ms(r.cpuInProc), ms(r.cpuPoppler),
			ratio(r.cpuText, r.cpuPoppler), ratio(r.cpuExtract, r.cpuPoppler), ratio(r.cpuInProc, r.cpuPoppler))
	}
	tw.Flush()
	n := time.Duration(len(rs))
	fmt.Printf("\nExtraction CPU on the %d files against pdftotext -bbox-layout (%s, a process per file):\n", len(rs), ms(sum[3]))
	fmt.Printf("  one `yusuan extract` over every file   %s  %.2f×\n", ms(corpus), ratio(corpus, sum[3]))
	fmt.Printf("  the extraction in this process         %s  %.2f×\n", ms(sum[2]), ratio(sum[2], sum[3]))
	fmt.Printf("  `yusuan extract`, a process per file   %s  %.2f×, of which start-up %s (%s a process, `yusuan -h`)\n",
		ms(sum[1]), ratio(sum[1], sum[3]), ms(start*n), ms(start))
	fmt.Printf("  `yusuan text`, a process per file      %s  %.2f×\n\n", ms(sum[0]), ratio(sum[0], sum[3]))
}

func printDifferences(rs []fileResult, limit int) {
	fmt.Println("Differences per page (+ yusuan has more, - yusuan has less than pdftotext)")
	for _, r := range rs {
		if len(r.diff) == 0 {
			continue
		}
		fmt.Printf("%s:\n", r.name)
		for _, d := range r.diff {
			fmt.Printf("  p.%d: %s %s\n", d.page, list("+", d.more, limit), list("-", d.less, limit))
		}
	}
}

// list prints a multiset, most frequent first: +一×3 +U+2F00×1.
func list(sign string, m map[rune]int, limit int) string {
	rs := make([]rune, 0, len(m))
	for r := range m {
		rs = append(rs, r)
	}
	sort.Slice(rs, func(i, j int) bool {
		if m[rs[i]] != m[rs[j]] {
			return m[rs[i]] > m[rs[j]]
		}
		return rs[i] < rs[j]
	})
	var b bytes.Buffer
	for i, r := range rs {
		if i == limit {
			fmt.Fprintf(&b, "%s… (%d more kinds)", sign, len(rs)-limit)
			break
		}
		fmt.Fprintf(&b, "%s%c(U+%04X)×%d ", sign, r, r, m[r])
	}
	return strings.TrimSpace(b.String())
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
