package store

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// ErrNotArchived means the archive holds no file with that digest.
var ErrNotArchived = errors.New("not in archive")

// ErrCorrupt means an archived file's bytes no longer match its digest.
var ErrCorrupt = errors.New("archived file does not match its sha256")

// Archive is a content-addressed directory: each file is stored once, as
// ab/cd/<full sha256 hex>, written to a temporary file, synced and renamed
// into place, so a crash leaves either the whole file or nothing.
type Archive struct {
	dir string
}

const tmpPrefix = ".tmp-"

// OpenArchive opens (creating) an archive directory and removes temporary
// files that a crashed writer left more than an hour ago.
func OpenArchive(dir string) (*Archive, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("archive: %w", err)
	}
	a := &Archive{dir: dir}
	if ents, err := os.ReadDir(dir); err == nil {
		for _, e := range ents {
			if !strings.HasPrefix(e.Name(), tmpPrefix) {
				continue
			}
			// Only old ones: another process may be writing right now.
			if info, err := e.Info(); err == nil && time.Since(info.ModTime()) > time.Hour {
				_ = os.Remove(filepath.Join(dir, e.Name()))
			}
		}
	}
	return a, nil
}

// Dir is the archive's root directory.
func (a *Archive) Dir() string { return a.dir }

// ValidSHA reports whether s is a lower-case sha256 hex digest.
func ValidSHA(s string) bool {
	if len(s) != 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}

// Path is where the file with digest sha lives (whether or not it exists).
func (a *Archive) Path(sha string) string {
	return filepath.Join(a.dir, sha[0:2], sha[2:4], sha)
}

// Has reports whether the archive holds sha.
func (a *Archive) Has(sha string) bool {
	if !ValidSHA(sha) {
		return false
	}
	_, err := os.Stat(a.Path(sha))
	return err == nil
}

// Put streams r into the archive and returns its digest and size. A file
// already archived is not written again.
func (a *Archive) Put(ctx context.Context, r io.Reader) (sha string, size int64, err error) {
	tmp, err := os.CreateTemp(a.dir, tmpPrefix+"*")
	if err != nil {
		return "", 0, fmt.Errorf("archive: %w", err)
	}
	tmpName := tmp.Name()
	defer func() {
		if tmp != nil {
			tmp.Close()
		}
		if err != nil {
			os.Remove(tmpName)
		}
	}()
	h := sha256.New()
	size, err = io.Copy(io.MultiWriter(tmp, h), ctxReader{ctx, r})
	if err != nil {
		return "", 0, fmt.Errorf("archive: write: %w", err)
	}
	sha = hex.EncodeToString(h.Sum(nil))
	final := a.Path(sha)
	if _, statErr := os.Stat(final); statErr == nil {
		tmp.Close()
		tmp = nil
		os.Remove(tmpName)
		return sha, size, nil
	}
	if err = tmp.Sync(); err != nil {
		return "", 0, fmt.Errorf("archive: sync: %w", err)
	}
	if err = tmp.Close(); err != nil {
		return "", 0, fmt.Errorf("archive: close: %w", err)
	}
	tmp = nil
	sub := filepath.Dir(final)
	dirs := []string{sub}
	if _, statErr := os.Stat(sub); statErr != nil {
		// New directories must reach the disk too, up to the root.
		dirs = append(dirs, filepath.Dir(sub), a.dir)
		if err = os.MkdirAll(sub, 0o755); err != nil {
			return "", 0, fmt.Errorf("archive: %w", err)
		}
	}
	if err = os.Rename(tmpName, final); err != nil {
		return "", 0, fmt.Errorf("archive: rename: %w", err)
	}
	// The rename is durable only once its directory reaches the disk.
	for _, d := range dirs {
		if err = syncDir(d); err != nil {
			return "", 0, fmt.Errorf("archive: sync dir: %w", err)
		}
	}
	return sha, size, nil
}

// PutBytes archives data already in memory.
func (a *Archive) PutBytes(ctx context.Context, data []byte) (string, error) {
	sha, _, err := a.Put(ctx, bytes.NewReader(data))
	return sha, err
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

// Open returns the archived file. Its reader checks the digest as it goes:
// reading to the end returns ErrCorrupt instead of io.EOF if the bytes on
// disk no longer match sha.
func (a *Archive) Open(sha string) (io.ReadCloser, error) {
	if !ValidSHA(sha) {
		return nil, fmt.Errorf("archive: bad digest %q", sha)
	}
	f, err := os.Open(a.Path(sha))
	if errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("archive: %s: %w", sha, ErrNotArchived)
	}
	if err != nil {
		return nil, fmt.Errorf("archive: %w", err)
	}
	return &verifyingReader{f: f, h: sha256.New(), want: sha}, nil
}

// ReadAll returns the verified bytes of an archived file.
func (a *Archive) ReadAll(sha string) ([]byte, error) {
	rc, err := a.Open(sha)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	var buf bytes.Buffer
	if f, ok := rc.(*verifyingReader); ok {
		if info, err := f.f.Stat(); err == nil {
			buf.Grow(int(info.Size()) + bytes.MinRead)
		}
	}
	if _, err := buf.ReadFrom(rc); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

type verifyingReader struct {
	f    *os.File
	h    hash.Hash
	want string
}

func (v *verifyingReader) Read(p []byte) (int, error) {
	n, err := v.f.Read(p)
	v.h.Write(p[:n])
	if err == io.EOF {
		if got := hex.EncodeToString(v.h.Sum(nil)); got != v.want {
			return n, fmt.Errorf("archive: %s (got %s): %w", v.want, got, ErrCorrupt)
		}
	}
	return n, err
}

func (v *verifyingReader) Close() error { return v.f.Close() }

// ctxReader stops a long copy when its context is cancelled.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}
