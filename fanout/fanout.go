// Package fanout asks several agency adapters in parallel, each under its own
// deadline inside one overall deadline, and collects one result per agency in
// a fixed order. One agency's failure never spoils the others' answers.
//
// It knows nothing about XML, HTTP or any particular agency.
package fanout

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"time"

	"google.golang.org/protobuf/types/known/durationpb"

	"github.com/ssbtek/gateway/bastjanst"
	ssbtekv1 "github.com/ssbtek/gateway/gen/ssbtek/v1"
)

// Defaults follow the service level: consumers abort at 10 s, so the whole
// answer must be out before that, and each agency gets a little less.
const (
	DefaultAgencyTimeout  = 8 * time.Second
	DefaultOverallTimeout = 9500 * time.Millisecond
	MaxOverallTimeout     = 10 * time.Second
)

// callerHeadroom is the share of the caller's remaining time we use, so the
// compiled answer reaches the caller before its own deadline fires.
const callerHeadroom = 0.9

// Config tunes the deadlines. Zero values mean the defaults.
type Config struct {
	// AgencyTimeout is each agency's own deadline.
	AgencyTimeout time.Duration
	// AgencyTimeouts overrides AgencyTimeout for single agencies.
	AgencyTimeouts map[ssbtekv1.Bastjanst]time.Duration
	// OverallTimeout bounds the whole fan-out; it is capped at MaxOverallTimeout.
	OverallTimeout time.Duration
	// MaxInFlight bounds concurrent calls to each agency (a bulkhead: the
	// agencies promise about one question a second, and one slow agency must
	// not tie up the gateway). Calls beyond it wait for a slot within their
	// deadline. 0 means DefaultMaxInFlight.
	MaxInFlight int
}

// DefaultMaxInFlight is the default per-agency concurrency bound.
const DefaultMaxInFlight = 64

// Validate reports every bad value at once.
func (c Config) Validate() error {
	var errs []error
	if c.AgencyTimeout < 0 {
		errs = append(errs, fmt.Errorf("agency timeout %v is negative", c.AgencyTimeout))
	}
	if c.MaxInFlight < 0 {
		errs = append(errs, fmt.Errorf("max in flight %d is negative", c.MaxInFlight))
	}
	if c.OverallTimeout < 0 || c.OverallTimeout > MaxOverallTimeout {
		errs = append(errs, fmt.Errorf("overall timeout %v is outside 0..%v", c.OverallTimeout, MaxOverallTimeout))
	}
	for b, d := range c.AgencyTimeouts {
		if d <= 0 {
			errs = append(errs, fmt.Errorf("timeout for %s %v is not positive", bastjanst.Kod(b), d))
		}
	}
	return errors.Join(errs...)
}

// Core runs adapters. The zero value is not usable; build it with New.
type Core struct {
	adapters map[ssbtekv1.Bastjanst]bastjanst.Adapter
	// slots is each agency's bulkhead: a buffered channel used as a semaphore.
	slots map[ssbtekv1.Bastjanst]chan struct{}
	cfg   Config
}

// New returns a Core over the given adapters, at most one per agency.
func New(cfg Config, adapters ...bastjanst.Adapter) (*Core, error) {
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("fan-out config: %w", err)
	}
	if cfg.AgencyTimeout == 0 {
		cfg.AgencyTimeout = DefaultAgencyTimeout
	}
	if cfg.OverallTimeout == 0 {
		cfg.OverallTimeout = DefaultOverallTimeout
	}
	if cfg.MaxInFlight == 0 {
		cfg.MaxInFlight = DefaultMaxInFlight
	}
	m := make(map[ssbtekv1.Bastjanst]bastjanst.Adapter, len(adapters))
	slots := make(map[ssbtekv1.Bastjanst]chan struct{}, len(adapters))
	for _, a := range adapters {
		if _, dup := m[a.Bastjanst()]; dup {
			return nil, fmt.Errorf("two adapters for %s", bastjanst.Kod(a.Bastjanst()))
		}
		m[a.Bastjanst()] = a
		slots[a.Bastjanst()] = make(chan struct{}, cfg.MaxInFlight)
	}
	return &Core{adapters: m, slots: slots, cfg: cfg}, nil
}

// Has reports whether an adapter for b is configured.
func (c *Core) Has(b ssbtekv1.Bastjanst) bool { _, ok := c.adapters[b]; return ok }

// Hamta asks the selected agencies (all configured ones when urval is empty)
// in parallel and returns one result per agency in the fixed agency order.
// It returns when every agency has answered or the overall deadline passed,
// whichever comes first; a late agency gets felkod 2001. Cancelling ctx
// cancels every outstanding call.
func (c *Core) Hamta(ctx context.Context, fraga *ssbtekv1.Fraga, urval []ssbtekv1.Bastjanst) []*ssbtekv1.BastjanstResultat {
	selected := c.selection(urval)
	results := make([]*ssbtekv1.BastjanstResultat, len(selected))
	if len(selected) == 0 {
		return results
	}

	ctx, cancel := context.WithTimeout(ctx, c.overall(ctx))
	defer cancel()

	type done struct {
		i   int
		res *ssbtekv1.BastjanstResultat
	}
	// Buffered to the count: a goroutine never blocks on sending, even after
	// we stopped listening at the overall deadline.
	ch := make(chan done, len(selected))
	start := time.Now()
	for i, b := range selected {
		a := c.adapters[b]
		if a == nil {
			// Asked for an agency this gateway has no adapter for.
			ch <- done{i, bastjanst.Failed(b, bastjanst.Unavailable(errors.New("no adapter configured")), 0)}
			continue
		}
		go func() {
			ch <- done{i, c.ask(ctx, a, fraga)}
		}()
	}

	for remaining := len(selected); remaining > 0; remaining-- {
		select {
		case d := <-ch:
			results[d.i] = d.res
		case <-ctx.Done():
			// Overall deadline or caller gone: whoever has not answered times out.
			// Their goroutines see the cancelled context and end on their own.
			for i, r := range results {
				if r == nil {
					results[i] = bastjanst.Failed(selected[i], ctx.Err(), time.Since(start))
				}
			}
			return results
		}
	}
	return results
}

// ask runs one adapter under its own deadline and never returns nil.
func (c *Core) ask(ctx context.Context, a bastjanst.Adapter, fraga *ssbtekv1.Fraga) *ssbtekv1.BastjanstResultat {
	b := a.Bastjanst()
	ctx, cancel := context.WithTimeout(ctx, c.timeout(b))
	defer cancel()

	start := time.Now()
	select {
	case c.slots[b] <- struct{}{}:
		defer func() { <-c.slots[b] }()
	case <-ctx.Done():
		return bastjanst.Failed(b, bastjanst.Timeout(fmt.Errorf("waiting for a free call slot: %w", ctx.Err())), time.Since(start))
	}
	res, err := c.safeHamta(ctx, a, fraga, bastjanst.PeriodFor(fraga, b))
	latens := time.Since(start)
	if err == nil && ctx.Err() != nil {
		// An answer that came after the deadline is not an answer.
		err = ctx.Err()
	}
	if err != nil {
		if ctx.Err() != nil {
			// Whatever the adapter says, it was the deadline that ended it.
			err = bastjanst.Timeout(err)
		}
		failed := bastjanst.Failed(b, err, latens)
		failed.Radata = res.GetRadata()
		return failed
	}
	if res == nil {
		return bastjanst.Failed(b, bastjanst.Unreadable(errors.New("adapter returned no result")), latens)
	}
	res.Bastjanst = b
	res.Latens = durationpb.New(latens)
	return res
}

// timeout is agency b's own deadline.
func (c *Core) timeout(b ssbtekv1.Bastjanst) time.Duration {
	if d, ok := c.cfg.AgencyTimeouts[b]; ok {
		return d
	}
	return c.cfg.AgencyTimeout
}

// safeHamta turns an adapter panic into an error for that agency only.
func (c *Core) safeHamta(ctx context.Context, a bastjanst.Adapter, f *ssbtekv1.Fraga, p *ssbtekv1.Tidsperiod) (res *ssbtekv1.BastjanstResultat, err error) {
	defer recoverAdapter(a, &err)
	return a.Hamta(ctx, f, p)
}

// safeTesta is safeHamta for the ping.
func (c *Core) safeTesta(ctx context.Context, a bastjanst.Adapter) (err error) {
	defer recoverAdapter(a, &err)
	return a.Testa(ctx)
}

// recoverAdapter, deferred, turns a panic in adapter a into *err.
func recoverAdapter(a bastjanst.Adapter, err *error) {
	if r := recover(); r != nil {
		*err = bastjanst.Unreadable(fmt.Errorf("adapter %s panicked: %v", bastjanst.Kod(a.Bastjanst()), r))
	}
}

// Testa pings every configured agency's test service in parallel.
func (c *Core) Testa(ctx context.Context) []*ssbtekv1.TestSvar {
	selected := c.selection(nil) // only configured agencies
	out := make([]*ssbtekv1.TestSvar, len(selected))
	ctx, cancel := context.WithTimeout(ctx, c.overall(ctx))
	defer cancel()
	ch := make(chan int, len(selected))
	for i, b := range selected {
		go func() {
			actx, acancel := context.WithTimeout(ctx, c.timeout(b))
			defer acancel()
			start := time.Now()
			err := c.safeTesta(actx, c.adapters[b])
			if err != nil && actx.Err() != nil {
				err = bastjanst.Timeout(err)
			}
			svar := &ssbtekv1.TestSvar{Bastjanst: b, Anropad: true, Latens: durationpb.New(time.Since(start))}
			if err != nil {
				svar.Fel = bastjanst.FelFor(err)
			}
			out[i] = svar
			ch <- i
		}()
	}
	for range selected {
		<-ch
	}
	return out
}

func (c *Core) selection(urval []ssbtekv1.Bastjanst) []ssbtekv1.Bastjanst {
	var selected []ssbtekv1.Bastjanst
	if len(urval) == 0 {
		for b := range c.adapters {
			selected = append(selected, b)
		}
	} else {
		seen := map[ssbtekv1.Bastjanst]bool{}
		for _, b := range urval {
			if !seen[b] {
				seen[b] = true
				selected = append(selected, b)
			}
		}
	}
	// The enum numbers are the contract's fixed order AF, CSN, FK, SKV, SO, TNS, MIV.
	sort.Slice(selected, func(i, j int) bool { return selected[i] < selected[j] })
	return selected
}

// overall is the fan-out's deadline: the configured one, shortened to a share
// of the caller's remaining time so that our answer reaches it in time.
func (c *Core) overall(ctx context.Context) time.Duration {
	d := min(c.cfg.OverallTimeout, MaxOverallTimeout)
	if dl, ok := ctx.Deadline(); ok {
		if left := time.Duration(float64(time.Until(dl)) * callerHeadroom); left < d {
			d = max(left, 0)
		}
	}
	return d
}
