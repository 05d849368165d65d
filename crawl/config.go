package crawl

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"net/url"
	"os"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/BurntSushi/toml"
)

// Defaults for a [[site]] entry that leaves a key out. They are chosen so an
// entry with only name, start and allow harvests a whole portal politely,
// and so no URL can hold a nightly harvest for long.
const (
	DefaultDelay         = time.Second
	DefaultConcurrency   = 2
	DefaultMaxDepth      = 5
	DefaultUserAgent     = "yusuan-bot/0.1 (+https://github.com/yusuan; budget disclosure archiver)"
	DefaultMaxFileSize   = 200 << 20
	DefaultMaxPageSize   = 20 << 20
	DefaultTimeout       = 30 * time.Second
	DefaultFileTimeout   = 10 * time.Minute
	DefaultHeaderTimeout = 30 * time.Second
	DefaultURLBudget     = 15 * time.Minute
	DefaultRetries       = 3
	DefaultRetryBackoff  = 2 * time.Second
	DefaultMaxPages      = 20000
	DefaultMaxFiles      = 20000
)

// SiteKind says how a site lists its files.
type SiteKind string

const (
	// SiteHTML: list pages and articles linking the files (the default).
	SiteHTML SiteKind = "html"
	// SiteAPI: a JSON API walked step by step (Jiangsu's platform:
	// departments → templates → files → download), described in the
	// site's [[site.step]] and [site.download] tables.
	SiteAPI SiteKind = "api"
)

// Config is a parsed sites.toml.
type Config struct {
	Sites []Site
	// WARCMaxSize (top-level warc_max_size) rotates WARC files; 0 means
	// DefaultWARCMaxSize.
	WARCMaxSize int64
}

// Site is one [[site]] entry with defaults applied and regexes compiled.
type Site struct {
	Name string
	Kind SiteKind
	// Start URLs are fetched as pages (html sites); for api sites they
	// are optional and only widen the default allow rule.
	Start []string
	// Allow and Deny are URL regexes; a URL is followed when it matches
	// some Allow (or, when Allow is empty, shares a host with a start URL
	// or an API step) and no Deny.
	Allow []*regexp.Regexp
	Deny  []*regexp.Regexp
	// Delay is the minimum gap between request starts on one host; a
	// larger robots.txt Crawl-delay wins.
	Delay time.Duration
	// Concurrency is the number of requests in flight per host.
	Concurrency int
	// MaxDepth bounds link hops from a start URL. Pagination links
	// (下一页, index_N.html, ?page=N) do not count as a hop, and file
	// attachments are fetched from any page that was fetched.
	MaxDepth  int
	UserAgent string
	// Referer is sent with requests that have no linking page (start
	// URLs, API steps and their downloads); links send their page.
	Referer string
	// HTTPOnly fetches every https:// URL of the site over http://: for
	// portals whose TLS is broken.
	HTTPOnly bool
	// AllowUnreachableRobots reads a robots.txt that cannot be fetched
	// (5xx, no answer) as none, instead of holding the host back for the
	// run (RFC 9309 allows it once robots.txt has been unreachable for
	// 30 days): the operator's choice for a portal whose robots.txt is
	// broken for good.
	AllowUnreachableRobots bool
	// MaxFileSize caps one attachment; a larger one is a recorded
	// "too-large" failure and its body is not kept.
	MaxFileSize int64
	// MaxPageSize caps one page (or API answer); a longer page is cut,
	// archived with WARC-Truncated: length and recorded as "truncated".
	MaxPageSize   int64
	Timeout       time.Duration // one page attempt, body included
	FileTimeout   time.Duration // one attachment attempt, body included
	HeaderTimeout time.Duration // wait for response headers, per attempt
	// URLBudget bounds the time one URL takes in a run: its attempts and
	// the backoff between them.
	URLBudget    time.Duration
	Retries      int           // extra attempts after a 5xx, a network error or no headers in time
	RetryBackoff time.Duration // first backoff, doubled per attempt
	// MaxPages and MaxFiles cap what one run schedules; links past a cap
	// are left for a later run and are not failures.
	MaxPages int
	MaxFiles int
	// Steps and Download describe an api site.
	Steps    []APIStep
	Download APIDownload
}

// rawSite mirrors the TOML; pointers tell "absent" from zero.
type rawSite struct {
	Name        string    `toml:"name"`
	Kind        string    `toml:"kind"`
	Start       []string  `toml:"start"`
	Allow       []string  `toml:"allow"`
	Deny        []string  `toml:"deny"`
	Delay       *duration `toml:"delay"`
	Concurrency *int      `toml:"concurrency"`
	MaxDepth    *int      `toml:"max_depth"`
	UserAgent   string    `toml:"user_agent"`
	Referer     string    `toml:"referer"`
	HTTPOnly    bool      `toml:"http_only"`
	// RobotsUnreachable is "wait" (the default) or "allow".
	RobotsUnreachable string       `toml:"robots_unreachable"`
	MaxFileSize       *byteSize    `toml:"max_file_size"`
	MaxPageSize       *byteSize    `toml:"max_page_size"`
	Timeout           *duration    `toml:"timeout"`
	FileTimeout       *duration    `toml:"file_timeout"`
	HeaderTimeout     *duration    `toml:"header_timeout"`
	URLBudget         *duration    `toml:"url_budget"`
	Retries           *int         `toml:"retries"`
	RetryBackoff      *duration    `toml:"retry_backoff"`
	MaxPages          *int         `toml:"max_pages"`
	MaxFiles          *int         `toml:"max_files"`
	Step              []rawStep    `toml:"step"`
	Download          *rawDownload `toml:"download"`
}

type rawStep struct {
	Name   string            `toml:"name"`
	Method string            `toml:"method"`
	URL    string            `toml:"url"`
	Form   map[string]string `toml:"form"`
	JSON   map[string]any    `toml:"json"`
	Items  string            `toml:"items"`
}

type rawDownload struct {
	URL       string `toml:"url"`
	LinkText  string `toml:"link_text"`
	PageTitle string `toml:"page_title"`
}

// duration accepts "1.5s", "500ms" or a bare number of seconds.
type duration time.Duration

func (d *duration) UnmarshalText(b []byte) error {
	s := strings.TrimSpace(string(b))
	if v, err := time.ParseDuration(s); err == nil {
		if v < 0 {
			return fmt.Errorf("negative duration %q", s)
		}
		*d = duration(v)
		return nil
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f < 0 || f > 1e6 {
		return fmt.Errorf("bad duration %q (want e.g. \"1.5s\" or seconds)", s)
	}
	*d = duration(f * float64(time.Second))
	return nil
}

// byteSize accepts bytes as a number or "200MiB", "10MB", "512KiB".
type byteSize int64

func (b *byteSize) UnmarshalText(text []byte) error {
	n, err := ParseSize(string(text))
	if err != nil {
		return err
	}
	*b = byteSize(n)
	return nil
}

// ParseSize parses a byte count such as "200MiB", "10MB", "512k" or "1048576".
func ParseSize(s string) (int64, error) {
	s = strings.TrimSpace(s)
	units := []struct {
		suffix string
		mul    int64
	}{
		{"kib", 1 << 10}, {"mib", 1 << 20}, {"gib", 1 << 30},
		{"kb", 1000}, {"mb", 1000 * 1000}, {"gb", 1000 * 1000 * 1000},
		{"k", 1 << 10}, {"m", 1 << 20}, {"g", 1 << 30}, {"b", 1},
	}
	low := strings.ToLower(s)
	mul := int64(1)
	for _, u := range units {
		if strings.HasSuffix(low, u.suffix) {
			low = strings.TrimSpace(strings.TrimSuffix(low, u.suffix))
			mul = u.mul
			break
		}
	}
	f, err := strconv.ParseFloat(low, 64)
	if err != nil || f < 0 || f*float64(mul) > 1<<50 {
		return 0, fmt.Errorf("bad size %q (want e.g. \"200MiB\" or bytes)", s)
	}
	return int64(f * float64(mul)), nil
}

// ConfigError is a problem in a sites file, located by line and key.
type ConfigError struct {
	File string
	Line int // 0 when unknown
	Site string
	Key  string
	Err  error
}

func (e *ConfigError) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d", e.Line)
	}
	b.WriteString(":")
	if e.Site != "" {
		fmt.Fprintf(&b, " site %q:", e.Site)
	}
	if e.Key != "" {
		fmt.Fprintf(&b, " key %q:", e.Key)
	}
	fmt.Fprintf(&b, " %v", e.Err)
	return b.String()
}

func (e *ConfigError) Unwrap() error { return e.Err }

// LoadConfig reads and validates a sites file.
func LoadConfig(path string) (*Config, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read sites config: %w", err)
	}
	return ParseConfig(path, b)
}

// siteFields maps each [[site]] key to its field in rawSite, so every key
// is decoded on its own and a type error names its key and line.
var siteFields = func() map[string]int {
	m := map[string]int{}
	t := reflect.TypeOf(rawSite{})
	for i := range t.NumField() {
		m[t.Field(i).Tag.Get("toml")] = i
	}
	return m
}()

// ParseConfig parses sites TOML; name is used in error messages.
func ParseConfig(name string, data []byte) (*Config, error) {
	var top struct {
		WARCMaxSize *byteSize                   `toml:"warc_max_size"`
		Site        []map[string]toml.Primitive `toml:"site"`
	}
	md, err := toml.NewDecoder(bytes.NewReader(data)).Decode(&top)
	if err != nil {
		var pe toml.ParseError
		if errors.As(err, &pe) {
			return nil, &ConfigError{File: name, Line: pe.Position.Line, Key: pe.LastKey, Err: errors.New(pe.Message)}
		}
		return nil, &ConfigError{File: name, Err: err}
	}
	idx := indexLines(data)
	raws := make([]rawSite, len(top.Site))
	for i, keys := range top.Site {
		// Decode in line order so the first problem reported is the
		// first in the file.
		names := make([]string, 0, len(keys))
		for k := range keys {
			names = append(names, k)
		}
		sort.Slice(names, func(a, b int) bool { return idx.siteKeyLine(i, names[a]) < idx.siteKeyLine(i, names[b]) })
		rv := reflect.ValueOf(&raws[i]).Elem()
		for _, k := range names {
			f, ok := siteFields[k]
			if !ok {
				return nil, &ConfigError{File: name, Line: idx.siteKeyLine(i, k), Key: "site." + k, Err: errors.New("unknown key")}
			}
			if err := md.PrimitiveDecode(keys[k], rv.Field(f).Addr().Interface()); err != nil {
				var pe toml.ParseError
				if errors.As(err, &pe) {
					err = errors.New(pe.Message)
				}
				return nil, &ConfigError{File: name, Line: idx.siteKeyLine(i, k), Key: k, Err: err}
			}
		}
	}
	if und := md.Undecoded(); len(und) > 0 {
		// Unknown keys inside [[site.step]] or [site.download].
		k := und[0]
		return nil, &ConfigError{File: name, Line: idx.firstKeyLine(k[len(k)-1]), Key: k.String(), Err: errors.New("unknown key")}
	}
	if len(raws) == 0 {
		return nil, &ConfigError{File: name, Err: errors.New("no [[site]] entries")}
	}
	cfg := &Config{}
	if top.WARCMaxSize != nil {
		if *top.WARCMaxSize < 1<<20 {
			return nil, &ConfigError{File: name, Line: idx.firstKeyLine("warc_max_size"), Key: "warc_max_size", Err: errors.New("must be at least 1MiB")}
		}
		cfg.WARCMaxSize = int64(*top.WARCMaxSize)
	}
	seen := map[string]bool{}
	for i, rs := range raws {
		fail := func(key string, err error) error {
			return &ConfigError{File: name, Line: idx.siteKeyLine(i, key), Site: rs.Name, Key: key, Err: err}
		}
		s, key, err := buildSite(rs)
		if err != nil {
			return nil, fail(key, err)
		}
		if seen[s.Name] {
			return nil, fail("name", fmt.Errorf("duplicate site name %q", s.Name))
		}
		seen[s.Name] = true
		cfg.Sites = append(cfg.Sites, s)
	}
	return cfg, nil
}

// buildSite applies defaults and validates; on error it names the key.
func buildSite(rs rawSite) (Site, string, error) {
	s := Site{
		Name:          strings.TrimSpace(rs.Name),
		Kind:          SiteHTML,
		Delay:         DefaultDelay,
		Concurrency:   DefaultConcurrency,
		MaxDepth:      DefaultMaxDepth,
		UserAgent:     DefaultUserAgent,
		MaxFileSize:   DefaultMaxFileSize,
		MaxPageSize:   DefaultMaxPageSize,
		Timeout:       DefaultTimeout,
		FileTimeout:   DefaultFileTimeout,
		HeaderTimeout: DefaultHeaderTimeout,
		URLBudget:     DefaultURLBudget,
		Retries:       DefaultRetries,
		RetryBackoff:  DefaultRetryBackoff,
		MaxPages:      DefaultMaxPages,
		MaxFiles:      DefaultMaxFiles,
		HTTPOnly:      rs.HTTPOnly,
	}
	if s.Name == "" {
		return s, "name", errors.New("missing or empty")
	}
	switch rs.RobotsUnreachable {
	case "", "wait":
	case "allow":
		s.AllowUnreachableRobots = true
	default:
		return s, "robots_unreachable", fmt.Errorf("%q: want \"wait\" or \"allow\"", rs.RobotsUnreachable)
	}
	switch SiteKind(rs.Kind) {
	case "", SiteHTML:
	case SiteAPI:
		s.Kind = SiteAPI
	default:
		return s, "kind", fmt.Errorf("must be %q or %q, got %q", SiteHTML, SiteAPI, rs.Kind)
	}
	if len(rs.Start) == 0 && s.Kind == SiteHTML {
		return s, "start", errors.New("at least one start URL is required")
	}
	for _, st := range rs.Start {
		if !isAbsHTTP(st) {
			return s, "start", fmt.Errorf("not an absolute http(s) URL: %q", st)
		}
		s.Start = append(s.Start, s.fetchURL(st))
	}
	for _, pat := range rs.Allow {
		re, err := regexp.Compile(pat)
		if err != nil {
			return s, "allow", fmt.Errorf("bad regex %q: %w", pat, err)
		}
		s.Allow = append(s.Allow, re)
	}
	for _, pat := range rs.Deny {
		re, err := regexp.Compile(pat)
		if err != nil {
			return s, "deny", fmt.Errorf("bad regex %q: %w", pat, err)
		}
		s.Deny = append(s.Deny, re)
	}
	if rs.Delay != nil {
		s.Delay = time.Duration(*rs.Delay)
	}
	if rs.Concurrency != nil {
		if *rs.Concurrency < 1 || *rs.Concurrency > 64 {
			return s, "concurrency", fmt.Errorf("must be 1..64, got %d", *rs.Concurrency)
		}
		s.Concurrency = *rs.Concurrency
	}
	if rs.MaxDepth != nil {
		if *rs.MaxDepth < 0 || *rs.MaxDepth > 1000 {
			return s, "max_depth", fmt.Errorf("must be 0..1000, got %d", *rs.MaxDepth)
		}
		s.MaxDepth = *rs.MaxDepth
	}
	for key, v := range map[string]*string{"user_agent": &rs.UserAgent, "referer": &rs.Referer} {
		if strings.ContainsAny(*v, "\r\n") {
			return s, key, errors.New("must be one line")
		}
	}
	if ua := strings.TrimSpace(rs.UserAgent); ua != "" {
		s.UserAgent = ua
	}
	if ref := strings.TrimSpace(rs.Referer); ref != "" {
		if !isAbsHTTP(ref) {
			return s, "referer", fmt.Errorf("not an absolute http(s) URL: %q", ref)
		}
		s.Referer = ref
	}
	sizes := []struct {
		key string
		v   *byteSize
		dst *int64
	}{{"max_file_size", rs.MaxFileSize, &s.MaxFileSize}, {"max_page_size", rs.MaxPageSize, &s.MaxPageSize}}
	for _, sz := range sizes {
		if sz.v == nil {
			continue
		}
		if *sz.v <= 0 {
			return s, sz.key, errors.New("must be positive")
		}
		*sz.dst = int64(*sz.v)
	}
	durations := []struct {
		key string
		v   *duration
		dst *time.Duration
	}{
		{"timeout", rs.Timeout, &s.Timeout}, {"file_timeout", rs.FileTimeout, &s.FileTimeout},
		{"header_timeout", rs.HeaderTimeout, &s.HeaderTimeout}, {"url_budget", rs.URLBudget, &s.URLBudget},
	}
	for _, d := range durations {
		if d.v == nil {
			continue
		}
		if *d.v <= 0 {
			return s, d.key, errors.New("must be positive")
		}
		*d.dst = time.Duration(*d.v)
	}
	if rs.Retries != nil {
		if *rs.Retries < 0 || *rs.Retries > 20 {
			return s, "retries", fmt.Errorf("must be 0..20, got %d", *rs.Retries)
		}
		s.Retries = *rs.Retries
	}
	if rs.RetryBackoff != nil {
		s.RetryBackoff = time.Duration(*rs.RetryBackoff)
	}
	for _, c := range []struct {
		key string
		v   *int
		dst *int
	}{{"max_pages", rs.MaxPages, &s.MaxPages}, {"max_files", rs.MaxFiles, &s.MaxFiles}} {
		if c.v == nil {
			continue
		}
		if *c.v < 1 {
			return s, c.key, errors.New("must be positive")
		}
		*c.dst = *c.v
	}
	if s.Kind == SiteAPI {
		steps, dl, key, err := buildAPI(rs.Step, rs.Download)
		if err != nil {
			return s, key, err
		}
		s.Steps, s.Download = steps, dl
	} else if len(rs.Step) > 0 || rs.Download != nil {
		return s, "step", errors.New(`[[site.step]] and [site.download] need kind = "api"`)
	}
	return s, "", nil
}

func isAbsHTTP(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

// fetchURL is u as the site fetches it: over http:// for an http_only
// site, the fragment dropped.
func (s *Site) fetchURL(u string) string {
	u = normalizeURL(u)
	if s.HTTPOnly && strings.HasPrefix(strings.ToLower(u), "https://") {
		u = "http://" + u[len("https://"):]
	}
	return u
}

// Site returns the site named name.
func (c *Config) Site(name string) (Site, bool) {
	for _, s := range c.Sites {
		if s.Name == name {
			return s, true
		}
	}
	return Site{}, false
}

// Allowed reports whether the site's rules let the crawler follow u.
func (s *Site) Allowed(u string) bool {
	for _, re := range s.Deny {
		if re.MatchString(u) {
			return false
		}
	}
	if len(s.Allow) == 0 {
		pu, err := url.Parse(u)
		if err != nil {
			return false
		}
		return slices.Contains(s.hosts(), pu.Host)
	}
	for _, re := range s.Allow {
		if re.MatchString(u) {
			return true
		}
	}
	return false
}

// hosts are the hosts the site names: its start URLs and API requests.
func (s *Site) hosts() []string {
	var out []string
	add := func(u string) {
		if pu, err := url.Parse(u); err == nil && pu.Host != "" {
			out = append(out, pu.Host)
		}
	}
	for _, st := range s.Start {
		add(st)
	}
	for _, st := range s.Steps {
		add(st.URL.prefix())
	}
	if s.Kind == SiteAPI {
		add(s.Download.URL.prefix())
	}
	return out
}

// lineIndex locates keys in the TOML text for error messages; the decoder
// does not expose key positions.
type lineIndex struct {
	lines     []string
	siteStart []int // 0-based line index of each [[site]] header
}

var (
	siteHeaderRE = regexp.MustCompile(`^\s*\[\[\s*site\s*\]\]`)
	keyLineRE    = regexp.MustCompile(`^\s*("?)([A-Za-z0-9_\-]+)("?)\s*=`)
)

func indexLines(data []byte) lineIndex {
	var idx lineIndex
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 64*1024), len(data)+1)
	for sc.Scan() {
		l := sc.Text()
		if siteHeaderRE.MatchString(l) {
			idx.siteStart = append(idx.siteStart, len(idx.lines))
		}
		idx.lines = append(idx.lines, l)
	}
	return idx
}

func (idx lineIndex) keyAt(i int) string {
	m := keyLineRE.FindStringSubmatch(idx.lines[i])
	if m == nil {
		return ""
	}
	return m[2]
}

func (idx lineIndex) firstKeyLine(key string) int {
	for i := range idx.lines {
		if idx.keyAt(i) == key {
			return i + 1
		}
	}
	return 0
}

// siteKeyLine is the 1-based line of key inside the n-th [[site]] (or
// the header line when the key is absent there).
func (idx lineIndex) siteKeyLine(n int, key string) int {
	if n >= len(idx.siteStart) {
		return 0
	}
	end := len(idx.lines)
	if n+1 < len(idx.siteStart) {
		end = idx.siteStart[n+1]
	}
	for i := idx.siteStart[n]; i < end; i++ {
		if idx.keyAt(i) == key {
			return i + 1
		}
		if t := strings.TrimSpace(idx.lines[i]); i > idx.siteStart[n] && strings.HasPrefix(t, "[") {
			break // a sub-table ([[site.step]]) begins: its keys are not the site's
		}
	}
	if l := idx.subKeyLine(n, end, key); l > 0 {
		return l
	}
	return idx.siteStart[n] + 1
}

var subKeyRE = regexp.MustCompile(`^(step|download)(?:\[(\d+)\])?(?:\.(\w+))?$`)

// subKeyLine locates "step", "step[2].url" or "download.url" inside the
// n-th site (whose lines end before end): the sub-table's header, or the
// key inside it.
func (idx lineIndex) subKeyLine(n, end int, key string) int {
	m := subKeyRE.FindStringSubmatch(key)
	if m == nil {
		return 0
	}
	want, _ := strconv.Atoi(m[2])
	header := regexp.MustCompile(`^\s*\[\[?\s*site\.` + m[1] + `\s*\]\]?`)
	seen := -1
	for i := idx.siteStart[n]; i < end; i++ {
		if !header.MatchString(idx.lines[i]) {
			continue
		}
		if seen++; seen != want {
			continue
		}
		if m[3] == "" {
			return i + 1
		}
		for j := i + 1; j < end && !strings.HasPrefix(strings.TrimSpace(idx.lines[j]), "["); j++ {
			if idx.keyAt(j) == m[3] {
				return j + 1
			}
		}
		return i + 1
	}
	return 0
}
