package fanout

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
	"unicode/utf8"

	"go.opentelemetry.io/otel/attribute"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"google.golang.org/protobuf/proto"

	"github.com/ssbtek/gateway/bastjanst"
	ssbtekv1 "github.com/ssbtek/gateway/gen/ssbtek/v1"
)

// scripted is an adapter whose every call runs fn; it counts calls and the
// most calls it had in flight at once.
type scripted struct {
	b        ssbtekv1.Bastjanst
	fn       func(ctx context.Context, call int) (*ssbtekv1.BastjanstResultat, error)
	ping     func(ctx context.Context) error
	calls    atomic.Int32
	inFlight atomic.Int32
	peak     atomic.Int32
}

func (s *scripted) Bastjanst() ssbtekv1.Bastjanst { return s.b }

func (s *scripted) enter() func() {
	n := s.inFlight.Add(1)
	for p := s.peak.Load(); n > p && !s.peak.CompareAndSwap(p, n); p = s.peak.Load() {
	}
	return func() { s.inFlight.Add(-1) }
}

func (s *scripted) Hamta(ctx context.Context, _ *ssbtekv1.Fraga, _ *ssbtekv1.Tidsperiod) (*ssbtekv1.BastjanstResultat, error) {
	defer s.enter()()
	return s.fn(ctx, int(s.calls.Add(1)))
}

func (s *scripted) Testa(ctx context.Context) error {
	defer s.enter()()
	s.calls.Add(1)
	return s.ping(ctx)
}

func ok() (*ssbtekv1.BastjanstResultat, error) {
	return &ssbtekv1.BastjanstResultat{Status: bastjanst.Status(true, false)}, nil
}

// sleep waits d or until ctx ends.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// recorder is an Observer that keeps what it hears.
type recorder struct {
	mu      sync.Mutex
	states  []string
	felkods []string
	retries int
}

func (r *recorder) Done(_ ssbtekv1.Bastjanst, res *ssbtekv1.BastjanstResultat, _ time.Duration) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.felkods = append(r.felkods, res.GetFel().GetFelkod())
}
func (r *recorder) InFlight(ssbtekv1.Bastjanst, int) {}
func (r *recorder) BreakerState(_ ssbtekv1.Bastjanst, s string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.states = append(r.states, s)
}
func (r *recorder) Retried(ssbtekv1.Bastjanst) { r.mu.Lock(); r.retries++; r.mu.Unlock() }

func (r *recorder) snapshot() ([]string, []string, int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.states...), append([]string(nil), r.felkods...), r.retries
}

var af = []ssbtekv1.Bastjanst{ssbtekv1.Bastjanst_BASTJANST_AF}

func one(t *testing.T, c *Core, ctx context.Context) *ssbtekv1.BastjanstResultat {
	t.Helper()
	return c.Hamta(ctx, fraga(), af)[0]
}

func TestBreakerOpensFailsFastAndProbes(t *testing.T) {
	var healthy atomic.Bool
	a := &scripted{b: af[0], fn: func(ctx context.Context, _ int) (*ssbtekv1.BastjanstResultat, error) {
		if healthy.Load() {
			return ok()
		}
		return nil, bastjanst.Unavailable(errors.New("HTTP status 500"))
	}}
	rec := &recorder{}
	c, err := New(Config{Observer: rec, Default: AgencyConfig{Breaker: BreakerConfig{Failures: 3, OpenFor: 100 * time.Millisecond}}}, a)
	if err != nil {
		t.Fatal(err)
	}
	for range 3 {
		if got := one(t, c, context.Background()).GetFel().GetFelkod(); got != bastjanst.FelkodOtillganglig {
			t.Fatalf("failing agency: felkod %q, want 2002", got)
		}
	}
	// Open: the agency is not asked, the answer is immediate and says why.
	start := time.Now()
	r := one(t, c, context.Background())
	if a.calls.Load() != 3 {
		t.Errorf("agency asked %d times, want 3: the open breaker let a call through", a.calls.Load())
	}
	if r.GetFel().GetFelkod() != bastjanst.FelkodOtillganglig || r.GetFel().GetKalla() != ssbtekv1.Kalla_KALLA_SSBT ||
		!strings.Contains(r.GetFel().GetFelmeddelande(), "avstängd") || time.Since(start) > 100*time.Millisecond {
		t.Errorf("open breaker: %v after %v, want SSBT 2002 'avstängd' at once", r.GetFel(), time.Since(start))
	}
	// Half-open after OpenFor: one probe reaches the agency, which is back.
	time.Sleep(120 * time.Millisecond)
	healthy.Store(true)
	if r := one(t, c, context.Background()); r.GetFel() != nil {
		t.Fatalf("probe after the open period: %v, want data", r.GetFel())
	}
	if r := one(t, c, context.Background()); r.GetFel() != nil || a.calls.Load() != 5 {
		t.Errorf("closed again: %v after %d calls, want data after 5", r.GetFel(), a.calls.Load())
	}
	states, _, _ := rec.snapshot()
	if want := "closed open half-open closed"; strings.Join(states, " ") != want {
		t.Errorf("breaker states %v, want %s", states, want)
	}
}

func TestBreakerIgnoresNativeErrorsAndCallerCancel(t *testing.T) {
	a := &scripted{b: af[0], fn: func(ctx context.Context, call int) (*ssbtekv1.BastjanstResultat, error) {
		if call%2 == 1 {
			// The agency's own word on the question: an answer, not a failure.
			return bastjanst.NativeError(af[0], "101", "Okänd sökande", nil), nil
		}
		return nil, sleep(ctx, time.Hour)
	}}
	rec := &recorder{}
	c, err := New(Config{Observer: rec, Default: AgencyConfig{Breaker: BreakerConfig{Failures: 1}}}, a)
	if err != nil {
		t.Fatal(err)
	}
	for range 3 {
		if r := one(t, c, context.Background()); r.GetFel().GetKalla() != ssbtekv1.Kalla_KALLA_BT {
			t.Fatalf("native error: %v", r.GetFel())
		}
		ctx, cancel := context.WithCancel(context.Background())
		time.AfterFunc(10*time.Millisecond, cancel)
		r := one(t, c, ctx)
		if r.GetFel().GetFelkod() != bastjanst.FelkodAvbruten || r.GetFel().GetFelmeddelande() != "Frågan avbröts av anroparen" {
			t.Errorf("caller cancelled: %v, want 2006", r.GetFel())
		}
	}
	if a.calls.Load() != 6 {
		t.Errorf("agency asked %d times of 6: the breaker (1 failure opens) counted a native error or the caller's cancel", a.calls.Load())
	}
	waitFor(t, func() bool { _, f, _ := rec.snapshot(); return len(f) == 6 })
	states, felkods, _ := rec.snapshot()
	if len(states) != 1 {
		t.Errorf("breaker states %v, want only the initial closed", states)
	}
	cancelled := 0
	for _, f := range felkods {
		if f == bastjanst.FelkodAvbruten {
			cancelled++
		}
	}
	if cancelled != 3 {
		t.Errorf("observer heard felkods %v, want three 2006 (never 2002)", felkods)
	}
}

// The breaker counts a hung agency's timeouts as failures.
func TestBreakerCountsTimeouts(t *testing.T) {
	a := &scripted{b: af[0], fn: func(ctx context.Context, _ int) (*ssbtekv1.BastjanstResultat, error) {
		return nil, sleep(ctx, time.Hour)
	}}
	c, err := New(Config{AgencyTimeout: 20 * time.Millisecond, Default: AgencyConfig{Breaker: BreakerConfig{Failures: 2}}}, a)
	if err != nil {
		t.Fatal(err)
	}
	for range 4 {
		one(t, c, context.Background())
	}
	if a.calls.Load() != 2 {
		t.Errorf("hung agency asked %d times, want 2 before the breaker opened", a.calls.Load())
	}
}

func refused() error {
	return bastjanst.Unavailable(&net.OpError{Op: "dial", Net: "tcp", Err: os.NewSyscallError("connect", syscall.ECONNREFUSED)})
}

func TestRetryOnlySafeFailures(t *testing.T) {
	for _, tt := range []struct {
		name  string
		err   error
		calls int32
	}{
		{"connection refused", refused(), 2},
		{"connection reset", bastjanst.Unavailable(fmt.Errorf("read: %w", syscall.ECONNRESET)), 2},
		{"HTTP 503", bastjanst.Unavailable(&bastjanst.StatusError{Status: 503}), 2},
		{"HTTP 502", bastjanst.Unavailable(&bastjanst.StatusError{Status: 502}), 2},
		{"HTTP 500", bastjanst.Unavailable(&bastjanst.StatusError{Status: 500}), 1},
		{"unreadable", bastjanst.Unreadable(errors.New("bad XML")), 1},
	} {
		t.Run(tt.name, func(t *testing.T) {
			a := &scripted{b: af[0], fn: func(ctx context.Context, call int) (*ssbtekv1.BastjanstResultat, error) {
				if call == 1 {
					return nil, tt.err
				}
				return ok()
			}}
			rec := &recorder{}
			c, err := New(Config{Observer: rec}, a)
			if err != nil {
				t.Fatal(err)
			}
			r := one(t, c, context.Background())
			if a.calls.Load() != tt.calls {
				t.Fatalf("%d calls, want %d", a.calls.Load(), tt.calls)
			}
			if tt.calls == 2 && r.GetFel() != nil {
				t.Errorf("retried call: %v, want data", r.GetFel())
			}
			if _, _, n := rec.snapshot(); n != int(tt.calls-1) {
				t.Errorf("observed %d retries", n)
			}
		})
	}
}

func TestRetryBoundedByAttemptsAndDeadline(t *testing.T) {
	always := &scripted{b: af[0], fn: func(context.Context, int) (*ssbtekv1.BastjanstResultat, error) { return nil, refused() }}
	c, err := New(Config{Default: AgencyConfig{Retry: RetryConfig{Attempts: 3, Backoff: time.Millisecond}, Breaker: BreakerConfig{Off: true}}}, always)
	if err != nil {
		t.Fatal(err)
	}
	if r := one(t, c, context.Background()); always.calls.Load() != 3 || r.GetFel().GetFelkod() != bastjanst.FelkodOtillganglig {
		t.Errorf("%d calls, fel %v; want 3 and 2002", always.calls.Load(), r.GetFel())
	}

	// A try that took 200 ms does not get another when 100 ms are left.
	slow := &scripted{b: af[0], fn: func(ctx context.Context, _ int) (*ssbtekv1.BastjanstResultat, error) {
		if err := sleep(ctx, 200*time.Millisecond); err != nil {
			return nil, err
		}
		return nil, refused()
	}}
	c, err = New(Config{AgencyTimeout: 300 * time.Millisecond, Default: AgencyConfig{Retry: RetryConfig{Attempts: 5, Backoff: time.Millisecond}}}, slow)
	if err != nil {
		t.Fatal(err)
	}
	if r := one(t, c, context.Background()); slow.calls.Load() != 1 || r.GetFel().GetFelkod() != bastjanst.FelkodOtillganglig {
		t.Errorf("%d calls, fel %v; want 1 and 2002 (no time left to retry)", slow.calls.Load(), r.GetFel())
	}
}

func TestCallerCancelIsNotAgencyUnavailable(t *testing.T) {
	fs := all(time.Hour)
	c := mustNew(t, Config{}, fs)
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(20*time.Millisecond, cancel)
	for _, r := range c.Hamta(ctx, fraga(), nil) {
		if f := r.GetFel(); f.GetFelkod() != bastjanst.FelkodAvbruten || f.GetKalla() != ssbtekv1.Kalla_KALLA_SSBT {
			t.Errorf("%v: %v, want SSBT 2006, the caller's cancellation", r.GetBastjanst(), f)
		}
	}
}

func TestQueueTimeoutFailsFastWithItsOwnFelkod(t *testing.T) {
	a := &scripted{b: af[0], fn: func(ctx context.Context, _ int) (*ssbtekv1.BastjanstResultat, error) {
		if err := sleep(ctx, 400*time.Millisecond); err != nil {
			return nil, err
		}
		return ok()
	}}
	c, err := New(Config{Agencies: map[ssbtekv1.Bastjanst]AgencyConfig{af[0]: {MaxInFlight: 2, QueueTimeout: 30 * time.Millisecond}}}, a)
	if err != nil {
		t.Fatal(err)
	}
	type got struct {
		fel  *ssbtekv1.Fel
		took time.Duration
	}
	out := make(chan got, 6)
	for range 6 {
		go func() {
			start := time.Now()
			r := one(t, c, context.Background())
			out <- got{r.GetFel(), time.Since(start)}
		}()
	}
	busy := 0
	for range 6 {
		g := <-out
		if g.fel == nil {
			continue
		}
		busy++
		if g.fel.GetFelkod() != bastjanst.FelkodKoFull || g.took > 200*time.Millisecond {
			t.Errorf("queued call: %v after %v, want 2005 within the 30 ms queue time", g.fel, g.took)
		}
	}
	if busy != 4 || a.peak.Load() != 2 {
		t.Errorf("%d busy answers, peak %d in flight; want 4 and 2", busy, a.peak.Load())
	}
}

func TestPingsGoThroughTheBulkhead(t *testing.T) {
	a := &scripted{b: af[0], ping: func(ctx context.Context) error { return sleep(ctx, time.Hour) }}
	c, err := New(Config{AgencyTimeout: 150 * time.Millisecond, Default: AgencyConfig{MaxInFlight: 3, QueueTimeout: 20 * time.Millisecond}}, a)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	var busy atomic.Int32
	for range 20 {
		wg.Go(func() {
			s := c.Testa(context.Background())[0]
			if s.GetFel().GetFelkod() == bastjanst.FelkodKoFull && !s.GetAnropad() {
				busy.Add(1)
			}
		})
	}
	wg.Wait()
	if a.peak.Load() != 3 || busy.Load() != 17 {
		t.Errorf("hung agency had %d pings at once (bound 3), %d pings answered 2005 (want 17)", a.peak.Load(), busy.Load())
	}
}

func TestAnswerIsBounded(t *testing.T) {
	huge := strings.Repeat("x", 3900<<10) // a 3.9 MiB native error text
	var fs []bastjanst.Adapter
	for i, b := range bastjanst.All() {
		fs = append(fs, &scripted{b: b, fn: func(context.Context, int) (*ssbtekv1.BastjanstResultat, error) {
			if i == 0 {
				return ok() // AF has a small answer
			}
			return bastjanst.NativeError(b, "E1", huge, &ssbtekv1.Radata{Innehall: []byte(huge), MediaType: "text/xml"}), nil
		}})
	}
	c, err := New(Config{}, fs...)
	if err != nil {
		t.Fatal(err)
	}
	res := c.Hamta(context.Background(), fraga(), nil)
	if size := proto.Size(&ssbtekv1.HamtaSammanstallningResponse{Sammanstallning: &ssbtekv1.Sammanstallning{Resultat: res}}); size > 4<<20 {
		t.Fatalf("answer is %d bytes, above gRPC's default 4 MiB", size)
	}
	if res[0].GetFel() != nil {
		t.Errorf("AF's small answer was dropped: %v", res[0].GetFel())
	}
	var dropped, kept int
	for _, r := range res[1:] {
		switch f := r.GetFel(); f.GetFelkod() {
		case bastjanst.FelkodForStort:
			dropped++
			if f.GetKalla() != ssbtekv1.Kalla_KALLA_SSBT || !strings.Contains(f.GetFelmeddelande(), "för stort") {
				t.Errorf("%v: %v", r.GetBastjanst(), f)
			}
		case "E1":
			kept++
			if len(f.GetFelmeddelande()) > DefaultMaxFeltext || len(r.GetRadata().GetInnehall()) != len(huge) {
				t.Errorf("%v: text %d bytes (cap %d), raw %d bytes (want all)", r.GetBastjanst(), len(f.GetFelmeddelande()), DefaultMaxFeltext, len(r.GetRadata().GetInnehall()))
			}
		default:
			t.Errorf("%v: %v", r.GetBastjanst(), f)
		}
	}
	if kept != 1 || dropped != 5 {
		t.Errorf("kept %d, dropped %d of the six 3.9 MiB answers; want 1 and 5", kept, dropped)
	}
}

func TestTruncateKeepsRunes(t *testing.T) {
	s := truncate(strings.Repeat("å", 10), 7)
	if !strings.HasSuffix(s, "…") || len(s) > 7 || !strings.HasPrefix(s, "å") {
		t.Errorf("truncate = %q", s)
	}
	if !utf8.ValidString(s) {
		t.Errorf("cut inside a rune: %q", s)
	}
}

func TestSpansPerLookupAndAgency(t *testing.T) {
	exp := tracetest.NewInMemoryExporter()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSyncer(exp))
	defer tp.Shutdown(context.Background())
	fs := all(0)
	fs[2].err = bastjanst.Unavailable(errors.New("down"))
	c := mustNew(t, Config{Tracer: tp, Digest: func(s string) string { return "digest-of-" + fmt.Sprint(len(s)) }}, fs)
	f := fraga()
	f.Korrelationsid = "191212121212" // a caller that puts a personnummer here
	c.Hamta(context.Background(), f, nil)

	spans := exp.GetSpans()
	var lookup tracetest.SpanStub
	agencies := map[string]tracetest.SpanStub{}
	for _, s := range spans {
		for _, kv := range s.Attributes {
			if strings.Contains(kv.Value.Emit(), "191212121212") {
				t.Errorf("span %s carries the personnummer in %s", s.Name, kv.Key)
			}
		}
		switch s.Name {
		case SpanLookup:
			lookup = s
		case SpanAgency:
			agencies[attr(s.Attributes, AttrAgency)] = s
		}
	}
	if attr(lookup.Attributes, AttrKorrID) != "digest-of-12" {
		t.Errorf("lookup span korrelationsid attribute %q, want the digest", attr(lookup.Attributes, AttrKorrID))
	}
	if len(agencies) != 7 {
		t.Fatalf("%d agency spans, want 7", len(agencies))
	}
	for kod, s := range agencies {
		if s.Parent.SpanID() != lookup.SpanContext.SpanID() {
			t.Errorf("%s span is not a child of the lookup span", kod)
		}
	}
	if fk := agencies["FK"]; attr(fk.Attributes, AttrFelkod) != "2002" || fk.Status.Description != "2002" {
		t.Errorf("FK span: felkod %q status %v", attr(fk.Attributes, AttrFelkod), fk.Status)
	}
}

func attr(kvs []attribute.KeyValue, key string) string {
	for _, kv := range kvs {
		if string(kv.Key) == key {
			return kv.Value.Emit()
		}
	}
	return ""
}

func TestCauseIsLoggedScrubbed(t *testing.T) {
	var buf bytes.Buffer
	fs := all(0)
	fs[2].err = bastjanst.Unavailable(errors.New("LEFI said: no aktör 191212121212 (HTTP 404)"))
	c := mustNew(t, Config{Log: slog.New(slog.NewJSONHandler(&buf, nil)), CauseLevel: slog.LevelWarn}, fs)
	c.Hamta(context.Background(), fraga(), nil)
	out := buf.String()
	if strings.Contains(out, "191212121212") {
		t.Fatalf("log holds the personnummer: %s", out)
	}
	if !strings.Contains(out, `"level":"WARN"`) || !strings.Contains(out, `"bastjanst":"FK"`) ||
		!strings.Contains(out, "no aktör [personnummer] (HTTP 404)") || !strings.Contains(out, `"felkod":"2002"`) {
		t.Errorf("cause not logged as wanted: %s", out)
	}
	if strings.Count(out, "agency error") != 1 {
		t.Errorf("want exactly one agency error line: %s", out)
	}
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(2 * time.Second); !cond(); {
		if time.Now().After(deadline) {
			t.Fatal("condition not met in 2 s")
		}
		time.Sleep(time.Millisecond)
	}
}
