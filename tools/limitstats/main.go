// Command limitstats measures, over a folder of real PDFs, the work the
// extraction budgets of extract/limits bound (operators, glyphs, ruling
// lines and forms per page and per file, decoded bytes), so their defaults
// can be checked against real documents (docs/limits.md). It needs the
// corpus; the tests never use it.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"text/tabwriter"

	"yusuan/extract/textlayer"
)

func main() {
	dir := flag.String("dir", "../shared/corpus/real", "folder of PDFs")
	flag.Parse()
	files, _ := filepath.Glob(filepath.Join(*dir, "*.pdf"))
	if len(files) == 0 {
		fmt.Println("limitstats: no PDFs in", *dir)
		return
	}
	tw := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "file\tpages\tops\tglyphs\trules\tforms\tpage ops\tpage glyphs\tpage rules\tpage forms\tdecoded\tlargest stream\t")
	var most textlayer.Stats
	pages := 0
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			continue
		}
		doc, err := textlayer.Read(context.Background(), data, textlayer.Options{})
		if err != nil {
			fmt.Fprintf(os.Stderr, "%s: %v\n", filepath.Base(f), err)
			continue
		}
		s := doc.Stats
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t\n", filepath.Base(f), len(doc.Pages), s.Ops, s.Glyphs, s.Rules, s.FormDraws,
			s.MaxPageOps, s.MaxPageGlyphs, s.MaxPageRules, s.MaxPageForms, s.DecodedBytes, s.MaxStreamBytes)
		pages = max(pages, len(doc.Pages))
		most = textlayer.Stats{
			Ops: max(most.Ops, s.Ops), Glyphs: max(most.Glyphs, s.Glyphs), Rules: max(most.Rules, s.Rules), FormDraws: max(most.FormDraws, s.FormDraws),
			MaxPageOps: max(most.MaxPageOps, s.MaxPageOps), MaxPageGlyphs: max(most.MaxPageGlyphs, s.MaxPageGlyphs),
			MaxPageRules: max(most.MaxPageRules, s.MaxPageRules), MaxPageForms: max(most.MaxPageForms, s.MaxPageForms),
			DecodedBytes: max(most.DecodedBytes, s.DecodedBytes), MaxStreamBytes: max(most.MaxStreamBytes, s.MaxStreamBytes),
		}
	}
	s := most
	fmt.Fprintf(tw, "most\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t\n", pages, s.Ops, s.Glyphs, s.Rules, s.FormDraws,
		s.MaxPageOps, s.MaxPageGlyphs, s.MaxPageRules, s.MaxPageForms, s.DecodedBytes, s.MaxStreamBytes)
	tw.Flush()
}
