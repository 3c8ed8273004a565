package fanout

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/ssbtek/gateway/bastjanst"
	ssbtekv1 "github.com/ssbtek/gateway/gen/ssbtek/v1"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// fake is an adapter with a fixed behaviour.
type fake struct {
	b       ssbtekv1.Bastjanst
	latency time.Duration
	err     error
	panics  bool
	// ignoreCtx makes it sleep through cancellation, like a badly written adapter.
	ignoreCtx bool
	cancelled atomic.Bool
	// took is the last call's own duration in ns, as the adapter saw it.
	took atomic.Int64
}

func (f *fake) Bastjanst() ssbtekv1.Bastjanst { return f.b }

func (f *fake) Hamta(ctx context.Context, _ *ssbtekv1.Fraga, p *ssbtekv1.Tidsperiod) (*ssbtekv1.BastjanstResultat, error) {
	if f.panics {
		panic("boom")
	}
	start := time.Now()
	defer func() { f.took.Store(int64(time.Since(start))) }()
	if f.ignoreCtx {
		time.Sleep(f.latency)
	} else if f.latency > 0 {
		t := time.NewTimer(f.latency)
		defer t.Stop()
		select {
		case <-t.C:
		case <-ctx.Done():
			f.cancelled.Store(true)
			return nil, ctx.Err()
		}
	}
	if f.err != nil {
		return nil, f.err
	}
	return &ssbtekv1.BastjanstResultat{
		Status: bastjanst.Status(true, false),
		Radata: &ssbtekv1.Radata{Innehall: []byte(p.GetFrom()), MediaType: "text/plain"},
	}, nil
}

func (f *fake) Testa(ctx context.Context) error {
	if f.panics {
		panic("boom")
	}
	if f.latency > 0 {
		select {
		case <-time.After(f.latency):
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return f.err
}

func all(latency time.Duration) []*fake {
	var out []*fake
	for _, b := range bastjanst.All() {
		out = append(out, &fake{b: b, latency: latency})
	}
	return out
}

func adapters(fs []*fake) []bastjanst.Adapter {
	out := make([]bastjanst.Adapter, len(fs))
	for i, f := range fs {
		out[i] = f
	}
	return out
}

func fraga() *ssbtekv1.Fraga {
	return &ssbtekv1.Fraga{Personidentitet: "191212121212", Period: &ssbtekv1.Tidsperiod{From: "2026-01-01", Tom: "2026-03-31"}}
}

func mustNew(t testing.TB, cfg Config, fs []*fake) *Core {
	t.Helper()
	c, err := New(cfg, adapters(fs)...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestOrderIsFixedWhateverTheArrival(t *testing.T) {
	fs := all(0)
	// The first agency answers last.
	fs[0].latency = 30 * time.Millisecond
	// Register in reverse to show registration order does not matter either.
	rev := make([]*fake, len(fs))
	for i := range fs {
		rev[len(fs)-1-i] = fs[i]
	}
	res := mustNew(t, Config{}, rev).Hamta(context.Background(), fraga(), nil)
	if len(res) != 7 {
		t.Fatalf("got %d results, want 7", len(res))
	}
	for i, b := range bastjanst.All() {
		if res[i].GetBastjanst() != b {
			t.Errorf("result %d is %v, want %v", i, res[i].GetBastjanst(), b)
		}
		if res[i].GetFel() != nil || res[i].GetLatens() == nil {
			t.Errorf("%v: fel %v latens %v", b, res[i].GetFel(), res[i].GetLatens())
		}
	}
}

func TestSelectionAndPerAgencyPeriod(t *testing.T) {
	c := mustNew(t, Config{}, all(0))
	f := fraga()
	f.BastjanstPerioder = []*ssbtekv1.BastjanstPeriod{{Bastjanst: ssbtekv1.Bastjanst_BASTJANST_SO, Period: &ssbtekv1.Tidsperiod{From: "2025-06-01", Tom: "2025-06-30"}}}
	res := c.Hamta(context.Background(), f, []ssbtekv1.Bastjanst{ssbtekv1.Bastjanst_BASTJANST_SO, ssbtekv1.Bastjanst_BASTJANST_AF, ssbtekv1.Bastjanst_BASTJANST_SO})
	if len(res) != 2 || res[0].GetBastjanst() != ssbtekv1.Bastjanst_BASTJANST_AF || res[1].GetBastjanst() != ssbtekv1.Bastjanst_BASTJANST_SO {
		t.Fatalf("selection: got %v", res)
	}
	if got := string(res[0].GetRadata().GetInnehall()); got != "2026-01-01" {
		t.Errorf("AF period from = %s, want the general 2026-01-01", got)
	}
	if got := string(res[1].GetRadata().GetInnehall()); got != "2025-06-01" {
		t.Errorf("SO period from = %s, want its own 2025-06-01", got)
	}
}

func TestOneFailureSpoilsNothing(t *testing.T) {
	fs := all(time.Millisecond)
	fs[1].err = bastjanst.Unreadable(errors.New("garbage")) // CSN
	fs[2].err = errors.New("connection refused")            // FK
	fs[3].panics = true                                     // SKV
	fs[4].latency = time.Hour                               // SO
	c := mustNew(t, Config{AgencyTimeout: 50 * time.Millisecond}, fs)
	res := c.Hamta(context.Background(), fraga(), nil)
	want := map[ssbtekv1.Bastjanst]string{
		ssbtekv1.Bastjanst_BASTJANST_CSN: bastjanst.FelkodOlasbart,
		ssbtekv1.Bastjanst_BASTJANST_FK:  bastjanst.FelkodOtillganglig,
		ssbtekv1.Bastjanst_BASTJANST_SKV: bastjanst.FelkodOlasbart,
		ssbtekv1.Bastjanst_BASTJANST_SO:  bastjanst.FelkodTimeout,
	}
	for _, r := range res {
		code, failing := want[r.GetBastjanst()]
		switch {
		case failing && (r.GetFel().GetFelkod() != code || r.GetFel().GetKalla() != ssbtekv1.Kalla_KALLA_SSBT):
			t.Errorf("%v: fel %v, want SSBT %s", r.GetBastjanst(), r.GetFel(), code)
		case !failing && (r.GetFel() != nil || r.GetStatus().GetKod() != ssbtekv1.StatusKod_STATUS_KOD_OK):
			t.Errorf("%v: should have its data, got %v", r.GetBastjanst(), r)
		}
	}
	if !fs[4].cancelled.Load() {
		t.Error("the timed-out agency's call was not cancelled")
	}
}

func TestOverallDeadlineAndCallerDeadline(t *testing.T) {
	fs := all(time.Millisecond)
	fs[6].latency = time.Hour
	fs[6].ignoreCtx = false
	c := mustNew(t, Config{AgencyTimeout: time.Hour, OverallTimeout: 80 * time.Millisecond}, fs)

	start := time.Now()
	res := c.Hamta(context.Background(), fraga(), nil)
	if el := time.Since(start); el > 500*time.Millisecond {
		t.Errorf("overall deadline 80ms, returned after %v", el)
	}
	if res[6].GetFel().GetFelkod() != bastjanst.FelkodTimeout || res[0].GetFel() != nil {
		t.Errorf("MIV should time out alone: %v / %v", res[6].GetFel(), res[0].GetFel())
	}

	// A caller deadline shorter than ours wins, with headroom to deliver.
	c = mustNew(t, Config{AgencyTimeout: time.Hour}, fs)
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	res = c.Hamta(ctx, fraga(), nil)
	if ctx.Err() != nil {
		t.Error("answered after the caller's deadline: no headroom left to deliver it")
	}
	if res[6].GetFel().GetFelkod() != bastjanst.FelkodTimeout {
		t.Errorf("MIV: %v, want timeout", res[6].GetFel())
	}
}

func TestCallerCancelCancelsAll(t *testing.T) {
	fs := all(time.Hour)
	c := mustNew(t, Config{AgencyTimeout: time.Hour}, fs)
	ctx, cancel := context.WithCancel(context.Background())
	go func() { time.Sleep(20 * time.Millisecond); cancel() }()
	res := c.Hamta(ctx, fraga(), nil)
	for _, r := range res {
		if r.GetFel() == nil {
			t.Errorf("%v: answered although the caller cancelled", r.GetBastjanst())
		}
	}
	// goleak in TestMain proves every adapter goroutine ended; check the
	// adapters saw the cancellation too.
	deadline := time.Now().Add(time.Second)
	for _, f := range fs {
		for !f.cancelled.Load() && time.Now().Before(deadline) {
			time.Sleep(time.Millisecond)
		}
		if !f.cancelled.Load() {
			t.Errorf("%v not cancelled", f.b)
		}
	}
}

func TestBulkheadBoundsCallsPerAgency(t *testing.T) {
	fs := all(100 * time.Millisecond)
	c := mustNew(t, Config{MaxInFlight: 1, AgencyTimeout: 150 * time.Millisecond}, fs)
	urval := []ssbtekv1.Bastjanst{ssbtekv1.Bastjanst_BASTJANST_AF}
	results := make(chan *ssbtekv1.BastjanstResultat, 2)
	for range 2 {
		go func() { results <- c.Hamta(context.Background(), fraga(), urval)[0] }()
	}
	a, b := <-results, <-results
	// One call got the slot and answered; the other waited past its deadline.
	if (a.GetFel() == nil) == (b.GetFel() == nil) {
		t.Fatalf("want exactly one answer and one timeout, got %v and %v", a.GetFel(), b.GetFel())
	}
	for _, r := range []*ssbtekv1.BastjanstResultat{a, b} {
		if r.GetFel() != nil && r.GetFel().GetFelkod() != bastjanst.FelkodTimeout {
			t.Errorf("waiting call: %v, want 2001", r.GetFel())
		}
	}
}

func TestUnconfiguredAgencyIsUnavailable(t *testing.T) {
	c := mustNew(t, Config{}, all(0)[:1])
	res := c.Hamta(context.Background(), fraga(), []ssbtekv1.Bastjanst{ssbtekv1.Bastjanst_BASTJANST_MIV})
	if len(res) != 1 || res[0].GetFel().GetFelkod() != bastjanst.FelkodOtillganglig {
		t.Fatalf("got %v, want one 2002 result", res)
	}
}

func TestConfigValidation(t *testing.T) {
	if _, err := New(Config{OverallTimeout: 11 * time.Second}); err == nil {
		t.Error("overall timeout above 10s accepted")
	}
	if _, err := New(Config{MaxInFlight: -1}); err == nil {
		t.Error("negative max in flight accepted")
	}
	if _, err := New(Config{AgencyTimeout: -1}); err == nil {
		t.Error("negative agency timeout accepted")
	}
	if _, err := New(Config{}, &fake{b: 1}, &fake{b: 1}); err == nil {
		t.Error("two adapters for one agency accepted")
	}
}

func TestTesta(t *testing.T) {
	fs := all(0)
	fs[2].err = bastjanst.Unavailable(errors.New("down"))
	svar := mustNew(t, Config{}, fs).Testa(context.Background())
	if len(svar) != 7 {
		t.Fatalf("%d test answers, want 7", len(svar))
	}
	for i, s := range svar {
		if !s.GetAnropad() || (i == 2) != (s.GetFel() != nil) {
			t.Errorf("%v: anropad %v fel %v", s.GetBastjanst(), s.GetAnropad(), s.GetFel())
		}
	}
}

// The ping is held to the same rules as the question: a panicking adapter
// spoils only its own answer, and an agency's own deadline applies.
func TestTestaPanicAndOwnDeadline(t *testing.T) {
	fs := all(0)
	fs[1].panics = true
	fs[4].latency = time.Minute
	core := mustNew(t, Config{Agencies: map[ssbtekv1.Bastjanst]AgencyConfig{fs[4].b: {Timeout: 50 * time.Millisecond}}}, fs)
	start := time.Now()
	svar := core.Testa(context.Background())
	if el := time.Since(start); el > 2*time.Second {
		t.Errorf("Testa took %v; SO's own 50 ms deadline should end it", el)
	}
	for i, s := range svar {
		want := ""
		switch i {
		case 1:
			want = bastjanst.FelkodOlasbart
		case 4:
			want = bastjanst.FelkodTimeout
		}
		if got := s.GetFel().GetFelkod(); got != want || !s.GetAnropad() {
			t.Errorf("%v: felkod %q anropad %v, want felkod %q", s.GetBastjanst(), got, s.GetAnropad(), want)
		}
	}
}

// BenchmarkOverhead reports the fan-out core's own cost: seven fake adapters
// of fixed latency, gateway time minus the slowest adapter's time.
func BenchmarkOverhead(b *testing.B) {
	const slowest = 2 * time.Millisecond
	fs := all(time.Millisecond)
	fs[3].latency = slowest
	c := mustNew(b, Config{}, fs)
	f := fraga()
	b.ReportAllocs()
	var total, slowestTotal time.Duration
	for b.Loop() {
		start := time.Now()
		c.Hamta(context.Background(), f, nil)
		total += time.Since(start)
		// The slowest adapter as it measured itself: timers oversleep, so
		// the nominal latency would count the scheduler as our overhead.
		var slowestNow int64
		for _, x := range fs {
			slowestNow = max(slowestNow, x.took.Load())
		}
		slowestTotal += time.Duration(slowestNow)
	}
	n := time.Duration(b.N)
	b.ReportMetric(float64((total-slowestTotal)/n)/1e3, "overhead-µs/op")
	b.ReportMetric(float64(total)/float64(slowestTotal), "gateway/slowest")
}
