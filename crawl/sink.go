package crawl

import (
	"context"
	"time"
)

// FetchedFile is a downloaded attachment handed to the Sink.
type FetchedFile struct {
	Site     string
	URL      string // as linked
	FinalURL string // after redirects
	// Path is a spooled copy of the body, valid only during Store: a sink
	// that keeps the bytes must copy or hard-link it.
	Path        string
	Size        int64
	SHA256      string
	ContentType string
	LinkText    string // text of the link that led here
	PageTitle   string // <title> of the page that linked it
	Referrer    string
	// FileName is the Content-Disposition name (RFC 5987 filename*, raw
	// GBK or percent-encoded UTF-8 decoded) or else the URL's last segment.
	FileName     string
	ETag         string
	LastModified string
	Fetched      time.Time
	// Version is 1 for the first body seen at URL; Revised is set when the
	// URL served other bytes before (PreviousSHA256).
	Version        int
	Revised        bool
	PreviousSHA256 string
	// WARCFile and WARCOffset locate the response record.
	WARCFile   string
	WARCOffset int64
}

// Sink receives every new or revised file. It must be idempotent on
// SHA256: after a kill the same file may be handed on again.
type Sink interface {
	Store(ctx context.Context, f FetchedFile) error
}

// SinkFunc adapts a function to Sink.
type SinkFunc func(ctx context.Context, f FetchedFile) error

func (fn SinkFunc) Store(ctx context.Context, f FetchedFile) error { return fn(ctx, f) }

// Sighter is a Sink that also records a file reached again by another
// link without a download (a redirect to a file fetched in this run, or a
// link to it seen for the first time): Path is empty, SHA256 names the
// body handed on before.
type Sighter interface {
	Sighted(ctx context.Context, f FetchedFile) error
}
