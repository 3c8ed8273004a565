package lookup

import (
	"sync"
	"time"

	"github.com/ssbtek/gateway/identity"
)

// WithCallerLimit bounds the lookups one sender (a client certificate's
// organisation) may have in flight at once, so that one greedy or runaway
// case system cannot take every agency slot from the others: the agencies'
// bulkheads are shared by all callers. A question over the bound is refused
// at once (RESOURCE_EXHAUSTED / HTTP 429 / SOAP fault 1004, Retry-After 1 s)
// before any agency is asked. 0 means no bound.
func WithCallerLimit(n int) Option {
	return func(s *Service) {
		if n > 0 {
			s.callers = &callerLimit{max: n, inFlight: map[string]int{}}
		}
	}
}

// callerLimit counts lookups in flight per sender.
type callerLimit struct {
	max      int
	mu       sync.Mutex
	inFlight map[string]int
}

// enter takes a turn for the sender, or refuses when it has max in flight.
// A request without identity takes none (admission refuses it). The
// returned func gives the turn back.
func (c *callerLimit) enter(sender identity.Caller) (func(), error) {
	if c == nil || sender.Organisationsnummer == "" {
		return func() {}, nil
	}
	key := sender.Organisationsnummer
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.inFlight[key] >= c.max {
		return nil, &Refusal{Reason: ReasonBusy, Message: "Avsändaren har redan så många frågor pågående som tillåts", RetryAfter: time.Second}
	}
	c.inFlight[key]++
	return func() {
		c.mu.Lock()
		defer c.mu.Unlock()
		if c.inFlight[key]--; c.inFlight[key] == 0 {
			delete(c.inFlight, key)
		}
	}, nil
}
