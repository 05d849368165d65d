package table

import (
	"context"
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"

	"yusuan"
	"yusuan/extract/layout"
)

func latticePage() layout.Page {
	b := newPage(9)
	b.pitch = 11
	b.line(20, L("机关运行经费预算表", 200))
	b.line(20, L("单位：万元", 60))
	b.hrule(50, 560)
	b.line(0, L("单位名称", 60), L("合计", 330), L("一般公共预算", 400))
	b.hrule(50, 560)
	b.line(0, L("部门合计", 60), R("12.21", 350), R("12.21", 430))
	b.hrule(50, 560)
	b.line(0, L("某某市某某局下属的某某", 60), R("10.00", 350), R("10.00", 430))
	b.line(0, L("中心", 60))
	b.hrule(50, 560)
	b.line(0, L("办公室", 60))
	b.hrule(50, 560)
	b.line(0, L("某某所", 60), R("2.21", 350), R("2.21", 430))
	return b.page
}

func rowNames(tb yusuan.Table) []string {
	var out []string
	for _, r := range tb.Rows {
		out = append(out, r.Name)
	}
	return out
}

// Zero settings are the defaults, and Extract uses them.
func TestSettingsDefaults(t *testing.T) {
	if got := (Settings{}).withDefaults(); got != DefaultSettings() {
		t.Errorf("zero settings %+v, want %+v", got, DefaultSettings())
	}
	p := latticePage()
	a, _, _ := Extract(context.Background(), []layout.Page{p})
	b, _, _ := ExtractWith(context.Background(), []layout.Page{p}, Settings{RowTolerance: 0.35})
	if !reflect.DeepEqual(a, b) {
		t.Errorf("Extract %+v\nExtractWith defaults %+v", a, b)
	}
}

// The row strategy decides what cuts rows: ruling lines (auto, lines), or
// text spacing alone, which reads the wrapped lines set close together
// (中心, 办公室) as the row above's.
func TestRowStrategy(t *testing.T) {
	p := latticePage()
	for _, c := range []struct {
		s    Strategy
		want []string
	}{
		{StrategyAuto, []string{"部门合计", "某某市某某局下属的某某中心", "办公室", "某某所"}},
		{StrategyLines, []string{"部门合计", "某某市某某局下属的某某中心", "办公室", "某某所"}},
		{StrategyText, []string{"部门合计", "某某市某某局下属的某某中心办公室", "某某所"}},
	} {
		tables, _, _ := ExtractWith(context.Background(), []layout.Page{p}, Settings{RowStrategy: c.s})
		if len(tables) != 1 {
			t.Fatalf("%s: %d tables", c.s, len(tables))
		}
		if got := rowNames(tables[0]); !slices.Equal(got, c.want) {
			t.Errorf("%s: rows %q, want %q", c.s, got, c.want)
		}
	}
}

// Table work stops when the context ends: no table is rebuilt after it,
// and the warning says so.
func TestExtractStopsWithContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	tables, _, warns := Extract(ctx, []layout.Page{latticePage()})
	if len(tables) != 0 || len(warns) != 1 || !strings.Contains(warns[0], "skipped") {
		t.Errorf("tables %+v warnings %q", tables, warns)
	}
	ds := DefaultSettings()
	for _, r := range findRegions([]layout.Page{latticePage()}) {
		if _, _, err := build(ctx, r, &ds); !errors.Is(err, context.Canceled) {
			t.Errorf("build after cancel: %v", err)
		}
	}
}
