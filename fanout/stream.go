package fanout

import (
	"context"

	ssbtekv1 "github.com/ssbtek/gateway/gen/ssbtek/v1"
)

// ResultFunc is told of each agency's result the moment Hamta has it, before
// the others are in. Hamta calls it from its own goroutine, one result at a
// time, so an observer needs no locking and may write to a stream.
type ResultFunc func(*ssbtekv1.BastjanstResultat)

type observerKey struct{}

// WithObserver returns a context under which Hamta reports each result to
// fn as it arrives. It travels in the context rather than as a parameter so
// that a streaming call runs through exactly the same lookup path (rights,
// quotas, audit) as a plain one: only the context differs.
func WithObserver(ctx context.Context, fn ResultFunc) context.Context {
	return context.WithValue(ctx, observerKey{}, fn)
}

// observe reports res to the context's observer, if any.
func observe(ctx context.Context, res *ssbtekv1.BastjanstResultat) {
	if fn, ok := ctx.Value(observerKey{}).(ResultFunc); ok && fn != nil {
		fn(res)
	}
}

// HamtaStream is Hamta calling fn with each result as it arrives (agencies
// that time out at the overall deadline are reported then, in agency
// order). It returns every result in the fixed agency order, as Hamta does.
func (c *Core) HamtaStream(ctx context.Context, fraga *ssbtekv1.Fraga, urval []ssbtekv1.Bastjanst, fn ResultFunc) []*ssbtekv1.BastjanstResultat {
	return c.Hamta(WithObserver(ctx, fn), fraga, urval)
}
