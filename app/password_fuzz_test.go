package app

import (
	"strings"
	"testing"
)

// FuzzParsePHC: the PHC parser accepts exactly the strings HashPassword
// writes: what it accepts is within the bounds and prints back unchanged,
// and every hash HashPassword makes parses.
func FuzzParsePHC(f *testing.F) {
	for _, pw := range []string{"", "Demo-2026!", "团员密码"} {
		h, err := HashPassword(pw)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(h)
	}
	f.Add("$argon2id$v=19$m=19456,t=4,p=1$c2FsdHNhbHRzYWx0$a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5")
	f.Add("$argon2id$v=19$m=019456,t=4,p=1junk$c2FsdHNhbHQ$a2V5")
	f.Add("$argon2i$v=19$m=1,t=1,p=1$$")
	f.Add("$argon2id$v=19$m=4294967295,t=4294967295,p=255$AA$AA")
	f.Fuzz(func(t *testing.T, phc string) {
		h, ok := parsePHC(phc)
		if !ok {
			return
		}
		if h.m == 0 || h.m > 256*1024 || h.t == 0 || h.t > 64 || h.p == 0 {
			t.Fatalf("%q parsed with parameters out of bounds: m=%d t=%d p=%d", phc, h.m, h.t, h.p)
		}
		if len(h.salt) < 8 || len(h.key) < 16 || len(h.key) > 128 {
			t.Fatalf("%q parsed with salt %d bytes, key %d bytes", phc, len(h.salt), len(h.key))
		}
		if got := h.String(); got != phc {
			t.Fatalf("%q parsed and printed back as %q", phc, got)
		}
		if strings.ContainsAny(phc, " \n") {
			t.Fatalf("%q accepted with a space or newline", phc)
		}
	})
}

// A hash with junk after its parameters, a leading zero or another version
// is not a hash HashPassword wrote: it is refused even with the right
// password (the old parser read it with Sscanf and accepted it).
func TestVerifyPassword_NonCanonicalPHC(t *testing.T) {
	h, err := HashPassword("Tuanwu#2025")
	if err != nil {
		t.Fatal(err)
	}
	if !VerifyPassword(h, "Tuanwu#2025") {
		t.Fatal("the hash does not verify")
	}
	for _, bad := range []string{
		strings.Replace(h, "p=1$", "p=1junk$", 1),
		strings.Replace(h, "m=19456", "m=019456", 1),
		strings.Replace(h, "t=4", "t= 4", 1),
		strings.Replace(h, "v=19", "v=16", 1),
	} {
		if VerifyPassword(bad, "Tuanwu#2025") {
			t.Errorf("VerifyPassword(%q) = true, want false", bad)
		}
	}
}
