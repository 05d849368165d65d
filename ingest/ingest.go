// Package ingest is the pipeline from a file to the store: archive the raw
// bytes first, extract, then store the document in one transaction. It is
// used by the ingest, crawl, harvest and reextract commands.
//
// One bad file never stops a run: a file the extractor cannot read (not a
// PDF, truncated, damaged, or one that makes the extractor panic) is stored
// as a failed document with its reason, and its bytes stay archived so a
// later extractor version can retry it (Reextract).
package ingest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	"yusuan"
	"yusuan/progress"
	"yusuan/store"
)

// Extractor turns the bytes of one file into a Document. It must not panic
// on bad input, but the pipeline recovers if it does.
type Extractor interface {
	Extract(ctx context.Context, data []byte, fileName string) *yusuan.Document
	Version() string
}

// ExtractorFunc adapts a function to Extractor, e.g.
//
//	ingest.ExtractorFunc{Ver: extract.Version, Fn: func(ctx context.Context, b []byte, name string) *yusuan.Document {
//		return extract.Extract(ctx, b, name, extract.Options{})
//	}}
type ExtractorFunc struct {
	Ver string
	Fn  func(ctx context.Context, data []byte, fileName string) *yusuan.Document
}

// Extract calls Fn.
func (f ExtractorFunc) Extract(ctx context.Context, data []byte, fileName string) *yusuan.Document {
	return f.Fn(ctx, data, fileName)
}

// Version returns Ver.
func (f ExtractorFunc) Version() string { return f.Ver }

// Outcome is what ingesting one file did.
type Outcome int

const (
	New    Outcome = iota // stored, extracted without error
	Known                 // these bytes were already stored; at most a new source was added
	Failed                // stored as a failed document (Document.Error says why)
)

func (o Outcome) String() string {
	switch o {
	case New:
		return "new"
	case Known:
		return "known"
	}
	return "failed"
}

// Result describes one ingested file.
type Result struct {
	SHA256  string
	Size    int64
	File    string
	Outcome Outcome
	// Doc is the stored document; nil when Outcome is Known.
	Doc *yusuan.Document
}

// Pipeline ingests single files into a store; Run drives it over paths.
// It is safe for concurrent use.
type Pipeline struct {
	Store     *store.Store
	Extractor Extractor
	// FileTimeout bounds one extraction (0: none). The extractor sees it as
	// its context's deadline.
	FileTimeout time.Duration
	// MaxFileSize: a larger file is archived (streamed, never held in
	// memory) and recorded as failed without extraction. 0 means
	// DefaultMaxFileSize.
	MaxFileSize int64
	// Memory, when set, is shared by the pipeline's workers: an extraction
	// reserves an estimate of what it needs before it starts. An extractor
	// that holds itself to a limit (MemoryBounded, a child Process) gets
	// its reservation as its limit, and one stopped by it is run again,
	// once, with FileMemory: the total then holds whatever the files do.
	Memory *Budget
	// FileMemory is the most one extraction may use; 0 means
	// DefaultFileMemory.
	FileMemory int64
}

// DefaultMaxFileSize is the largest file extracted by default. Disclosure
// PDFs are rarely above 50 MB; the whole file is held in memory while it
// is extracted.
const DefaultMaxFileSize = 512 << 20

// File ingests one local file.
func (p *Pipeline) File(ctx context.Context, path string) (Result, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return Result{}, err
	}
	src := store.Source{File: filepath.Base(abs), LocalPath: abs, FetchedAt: time.Now()}
	info, err := os.Stat(abs)
	if err != nil {
		return Result{}, &FileError{Path: path, Err: err}
	}
	if limit := p.maxFileSize(); info.Size() > limit {
		return p.tooLarge(ctx, abs, src, limit)
	}
	data, err := os.ReadFile(abs)
	if err != nil {
		return Result{}, &FileError{Path: path, Err: err}
	}
	return p.Bytes(ctx, data, src)
}

func (p *Pipeline) maxFileSize() int64 {
	if p.MaxFileSize > 0 {
		return p.MaxFileSize
	}
	return DefaultMaxFileSize
}

// tooLarge archives a file too large to extract and records it as failed.
func (p *Pipeline) tooLarge(ctx context.Context, path string, src store.Source, limit int64) (Result, error) {
	f, err := os.Open(path)
	if err != nil {
		return Result{}, &FileError{Path: path, Err: err}
	}
	defer f.Close()
	sha, size, err := p.Store.Archive().Put(ctx, f)
	if err != nil {
		return Result{}, fmt.Errorf("ingest %s: %w", src.File, err)
	}
	res := Result{SHA256: sha, Size: size, File: src.File}
	if known, err := p.known(ctx, sha, src); err != nil || known {
		res.Outcome = Known
		return res, err
	}
	doc := FailedDocument(sha, src.File, yusuan.FailLimit, fmt.Sprintf("file too large to extract: %d bytes (limit %d)", size, limit))
	doc.Extractor = p.Extractor.Version()
	added, err := p.Store.PutDocument(ctx, doc, size, src)
	if err != nil {
		return res, fmt.Errorf("ingest: %w", err)
	}
	res.Outcome, res.Doc = Failed, doc
	if !added {
		res.Outcome, res.Doc = Known, nil
	}
	return res, nil
}

// Bytes ingests a file held in memory. Known bytes are recognised by digest
// before anything is extracted.
func (p *Pipeline) Bytes(ctx context.Context, data []byte, src store.Source) (Result, error) {
	sum := sha256.Sum256(data)
	sha := hex.EncodeToString(sum[:])
	res := Result{SHA256: sha, Size: int64(len(data)), File: src.File}
	if known, err := p.known(ctx, sha, src); err != nil || known {
		res.Outcome = Known
		if err == nil && !p.Store.Archive().Has(sha) {
			// Stored but lost from the archive: these are the bytes, keep them.
			_, err = p.Store.Archive().PutBytes(ctx, data)
		}
		return res, err
	}
	if _, err := p.Store.Archive().PutBytes(ctx, data); err != nil {
		return res, fmt.Errorf("ingest %s: %w", src.File, err)
	}
	return p.extractAndStore(ctx, data, res, src)
}

// Reader ingests a stream (a download, say): it is archived as it is read,
// then read back from the archive for extraction.
func (p *Pipeline) Reader(ctx context.Context, r io.Reader, src store.Source) (Result, error) {
	sha, size, err := p.Store.Archive().Put(ctx, r)
	if err != nil {
		return Result{}, fmt.Errorf("ingest %s: %w", src.File, err)
	}
	return p.Archived(ctx, sha, size, src)
}

// Archived ingests a file already in the archive.
func (p *Pipeline) Archived(ctx context.Context, sha string, size int64, src store.Source) (Result, error) {
	res := Result{SHA256: sha, Size: size, File: src.File}
	if known, err := p.known(ctx, sha, src); err != nil || known {
		res.Outcome = Known
		return res, err
	}
	data, err := p.Store.Archive().ReadAll(sha)
	if err != nil {
		return res, fmt.Errorf("ingest %s: %w", src.File, err)
	}
	return p.extractAndStore(ctx, data, res, src)
}

// known reports whether sha is stored, recording this sighting if it is.
func (p *Pipeline) known(ctx context.Context, sha string, src store.Source) (bool, error) {
	ok, err := p.Store.Has(ctx, sha)
	if err != nil || !ok {
		return false, err
	}
	if err := p.Store.AddSource(ctx, sha, src); err != nil {
		return true, err
	}
	return true, nil
}

func (p *Pipeline) extractAndStore(ctx context.Context, data []byte, res Result, src store.Source) (Result, error) {
	doc := p.extract(ctx, data, res.SHA256, src.File)
	// An interrupted run must not store what a cancelled extractor
	// returned: it may be partial. The archived bytes stay for next time.
	if err := ctx.Err(); err != nil {
		return res, err
	}
	added, err := p.Store.PutDocument(ctx, doc, res.Size, src)
	if err != nil {
		return res, fmt.Errorf("ingest: %w", err)
	}
	switch {
	case !added: // the same bytes under another name, stored meanwhile by another worker
		res.Outcome = Known
	case doc.Error != "":
		res.Outcome, res.Doc = Failed, doc
	default:
		res.Outcome, res.Doc = New, doc
	}
	return res, nil
}

// extract runs the extractor, turning a panic or a missing result into a
// failed document, and fills in what the pipeline knows better.
func (p *Pipeline) extract(ctx context.Context, data []byte, sha, file string) (doc *yusuan.Document) {
	if p.FileTimeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, p.FileTimeout)
		defer cancel()
	}
	defer func() {
		if r := recover(); r != nil {
			slog.Debug("extractor panic", "file", file, "panic", r, "stack", string(debug.Stack()))
			doc = FailedDocument(sha, file, yusuan.FailInternal, fmt.Sprintf("extractor panic: %v", r))
		}
		if doc == nil {
			doc = FailedDocument(sha, file, yusuan.FailInternal, "extractor returned no document")
		}
		// The archive key is authoritative; the rest only fills gaps so the
		// stored JSON is otherwise exactly the extractor's.
		doc.SHA256 = sha
		if doc.File == "" {
			doc.File = file
		}
		if doc.Schema == 0 {
			doc.Schema = yusuan.SchemaVersion
		}
		if doc.Extractor == "" {
			doc.Extractor = p.Extractor.Version()
		}
		if doc.Error != "" && doc.Tables == nil {
			doc.Tables = []yusuan.Table{}
		}
	}()
	return p.withinMemory(ctx, data, file)
}

// withinMemory reserves memory for one extraction from the shared budget
// and runs it; an extraction stopped by a limit below FileMemory runs
// again with FileMemory.
func (p *Pipeline) withinMemory(ctx context.Context, data []byte, file string) *yusuan.Document {
	perFile := p.FileMemory
	if perFile <= 0 {
		perFile = DefaultFileMemory
	}
	want := EstimateMemory(int64(len(data)), perFile)
	for retried := false; ; retried = true {
		got := want
		if p.Memory != nil {
			var err error
			if got, err = p.Memory.Acquire(ctx, want); err != nil {
				return nil // the run is ending; nothing is stored
			}
		}
		var doc *yusuan.Document
		oom := false
		func() {
			if p.Memory != nil {
				defer p.Memory.Release(got)
			}
			if mb, ok := p.Extractor.(MemoryBounded); ok {
				doc, oom = mb.ExtractWithin(ctx, data, file, got)
				return
			}
			doc = p.Extractor.Extract(ctx, data, file)
		}()
		if !oom || retried || got >= perFile || ctx.Err() != nil {
			return doc
		}
		want = perFile
	}
}

// EstimateMemory is what extracting a file of size bytes is expected to
// need, at most perFile: the real corpus peaks at 70 MB for a 1 MB file of
// 262 pages (docs/limits.md); the file is held twice (by the pipeline and
// the extractor) and decoded streams run to about ten times its size.
func EstimateMemory(size, perFile int64) int64 {
	return min(perFile, 96<<20+16*size)
}

// FailedDocument is the record of a file that could not be read at all.
func FailedDocument(sha, file string, kind yusuan.FailureKind, reason string) *yusuan.Document {
	return &yusuan.Document{Schema: yusuan.SchemaVersion, File: file, SHA256: sha, Error: reason, ErrorKind: kind,
		Meta:   yusuan.Meta{Scope: yusuan.ScopeUnknown, Kind: yusuan.KindUnknown},
		Tables: []yusuan.Table{}, Narrative: []yusuan.Section{}, Warnings: []string{}}
}

// Options configure Run.
type Options struct {
	Store     *store.Store
	Extractor Extractor
	// Paths are files and directories. Directories are walked recursively
	// for *.pdf (any case); a file named explicitly is taken whatever its
	// name.
	Paths []string
	// Workers bounds concurrent extractions; default runtime.NumCPU().
	Workers int
	// Progress receives an event after every file (from one goroutine at
	// a time); nil for none.
	Progress progress.Func
	// Logger receives the start and end lines, failures, and one debug
	// line per file; default slog.Default().
	Logger *slog.Logger
	// FileTimeout bounds one file's extraction (0: none).
	FileTimeout time.Duration
	// MaxFileSize: larger files are archived and recorded as failed
	// without extraction (0: DefaultMaxFileSize).
	MaxFileSize int64
	// MemoryBudget is the memory the workers' extractions share (0:
	// DefaultMemoryBudget); FileMemory the most one may use (0:
	// DefaultFileMemory). See Pipeline.Memory.
	MemoryBudget int64
	FileMemory   int64
}

// DefaultMemoryBudget is half a GiB per worker, within half the machine's
// memory, and never less than one file's FileMemory.
func DefaultMemoryBudget(workers int, fileMemory int64) int64 {
	b := int64(workers) * 512 << 20
	if ram := physicalMemory(); ram > 0 {
		b = min(b, ram/2)
	}
	return max(b, fileMemory)
}

// newBudget returns the shared budget for a run.
func newBudget(total int64, workers int, fileMemory int64) *Budget {
	if fileMemory <= 0 {
		fileMemory = DefaultFileMemory
	}
	if total <= 0 {
		total = DefaultMemoryBudget(workers, fileMemory)
	}
	return NewBudget(total)
}

// Summary counts what a run did.
type Summary struct {
	Files      int   // files considered
	New        int   // stored and extracted without error
	Known      int   // already stored before (the same bytes)
	Failed     int   // stored as failed documents
	Unreadable int   // could not be read or archived: nothing stored
	Bytes      int64 // size of the new and failed files
	Elapsed    time.Duration
}

// String is the closing summary line.
func (s Summary) String() string {
	line := fmt.Sprintf("%d files: %d new, %d already known, %d failed", s.Files, s.New, s.Known, s.Failed)
	if s.Unreadable > 0 {
		line += fmt.Sprintf(", %d unreadable", s.Unreadable)
	}
	return line + fmt.Sprintf(" (%.1fs)", s.Elapsed.Seconds())
}

// Run ingests every file under opt.Paths with bounded workers. It returns an
// error only for what stops the whole run: a path that does not exist, a
// store that cannot be written, a cancelled context. Per-file problems are
// counted in the Summary and logged.
func Run(ctx context.Context, opt Options) (Summary, error) {
	start := time.Now()
	if opt.Store == nil || opt.Extractor == nil {
		return Summary{}, errors.New("ingest: Store and Extractor are required")
	}
	files, err := Collect(opt.Paths)
	if err != nil {
		return Summary{}, err
	}
	workers := opt.Workers
	if workers <= 0 {
		workers = runtime.NumCPU()
	}
	pr := newProgress(opt.Progress, opt.Logger, "ingest", len(files))
	p := &Pipeline{Store: opt.Store, Extractor: opt.Extractor, FileTimeout: opt.FileTimeout, MaxFileSize: opt.MaxFileSize,
		Memory: newBudget(opt.MemoryBudget, workers, opt.FileMemory), FileMemory: opt.FileMemory}

	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	var (
		mu  sync.Mutex
		sum = Summary{Files: len(files)}
		wg  sync.WaitGroup
	)
	jobs := make(chan string)
	for range workers {
		wg.Go(func() {
			for path := range jobs {
				res, err := p.File(ctx, path)
				mu.Lock()
				switch {
				case err != nil && ctx.Err() != nil:
					// interrupted: not counted
				case err != nil && isFileError(err):
					sum.Unreadable++
					pr.fail(path, err.Error())
				case err != nil:
					cancel(err)
				default:
					switch res.Outcome {
					case New:
						sum.New++
						sum.Bytes += res.Size
					case Known:
						sum.Known++
					case Failed:
						sum.Failed++
						sum.Bytes += res.Size
						pr.fail(path, res.Doc.Error)
					}
					pr.done(path, res)
				}
				pr.update(sum)
				mu.Unlock()
			}
		})
	}
feed:
	for _, f := range files {
		select {
		case jobs <- f:
		case <-ctx.Done():
			break feed
		}
	}
	close(jobs)
	wg.Wait()
	sum.Elapsed = time.Since(start)
	pr.finish(sum)
	if err := context.Cause(ctx); err != nil {
		return sum, err
	}
	return sum, nil
}

// FileError is a problem reading one input file: that file is skipped and
// the run goes on (unlike a problem with the store or the archive).
type FileError struct {
	Path string
	Err  error
}

func (e *FileError) Error() string { return "ingest " + e.Path + ": " + e.Err.Error() }
func (e *FileError) Unwrap() error { return e.Err }

func isFileError(err error) bool {
	var fe *FileError
	return errors.As(err, &fe)
}

// Collect expands paths into the files to ingest: directories recursively
// (*.pdf in any case, hidden directories skipped), files as named. A path
// that does not exist is an error.
func Collect(paths []string) ([]string, error) {
	var out []string
	seen := map[string]bool{}
	add := func(p string) {
		if !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	for _, p := range paths {
		info, err := os.Stat(p)
		if err != nil {
			return nil, fmt.Errorf("ingest: %w", err)
		}
		if !info.IsDir() {
			add(p)
			continue
		}
		err = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				slog.Warn("ingest: cannot read", "path", path, "err", err)
				return nil
			}
			if d.IsDir() {
				if path != p && strings.HasPrefix(d.Name(), ".") || d.Name() == store.ArchiveDirName {
					return filepath.SkipDir
				}
				return nil
			}
			if d.Type().IsRegular() && strings.EqualFold(filepath.Ext(path), ".pdf") {
				add(path)
			}
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("ingest: walk %s: %w", p, err)
		}
	}
	return out, nil
}
