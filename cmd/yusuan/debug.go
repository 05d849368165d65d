package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"

	"yusuan/extract"
	"yusuan/extract/draw"
)

func debugCommand() command {
	c := command{name: "debug", summary: "draw a page as the extractor read it (SVG): text, ruling lines, table regions, columns, rows, cells, doubts",
		usage: "FILE.pdf --page N [--out page.svg] [--json] [--scale S]"}
	c.run = func(ctx context.Context, e *env, args []string) int {
		fs := newFlags(e, c)
		page := fs.Int("page", 0, "the page to draw, from 1")
		out := fs.String("out", "", "write the SVG to this `file` instead of stdout")
		asJSON := fs.Bool("json", false, "print the page's table regions, columns, rows, cells and doubts as JSON instead of drawing")
		scale := fs.Float64("scale", 1.5, "size of the drawing: CSS pixels per point")
		if ok, st := parseFlags(fs, args); !ok {
			return st
		}
		switch {
		case fs.NArg() != 1:
			return usageError(e, c, "give one PDF file")
		case *page < 1:
			return usageError(e, c, "--page N is required (pages count from 1)")
		case *scale <= 0:
			return usageError(e, c, "--scale must be positive")
		}
		path := fs.Arg(0)
		fail := func(format string, a ...any) int {
			fmt.Fprintf(e.stderr, "yusuan debug: %s: %s\n", path, fmt.Sprintf(format, a...))
			return 1
		}
		data, err := os.ReadFile(path)
		if err != nil {
			fmt.Fprintf(e.stderr, "yusuan debug: %v\n", err)
			return 1
		}
		t, err := extract.ReadText(ctx, data, extract.Options{})
		if t == nil {
			return fail("%v", err)
		}
		if *page > len(t.Pages) {
			return fail("no page %d: the file has %d page(s)", *page, len(t.Pages))
		}
		in := draw.PageInput{Page: t.Pages[*page-1]}
		for _, w := range in.Page.Warnings {
			fmt.Fprintf(e.stderr, "yusuan debug: %s: warning: %s\n", path, w)
		}
		if len(in.Page.Lines) == 0 {
			fmt.Fprintf(e.stderr, "yusuan debug: %s: page %d has no text layer (%d images): only the page box is drawn\n", path, *page, in.Page.Images)
		} else {
			// The same reading as `yusuan extract`, so the drawing shows what
			// the store holds.
			doc := extract.Extract(ctx, data, filepath.Base(path), extract.Options{})
			in.Tables = doc.Tables
		}
		if *asJSON {
			if err := e.printJSON(draw.Measure(in)); err != nil {
				return fail("%v", err)
			}
			return 0
		}
		var b bytes.Buffer
		if err := draw.Page(&b, in, draw.Options{Layers: draw.AllLayers, Scale: *scale}); err != nil {
			return fail("%v", err)
		}
		if *out == "" {
			if _, err := e.stdout.Write(b.Bytes()); err != nil {
				return fail("%v", err)
			}
			return 0
		}
		if err := os.WriteFile(*out, b.Bytes(), 0o644); err != nil {
			fmt.Fprintf(e.stderr, "yusuan debug: %v\n", err)
			return 1
		}
		return 0
	}
	return c
}
