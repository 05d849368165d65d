package extract

import (
	"context"
	"strings"
	"testing"

	"yusuan/extract/textlayer"
)

// A text layer that does not read — glyphs from fonts that map nothing, or
// mapped to the wrong characters — is judged so rather than read into
// misread tables; a few wrong characters among Chinese mark it as partly
// garbled; Greek and ASCII among Chinese are what disclosures print.
func TestTextReadability(t *testing.T) {
	page := func(texts ...string) textlayer.Page {
		p := textlayer.Page{Number: 1, Width: 600, Height: 800, Fonts: []string{"SimSun"}}
		for i, s := range texts {
			for k, r := range []rune(s) {
				p.Glyphs = append(p.Glyphs, textlayer.Glyph{Text: string(r), X: 50 + float64(10*k), Y: 700 - float64(14*i), Adv: 10, Size: 10})
			}
		}
		return p
	}
	han := strings.Repeat("一般公共预算财政拨款收入", 30) // 360 Han characters
	cases := []struct {
		name       string
		doc        textlayer.Document
		unreadable bool
		garbled    int
	}{
		{"fonts that map nothing", textlayer.Document{Pages: []textlayer.Page{page(strings.Repeat("\uFFFD", 300))},
			Stats: textlayer.Stats{Glyphs: 300, GuessedGlyphs: 300}}, true, 0},
		{"CID codes read as Latin-1", textlayer.Document{Pages: []textlayer.Page{page(strings.Repeat("ó]1þÿÿ¯Îgç", 40), "收支")},
			Stats: textlayer.Stats{Glyphs: 402}}, true, 0},
		{"Chinese with some wrong characters", textlayer.Document{Pages: []textlayer.Page{page(han, "w他资本性支出þÿÓÕÖØÙÚÛÜÝ")},
			Stats: textlayer.Stats{Glyphs: 380}}, false, 11},
		{"Chinese, ASCII and Greek", textlayer.Document{Pages: []textlayer.Page{page(han, "X-γ剂量率 PC服务器 C0808")},
			Stats: textlayer.Stats{Glyphs: 385}}, false, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			txt := newText(context.Background(), &c.doc)
			if txt.Unreadable != c.unreadable || txt.Garbled != c.garbled {
				t.Errorf("unreadable %v garbled %d, want %v %d (%v)", txt.Unreadable, txt.Garbled, c.unreadable, c.garbled, txt.Warnings)
			}
		})
	}
}
