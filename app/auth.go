package app

import (
	"context"
	"strconv"
	"time"
)

// lockFor returns how long an account waits after failed sign-ins: from the
// fifth failure 1 minute, doubling each time, at most a day.
func lockFor(failed int) time.Duration {
	if failed < 5 {
		return 0
	}
	d := time.Minute << uint(min(failed-5, 11))
	return min(d, 24*time.Hour)
}

// SignIn checks an account's password and returns its session. A wrong
// account or password gives the same EUnauthorized message. A session whose
// account must change its password is returned with EMustChange, so the
// caller can ask for a new one and call ChangePassword.
func (s *Service) SignIn(ctx context.Context, idNo, password string) (*Session, error) {
	idNo = NormalizeID(idNo)
	var acc Account
	err := s.Store.Read(ctx, func(tx Tx) (err error) { acc, err = tx.Account(idNo); return err })
	wrong := Errorf(EUnauthorized, "账号或密码不正确，请核对后重试。账号是身份证号，初始密码是身份证号后 8 位。")
	if ErrorCode(err) == ENotFound {
		// Every member has an account (R-A1, R-A5): it is made at the first
		// sign-in with the initial password, which must then be changed.
		acc, err = s.memberAccount(ctx, idNo, password)
		if err != nil {
			return nil, err
		}
		if acc.IDNo == "" {
			return nil, s.auditFailedSignIn(ctx, idNo, wrong)
		}
	}
	if err != nil {
		return nil, err
	}
	now := s.now()
	if now.Before(acc.LockedUntil) {
		return nil, lockedError(acc, now)
	}
	if !VerifyPassword(acc.PassHash, password) {
		return nil, s.signInFailed(ctx, acc.IDNo, wrong)
	}
	if acc, err = s.signInSucceeded(ctx, acc.IDNo); err != nil {
		return nil, err
	}
	ss, err := s.session(ctx, acc)
	if err != nil {
		return nil, err
	}
	if acc.MustChange {
		return ss, Errorf(EMustChange, "这是初始密码（或刚被重置的密码），请先修改密码再进行其他操作。")
	}
	return ss, nil
}

var dummyHash, _ = HashPassword("tuanwu-dummy-password")

// memberAccount makes the account of a registered member who signs in for
// the first time with the initial password. It returns the zero Account
// when idNo is no member or the password is not the initial one.
func (s *Service) memberAccount(ctx context.Context, idNo, password string) (Account, error) {
	var m Member
	err := s.Store.Read(ctx, func(tx Tx) (err error) { m, err = tx.Member(idNo); return err })
	if IsNotFound(err) || (err == nil && password != InitialPassword(idNo)) {
		VerifyPassword(dummyHash, password) // the same time as a real check
		return Account{}, nil
	}
	if err != nil {
		return Account{}, err
	}
	hash, err := HashPassword(password)
	if err != nil {
		return Account{}, err
	}
	acc := Account{IDNo: idNo, Name: m.Name, PassHash: hash, MustChange: true, CreatedAt: s.now()}
	err = s.Store.Write(ctx, func(tx Tx) error {
		if err := tx.InsertAccount(acc); err != nil {
			return err
		}
		return tx.AppendAudit(AuditEntry{At: s.now(), Actor: idNo, Action: ActFirstSignIn, Object: m.Name + "（" + MaskID(idNo) + "）", OrgID: m.OrgID, Member: idNo})
	})
	return acc, err
}

func waitText(d time.Duration) string {
	if d < time.Minute {
		return strconv.Itoa(int(d.Seconds()+0.999)) + " 秒"
	}
	return strconv.Itoa(int(d.Minutes()+0.999)) + " 分钟"
}

// ChangePassword changes the session's own password (R-A5, R-X6).
func (s *Service) ChangePassword(ctx context.Context, ss *Session, old, new string) error {
	if ss == nil {
		return Errorf(EUnauthorized, "请先登录。")
	}
	if err := ValidateNewPassword(ss.Account.IDNo, new); err != nil {
		return err
	}
	if old == new {
		return Errorf(EInvalid, "新密码不能与原密码相同，请换一个。")
	}
	hash, err := HashPassword(new)
	if err != nil {
		return err
	}
	return s.Store.Write(ctx, func(tx Tx) error {
		acc, err := tx.Account(ss.Account.IDNo)
		if err != nil {
			return err
		}
		if !VerifyPassword(acc.PassHash, old) {
			return Errorf(EUnauthorized, "原密码不正确，请重新输入。")
		}
		acc.PassHash, acc.MustChange = hash, false
		if err := tx.UpdateAccount(acc); err != nil {
			return err
		}
		ss.Account = acc
		return s.audit(tx, ss, Change{Action: ActChangePassword, Object: MaskID(acc.IDNo)})
	})
}
