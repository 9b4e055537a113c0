package app_test

import (
	"testing"
	"time"

	"tuanwu/app"
)

// TestAddMonths_R_T2: a graduate kept at school for n months (at most 6)
// is kept until the same day n months on, or that month's last day; the
// period never runs into the month after.
func TestAddMonths_R_T2(t *testing.T) {
	for _, tc := range []struct {
		from string
		n    int
		want string
	}{
		{"2025-06-30", 6, "2025-12-30"},
		{"2025-08-31", 6, "2026-02-28"},
		{"2027-08-31", 6, "2028-02-29"},
		{"2025-12-31", 6, "2026-06-30"},
		{"2025-03-31", 1, "2025-04-30"},
		{"2025-01-15", 1, "2025-02-15"},
		{"2025-07-31", 5, "2025-12-31"},
		{"2025-11-30", 3, "2026-02-28"},
	} {
		from, _ := time.ParseInLocation("2006-01-02", tc.from, app.Shanghai)
		if got := app.AddMonths(from.Add(15*time.Hour), tc.n).Format("2006-01-02"); got != tc.want {
			t.Errorf("AddMonths(%s, %d) = %s, want %s", tc.from, tc.n, got, tc.want)
		}
	}
}
