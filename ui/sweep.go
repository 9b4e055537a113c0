package ui

import (
	"log"
	"time"
	"tuanwu/app"

	"fyne.io/fyne/v2"
)

// sweep applies the dated rules (R-T4 deadlines, R-G5 graduation switch)
// in the background: now, and every hour while the window stays open (so a
// deadline passed overnight is applied soon after; a sweep with nothing due
// costs one indexed query).
func (u *UI) sweep() {
	svc := u.svc
	do := func() {
		err := u.sweepAll(svc)
		if err != nil {
			log.Printf("sweep: %v", err)
		}
		u.noteServerAsync(err) // no dialog: the status line (offline.go)
	}
	if u.Sync {
		do()
		return
	}
	go do()
	if u.ticker == nil {
		u.ticker = time.NewTicker(time.Hour)
		go func() {
			for range u.ticker.C {
				var current *app.Service
				fyne.DoAndWait(func() { current = u.svc }) // the store may have been switched
				if current != nil {
					err := u.sweepAll(current)
					if err != nil {
						log.Printf("hourly sweep: %v", err)
					}
					u.noteServerAsync(err)
					// The day's automatic backup, once the date has turned.
					if _, err := current.AutoBackup(u.ctx); err != nil {
						log.Printf("automatic backup: %v", err)
					}
				}
			}
		}()
	}
}

// sweepAll runs svc's sweep of the dated rules, with the 操作前 backup
// first when it will move members (app.SweepWithBackup); a failed backup
// is logged and the sweep goes on.
func (u *UI) sweepAll(svc *app.Service) error {
	_, backupErr, err := svc.SweepWithBackup(u.ctx)
	if backupErr != nil {
		log.Printf("%v", backupErr)
	}
	return err
}
