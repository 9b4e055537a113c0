package app

import (
	"context"
	"fmt"
)

// SweepWithBackup is SweepAll as the window runs it. When the sweep will
// approve steps by default (R-T4), and so finish transfers and move
// members, it first takes the 操作前 backup that other bulk actions take
// (issue 10, item 10): the office can go back to just before it from
// 文件 → 备份与恢复. A store without a backup folder takes none. A failed
// look or backup does not stop the sweep (it is one transaction, and the
// day's backup remains): it is returned as backupErr, for the caller to
// log; err is the sweep's.
func (s *Service) SweepWithBackup(ctx context.Context) (res SweepResult, backupErr, err error) {
	backupErr = s.backupBeforeSweep(ctx)
	res, err = s.SweepAll(ctx)
	return res, backupErr, err
}

// backupBeforeSweep takes the 操作前 backup when the sweep will move members.
func (s *Service) backupBeforeSweep(ctx context.Context) error {
	moves, err := s.SweepMoves(ctx)
	if err != nil {
		return fmt.Errorf("backup before sweep: %w", err)
	}
	if !moves {
		return nil
	}
	if _, _, err := s.BackupBefore(ctx); err != nil {
		return fmt.Errorf("backup before sweep: %w", err)
	}
	return nil
}
