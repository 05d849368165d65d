package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"yusuan/extract"
	"yusuan/extract/layout"
)

func textCommand() command {
	c := command{name: "text", summary: "print each page's text in reading order, laid out like the page", usage: "[--json] [--all] FILE.pdf..."}
	c.run = func(ctx context.Context, e *env, args []string) int {
		fs := newFlags(e, c)
		asJSON := fs.Bool("json", false, "print positioned text runs with bounding boxes, font and size as JSON Lines")
		all := fs.Bool("all", false, "also print text drawn outside the visible page, labelled")
		if ok, st := parseFlags(fs, args); !ok {
			return st
		}
		if fs.NArg() == 0 {
			return usageError(e, c, "no files given")
		}
		extractionGC()
		status := 0
		for _, path := range fs.Args() {
			data, err := os.ReadFile(path)
			if err != nil {
				fmt.Fprintf(e.stderr, "yusuan text: %v\n", err)
				status = 1
				continue
			}
			t, err := extract.ReadText(ctx, data, extract.Options{})
			if t == nil {
				fmt.Fprintf(e.stderr, "yusuan text: %s: %v\n", path, err)
				status = 1
				continue
			}
			if err != nil {
				fmt.Fprintf(e.stderr, "yusuan text: %s: %v\n", path, err)
				status = 1
			}
			for _, w := range t.Warnings {
				if strings.Contains(w, "outside the visible page") && !*all {
					w += " (--all prints them)"
				}
				fmt.Fprintf(e.stderr, "yusuan text: %s: warning: %s\n", path, w)
			}
			if *asJSON {
				if err := json.NewEncoder(e.stdout).Encode(textJSON(filepath.Base(path), t, *all)); err != nil {
					return 1
				}
				continue
			}
			for i, p := range t.Pages {
				if i > 0 {
					fmt.Fprint(e.stdout, "\f")
				}
				fmt.Fprint(e.stdout, layout.Render(p.Lines))
				if *all && len(p.Offpage) > 0 {
					fmt.Fprintf(e.stdout, "[outside the visible page %d]\n", p.Number)
					fmt.Fprint(e.stdout, layout.Render(p.Offpage))
				}
			}
			fmt.Fprint(e.stdout, "\f")
		}
		return status
	}
	return c
}

type runJSON struct {
	Text    string     `json:"text"`
	BBox    [4]float64 `json:"bbox"`
	Font    string     `json:"font"`
	Size    float64    `json:"size"`
	Offpage bool       `json:"offpage,omitempty"`
}

type pageJSON struct {
	Page   int       `json:"page"`
	Width  float64   `json:"width"`
	Height float64   `json:"height"`
	Runs   []runJSON `json:"runs"`
	Rules  int       `json:"rules"`
	Images int       `json:"images,omitempty"`
}

type fileJSON struct {
	File      string     `json:"file"`
	Producer  string     `json:"producer,omitempty"`
	Pages     []pageJSON `json:"pages"`
	TextLayer bool       `json:"text_layer"`
}

func round2(f float64) float64 { return float64(int64(f*100+0.5*sign(f))) / 100 }

func sign(f float64) float64 {
	if f < 0 {
		return -1
	}
	return 1
}

func textJSON(name string, t *extract.Text, all bool) fileJSON {
	out := fileJSON{File: name, Producer: t.Doc.Producer}
	for _, p := range t.Pages {
		pj := pageJSON{Page: p.Number, Width: round2(p.Width), Height: round2(p.Height), Rules: len(p.Rules), Images: p.Images, Runs: []runJSON{}}
		add := func(lines []layout.Line, off bool) {
			for _, l := range lines {
				for _, s := range l.Segments {
					pj.Runs = append(pj.Runs, runJSON{Text: s.Text, BBox: [4]float64{round2(s.X0), round2(s.Y0), round2(s.X1), round2(s.Y1)}, Font: s.Font, Size: round2(s.Size), Offpage: off})
				}
			}
		}
		add(p.Lines, false)
		if all {
			add(p.Offpage, true)
		}
		if len(p.Lines) > 0 {
			out.TextLayer = true
		}
		out.Pages = append(out.Pages, pj)
	}
	return out
}
