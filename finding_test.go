package yusuan

import (
	"slices"
	"testing"
)

func TestStampStableAcrossReadings(t *testing.T) {
	code := "201"
	base := Finding{Rule: "hierarchy.sum", Severity: SeverityError,
		Documents: []DocRef{{SHA256: "aa", Entity: "某局", Year: 2026, Kind: KindBudget, Scope: ScopeUnit}},
		Message:   "一般公共服务支出 10.00 ≠ Σ款 9.00",
		Evidence: []Evidence{
			{Role: "actual", SHA256: "aa", Table: 2, Kind: "expenditure_summary", Row: "一般公共服务支出", Code: &code, Column: "total", Page: 7, Amount: MustAmount("10.00")},
		}}
	a := base
	a.Stamp()
	// Another extractor places the cell elsewhere and numbers tables differently.
	b := base
	b.Evidence = []Evidence{{Role: "actual", SHA256: "aa", Table: 5, Kind: "expenditure_summary", Row: "一般公共 服务支出", Code: &code, Column: "total", Page: 8, Amount: MustAmount("10.00")}}
	b.Stamp()
	if a.ID == "" || a.ID != b.ID || a.Fingerprint != b.Fingerprint {
		t.Fatalf("ids differ: %+v vs %+v", a, b)
	}
	// One more part of the sum read: same finding, other figures.
	p := base
	p.Evidence = append(slices.Clone(base.Evidence), Evidence{Role: "part", SHA256: "aa", Kind: "expenditure_summary", Row: "人大事务", Column: "total", Amount: MustAmount("9.00")})
	p.Stamp()
	if p.ID != a.ID || p.Fingerprint == a.Fingerprint {
		t.Fatalf("a part changed the id or kept the fingerprint: %+v vs %+v", a, p)
	}
	// A revised document (new bytes) keeps the key, not the id.
	c := base
	c.Documents = []DocRef{{SHA256: "bb", Entity: "某局", Year: 2026, Kind: KindBudget, Scope: ScopeUnit}}
	c.Evidence = []Evidence{{Role: "actual", SHA256: "bb", Kind: "expenditure_summary", Row: "一般公共服务支出", Code: &code, Column: "total", Amount: MustAmount("11.00")}}
	c.Message = "一般公共服务支出 11.00 ≠ Σ款 9.00"
	c.Stamp()
	if c.ID == a.ID || c.Key != a.Key || c.Fingerprint == a.Fingerprint {
		t.Fatalf("revision: id %s/%s key %s/%s fp %s/%s", a.ID, c.ID, a.Key, c.Key, a.Fingerprint, c.Fingerprint)
	}
	// A department document is not its unit's revision.
	d := base
	d.Documents = []DocRef{{SHA256: "cc", Entity: "某局", Year: 2026, Kind: KindBudget, Scope: ScopeDepartment}}
	d.Stamp()
	if d.Key == a.Key {
		t.Fatal("department and unit documents share a key")
	}
}
