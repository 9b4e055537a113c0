package ui

import (
	"errors"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"fyne.io/fyne/v2/test"

	"tuanwu/app"
)

// memKeychain is a keychain in memory. Every ui test uses one (init below),
// so no test ever writes to the computer's real keychain.
type memKeychain struct {
	mu   sync.Mutex
	m    map[string]string
	fail error // every call fails with it (a keychain that is not there)
}

func (k *memKeychain) Get(key string) (string, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.fail != nil {
		return "", k.fail
	}
	s, ok := k.m[key]
	if !ok {
		return "", errNoSecret
	}
	return s, nil
}

func (k *memKeychain) Set(key, secret string) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.fail != nil {
		return k.fail
	}
	k.m[key] = secret
	return nil
}

func (k *memKeychain) Delete(key string) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.fail != nil {
		return k.fail
	}
	delete(k.m, key)
	return nil
}

func init() { keychain = &memKeychain{m: map[string]string{}} }

// useKeychain gives the test a keychain of its own.
func useKeychain(t *testing.T, fail error) *memKeychain {
	k := &memKeychain{m: map[string]string{}, fail: fail}
	old := keychain
	keychain = k
	t.Cleanup(func() { keychain = old })
	return k
}

// Issue 14, security: with 在系统钥匙串中保存密码 ticked, the password goes
// to the OS keychain under the server location (never to the preferences),
// the next start connects with it without asking, a password changed on
// the server asks again, and unticking removes it from the keychain.
func TestServerPasswordInKeychain_Issue14(t *testing.T) {
	k := useKeychain(t, nil)
	a := test.NewTempApp(t)
	w := a.NewWindow("团务台")
	file := filepath.Join(t.TempDir(), "t.db")
	serverPassword := serverPW
	var opened []string // the passwords the store was opened with
	newUI := func() *UI {
		u := New(a, w, opener(t), file)
		u.Sync, u.OfferServer = true, true
		u.OpenServer = func(loc, pw string) (*app.Service, error) {
			opened = append(opened, pw)
			if pw != serverPassword {
				return nil, app.Errorf(app.EStore, "学校服务器 127.0.0.1:5432 拒绝了登录：数据库用户名或密码不对（或本机不允许连接）。请向信息中心核对用户名和密码。")
			}
			return opener(t)(file)
		}
		return u
	}
	s := serverSettings{Host: "127.0.0.1", Port: "5432", DB: "tuanwu", User: "tw", TLS: "disable"}
	loc, _ := s.URL()

	u := newUI()
	u.Start()
	f := showServerForm(u)
	if f.keep.Checked || f.keep.Disabled() {
		t.Fatalf("tick box at first: checked %v, disabled %v", f.keep.Checked, f.keep.Disabled())
	}
	fillServerForm(f, s, serverPW)
	f.keep.SetChecked(true)
	test.Tap(f.connect)
	if !isServerLoc(u.Path) {
		t.Fatalf("not connected: %q", f.msg.Text)
	}
	if got, _ := k.Get(loc); got != serverPW {
		t.Fatalf("keychain holds %q under %q", got, loc)
	}
	if preferencesHold(t, u, serverPW) {
		t.Fatal("the preferences hold the password")
	}

	// The next start connects with the kept password, asking nothing.
	opened = nil
	u = newUI()
	u.Start()
	if u.reconnect != nil || !isServerLoc(u.Path) || len(opened) != 1 || opened[0] != serverPW {
		t.Fatalf("the start did not connect with the kept password: opened with %q, screen %v", opened, u.reconnect != nil)
	}

	// The password was changed on the server: the start asks for it, saying why.
	serverPassword = "new-" + serverPW
	u = newUI()
	u.Start()
	if u.reconnect == nil || !strings.Contains(u.reconnect.msg.Text, "系统钥匙串中保存的密码") {
		t.Fatalf("a stale kept password: screen %v", u.reconnect != nil)
	}
	u.reconnect.pw.SetText(serverPassword)
	test.Tap(u.reconnect.connect)
	if got, _ := k.Get(loc); u.reconnect != nil || got != serverPassword {
		t.Fatalf("the new password is not kept: %q", got)
	}

	// Unticked: the keychain forgets it, and the next start asks.
	f = showServerForm(u)
	fillServerForm(f, s, serverPassword)
	if !f.keep.Checked {
		t.Fatal("the tick box forgot the user's choice")
	}
	f.keep.SetChecked(false)
	test.Tap(f.connect)
	if _, err := k.Get(loc); !errors.Is(err, errNoSecret) {
		t.Fatalf("the keychain still holds the password (%v)", err)
	}
	opened = nil
	u = newUI()
	u.Start()
	if u.reconnect == nil || len(opened) != 0 {
		t.Fatalf("the start connected without a password (%q)", opened)
	}
}

// Issue 14, security: a computer without a keychain cannot have the box
// ticked; it says so, and the password is asked for each time.
func TestServerNoKeychain_Issue14(t *testing.T) {
	useKeychain(t, errors.New("exec: \"dbus-launch\": executable file not found in $PATH"))
	u := newTestUI(t)
	u.OpenServer = func(loc, pw string) (*app.Service, error) { return opener(t)(filepath.Join(t.TempDir(), "s.db")) }
	f := showServerForm(u)
	if !f.keep.Disabled() || f.keep.Checked {
		t.Fatal("the tick box is offered without a keychain")
	}
	if !overlayHasText(u.Win.Canvas(), keychainMissing) {
		t.Fatal("the form does not say why the password is not kept")
	}
	fillServerForm(f, serverSettings{Host: "127.0.0.1", Port: "5432", DB: "tuanwu", User: "tw", TLS: "disable"}, serverPW)
	test.Tap(f.connect)
	if !isServerLoc(u.Path) || u.App.Preferences().Bool(prefServerKeychain) {
		t.Fatalf("connected %v, keychain chosen %v", isServerLoc(u.Path), u.App.Preferences().Bool(prefServerKeychain))
	}
}
