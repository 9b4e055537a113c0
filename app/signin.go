package app

import (
	"context"
	"fmt"
	"time"
)

// Sign-in failures are counted in the store's write transaction, which one
// writer at a time holds (across processes too): each wrong password that
// was checked adds one to the count read in that same transaction, and the
// lock follows from that count there and then. Parallel guesses can no
// longer each write "1" over one another (issue 10, item 2).

// signInFailed counts a wrong password for account idNo, locks the account
// from the fifth failure on (lockFor), and records the failure, and a lock,
// in the audit trail with the 身份证号 masked. It returns the error the
// caller shows: wrong, or the lock.
func (s *Service) signInFailed(ctx context.Context, idNo string, wrong error) error {
	var failed int
	var lock time.Duration
	err := s.Store.Write(ctx, func(tx Tx) error {
		acc, err := tx.Account(idNo)
		if err != nil {
			return err
		}
		now := s.now()
		acc.Failed++
		failed, lock = acc.Failed, lockFor(acc.Failed)
		if lock > 0 {
			acc.LockedUntil = now.Add(lock)
		}
		if err := tx.UpdateAccount(acc); err != nil {
			return fmt.Errorf("count failed sign-in: %w", err)
		}
		who := "账号 " + MaskID(idNo)
		if err := tx.AppendAudit(AuditEntry{At: now, Actor: "系统", Action: ActSignInFailed, Object: who, Member: idNo,
			After: fmt.Sprintf("密码错误，连续第 %d 次", failed)}); err != nil {
			return err
		}
		if lock > 0 {
			return tx.AppendAudit(AuditEntry{At: now, Actor: "系统", Action: ActLocked, Object: who, Member: idNo,
				After: fmt.Sprintf("连续输错 %d 次，锁定 %s，至 %s", failed, waitText(lock), acc.LockedUntil.In(Shanghai).Format("2006-01-02 15:04:05"))})
		}
		return nil
	})
	if err != nil {
		return err
	}
	if lock > 0 {
		return Errorf(EUnauthorized, "账号或密码不正确。已连续输错 %d 次，账号锁定 %s，请稍后再试。", failed, waitText(lock))
	}
	return wrong
}

// auditFailedSignIn records a sign-in to an account that does not exist;
// the 身份证号 typed is kept masked only.
func (s *Service) auditFailedSignIn(ctx context.Context, idNo string, wrong error) error {
	err := s.Store.Write(ctx, func(tx Tx) error {
		return tx.AppendAudit(AuditEntry{At: s.now(), Actor: "系统", Action: ActSignInFailed, Object: "账号 " + MaskID(idNo), After: "没有这个账号"})
	})
	if err != nil {
		return err
	}
	return wrong
}

// signInSucceeded re-reads the account after its password was verified: an
// account locked meanwhile by guesses checked in parallel stays locked,
// even for the right password; otherwise a failure count is reset. It
// returns the account as it stands.
func (s *Service) signInSucceeded(ctx context.Context, idNo string) (Account, error) {
	var acc Account
	err := s.Store.Read(ctx, func(tx Tx) (err error) { acc, err = tx.Account(idNo); return err })
	if err != nil {
		return Account{}, err
	}
	if now := s.now(); now.Before(acc.LockedUntil) {
		return Account{}, lockedError(acc, now)
	}
	if acc.Failed == 0 && acc.LockedUntil.IsZero() {
		return acc, nil
	}
	err = s.Store.Write(ctx, func(tx Tx) error {
		if acc, err = tx.Account(idNo); err != nil {
			return err
		}
		if now := s.now(); now.Before(acc.LockedUntil) {
			return lockedError(acc, now)
		}
		acc.Failed, acc.LockedUntil = 0, time.Time{}
		return tx.UpdateAccount(acc)
	})
	return acc, err
}

func lockedError(acc Account, now time.Time) error {
	return Errorf(EUnauthorized, "密码连续输错次数过多，账号已暂时锁定，请在 %s 后再试（还需等待约 %s）。",
		acc.LockedUntil.In(Shanghai).Format("15:04:05"), waitText(acc.LockedUntil.Sub(now)))
}
