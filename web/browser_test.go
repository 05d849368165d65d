package web

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// chromium finds a Chromium or Chrome binary: YUSUAN_CHROMIUM, else the
// usual names on the PATH.
func chromium() string {
	if p := os.Getenv("YUSUAN_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// outline is what the browser measured of one highlight: its title, its
// box, where each occurrence of the figure's printed text whose centre lies
// inside it is drawn, and the text drawn to its left on the same line (the
// row's name and what precedes it), in the SVG's user space. Glyphs are
// measured one by one (getExtentOfChar): a text element is a segment of a
// line, which may hold more than one cell.
type outline struct {
	Title  string
	Rect   [4]float64
	Inside [][4]float64
	Left   string
}

const measureOutlines = `((figures) => {
  const out = [];
  for (const svg of document.querySelectorAll('.crop svg, .svgwrap svg')) {
    const texts = [...svg.querySelectorAll('g.text text')];
    for (const r of svg.querySelectorAll('g.highlights rect')) {
      const rb = r.getBBox();
      const title = r.querySelector('title').textContent;
      const figure = figures[title.split(' ')[0]];
      const inside = [];
      const left = [];
      for (const t of texts) {
        const s = t.textContent;
        const chars = [...s];
        for (let i = 0; i < chars.length; i++) {
          const e = t.getExtentOfChar(i);
          const cy = e.y + e.height / 2;
          if (Math.abs(cy - (rb.y + rb.height / 2)) < rb.height / 2 && e.x + e.width <= rb.x) {
            left.push({x: e.x, c: chars[i]});
          }
        }
        for (let at = s.indexOf(figure); at >= 0; at = s.indexOf(figure, at + 1)) {
          const i0 = [...s.slice(0, at)].length, n = [...figure].length;
          const a = t.getExtentOfChar(i0), b = t.getExtentOfChar(i0 + n - 1);
          const box = [a.x, Math.min(a.y, b.y), b.x + b.width - a.x, Math.max(a.height, b.height)];
          const cx = box[0] + box[2] / 2, cy = box[1] + box[3] / 2;
          if (cx >= rb.x && cx <= rb.x + rb.width && cy >= rb.y && cy <= rb.y + rb.height) {
            inside.push(box);
          }
        }
      }
      left.sort((p, q) => p.x - q.x);
      out.push({Title: title, Rect: [rb.x, rb.y, rb.width, rb.height], Inside: inside, Left: left.map(p => p.c).join('')});
    }
  }
  return out;
})(%s)`

// TestBrowser opens the UI in headless Chromium: the outlines of a
// finding's evidence lie over the figures it compares (measured with
// getBBox in the browser), the verdict form stores a verdict, and the
// overview, a finding (laptop and phone) and a document are saved as
// screenshots under YUSUAN_SCREENSHOTS (default: a temporary directory).
func TestBrowser(t *testing.T) {
	exe := chromium()
	if exe == "" {
		t.Skip("no chromium found (set YUSUAN_CHROMIUM)")
	}
	if testing.Short() {
		t.Skip("starts a browser")
	}
	f := getFixture(t)
	st := openStore(t, copyFixture(t))
	_, ts := newTestServer(t, st, Options{})
	shots := os.Getenv("YUSUAN_SCREENSHOTS")
	if shots == "" {
		shots = t.TempDir()
	} else if err := os.MkdirAll(shots, 0o755); err != nil {
		t.Fatal(err)
	}
	opts := []chromedp.ExecAllocatorOption{chromedp.ExecPath(exe), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.NoFirstRun, chromedp.NoDefaultBrowserCheck, chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(1280, 900),
		chromedp.Flag("disable-quic", true), chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true)}
	actx, cancelAlloc := chromedp.NewExecAllocator(t.Context(), opts...)
	defer cancelAlloc()
	ctx, cancel := chromedp.NewContext(actx)
	defer cancel()
	// A bound against a hung browser, not a measure of speed.
	ctx, cancelTimeout := context.WithTimeout(ctx, 3*time.Minute)
	defer cancelTimeout()

	shot := func(name string) {
		t.Helper()
		png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
		if err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(shots, name)
		if err := os.WriteFile(path, png, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("screenshot %s", path)
	}
	open := func(path, ready string) {
		t.Helper()
		if err := chromedp.Do(ctx, chromedp.Navigate(ts.URL+path), chromedp.WaitVisible(chromedp.CSS(ready))); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
	}
	open("/", "h1")
	shot("overview.png")

	open("/findings/"+f.balance, ".svgwrap svg g.highlights rect")
	figures, _ := json.Marshal(map[string]string{"actual": f.evText, "expected": f.expText})
	outlines, err := chromedp.Run(ctx, chromedp.Evaluate[[]outline](fmt.Sprintf(measureOutlines, figures)))
	if err != nil {
		t.Fatal(err)
	}
	shot("finding.png")
	if len(outlines) != 4 { // two cells, in the crop and on the whole page
		t.Fatalf("%d outlines, want 4: %+v", len(outlines), outlines)
	}
	for _, o := range outlines {
		role, row, text := "actual", "收入总计", f.evText
		if strings.HasPrefix(o.Title, "expected") {
			role, row, text = "expected", "支出总计", f.expText
		}
		if !strings.HasPrefix(o.Title, role+" ") {
			t.Errorf("outline titled %q", o.Title)
		}
		// The figure, once, inside the outline.
		if len(o.Inside) != 1 {
			t.Errorf("%s: %d drawings of %q inside the outline %v, want 1", o.Title, len(o.Inside), text, o.Rect)
			continue
		}
		b, r := o.Inside[0], o.Rect
		if b[0] < r[0]-0.5 || b[0]+b[2] > r[0]+r[2]+0.5 {
			t.Errorf("%s: the figure %v sticks out of the outline %v", o.Title, b, r)
		}
		// On the row the finding names: the nearest name to its left.
		if !strings.HasSuffix(o.Left, row) {
			t.Errorf("%s: the outlined figure is not on the row %s (left of it: %q)", o.Title, row, o.Left)
		}
	}

	// The phone layout of the same page.
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile), chromedp.Reload(),
		chromedp.WaitVisible(chromedp.CSS("h1"))); err != nil {
		t.Fatal(err)
	}
	shot("finding-phone.png")
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1280, 900)); err != nil {
		t.Fatal(err)
	}

	// A verdict through the form, as an analyst gives it.
	open("/findings/"+f.balance, "form.verdict-form")
	err = chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`input[name="verdict"][value="explained"]`)),
		chromedp.SendKeys(chromedp.CSS(`textarea[name="note"]`), "文件第5页说明了差异"))
	if err != nil {
		t.Fatal(err)
	}
	resp, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(`form.verdict-form button[type="submit"]`)))
	if err != nil {
		t.Fatal(err)
	}
	saved, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("p.ok")))
	if err != nil {
		t.Fatal(err)
	}
	if resp.Status != 200 || saved != "Verdict saved." || !strings.HasSuffix(resp.URL, "/findings/"+f.balance+"?saved=1") {
		t.Errorf("after the form: %d %s %q", resp.Status, resp.URL, saved)
	}
	vs, err := st.Verdicts(t.Context(), f.balance)
	if err != nil {
		t.Fatal(err)
	}
	if len(vs) != 1 || vs[0].Verdict.Verdict != "explained" || vs[0].Note != "文件第5页说明了差异" || vs[0].By != "测试员" {
		t.Fatalf("stored verdicts %+v", vs)
	}
	got, err := st.Finding(t.Context(), f.balance)
	if err != nil || got.Verdict == nil || got.Verdict.Verdict != "explained" {
		t.Fatalf("the finding's verdict: %+v %v", got.Verdict, err)
	}

	open("/documents/"+f.evSHA, "section.table")
	shot("document.png")
}
