package quota

import (
	"context"
	"errors"
	"fmt"
	"time"

	"golang.org/x/time/rate"

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
}

// Production defaults, from the agencies' promise of about one question a
// second per producer (seed 004 §13): one a second sustained, with a burst
// of five so that the few questions of one moment are not spread out.
const (
	DefaultRate  = 1.0
	DefaultBurst = 5
)

// Limit wraps a so that its calls keep to l. A question that cannot get a
// turn within half its remaining deadline fails at once with felkod 2008 for
// this agency only, without the agency being asked: the limiter knows ahead
// how long the wait would be and does not sit it out. How many calls may be
// in flight is the fan-out core's bulkhead, not this.
func Limit(a bastjanst.Adapter, l Limits) bastjanst.Adapter {
	if l.Rate <= 0 {
		return a
	}
	return &limited{Adapter: a, rate: rate.NewLimiter(rate.Limit(l.Rate), max(l.Burst, 1))}
}

type limited struct {
	bastjanst.Adapter
	rate *rate.Limiter
}

// turn waits for a token.
func (l *limited) turn(ctx context.Context) error {
	if err := l.waitForToken(ctx); err != nil {
		return bastjanst.RateLimited(fmt.Errorf("waiting for a turn under %s's rate limit: %w", bastjanst.Kod(l.Bastjanst()), err))
	}
	return nil
}

// maxWaitShare is the share of a question's remaining time it may spend
// waiting for a token: a turn that leaves the agency no time to answer would
// only send it a question that is abandoned, a load for nothing.
const maxWaitShare = 0.5

// errNoTurn: the rate gives no turn within the share of the deadline.
var errNoTurn = errors.New("no turn within the deadline")

// waitForToken takes a token, waiting for it only as long as leaves the
// agency time to answer; otherwise it gives the token back and fails at once.
func (l *limited) waitForToken(ctx context.Context) error {
	r := l.rate.Reserve()
	if !r.OK() {
		return errNoTurn
	}
	delay := r.Delay()
	if delay == 0 {
		return nil
	}
	if dl, ok := ctx.Deadline(); ok && delay > time.Duration(float64(time.Until(dl))*maxWaitShare) {
		r.Cancel()
		return errNoTurn
	}
	t := time.NewTimer(delay)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		r.Cancel()
		return ctx.Err()
	}
}

func (l *limited) Hamta(ctx context.Context, f *ssbtekv1.Fraga, p *ssbtekv1.Tidsperiod) (*ssbtekv1.BastjanstResultat, error) {
	if err := l.turn(ctx); err != nil {
		return nil, err
	}
	return l.Adapter.Hamta(ctx, f, p)
}

func (l *limited) Testa(ctx context.Context) error {
	if err := l.turn(ctx); err != nil {
		return err
	}
	return l.Adapter.Testa(ctx)
}
