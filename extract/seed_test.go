package extract

import (
	"context"
	"strings"
	"testing"

	"yusuan"
	"yusuan/extract/layout"
	"yusuan/fixtures/synth"
	"yusuan/fixtures/synth/render"
)

// TestSeedDocument extracts a PDF rendered from the seed disclosure's text
// (阳泉市生态环境局城区分局 2026年度单位预算) in every producer style and checks
// the figures the seed prints.
func TestSeedDocument(t *testing.T) {
	for _, style := range render.Styles() {
		t.Run(string(rune('A'+int(style.Font))), func(t *testing.T) {
			pdf, err := render.Render(synth.Seed(), style)
			if err != nil {
				t.Fatal(err)
			}
			doc := Extract(context.Background(), pdf, "seed.pdf", Options{})
			if doc.Error != "" {
				t.Fatal(doc.Error)
			}
			if doc.Meta.Entity != "阳泉市生态环境局城区分局" || doc.Meta.Year != 2026 || doc.Meta.Scope != yusuan.ScopeUnit || doc.Meta.Kind != yusuan.KindBudget {
				t.Errorf("meta %+v", doc.Meta)
			}
			byKind := map[yusuan.TableKind]yusuan.Table{}
			for _, tb := range doc.Tables {
				if _, dup := byKind[tb.Kind]; !dup {
					byKind[tb.Kind] = tb
				}
			}
			total := func(kind yusuan.TableKind, col string) string {
				for _, r := range byKind[kind].Rows {
					if r.Name == "合计" || r.Name == "总计" {
						return r.Values[col].String()
					}
				}
				return ""
			}
			for _, c := range []struct {
				kind      yusuan.TableKind
				col, want string
			}{
				{yusuan.ExpenditureSummary, "total", "108.22"},
				{yusuan.ExpenditureSummary, "basic", "97.42"},
				{yusuan.ExpenditureSummary, "project", "10.80"},
				{yusuan.GeneralBudgetBasicByEconomic, "total", "97.42"},
				{yusuan.GeneralBudgetBasicByEconomic, "personnel", "85.21"},
				{yusuan.GeneralBudgetBasicByEconomic, "public", "12.21"},
			} {
				if got := total(c.kind, c.col); got != c.want {
					t.Errorf("%s 合计 %s = %q, want %s", c.kind, c.col, got, c.want)
				}
			}
			var wage string
			for _, r := range byKind[yusuan.GeneralBudgetBasicByEconomic].Rows {
				if r.Name == "工资福利支出" || r.EconName == "工资福利支出" {
					wage = r.Values["total"].String()
				}
			}
			if wage != "75.95" {
				t.Errorf("工资福利支出 %q, want 75.95", wage)
			}
			empty := 0
			for _, tb := range doc.Tables {
				if tb.Empty {
					empty++
				}
			}
			if empty != 5 {
				t.Errorf("%d empty tables, want 5", empty)
			}
			for key, want := range map[string]string{
				"total_income": "108.22", "yoy_change": "-12.70", "yoy_change_pct": "-10.50",
				"basic": "97.42", "basic_pct": "90.02", "project": "10.8", "project_pct": "9.98",
				"personnel": "85.21", "public": "12.21", "admin_operating": "12.21", "admin_operating_prev": "13.35",
				"three_public": "0", "performance_amount": "10.80",
			} {
				if got := doc.Facts[key].String(); got != want {
					t.Errorf("fact %s = %q, want %s", key, got, want)
				}
			}
			// Each figure the narrative states is placed on its page: the
			// characters inside its box are the figure as printed.
			txt, err := ReadText(context.Background(), pdf, Options{})
			if txt == nil {
				t.Fatal(err)
			}
			for key, want := range map[string]string{"total_income": "108.22", "yoy_change": "12.70", "yoy_change_pct": "10.50", "basic": "97.42", "personnel": "85.21"} {
				var src *yusuan.FactSource
				for i := range doc.Sources {
					if doc.Sources[i].Key == key {
						src = &doc.Sources[i]
					}
				}
				switch {
				case src == nil:
					t.Errorf("fact %s: no source", key)
				case src.BBox == nil:
					t.Errorf("fact %s: figure %q not placed on page %d", key, src.Figure, src.Page)
				case src.Figure != want:
					t.Errorf("fact %s: figure %q, want %q", key, src.Figure, want)
				default:
					if got := textInBox(txt.Pages[src.Page-1], *src.BBox); got != want {
						t.Errorf("fact %s: box %v on page %d holds %q, want %q", key, *src.BBox, src.Page, got, want)
					}
				}
			}
		})
	}
}

// textInBox is the text of the characters whose middle lies in box.
func textInBox(p layout.Page, box yusuan.Rect) string {
	var b strings.Builder
	for _, l := range p.Lines {
		for _, seg := range l.Segments {
			y := (seg.Y0 + seg.Y1) / 2
			for i, r := range []rune(seg.Text) {
				if i >= len(seg.Xs) {
					break
				}
				x1 := seg.X1
				if i+1 < len(seg.Xs) {
					x1 = seg.Xs[i+1]
				}
				if x := (seg.Xs[i] + x1) / 2; x >= box[0] && x <= box[2] && y >= box[1] && y <= box[3] && r != ' ' {
					b.WriteRune(r)
				}
			}
		}
	}
	return b.String()
}
