package sqlquota_test

import (
	"context"
	"path/filepath"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ssbtek/gateway/audit/auditstore"
	"github.com/ssbtek/gateway/audit/postgres/pgtest"
	"github.com/ssbtek/gateway/quota"
	"github.com/ssbtek/gateway/quota/sqlquota"
)

// stores opens the limits of a fresh SQLite file and a fresh PostgreSQL
// database, each twice: two replicas (or a restart) on one database.
func stores(t testing.TB) map[string][2]*sqlquota.Store {
	t.Helper()
	ctx := context.Background()
	out := map[string][2]*sqlquota.Store{}
	for name, where := range map[string][2]string{
		"sqlite":   {filepath.Join(t.TempDir(), "audit.db"), ""},
		"postgres": {"", pgtest.NewDatabase(t)},
	} {
		var pair [2]*sqlquota.Store
		for i := range pair {
			st, limits, err := auditstore.OpenWithLimits(ctx, where[0], where[1])
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			t.Cleanup(func() { limits.Close(); st.Close() })
			pair[i] = limits
		}
		out[name] = pair
	}
	return out
}

// TestTakeAdmitsExactlyTheLimitAcrossReplicas: 40 takes at once from two
// handles on one database admit exactly the limit, and the next day opens.
func TestTakeAdmitsExactlyTheLimitAcrossReplicas(t *testing.T) {
	ctx := context.Background()
	for name, pair := range stores(t) {
		t.Run(name, func(t *testing.T) {
			var admitted atomic.Int32
			var wg sync.WaitGroup
			for i := range 40 {
				wg.Go(func() {
					ok, err := pair[i%2].Take(ctx, "162120002411", "2026-12-01", 13)
					if err != nil {
						t.Error(err)
					}
					if ok {
						admitted.Add(1)
					}
				})
			}
			wg.Wait()
			if n := admitted.Load(); n != 13 {
				t.Errorf("%d admitted, want exactly 13", n)
			}
			if ok, err := pair[0].Take(ctx, "agency:AF", "2026-12-01", 1); err != nil || !ok {
				t.Errorf("another key has its own count: %v %v", ok, err)
			}
			if ok, err := pair[1].Take(ctx, "162120002411", "2026-12-02", 13); err != nil || !ok {
				t.Errorf("a new day opens: %v %v", ok, err)
			}
			if ok, _ := pair[1].Take(ctx, "162120002411", "2026-12-02", 0); ok {
				t.Error("a limit of 0 admits nothing")
			}
			if err := pair[0].Prune(ctx, "2026-12-02"); err != nil {
				t.Fatal(err)
			}
			if ok, err := pair[1].Take(ctx, "162120002411", "2026-12-01", 1); err != nil || !ok {
				t.Errorf("a pruned day counts afresh: %v %v", ok, err)
			}
		})
	}
}

// TestTurnHoldsTheRateAcrossReplicas: 30 callers on two handles each take
// a turn and go when they are told: every 500 ms window holds at most
// burst + rate·0.5 of them, so the 30 spread over at least (30 − burst)/rate.
// A turn beyond maxWait is refused and reserves nothing.
func TestTurnHoldsTheRateAcrossReplicas(t *testing.T) {
	ctx := context.Background()
	l := quota.Limits{Rate: 20, Burst: 3}
	for name, pair := range stores(t) {
		t.Run(name, func(t *testing.T) {
			var mu sync.Mutex
			var went []time.Time
			var wg sync.WaitGroup
			for i := range 30 {
				wg.Go(func() {
					wait, ok, err := pair[i%2].Turn(ctx, "AF", l, 5*time.Second)
					if err != nil || !ok {
						t.Errorf("turn: %v %v", ok, err)
						return
					}
					time.Sleep(wait)
					mu.Lock()
					went = append(went, time.Now())
					mu.Unlock()
				})
			}
			wg.Wait()
			slices.SortFunc(went, func(a, b time.Time) int { return a.Compare(b) })
			if len(went) != 30 {
				t.Fatalf("%d went, want 30", len(went))
			}
			// Scheduling can only delay a caller, and so bunch a few: 2 of
			// slack.
			window := 500 * time.Millisecond
			most := l.Burst + int(l.Rate*window.Seconds()) + 2
			for i := range went {
				j := i
				for j < len(went) && went[j].Sub(went[i]) < window {
					j++
				}
				if j-i > most {
					t.Fatalf("%d went within %v, want at most %d", j-i, window, most)
				}
			}
			if span, least := went[29].Sub(went[0]), time.Duration(float64(30-l.Burst)/l.Rate*float64(time.Second))-50*time.Millisecond; span < least {
				t.Errorf("30 turns spread over %v, want at least %v", span, least)
			}

			// One a second, burst 2: the third at once gets no turn.
			slow := quota.Limits{Rate: 1, Burst: 2}
			for i, want := range []bool{true, true, false} {
				if _, ok, err := pair[i%2].Turn(ctx, "SO", slow, 0); err != nil || ok != want {
					t.Errorf("turn %d without waiting: %v %v, want %v", i, ok, err, want)
				}
			}
		})
	}
}

// BenchmarkLimits measures what the shared limits add to a lookup: the
// quota's one statement and an agency's turn (a lookup asks its agencies'
// turns in parallel), reported as p50 and p99 per statement.
func BenchmarkLimits(b *testing.B) {
	ctx := context.Background()
	for name, pair := range stores(b) {
		for _, op := range []struct {
			name string
			run  func(i int) error
		}{
			{"quota", func(i int) error { _, err := pair[0].Take(ctx, "162120002411", "2026-12-01", 1<<30); return err }},
			{"turn", func(i int) error {
				_, _, err := pair[0].Turn(ctx, "AF", quota.Limits{Rate: 1e6, Burst: 1000}, time.Second)
				return err
			}},
		} {
			b.Run(name+"/"+op.name, func(b *testing.B) {
				took := make([]time.Duration, 0, b.N)
				for i := 0; b.Loop(); i++ {
					start := time.Now()
					if err := op.run(i); err != nil {
						b.Fatal(err)
					}
					took = append(took, time.Since(start))
				}
				slices.Sort(took)
				b.ReportMetric(float64(took[len(took)/2].Microseconds()), "p50-µs")
				b.ReportMetric(float64(took[len(took)*99/100].Microseconds()), "p99-µs")
			})
		}
	}
}
