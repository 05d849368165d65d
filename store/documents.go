package store

import (
	"bytes"
	"compress/zlib"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
	"sort"
	"strings"
	"time"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"yusuan"
)

// ErrNotFound means no document has that digest.
var ErrNotFound = errors.New("document not found")

// Document statuses.
const (
	StatusOK     = "ok"
	StatusFailed = "failed"
)

// Source is one sighting of a document: a file name, and for fetched files
// the URL, the page that linked it and the link's text.
type Source struct {
	File      string    `json:"file"`
	URL       string    `json:"url,omitempty"`
	PageURL   string    `json:"page_url,omitempty"`
	LinkText  string    `json:"link_text,omitempty"`
	LocalPath string    `json:"local_path,omitempty"`
	FetchedAt time.Time `json:"fetched_at"`
}

// DocInfo summarises one stored document without its tables.
type DocInfo struct {
	ID          int64
	SHA256      string
	Size        int64
	File        string
	Pages       int
	Producer    string
	TextLayer   bool
	Title       string
	Entity      string
	EntityID    int64 // 0 when the document names no entity
	Scope       yusuan.Scope
	Kind        yusuan.DocKind
	Year        int
	Extractor   string
	Status      string
	Error       string
	Warnings    int
	Tables      int
	IngestedAt  time.Time
	ExtractedAt time.Time
	// Current is false for a document superseded by a later version of the
	// same entity, year, kind and scope (SupersededBy names it) or that is
	// a copy of another stored document with the same content (CopyOf).
	Current       bool
	SupersededBy  string // sha256, "" when not superseded
	CopyOf        string // sha256, "" when not a copy
	ContentDigest string // ContentDigest of the extraction, "" when nothing was extracted
	Region        string // the entity's region, "" unknown
}

// Filter selects documents; zero fields match everything.
type Filter struct {
	Year     int
	Entity   string // substring of the printed entity name
	EntityID int64
	Kind     yusuan.DocKind
	Scope    yusuan.Scope
	Status   string // StatusOK or StatusFailed
	SHA256   string
	// NotExtractor selects documents whose stored extractor version differs
	// (the candidates for re-extraction).
	NotExtractor string
	// OnlyCurrent leaves out superseded documents and copies; SkipCopies
	// only copies (a check reads every version once).
	OnlyCurrent bool
	SkipCopies  bool
	Limit       int
}

func (f Filter) where() (string, []any) {
	var conds []string
	var args []any
	add := func(c string, a ...any) { conds = append(conds, c); args = append(args, a...) }
	if f.Year != 0 {
		add("d.year = ?", f.Year)
	}
	if f.Entity != "" {
		add(`d.entity LIKE '%' || ? || '%' ESCAPE '\'`, escapeLike(f.Entity))
	}
	if f.EntityID != 0 {
		add("d.entity_id = ?", f.EntityID)
	}
	if f.Kind != "" {
		add("d.kind = ?", string(f.Kind))
	}
	if f.Scope != "" {
		add("d.scope = ?", string(f.Scope))
	}
	if f.Status != "" {
		add("d.status = ?", f.Status)
	}
	if f.SHA256 != "" {
		add("d.sha256 = ?", f.SHA256)
	}
	if f.NotExtractor != "" {
		add("d.extractor <> ?", f.NotExtractor)
	}
	if f.OnlyCurrent {
		add("d.current = 1")
	}
	if f.SkipCopies {
		add("d.copy_of IS NULL")
	}
	q := ""
	if len(conds) > 0 {
		q = " WHERE " + strings.Join(conds, " AND ")
	}
	q += " ORDER BY d.id"
	if f.Limit > 0 {
		q += fmt.Sprintf(" LIMIT %d", f.Limit)
	}
	return q, args
}

// escapeLike makes s match itself literally inside a LIKE pattern with
// ESCAPE '\': an entity name may contain % or _.
func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, "%", `\%`, "_", `\_`).Replace(s)
}

// Has reports whether a document with digest sha is stored.
func (s *Store) Has(ctx context.Context, sha string) (bool, error) {
	var n int
	err := s.rd.QueryRowContext(ctx, `SELECT count(*) FROM documents WHERE sha256 = ?`, sha).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("store: has %s: %w", sha, err)
	}
	return n > 0, nil
}

// PutDocument stores doc, keyed by doc.SHA256, with everything extracted
// from it and the source it came from, in one transaction. If the digest is
// already stored nothing of the document is written, the source is added if
// it is new, and added is false.
func (s *Store) PutDocument(ctx context.Context, doc *yusuan.Document, size int64, src Source) (added bool, err error) {
	if !ValidSHA(doc.SHA256) {
		return false, fmt.Errorf("store: document %q: bad sha256 %q", doc.File, doc.SHA256)
	}
	blob, err := encodeDoc(doc)
	if err != nil {
		return false, err
	}
	err = s.write(ctx, func(tx *sql.Tx) error {
		var id int64
		err := tx.QueryRowContext(ctx, `SELECT id FROM documents WHERE sha256 = ?`, doc.SHA256).Scan(&id)
		switch {
		case err == nil:
			return addSource(ctx, tx, id, src)
		case !errors.Is(err, sql.ErrNoRows):
			return err
		}
		entityID, err := s.linkEntity(ctx, tx, doc)
		if err != nil {
			return err
		}
		t := now()
		res, err := tx.ExecContext(ctx, `INSERT INTO documents(sha256, size, file, pages, producer, text_layer,
			title, entity, entity_id, scope, kind, year, schema_version, extractor, status, error, warnings,
			extract, content_digest, text_unreadable, garbled_chars, ingested_at, extracted_at)
			VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
			append([]any{doc.SHA256, size}, append(docColumns(doc, entityID, blob), t, t)...)...)
		if err != nil {
			return err
		}
		if id, err = res.LastInsertId(); err != nil {
			return err
		}
		if err := insertContent(ctx, tx, id, doc); err != nil {
			return err
		}
		if err := refreshGroupOf(ctx, tx, id); err != nil {
			return err
		}
		added = true
		return addSource(ctx, tx, id, src)
	})
	if err != nil {
		return false, fmt.Errorf("store: put %s (%s): %w", doc.SHA256, doc.File, err)
	}
	return added, nil
}

// ReplaceDocument replaces what was extracted from an already stored
// document (a re-extraction), keeping its id, sources and ingest time.
func (s *Store) ReplaceDocument(ctx context.Context, doc *yusuan.Document) error {
	blob, err := encodeDoc(doc)
	if err != nil {
		return err
	}
	err = s.write(ctx, func(tx *sql.Tx) error {
		var id int64
		if err := tx.QueryRowContext(ctx, `SELECT id FROM documents WHERE sha256 = ?`, doc.SHA256).Scan(&id); err != nil {
			if errors.Is(err, sql.ErrNoRows) {
				return ErrNotFound
			}
			return err
		}
		for _, q := range []string{`DELETE FROM tables WHERE document_id = ?`, `DELETE FROM sections WHERE document_id = ?`,
			`DELETE FROM facts WHERE document_id = ?`} {
			if _, err := tx.ExecContext(ctx, q, id); err != nil {
				return err
			}
		}
		entityID, err := s.linkEntity(ctx, tx, doc)
		if err != nil {
			return err
		}
		// The document may leave one group of versions for another (a
		// new extractor reads another year or scope): both are refreshed.
		var oldEnt sql.NullInt64
		var oldYear int
		var oldKind, oldScope string
		if err := tx.QueryRowContext(ctx, `SELECT entity_id, year, kind, scope FROM documents WHERE id = ?`, id).
			Scan(&oldEnt, &oldYear, &oldKind, &oldScope); err != nil {
			return err
		}
		old := []any{oldEnt, oldYear, oldKind, oldScope}
		_, err = tx.ExecContext(ctx, `UPDATE documents SET file=?, pages=?, producer=?, text_layer=?, title=?, entity=?,
			entity_id=?, scope=?, kind=?, year=?, schema_version=?, extractor=?, status=?, error=?, warnings=?, extract=?,
			content_digest=?, text_unreadable=?, garbled_chars=?, extracted_at=? WHERE id=?`, append(docColumns(doc, entityID, blob), now(), id)...)
		if err != nil {
			return err
		}
		if err := insertContent(ctx, tx, id, doc); err != nil {
			return err
		}
		if err := refreshVersions(ctx, tx, groupWhere, old...); err != nil {
			return err
		}
		return refreshGroupOf(ctx, tx, id)
	})
	if err != nil {
		return fmt.Errorf("store: replace %s: %w", doc.SHA256, err)
	}
	return nil
}

// docColumns are the documents columns from file to content_digest, in order.
func docColumns(doc *yusuan.Document, entityID sql.NullInt64, blob []byte) []any {
	status := StatusOK
	if doc.Error != "" {
		status = StatusFailed
	}
	warnings := doc.Warnings
	if warnings == nil {
		warnings = []string{}
	}
	wj, _ := json.Marshal(warnings)
	return []any{doc.File, doc.Pages, doc.Producer, boolInt(doc.TextLayer), doc.Meta.Title, doc.Meta.Entity, entityID,
		string(doc.Meta.Scope), string(doc.Meta.Kind), doc.Meta.Year, doc.Schema, doc.Extractor, status, doc.Error,
		string(wj), blob, ContentDigest(doc), boolInt(doc.TextUnreadable), doc.GarbledChars}
}

// AddSource records another sighting of a stored document; a sighting
// already recorded (same file, URL and local path) is not added twice.
func (s *Store) AddSource(ctx context.Context, sha string, src Source) error {
	err := s.write(ctx, func(tx *sql.Tx) error {
		var id int64
		if err := tx.QueryRowContext(ctx, `SELECT id FROM documents WHERE sha256 = ?`, sha).Scan(&id); err != nil {
			if errors.Is(err, sql.ErrNoRows) {
				return ErrNotFound
			}
			return err
		}
		return addSource(ctx, tx, id, src)
	})
	if err != nil {
		return fmt.Errorf("store: add source %s: %w", sha, err)
	}
	return nil
}

func addSource(ctx context.Context, tx *sql.Tx, docID int64, src Source) error {
	t := formatTime(src.FetchedAt)
	if t == "" {
		t = now()
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO sources(document_id, file, url, page_url, link_text, local_path, fetched_at)
		VALUES (?,?,?,?,?,?,?) ON CONFLICT (document_id, file, url, local_path) DO NOTHING`,
		docID, src.File, src.URL, src.PageURL, src.LinkText, src.LocalPath, t)
	return err
}

// Sources lists where a document was seen, oldest first.
func (s *Store) Sources(ctx context.Context, sha string) ([]Source, error) {
	rows, err := s.rd.QueryContext(ctx, `SELECT s.file, s.url, s.page_url, s.link_text, s.local_path, s.fetched_at
		FROM sources s JOIN documents d ON d.id = s.document_id WHERE d.sha256 = ? ORDER BY s.id`, sha)
	if err != nil {
		return nil, fmt.Errorf("store: sources %s: %w", sha, err)
	}
	defer rows.Close()
	var out []Source
	for rows.Next() {
		var src Source
		var t string
		if err := rows.Scan(&src.File, &src.URL, &src.PageURL, &src.LinkText, &src.LocalPath, &t); err != nil {
			return nil, fmt.Errorf("store: sources %s: %w", sha, err)
		}
		src.FetchedAt = parseTime(t)
		out = append(out, src)
	}
	return out, rows.Err()
}

// insertContent writes a document's tables, rows, cells, sections and facts.
func insertContent(ctx context.Context, tx *sql.Tx, docID int64, doc *yusuan.Document) error {
	if len(doc.Tables) > 0 {
		if err := insertTables(ctx, tx, docID, doc.Tables); err != nil {
			return err
		}
	}
	for i, sec := range doc.Narrative {
		if _, err := tx.ExecContext(ctx, `INSERT INTO sections(document_id, seq, heading, text, page) VALUES (?,?,?,?,?)`,
			docID, i, sec.Heading, sec.Text, sec.Page); err != nil {
			return fmt.Errorf("section %d: %w", i, err)
		}
	}
	return insertFacts(ctx, tx, docID, doc)
}

func insertTables(ctx context.Context, tx *sql.Tx, docID int64, tables []yusuan.Table) error {
	tStmt, err := tx.PrepareContext(ctx, `INSERT INTO tables(document_id, seq, kind, label, title, first_page, pages, unit,
		empty, columns, headers) VALUES (?,?,?,?,?,?,?,?,?,?,?)`)
	if err != nil {
		return err
	}
	defer tStmt.Close()
	rStmt, err := tx.PrepareContext(ctx, `INSERT INTO rows(table_id, seq, side, code, level, name, name2, econ_code,
		econ_name, gov_econ_code, gov_econ_name, unit_code, page, x0, y0, x1, y1) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`)
	if err != nil {
		return err
	}
	defer rStmt.Close()
	cStmt, err := tx.PrepareContext(ctx, `INSERT INTO cells(row_id, col, amount, fen, unit, places, raw, x0, y0, x1, y1)
		VALUES (?,?,?,?,?,?,?,?,?,?,?)`)
	if err != nil {
		return err
	}
	defer cStmt.Close()
	for ti, t := range tables {
		var first sql.NullInt64
		if len(t.Pages) > 0 {
			first = sql.NullInt64{Int64: int64(t.Pages[0]), Valid: true}
		}
		pages := t.Pages
		if pages == nil {
			pages = []int{}
		}
		cols := t.Columns
		if cols == nil {
			cols = []string{}
		}
		pj, _ := json.Marshal(pages)
		cj, _ := json.Marshal(cols)
		var hj sql.NullString
		if t.Headers != nil {
			b, _ := json.Marshal(t.Headers)
			hj = sql.NullString{String: string(b), Valid: true}
		}
		res, err := tStmt.ExecContext(ctx, docID, ti, string(t.Kind), t.Label, t.Title, first, string(pj), t.Unit,
			boolInt(t.Empty), string(cj), hj)
		if err != nil {
			return fmt.Errorf("table %d: %w", ti, err)
		}
		tableID, err := res.LastInsertId()
		if err != nil {
			return err
		}
		unit := yusuan.Unit(t.Unit)
		for ri, r := range t.Rows {
			x := rectArgs(r.BBox)
			var level sql.NullInt64
			if r.Level != 0 {
				level = sql.NullInt64{Int64: int64(r.Level), Valid: true}
			}
			res, err := rStmt.ExecContext(ctx, tableID, ri, nullStr(string(r.Side)), r.Code, level, r.Name,
				nullStr(r.Name2), nullStr(r.EconCode), nullStr(r.EconName), nullStr(r.GovEconCode), nullStr(r.GovEconName),
				nullStr(r.UnitCode), r.Page, x[0], x[1], x[2], x[3])
			if err != nil {
				return fmt.Errorf("table %d row %d: %w", ti, ri, err)
			}
			rowID, err := res.LastInsertId()
			if err != nil {
				return err
			}
			for _, col := range cellKeys(r) {
				a := r.Values[col]
				amount, fen, places := amountArgs(a, unit)
				var raw sql.NullString
				if s, ok := r.Raw[col]; ok {
					raw = sql.NullString{String: s, Valid: true}
				}
				var box *yusuan.Rect
				if b, ok := r.Boxes[col]; ok {
					box = &b
				}
				bx := rectArgs(box)
				if _, err := cStmt.ExecContext(ctx, rowID, col, amount, fen, t.Unit, places, raw,
					bx[0], bx[1], bx[2], bx[3]); err != nil {
					return fmt.Errorf("table %d row %d cell %s: %w", ti, ri, col, err)
				}
			}
		}
	}
	return nil
}

// cellKeys are the columns a row has anything for, in a stable order.
func cellKeys(r yusuan.Row) []string {
	keys := make([]string, 0, len(r.Values))
	for k := range r.Values {
		keys = append(keys, k)
	}
	for k := range r.Raw {
		if _, ok := r.Values[k]; !ok {
			keys = append(keys, k)
		}
	}
	for k := range r.Boxes {
		_, v := r.Values[k]
		_, w := r.Raw[k]
		if !v && !w {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	return keys
}

// amountArgs are the amount, fen and places columns of an amount printed in
// unit u. fen stays NULL when the unit is unknown or the amount is finer
// than a fen; amount keeps the exact value regardless.
func amountArgs(a yusuan.Amount, u yusuan.Unit) (amount sql.NullString, fen sql.NullInt64, places sql.NullInt64) {
	if a.IsNull() {
		return
	}
	amount = sql.NullString{String: a.String(), Valid: true}
	places = sql.NullInt64{Int64: int64(a.Places()), Valid: true}
	if f, err := a.Fen(u); err == nil {
		fen = sql.NullInt64{Int64: f, Valid: true}
	}
	return
}

// FactUnit is the unit a narrative fact is stated in (docs/checks.md):
// percentages for *_pct, plain numbers for counts, otherwise 万元.
func FactUnit(key string) yusuan.Unit {
	switch {
	case strings.HasSuffix(key, "_pct"):
		return "%"
	case strings.HasSuffix(key, "_count"), strings.HasPrefix(key, "staff_"):
		return ""
	}
	return yusuan.WanYuan
}

func insertFacts(ctx context.Context, tx *sql.Tx, docID int64, doc *yusuan.Document) error {
	type fact struct {
		value    yusuan.Amount
		page     sql.NullInt64
		sentence sql.NullString
	}
	facts := map[string]*fact{}
	for k, v := range doc.Facts {
		facts[k] = &fact{value: v}
	}
	for _, src := range doc.Sources {
		f, ok := facts[src.Key]
		if !ok {
			f = &fact{value: src.Value}
			facts[src.Key] = f
		}
		if !f.page.Valid {
			f.page = sql.NullInt64{Int64: int64(src.Page), Valid: true}
			f.sentence = sql.NullString{String: src.Sentence, Valid: true}
		}
	}
	keys := make([]string, 0, len(facts))
	for k := range facts {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		f := facts[k]
		unit := FactUnit(k)
		amount, fen, places := amountArgs(f.value, unit)
		if _, err := tx.ExecContext(ctx, `INSERT INTO facts(document_id, key, amount, fen, unit, places, page, sentence)
			VALUES (?,?,?,?,?,?,?,?)`, docID, k, amount, fen, string(unit), places, f.page, f.sentence); err != nil {
			return fmt.Errorf("fact %s: %w", k, err)
		}
	}
	return nil
}

// NormalizeEntity is the form under which entity names are matched across
// documents: NFKC (full-width brackets and digits fold to ASCII) without
// any white space.
func NormalizeEntity(name string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, norm.NFKC.String(name))
}

// linkEntity finds or creates the entity a document names. A name in a
// group of aliases joins the entity of any name of its group.
func (s *Store) linkEntity(ctx context.Context, tx *sql.Tx, doc *yusuan.Document) (sql.NullInt64, error) {
	n := NormalizeEntity(doc.Meta.Entity)
	if n == "" {
		return sql.NullInt64{}, nil
	}
	names := s.aliases.names(n)
	if names == nil {
		names = []string{n}
	}
	var id int64
	for _, name := range names {
		err := tx.QueryRowContext(ctx, `SELECT entity_id FROM entity_names WHERE norm_name = ?`, name).Scan(&id)
		if err == nil {
			break
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return sql.NullInt64{}, err
		}
	}
	if id == 0 {
		scope := string(doc.Meta.Scope)
		if scope == "" {
			scope = string(yusuan.ScopeUnknown)
		}
		name, _ := s.aliases.Canonical(doc.Meta.Entity)
		res, err := tx.ExecContext(ctx, `INSERT INTO entities(name, scope, region) VALUES (?, ?, ?)`, name, scope, Region(name))
		if err != nil {
			return sql.NullInt64{}, err
		}
		if id, err = res.LastInsertId(); err != nil {
			return sql.NullInt64{}, err
		}
	}
	for _, name := range names {
		if _, err := tx.ExecContext(ctx, `INSERT INTO entity_names(norm_name, entity_id) VALUES (?, ?)
			ON CONFLICT (norm_name) DO NOTHING`, name, id); err != nil {
			return sql.NullInt64{}, err
		}
	}
	return sql.NullInt64{Int64: id, Valid: true}, nil
}

// SetEntityCode records the unit code (单位编码) of the entity a document
// belongs to. When another entity already has that code the two are the
// same unit under different names: the document (and, if its entity had no
// code, the whole entity with its names) joins the coded one.
func (s *Store) SetEntityCode(ctx context.Context, sha, code string) error {
	err := s.write(ctx, func(tx *sql.Tx) error {
		var docID int64
		var ent sql.NullInt64
		if err := tx.QueryRowContext(ctx, `SELECT id, entity_id FROM documents WHERE sha256 = ?`, sha).Scan(&docID, &ent); err != nil {
			if errors.Is(err, sql.ErrNoRows) {
				return ErrNotFound
			}
			return err
		}
		if err := setEntityCode(ctx, tx, docID, ent, code); err != nil {
			return err
		}
		// Documents changed entity: their groups of versions changed.
		if err := refreshVersions(ctx, tx, `entity_id IS ?`, ent); err != nil {
			return err
		}
		return refreshVersions(ctx, tx, `entity_id IS (SELECT entity_id FROM documents WHERE id = ?)`, docID)
	})
	if err != nil {
		return fmt.Errorf("store: entity code %s for %s: %w", code, sha, err)
	}
	return nil
}

func setEntityCode(ctx context.Context, tx *sql.Tx, docID int64, ent sql.NullInt64, code string) error {
	var coded int64
	err := tx.QueryRowContext(ctx, `SELECT id FROM entities WHERE code = ?`, code).Scan(&coded)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	if !ent.Valid {
		if coded == 0 {
			return fmt.Errorf("document names no entity and no entity has code %s", code)
		}
		_, err := tx.ExecContext(ctx, `UPDATE documents SET entity_id = ? WHERE id = ?`, coded, docID)
		return err
	}
	var own sql.NullString
	if err := tx.QueryRowContext(ctx, `SELECT code FROM entities WHERE id = ?`, ent.Int64).Scan(&own); err != nil {
		return err
	}
	switch {
	case coded == ent.Int64:
		return nil
	case coded == 0 && !own.Valid:
		_, err := tx.ExecContext(ctx, `UPDATE entities SET code = ? WHERE id = ?`, code, ent.Int64)
		return err
	case coded == 0:
		// Same name, different code: a different unit. Give it its own entity.
		var name, scope string
		if err := tx.QueryRowContext(ctx, `SELECT entity, scope FROM documents WHERE id = ?`, docID).Scan(&name, &scope); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO entities(name, scope, code, region) VALUES (?,?,?,?)`, name, scope, code, Region(name))
		if err != nil {
			return err
		}
		id, _ := res.LastInsertId()
		_, err = tx.ExecContext(ctx, `UPDATE documents SET entity_id = ? WHERE id = ?`, id, docID)
		return err
	case !own.Valid:
		for _, q := range []string{`UPDATE documents SET entity_id = ? WHERE entity_id = ?`,
			`UPDATE entity_names SET entity_id = ? WHERE entity_id = ?`, `UPDATE findings SET entity_id = ? WHERE entity_id = ?`} {
			if _, err := tx.ExecContext(ctx, q, coded, ent.Int64); err != nil {
				return err
			}
		}
		_, err := tx.ExecContext(ctx, `DELETE FROM entities WHERE id = ?`, ent.Int64)
		return err
	default:
		_, err := tx.ExecContext(ctx, `UPDATE documents SET entity_id = ? WHERE id = ?`, coded, docID)
		return err
	}
}

// Document returns the stored document exactly as the extractor produced it.
func (s *Store) Document(ctx context.Context, sha string) (*yusuan.Document, error) {
	b, err := s.DocumentJSON(ctx, sha)
	if err != nil {
		return nil, err
	}
	var doc yusuan.Document
	if err := json.Unmarshal(b, &doc); err != nil {
		return nil, fmt.Errorf("store: document %s: %w", sha, err)
	}
	return &doc, nil
}

// DocumentJSON returns the stored document's JSON, byte for byte as it was
// stored.
func (s *Store) DocumentJSON(ctx context.Context, sha string) ([]byte, error) {
	var blob []byte
	err := s.rd.QueryRowContext(ctx, `SELECT extract FROM documents WHERE sha256 = ?`, sha).Scan(&blob)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("store: %s: %w", sha, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("store: document %s: %w", sha, err)
	}
	b, err := decodeBlob(blob)
	if err != nil {
		return nil, fmt.Errorf("store: document %s: %w", sha, err)
	}
	return b, nil
}

const docInfoColumns = `d.id, d.sha256, d.size, d.file, d.pages, d.producer, d.text_layer, d.title, d.entity,
	coalesce(d.entity_id, 0), d.scope, d.kind, d.year, d.extractor, d.status, d.error, json_array_length(d.warnings),
	(SELECT count(*) FROM tables t WHERE t.document_id = d.id), d.ingested_at, d.extracted_at, d.current,
	coalesce((SELECT x.sha256 FROM documents x WHERE x.id = d.superseded_by), ''),
	coalesce((SELECT x.sha256 FROM documents x WHERE x.id = d.copy_of), ''), coalesce(d.content_digest, ''),
	coalesce((SELECT e.region FROM entities e WHERE e.id = d.entity_id), '')`

func scanDocInfo(sc interface{ Scan(...any) error }) (DocInfo, error) {
	var di DocInfo
	var tl int
	var scope, kind, ing, ext string
	err := sc.Scan(&di.ID, &di.SHA256, &di.Size, &di.File, &di.Pages, &di.Producer, &tl, &di.Title, &di.Entity,
		&di.EntityID, &scope, &kind, &di.Year, &di.Extractor, &di.Status, &di.Error, &di.Warnings, &di.Tables, &ing, &ext,
		&di.Current, &di.SupersededBy, &di.CopyOf, &di.ContentDigest, &di.Region)
	di.TextLayer = tl != 0
	di.Scope, di.Kind = yusuan.Scope(scope), yusuan.DocKind(kind)
	di.IngestedAt, di.ExtractedAt = parseTime(ing), parseTime(ext)
	return di, err
}

// Documents lists the documents matching f, in ingest order.
func (s *Store) Documents(ctx context.Context, f Filter) ([]DocInfo, error) {
	where, args := f.where()
	rows, err := s.rd.QueryContext(ctx, `SELECT `+docInfoColumns+` FROM documents d`+where, args...)
	if err != nil {
		return nil, fmt.Errorf("store: documents: %w", err)
	}
	defer rows.Close()
	var out []DocInfo
	for rows.Next() {
		di, err := scanDocInfo(rows)
		if err != nil {
			return nil, fmt.Errorf("store: documents: %w", err)
		}
		out = append(out, di)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: documents: %w", err)
	}
	return out, nil
}

// Count is the number of documents matching f.
func (s *Store) Count(ctx context.Context, f Filter) (int, error) {
	f.Limit = 0
	where, args := f.where()
	var n int
	if err := s.rd.QueryRowContext(ctx, `SELECT count(*) FROM documents d`+where, args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("store: count: %w", err)
	}
	return n, nil
}

// DocumentError is a stored document that could not be read back.
type DocumentError struct {
	SHA256 string
	Err    error
}

func (e *DocumentError) Error() string { return "store: document " + e.SHA256 + ": " + e.Err.Error() }
func (e *DocumentError) Unwrap() error { return e.Err }

// AllDocuments streams the full documents matching f, in ingest order,
// holding one at a time. Stop early by breaking out of the loop. A record
// that cannot be read yields a *DocumentError and the stream goes on.
func (s *Store) AllDocuments(ctx context.Context, f Filter) iter.Seq2[*yusuan.Document, error] {
	return func(yield func(*yusuan.Document, error) bool) {
		where, args := f.where()
		rows, err := s.rd.QueryContext(ctx, `SELECT d.sha256, d.extract FROM documents d`+where, args...)
		if err != nil {
			yield(nil, fmt.Errorf("store: documents: %w", err))
			return
		}
		defer rows.Close()
		for rows.Next() {
			var sha string
			var blob []byte
			if err := rows.Scan(&sha, &blob); err != nil {
				yield(nil, fmt.Errorf("store: documents: %w", err))
				return
			}
			b, err := decodeBlob(blob)
			var doc yusuan.Document
			if err == nil {
				err = json.Unmarshal(b, &doc)
			}
			if err != nil {
				if !yield(nil, &DocumentError{SHA256: sha, Err: err}) {
					return
				}
				continue
			}
			if !yield(&doc, nil) {
				return
			}
		}
		if err := rows.Err(); err != nil {
			yield(nil, fmt.Errorf("store: documents: %w", err))
		}
	}
}

// encodeDoc is the stored form of a document: its JSON, zlib-compressed
// (at BestSpeed the JSON of a typical document shrinks six- to tenfold;
// the relational tables are what queries read).
func encodeDoc(doc *yusuan.Document) ([]byte, error) {
	j, err := json.Marshal(doc)
	if err != nil {
		return nil, fmt.Errorf("store: encode %s: %w", doc.SHA256, err)
	}
	var buf bytes.Buffer
	zw, _ := zlib.NewWriterLevel(&buf, zlib.BestSpeed)
	zw.Write(j)
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// decodeBlob reverses encodeDoc; plain JSON (a blob starting with '{') is
// accepted too.
func decodeBlob(blob []byte) ([]byte, error) {
	if len(blob) > 0 && blob[0] == '{' {
		return blob, nil
	}
	zr, err := zlib.NewReader(bytes.NewReader(blob))
	if err != nil {
		return nil, err
	}
	defer zr.Close()
	return io.ReadAll(zr)
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func nullStr(s string) sql.NullString { return sql.NullString{String: s, Valid: s != ""} }

func rectArgs(r *yusuan.Rect) [4]sql.NullFloat64 {
	var out [4]sql.NullFloat64
	if r != nil {
		for i := range r {
			out[i] = sql.NullFloat64{Float64: r[i], Valid: true}
		}
	}
	return out
}
