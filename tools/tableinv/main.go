// Command tableinv counts, per file of the real corpus, the table
// invariants that fail (the table rules of package check: 收支总表 balance,
// row sums, 类=Σ款 / 合计=Σ类, "三公" sums) and the symptoms of known
// column and row misreads (issue 9), so that a change to the table model
// can be judged file by file against the invariants, before and after.
//
//	go run ./tools/tableinv -corpus /work/shared/corpus [-files 48,49] [-v]
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"text/tabwriter"

	"yusuan"
	"yusuan/check"
	"yusuan/extract"
	"yusuan/vocab"
)

// tableRules are the rules that look at one table at a time: their
// failures are the table model's invariants.
var tableRules = []string{"summary.balance", "row.sum", "hierarchy.sum", "three_public.sum"}

func main() {
	corpus := flag.String("corpus", "../shared/corpus", "corpus folder (with real/)")
	only := flag.String("files", "", "comma-separated file number prefixes (48,49) to limit the run")
	verbose := flag.Bool("v", false, "print each failing finding and each symptom")
	flag.Parse()
	files, err := filepath.Glob(filepath.Join(*corpus, "real", "*.pdf"))
	if err != nil || len(files) == 0 {
		slog.Error("no corpus files", "dir", *corpus, "err", err)
		os.Exit(1)
	}
	if *only != "" {
		var keep []string
		for _, f := range files {
			for _, p := range strings.Split(*only, ",") {
				if strings.HasPrefix(filepath.Base(f), p+"_") {
					keep = append(keep, f)
				}
			}
		}
		files = keep
	}
	tw := tabwriter.NewWriter(os.Stdout, 0, 0, 1, ' ', tabwriter.AlignRight)
	head := append([]string{"file", "tables"}, tableRules...)
	head = append(head, symptomNames...)
	fmt.Fprintln(tw, strings.Join(head, "\t")+"\t")
	sum := make([]int, len(tableRules)+len(symptomNames))
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			slog.Error("read", "file", f, "err", err)
			continue
		}
		doc := extract.Extract(context.Background(), data, filepath.Base(f), extract.Options{})
		counts := map[string]int{}
		for _, fd := range check.CheckDocument(doc, check.Options{Rules: tableRules}) {
			if fd.Severity == yusuan.SeverityInfo {
				continue // rounding
			}
			counts[fd.Rule]++
			if *verbose {
				fmt.Printf("%s %s %s: %s\n", filepath.Base(f)[:2], fd.Severity, fd.Rule, fd.Message)
			}
		}
		sym := symptoms(doc, func(s string) {
			if *verbose {
				fmt.Printf("%s %s\n", filepath.Base(f)[:2], s)
			}
		})
		row := []string{shortName(f), fmt.Sprint(len(doc.Tables))}
		for i, r := range tableRules {
			row = append(row, fmt.Sprint(counts[r]))
			sum[i] += counts[r]
		}
		for i, n := range sym {
			row = append(row, fmt.Sprint(n))
			sum[len(tableRules)+i] += n
		}
		fmt.Fprintln(tw, strings.Join(row, "\t")+"\t")
	}
	row := []string{"total", ""}
	for _, n := range sum {
		row = append(row, fmt.Sprint(n))
	}
	fmt.Fprintln(tw, strings.Join(row, "\t")+"\t")
	tw.Flush()
}

func shortName(f string) string {
	b := strings.TrimSuffix(filepath.Base(f), ".pdf")
	if len(b) > 40 {
		b = b[:40]
	}
	return b
}

// symptomNames are the misreads of issue 9 that show without a truth:
//   - orphan: a functional code printed without its parents (01, 0501) or a
//     name starting with code digits (208 05行政单位离退休, 2205 where the
//     line number ran into the code);
//   - fragkey: a column key that is a printed fragment, not a known key;
//   - noside: a row of a two-sided table without a side;
//   - name2: a row whose only name is in name2;
//   - fragrow: a row with a name but no code and no amount in a table whose
//     other rows print amounts (a piece of a wrapped name, or an item
//     printed without figures);
//   - repeat: a name repeating a total word (支出总计支出总计).
var symptomNames = []string{"orphan", "fragkey", "noside", "name2", "fragrow", "repeat"}

var (
	digitsName = regexp.MustCompile(`^\d{2,3}(\s+\d{2})+`)
	knownKey   = regexp.MustCompile(`^(?:[a-z_]+(?:_\d+)?|col\d+|col[a-z])$`)
	repeatRe   = regexp.MustCompile(`(合计|总计|小计).*(合计|总计|小计)`)
)

func symptoms(doc *yusuan.Document, say func(string)) []int {
	n := make([]int, len(symptomNames))
	for _, t := range doc.Tables {
		if vocab.IsFreeForm(t.Kind) {
			continue
		}
		valued := 0
		for _, r := range t.Rows {
			if hasValue(r) {
				valued++
			}
		}
		for _, c := range t.Columns {
			if !knownKey.MatchString(c) {
				n[1]++
				say(fmt.Sprintf("fragkey %s p%v: %q", t.Kind, t.Pages, c))
			}
		}
		for _, r := range t.Rows {
			code := r.CodeString()
			if len(code) == 2 || len(code) == 4 || digitsName.MatchString(r.Name) || len(code) > 7 {
				n[0]++
				say(fmt.Sprintf("orphan %s p%d: %q %q", t.Kind, r.Page, code, r.Name))
			}
			if vocab.IsTwoSided(t.Kind) && r.Side == "" {
				n[2]++
				say(fmt.Sprintf("noside %s p%d: %q", t.Kind, r.Page, r.Name))
			}
			if r.Name == "" && r.Name2 != "" {
				n[3]++
				say(fmt.Sprintf("name2 %s p%d: %q %q", t.Kind, r.Page, code, r.Name2))
			}
			if !vocab.IsTwoSided(t.Kind) && 2*valued > len(t.Rows) && r.Code == nil && r.EconCode == "" && r.Name != "" && !hasValue(r) {
				n[4]++
				say(fmt.Sprintf("fragrow %s p%d: %q", t.Kind, r.Page, r.Name))
			}
			if repeatRe.MatchString(strings.Join(strings.Fields(r.Name), "")) {
				n[5]++
				say(fmt.Sprintf("repeat %s p%d: %q", t.Kind, r.Page, r.Name))
			}
		}
	}
	return n
}

func hasValue(r yusuan.Row) bool {
	for _, v := range r.Values {
		if !v.IsNull() {
			return true
		}
	}
	return false
}
