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
	parts := strings.Split(phc, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false
	}
	var m, t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil || m == 0 || t == 0 || p == 0 || m > 256*1024 || t > 64 {
		return false
	}
	b64 := base64.RawStdEncoding
	salt, err := b64.DecodeString(parts[4])
	if err != nil {
		return false
	}
	want, err := b64.DecodeString(parts[5])
	if err != nil || len(want) == 0 || len(want) > 128 {
		return false
	}
	got := argon2.IDKey([]byte(password), salt, t, m, p, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1
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
