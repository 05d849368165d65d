package web

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"runtime"
	"slices"
	"strconv"
	"time"

	"yusuan"
	"yusuan/extract"
	"yusuan/extract/draw"
	"yusuan/extract/layout"
	"yusuan/extract/pdfobj"
	"yusuan/extract/textlayer"
	"yusuan/store"
)

// Errors of drawing a page.
var (
	// ErrNotArchived: the document's original is not in the archive (a
	// store built without its files, or a damaged archive).
	ErrNotArchived = errors.New("the original file is not in the archive")
	// ErrNoSuchPage: the document has no page with that number.
	ErrNoSuchPage = errors.New("no such page")
)

// pageReadTimeout bounds reading one page's text layer.
const pageReadTimeout = 20 * time.Second

// pager draws pages of archived documents as yusuan read them: the glyphs
// and ruling lines of the one page asked for, read again from the archived
// original, with the tables (regions, rows, cells) of the stored document
// — the reading the findings rest on. Text layers, stored documents and
// drawings are cached together, bounded in bytes.
type pager struct {
	st    documentSource
	files Files
	cache *lru
	// busy bounds concurrent page reads to the cores: reading is CPU work,
	// and a burst of requests must not starve the rest of the server.
	busy chan struct{}
}

// documentSource gives the stored documents (a Store, or a report's).
type documentSource interface {
	Document(ctx context.Context, sha string) (*yusuan.Document, error)
}

func newPager(st documentSource, files Files, cacheBytes int64) *pager {
	return &pager{st: st, files: files, cache: newLRU(cacheBytes), busy: make(chan struct{}, runtime.GOMAXPROCS(0))}
}

// Files are the archived originals, by digest (*store.Archive).
type Files interface {
	Has(sha string) bool
	ReadAll(sha string) ([]byte, error)
	Path(sha string) string
}

// openFile opens the archived original of sha for serving. Its digest is
// checked on the first request after the server starts (the whole file is
// read); later requests (a PDF viewer asks for ranges) read only what they
// ask for.
func (p *pager) openFile(sha string) (*os.File, error) {
	if !store.ValidSHA(sha) {
		return nil, ErrNotArchived
	}
	key := "verified\x00" + sha
	if _, ok := p.cache.get(key); !ok {
		if _, err := p.files.ReadAll(sha); err != nil {
			if errors.Is(err, store.ErrNotArchived) {
				return nil, fmt.Errorf("%s: %w", sha, ErrNotArchived)
			}
			return nil, err
		}
		p.cache.put(key, true, 64)
	}
	f, err := os.Open(p.files.Path(sha))
	if errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("%s: %w", sha, ErrNotArchived)
	}
	return f, err
}

// document is the stored document (its tables), decoded once.
func (p *pager) document(ctx context.Context, sha string) (*yusuan.Document, error) {
	key := "doc\x00" + sha
	if v, ok := p.cache.get(key); ok {
		return v.(*yusuan.Document), nil
	}
	doc, err := p.st.Document(ctx, sha)
	if err != nil {
		return nil, err
	}
	p.cache.put(key, doc, documentCost(doc))
	return doc, nil
}

// documentCost estimates the memory a decoded document holds.
func documentCost(doc *yusuan.Document) int64 {
	n := int64(4096)
	for _, t := range doc.Tables {
		n += 512 + int64(len(t.Rows))*400
	}
	for _, s := range doc.Narrative {
		n += int64(len(s.Text)) + 64
	}
	return n
}

// page is page n of the archived original of sha, as the layout code
// rebuilds it (lines, segments, rules).
func (p *pager) page(ctx context.Context, sha string, n int) (layout.Page, error) {
	if v, ok := p.cache.get(layoutKey(sha, n)); ok {
		return v.(layout.Page), nil
	}
	if err := p.readPages(ctx, sha, []int{n}); err != nil {
		return layout.Page{}, err
	}
	if v, ok := p.cache.get(layoutKey(sha, n)); ok {
		return v.(layout.Page), nil
	}
	// Read, but too large to keep: read again, uncached.
	pages, err := p.read(ctx, sha, []int{n})
	if err != nil {
		return layout.Page{}, err
	}
	return pages[0], nil
}

func layoutKey(sha string, n int) string {
	return "layout\x00" + sha + "\x00" + strconv.Itoa(n) + "\x00" + extract.Version
}

// readPages reads the pages of sha not yet cached in one pass over the
// file (opening a long file costs more than reading a page of it) and
// caches them.
func (p *pager) readPages(ctx context.Context, sha string, pages []int) error {
	var missing []int
	for _, n := range pages {
		if _, ok := p.cache.get(layoutKey(sha, n)); !ok && !slices.Contains(missing, n) {
			missing = append(missing, n)
		}
	}
	if len(missing) == 0 {
		return nil
	}
	read, err := p.read(ctx, sha, missing)
	if err != nil {
		return err
	}
	for _, lp := range read {
		p.cache.put(layoutKey(sha, lp.Number), lp, layoutCost(lp))
	}
	return nil
}

// read reads pages of sha's original, in the order asked.
func (p *pager) read(ctx context.Context, sha string, pages []int) ([]layout.Page, error) {
	select {
	case p.busy <- struct{}{}:
		defer func() { <-p.busy }()
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	data, err := p.files.ReadAll(sha)
	if errors.Is(err, store.ErrNotArchived) {
		return nil, fmt.Errorf("%s: %w", sha, ErrNotArchived)
	}
	if err != nil {
		return nil, err
	}
	tps, err := readPages(ctx, data, pages)
	if err != nil {
		return nil, fmt.Errorf("%s pages %v: %w", sha, pages, err)
	}
	out := make([]layout.Page, len(tps))
	for i, tp := range tps {
		out[i] = layout.Build(tp, layout.Options{})
	}
	return out, nil
}

// readPages reads the text layer of the pages asked for alone, bounded
// in time, with a panic inside the PDF library turned into an error.
func readPages(ctx context.Context, data []byte, pages []int) (tps []textlayer.Page, err error) {
	ctx, cancel := context.WithTimeout(ctx, pageReadTimeout)
	defer cancel()
	defer func() {
		if x := recover(); x != nil {
			tps, err = nil, fmt.Errorf("%w: %v", pdfobj.ErrDamaged, x)
		}
	}()
	doc, err := textlayer.Read(ctx, data, textlayer.Options{Pages: pages})
	if doc == nil {
		return nil, err
	}
	for _, n := range pages {
		i := slices.IndexFunc(doc.Pages, func(pg textlayer.Page) bool { return pg.Number == n })
		if i < 0 {
			if err != nil {
				return nil, err
			}
			return nil, fmt.Errorf("page %d: %w", n, ErrNoSuchPage)
		}
		tps = append(tps, doc.Pages[i])
	}
	return tps, nil
}

func layoutCost(lp layout.Page) int64 {
	n := int64(1024 + 48*len(lp.Rules))
	for _, l := range lp.Lines {
		for _, s := range l.Segments {
			n += 160 + int64(len(s.Text)) + 8*int64(len(s.Xs))
		}
	}
	return n
}

// drawing is page n of sha drawn with opt (its tables those of the stored
// document), cached by everything that changes it.
func (p *pager) drawing(ctx context.Context, sha string, n int, opt draw.Options) ([]byte, error) {
	key := drawingKey(sha, n, opt)
	if v, ok := p.cache.get(key); ok {
		return v.([]byte), nil
	}
	doc, err := p.document(ctx, sha)
	if err != nil {
		return nil, err
	}
	if n < 1 || n > doc.Pages {
		return nil, fmt.Errorf("%s page %d of %d: %w", sha, n, doc.Pages, ErrNoSuchPage)
	}
	lp, err := p.page(ctx, sha, n)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	if err := draw.Page(&b, draw.PageInput{Page: lp, Tables: doc.Tables}, opt); err != nil {
		return nil, err
	}
	svg := b.Bytes()
	p.cache.put(key, svg, int64(len(svg)))
	return svg, nil
}

func drawingKey(sha string, n int, opt draw.Options) string {
	h := sha256.New()
	fmt.Fprintf(h, "%d|%t|%g|%g", opt.Layers, opt.Crop, opt.Margin, opt.Scale)
	for _, x := range opt.Highlights {
		fmt.Fprintf(h, "|%d %v %s %s", x.Page, x.BBox, x.Role, x.Label)
	}
	return "svg\x00" + sha + "\x00" + strconv.Itoa(n) + "\x00" + extract.Version + "\x00" + hex.EncodeToString(h.Sum(nil)[:12])
}
