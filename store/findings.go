package store

import (
	"cmp"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strconv"
	"time"

	"yusuan"
)

// CheckRun describes one run of the consistency checks.
type CheckRun struct {
	ID       int64
	Started  time.Time
	Finished time.Time
	Rules    []string // the rules run; empty means all
	// Note says what was asked (year=2026 rule=cross. entity=…).
	Note         string
	RulesVersion string
	// Extractors are the extractor versions of the documents the run read.
	Extractors []string
	Documents  int // documents read
	// Findings the run reported; New, Changed and Gone compare them with
	// the state before the run (docs/cli.md).
	Findings, New, Changed, Gone int
}

// Scope says which stored findings a run could have reported again: those
// not reported are gone. Rules and Year narrow the stored findings looked
// at (by SQL); Match, when set, decides among those (it is the filter the
// run applied to what it reports).
type Scope struct {
	Rules []string // rule ids, or prefixes ending in "."; empty: every rule
	Year  int      // a document involved is of this year; 0: any
	Match func(*yusuan.Finding) bool
}

// SaveFindings records a run that checked everything (every stored
// finding not among findings is gone) and returns its id.
func (s *Store) SaveFindings(ctx context.Context, run CheckRun, findings []yusuan.Finding) (int64, error) {
	r, _, err := s.SaveRun(ctx, run, findings, Scope{Rules: run.Rules})
	return r.ID, err
}

// SaveRun records a check run and brings the state of findings up to date,
// in one transaction: a finding reported for the first time is new; one
// reported before is still open (changed when its figures differ); an open
// finding within scope that the run did not report is gone. Findings are
// keyed by yusuan.Finding.ID (stamped here if a rule did not); two
// findings with one id and different figures are told apart by a suffix.
// It returns the run with its counts, and the findings as saved, each with
// the verdict that applies to it.
func (s *Store) SaveRun(ctx context.Context, run CheckRun, findings []yusuan.Finding, scope Scope) (CheckRun, []yusuan.Finding, error) {
	if run.Started.IsZero() {
		run.Started = time.Now()
	}
	if run.Finished.IsZero() {
		run.Finished = time.Now()
	}
	findings = uniqueIDs(findings)
	run.Findings = len(findings)
	seen, pending, err := s.unchanged(ctx, findings)
	if err != nil {
		return CheckRun{}, nil, fmt.Errorf("store: save run: %w", err)
	}
	err = s.write(ctx, func(tx *sql.Tx) error {
		w, err := newRunWriter(ctx, tx, &run)
		if err != nil {
			return err
		}
		defer w.close()
		w.seen = seen
		for _, i := range pending {
			if err := w.save(&findings[i]); err != nil {
				return fmt.Errorf("finding %s (%s): %w", findings[i].ID, findings[i].Rule, err)
			}
		}
		if err := w.markGone(scope); err != nil {
			return err
		}
		return w.finish()
	})
	if err != nil {
		return CheckRun{}, nil, fmt.Errorf("store: save run: %w", err)
	}
	return run, findings, nil
}

// unchanged finds, in a read snapshot, the findings reported exactly as
// they are stored, with the verdict they have — on a nightly run nearly
// all — and sets their verdicts; it returns their row ids and the indexes
// of the others. The write transaction then handles only the others, so
// that it stays short (a verdict given from the web UI meanwhile waits for
// it). A verdict given between the two steps updates the stored finding
// itself.
func (s *Store) unchanged(ctx context.Context, fs []yusuan.Finding) (seen map[int64]bool, pending []int, err error) {
	seen = map[int64]bool{}
	err = s.read(ctx, func(tx *sql.Tx) error {
		byID, byKey, err := loadVerdicts(ctx, tx, "")
		if err != nil {
			return err
		}
		sel, err := tx.PrepareContext(ctx, `SELECT rid, hash, status, verdict_id, verdict_stale FROM findings WHERE id = ?`)
		if err != nil {
			return err
		}
		defer sel.Close()
		for i := range fs {
			f := &fs[i]
			var rid int64
			var hash, status string
			var vid sql.NullInt64
			var stale bool
			err := sel.QueryRowContext(ctx, f.ID).Scan(&rid, &hash, &status, &vid, &stale)
			if errors.Is(err, sql.ErrNoRows) {
				pending = append(pending, i)
				continue
			}
			if err != nil {
				return err
			}
			v, isStale, has := applies(byID, byKey, f.ID, f.Key, f.Fingerprint)
			if status != "open" || vid.Valid != has || has && (vid.Int64 != v.id || stale != isStale) || hash != findingHash(f) {
				pending = append(pending, i)
				continue
			}
			f.Verdict = nil
			if has {
				vv := v.v
				vv.Stale = isStale
				f.Verdict = &vv
			}
			seen[rid] = true
		}
		return nil
	})
	return seen, pending, err
}

// uniqueIDs stamps findings without an id and makes ids unique within one
// run: a repeated finding (same id and figures) is kept once, and findings
// sharing an id with other figures get "~2", "~3"… in fingerprint order,
// so the suffixes are the same on every run that reports the same set.
func uniqueIDs(fs []yusuan.Finding) []yusuan.Finding {
	byID := map[string][]int{}
	for i := range fs {
		if fs[i].ID == "" {
			fs[i].Stamp()
		}
		byID[fs[i].ID] = append(byID[fs[i].ID], i)
	}
	drop := map[int]bool{}
	for id, idx := range byID {
		if len(idx) < 2 {
			continue
		}
		slices.SortStableFunc(idx, func(a, b int) int {
			return cmp.Or(cmp.Compare(fs[a].Fingerprint, fs[b].Fingerprint), cmp.Compare(a, b))
		})
		n := 1
		for k, i := range idx {
			if k > 0 && fs[i].Fingerprint == fs[idx[k-1]].Fingerprint {
				drop[i] = true
				continue
			}
			if n > 1 {
				fs[i].ID = id + "~" + strconv.Itoa(n)
			}
			n++
		}
		slog.Debug("store: findings share an id", "id", id, "findings", len(idx))
	}
	if len(drop) == 0 {
		return fs
	}
	out := fs[:0:0]
	for i := range fs {
		if !drop[i] {
			out = append(out, fs[i])
		}
	}
	return out
}

// latestVerdict is a stored verdict with what judging staleness needs.
type latestVerdict struct {
	id          int64
	findingID   string
	fingerprint string
	v           yusuan.Verdict
}

// applies returns the verdict that applies to a finding: the latest given
// on its id, else the latest on its key (a finding on another version of
// the document), and whether it is stale: given on other figures, or
// through the key.
func applies(byID, byKey map[string]latestVerdict, id, key, fingerprint string) (latestVerdict, bool, bool) {
	v, ok := byID[id]
	if !ok {
		if v, ok = byKey[key]; !ok {
			return latestVerdict{}, false, false
		}
	}
	return v, v.fingerprint != fingerprint || v.findingID != id, true
}

// runWriter does SaveRun's work inside its transaction.
type runWriter struct {
	ctx                   context.Context
	tx                    *sql.Tx
	run                   *CheckRun
	sel, ins, upd, touch  *sql.Stmt
	insDoc, insEv, event  *sql.Stmt
	byID, byKey           map[string]latestVerdict
	docs                  map[string]docEntity
	fresh                 map[string][]int64 // finding key → rids new in this run
	seen                  map[int64]bool     // rids reported by this run
	dirty                 bool               // some finding's state changed: recount the totals
	newN, changedN, goneN int
}

type docEntity struct {
	id     sql.NullInt64
	region string
}

func newRunWriter(ctx context.Context, tx *sql.Tx, run *CheckRun) (*runWriter, error) {
	rules, _ := json.Marshal(nonNil(run.Rules))
	exts, _ := json.Marshal(nonNil(run.Extractors))
	res, err := tx.ExecContext(ctx, `INSERT INTO check_runs(started_at, finished_at, rules, note, findings, rules_version,
		extractors, documents) VALUES (?,?,?,?,?,?,?,?)`, formatTime(run.Started), formatTime(run.Finished), string(rules),
		run.Note, run.Findings, run.RulesVersion, string(exts), run.Documents)
	if err != nil {
		return nil, err
	}
	if run.ID, err = res.LastInsertId(); err != nil {
		return nil, err
	}
	w := &runWriter{ctx: ctx, tx: tx, run: run, docs: map[string]docEntity{}, fresh: map[string][]int64{},
		seen: map[int64]bool{}}

	if w.byID, w.byKey, err = loadVerdicts(ctx, tx, ""); err != nil {
		return nil, err
	}
	for _, p := range []struct {
		st **sql.Stmt
		q  string
	}{
		{&w.sel, `SELECT rid, fingerprint, hash, status, verdict_id, verdict_stale FROM findings WHERE id = ?`},
		{&w.ins, `INSERT INTO findings(id, finding_key, fingerprint, hash, rule, severity, sev_rank, confidence, why,
			message, expected, actual, unit, pages, tables, sha256, entity, entity_id, region, province, year, status,
			first_run, verdict_id, verdict, verdict_stale, hidden)
			VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,'open',?,?,?,?,?)`},
		{&w.upd, `UPDATE findings SET finding_key=?, fingerprint=?, hash=?, rule=?, severity=?, sev_rank=?, confidence=?,
			why=?, message=?, expected=?, actual=?, unit=?, pages=?, tables=?, sha256=?, entity=?, entity_id=?, region=?,
			province=?, year=?, status='open', changed_run=coalesce(?, changed_run), gone_run=NULL, verdict_id=?, verdict=?,
			verdict_stale=?, hidden=? WHERE rid=?`},
		{&w.touch, `UPDATE findings SET verdict_id = ?, verdict = ?, verdict_stale = ?, hidden = ? WHERE rid = ?`},
		{&w.insDoc, `INSERT INTO finding_documents(finding_rid, seq, sha256, file, entity, year, kind, scope) VALUES (?,?,?,?,?,?,?,?)`},
		{&w.insEv, `INSERT INTO finding_evidence(finding_rid, seq, role, sha256, table_seq, kind, label, title, side, row_name,
			code, col, header, page, x0, y0, x1, y1, text, amount, fen, unit) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`},
		{&w.event, `INSERT INTO finding_events(run_id, finding_rid, event, prev_fingerprint) VALUES (?,?,?,?)`},
	} {
		if *p.st, err = tx.PrepareContext(ctx, p.q); err != nil {
			w.close()
			return nil, err
		}
	}
	return w, nil
}

func (w *runWriter) close() {
	for _, st := range []*sql.Stmt{w.sel, w.ins, w.upd, w.touch, w.insDoc, w.insEv, w.event} {
		if st != nil {
			st.Close()
		}
	}
}

// loadVerdicts loads the latest verdict on each finding id and on each key,
// among all verdicts or, with key set, the verdicts of that key.
func loadVerdicts(ctx context.Context, tx *sql.Tx, key string) (byID, byKey map[string]latestVerdict, err error) {
	q := `SELECT id, finding_id, finding_key, fingerprint, verdict, note, author, at FROM verdicts`
	var args []any
	if key != "" {
		q += ` WHERE finding_key = ?`
		args = append(args, key)
	}
	rows, err := tx.QueryContext(ctx, q+` ORDER BY id`, args...)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	byID, byKey = map[string]latestVerdict{}, map[string]latestVerdict{}
	for rows.Next() {
		var v latestVerdict
		var key, kind, at string
		if err := rows.Scan(&v.id, &v.findingID, &key, &v.fingerprint, &kind, &v.v.Note, &v.v.By, &at); err != nil {
			return nil, nil, err
		}
		v.v.Verdict, v.v.At = yusuan.VerdictKind(kind), parseTime(at)
		byID[v.findingID], byKey[key] = v, v // later rows win
	}
	return byID, byKey, rows.Err()
}

// docEntity is the stored entity and region of a document, cached.
func (w *runWriter) docEntity(sha, name string) (docEntity, error) {
	if e, ok := w.docs[sha]; ok {
		return e, nil
	}
	var e docEntity
	var region sql.NullString
	err := w.tx.QueryRowContext(w.ctx, `SELECT d.entity_id, e.region FROM documents d LEFT JOIN entities e ON e.id = d.entity_id
		WHERE d.sha256 = ?`, sha).Scan(&e.id, &region)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return e, err
	}
	e.region = region.String
	if !region.Valid {
		e.region = Region(name)
	}
	w.docs[sha] = e
	return e, nil
}

func (w *runWriter) save(f *yusuan.Finding) error {
	var rid int64
	var fp, hash, status string
	var verdictID sql.NullInt64
	var wasStale bool
	err := w.sel.QueryRowContext(w.ctx, f.ID).Scan(&rid, &fp, &hash, &status, &verdictID, &wasStale)
	exists := err == nil
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	v, stale, has := applies(w.byID, w.byKey, f.ID, f.Key, f.Fingerprint)
	f.Verdict = nil
	var vid sql.NullInt64
	var vkind string
	if has {
		vv := v.v
		vv.Stale = stale
		f.Verdict = &vv
		vid, vkind = sql.NullInt64{Int64: v.id, Valid: true}, string(v.v.Verdict)
	}
	hidden := has && !stale && v.v.Verdict == yusuan.VerdictFalseAlarm
	newHash := findingHash(f)
	var first yusuan.DocRef
	if len(f.Documents) > 0 {
		first = f.Documents[0]
	}
	ent, err := w.docEntity(first.SHA256, first.Entity)
	if err != nil {
		return err
	}
	pages, _ := json.Marshal(nonNil(f.Pages))
	tables, _ := json.Marshal(nonNil(f.Tables))
	row := []any{f.Key, f.Fingerprint, newHash, f.Rule, string(f.Severity), f.Severity.Rank(), string(f.Confidence), f.Why,
		f.Message, f.Expected, f.Actual, f.Unit, string(pages), string(tables), first.SHA256, first.Entity, ent.id, ent.region,
		Province(ent.region), first.Year}
	if !exists {
		w.dirty = true
		res, err := w.ins.ExecContext(w.ctx, append([]any{f.ID}, append(row, w.run.ID, vid, vkind, boolInt(stale),
			boolInt(hidden))...)...)
		if err != nil {
			return err
		}
		if rid, err = res.LastInsertId(); err != nil {
			return err
		}
		w.seen[rid] = true
		if err := w.details(rid, f); err != nil {
			return err
		}
		w.fresh[f.Key] = append(w.fresh[f.Key], rid)
		return w.addEvent(rid, "new", "")
	}
	w.seen[rid] = true
	switch {
	case hash == newHash && status == "open" && verdictID == vid && wasStale == stale:
		return nil // the common case on a nightly run: nothing to write
	case hash == newHash && status == "open":
		w.dirty = true
		_, err := w.touch.ExecContext(w.ctx, vid, vkind, boolInt(stale), boolInt(hidden), rid)
		return err
	}
	w.dirty = true
	var changed sql.NullInt64
	if fp != f.Fingerprint {
		changed = sql.NullInt64{Int64: w.run.ID, Valid: true}
	}
	if _, err := w.upd.ExecContext(w.ctx, append(row, changed, vid, vkind, boolInt(stale), boolInt(hidden), rid)...); err != nil {
		return err
	}
	if hash != newHash {
		for _, q := range []string{`DELETE FROM finding_documents WHERE finding_rid = ?`, `DELETE FROM finding_evidence WHERE finding_rid = ?`} {
			if _, err := w.tx.ExecContext(w.ctx, q, rid); err != nil {
				return err
			}
		}
		if err := w.details(rid, f); err != nil {
			return err
		}
	}
	switch {
	case status == "gone":
		return w.addEvent(rid, "back", fp)
	case changed.Valid:
		return w.addEvent(rid, "changed", fp)
	}
	return nil
}

func (w *runWriter) addEvent(rid int64, event, prevFingerprint string) error {
	switch event {
	case "new", "back":
		w.newN++
	case "changed":
		w.changedN++
	}
	_, err := w.event.ExecContext(w.ctx, w.run.ID, rid, event, prevFingerprint)
	return err
}

// details writes a finding's documents and evidence.
func (w *runWriter) details(rid int64, f *yusuan.Finding) error {
	for i, d := range f.Documents {
		if _, err := w.insDoc.ExecContext(w.ctx, rid, i, d.SHA256, d.File, d.Entity, d.Year, string(d.Kind), string(d.Scope)); err != nil {
			return err
		}
	}
	for i, e := range f.Evidence {
		amount, fen, _ := amountArgs(e.Amount, yusuan.Unit(e.Unit))
		x := rectArgs(e.BBox)
		if _, err := w.insEv.ExecContext(w.ctx, rid, i, e.Role, e.SHA256, e.Table, e.Kind, e.Label, e.Title, string(e.Side),
			e.Row, e.Code, e.Column, e.Header, e.Page, x[0], x[1], x[2], x[3], e.Text, amount, fen, e.Unit); err != nil {
			return err
		}
	}
	return nil
}

// markGone closes the open findings in scope that the run did not report.
// A new finding with the key of one gone now takes over from it (the same
// defect on a revised document): it counts as changed, the other not as
// gone.
func (w *runWriter) markGone(scope Scope) error {
	q := `SELECT rid, id, finding_key, rule, severity FROM findings WHERE status = 'open'`
	var args []any
	if len(scope.Rules) > 0 {
		c, a := ruleCond("rule", scope.Rules)
		q += " AND " + c
		args = append(args, a...)
	}
	if scope.Year != 0 {
		q += ` AND EXISTS (SELECT 1 FROM finding_documents fd WHERE fd.finding_rid = findings.rid AND fd.year = ?)`
		args = append(args, scope.Year)
	}
	rows, err := w.tx.QueryContext(w.ctx, q, args...)
	if err != nil {
		return err
	}
	type cand struct {
		rid           int64
		id, key, rule string
		severity      string
	}
	var cands []cand
	for rows.Next() {
		var c cand
		if err := rows.Scan(&c.rid, &c.id, &c.key, &c.rule, &c.severity); err != nil {
			rows.Close()
			return err
		}
		cands = append(cands, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, c := range cands {
		if w.seen[c.rid] {
			continue
		}
		if scope.Match != nil {
			f := yusuan.Finding{ID: c.id, Key: c.key, Rule: c.rule, Severity: yusuan.Severity(c.severity)}
			if f.Documents, err = findingDocuments(w.ctx, w.tx, c.rid); err != nil {
				return err
			}
			if !scope.Match(&f) {
				continue
			}
		}
		if _, err := w.tx.ExecContext(w.ctx, `UPDATE findings SET status = 'gone', gone_run = ? WHERE rid = ?`, w.run.ID, c.rid); err != nil {
			return err
		}
		w.dirty = true
		if news := w.fresh[c.key]; len(news) > 0 {
			for _, n := range news {
				if _, err := w.tx.ExecContext(w.ctx, `UPDATE finding_events SET event = 'changed', replaces = ?
					WHERE run_id = ? AND finding_rid = ? AND event = 'new'`, c.id, w.run.ID, n); err != nil {
					return err
				}
			}
			w.newN -= len(news)
			w.changedN += len(news)
			delete(w.fresh, c.key)
		} else {
			w.goneN++
		}
		if _, err := w.tx.ExecContext(w.ctx, `INSERT INTO finding_events(run_id, finding_rid, event) VALUES (?, ?, 'gone')`,
			w.run.ID, c.rid); err != nil {
			return err
		}
	}
	return nil
}

func (w *runWriter) finish() error {
	w.run.New, w.run.Changed, w.run.Gone = w.newN, w.changedN, w.goneN
	if _, err := w.tx.ExecContext(w.ctx, `UPDATE check_runs SET new = ?, changed = ?, gone = ? WHERE id = ?`,
		w.newN, w.changedN, w.goneN, w.run.ID); err != nil {
		return err
	}
	if !w.dirty {
		return nil
	}
	return recountTotals(w.ctx, w.tx)
}

// recountTotals rebuilds findings_totals from the findings.
func recountTotals(ctx context.Context, tx *sql.Tx) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM findings_totals`); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO findings_totals(rule, sev_rank, year, province, verdict, verdict_stale, hidden, n)
		SELECT rule, sev_rank, year, province, verdict, verdict_stale, hidden, count(*) FROM findings WHERE status = 'open'
		GROUP BY rule, sev_rank, year, province, verdict, verdict_stale, hidden`)
	return err
}

// findingHash covers everything a finding reports but its verdict.
func findingHash(f *yusuan.Finding) string {
	x := *f
	x.Verdict = nil
	b, _ := json.Marshal(x)
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:10])
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// ruleCond matches a column against rule ids and prefixes ending in ".";
// prefixes become ranges so that an index on the column serves them.
func ruleCond(col string, rules []string) (string, []any) {
	var parts []string
	var args []any
	for _, r := range rules {
		if r == "" {
			continue
		}
		if r[len(r)-1] == '.' {
			parts = append(parts, "("+col+" >= ? AND "+col+" < ?)")
			args = append(args, r, r[:len(r)-1]+"/") // '/' follows '.'
		} else {
			parts = append(parts, col+" = ?")
			args = append(args, r)
		}
	}
	if len(parts) == 0 {
		return "1", nil
	}
	return "(" + joinOr(parts) + ")", args
}

func joinOr(parts []string) string {
	s := parts[0]
	for _, p := range parts[1:] {
		s += " OR " + p
	}
	return s
}

// LatestRun returns the most recent check run, or ok == false if none ran.
func (s *Store) LatestRun(ctx context.Context) (run CheckRun, ok bool, err error) {
	runs, err := s.runs(ctx, `ORDER BY id DESC LIMIT 1`)
	if err != nil || len(runs) == 0 {
		return CheckRun{}, false, err
	}
	return runs[0], true, nil
}

// Runs lists all check runs, oldest first.
func (s *Store) Runs(ctx context.Context) ([]CheckRun, error) { return s.runs(ctx, `ORDER BY id`) }

// RecentRuns lists the latest n check runs, newest first.
func (s *Store) RecentRuns(ctx context.Context, n int) ([]CheckRun, error) {
	return s.runs(ctx, `ORDER BY id DESC LIMIT `+strconv.Itoa(max(n, 0)))
}

func (s *Store) runs(ctx context.Context, tail string) ([]CheckRun, error) {
	rows, err := s.rd.QueryContext(ctx, `SELECT id, started_at, finished_at, rules, note, findings, rules_version,
		extractors, documents, new, changed, gone FROM check_runs `+tail)
	if err != nil {
		return nil, fmt.Errorf("store: check runs: %w", err)
	}
	defer rows.Close()
	var out []CheckRun
	for rows.Next() {
		var r CheckRun
		var st, fin, rules, exts string
		if err := rows.Scan(&r.ID, &st, &fin, &rules, &r.Note, &r.Findings, &r.RulesVersion, &exts, &r.Documents,
			&r.New, &r.Changed, &r.Gone); err != nil {
			return nil, fmt.Errorf("store: check runs: %w", err)
		}
		r.Started, r.Finished = parseTime(st), parseTime(fin)
		_ = json.Unmarshal([]byte(rules), &r.Rules)
		_ = json.Unmarshal([]byte(exts), &r.Extractors)
		out = append(out, r)
	}
	return out, rows.Err()
}
