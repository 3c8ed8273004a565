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
	"log/slog"
	"sort"
	"time"

	"github.com/sony/gobreaker/v2"
	"go.opentelemetry.io/otel/trace"
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

// Config tunes the core. Zero values mean the defaults.
type Config struct {
	// AgencyTimeout is each agency's own deadline unless Agencies says
	// otherwise.
	AgencyTimeout time.Duration
	// OverallTimeout bounds the whole fan-out; it is capped at MaxOverallTimeout.
	OverallTimeout time.Duration
	// MaxInFlight is every agency's bulkhead size unless Default or Agencies
	// says otherwise (kept for callers that set only this).
	MaxInFlight int
	// Default holds the policies every agency gets; Agencies overrides them
	// field by field for single agencies.
	Default  AgencyConfig
	Agencies map[ssbtekv1.Bastjanst]AgencyConfig

	// MaxFeltext caps each error text in the answer (0: DefaultMaxFeltext,
	// negative: no cap). MaxAnswer bounds the encoded results together (0:
	// DefaultMaxAnswer, negative: no bound). See Bound.
	MaxFeltext, MaxAnswer int

	// Observer hears about every call, for metrics; nil means nobody.
	Observer Observer
	// Tracer provides the spans of lookups and agency calls; nil means none.
	Tracer trace.TracerProvider
	// Digest turns a korrelationsid into the token put on spans; nil means a
	// keyed digest with a key of this process's lifetime.
	Digest func(string) string
	// Log receives the cause of every agency error, scrubbed of
	// identifiers, at CauseLevel (default Info: 0); nil discards.
	Log        *slog.Logger
	CauseLevel slog.Level
}

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
	errs = append(errs, c.Default.validate("default")...)
	for b, a := range c.Agencies {
		errs = append(errs, a.validate(bastjanst.Kod(b))...)
	}
	return errors.Join(errs...)
}

// agencyConfig is b's policies with every default applied.
func (c Config) agencyConfig(b ssbtekv1.Bastjanst) AgencyConfig {
	def := builtin
	if c.AgencyTimeout > 0 {
		def.Timeout = c.AgencyTimeout
	}
	if c.MaxInFlight > 0 {
		def.MaxInFlight = c.MaxInFlight
	}
	return c.Agencies[b].over(c.Default.over(def))
}

// Core runs adapters. The zero value is not usable; build it with New.
type Core struct {
	agencies map[ssbtekv1.Bastjanst]*agency
	cfg      Config
	tel      telemetry
}

// New returns a Core over the given adapters, at most one per agency.
func New(cfg Config, adapters ...bastjanst.Adapter) (*Core, error) {
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("fan-out config: %w", err)
	}
	if cfg.OverallTimeout == 0 {
		cfg.OverallTimeout = DefaultOverallTimeout
	}
	if cfg.MaxFeltext == 0 {
		cfg.MaxFeltext = DefaultMaxFeltext
	}
	if cfg.MaxAnswer == 0 {
		cfg.MaxAnswer = DefaultMaxAnswer
	}
	tel := newTelemetry(cfg)
	m := make(map[ssbtekv1.Bastjanst]*agency, len(adapters))
	for _, a := range adapters {
		b := a.Bastjanst()
		if _, dup := m[b]; dup {
			return nil, fmt.Errorf("two adapters for %s", bastjanst.Kod(b))
		}
		m[b] = newAgency(a, cfg.agencyConfig(b), tel.obs)
	}
	return &Core{agencies: m, cfg: cfg, tel: tel}, nil
}

// Has reports whether an adapter for b is configured.
func (c *Core) Has(b ssbtekv1.Bastjanst) bool { _, ok := c.agencies[b]; return ok }

// Hamta asks the selected agencies (all configured ones when urval is empty)
// in parallel and returns one result per agency in the fixed agency order,
// bounded as Bound says. It returns when every agency has answered or the
// overall deadline passed, whichever comes first; a late agency gets felkod
// 2001. Cancelling ctx cancels every outstanding call, whose results then
// carry felkod 2006 (the caller's cancellation).
func (c *Core) Hamta(ctx context.Context, fraga *ssbtekv1.Fraga, urval []ssbtekv1.Bastjanst) []*ssbtekv1.BastjanstResultat {
	selected := c.selection(urval)
	results := make([]*ssbtekv1.BastjanstResultat, len(selected))
	if len(selected) == 0 {
		return results
	}
	ctx, span := c.tel.startLookup(ctx, fraga, len(selected))
	defer span.End()

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
		ag := c.agencies[b]
		if ag == nil {
			// Asked for an agency this gateway has no adapter for.
			ch <- done{i, bastjanst.Failed(b, bastjanst.Unavailable(errors.New("no adapter configured")), 0)}
			continue
		}
		go func() {
			ch <- done{i, c.ask(ctx, ag, fraga)}
		}()
	}

collect:
	for remaining := len(selected); remaining > 0; remaining-- {
		select {
		case d := <-ch:
			// Capped before an observer sees it: Bound below then replaces
			// results, never changes one already streamed.
			capTexts(d.res, c.cfg.MaxFeltext)
			results[d.i] = d.res
			observe(ctx, d.res)
		case <-ctx.Done():
			// Overall deadline (2001) or caller gone (2006): whoever has not
			// answered gets that. Their goroutines see the cancelled context
			// and end on their own.
			for i, r := range results {
				if r == nil {
					results[i] = bastjanst.Failed(selected[i], ctx.Err(), time.Since(start))
					capTexts(results[i], c.cfg.MaxFeltext)
					observe(ctx, results[i])
				}
			}
			break collect
		}
	}
	Bound(results, c.cfg.MaxFeltext, c.cfg.MaxAnswer)
	return results
}

// ask runs one adapter under its own deadline, its bulkhead, breaker and
// retry policy, and never returns nil.
func (c *Core) ask(ctx context.Context, ag *agency, fraga *ssbtekv1.Fraga) *ssbtekv1.BastjanstResultat {
	b := ag.adapter.Bastjanst()
	ctx, span := c.tel.startAgency(ctx, b)
	ctx, cancel := context.WithTimeout(ctx, ag.cfg.Timeout)
	defer cancel()

	start := time.Now()
	res, tries, err := c.attempt(ctx, ag, fraga)
	latens := time.Since(start)
	switch {
	case err != nil:
		failed := bastjanst.Failed(b, err, latens)
		failed.Radata = res.GetRadata()
		res = failed
	case res == nil:
		err = bastjanst.Unreadable(errors.New("adapter returned no result"))
		res = bastjanst.Failed(b, err, latens)
	default:
		res.Bastjanst = b
		res.Latens = durationpb.New(latens)
	}
	c.tel.endAgency(ctx, span, res, tries, err)
	c.tel.obs.Done(b, res, latens)
	return res
}

// attempt is ask's policies around the adapter call.
func (c *Core) attempt(ctx context.Context, ag *agency, fraga *ssbtekv1.Fraga) (*ssbtekv1.BastjanstResultat, int, error) {
	if ag.isOpen() {
		return nil, 0, breakerOpen(gobreaker.ErrOpenState)
	}
	release, err := ag.acquire(ctx, c.tel.obs)
	if err != nil {
		return nil, 0, ended(ctx, err)
	}
	defer release()
	period := bastjanst.PeriodFor(fraga, ag.adapter.Bastjanst())
	res, tries, err := ag.call(ctx, c.tel.obs, func() (*ssbtekv1.BastjanstResultat, error) {
		res, err := c.safeHamta(ctx, ag.adapter, fraga, period)
		if err == nil && ctx.Err() != nil {
			// An answer that came after the deadline is not an answer.
			err = ctx.Err()
		}
		return res, err
	})
	return res, tries, ended(ctx, err)
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

// Testa pings every configured agency's test service in parallel. Pings
// take a call slot like questions do, so a hung agency cannot collect more
// calls than its bound; they bypass the breaker, since a ping is how an
// operator learns whether the agency is back.
func (c *Core) Testa(ctx context.Context) []*ssbtekv1.TestSvar {
	selected := c.selection(nil) // only configured agencies
	out := make([]*ssbtekv1.TestSvar, len(selected))
	ctx, span := c.tel.tracer.Start(ctx, SpanTesta)
	defer span.End()
	ctx, cancel := context.WithTimeout(ctx, c.overall(ctx))
	defer cancel()
	ch := make(chan int, len(selected))
	for i, b := range selected {
		go func() {
			ag := c.agencies[b]
			actx, acancel := context.WithTimeout(ctx, ag.cfg.Timeout)
			defer acancel()
			start := time.Now()
			release, err := ag.acquire(actx, c.tel.obs)
			called := err == nil
			if called {
				err = c.safeTesta(actx, ag.adapter)
				release()
			}
			err = ended(actx, err)
			svar := &ssbtekv1.TestSvar{Bastjanst: b, Anropad: called, Latens: durationpb.New(time.Since(start))}
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
		for b := range c.agencies {
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
