package yusuan

import (
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Severity ranks findings: errors are contradictions beyond rounding,
// warnings are likely problems, infos are notes such as rounding (尾差).
type Severity string

const (
	SeverityError   Severity = "error"
	SeverityWarning Severity = "warning"
	SeverityInfo    Severity = "info"
)

// Rank orders severities, most serious first (0).
func (s Severity) Rank() int {
	switch s {
	case SeverityError:
		return 0
	case SeverityWarning:
		return 1
	}
	return 2
}

// Confidence is how sure the extractor is of the figures a finding rests on.
type Confidence string

const (
	ConfidenceHigh   Confidence = "high"   // every figure read from a table with no doubt
	ConfidenceMedium Confidence = "medium" // a figure from a table the extractor flagged
	ConfidenceLow    Confidence = "low"    // a figure whose reading is itself in doubt
)

// DocRef names a document involved in a finding.
type DocRef struct {
	SHA256 string `json:"sha256"`
	File   string `json:"file"`
	Entity string `json:"entity"`
	Year   int    `json:"year"`
	// Kind and Scope tell budget from final account and unit from
	// department; with Entity and Year they name the document across
	// versions.
	Kind  DocKind `json:"kind,omitempty"`
	Scope Scope   `json:"scope,omitempty"`
}

// Evidence is one figure a finding compares, down to its cell on the page.
// Table is the index into Document.Tables, -1 for a narrative figure (Kind
// "narrative", Column the fact key, Text the sentence).
type Evidence struct {
	Role   string  `json:"role,omitempty"` // "actual", "expected" or "part"
	SHA256 string  `json:"sha256"`
	Table  int     `json:"table"`
	Kind   string  `json:"kind"`
	Label  string  `json:"label,omitempty"`
	Title  string  `json:"title,omitempty"`
	Side   Side    `json:"side,omitempty"`
	Row    string  `json:"row,omitempty"`
	Code   *string `json:"code"`
	Column string  `json:"column,omitempty"`
	Header string  `json:"header,omitempty"`
	Page   int     `json:"page,omitempty"`
	BBox   *Rect   `json:"bbox,omitempty"`
	Text   string  `json:"text,omitempty"`
	Amount Amount  `json:"amount"`
	Unit   string  `json:"unit,omitempty"`
}

// cellKey names the cell without its value or position, so that it is the
// same across re-extractions that place or read it differently.
func (e Evidence) cellKey() string {
	code := ""
	if e.Code != nil {
		code = *e.Code
	}
	return strings.Join([]string{e.Role, e.Kind, string(e.Side), code, squeezeSpace(e.Row), e.Column}, "\x1f")
}

// VerdictKind is an analyst's judgement of a finding.
type VerdictKind string

const (
	VerdictConfirmed  VerdictKind = "confirmed"   // a real inconsistency in the published document
	VerdictFalseAlarm VerdictKind = "false-alarm" // a misread or a checker gap
	VerdictExplained  VerdictKind = "explained"   // real, but the document explains it
)

// Valid reports whether v is one of the known verdicts.
func (v VerdictKind) Valid() bool {
	return v == VerdictConfirmed || v == VerdictFalseAlarm || v == VerdictExplained
}

// Verdict is an analyst's judgement, kept with a finding id across runs.
// Stale is set when the figures the finding rests on changed since the
// verdict was given (a revised document, a different reading).
type Verdict struct {
	Verdict VerdictKind `json:"verdict"`
	Note    string      `json:"note,omitempty"`
	By      string      `json:"by,omitempty"`
	At      time.Time   `json:"at"`
	Stale   bool        `json:"stale,omitempty"`
}

// Finding is one inconsistency, with its evidence (docs/cli.md).
type Finding struct {
	// ID is stable across runs and re-extractions of the same bytes: it
	// derives from the documents, the rule and the cells involved (not
	// their values). Key is the same without the documents' bytes (entity,
	// year, kind and scope instead), so that a finding on a revised
	// document can be recognised as the same defect. Fingerprint hashes
	// the figures: a verdict given on another fingerprint is stale.
	ID          string     `json:"id"`
	Key         string     `json:"key,omitempty"`
	Fingerprint string     `json:"fingerprint,omitempty"`
	Rule        string     `json:"rule"`
	Severity    Severity   `json:"severity"`
	Confidence  Confidence `json:"confidence,omitempty"`
	// Why explains a lowered severity or confidence.
	Why       string     `json:"why,omitempty"`
	Documents []DocRef   `json:"documents"`
	Tables    []string   `json:"tables"`
	Message   string     `json:"message"`
	Expected  string     `json:"expected,omitempty"`
	Actual    string     `json:"actual,omitempty"`
	Unit      string     `json:"unit,omitempty"`
	Pages     []int      `json:"pages,omitempty"`
	Evidence  []Evidence `json:"evidence,omitempty"`
	Verdict   *Verdict   `json:"verdict"`
}

// Stamp sets ID, Key and Fingerprint from the finding's documents, rule and
// evidence. Findings without evidence are named by their tables and
// message's subject instead (the message without its figures).
func (f *Finding) Stamp() {
	cells := make([]string, 0, len(f.Evidence))
	values := make([]string, 0, len(f.Evidence))
	for _, e := range f.Evidence {
		// The parts of a sum are not its identity: a better reading that
		// finds one more row keeps the finding (its fingerprint changes).
		if e.Role != "part" {
			cells = append(cells, e.cellKey())
		}
		values = append(values, e.cellKey()+"="+e.Amount.String()+e.Unit)
	}
	slices.Sort(cells)
	cells = slices.Compact(cells)
	slices.Sort(values)
	if len(cells) == 0 {
		cells = append(slices.Clone(f.Tables), stripDigits(f.Message))
	}
	var shas, names []string
	for _, d := range f.Documents {
		shas = append(shas, d.SHA256)
		names = append(names, strings.Join([]string{squeezeSpace(d.Entity), strconv.Itoa(d.Year), string(d.Kind), string(d.Scope)}, "\x1f"))
	}
	body := f.Rule + "\x1e" + strings.Join(cells, "\x1e")
	f.ID = "f-" + digest(strings.Join(shas, ",")+"\x1d"+body)
	f.Key = "k-" + digest(strings.Join(names, ",")+"\x1d"+body)
	f.Fingerprint = digest(f.Message + "\x1d" + strings.Join(values, "\x1e"))
}

func digest(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:10])
}

func squeezeSpace(s string) string {
	return strings.Map(func(r rune) rune {
		if r == ' ' || r == '\t' || r == '\n' || r == '\u3000' || r == '\u00a0' {
			return -1
		}
		return r
	}, s)
}

// stripDigits drops the figures of a message so that only its subject
// names the finding.
func stripDigits(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' || r == '.' || r == ',' || r == '-' {
			return -1
		}
		return r
	}, s)
}
