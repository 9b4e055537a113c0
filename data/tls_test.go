package data

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"database/sql"
	"encoding/pem"
	"math/big"
	"net"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"tuanwu/app"
	"tuanwu/data/pgtest"
)

// tlsCA is a certificate authority made for a test.
type tlsCA struct {
	cert *x509.Certificate
	key  *ecdsa.PrivateKey
	pem  []byte
}

func newCA(t *testing.T, name string) tlsCA {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(time.Now().UnixNano()), Subject: pkix.Name{CommonName: name, Organization: []string{"浙江明理大学信息中心"}},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	return tlsCA{cert: cert, key: key, pem: pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})}
}

// serverCert returns the PEM certificate and key of a server known as
// 127.0.0.1 and localhost, signed by ca.
func (ca tlsCA) serverCert(t *testing.T) (certPEM, keyPEM []byte) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(time.Now().UnixNano() + 1), Subject: pkix.Name{CommonName: "localhost"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		DNSNames: []string{"localhost"}, IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)},
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca.cert, &key.PublicKey, ca.key)
	if err != nil {
		t.Fatal(err)
	}
	kder, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kder})
}

// startTLSServer starts a second test server (.ci/pg.sh with PG_SSL_DIR)
// that speaks TLS with a certificate of ca, and returns its URL
// (sslmode=disable, as pg.sh prints it).
func startTLSServer(t *testing.T, ca tlsCA) string {
	t.Helper()
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("no bash")
	}
	// The server may run as another user (nobody, under root): the
	// directories it reads must be open to it.
	base, err := os.MkdirTemp("", "tuanwu-tls-")
	if err != nil {
		t.Fatal(err)
	}
	os.Chmod(base, 0o755)
	sslDir := filepath.Join(base, "ssl")
	os.Mkdir(sslDir, 0o700)
	crt, key := ca.serverCert(t)
	os.WriteFile(filepath.Join(sslDir, "server.crt"), crt, 0o644)
	os.WriteFile(filepath.Join(sslDir, "server.key"), key, 0o600)
	dir := filepath.Join(base, "pg")
	script, _ := filepath.Abs("../.ci/pg.sh")
	cmd := exec.Command("bash", script, "start", dir)
	cmd.Env = append(os.Environ(), "PG_SSL_DIR="+sslDir)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	t.Cleanup(func() {
		exec.Command("bash", script, "stop", dir).Run()
		os.RemoveAll(base)
	})
	if err != nil {
		t.Fatalf("start a TLS server: %v\n%s", err, stderr.String())
	}
	return strings.TrimSpace(string(out))
}

// Issue 14, item 5 (TLS): the school's server speaks TLS with a
// certificate of the school's CA. With sslmode=verify-full and that CA
// (sslrootcert) the store opens, over TLS; with another CA, with a name
// the certificate does not carry, or with a CA file that is not there,
// opening fails with a Chinese sentence saying what to do, and nothing is
// written to the database.
func TestPGTLSVerifyFull_Issue14Item5(t *testing.T) {
	if !pgtest.OnPG() {
		t.Skip("PostgreSQL run only (TUANWU_TEST_PG): starts a second server with TLS")
	}
	ca, other := newCA(t, "浙江明理大学 CA"), newCA(t, "别处的 CA")
	dir := t.TempDir()
	caFile, otherFile := filepath.Join(dir, "ca.pem"), filepath.Join(dir, "other-ca.pem")
	os.WriteFile(caFile, ca.pem, 0o644)
	os.WriteFile(otherFile, other.pem, 0o644)
	plain := startTLSServer(t, ca)
	admin, err := sql.Open("pgx", plain)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	for _, db := range []string{"tw_tls", "tw_tls_refused"} {
		if _, err := admin.Exec("CREATE DATABASE " + db + " TEMPLATE template0 ENCODING 'UTF8'"); err != nil {
			t.Fatal(err)
		}
	}
	// at returns the server's URL for database db, with TLS options.
	at := func(db, host, mode, root string) string {
		u, _ := url.Parse(plain)
		u.Path = "/" + db
		if host != "" {
			u.Host = host + ":" + u.Port()
		}
		q := u.Query()
		q.Set("sslmode", mode)
		if root != "" {
			q.Set("sslrootcert", root)
		}
		u.RawQuery = q.Encode()
		return u.String()
	}
	tables := func(db string) int {
		t.Helper()
		c, err := sql.Open("pgx", at(db, "", "disable", ""))
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		var n int
		if err := c.QueryRow("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'").Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}

	for _, host := range []string{"127.0.0.1", "localhost"} {
		s, err := Open(at("tw_tls", host, "verify-full", caFile))
		if err != nil {
			t.Fatalf("verify-full with the school's CA (%s): %v", host, err)
		}
		var ssl bool
		var version string
		if err := s.w.QueryRow("SELECT ssl, version FROM pg_stat_ssl WHERE pid = pg_backend_pid()").Scan(&ssl, &version); err != nil || !ssl {
			t.Fatalf("the store's connection is not TLS: %v %v", ssl, err)
		}
		t.Logf("verify-full via %s: %s", host, version)
		s.Close()
	}
	if tables("tw_tls") == 0 {
		t.Fatal("the store opened over TLS made no tables")
	}

	for _, c := range []struct {
		name, loc, want string
	}{
		{"another CA", at("tw_tls_refused", "", "verify-full", otherFile), "证书没有通过验证"},
		{"another CA, verify-ca", at("tw_tls_refused", "", "verify-ca", otherFile), "证书没有通过验证"},
		{"no CA file", at("tw_tls_refused", "", "verify-full", filepath.Join(dir, "missing.pem")), "CA 证书文件"},
	} {
		_, err := Open(c.loc)
		if err == nil {
			t.Fatalf("%s: opened", c.name)
		}
		msg := app.ErrorMessage(err)
		if app.ErrorCode(err) != app.EStore || !strings.Contains(msg, c.want) {
			t.Errorf("%s: [%s] %v", c.name, app.ErrorCode(err), err)
		}
		if strings.Contains(err.Error(), plainPassword(plain)) {
			t.Errorf("%s: the message shows the password: %v", c.name, err)
		}
		t.Logf("%s: %s", c.name, msg)
	}
	if n := tables("tw_tls_refused"); n != 0 {
		t.Errorf("refused connections wrote %d tables", n)
	}
}

func plainPassword(loc string) string {
	u, err := url.Parse(loc)
	if err != nil || u.User == nil {
		return "\x00"
	}
	p, _ := u.User.Password()
	return p
}
