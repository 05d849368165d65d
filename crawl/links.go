package crawl

import (
	"net/url"
	"path"
	"regexp"
	"strings"
)

// fileExts are attachment extensions fetched by the streaming downloader.
var fileExts = map[string]bool{
	".pdf": true, ".doc": true, ".docx": true, ".xls": true, ".xlsx": true,
	".zip": true, ".rar": true, ".ofd": true, ".7z": true, ".wps": true, ".et": true,
}

// skipExts are never worth a request.
var skipExts = map[string]bool{
	".jpg": true, ".jpeg": true, ".png": true, ".gif": true, ".bmp": true, ".ico": true, ".svg": true,
	".css": true, ".js": true, ".mp3": true, ".mp4": true, ".avi": true, ".flv": true, ".swf": true,
	".woff": true, ".woff2": true, ".ttf": true, ".exe": true, ".apk": true,
}

// linkKind classifies a URL by its path extension; ok is false for URLs
// not worth fetching.
func linkKind(u string) (Kind, bool) {
	pu, err := url.Parse(u)
	if err != nil || (pu.Scheme != "http" && pu.Scheme != "https") || pu.Host == "" {
		return "", false
	}
	ext := strings.ToLower(path.Ext(pu.Path))
	switch {
	case fileExts[ext]:
		return KindFile, true
	case skipExts[ext]:
		return "", false
	}
	return KindPage, true
}

// isPDFURL reports whether the URL names a .pdf.
func isPDFURL(u string) bool {
	pu, err := url.Parse(u)
	if err != nil {
		return false
	}
	return strings.EqualFold(path.Ext(pu.Path), ".pdf")
}

// normalizeURL resolves nothing; it drops the fragment and trims space so
// one resource has one key.
func normalizeURL(u string) string {
	u = strings.TrimSpace(u)
	pu, err := url.Parse(u)
	if err != nil {
		return ""
	}
	pu.Fragment = ""
	pu.RawFragment = ""
	if pu.Path == "" {
		pu.Path = "/"
	}
	return pu.String()
}

var pagerTexts = map[string]bool{
	"下一页": true, "上一页": true, "首页": true, "尾页": true, "末页": true, "下页": true, "上页": true,
	"最后一页": true, "第一页": true, "next": true, "prev": true, "previous": true, "last": true, "first": true,
	">": true, "<": true, ">>": true, "<<": true, "»": true, "«": true, "›": true, "‹": true,
}

var (
	digitsRE   = regexp.MustCompile(`^\[?\d{1,4}\]?$`)
	pagedRE    = regexp.MustCompile(`(?i)(^|/)(index|list|default|column-index|more)[_-]\d+\.s?html?$`)
	numPageRE  = regexp.MustCompile(`(?i)(^|/)\d{1,4}\.s?html?$`)
	pageParams = []string{"page", "pageno", "pagenum", "pageindex", "pn", "p", "currentpage", "curpage"}
)

// isPagination reports whether a link from page `from` to `to` with text
// `text` is a step through a list (下一页, index_N.html, ?page=N): such
// steps do not count toward max_depth, so dozens of list pages are fine.
func isPagination(from, to, text string) bool {
	t := strings.ToLower(strings.Join(strings.Fields(text), ""))
	if pagerTexts[t] || digitsRE.MatchString(t) {
		return true
	}
	fu, err1 := url.Parse(from)
	tu, err2 := url.Parse(to)
	if err1 != nil || err2 != nil || fu.Host != tu.Host {
		return false
	}
	if path.Dir(fu.Path) == path.Dir(tu.Path) {
		if pagedRE.MatchString(tu.Path) || (numPageRE.MatchString(tu.Path) && (numPageRE.MatchString(fu.Path) || isIndex(fu.Path))) {
			return true
		}
		if isIndex(tu.Path) && (pagedRE.MatchString(fu.Path) || numPageRE.MatchString(fu.Path)) {
			return true // back to page 1
		}
	}
	if fu.Path == tu.Path {
		q := tu.Query()
		for k := range q {
			for _, p := range pageParams {
				if strings.EqualFold(k, p) {
					return true
				}
			}
		}
	}
	return false
}

func isIndex(p string) bool {
	b := strings.ToLower(path.Base(p))
	return strings.HasSuffix(p, "/") || strings.HasPrefix(b, "index.") || strings.HasPrefix(b, "default.")
}

// fileAppendixRE finds Hanweb's script-written attachments:
// var file_appendix='a.pdf'; (sometimes several names joined by , or ;).
var fileAppendixRE = regexp.MustCompile(`file_appendix\s*=\s*['"]([^'"]+)['"]`)

func scriptAttachments(script string) []string {
	var out []string
	for _, m := range fileAppendixRE.FindAllStringSubmatch(script, -1) {
		for _, part := range strings.FieldsFunc(m[1], func(r rune) bool { return r == ',' || r == ';' || r == '|' }) {
			if p := strings.TrimSpace(part); p != "" {
				out = append(out, p)
			}
		}
	}
	return out
}
