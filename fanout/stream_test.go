package fanout

import (
	"context"
	"testing"
	"time"

	ssbtekv1 "github.com/ssbtek/gateway/gen/ssbtek/v1"
)

type arrival struct {
	b  ssbtekv1.Bastjanst
	at time.Duration
	ok bool
}

// Results are reported in the order they arrive, each the moment it does;
// an agency cut off by the overall deadline is reported as it is cut off.
func TestHamtaStreamReportsInArrivalOrder(t *testing.T) {
	fs := []*fake{
		{b: ssbtekv1.Bastjanst_BASTJANST_AF, latency: 200 * time.Millisecond},
		{b: ssbtekv1.Bastjanst_BASTJANST_FK, latency: 10 * time.Millisecond},
		{b: ssbtekv1.Bastjanst_BASTJANST_SO, latency: 400 * time.Millisecond},
		{b: ssbtekv1.Bastjanst_BASTJANST_TNS, latency: 5 * time.Second},
	}
	c := mustNew(t, Config{OverallTimeout: 600 * time.Millisecond}, fs)
	start := time.Now()
	var got []arrival
	res := c.HamtaStream(context.Background(), fraga(), nil, func(r *ssbtekv1.BastjanstResultat) {
		got = append(got, arrival{r.GetBastjanst(), time.Since(start), r.GetFel() == nil})
	})
	want := []ssbtekv1.Bastjanst{ssbtekv1.Bastjanst_BASTJANST_FK, ssbtekv1.Bastjanst_BASTJANST_AF, ssbtekv1.Bastjanst_BASTJANST_SO, ssbtekv1.Bastjanst_BASTJANST_TNS}
	if len(got) != len(want) {
		t.Fatalf("observed %v, want %v", got, want)
	}
	for i, a := range got {
		if a.b != want[i] {
			t.Errorf("arrival %d is %v, want %v (all: %v)", i, a.b, want[i], got)
		}
	}
	if got[0].at >= 100*time.Millisecond {
		t.Errorf("first result after %v, want before 100ms", got[0].at)
	}
	if got[1].at < 200*time.Millisecond || got[2].at < 400*time.Millisecond {
		t.Errorf("results reported before their agency answered: %v", got)
	}
	if got[3].ok || got[3].at < 600*time.Millisecond {
		t.Errorf("the cut-off agency: %+v, want a failure at the 600ms deadline", got[3])
	}
	// The returned results are the observed ones, in the fixed order.
	for i, b := range []ssbtekv1.Bastjanst{ssbtekv1.Bastjanst_BASTJANST_AF, ssbtekv1.Bastjanst_BASTJANST_FK, ssbtekv1.Bastjanst_BASTJANST_SO, ssbtekv1.Bastjanst_BASTJANST_TNS} {
		if res[i].GetBastjanst() != b {
			t.Errorf("result %d is %v, want %v", i, res[i].GetBastjanst(), b)
		}
	}
}
