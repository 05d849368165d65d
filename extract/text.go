// Package extract turns PDF bytes into a yusuan.Document: the text layer
// (textlayer, layout), tables (table, template), narrative and metadata.
package extract

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"time"
	"unicode"

	"yusuan"
	"yusuan/extract/layout"
	"yusuan/extract/limits"
	"yusuan/extract/pdfobj"
	"yusuan/extract/textlayer"
)

// Version names the extractor; stored with each document so a newer one can
// re-extract the archive.
const Version = "yusuan-extract/0.2.2"

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
	// Unreadable: most glyphs come from fonts whose text is a guess
	// (font.Font.Guessed), or the text is not Chinese; see
	// yusuan.Document.TextUnreadable.
	Unreadable bool
	// Garbled counts the characters of a text that reads but not wholly
	// (see garbledRune); yusuan.Document.GarbledChars.
	Garbled int
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

// minLettersToJudge is how many letters a file needs before the share of
// Chinese among them says whether its text reads; minGarbled how many
// garbled characters (see garbledRune) mark it as partly unreadable.
const (
	minLettersToJudge = 200
	minGarbled        = 10
)

// letterCounts counts the letters of the file's text, the Han characters
// among them, and the garbled characters.
func letterCounts(doc *textlayer.Document) (han, letters, garbled int) {
	for _, p := range doc.Pages {
		for _, g := range p.Glyphs {
			for _, r := range g.Text {
				if garbledRune(r) {
					garbled++
				}
				if unicode.IsLetter(r) {
					letters++
					if unicode.Is(unicode.Han, r) {
						han++
					}
				}
			}
		}
	}
	return han, letters, garbled
}

// garbledRune: a character that a font mapping gone wrong produces and a
// Chinese disclosure does not print: Latin-1 and Latin Extended letters
// (CID codes read as WinAnsi), private use, U+FFFD. The corpus's 37 files
// print none (Greek does occur: X-γ).
func garbledRune(r rune) bool {
	return r >= 0xC0 && r <= 0x24F && r != 0xD7 && r != 0xF7 || r >= 0xE000 && r <= 0xF8FF || r == 0xFFFD
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
	if st := doc.Stats; t.TextLayer && st.GuessedGlyphs*2 > st.Glyphs {
		t.Unreadable = true
		t.Warnings = append(t.Warnings, fmt.Sprintf("text layer unreadable: %d of %d characters are drawn with fonts that map no glyph to Unicode (no ToUnicode, no known encoding)",
			st.GuessedGlyphs, st.Glyphs))
	} else if han, letters, garbled := letterCounts(doc); t.TextLayer && letters >= minLettersToJudge && han*20 < letters {
		// Fonts that claim a mapping but map to the wrong code points
		// (Ghostscript re-distilling CID fonts): a budget disclosure is
		// Chinese, and this text is not.
		t.Unreadable = true
		t.Warnings = append(t.Warnings, fmt.Sprintf("text layer unreadable: %d letters, %d of them Chinese: the fonts map glyphs to the wrong characters", letters, han))
	} else if garbled >= minGarbled && garbled*200 >= han+garbled {
		// Some fonts only: the text reads, but not all of it is what was
		// printed; the checks trust no figure of such a file fully.
		t.Garbled = garbled
		t.Warnings = append(t.Warnings, fmt.Sprintf("text layer partly unreadable: %d characters mapped to code points no Chinese disclosure prints (Latin-1 letters, private use, U+FFFD)", garbled))
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
