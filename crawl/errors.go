package crawl

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Every fetch ends in nil or in an error that wraps one of these sentinels
// or typed errors; the report's FailureKind and the retry decision are
// derived from them with errors.Is / errors.As, never from message text.
var (
	// ErrRobots: robots.txt forbids the URL (or a redirect target).
	ErrRobots = errors.New("disallowed by robots.txt")
	// ErrRobotsUnreachable: the host's robots.txt could not be fetched
	// (5xx after the retries, a network error, a timeout), so the host is
	// taken as fully disallowed for the run (RFC 9309 §2.3.1.4). See
	// *RobotsUnreachableError.
	ErrRobotsUnreachable = errors.New("robots.txt unreachable")
	// ErrRedirectRefused: a redirect left the site's allow rules, or
	// there were too many. Never retried.
	ErrRedirectRefused = errors.New("redirect refused")
	// ErrTooLarge: a body passed its size limit (max_file_size,
	// max_page_size, 512 KiB for robots.txt).
	ErrTooLarge = errors.New("body over the size limit")
	// ErrDecompressionBomb: a compressed body (Content-Encoding) that
	// expands past its size limit. It is also ErrTooLarge.
	ErrDecompressionBomb = errors.New("decompressed body over the size limit")
	// ErrBadEncoding: a Content-Encoding the body does not follow (a
	// "gzip" body that is not gzip) or one yusuan does not decode.
	ErrBadEncoding = errors.New("body does not match its Content-Encoding")
	// ErrTimeout: a fetch ran out of time (see *TimeoutError for which
	// limit).
	ErrTimeout = errors.New("timed out")
	// ErrNotPDF: a .pdf link (or application/pdf) that served something
	// else, typically an HTML error page.
	ErrNotPDF = errors.New("not a PDF")
	// ErrTruncated: a page or robots.txt cut at its size limit; what came
	// is kept (WARC-Truncated: length) and its links are followed.
	ErrTruncated = errors.New("cut at the size limit")
	// ErrInterrupted: the process died twice while fetching this URL; it
	// is not tried a third time in the same run.
	ErrInterrupted = errors.New("the harvest died while fetching this URL")
)

// TimeoutError says which time limit a fetch ran into.
type TimeoutError struct {
	Phase string        // "headers", "request" (the whole exchange) or "url budget"
	Limit time.Duration // the limit that was reached
}

func (e *TimeoutError) Error() string {
	switch e.Phase {
	case "headers":
		return fmt.Sprintf("no response headers within %s", e.Limit)
	case "url budget":
		return fmt.Sprintf("url_budget of %s spent", e.Limit)
	}
	return fmt.Sprintf("request not finished within %s", e.Limit)
}

func (e *TimeoutError) Is(target error) bool { return target == ErrTimeout }

// LimitError is a body that passed its size limit.
type LimitError struct {
	Limit    int64  // bytes allowed after decoding
	Encoding string // Content-Encoding that was decoded, "" for none
	Wire     int64  // bytes read from the network when it stopped
	Declared bool   // refused on its Content-Length, before reading
}

func (e *LimitError) Error() string {
	switch {
	case e.Declared:
		return fmt.Sprintf("Content-Length over the %d-byte limit; not downloaded", e.Limit)
	case e.bomb():
		return fmt.Sprintf("decompression bomb: Content-Encoding %s expands past the %d-byte limit after %d bytes on the wire", e.Encoding, e.Limit, e.Wire)
	case e.Encoding != "":
		return fmt.Sprintf("body over the %d-byte limit (Content-Encoding %s)", e.Limit, e.Encoding)
	}
	return fmt.Sprintf("body over the %d-byte limit", e.Limit)
}

// bomb: a compressed body that passed its limit while more than ten
// times smaller on the wire; a big file merely sent compressed is only
// too large.
func (e *LimitError) bomb() bool { return e.Encoding != "" && e.Wire*bombRatio < e.Limit }

const bombRatio = 10

func (e *LimitError) Is(target error) bool {
	return target == ErrTooLarge || (target == ErrDecompressionBomb && e.bomb())
}

// StatusError is an HTTP status other than 2xx or 304.
type StatusError struct {
	Code int
	// RetryAfter is how long a 429 or 503 answer asked the crawler to
	// wait (its Retry-After header); 0 when it said nothing.
	RetryAfter time.Duration
}

// statusError is the error of an answer with an unwanted status.
func statusError(code int, h http.Header, now time.Time) *StatusError {
	e := &StatusError{Code: code}
	if code == http.StatusTooManyRequests || code == http.StatusServiceUnavailable {
		e.RetryAfter = retryAfter(h.Get("Retry-After"), now)
	}
	return e
}

// retryAfter reads a Retry-After value: seconds, or an HTTP date.
func retryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if n, err := strconv.Atoi(v); err == nil {
		if n <= 0 {
			return 0
		}
		return time.Duration(min(n, 86400)) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil && t.After(now) {
		return min(t.Sub(now), 24*time.Hour)
	}
	return 0
}

func (e *StatusError) Error() string {
	return fmt.Sprintf("HTTP %d %s", e.Code, http.StatusText(e.Code))
}

// RobotsUnreachableError is a host whose robots.txt could not be fetched.
// It does not unwrap to Err: the URLs it holds back did not time out or
// fail on the network themselves, and must be neither retried nor
// reported as such.
type RobotsUnreachableError struct {
	Host   string // scheme://host
	Status int    // the last HTTP status, 0 when none came
	Err    error  // why: a *StatusError, a *TimeoutError, a network error
}

func (e *RobotsUnreachableError) Error() string {
	return fmt.Sprintf("robots.txt of %s unreachable (%v): nothing of the host is fetched in this run", e.Host, e.Err)
}

func (e *RobotsUnreachableError) Is(target error) bool { return target == ErrRobotsUnreachable }

// RedirectError is a redirect the crawler refused to follow.
type RedirectError struct {
	To     string
	Reason string // "outside the site's allow rules", "more than 10 redirects"
}

func (e *RedirectError) Error() string {
	return fmt.Sprintf("redirect to %s refused: %s", e.To, e.Reason)
}

func (e *RedirectError) Is(target error) bool { return target == ErrRedirectRefused }

// kindOf maps a fetch error to the report's failure kind. The order
// matters: a redirect refusal arrives wrapped in *url.Error, which is
// also a net.Error.
func kindOf(err error) FailureKind {
	var se *StatusError
	var fe errFailedElsewhere
	switch {
	case err == nil:
		return ""
	case errors.As(err, &fe):
		return fe.kind
	case errors.Is(err, errSink):
		return FailSink
	case errors.Is(err, ErrAPIAnswer):
		return FailAPI
	case errors.Is(err, ErrRobotsUnreachable):
		return FailRobotsUnreachable
	case errors.Is(err, ErrRobots):
		return FailRobots
	case errors.Is(err, ErrRedirectRefused):
		return FailRedirect
	case errors.Is(err, ErrDecompressionBomb):
		return FailBomb
	case errors.Is(err, ErrTooLarge):
		return FailTooLarge
	case errors.Is(err, ErrTruncated):
		return FailTruncated
	case errors.Is(err, ErrBadEncoding):
		return FailBadEncoding
	case errors.Is(err, ErrNotPDF):
		return FailNotPDF
	case errors.Is(err, ErrInterrupted):
		return FailInterrupted
	case errors.Is(err, ErrTimeout), errors.Is(err, context.DeadlineExceeded):
		return FailTimeout
	case errors.As(err, &se):
		return FailHTTP
	case isNetwork(err):
		return FailNetwork
	}
	return FailOther
}

// isNetwork reports connection-level trouble: refused, reset, DNS, TLS, a
// connection closed before the response was complete.
func isNetwork(err error) bool {
	var (
		op   *net.OpError
		dns  *net.DNSError
		rec  tls.RecordHeaderError
		cert *tls.CertificateVerificationError
		ua   x509.UnknownAuthorityError
		host x509.HostnameError
		alrt tls.AlertError
	)
	return errors.As(err, &op) || errors.As(err, &dns) || errors.As(err, &rec) || errors.As(err, &cert) ||
		errors.As(err, &ua) || errors.As(err, &host) || errors.As(err, &alrt) ||
		errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF)
}

// retryable reports whether another attempt may succeed: a 5xx or 429, a
// connection problem, or no headers in time. A body that timed out is not
// retried (the server answers, slowly; the next night tries again), nor
// is anything the crawler refused.
func retryable(err error) bool {
	var se *StatusError
	var te *TimeoutError
	switch {
	case err == nil:
		return false
	case errors.As(err, &se):
		return se.Code >= 500 || se.Code == http.StatusTooManyRequests
	case errors.As(err, &te):
		return te.Phase == "headers"
	}
	return kindOf(err) == FailNetwork
}
