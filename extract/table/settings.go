package table

// Strategy says what a table's rows or columns are cut by, as pdfplumber's
// horizontal_strategy and vertical_strategy do.
type Strategy string

const (
	// StrategyAuto uses ruling lines where the page draws them across the
	// table and text alignment elsewhere: a rule separates rows (or
	// columns) only where no text crosses it, and rows between rules may
	// still be cut by text when a band holds several.
	StrategyAuto Strategy = "auto"
	// StrategyLines trusts ruling lines alone where there are any (pdfplumber
	// "lines", Camelot lattice): the lines between two horizontal rules are
	// one row, every vertical rule inside the table starts a column.
	StrategyLines Strategy = "lines"
	// StrategyText ignores ruling lines (pdfplumber "text", Camelot stream):
	// rows and columns come from text alignment and spacing only.
	StrategyText Strategy = "text"
)

// Settings are the strategies and tolerances of the table model. Distances
// are in font sizes (em) of the text concerned unless named in points. The
// zero value of a field means its default (DefaultSettings).
type Settings struct {
	// RowStrategy: what cuts rows (auto: horizontal rules crossing the
	// table when it has at least MinRules of them, text spacing within
	// and without them).
	RowStrategy Strategy
	// ColumnStrategy: what cuts columns (auto: clusters of text edges, split
	// at vertical rules no cell crosses).
	ColumnStrategy Strategy

	// RowTolerance: text lines closer than this (em) are one row unless a
	// rule or an amount column tells them apart (Camelot's row_tol).
	RowTolerance float64
	// WrapGap: in tables whose rows are as tall as their lines, a text
	// line this close (em) to a cell filled to its column's edge continues
	// that cell.
	WrapGap float64
	// RowGapRatio: rows spaced this many times wider than the lines within
	// them (tall rows, names wrapped round centred amounts) are cut at the
	// wide gaps.
	RowGapRatio float64
	// TieMargin: when a wrapped line is as close to the row above as to the
	// row below within this much (em), it continues the row above.
	TieMargin float64

	// MinRules: horizontal rules needed across a table's body for its rows
	// to be read between rules.
	MinRules int
	// RuleCover: share of the table's width a horizontal rule must span
	// to separate rows.
	RuleCover float64
	// JoinTolerance: collinear pieces of a ruling line this close (points)
	// are one line (cell borders drawn cell by cell).
	JoinTolerance float64
	// SnapTolerance: ruling lines this close (points) across their length
	// are the same line.
	SnapTolerance float64

	// HeadingOverlap: share of the narrower of a heading and a column that
	// they must overlap for the heading to be the column's.
	HeadingOverlap float64
	// HeadingReach: a heading over no text names a headingless column
	// within this distance (em), else it makes an empty column of its own.
	HeadingReach float64
	// AlignTolerance: amounts whose right (or left, or centre) edges lie
	// within this distance (em) are aligned in one column.
	AlignTolerance float64
}

// DefaultSettings are the settings Extract uses.
func DefaultSettings() Settings {
	return Settings{
		RowStrategy:    StrategyAuto,
		ColumnStrategy: StrategyAuto,
		RowTolerance:   0.35,
		WrapGap:        1.2,
		RowGapRatio:    2.5,
		TieMargin:      0.2,
		MinRules:       3,
		RuleCover:      0.5,
		JoinTolerance:  2,
		SnapTolerance:  0.5,
		HeadingOverlap: 0.25,
		HeadingReach:   3,
		AlignTolerance: 0.6,
	}
}

// withDefaults fills the zero fields of s from DefaultSettings.
func (s Settings) withDefaults() Settings {
	d := DefaultSettings()
	if s.RowStrategy == "" {
		s.RowStrategy = d.RowStrategy
	}
	if s.ColumnStrategy == "" {
		s.ColumnStrategy = d.ColumnStrategy
	}
	for _, f := range []struct{ v, d *float64 }{
		{&s.RowTolerance, &d.RowTolerance}, {&s.WrapGap, &d.WrapGap}, {&s.RowGapRatio, &d.RowGapRatio},
		{&s.TieMargin, &d.TieMargin}, {&s.RuleCover, &d.RuleCover}, {&s.JoinTolerance, &d.JoinTolerance},
		{&s.SnapTolerance, &d.SnapTolerance}, {&s.HeadingOverlap, &d.HeadingOverlap},
		{&s.HeadingReach, &d.HeadingReach}, {&s.AlignTolerance, &d.AlignTolerance},
	} {
		if *f.v == 0 {
			*f.v = *f.d
		}
	}
	if s.MinRules == 0 {
		s.MinRules = d.MinRules
	}
	return s
}
