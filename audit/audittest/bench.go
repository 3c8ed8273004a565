package audittest

import (
	"context"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ssbtek/gateway/audit"
)

// BenchmarkAppend measures what the record costs a lookup: b.N appends
// through an audit.Log from writers goroutines at once, each timed from
// the call to its durable commit. It reports p50 and p99 latency.
func BenchmarkAppend(b *testing.B, s audit.Store, writers int) {
	signer, _ := Keys(b)
	l := audit.NewLog(s, signer, nil)
	defer l.Close()
	ctx := context.Background()
	latencies := make([]time.Duration, b.N)
	var next atomic.Int64
	b.ResetTimer()
	var wg sync.WaitGroup
	for range writers {
		wg.Go(func() {
			for {
				i := next.Add(1) - 1
				if i >= int64(b.N) {
					return
				}
				r := Sample(int(i), "191212121212")
				start := time.Now()
				if err := l.Append(ctx, &r); err != nil {
					b.Error(err)
					return
				}
				latencies[i] = time.Since(start)
			}
		})
	}
	wg.Wait()
	b.StopTimer()
	slices.Sort(latencies)
	pct := func(p float64) float64 {
		return float64(latencies[int(float64(len(latencies)-1)*p)].Microseconds()) / 1000
	}
	b.ReportMetric(pct(0.50), "p50-ms")
	b.ReportMetric(pct(0.99), "p99-ms")
}
