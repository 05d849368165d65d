package decrypt

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzDecrypt: no panic on any input (decrypt is called without Decrypt's
// recover), and a successful output reads back as an unencrypted file.
func FuzzDecrypt(f *testing.F) {
	paths, _ := filepath.Glob(filepath.Join(fixtureDir, "*.pdf"))
	hostile, _ := filepath.Glob(filepath.Join(fixtureDir, "hostile", "*.pdf"))
	for _, p := range append(paths, hostile...) {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	f.Add(synthFile(f, false))
	f.Add(synthFile(f, true))
	f.Fuzz(func(t *testing.T, data []byte) {
		out, err := decrypt(data, "user123", true)
		if err != nil {
			return
		}
		if _, err := decrypt(out, "", false); err != nil {
			t.Fatalf("output does not read back: %v", err)
		}
	})
}
