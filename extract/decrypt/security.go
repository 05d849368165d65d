package decrypt

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/md5"
	"crypto/rc4"
	"crypto/sha256"
	"crypto/sha512"
	"fmt"
)

// method is how one class of data (strings, streams, embedded files) is
// encrypted.
type method int

const (
	mNone method = iota
	mRC4
	mAESV2 // AES-128, per-object key
	mAESV3 // AES-256, file key
)

// handler is an authenticated standard security handler.
type handler struct {
	v, r            int
	key             []byte
	str, stm, eff   method
	cf              map[pdfName]method
	encryptMetadata bool
	// owner reports the password was accepted as the owner password.
	owner bool
}

// passwordPad is the padding string of ISO 32000-1 §7.6.3.3.
var passwordPad = []byte{
	0x28, 0xBF, 0x4E, 0x5E, 0x4E, 0x75, 0x8A, 0x41, 0x64, 0x00, 0x4E, 0x56, 0xFF, 0xFA, 0x01, 0x08,
	0x2E, 0x2E, 0x00, 0xB6, 0xD0, 0x68, 0x3E, 0x80, 0x2F, 0x0C, 0xA9, 0xFE, 0x64, 0x53, 0x69, 0x7A,
}

// pad32 is the password in PDFDocEncoding (Latin-1 when every rune fits,
// else the UTF-8 bytes) padded or cut to 32 bytes (algorithm 2 step a).
func pad32(pw string) []byte {
	var b []byte
	latin := true
	for _, r := range pw {
		latin = latin && r < 256
	}
	if latin {
		for _, r := range pw {
			b = append(b, byte(r))
		}
	} else {
		b = []byte(pw)
	}
	b = b[:min(len(b), 32)]
	return append(b, passwordPad[:32-len(b)]...)
}

// bytesOf reads a string entry of the encryption dictionary.
func bytesOf(d *dict, k pdfName) []byte {
	s, _ := d.get(k).(pdfStr)
	return []byte(s)
}

// newHandler reads the encryption dictionary and authenticates: the empty
// user password first, then password as user and as owner password.
func newHandler(enc *dict, id0 []byte, password string) (h *handler, err error) {
	if f := enc.name("Filter"); f != "Standard" {
		return nil, fmt.Errorf("%w: security handler /%s (only the standard password handler is supported)", ErrUnsupported, f)
	}
	v, _ := integer(enc.get("V"))
	r, _ := integer(enc.get("R"))
	h = &handler{v: v, r: r, encryptMetadata: true, cf: map[pdfName]method{"Identity": mNone}}
	if b, ok := enc.get("EncryptMetadata").(keyword); ok && b == "false" {
		h.encryptMetadata = false
	}
	n := 5 // key length in bytes
	switch v {
	case 1:
	case 2:
		if l, ok := integer(enc.get("Length")); ok {
			n = l / 8
		}
		h.str, h.stm, h.eff = mRC4, mRC4, mRC4
	case 4, 5:
		n = 16
		cfd, _ := enc.get("CF").(*dict)
		if cfd != nil {
			for i, k := range cfd.keys {
				if k == "Identity" {
					continue // Identity always means no encryption
				}
				c, _ := cfd.vals[i].(*dict)
				m, err := cfMethod(c, v)
				if err != nil {
					return nil, fmt.Errorf("crypt filter /%s: %w", k, err)
				}
				h.cf[k] = m
			}
		}
		pick := func(k pdfName, def method) (method, error) {
			nm, ok := enc.get(k).(pdfName)
			if !ok {
				return def, nil
			}
			m, ok := h.cf[nm]
			if !ok {
				return 0, fmt.Errorf("%w: /%s names the undefined crypt filter /%s", ErrUnsupported, k, nm)
			}
			return m, nil
		}
		if h.str, err = pick("StrF", mNone); err != nil {
			return nil, err
		}
		if h.stm, err = pick("StmF", mNone); err != nil {
			return nil, err
		}
		if h.eff, err = pick("EFF", h.stm); err != nil {
			return nil, err
		}
	default:
		return nil, fmt.Errorf("%w: encryption algorithm /V %d", ErrUnsupported, v)
	}
	if v == 1 {
		h.str, h.stm, h.eff = mRC4, mRC4, mRC4
	}
	if n < 5 || n > 16 {
		return nil, fmt.Errorf("%w: key length %d bits", ErrUnsupported, n*8)
	}
	o, u := bytesOf(enc, "O"), bytesOf(enc, "U")
	var tries []func() bool
	switch {
	case v == 5 && (r == 5 || r == 6):
		if len(o) < 48 || len(u) < 48 {
			return nil, fmt.Errorf("%w: /O or /U shorter than 48 bytes", ErrMalformed)
		}
		oe, ue := bytesOf(enc, "OE"), bytesOf(enc, "UE")
		var malformed error
		try := func(pw string, owner bool) func() bool {
			return func() bool {
				k, ok := authV5(r, []byte(pw), o[:48], u[:48], oe, ue, owner)
				if ok && k == nil {
					// The password is right but the file key cannot be
					// unwrapped: the dictionary is broken, not locked.
					which := "/UE"
					if owner {
						which = "/OE"
					}
					malformed = fmt.Errorf("%w: the password is accepted but %s is missing or shorter than 32 bytes", ErrMalformed, which)
				}
				h.key, h.owner = k, owner
				return k != nil
			}
		}
		tries = []func() bool{try("", false), try(password, false), try(password, true), try("", true)}
		defer func() {
			if err != nil && malformed != nil {
				h, err = nil, malformed
			}
		}()
	case v < 5 && r >= 2 && r <= 4:
		if len(o) < 32 || len(u) < 16 || (r == 2 && len(u) < 32) {
			return nil, fmt.Errorf("%w: /O or /U too short", ErrMalformed)
		}
		if r == 2 {
			n = 5
		}
		p, _ := integer(enc.get("P"))
		s := std{r: r, n: n, o: o[:32], u: u, p: uint32(int32(p)), id0: id0, meta: h.encryptMetadata || r < 4}
		try := func(pw string, owner bool) func() bool {
			return func() bool {
				pad := pad32(pw)
				if owner {
					pad = s.userFromOwner(pad)
				}
				k := s.key(pad)
				h.key, h.owner = k, owner
				return s.checkUser(k)
			}
		}
		tries = []func() bool{try("", false), try(password, false), try(password, true), try("", true)}
	default:
		return nil, fmt.Errorf("%w: standard handler revision /R %d with /V %d", ErrUnsupported, r, v)
	}
	for _, t := range tries {
		if t() {
			return h, nil
		}
	}
	if password == "" {
		return nil, fmt.Errorf("%w: the empty user password is not accepted", ErrNeedPassword)
	}
	return nil, fmt.Errorf("%w: the supplied password is neither the user nor the owner password", ErrNeedPassword)
}

func cfMethod(c *dict, v int) (method, error) {
	switch m := c.name("CFM"); m {
	case "None", "":
		return mNone, nil
	case "V2":
		return mRC4, nil
	case "AESV2":
		return mAESV2, nil
	case "AESV3":
		if v != 5 {
			return 0, fmt.Errorf("%w: /AESV3 needs /V 5", ErrUnsupported)
		}
		return mAESV3, nil
	default:
		return 0, fmt.Errorf("%w: crypt filter method /%s", ErrUnsupported, m)
	}
}

// std holds the inputs of algorithms 2 to 7 (R 2 to 4).
type std struct {
	r, n int
	o, u []byte
	p    uint32
	id0  []byte
	meta bool
}

// key is algorithm 2: the file key from a padded user password.
func (s std) key(pad []byte) []byte {
	m := md5.New()
	m.Write(pad)
	m.Write(s.o)
	m.Write([]byte{byte(s.p), byte(s.p >> 8), byte(s.p >> 16), byte(s.p >> 24)})
	m.Write(s.id0)
	if s.r >= 4 && !s.meta {
		m.Write([]byte{0xff, 0xff, 0xff, 0xff})
	}
	k := m.Sum(nil)
	if s.r >= 3 {
		for range 50 {
			sum := md5.Sum(k[:s.n])
			k = sum[:]
		}
	}
	return k[:s.n]
}

// checkUser is algorithms 4 and 5 (compare with /U).
func (s std) checkUser(key []byte) bool {
	if s.r == 2 {
		u := append([]byte(nil), passwordPad...)
		rc4xor(key, u)
		return bytes.Equal(u, s.u[:32])
	}
	m := md5.New()
	m.Write(passwordPad)
	m.Write(s.id0)
	u := m.Sum(nil)
	for i := 0; i <= 19; i++ {
		rc4xor(xorKey(key, byte(i)), u)
	}
	return bytes.Equal(u, s.u[:16])
}

// userFromOwner is algorithm 7: the padded user password recovered from
// /O with the padded owner password.
func (s std) userFromOwner(ownerPad []byte) []byte {
	sum := md5.Sum(ownerPad)
	k := sum[:]
	if s.r >= 3 {
		for range 50 {
			sum := md5.Sum(k[:s.n])
			k = sum[:]
		}
	}
	k = k[:s.n]
	out := append([]byte(nil), s.o...)
	if s.r == 2 {
		rc4xor(k, out)
		return out
	}
	for i := 19; i >= 0; i-- {
		rc4xor(xorKey(k, byte(i)), out)
	}
	return out
}

func xorKey(k []byte, x byte) []byte {
	out := make([]byte, len(k))
	for i := range k {
		out[i] = k[i] ^ x
	}
	return out
}

func rc4xor(key, data []byte) {
	c, err := rc4.NewCipher(key)
	if err != nil {
		return // key length is checked by the callers (5 to 16 bytes)
	}
	c.XORKeyStream(data, data)
}

// authV5 is algorithms 2.A, 11 and 12 (R5 and R6): the file key, or nil
// when pw is not the user (or owner) password. ok reports that pw is the
// password, even when the key cannot be unwrapped (a short /UE or /OE).
func authV5(r int, pw, o, u, oe, ue []byte, owner bool) (key []byte, ok bool) {
	pw = pw[:min(len(pw), 127)] // SASLprep is not applied: ASCII passwords are unaffected
	hash := func(salt, udata []byte) []byte {
		if r == 5 {
			s := sha256.Sum256(append(append(append([]byte(nil), pw...), salt...), udata...))
			return s[:]
		}
		return hash2B(pw, salt, udata)
	}
	var keySalt, udata, enc []byte
	if owner {
		keySalt, udata, enc = o[40:48], u, oe
		if !bytes.Equal(hash(o[32:40], u), o[:32]) {
			return nil, false
		}
	} else {
		keySalt, enc = u[40:48], ue
		if !bytes.Equal(hash(u[32:40], nil), u[:32]) {
			return nil, false
		}
	}
	if len(enc) < 32 {
		return nil, true
	}
	blk, err := aes.NewCipher(hash(keySalt, udata))
	if err != nil {
		return nil, true
	}
	key = make([]byte, 32)
	cipher.NewCBCDecrypter(blk, make([]byte, 16)).CryptBlocks(key, enc[:32])
	return key, true
}

// hash2B is algorithm 2.B of ISO 32000-2 (R6); udata is /U (48 bytes)
// for an owner password, else nil.
func hash2B(pw, salt, udata []byte) []byte {
	h := sha256.New()
	h.Write(pw)
	h.Write(salt)
	h.Write(udata)
	k := h.Sum(nil)
	k1 := make([]byte, 0, 64*(len(pw)+64+len(udata)))
	for i := 0; ; i++ {
		k1 = k1[:0]
		for range 64 {
			k1 = append(append(append(k1, pw...), k...), udata...)
		}
		blk, _ := aes.NewCipher(k[:16])
		e := make([]byte, len(k1))
		cipher.NewCBCEncrypter(blk, k[16:32]).CryptBlocks(e, k1)
		sum := 0
		for _, b := range e[:16] {
			sum += int(b)
		}
		switch sum % 3 {
		case 0:
			s := sha256.Sum256(e)
			k = s[:]
		case 1:
			s := sha512.Sum384(e)
			k = s[:]
		default:
			s := sha512.Sum512(e)
			k = s[:]
		}
		// At least 64 rounds; then stop once the last byte of E is at
		// most the round number minus 32 (always by round 288).
		if i >= 63 && int(e[len(e)-1]) <= i+1-32 {
			break
		}
	}
	return k[:32]
}

// objKey is algorithm 1: the key for object num gen.
func (h *handler) objKey(m method, num, gen int) []byte {
	if m == mAESV3 {
		return h.key
	}
	md := md5.New()
	md.Write(h.key)
	md.Write([]byte{byte(num), byte(num >> 8), byte(num >> 16), byte(gen), byte(gen >> 8)})
	if m == mAESV2 {
		md.Write([]byte("sAlT"))
	}
	return md.Sum(nil)[:min(len(h.key)+5, 16)]
}

// crypt decrypts data of object num gen with method m. Malformed AES data
// is decrypted as far as it goes rather than failing the document.
func (h *handler) crypt(m method, num, gen int, data []byte) []byte {
	switch m {
	case mRC4:
		out := append([]byte(nil), data...)
		rc4xor(h.objKey(m, num, gen), out)
		return out
	case mAESV2, mAESV3:
		if len(data) < 16 {
			return nil
		}
		k := h.objKey(m, num, gen)
		blk, err := aes.NewCipher(k)
		if err != nil {
			return nil
		}
		body := data[16:]
		body = body[:len(body)/16*16]
		out := make([]byte, len(body))
		cipher.NewCBCDecrypter(blk, data[:16]).CryptBlocks(out, body)
		if len(out) > 0 {
			if p := int(out[len(out)-1]); p >= 1 && p <= 16 && p <= len(out) &&
				bytes.Count(out[len(out)-p:], out[len(out)-1:]) == p {
				out = out[:len(out)-p]
			}
		}
		return out
	}
	return data
}
