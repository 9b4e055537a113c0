package ui

import (
	"testing"

	"fyne.io/fyne/v2/test"
)

// TestSignInFocusAndRememberedAccount_Issue11Item2: the sign-in screen
// starts in the account field; after a sign-in the account is remembered
// on this machine (the whole 身份证号, as the screen shows it) and the next
// sign-in screen has it filled in with the cursor in the password field;
// unticking 在本机记住账号 forgets it.
func TestSignInFocusAndRememberedAccount_Issue11Item2(t *testing.T) {
	u := newTestUI(t)
	initStore(t, u)
	steps := []struct {
		name      string
		untick    bool
		wantID    string
		wantFocus string
		wantCheck bool
	}{
		{"first start: account field, empty", false, "", "account", true},
		{"after signing in: remembered, password field", true, adminID, "password", true},
		{"after signing in with 记住 unticked: forgotten", false, "", "account", false},
	}
	for _, st := range steps {
		u.showLogin("", "")
		s := u.login
		focus := "other"
		switch u.Win.Canvas().Focused() {
		case s.id:
			focus = "account"
		case s.password:
			focus = "password"
		}
		if s.id.Text != st.wantID || focus != st.wantFocus || s.remember.Checked != st.wantCheck {
			t.Fatalf("%s: account %q, focus %s, 记住 %v", st.name, s.id.Text, focus, s.remember.Checked)
		}
		if st.untick {
			s.remember.SetChecked(false)
		}
		s.id.SetText(adminID)
		test.Type(s.password, adminPW)
		test.Tap(s.login)
		if u.main == nil {
			t.Fatalf("%s: not signed in: %q", st.name, s.msg.Text)
		}
	}
	if got := u.App.Preferences().String(prefLastAccount); got != "" {
		t.Errorf("the account is still remembered: %q", got)
	}
}

// TestEnterInAccountFieldMovesOn_Issue11Item1: Enter in the account field
// goes on to the password, and signs in when the password is there.
func TestEnterInAccountFieldMovesOn_Issue11Item1(t *testing.T) {
	u := newTestUI(t)
	initStore(t, u)
	u.showLogin("", "")
	s := u.login
	u.Win.Canvas().Focus(s.id)
	test.Type(s.id, adminID)
	s.id.TypedKey(&keyReturn)
	if u.Win.Canvas().Focused() != s.password {
		t.Fatal("Enter in the account field did not go to the password")
	}
	test.Type(s.password, adminPW)
	u.Win.Canvas().Focus(s.id)
	s.id.TypedKey(&keyReturn)
	if u.main == nil {
		t.Fatalf("Enter did not sign in: %q", s.msg.Text)
	}
}
