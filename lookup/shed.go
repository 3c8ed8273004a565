package lookup

import (
	"sync/atomic"
	"time"
)

// DefaultMaxLookups is the default bound on lookups in flight in one
// gateway process: an agency's default bulkhead (64 calls in flight), past
// which further questions would only queue for agency slots and time out
// with 2005 after holding their memory for the queue time.
const DefaultMaxLookups = 64

// WithMaxLookups bounds the lookups in flight in this process, all callers
// together. A question beyond the bound is refused at once, before any
// check or agency (UNAVAILABLE / HTTP 503 / SOAP fault 1003, Retry-After
// 1 s), so that an overload costs the excess questions, never the admitted
// ones or the process: each admitted lookup holds at most its agencies'
// answers (each bounded by the agency answer limit) and the compiled answer
// (bounded by the fan-out core's answer bound), so the bound on lookups is
// also the bound on the memory they hold. 0 means no bound.
func WithMaxLookups(n int) Option {
	return func(s *Service) {
		s.shed = nil
		if n > 0 {
			s.shed = &shedder{max: int64(n)}
		}
	}
}

// shedder counts the lookups in flight.
type shedder struct {
	max      int64
	inFlight atomic.Int64
}

// enter takes a place, or refuses the question when every place is taken.
func (l *shedder) enter() (func(), error) {
	if l == nil {
		return func() {}, nil
	}
	if l.inFlight.Add(1) > l.max {
		l.inFlight.Add(-1)
		return nil, &Refusal{Reason: ReasonOverload, Message: "Tjänsten har så många frågor pågående som den tar emot, försök igen om en stund", RetryAfter: time.Second}
	}
	return func() { l.inFlight.Add(-1) }, nil
}
