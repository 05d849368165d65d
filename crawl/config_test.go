package crawl

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestParseConfigDefaults(t *testing.T) {
	cfg, err := ParseConfig("sites.toml", []byte(`
[[site]]
name = "czj"
start = ["http://czj.example.gov.cn/zwgk/ys/index.html"]
allow = ['^https?://czj\.example\.gov\.cn/']
`))
	if err != nil {
		t.Fatal(err)
	}
	s := cfg.Sites[0]
	if s.Delay != DefaultDelay || s.Concurrency != DefaultConcurrency || s.MaxDepth != DefaultMaxDepth ||
		s.UserAgent != DefaultUserAgent || s.MaxFileSize != DefaultMaxFileSize || s.Retries != DefaultRetries ||
		s.Timeout != DefaultTimeout || s.FileTimeout != DefaultFileTimeout {
		t.Errorf("defaults not applied: %+v", s)
	}
	if !strings.HasPrefix(s.UserAgent, "yusuan-bot/") {
		t.Errorf("bot token must come first in the User-Agent: %q", s.UserAgent)
	}
	for u, want := range map[string]bool{
		"http://czj.example.gov.cn/zwgk/ys/index_3.html": true,
		"https://czj.example.gov.cn/a.pdf":               true,
		"http://www.example.gov.cn/":                     false,
	} {
		if got := s.Allowed(u); got != want {
			t.Errorf("Allowed(%s) = %v, want %v", u, got, want)
		}
	}
}

func TestParseConfigValues(t *testing.T) {
	cfg, err := ParseConfig("sites.toml", []byte(`
[[site]]
name = "a"
start = ["https://a.example/"]
deny = ['\.zip$']
delay = "1.5s"
concurrency = 3
max_depth = 0
user_agent = "yusuan-bot/test"
max_file_size = "10MiB"
timeout = 2
retries = 0

[[site]]
name = "b"
start = ["http://b.example/x/"]
max_file_size = 1048576
`))
	if err != nil {
		t.Fatal(err)
	}
	a, b := cfg.Sites[0], cfg.Sites[1]
	if a.Delay != 1500*time.Millisecond || a.Concurrency != 3 || a.MaxDepth != 0 || a.UserAgent != "yusuan-bot/test" ||
		a.MaxFileSize != 10<<20 || a.Timeout != 2*time.Second || a.Retries != 0 {
		t.Errorf("site a: %+v", a)
	}
	if b.MaxFileSize != 1<<20 {
		t.Errorf("site b max_file_size = %d", b.MaxFileSize)
	}
	// No allow: the start hosts.
	if !a.Allowed("https://a.example/p.html") || a.Allowed("https://a.example/f.zip") || a.Allowed("https://c.example/") {
		t.Error("allow/deny defaults wrong")
	}
}

func TestParseConfigErrors(t *testing.T) {
	tests := []struct {
		name, toml string
		line       int
		key        string
		msg        string
	}{
		{"unknown key", "[[site]]\nname = \"a\"\nstart = [\"http://a/\"]\nalow = [\"x\"]\n", 4, "site.alow", "unknown key"},
		{"bad regex", "[[site]]\nname = \"a\"\nstart = [\"http://a/\"]\nallow = ['^http://a/', '(']\n", 4, "allow", "bad regex"},
		{"bad deny", "[[site]]\nname = \"a\"\nstart = [\"http://a/\"]\n\ndeny = ['[']\n", 5, "deny", "bad regex"},
		{"no start", "[[site]]\nname = \"a\"\n", 1, "start", "start URL"},
		{"relative start", "[[site]]\nname = \"a\"\nstart = [\"/x\"]\n", 3, "start", "absolute"},
		{"bad delay", "[[site]]\nname = \"a\"\nstart = [\"http://a/\"]\ndelay = \"soon\"\n", 4, "", "bad duration"},
		{"bad concurrency", "[[site]]\nname = \"a\"\nstart = [\"http://a/\"]\nconcurrency = 0\n", 4, "concurrency", "1..64"},
		{"duplicate", "[[site]]\nname = \"a\"\nstart = [\"http://a/\"]\n[[site]]\nname = \"a\"\nstart = [\"http://b/\"]\n", 5, "name", "duplicate"},
		{"syntax", "[[site]]\nname = \"a\nstart = []\n", 2, "", ""},
		{"no sites", "# empty\n", 0, "", "no [[site]]"},
		{"wrong type", "[[site]]\nname = \"a\"\nstart = \"http://a/\"\n", 3, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseConfig("sites.toml", []byte(tt.toml))
			var ce *ConfigError
			if !errors.As(err, &ce) {
				t.Fatalf("err = %v, want *ConfigError", err)
			}
			if ce.Line != tt.line {
				t.Errorf("line = %d, want %d (%v)", ce.Line, tt.line, err)
			}
			if tt.key != "" && ce.Key != tt.key {
				t.Errorf("key = %q, want %q (%v)", ce.Key, tt.key, err)
			}
			if !strings.Contains(err.Error(), tt.msg) || !strings.HasPrefix(err.Error(), "sites.toml:") {
				t.Errorf("message %q lacks %q", err, tt.msg)
			}
		})
	}
}

func TestParseConfigLimits(t *testing.T) {
	cfg, err := ParseConfig("sites.toml", []byte(`warc_max_size = "2GiB"

[[site]]
name = "a"
start = ["https://a.example/x/"]
http_only = true
robots_unreachable = "allow"
referer = "http://a.example/"
max_page_size = "1MiB"
header_timeout = "5s"
url_budget = "2m"
max_files = 7
`))
	if err != nil {
		t.Fatal(err)
	}
	s := cfg.Sites[0]
	if cfg.WARCMaxSize != 2<<30 || !s.HTTPOnly || !s.AllowUnreachableRobots || s.Referer != "http://a.example/" || s.MaxPageSize != 1<<20 ||
		s.HeaderTimeout != 5*time.Second || s.URLBudget != 2*time.Minute || s.MaxFiles != 7 || s.MaxPages != DefaultMaxPages {
		t.Errorf("site %+v", s)
	}
	// An http_only site fetches its https start over http.
	if s.Start[0] != "http://a.example/x/" || !s.Allowed("http://a.example/y.pdf") {
		t.Errorf("start %v", s.Start)
	}
	for _, bad := range []string{"max_files = 0", "url_budget = \"0s\"", "referer = \"/x\"", "kind = \"rss\"", "max_page_size = 0", "robots_unreachable = \"ignore\""} {
		if _, err := ParseConfig("s.toml", []byte("[[site]]\nname = \"a\"\nstart = [\"http://a/\"]\n"+bad+"\n")); err == nil {
			t.Errorf("%s accepted", bad)
		}
	}
}

func TestParseSize(t *testing.T) {
	for in, want := range map[string]int64{"1048576": 1 << 20, "10MiB": 10 << 20, "10MB": 10_000_000, "512k": 512 << 10, "1.5 GiB": 3 << 29} {
		got, err := ParseSize(in)
		if err != nil || got != want {
			t.Errorf("ParseSize(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "MiB", "-1", "ten"} {
		if _, err := ParseSize(bad); err == nil {
			t.Errorf("ParseSize(%q) accepted", bad)
		}
	}
}

func FuzzParseConfig(f *testing.F) {
	f.Add([]byte("[[site]]\nname = \"a\"\nstart = [\"http://a/\"]\nallow = ['^http://a/']\n"))
	f.Add([]byte("[[site]]\nname = \"a\"\nstart = [\"http://a/\"]\ndelay = \"1s\"\nmax_file_size = \"1MiB\"\nfoo = 1\n"))
	f.Add([]byte("[[site]]\n[[site]]\nname=\"\"\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		cfg, err := ParseConfig("f.toml", data)
		if err != nil {
			if cfg != nil {
				t.Fatal("config returned with error")
			}
			var ce *ConfigError
			if !errors.As(err, &ce) {
				t.Fatalf("error is not a ConfigError: %v", err)
			}
			return
		}
		for _, s := range cfg.Sites {
			if s.Name == "" || (len(s.Start) == 0 && s.Kind != SiteAPI) || (s.Kind == SiteAPI && len(s.Steps) == 0) ||
				s.Concurrency < 1 || s.MaxFileSize <= 0 || s.MaxPageSize <= 0 || s.HeaderTimeout <= 0 || s.URLBudget <= 0 {
				t.Fatalf("invalid site accepted: %+v", s)
			}
		}
	})
}
