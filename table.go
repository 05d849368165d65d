package yusuan

// TableKind identifies what a disclosure table is, whatever its printed
// number or title (docs/output-format.md).
type TableKind string

// Budget template kinds.
const (
	IncomeExpenditureSummary     TableKind = "income_expenditure_summary"
	IncomeSummary                TableKind = "income_summary"
	ExpenditureSummary           TableKind = "expenditure_summary"
	FiscalSummary                TableKind = "fiscal_summary"
	GeneralBudgetExpenditure     TableKind = "general_budget_expenditure"
	GeneralBudgetBasicByEconomic TableKind = "general_budget_basic_by_economic"
	BasicExpenditure             TableKind = "basic_expenditure"
	GovFundIncome                TableKind = "gov_fund_income"
	GovFundExpenditure           TableKind = "gov_fund_expenditure"
	StateCapital                 TableKind = "state_capital"
	ThreePublic                  TableKind = "three_public"
	AdminOperating               TableKind = "admin_operating"
	ProjectCurrent               TableKind = "project_current"
	ProjectCarryover             TableKind = "project_carryover"
	Procurement                  TableKind = "procurement"
	// GeneralBudgetByEconomic is 一般公共预算支出表（按经济分类）: economic
	// classification rows spanning basic and project spending.
	GeneralBudgetByEconomic TableKind = "general_budget_by_economic"
	// GeneralBudgetProjectByEconomic is 一般公共预算项目支出情况表（按经济分类科目）:
	// project spending by economic classification, the counterpart of
	// general_budget_basic_by_economic (Guangzhou's template prints both).
	GeneralBudgetProjectByEconomic TableKind = "general_budget_project_by_economic"
	// FiscalExpenditure is 财政拨款支出表（功能科目）: every fiscal source's
	// spending by functional category.
	FiscalExpenditure TableKind = "fiscal_expenditure"
	// GeneralBudgetBasicByFunction is 一般公共预算基本支出表（按功能科目）
	// (Shaanxi): basic spending by functional category, split into
	// 人员经费 and 公用经费.
	GeneralBudgetBasicByFunction TableKind = "general_budget_basic_by_function"
	// FiscalCarryoverExpenditure is 财政拨款结转资金支出表 (Shaanxi): the
	// spending of last year's fiscal carry-over, project by project.
	FiscalCarryoverExpenditure TableKind = "fiscal_carryover_expenditure"
	PerformanceTargets         TableKind = "performance_targets"
	// PerformanceEvaluation is a 项目支出绩效自评表 or a table of a
	// performance evaluation (绩效评价: 绩效指标表, 评价得分表): what was
	// achieved, where performance_targets says what is aimed at.
	PerformanceEvaluation TableKind = "performance_evaluation"
	Other                 TableKind = "other"
)

// Final-account template kinds.
const (
	FAIncomeExpenditureSummary TableKind = "fa_income_expenditure_summary"
	FAIncome                   TableKind = "fa_income"
	FAExpenditure              TableKind = "fa_expenditure"
	FAFiscalSummary            TableKind = "fa_fiscal_summary"
	FAGeneralBudgetExpenditure TableKind = "fa_general_budget_expenditure"
	FAGeneralBudgetBasic       TableKind = "fa_general_budget_basic"
	FAGovFund                  TableKind = "fa_gov_fund"
	FAStateCapital             TableKind = "fa_state_capital"
	FAThreePublic              TableKind = "fa_three_public"
)

// Side of a two-sided table (收支总表, 财政拨款收支总表).
type Side string

const (
	SideIncome      Side = "income"
	SideExpenditure Side = "expenditure"
)

// Table is one disclosure table, merged over all the pages it spans.
type Table struct {
	Kind    TableKind `json:"kind"`
	Label   string    `json:"label,omitempty"`
	Title   string    `json:"title"`
	Pages   []int     `json:"pages"`
	Unit    string    `json:"unit"`
	Empty   bool      `json:"empty"`
	Columns []string  `json:"columns"`
	// Headers maps a column key to the header text printed above it.
	Headers map[string]string `json:"headers,omitempty"`
	Rows    []Row             `json:"rows"`
	// Areas locate the table on each of its pages as the extractor found it.
	Areas []Area `json:"areas,omitempty"`
	// Doubts are what the extractor was unsure of while reading the table;
	// checks lower the severity of findings that rest on them.
	Doubts []Doubt `json:"doubts,omitempty"`
}

// Area is where a table lies on one page: its whole box, its header rows
// and the header box of each column it mapped to a key.
type Area struct {
	Page    int             `json:"page"`
	BBox    Rect            `json:"bbox"`
	Header  *Rect           `json:"header,omitempty"`
	Columns map[string]Rect `json:"columns,omitempty"`
}

// DoubtReason says what the extractor was unsure of.
type DoubtReason string

const (
	// DoubtGuessedColumn: a column's key was guessed (header not read, or
	// mapped by position).
	DoubtGuessedColumn DoubtReason = "guessed_column"
	// DoubtUnbalanced: the table's own totals do not add up as read (the
	// region may be cut, merged or misaligned).
	DoubtUnbalanced DoubtReason = "unbalanced"
	// DoubtSplitRow: a row was joined from or split into several printed
	// lines by a guess.
	DoubtSplitRow DoubtReason = "split_row"
	// DoubtMergedTitle: the region may hold more than one printed table.
	DoubtMergedTitle DoubtReason = "merged_title"
	// DoubtCutShort: the table may continue beyond what was read.
	DoubtCutShort DoubtReason = "cut_short"
	// DoubtSide: a two-sided table's row side was guessed.
	DoubtSide DoubtReason = "side"
)

// Doubt is one thing the extractor was unsure of in a table. Column "" and
// no Rows mean the whole table.
type Doubt struct {
	Reason DoubtReason `json:"reason"`
	Column string      `json:"column,omitempty"`
	Rows   []int       `json:"rows,omitempty"` // indexes into Table.Rows
	Note   string      `json:"note,omitempty"`
}

// Row is one printed line of a table (one side of it, in two-sided tables).
type Row struct {
	Side        Side    `json:"side,omitempty"`
	Code        *string `json:"code"`
	Level       int     `json:"level,omitempty"`
	Name        string  `json:"name"`
	Name2       string  `json:"name2,omitempty"`
	EconCode    string  `json:"econ_code,omitempty"`
	EconName    string  `json:"econ_name,omitempty"`
	GovEconCode string  `json:"gov_econ_code,omitempty"`
	GovEconName string  `json:"gov_econ_name,omitempty"`
	// UnitCode is the code of the budget unit the row is (单位编码, 部门代码:
	// 123, 123001) in tables listing units.
	UnitCode string            `json:"unit_code,omitempty"`
	Values   map[string]Amount `json:"values"`
	// Raw keeps the printed text of a cell where it differs from its value
	// (thousands separators, dashes, full-width digits).
	Raw  map[string]string `json:"raw,omitempty"`
	Page int               `json:"page"`
	BBox *Rect             `json:"bbox,omitempty"`
	// Boxes locates each value on its page.
	Boxes map[string]Rect `json:"boxes,omitempty"`
}

// Value returns the amount in column key, null when absent.
func (r Row) Value(key string) Amount { return r.Values[key] }

// CodeString is the row's code or "".
func (r Row) CodeString() string {
	if r.Code == nil {
		return ""
	}
	return *r.Code
}
