// Package redact keeps personal identifiers out of logs, metrics and traces:
// it scrubs personnummer-shaped digits out of free text and replaces
// caller-supplied identifiers with a keyed digest.
package redact

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"regexp"
	"sync"
)

// identifier matches what may be a personnummer or samordningsnummer in any
// of its written forms: 12 or 10 digits, with or without the - or + before
// the last four. It matches more than valid numbers on purpose (any run of
// 10-12 digits): a scrubbed log loses an order number now and then, an
// unscrubbed one may leak a person.
var identifier = regexp.MustCompile(`\d{6,8}[-+]?\d{4}`)

// Placeholder replaces every scrubbed identifier.
const Placeholder = "[personnummer]"

// Identifiers returns s with every run of digits that may be a personnummer
// replaced by Placeholder.
func Identifiers(s string) string {
	return identifier.ReplaceAllLiteralString(s, Placeholder)
}

// Digester turns a caller-supplied identifier (a korrelationsid, which the
// caller may fill with anything, a personnummer included) into a short
// stable token for logs and traces. It is keyed: without the deployment's
// secret, a token cannot be reversed by trying every valid personnummer (a
// bare SHA-256 of one falls in seconds to 65.7 M guesses).
type Digester struct {
	key []byte
	// macs holds HMACs keyed with key between calls: keying one costs two
	// SHA-256 states and their pads (about ten allocations), and Digest
	// runs several times per lookup.
	macs sync.Pool
}

// MinKeyLen is the shortest secret NewDigester accepts.
const MinKeyLen = 16

// NewDigester returns a Digester keyed with secret.
func NewDigester(secret []byte) (*Digester, error) {
	if len(secret) < MinKeyLen {
		return nil, fmt.Errorf("digest secret has %d bytes, want at least %d", len(secret), MinKeyLen)
	}
	return &Digester{key: append([]byte(nil), secret...)}, nil
}

// RandomDigester returns a Digester with a fresh random key: tokens are
// stable for the life of the process only. It is the fallback when no
// secret is configured, so that no deployment ever logs an unkeyed digest.
func RandomDigester() *Digester {
	key := make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		// crypto/rand.Read does not fail on supported platforms (Go 1.24+
		// crashes the program instead), so this is unreachable.
		panic(errors.New("crypto/rand failed"))
	}
	return &Digester{key: key}
}

// Digest is the first 8 bytes of HMAC-SHA256(key, s) in hex ("" for "").
func (d *Digester) Digest(s string) string {
	if s == "" {
		return ""
	}
	m, _ := d.macs.Get().(hash.Hash)
	if m == nil {
		m = hmac.New(sha256.New, d.key)
	}
	io.WriteString(m, s)
	var sum [sha256.Size]byte
	var out [16]byte
	hex.Encode(out[:], m.Sum(sum[:0])[:8])
	// Reset returns the HMAC to its keyed state, ready for the next input.
	m.Reset()
	d.macs.Put(m)
	return string(out[:])
}
