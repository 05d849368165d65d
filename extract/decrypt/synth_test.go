package decrypt

import (
	"bytes"
	"compress/zlib"
	"crypto/md5"
	"errors"
	"fmt"
	"testing"
)

func flateBytes(b []byte) []byte {
	var buf bytes.Buffer
	zw := zlib.NewWriter(&buf)
	zw.Write(b)
	zw.Close()
	return buf.Bytes()
}

// userEntry is algorithm 5 (R3/R4 /U) for a file key.
func userEntry(key, id0 []byte) []byte {
	m := md5.New()
	m.Write(passwordPad)
	m.Write(id0)
	u := m.Sum(nil)
	for i := 0; i <= 19; i++ {
		rc4xor(xorKey(key, byte(i)), u)
	}
	return append(u, make([]byte, 16)...)
}

const synthContent = "BT /F1 12 Tf 20 100 Td (108.22) Tj ET"

// synthFile is a V4 RC4 file with /EncryptMetadata false, an object
// stream, a predicted xref stream, an indirect /Length, and streams with
// /Crypt filters (Identity and StdCF). RC4 is symmetric, so the handler's
// own crypt encrypts. breakXref points startxref at garbage.
func synthFile(t testing.TB, breakXref bool) []byte {
	t.Helper()
	b, _ := readFixture(t, "rc4_v4_owner.pdf")
	f := newFile(b)
	if err := f.load(); err != nil {
		t.Fatal(err)
	}
	encRef := f.trailer.get("Encrypt").(ref)
	ev, err := f.resolve(encRef.num, 0)
	if err != nil {
		t.Fatal(err)
	}
	o := bytesOf(ev.(*dict), "O")
	id0 := []byte("synthetic id 16b")
	s := std{r: 4, n: 16, o: o[:32], p: uint32(0xFFFFFAC4), id0: id0, meta: false}
	key := s.key(pad32(""))
	h := &handler{key: key}
	enc := func(num int, data []byte) []byte { return h.crypt(mRC4, num, 0, data) }

	var out bytes.Buffer
	out.WriteString("%PDF-1.6\n%\xe2\xe3\xcf\xd3\n")
	offs := map[int]int{}
	obj := func(num int, body string) {
		offs[num] = out.Len()
		fmt.Fprintf(&out, "%d 0 obj\n%s\nendobj\n", num, body)
	}
	stream := func(num int, dict string, data []byte) {
		offs[num] = out.Len()
		fmt.Fprintf(&out, "%d 0 obj\n<<%s>>\nstream\n", num, dict)
		out.Write(data)
		out.WriteString("\nendstream\nendobj\n")
	}
	// Object stream 10 with objects 1, 2, 3, 5; its strings are plain.
	inner := []string{
		"<< /Type /Catalog /Pages 2 0 R /Metadata 6 0 R /Lang (zh-CN) >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
	}
	var hdr, body bytes.Buffer
	for i, n := range []int{1, 2, 3, 5} {
		fmt.Fprintf(&hdr, "%d %d ", n, body.Len())
		body.WriteString(inner[i] + "\n")
	}
	stm := enc(10, flateBytes(append(hdr.Bytes(), body.Bytes()...)))
	stream(10, fmt.Sprintf(" /Type /ObjStm /N 4 /First %d /Filter /FlateDecode /Length %d", hdr.Len(), len(stm)), stm)
	content := enc(4, flateBytes([]byte(synthContent)))
	stream(4, " /Filter /FlateDecode /Length 7 0 R", content)
	obj(7, fmt.Sprint(len(content)))
	stream(6, " /Type /Metadata /Subtype /XML /Length 17", []byte("<x:xmpmeta>plain<"))
	obj(8, fmt.Sprintf("<< /Title <%X> >>", enc(8, []byte("Budget 2026"))))
	stream(9, " /Filter /Crypt /DecodeParms << /Name /Identity >> /Length 13", []byte("identity data"))
	c13 := enc(13, flateBytes([]byte("explicit StdCF")))
	stream(13, fmt.Sprintf(" /Filter [/Crypt /FlateDecode] /DecodeParms [<< /Name /StdCF >> null] /Length %d", len(c13)), c13)
	obj(11, fmt.Sprintf("<< /Filter /Standard /V 4 /R 4 /Length 128 /CF << /StdCF << /CFM /V2 /Length 16 /AuthEvent /DocOpen >> >> "+
		"/StmF /StdCF /StrF /StdCF /EncryptMetadata false /O <%X> /U <%X> /P -1340 >>", o[:32], userEntry(key, id0)))
	// Xref stream 12: /W [1 2 1], PNG Up predictor.
	xrefOff := out.Len()
	offs[12] = xrefOff
	var rows []byte
	prev := make([]byte, 4)
	for n := 0; n <= 13; n++ {
		var row []byte
		switch n {
		case 0:
			row = []byte{0, 0, 0, 255}
		case 1, 2, 3, 5:
			idx := map[int]byte{1: 0, 2: 1, 3: 2, 5: 3}[n]
			row = []byte{2, 0, 10, idx}
		default:
			row = []byte{1, byte(offs[n] >> 8), byte(offs[n]), 0}
		}
		rows = append(rows, 2)
		for i := range row {
			rows = append(rows, row[i]-prev[i])
		}
		prev = row
	}
	xs := flateBytes(rows)
	fmt.Fprintf(&out, "12 0 obj\n<< /Type /XRef /Size 14 /W [1 2 1] /Root 1 0 R /Info 8 0 R /Encrypt 11 0 R /ID [<%X> <%X>] "+
		"/Filter /FlateDecode /DecodeParms << /Predictor 12 /Columns 4 >> /Length %d >>\nstream\n", id0, id0, len(xs))
	out.Write(xs)
	start := xrefOff
	if breakXref {
		start = 5
	}
	fmt.Fprintf(&out, "\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n", start)
	return out.Bytes()
}

func TestSynthetic(t *testing.T) {
	for _, broken := range []bool{false, true} {
		t.Run(fmt.Sprintf("brokenXref=%v", broken), func(t *testing.T) {
			out, err := Decrypt(synthFile(t, broken), "")
			if err != nil {
				t.Fatal(err)
			}
			n, content, err := open(out)
			if err != nil || n != 1 {
				t.Fatalf("ledongthuc: %d pages, %v", n, err)
			}
			if string(content) != synthContent {
				t.Errorf("content = %q", content)
			}
			g := newFile(out)
			if err := g.load(); err != nil {
				t.Fatal(err)
			}
			if g.trailer.get("Encrypt") != nil {
				t.Error("trailer keeps /Encrypt")
			}
			str := func(num int, key pdfName) string {
				v, err := g.resolve(num, 0)
				if err != nil {
					t.Fatalf("object %d: %v", num, err)
				}
				s, _ := v.(*dict).get(key).(pdfStr)
				return string(s)
			}
			if got := str(1, "Lang"); got != "zh-CN" {
				t.Errorf("object-stream string = %q, want it untouched", got)
			}
			if got := str(8, "Title"); got != "Budget 2026" {
				t.Errorf("Info /Title = %q", got)
			}
			raw := func(num int) (*dict, string) {
				o, err := g.object(num, 0)
				if err != nil {
					t.Fatalf("object %d: %v", num, err)
				}
				return o.v.(*dict), string(o.raw)
			}
			if _, s := raw(6); s != "<x:xmpmeta>plain<" {
				t.Errorf("metadata (EncryptMetadata false) = %q", s)
			}
			if d, s := raw(9); s != "identity data" || d.get("Filter") != nil || d.get("DecodeParms") != nil {
				t.Errorf("Identity crypt stream = %q, dict %v", s, d.keys)
			}
			d, s := raw(13)
			if dec, err := g.decode(d, []byte(s)); err != nil || string(dec) != "explicit StdCF" {
				t.Errorf("StdCF crypt stream = %q, %v (dict %v %v)", dec, err, d.keys, d.vals)
			}
			for _, k := range []int{10, 11, 12} {
				if _, ok := g.xref[k]; ok && g.xref[k].kind != 0 {
					t.Errorf("object %d (object stream, Encrypt or xref stream) was copied", k)
				}
			}
		})
	}
}

// TestOwnerPassword checks algorithm 7 on each revision: the owner
// password recovers the (empty) user password.
func TestOwnerPassword(t *testing.T) {
	for _, name := range []string{"rc4_40_owner.pdf", "rc4_128_owner.pdf", "rc4_v4_owner.pdf", "aes128_owner.pdf", "aes256_owner.pdf"} {
		b, tr := readFixture(t, name)
		f := newFile(b)
		if err := f.load(); err != nil {
			t.Fatal(err)
		}
		ev, err := f.resolve(f.trailer.get("Encrypt").(ref).num, 0)
		if err != nil {
			t.Fatal(err)
		}
		enc := ev.(*dict)
		id0 := []byte(f.trailer.get("ID").(array)[0].(pdfStr))
		h, err := newHandler(enc, id0, "")
		if err != nil || h.owner {
			t.Fatalf("%s: empty user password: owner=%v err %v", name, h != nil && h.owner, err)
		}
		// Drop the empty-password tries by checking the owner path alone.
		v, _ := integer(enc.get("V"))
		r, _ := integer(enc.get("R"))
		if v == 5 {
			o, u := bytesOf(enc, "O"), bytesOf(enc, "U")
			k, _ := authV5(r, []byte(tr.OwnerPassword), o[:48], u[:48], bytesOf(enc, "OE"), bytesOf(enc, "UE"), true)
			if !bytes.Equal(k, h.key) {
				t.Errorf("%s: owner password gives key %x, want %x", name, k, h.key)
			}
			continue
		}
		n := len(h.key)
		p, _ := integer(enc.get("P"))
		s := std{r: r, n: n, o: bytesOf(enc, "O")[:32], u: bytesOf(enc, "U"), p: uint32(int32(p)), id0: id0, meta: true}
		if got := s.userFromOwner(pad32(tr.OwnerPassword)); !bytes.Equal(got, pad32("")) {
			t.Errorf("%s: owner password recovers %x, want the padding", name, got)
		}
		if s.checkUser(s.key(pad32("not it"))) {
			t.Errorf("%s: a wrong password passed", name)
		}
	}
}

func TestErrors(t *testing.T) {
	b, _ := readFixture(t, "rc4_128_owner.pdf")
	tests := []struct {
		name     string
		from, to string
		want     error
	}{
		{"public key", "/Filter /Standard", "/Filter /Adobe.PubSec", ErrUnsupported},
		{"unknown V", "/V 2 /R 3", "/V 3 /R 3", ErrUnsupported},
		{"unknown R", "/V 2 /R 3", "/V 2 /R 7", ErrUnsupported},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			// Same length replacements keep the xref offsets valid.
			mod := bytes.Replace(b, []byte(tc.from), []byte(tc.to), 1)
			if bytes.Equal(mod, b) {
				t.Fatal("replacement did not apply")
			}
			if _, err := Decrypt(mod, ""); !errors.Is(err, tc.want) {
				t.Errorf("err %v, want %v", err, tc.want)
			}
		})
	}
	v4, _ := readFixture(t, "rc4_v4_owner.pdf")
	mod := bytes.Replace(v4, []byte("/CFM /V2"), []byte("/CFM /XY"), 1)
	if _, err := Decrypt(mod, ""); !errors.Is(err, ErrUnsupported) {
		t.Errorf("unknown CFM: err %v", err)
	}
}

// TestMalformedR6: an AES-256 dictionary the right password opens but
// whose key cannot be unwrapped is malformed, not locked; a wrong
// password on an intact user-password file still needs the password.
func TestMalformedR6(t *testing.T) {
	blank := func(b []byte, key string) []byte {
		b = bytes.Clone(b)
		i := bytes.Index(b, []byte(key+" <"))
		if i < 0 {
			t.Fatalf("no %s", key)
		}
		j := i + bytes.IndexByte(b[i:], '>')
		for k := i; k <= j; k++ {
			b[k] = ' ' // same length: offsets stay right
		}
		return b
	}
	owner, _ := readFixture(t, "aes256_owner.pdf")
	for _, key := range []string{"/UE", "/U"} {
		_, err := Decrypt(blank(owner, key), "")
		if !errors.Is(err, ErrMalformed) || errors.Is(err, ErrNeedPassword) {
			t.Errorf("owner-only file without %s: err %v, want ErrMalformed", key, err)
		}
	}
	user, _ := readFixture(t, "aes256_user.pdf")
	if _, err := Decrypt(blank(user, "/UE"), ""); !errors.Is(err, ErrNeedPassword) {
		t.Errorf("user-password file, no password: err %v, want ErrNeedPassword", err)
	}
}

// TestRenumberSparse rewrites a plain file whose font is object 4000000:
// the output is renumbered densely and references follow.
func TestRenumberSparse(t *testing.T) {
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n")
	offs := map[int]int{}
	for _, o := range []struct {
		num  int
		body string
	}{
		{1, "<< /Type /Catalog /Pages 2 0 R >>"},
		{2, "<< /Type /Pages /Kids [3 0 R] /Count 1 >>"},
		{3, "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Resources << /Font << /F1 4000000 0 R >> >> /Contents 4 0 R /Dangling 77 0 R >>"},
		{4, fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(synthContent), synthContent)},
		{4000000, "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"},
	} {
		offs[o.num] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", o.num, o.body)
	}
	xref := b.Len()
	b.WriteString("xref\n0 5\n0000000000 65535 f\r\n")
	for n := 1; n <= 4; n++ {
		fmt.Fprintf(&b, "%010d 00000 n\r\n", offs[n])
	}
	fmt.Fprintf(&b, "4000000 1\n%010d 00000 n\r\ntrailer\n<< /Size 4000001 /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", offs[4000000], xref)
	f := newFile(b.Bytes())
	if err := f.load(); err != nil {
		t.Fatal(err)
	}
	f.h = &handler{} // no encryption: exercise the rewriter alone
	out, err := f.rewrite(-1)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(out, []byte("/F1 5 0 R")) || !bytes.Contains(out, []byte("/Dangling null")) || !bytes.Contains(out, []byte("/Size 6")) {
		t.Errorf("not renumbered:\n%s", out)
	}
	if n, content, err := open(out); err != nil || n != 1 || string(content) != synthContent {
		t.Errorf("ledongthuc: %d pages, %q, %v", n, content, err)
	}
}
