package lookup_test

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ssbtek/gateway/bastjanst"
	"github.com/ssbtek/gateway/fanout"
	ssbtekv1 "github.com/ssbtek/gateway/gen/ssbtek/v1"
	"github.com/ssbtek/gateway/lookup"
	"github.com/ssbtek/gateway/quota"
	"github.com/ssbtek/gateway/rights"
)

// gate holds every question until it is opened.
type gate struct {
	b       ssbtekv1.Bastjanst
	open    chan struct{}
	waiting atomic.Int32
}

func (g *gate) Bastjanst() ssbtekv1.Bastjanst { return g.b }
func (g *gate) Testa(context.Context) error   { return nil }
func (g *gate) Hamta(ctx context.Context, _ *ssbtekv1.Fraga, _ *ssbtekv1.Tidsperiod) (*ssbtekv1.BastjanstResultat, error) {
	g.waiting.Add(1)
	defer g.waiting.Add(-1)
	select {
	case <-g.open:
		return &ssbtekv1.BastjanstResultat{Status: bastjanst.Status(true, false)}, nil
	case <-ctx.Done():
		return nil, bastjanst.Timeout(ctx.Err())
	}
}

// TestCallerLimit: a sender with its share of lookups in flight is refused
// at once (1004, retry after a second) without an agency being asked, while
// another sender is served, and the sender is served again once its lookups
// are done.
func TestCallerLimit(t *testing.T) {
	r, err := rights.Parse([]byte(rightsYAML))
	if err != nil {
		t.Fatal(err)
	}
	g := &gate{b: ssbtekv1.Bastjanst_BASTJANST_AF, open: make(chan struct{})}
	core, err := fanout.New(fanout.Config{}, g)
	if err != nil {
		t.Fatal(err)
	}
	svc := lookup.New(core, nil, lookup.WithRights(rights.Static(r)), lookup.WithQuota(quota.NewMemory()), lookup.WithCallerLimit(2))

	var wg sync.WaitGroup
	for range 2 {
		wg.Go(func() {
			if _, err := svc.Sammanstallning(as(kommun), lookup.Request{Fraga: fraga(tolvan)}); err != nil {
				t.Errorf("within the limit: %v", err)
			}
		})
	}
	// Once both are at the agency, a third is refused at once.
	for deadline := time.Now().Add(5 * time.Second); g.waiting.Load() < 2; time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the two lookups did not reach the agency")
		}
	}
	start := time.Now()
	_, err = svc.Sammanstallning(as(kommun), lookup.Request{Fraga: fraga(tolvan)})
	var refusal *lookup.Refusal
	if !errors.As(err, &refusal) {
		t.Fatalf("third lookup in flight: %v, want a refusal", err)
	}
	if took := time.Since(start); took > 100*time.Millisecond {
		t.Errorf("refusal took %v, want at once", took)
	}
	if refusal.Reason != lookup.ReasonBusy || refusal.Felkod() != "1004" || refusal.RetryAfter != time.Second {
		t.Errorf("refusal %+v, want busy, 1004, retry after 1 s", refusal)
	}
	// Another sender has its own share.
	f := fraga(tolvan)
	f.Organisationsnummer = utan
	done := make(chan error, 1)
	go func() { _, err := svc.Sammanstallning(as(utan), lookup.Request{Fraga: f}); done <- err }()
	close(g.open)
	if err := <-done; err != nil {
		t.Errorf("another sender: %v", err)
	}
	wg.Wait()
	if _, err := svc.Sammanstallning(as(kommun), lookup.Request{Fraga: fraga(tolvan)}); err != nil {
		t.Errorf("after its lookups finished: %v", err)
	}
}
