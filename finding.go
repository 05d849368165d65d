package yusuan

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

// DocRef names a document involved in a finding.
type DocRef struct {
	SHA256 string `json:"sha256"`
	File   string `json:"file"`
	Entity string `json:"entity"`
	Year   int    `json:"year"`
}

// Finding is one inconsistency, with its evidence (docs/cli.md).
type Finding struct {
	Rule      string   `json:"rule"`
	Severity  Severity `json:"severity"`
	Documents []DocRef `json:"documents"`
	Tables    []string `json:"tables"`
	Message   string   `json:"message"`
	Expected  string   `json:"expected,omitempty"`
	Actual    string   `json:"actual,omitempty"`
	Pages     []int    `json:"pages,omitempty"`
}
