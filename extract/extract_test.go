package extract

import (
	"context"
	"sort"
	"strings"
	"testing"

	"yusuan"
	"yusuan/fixtures/synth"
	"yusuan/fixtures/synth/render"
)

// tablePrint lists text a document prints only in its tables: titles and
// header rows and pairs of adjacent header cells (科目编码科目名称).
func tablePrint(pd *synth.PrintedDoc) []string {
	var out []string
	for _, t := range pd.Tables {
		out = append(out, squeezeAll(t.Title))
		for _, row := range t.Header {
			cells := append([]synth.HeaderCell(nil), row...)
			sort.Slice(cells, func(i, j int) bool { return cells[i].Col < cells[j].Col })
			all := ""
			for i := range cells {
				all += cells[i].Text
				// Short pairs (收入支出, 项目金额) are words of prose too.
				if i > 0 {
					if s := squeezeAll(cells[i-1].Text + cells[i].Text); len([]rune(s)) >= 7 {
						out = append(out, s)
					}
				}
			}
			if len(cells) > 2 {
				out = append(out, squeezeAll(all))
			}
		}
	}
	return out
}

func squeezeAll(s string) string {
	return strings.Join(strings.Fields(strings.ReplaceAll(s, "\u3000", " ")), "")
}

// knownMissing lists the facts the narrative parser (extract/narrative)
// does not read yet from the synthetic wording: a zero stated as 上年无…预算
// or 本单位无…, and the final accounts' 收、支总计各增加…, 年初结转和结余,
// 上年为…, 政府采购支出总额. They are logged, not failed; any other fact
// must be read and equal the truth.
var knownMissing = map[yusuan.DocKind]map[string]bool{
	yusuan.KindBudget: {"three_public_prev": true, "admin_operating": true},
	yusuan.KindFinalAccount: {"yoy_change": true, "yoy_change_pct": true, "carryover_income": true,
		"admin_operating_prev": true, "procurement_total": true, "admin_operating": true},
}

// TestNarrativeWithoutTables extracts rendered synthetic disclosures and
// checks that no table title or header row leaks into the narrative, that
// no narrative sentence becomes a table row, and that the narrative facts
// equal the truth.
func TestNarrativeWithoutTables(t *testing.T) {
	docs := []*synth.PrintedDoc{synth.Seed()}
	corpus := synth.Corpus(7, 1)
	docs = append(docs, corpus[0], corpus[len(corpus)-1])
	final := synth.FinalCorpus(11, 1)
	docs = append(docs, final[0], final[len(final)-1])
	styles := render.Styles()
	for i, pd := range docs {
		st := styles[i%len(styles)]
		t.Run(pd.Doc.File, func(t *testing.T) {
			data, truth, err := render.RenderTruth(pd, st)
			if err != nil {
				t.Fatal(err)
			}
			doc := Extract(context.Background(), data, pd.Doc.File, Options{})
			if doc.Error != "" {
				t.Fatal(doc.Error)
			}
			printed := tablePrint(pd)
			for _, s := range doc.Narrative {
				text := squeezeAll(s.Heading + s.Text)
				for _, p := range printed {
					if strings.Contains(text, p) {
						t.Errorf("section %q (page %d) holds table text %q", s.Heading, s.Page, p)
					}
				}
			}
			for _, tb := range doc.Tables {
				for _, r := range tb.Rows {
					if n := []rune(r.Name); len(n) >= 20 && strings.ContainsAny(r.Name, "，。；") {
						t.Errorf("%s row on page %d is a sentence: %q", tb.Kind, r.Page, r.Name)
					}
				}
			}
			for k, want := range truth.Facts {
				got, ok := doc.Facts[k]
				if !ok {
					if knownMissing[pd.Doc.Meta.Kind][k] {
						t.Logf("fact %s missing (known gap of the narrative parser), want %s", k, want)
					} else {
						t.Errorf("fact %s missing, want %s", k, want)
					}
					continue
				}
				if !got.Equal(want) {
					t.Errorf("fact %s = %s, want %s", k, got, want)
				}
			}
			for k, v := range doc.Facts {
				if _, ok := truth.Facts[k]; !ok {
					t.Logf("fact %s = %s not in the truth", k, v)
				}
			}
		})
	}
}
