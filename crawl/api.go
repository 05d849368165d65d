package crawl

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// Provincial platforms publish through JSON APIs (docs/sites.md): one
// request lists departments, one per department lists its templates, one
// per template lists its files, and a GET downloads each. An api site
// describes the walk as data: each [[site.step]] is a request template
// whose placeholders {{step.path}} take fields of the items an earlier
// step returned, and [site.download] turns the last items into file URLs.

// APIStep is one request of an api site's walk.
type APIStep struct {
	Name   string
	Method string // GET or POST
	URL    template
	// Form is sent as application/x-www-form-urlencoded (POST) or as the
	// query (GET); JSON as an application/json body. At most one is set.
	Form map[string]template
	JSON map[string]any // string leaves are templates
	// Items is the path in the answer to the list of items the next step
	// iterates over; "" is the answer itself. An object is one item.
	Items jsonPath
}

// APIDownload makes a file link of each item the last step returned.
type APIDownload struct {
	URL       template
	LinkText  template // the file's name as the portal shows it
	PageTitle template // e.g. the department's name
}

// ErrAPIAnswer is an API answer that is not JSON or lacks what the site's
// configuration names.
var ErrAPIAnswer = errors.New("API answer not as configured")

var stepNameRE = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// buildAPI validates the steps and download of an api site; on error it
// returns the key ("step[1].url", "download.url") for the message.
func buildAPI(raw []rawStep, rd *rawDownload) ([]APIStep, APIDownload, string, error) {
	if len(raw) == 0 {
		return nil, APIDownload{}, "step", errors.New(`kind = "api" needs at least one [[site.step]]`)
	}
	var steps []APIStep
	known := map[string]bool{}
	for i, rs := range raw {
		key := func(k string) string { return fmt.Sprintf("step[%d].%s", i, k) }
		if !stepNameRE.MatchString(rs.Name) {
			return nil, APIDownload{}, key("name"), fmt.Errorf("step name %q must be a word (letters, digits, _)", rs.Name)
		}
		if known[rs.Name] {
			return nil, APIDownload{}, key("name"), fmt.Errorf("duplicate step name %q", rs.Name)
		}
		st := APIStep{Name: rs.Name, Method: strings.ToUpper(strings.TrimSpace(rs.Method))}
		if st.Method == "" {
			st.Method = http.MethodGet
		}
		if st.Method != http.MethodGet && st.Method != http.MethodPost {
			return nil, APIDownload{}, key("method"), fmt.Errorf("must be GET or POST, got %q", rs.Method)
		}
		var err error
		if st.URL, err = parseURLTemplate(rs.URL, known); err != nil {
			return nil, APIDownload{}, key("url"), err
		}
		if len(rs.Form) > 0 && len(rs.JSON) > 0 {
			return nil, APIDownload{}, key("json"), errors.New("a step sends form or json, not both")
		}
		if len(rs.JSON) > 0 && st.Method != http.MethodPost {
			return nil, APIDownload{}, key("json"), errors.New("a json body needs method = \"POST\"")
		}
		if len(rs.Form) > 0 {
			st.Form = map[string]template{}
			for k, v := range rs.Form {
				if st.Form[k], err = parseTemplate(v, known); err != nil {
					return nil, APIDownload{}, key("form"), fmt.Errorf("%s: %w", k, err)
				}
			}
		}
		if len(rs.JSON) > 0 {
			if st.JSON, err = parseJSONTemplate(rs.JSON, known); err != nil {
				return nil, APIDownload{}, key("json"), err
			}
		}
		if st.Items, err = parseJSONPath(rs.Items); err != nil {
			return nil, APIDownload{}, key("items"), err
		}
		known[rs.Name] = true
		steps = append(steps, st)
	}
	if rd == nil || rd.URL == "" {
		return nil, APIDownload{}, "download", errors.New(`kind = "api" needs [site.download] with url`)
	}
	var dl APIDownload
	var err error
	if dl.URL, err = parseURLTemplate(rd.URL, known); err != nil {
		return nil, APIDownload{}, "download.url", err
	}
	if dl.LinkText, err = parseTemplate(rd.LinkText, known); err != nil {
		return nil, APIDownload{}, "download.link_text", err
	}
	if dl.PageTitle, err = parseTemplate(rd.PageTitle, known); err != nil {
		return nil, APIDownload{}, "download.page_title", err
	}
	return steps, dl, "", nil
}

// template is text with {{step.path}} placeholders.
type template struct {
	parts []tmplPart
}

type tmplPart struct {
	lit  string
	step string // set for a placeholder
	path jsonPath
}

var placeholderRE = regexp.MustCompile(`\{\{\s*([^{}]*?)\s*\}\}`)

// parseTemplate checks that every placeholder names a step in known.
func parseTemplate(s string, known map[string]bool) (template, error) {
	var t template
	last := 0
	for _, m := range placeholderRE.FindAllStringSubmatchIndex(s, -1) {
		if m[0] > last {
			t.parts = append(t.parts, tmplPart{lit: s[last:m[0]]})
		}
		ref := s[m[2]:m[3]]
		step, rest, _ := strings.Cut(ref, ".")
		if ri := strings.IndexByte(step, '['); ri >= 0 {
			step, rest = step[:ri], step[ri:]+rest
		}
		if !known[step] {
			return template{}, fmt.Errorf("placeholder {{%s}} names no earlier step (want {{step.field}})", ref)
		}
		p, err := parseJSONPath(rest)
		if err != nil {
			return template{}, fmt.Errorf("placeholder {{%s}}: %w", ref, err)
		}
		t.parts = append(t.parts, tmplPart{step: step, path: p})
		last = m[1]
	}
	if rest := s[last:]; rest != "" {
		if strings.Contains(rest, "{{") || strings.Contains(rest, "}}") {
			return template{}, fmt.Errorf("unbalanced {{ }} in %q", s)
		}
		t.parts = append(t.parts, tmplPart{lit: rest})
	}
	return t, nil
}

// parseURLTemplate also requires an absolute http(s) URL whose scheme and
// host are literal, so the site's hosts are known before the walk.
func parseURLTemplate(s string, known map[string]bool) (template, error) {
	t, err := parseTemplate(strings.TrimSpace(s), known)
	if err != nil {
		return t, err
	}
	p := t.prefix()
	pu, err := url.Parse(p)
	if err != nil || (pu.Scheme != "http" && pu.Scheme != "https") || pu.Host == "" || !strings.Contains(strings.TrimPrefix(p, pu.Scheme+"://"), "/") {
		return template{}, fmt.Errorf("not an absolute http(s) URL with a literal host: %q", s)
	}
	return t, nil
}

func parseJSONTemplate(m map[string]any, known map[string]bool) (map[string]any, error) {
	var walk func(v any) (any, error)
	walk = func(v any) (any, error) {
		switch x := v.(type) {
		case string:
			return parseTemplate(x, known)
		case map[string]any:
			out := map[string]any{}
			for k, e := range x {
				w, err := walk(e)
				if err != nil {
					return nil, fmt.Errorf("%s: %w", k, err)
				}
				out[k] = w
			}
			return out, nil
		case []any:
			out := make([]any, len(x))
			for i, e := range x {
				w, err := walk(e)
				if err != nil {
					return nil, err
				}
				out[i] = w
			}
			return out, nil
		}
		return v, nil
	}
	out, err := walk(m)
	if err != nil {
		return nil, err
	}
	return out.(map[string]any), nil
}

// prefix is the literal text before the first placeholder.
func (t template) prefix() string {
	var b strings.Builder
	for _, p := range t.parts {
		if p.step != "" {
			break
		}
		b.WriteString(p.lit)
	}
	return b.String()
}

// expand fills the placeholders from scope (step name → current item).
func (t template) expand(scope map[string]any) (string, error) {
	var b strings.Builder
	for _, p := range t.parts {
		if p.step == "" {
			b.WriteString(p.lit)
			continue
		}
		v, ok := p.path.get(scope[p.step])
		if !ok {
			return "", fmt.Errorf("%w: no %s%s in the answer", ErrAPIAnswer, p.step, p.path)
		}
		s, err := scalarText(v)
		if err != nil {
			return "", fmt.Errorf("%w: %s%s: %v", ErrAPIAnswer, p.step, p.path, err)
		}
		b.WriteString(s)
	}
	return b.String(), nil
}

// value is expand, except that a template made of one placeholder gives
// the JSON value itself (a number stays a number in a JSON body).
func (t template) value(scope map[string]any) (any, error) {
	if len(t.parts) == 1 && t.parts[0].step != "" {
		p := t.parts[0]
		v, ok := p.path.get(scope[p.step])
		if !ok {
			return nil, fmt.Errorf("%w: no %s%s in the answer", ErrAPIAnswer, p.step, p.path)
		}
		return v, nil
	}
	return t.expand(scope)
}

func scalarText(v any) (string, error) {
	switch x := v.(type) {
	case string:
		return x, nil
	case json.Number:
		return x.String(), nil
	case bool:
		return strconv.FormatBool(x), nil
	case nil:
		return "", nil
	}
	return "", fmt.Errorf("is a %T, not a scalar", v)
}

// jsonPath is a path into decoded JSON: keys and array indexes, written
// budgetTemplates[0].uuid or data.list.
type jsonPath []pathElem

type pathElem struct {
	key   string
	index int // used when key is ""
}

var pathElemRE = regexp.MustCompile(`^([^.\[\]]*)((?:\[\d+\])*)$`)

func parseJSONPath(s string) (jsonPath, error) {
	s = strings.TrimPrefix(strings.TrimSpace(s), ".")
	if s == "" {
		return nil, nil
	}
	var p jsonPath
	for i, seg := range strings.Split(s, ".") {
		m := pathElemRE.FindStringSubmatch(seg)
		if m == nil || (m[1] == "" && m[2] == "") || (m[1] == "" && i > 0) {
			return nil, fmt.Errorf("bad JSON path %q (want e.g. budgetTemplates[0].uuid)", s)
		}
		if m[1] != "" {
			p = append(p, pathElem{key: m[1]})
		}
		for _, ix := range regexp.MustCompile(`\d+`).FindAllString(m[2], -1) {
			n, err := strconv.Atoi(ix)
			if err != nil || n > 1<<20 {
				return nil, fmt.Errorf("bad index in JSON path %q", s)
			}
			p = append(p, pathElem{index: n})
		}
	}
	return p, nil
}

func (p jsonPath) String() string {
	var b strings.Builder
	for _, e := range p {
		if e.key != "" {
			b.WriteString("." + e.key)
		} else {
			fmt.Fprintf(&b, "[%d]", e.index)
		}
	}
	return b.String()
}

func (p jsonPath) get(v any) (any, bool) {
	for _, e := range p {
		switch x := v.(type) {
		case map[string]any:
			if e.key == "" {
				return nil, false
			}
			var ok bool
			if v, ok = x[e.key]; !ok {
				return nil, false
			}
		case []any:
			if e.key != "" || e.index >= len(x) {
				return nil, false
			}
			v = x[e.index]
		default:
			return nil, false
		}
	}
	return v, true
}

// items lists what the path points at: an array's elements, or one
// object; nothing when the path is absent or null.
func (p jsonPath) items(answer any) []any {
	v, ok := p.get(answer)
	if !ok || v == nil {
		return nil
	}
	if a, ok := v.([]any); ok {
		return a
	}
	return []any{v}
}

// decodeJSON reads an API answer; numbers stay exact (json.Number), and a
// GBK answer (some platforms send one) is decoded first.
func decodeJSON(body []byte) (any, error) {
	if !utf8.Valid(body) {
		if d, err := simplifiedchinese.GB18030.NewDecoder().Bytes(body); err == nil {
			body = d
		}
	}
	dec := json.NewDecoder(bytes.NewReader(bytes.TrimPrefix(body, []byte("\xef\xbb\xbf"))))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, fmt.Errorf("%w: not JSON: %v", ErrAPIAnswer, err)
	}
	return v, nil
}

// request builds a step's request body and URL for one scope.
func (st *APIStep) request(scope map[string]any) (method, u string, body []byte, contentType string, err error) {
	if u, err = st.URL.expand(scope); err != nil {
		return "", "", nil, "", err
	}
	switch {
	case st.Form != nil:
		vals := url.Values{}
		keys := make([]string, 0, len(st.Form))
		for k := range st.Form {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			v, err := st.Form[k].expand(scope)
			if err != nil {
				return "", "", nil, "", err
			}
			vals.Set(k, v)
		}
		if st.Method == http.MethodGet {
			sep := "?"
			if strings.Contains(u, "?") {
				sep = "&"
			}
			u += sep + vals.Encode()
		} else {
			body, contentType = []byte(vals.Encode()), "application/x-www-form-urlencoded; charset=UTF-8"
		}
	case st.JSON != nil:
		v, err := fillJSON(st.JSON, scope)
		if err != nil {
			return "", "", nil, "", err
		}
		if body, err = json.Marshal(v); err != nil {
			return "", "", nil, "", err
		}
		contentType = "application/json; charset=UTF-8"
	}
	return st.Method, u, body, contentType, nil
}

func fillJSON(v any, scope map[string]any) (any, error) {
	switch x := v.(type) {
	case template:
		return x.value(scope)
	case map[string]any:
		out := map[string]any{}
		for k, e := range x {
			f, err := fillJSON(e, scope)
			if err != nil {
				return nil, err
			}
			out[k] = f
		}
		return out, nil
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			f, err := fillJSON(e, scope)
			if err != nil {
				return nil, err
			}
			out[i] = f
		}
		return out, nil
	}
	return v, nil
}

// walkAPI runs the site's steps breadth first and schedules one file per
// item of the last step. A failed request is recorded and its branch
// skipped; the others go on. It fails only when no request got an answer
// (a dead platform).
func (c *crawler) walkAPI(ctx context.Context) error {
	scopes := []map[string]any{{}}
	answered := 0
	for _, st := range c.site.Steps {
		var next []map[string]any
		for _, sc := range scopes {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			if !c.takeAPIRequest() {
				break
			}
			answer, u, err := c.apiCall(ctx, &st, sc)
			if err != nil {
				c.failErr(Item{URL: u}, 0, fmt.Errorf("step %s: %w", st.Name, err))
				continue
			}
			answered++
			for _, it := range st.Items.items(answer) {
				n := make(map[string]any, len(sc)+1)
				for k, v := range sc {
					n[k] = v
				}
				n[st.Name] = it
				next = append(next, n)
			}
		}
		scopes = next
	}
	var files []Item
	seen := map[string]bool{}
	dl := c.site.Download
	for _, sc := range scopes {
		u, err := dl.URL.expand(sc)
		if err != nil {
			c.failErr(Item{URL: dl.URL.prefix()}, 0, fmt.Errorf("download: %w", err))
			continue
		}
		u = c.site.fetchURL(u)
		if seen[u] || !c.site.Allowed(u) {
			continue
		}
		seen[u] = true
		text, _ := dl.LinkText.expand(sc)
		title, _ := dl.PageTitle.expand(sc)
		files = append(files, Item{URL: u, Kind: KindFile, Depth: len(c.site.Steps), Referrer: c.site.Referer,
			LinkText: strings.TrimSpace(text), PageTitle: strings.TrimSpace(title)})
	}
	if answered == 0 {
		return errors.New("no API request was answered")
	}
	return c.enqueue(ctx, files)
}

// apiCall makes one step's request for scope and decodes the answer.
func (c *crawler) apiCall(ctx context.Context, st *APIStep, scope map[string]any) (any, string, error) {
	method, u, body, ct, err := st.request(scope)
	if err != nil {
		return nil, st.URL.prefix(), err
	}
	u = c.site.fetchURL(u)
	c.track.current(c.site.Name + " " + st.Name + " " + u)
	if !c.site.Allowed(u) {
		return nil, u, fmt.Errorf("%w: %s is outside the site's allow rules", ErrAPIAnswer, u)
	}
	if err := c.robots.check(ctx, u); err != nil {
		return nil, u, err
	}
	var raw []byte
	// A cut JSON answer is useless: over max_page_size it is refused.
	spec := attemptSpec{url: u, timeout: c.site.Timeout, policy: bodyPolicy{Max: c.site.MaxPageSize}}
	err = c.attempts(ctx, spec, func(actx context.Context, _ *fetchCtx) error {
		req, err := http.NewRequestWithContext(actx, method, u, bytes.NewReader(body))
		if err != nil {
			return err
		}
		c.setHeaders(req.Header, "")
		req.Header.Set("Accept", "application/json, text/plain, */*")
		req.Header.Set("X-Requested-With", "XMLHttpRequest")
		if ct != "" {
			req.Header.Set("Content-Type", ct)
		}
		started := c.now()
		resp, err := c.client.Do(req)
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		raw, err = io.ReadAll(resp.Body)
		x := &exchange{URL: resp.Request.URL.String(), Method: method, ReqHeader: req.Header, ReqBody: body,
			Status: resp.StatusCode, Proto: resp.Proto, RespHeader: resp.Header, Date: started}
		if x.Truncated = truncation(err); err == nil {
			x.Body, x.BodyLen = bytes.NewReader(raw), int64(len(raw))
		}
		c.archive(x)
		if err != nil {
			return err
		}
		if resp.StatusCode/100 != 2 {
			return statusError(resp.StatusCode, resp.Header, started)
		}
		return nil
	})
	if err != nil {
		return nil, u, err
	}
	c.count(func(r *Report) { r.PagesFetched++ })
	v, err := decodeJSON(raw)
	return v, u, err
}
