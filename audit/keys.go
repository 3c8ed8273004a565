package audit

import (
	"crypto/rand"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/mod/sumdb/note"
)

// KeyName names the gateway's checkpoint key in its signatures.
const KeyName = "ssbtek-audit"

// LoadSigner reads the note signing key at path. When create is set and
// the file does not exist, it generates one (a development key, as `make
// run` uses) and writes its verifier key beside it, at path + ".pub".
func LoadSigner(path string, create bool) (note.Signer, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) && create {
		skey, vkey, err := note.GenerateKey(rand.Reader, KeyName)
		if err != nil {
			return nil, fmt.Errorf("generating a checkpoint key: %w", err)
		}
		if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
			return nil, fmt.Errorf("creating the key directory: %w", err)
		}
		if err := os.WriteFile(path+".pub", []byte(vkey+"\n"), 0o644); err != nil {
			return nil, fmt.Errorf("writing the verifier key: %w", err)
		}
		// O_EXCL: two gateways starting at once must not each write a key.
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if err != nil {
			return nil, fmt.Errorf("writing the checkpoint key: %w", err)
		}
		if _, err := f.WriteString(skey + "\n"); err != nil {
			f.Close()
			return nil, fmt.Errorf("writing the checkpoint key: %w", err)
		}
		if err := f.Close(); err != nil {
			return nil, fmt.Errorf("writing the checkpoint key: %w", err)
		}
		b = []byte(skey)
	} else if err != nil {
		return nil, fmt.Errorf("reading the checkpoint key: %w", err)
	}
	s, err := note.NewSigner(strings.TrimSpace(string(b)))
	if err != nil {
		return nil, fmt.Errorf("checkpoint key %s: %w", path, err)
	}
	return s, nil
}

// LoadVerifiers reads a note verifier key (one "name+hash+key" line) from
// path.
func LoadVerifiers(path string) (note.Verifiers, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading the verifier key: %w", err)
	}
	v, err := note.NewVerifier(strings.TrimSpace(string(b)))
	if err != nil {
		return nil, fmt.Errorf("verifier key %s: %w", path, err)
	}
	return note.VerifierList(v), nil
}
