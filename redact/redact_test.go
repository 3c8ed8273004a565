package redact

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"testing"
)

func TestIdentifiers(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"no such person 191212121212 at FK", "no such person [personnummer] at FK"},
		{"pnr 121212-1212, sam 19830574-2218", "pnr [personnummer], sam [personnummer]"},
		{"old 1212121212+", "old [personnummer]+"},
		{"HTTP status 503 after 12 ms", "HTTP status 503 after 12 ms"},
		{`{"aktorsId":"195802281625"}`, `{"aktorsId":"[personnummer]"}`},
	} {
		if got := Identifiers(tt.in); got != tt.want {
			t.Errorf("Identifiers(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestDigestIsKeyed(t *testing.T) {
	a, err := NewDigester([]byte("deployment-secret-A"))
	if err != nil {
		t.Fatal(err)
	}
	b, _ := NewDigester([]byte("deployment-secret-B"))
	const pnr = "191212121212"
	if a.Digest(pnr) != a.Digest(pnr) || len(a.Digest(pnr)) != 16 {
		t.Fatalf("digest not stable 8-byte hex: %q", a.Digest(pnr))
	}
	if a.Digest(pnr) == b.Digest(pnr) {
		t.Error("two secrets give the same digest: not keyed")
	}
	bare := sha256.Sum256([]byte(pnr))
	if a.Digest(pnr) == hex.EncodeToString(bare[:8]) {
		t.Error("digest equals the bare SHA-256 anyone can recompute")
	}
	if strings.Contains(a.Digest(pnr), pnr) || a.Digest("") != "" {
		t.Error("digest leaks its input or digests the empty string")
	}
	if _, err := NewDigester([]byte("short")); err == nil {
		t.Error("a 5-byte secret was accepted")
	}
	if RandomDigester().Digest(pnr) == RandomDigester().Digest(pnr) {
		t.Error("two random keys agree")
	}
}
