// Package fakepdf is a stand-in extractor and document generator for tests
// and benchmarks of ingest, store and export. Its "PDF" is a tiny made-up
// format: a %PDF- header line, one JSON Document, and a %%EOF line. It fails
// like the real extractor does: a file without the header is not a PDF, one
// without the trailer is truncated, bad JSON is damaged.
package fakepdf

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"time"

	"yusuan"
)

// Extractor parses fake PDFs. Delay slows every extraction down (for kill
// tests); a body containing PanicMarker makes it panic.
type Extractor struct {
	Ver   string
	Delay time.Duration
}

// PanicMarker in a fake file makes the Extractor panic.
const PanicMarker = "%PANIC"

// Version names the extractor.
func (e Extractor) Version() string {
	if e.Ver == "" {
		return "fake/1"
	}
	return e.Ver
}

// Extract reads one fake PDF.
func (e Extractor) Extract(ctx context.Context, data []byte, fileName string) *yusuan.Document {
	if e.Delay > 0 {
		select {
		case <-time.After(e.Delay):
		case <-ctx.Done():
		}
	}
	sum := sha256.Sum256(data)
	fail := func(reason string) *yusuan.Document {
		return &yusuan.Document{Schema: yusuan.SchemaVersion, File: filepath.Base(fileName),
			SHA256: hex.EncodeToString(sum[:]), Error: reason, Extractor: e.Version(),
			Meta:   yusuan.Meta{Scope: yusuan.ScopeUnknown, Kind: yusuan.KindUnknown},
			Tables: []yusuan.Table{}, Narrative: []yusuan.Section{}, Warnings: []string{}}
	}
	if !bytes.HasPrefix(data, []byte("%PDF-")) {
		head := data[:min(len(data), 16)]
		return fail(fmt.Sprintf("not a PDF (starts with %q)", head))
	}
	if bytes.Contains(data, []byte(PanicMarker)) {
		panic("fakepdf: asked to panic")
	}
	body := bytes.TrimSpace(data)
	if !bytes.HasSuffix(body, []byte("%%EOF")) {
		return fail("truncated: no %%EOF")
	}
	_, body, _ = bytes.Cut(body, []byte("\n"))
	body = bytes.TrimSuffix(body, []byte("%%EOF"))
	var doc yusuan.Document
	if err := json.Unmarshal(body, &doc); err != nil {
		return fail("damaged: " + err.Error())
	}
	doc.Schema = yusuan.SchemaVersion
	doc.File = filepath.Base(fileName)
	doc.SHA256 = hex.EncodeToString(sum[:])
	doc.Extractor = e.Version()
	return &doc
}

// Encode writes doc as a fake PDF.
func Encode(doc *yusuan.Document) []byte {
	j, err := json.Marshal(doc)
	if err != nil {
		panic(err)
	}
	var b bytes.Buffer
	b.WriteString("%PDF-1.7\n")
	b.Write(j)
	b.WriteString("\n%%EOF\n")
	return b.Bytes()
}

var kinds = []yusuan.TableKind{
	yusuan.IncomeExpenditureSummary, yusuan.IncomeSummary, yusuan.ExpenditureSummary, yusuan.FiscalSummary,
	yusuan.GeneralBudgetExpenditure, yusuan.GeneralBudgetBasicByEconomic, yusuan.BasicExpenditure,
	yusuan.GovFundIncome, yusuan.GovFundExpenditure, yusuan.StateCapital, yusuan.ThreePublic,
	yusuan.AdminOperating, yusuan.ProjectCurrent,
}

var rowNames = []string{"一般公共服务支出", "政府办公厅（室）及相关机构事务", "行政运行", "一般行政管理事务",
	"社会保障和就业支出", "行政事业单位养老支出", "机关事业单位基本养老保险缴费支出", "卫生健康支出",
	"行政事业单位医疗", "节能环保支出", "环境保护管理事务", "住房保障支出", "住房公积金"}

// Document generates a realistic document: 13 tables of about 24 cells
// each (≈300 cells), bounding boxes, narrative and facts. The same seed
// gives the same document.
func Document(seed int) *yusuan.Document {
	r := rand.New(rand.NewPCG(uint64(seed), 42))
	year := 2024 + seed%3
	entity := fmt.Sprintf("测试市第%d局", seed%50)
	doc := &yusuan.Document{
		Schema: yusuan.SchemaVersion, Pages: 22, Producer: "LibreOffice 7.4", TextLayer: true,
		Meta: yusuan.Meta{Title: fmt.Sprintf("%s%d年度单位预算公开", entity, year), Entity: entity,
			Scope: yusuan.ScopeUnit, Kind: yusuan.KindBudget, Year: year},
		Facts:    yusuan.Facts{},
		Warnings: []string{},
	}
	if seed%7 == 0 {
		doc.Warnings = append(doc.Warnings, "page 16: table 项目支出绩效目标表 not mapped to a known kind")
	}
	amount := func(places int) yusuan.Amount {
		switch r.IntN(12) {
		case 0:
			return yusuan.Null
		case 1:
			return yusuan.MustAmount("0." + strings.Repeat("0", places))
		}
		v := r.Int64N(100_000_000) // up to 1,000,000.00 万元
		s := fmt.Sprintf("%d.%0*d", v/100, 2, v%100)
		if places == 6 {
			s += fmt.Sprintf("%04d", r.IntN(10000))
		}
		return yusuan.MustAmount(s)
	}
	for ti, kind := range kinds {
		cols := []string{"total", "basic", "project"}
		unit := string(yusuan.WanYuan)
		places := 2
		if ti == 10 {
			unit = string(yusuan.Yuan)
		}
		if ti == 12 {
			places = 6 // some templates print 万元 with six decimals
		}
		page := 3 + ti
		t := yusuan.Table{Kind: kind, Label: fmt.Sprintf("预算公开表%d", ti+1),
			Title: fmt.Sprintf("%d年%s", year, kind), Pages: []int{page}, Unit: unit, Columns: cols,
			Headers: map[string]string{"total": "合计", "basic": "基本支出", "project": "项目支出"}}
		n := 8
		y := 700.0
		for ri := 0; ri < n; ri++ {
			row := yusuan.Row{Name: rowNames[(ri+ti)%len(rowNames)], Page: page, Values: map[string]yusuan.Amount{}}
			if ri == 0 {
				row.Name = "合计"
			} else {
				code := fmt.Sprintf("%03d", 201+ri)
				if ri%3 != 1 {
					code += fmt.Sprintf("%02d", ri)
					row.Level = 2
				} else {
					row.Level = 1
				}
				row.Code = &code
			}
			if kind == yusuan.IncomeExpenditureSummary {
				row.Side = yusuan.SideExpenditure
			}
			bb := yusuan.Rect{56.7, y - 14.2, 538.6, y}
			row.BBox = &bb
			row.Boxes = map[string]yusuan.Rect{}
			for ci, c := range cols {
				a := amount(places)
				row.Values[c] = a
				row.Boxes[c] = yusuan.Rect{300 + 80*float64(ci), y - 12.5, 370 + 80*float64(ci), y - 2.25}
				if !a.IsNull() && a.Decimal().Abs().IntPart() >= 1000 {
					if row.Raw == nil {
						row.Raw = map[string]string{}
					}
					row.Raw[c] = withCommas(a.String())
				} else if a.IsNull() && ri%2 == 0 {
					if row.Raw == nil {
						row.Raw = map[string]string{}
					}
					row.Raw[c] = "—"
				}
			}
			y -= 18
			t.Rows = append(t.Rows, row)
		}
		doc.Tables = append(doc.Tables, t)
	}
	for i := range 5 {
		doc.Narrative = append(doc.Narrative, yusuan.Section{
			Heading: fmt.Sprintf("%d、单位预算收支数据变动情况及原因", i+1),
			Text:    strings.Repeat(fmt.Sprintf("%d年度%s收入预算%d万元，比上年减少12.70万元，主要原因是人员变动。", year, entity, seed), 4),
			Page:    18 + i,
		})
	}
	for _, k := range []string{"total_income", "total_expenditure", "yoy_change", "yoy_change_pct", "basic", "project", "three_public"} {
		a := amount(2)
		if a.IsNull() {
			a = yusuan.MustAmount("0.00")
		}
		doc.Facts[k] = a
		doc.Sources = append(doc.Sources, yusuan.FactSource{Key: k, Value: a, Page: 18,
			Sentence: fmt.Sprintf("%s为%s万元。", k, a)})
	}
	return doc
}

func withCommas(s string) string {
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	intPart, frac, hasFrac := strings.Cut(s, ".")
	var b strings.Builder
	for i, c := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	out := b.String()
	if hasFrac {
		out += "." + frac
	}
	if neg {
		out = "-" + out
	}
	return out
}

// File generates the fake PDF bytes of Document(seed).
func File(seed int) []byte { return Encode(Document(seed)) }
