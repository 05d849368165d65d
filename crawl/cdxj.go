package crawl

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/nlnwa/gowarc/v3"
)

// A CDXJ index (x.warc.gz → x.cdxj) lists every response and revisit
// record of a WARC file, sorted by SURT key and time, so Wayback-style
// replay tools (pywb, OutbackCDX imports) find a capture without reading
// the WARC:
//
//	127.0.0.1:8080)/files/a.pdf 20260301080000 {"url":"http://127.0.0.1:8080/files/a.pdf","mime":"application/pdf","status":"200","digest":"sha1:…","length":"1234","offset":"567","filename":"yusuan-….warc.gz"}

// cdxjEntry is one line's JSON block; the field names are pywb's.
type cdxjEntry struct {
	URL      string `json:"url"`
	Mime     string `json:"mime"`
	Status   string `json:"status,omitempty"`
	Digest   string `json:"digest,omitempty"`
	Length   string `json:"length"`
	Offset   string `json:"offset"`
	Filename string `json:"filename"`
}

// cdxjPath is the index beside a WARC file.
func cdxjPath(warcPath string) string {
	return strings.TrimSuffix(strings.TrimSuffix(warcPath, ".gz"), ".warc") + ".cdxj"
}

// writeCDXJ reads a finished WARC file back and writes its index (through
// a temporary file, so an index is whole or absent). The caller holds
// gowarcMu (reading builds records too).
func writeCDXJ(warcPath, tmpDir string) error {
	r, err := gowarc.NewWarcFileReader(warcPath, 0, recordOptions(tmpDir)...)
	if err != nil {
		return fmt.Errorf("index %s: %w", filepath.Base(warcPath), err)
	}
	defer r.Close()
	var lines []string
	var readErr error
	for {
		rec, err := r.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			// A file a killed run left ends in a partial record: the
			// records before it are indexed.
			readErr = fmt.Errorf("index %s: %w", filepath.Base(warcPath), err)
			break
		}
		line, ok, err := cdxjLine(rec, filepath.Base(warcPath))
		rec.WarcRecord.Close()
		if err != nil {
			readErr = fmt.Errorf("index %s@%d: %w", filepath.Base(warcPath), rec.Offset, err)
			continue
		}
		if ok {
			lines = append(lines, line)
		}
	}
	sort.Strings(lines)
	out := cdxjPath(warcPath)
	tmp := out + ".tmp"
	var b bytes.Buffer
	for _, l := range lines {
		b.WriteString(l)
		b.WriteByte('\n')
	}
	if err := os.WriteFile(tmp, b.Bytes(), 0o644); err != nil {
		return fmt.Errorf("index: %w", err)
	}
	if err := os.Rename(tmp, out); err != nil {
		return fmt.Errorf("index: %w", err)
	}
	return readErr
}

func cdxjLine(rec gowarc.Record, file string) (string, bool, error) {
	wr := rec.WarcRecord
	if wr.Type() != gowarc.Response && wr.Type() != gowarc.Revisit {
		return "", false, nil
	}
	h := wr.WarcHeader()
	target := h.Get(gowarc.WarcTargetURI)
	date, err := time.Parse(time.RFC3339Nano, h.Get(gowarc.WarcDate))
	if err != nil {
		return "", false, fmt.Errorf("WARC-Date: %w", err)
	}
	e := cdxjEntry{URL: target, Digest: h.Get(gowarc.WarcPayloadDigest), Length: strconv.FormatInt(rec.Size, 10),
		Offset: strconv.FormatInt(rec.Offset, 10), Filename: file}
	status, ctype := httpHead(wr)
	if status > 0 {
		e.Status = strconv.Itoa(status)
	}
	if wr.Type() == gowarc.Revisit {
		e.Mime = "warc/revisit"
	} else if mt, _, err := mime.ParseMediaType(ctype); err == nil {
		e.Mime = mt
	} else {
		e.Mime = "unk"
	}
	js, err := json.Marshal(e)
	if err != nil {
		return "", false, err
	}
	return surt(target) + " " + date.UTC().Format("20060102150405") + " " + string(js), true, nil
}

// httpHead reads the status code and Content-Type of a response or
// revisit record's HTTP head.
func httpHead(wr gowarc.WarcRecord) (int, string) {
	if hb, ok := wr.Block().(gowarc.HttpResponseBlock); ok {
		ct := ""
		if hh := hb.HttpHeader(); hh != nil {
			ct = hh.Get("Content-Type")
		}
		return hb.HttpStatusCode(), ct
	}
	raw, err := wr.Block().RawBytes()
	if err != nil {
		return 0, ""
	}
	resp, err := http.ReadResponse(bufio.NewReader(io.LimitReader(raw, 64<<10)), nil)
	if err != nil {
		return 0, ""
	}
	resp.Body.Close()
	return resp.StatusCode, resp.Header.Get("Content-Type")
}

// surt is the Sort-friendly URI Reordering Transform of u as pywb writes
// it: host labels reversed and comma-joined (an IP address kept as is),
// "www." dropped, default port dropped, then ")" and the path and the
// sorted query, all lower case.
func surt(u string) string {
	pu, err := url.Parse(u)
	if err != nil || pu.Host == "" {
		return strings.ToLower(u)
	}
	host := strings.ToLower(pu.Hostname())
	var key string
	if net.ParseIP(host) != nil {
		key = host
	} else {
		labels := strings.Split(strings.TrimPrefix(host, "www."), ".")
		for i, j := 0, len(labels)-1; i < j; i, j = i+1, j-1 {
			labels[i], labels[j] = labels[j], labels[i]
		}
		key = strings.Join(labels, ",")
	}
	if p := pu.Port(); p != "" && !(pu.Scheme == "http" && p == "80") && !(pu.Scheme == "https" && p == "443") {
		key += ":" + p
	}
	path := pu.EscapedPath()
	if path == "" {
		path = "/"
	}
	key += ")" + path
	if pu.RawQuery != "" {
		q := strings.Split(pu.RawQuery, "&")
		sort.Strings(q)
		key += "?" + strings.Join(q, "&")
	}
	return strings.ToLower(key)
}

// recoverWARCs renames files a killed run left with the ".open" suffix
// (every complete gzip member in them is a readable record) and indexes
// every WARC file that has no index yet. Call it only while holding the
// harvest lock.
func recoverWARCs(dir, tmpDir string) error {
	open, err := filepath.Glob(filepath.Join(dir, "*.warc.gz.open"))
	if err != nil {
		return err
	}
	var errs []error
	for _, f := range open {
		if err := os.Rename(f, strings.TrimSuffix(f, ".open")); err != nil {
			errs = append(errs, fmt.Errorf("recover %s: %w", f, err))
		}
	}
	all, err := filepath.Glob(filepath.Join(dir, "*.warc.gz"))
	if err != nil {
		return err
	}
	for _, f := range all {
		if _, err := os.Stat(cdxjPath(f)); err == nil {
			continue
		}
		gowarcMu.Lock()
		err := writeCDXJ(f, tmpDir)
		gowarcMu.Unlock()
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}
