package check

import (
	"slices"
	"strconv"
	"strings"

	"yusuan"
	"yusuan/vocab"
)

// maxParts is how many parts of a sum a finding lists cell by cell; a
// longer sum is summarised by its label, count and first and last rows.
const maxParts = 12

// cellRef is one printed cell a figure was read from.
type cellRef struct {
	t   *yusuan.Table
	r   *yusuan.Row
	col string
}

// role of a figure in a comparison (yusuan.Evidence.Role).
const (
	roleActual   = "actual"
	roleExpected = "expected"
	rolePart     = "part"
)

// reading is how sure the extractor is of the figures of a finding.
type reading struct {
	conf yusuan.Confidence
	why  []string
	// ownSums: the finding is a table's own arithmetic (a table rule). The
	// extractor's unbalanced doubt restates that arithmetic as read and
	// says nothing more about the reading: it does not lower such a
	// finding (27_suzhou's 合计 9,078.52 ≠ Σ类 9,466.77 is the document's).
	ownSums bool
}

// counts reports whether a doubt bears on a reading.
func (r *reading) counts(dt yusuan.Doubt) bool {
	return !(r.ownSums && dt.Reason == yusuan.DoubtUnbalanced)
}

func (r *reading) lower(c yusuan.Confidence, why string) {
	if confRank(c) > confRank(r.conf) {
		r.conf = c
	}
	if why != "" && !slices.Contains(r.why, why) {
		r.why = append(r.why, why)
	}
}

func confRank(c yusuan.Confidence) int {
	switch c {
	case yusuan.ConfidenceLow:
		return 2
	case yusuan.ConfidenceMedium:
		return 1
	}
	return 0
}

// evidenceOf lists the cells a term stands for, in role, and how surely
// they were read. Detached terms carry their evidence already.
func evidenceOf(d *doc, x term, role string, rd *reading) []yusuan.Evidence {
	if x.det != nil {
		out := slices.Clone(x.det.ev)
		for i := range out {
			if out[i].Role != rolePart {
				out[i].Role = role
			}
		}
		for _, r := range x.det.rd.why {
			rd.lower(x.det.rd.conf, r)
		}
		rd.lower(x.det.rd.conf, "")
		return out
	}
	sha := ""
	if d != nil {
		sha = d.SHA256
	}
	switch {
	case x.fact != "":
		return []yusuan.Evidence{d.factEvidence(x, role)}
	case x.row != nil && x.col != "":
		judgeReading(d, x.table, x.row, x.col, rd)
		return []yusuan.Evidence{cellEvidence(d, sha, x.table, x.row, x.col, role)}
	}
	cells, n, lost := x.p.list()
	switch {
	case len(cells) > 0 || len(lost) > 0 || x.p.rows != nil || x.p.row != nil:
		head := tableEvidence(d, sha, x.table, role, x)
		if x.table == nil {
			head.Table = -1
			head.Kind = ""
		}
		out := []yusuan.Evidence{head}
		x.p.each(func(c cellRef) { judgeReading(d, c.t, c.r, c.col, rd) })
		if n <= maxParts && len(cells) == n {
			for _, c := range cells {
				out = append(out, cellEvidence(d, sha, c.t, c.r, c.col, rolePart))
			}
		} else if len(cells) > 0 {
			out[0].Text = summariseParts(cells, n)
		}
		// Lines that came out blank are listed: what was not read.
		for _, c := range lost {
			out = append(out, cellEvidence(d, sha, c.t, c.r, c.col, rolePart))
		}
		return out
	case x.table != nil:
		judgeTable(x.table, rd)
		return []yusuan.Evidence{tableEvidence(d, sha, x.table, role, x)}
	}
	return nil
}

// summariseParts describes a long sum by its count and first and last rows
// read.
func summariseParts(cells []cellRef, n int) string {
	first, last := cells[0], cells[len(cells)-1]
	s := strconv.Itoa(n) + " 行：" + rowLabel(first.r) + " " + cellText(first.r, first.col)
	if n > 1 {
		s += " … " + rowLabel(last.r) + " " + cellText(last.r, last.col)
	}
	return s
}

// cellEvidence is one printed cell.
func cellEvidence(d *doc, sha string, t *yusuan.Table, r *yusuan.Row, col, role string) yusuan.Evidence {
	ev := yusuan.Evidence{Role: role, SHA256: sha, Table: d.tableIndex(t), Kind: string(t.Kind), Label: t.Label,
		Title: t.Title, Side: r.Side, Row: r.Name, Code: codeOf(r), Column: col, Header: t.Headers[col],
		Page: r.Page, Text: cellText(r, col), Amount: r.Values[col], Unit: unitName(unitScale(t.Unit))}
	if ev.Page == 0 && len(t.Pages) > 0 {
		ev.Page = t.Pages[0]
	}
	if b, ok := r.Boxes[col]; ok {
		ev.BBox = &b
	} else if r.BBox != nil {
		b := *r.BBox
		ev.BBox = &b
	}
	return ev
}

// codeOf is the code printed on a row: its functional code, else its
// economic one.
func codeOf(r *yusuan.Row) *string {
	if r.Code != nil {
		c := *r.Code
		return &c
	}
	for _, c := range []string{r.EconCode, r.GovEconCode} {
		if c != "" {
			return &c
		}
	}
	return nil
}

func cellText(r *yusuan.Row, col string) string {
	if s, ok := r.Raw[col]; ok && s != "" {
		return s
	}
	return r.Values[col].String()
}

// tableEvidence is a figure of a table as a whole (a sum of its rows, or
// the 0 of an empty table), named by the term's label.
func tableEvidence(d *doc, sha string, t *yusuan.Table, role string, x term) yusuan.Evidence {
	ev := yusuan.Evidence{Role: role, SHA256: sha, Table: -1, Row: x.label, Amount: x.amount(), Unit: unitName(x.scale)}
	if t != nil {
		ev.Table, ev.Kind, ev.Label, ev.Title = d.tableIndex(t), string(t.Kind), t.Label, t.Title
		if !hasValues(t) && len(t.Pages) > 0 {
			// The table itself is the figure: printed empty.
			ev.Page, ev.Text = t.Pages[0], "（空表）"
		}
	}
	return ev
}

// factEvidence is a figure stated in the narrative, with its sentence.
func (d *doc) factEvidence(x term, role string) yusuan.Evidence {
	ev := yusuan.Evidence{Role: role, SHA256: d.SHA256, Table: -1, Kind: narrativeTable, Column: x.fact,
		Row: strings.TrimPrefix(x.label, "情况说明 "), Amount: d.Facts[x.fact], Unit: factUnit(x.fact)}
	for _, s := range d.Sources {
		if s.Key == x.fact {
			ev.Page, ev.Text, ev.BBox = s.Page, s.Sentence, s.BBox
			break
		}
	}
	if ev.Text == "" {
		ev.Text = d.Facts[x.fact].String()
	}
	return ev
}

// factUnit is the unit facts of a key are stated in.
func factUnit(key string) string {
	switch {
	case strings.HasSuffix(key, "_pct"):
		return "%"
	case strings.HasSuffix(key, "_count") || strings.HasPrefix(key, "staff_"):
		return ""
	}
	return "万元"
}

// amount is the term's figure as an amount in its own unit and precision.
func (x term) amount() yusuan.Amount {
	if !x.m.ok || x.blank {
		return yusuan.Null
	}
	a, err := yusuan.ParseAmount(x.String())
	if err != nil {
		return yusuan.Null
	}
	return a
}

// tableIndex is the index of t in the document's tables, -1 when not one
// of them.
func (d *doc) tableIndex(t *yusuan.Table) int {
	if d == nil || t == nil {
		return -1
	}
	for i := range d.Tables {
		if &d.Tables[i] == t {
			return i
		}
	}
	return -1
}

func rowIndex(t *yusuan.Table, r *yusuan.Row) int {
	for i := range t.Rows {
		if &t.Rows[i] == r {
			return i
		}
	}
	return -1
}

// judgeReading lowers the confidence of a reading for what the extractor
// doubted about a cell (its row, its column, the whole table), and for a
// total or group line that came out without any figure: a printed line of
// that kind always has one, so its figures were lost.
func judgeReading(d *doc, t *yusuan.Table, r *yusuan.Row, col string, rd *reading) {
	if t == nil {
		return
	}
	judgeTable(t, rd)
	if r == nil {
		return
	}
	if at, title := d.mergedAt(t); at >= 0 && rowIndex(t, r) >= at {
		rd.lower(yusuan.ConfidenceLow, tableName(t)+" 行“"+rowLabel(&t.Rows[at])+"”起混入另一张表（“"+title+"”）")
	}
	if t.Kind != yusuan.PerformanceTargets && t.Kind != yusuan.Other {
		for k, v := range r.Values {
			if !v.IsNull() && isHeadless(k) {
				// The extractor found no heading for a column holding a
				// figure of this line: its other figures may be misplaced.
				rd.lower(yusuan.ConfidenceLow, tableName(t)+" 行“"+rowLabel(r)+"”有数字（"+cellText(r, k)+"）落在无表头的列")
				break
			}
		}
	}
	if key := d.shiftedKey(t, r.Page); key != "" {
		rd.lower(yusuan.ConfidenceLow, tableName(t)+" 第 "+strconv.Itoa(r.Page)+" 页的列与首页不同（“"+key+"”），表头疑为误读")
	}
	if len(t.Doubts) > 0 {
		i := rowIndex(t, r)
		for _, dt := range t.Doubts {
			if dt.Column == "" && len(dt.Rows) == 0 || !rd.counts(dt) {
				continue // judgeTable
			}
			if (dt.Column == "" || dt.Column == col) && (len(dt.Rows) == 0 || slices.Contains(dt.Rows, i)) {
				rd.lower(yusuan.ConfidenceLow, doubtWhy(t, dt, r))
			}
		}
	}
	if r.Values[col].IsNull() && blank(r) && hasValues(t) {
		rd.lower(yusuan.ConfidenceLow, tableName(t)+" 行“"+rowLabel(r)+"”未读到任何数字")
	}
}

// merge is where a table's rows run into another table.
type merge struct {
	at    int // the row printing the other table's title, -1: none
	title string
}

// mergedAt finds the first row of a table that prints another table's
// title (its region ran into the next table, whose title may wrap over two
// lines): the rows from there on are not the table's.
func (d *doc) mergedAt(t *yusuan.Table) (int, string) {
	if d == nil {
		return -1, ""
	}
	if m, ok := d.merged[t]; ok {
		return m.at, m.title
	}
	m := merge{at: -1}
	for i := 1; i < len(t.Rows) && m.at < 0; i++ {
		r := &t.Rows[i]
		if r.CodeString() != "" || !blank(r) {
			continue
		}
		text := strings.TrimSpace(r.Name)
		if i+1 < len(t.Rows) && t.Rows[i+1].CodeString() == "" && blank(&t.Rows[i+1]) {
			if _, ok := vocab.MatchTitle(text); !ok {
				text += strings.TrimSpace(t.Rows[i+1].Name)
			}
		}
		if ti, ok := vocab.MatchTitle(text); ok && ti.Kind != t.Kind && ti.Kind != yusuan.Other {
			m = merge{at: i, title: text}
		}
	}
	if d.merged == nil {
		d.merged = map[*yusuan.Table]merge{}
	}
	d.merged[t] = m
	return m.at, m.title
}

// shiftedKey is, for a table continued over pages, a column key that rows
// of page carry figures under although it names no known column and no
// row of the table's first page uses it: the continued page's headers
// were read differently (49_chongqing 收入总表 p.14: 一般公共预算拨款收入
// read as “预算拨款收入”), so its figures may sit in other columns. "" when
// the page reads as the first.
func (d *doc) shiftedKey(t *yusuan.Table, page int) string {
	if d == nil || len(t.Pages) < 2 || page == 0 || page == t.Pages[0] {
		return ""
	}
	if d.shifted == nil {
		d.shifted = map[*yusuan.Table]map[int]string{}
	}
	m, ok := d.shifted[t]
	if !ok {
		first := map[string]bool{}
		for i := range t.Rows {
			if r := &t.Rows[i]; r.Page == t.Pages[0] {
				for k, v := range r.Values {
					if !v.IsNull() {
						first[k] = true
					}
				}
			}
		}
		m = map[int]string{}
		for i := range t.Rows {
			r := &t.Rows[i]
			if r.Page == t.Pages[0] || m[r.Page] != "" {
				continue
			}
			for k, v := range r.Values {
				if !v.IsNull() && !amountKeys[k] && hasHan(k) && !first[k] {
					m[r.Page] = k
					break
				}
			}
		}
		d.shifted[t] = m
	}
	return m[page]
}

// isHeadless reports the keys the extractor gives columns it found no
// heading for (col4, colb).
func isHeadless(key string) bool {
	n, ok := strings.CutPrefix(key, "col")
	if !ok || n == "" {
		return false
	}
	if len(n) == 1 && n[0] >= 'a' && n[0] <= 'z' {
		return true
	}
	for _, c := range n {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// judgeTable lowers the confidence for doubts about a whole table.
func judgeTable(t *yusuan.Table, rd *reading) {
	for _, dt := range t.Doubts {
		if dt.Column == "" && len(dt.Rows) == 0 && rd.counts(dt) {
			rd.lower(yusuan.ConfidenceMedium, doubtWhy(t, dt, nil))
		}
	}
}

// tableName is how a table is named to people: its printed label (表3,
// 公开07表), else the usual name of its kind.
func tableName(t *yusuan.Table) string {
	if t.Label != "" {
		return t.Label
	}
	return vocab.KindLabel(t.Kind)
}

func columnName(t *yusuan.Table, col string) string {
	if h := strings.TrimSpace(t.Headers[col]); h != "" {
		return h
	}
	return vocab.ColumnName(col)
}

// doubtPhrases say what each kind of doubt means for a reading.
var doubtPhrases = map[yusuan.DoubtReason]string{
	yusuan.DoubtGuessedColumn: "由位置推断",
	yusuan.DoubtUnbalanced:    "读出的数自身不平（区域可能截断、合并或错位）",
	yusuan.DoubtSplitRow:      "由多行拼合或拆分推断",
	yusuan.DoubtMergedTitle:   "可能混入另一张表",
	yusuan.DoubtCutShort:      "可能未读完",
	yusuan.DoubtSide:          "收支两侧归属由推断",
}

// doubtWhy says in words what the extractor doubted.
func doubtWhy(t *yusuan.Table, dt yusuan.Doubt, r *yusuan.Row) string {
	where := tableName(t) + " "
	if dt.Column != "" {
		where += "列“" + columnName(t, dt.Column) + "”"
	}
	if r != nil && len(dt.Rows) > 0 {
		where += "行“" + rowLabel(r) + "”"
	}
	s := where + "读取存疑（" + string(dt.Reason) + "）"
	if p, ok := doubtPhrases[dt.Reason]; ok {
		s = where + p
	}
	if dt.Note != "" {
		s += "：" + dt.Note
	}
	return s
}
