package crawl

import (
	"mime"
	"net/url"
	"path"
	"regexp"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
)

var dispFilenameRE = regexp.MustCompile(`(?i)filename\*?\s*=\s*("([^"]*)"|[^;]*)`)

// DispositionFilename extracts the file name from a Content-Disposition
// header: RFC 5987 filename* (any charset Go knows, plus GBK/GB18030), a
// raw GBK or UTF-8 quoted name, or a percent-encoded UTF-8/GBK name.
// It returns "" when there is none.
func DispositionFilename(h string) string {
	if h == "" {
		return ""
	}
	var name string
	if _, params, err := mime.ParseMediaType(h); err == nil {
		name = params["filename"]
	}
	if name == "" {
		name = fallbackFilename(h)
	}
	return cleanFileName(decodeName(name))
}

func fallbackFilename(h string) string {
	// filename* first: it wins over filename per RFC 6266.
	for _, m := range dispFilenameRE.FindAllStringSubmatch(h, -1) {
		if strings.Contains(strings.ToLower(m[0]), "filename*") {
			v := strings.TrimSpace(m[1])
			// charset'lang'value
			parts := strings.SplitN(v, "'", 3)
			if len(parts) == 3 {
				raw, err := url.PathUnescape(parts[2])
				if err == nil {
					cs := strings.ToLower(parts[0])
					if cs == "gbk" || cs == "gb2312" || cs == "gb18030" {
						if s, err := simplifiedchinese.GB18030.NewDecoder().String(raw); err == nil {
							return s
						}
					}
					return raw
				}
			}
		}
	}
	for _, m := range dispFilenameRE.FindAllStringSubmatch(h, -1) {
		if !strings.Contains(strings.ToLower(m[0]), "filename*") {
			if m[2] != "" || strings.HasPrefix(m[1], `"`) {
				return m[2]
			}
			return strings.TrimSpace(m[1])
		}
	}
	return ""
}

// decodeName turns percent-encoding and raw GBK bytes into UTF-8.
func decodeName(s string) string {
	if strings.Contains(s, "%") {
		if u, err := url.PathUnescape(s); err == nil {
			s = u
		}
	}
	if !utf8.ValidString(s) {
		if d, err := simplifiedchinese.GB18030.NewDecoder().String(s); err == nil && utf8.ValidString(d) {
			return d
		}
		return strings.ToValidUTF8(s, "\uFFFD")
	}
	return s
}

// cleanFileName keeps the base name only (no directories from the server).
func cleanFileName(s string) string {
	s = strings.TrimSpace(strings.ReplaceAll(s, `\`, "/"))
	if s == "" {
		return ""
	}
	b := path.Base(s)
	if b == "." || b == "/" || b == ".." {
		return ""
	}
	return b
}

// urlFileName is the decoded last path segment of u.
func urlFileName(u string) string {
	pu, err := url.Parse(u)
	if err != nil {
		return ""
	}
	return cleanFileName(decodeName(path.Base(pu.EscapedPath())))
}
