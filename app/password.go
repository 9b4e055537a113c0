package app

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"strings"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"
)

// Argon2id parameters: OWASP's m=19 MiB, p=1, with t=4 (OWASP's minimum is t=2) so that a hash takes 50–100 ms on a 2-core machine.
const (
	argonMemory  = 19 * 1024
	argonTime    = 4
	argonThreads = 1
	argonKeyLen  = 32
)

// HashPassword returns an argon2id PHC string for password.
func HashPassword(password string) (string, error) {
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("hash password: salt: %w", err)
	}
	key := argon2.IDKey([]byte(password), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemory, argonTime, argonThreads,
		b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// VerifyPassword reports whether password matches the PHC string, comparing
// in constant time.
func VerifyPassword(phc, password string) bool {
	h, ok := parsePHC(phc)
	if !ok {
		return false
	}
	got := argon2.IDKey([]byte(password), h.salt, h.t, h.m, h.p, uint32(len(h.key)))
	return subtle.ConstantTimeCompare(got, h.key) == 1
}

// phcHash is a parsed argon2id PHC string.
type phcHash struct {
	m, t      uint32
	p         uint8
	salt, key []byte
}

// String is the PHC string of h, as HashPassword writes it.
func (h phcHash) String() string {
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, h.m, h.t, h.p,
		b64.EncodeToString(h.salt), b64.EncodeToString(h.key))
}

// parsePHC parses an argon2id PHC string exactly as HashPassword writes it:
// version 19, decimal parameters without signs or leading zeros, canonical
// unpadded base64, and bounds on the parameters (m ≤ 256 MiB, t ≤ 64,
// p ≥ 1, a salt of 8 to 64 bytes and a key of 16 to 128) so that a bad
// hash in the store cannot make a sign-in take minutes or gigabytes.
func parsePHC(phc string) (phcHash, bool) {
	var h phcHash
	parts := strings.Split(phc, "$")
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" || parts[2] != fmt.Sprintf("v=%d", argon2.Version) {
		return h, false
	}
	params := strings.Split(parts[3], ",")
	if len(params) != 3 {
		return h, false
	}
	var vals [3]uint64
	for i, name := range []string{"m=", "t=", "p="} {
		v, ok := strings.CutPrefix(params[i], name)
		if !ok || v == "" || len(v) > 9 || (v[0] == '0') {
			return h, false
		}
		for _, c := range v {
			if c < '0' || c > '9' {
				return h, false
			}
			vals[i] = vals[i]*10 + uint64(c-'0')
		}
	}
	if vals[0] > 256*1024 || vals[1] > 64 || vals[2] > 255 {
		return h, false
	}
	h.m, h.t, h.p = uint32(vals[0]), uint32(vals[1]), uint8(vals[2])
	b64 := base64.RawStdEncoding.Strict()
	var err error
	if h.salt, err = b64.DecodeString(parts[4]); err != nil || len(h.salt) < 8 || len(h.salt) > 64 {
		return h, false
	}
	if h.key, err = b64.DecodeString(parts[5]); err != nil || len(h.key) < 16 || len(h.key) > 128 {
		return h, false
	}
	// The decoder skips line breaks: the string must be the one h prints.
	return h, h.String() == phc
}

// InitialPassword is the initial password of an account: the last 8
// characters of its 身份证号 (R-A1).
func InitialPassword(idNo string) string {
	if len(idNo) < 8 {
		return idNo
	}
	return idNo[len(idNo)-8:]
}

// ValidateNewPassword checks a new password for an account (R-A1, R-X6).
func ValidateNewPassword(idNo, password string) error {
	switch {
	case utf8.RuneCountInString(password) < 8:
		return Errorf(EInvalid, "新密码至少要 8 个字符，请换一个更长的密码。")
	case utf8.RuneCountInString(password) > 64:
		return Errorf(EInvalid, "新密码不能超过 64 个字符。")
	case password == InitialPassword(idNo):
		return Errorf(EInvalid, "新密码不能与初始密码（身份证号后 8 位）相同，请换一个。")
	case strings.Contains(strings.ToUpper(password), idNo) || strings.Contains(strings.ToUpper(password), InitialPassword(idNo)):
		return Errorf(EInvalid, "新密码不能包含身份证号或其后 8 位，请换一个。")
	}
	return nil
}
