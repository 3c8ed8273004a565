package identity_test

import (
	"context"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/hex"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/ssbtek/gateway/identity"
	"github.com/ssbtek/gateway/internal/pki"
)

func TestFromCertificate(t *testing.T) {
	ca, err := pki.NewCA("test")
	if err != nil {
		t.Fatal(err)
	}
	// The seed's example: serialNumber=165565869996.
	is, err := ca.Client(pki.Client{CommonName: "*.so.edb.se", Organization: "EDB Business Partner Sverige AB", SerialNumber: "165565869996"})
	if err != nil {
		t.Fatal(err)
	}
	c, err := identity.FromCertificate(is.Cert)
	sum := sha256.Sum256(is.Cert.Raw)
	if err != nil || c.Organisationsnummer != "165565869996" || c.SerialNumber != "165565869996" || c.FingerprintSHA256 != hex.EncodeToString(sum[:]) || c.Subject == "" {
		t.Errorf("%+v %v", c, err)
	}
	for _, serial := range []string{"", "5565869996", "175565869996", "16556586999", "16556586999x", "162110002411"} {
		is, err := ca.Client(pki.Client{CommonName: "x", SerialNumber: serial})
		if err != nil {
			t.Fatal(err)
		}
		if c, err := identity.FromCertificate(is.Cert); !errors.Is(err, identity.ErrNoOrganisation) || c.Organisationsnummer != "" {
			t.Errorf("serialNumber %q: %+v %v, want ErrNoOrganisation", serial, c, err)
		}
	}
	// Two serialNumbers are ambiguous: which one would another reader take?
	two := &x509.Certificate{Subject: pkix.Name{Names: []pkix.AttributeTypeAndValue{
		{Type: asn1.ObjectIdentifier{2, 5, 4, 5}, Value: "162120002411"},
		{Type: asn1.ObjectIdentifier{2, 5, 4, 5}, Value: "165565869996"},
	}}}
	if _, err := identity.FromCertificate(two); !errors.Is(err, identity.ErrNoOrganisation) {
		t.Errorf("two serialNumbers: %v", err)
	}
}

func TestContext(t *testing.T) {
	if _, err := identity.FromContext(context.Background()); !errors.Is(err, identity.ErrNoCertificate) {
		t.Errorf("no caller: %v", err)
	}
	c := identity.Caller{Organisationsnummer: "162120002411"}
	if got, err := identity.FromContext(identity.NewContext(context.Background(), c)); err != nil || got != c {
		t.Errorf("%+v %v", got, err)
	}
	// A plain HTTP request has no TLS: Middleware records why, Require refuses.
	var seen error
	h := identity.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, seen = identity.FromContext(r.Context())
		identity.Require(http.NotFoundHandler()).ServeHTTP(w, r)
	}))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/", nil))
	if !errors.Is(seen, identity.ErrNoCertificate) || rec.Code != http.StatusUnauthorized {
		t.Errorf("%v %d", seen, rec.Code)
	}
}
