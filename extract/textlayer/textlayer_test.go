package textlayer

import (
	"context"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"yusuan/extract/pdfobj"
)

const fixtureDir = "../../fixtures/testdata/pdf"

// truth is what fixtures/cmd/genpdf records about each fixture it draws.
type truth struct {
	File  string `json:"file"`
	Pages []struct {
		Number  int        `json:"number"`
		CropBox [4]float64 `json:"crop_box"`
		Rotate  int        `json:"rotate"`
		Images  int        `json:"images"`
		Runs    []struct {
			Text   string  `json:"text"`
			Size   float64 `json:"size"`
			X      float64 `json:"x"`
			Y      float64 `json:"y"`
			EndX   float64 `json:"end_x"`
			EndY   float64 `json:"end_y"`
			InCrop string  `json:"in_crop"`
			Render int     `json:"render_mode"`
		} `json:"runs"`
	} `json:"pages"`
	OwnerPassword string `json:"owner_password"`
	UserPassword  string `json:"user_password"`
}

func loadTruth(t *testing.T, name string) truth {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(fixtureDir, name+".truth.json"))
	if err != nil {
		t.Fatal(err)
	}
	var tr truth
	if err := json.Unmarshal(b, &tr); err != nil {
		t.Fatal(err)
	}
	return tr
}

func readFixture(t *testing.T, name string) *Document {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(fixtureDir, name+".pdf"))
	if err != nil {
		t.Fatal(err)
	}
	doc, err := Read(context.Background(), data, Options{})
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return doc
}

// toDisplay maps a user-space point to display space as the spec defines
// /Rotate (clockwise), written independently of the walker.
func toDisplay(x, y float64, crop [4]float64, rotate int) (float64, float64) {
	u, v := x-crop[0], y-crop[1]
	w, h := crop[2]-crop[0], crop[3]-crop[1]
	switch rotate {
	case 90:
		return v, w - u
	case 180:
		return w - u, h - v
	case 270:
		return h - v, u
	}
	return u, v
}

func near(a, b float64) bool { return math.Abs(a-b) < 0.01 }

// TestGlyphPositions checks every drawn run of every fixture: its exact text
// and the position of its first glyph and of its end, per encoding family.
func TestGlyphPositions(t *testing.T) {
	for _, name := range []string{
		"simple_truetype_tounicode", "type0_identityh_tounicode", "stsong_unigb_ucs2", "gbk_euc_h",
		"form_xobject", "aes128_owner", "rc4_128_owner", "rc4_40_owner", "rc4_v4_owner", "aes256_owner", "text_state", "rotated_page", "rotated_text",
		"offpage_text", "fake_bold", "ruling_lines", "inline_image",
	} {
		t.Run(name, func(t *testing.T) {
			tr := loadTruth(t, name)
			doc := readFixture(t, name)
			if len(doc.Pages) != len(tr.Pages) {
				t.Fatalf("pages: got %d, want %d", len(doc.Pages), len(tr.Pages))
			}
			for pi, tp := range tr.Pages {
				glyphs := doc.Pages[pi].Glyphs
				k := 0
				for _, run := range tp.Runs {
					want := strings.ReplaceAll(run.Text, " ", "")
					var got strings.Builder
					first := -1
					for k < len(glyphs) && got.Len() < len(want) {
						if glyphs[k].Text != " " {
							if first < 0 {
								first = k
							}
							got.WriteString(glyphs[k].Text)
						}
						k++
					}
					if got.String() != want {
						t.Fatalf("page %d: run %q: glyphs read %q", tp.Number, run.Text, got.String())
					}
					g, last := glyphs[first], glyphs[k-1]
					wx, wy := toDisplay(run.X, run.Y, tp.CropBox, tp.Rotate)
					if !near(g.X, wx) || !near(g.Y, wy) {
						t.Errorf("page %d: %q starts at (%.3f, %.3f), want (%.3f, %.3f)", tp.Number, run.Text, g.X, g.Y, wx, wy)
					}
					if !near(g.Size, run.Size) {
						t.Errorf("page %d: %q size %.3f, want %.3f", tp.Number, run.Text, g.Size, run.Size)
					}
					ex, ey := toDisplay(run.EndX, run.EndY, tp.CropBox, tp.Rotate)
					dx, dy := map[Dir][2]float64{LeftToRight: {1, 0}, BottomToTop: {0, 1}, RightToLeft: {-1, 0}, TopToBottom: {0, -1}}[last.Dir][0], map[Dir][2]float64{LeftToRight: {1, 0}, BottomToTop: {0, 1}, RightToLeft: {-1, 0}, TopToBottom: {0, -1}}[last.Dir][1]
					gx, gy := last.X+dx*last.Adv, last.Y+dy*last.Adv
					// The truth's end is the pen position after the run, which
					// includes the character spacing (Tc) after the last glyph;
					// text_state sets Tc of at most 2 pt.
					slack := 0.01
					if name == "text_state" {
						slack = 2.01
					}
					if math.Abs(gx-ex) > slack || math.Abs(gy-ey) > slack {
						t.Errorf("page %d: %q ends at (%.3f, %.3f), want (%.3f, %.3f)", tp.Number, run.Text, gx, gy, ex, ey)
					}
					if run.Render != 0 && int(g.Render) != run.Render {
						t.Errorf("page %d: %q render mode %d, want %d", tp.Number, run.Text, g.Render, run.Render)
					}
				}
				if rest := glyphs[k:]; len(rest) > 0 {
					t.Errorf("page %d: %d glyphs beyond the truth, first %q", tp.Number, len(rest), rest[0].Text)
				}
			}
		})
	}
}

func TestRules(t *testing.T) {
	doc := readFixture(t, "ruling_lines")
	var h, v int
	for _, r := range doc.Pages[0].Rules {
		if r.Horizontal() {
			h++
		} else {
			v++
		}
	}
	if h < 4 || v < 3 {
		t.Errorf("ruling lines: %d horizontal, %d vertical; want a grid of at least 4 and 3", h, v)
	}
}

func TestImageOnly(t *testing.T) {
	doc := readFixture(t, "image_only")
	if len(doc.Pages) != 1 || len(doc.Pages[0].Glyphs) != 0 || doc.Pages[0].Images != 1 {
		t.Fatalf("image-only page: %d pages, glyphs/images %+v", len(doc.Pages), doc.Pages)
	}
}

func TestUserPassword(t *testing.T) {
	for _, name := range []string{"user_password.pdf", "aes256_user.pdf"} {
		data, err := os.ReadFile(filepath.Join(fixtureDir, name))
		if err != nil {
			t.Fatal(err)
		}
		_, err = Read(context.Background(), data, Options{})
		if err == nil || !strings.Contains(err.Error(), "user password") {
			t.Fatalf("%s: got %v, want an error saying it needs a user password", name, err)
		}
		if !errorsIs(err, pdfobj.ErrNeedPassword) {
			t.Errorf("%s: error %v does not wrap ErrNeedPassword", name, err)
		}
	}
}

func FuzzRead(f *testing.F) {
	for _, name := range []string{"simple_truetype_tounicode", "type0_identityh_tounicode", "form_xobject", "text_state"} {
		if b, err := os.ReadFile(filepath.Join(fixtureDir, name+".pdf")); err == nil {
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		ctx, cancel := context.WithTimeout(context.Background(), 2e9)
		defer cancel()
		_, _ = Read(ctx, data, Options{})
	})
}
