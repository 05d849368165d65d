package store

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"slices"

	"yusuan"
	"yusuan/internal/disjoint"
)

// Entities are derived data: the documents' printed names, joined by the
// aliases file and by unit codes, say which documents are one entity.
// reconcileEntities, run on open, makes the stored entities agree with
// that, so that editing the aliases file both merges and, when a name is
// removed (a mistaken alias), splits again. It scans the documents only
// when the file changed since it last ran (documents stored meanwhile were
// linked under the same aliases), and writes only what differs.
func (s *Store) reconcileEntities(ctx context.Context) error {
	digest := s.aliases.digest()
	var applied string
	err := s.wr.QueryRowContext(ctx, `SELECT value FROM store_state WHERE key = 'aliases'`).Scan(&applied)
	if err == nil && applied == digest {
		return nil
	}
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("entities: %w", err)
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		p, err := s.planEntities(ctx, tx)
		if err != nil {
			return err
		}
		if !p.empty() {
			slog.Info("store: entities recomputed after the aliases file changed", "documents_moved", len(p.moves),
				"entities_created", len(p.created), "entities_removed", len(p.orphans))
			if err := p.apply(ctx, tx); err != nil {
				return err
			}
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO store_state(key, value) VALUES ('aliases', ?)
			ON CONFLICT (key) DO UPDATE SET value = excluded.value`, digest)
		return err
	})
}

type entityDoc struct {
	id      int64
	printed string // the entity name as printed
	norm    string
	entity  int64 // 0: none
	code    string
	scope   string
}

// entityPlan is what reconcileEntities changes.
type entityPlan struct {
	moves    map[int64]int64  // document → entity; negative: the new entity -n-1
	created  []string         // the names of new entities, by -n-1
	scopes   []string         // their scope
	names    map[string]int64 // norm_name → entity, as it must be
	oldNames map[string]int64 // as stored
	renames  map[int64]string // entity → name shown
	orphans  []int64          // entities left without documents
	touched  []int64          // entities whose documents changed
}

func (p *entityPlan) empty() bool {
	return len(p.moves) == 0 && len(p.created) == 0 && len(p.renames) == 0 && len(p.orphans) == 0 && maps.Equal(p.names, p.oldNames)
}

// planEntities compares the stored entities with what the documents'
// names, the aliases and the unit codes make of them.
func (s *Store) planEntities(ctx context.Context, q *sql.Tx) (*entityPlan, error) {
	docs, ents, names, err := readEntities(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("entities: %w", err)
	}
	p := &entityPlan{moves: map[int64]int64{}, names: map[string]int64{}, oldNames: names, renames: map[int64]string{}}

	// Documents are one entity when their names are one alias group (or
	// one name) or their entity has a unit code (the code joined them).
	sets := disjoint.New(len(docs))
	first := map[string]int{}
	for i, d := range docs {
		for _, k := range []string{"n" + s.aliasKey(d.norm), "c" + d.code} {
			if k == "c" {
				continue
			}
			if j, ok := first[k]; ok {
				sets.Join(i, j)
			} else {
				first[k] = i
			}
		}
	}
	var order []int
	parts := map[int][]int{}
	for i := range docs {
		r := sets.Find(i)
		if _, ok := parts[r]; !ok {
			order = append(order, r)
		}
		parts[r] = append(parts[r], i)
	}

	taken := map[int64]bool{}
	var groups [][]int
	for _, r := range order {
		groups = append(groups, splitByCode(docs, parts[r])...)
	}
	for _, g := range groups {
		target := pickEntity(docs, g, ents, taken)
		if target == 0 {
			p.created = append(p.created, shownName(s.aliases, docs, g, ""))
			p.scopes = append(p.scopes, docs[g[0]].scope)
			target = -int64(len(p.created))
		} else {
			taken[target] = true
			if name := shownName(s.aliases, docs, g, ents[target]); name != ents[target] {
				p.renames[target] = name
			}
		}
		moved := false
		for _, i := range g {
			d := docs[i]
			if d.entity != target {
				p.moves[d.id] = target
				moved = true
				if d.entity != 0 {
					p.touched = append(p.touched, d.entity)
				}
			}
			claim(p.names, d.norm, target)
			for _, n := range s.aliases.names(d.norm) {
				claim(p.names, n, target)
			}
		}
		if moved && target > 0 {
			p.touched = append(p.touched, target)
		}
	}
	// Entities whose documents all went elsewhere are gone; entities that
	// had none (written directly, as benchmarks do) are left alone.
	hadDocs := map[int64]bool{}
	for _, d := range docs {
		hadDocs[d.entity] = true
	}
	for id := range ents {
		if hadDocs[id] && !taken[id] {
			p.orphans = append(p.orphans, id)
		}
	}
	for n, id := range names {
		if !hadDocs[id] {
			claim(p.names, n, id)
		}
	}
	slices.Sort(p.orphans)
	return p, nil
}

// shownName is the name an entity of documents g is shown under: the
// first of its aliases, else its name so far when one of them printed it,
// else the name its first document printed.
func shownName(a *Aliases, docs []entityDoc, g []int, current string) string {
	if name, aliased := a.Canonical(docs[g[0]].printed); aliased {
		return name
	}
	for _, i := range g {
		if current != "" && docs[i].norm == NormalizeEntity(current) {
			return current
		}
	}
	return docs[g[0]].printed
}

// aliasKey is the name documents named norm are grouped under.
func (s *Store) aliasKey(norm string) string {
	if ns := s.aliases.names(norm); ns != nil {
		return ns[0]
	}
	return norm
}

func claim(names map[string]int64, name string, entity int64) {
	if _, ok := names[name]; !ok {
		names[name] = entity
	}
}

// splitByCode keeps entities with different unit codes apart, even when
// the aliases join their names: documents without a code go with the
// first coded entity.
func splitByCode(docs []entityDoc, part []int) [][]int {
	var codes []string
	for _, i := range part {
		if c := docs[i].code; c != "" && !slices.Contains(codes, c) {
			codes = append(codes, c)
		}
	}
	if len(codes) < 2 {
		return [][]int{part}
	}
	slog.Warn("store: aliases name entities with different unit codes; not merged", "codes", codes)
	out := make([][]int, len(codes))
	for _, i := range part {
		k := 0
		if c := docs[i].code; c != "" {
			k = slices.Index(codes, c)
		}
		out[k] = append(out[k], i)
	}
	return out
}

// pickEntity is the stored entity a group of documents keeps: the coded
// one, else the one most of them have (the oldest on a tie); 0 when every
// candidate went to another group.
func pickEntity(docs []entityDoc, g []int, ents map[int64]string, taken map[int64]bool) int64 {
	count := map[int64]int{}
	for _, i := range g {
		d := docs[i]
		if d.entity == 0 || taken[d.entity] {
			continue
		}
		if d.code != "" {
			return d.entity
		}
		count[d.entity]++
	}
	var ids []int64
	for id := range count {
		ids = append(ids, id)
	}
	slices.SortFunc(ids, func(a, b int64) int {
		return cmp.Or(cmp.Compare(count[b], count[a]), cmp.Compare(a, b))
	})
	if len(ids) == 0 {
		return 0
	}
	if _, ok := ents[ids[0]]; !ok {
		return 0
	}
	return ids[0]
}

func readEntities(ctx context.Context, q *sql.Tx) ([]entityDoc, map[int64]string, map[string]int64, error) {
	var docs []entityDoc
	err := eachRow(ctx, q, `SELECT d.id, d.entity, coalesce(d.entity_id, 0), coalesce(e.code, ''), d.scope
		FROM documents d LEFT JOIN entities e ON e.id = d.entity_id ORDER BY d.id`, func(rows *sql.Rows) error {
		var d entityDoc
		if err := rows.Scan(&d.id, &d.printed, &d.entity, &d.code, &d.scope); err != nil {
			return err
		}
		if d.norm = NormalizeEntity(d.printed); d.norm != "" {
			docs = append(docs, d)
		}
		return nil
	})
	if err != nil {
		return nil, nil, nil, err
	}
	ents := map[int64]string{} // id → name
	err = eachRow(ctx, q, `SELECT id, name FROM entities`, func(rows *sql.Rows) error {
		var id int64
		var name string
		err := rows.Scan(&id, &name)
		ents[id] = name
		return err
	})
	if err != nil {
		return nil, nil, nil, err
	}
	names := map[string]int64{} // norm_name → entity
	err = eachRow(ctx, q, `SELECT norm_name, entity_id FROM entity_names`, func(rows *sql.Rows) error {
		var n string
		var id int64
		err := rows.Scan(&n, &id)
		names[n] = id
		return err
	})
	return docs, ents, names, err
}

// eachRow runs query and calls fn on each row; the rows are read to the
// end and closed before it returns, so fn's results can be written in the
// same transaction.
func eachRow(ctx context.Context, q querier, query string, fn func(*sql.Rows) error) error {
	rows, err := q.QueryContext(ctx, query)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

// apply carries the plan out in tx.
func (p *entityPlan) apply(ctx context.Context, tx *sql.Tx) error {
	created := make([]int64, len(p.created))
	for i, name := range p.created {
		scope := p.scopes[i]
		if scope == "" {
			scope = string(yusuan.ScopeUnknown)
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO entities(name, scope, region) VALUES (?, ?, ?)`, name, scope, Region(name))
		if err != nil {
			return fmt.Errorf("entities: %w", err)
		}
		if created[i], err = res.LastInsertId(); err != nil {
			return fmt.Errorf("entities: %w", err)
		}
		p.touched = append(p.touched, created[i])
	}
	real := func(id int64) int64 {
		if id < 0 {
			return created[-id-1]
		}
		return id
	}
	for doc, ent := range p.moves {
		if _, err := tx.ExecContext(ctx, `UPDATE documents SET entity_id = ? WHERE id = ?`, real(ent), doc); err != nil {
			return fmt.Errorf("entities: move document %d: %w", doc, err)
		}
	}
	for id, name := range p.renames {
		if _, err := tx.ExecContext(ctx, `UPDATE entities SET name = ?, region = ? WHERE id = ?`, name, Region(name), id); err != nil {
			return fmt.Errorf("entities: %w", err)
		}
	}
	for n, id := range p.oldNames {
		if want, ok := p.names[n]; !ok || real(want) != id {
			if _, err := tx.ExecContext(ctx, `DELETE FROM entity_names WHERE norm_name = ?`, n); err != nil {
				return fmt.Errorf("entities: %w", err)
			}
		}
	}
	for n, want := range p.names {
		if _, err := tx.ExecContext(ctx, `INSERT INTO entity_names(norm_name, entity_id) VALUES (?, ?)
			ON CONFLICT (norm_name) DO UPDATE SET entity_id = excluded.entity_id`, n, real(want)); err != nil {
			return fmt.Errorf("entities: %w", err)
		}
	}
	for _, id := range p.orphans {
		if _, err := tx.ExecContext(ctx, `DELETE FROM entities WHERE id = ?`, id); err != nil {
			return fmt.Errorf("entities: %w", err)
		}
	}
	// Findings follow their first document's entity (filters and totals
	// read entity and region there); the next check rewrites the rest.
	if err := refollowFindings(ctx, tx); err != nil {
		return fmt.Errorf("entities: findings: %w", err)
	}
	slices.Sort(p.touched)
	for _, id := range slices.Compact(p.touched) {
		if err := refreshVersions(ctx, tx, `entity_id = ?`, id); err != nil {
			return err
		}
	}
	return nil
}

func refollowFindings(ctx context.Context, tx *sql.Tx) error {
	type move struct {
		rid    int64
		entity sql.NullInt64
		region string
	}
	var moves []move
	err := eachRow(ctx, tx, `SELECT f.rid, d.entity_id, coalesce(e.region, '') FROM findings f
		JOIN documents d ON d.sha256 = f.sha256 LEFT JOIN entities e ON e.id = d.entity_id
		WHERE f.entity_id IS NOT d.entity_id`, func(rows *sql.Rows) error {
		var m move
		err := rows.Scan(&m.rid, &m.entity, &m.region)
		moves = append(moves, m)
		return err
	})
	if err != nil {
		return err
	}
	for _, m := range moves {
		if _, err := tx.ExecContext(ctx, `UPDATE findings SET entity_id = ?, region = ?, province = ? WHERE rid = ?`,
			m.entity, m.region, Province(m.region), m.rid); err != nil {
			return err
		}
	}
	return nil
}
