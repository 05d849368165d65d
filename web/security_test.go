package web

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"yusuan"
	"yusuan/check"
	"yusuan/store"
)

// rawGet sends a request line exactly as written (no client-side
// cleaning of the path) and returns the status and body.
func rawGet(t *testing.T, addr, target string) (int, string) {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := io.WriteString(c, "GET "+target+" HTTP/1.1\r\nHost: "+addr+"\r\nConnection: close\r\n\r\n"); err != nil {
		t.Fatal(err)
	}
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// No request path reaches the filesystem: traversal in any encoding, on
// any route, is 404, and never returns a file's content.
func TestTraversal(t *testing.T) {
	f := getFixture(t)
	_, ts := newTestServer(t, openStore(t, f.db), Options{})
	addr := strings.TrimPrefix(ts.URL, "http://")
	secret := filepath.Join(f.dir, "secret.pdf")
	if err := os.WriteFile(secret, []byte("%PDF-secret"), 0o644); err != nil {
		t.Fatal(err)
	}
	defer os.Remove(secret)
	sha := f.evSHA
	for _, target := range []string{
		"/files/../../etc/passwd", "/files/..%2f..%2fetc%2fpasswd", "/files/%2e%2e/%2e%2e/etc/passwd", "/files/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
		"/files/" + sha + ".pdf/../x", "/files/" + sha + ".pdf/..%2f..%2fyusuan.db", "/files/..%5c..%5cyusuan.db", "/files/....//etc/passwd",
		"/files/%252e%252e%252fetc%252fpasswd", "/files/" + sha + "%00.pdf", "/files/secret.pdf", "/files/../secret.pdf",
		"/files//etc/passwd", "/files/./" + sha + ".pdf", "/static/../../yusuan.db", "/static/..%2fserver.go",
		"/documents/../yusuan.db", "/documents/" + sha + "/pages/..%2f..%2f1", "/../../../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd",
		"/files/" + strings.ToUpper(sha) + ".pdf", "/files/" + sha + ".pdf.bak", "/files/" + sha + "..pdf",
	} {
		code, body := rawGet(t, addr, target)
		if code != http.StatusNotFound && code != http.StatusBadRequest {
			t.Errorf("%s: %d, want 404", target, code)
		}
		if strings.Contains(body, "root:") || strings.Contains(body, "%PDF") || strings.Contains(body, "SQLite format") ||
			strings.Contains(body, "package web") {
			t.Errorf("%s: served a file", target)
		}
	}
	// The archived original itself, by its digest.
	resp, body := get(t, ts, "/files/"+sha+".pdf")
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(body, "%PDF") {
		t.Fatalf("the original: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	cd := resp.Header.Get("Content-Disposition")
	if !strings.HasPrefix(cd, "inline; filename="+sha[:16]+".pdf; filename*=UTF-8''") {
		t.Errorf("Content-Disposition %q", cd)
	}
	// A range, as a PDF viewer asks.
	req := mustRequest(t, http.MethodGet, ts.URL+"/files/"+sha+".pdf", nil)
	req.Header.Set("Range", "bytes=0-4")
	if resp, body := do(t, ts, req); resp.StatusCode != http.StatusPartialContent || body != "%PDF-" {
		t.Errorf("range: %d %q", resp.StatusCode, body)
	}
}

func TestContentDisposition(t *testing.T) {
	sha := strings.Repeat("0123456789abcdef", 4)
	for _, c := range []struct{ name, want string }{
		{"泉州市统计局2026年度部门预算公开.pdf", `inline; filename=0123456789abcdef.pdf; filename*=UTF-8''%E6%B3%89%E5%B7%9E%E5%B8%82%E7%BB%9F%E8%AE%A1%E5%B1%802026%E5%B9%B4%E5%BA%A6%E9%83%A8%E9%97%A8%E9%A2%84%E7%AE%97%E5%85%AC%E5%BC%80.pdf`},
		{"a\"b\r\nSet-Cookie: x=1.pdf", `inline; filename=0123456789abcdef.pdf; filename*=UTF-8''a_b__Set-Cookie%3A%20x%3D1.pdf`},
		{"../../etc/passwd", `inline; filename=0123456789abcdef.pdf; filename*=UTF-8''.._.._etc_passwd.pdf`},
		{"0123456789abcdef.pdf", `inline; filename=0123456789abcdef.pdf`},
	} {
		if got := contentDisposition(c.name, sha); got != c.want {
			t.Errorf("%q:\n got %s\nwant %s", c.name, got, c.want)
		}
	}
}

// Every response carries the security headers.
func TestSecurityHeaders(t *testing.T) {
	f := getFixture(t)
	_, ts := newTestServer(t, openStore(t, f.db), Options{})
	for _, p := range []string{"/", "/findings/" + f.balance, "/api/findings", "/nowhere", "/static/style.css"} {
		resp, _ := get(t, ts, p)
		h := resp.Header
		csp := h.Get("Content-Security-Policy")
		for _, want := range []string{"default-src 'none'", "style-src 'self'", "img-src 'self' data:", "frame-src 'self'", "form-action 'self'"} {
			if !strings.Contains(csp, want) {
				t.Errorf("%s: CSP %q lacks %q", p, csp, want)
			}
		}
		if h.Get("X-Content-Type-Options") != "nosniff" || h.Get("Referrer-Policy") == "" || h.Get("X-Frame-Options") != "SAMEORIGIN" {
			t.Errorf("%s: headers %v", p, h)
		}
	}
	// No inline style or script anywhere in the pages: the policy would
	// block them.
	for _, p := range []string{"/", "/findings", "/findings/" + f.balance, "/documents/" + f.evSHA, "/entities/1",
		"/documents/" + f.evSHA + "/pages/1"} {
		_, body := get(t, ts, p)
		if regexp.MustCompile(`(?i)<style|style="|<script>|\son[a-z]+="`).MatchString(body) {
			t.Errorf("%s: inline style, script or handler", p)
		}
	}
}

// A Host that is not loopback is refused without auth (a page elsewhere
// pointing a name at 127.0.0.1 must not read the UI).
func TestHostCheck(t *testing.T) {
	f := getFixture(t)
	_, ts := newTestServer(t, openStore(t, f.db), Options{})
	for host, want := range map[string]int{"evil.example.com": 403, "localhost:8080": 200, "127.0.0.1": 200, "[::1]:8080": 200,
		"127.0.0.1.evil.example": 403} {
		req := mustRequest(t, http.MethodGet, ts.URL+"/", nil)
		req.Host = host
		if resp, _ := do(t, ts, req); resp.StatusCode != want {
			t.Errorf("Host %s: %d, want %d", host, resp.StatusCode, want)
		}
	}
}

func TestAuth(t *testing.T) {
	f := getFixture(t)
	creds, err := ParseCredentials("analyst:correct horse")
	if err != nil {
		t.Fatal(err)
	}
	_, ts := newTestServer(t, openStore(t, f.db), Options{Auth: creds})
	for _, p := range []string{"/", "/api/findings", "/files/" + f.evSHA + ".pdf", "/static/style.css", "/nowhere"} {
		resp, _ := get(t, ts, p)
		if resp.StatusCode != http.StatusUnauthorized || !strings.HasPrefix(resp.Header.Get("WWW-Authenticate"), "Basic ") {
			t.Errorf("%s without credentials: %d", p, resp.StatusCode)
		}
	}
	for _, c := range [][2]string{{"analyst", "wrong"}, {"other", "correct horse"}, {"analyst", "correct horse "}, {"", ""}} {
		req := mustRequest(t, http.MethodGet, ts.URL+"/", nil)
		req.SetBasicAuth(c[0], c[1])
		if resp, _ := do(t, ts, req); resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("%v: %d", c, resp.StatusCode)
		}
	}
	req := mustRequest(t, http.MethodGet, ts.URL+"/findings/"+f.balance, nil)
	req.SetBasicAuth("analyst", "correct horse")
	req.Host = "yusuan.example.org" // with auth, any name
	resp, body := do(t, ts, req)
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, "Recorded as analyst") || strings.Contains(body, `name="by"`) {
		t.Errorf("with credentials: %d", resp.StatusCode)
	}
	for _, bad := range []string{"nouser", ":pw", "user:", "user:short"} {
		if _, err := ParseCredentials(bad); err == nil {
			t.Errorf("ParseCredentials(%q) accepted", bad)
		}
	}
	// A file readable by others is refused.
	path := filepath.Join(t.TempDir(), "auth")
	os.WriteFile(path, []byte("analyst:correct horse\n"), 0o644)
	if _, err := ReadCredentialsFile(path); err == nil {
		t.Error("a world-readable auth file accepted")
	}
	os.Chmod(path, 0o600)
	if c, err := ReadCredentialsFile(path); err != nil || c.User != "analyst" {
		t.Errorf("auth file: %v %v", c, err)
	}
}

func TestCheckAddr(t *testing.T) {
	for _, c := range []struct {
		addr string
		auth bool
		ok   bool
	}{
		{"127.0.0.1:8080", false, true}, {"localhost:8080", false, true}, {"[::1]:0", false, true},
		{"0.0.0.0:8080", false, false}, {":8080", false, false}, {"192.0.2.7:8080", false, false}, {"[::]:8080", false, false},
		{"0.0.0.0:8080", true, true}, {":8080", true, true}, {"nonsense", false, false},
	} {
		err := CheckAddr(c.addr, c.auth)
		if (err == nil) != c.ok {
			t.Errorf("CheckAddr(%q, %v) = %v", c.addr, c.auth, err)
		}
		if err != nil && c.addr != "nonsense" && !strings.Contains(err.Error(), "--auth") {
			t.Errorf("CheckAddr(%q): %v does not say --auth", c.addr, err)
		}
	}
}

var tokenRE = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

func TestCSRF(t *testing.T) {
	db := copyFixture(t)
	st := openStore(t, db)
	s, ts := newTestServer(t, st, Options{})
	f := getFixture(t)
	resp, body := get(t, ts, "/findings/"+f.balance)
	var cookie *http.Cookie
	for _, c := range resp.Cookies() {
		if c.Name == sessionCookie {
			cookie = c
		}
	}
	m := tokenRE.FindStringSubmatch(body)
	if cookie == nil || m == nil || cookie.SameSite != http.SameSiteStrictMode || !cookie.HttpOnly {
		t.Fatalf("no session cookie (%v) or token", cookie)
	}
	token := m[1]
	post := func(form url.Values, ck *http.Cookie, origin string) int {
		req := mustRequest(t, http.MethodPost, ts.URL+"/findings/"+f.balance+"/verdict", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if ck != nil {
			req.AddCookie(ck)
		}
		if origin != "" {
			req.Header.Set("Origin", origin)
		}
		resp, _ := do(t, ts, req)
		return resp.StatusCode
	}
	form := func(tok string) url.Values {
		return url.Values{"csrf": {tok}, "verdict": {"false-alarm"}, "note": {"列读错"}, "by": {"张三"}}
	}
	other := &http.Cookie{Name: sessionCookie, Value: "AAAAAAAAAAAAAAAAAAAAAAAA"}
	old := s.csrf
	expired := &csrf{key: old.key, now: func() time.Time { return time.Now().Add(-tokenLifetime - time.Minute) }}
	oldToken := expired.token(cookie.Value)
	for name, code := range map[string]int{
		"no token":          post(form(""), cookie, ""),
		"no cookie":         post(form(token), nil, ""),
		"another session":   post(form(token), other, ""),
		"forged token":      post(form(strings.Replace(token, ".", ".x", 1)), cookie, ""),
		"another time":      post(form("1."+strings.SplitN(token, ".", 2)[1]), cookie, ""),
		"expired":           post(form(oldToken), cookie, ""),
		"cross-site origin": post(form(token), cookie, "https://evil.example.com"),
	} {
		if code != http.StatusForbidden {
			t.Errorf("%s: %d, want 403", name, code)
		}
	}
	if vs, _ := st.Verdicts(t.Context(), f.balance); len(vs) != 0 {
		t.Fatalf("a refused form stored %v", vs)
	}
	if code := post(form(token), cookie, ts.URL); code != http.StatusSeeOther {
		t.Fatalf("a good form: %d", code)
	}
	// GET is not a way to judge.
	if resp, _ := get(t, ts, "/findings/"+f.balance+"/verdict?verdict=confirmed"); resp.StatusCode != http.StatusMethodNotAllowed &&
		resp.StatusCode != http.StatusNotFound {
		t.Errorf("GET verdict: %d", resp.StatusCode)
	}
}

// The form stores a verdict exactly as `yusuan verdict` does: it shows on
// the page after the redirect, a later check keeps it, and a false alarm
// leaves the default list.
func TestVerdictRoundTrip(t *testing.T) {
	db := copyFixture(t)
	st := openStore(t, db)
	_, ts := newTestServer(t, st, Options{})
	ctx := t.Context()
	page, err := st.QueryFindings(ctx, store.FindingFilter{Severity: yusuan.SeverityError, Sort: store.SortRule})
	if err != nil {
		t.Fatal(err)
	}
	var id string
	for _, x := range page.Findings {
		if x.Rule != fixtureRule || x.ID != getFixture(t).balance {
			id = x.ID // a finding of the check run, which the next run reports again
			break
		}
	}
	if id == "" {
		t.Fatal("no error finding from the check")
	}
	resp, body := get(t, ts, "/findings/"+id)
	token, cookies := tokenRE.FindStringSubmatch(body)[1], resp.Cookies()
	form := url.Values{"csrf": {token}, "verdict": {"false-alarm"}, "note": {"表格列读错：<script>alert(1)</script>"}, "by": {"张三"}}
	req := mustRequest(t, http.MethodPost, ts.URL+"/findings/"+id+"/verdict", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for _, c := range cookies {
		req.AddCookie(c)
	}
	resp, _ = do(t, ts, req)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/findings/"+id+"?saved=1#verdict" {
		t.Fatalf("post: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	_, body = get(t, ts, "/findings/"+id+"?saved=1")
	if !strings.Contains(body, "Verdict saved.") || !strings.Contains(body, "false-alarm by 张三: 表格列读错：&lt;script&gt;alert(1)&lt;/script&gt;") {
		t.Errorf("the page does not show the verdict, escaped")
	}
	if strings.Contains(body, "<script>alert") {
		t.Error("the note came back unescaped")
	}
	// A check run, as `yusuan check` makes it, keeps the verdict.
	if _, err := check.RunStore(context.Background(), st, check.Options{}, check.Filter{}); err != nil {
		t.Fatal(err)
	}
	got, err := st.Finding(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != "open" || got.Verdict == nil || got.Verdict.Verdict != yusuan.VerdictFalseAlarm || got.Verdict.By != "张三" || got.Verdict.Stale {
		t.Fatalf("after check: %s %+v", got.Status, got.Verdict)
	}
	_, body = get(t, ts, "/findings?severity=error")
	if strings.Contains(body, "/findings/"+id+`"`) {
		t.Error("a false alarm in the default list")
	}
	_, body = get(t, ts, "/findings?severity=error&all=1")
	if !strings.Contains(body, "/findings/"+id+`"`) {
		t.Error("a false alarm missing with all=1")
	}
	// Bad verdicts: 400 with the store's reason, nothing stored.
	before, _ := st.Verdicts(ctx, id)
	for _, v := range []url.Values{{"verdict": {"maybe"}}, {"verdict": {"confirmed"}, "note": {strings.Repeat("长", store.MaxVerdictNote+1)}},
		{"verdict": {"confirmed"}, "note": {"a\x00b"}}} {
		v.Set("csrf", token)
		req := mustRequest(t, http.MethodPost, ts.URL+"/findings/"+id+"/verdict", strings.NewReader(v.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		for _, c := range cookies {
			req.AddCookie(c)
		}
		if r, _ := do(t, ts, req); r.StatusCode != http.StatusBadRequest {
			t.Errorf("%v: %d, want 400", v.Get("verdict"), r.StatusCode)
		}
	}
	if after, _ := st.Verdicts(ctx, id); len(after) != len(before) {
		t.Errorf("bad verdicts stored: %d → %d", len(before), len(after))
	}
	// An unknown finding: 404.
	v := url.Values{"csrf": {token}, "verdict": {"confirmed"}}
	req = mustRequest(t, http.MethodPost, ts.URL+"/findings/f-0000000000000000beef/verdict", strings.NewReader(v.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for _, c := range cookies {
		req.AddCookie(c)
	}
	if r, _ := do(t, ts, req); r.StatusCode != http.StatusNotFound {
		t.Errorf("unknown finding: %d", r.StatusCode)
	}
}

// Serving never writes to the store: after every page and API call
// every table holds exactly the rows it held (only the verdict form
// writes).
func TestReadOnly(t *testing.T) {
	db := copyFixture(t)
	st := openStore(t, db)
	_, ts := newTestServer(t, st, Options{})
	f := getFixture(t)
	before := tableDigests(t, st)
	for _, p := range []string{"/", "/findings", "/findings/" + f.balance, "/documents", "/documents/" + f.evSHA,
		"/documents/" + f.revised, "/documents/" + f.evSHA + "/pages/1", "/entities/1", "/files/" + f.evSHA + ".pdf",
		"/api/findings", "/api/findings/" + f.balance, "/api/documents", "/api/documents/" + f.evSHA, "/api/entities/1"} {
		if resp, _ := get(t, ts, p); resp.StatusCode != http.StatusOK {
			t.Errorf("%s: %d", p, resp.StatusCode)
		}
	}
	after := tableDigests(t, st)
	if len(before) < 20 {
		t.Fatalf("only %d tables", len(before))
	}
	for k, d := range before {
		if after[k] != d {
			t.Errorf("table %s changed", k)
		}
	}
	// The digests see a write: a verdict changes verdicts and findings.
	if _, err := st.SetVerdict(t.Context(), f.balance, yusuan.VerdictConfirmed, "", "x"); err != nil {
		t.Fatal(err)
	}
	judged := tableDigests(t, st)
	if judged["verdicts"] == after["verdicts"] || judged["findings"] == after["findings"] {
		t.Error("a verdict went unseen")
	}
}

// tableDigests digests every table's rows, in any order.
func tableDigests(t *testing.T, st *store.Store) map[string]string {
	t.Helper()
	db := st.ReadDB()
	rows, err := db.Query(`SELECT name FROM sqlite_master WHERE type = 'table'`)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for rows.Next() {
		var n string
		rows.Scan(&n)
		names = append(names, n)
	}
	rows.Close()
	out := map[string]string{}
	for _, n := range names {
		rs, err := db.Query(`SELECT * FROM "` + n + `"`)
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rs.Columns()
		var lines []string
		for rs.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rs.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			lines = append(lines, fmt.Sprintf("%q", vals))
		}
		rs.Close()
		slices.Sort(lines)
		sum := sha256.Sum256([]byte(strings.Join(lines, "\n")))
		out[n] = hex.EncodeToString(sum[:])
	}
	return out
}
