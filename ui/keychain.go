package ui

import (
	"errors"
	"fmt"
	"log"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"
	"github.com/zalando/go-keyring"
)

// The school server's password in the operating system's keychain
// (issue 14, security): Windows 凭据管理器, macOS 钥匙串, the Secret
// Service (GNOME 密钥环, KWallet) on Linux, through zalando/go-keyring. The
// password is kept there only when the user ticks 在系统钥匙串中保存密码,
// under the server location (which holds no password); nothing of it is
// written to the preferences or beside the data.

// keychainService names 团务台's entries in the keychain.
const keychainService = "团务台 学校服务器"

// prefServerKeychain: the user chose to keep the password in the keychain.
const prefServerKeychain = "server.keychain"

// secrets is what the window needs of a keychain.
type secrets interface {
	Get(key string) (string, error) // errNoSecret when nothing is kept
	Set(key, secret string) error
	Delete(key string) error // nil when nothing was kept
}

var errNoSecret = errors.New("no password kept in the keychain")

// keychain is the OS keychain; tests replace it.
var keychain secrets = osKeychain{}

type osKeychain struct{}

func (osKeychain) Get(key string) (string, error) {
	s, err := keyring.Get(keychainService, key)
	if errors.Is(err, keyring.ErrNotFound) {
		return "", errNoSecret
	}
	if err != nil {
		return "", fmt.Errorf("keychain get: %w", err)
	}
	return s, nil
}

func (osKeychain) Set(key, secret string) error {
	if err := keyring.Set(keychainService, key, secret); err != nil {
		return fmt.Errorf("keychain set: %w", err)
	}
	return nil
}

func (osKeychain) Delete(key string) error {
	if err := keyring.Delete(keychainService, key); err != nil && !errors.Is(err, keyring.ErrNotFound) {
		return fmt.Errorf("keychain delete: %w", err)
	}
	return nil
}

var (
	keychainOnce sync.Once
	keychainOK   bool
)

// keychainAvailable reports whether this computer has a keychain the
// password can go to (a Linux desktop without a Secret Service has none).
// It asks once per run.
func keychainAvailable() bool {
	probe := func() bool {
		_, err := keychain.Get("团务台 钥匙串可用性检查")
		if err != nil && !errors.Is(err, errNoSecret) {
			log.Printf("keychain not available: %v", err)
			return false
		}
		return true
	}
	if _, ok := keychain.(osKeychain); !ok {
		return probe() // a test's keychain
	}
	keychainOnce.Do(func() { keychainOK = probe() })
	return keychainOK
}

// keychainLabel is the tick box's text.
const keychainLabel = "在本机的系统钥匙串中保存密码（Windows 凭据管理器、macOS 钥匙串），下次自动连接"

// keychainMissing says why the tick box cannot be ticked.
const keychainMissing = "这台电脑没有可用的系统钥匙串，密码每次连接时输入，程序不保存。"

// keepPassword stores or forgets the password of the server at loc after
// a successful connection, as the user chose; a keychain failure leaves
// the connection as it is and is said in a sentence ("" when all is well).
func keepPassword(loc, password string, keep bool) string {
	if keep {
		if err := keychain.Set(loc, password); err != nil {
			log.Printf("keep password of %s: %v", serverName(loc), err)
			return "已连接，但系统钥匙串没有接受这个密码，下次连接时请再输入一次。"
		}
		return ""
	}
	if err := keychain.Delete(loc); err != nil {
		log.Printf("forget password of %s: %v", serverName(loc), err)
		return "已连接，但没能从系统钥匙串中删除以前保存的密码，可在系统的钥匙串或凭据管理器中删除“" + keychainService + "”。"
	}
	return ""
}

// newKeepCheck is the tick box 在系统钥匙串中保存密码, ticked as the user
// last chose, or disabled when the computer has no keychain.
func newKeepCheck(u *UI) *widget.Check {
	c := widget.NewCheck(keychainLabel, nil)
	if !keychainAvailable() {
		c.Disable()
		return c
	}
	c.SetChecked(u.App.Preferences().Bool(prefServerKeychain))
	return c
}

// keepBox is the tick box with, when there is no keychain, the reason.
func keepBox(c *widget.Check) fyne.CanvasObject {
	if c.Disabled() {
		return container.NewVBox(c, wrapLabel(keychainMissing))
	}
	return c
}

// keepPasswordAsChosen keeps or forgets the password of loc as the tick box says,
// after a successful connection, and remembers the choice.
func (u *UI) keepPasswordAsChosen(loc, password string, c *widget.Check) {
	if c.Disabled() {
		return
	}
	u.App.Preferences().SetBool(prefServerKeychain, c.Checked)
	if note := keepPassword(loc, password, c.Checked); note != "" {
		dialog.ShowInformation("系统钥匙串", note, u.Win)
	}
}

// passwordInKeychain returns the password the keychain keeps for loc, when the
// user chose to keep it there.
func passwordInKeychain(u *UI, loc string) (string, bool) {
	if !u.App.Preferences().Bool(prefServerKeychain) || !keychainAvailable() {
		return "", false
	}
	pw, err := keychain.Get(loc)
	if err != nil {
		if !errors.Is(err, errNoSecret) {
			log.Printf("kept password of %s: %v", serverName(loc), err)
		}
		return "", false
	}
	return pw, true
}
