package app

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"
)

// Kinds of the backups kept in a store's backup folder.
const (
	BackupAuto         = "自动"  // taken while the window is open, rotated
	BackupPreMigration = "升级前" // taken before the store's schema is upgraded
	BackupBeforeBulk   = "操作前" // taken before a bulk action (an import, a transfer of many members)
)

// Rotation of the automatic backups: the newest backup of each of the
// latest KeepDaily days, KeepWeekly ISO weeks and KeepMonthly months that
// have one; and the latest KeepPreMigration backups taken before upgrades.
const (
	KeepDaily        = 7
	KeepWeekly       = 4
	KeepMonthly      = 6
	KeepPreMigration = 3
	KeepBeforeBulk   = 5
)

// BackupFile is one backup in a store's backup folder.
type BackupFile struct {
	Path string
	Kind string    // BackupAuto or BackupPreMigration
	At   time.Time // when it was taken
	Size int64
}

// BackupShelf is the folder of a store's automatic backups; data.Store has one.
type BackupShelf interface {
	// Backups returns the store's backups, in no particular order.
	Backups() ([]BackupFile, error)
	// TakeBackup writes a verified backup of the given kind taken at at.
	TakeBackup(ctx context.Context, kind string, at time.Time) (BackupFile, error)
	// RemoveBackup deletes one of the store's backups.
	RemoveBackup(b BackupFile) error
}

// BackupDue reports whether an automatic backup should be taken at now: none
// was taken on now's day (Asia/Shanghai) or later.
func BackupDue(list []BackupFile, now time.Time) bool {
	today := dayOf(now)
	for _, b := range list {
		if b.Kind == BackupAuto && dayOf(b.At) >= today {
			return false
		}
	}
	return true
}

func dayOf(t time.Time) string { return t.In(Shanghai).Format("2006-01-02") }

func weekOf(t time.Time) string {
	y, w := t.In(Shanghai).ISOWeek()
	return fmt.Sprintf("%d-W%02d", y, w)
}

func monthOf(t time.Time) string { return t.In(Shanghai).Format("2006-01") }

// BackupsToRemove returns the backups the rotation no longer keeps (see
// KeepDaily and the others), oldest first.
func BackupsToRemove(list []BackupFile) []BackupFile {
	sorted := append([]BackupFile(nil), list...)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].At.After(sorted[j].At) }) // newest first
	keep := make([]bool, len(sorted))
	// keepNewest keeps the newest backup of each of the latest n periods.
	keepNewest := func(period func(time.Time) string, n int) {
		seen := map[string]bool{}
		for i, b := range sorted {
			if b.Kind != BackupAuto {
				continue
			}
			p := period(b.At)
			if seen[p] {
				continue
			}
			if len(seen) == n {
				return
			}
			seen[p] = true
			keep[i] = true
		}
	}
	keepNewest(dayOf, KeepDaily)
	keepNewest(weekOf, KeepWeekly)
	keepNewest(monthOf, KeepMonthly)
	pre, bulk := 0, 0
	for i, b := range sorted {
		if b.Kind == BackupPreMigration && pre < KeepPreMigration {
			keep[i] = true
			pre++
		}
		if b.Kind == BackupBeforeBulk && bulk < KeepBeforeBulk {
			keep[i] = true
			bulk++
		}
	}
	var drop []BackupFile
	for i := len(sorted) - 1; i >= 0; i-- {
		if !keep[i] && (sorted[i].Kind == BackupAuto || sorted[i].Kind == BackupPreMigration || sorted[i].Kind == BackupBeforeBulk) {
			drop = append(drop, sorted[i])
		}
	}
	return drop
}

// AutoBackup takes the day's automatic backup when none was taken yet
// today and drops those the rotation no longer keeps. Backups are physical
// events: they run on the real clock, even on a practice store. It does
// nothing on a store without a backup folder or not yet set up.
func (s *Service) AutoBackup(ctx context.Context) (taken bool, err error) {
	shelf, ok := s.Store.(BackupShelf)
	if !ok {
		return false, nil
	}
	if ok, err := s.Initialized(ctx); err != nil || !ok {
		return false, err
	}
	list, err := shelf.Backups()
	if err != nil {
		return false, err
	}
	now := time.Now().In(Shanghai)
	if BackupDue(list, now) {
		b, err := shelf.TakeBackup(ctx, BackupAuto, now)
		if err != nil {
			return false, err
		}
		list, taken = append(list, b), true
	}
	for _, b := range BackupsToRemove(list) {
		if err := shelf.RemoveBackup(b); err != nil {
			return taken, err
		}
	}
	return taken, nil
}

// BackupBefore takes a verified backup before a bulk action of the window
// (an import, a transfer of many members), so that the office can go back
// to just before it from 文件 → 备份与恢复 (issue 10, item 10); the last
// KeepBeforeBulk are kept. ok is false on a store without a backup folder.
func (s *Service) BackupBefore(ctx context.Context) (b BackupFile, ok bool, err error) {
	shelf, has := s.Store.(BackupShelf)
	if !has {
		return BackupFile{}, false, nil
	}
	if b, err = shelf.TakeBackup(ctx, BackupBeforeBulk, time.Now().In(Shanghai)); err != nil {
		return b, false, err
	}
	list, err := shelf.Backups()
	if err != nil {
		return b, true, err
	}
	for _, old := range BackupsToRemove(list) {
		if err := shelf.RemoveBackup(old); err != nil {
			return b, true, err
		}
	}
	return b, true, nil
}

// Backups lists the store's automatic and pre-upgrade backups, newest
// first. Only the store's owner sees them: they hold the whole store.
func (s *Service) Backups(ctx context.Context, ss *Session) ([]BackupFile, error) {
	if err := mayRestore(ss); err != nil {
		return nil, err
	}
	shelf, ok := s.Store.(BackupShelf)
	if !ok {
		return nil, nil
	}
	list, err := shelf.Backups()
	sort.Slice(list, func(i, j int) bool { return list[i].At.After(list[j].At) })
	return list, err
}

// BackupNow takes an automatic backup at once (文件 → 备份与恢复 → 立即备份).
func (s *Service) BackupNow(ctx context.Context, ss *Session) (BackupFile, error) {
	if err := mayRestore(ss); err != nil {
		return BackupFile{}, err
	}
	shelf, ok := s.Store.(BackupShelf)
	if !ok {
		return BackupFile{}, Errorf(EInternal, "这个存储没有备份文件夹。")
	}
	b, err := shelf.TakeBackup(ctx, BackupAuto, time.Now().In(Shanghai))
	if err != nil {
		return b, err
	}
	return b, s.Store.Write(ctx, func(tx Tx) error { return s.audit(tx, ss, Change{Action: ActBackup, Object: b.Path}) })
}

// mayRestore: only the store's owner (the root organization's
// administrator) may replace the store or see its backups.
func mayRestore(ss *Session) error {
	if err := ready(ss); err != nil {
		return err
	}
	if !ss.Owner {
		return Errorf(EForbidden, "存储中有全校的数据，只有校级（根组织）管理员才能查看备份或从备份恢复。")
	}
	return nil
}

// CheckRestore says whether the session may replace the store with a backup.
func (s *Service) CheckRestore(ss *Session) error { return mayRestore(ss) }

// RecordRestore records, in the trail of the restored store, that it was
// restored from the backup from, the replaced store being kept as kept.
func (s *Service) RecordRestore(ctx context.Context, ss *Session, from, kept string) error {
	after := "原存储已保留为 " + kept
	if kept == "" {
		after = "此前没有存储"
	}
	return s.Store.Write(ctx, func(tx Tx) error {
		return tx.AppendAudit(AuditEntry{At: time.Now().In(Shanghai), Actor: ss.actor(), Action: ActRestore, Object: from, After: after})
	})
}

// Backup writes a verified copy of the whole store to path. Only an
// administrator may take one.
func (s *Service) Backup(ctx context.Context, ss *Session, path string) error {
	if err := ready(ss); err != nil {
		return err
	}
	if !ss.Owner {
		return Errorf(EForbidden, "存储中有全校的数据，只有校级（根组织）管理员才能备份整个存储。")
	}
	if strings.TrimSpace(path) == "" {
		return Errorf(EInvalid, "请指定备份文件的位置。")
	}
	if err := s.Store.Backup(ctx, path); err != nil {
		return err
	}
	return s.Store.Write(ctx, func(tx Tx) error { return s.audit(tx, ss, Change{Action: ActBackup, Object: path}) })
}
