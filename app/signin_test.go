package app_test

import (
	"context"
	"sync"
	"testing"

	"tuanwu/app"
	"tuanwu/data"
)

// Issue 10 item 2 (R-A1): 20 wrong passwords tried in parallel, from two
// store connections on one SQLite file as two programs would, each count:
// the counter ends at 20 and the account is locked, so the right password
// is refused too. Every failure and the lock are in the audit trail, with
// the 身份证号 masked.
func TestSignIn_ParallelFailuresAllCount_Issue10Item2(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	other, err := data.Open(f.store.Path())
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	svc2 := app.NewService(other)
	svc2.Now = f.svc.Now
	before := len(storedAudit(t, f.store))

	const n = 20
	var wg sync.WaitGroup
	errs := make([]error, n)
	start := make(chan struct{})
	for i := range n {
		svc := f.svc
		if i%2 == 1 {
			svc = svc2
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			_, errs[i] = svc.SignIn(ctx, adminID, "wrong-password")
		}()
	}
	close(start)
	wg.Wait()
	for _, err := range errs {
		wantCode(t, "parallel SignIn", err, app.EUnauthorized)
	}
	acc, err := storedAccount(t, f.store, adminID)
	if err != nil {
		t.Fatal(err)
	}
	if acc.Failed != n {
		t.Errorf("after %d parallel wrong passwords the failure count is %d, want %d", n, acc.Failed, n)
	}
	if !acc.LockedUntil.After(svcTestNow) {
		t.Errorf("after %d parallel wrong passwords the account is not locked: %+v", n, acc)
	}
	_, err = f.svc.SignIn(ctx, adminID, adminNewPass)
	wantCode(t, "the right password after the burst", err, app.EUnauthorized)
	wantMsg(t, "the right password after the burst", err, "暂时锁定")

	failures, locks := 0, 0
	for _, e := range storedAudit(t, f.store)[before:] {
		wantMasked(t, e)
		switch e.Action {
		case "登录失败":
			failures++
			if e.Object != "账号 "+app.MaskID(adminID) || !e.At.Equal(svcTestNow) {
				t.Errorf("failed sign-in entry %+v: want the masked account and the time", e)
			}
		case "账号锁定":
			locks++
		}
	}
	if failures != n || locks < 1 {
		t.Errorf("audit trail: %d failed sign-ins and %d lock-outs, want %d and at least 1", failures, locks, n)
	}
}

// Issue 10 item 2: a sign-in to an account that does not exist is audited
// with the 身份证号 masked only; the answer stays the same (R-A1).
func TestSignIn_UnknownAccountAudited_Issue10Item2(t *testing.T) {
	f := newFixture(t)
	unknown := idOf(t, "33010219900101001")
	memberID := idOf(t, acMember) // a member who has no account yet
	f.addMember(t, f.owner, member(f.branchA1.ID, "王小红", memberID, "2019-05", "201900000001"))
	before := len(storedAudit(t, f.store))
	for _, id := range []string{unknown, memberID} {
		_, err := f.svc.SignIn(context.Background(), id, "wrong-password")
		wantCode(t, "SignIn", err, app.EUnauthorized)
		log := storedAudit(t, f.store)[before:]
		if len(log) != 1 || log[0].Action != "登录失败" || log[0].Member != "" || log[0].Object != "账号 "+app.MaskID(id) {
			t.Fatalf("audit after a sign-in to no account: %+v", log)
		}
		wantMasked(t, log[0])
		before++
	}
}
