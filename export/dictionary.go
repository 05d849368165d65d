package export

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"yusuan"
	"yusuan/vocab"
)

// The data dictionary is written as README.md into every export folder and
// kept as docs/data-dictionary.md (a test keeps the two the same). Column
// types come from the row types, meanings from the maps below; a test
// fails for any column an export writes that has no meaning here.

// fileInfo describes one exported file.
type fileInfo struct {
	name string
	line string // what one line is
	key  string // the columns that identify a line
}

var files = []fileInfo{
	{"documents", "a PDF file (distinct bytes): its entity, year, kind and extraction status", "`sha256`"},
	{"sources", "one sighting of a document: a file name, URL and linking page (the same bytes may be found many times)", "`sha256`, `url`, `file`"},
	{"entities", "a unit or department followed across years", "`entity_id`"},
	{"tables", "a table of a document", "`sha256`, `table_seq`"},
	{"rows", "a printed line of a table", "`sha256`, `table_seq`, `row_seq`"},
	{"cells", "an amount of money printed in a table cell, in a unit of money (元 or 万元)", "`sha256`, `table_seq`, `row_seq`, `col`"},
	{"other_cells", "a printed table cell that is not an amount of money: text (`-`, `≥`, `是`, a project name), or a number in a table that prints no unit (scores, counts and percentages of performance tables)", "`sha256`, `table_seq`, `row_seq`, `col`"},
	{"facts", "a figure stated in the narrative (情况说明), with its sentence", "`sha256`, `key`"},
	{"findings", "an open finding (the latest state of every finding by its stable id; false alarms included, with their verdict)", "`id`"},
	{"evidence", "one figure a finding compares, down to its cell on the page", "`finding_id`, `seq`"},
	{"verdicts", "an analyst's judgement of a finding (every verdict kept; the latest applies)", "`finding_id`, `at`"},
}

// commonColumns are meanings shared by every file that has the column.
var commonColumns = map[string]string{
	"sha256":        "SHA-256 of the PDF's bytes (hex): the document's identity; joins every file to `documents`",
	"file":          "file name as ingested or as named in the URL",
	"entity":        "the unit or department the document is about, as printed (单位/部门名称)",
	"entity_id":     "the entity's number in `entities` (the same unit across years and spellings)",
	"entity_code":   "the entity's code (单位编码) when printed; text",
	"year":          "the budget year the document is about (预算年度 / 决算年度)",
	"doc_kind":      "`budget` (预算) or `final_account` (决算), `unknown` when not found",
	"table_seq":     "the table's position in its document, from 0; with `sha256` it joins to `tables`",
	"table_kind":    "the table's kind (see Table kinds below); `other` when the title matched no template",
	"row_seq":       "the line's position in its table, from 0; with `sha256`, `table_seq` it joins to `rows`",
	"side":          "`income` or `expenditure` for the two halves of a two-sided table (收支总表); empty otherwise",
	"code":          "the functional classification code (科目编码) as printed, e.g. `2010301`; text, keep leading zeros",
	"level":         "the code's level: 1 类 (3 digits), 2 款 (5), 3 项 (7)",
	"name":          "the line's name as printed (科目名称 / 项目)",
	"name2":         "a second name column (政府预算经济科目名称) where the table prints one",
	"econ_code":     "the departmental economic classification code (部门预算支出经济分类, 301…); text",
	"econ_name":     "the departmental economic classification name",
	"gov_econ_code": "the government economic classification code (政府预算支出经济分类, 501…); text",
	"gov_econ_name": "the government economic classification name",
	"unit_code":     "the code of the budget unit the line is (单位编码, 部门代码: `123`, `123001`) in tables listing units; text",
	"col":           "the column key (see Column keys below)",
	"page":          "the page number, from 1",
	"x0":            "left edge of the bounding box, in PDF points from the page's left edge",
	"y0":            "bottom edge of the bounding box, in PDF points from the page's bottom edge",
	"x1":            "right edge of the bounding box, in PDF points",
	"y1":            "top edge of the bounding box, in PDF points",
	"unit":          "the unit the amounts are printed in: `万元` or `元` (from the table's 单位 line)",
	"amount":        "the exact decimal as printed, in `unit`, without thousands separators",
	"places":        "decimal places as printed (2 for 108.22)",
	"fen":           "the amount in fen (分, 1/100 yuan), an exact integer: sum this",
	"yuan":          "the amount in yuan; DECIMAL(18,2) in Parquet, a decimal string in CSV, a number in XLSX",
	"raw":           "the printed text where it differs from `amount` (thousands separators, full-width digits)",
	"title":         "the title as printed",
	"kind":          "see the file's description",
	"pages":         "JSON array of page numbers",
	"current":       "the document's `current`: false when a later version supersedes it or it repeats another document; sum over `current = true` to count each figure once",
}

// fileColumns are meanings particular to one file (they win over
// commonColumns).
var fileColumns = map[string]map[string]string{
	"documents": {
		"size":            "file size in bytes",
		"pages":           "number of pages",
		"producer":        "the PDF's Producer (the software that wrote it)",
		"text_layer":      "whether the PDF has a text layer (false: a scan, nothing extracted)",
		"text_unreadable": "whether its text does not read (fonts that map no glyph, or to the wrong characters): nothing extracted",
		"garbled_chars":   "characters of a readable text that decoded to code points no Chinese disclosure prints; > 0: its findings have low confidence",
		"title":           "the document's title as printed on its cover or first page",
		"scope":           "`department` (部门, the department and its units together) or `unit` (单位), `unknown` when not found",
		"kind":            "`budget` (预算) or `final_account` (决算), `unknown` when not found",
		"status":          "`ok` (extracted) or `failed` (see `error`)",
		"error":           "why the document could not be extracted (not a PDF, encrypted, damaged…); empty when ok",
		"warnings":        "JSON array of the extractor's warnings",
		"tables":          "number of tables found",
		"extractor":       "the extractor version that produced the stored content (`yusuan reextract` updates it)",
		"first_url":       "the first URL the document was fetched from; empty for files ingested from disk",
		"ingested_at":     "when the bytes were first stored (RFC 3339, UTC)",
		"extracted_at":    "when the stored content was extracted (RFC 3339, UTC)",
		"current":         "true unless a later version of the same document (entity, year, kind, scope) supersedes it or it is a byte-different copy of another: sum over `current = true` to count each figure once",
		"superseded_by":   "the sha256 of the version that supersedes this one; empty when current",
		"copy_of":         "the sha256 of the document this one repeats (same tables and figures, other bytes); empty when none",
		"content_digest":  "a digest of what was extracted (tables, figures, facts), equal for copies of one document",
	},
	"sources": {
		"url":        "the URL the bytes were fetched from; empty for files ingested from disk",
		"page_url":   "the page that linked to it",
		"link_text":  "the link's text on that page",
		"local_path": "the path a file was ingested from, when from disk",
		"fetched_at": "when this sighting happened (RFC 3339, UTC)",
	},
	"entities": {
		"name":       "the entity's name",
		"scope":      "`department` or `unit`",
		"code":       "the entity's code (单位编码) when printed; text",
		"documents":  "number of documents about it",
		"first_year": "the first year it has a document for",
		"last_year":  "the last year it has a document for",
	},
	"tables": {
		"kind":       "the table's kind (see Table kinds below)",
		"label":      "the printed label (预算公开表1, 表3…)",
		"unit":       "the unit printed on the table (`万元`, `元`), empty when none is printed",
		"first_page": "the page the table starts on",
		"pages":      "JSON array of the pages the table spans",
		"empty":      "the table is printed empty on purpose (本单位无政府性基金预算…)",
		"columns":    "JSON array of the table's amount column keys, in printed order",
		"headers":    "JSON object: each column key → the header text printed above it; `{}` when not recorded",
		"rows":       "number of lines",
	},
	"rows": {
		"table_kind": "the kind of the line's table",
	},
	"other_cells": {
		"text":   "the cell's printed text",
		"number": "the number, when the text is one (a number in a table that prints no unit of money); empty for text",
	},
	"facts": {
		"key":      "what the figure is (see docs/checks.md: `total_income`, `basic`, `three_public`, `yoy_change_pct`…)",
		"unit":     "`万元` for money, `%` for keys ending in `_pct`, empty for counts (`*_count`, `staff_*`)",
		"fen":      "the amount in fen when `unit` is money; empty for percentages and counts",
		"yuan":     "the amount in yuan when `unit` is money; empty otherwise",
		"page":     "the page of the sentence",
		"sentence": "the sentence the figure was read from",
		"current":  "the document's `current` (see documents)",
	},
	"findings": {
		"run_id":        "the check run that last found it new or changed",
		"seq":           "the finding's position in this export",
		"rule":          "the rule that found it (docs/checks.md)",
		"severity":      "`error`, `warning` or `info`",
		"message":       "the finding in words, with the figures",
		"expected":      "the figure the rule expected (decimal string), when it compares figures",
		"actual":        "the figure printed (decimal string)",
		"pages":         "JSON array of the pages involved",
		"tables":        "JSON array of the table kinds involved",
		"sha256":        "the first document involved",
		"entity":        "the first document's entity",
		"year":          "the first document's year",
		"documents":     "JSON array of every document involved: `sha256`, `file`, `entity`, `year`, `kind`, `scope`",
		"id":            "the finding's stable id (from its documents, rule and the cells involved, not their values): the same defect keeps it across runs and re-extractions; verdicts attach to it",
		"key":           "the id without the documents' bytes (entity, year, kind and scope instead): the same defect on a republished document",
		"fingerprint":   "a digest of the figures compared: a verdict given on another fingerprint is stale",
		"confidence":    "`high` (figures read with no doubt), `medium` or `low` (a figure from a table the extractor flagged)",
		"why":           "why the severity or confidence was lowered",
		"unit":          "the unit of `expected` and `actual`",
		"first_run":     "the check run that first found it",
		"verdict":       "the analyst's latest verdict: `confirmed`, `false-alarm`, `explained`, or empty",
		"verdict_note":  "the verdict's note",
		"verdict_by":    "who gave the verdict",
		"verdict_at":    "when (RFC 3339, UTC)",
		"verdict_stale": "true when the verdict was given on other figures (a revised document, another reading): judge again",
	},
	"evidence": {
		"finding_id": "the finding (joins to `findings.id`)",
		"seq":        "the figure's position in the finding",
		"role":       "`actual` (the figure printed), `expected` (what it should equal) or `part` (one term of a sum)",
		"table_seq":  "the table's position in its document, from 0; -1 for a figure stated in the narrative",
		"table_kind": "the table's kind, or `narrative`",
		"label":      "the table's printed label",
		"title":      "the table's printed title",
		"row":        "the row's printed name",
		"col":        "the column key (a fact key for a narrative figure)",
		"header":     "the header printed above the column",
		"text":       "the printed text of the cell (the sentence, for a narrative figure)",
		"page":       "the page the figure is printed on",
	},
	"verdicts": {
		"finding_id":  "the finding judged (joins to `findings.id`)",
		"key":         "the finding's key when judged",
		"fingerprint": "the finding's fingerprint when judged (stale when the finding's now differs)",
		"verdict":     "`confirmed` (a real inconsistency), `false-alarm` (a misread or a checker gap) or `explained` (real, explained by the document)",
		"note":        "the analyst's note",
		"by":          "who judged",
		"at":          "when (RFC 3339, UTC)",
	},
}

// jsonlKeys are the top-level keys of the lines of the jsonl files.
var jsonlKeys = map[string]map[string]string{
	"documents.jsonl": {
		"schema": "the output schema version", "file": "file name", "sha256": "SHA-256 of the bytes", "pages": "number of pages",
		"producer": "the PDF's Producer", "text_layer": "whether it has a text layer", "document": "entity, scope, kind, year, title",
		"tables": "the tables, rows and cells with bounding boxes", "narrative": "the narrative sections",
		"facts": "figures stated in the narrative, by key", "fact_sources": "where each fact was read: its page, sentence, the figure as printed and its box on the page (`bbox`, when placed)", "warnings": "the extractor's warnings", "error": "why it failed, when it did",
		"extractor": "the extractor version", "provenance": "every sighting: file, URL, linking page, link text, time",
		"current": "false when superseded by a later version or a copy of another document", "superseded_by": "the superseding version's sha256", "copy_of": "the sha256 of the document this one repeats",
	},
	"findings.jsonl": {
		"rule": "the rule", "severity": "error, warning or info", "documents": "the documents involved",
		"tables": "the table kinds involved", "message": "the finding in words", "expected": "the figure expected",
		"actual": "the figure printed", "pages": "the pages involved", "unit": "the unit of the figures",
		"id": "stable id (verdicts attach to it)", "key": "what the finding is about", "confidence": "high, medium or low",
		"why": "why the confidence", "fingerprint": "digest of the figures compared", "evidence": "every figure compared, down to the cell and its box", "verdict": "an analyst's verdict",
	},
}

// meaning is the documented meaning of a column of a file, "" when none.
func meaning(file, col string) string {
	if m, ok := fileColumns[file][col]; ok {
		return m
	}
	return commonColumns[col]
}

func (c column) typeName() string {
	var t string
	switch c.typ {
	case colText:
		t = "text"
	case colInteger:
		t = "integer"
	case colDecimal:
		t = fmt.Sprintf("decimal (%d places)", c.places)
	case colBool:
		t = "boolean"
	case colNumber:
		t = "number"
	}
	if c.optional {
		t += ", may be empty"
	}
	return t
}

// textCodeColumns are the text columns that look like numbers: tools that
// guess types must be told they are text.
func textCodeColumns() []string {
	seen := map[string]bool{}
	for _, d := range datasets {
		for _, c := range d.columns {
			if c.typ == colText && (c.name == "code" || strings.HasSuffix(c.name, "_code")) {
				seen[c.name] = true
			}
		}
	}
	out := make([]string, 0, len(seen))
	for c := range seen {
		out = append(out, c)
	}
	sort.Strings(out)
	return out
}

// Dictionary is the data dictionary (README.md of every export folder,
// docs/data-dictionary.md in the repository).
func Dictionary() string {
	var b strings.Builder
	p := func(format string, a ...any) { fmt.Fprintf(&b, format, a...) }
	p("# yusuan dataset: data dictionary\n\n")
	p("Written by `yusuan export` into every export folder as README.md (the same text is docs/data-dictionary.md\n")
	p("in the yusuan repository). It describes every file and column of the four formats.\n\n")
	p("| format | files |\n|---|---|\n")
	p("| `csv` | one `.csv` per file below: UTF-8 with a byte-order mark (Excel shows the Chinese), a header line, RFC 4180 quoting |\n")
	p("| `parquet` | one `.parquet` per file below, typed (codes are strings, `fen` INT64, `yuan` DECIMAL(18,2)), zstd-compressed |\n")
	p("| `xlsx` | `yusuan.xlsx`: sheets `documents`, `tables`, one sheet per table kind (below), `facts`, `findings` |\n")
	p("| `jsonl` | `documents.jsonl` (each document as `yusuan extract` prints it, plus `provenance`) and `findings.jsonl` (as `yusuan check --json` prints them) |\n\n")

	p("## Files\n\n| file | one line is | identified by |\n|---|---|---|\n")
	for _, f := range files {
		p("| `%s` | %s | %s |\n", f.name, f.line, f.key)
	}
	p(`
## Keys and joins

- ` + "`sha256`" + ` identifies a document everywhere: join any file to ` + "`documents`" + ` on it.
- A table is ` + "`(sha256, table_seq)`" + `, a printed line ` + "`(sha256, table_seq, row_seq)`" + `, a cell
  ` + "`(sha256, table_seq, row_seq, col)`" + `. ` + "`cells`" + ` and ` + "`other_cells`" + ` repeat the line's code and name
  (and ` + "`cells`" + ` the document's entity and year) so they can be used alone.
- ` + "`documents.entity_id`" + ` joins to ` + "`entities.entity_id`" + `: the same unit across years.
- ` + "`findings.documents`" + ` lists every document a finding involves; ` + "`findings.sha256`" + ` is the first.
- A row's column left blank in print has no line in ` + "`cells`" + ` or ` + "`other_cells`" + `: ` + "`tables.columns`" + `
  lists every column of a table.

## Amounts and units

- Every amount is exact, in three forms: ` + "`amount`" + ` (the decimal string as printed, in ` + "`unit`" + `, with
  ` + "`places`" + ` decimals), ` + "`fen`" + ` (an integer number of 分 = 1/100 yuan: sum this in any tool) and ` + "`yuan`" + `.
- ` + "`unit`" + ` is the table's printed unit, ` + "`万元`" + ` (10,000 yuan) or ` + "`元`" + `. 1 万元 = 1,000,000 fen.
- In CSV, sum ` + "`fen`" + ` rather than ` + "`yuan`" + ` or ` + "`amount`" + `: spreadsheets and CSV readers turn decimals
  into floating point. In XLSX amounts are numbers shown with their printed decimal places; a spreadsheet
  holds them as binary floating point, exact to 15 significant digits.
- ` + "`cells`" + ` holds only amounts of money, so its ` + "`amount`" + `, ` + "`unit`" + `, ` + "`places`" + `, ` + "`fen`" + ` and
  ` + "`yuan`" + ` are never empty. Tables that print no unit (performance targets, self-evaluation score sheets,
  a few tables whose unit line was not found) hold scores, counts and percentages, or money of unknown
  unit: their numbers are in ` + "`other_cells.number`" + `, not in ` + "`cells`" + `.

## Bounding boxes

` + "`x0, y0, x1, y1`" + ` locate a line or a cell on its page in PDF points (1/72 inch), with the origin at
the bottom-left corner of the page (PDF user space): ` + "`x0 < x1`" + `, ` + "`y0 < y1`" + `, and ` + "`y`" + ` grows
upwards. To draw on an image rendered at ` + "`dpi`" + `, take ` + "`x * dpi/72`" + ` and ` + "`(page height − y) * dpi/72`" + `.

## Text that looks like a number, or like a formula

- Codes (`)
	for i, c := range textCodeColumns() {
		if i > 0 {
			p(", ")
		}
		p("`%s`", c)
	}
	p(`) are text: ` + "`201`" + ` is not 201.0. CSV carries no types, so tell the reader:

  ` + "```python" + `
  import pandas as pd
  cells = pd.read_csv("cells.csv", dtype={"code": str})
  rows = pd.read_csv("rows.csv", dtype={"code": str, "econ_code": str, "gov_econ_code": str, "unit_code": str})
  facts = pd.read_csv("facts.csv", dtype={"fen": "Int64"})  # empty for percentages and counts
  ` + "```" + `

  DuckDB: ` + "`read_csv('rows.csv', types={'code': 'VARCHAR', 'econ_code': 'VARCHAR'})`" + `. Parquet and XLSX
  store codes as text already.
- In CSV, a text field that a spreadsheet would run as a formula (one starting with ` + "`=`, `+`, `-`, `@`" + `, a tab
  or a carriage return, such as an entity named ` + "`=HYPERLINK(…)`" + ` or a line named ` + "`-其他支出`" + `) is
  written with a leading apostrophe ` + "`'`" + `, which spreadsheets show as text (OWASP, "CSV injection").
  Numbers (` + "`-12.50`" + `) and dashes (` + "`-`" + `, ` + "`--`" + `) are written as they are. Parquet, XLSX (text cells
  are always text) and JSON Lines keep the text unchanged.

## Columns
`)
	for _, d := range datasets {
		p("\n### %s\n\n| column | type | meaning |\n|---|---|---|\n", d.name)
		for _, c := range d.columns {
			p("| `%s` | %s | %s |\n", c.name, c.typeName(), meaning(d.name, c.name))
		}
	}
	p("\n### yusuan.xlsx\n\n")
	p("The sheets `documents`, `tables`, `facts` and `findings` have the columns of the files of the same name\n")
	p("(amounts as numbers). Each table kind has a sheet named by its Chinese name (Table kinds below), one line\n")
	p("per printed line, with these columns and then one column per amount column key of the kind:\n\n")
	p("| column | meaning |\n|---|---|\n")
	for _, c := range kindSheetColumns {
		m := meaning("rows", c)
		switch c {
		case "title":
			m = "the table's title as printed"
		case "unit":
			m = "the table's unit (`万元`, `元`, empty when none is printed)"
		}
		p("| `%s` | %s |\n", c, m)
	}
	p("\nA sheet longer than Excel's 1,048,576 lines goes on in a sheet named `… (2)`.\n")

	for _, name := range []string{"documents.jsonl", "findings.jsonl"} {
		keys := make([]string, 0, len(jsonlKeys[name]))
		for k := range jsonlKeys[name] {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		p("\n### %s\n\n", name)
		if name == "documents.jsonl" {
			p("Top-level keys of each line; docs/output-format.md describes the document in full.\n\n")
		} else {
			p("Top-level keys of each line, the shape of `yusuan check --json` (docs/cli.md).\n\n")
		}
		p("| key | meaning |\n|---|---|\n")
		for _, k := range keys {
			p("| `%s` | %s |\n", k, jsonlKeys[name][k])
		}
	}
	p("\n")
	p("## Column keys\n\n")
	p("`col` names an amount column by what its printed header says, the same key in every template:\n\n")
	p("| key | name | printed headers it comes from |\n|---|---|---|\n")
	var keys []string
	words := map[string][]string{}
	for _, w := range vocab.HeaderWords() {
		if _, ok := words[w.Key]; !ok {
			keys = append(keys, w.Key)
		}
		words[w.Key] = append(words[w.Key], w.Word)
	}
	for _, k := range keys {
		name := vocab.ColumnNames[k]
		p("| `%s` | %s | `%s` |\n", k, name, strings.Join(words[k], "`, `"))
	}
	p(`
- The word that ends last in a column's stacked header wins: 一般公共预算 / 基本支出 is ` + "`basic`" + `,
  本年收入 / 合计 is ` + "`total`" + `. 小计 under a group heading is that group's key (基本支出 / 小计 is ` + "`basic`" + `);
  elsewhere 小计 is ` + "`total`" + `, except in 财政拨款收支总表 where it stays ` + "`subtotal`" + `.
- Columns printed again under several group headings take the group's meaning: under years, the latest
  year keeps the plain key and the others add ` + "`_prev`" + ` (the year before), ` + "`_2024`" + ` …; under 增减 they add
  ` + "`_change`" + `; 预算数 beside 决算数 adds ` + "`_budget`" + ` in a final account (` + "`_actual`" + ` for 决算数 in a budget);
  under items (因公出国（境）费 …) split by source the key is the item's and the source's: ` + "`abroad_gpb`" + `.
- Any other key printed twice on the same side of a table gets a suffix: the second ` + "`total`" + ` is
  ` + "`total_2`" + `, the third ` + "`total_3`" + ` (` + "`tables.headers`" + ` gives the printed header of each).
- In a two-sided table (收支总表) the same key may appear on both sides: ` + "`side`" + ` tells them apart.
- A table whose title matches no template (kind ` + "`other`" + `, performance tables) keeps its printed header
  as the key, without spaces (` + "`项目支出`" + `). In other tables a column whose header names no known key, or
  that has none, is ` + "`col1`" + `, ` + "`col2`" + ` … by position (` + "`tables.headers`" + ` keeps the printed header).
`)
	p("\n## Table kinds\n\n| kind | usual Chinese name (the XLSX sheet name) |\n|---|---|\n")
	kinds := make([]string, 0, len(vocab.KindLabels))
	for k := range vocab.KindLabels {
		kinds = append(kinds, string(k))
	}
	kinds = append(kinds, string(yusuan.Other))
	slices.Sort(kinds)
	kinds = slices.Compact(kinds)
	for _, k := range kinds {
		p("| `%s` | %s |\n", k, KindSheetName(k))
	}
	return b.String()
}
