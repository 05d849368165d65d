package web

import (
	"bytes"
	"cmp"
	"context"
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"runtime"
	"slices"
	"sync"
	"time"

	"yusuan"
	"yusuan/extract/draw"
	"yusuan/progress"
	"yusuan/store"
)

// ReportStore is what a report reads.
type ReportStore interface {
	Findings(ctx context.Context, f store.FindingFilter) ([]store.StoredFinding, error)
	Document(ctx context.Context, sha string) (*yusuan.Document, error)
}

// ReportOptions select the findings of a report and describe it.
type ReportOptions struct {
	// Filter selects the findings (its Severity is ignored: see
	// MinSeverity; Limit caps the findings, 0 meaning DefaultReportLimit).
	Filter store.FindingFilter
	// MinSeverity keeps findings at least this serious ("" keeps all).
	MinSeverity yusuan.Severity
	// Title heads the report; Description says what was selected.
	Title, Description string
	// Workers draw documents' pages in parallel (default GOMAXPROCS).
	Workers int
	// Progress is told after each document (nil: none).
	Progress progress.Func
	// CacheBytes bounds the cache of page text layers (default 256 MiB).
	CacheBytes int64
	// Now stamps the report (default time.Now).
	Now func() time.Time
}

// DefaultReportLimit is how many findings a report holds unless told.
const DefaultReportLimit = 1000

// ReportStats say what a report holds.
type ReportStats struct {
	Findings  int
	Documents int
	Crops     int  // page crops drawn
	Missing   int  // pages that could not be drawn
	Truncated bool // more findings matched than Limit
}

//go:embed templates/report.html
var reportTemplate string

var reportTmpl = template.Must(template.New("report").Funcs(templateFuncs).Parse(reportTemplate))

type reportView struct {
	Title, Description string
	Generated          string
	CSS                template.CSS
	Counts             []severityCount
	Documents          []reportDoc
	Stats              ReportStats
	Limit              int
}

type reportDoc struct {
	Anchor   string
	Ref      yusuan.DocRef
	Kind     string
	Worst    yusuan.Severity
	Findings []reportFinding
	html     template.HTML
}

type reportFinding struct {
	findingRow
	F        store.StoredFinding
	Evidence []evidenceRow
	Crops    []reportCrop
}

type reportCrop struct {
	Label string
	SVG   template.HTML // from draw only
	Err   string
}

// Report writes one self-contained HTML file of findings, grouped by
// document, each with the crops of its evidence pages and the cells
// outlined: inline CSS and SVG, no script, nothing loaded from anywhere.
func Report(ctx context.Context, w io.Writer, st ReportStore, files Files, opt ReportOptions) (ReportStats, error) {
	if opt.Workers <= 0 {
		opt.Workers = runtime.GOMAXPROCS(0)
	}
	if opt.CacheBytes <= 0 {
		opt.CacheBytes = 256 << 20
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	limit := cmp.Or(opt.Filter.Limit, DefaultReportLimit)
	var fs []store.StoredFinding
	for _, sev := range severities {
		if opt.MinSeverity != "" && sev.Rank() > opt.MinSeverity.Rank() {
			break
		}
		f := opt.Filter
		f.Severity, f.Limit, f.Offset = sev, limit+1-len(fs), 0
		part, err := st.Findings(ctx, f)
		if err != nil {
			return ReportStats{}, err
		}
		fs = append(fs, part...)
		if len(fs) > limit {
			break
		}
	}
	var stats ReportStats
	if len(fs) > limit {
		fs, stats.Truncated = fs[:limit], true
	}
	stats.Findings = len(fs)
	docs := groupByDocument(fs)
	stats.Documents = len(docs)

	css, err := fs2string(staticFiles, "static/style.css")
	if err != nil {
		return stats, err
	}
	v := reportView{Title: cmp.Or(opt.Title, "yusuan findings"), Description: opt.Description,
		Generated: opt.Now().Format("2006-01-02 15:04 MST"), CSS: template.CSS(css), Limit: limit}
	n := map[yusuan.Severity]int{}
	for _, f := range fs {
		n[f.Severity]++
	}
	for _, sev := range severities {
		v.Counts = append(v.Counts, severityCount{Severity: sev, N: n[sev]})
	}

	// Each document's section is drawn by a worker; they are written in
	// order.
	p := newPager(st, files, opt.CacheBytes)
	var mu sync.Mutex
	done := 0
	jobs := make(chan int)
	errs := make(chan error, opt.Workers)
	var wg sync.WaitGroup
	for range opt.Workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				crops, missing, err := renderReportDoc(ctx, p, &docs[i])
				if err != nil {
					errs <- err
					return
				}
				mu.Lock()
				stats.Crops += crops
				stats.Missing += missing
				done++
				if opt.Progress != nil {
					opt.Progress(progress.Event{Stage: "report", Done: done, Total: len(docs), Current: docs[i].Ref.File})
				}
				mu.Unlock()
			}
		}()
	}
	var sendErr error
send:
	for i := range docs {
		select {
		case jobs <- i:
		case sendErr = <-errs:
			break send
		case <-ctx.Done():
			sendErr = ctx.Err()
			break send
		}
	}
	close(jobs)
	wg.Wait()
	close(errs)
	if sendErr == nil {
		sendErr = <-errs
	}
	if sendErr != nil {
		return stats, sendErr
	}
	v.Documents, v.Stats = docs, stats
	var b bytes.Buffer
	if err := reportTmpl.ExecuteTemplate(&b, "report", v); err != nil {
		return stats, fmt.Errorf("report: %w", err)
	}
	_, err = w.Write(b.Bytes())
	return stats, err
}

func fs2string(f fs.FS, name string) (string, error) {
	b, err := fs.ReadFile(f, name)
	return string(b), err
}

// groupByDocument groups findings by their first document, documents with
// the most serious findings first.
func groupByDocument(fs []store.StoredFinding) []reportDoc {
	var docs []reportDoc
	at := map[string]int{}
	for _, f := range fs {
		var ref yusuan.DocRef
		if len(f.Documents) > 0 {
			ref = f.Documents[0]
		}
		i, ok := at[ref.SHA256]
		if !ok {
			i = len(docs)
			at[ref.SHA256] = i
			docs = append(docs, reportDoc{Anchor: fmt.Sprintf("d%d", i+1), Ref: ref, Kind: kindLabel(ref.Kind, ref.Scope), Worst: f.Severity})
		}
		d := &docs[i]
		if f.Severity.Rank() < d.Worst.Rank() {
			d.Worst = f.Severity
		}
		rf := reportFinding{findingRow: newFindingRow(f), F: f}
		for _, e := range f.Evidence {
			rf.Evidence = append(rf.Evidence, newEvidenceRow(e))
		}
		d.Findings = append(d.Findings, rf)
	}
	slices.SortStableFunc(docs, func(a, b reportDoc) int {
		return cmp.Or(cmp.Compare(a.Worst.Rank(), b.Worst.Rank()), cmp.Compare(a.Ref.Entity, b.Ref.Entity), cmp.Compare(a.Ref.Year, b.Ref.Year))
	})
	for i := range docs {
		docs[i].Anchor = fmt.Sprintf("d%d", i+1)
		slices.SortStableFunc(docs[i].Findings, func(a, b reportFinding) int {
			return cmp.Compare(a.Severity.Rank(), b.Severity.Rank())
		})
	}
	return docs
}

// renderReportDoc draws the crops of every finding of one document.
func renderReportDoc(ctx context.Context, p *pager, d *reportDoc) (crops, missing int, err error) {
	// Every page the findings cite, read in one pass per file.
	cited := map[string][]int{}
	for _, f := range d.Findings {
		for _, e := range f.F.Evidence {
			if e.BBox != nil && citesPage(e) {
				cited[e.SHA256] = append(cited[e.SHA256], e.Page)
			}
		}
	}
	for sha, pages := range cited {
		_ = p.readPages(ctx, sha, pages) // a page that fails says so in its crop
	}
	for i := range d.Findings {
		f := &d.Findings[i]
		type key struct {
			sha  string
			page int
		}
		var keys []key
		for _, e := range f.F.Evidence {
			k := key{e.SHA256, e.Page}
			if e.BBox != nil && citesPage(e) && !slices.Contains(keys, k) {
				keys = append(keys, k)
			}
		}
		for _, k := range keys {
			c := reportCrop{Label: fmt.Sprintf("page %d", k.page)}
			if k.sha != d.Ref.SHA256 {
				for _, ref := range f.F.Documents {
					if ref.SHA256 == k.sha {
						c.Label = fmt.Sprintf("%s %d, page %d", ref.Entity, ref.Year, k.page)
					}
				}
			}
			svg, err := p.drawing(ctx, k.sha, k.page, draw.Options{Layers: cropLayers, Highlights: pageHighlights(f.F.Evidence, k.sha, k.page),
				Crop: true, Scale: 1.4})
			if ctx.Err() != nil {
				return crops, missing, ctx.Err()
			}
			if err != nil {
				c.Err = drawError(err)
				missing++
			} else {
				c.SVG = template.HTML(svg)
				crops++
			}
			f.Crops = append(f.Crops, c)
		}
	}
	var b bytes.Buffer
	if err := reportTmpl.ExecuteTemplate(&b, "document", d); err != nil {
		return crops, missing, fmt.Errorf("report: %w", err)
	}
	d.html = template.HTML(b.String())
	return crops, missing, nil
}

// HTML is the document's rendered section.
func (d reportDoc) HTML() template.HTML { return d.html }
