package app

import (
	"context"
	"time"
)

// settingPractice marks a practice store (练习数据): one made by Init with
// Practice set, or by Demo. Only such a store runs on a date of the user's
// choosing; every other store runs on the real clock.
const settingPractice = "practice"

// Practice reports whether the store is a practice store (练习数据).
func (s *Service) Practice(ctx context.Context) (bool, error) {
	var v string
	err := s.Store.Read(ctx, func(tx Tx) (err error) { v, err = tx.Setting(settingPractice); return err })
	return v == "1", err
}

// errRealClock is the refusal of a chosen date on a store that is not a
// practice store.
func errRealClock() *Error {
	return Errorf(EForbidden, "这是正式数据，始终按真实日期运行，不能指定日期（--now）。要演练年度工作，请另建练习数据：init --practice … 或 demo。")
}

// UseDate makes the service run as of day (at noon, Asia/Shanghai) from
// now on. Only a practice store accepts it (EForbidden otherwise).
func (s *Service) UseDate(ctx context.Context, day time.Time) error {
	ok, err := s.Practice(ctx)
	if err != nil {
		return err
	}
	if !ok {
		return errRealClock()
	}
	s.setDate(day)
	return nil
}

// UseDateForNewPractice sets the date of a service whose store is about to
// become a practice store (init --practice, demo): it is still empty, so
// there is nothing yet to mark.
func (s *Service) UseDateForNewPractice(day time.Time) { s.setDate(day) }

func (s *Service) setDate(day time.Time) {
	at := time.Date(day.Year(), day.Month(), day.Day(), 12, 0, 0, 0, Shanghai)
	s.Now = func() time.Time { return at }
}

// UseRealClock puts the service back on the real clock.
func (s *Service) UseRealClock() {
	s.Now = func() time.Time { return time.Now().In(Shanghai) }
}
