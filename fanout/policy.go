package fanout

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"syscall"
	"time"

	"github.com/sony/gobreaker/v2"

	"github.com/ssbtek/gateway/bastjanst"
	ssbtekv1 "github.com/ssbtek/gateway/gen/ssbtek/v1"
)

// Defaults for the per-agency policies.
const (
	// DefaultMaxInFlight is the default per-agency concurrency bound.
	DefaultMaxInFlight = 64
	// DefaultQueueTimeout is how long a question waits for a free call slot
	// before it gets felkod 2005: long enough to ride out a burst, short
	// enough that one slow agency does not hold every answer for its whole
	// deadline.
	DefaultQueueTimeout = 500 * time.Millisecond
	// DefaultBreakerFailures consecutive failures open an agency's breaker.
	DefaultBreakerFailures = 5
	// DefaultBreakerOpenFor is how long an open breaker refuses calls before
	// it lets probes through (half-open).
	DefaultBreakerOpenFor = 10 * time.Second
	// DefaultBreakerProbes calls in half-open state must succeed to close it.
	DefaultBreakerProbes = 1
	// DefaultRetryAttempts is the number of tries (first call included) for
	// a failure that is safe to retry.
	DefaultRetryAttempts = 2
	// DefaultRetryBackoff is the pause between tries.
	DefaultRetryBackoff = 50 * time.Millisecond
)

// AgencyConfig tunes the policies around one agency's calls. In
// Config.Default and Config.Agencies a zero field means "inherit": the
// per-agency value overrides the default one, which overrides the built-in.
type AgencyConfig struct {
	// Timeout is the agency's own deadline (default Config.AgencyTimeout).
	Timeout time.Duration
	// MaxInFlight bounds concurrent calls to the agency, questions and pings
	// together (a bulkhead: agencies promise about one question a second, and
	// one slow agency must not tie up the gateway).
	MaxInFlight int
	// QueueTimeout bounds the wait for a free slot; a question that waits
	// longer gets felkod 2005 at once.
	QueueTimeout time.Duration
	Breaker      BreakerConfig
	Retry        RetryConfig
}

// BreakerConfig tunes an agency's circuit breaker. While it is open, calls
// to the agency fail at once with felkod 2002; after OpenFor it lets Probes
// calls through, and closes again when they all succeed.
type BreakerConfig struct {
	// Off disables the breaker.
	Off bool
	// Failures is the number of consecutive failed calls that opens it.
	Failures uint32
	OpenFor  time.Duration
	Probes   uint32
}

// RetryConfig tunes the retry of failures that are safe to retry: the
// connection was refused or reset, or the agency answered HTTP 502/503. A
// lookup is a read, so asking twice is harmless. A retry happens only when
// the agency's deadline leaves room for the pause and another try as long
// as the last.
type RetryConfig struct {
	// Attempts is the number of tries, the first included; 1 disables retry.
	Attempts int
	Backoff  time.Duration
}

func (a AgencyConfig) validate(name string) []error {
	var errs []error
	if a.Timeout < 0 {
		errs = append(errs, fmt.Errorf("%s: timeout %v is negative", name, a.Timeout))
	}
	if a.MaxInFlight < 0 {
		errs = append(errs, fmt.Errorf("%s: max in flight %d is negative", name, a.MaxInFlight))
	}
	if a.QueueTimeout < 0 {
		errs = append(errs, fmt.Errorf("%s: queue timeout %v is negative", name, a.QueueTimeout))
	}
	if a.Breaker.OpenFor < 0 {
		errs = append(errs, fmt.Errorf("%s: breaker open time %v is negative", name, a.Breaker.OpenFor))
	}
	if a.Retry.Attempts < 0 || a.Retry.Backoff < 0 {
		errs = append(errs, fmt.Errorf("%s: retry attempts %d / backoff %v is negative", name, a.Retry.Attempts, a.Retry.Backoff))
	}
	return errs
}

// over returns a with every zero field taken from d.
func (a AgencyConfig) over(d AgencyConfig) AgencyConfig {
	pick := func(v, def time.Duration) time.Duration {
		if v != 0 {
			return v
		}
		return def
	}
	a.Timeout = pick(a.Timeout, d.Timeout)
	a.QueueTimeout = pick(a.QueueTimeout, d.QueueTimeout)
	a.Breaker.OpenFor = pick(a.Breaker.OpenFor, d.Breaker.OpenFor)
	a.Retry.Backoff = pick(a.Retry.Backoff, d.Retry.Backoff)
	if a.MaxInFlight == 0 {
		a.MaxInFlight = d.MaxInFlight
	}
	if a.Breaker.Failures == 0 {
		a.Breaker.Failures = d.Breaker.Failures
	}
	if a.Breaker.Probes == 0 {
		a.Breaker.Probes = d.Breaker.Probes
	}
	a.Breaker.Off = a.Breaker.Off || d.Breaker.Off
	if a.Retry.Attempts == 0 {
		a.Retry.Attempts = d.Retry.Attempts
	}
	return a
}

// builtin is the last layer of defaults.
var builtin = AgencyConfig{
	Timeout:      DefaultAgencyTimeout,
	MaxInFlight:  DefaultMaxInFlight,
	QueueTimeout: DefaultQueueTimeout,
	Breaker:      BreakerConfig{Failures: DefaultBreakerFailures, OpenFor: DefaultBreakerOpenFor, Probes: DefaultBreakerProbes},
	Retry:        RetryConfig{Attempts: DefaultRetryAttempts, Backoff: DefaultRetryBackoff},
}

// agency is one configured agency with its policies.
type agency struct {
	adapter bastjanst.Adapter
	cfg     AgencyConfig
	// slots is the bulkhead: a buffered channel used as a semaphore.
	slots   chan struct{}
	breaker *gobreaker.CircuitBreaker[*ssbtekv1.BastjanstResultat] // nil when off
}

func newAgency(a bastjanst.Adapter, cfg AgencyConfig, obs Observer) *agency {
	ag := &agency{adapter: a, cfg: cfg, slots: make(chan struct{}, cfg.MaxInFlight)}
	b := a.Bastjanst()
	obs.BreakerState(b, "closed")
	if cfg.Breaker.Off {
		return ag
	}
	ag.breaker = gobreaker.NewCircuitBreaker[*ssbtekv1.BastjanstResultat](gobreaker.Settings{
		Name:        bastjanst.Kod(b),
		MaxRequests: cfg.Breaker.Probes,
		Timeout:     cfg.Breaker.OpenFor,
		ReadyToTrip: func(c gobreaker.Counts) bool { return c.ConsecutiveFailures >= cfg.Breaker.Failures },
		OnStateChange: func(_ string, _, to gobreaker.State) {
			obs.BreakerState(b, to.String())
		},
		IsExcluded: notTheAgencysFault,
	})
	return ag
}

// notTheAgencysFault reports outcomes that say nothing about the agency's
// health, which the breaker must neither count as failures nor successes:
// the caller going away, a full queue, the gateway's own rate limit, a
// right the ingivare lacks.
func notTheAgencysFault(err error) bool {
	var e *bastjanst.Error
	if errors.As(err, &e) {
		switch e.Felkod {
		case bastjanst.FelkodAvbruten, bastjanst.FelkodKoFull, bastjanst.FelkodEjBehorig, bastjanst.FelkodHastighet:
			return true
		}
	}
	return errors.Is(err, context.Canceled)
}

// breakerOpen is the error for a call the breaker refused.
// BreakerMeddelande is the text of the 2002 an open breaker answers with in
// the agency's place, unlike any agency call's (a refused connection is 2002
// too), so that a caller (and a test) can tell the two apart.
const BreakerMeddelande = "Bastjänsten är tillfälligt avstängd efter upprepade fel"

func breakerOpen(err error) error {
	return &bastjanst.Error{Felkod: bastjanst.FelkodOtillganglig, Meddelande: BreakerMeddelande, Err: fmt.Errorf("circuit breaker: %w", err)}
}

// isOpen reports whether the breaker refuses calls now, so that a question
// does not queue for a slot only to be refused.
func (ag *agency) isOpen() bool {
	return ag.breaker != nil && ag.breaker.State() == gobreaker.StateOpen
}

// acquire takes a call slot, waiting at most the queue time and never past
// ctx. It returns the release func, or the error for the result.
func (ag *agency) acquire(ctx context.Context, obs Observer) (func(), error) {
	release := func() {
		<-ag.slots
		obs.InFlight(ag.adapter.Bastjanst(), -1)
	}
	select {
	case ag.slots <- struct{}{}:
		obs.InFlight(ag.adapter.Bastjanst(), 1)
		return release, nil
	default:
	}
	t := time.NewTimer(ag.cfg.QueueTimeout)
	defer t.Stop()
	select {
	case ag.slots <- struct{}{}:
		obs.InFlight(ag.adapter.Bastjanst(), 1)
		return release, nil
	case <-t.C:
		return nil, bastjanst.Busy(fmt.Errorf("no call slot free after %v (%d in flight)", ag.cfg.QueueTimeout, cap(ag.slots)))
	case <-ctx.Done():
		return nil, fmt.Errorf("waiting for a free call slot: %w", ctx.Err())
	}
}

// call runs fn through the breaker, and again while the failure is safe to
// retry and the deadline leaves room. It returns the number of tries.
func (ag *agency) call(ctx context.Context, obs Observer, fn func() (*ssbtekv1.BastjanstResultat, error)) (*ssbtekv1.BastjanstResultat, int, error) {
	through := fn
	if ag.breaker != nil {
		through = func() (*ssbtekv1.BastjanstResultat, error) {
			res, err := ag.breaker.Execute(func() (*ssbtekv1.BastjanstResultat, error) {
				res, err := fn()
				return res, ended(ctx, err)
			})
			if errors.Is(err, gobreaker.ErrOpenState) || errors.Is(err, gobreaker.ErrTooManyRequests) {
				err = breakerOpen(err)
			}
			return res, err
		}
	}
	for try := 1; ; try++ {
		start := time.Now()
		res, err := through()
		if err == nil || try >= ag.cfg.Retry.Attempts || !retryable(err) || ctx.Err() != nil {
			return res, try, err
		}
		if dl, ok := ctx.Deadline(); ok && time.Until(dl) < ag.cfg.Retry.Backoff+time.Since(start) {
			return res, try, err
		}
		obs.Retried(ag.adapter.Bastjanst())
		t := time.NewTimer(ag.cfg.Retry.Backoff)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			return res, try, err
		}
	}
}

// retryable reports a failure that happened before the agency could act on
// the question, or that the agency itself says is passing.
func retryable(err error) bool {
	if errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ECONNRESET) {
		return true
	}
	switch bastjanst.HTTPStatus(err) {
	case http.StatusBadGateway, http.StatusServiceUnavailable:
		return true
	}
	return false
}

// ended gives an error that came with ctx done its real cause: the caller
// went away (2006) or a deadline passed (2001), whatever the adapter said.
func ended(ctx context.Context, err error) error {
	if err == nil {
		return nil
	}
	var e *bastjanst.Error
	switch {
	case errors.As(err, &e) && (e.Felkod == bastjanst.FelkodAvbruten || e.Felkod == bastjanst.FelkodTimeout):
		return err
	case errors.Is(ctx.Err(), context.Canceled):
		return bastjanst.CallerCancelled(err)
	case ctx.Err() != nil:
		return bastjanst.Timeout(err)
	}
	return err
}
