// Package single keeps one window per data file (issue 11): a second copy
// of 团务台 opened on a store that a window already has finds that window
// and can bring it to the front instead of working on the same file from
// two windows. Headless commands do not take part: they are used for
// scripting while a window is open.
//
// The first window writes a lock file beside the store, <store>.window,
// holding the port of a listener on 127.0.0.1 and a random token; a second
// copy reads it, connects and says “RAISE <token>”. A lock whose listener
// does not answer was left by a copy that crashed: it is replaced. TCP on
// the loopback works alike on Linux, Windows and macOS; the token keeps
// other programs from raising the window by guessing the port.
//
// The package imports nothing from Fyne and is tested without a display.
package single

import (
	"bufio"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log"
	"net"
	"os"
	"strings"
	"sync"
	"time"
)

// Suffix is added to the store's path to name its lock file.
const Suffix = ".window"

// timeout bounds every exchange with the other copy.
const timeout = 2 * time.Second

// Lock is this copy's hold on a store: the lock file and the listener.
type Lock struct {
	path  string
	token string
	ln    net.Listener
	once  sync.Once
	wg    sync.WaitGroup
}

// Other is a running copy that holds the store.
type Other struct {
	addr, token string
}

// Acquire takes the store at storePath for this copy's window; raise is
// called (on the listener's goroutine) when another copy asks this one to
// come to the front. When a live copy holds the store, Acquire returns it
// as other, and no lock. err: the lock could not be written (the folder
// is read-only, for one); the caller may go on without it.
func Acquire(storePath string, raise func()) (l *Lock, other *Other, err error) {
	path := storePath + Suffix
	for attempt := 0; attempt < 2; attempt++ {
		if o, ok := readLock(path); ok {
			if o.ping() == nil {
				return nil, o, nil
			}
			// Left by a copy that is gone (it crashed, or the computer was
			// switched off): take it over.
			if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
				return nil, nil, fmt.Errorf("remove stale lock %s: %w", path, err)
			}
		} else if _, err := os.Stat(path); err == nil {
			os.Remove(path) // unreadable: half written by a copy that died
		}
		l, err := create(path, raise)
		if errors.Is(err, os.ErrExist) {
			continue // another copy started at the same moment: look again
		}
		return l, nil, err
	}
	if o, ok := readLock(path); ok && o.ping() == nil {
		return nil, o, nil
	}
	return nil, nil, fmt.Errorf("lock %s: another copy keeps changing it", path)
}

func create(path string, raise func()) (*Lock, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("listen: %w", err)
	}
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		ln.Close()
		return nil, fmt.Errorf("token: %w", err)
	}
	l := &Lock{path: path, token: hex.EncodeToString(b), ln: ln}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		ln.Close()
		return nil, err
	}
	_, werr := fmt.Fprintf(f, "%s %s %d\n", ln.Addr().String(), l.token, os.Getpid())
	if cerr := f.Close(); werr == nil {
		werr = cerr
	}
	if werr != nil {
		ln.Close()
		os.Remove(path)
		return nil, fmt.Errorf("write lock %s: %w", path, werr)
	}
	l.wg.Add(1)
	go l.serve(raise)
	return l, nil
}

// serve answers PING and RAISE from other copies.
func (l *Lock) serve(raise func()) {
	defer l.wg.Done()
	for {
		c, err := l.ln.Accept()
		if err != nil {
			return // closed
		}
		c.SetDeadline(time.Now().Add(timeout))
		line, err := bufio.NewReader(c).ReadString('\n')
		if err == nil {
			switch strings.TrimSpace(line) {
			case "PING " + l.token:
				fmt.Fprint(c, "OK\n")
			case "RAISE " + l.token:
				fmt.Fprint(c, "OK\n")
				if raise != nil {
					raise()
				}
			default:
				fmt.Fprint(c, "NO\n")
			}
		}
		c.Close()
	}
}

// Release gives the store up: the lock file goes (if it is still this
// copy's) and the listener stops.
func (l *Lock) Release() {
	if l == nil {
		return
	}
	l.once.Do(func() {
		if o, ok := readLock(l.path); ok && o.token == l.token {
			if err := os.Remove(l.path); err != nil {
				log.Printf("single: remove %s: %v", l.path, err)
			}
		}
		l.ln.Close()
		l.wg.Wait()
	})
}

func readLock(path string) (*Other, bool) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, false
	}
	f := strings.Fields(string(b))
	if len(f) < 2 {
		return nil, false
	}
	return &Other{addr: f[0], token: f[1]}, true
}

func (o *Other) say(word string) error {
	c, err := net.DialTimeout("tcp", o.addr, timeout)
	if err != nil {
		return err
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(timeout))
	if _, err := fmt.Fprintf(c, "%s %s\n", word, o.token); err != nil {
		return err
	}
	line, err := bufio.NewReader(c).ReadString('\n')
	if err != nil {
		return err
	}
	if strings.TrimSpace(line) != "OK" {
		return errors.New("the other copy did not agree")
	}
	return nil
}

// ping checks that the copy is alive.
func (o *Other) ping() error { return o.say("PING") }

// Raise asks the other copy to bring its window to the front.
func (o *Other) Raise() error { return o.say("RAISE") }
