package decrypt

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ledongthuc/pdf"
)

const fixtureDir = "../../fixtures/testdata/pdf"

type truth struct {
	Encryption    string `json:"encryption"`
	OwnerPassword string `json:"owner_password"`
	UserPassword  string `json:"user_password"`
	Pages         []struct {
		Runs []struct {
			Text   string `json:"text"`
			InCrop string `json:"in_crop"`
		} `json:"runs"`
	} `json:"pages"`
}

func readFixture(t testing.TB, name string) ([]byte, truth) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(fixtureDir, name))
	if err != nil {
		t.Fatal(err)
	}
	var tr truth
	if tj, err := os.ReadFile(filepath.Join(fixtureDir, strings.TrimSuffix(name, ".pdf")+".truth.json")); err == nil {
		if err := json.Unmarshal(tj, &tr); err != nil {
			t.Fatal(err)
		}
	}
	return b, tr
}

// open reads b with ledongthuc/pdf (no password) and returns the page count
// and page 1's decoded content stream, recovering its panics.
func open(b []byte) (n int, content []byte, err error) {
	defer func() {
		if x := recover(); x != nil {
			err = fmt.Errorf("panic: %v", x)
		}
	}()
	r, err := pdf.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return 0, nil, err
	}
	n = r.NumPage()
	rc := r.Page(1).V.Key("Contents").Reader()
	defer rc.Close()
	content, err = io.ReadAll(rc)
	return n, content, err
}

// pageText is ledongthuc's text of page 1 without white space.
func pageText(b []byte) (s string, err error) {
	defer func() {
		if x := recover(); x != nil {
			err = fmt.Errorf("panic: %v", x)
		}
	}()
	r, err := pdf.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return "", err
	}
	var sb strings.Builder
	for _, t := range r.Page(1).Content().Text {
		sb.WriteString(t.S)
	}
	return strings.Join(strings.Fields(sb.String()), ""), nil
}

func TestEncryptedFixtures(t *testing.T) {
	// twin is a fixture ledongthuc/pdf decrypts itself that draws the
	// same page with the same font: its content must equal ours. type0
	// marks fixtures whose font ledongthuc's Content() decodes, so the
	// truth texts can be checked with it (TestPdftotext covers the rest).
	tests := []struct {
		file, encryption, twin string
		type0                  bool
	}{
		{"rc4_40_owner.pdf", "RC4-40", "rc4_128_owner.pdf", false},
		{"rc4_128_owner.pdf", "RC4-128", "rc4_128_owner.pdf", false},
		{"rc4_v4_owner.pdf", "RC4-128 (V4 /V2)", "aes128_owner.pdf", true},
		{"aes128_owner.pdf", "AES-128", "aes128_owner.pdf", true},
		{"aes256_owner.pdf", "AES-256", "aes128_owner.pdf", true},
		{"user_password.pdf", "AES-128", "aes128_owner.pdf", true},
		{"aes256_user.pdf", "AES-256", "rc4_128_owner.pdf", false},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			b, tr := readFixture(t, tc.file)
			if tr.Encryption != tc.encryption {
				t.Fatalf("truth says %q, want %q", tr.Encryption, tc.encryption)
			}
			if !Encrypted(b) {
				t.Errorf("Encrypted = false")
			}
			if tr.UserPassword != "" {
				for _, pw := range []string{"", "wrong"} {
					if _, err := Decrypt(b, pw); !errors.Is(err, ErrNeedPassword) {
						t.Errorf("Decrypt(%q): err %v, want ErrNeedPassword", pw, err)
					}
				}
			}
			for _, pw := range []string{tr.UserPassword, tr.OwnerPassword} {
				out, err := Decrypt(b, pw)
				if err != nil {
					t.Fatalf("Decrypt(%q): %v", pw, err)
				}
				if bytes.Contains(out, []byte("/Encrypt")) {
					t.Errorf("output still has /Encrypt")
				}
				n, content, err := open(out)
				if err != nil {
					t.Fatalf("ledongthuc on the output: %v", err)
				}
				if n != len(tr.Pages) {
					t.Errorf("NumPage = %d, want %d", n, len(tr.Pages))
				}
				if !bytes.Contains(content, []byte("BT")) || !bytes.Contains(content, []byte("Tj")) {
					t.Errorf("page 1 content has no text operators: %q", content[:min(len(content), 80)])
				}
				twin, _ := readFixture(t, tc.twin)
				_, want, err := open(twin)
				if err != nil {
					t.Fatalf("ledongthuc on %s: %v", tc.twin, err)
				}
				if !bytes.Equal(content, want) {
					t.Errorf("content differs from ledongthuc's decryption of %s:\n%s\n%s", tc.twin, content, want)
				}
				if !tc.type0 {
					continue
				}
				text, err := pageText(out)
				if err != nil {
					t.Fatalf("page text: %v", err)
				}
				for _, r := range tr.Pages[0].Runs {
					if w := strings.Join(strings.Fields(r.Text), ""); !strings.Contains(text, w) {
						t.Errorf("page 1 text lacks %q: %q", w, text)
					}
				}
			}
		})
	}
}

// TestPdftotext checks the decrypted files with poppler when installed.
func TestPdftotext(t *testing.T) {
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext not on PATH")
	}
	for _, name := range []string{"rc4_40_owner.pdf", "rc4_128_owner.pdf", "rc4_v4_owner.pdf", "aes128_owner.pdf",
		"aes256_owner.pdf", "user_password.pdf", "aes256_user.pdf"} {
		b, tr := readFixture(t, name)
		out, err := Decrypt(b, tr.UserPassword)
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(t.TempDir(), name)
		if err := os.WriteFile(p, out, 0o644); err != nil {
			t.Fatal(err)
		}
		txt, err := exec.Command("pdftotext", "-q", "-enc", "UTF-8", p, "-").Output()
		if err != nil {
			t.Fatalf("%s: pdftotext: %v", name, err)
		}
		got := strings.Join(strings.Fields(string(txt)), "")
		for _, r := range tr.Pages[0].Runs {
			if w := strings.Join(strings.Fields(r.Text), ""); !strings.Contains(got, w) {
				t.Errorf("%s: pdftotext lacks %q: %q", name, w, got)
			}
		}
	}
}

func TestUnencryptedUnchanged(t *testing.T) {
	b, _ := readFixture(t, "form_xobject.pdf")
	out, err := Decrypt(b, "")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(out, b) {
		t.Errorf("an unencrypted file was rewritten")
	}
}

// TestQpdfCheck runs qpdf --check on the outputs when qpdf is installed.
func TestQpdfCheck(t *testing.T) {
	if _, err := exec.LookPath("qpdf"); err != nil {
		t.Skip("qpdf not on PATH")
	}
	inputs := map[string][]byte{
		"synthetic.pdf":        synthFile(t, false),
		"synthetic_broken.pdf": synthFile(t, true),
	}
	pw := map[string]string{}
	for _, name := range []string{"rc4_40_owner.pdf", "rc4_v4_owner.pdf", "aes256_owner.pdf", "aes256_user.pdf"} {
		b, tr := readFixture(t, name)
		inputs[name], pw[name] = b, tr.UserPassword
	}
	for name, b := range inputs {
		out, err := Decrypt(b, pw[name])
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		p := filepath.Join(t.TempDir(), name)
		if err := os.WriteFile(p, out, 0o644); err != nil {
			t.Fatal(err)
		}
		res, err := exec.Command("qpdf", "--check", p).CombinedOutput()
		if err != nil || !bytes.Contains(res, []byte("No syntax or stream encoding errors")) || bytes.Contains(res, []byte("WARNING")) {
			t.Errorf("%s: qpdf --check: %v\n%s", name, err, res)
		}
	}
}

// TestHostile feeds the hostile fixtures and truncations of every fixture:
// errors are fine, panics (caught by Decrypt's recover, so decrypt is
// called directly) are not.
func TestHostile(t *testing.T) {
	paths, _ := filepath.Glob(filepath.Join(fixtureDir, "*.pdf"))
	hostile, _ := filepath.Glob(filepath.Join(fixtureDir, "hostile", "*.pdf"))
	for _, p := range append(paths, hostile...) {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		for _, cut := range []int{len(b), len(b) / 2, len(b) * 9 / 10, 100} {
			if cut > len(b) {
				continue
			}
			func() {
				defer func() {
					if x := recover(); x != nil {
						t.Errorf("%s cut at %d: panic %v", filepath.Base(p), cut, x)
					}
				}()
				decrypt(b[:cut], "", true)
			}()
		}
	}
}

// TestQpdfEncrypted encrypts a plain fixture with qpdf (when installed) in
// every variant, with object streams and xref streams, and checks the
// decrypted pages equal the original's. It covers R5, which no fixture has.
func TestQpdfEncrypted(t *testing.T) {
	if _, err := exec.LookPath("qpdf"); err != nil {
		t.Skip("qpdf not on PATH")
	}
	const plainName = "type0_identityh_tounicode.pdf"
	plain, _ := readFixture(t, plainName)
	wantN, want, err := open(plain)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, user string
		args       []string
	}{
		{"rc4-40", "", []string{"40"}},
		{"rc4-128", "", []string{"128", "--use-aes=n"}},
		{"rc4-128-v4", "", []string{"128", "--use-aes=n", "--force-V4"}},
		{"aes-128", "", []string{"128", "--use-aes=y"}},
		{"aes-128-cleartext-metadata", "", []string{"128", "--use-aes=y", "--cleartext-metadata"}},
		{"aes-256-r5", "", []string{"256", "--force-R5"}},
		{"aes-256-r6", "", []string{"256"}},
		{"aes-256-r6-user", "u-pw", []string{"256"}},
		{"rc4-40-user", "u-pw", []string{"40"}},
	}
	dir := t.TempDir()
	in := filepath.Join(dir, plainName)
	if err := os.WriteFile(in, plain, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			enc := filepath.Join(dir, tc.name+".pdf")
			args := append([]string{"--object-streams=generate", "--allow-weak-crypto", "--encrypt", tc.user, "o-pw"}, tc.args...)
			args = append(args, "--", in, enc)
			if res, err := exec.Command("qpdf", args...).CombinedOutput(); err != nil {
				t.Fatalf("qpdf: %v\n%s", err, res)
			}
			b, err := os.ReadFile(enc)
			if err != nil {
				t.Fatal(err)
			}
			if tc.user != "" {
				if _, err := Decrypt(b, ""); !errors.Is(err, ErrNeedPassword) {
					t.Errorf("no password: err %v", err)
				}
			}
			for _, pw := range []string{tc.user, "o-pw"} {
				out, err := Decrypt(b, pw)
				if err != nil {
					t.Fatalf("Decrypt(%q): %v", pw, err)
				}
				n, got, err := open(out)
				if err != nil || n != wantN || !bytes.Equal(got, want) {
					t.Errorf("Decrypt(%q): %d pages (want %d), err %v, content equal %v", pw, n, wantN, err, bytes.Equal(got, want))
				}
			}
		})
	}
}

func BenchmarkDecrypt(b *testing.B) {
	for _, name := range []string{"rc4_40_owner.pdf", "aes128_owner.pdf", "aes256_owner.pdf"} {
		data, _ := readFixture(b, name)
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				if _, err := Decrypt(data, ""); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// TestRewriteHostile: Rewrite repairs files ledongthuc/pdf cannot open.
func TestRewriteHostile(t *testing.T) {
	for _, name := range []string{"hostile/broken_xref.pdf", "hostile/huge_size_xrefstream.pdf", "hostile/truncated.pdf", "hostile/huge_size.pdf"} {
		b, err := os.ReadFile(filepath.Join(fixtureDir, name))
		if err != nil {
			t.Fatal(err)
		}
		out, err := Rewrite(b, "")
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		n, content, err := open(out)
		if err != nil || n != 1 || !bytes.Contains(content, []byte("Tj")) {
			t.Errorf("%s: ledongthuc on the rewrite: %d pages, err %v, content %q", name, n, err, content)
		}
	}
}
