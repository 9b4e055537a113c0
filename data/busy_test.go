package data

import (
	"context"
	"strings"
	"testing"

	"tuanwu/app"
)

// Issue 10, item 14: a store held by another writer (a bulk command in
// another process) is refused with what happened, not a guess about windows.
func TestBusyStoreMessage(t *testing.T) {
	old := busyTimeoutMS
	busyTimeoutMS = 1000
	defer func() { busyTimeoutMS = old }()
	a, path := openTest(t)
	b, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	ctx := context.Background()
	holding, release := make(chan bool), make(chan bool)
	done := make(chan error)
	go func() {
		done <- a.Write(ctx, func(tx app.Tx) error {
			if err := tx.SetSetting("bulk", "running"); err != nil {
				return err
			}
			holding <- true
			<-release
			return nil
		})
	}()
	<-holding
	err = b.Write(ctx, func(tx app.Tx) error { return tx.SetSetting("other", "x") })
	close(release)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if err == nil {
		t.Fatal("a second writer must be refused while the first holds the store")
	}
	msg := app.ErrorMessage(err)
	for _, want := range []string{"另一个团务台窗口或命令", "没有完成", "再试"} {
		if !strings.Contains(msg, want) {
			t.Errorf("busy message %q lacks %q", msg, want)
		}
	}
}
