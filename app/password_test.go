package app

import (
	"strings"
	"testing"
)

// R-A1, R-X6: passwords are stored as argon2id PHC strings with a fresh salt.
func TestHashPassword_RoundTrip(t *testing.T) {
	tests := []struct{ name, password string }{
		{"initial password", "1231002X"},
		{"ascii", "Tuanwu#2025"},
		{"chinese", "共青团员密码2025"},
		{"empty", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h, err := HashPassword(tc.password)
			if err != nil {
				t.Fatalf("HashPassword: %v", err)
			}
			if !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=4,p=1$") || len(strings.Split(h, "$")) != 6 {
				t.Fatalf("hash %q is not an argon2id PHC string with m=19456,t=4,p=1", h)
			}
			if strings.Contains(h, tc.password) && tc.password != "" {
				t.Errorf("hash %q contains the password", h)
			}
			if !VerifyPassword(h, tc.password) {
				t.Errorf("VerifyPassword(hash, %q) = false, want true", tc.password)
			}
			if VerifyPassword(h, tc.password+"1") {
				t.Errorf("VerifyPassword(hash, %q) = true for a wrong password", tc.password+"1")
			}
			h2, err := HashPassword(tc.password)
			if err != nil {
				t.Fatal(err)
			}
			if h2 == h {
				t.Errorf("two hashes of the same password are equal: the salt is not random")
			}
		})
	}
}

func TestVerifyPassword_WrongAndMalformed(t *testing.T) {
	good, err := HashPassword("Tuanwu#2025")
	if err != nil {
		t.Fatal(err)
	}
	parts := strings.Split(good, "$") // "", argon2id, v=19, params, salt, key
	join := func(p ...string) string { return strings.Join(p, "$") }
	tests := []struct{ name, phc, password string }{
		{"wrong password", good, "tuanwu#2025"},
		{"empty password", good, ""},
		{"empty hash", "", "Tuanwu#2025"},
		{"plain text stored", "Tuanwu#2025", "Tuanwu#2025"},
		{"argon2i instead of argon2id", join("", "argon2i", parts[2], parts[3], parts[4], parts[5]), "Tuanwu#2025"},
		{"missing key", join("", "argon2id", parts[2], parts[3], parts[4]), "Tuanwu#2025"},
		{"extra segment", good + "$x", "Tuanwu#2025"},
		{"params unreadable", join("", "argon2id", parts[2], "m=abc", parts[4], parts[5]), "Tuanwu#2025"},
		{"m=0", join("", "argon2id", parts[2], "m=0,t=2,p=1", parts[4], parts[5]), "Tuanwu#2025"},
		{"t=0", join("", "argon2id", parts[2], "m=19456,t=0,p=1", parts[4], parts[5]), "Tuanwu#2025"},
		{"p=0", join("", "argon2id", parts[2], "m=19456,t=2,p=0", parts[4], parts[5]), "Tuanwu#2025"},
		{"t too large", join("", "argon2id", parts[2], "m=19456,t=65,p=1", parts[4], parts[5]), "Tuanwu#2025"},
		{"other params than hashed", join("", "argon2id", parts[2], "m=19456,t=2,p=1", parts[4], parts[5]), "Tuanwu#2025"},
		{"salt not base64", join("", "argon2id", parts[2], parts[3], "!!!", parts[5]), "Tuanwu#2025"},
		{"key not base64", join("", "argon2id", parts[2], parts[3], parts[4], "***"), "Tuanwu#2025"},
		{"empty key", join("", "argon2id", parts[2], parts[3], parts[4], ""), "Tuanwu#2025"},
		{"truncated key", join("", "argon2id", parts[2], parts[3], parts[4], parts[5][:20]), "Tuanwu#2025"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if VerifyPassword(tc.phc, tc.password) {
				t.Errorf("VerifyPassword(%q, %q) = true, want false", tc.phc, tc.password)
			}
		})
	}
	if !VerifyPassword(join(parts...), "Tuanwu#2025") {
		t.Fatal("control: the unmodified hash must verify")
	}
}

// R-A1: the initial password is the last 8 characters of the 身份证号.
func TestInitialPassword_R_A1(t *testing.T) {
	tests := []struct{ id, want string }{
		{"330106198805120015", "05120015"},
		{"11010519491231002X", "1231002X"},
		{"1234567", "1234567"},
		{"", ""},
	}
	for _, tc := range tests {
		t.Run(tc.id, func(t *testing.T) {
			if got := InitialPassword(tc.id); got != tc.want {
				t.Errorf("InitialPassword(%q) = %q, want %q", tc.id, got, tc.want)
			}
		})
	}
}

// R-A1, R-X6: a new password is at least 8 characters, not the initial
// password and does not contain the 身份证号 or its last 8 characters.
func TestValidateNewPassword_R_A1(t *testing.T) {
	const id = "11010519491231002X"
	tests := []struct {
		name, password, wantMsg string // wantMsg "": accepted
	}{
		{"good", "Tuanwu#2025", ""},
		{"exactly 8 characters", "abcdEF12", ""},
		{"8 Chinese characters", "共青团员团务台好", ""},
		{"64 characters", strings.Repeat("a", 64), ""},
		{"too short", "Ab#2025", "至少要 8 个字符"},
		{"7 Chinese characters is too short", "共青团员团务台", "至少要 8 个字符"},
		{"empty", "", "至少要 8 个字符"},
		{"65 characters", strings.Repeat("a", 65), "不能超过 64 个字符"},
		{"equals initial", "1231002X", "不能与初始密码"},
		{"contains initial", "pw1231002X!", "不能包含身份证号"},
		{"contains initial, lower-case x", "pw1231002x!", "不能包含身份证号"},
		{"contains the whole ID", "a11010519491231002X", "不能包含身份证号"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := ValidateNewPassword(id, tc.password)
			if tc.wantMsg == "" {
				if err != nil {
					t.Fatalf("ValidateNewPassword(%q) = %v, want nil", tc.password, err)
				}
				return
			}
			if ErrorCode(err) != EInvalid || !strings.Contains(ErrorMessage(err), tc.wantMsg) {
				t.Fatalf("ValidateNewPassword(%q) = %v, want EInvalid %q", tc.password, err, tc.wantMsg)
			}
		})
	}
}
