package guard

import (
	"container/list"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"sync"
	"time"

	"github.com/ssbtek/gateway/identity"
)

// ConnLimits bound a TLS listener's connections in two budgets, so that
// no caller, with a certificate or without, can take the connections the
// others need: one for connections that have not yet presented a
// certificate, and one per organisation for those that have.
type ConnLimits struct {
	// Unidentified bounds the connections that have not finished their TLS
	// handshake. A new connection is always accepted: when the budget is
	// full, the oldest unidentified connection is closed to make room. A
	// real caller's handshake takes milliseconds; a flood of silent
	// connections evicts itself.
	Unidentified int
	// Handshake bounds the time from accepting a connection to a verified
	// certificate; a connection still unidentified then is closed.
	Handshake time.Duration
	// Identified bounds the connections whose certificate was verified, of
	// every organisation together (0: no bound).
	Identified int
	// PerOrganisation bounds one organisation's connections: a verified
	// certificate's organisationsnummer, or for a certificate that names
	// none, that certificate (0: no bound). A handshake over the bound fails.
	PerOrganisation int
}

// ErrTooManyConnections is a handshake refused because its organisation,
// or the listener, holds as many identified connections as it may.
var ErrTooManyConnections = errors.New("too many connections")

// Listener enforces ConnLimits on the connections of a listener whose
// connections speak TLS with the configuration TLSConfig returns.
type Listener struct {
	net.Listener
	lim ConnLimits

	mu sync.Mutex
	// unidentified are the connections not yet identified, oldest first;
	// byAddr finds them by remote address (what a handshake knows of them).
	unidentified *list.List
	byAddr       map[string]*list.Element
	perOrg       map[string]int
	identified   int
}

// NewListener returns ln within lim.
func NewListener(ln net.Listener, lim ConnLimits) *Listener {
	return &Listener{Listener: ln, lim: lim, unidentified: list.New(), byAddr: map[string]*list.Element{}, perOrg: map[string]int{}}
}

// Accept accepts the next connection and counts it as unidentified, closing
// the oldest unidentified one when the budget is full. It never waits for
// a budget: a listener that stopped accepting would leave every caller in
// the kernel's backlog behind the flood.
func (l *Listener) Accept() (net.Conn, error) {
	raw, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	c := &conn{Conn: raw, l: l, addr: raw.RemoteAddr().String()}
	var evicted *conn
	l.mu.Lock()
	if l.lim.Unidentified > 0 && l.unidentified.Len() >= l.lim.Unidentified {
		evicted = l.unidentified.Front().Value.(*conn)
		l.forget(evicted)
	}
	c.elem = l.unidentified.PushBack(c)
	l.byAddr[c.addr] = c.elem
	l.mu.Unlock()
	if evicted != nil {
		evicted.Close()
	}
	if l.lim.Handshake > 0 {
		// c.timer is set and read under l.mu: the timer's own function
		// (and Close from it) can run before AfterFunc's result is stored.
		l.mu.Lock()
		c.timer = time.AfterFunc(l.lim.Handshake, func() {
			l.mu.Lock()
			late := c.elem != nil
			l.mu.Unlock()
			if late {
				c.Close()
			}
		})
		l.mu.Unlock()
	}
	return c, nil
}

// forget takes c out of the unidentified budget (l.mu held).
func (l *Listener) forget(c *conn) {
	if c.elem == nil {
		return
	}
	l.unidentified.Remove(c.elem)
	if l.byAddr[c.addr] == c.elem {
		delete(l.byAddr, c.addr)
	}
	c.elem = nil
}

// TLSConfig returns base for this listener's handshakes: each handshake
// that verifies a client certificate moves its connection from the
// unidentified budget to its organisation's, or fails when that is full.
func (l *Listener) TLSConfig(base *tls.Config) *tls.Config {
	cfg := base.Clone()
	cfg.GetConfigForClient = func(hello *tls.ClientHelloInfo) (*tls.Config, error) {
		own := base
		if base.GetConfigForClient != nil {
			c, err := base.GetConfigForClient(hello)
			if err != nil {
				return nil, err
			}
			if c != nil {
				own = c
			}
		}
		per := own.Clone()
		// The handshake knows its connection only as hello.Conn, which may
		// be wrapped: the remote address finds it in the budget.
		addr := hello.Conn.RemoteAddr().String()
		verify := own.VerifyConnection
		per.VerifyConnection = func(cs tls.ConnectionState) error {
			if verify != nil {
				if err := verify(cs); err != nil {
					return err
				}
			}
			return l.identify(addr, cs)
		}
		return per, nil
	}
	return cfg
}

// identify moves the connection from addr, whose handshake verified cs,
// into its organisation's budget.
func (l *Listener) identify(addr string, cs tls.ConnectionState) error {
	var key string
	caller, err := identity.FromTLS(&cs)
	switch {
	case err == nil:
		key = "organisation " + caller.Organisationsnummer
	case errors.Is(err, identity.ErrNoOrganisation):
		key = "certificate " + caller.FingerprintSHA256
	default:
		return nil // nothing verified: the server refuses it its own way
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	e, ok := l.byAddr[addr]
	if !ok {
		return fmt.Errorf("connection from %s: closed before its handshake ended", addr)
	}
	c := e.Value.(*conn)
	if l.lim.PerOrganisation > 0 && l.perOrg[key] >= l.lim.PerOrganisation {
		return fmt.Errorf("%w: %s holds %d", ErrTooManyConnections, key, l.perOrg[key])
	}
	if l.lim.Identified > 0 && l.identified >= l.lim.Identified {
		return fmt.Errorf("%w: the listener holds %d identified", ErrTooManyConnections, l.identified)
	}
	l.forget(c)
	if c.timer != nil {
		c.timer.Stop()
	}
	c.key = key
	l.perOrg[key]++
	l.identified++
	return nil
}

// Counts are a listener's connections now.
type Counts struct {
	Unidentified, Identified int
	PerOrganisation          map[string]int
}

// Counts returns the connections open now, by budget (for tests and
// metrics).
func (l *Listener) Counts() Counts {
	l.mu.Lock()
	defer l.mu.Unlock()
	c := Counts{Unidentified: l.unidentified.Len(), Identified: l.identified, PerOrganisation: map[string]int{}}
	for k, n := range l.perOrg {
		c.PerOrganisation[k] = n
	}
	return c
}

// conn is an accepted connection; closing it releases its budget.
type conn struct {
	net.Conn
	l     *Listener
	addr  string
	elem  *list.Element // in l.unidentified while unidentified
	key   string        // its organisation's budget once identified
	timer *time.Timer
	once  sync.Once
}

func (c *conn) Close() error {
	c.once.Do(func() {
		l := c.l
		l.mu.Lock()
		if c.timer != nil {
			c.timer.Stop()
		}
		l.forget(c)
		if c.key != "" {
			if l.perOrg[c.key]--; l.perOrg[c.key] <= 0 {
				delete(l.perOrg, c.key)
			}
			l.identified--
			c.key = ""
		}
		l.mu.Unlock()
	})
	return c.Conn.Close()
}
