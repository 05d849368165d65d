package store

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"slices"
	"strconv"
	"strings"
	"time"

	"yusuan"
)

// Errors of finding look-ups.
var (
	ErrFindingNotFound = errors.New("no finding has that id")
	ErrAmbiguousID     = errors.New("several findings have ids starting so")
)

// StoredFinding is a finding as the store keeps it: the finding with its
// documents, evidence and applying verdict, and its state across runs.
type StoredFinding struct {
	yusuan.Finding
	// Status is "open" while the latest run covering it reports it, "gone"
	// after one did not.
	Status     string `json:"status"`
	FirstRun   int64  `json:"first_run"`
	ChangedRun int64  `json:"changed_run,omitempty"` // the last run its figures changed in
	GoneRun    int64  `json:"gone_run,omitempty"`
	EntityID   int64  `json:"entity_id,omitempty"`
	Region     string `json:"region,omitempty"`
	rid        int64
}

// Finding sorts for FindingFilter.Sort.
const (
	SortSeverity = "severity" // errors first, then entity, year, id (the default)
	SortEntity   = "entity"   // entity, year, severity
	SortYear     = "year"     // newest year first, then severity, entity
	SortRule     = "rule"     // rule, severity, entity, year
	SortRecent   = "recent"   // newest first reported first, then severity
)

var findingOrders = map[string]string{
	SortSeverity: "f.sev_rank, f.entity, f.year, f.id",
	SortEntity:   "f.entity, f.year, f.sev_rank, f.id",
	SortYear:     "f.year DESC, f.sev_rank, f.entity, f.id",
	SortRule:     "f.rule, f.sev_rank, f.entity, f.year, f.id",
	SortRecent:   "f.first_run DESC, f.sev_rank, f.entity, f.id",
}

// Verdict filters for FindingFilter.Verdict besides the verdict kinds.
const (
	VerdictNone  = "none"  // no verdict
	VerdictAny   = "any"   // some verdict
	VerdictStale = "stale" // a verdict given on other figures
)

// FindingFilter selects stored findings; zero fields match everything
// (but false alarms, see All). Entity, year and region are those of the
// first document involved.
type FindingFilter struct {
	Rule     string          // a rule id, or a prefix ending in "." (cross.)
	Severity yusuan.Severity // exactly this severity
	Year     int
	EntityID int64
	Entity   string // substring of the entity's name
	Region   string // region prefix: 江苏省 matches 江苏省苏州市
	SHA256   string // this document is involved (any position)
	// Verdict: a verdict kind, VerdictNone, VerdictAny or VerdictStale.
	Verdict string
	// Status: "open" (the default), "gone" or "all".
	Status string
	// All includes false alarms whose verdict still holds, which are
	// hidden otherwise.
	All bool
	// NewIn selects findings that a run reported new, changed or back.
	NewIn int64
	// Sort is one of the Sort constants; "" is SortSeverity.
	Sort string
	// Limit (0: no limit) and Offset page through the results.
	Limit, Offset int
}

// Validate reports a filter the store cannot apply.
func (f FindingFilter) Validate() error {
	if _, ok := findingOrders[f.Sort]; f.Sort != "" && !ok {
		return fmt.Errorf("unknown sort %q", f.Sort)
	}
	switch f.Status {
	case "", "open", "gone", "all":
	default:
		return fmt.Errorf("unknown status %q (open, gone or all)", f.Status)
	}
	switch f.Verdict {
	case "", VerdictNone, VerdictAny, VerdictStale:
	default:
		if !yusuan.VerdictKind(f.Verdict).Valid() {
			return fmt.Errorf("unknown verdict filter %q", f.Verdict)
		}
	}
	switch f.Severity {
	case "", yusuan.SeverityError, yusuan.SeverityWarning, yusuan.SeverityInfo:
	default:
		return fmt.Errorf("unknown severity %q", f.Severity)
	}
	if f.Limit < 0 || f.Offset < 0 {
		return errors.New("negative limit or offset")
	}
	return nil
}

// querier is a transaction or a pool.
type querier interface {
	QueryContext(context.Context, string, ...any) (*sql.Rows, error)
}

// maxEntityIDs bounds the entities an Entity substring is turned into;
// beyond, the findings' printed names are searched instead.
const maxEntityIDs = 1000

// where builds the filter's condition. An Entity substring is first looked
// up among the names of entities (aliases too), so that the entity index
// serves it; findings whose documents name no stored entity match by their
// printed name.
func (f FindingFilter) where(ctx context.Context, q querier) (string, []any, error) {
	conds, args := f.counted("f.")
	add := func(c string, a ...any) { conds = append(conds, c); args = append(args, a...) }
	switch f.Status {
	case "", "open":
		add("f.status = 'open'")
	case "gone":
		add("f.status = 'gone'")
	}
	if f.EntityID != 0 {
		add("f.entity_id = ?", f.EntityID)
	}
	if f.Entity != "" {
		ids, err := entitiesNamed(ctx, q, f.Entity)
		switch {
		case err != nil:
			return "", nil, err
		case len(ids) == 0:
			add("f.entity_id IS NULL AND f.entity LIKE '%' || ? || '%'", f.Entity)
		case len(ids) > maxEntityIDs:
			add("f.entity LIKE '%' || ? || '%'", f.Entity)
		default:
			add("f.entity_id IN "+placeholders(len(ids)), ids...)
		}
	}
	if f.Region != "" && Province(f.Region) != f.Region {
		// U+10FFFF sorts after every character a region can continue with.
		add("f.region >= ? AND f.region < ?", f.Region, f.Region+"\U0010FFFF")
	}
	if f.SHA256 != "" {
		add("f.rid IN (SELECT finding_rid FROM finding_documents WHERE sha256 = ?)", f.SHA256)
	}
	if f.NewIn != 0 {
		add("f.rid IN (SELECT finding_rid FROM finding_events WHERE run_id = ? AND event IN ('new', 'changed', 'back'))", f.NewIn)
	}
	if len(conds) == 0 {
		return "", nil, nil
	}
	return " WHERE " + strings.Join(conds, " AND "), args, nil
}

// counted are the conditions on the columns findings_totals counts by
// (prefix p names the table).
func (f FindingFilter) counted(p string) ([]string, []any) {
	var conds []string
	var args []any
	add := func(c string, a ...any) { conds = append(conds, c); args = append(args, a...) }
	if !f.All {
		add(p + "hidden = 0")
	}
	if f.Rule != "" {
		c, a := ruleCond(p+"rule", []string{f.Rule})
		add(c, a...)
	}
	if f.Severity != "" {
		add(p+"sev_rank = ?", f.Severity.Rank())
	}
	if f.Year != 0 {
		add(p+"year = ?", f.Year)
	}
	if f.Region != "" && Province(f.Region) == f.Region {
		add(p+"province = ?", f.Region)
	}
	switch f.Verdict {
	case "":
	case VerdictNone:
		add(p + "verdict = ''")
	case VerdictAny:
		// An IN list, not <>, so that the verdict index serves it.
		add(p + "verdict IN ('confirmed', 'false-alarm', 'explained')")
	case VerdictStale:
		add(p + "verdict IN ('confirmed', 'false-alarm', 'explained') AND " + p + "verdict_stale = 1")
	default:
		add(p+"verdict = ?", f.Verdict)
	}
	return conds, args
}

// fromTotals reports whether findings_totals can count what f selects:
// open findings filtered only by what it counts by.
func (f FindingFilter) fromTotals() bool {
	return (f.Status == "" || f.Status == "open") && f.EntityID == 0 && f.Entity == "" && f.SHA256 == "" && f.NewIn == 0 &&
		(f.Region == "" || Province(f.Region) == f.Region)
}

// total counts the findings f selects.
func (f FindingFilter) total(ctx context.Context, tx *sql.Tx, where string, args []any) (int, error) {
	var n int
	if f.fromTotals() {
		conds, targs := f.counted("")
		q := `SELECT coalesce(sum(n), 0) FROM findings_totals`
		if len(conds) > 0 {
			q += " WHERE " + strings.Join(conds, " AND ")
		}
		err := tx.QueryRowContext(ctx, q, targs...).Scan(&n)
		return n, err
	}
	err := tx.QueryRowContext(ctx, `SELECT count(*) FROM findings f`+where, args...).Scan(&n)
	return n, err
}

// entitiesNamed lists the entities one of whose names contains name, up to
// one more than maxEntityIDs.
func entitiesNamed(ctx context.Context, q querier, name string) ([]any, error) {
	return int64s(ctx, q, `SELECT DISTINCT entity_id FROM entity_names WHERE instr(norm_name, ?) > 0 LIMIT ?`,
		NormalizeEntity(name), maxEntityIDs+1)
}

// FindingPage is one page of findings and how many match in all.
type FindingPage struct {
	Findings []StoredFinding
	Total    int
}

const findingColumns = `f.rid, f.id, f.finding_key, f.fingerprint, f.rule, f.severity, f.confidence, f.why, f.message,
	f.expected, f.actual, f.unit, f.pages, f.tables, coalesce(f.entity_id, 0), f.region, f.status, f.first_run,
	coalesce(f.changed_run, 0), coalesce(f.gone_run, 0), f.verdict_stale, v.verdict, v.note, v.author, v.at`

const findingFrom = ` FROM findings f LEFT JOIN verdicts v ON v.id = f.verdict_id`

func scanFinding(sc interface{ Scan(...any) error }) (StoredFinding, error) {
	var sf StoredFinding
	var sev, conf, pages, tables string
	var stale bool
	var vkind, vnote, vby, vat sql.NullString
	err := sc.Scan(&sf.rid, &sf.ID, &sf.Key, &sf.Fingerprint, &sf.Rule, &sev, &conf, &sf.Why, &sf.Message, &sf.Expected,
		&sf.Actual, &sf.Unit, &pages, &tables, &sf.EntityID, &sf.Region, &sf.Status, &sf.FirstRun,
		&sf.ChangedRun, &sf.GoneRun, &stale, &vkind, &vnote, &vby, &vat)
	if err != nil {
		return sf, err
	}
	sf.Severity, sf.Confidence = yusuan.Severity(sev), yusuan.Confidence(conf)
	_ = json.Unmarshal([]byte(pages), &sf.Pages)
	_ = json.Unmarshal([]byte(tables), &sf.Tables)
	if len(sf.Pages) == 0 {
		sf.Pages = nil
	}
	if vkind.Valid {
		sf.Verdict = &yusuan.Verdict{Verdict: yusuan.VerdictKind(vkind.String), Note: vnote.String, By: vby.String,
			At: parseTime(vat.String), Stale: stale}
	}
	return sf, nil
}

// QueryFindings returns one page of the findings matching f, sorted, with
// their documents, evidence and verdicts, and the number matching in all.
// This is what lists of findings (the web UI, the API) read.
func (s *Store) QueryFindings(ctx context.Context, f FindingFilter) (FindingPage, error) {
	if err := f.Validate(); err != nil {
		return FindingPage{}, fmt.Errorf("store: findings: %w", err)
	}
	var page FindingPage
	err := s.read(ctx, func(tx *sql.Tx) error {
		where, args, err := f.where(ctx, tx)
		if err != nil {
			return err
		}
		if page.Total, err = f.total(ctx, tx, where, args); err != nil {
			return err
		}
		page.Findings, err = pageOfFindings(ctx, tx, f, where, args)
		return err
	})
	if err != nil {
		return FindingPage{}, fmt.Errorf("store: findings: %w", err)
	}
	return page, nil
}

// Findings returns every finding matching f (Limit and Offset apply),
// sorted, with documents, evidence and verdicts.
func (s *Store) Findings(ctx context.Context, f FindingFilter) ([]StoredFinding, error) {
	if err := f.Validate(); err != nil {
		return nil, fmt.Errorf("store: findings: %w", err)
	}
	var out []StoredFinding
	err := s.read(ctx, func(tx *sql.Tx) error {
		where, args, err := f.where(ctx, tx)
		if err != nil {
			return err
		}
		out, err = pageOfFindings(ctx, tx, f, where, args)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("store: findings: %w", err)
	}
	return out, nil
}

// AllFindings streams the findings matching f in storage order (Sort,
// Limit and Offset are ignored), a thousand at a time, for exports.
func (s *Store) AllFindings(ctx context.Context, f FindingFilter) iter.Seq2[StoredFinding, error] {
	return func(yield func(StoredFinding, error) bool) {
		if err := f.Validate(); err != nil {
			yield(StoredFinding{}, fmt.Errorf("store: findings: %w", err))
			return
		}
		where, args, err := f.where(ctx, s.rd)
		if err != nil {
			yield(StoredFinding{}, fmt.Errorf("store: findings: %w", err))
			return
		}
		if where == "" {
			where = " WHERE 1"
		}
		var last int64
		for {
			var batch []StoredFinding
			err := s.read(ctx, func(tx *sql.Tx) error {
				var err error
				batch, err = queryFindings(ctx, tx, `SELECT `+findingColumns+findingFrom+where+` AND f.rid > ? ORDER BY f.rid LIMIT 1000`,
					append(args, last)...)
				return err
			})
			if err != nil {
				yield(StoredFinding{}, fmt.Errorf("store: findings: %w", err))
				return
			}
			for _, sf := range batch {
				if !yield(sf, nil) {
					return
				}
			}
			if len(batch) < 1000 {
				return
			}
			last = batch[len(batch)-1].rid
		}
	}
}

// pageOfFindings reads the findings of a filter's page in two steps: the
// page's row ids from an index alone (skipping Offset rows costs index
// steps, not rows), then those rows.
func pageOfFindings(ctx context.Context, tx *sql.Tx, f FindingFilter, where string, args []any) ([]StoredFinding, error) {
	q := `SELECT f.rid FROM findings f` + where + ` ORDER BY ` + findingOrders[cmp.Or(f.Sort, SortSeverity)]
	if f.Limit > 0 || f.Offset > 0 {
		q += ` LIMIT ` + strconv.Itoa(cmp.Or(f.Limit, -1)) + ` OFFSET ` + strconv.Itoa(f.Offset)
	}
	rows, err := tx.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	var rids []any
	for rows.Next() {
		var rid int64
		if err := rows.Scan(&rid); err != nil {
			rows.Close()
			return nil, err
		}
		rids = append(rids, rid)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	out := make([]StoredFinding, 0, len(rids))
	for start := 0; start < len(rids); start += 500 {
		part := rids[start:min(start+500, len(rids))]
		fs, err := queryFindings(ctx, tx, `SELECT `+findingColumns+findingFrom+` WHERE f.rid IN `+placeholders(len(part)), part...)
		if err != nil {
			return nil, err
		}
		at := make(map[int64]int, len(fs))
		for i := range fs {
			at[fs[i].rid] = i
		}
		for _, rid := range part {
			out = append(out, fs[at[rid.(int64)]])
		}
	}
	return out, nil
}

func placeholders(n int) string {
	return "(" + strings.TrimSuffix(strings.Repeat("?,", n), ",") + ")"
}

func queryFindings(ctx context.Context, tx *sql.Tx, q string, args ...any) ([]StoredFinding, error) {
	rows, err := tx.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	var out []StoredFinding
	for rows.Next() {
		sf, err := scanFinding(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, sf)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return out, loadDetails(ctx, tx, out)
}

// loadDetails fills the documents and evidence of findings, a few hundred
// findings per query.
func loadDetails(ctx context.Context, tx *sql.Tx, fs []StoredFinding) error {
	const batch = 500
	for start := 0; start < len(fs); start += batch {
		part := fs[start:min(start+batch, len(fs))]
		at := make(map[int64]int, len(part))
		ids := make([]any, len(part))
		for i := range part {
			at[part[i].rid] = i
			ids[i] = part[i].rid
		}
		in := placeholders(len(ids))
		rows, err := tx.QueryContext(ctx, `SELECT finding_rid, sha256, file, entity, year, kind, scope FROM finding_documents
			WHERE finding_rid IN `+in+` ORDER BY finding_rid, seq`, ids...)
		if err != nil {
			return err
		}
		for rows.Next() {
			var rid int64
			var d yusuan.DocRef
			var kind, scope string
			if err := rows.Scan(&rid, &d.SHA256, &d.File, &d.Entity, &d.Year, &kind, &scope); err != nil {
				rows.Close()
				return err
			}
			d.Kind, d.Scope = yusuan.DocKind(kind), yusuan.Scope(scope)
			f := &part[at[rid]]
			f.Documents = append(f.Documents, d)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		rows, err = tx.QueryContext(ctx, `SELECT finding_rid, role, sha256, table_seq, kind, label, title, side, row_name, code,
			col, header, page, x0, y0, x1, y1, text, amount, unit FROM finding_evidence WHERE finding_rid IN `+in+`
			ORDER BY finding_rid, seq`, ids...)
		if err != nil {
			return err
		}
		for rows.Next() {
			var rid int64
			var e yusuan.Evidence
			var side string
			var x [4]sql.NullFloat64
			var amount sql.NullString
			if err := rows.Scan(&rid, &e.Role, &e.SHA256, &e.Table, &e.Kind, &e.Label, &e.Title, &side, &e.Row, &e.Code,
				&e.Column, &e.Header, &e.Page, &x[0], &x[1], &x[2], &x[3], &e.Text, &amount, &e.Unit); err != nil {
				rows.Close()
				return err
			}
			e.Side = yusuan.Side(side)
			if x[0].Valid {
				e.BBox = &yusuan.Rect{x[0].Float64, x[1].Float64, x[2].Float64, x[3].Float64}
			}
			if amount.Valid {
				if e.Amount, err = yusuan.ParseAmount(amount.String); err != nil {
					rows.Close()
					return fmt.Errorf("evidence of finding %d: %w", rid, err)
				}
			}
			f := &part[at[rid]]
			f.Evidence = append(f.Evidence, e)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
	}
	for i := range fs {
		if fs[i].Documents == nil {
			fs[i].Documents = []yusuan.DocRef{}
		}
	}
	return nil
}

// Finding returns one finding by its full id, whatever its status.
func (s *Store) Finding(ctx context.Context, id string) (StoredFinding, error) {
	var out []StoredFinding
	err := s.read(ctx, func(tx *sql.Tx) error {
		var err error
		out, err = queryFindings(ctx, tx, `SELECT `+findingColumns+findingFrom+` WHERE f.id = ?`, id)
		return err
	})
	if err != nil {
		return StoredFinding{}, fmt.Errorf("store: finding %s: %w", id, err)
	}
	if len(out) == 0 {
		return StoredFinding{}, fmt.Errorf("store: finding %q: %w", id, ErrFindingNotFound)
	}
	return out[0], nil
}

// ResolveFindingID turns what a person typed (a full id, or the start of
// one as the report prints it, with or without "f-") into a full id.
func (s *Store) ResolveFindingID(ctx context.Context, typed string) (string, error) {
	p := strings.TrimSpace(typed)
	if !strings.HasPrefix(p, "f-") {
		p = "f-" + p
	}
	if len(p) < len("f-")+4 {
		return "", fmt.Errorf("store: finding %q: %w (give at least 4 characters of the id)", typed, ErrFindingNotFound)
	}
	rows, err := s.rd.QueryContext(ctx, `SELECT id FROM findings WHERE id >= ? AND id < ? ORDER BY id LIMIT 2`, p, p+"\U0010FFFF")
	if err != nil {
		return "", fmt.Errorf("store: finding %q: %w", typed, err)
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return "", fmt.Errorf("store: finding %q: %w", typed, err)
		}
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil {
		return "", fmt.Errorf("store: finding %q: %w", typed, err)
	}
	switch {
	case len(ids) == 0:
		return "", fmt.Errorf("store: finding %q: %w", typed, ErrFindingNotFound)
	case len(ids) > 1 && ids[0] != p:
		return "", fmt.Errorf("store: finding %q: %w (give more of it)", typed, ErrAmbiguousID)
	}
	return ids[0], nil
}

// FindingCount is the number of findings of one rule and severity.
type FindingCount struct {
	Rule     string
	Severity yusuan.Severity
	N        int
}

// CountFindings counts the findings matching f by rule and severity
// (Sort, Limit and Offset are ignored).
func (s *Store) CountFindings(ctx context.Context, f FindingFilter) ([]FindingCount, error) {
	if err := f.Validate(); err != nil {
		return nil, fmt.Errorf("store: count findings: %w", err)
	}
	var q string
	var args []any
	if f.fromTotals() {
		var conds []string
		conds, args = f.counted("")
		q = `SELECT rule, sev_rank, sum(n) FROM findings_totals`
		if len(conds) > 0 {
			q += " WHERE " + strings.Join(conds, " AND ")
		}
		q += ` GROUP BY rule, sev_rank HAVING sum(n) > 0 ORDER BY rule, sev_rank`
	} else {
		var where string
		var err error
		if where, args, err = f.where(ctx, s.rd); err != nil {
			return nil, fmt.Errorf("store: count findings: %w", err)
		}
		// By rank, not name: the rule index then covers the count.
		q = `SELECT f.rule, f.sev_rank, count(*) FROM findings f` + where + ` GROUP BY f.rule, f.sev_rank ORDER BY f.rule, f.sev_rank`
	}
	rows, err := s.rd.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("store: count findings: %w", err)
	}
	defer rows.Close()
	var out []FindingCount
	for rows.Next() {
		var c FindingCount
		var rank int
		if err := rows.Scan(&c.Rule, &rank, &c.N); err != nil {
			return nil, fmt.Errorf("store: count findings: %w", err)
		}
		c.Severity = []yusuan.Severity{yusuan.SeverityError, yusuan.SeverityWarning, yusuan.SeverityInfo}[min(max(rank, 0), 2)]
		out = append(out, c)
	}
	return out, rows.Err()
}

// FindingEvent is what one run did to a finding: "new", "changed" (other
// figures: PrevFingerprint; or a new finding taking over from Replaces, the
// same defect on a revised document), "gone" or "back".
type FindingEvent struct {
	RunID           int64     `json:"run_id"`
	At              time.Time `json:"at"`
	Event           string    `json:"event"`
	PrevFingerprint string    `json:"prev_fingerprint,omitempty"`
	Replaces        string    `json:"replaces,omitempty"`
}

// FindingHistory lists what each run did to a finding, oldest first.
func (s *Store) FindingHistory(ctx context.Context, id string) ([]FindingEvent, error) {
	rows, err := s.rd.QueryContext(ctx, `SELECT e.run_id, r.started_at, e.event, e.prev_fingerprint, e.replaces
		FROM finding_events e JOIN findings f ON f.rid = e.finding_rid JOIN check_runs r ON r.id = e.run_id
		WHERE f.id = ? ORDER BY e.run_id`, id)
	if err != nil {
		return nil, fmt.Errorf("store: history of %s: %w", id, err)
	}
	defer rows.Close()
	var out []FindingEvent
	for rows.Next() {
		var e FindingEvent
		var at string
		if err := rows.Scan(&e.RunID, &at, &e.Event, &e.PrevFingerprint, &e.Replaces); err != nil {
			return nil, fmt.Errorf("store: history of %s: %w", id, err)
		}
		e.At = parseTime(at)
		out = append(out, e)
	}
	return out, rows.Err()
}

// RunChange is a finding a run reported new, changed or back, or found
// gone.
type RunChange struct {
	FindingEvent
	Finding StoredFinding
}

// RunChanges lists what a run changed, most serious first: findings new,
// back, changed (with other figures, or on a revised document) and gone
// (not counting those a finding on a revised document took over from).
func (s *Store) RunChanges(ctx context.Context, runID int64) ([]RunChange, error) {
	var out []RunChange
	err := s.read(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT e.finding_rid, e.event, e.prev_fingerprint, e.replaces, r.started_at
			FROM finding_events e JOIN check_runs r ON r.id = e.run_id JOIN findings f ON f.rid = e.finding_rid
			WHERE e.run_id = ? AND NOT (e.event = 'gone' AND f.id IN
				(SELECT x.replaces FROM finding_events x WHERE x.run_id = e.run_id AND x.replaces <> ''))`, runID)
		if err != nil {
			return err
		}
		events := map[int64]FindingEvent{}
		var ids []any
		for rows.Next() {
			var rid int64
			var at string
			e := FindingEvent{RunID: runID}
			if err := rows.Scan(&rid, &e.Event, &e.PrevFingerprint, &e.Replaces, &at); err != nil {
				rows.Close()
				return err
			}
			e.At = parseTime(at)
			events[rid] = e
			ids = append(ids, rid)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for start := 0; start < len(ids); start += 500 {
			part := ids[start:min(start+500, len(ids))]
			in := placeholders(len(part))
			fs, err := queryFindings(ctx, tx, `SELECT `+findingColumns+findingFrom+` WHERE f.rid IN `+in+
				` ORDER BY `+findingOrders[SortSeverity], part...)
			if err != nil {
				return err
			}
			for _, f := range fs {
				out = append(out, RunChange{FindingEvent: events[f.rid], Finding: f})
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("store: changes of run %d: %w", runID, err)
	}
	order := map[string]int{"new": 0, "back": 0, "changed": 1, "gone": 2}
	slices.SortStableFunc(out, func(a, b RunChange) int {
		x, y := a.Finding, b.Finding
		return cmp.Or(cmp.Compare(order[a.Event], order[b.Event]), cmp.Compare(x.Severity.Rank(), y.Severity.Rank()),
			cmp.Compare(x.firstEntity(), y.firstEntity()), cmp.Compare(x.ID, y.ID))
	})
	return out, nil
}

func (f StoredFinding) firstEntity() string {
	if len(f.Documents) == 0 {
		return ""
	}
	return f.Documents[0].Entity
}

// findingDocuments are the documents of one stored finding, in order.
func findingDocuments(ctx context.Context, tx *sql.Tx, rid int64) ([]yusuan.DocRef, error) {
	rows, err := tx.QueryContext(ctx, `SELECT sha256, file, entity, year, kind, scope FROM finding_documents
		WHERE finding_rid = ? ORDER BY seq`, rid)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []yusuan.DocRef
	for rows.Next() {
		var d yusuan.DocRef
		var kind, scope string
		if err := rows.Scan(&d.SHA256, &d.File, &d.Entity, &d.Year, &kind, &scope); err != nil {
			return nil, err
		}
		d.Kind, d.Scope = yusuan.DocKind(kind), yusuan.Scope(scope)
		out = append(out, d)
	}
	return out, rows.Err()
}
