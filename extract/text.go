// Package extract turns PDF bytes into a yusuan.Document: the text layer
// (textlayer, layout), tables (table, template), narrative and metadata.
package extract

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"time"

	"yusuan"
	"yusuan/extract/layout"
	"yusuan/extract/limits"
	"yusuan/extract/pdfobj"
	"yusuan/extract/textlayer"
)

// Version names the extractor; stored with each document so a newer one can
// re-extract the archive.
const Version = "yusuan-extract/0.2.1"

// Options bound the work per file.
type Options struct {
	Timeout time.Duration // per file, text layer, tables and narrative together; 0 means 60 s
	// Limits bound memory and work per file; zero fields take their
	// defaults (docs/limits.md).
	Limits limits.Limits
}

func (o Options) withDefaults() Options {
	if o.Timeout == 0 {
		o.Timeout = 60 * time.Second
	}
	o.Limits = o.Limits.Fill()
	return o
}

// Text is the text layer of a file with its rebuilt lines.
type Text struct {
	Doc   *textlayer.Document
	Pages []layout.Page
	// TextLayer is false for image-only (scanned) files.
	TextLayer bool
	// Warnings gathers the document's and every page's warnings.
	Warnings []string
}

// ReadText reads the text layer and rebuilds lines, bounded in time and by
// the limits. It gives an error when the file cannot be read at all or the
// time runs out (the error then matches context.DeadlineExceeded).
func ReadText(ctx context.Context, data []byte, opt Options) (*Text, error) {
	opt = opt.withDefaults()
	ctx, cancel := context.WithTimeout(ctx, opt.Timeout)
	defer cancel()
	var t *Text
	var err error
	if !bounded(ctx, func(ctx context.Context) { t, err = textOf(ctx, data, opt) }) {
		return nil, timeoutError(ctx, opt.Timeout)
	}
	return t, err
}

func textOf(ctx context.Context, data []byte, opt Options) (t *Text, err error) {
	defer func() {
		if x := recover(); x != nil {
			t, err = nil, fmt.Errorf("%w: %v", pdfobj.ErrDamaged, x)
		}
	}()
	doc, err := textlayer.Read(ctx, data, textlayer.Options{Limits: opt.Limits})
	if ctx.Err() != nil {
		return nil, timeoutError(ctx, opt.Timeout)
	}
	if doc == nil {
		return nil, err
	}
	t = newText(ctx, doc)
	if ctx.Err() != nil {
		return nil, timeoutError(ctx, opt.Timeout)
	}
	return t, err
}

func timeoutError(ctx context.Context, d time.Duration) error {
	return fmt.Errorf("gave up after %s: %w", d, context.Cause(ctx))
}

// running counts extraction goroutines still at work, for the test that a
// file past its time leaves nothing behind.
var running atomic.Int64

// stopGrace is how long a caller whose time is up waits for the work to
// notice: every loop checks the context, so it stops within milliseconds;
// only a call into the object layer that never returns (which the checks
// in pdfobj exist to prevent) outlives it. Run extraction in a child
// process (ingest.Process) for a hard guarantee.
const stopGrace = 2 * time.Second

// bounded runs work in a goroutine and waits for it, or, once ctx ends,
// for at most stopGrace more. It reports whether the work finished.
func bounded(ctx context.Context, work func(context.Context)) bool {
	done := make(chan struct{})
	running.Add(1)
	go func() {
		defer close(done)
		defer running.Add(-1)
		work(ctx)
	}()
	select {
	case <-done:
		return true
	case <-ctx.Done():
	}
	t := time.NewTimer(stopGrace)
	defer t.Stop()
	select {
	case <-done:
		return true
	case <-t.C:
		return false
	}
}

// FailureKind classifies why a file could not be read.
func FailureKind(err error) yusuan.FailureKind {
	switch {
	case err == nil:
		return ""
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, context.Canceled):
		return yusuan.FailTimeout
	case errors.Is(err, limits.ErrExceeded):
		return yusuan.FailLimit
	case errors.Is(err, pdfobj.ErrNotPDF):
		return yusuan.FailNotPDF
	case errors.Is(err, pdfobj.ErrNeedPassword):
		return yusuan.FailEncrypted
	}
	return yusuan.FailDamaged
}

func newText(ctx context.Context, doc *textlayer.Document) *Text {
	t := &Text{Doc: doc, Warnings: append([]string(nil), doc.Warnings...)}
	images := 0
	for _, p := range doc.Pages {
		if ctx.Err() != nil {
			return t
		}
		lp := layout.Build(p, layout.Options{})
		t.Pages = append(t.Pages, lp)
		t.Warnings = append(t.Warnings, lp.Warnings...)
		images += p.Images
		switch {
		case len(p.Glyphs) > 0:
			t.TextLayer = true
		case p.Images > 0:
			t.Warnings = append(t.Warnings, fmt.Sprintf("page %d: no text, only images (scanned page?)", p.Number))
		}
		if lp.OffpageChars > 0 {
			t.Warnings = append(t.Warnings, fmt.Sprintf("page %d: %d characters lie outside the visible page", p.Number, lp.OffpageChars))
		}
	}
	if !t.TextLayer {
		what := "no text on any page"
		if images > 0 {
			what = fmt.Sprintf("image-only (scanned) PDF, %d images", images)
		}
		t.Warnings = append(t.Warnings, "no text layer: "+what)
	}
	return t
}
