package store

import (
	"cmp"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"strings"

	"yusuan"
)

// ContentDigest identifies what was extracted from a document: every
// table's kind and unit, every row's side, code and name with its figures,
// and the narrative's facts. Positions, pages, titles and the file's bytes
// do not count, so byte-different copies of one document (re-saved,
// re-rendered, another producer) share it. It is "" when nothing was
// extracted (a failed or image-only file): such documents cannot be told
// apart by content.
func ContentDigest(doc *yusuan.Document) string {
	if doc.Error != "" {
		return ""
	}
	h := sha256.New()
	figures := 0
	for _, t := range doc.Tables {
		fmt.Fprintf(h, "T\x1f%s\x1f%s\n", t.Kind, t.Unit)
		for _, r := range t.Rows {
			fmt.Fprintf(h, "R\x1f%s\x1f%s\x1f%s", r.Side, r.CodeString(), squeeze(r.Name))
			for _, k := range sortedKeys(r.Values) {
				if a := r.Values[k]; !a.IsNull() {
					fmt.Fprintf(h, "\x1f%s=%s", k, a)
					figures++
				}
			}
			io.WriteString(h, "\n")
		}
	}
	for _, k := range sortedKeys(doc.Facts) {
		fmt.Fprintf(h, "F\x1f%s=%s\n", k, doc.Facts[k])
		figures++
	}
	if figures == 0 {
		return ""
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func squeeze(s string) string {
	return strings.Join(strings.Fields(strings.ReplaceAll(s, "\u3000", " ")), "")
}

// versionDoc is what deciding a document's currency needs.
type versionDoc struct {
	id                   int64
	entity               int64 // 0: none
	year                 int
	kind, scope          string
	ok                   bool // extracted without error
	digest               string
	part                 int // what of a disclosure it holds: partTables|partNarrative
	current              bool
	supersededBy, copyOf sql.NullInt64
}

func (d versionDoc) group() [4]any { return [4]any{d.entity, d.year, d.kind, d.scope} }

// Parts of a disclosure a document holds. Portals often publish one
// disclosure as two files, the narrative and the tables: those are parts of
// one disclosure, not versions of each other.
const (
	partTables    = 1 << iota // tables with rows
	partNarrative             // facts stated in a narrative
)

// assignGroup decides currency within one group: when it holds only
// single-part documents of both parts (a narrative file and a tables file),
// each part has its own versions; otherwise all are versions of one another
// (a combined file republished supersedes its parts).
func assignGroup(docs []versionDoc) {
	var tables, narrative []versionDoc
	for _, d := range docs {
		switch d.part {
		case partTables:
			tables = append(tables, d)
		case partNarrative:
			narrative = append(narrative, d)
		case partTables | partNarrative:
			assignVersions(docs)
			return
		}
	}
	if len(tables) == 0 || len(narrative) == 0 {
		assignVersions(docs)
		return
	}
	// Documents with neither part (scans, failures) go with the tables.
	for _, d := range docs {
		if d.part == 0 {
			tables = append(tables, d)
		}
	}
	slices.SortFunc(tables, func(a, b versionDoc) int { return cmp.Compare(a.id, b.id) })
	assignVersions(tables)
	assignVersions(narrative)
	byID := make(map[int64]versionDoc, len(docs))
	for _, d := range append(tables, narrative...) {
		byID[d.id] = d
	}
	for i := range docs {
		docs[i] = byID[docs[i].id]
	}
}

// versioned: only documents that say whose, which year's and what kind of
// disclosure they are can be versions of one another.
func (d versionDoc) versioned() bool {
	return d.entity != 0 && d.year != 0 &&
		(d.kind == string(yusuan.KindBudget) || d.kind == string(yusuan.KindFinalAccount))
}

// assignVersions decides, for the documents of one group in ingest order,
// which is current: copies (same content digest) point at the first
// document with their content; of the distinct contents the one that
// appeared last is current and supersedes the others; documents without
// content are superseded by it too (a scan republished after the text
// version adds no figures), and only when no document has content is the
// latest of them current. Failed documents stand alone.
func assignVersions(docs []versionDoc) {
	first := map[string]int64{}
	var withContent, without []int
	for i := range docs {
		d := &docs[i]
		d.current, d.supersededBy, d.copyOf = true, sql.NullInt64{}, sql.NullInt64{}
		if !d.ok {
			continue
		}
		if d.digest == "" {
			without = append(without, i)
			continue
		}
		if c, ok := first[d.digest]; ok {
			d.current, d.copyOf = false, sql.NullInt64{Int64: c, Valid: true}
			continue
		}
		first[d.digest] = d.id
		withContent = append(withContent, i)
	}
	if len(docs) == 0 || !docs[0].versioned() {
		return
	}
	versions := withContent
	if len(versions) == 0 {
		versions, without = without, nil
	}
	if len(versions) == 0 {
		return
	}
	latest := docs[versions[len(versions)-1]].id
	for _, i := range append(versions[:len(versions)-1:len(versions)-1], without...) {
		docs[i].current, docs[i].supersededBy = false, sql.NullInt64{Int64: latest, Valid: true}
	}
}

// refreshVersions recomputes current, superseded_by and copy_of for the
// documents matching where (which must take whole groups: an entity, a
// group, or everything) and writes what changed.
func refreshVersions(ctx context.Context, tx *sql.Tx, where string, args ...any) error {
	rows, err := tx.QueryContext(ctx, `SELECT id, coalesce(entity_id, 0), year, kind, scope, status = 'ok',
		coalesce(content_digest, ''),
		(EXISTS (SELECT 1 FROM tables t JOIN rows r ON r.table_id = t.id WHERE t.document_id = documents.id)) * ?
		+ (EXISTS (SELECT 1 FROM facts f WHERE f.document_id = documents.id)) * ?,
		current, superseded_by, copy_of FROM documents WHERE `+where+`
		ORDER BY entity_id, year, kind, scope, id`, append([]any{partTables, partNarrative}, args...)...)
	if err != nil {
		return fmt.Errorf("versions: %w", err)
	}
	var docs []versionDoc
	for rows.Next() {
		var d versionDoc
		if err := rows.Scan(&d.id, &d.entity, &d.year, &d.kind, &d.scope, &d.ok, &d.digest, &d.part, &d.current,
			&d.supersededBy, &d.copyOf); err != nil {
			rows.Close()
			return fmt.Errorf("versions: %w", err)
		}
		docs = append(docs, d)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("versions: %w", err)
	}
	before := slices.Clone(docs)
	for i := 0; i < len(docs); {
		j := i + 1
		for j < len(docs) && docs[j].group() == docs[i].group() {
			j++
		}
		assignGroup(docs[i:j])
		i = j
	}
	upd, err := tx.PrepareContext(ctx, `UPDATE documents SET current = ?, superseded_by = ?, copy_of = ? WHERE id = ?`)
	if err != nil {
		return err
	}
	defer upd.Close()
	for i, d := range docs {
		b := before[i]
		if d.current == b.current && d.supersededBy == b.supersededBy && d.copyOf == b.copyOf {
			continue
		}
		if _, err := upd.ExecContext(ctx, boolInt(d.current), d.supersededBy, d.copyOf, d.id); err != nil {
			return fmt.Errorf("versions: %w", err)
		}
	}
	return nil
}

// refreshGroupOf recomputes the versions of the group a document is in.
func refreshGroupOf(ctx context.Context, tx *sql.Tx, docID int64) error {
	var ent sql.NullInt64
	var year int
	var kind, scope string
	if err := tx.QueryRowContext(ctx, `SELECT entity_id, year, kind, scope FROM documents WHERE id = ?`, docID).
		Scan(&ent, &year, &kind, &scope); err != nil {
		return fmt.Errorf("versions: %w", err)
	}
	return refreshVersions(ctx, tx, groupWhere, ent, year, kind, scope)
}

// groupWhere selects one group of versions: entity_id, year, kind, scope.
const groupWhere = `entity_id IS ? AND year = ? AND kind = ? AND scope = ?`

// backfill computes what migrations cannot (they run SQL only): content
// digests of documents stored before 0201, the regions of entities, and
// then every document's currency. It does nothing on an up-to-date store.
func (s *Store) backfill(ctx context.Context) error {
	var missing int
	if err := s.wr.QueryRowContext(ctx, `SELECT count(*) FROM documents WHERE content_digest IS NULL`).Scan(&missing); err != nil {
		return fmt.Errorf("store: backfill: %w", err)
	}
	if missing > 0 {
		slog.Info("store: computing content digests of stored documents (once)", "documents", missing)
		if err := s.backfillDigests(ctx); err != nil {
			return err
		}
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		if err := fillRegions(ctx, tx); err != nil {
			return err
		}
		if missing > 0 {
			return refreshVersions(ctx, tx, `1`)
		}
		return nil
	})
}

// backfillDigests computes the content digest of every document lacking
// one, a thousand documents per transaction.
func (s *Store) backfillDigests(ctx context.Context) error {
	for {
		done := 0
		err := s.write(ctx, func(tx *sql.Tx) error {
			rows, err := tx.QueryContext(ctx, `SELECT id, extract FROM documents WHERE content_digest IS NULL LIMIT 1000`)
			if err != nil {
				return err
			}
			type dig struct {
				id     int64
				digest string
			}
			var out []dig
			for rows.Next() {
				var id int64
				var blob []byte
				if err := rows.Scan(&id, &blob); err != nil {
					rows.Close()
					return err
				}
				var doc yusuan.Document
				b, err := decodeBlob(blob)
				if err == nil {
					err = json.Unmarshal(b, &doc)
				}
				digest := ""
				if err == nil {
					digest = ContentDigest(&doc)
				} else {
					slog.Warn("store: unreadable stored document: counted as without content", "id", id, "err", err)
				}
				out = append(out, dig{id, digest})
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return err
			}
			for _, d := range out {
				if _, err := tx.ExecContext(ctx, `UPDATE documents SET content_digest = ? WHERE id = ?`, d.digest, d.id); err != nil {
					return err
				}
			}
			done = len(out)
			return nil
		})
		if err != nil {
			return fmt.Errorf("store: backfill digests: %w", err)
		}
		if done == 0 {
			return nil
		}
	}
}

// fillRegions sets the region of entities that have none yet.
func fillRegions(ctx context.Context, tx *sql.Tx) error {
	rows, err := tx.QueryContext(ctx, `SELECT id, name FROM entities WHERE region IS NULL`)
	if err != nil {
		return fmt.Errorf("regions: %w", err)
	}
	type ent struct {
		id   int64
		name string
	}
	var ents []ent
	for rows.Next() {
		var e ent
		if err := rows.Scan(&e.id, &e.name); err != nil {
			rows.Close()
			return fmt.Errorf("regions: %w", err)
		}
		ents = append(ents, e)
	}
	rows.Close()
	// The findings of an entity carry its region too (filters and totals
	// read them there): an entity whose region is recomputed passes it on.
	moved := int64(0)
	for _, e := range ents {
		r := Region(e.name)
		if _, err := tx.ExecContext(ctx, `UPDATE entities SET region = ? WHERE id = ?`, r, e.id); err != nil {
			return fmt.Errorf("regions: %w", err)
		}
		res, err := tx.ExecContext(ctx, `UPDATE findings SET region = ?, province = ? WHERE entity_id = ? AND (region <> ? OR province <> ?)`,
			r, Province(r), e.id, r, Province(r))
		if err != nil {
			return fmt.Errorf("regions: findings: %w", err)
		}
		n, _ := res.RowsAffected()
		moved += n
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if moved > 0 {
		return recountTotals(ctx, tx)
	}
	return nil
}

// DocumentVersions lists the documents of sha's entity, year, kind and
// scope (its versions and copies, itself included) in ingest order.
func (s *Store) DocumentVersions(ctx context.Context, sha string) ([]DocInfo, error) {
	var ent sql.NullInt64
	var year int
	var kind, scope string
	err := s.rd.QueryRowContext(ctx, `SELECT entity_id, year, kind, scope FROM documents WHERE sha256 = ?`, sha).
		Scan(&ent, &year, &kind, &scope)
	if err == sql.ErrNoRows {
		return nil, fmt.Errorf("store: versions of %s: %w", sha, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("store: versions of %s: %w", sha, err)
	}
	if !ent.Valid || year == 0 {
		return s.Documents(ctx, Filter{SHA256: sha}) // no group to be a version in
	}
	out, err := s.Documents(ctx, Filter{EntityID: ent.Int64, Year: year, Kind: yusuan.DocKind(kind), Scope: yusuan.Scope(scope)})
	slices.SortFunc(out, func(a, b DocInfo) int { return cmp.Compare(a.ID, b.ID) })
	return out, err
}

// Superseded maps the digest of every document superseded by a later
// version to the digest of the current one (copies are not listed: see
// Copies).
func (s *Store) Superseded(ctx context.Context) (map[string]string, error) {
	return s.pairs(ctx, `SELECT d.sha256, c.sha256 FROM documents d JOIN documents c ON c.id = d.superseded_by`)
}

// Copies maps the digest of every copy of a document to the digest of the
// document it copies (the first stored with its content).
func (s *Store) Copies(ctx context.Context) (map[string]string, error) {
	return s.pairs(ctx, `SELECT d.sha256, c.sha256 FROM documents d JOIN documents c ON c.id = d.copy_of`)
}

func (s *Store) pairs(ctx context.Context, q string) (map[string]string, error) {
	rows, err := s.rd.QueryContext(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("store: versions: %w", err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var a, b string
		if err := rows.Scan(&a, &b); err != nil {
			return nil, fmt.Errorf("store: versions: %w", err)
		}
		out[a] = b
	}
	return out, rows.Err()
}
