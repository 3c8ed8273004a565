// Package testpki gives tests the certificates of a real mTLS deployment:
// a CA, a loopback server certificate, and client certificates for given
// organisations, plus the ones every listener must refuse (another CA's,
// expired, without serialNumber).
package testpki

import (
	"crypto/tls"
	"crypto/x509"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/ssbtek/gateway/identity"
	"github.com/ssbtek/gateway/internal/pki"
)

// PKI is one test deployment's CA and server certificate.
type PKI struct {
	CA     *pki.CA
	Server *pki.Issued
}

// New creates a CA and a server certificate for 127.0.0.1 and localhost.
func New(t testing.TB) *PKI {
	t.Helper()
	ca, err := pki.NewCA("ssbtek test CA")
	if err != nil {
		t.Fatal(err)
	}
	srv, err := ca.Server()
	if err != nil {
		t.Fatal(err)
	}
	return &PKI{CA: ca, Server: srv}
}

// ServerTLS is the listeners' TLS: this server certificate, client
// certificates from this CA demanded and verified.
func (p *PKI) ServerTLS() *tls.Config {
	return identity.ServerTLS(p.Server.TLS, p.CA.Pool())
}

// Org is "16" + organisationsnummer as a certificate subject's serialNumber
// carries it; the gateway's 12-digit organisationsnummer is the same string.
func Org(orgnr string) pki.Client {
	return pki.Client{CommonName: "ssbtek-klient", Organization: "Test " + orgnr, SerialNumber: orgnr}
}

// Issue issues a client certificate from this CA.
func (p *PKI) Issue(t testing.TB, c pki.Client) *pki.Issued {
	t.Helper()
	is, err := p.CA.Client(c)
	if err != nil {
		t.Fatal(err)
	}
	return is
}

// ClientTLS is a client's TLS that trusts this CA and presents c's
// certificate (none when c is nil).
func (p *PKI) ClientTLS(c *pki.Issued) *tls.Config {
	cfg := &tls.Config{RootCAs: p.CA.Pool(), MinVersion: tls.VersionTLS12}
	if c != nil {
		cfg.Certificates = []tls.Certificate{c.TLS}
	}
	return cfg
}

// Client is ClientTLS for a fresh certificate of c.
func (p *PKI) Client(t testing.TB, c pki.Client) *tls.Config {
	return p.ClientTLS(p.Issue(t, c))
}

// Refused are client TLS configurations every listener must refuse: a
// certificate from another CA, an expired one, and (accepted by TLS but
// naming no organisation) one without serialNumber.
func (p *PKI) Refused(t testing.TB, orgnr string) map[string]*tls.Config {
	t.Helper()
	other := New(t)
	expired := Org(orgnr)
	expired.NotAfter = time.Now().Add(-time.Hour)
	noSerial := Org(orgnr)
	noSerial.SerialNumber = ""
	return map[string]*tls.Config{
		"no certificate":       p.ClientTLS(nil),
		"another CA":           p.ClientTLS(other.Issue(t, Org(orgnr))),
		"expired":              p.Client(t, expired),
		"without serialNumber": p.Client(t, noSerial),
	}
}

// Files are a certificate's PEM files on disk, for curl, grpcurl and zeep.
type Files struct {
	CA, Cert, Key string
}

// Write stores the CA and c in dir under name and returns their paths.
func (p *PKI) Write(t testing.TB, dir, name string, c *pki.Issued) Files {
	t.Helper()
	if err := c.Write(dir, name); err != nil {
		t.Fatal(err)
	}
	ca := filepath.Join(dir, "ca.pem")
	if err := os.WriteFile(ca, p.CA.PEM, 0o644); err != nil {
		t.Fatal(err)
	}
	return Files{CA: ca, Cert: filepath.Join(dir, name+".pem"), Key: filepath.Join(dir, name+"-key.pem")}
}

// Pool is this CA as a pool.
func (p *PKI) Pool() *x509.CertPool { return p.CA.Pool() }
