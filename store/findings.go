package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"yusuan"
)

// CheckRun describes one run of the consistency checks.
type CheckRun struct {
	ID       int64
	Started  time.Time
	Finished time.Time
	Rules    []string // the rules run; empty means all
	Note     string
	Findings int
}

// SaveFindings records a check run and its findings in one transaction and
// returns the run's id.
func (s *Store) SaveFindings(ctx context.Context, run CheckRun, findings []yusuan.Finding) (int64, error) {
	if run.Started.IsZero() {
		run.Started = time.Now()
	}
	if run.Finished.IsZero() {
		run.Finished = time.Now()
	}
	rules := run.Rules
	if rules == nil {
		rules = []string{}
	}
	rj, _ := json.Marshal(rules)
	var runID int64
	err := s.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO check_runs(started_at, finished_at, rules, note, findings)
			VALUES (?,?,?,?,?)`, formatTime(run.Started), formatTime(run.Finished), string(rj), run.Note, len(findings))
		if err != nil {
			return err
		}
		if runID, err = res.LastInsertId(); err != nil {
			return err
		}
		fStmt, err := tx.PrepareContext(ctx, `INSERT INTO findings(run_id, seq, rule, severity, message, expected,
			actual, pages, tables) VALUES (?,?,?,?,?,?,?,?,?)`)
		if err != nil {
			return err
		}
		defer fStmt.Close()
		dStmt, err := tx.PrepareContext(ctx, `INSERT INTO finding_documents(finding_id, seq, sha256, file, entity, year)
			VALUES (?,?,?,?,?,?)`)
		if err != nil {
			return err
		}
		defer dStmt.Close()
		for i, f := range findings {
			pages, tables := f.Pages, f.Tables
			if pages == nil {
				pages = []int{}
			}
			if tables == nil {
				tables = []string{}
			}
			pj, _ := json.Marshal(pages)
			tj, _ := json.Marshal(tables)
			res, err := fStmt.ExecContext(ctx, runID, i, f.Rule, string(f.Severity), f.Message, f.Expected, f.Actual,
				string(pj), string(tj))
			if err != nil {
				return fmt.Errorf("finding %d (%s): %w", i, f.Rule, err)
			}
			fid, err := res.LastInsertId()
			if err != nil {
				return err
			}
			for j, d := range f.Documents {
				if _, err := dStmt.ExecContext(ctx, fid, j, d.SHA256, d.File, d.Entity, d.Year); err != nil {
					return fmt.Errorf("finding %d document %d: %w", i, j, err)
				}
			}
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("store: save findings: %w", err)
	}
	return runID, nil
}

// FindingFilter selects findings; zero fields match everything.
type FindingFilter struct {
	RunID    int64 // 0: the latest run
	Rule     string
	Severity yusuan.Severity
	Year     int    // a document involved is of this year
	SHA256   string // this document is involved
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

func (s *Store) runs(ctx context.Context, tail string) ([]CheckRun, error) {
	rows, err := s.rd.QueryContext(ctx, `SELECT id, started_at, finished_at, rules, note, findings FROM check_runs `+tail)
	if err != nil {
		return nil, fmt.Errorf("store: check runs: %w", err)
	}
	defer rows.Close()
	var out []CheckRun
	for rows.Next() {
		var r CheckRun
		var st, fin, rules string
		if err := rows.Scan(&r.ID, &st, &fin, &rules, &r.Note, &r.Findings); err != nil {
			return nil, fmt.Errorf("store: check runs: %w", err)
		}
		r.Started, r.Finished = parseTime(st), parseTime(fin)
		_ = json.Unmarshal([]byte(rules), &r.Rules)
		out = append(out, r)
	}
	return out, rows.Err()
}

// StoredFinding is a finding with the run it belongs to.
type StoredFinding struct {
	yusuan.Finding
	ID    int64 `json:"-"`
	RunID int64 `json:"-"`
}

// Findings returns the findings of one run (the latest by default) that
// match f, in the order they were saved.
func (s *Store) Findings(ctx context.Context, f FindingFilter) ([]StoredFinding, error) {
	runID := f.RunID
	if runID == 0 {
		run, ok, err := s.LatestRun(ctx)
		if err != nil || !ok {
			return nil, err
		}
		runID = run.ID
	}
	conds := []string{"f.run_id = ?"}
	args := []any{runID}
	if f.Rule != "" {
		conds, args = append(conds, "f.rule = ?"), append(args, f.Rule)
	}
	if f.Severity != "" {
		conds, args = append(conds, "f.severity = ?"), append(args, string(f.Severity))
	}
	if f.Year != 0 {
		conds = append(conds, "EXISTS (SELECT 1 FROM finding_documents fd WHERE fd.finding_id = f.id AND fd.year = ?)")
		args = append(args, f.Year)
	}
	if f.SHA256 != "" {
		conds = append(conds, "EXISTS (SELECT 1 FROM finding_documents fd WHERE fd.finding_id = f.id AND fd.sha256 = ?)")
		args = append(args, f.SHA256)
	}
	var out []StoredFinding
	err := s.read(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT f.id, f.run_id, f.rule, f.severity, f.message, f.expected, f.actual,
			f.pages, f.tables FROM findings f WHERE `+strings.Join(conds, " AND ")+` ORDER BY f.seq`, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		byID := map[int64]int{}
		for rows.Next() {
			var sf StoredFinding
			var sev, pj, tj string
			if err := rows.Scan(&sf.ID, &sf.RunID, &sf.Rule, &sev, &sf.Message, &sf.Expected, &sf.Actual, &pj, &tj); err != nil {
				return err
			}
			sf.Severity = yusuan.Severity(sev)
			_ = json.Unmarshal([]byte(pj), &sf.Pages)
			_ = json.Unmarshal([]byte(tj), &sf.Tables)
			if len(sf.Pages) == 0 {
				sf.Pages = nil
			}
			byID[sf.ID] = len(out)
			out = append(out, sf)
		}
		if err := rows.Err(); err != nil {
			return err
		}
		rows.Close()
		drows, err := tx.QueryContext(ctx, `SELECT fd.finding_id, fd.sha256, fd.file, fd.entity, fd.year
			FROM finding_documents fd JOIN findings f ON f.id = fd.finding_id WHERE f.run_id = ? ORDER BY fd.finding_id, fd.seq`, runID)
		if err != nil {
			return err
		}
		defer drows.Close()
		for drows.Next() {
			var fid int64
			var d yusuan.DocRef
			if err := drows.Scan(&fid, &d.SHA256, &d.File, &d.Entity, &d.Year); err != nil {
				return err
			}
			if i, ok := byID[fid]; ok {
				out[i].Documents = append(out[i].Documents, d)
			}
		}
		return drows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("store: findings: %w", err)
	}
	return out, nil
}
