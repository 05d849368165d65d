package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"yusuan"
)

// ErrInvalidVerdict is a verdict the store refuses (unknown kind, no
// author, a note too long or with control characters).
var ErrInvalidVerdict = errors.New("invalid verdict")

// Limits of what a verdict may say.
const (
	MaxVerdictNote   = 2000 // characters
	MaxVerdictAuthor = 100
)

// VerdictRecord is one verdict as given, kept for the history.
type VerdictRecord struct {
	yusuan.Verdict
	ID          int64  `json:"id"`
	FindingID   string `json:"finding_id"`
	FindingKey  string `json:"finding_key"`
	Fingerprint string `json:"fingerprint"` // of the finding when judged
}

// SetVerdict records an analyst's judgement of the finding with this full
// id (ResolveFindingID turns a typed prefix into one), by whom and now,
// together with the finding's key and fingerprint at this moment. Every
// verdict is kept; the latest applies. It applies at once to the finding
// and, as stale, to findings of the same key on other versions of the
// document that have no verdict of their own. The CLI (yusuan verdict) and
// the web UI both write through here.
func (s *Store) SetVerdict(ctx context.Context, id string, kind yusuan.VerdictKind, note, by string) (yusuan.Verdict, error) {
	note, by = strings.TrimSpace(note), strings.TrimSpace(by)
	if err := validVerdict(kind, note, by); err != nil {
		return yusuan.Verdict{}, fmt.Errorf("store: verdict on %s: %w", id, err)
	}
	v := yusuan.Verdict{Verdict: kind, Note: note, By: by, At: time.Now().UTC().Truncate(time.Microsecond)}
	err := s.write(ctx, func(tx *sql.Tx) error {
		var key, fp string
		err := tx.QueryRowContext(ctx, `SELECT finding_key, fingerprint FROM findings WHERE id = ?`, id).Scan(&key, &fp)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("%q: %w", id, ErrFindingNotFound)
		}
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO verdicts(finding_id, finding_key, fingerprint, verdict, note, author, at)
			VALUES (?,?,?,?,?,?,?)`, id, key, fp, string(kind), note, by, formatTime(v.At)); err != nil {
			return err
		}
		return reattachVerdicts(ctx, tx, key)
	})
	if err != nil {
		return yusuan.Verdict{}, fmt.Errorf("store: verdict on %s: %w", id, err)
	}
	return v, nil
}

func validVerdict(kind yusuan.VerdictKind, note, by string) error {
	switch {
	case !kind.Valid():
		return fmt.Errorf("%w: %q is not confirmed, false-alarm or explained", ErrInvalidVerdict, kind)
	case by == "":
		return fmt.Errorf("%w: who gives it is not known", ErrInvalidVerdict)
	case utf8.RuneCountInString(note) > MaxVerdictNote:
		return fmt.Errorf("%w: note longer than %d characters", ErrInvalidVerdict, MaxVerdictNote)
	case utf8.RuneCountInString(by) > MaxVerdictAuthor:
		return fmt.Errorf("%w: name longer than %d characters", ErrInvalidVerdict, MaxVerdictAuthor)
	case !utf8.ValidString(note) || !utf8.ValidString(by):
		return fmt.Errorf("%w: not UTF-8 text", ErrInvalidVerdict)
	case strings.ContainsFunc(note, badControl) || strings.ContainsFunc(by, unicode.IsControl):
		return fmt.Errorf("%w: control characters", ErrInvalidVerdict)
	}
	return nil
}

// badControl: control characters other than line breaks and tabs.
func badControl(r rune) bool { return unicode.IsControl(r) && r != '\n' && r != '\r' && r != '\t' }

// reattachVerdicts brings the verdict columns of every finding with this
// key up to date with the verdicts table, and findings_totals with them.
func reattachVerdicts(ctx context.Context, tx *sql.Tx, key string) error {
	byID, byKey, err := loadVerdicts(ctx, tx, key)
	if err != nil {
		return err
	}
	rows, err := tx.QueryContext(ctx, `SELECT rid, id, fingerprint, status = 'open', rule, sev_rank, year, province,
		verdict, verdict_stale, hidden FROM findings WHERE finding_key = ?`, key)
	if err != nil {
		return err
	}
	type upd struct {
		rid           int64
		open          bool
		total         []any // the findings_totals key before
		vid           sql.NullInt64
		kind          string
		stale, hidden bool
	}
	var ups []upd
	for rows.Next() {
		var id, fp, rule, province, verdict string
		var rank, year, stale, hidden int
		var u upd
		if err := rows.Scan(&u.rid, &id, &fp, &u.open, &rule, &rank, &year, &province, &verdict, &stale, &hidden); err != nil {
			rows.Close()
			return err
		}
		u.total = []any{rule, rank, year, province, verdict, stale, hidden}
		if v, isStale, ok := applies(byID, byKey, id, key, fp); ok {
			u.vid, u.kind, u.stale = sql.NullInt64{Int64: v.id, Valid: true}, string(v.v.Verdict), isStale
			u.hidden = !isStale && v.v.Verdict == yusuan.VerdictFalseAlarm
		}
		ups = append(ups, u)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, u := range ups {
		if _, err := tx.ExecContext(ctx, `UPDATE findings SET verdict_id = ?, verdict = ?, verdict_stale = ?, hidden = ?
			WHERE rid = ?`, u.vid, u.kind, boolInt(u.stale), boolInt(u.hidden), u.rid); err != nil {
			return err
		}
		if !u.open {
			continue
		}
		if err := addTotal(ctx, tx, u.total, -1); err != nil {
			return err
		}
		now := append(slices.Clone(u.total[:4]), u.kind, boolInt(u.stale), boolInt(u.hidden))
		if err := addTotal(ctx, tx, now, 1); err != nil {
			return err
		}
	}
	return nil
}

// addTotal adds delta to the findings_totals row of key (rule, sev_rank,
// year, province, verdict, verdict_stale, hidden).
func addTotal(ctx context.Context, tx *sql.Tx, key []any, delta int) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO findings_totals(rule, sev_rank, year, province, verdict, verdict_stale,
		hidden, n) VALUES (?,?,?,?,?,?,?,?) ON CONFLICT DO UPDATE SET n = n + excluded.n`, append(slices.Clone(key), delta)...)
	return err
}

// Verdicts lists every verdict given on a finding id, oldest first; the
// last is the one that applies unless a later one was given through its key.
func (s *Store) Verdicts(ctx context.Context, id string) ([]VerdictRecord, error) {
	rows, err := s.rd.QueryContext(ctx, `SELECT id, finding_id, finding_key, fingerprint, verdict, note, author, at
		FROM verdicts WHERE finding_id = ? ORDER BY id`, id)
	if err != nil {
		return nil, fmt.Errorf("store: verdicts of %s: %w", id, err)
	}
	defer rows.Close()
	var out []VerdictRecord
	for rows.Next() {
		var r VerdictRecord
		var kind, at string
		if err := rows.Scan(&r.ID, &r.FindingID, &r.FindingKey, &r.Fingerprint, &kind, &r.Note, &r.By, &at); err != nil {
			return nil, fmt.Errorf("store: verdicts of %s: %w", id, err)
		}
		r.Verdict.Verdict, r.At = yusuan.VerdictKind(kind), parseTime(at)
		out = append(out, r)
	}
	return out, rows.Err()
}
