package quota_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/ssbtek/gateway/bastjanst"
	ssbtekv1 "github.com/ssbtek/gateway/gen/ssbtek/v1"
	"github.com/ssbtek/gateway/quota"
)

func TestMemoryCountsPerOrganisationAndDay(t *testing.T) {
	m := quota.NewMemory()
	ctx := context.Background()
	take := func(org, day string) bool {
		ok, err := m.Take(ctx, org, day, 2)
		if err != nil {
			t.Fatal(err)
		}
		return ok
	}
	if !take("a", "2026-12-01") || !take("a", "2026-12-01") || take("a", "2026-12-01") {
		t.Error("want 2 of 3 counted")
	}
	if !take("b", "2026-12-01") {
		t.Error("another organisation has its own quota")
	}
	if !take("a", "2026-12-02") {
		t.Error("a new day opens the quota")
	}
	if !take("a", "2026-12-01") || take("a", "2026-12-01") {
		t.Error("a clock stepping back counts against the latest day")
	}
}

func TestDayIsSwedish(t *testing.T) {
	// 23:30 UTC on 1 December is 00:30 on 2 December in Stockholm.
	day, next := quota.Day(time.Date(2026, 12, 1, 23, 30, 0, 0, time.UTC))
	if day != "2026-12-02" || next != 23*time.Hour+30*time.Minute {
		t.Errorf("day %s, next in %v", day, next)
	}
}

type counting struct {
	mu sync.Mutex
	n  int
}

func (c *counting) Bastjanst() ssbtekv1.Bastjanst { return ssbtekv1.Bastjanst_BASTJANST_AF }
func (c *counting) Testa(context.Context) error   { return nil }
func (c *counting) Hamta(context.Context, *ssbtekv1.Fraga, *ssbtekv1.Tidsperiod) (*ssbtekv1.BastjanstResultat, error) {
	c.mu.Lock()
	c.n++
	c.mu.Unlock()
	return &ssbtekv1.BastjanstResultat{}, nil
}

// TestLimitFailsFastWithItsOwnCode: beyond what the rate gives within the
// deadline, a call fails at once with 2008 and never reaches the agency.
func TestLimitFailsFastWithItsOwnCode(t *testing.T) {
	inner := &counting{}
	a := quota.Limit(inner, quota.Limits{Rate: 2, Burst: 2}, quota.NewMemory())
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	var limited int
	for range 10 {
		_, err := a.Hamta(ctx, nil, nil)
		var e *bastjanst.Error
		switch {
		case err == nil:
		case errors.As(err, &e) && e.Felkod == bastjanst.FelkodHastighet:
			limited++
		default:
			t.Fatalf("unexpected error %v", err)
		}
	}
	if inner.n != 2 || limited != 8 {
		t.Errorf("%d asked, %d limited; want the burst of 2 asked and 8 limited", inner.n, limited)
	}
	if took := time.Since(start); took > 100*time.Millisecond {
		t.Errorf("took %v: a call without a turn must fail at once", took)
	}
	if quota.Limit(inner, quota.Limits{}, nil) != bastjanst.Adapter(inner) {
		t.Error("no limits should leave the adapter as it is")
	}
}
