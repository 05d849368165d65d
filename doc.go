// Package yusuan holds the vocabulary shared by every part of the tool: the
// extracted Document with its tables, rows, amounts and facts, and the
// Findings that checks produce. It does no I/O.
package yusuan

// SchemaVersion is the version of the JSON shape of an extracted Document
// (docs/output-format.md). Bump it only for incompatible changes.
const SchemaVersion = 1

// Document is everything extracted from one PDF file.
type Document struct {
	Schema    int    `json:"schema"`
	File      string `json:"file"`
	SHA256    string `json:"sha256"`
	Pages     int    `json:"pages"`
	Producer  string `json:"producer,omitempty"`
	TextLayer bool   `json:"text_layer"`
	// TextUnreadable: the file has text, but most of it is drawn with
	// fonts that map no glyph to Unicode (no ToUnicode, no known
	// encoding): what it reads is a guess, so nothing is read from it.
	TextUnreadable bool `json:"text_unreadable,omitempty"`
	// GarbledChars counts characters of a readable text that a font
	// mapped to code points no Chinese disclosure prints (Latin-1 letters,
	// private use, U+FFFD): some of its text is not what was printed, so
	// no figure of it is read with full confidence.
	GarbledChars int `json:"garbled_chars,omitempty"`
	// Error is set only when the file could not be read at all; ErrorKind
	// then says why, in a word.
	Error     string       `json:"error,omitempty"`
	ErrorKind FailureKind  `json:"error_kind,omitempty"`
	Meta      Meta         `json:"document"`
	Tables    []Table      `json:"tables"`
	Narrative []Section    `json:"narrative"`
	Facts     Facts        `json:"facts"`
	Sources   []FactSource `json:"fact_sources,omitempty"`
	Warnings  []string     `json:"warnings"`
	// Extractor names the extractor version that produced this record, so a
	// newer extractor can re-run over the archive.
	Extractor string `json:"extractor,omitempty"`
	// Contents are the document's tables of contents as printed, none when
	// it prints none: what the document says it holds (the checks read
	// them to tell a table the template never had from one left out).
	Contents []Contents `json:"contents,omitempty"`
}

// FailureKind classifies why a file could not be read. A failed file is
// stored with its reason and retried by a later extractor version.
type FailureKind string

const (
	FailTimeout   FailureKind = "timeout"   // the extraction ran out of time
	FailLimit     FailureKind = "limit"     // over a safety limit on size, memory or work
	FailDamaged   FailureKind = "damaged"   // damaged beyond use, or a feature not supported
	FailEncrypted FailureKind = "encrypted" // needs a user password
	FailNotPDF    FailureKind = "not-pdf"   // not a PDF (an HTML error page, an Office file…)
	FailInternal  FailureKind = "internal"  // the extractor itself failed (a bug)
)

// Scope says whether a disclosure covers one unit or a whole department.
type Scope string

const (
	ScopeUnit       Scope = "unit"
	ScopeDepartment Scope = "department"
	ScopeUnknown    Scope = "unknown"
)

// DocKind distinguishes budgets from final accounts.
type DocKind string

const (
	KindBudget       DocKind = "budget"
	KindFinalAccount DocKind = "final_account"
	KindUnknown      DocKind = "unknown"
)

// Meta is what the cover and titles say about the document.
type Meta struct {
	Title  string  `json:"title"`
	Entity string  `json:"entity"`
	Scope  Scope   `json:"scope"`
	Kind   DocKind `json:"kind"`
	Year   int     `json:"year"`
}

// Section is one headed part of the narrative.
type Section struct {
	Heading string `json:"heading"`
	Text    string `json:"text"`
	Page    int    `json:"page"`
}

// Contents is one printed table of contents: the page of its 目录 heading
// and its entries in order (a title wrapped over two lines joined, leaders
// and page numbers removed).
type Contents struct {
	Page    int      `json:"page"`
	Entries []string `json:"entries"`
}

// Facts are figures stated in the narrative, keyed as in docs/checks.md.
type Facts map[string]Amount

// FactSource is the evidence for one fact: where it was read. Page is the
// page the figure is printed on (the sentence may begin on the one
// before); Figure the figure as printed (ASCII digits, no separators, no
// unit); BBox its box on Page, when the text layer placed it.
type FactSource struct {
	Key      string `json:"key"`
	Value    Amount `json:"value"`
	Page     int    `json:"page"`
	Sentence string `json:"sentence"`
	Figure   string `json:"figure,omitempty"`
	BBox     *Rect  `json:"bbox,omitempty"`
	// FigureAt is where Figure starts in the normalised sentence
	// (narrative.Normalise), for the extractor to find its box.
	FigureAt int `json:"-"`
}

// Rect is a box in PDF user space of its page: x0,y0 bottom-left, x1,y1
// top-right, in points.
type Rect [4]float64
