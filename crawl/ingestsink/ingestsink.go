// Package ingestsink connects the crawler to the ingest pipeline: each new
// or revised file the crawler hands on is archived, extracted and stored
// with its URL, referring page and link text as provenance.
package ingestsink

import (
	"context"
	"fmt"
	"os"
	"sync"

	"yusuan/crawl"
	"yusuan/ingest"
	"yusuan/store"
)

// Sink is a crawl.Sink over an ingest.Pipeline. It records each result so
// the harvest report can name the documents it added.
type Sink struct {
	Pipeline *ingest.Pipeline

	mu      sync.Mutex
	results []Handed
}

// Handed is one file handed on and what ingest made of it.
type Handed struct {
	File   crawl.FetchedFile
	Result ingest.Result
}

// New returns a Sink feeding p.
func New(p *ingest.Pipeline) *Sink { return &Sink{Pipeline: p} }

var (
	_ crawl.Sink    = (*Sink)(nil)
	_ crawl.Sighter = (*Sink)(nil)
)

// Store streams the spooled body into the archive and ingests it. Ingest is
// idempotent on the digest, so a file handed on twice after a kill is one
// document with two sightings.
func (s *Sink) Store(ctx context.Context, f crawl.FetchedFile) error {
	fh, err := os.Open(f.Path)
	if err != nil {
		return fmt.Errorf("ingest sink: %w", err)
	}
	defer fh.Close()
	res, err := s.Pipeline.Reader(ctx, fh, source(f))
	if err != nil {
		return fmt.Errorf("ingest sink %s: %w", f.URL, err)
	}
	if res.SHA256 != f.SHA256 {
		return fmt.Errorf("ingest sink %s: archived digest %s, fetched %s", f.URL, res.SHA256, f.SHA256)
	}
	s.mu.Lock()
	s.results = append(s.results, Handed{File: f, Result: res})
	s.mu.Unlock()
	return nil
}

// Results lists the files handed on so far, in order.
func (s *Sink) Results() []Handed {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Handed(nil), s.results...)
}

// Sighted records another link to a document already handed on (a
// download.do link redirecting to a file fetched in the same run): its
// URL, page and link text become one more source of the document.
func (s *Sink) Sighted(ctx context.Context, f crawl.FetchedFile) error {
	if err := s.Pipeline.Store.AddSource(ctx, f.SHA256, source(f)); err != nil {
		return fmt.Errorf("ingest sink %s: %w", f.URL, err)
	}
	return nil
}

func source(f crawl.FetchedFile) store.Source {
	name := f.FileName
	if name == "" {
		name = f.URL
	}
	return store.Source{File: name, URL: f.URL, PageURL: f.Referrer, LinkText: f.LinkText, FetchedAt: f.Fetched}
}
