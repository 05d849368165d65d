package store

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"yusuan"
)

// Read queries for the web UI (yusuan serve) and its JSON API: lists of
// documents with totals, the overview's counts, an entity and the figures
// of its documents, the last harvests. Like everything the web UI reads,
// they go through the read-only pool.

// DocumentQuery selects documents for a list; zero fields match everything.
type DocumentQuery struct {
	Year     int
	Kind     yusuan.DocKind
	Scope    yusuan.Scope
	Status   string // StatusOK or StatusFailed
	Region   string // a region prefix: 江苏省 matches 江苏省苏州市
	Entity   string // substring of any of the entity's names (aliases too)
	EntityID int64
	// All includes superseded versions and copies; by default a list shows
	// current documents only, each figure once.
	All bool
	// Limit (0: no limit) and Offset page through the list, newest year
	// first, then latest stored first.
	Limit, Offset int
}

// Validate reports a query the store cannot apply.
func (q DocumentQuery) Validate() error {
	switch q.Status {
	case "", StatusOK, StatusFailed:
	default:
		return fmt.Errorf("unknown status %q (ok or failed)", q.Status)
	}
	if q.Limit < 0 || q.Offset < 0 {
		return errors.New("negative limit or offset")
	}
	return nil
}

// DocumentList is one page of documents and how many match in all.
type DocumentList struct {
	Documents []DocInfo
	Total     int
}

func (q DocumentQuery) where(ctx context.Context, db querier) (string, []any, error) {
	var conds []string
	var args []any
	add := func(c string, a ...any) { conds = append(conds, c); args = append(args, a...) }
	if !q.All {
		add("d.current = 1")
	}
	if q.Year != 0 {
		add("d.year = ?", q.Year)
	}
	if q.Kind != "" {
		add("d.kind = ?", string(q.Kind))
	}
	if q.Scope != "" {
		add("d.scope = ?", string(q.Scope))
	}
	if q.Status != "" {
		add("d.status = ?", q.Status)
	}
	if q.EntityID != 0 {
		add("d.entity_id = ?", q.EntityID)
	}
	if q.Entity != "" {
		ids, err := entitiesNamed(ctx, db, q.Entity)
		switch {
		case err != nil:
			return "", nil, err
		case len(ids) == 0:
			add("0")
		case len(ids) > maxEntityIDs:
			add(`d.entity LIKE '%' || ? || '%' ESCAPE '\'`, escapeLike(q.Entity))
		default:
			add("d.entity_id IN "+placeholders(len(ids)), ids...)
		}
	}
	if q.Region != "" {
		add("d.entity_id IN (SELECT id FROM entities WHERE region >= ? AND region < ?)", q.Region, q.Region+"\U0010FFFF")
	}
	if len(conds) == 0 {
		return "", nil, nil
	}
	return " WHERE " + strings.Join(conds, " AND "), args, nil
}

// QueryDocuments returns one page of the documents matching q and how many
// match in all.
func (s *Store) QueryDocuments(ctx context.Context, q DocumentQuery) (DocumentList, error) {
	if err := q.Validate(); err != nil {
		return DocumentList{}, fmt.Errorf("store: documents: %w", err)
	}
	var out DocumentList
	err := s.read(ctx, func(tx *sql.Tx) error {
		where, args, err := q.where(ctx, tx)
		if err != nil {
			return err
		}
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM documents d`+where, args...).Scan(&out.Total); err != nil {
			return err
		}
		// The page's ids from an index first: the columns after the
		// extract blob are read for its rows only.
		page := `SELECT d.id FROM documents d` + where + ` ORDER BY d.year DESC, d.id DESC`
		if q.Limit > 0 || q.Offset > 0 {
			limit := q.Limit
			if limit == 0 {
				limit = -1
			}
			page += fmt.Sprintf(" LIMIT %d OFFSET %d", limit, q.Offset)
		}
		ids, err := int64s(ctx, tx, page, args...)
		if err != nil || len(ids) == 0 {
			return err
		}
		rows, err := tx.QueryContext(ctx, `SELECT `+docInfoColumns+` FROM documents d WHERE d.id IN `+placeholders(len(ids)), ids...)
		if err != nil {
			return err
		}
		defer rows.Close()
		byID := make(map[int64]DocInfo, len(ids))
		for rows.Next() {
			di, err := scanDocInfo(rows)
			if err != nil {
				return err
			}
			byID[di.ID] = di
		}
		if err := rows.Err(); err != nil {
			return err
		}
		for _, id := range ids {
			out.Documents = append(out.Documents, byID[id.(int64)])
		}
		return nil
	})
	if err != nil {
		return DocumentList{}, fmt.Errorf("store: documents: %w", err)
	}
	return out, nil
}

// int64s runs a query of one integer column and returns its values.
func int64s(ctx context.Context, q querier, query string, args ...any) ([]any, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []any
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

// DocumentInfo returns one document's summary by digest.
func (s *Store) DocumentInfo(ctx context.Context, sha string) (DocInfo, error) {
	di, err := scanDocInfo(s.rd.QueryRowContext(ctx, `SELECT `+docInfoColumns+` FROM documents d WHERE d.sha256 = ?`, sha))
	if errors.Is(err, sql.ErrNoRows) {
		return DocInfo{}, fmt.Errorf("store: %s: %w", sha, ErrNotFound)
	}
	if err != nil {
		return DocInfo{}, fmt.Errorf("store: document %s: %w", sha, err)
	}
	return di, nil
}

// DocumentCount is the number of current documents of one year, kind,
// scope and status.
type DocumentCount struct {
	Year   int
	Kind   yusuan.DocKind
	Scope  yusuan.Scope
	Status string
	N      int
}

// CountDocuments counts the current documents by year, kind, scope and
// status (the overview).
func (s *Store) CountDocuments(ctx context.Context) ([]DocumentCount, error) {
	rows, err := s.rd.QueryContext(ctx, `SELECT year, kind, scope, status, count(*) FROM documents
		WHERE current = 1 GROUP BY year, kind, scope, status ORDER BY year DESC, kind, scope, status`)
	if err != nil {
		return nil, fmt.Errorf("store: count documents: %w", err)
	}
	defer rows.Close()
	var out []DocumentCount
	for rows.Next() {
		var c DocumentCount
		var kind, scope string
		if err := rows.Scan(&c.Year, &kind, &scope, &c.Status, &c.N); err != nil {
			return nil, fmt.Errorf("store: count documents: %w", err)
		}
		c.Kind, c.Scope = yusuan.DocKind(kind), yusuan.Scope(scope)
		out = append(out, c)
	}
	return out, rows.Err()
}

// RegionCount is the number of current documents of entities in one
// region ("" for entities whose name begins with no place, and documents
// naming no entity).
type RegionCount struct {
	Region string
	N      int
}

// CountDocumentsByRegion counts the current documents by their entity's
// region, most first.
func (s *Store) CountDocumentsByRegion(ctx context.Context) ([]RegionCount, error) {
	// Counted per entity first: one look-up per entity, not per document.
	rows, err := s.rd.QueryContext(ctx, `SELECT coalesce(e.region, ''), sum(c.n) FROM
		(SELECT entity_id, count(*) AS n FROM documents WHERE current = 1 GROUP BY entity_id) c
		LEFT JOIN entities e ON e.id = c.entity_id GROUP BY 1 ORDER BY 2 DESC, 1`)
	if err != nil {
		return nil, fmt.Errorf("store: count by region: %w", err)
	}
	defer rows.Close()
	var out []RegionCount
	for rows.Next() {
		var c RegionCount
		if err := rows.Scan(&c.Region, &c.N); err != nil {
			return nil, fmt.Errorf("store: count by region: %w", err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// FailureCount is how many documents could not be extracted for one
// reason, with the latest of them.
type FailureCount struct {
	// Kind is the extractor's word for the failure (timeout, limit,
	// damaged, encrypted, not-pdf, internal: the document's error_kind);
	// "" for documents stored without one, which are counted by Error.
	Kind   string
	Error  string // the latest document's reason
	N      int
	SHA256 string // the latest document
}

// maxFailuresRead bounds the failed documents CountFailures reads (the
// latest ones): the kind is inside each document's stored extraction.
const maxFailuresRead = 10_000

// CountFailures groups the documents that could not be extracted by kind
// (by reason for those without one), most frequent first, up to limit
// groups, over the latest maxFailuresRead failures.
func (s *Store) CountFailures(ctx context.Context, limit int) ([]FailureCount, error) {
	var out []FailureCount
	err := s.read(ctx, func(tx *sql.Tx) error {
		// The failed documents' ids from their partial index first (an
		// ORDER BY id would walk every document's row instead), the
		// latest of them read.
		ids, err := int64s(ctx, tx, `SELECT id FROM documents WHERE status = 'failed'`)
		if err != nil {
			return err
		}
		slices.SortFunc(ids, func(a, b any) int { return cmp.Compare(b.(int64), a.(int64)) })
		ids = ids[:min(len(ids), maxFailuresRead)]
		at := map[[2]string]int{}
		for start := 0; start < len(ids); start += 500 {
			part := ids[start:min(start+500, len(ids))]
			rows, err := tx.QueryContext(ctx, `SELECT id, sha256, error, extract FROM documents WHERE id IN `+placeholders(len(part)), part...)
			if err != nil {
				return err
			}
			type failed struct {
				id       int64
				sha, msg string
				kind     string
			}
			var batch []failed
			for rows.Next() {
				var f failed
				var blob []byte
				if err := rows.Scan(&f.id, &f.sha, &f.msg, &blob); err != nil {
					rows.Close()
					return err
				}
				var rec struct {
					Kind string `json:"error_kind"`
				}
				if b, err := decodeBlob(blob); err == nil {
					_ = json.Unmarshal(b, &rec)
				}
				f.kind = rec.Kind
				batch = append(batch, f)
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return err
			}
			slices.SortFunc(batch, func(a, b failed) int { return cmp.Compare(b.id, a.id) })
			for _, f := range batch {
				key := [2]string{f.kind, ""}
				if f.kind == "" {
					key[1] = f.msg
				}
				if i, ok := at[key]; ok {
					out[i].N++
					continue
				}
				at[key] = len(out)
				out = append(out, FailureCount{Kind: f.kind, Error: f.msg, N: 1, SHA256: f.sha})
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("store: count failures: %w", err)
	}
	slices.SortStableFunc(out, func(a, b FailureCount) int { return cmp.Compare(b.N, a.N) })
	return out[:min(len(out), max(limit, 1))], nil
}

// FailureStamp changes when a document fails or stops failing: it names
// the set of failed documents (read from their index alone), so that a
// caller can keep CountFailures, which reads each of them, until it does.
func (s *Store) FailureStamp(ctx context.Context) (string, error) {
	var n, last, sum int64
	err := s.rd.QueryRowContext(ctx, `SELECT count(*), coalesce(max(id), 0), coalesce(sum(id), 0) FROM documents
		WHERE status = 'failed'`).Scan(&n, &last, &sum)
	if err != nil {
		return "", fmt.Errorf("store: failure stamp: %w", err)
	}
	return fmt.Sprintf("%d/%d/%d", n, last, sum), nil
}

// ErrEntityNotFound means no entity has that id.
var ErrEntityNotFound = errors.New("entity not found")

// EntityInfo is a unit or department followed across years.
type EntityInfo struct {
	ID     int64
	Name   string // as shown (the first name of its aliases, or as first printed)
	Scope  yusuan.Scope
	Code   string // unit code (单位编码), "" unknown
	Region string
	Names  []string // every normalised name it published under
}

// Entity returns the entity with this id.
func (s *Store) Entity(ctx context.Context, id int64) (EntityInfo, error) {
	e := EntityInfo{ID: id}
	var scope string
	var code, region sql.NullString
	err := s.rd.QueryRowContext(ctx, `SELECT name, scope, code, region FROM entities WHERE id = ?`, id).
		Scan(&e.Name, &scope, &code, &region)
	if errors.Is(err, sql.ErrNoRows) {
		return EntityInfo{}, fmt.Errorf("store: entity %d: %w", id, ErrEntityNotFound)
	}
	if err != nil {
		return EntityInfo{}, fmt.Errorf("store: entity %d: %w", id, err)
	}
	e.Scope, e.Code, e.Region = yusuan.Scope(scope), code.String, region.String
	rows, err := s.rd.QueryContext(ctx, `SELECT norm_name FROM entity_names WHERE entity_id = ? ORDER BY norm_name`, id)
	if err != nil {
		return EntityInfo{}, fmt.Errorf("store: entity %d: %w", id, err)
	}
	defer rows.Close()
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return EntityInfo{}, fmt.Errorf("store: entity %d: %w", id, err)
		}
		e.Names = append(e.Names, n)
	}
	return e, rows.Err()
}

// FigureRow is a row without a code (a total line: 合计, 收入总计…) of a
// table in one of an entity's documents, with its figures: what key
// figures across years are read from.
type FigureRow struct {
	SHA256 string
	Table  int // index in the document's tables
	Kind   yusuan.TableKind
	Label  string
	Title  string
	Unit   string
	Row    int // index in the table's rows
	Side   yusuan.Side
	Name   string
	Page   int
	Values map[string]yusuan.Amount
}

// EntityRows lists the rows without a code of the tables of these kinds
// in every document of the entity, in document, table and row order. The
// joins are in that order (CROSS JOIN fixes it): the entity's few
// documents first, never every row without a code.
func (s *Store) EntityRows(ctx context.Context, entityID int64, kinds []yusuan.TableKind) ([]FigureRow, error) {
	if len(kinds) == 0 {
		return nil, nil
	}
	args := []any{entityID}
	for _, k := range kinds {
		args = append(args, string(k))
	}
	rows, err := s.rd.QueryContext(ctx, `SELECT d.sha256, t.seq, t.kind, t.label, t.title, t.unit, r.id, r.seq,
		coalesce(r.side, ''), r.name, r.page, c.col, c.amount
		FROM documents d CROSS JOIN tables t CROSS JOIN rows r LEFT JOIN cells c ON c.row_id = r.id
		WHERE d.entity_id = ? AND t.document_id = d.id AND t.kind IN `+placeholders(len(kinds))+`
			AND r.table_id = t.id AND +r.code IS NULL
		ORDER BY d.id, t.seq, r.seq`, args...)
	if err != nil {
		return nil, fmt.Errorf("store: figures of entity %d: %w", entityID, err)
	}
	defer rows.Close()
	var out []FigureRow
	var last int64
	for rows.Next() {
		var f FigureRow
		var rowID int64
		var kind, side string
		var col, amount sql.NullString
		if err := rows.Scan(&f.SHA256, &f.Table, &kind, &f.Label, &f.Title, &f.Unit, &rowID, &f.Row, &side, &f.Name,
			&f.Page, &col, &amount); err != nil {
			return nil, fmt.Errorf("store: figures of entity %d: %w", entityID, err)
		}
		if rowID != last || len(out) == 0 {
			f.Kind, f.Side, f.Values = yusuan.TableKind(kind), yusuan.Side(side), map[string]yusuan.Amount{}
			out = append(out, f)
			last = rowID
		}
		if col.Valid && amount.Valid {
			a, err := yusuan.ParseAmount(amount.String)
			if err != nil {
				return nil, fmt.Errorf("store: figures of entity %d: %w", entityID, err)
			}
			out[len(out)-1].Values[col.String] = a
		}
	}
	return out, rows.Err()
}

// FactRecord is one figure stated in a document's narrative.
type FactRecord struct {
	SHA256   string
	Key      string
	Amount   yusuan.Amount
	Unit     string
	Page     int
	Sentence string
}

// EntityFacts lists the narrative facts with these keys in every document
// of the entity.
func (s *Store) EntityFacts(ctx context.Context, entityID int64, keys []string) ([]FactRecord, error) {
	if len(keys) == 0 {
		return nil, nil
	}
	args := []any{entityID}
	for _, k := range keys {
		args = append(args, k)
	}
	rows, err := s.rd.QueryContext(ctx, `SELECT d.sha256, f.key, f.amount, f.unit, coalesce(f.page, 0), coalesce(f.sentence, '')
		FROM documents d CROSS JOIN facts f
		WHERE d.entity_id = ? AND f.document_id = d.id AND f.key IN `+placeholders(len(keys))+` AND f.amount IS NOT NULL
		ORDER BY d.id, f.key`, args...)
	if err != nil {
		return nil, fmt.Errorf("store: facts of entity %d: %w", entityID, err)
	}
	defer rows.Close()
	var out []FactRecord
	for rows.Next() {
		var f FactRecord
		var amount string
		if err := rows.Scan(&f.SHA256, &f.Key, &amount, &f.Unit, &f.Page, &f.Sentence); err != nil {
			return nil, fmt.Errorf("store: facts of entity %d: %w", entityID, err)
		}
		if f.Amount, err = yusuan.ParseAmount(amount); err != nil {
			return nil, fmt.Errorf("store: facts of entity %d: %w", entityID, err)
		}
		out = append(out, f)
	}
	return out, rows.Err()
}

// CrawlRunSummary is one crawl of a site (the fetching part of a harvest)
// with what it brought: responses fetched, failures, files seen for the
// first time and revised files (new bytes at a known URL).
type CrawlRunSummary struct {
	ID       int64
	Site     string
	Started  time.Time
	Finished time.Time // zero while running or after a kill
	Fetched  int
	Failed   int
	NewFiles int
	Revised  int
}

// RecentCrawlRuns lists the latest n crawl runs, newest first.
func (s *Store) RecentCrawlRuns(ctx context.Context, n int) ([]CrawlRunSummary, error) {
	var out []CrawlRunSummary
	err := s.read(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT id, site, started_at, coalesce(finished_at, '') FROM crawl_runs
			ORDER BY id DESC LIMIT ?`, max(n, 0))
		if err != nil {
			return err
		}
		for rows.Next() {
			var r CrawlRunSummary
			var st, fin string
			if err := rows.Scan(&r.ID, &r.Site, &st, &fin); err != nil {
				rows.Close()
				return err
			}
			r.Started, r.Finished = parseTime(st), parseTime(fin)
			out = append(out, r)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for i := range out {
			r := &out[i]
			if err := tx.QueryRowContext(ctx, `SELECT count(*), coalesce(sum(state = 'failed'), 0) FROM crawl_log WHERE run_id = ?`,
				r.ID).Scan(&r.Fetched, &r.Failed); err != nil {
				return err
			}
			// Versions carry no run: those of the site's URLs first seen
			// while the run went on.
			end := formatTime(r.Finished)
			if end == "" {
				end = formatTime(time.Now())
			}
			if err := tx.QueryRowContext(ctx, `SELECT coalesce(sum(v.version = 1), 0), coalesce(sum(v.version > 1), 0)
				FROM crawl_versions v JOIN crawl_urls u ON u.url = v.url
				WHERE v.seen_at >= ? AND v.seen_at <= ? AND u.site = ?`, formatTime(r.Started), end, r.Site).Scan(&r.NewFiles, &r.Revised); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("store: crawl runs: %w", err)
	}
	return out, nil
}
