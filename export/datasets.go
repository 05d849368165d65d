package export

// Row types of the exported tables. Field order is column order; the
// parquet tag names the column in both CSV and Parquet. Each query selects
// exactly these columns in this order.

// DocumentRow is one line of documents.csv.
type DocumentRow struct {
	SHA256    string `parquet:"sha256"`
	File      string `parquet:"file"`
	Size      int64  `parquet:"size"`
	Pages     int64  `parquet:"pages"`
	Producer  string `parquet:"producer"`
	TextLayer bool   `parquet:"text_layer"`
	// TextUnreadable and GarbledChars: see yusuan.Document.
	TextUnreadable bool    `parquet:"text_unreadable"`
	GarbledChars   int64   `parquet:"garbled_chars"`
	Title          string  `parquet:"title"`
	Entity         string  `parquet:"entity"`
	EntityID       *int64  `parquet:"entity_id,optional"`
	EntityCode     *string `parquet:"entity_code,optional"`
	Scope          string  `parquet:"scope"`
	Kind           string  `parquet:"kind"`
	Year           int64   `parquet:"year"`
	Status         string  `parquet:"status"`
	Error          string  `parquet:"error"`
	Warnings       string  `parquet:"warnings"` // JSON array
	Tables         int64   `parquet:"tables"`
	Extractor      string  `parquet:"extractor"`
	FirstURL       string  `parquet:"first_url"`
	IngestedAt     string  `parquet:"ingested_at"`
	ExtractedAt    string  `parquet:"extracted_at"`
	// Current is false for a document superseded by a later version
	// (SupersededBy) or a copy of another (CopyOf): sum over current
	// documents only, to count every figure once.
	Current       bool   `parquet:"current"`
	SupersededBy  string `parquet:"superseded_by"`  // sha256 or ""
	CopyOf        string `parquet:"copy_of"`        // sha256 or ""
	ContentDigest string `parquet:"content_digest"` // same for copies of one document
}

// SourceRow is one line of sources.csv: a sighting of a document.
type SourceRow struct {
	SHA256    string `parquet:"sha256"`
	File      string `parquet:"file"`
	URL       string `parquet:"url"`
	PageURL   string `parquet:"page_url"`
	LinkText  string `parquet:"link_text"`
	LocalPath string `parquet:"local_path"`
	FetchedAt string `parquet:"fetched_at"`
}

// EntityRow is one line of entities.csv.
type EntityRow struct {
	ID        int64   `parquet:"entity_id"`
	Name      string  `parquet:"name"`
	Scope     string  `parquet:"scope"`
	Code      *string `parquet:"code,optional"`
	Documents int64   `parquet:"documents"`
	FirstYear *int64  `parquet:"first_year,optional"`
	LastYear  *int64  `parquet:"last_year,optional"`
}

// TableRow is one line of tables.csv.
type TableRow struct {
	SHA256    string `parquet:"sha256"`
	Entity    string `parquet:"entity"`
	Year      int64  `parquet:"year"`
	TableSeq  int64  `parquet:"table_seq"`
	Kind      string `parquet:"kind"`
	Label     string `parquet:"label"`
	Title     string `parquet:"title"`
	Unit      string `parquet:"unit"`
	FirstPage *int64 `parquet:"first_page,optional"`
	Pages     string `parquet:"pages"` // JSON array
	Empty     bool   `parquet:"empty"`
	Columns   string `parquet:"columns"` // JSON array of column keys
	Headers   string `parquet:"headers"` // JSON object: column key → printed header
	Rows      int64  `parquet:"rows"`
}

// RowRow is one line of rows.csv: a printed table line.
type RowRow struct {
	SHA256      string   `parquet:"sha256"`
	TableSeq    int64    `parquet:"table_seq"`
	TableKind   string   `parquet:"table_kind"`
	RowSeq      int64    `parquet:"row_seq"`
	Side        *string  `parquet:"side,optional"`
	Code        *string  `parquet:"code,optional"`
	Level       *int64   `parquet:"level,optional"`
	Name        string   `parquet:"name"`
	Name2       *string  `parquet:"name2,optional"`
	EconCode    *string  `parquet:"econ_code,optional"`
	EconName    *string  `parquet:"econ_name,optional"`
	GovEconCode *string  `parquet:"gov_econ_code,optional"`
	GovEconName *string  `parquet:"gov_econ_name,optional"`
	UnitCode    *string  `parquet:"unit_code,optional"`
	Page        int64    `parquet:"page"`
	X0          *float64 `parquet:"x0,optional"`
	Y0          *float64 `parquet:"y0,optional"`
	X1          *float64 `parquet:"x1,optional"`
	Y1          *float64 `parquet:"y1,optional"`
}

// CellRow is one line of cells.csv: one amount of money as printed, with
// enough of its row and document to be used alone. Every field is set:
// printed cells that are not money (text, numbers in tables without a
// unit, such as scores and counts) are in other_cells.
type CellRow struct {
	SHA256    string  `parquet:"sha256"`
	Entity    string  `parquet:"entity"`
	Year      int64   `parquet:"year"`
	DocKind   string  `parquet:"doc_kind"`
	TableSeq  int64   `parquet:"table_seq"`
	TableKind string  `parquet:"table_kind"`
	RowSeq    int64   `parquet:"row_seq"`
	Side      *string `parquet:"side,optional"`
	Code      *string `parquet:"code,optional"`
	Name      string  `parquet:"name"`
	Column    string  `parquet:"col"`
	// Amount is the exact decimal as printed, in Unit.
	Amount string `parquet:"amount"`
	Unit   string `parquet:"unit"`
	Places int64  `parquet:"places"`
	Fen    int64  `parquet:"fen"`
	// Yuan is Fen again, typed DECIMAL(18,2): exact yuan for DuckDB/pandas.
	Yuan int64    `parquet:"yuan,decimal(2:18)"`
	Raw  *string  `parquet:"raw,optional"`
	Page int64    `parquet:"page"`
	X0   *float64 `parquet:"x0,optional"`
	Y0   *float64 `parquet:"y0,optional"`
	X1   *float64 `parquet:"x1,optional"`
	Y1   *float64 `parquet:"y1,optional"`
	// Current is the document's (see DocumentRow.Current).
	Current bool `parquet:"current"`
}

// OtherCellRow is one line of other_cells.csv: a printed table cell that
// is not an amount of money.
type OtherCellRow struct {
	SHA256    string   `parquet:"sha256"`
	TableSeq  int64    `parquet:"table_seq"`
	TableKind string   `parquet:"table_kind"`
	RowSeq    int64    `parquet:"row_seq"`
	Column    string   `parquet:"col"`
	Text      string   `parquet:"text"`
	Number    *string  `parquet:"number,optional"`
	Page      int64    `parquet:"page"`
	X0        *float64 `parquet:"x0,optional"`
	Y0        *float64 `parquet:"y0,optional"`
	X1        *float64 `parquet:"x1,optional"`
	Y1        *float64 `parquet:"y1,optional"`
}

// FactRow is one line of facts.csv: a figure stated in the narrative.
type FactRow struct {
	SHA256   string  `parquet:"sha256"`
	Entity   string  `parquet:"entity"`
	Year     int64   `parquet:"year"`
	Key      string  `parquet:"key"`
	Amount   *string `parquet:"amount,optional"`
	Unit     string  `parquet:"unit"`
	Places   *int64  `parquet:"places,optional"`
	Fen      *int64  `parquet:"fen,optional"`
	Yuan     *int64  `parquet:"yuan,optional,decimal(2:18)"`
	Page     *int64  `parquet:"page,optional"`
	Sentence *string `parquet:"sentence,optional"`
	Current  bool    `parquet:"current"` // the document's
}

// FindingRow is one line of findings.csv: an open finding as the run
// run_id reported it (first, or with these figures), with the verdict that
// applies.
type FindingRow struct {
	RunID     int64  `parquet:"run_id"`
	Seq       int64  `parquet:"seq"` // row number
	Rule      string `parquet:"rule"`
	Severity  string `parquet:"severity"`
	Message   string `parquet:"message"`
	Expected  string `parquet:"expected"`
	Actual    string `parquet:"actual"`
	Pages     string `parquet:"pages"`  // JSON array
	Tables    string `parquet:"tables"` // JSON array
	SHA256    string `parquet:"sha256"` // the first document involved
	Entity    string `parquet:"entity"`
	Year      int64  `parquet:"year"`
	Documents string `parquet:"documents"` // JSON array of every document involved
	// ID is the finding's stable id (evidence.csv's finding_id); Key the
	// same across versions of a document; Fingerprint its figures.
	ID           string  `parquet:"id"`
	Key          string  `parquet:"key"`
	Fingerprint  string  `parquet:"fingerprint"`
	Confidence   string  `parquet:"confidence"`
	Why          string  `parquet:"why"`
	Unit         string  `parquet:"unit"`
	FirstRun     int64   `parquet:"first_run"`
	Verdict      string  `parquet:"verdict"` // confirmed, false-alarm, explained or ""
	VerdictNote  string  `parquet:"verdict_note"`
	VerdictBy    string  `parquet:"verdict_by"`
	VerdictAt    *string `parquet:"verdict_at,optional"`
	VerdictStale bool    `parquet:"verdict_stale"` // given on other figures
}

// EvidenceRow is one line of evidence.csv: a figure a finding compares,
// down to its cell on the page.
type EvidenceRow struct {
	FindingID string   `parquet:"finding_id"`
	Seq       int64    `parquet:"seq"`
	Role      string   `parquet:"role"`
	SHA256    string   `parquet:"sha256"`
	TableSeq  int64    `parquet:"table_seq"` // -1: the narrative
	TableKind string   `parquet:"table_kind"`
	Label     string   `parquet:"label"`
	Title     string   `parquet:"title"`
	Side      string   `parquet:"side"`
	Row       string   `parquet:"row"`
	Code      *string  `parquet:"code,optional"`
	Column    string   `parquet:"col"`
	Header    string   `parquet:"header"`
	Page      int64    `parquet:"page"`
	X0        *float64 `parquet:"x0,optional"`
	Y0        *float64 `parquet:"y0,optional"`
	X1        *float64 `parquet:"x1,optional"`
	Y1        *float64 `parquet:"y1,optional"`
	Text      string   `parquet:"text"`
	Amount    *string  `parquet:"amount,optional"`
	Unit      string   `parquet:"unit"`
	Fen       *int64   `parquet:"fen,optional"`
	Yuan      *int64   `parquet:"yuan,optional,decimal(2:18)"`
}

// VerdictRow is one line of verdicts.csv: every verdict ever given, the
// latest on a finding applying.
type VerdictRow struct {
	FindingID   string `parquet:"finding_id"`
	Key         string `parquet:"key"`
	Fingerprint string `parquet:"fingerprint"` // of the finding when judged
	Verdict     string `parquet:"verdict"`
	Note        string `parquet:"note"`
	By          string `parquet:"by"`
	At          string `parquet:"at"`
}

func copyFen(fen **int64, yuan **int64) {
	if *fen != nil {
		v := **fen
		*yuan = &v
	}
}

// moneyCell is the condition for a cell in cells (an amount in a unit of
// money, so its fen is known); the other printed cells go to other_cells.
const moneyCell = `c.amount IS NOT NULL AND c.fen IS NOT NULL`

var datasets = []dataset{
	newDataset[DocumentRow]("documents", `SELECT d.sha256, d.file, d.size, d.pages, d.producer, d.text_layer,
		d.text_unreadable, d.garbled_chars, d.title,
		d.entity, d.entity_id, e.code, d.scope, d.kind, d.year, d.status, d.error, d.warnings,
		(SELECT count(*) FROM tables t WHERE t.document_id = d.id), d.extractor,
		coalesce((SELECT s.url FROM sources s WHERE s.document_id = d.id AND s.url <> '' ORDER BY s.id LIMIT 1), ''),
		d.ingested_at, d.extracted_at, d.current,
		coalesce((SELECT x.sha256 FROM documents x WHERE x.id = d.superseded_by), ''),
		coalesce((SELECT x.sha256 FROM documents x WHERE x.id = d.copy_of), ''), coalesce(d.content_digest, '')
		FROM documents d LEFT JOIN entities e ON e.id = d.entity_id ORDER BY d.id`, nil),
	newDataset[SourceRow]("sources", `SELECT d.sha256, s.file, s.url, s.page_url, s.link_text, s.local_path, s.fetched_at
		FROM sources s JOIN documents d ON d.id = s.document_id ORDER BY d.id, s.id`, nil),
	newDataset[EntityRow]("entities", `SELECT e.id, e.name, e.scope, e.code, count(d.id), min(d.year), max(d.year)
		FROM entities e LEFT JOIN documents d ON d.entity_id = e.id GROUP BY e.id ORDER BY e.id`, nil),
	newDataset[TableRow]("tables", `SELECT d.sha256, d.entity, d.year, t.seq, t.kind, t.label, t.title, t.unit,
		t.first_page, t.pages, t.empty, t.columns, coalesce(t.headers, '{}'), (SELECT count(*) FROM rows r WHERE r.table_id = t.id)
		FROM tables t JOIN documents d ON d.id = t.document_id ORDER BY d.id, t.seq`, nil),
	newDataset[RowRow]("rows", `SELECT d.sha256, t.seq, t.kind, r.seq, r.side, r.code, r.level, r.name, r.name2,
		r.econ_code, r.econ_name, r.gov_econ_code, r.gov_econ_name, r.unit_code, r.page, r.x0, r.y0, r.x1, r.y1
		FROM rows r JOIN tables t ON t.id = r.table_id JOIN documents d ON d.id = t.document_id
		ORDER BY d.id, t.seq, r.seq`, nil),
	newDataset[CellRow]("cells", `SELECT d.sha256, d.entity, d.year, d.kind, t.seq, t.kind, r.seq, r.side, r.code,
		r.name, c.col, c.amount, c.unit, c.places, c.fen, c.fen, c.raw, r.page, c.x0, c.y0, c.x1, c.y1, d.current
		FROM cells c JOIN rows r ON r.id = c.row_id JOIN tables t ON t.id = r.table_id
		JOIN documents d ON d.id = t.document_id WHERE `+moneyCell+` ORDER BY d.id, t.seq, r.seq, c.col`, nil),
	newDataset[OtherCellRow]("other_cells", `SELECT d.sha256, t.seq, t.kind, r.seq, c.col, coalesce(c.raw, c.amount), c.amount,
		r.page, c.x0, c.y0, c.x1, c.y1
		FROM cells c JOIN rows r ON r.id = c.row_id JOIN tables t ON t.id = r.table_id
		JOIN documents d ON d.id = t.document_id
		WHERE NOT (`+moneyCell+`) AND coalesce(c.raw, c.amount, '') <> ''
		ORDER BY d.id, t.seq, r.seq, c.col`, nil),
	newDataset[FactRow]("facts", `SELECT d.sha256, d.entity, d.year, f.key, f.amount, f.unit, f.places, f.fen, NULL,
		f.page, f.sentence, d.current FROM facts f JOIN documents d ON d.id = f.document_id ORDER BY d.id, f.key`,
		func(f *FactRow) { copyFen(&f.Fen, &f.Yuan) }),
	newDataset[FindingRow]("findings", `SELECT coalesce(f.changed_run, f.first_run), row_number() OVER (ORDER BY f.rid), f.rule, f.severity,
		f.message, f.expected, f.actual, f.pages, f.tables, f.sha256, f.entity, f.year,
		(SELECT json_group_array(json_object('sha256', x.sha256, 'file', x.file, 'entity', x.entity, 'year', x.year,
			'kind', x.kind, 'scope', x.scope))
		   FROM (SELECT * FROM finding_documents x WHERE x.finding_rid = f.rid ORDER BY x.seq) x),
		f.id, f.finding_key, f.fingerprint, f.confidence, f.why, f.unit, f.first_run, f.verdict,
		coalesce(v.note, ''), coalesce(v.author, ''), v.at, f.verdict_stale
		FROM findings f LEFT JOIN verdicts v ON v.id = f.verdict_id WHERE f.status = 'open' ORDER BY f.rid`, nil),
	newDataset[EvidenceRow]("evidence", `SELECT f.id, e.seq, e.role, e.sha256, e.table_seq, e.kind, e.label, e.title,
		e.side, e.row_name, e.code, e.col, e.header, e.page, e.x0, e.y0, e.x1, e.y1, e.text, e.amount, e.unit, e.fen, NULL
		FROM finding_evidence e JOIN findings f ON f.rid = e.finding_rid WHERE f.status = 'open' ORDER BY f.rid, e.seq`,
		func(e *EvidenceRow) { copyFen(&e.Fen, &e.Yuan) }),
	newDataset[VerdictRow]("verdicts", `SELECT finding_id, finding_key, fingerprint, verdict, note, author, at
		FROM verdicts ORDER BY id`, nil),
}
