package redact

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"sync"
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

// TestDigestReusesNoState: a digest depends on its input alone, whatever
// was digested before it and however many goroutines digest at once.
func TestDigestReusesNoState(t *testing.T) {
	d, err := NewDigester([]byte("deployment-secret-A"))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{}
	for _, s := range []string{"KORR-0001", "191212121212", strings.Repeat("x", 200)} {
		m := hmac.New(sha256.New, []byte("deployment-secret-A"))
		m.Write([]byte(s))
		want[s] = hex.EncodeToString(m.Sum(nil)[:8])
	}
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 100 {
				for s, w := range want {
					if got := d.Digest(s); got != w {
						t.Errorf("Digest(%q) = %s, want %s", s, got, w)
						return
					}
				}
			}
		})
	}
	wg.Wait()
}

func BenchmarkDigest(b *testing.B) {
	d := RandomDigester()
	b.ReportAllocs()
	for b.Loop() {
		d.Digest("KORR-0001")
	}
}
