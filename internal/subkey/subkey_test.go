package subkey_test

import (
	"testing"

	"github.com/jodo-org/jodo/internal/subkey"
)

func TestSealOpen(t *testing.T) {
	secret := []byte("0123456789abcdef0123456789abcdef")
	s := subkey.NewSealer(subkey.Derive(secret, "group code"))
	sealed := s.Seal("AbCdEf0123456789xyzW", "drive:1")
	if got, err := s.Open(sealed, "drive:1"); err != nil || got != "AbCdEf0123456789xyzW" {
		t.Fatalf("open: %q, %v", got, err)
	}
	if _, err := s.Open(sealed, "drive:2"); err == nil {
		t.Fatal("opened under another context")
	}
	other := subkey.NewSealer(subkey.Derive(secret, "another purpose"))
	if _, err := other.Open(sealed, "drive:1"); err == nil {
		t.Fatal("opened under another purpose's key")
	}
	if _, err := s.Open(sealed[:len(sealed)-2]+"AA", "drive:1"); err == nil {
		t.Fatal("a changed text opened")
	}
	if subkey.Hash(subkey.Derive(secret, "a"), "x") == subkey.Hash(subkey.Derive(secret, "b"), "x") {
		t.Fatal("two purposes' hashes of one text are equal")
	}
}

func FuzzOpen(f *testing.F) {
	s := subkey.NewSealer(subkey.Derive([]byte("k"), "fuzz"))
	f.Add(s.Seal("code", "c"))
	f.Add("v1.")
	f.Add("v1.AAAA")
	f.Fuzz(func(t *testing.T, sealed string) {
		if plain, err := s.Open(sealed, "c"); err == nil && s.Seal(plain, "c") == sealed {
			t.Fatal("a nonce repeated") // Seal draws a fresh nonce each time
		}
	})
}
