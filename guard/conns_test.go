package guard_test

import (
	"crypto/tls"
	"errors"
	"io"
	"net"
	"testing"
	"time"

	"github.com/ssbtek/gateway/guard"
	"github.com/ssbtek/gateway/internal/testpki"
)

// serveTLS accepts on a guard.Listener and completes each connection's
// handshake, then holds it until the client closes it.
func serveTLS(t *testing.T, lim guard.ConnLimits) (*guard.Listener, *testpki.PKI) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := testpki.New(t)
	g := guard.NewListener(ln, lim)
	cfg := g.TLSConfig(p.ServerTLS())
	go func() {
		for {
			c, err := g.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				tc := tls.Server(c, cfg)
				if tc.Handshake() != nil {
					return
				}
				io.Copy(io.Discard, tc)
			}()
		}
	}()
	t.Cleanup(func() { ln.Close() })
	return g, p
}

// closed reports whether a read's err says the peer closed the connection
// (not that the read timed out).
func closed(err error) bool {
	var ne net.Error
	return err != nil && !(errors.As(err, &ne) && ne.Timeout())
}

// waitFor polls cond until it holds or a second has passed.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(time.Second); !cond(); time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("still not %s after 1 s", what)
		}
	}
}

// TestPerOrganisation: an organisation's handshakes past its budget fail,
// another organisation's succeed, and a closed connection frees its slot.
func TestPerOrganisation(t *testing.T) {
	g, p := serveTLS(t, guard.ConnLimits{Unidentified: 10, Handshake: 5 * time.Second, PerOrganisation: 2, Identified: 10})
	a, b := p.Client(t, testpki.Org("162120002411")), p.Client(t, testpki.Org("162120001420"))
	// dial reports whether the gateway kept the connection: under TLS 1.3
	// the client's handshake ends before the server has checked its
	// certificate, so a refusal shows on the first read.
	dial := func(cfg *tls.Config) (*tls.Conn, bool) {
		c, err := tls.Dial("tcp", g.Addr().String(), cfg)
		if err != nil {
			return nil, false
		}
		t.Cleanup(func() { c.Close() })
		c.SetReadDeadline(time.Now().Add(200 * time.Millisecond))
		_, err = c.Read(make([]byte, 1))
		return c, !closed(err)
	}
	first, ok1 := dial(a)
	_, ok2 := dial(a)
	if !ok1 || !ok2 {
		t.Fatalf("the first two connections of an organisation: kept %v %v", ok1, ok2)
	}
	if _, ok := dial(a); ok {
		t.Errorf("a third connection of an organisation with a budget of 2 was kept")
	}
	if _, ok := dial(b); !ok {
		t.Errorf("another organisation's connection was refused")
	}
	first.Close()
	waitFor(t, "freed", func() bool { return g.Counts().PerOrganisation["organisation 162120002411"] == 1 })
	if _, ok := dial(a); !ok {
		t.Errorf("a connection after one of two closed was refused")
	}
}

// TestUnidentifiedEvictsOldest: silent connections past the unidentified
// budget close the oldest, never wait, and a real caller still gets in;
// those left are closed at the handshake timeout.
func TestUnidentifiedEvictsOldest(t *testing.T) {
	const budget, handshake = 5, 300 * time.Millisecond
	g, p := serveTLS(t, guard.ConnLimits{Unidentified: budget, Handshake: handshake})
	var silent []net.Conn
	for range 3 * budget {
		c, err := net.Dial("tcp", g.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Close() })
		silent = append(silent, c)
	}
	waitFor(t, "at the budget", func() bool { return g.Counts().Unidentified == budget })
	// The oldest were closed: a read ends at once.
	silent[0].SetReadDeadline(time.Now().Add(time.Second))
	if _, err := silent[0].Read(make([]byte, 1)); !closed(err) {
		t.Errorf("the oldest silent connection is still open: %v", err)
	}
	start := time.Now()
	c, err := tls.Dial("tcp", g.Addr().String(), p.Client(t, testpki.Org("162120002411")))
	if err != nil {
		t.Fatalf("a caller behind %d silent connections: %v", 3*budget, err)
	}
	defer c.Close()
	waitFor(t, "identified", func() bool { return g.Counts().Identified == 1 })
	t.Logf("a caller behind %d silent connections identified in %v", 3*budget, time.Since(start))
	// The newest silent ones go at the handshake timeout.
	last := silent[len(silent)-1]
	last.SetReadDeadline(time.Now().Add(handshake + 2*time.Second))
	if _, err := last.Read(make([]byte, 1)); !closed(err) {
		t.Errorf("a silent connection outlived the handshake timeout: %v", err)
	}
	waitFor(t, "empty", func() bool { return g.Counts().Unidentified == 0 })
}
