// Package identity establishes who calls the gateway: the organisation named
// in the caller's verified client certificate. Every listener (gRPC, HTTP)
// puts the result in the request context, and the lookup service reads it
// from there, so no interface can take the caller's word for who it is.
//
// The certificate identifies the sender (seed 000 §7.5): the municipality
// itself, or its ombud, a service provider sending on the municipality's
// behalf. Its subject serialNumber holds "16" followed by the 10-digit
// organisationsnummer, e.g. serialNumber=165565869996; the gateway's
// 12-digit organisationsnummer is that value.
//
// The package depends on the standard library only, so that the lookup
// service, the audit log and the servers can all share its types.
package identity

import (
	"context"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/asn1"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"regexp"
)

// Caller is the sender of a request as its certificate names it: what the
// audit record keeps of the certificate, and the organisation derived from it.
type Caller struct {
	// Subject is the certificate subject in RFC 2253 form.
	Subject string
	// SerialNumber is the subject's serialNumber attribute, e.g. "165565869996".
	SerialNumber string
	// FingerprintSHA256 is the SHA-256 of the certificate (DER), in hex.
	FingerprintSHA256 string
	// Organisationsnummer is the sender's organisationsnummer, 12 digits.
	Organisationsnummer string
	// Development marks the fixed caller of the plaintext development mode,
	// which has no certificate: never in production.
	Development bool
}

// Party is who asks for whom in one request, as the lookup service settled
// it from the certificate and the question: what the audit record needs.
type Party struct {
	// Sender is the certificate's caller.
	Sender Caller
	// Ingivare is the organisationsnummer the question is asked for.
	Ingivare string
	// Ombud is the sender's organisationsnummer when it sends on the
	// ingivare's behalf; "" when the ingivare sends itself.
	Ombud string
}

// Errors a request's identity can fail with.
var (
	// ErrNoCertificate: the connection carried no verified client certificate.
	ErrNoCertificate = errors.New("no verified client certificate")
	// ErrNoOrganisation: the certificate's subject has no serialNumber of the
	// form 16 + organisationsnummer (or more than one).
	ErrNoOrganisation = errors.New("the client certificate's subject has no serialNumber of the form 16 + organisationsnummer")
)

// serialNumber is "16" + a 10-digit organisationsnummer, whose third digit
// (the 12-digit form's fifth) is 2-9.
var serialNumber = regexp.MustCompile(`^16[0-9]{2}[2-9][0-9]{7}$`)

var oidSerialNumber = asn1.ObjectIdentifier{2, 5, 4, 5}

// FromCertificate returns the caller a verified certificate names.
func FromCertificate(cert *x509.Certificate) (Caller, error) {
	var serials []string
	for _, n := range cert.Subject.Names {
		if n.Type.Equal(oidSerialNumber) {
			s, _ := n.Value.(string)
			serials = append(serials, s)
		}
	}
	sum := sha256.Sum256(cert.Raw)
	c := Caller{Subject: cert.Subject.String(), FingerprintSHA256: hex.EncodeToString(sum[:])}
	if len(serials) != 1 || !serialNumber.MatchString(serials[0]) {
		return c, fmt.Errorf("%w (subject %q)", ErrNoOrganisation, c.Subject)
	}
	c.SerialNumber = serials[0]
	c.Organisationsnummer = serials[0]
	return c, nil
}

// FromTLS returns the caller of a TLS connection: the leaf of its first
// verified chain. Unverified peer certificates are never read.
func FromTLS(state *tls.ConnectionState) (Caller, error) {
	if state == nil || len(state.VerifiedChains) == 0 || len(state.VerifiedChains[0]) == 0 {
		return Caller{}, ErrNoCertificate
	}
	return FromCertificate(state.VerifiedChains[0][0])
}

type key struct{}

// result is what a listener found: a caller, or why there is none.
type result struct {
	caller Caller
	err    error
}

// NewContext returns ctx carrying caller.
func NewContext(ctx context.Context, caller Caller) context.Context {
	return context.WithValue(ctx, key{}, result{caller: caller})
}

// WithError returns ctx carrying the reason the request has no caller.
func WithError(ctx context.Context, err error) context.Context {
	return context.WithValue(ctx, key{}, result{err: err})
}

// FromContext returns the caller a listener put in ctx, or an error saying
// why there is none (ErrNoCertificate when no listener set one).
func FromContext(ctx context.Context) (Caller, error) {
	r, ok := ctx.Value(key{}).(result)
	if !ok {
		return Caller{}, ErrNoCertificate
	}
	return r.caller, r.err
}

// FromRequest puts the caller of r's TLS connection into r's context.
func FromRequest(r *http.Request) *http.Request {
	c, err := FromTLS(r.TLS)
	if err != nil {
		return r.WithContext(WithError(r.Context(), err))
	}
	return r.WithContext(NewContext(r.Context(), c))
}

// Middleware puts every request's caller (or the reason there is none) into
// its context. It refuses nothing itself: the lookup service refuses
// questions, Require guards what else needs a caller.
func Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(w, FromRequest(r))
	})
}

// Fixed is Middleware for the plaintext development mode: every request's
// caller is c.
func Fixed(c Caller, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(w, r.WithContext(NewContext(r.Context(), c)))
	})
}

// Require answers 401 to a request without a caller and passes the others
// to next. It guards what only connected organisations may read (the
// OpenAPI document, the WSDL).
func Require(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, err := FromContext(r.Context()); err != nil {
			http.Error(w, "unauthenticated: "+err.Error(), http.StatusUnauthorized)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// ServerTLS returns the TLS configuration of a listener that demands and
// verifies a client certificate issued by a CA in clientCAs.
func ServerTLS(cert tls.Certificate, clientCAs *x509.CertPool) *tls.Config {
	return &tls.Config{
		Certificates: []tls.Certificate{cert},
		ClientCAs:    clientCAs,
		ClientAuth:   tls.RequireAndVerifyClientCert,
		MinVersion:   tls.VersionTLS12,
	}
}

// LoadServerTLS is ServerTLS from PEM files: the server's certificate and
// key, and the bundle of CAs whose client certificates are accepted.
func LoadServerTLS(certFile, keyFile, clientCAFile string) (*tls.Config, error) {
	cert, err := tls.LoadX509KeyPair(certFile, keyFile)
	if err != nil {
		return nil, fmt.Errorf("loading the server certificate: %w", err)
	}
	pool, err := LoadPool(clientCAFile)
	if err != nil {
		return nil, err
	}
	return ServerTLS(cert, pool), nil
}
