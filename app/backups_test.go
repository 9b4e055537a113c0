package app_test

import (
	"sort"
	"strings"
	"testing"
	"time"

	"tuanwu/app"
)

func at(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, app.Shanghai)
	if err != nil {
		panic(err)
	}
	return t
}

func backups(kind string, times ...string) []app.BackupFile {
	var out []app.BackupFile
	for _, s := range times {
		out = append(out, app.BackupFile{Path: kind + " " + s, Kind: kind, At: at(s)})
	}
	return out
}

// daily returns one automatic backup at 09:00 on each of n days ending on last.
func daily(last string, n int) []app.BackupFile {
	end := at(last + " 09:00")
	var out []app.BackupFile
	for i := n - 1; i >= 0; i-- {
		d := end.AddDate(0, 0, -i)
		out = append(out, app.BackupFile{Path: d.Format("2006-01-02 15:04"), Kind: app.BackupAuto, At: d})
	}
	return out
}

func pathsOf(list []app.BackupFile) string {
	var ps []string
	for _, b := range list {
		ps = append(ps, b.Path)
	}
	sort.Strings(ps)
	return strings.Join(ps, ",")
}

// Issue 10, item 10: the rotation keeps daily ×7, weekly ×4, monthly ×6
// and the last 3 pre-upgrade backups.
func TestBackupsToRemove(t *testing.T) {
	tests := []struct {
		name string
		list []app.BackupFile
		// kept: how many stay; keptHas: paths that must stay; dropHas: paths that must go
		kept    int
		keptHas []string
		dropHas []string
	}{
		{"none", nil, 0, nil, nil},
		{"a week of dailies is all kept", daily("2026-11-30", 7), 7, nil, nil},
		// 2026-11-30 is the Monday of ISO week 49: the 8th day back, Monday
		// 2026-11-23, is not the newest of its week (11-29 is).
		{"the 8th day back goes when its week has a newer one",
			daily("2026-11-30", 8), 7, nil, []string{"2026-11-23 09:00"}},
		{"the 8th day back stays when it ends its week",
			daily("2026-11-29", 8), 8, []string{"2026-11-22 09:00"}, nil},
		{"two days in one day keep the newest",
			backups(app.BackupAuto, "2026-11-30 09:00", "2026-11-30 17:00"), 1, []string{"自动 2026-11-30 17:00"}, []string{"自动 2026-11-30 09:00"}},
		// Days 11-24..11-30; weeks 49, 48 (11-29), 47 (11-22), 46 (11-15);
		// months 11 (11-30), 10, 9, 8, 7, 6 (06-30).
		{"a year of dailies: 7 days, 4 weeks, 6 months",
			daily("2026-11-30", 365), 14, []string{"2026-11-30 09:00", "2026-11-24 09:00", "2026-11-22 09:00", "2026-11-15 09:00", "2026-10-31 09:00", "2026-09-30 09:00", "2026-06-30 09:00"},
			[]string{"2026-11-23 09:00", "2026-11-08 09:00", "2026-11-01 09:00", "2026-05-31 09:00", "2025-12-01 09:00"}},
		{"pre-upgrade backups: the last 3",
			backups(app.BackupPreMigration, "2026-01-01 08:00", "2026-03-01 08:00", "2026-06-01 08:00", "2026-09-01 08:00"), 3,
			[]string{"升级前 2026-09-01 08:00", "升级前 2026-03-01 08:00"}, []string{"升级前 2026-01-01 08:00"}},
		{"other files are never removed",
			[]app.BackupFile{{Path: "手工备份", Kind: "", At: at("2020-01-01 00:00")}}, 1, []string{"手工备份"}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			drop := app.BackupsToRemove(tc.list)
			dropped := map[string]bool{}
			for _, b := range drop {
				dropped[b.Path] = true
			}
			if tc.kept > 0 && len(tc.list)-len(drop) != tc.kept {
				t.Errorf("kept %d of %d, want %d (dropped %s)", len(tc.list)-len(drop), len(tc.list), tc.kept, pathsOf(drop))
			}
			for _, p := range tc.keptHas {
				if dropped[p] {
					t.Errorf("%s was dropped, want kept", p)
				}
			}
			for _, p := range tc.dropHas {
				if !dropped[p] {
					t.Errorf("%s was kept, want dropped", p)
				}
			}
			for i := 1; i < len(drop); i++ {
				if drop[i].At.Before(drop[i-1].At) {
					t.Errorf("drops not oldest first: %s", pathsOf(drop))
				}
			}
		})
	}
	// A year of dailies keeps at most 7+4+6 distinct backups.
	list := daily("2026-11-30", 365)
	if kept := len(list) - len(app.BackupsToRemove(list)); kept > app.KeepDaily+app.KeepWeekly+app.KeepMonthly || kept < app.KeepMonthly {
		t.Errorf("a year of dailies keeps %d", kept)
	}
}

// Issue 10, item 10: one automatic backup a day.
func TestBackupDue(t *testing.T) {
	now := at("2026-11-30 10:00")
	for _, tc := range []struct {
		list []app.BackupFile
		want bool
	}{
		{nil, true},
		{backups(app.BackupAuto, "2026-11-29 23:59"), true},
		{backups(app.BackupAuto, "2026-11-30 00:01"), false},
		{backups(app.BackupPreMigration, "2026-11-30 08:00"), true},
		{backups(app.BackupAuto, "2026-12-01 08:00"), false}, // a clock set back: no second one
	} {
		if got := app.BackupDue(tc.list, now); got != tc.want {
			t.Errorf("BackupDue(%s) = %v, want %v", pathsOf(tc.list), got, tc.want)
		}
	}
}

// Issue 10, item 9: only the store's owner may restore or list the backups.
func TestCheckRestoreOwnerOnly(t *testing.T) {
	svc := app.NewService(nil)
	admin := &app.Session{Account: app.Account{IDNo: "330106198805120015"}, Orgs: []app.Org{{ID: 2, Path: "/1/2/"}}}
	if err := svc.CheckRestore(admin); app.ErrorCode(err) != app.EForbidden {
		t.Errorf("a college admin: %v, want forbidden", err)
	}
	if err := svc.CheckRestore(nil); app.ErrorCode(err) != app.EUnauthorized {
		t.Errorf("nobody signed in: %v", err)
	}
	owner := &app.Session{Account: app.Account{IDNo: "330106198805120015"}, Owner: true}
	if err := svc.CheckRestore(owner); err != nil {
		t.Errorf("the owner: %v", err)
	}
}

// Issue 10, item 10: a bulk action's backup is kept among the last
// KeepBeforeBulk of its kind, beside the automatic rotation.
func TestBackupsToRemove_BeforeBulk(t *testing.T) {
	base := time.Date(2026, 11, 1, 9, 0, 0, 0, app.Shanghai)
	var list []app.BackupFile
	for i := 0; i < app.KeepBeforeBulk+3; i++ {
		list = append(list, app.BackupFile{Kind: app.BackupBeforeBulk, At: base.Add(time.Duration(i) * time.Hour)})
	}
	drop := app.BackupsToRemove(list)
	if len(drop) != 3 {
		t.Fatalf("dropped %d, want the 3 oldest", len(drop))
	}
	for _, d := range drop {
		if !d.At.Before(base.Add(3 * time.Hour)) {
			t.Errorf("dropped a recent one: %v", d.At)
		}
	}
}
