package quota

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/ssbtek/gateway/bastjanst"
	ssbtekv1 "github.com/ssbtek/gateway/gen/ssbtek/v1"
)

// Limits protect one agency.
type Limits struct {
	// Rate is the sustained questions per second; 0 means no rate limit.
	Rate float64
	// Burst is how many questions may go at once above the rate (at least 1
	// when Rate is set).
	Burst int
	// Daily is how many questions the agency may be asked per Swedish day;
	// 0 means no bound.
	Daily int
}

// Production defaults, from the agencies' promise of about one question a
// second and 10 000 a working day per producer (seed 004 §13): one a second
// sustained, with a burst of five so that the few questions of one moment
// are not spread out.
const (
	DefaultRate  = 1.0
	DefaultBurst = 5
	DefaultDaily = 10000
)

// Turns hands out turns under an agency's rate: a GCRA whose state is one
// theoretical arrival time per agency, in this process (Memory) or in a
// database every replica shares (quota/sqlquota).
type Turns interface {
	// Turn reserves agency's next turn under l's rate and burst and returns
	// how long to wait before taking it; when that wait would be longer
	// than maxWait it reserves nothing and reports false.
	Turn(ctx context.Context, agency string, l Limits, maxWait time.Duration) (wait time.Duration, ok bool, err error)
}

// Store is where the gateway's limits are counted.
type Store interface {
	Counter
	Turns
}

// Limit wraps a so that its calls keep to l, counted in s. A question that
// cannot get a turn within half its remaining deadline fails at once with
// felkod 2008 for this agency only, without the agency being asked: the
// rate knows ahead how long the wait would be and does not sit it out. A
// question past the agency's daily bound fails with 2008 too. How many
// calls may be in flight is the fan-out core's bulkhead, not this.
func Limit(a bastjanst.Adapter, l Limits, s Store) bastjanst.Adapter {
	if l.Rate <= 0 && l.Daily <= 0 {
		return a
	}
	return &limited{Adapter: a, limits: l, store: s, kod: bastjanst.Kod(a.Bastjanst()), now: time.Now}
}

type limited struct {
	bastjanst.Adapter
	limits Limits
	store  Store
	kod    string
	now    func() time.Time
}

// maxWaitShare is the share of a question's remaining time it may spend
// waiting for a turn: a turn that leaves the agency no time to answer would
// only send it a question that is abandoned, a load for nothing.
const maxWaitShare = 0.5

// noDeadlineWait bounds the wait of a call without a deadline (the fan-out
// core always sets one).
const noDeadlineWait = 10 * time.Second

// errNoTurn: the rate gives no turn within the share of the deadline.
var errNoTurn = errors.New("no turn within the deadline")

// turn waits for a turn under the rate; a question (not a ping) then counts
// against the agency's daily bound. The rate comes first: a question the
// rate refuses must not spend the day's bound.
func (l *limited) turn(ctx context.Context, question bool) error {
	if err := l.waitForTurn(ctx); err != nil {
		return bastjanst.RateLimited(fmt.Errorf("waiting for a turn under %s's rate limit: %w", l.kod, err))
	}
	if !question || l.limits.Daily <= 0 {
		return nil
	}
	day, untilNext := Day(l.now())
	ok, err := l.store.Take(ctx, "agency:"+l.kod, day, l.limits.Daily)
	switch {
	case err != nil:
		return bastjanst.RateLimited(fmt.Errorf("counting against %s's daily bound: %w", l.kod, err))
	case !ok:
		return bastjanst.RateLimited(fmt.Errorf("%s's daily bound of %d questions is spent for %s; it opens in %v", l.kod, l.limits.Daily, day, untilNext.Round(time.Second)))
	}
	return nil
}

// waitForTurn takes a turn, waiting for it only as long as leaves the
// agency time to answer; otherwise it fails at once.
func (l *limited) waitForTurn(ctx context.Context) error {
	if l.limits.Rate <= 0 {
		return nil
	}
	maxWait := noDeadlineWait
	if dl, ok := ctx.Deadline(); ok {
		maxWait = time.Duration(float64(time.Until(dl)) * maxWaitShare)
	}
	wait, ok, err := l.store.Turn(ctx, l.kod, l.limits, max(maxWait, 0))
	switch {
	case err != nil:
		return err
	case !ok:
		return errNoTurn
	case wait <= 0:
		return nil
	}
	// A turn given up here is not handed back: the agency gets a little
	// less than its rate, never more.
	t := time.NewTimer(wait)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (l *limited) Hamta(ctx context.Context, f *ssbtekv1.Fraga, p *ssbtekv1.Tidsperiod) (*ssbtekv1.BastjanstResultat, error) {
	if err := l.turn(ctx, true); err != nil {
		return nil, err
	}
	return l.Adapter.Hamta(ctx, f, p)
}

func (l *limited) Testa(ctx context.Context) error {
	if err := l.turn(ctx, false); err != nil {
		return err
	}
	return l.Adapter.Testa(ctx)
}
