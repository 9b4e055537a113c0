package single

import (
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestOneWindowPerStore_Issue11Item6: the first window takes the store; a
// second finds it and can raise it; a lock left by a copy that crashed is
// taken over; releasing frees the store; a garbled lock does not block.
func TestOneWindowPerStore_Issue11Item6(t *testing.T) {
	dir := t.TempDir()
	store := filepath.Join(dir, "团务台.db")
	raised := make(chan bool, 1)
	first, other, err := Acquire(store, func() { raised <- true })
	if err != nil || other != nil || first == nil {
		t.Fatalf("first: %v %v %v", first, other, err)
	}
	if fi, err := os.Stat(store + Suffix); err != nil || fi.Mode().Perm()&0o077 != 0 {
		t.Fatalf("lock file: %v %v", fi, err)
	}

	second, other, err := Acquire(store, nil)
	if err != nil || second != nil || other == nil {
		t.Fatalf("second: %v %v %v", second, other, err)
	}
	if err := other.Raise(); err != nil {
		t.Fatal(err)
	}
	select {
	case <-raised:
	case <-time.After(5 * time.Second):
		t.Fatal("the first window was not asked to come forward")
	}

	first.Release()
	if _, err := os.Stat(store + Suffix); !os.IsNotExist(err) {
		t.Fatalf("lock still there after release: %v", err)
	}
	if err := other.Raise(); err == nil {
		t.Fatal("a released window still answers")
	}

	cases := []struct {
		name string
		lock func() string
	}{
		{"a copy that crashed (nobody listens)", func() string {
			ln, _ := net.Listen("tcp", "127.0.0.1:0")
			addr := ln.Addr().String()
			ln.Close()
			return addr + " deadbeef 12345\n"
		}},
		{"a port now used by something else", func() string {
			ln, _ := net.Listen("tcp", "127.0.0.1:0")
			t.Cleanup(func() { ln.Close() })
			go func() {
				for {
					c, err := ln.Accept()
					if err != nil {
						return
					}
					c.Write([]byte("HTTP/1.0 400 Bad Request\r\n\r\n"))
					c.Close()
				}
			}()
			return ln.Addr().String() + " deadbeef 12345\n"
		}},
		{"half written", func() string { return "" }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if err := os.WriteFile(store+Suffix, []byte(c.lock()), 0o600); err != nil {
				t.Fatal(err)
			}
			l, other, err := Acquire(store, nil)
			if err != nil || other != nil || l == nil {
				t.Fatalf("stale lock not taken over: %v %v %v", l, other, err)
			}
			l.Release()
		})
	}
}
