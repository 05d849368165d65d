package narrative

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"

	"yusuan"
)

// sentence is one sentence of a section, as printed (blanks squeezed) and
// normalised for matching, with the page it starts on.
type sentence struct {
	text, norm string
	page       int
	rank       int // rankGeneral … rankNever (scope.go)
	// lead is the opening of the paragraph the sentence starts in,
	// normalised: what the paragraph is about (scope.go, paragraphOfPart).
	lead string
}

// sentenceEnd splits sentences; leadsOn ends a paragraph that the next
// one continues.
var (
	sentenceEnd = regexp.MustCompile(`[。！？!?]`)
	leadsOn     = regexp.MustCompile(`(?:[：:，,；;、]|^)$`)
)

// sentencesOf cuts a section into sentences, keeping each one's page.
func sentencesOf(s *section) []sentence {
	var out []sentence
	var cur strings.Builder
	curPage := -1
	paraLead, curLead := "", ""
	if len(s.pieces) > 0 {
		paraLead = leadOf(s.pieces[0].text)
	}
	flush := func() {
		t := strings.TrimSpace(strings.ReplaceAll(cur.String(), "\n", ""))
		if t != "" {
			out = append(out, sentence{text: t, norm: Normalise(t), page: curPage, lead: curLead})
		}
		cur.Reset()
		curPage = -1
	}
	for _, p := range s.pieces {
		rest := p.text
		for rest != "" {
			if curPage < 0 && strings.TrimSpace(rest) != "" {
				curPage, curLead = p.page, paraLead
			}
			loc := sentenceEnd.FindStringIndex(rest)
			// A paragraph break ends a sentence too, unless the text
			// before it leads on ("其中：" / "人员经费…"): a list item's
			// title ("2、项目绩效目标") is no part of the next sentence.
			if nl := strings.IndexByte(rest, '\n'); nl >= 0 && (loc == nil || nl < loc[0]) {
				cur.WriteString(rest[:nl])
				rest = rest[nl+1:]
				paraLead = leadOf(rest)
				if strings.TrimSpace(cur.String()) == "" {
					// No sentence begun yet: the next starts the paragraph.
					cur.Reset()
					curPage = -1
					continue
				}
				if !leadsOn.MatchString(strings.TrimSpace(cur.String())) {
					flush()
				}
				continue
			}
			if loc == nil {
				cur.WriteString(rest)
				break
			}
			cur.WriteString(rest[:loc[1]])
			rest = rest[loc[1]:]
			flush()
		}
	}
	flush()
	return out
}

// leadOf is the normalised opening of a paragraph: enough to read its
// numbering and subject.
func leadOf(text string) string {
	text = strings.TrimSpace(text)
	if r := []rune(text); len(r) > 48 {
		text = string(r[:48])
	}
	return Normalise(text)
}

// extracted is the result of matching patterns over sentences.
type extracted struct {
	facts    yusuan.Facts
	sources  []yusuan.FactSource
	warnings []string
}

// extractFacts runs the pattern table over the sentences, rank by rank
// (the general sections first, a unit's sentences last, rankNever never),
// each rank in document order.
func extractFacts(ctx context.Context, sents []sentence) extracted {
	ex := extracted{facts: yusuan.Facts{}}
	// Sentences about a project or defining a term never give a fact:
	// dropped once here, not once per pattern.
	kept := make([]sentence, 0, len(sents))
	for _, s := range sents {
		if !skipSentence.MatchString(s.norm) {
			kept = append(kept, s)
		}
	}
	for rank := rankGeneral; rank < rankNever; rank++ {
		for _, p := range compiledPatterns() {
			if ctx.Err() != nil {
				return ex
			}
			for _, s := range kept {
				if s.rank != rank || !strings.Contains(s.norm, p.need) {
					continue
				}
				if ex.apply(p, s) {
					break
				}
			}
		}
	}
	ex.derive()
	return ex
}

// apply matches one pattern against one sentence and records the facts it
// yields that are not yet known. It reports whether the pattern matched.
func (ex *extracted) apply(p compiled, s sentence) bool {
	for _, loc := range p.re.FindAllStringSubmatchIndex(s.norm, -1) {
		if rejected(s.norm[:loc[0]], p.notAfter) {
			continue
		}
		names := p.re.SubexpNames()
		group := func(name string) string {
			for i, n := range names {
				if n == name && loc[2*i] >= 0 {
					return s.norm[loc[2*i]:loc[2*i+1]]
				}
			}
			return ""
		}
		// A direction word anywhere in the match signs a figure that has
		// none of its own (…减少12.70万元，10.5% keeps the minus).
		anyDir := ""
		for _, n := range names {
			if strings.HasPrefix(n, "d_") && group(n) != "" {
				anyDir = group(n)
				break
			}
		}
		for i, n := range names {
			if len(n) < 3 || n[1] != '_' || group(n) == "" {
				continue
			}
			key := n[2:]
			var v yusuan.Amount
			var err error
			switch n[0] {
			case 'a':
				v, err = inWan(group(n), group("u_"+key))
			case 'p', 'n':
				v, err = yusuan.ParseAmount(group(n))
			default:
				continue
			}
			if err != nil {
				ex.warnings = append(ex.warnings, fmt.Sprintf("page %d: %s: %v", s.page, key, err))
				continue
			}
			if n[0] != 'n' {
				d := group("d_" + key)
				if d == "" && isChangePct(key) {
					d = anyDir
				}
				v = signed(v, d)
			}
			ex.record(key, v, s, loc[2*i], loc[2*i+1])
		}
		for key, val := range p.set {
			ex.record(key, yusuan.MustAmount(val), s, -1, -1)
		}
		return true
	}
	return false
}

// isChangePct names the keys that take the sign of a neighbouring
// direction word when they have none: percentages of a change.
func isChangePct(key string) bool {
	return strings.HasSuffix(key, "_pct") && strings.Contains(key, "change")
}

// record keeps the first value of a fact with its sentence and, when the
// figure is printed (from, to: its bytes in s.norm; -1 for a constant such
// as 持平 → 0), where it stands in the sentence.
func (ex *extracted) record(key string, v yusuan.Amount, s sentence, from, to int) {
	if _, ok := ex.facts[key]; ok {
		return
	}
	ex.facts[key] = v
	src := yusuan.FactSource{Key: key, Value: v, Page: s.page, Sentence: s.text}
	if from >= 0 {
		src.Figure, src.FigureAt = s.norm[from:to], from
	}
	ex.sources = append(ex.sources, src)
}

// derive fills a previous-year figure the text states only as a change,
// and says so in a warning.
func (ex *extracted) derive() {
	for _, d := range derivations {
		if _, ok := ex.facts[d.prev]; ok {
			continue
		}
		cur, ok1 := ex.facts[d.current]
		chg, ok2 := ex.facts[d.change]
		if !ok1 || !ok2 {
			continue
		}
		places := max(cur.Places(), chg.Places())
		prev := yusuan.AmountFromDecimal(cur.Decimal().Sub(chg.Decimal()), int32(places))
		ex.facts[d.prev] = prev
		src := yusuan.FactSource{Key: d.prev, Value: prev}
		for _, s := range ex.sources {
			if s.Key == d.change {
				src.Page, src.Sentence = s.Page, s.Sentence
			}
		}
		ex.sources = append(ex.sources, src)
		ex.warnings = append(ex.warnings, fmt.Sprintf("page %d: %s %s derived as %s %s − change %s",
			src.Page, d.prev, prev, d.current, cur, chg))
	}
}

// rejected reports whether the text before a match ends with a word that
// makes the figure someone else's.
func rejected(before string, notAfter []string) bool {
	// Only the last few characters matter.
	for utf8.RuneCountInString(before) > 8 {
		_, n := utf8.DecodeRuneInString(before)
		before = before[n:]
	}
	for _, w := range append(commonNotAfter, notAfter...) {
		if strings.HasSuffix(before, w) {
			return true
		}
	}
	return false
}

// signed applies a direction word: 减少/下降 make the figure negative.
func signed(v yusuan.Amount, dir string) yusuan.Amount {
	switch dir {
	case "减少", "下降", "降低", "减", "缩减", "压减", "减幅", "降幅":
		if v.Decimal().IsZero() {
			return v
		}
		n, err := yusuan.ParseAmount("-" + v.String())
		if err == nil {
			return n
		}
	}
	return v
}

// inWan converts a stated amount to 万元, exactly: 108000元 → 10.8000.
func inWan(num, unit string) (yusuan.Amount, error) {
	a, err := yusuan.ParseAmount(num)
	if err != nil {
		return yusuan.Null, err
	}
	var shift int32
	switch unit {
	case "元":
		shift = -4
	case "千元":
		shift = -1
	case "亿元":
		shift = 4
	default:
		return a, nil
	}
	places := int32(a.Places()) - shift
	if places < 0 {
		places = 0
	}
	return yusuan.AmountFromDecimal(a.Decimal().Shift(shift), places), nil
}
