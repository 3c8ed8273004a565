// Package pki issues the certificates of a development or test deployment:
// a CA, a server certificate for loopback, and client certificates whose
// subject serialNumber carries an organisationsnummer, as the gateway's
// callers present them (seed 000 §7.5: serialNumber=16 + organisationsnummer).
//
// It is for `make run` and tests only. A production gateway is given its
// certificates and CA bundle by the operator.
package pki

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"time"
)

// CA is a certificate authority that can issue certificates.
type CA struct {
	Cert *x509.Certificate
	key  *ecdsa.PrivateKey
	// PEM is the CA certificate, PEM-encoded.
	PEM []byte
}

// Issued is one certificate with its key.
type Issued struct {
	Cert    *x509.Certificate
	CertPEM []byte
	KeyPEM  []byte
	// TLS is the pair ready for a tls.Config.
	TLS tls.Certificate
}

// NewCA creates a self-signed CA named name, valid from an hour ago for ten years.
func NewCA(name string) (*CA, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("generating CA key: %w", err)
	}
	serial, err := randomSerial()
	if err != nil {
		return nil, err
	}
	now := time.Now()
	tmpl := &x509.Certificate{
		SerialNumber:          serial,
		Subject:               pkix.Name{CommonName: name, Organization: []string{"ssbtek-gateway development"}},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.AddDate(10, 0, 0),
		IsCA:                  true,
		BasicConstraintsValid: true,
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, fmt.Errorf("creating CA certificate: %w", err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, fmt.Errorf("reading CA certificate: %w", err)
	}
	return &CA{Cert: cert, key: key, PEM: pemBlock("CERTIFICATE", der)}, nil
}

// Pool returns a pool holding only this CA.
func (ca *CA) Pool() *x509.CertPool {
	p := x509.NewCertPool()
	p.AddCert(ca.Cert)
	return p
}

// Server issues a server certificate for the loopback names and addresses.
func (ca *CA) Server() (*Issued, error) {
	return ca.issue(&x509.Certificate{
		Subject:     pkix.Name{CommonName: "localhost"},
		DNSNames:    []string{"localhost"},
		IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback},
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}, time.Now().AddDate(2, 0, 0))
}

// Client describes a client certificate.
type Client struct {
	// CommonName and Organization name the subject.
	CommonName, Organization string
	// SerialNumber is the subject serialNumber attribute, e.g. "162120002411"
	// ("16" + the organisationsnummer); empty leaves it out.
	SerialNumber string
	// NotAfter is when it expires; zero means in two years. A time in the past
	// gives an expired certificate.
	NotAfter time.Time
}

// Client issues a client certificate.
func (ca *CA) Client(c Client) (*Issued, error) {
	notAfter := c.NotAfter
	if notAfter.IsZero() {
		notAfter = time.Now().AddDate(2, 0, 0)
	}
	subject := pkix.Name{CommonName: c.CommonName, SerialNumber: c.SerialNumber, Country: []string{"SE"}}
	if c.Organization != "" {
		subject.Organization = []string{c.Organization}
	}
	return ca.issue(&x509.Certificate{Subject: subject, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}}, notAfter)
}

func (ca *CA) issue(tmpl *x509.Certificate, notAfter time.Time) (*Issued, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("generating key: %w", err)
	}
	if tmpl.SerialNumber, err = randomSerial(); err != nil {
		return nil, err
	}
	tmpl.NotBefore = time.Now().Add(-time.Hour)
	if notAfter.Before(tmpl.NotBefore) {
		tmpl.NotBefore = notAfter.Add(-24 * time.Hour) // an expired certificate
	}
	tmpl.NotAfter = notAfter
	tmpl.KeyUsage = x509.KeyUsageDigitalSignature
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca.Cert, &key.PublicKey, ca.key)
	if err != nil {
		return nil, fmt.Errorf("creating certificate for %q: %w", tmpl.Subject.CommonName, err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, fmt.Errorf("reading certificate: %w", err)
	}
	kder, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return nil, fmt.Errorf("encoding key: %w", err)
	}
	is := &Issued{Cert: cert, CertPEM: pemBlock("CERTIFICATE", der), KeyPEM: pemBlock("PRIVATE KEY", kder)}
	is.TLS = tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: cert}
	return is, nil
}

// Write stores the certificate and key as dir/name.pem and dir/name-key.pem
// (the key readable by the owner only).
func (is *Issued) Write(dir, name string) error {
	if err := os.WriteFile(filepath.Join(dir, name+".pem"), is.CertPEM, 0o644); err != nil {
		return fmt.Errorf("writing %s certificate: %w", name, err)
	}
	if err := os.WriteFile(filepath.Join(dir, name+"-key.pem"), is.KeyPEM, 0o600); err != nil {
		return fmt.Errorf("writing %s key: %w", name, err)
	}
	return nil
}

func randomSerial() (*big.Int, error) {
	n, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 127))
	if err != nil {
		return nil, fmt.Errorf("certificate serial: %w", err)
	}
	return n, nil
}

func pemBlock(typ string, der []byte) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der})
}

// DevClient is one development client certificate written by EnsureDev.
type DevClient struct {
	// Name is the file stem in the directory, e.g. "kommun".
	Name   string
	Client Client
}

// DevFiles are the paths EnsureDev wrote or found.
type DevFiles struct {
	Dir                       string
	CA, ServerCert, ServerKey string
}

// ClientCert and ClientKey are the paths of a development client's files.
func (f DevFiles) ClientCert(name string) string { return filepath.Join(f.Dir, name+".pem") }
func (f DevFiles) ClientKey(name string) string  { return filepath.Join(f.Dir, name+"-key.pem") }

// EnsureDev creates, in dir, a development CA (ca.pem), a server
// certificate for loopback (server.pem, server-key.pem) and the given client
// certificates, unless dir already holds a ca.pem: then it keeps what is
// there, so certificates a developer has pasted into tools stay valid.
// created reports whether anything was written.
func EnsureDev(dir string, clients []DevClient) (files DevFiles, created bool, err error) {
	files = DevFiles{Dir: dir, CA: filepath.Join(dir, "ca.pem"), ServerCert: filepath.Join(dir, "server.pem"), ServerKey: filepath.Join(dir, "server-key.pem")}
	if _, err := os.Stat(files.CA); err == nil {
		return files, false, nil
	} else if !errors.Is(err, os.ErrNotExist) {
		return files, false, fmt.Errorf("looking for the development CA: %w", err)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return files, false, fmt.Errorf("creating %s: %w", dir, err)
	}
	ca, err := NewCA("ssbtek-gateway development CA")
	if err != nil {
		return files, false, err
	}
	srv, err := ca.Server()
	if err != nil {
		return files, false, err
	}
	if err := srv.Write(dir, "server"); err != nil {
		return files, false, err
	}
	for _, c := range clients {
		is, err := ca.Client(c.Client)
		if err != nil {
			return files, false, err
		}
		if err := is.Write(dir, c.Name); err != nil {
			return files, false, err
		}
	}
	// The CA goes last: its presence marks a complete set.
	if err := os.WriteFile(files.CA, ca.PEM, 0o644); err != nil {
		return files, false, fmt.Errorf("writing the development CA: %w", err)
	}
	return files, true, nil
}
