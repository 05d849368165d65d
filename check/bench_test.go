package check

import (
	"fmt"
	"syscall"
	"testing"

	"yusuan"
	"yusuan/fixtures/synth"
)

// benchDocs are distinct synthetic documents (departments and their units,
// two years, varied print styles) that the benchmark cycles through.
func benchDocs(b *testing.B, n int) []*yusuan.Document {
	b.Helper()
	docs := make([]*yusuan.Document, 0, n)
	err := synth.Stream(3, n, func(pd *synth.PrintedDoc) error {
		d := pd.Doc // a copy: the printed form is not kept
		docs = append(docs, withSHA(&d))
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	return docs
}

// BenchmarkCheck streams 10,000 documents per iteration through a Run (every
// rule, several-document rules included): 500 distinct synthetic documents,
// each fed 20 times under another entity name and digest, so that entities,
// years and departments group as in a real store.
func BenchmarkCheck(b *testing.B) {
	const n, distinct = 10000, 500
	docs := benchDocs(b, distinct)
	feed := make([]*yusuan.Document, n)
	for i := range feed {
		d := *docs[i%distinct] // shallow: rules only read tables
		round := i / distinct
		d.SHA256 = fmt.Sprintf("%s%04d", d.SHA256[:60], round)
		d.Meta.Entity = fmt.Sprintf("%s%d", d.Meta.Entity, round)
		d.File = fmt.Sprintf("r%02d-%s", round, d.File)
		feed[i] = &d
	}
	cpu0 := cpuSeconds()
	b.ResetTimer()
	for b.Loop() {
		fs := Check(feed, Options{})
		b.ReportMetric(float64(len(fs)), "findings")
	}
	// CPU time tells the cost when the machine is shared (wall time then
	// says more about the neighbours).
	b.ReportMetric((cpuSeconds()-cpu0)/float64(b.N), "cpu-s/op")
}

// BenchmarkCheckDocument is one synthetic document through every
// one-document rule.
func BenchmarkCheckDocument(b *testing.B) {
	docs := benchDocs(b, 100)
	i := 0
	for b.Loop() {
		CheckDocument(docs[i%len(docs)], Options{})
		i++
	}
}

// cpuSeconds is the process's user+system CPU time so far.
func cpuSeconds() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return float64(ru.Utime.Sec+ru.Stime.Sec) + float64(ru.Utime.Usec+ru.Stime.Usec)/1e6
}
