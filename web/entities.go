package web

import (
	"cmp"
	"context"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"

	"yusuan"
	"yusuan/store"
)

// keyFigure is one of the figures an entity page follows across years:
// where a table prints it (the kinds, the side of a two-sided table, the
// printed names of its total line, the columns in order of preference)
// and the narrative fact that states it.
type keyFigure struct {
	Name  string
	Kinds []yusuan.TableKind
	Side  yusuan.Side
	Rows  []string // total lines, spaces removed
	Cols  []string
	Fact  string
}

var keyFigures = []keyFigure{
	{Name: "收入总计", Kinds: []yusuan.TableKind{yusuan.IncomeExpenditureSummary, yusuan.FAIncomeExpenditureSummary},
		Side: yusuan.SideIncome, Rows: []string{"收入总计", "总计", "收入合计"}, Cols: []string{"amount", "total", "actual"}, Fact: "total_income"},
	{Name: "基本支出", Kinds: []yusuan.TableKind{yusuan.ExpenditureSummary, yusuan.FAExpenditure},
		Rows: []string{"合计", "总计", "部门合计", "单位合计", "支出合计", "本年支出合计"}, Cols: []string{"basic"}, Fact: "basic"},
	{Name: "项目支出", Kinds: []yusuan.TableKind{yusuan.ExpenditureSummary, yusuan.FAExpenditure},
		Rows: []string{"合计", "总计", "部门合计", "单位合计", "支出合计", "本年支出合计"}, Cols: []string{"project"}, Fact: "project"},
	{Name: "“三公”经费", Kinds: []yusuan.TableKind{yusuan.ThreePublic, yusuan.FAThreePublic},
		Rows: []string{"合计", "总计", "部门合计", "单位合计", "“三公”经费合计", "三公经费合计"}, Cols: []string{"total", "actual", "budget"}, Fact: "three_public"},
	{Name: "机关运行经费", Kinds: []yusuan.TableKind{yusuan.AdminOperating},
		Rows: []string{"合计", "总计", "部门合计", "单位合计", "机关运行经费合计", "机关运行经费"}, Cols: []string{"total"}, Fact: "admin_operating"},
}

// figureCell is one key figure of one document, in 万元.
type figureCell struct {
	Amount   string // 万元, two decimals, a decimal string; "" when neither a table nor the narrative gives it
	Text     string // Amount with thousands separators
	Fen      int64
	Source   string // where it was read
	URL      string
	FromFact bool
}

type figureYear struct {
	SHA256 string
	Year   int
	Kind   string
	Cells  []figureCell
}

type figures struct {
	Names  []string
	Years  []figureYear
	Charts []miniChart
}

// entityFigures reads the key figures of the entity's current documents
// from their tables, else from their narrative, oldest year first.
func (s *Server) entityFigures(ctx context.Context, id int64, docs []store.DocInfo) (figures, error) {
	var fg figures
	var kinds []yusuan.TableKind
	var facts []string
	for _, k := range keyFigures {
		fg.Names = append(fg.Names, k.Name)
		for _, t := range k.Kinds {
			if !slices.Contains(kinds, t) {
				kinds = append(kinds, t)
			}
		}
		facts = append(facts, k.Fact)
	}
	rows, err := s.st.EntityRows(ctx, id, kinds)
	if err != nil {
		return fg, err
	}
	stated, err := s.st.EntityFacts(ctx, id, facts)
	if err != nil {
		return fg, err
	}
	current := slices.DeleteFunc(slices.Clone(docs), func(d store.DocInfo) bool { return !d.Current || d.Status != store.StatusOK })
	slices.SortFunc(current, func(a, b store.DocInfo) int {
		return cmp.Or(cmp.Compare(a.Year, b.Year), cmp.Compare(a.Kind, b.Kind), cmp.Compare(a.Scope, b.Scope))
	})
	for _, d := range current {
		fy := figureYear{SHA256: d.SHA256, Year: d.Year, Kind: kindLabel(d.Kind, d.Scope)}
		any := false
		for _, k := range keyFigures {
			c := tableFigure(k, d.SHA256, rows)
			if c.Text == "" {
				c = factFigure(k, d.SHA256, stated)
			}
			any = any || c.Text != ""
			fy.Cells = append(fy.Cells, c)
		}
		if any {
			fg.Years = append(fg.Years, fy)
		}
	}
	fg.Charts = charts(fg)
	return fg, nil
}

// tableFigure is a key figure as a document's table prints it: the first
// table of its kinds with a total line, in the first column it has.
func tableFigure(k keyFigure, sha string, rows []store.FigureRow) figureCell {
	for _, r := range rows {
		if r.SHA256 != sha || !slices.Contains(k.Kinds, r.Kind) || k.Side != "" && r.Side != "" && r.Side != k.Side {
			continue
		}
		if !slices.Contains(k.Rows, strings.Join(strings.Fields(r.Name), "")) {
			continue
		}
		for _, col := range k.Cols {
			a, ok := r.Values[col]
			if !ok || a.IsNull() {
				continue
			}
			fen, err := a.Fen(yusuan.Unit(r.Unit))
			if err != nil {
				continue
			}
			name := strings.TrimSpace(r.Label + " " + r.Title)
			return figureCell{Amount: wan(fen), Text: groupDigits(wan(fen)), Fen: fen, URL: "/documents/" + sha + "#t" + strconv.Itoa(r.Table),
				Source: name + " · " + r.Name + " · " + groupDigits(a.String()) + " " + r.Unit + " · page " + strconv.Itoa(r.Page)}
		}
	}
	return figureCell{}
}

func factFigure(k keyFigure, sha string, facts []store.FactRecord) figureCell {
	for _, f := range facts {
		if f.SHA256 != sha || f.Key != k.Fact {
			continue
		}
		fen, err := f.Amount.Fen(yusuan.Unit(f.Unit))
		if err != nil {
			continue
		}
		return figureCell{Amount: wan(fen), Text: groupDigits(wan(fen)), Fen: fen, FromFact: true, URL: fileURL(sha, f.Page),
			Source: "情况说明, page " + strconv.Itoa(f.Page) + ": " + f.Sentence}
	}
	return figureCell{}
}

// wan prints fen as 万元 with two decimals (1 万元 = 1,000,000 fen).
func wan(fen int64) string {
	return decimal.New(fen, -6).StringFixed(2)
}

// miniChart is one key figure across years as bars (drawn by the entity
// template in SVG: every value passes through the template's escaping).
type miniChart struct {
	Name string
	W, H int
	Bars []bar
}

type bar struct {
	X, Y, Width, Height int
	LabelX, LabelY      int
	Label, Year, Title  string
}

const (
	chartW     = 260
	chartH     = 130
	chartTop   = 16
	chartFloor = 110
)

// charts draws each key figure that has at least two values.
func charts(fg figures) []miniChart {
	var out []miniChart
	for i, name := range fg.Names {
		var maxFen int64
		n := 0
		for _, y := range fg.Years {
			if c := y.Cells[i]; c.Text != "" {
				n++
				maxFen = max(maxFen, c.Fen)
			}
		}
		if n < 2 || maxFen <= 0 {
			continue
		}
		mc := miniChart{Name: name, W: chartW, H: chartH}
		slot := chartW / len(fg.Years)
		width := max(4, min(36, slot*3/5))
		for j, y := range fg.Years {
			c := y.Cells[i]
			if c.Text == "" {
				continue
			}
			h := int(max(0, c.Fen) * (chartFloor - chartTop) / maxFen)
			x := j*slot + (slot-width)/2
			label := strconv.Itoa(y.Year)
			if len(fg.Years) > 1 && slices.ContainsFunc(fg.Years, func(o figureYear) bool { return o.Year == y.Year && o.SHA256 != y.SHA256 }) {
				label += " " + y.Kind
			}
			mc.Bars = append(mc.Bars, bar{X: x, Y: chartFloor - h, Width: width, Height: max(h, 1), LabelX: x + width/2,
				LabelY: chartFloor - h - 3, Label: c.Text, Year: label, Title: label + " " + name + " " + c.Text + " 万元"})
		}
		out = append(out, mc)
	}
	return out
}

type entityView struct {
	page
	Entity        store.EntityInfo
	Figures       figures
	Documents     []docRow
	Findings      []findingRow
	FindingsTotal int
	found         []store.StoredFinding
}

// entityDocuments bounds the documents an entity page lists.
const entityDocuments = 200

func (s *Server) entity(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id < 1 {
		s.fail(w, r, errNotFound)
		return
	}
	v, err := s.entityData(ctx, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v.page = s.pageOf(r, v.Entity.Name, "documents")
	s.render(w, r, http.StatusOK, "entity", v)
}

func (s *Server) entityData(ctx context.Context, id int64) (entityView, error) {
	var v entityView
	var err error
	if v.Entity, err = s.st.Entity(ctx, id); err != nil {
		return v, err
	}
	docs, err := s.st.QueryDocuments(ctx, store.DocumentQuery{EntityID: id, All: true, Limit: entityDocuments})
	if err != nil {
		return v, err
	}
	v.Documents = docRows(docs.Documents)
	if v.Figures, err = s.entityFigures(ctx, id, docs.Documents); err != nil {
		return v, err
	}
	fs, err := s.st.QueryFindings(ctx, store.FindingFilter{EntityID: id, Limit: documentFindings})
	if err != nil {
		return v, err
	}
	v.found, v.Findings, v.FindingsTotal = fs.Findings, findingRows(fs.Findings), fs.Total
	return v, nil
}
