// Package extract turns PDF bytes into a yusuan.Document: the text layer
// (textlayer, layout), tables (table, template), narrative and metadata.
package extract

import (
	"context"
	"fmt"
	"time"

	"yusuan/extract/layout"
	"yusuan/extract/pdfobj"
	"yusuan/extract/textlayer"
)

// Version names the extractor; stored with each document so a newer one can
// re-extract the archive.
const Version = "yusuan-extract/0.1.0"

// Options bound the work per file.
type Options struct {
	Timeout time.Duration // per file; 0 means 60 s
	Limits  pdfobj.Limits
}

func (o Options) withDefaults() Options {
	if o.Timeout == 0 {
		o.Timeout = 60 * time.Second
	}
	if o.Limits.MaxPages == 0 {
		o.Limits = pdfobj.DefaultLimits
	}
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

// ReadText reads the text layer and rebuilds lines, bounded in time: a file
// that takes longer than the timeout gives an error while the caller goes on.
func ReadText(ctx context.Context, data []byte, opt Options) (*Text, error) {
	opt = opt.withDefaults()
	ctx, cancel := context.WithTimeout(ctx, opt.Timeout)
	defer cancel()
	type result struct {
		t   *Text
		err error
	}
	done := make(chan result, 1)
	go func() {
		defer func() {
			if x := recover(); x != nil {
				done <- result{nil, fmt.Errorf("%w: %v", pdfobj.ErrDamaged, x)}
			}
		}()
		doc, err := textlayer.Read(ctx, data, textlayer.Options{Limits: opt.Limits})
		if doc == nil {
			done <- result{nil, err}
			return
		}
		done <- result{newText(doc), err}
	}()
	select {
	case r := <-done:
		return r.t, r.err
	case <-ctx.Done():
		return nil, fmt.Errorf("gave up after %s: %w", opt.Timeout, ctx.Err())
	}
}

func newText(doc *textlayer.Document) *Text {
	t := &Text{Doc: doc, Warnings: append([]string(nil), doc.Warnings...)}
	images := 0
	for _, p := range doc.Pages {
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
