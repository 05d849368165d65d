package web

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"
)

// Credentials are the one user name and password the server accepts.
type Credentials struct {
	User string
	// sum is the SHA-256 of "user:password": requests are compared by
	// digest, in constant time, whatever their length.
	sum [32]byte
}

// ParseCredentials reads "user:password".
func ParseCredentials(s string) (*Credentials, error) {
	user, pass, ok := strings.Cut(strings.TrimSpace(s), ":")
	if !ok || user == "" || pass == "" {
		return nil, errors.New("want user:password")
	}
	if len(pass) < 8 {
		return nil, errors.New("the password is shorter than 8 characters")
	}
	return &Credentials{User: user, sum: sha256.Sum256([]byte(user + ":" + pass))}, nil
}

// ReadCredentialsFile reads "user:password" from the first line of a file
// that only its owner may read.
func ReadCredentialsFile(path string) (*Credentials, error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if info.Mode().Perm()&0o077 != 0 {
		return nil, fmt.Errorf("%s: others may read it (mode %v): chmod 600 it", path, info.Mode().Perm())
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	line, _, _ := strings.Cut(string(b), "\n")
	c, err := ParseCredentials(line)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return c, nil
}

// check reports whether r carries the credentials, and the user.
func (c *Credentials) check(r *http.Request) (string, bool) {
	user, pass, ok := r.BasicAuth()
	if !ok {
		return "", false
	}
	got := sha256.Sum256([]byte(user + ":" + pass))
	if subtle.ConstantTimeCompare(got[:], c.sum[:]) != 1 {
		return "", false
	}
	return user, true
}

// errForbidden is a request refused for what it is (a cross-site or
// stale form): 403.
var errForbidden = errors.New("forbidden")

// csrf makes and checks the tokens of the verdict form: an HMAC, under a
// key drawn when the process starts, of the browser's session cookie and
// the time the form was made. A token from another site (which cannot
// read the cookie or the key), from another browser, or older than
// tokenLifetime is refused.
type csrf struct {
	key [32]byte
	now func() time.Time
}

const (
	sessionCookie = "yusuan_session"
	tokenLifetime = 12 * time.Hour
)

func newCSRF() (*csrf, error) {
	c := &csrf{now: time.Now}
	if _, err := rand.Read(c.key[:]); err != nil {
		return nil, fmt.Errorf("csrf key: %w", err)
	}
	return c, nil
}

// session returns the browser's session id, setting a new cookie when it
// has none (SameSite=Strict: a request from another site does not carry it).
func (c *csrf) session(w http.ResponseWriter, r *http.Request) string {
	if ck, err := r.Cookie(sessionCookie); err == nil && validSession(ck.Value) {
		return ck.Value
	}
	var b [18]byte
	rand.Read(b[:])
	id := base64.RawURLEncoding.EncodeToString(b[:])
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: id, Path: "/", HttpOnly: true,
		SameSite: http.SameSiteStrictMode, Secure: r.TLS != nil})
	return id
}

func validSession(s string) bool {
	if len(s) != 24 {
		return false
	}
	_, err := base64.RawURLEncoding.DecodeString(s)
	return err == nil
}

// token is the form token for a session at the current time.
func (c *csrf) token(session string) string {
	ts := strconv.FormatInt(c.now().Unix(), 10)
	return ts + "." + c.mac(session, ts)
}

func (c *csrf) mac(session, ts string) string {
	m := hmac.New(sha256.New, c.key[:])
	m.Write([]byte(session + "\x00" + ts))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// verify checks a posted form: its Origin (when the browser sends one)
// is this server, and its token fits the session cookie and is recent.
func (c *csrf) verify(r *http.Request, token string) error {
	if o := r.Header.Get("Origin"); o != "" {
		u, err := url.Parse(o)
		if err != nil || u.Host != r.Host {
			return fmt.Errorf("%w: the form was sent from another site (%s)", errForbidden, o)
		}
	}
	if r.Header.Get("Sec-Fetch-Site") == "cross-site" {
		return fmt.Errorf("%w: the form was sent from another site", errForbidden)
	}
	ck, err := r.Cookie(sessionCookie)
	if err != nil || !validSession(ck.Value) {
		return fmt.Errorf("%w: no session cookie: reload the page and send the form again", errForbidden)
	}
	ts, mac, ok := strings.Cut(token, ".")
	if !ok {
		return fmt.Errorf("%w: the form carries no valid token: reload the page and send it again", errForbidden)
	}
	if !hmac.Equal([]byte(mac), []byte(c.mac(ck.Value, ts))) {
		return fmt.Errorf("%w: the form's token does not fit this browser: reload the page and send it again", errForbidden)
	}
	sec, err := strconv.ParseInt(ts, 10, 64)
	if age := c.now().Sub(time.Unix(sec, 0)); err != nil || age > tokenLifetime || age < -time.Minute {
		return fmt.Errorf("%w: the form has expired: reload the page and send it again", errForbidden)
	}
	return nil
}
