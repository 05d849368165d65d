package crawl

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/BurntSushi/toml"
)

// Defaults for a [[site]] entry that leaves a key out. They are chosen so an
// entry with only name, start and allow harvests a whole portal politely.
const (
	DefaultDelay        = time.Second
	DefaultConcurrency  = 2
	DefaultMaxDepth     = 5
	DefaultUserAgent    = "yusuan-bot/0.1 (+https://github.com/yusuan; budget disclosure archiver)"
	DefaultMaxFileSize  = 200 << 20
	DefaultTimeout      = 30 * time.Second
	DefaultFileTimeout  = 10 * time.Minute
	DefaultRetries      = 3
	DefaultRetryBackoff = 2 * time.Second
	DefaultMaxPages     = 20000
)

// Config is a parsed sites.toml.
type Config struct {
	Sites []Site
}

// Site is one [[site]] entry with defaults applied and regexes compiled.
type Site struct {
	Name  string
	Start []string
	// Allow and Deny are URL regexes; a URL is followed when it matches
	// some Allow (or, when Allow is empty, shares a host with a start URL)
	// and no Deny.
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
	// MaxFileSize caps one attachment; a larger one is a recorded
	// "too-large" failure and its body is not kept.
	MaxFileSize  int64
	Timeout      time.Duration // one HTML page, body included
	FileTimeout  time.Duration // one attachment, body included
	Retries      int           // extra attempts after a timeout or 5xx
	RetryBackoff time.Duration // first backoff, doubled per attempt
	MaxPages     int           // safety cap on pages per run
}

// rawSite mirrors the TOML; pointers tell "absent" from zero.
type rawSite struct {
	Name         string    `toml:"name"`
	Start        []string  `toml:"start"`
	Allow        []string  `toml:"allow"`
	Deny         []string  `toml:"deny"`
	Delay        *duration `toml:"delay"`
	Concurrency  *int      `toml:"concurrency"`
	MaxDepth     *int      `toml:"max_depth"`
	UserAgent    string    `toml:"user_agent"`
	MaxFileSize  *byteSize `toml:"max_file_size"`
	Timeout      *duration `toml:"timeout"`
	FileTimeout  *duration `toml:"file_timeout"`
	Retries      *int      `toml:"retries"`
	RetryBackoff *duration `toml:"retry_backoff"`
	MaxPages     *int      `toml:"max_pages"`
}

type rawConfig struct {
	Site []rawSite `toml:"site"`
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

// ParseConfig parses sites TOML; name is used in error messages.
func ParseConfig(name string, data []byte) (*Config, error) {
	var raw rawConfig
	md, err := toml.NewDecoder(bytes.NewReader(data)).Decode(&raw)
	if err != nil {
		var pe toml.ParseError
		if errors.As(err, &pe) {
			return nil, &ConfigError{File: name, Line: pe.Position.Line, Key: pe.LastKey, Err: errors.New(pe.Message)}
		}
		// Type mismatches come as plain errors that name line and key.
		ce := &ConfigError{File: name, Err: err}
		if m := tomlLineRE.FindStringSubmatch(err.Error()); m != nil {
			ce.Line, _ = strconv.Atoi(m[1])
			ce.Key = m[2]
			ce.Err = errors.New(strings.TrimSpace(m[3]))
		}
		return nil, ce
	}
	idx := indexLines(data)
	if und := md.Undecoded(); len(und) > 0 {
		k := und[0]
		key := k.String()
		line := 0
		if len(k) >= 2 && k[0] == "site" {
			// The key is inside some [[site]]; find its first occurrence.
			line = idx.firstKeyLine(k[len(k)-1])
		} else {
			line = idx.firstKeyLine(k[0])
		}
		return nil, &ConfigError{File: name, Line: line, Key: key, Err: errors.New("unknown key")}
	}
	if len(raw.Site) == 0 {
		return nil, &ConfigError{File: name, Err: errors.New("no [[site]] entries")}
	}
	cfg := &Config{}
	seen := map[string]bool{}
	for i, rs := range raw.Site {
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
		Name:         strings.TrimSpace(rs.Name),
		Delay:        DefaultDelay,
		Concurrency:  DefaultConcurrency,
		MaxDepth:     DefaultMaxDepth,
		UserAgent:    DefaultUserAgent,
		MaxFileSize:  DefaultMaxFileSize,
		Timeout:      DefaultTimeout,
		FileTimeout:  DefaultFileTimeout,
		Retries:      DefaultRetries,
		RetryBackoff: DefaultRetryBackoff,
		MaxPages:     DefaultMaxPages,
	}
	if s.Name == "" {
		return s, "name", errors.New("missing or empty")
	}
	if len(rs.Start) == 0 {
		return s, "start", errors.New("at least one start URL is required")
	}
	for _, st := range rs.Start {
		u, err := url.Parse(st)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return s, "start", fmt.Errorf("not an absolute http(s) URL: %q", st)
		}
		s.Start = append(s.Start, u.String())
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
	if ua := strings.TrimSpace(rs.UserAgent); ua != "" {
		if strings.ContainsAny(ua, "\r\n") {
			return s, "user_agent", errors.New("must be one line")
		}
		s.UserAgent = ua
	}
	if rs.MaxFileSize != nil {
		if *rs.MaxFileSize <= 0 {
			return s, "max_file_size", errors.New("must be positive")
		}
		s.MaxFileSize = int64(*rs.MaxFileSize)
	}
	if rs.Timeout != nil {
		if *rs.Timeout <= 0 {
			return s, "timeout", errors.New("must be positive")
		}
		s.Timeout = time.Duration(*rs.Timeout)
	}
	if rs.FileTimeout != nil {
		if *rs.FileTimeout <= 0 {
			return s, "file_timeout", errors.New("must be positive")
		}
		s.FileTimeout = time.Duration(*rs.FileTimeout)
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
	if rs.MaxPages != nil {
		if *rs.MaxPages < 1 {
			return s, "max_pages", errors.New("must be positive")
		}
		s.MaxPages = *rs.MaxPages
	}
	return s, "", nil
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
		for _, st := range s.Start {
			if su, err := url.Parse(st); err == nil && su.Host == pu.Host {
				return true
			}
		}
		return false
	}
	for _, re := range s.Allow {
		if re.MatchString(u) {
			return true
		}
	}
	return false
}

// lineIndex locates keys in the TOML text for error messages; the decoder
// does not expose key positions.
type lineIndex struct {
	lines     []string
	siteStart []int // 0-based line index of each [[site]] header
}

var tomlLineRE = regexp.MustCompile(`^toml: line (\d+) \(last key "([^"]*)"\):(.*)$`)

var keyLineRE = regexp.MustCompile(`^\s*("?)([A-Za-z0-9_\-]+)("?)\s*=`)

func indexLines(data []byte) lineIndex {
	var idx lineIndex
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 64*1024), len(data)+1)
	for sc.Scan() {
		l := sc.Text()
		if strings.HasPrefix(strings.TrimSpace(l), "[[") && strings.Contains(l, "site") {
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
	}
	return idx.siteStart[n] + 1
}
