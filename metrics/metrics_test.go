package metrics

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/ssbtek/gateway/bastjanst"
	"github.com/ssbtek/gateway/fanout"
	ssbtekv1 "github.com/ssbtek/gateway/gen/ssbtek/v1"
	"github.com/ssbtek/gateway/quota"
)

// agency answers after its latency, or fails with err, or hangs when hang is set.
type agency struct {
	b       ssbtekv1.Bastjanst
	err     error
	hang    chan struct{}
	latency time.Duration
}

func (a *agency) Bastjanst() ssbtekv1.Bastjanst { return a.b }
func (a *agency) Testa(context.Context) error   { return nil }
func (a *agency) Hamta(ctx context.Context, _ *ssbtekv1.Fraga, _ *ssbtekv1.Tidsperiod) (*ssbtekv1.BastjanstResultat, error) {
	if a.hang != nil {
		select {
		case <-a.hang:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	time.Sleep(a.latency)
	if a.err != nil {
		return nil, a.err
	}
	return &ssbtekv1.BastjanstResultat{Status: bastjanst.Status(true, false)}, nil
}

func newMetrics(t *testing.T) (*Metrics, func() string) {
	t.Helper()
	reg := prometheus.NewRegistry()
	m, err := New(reg, reg)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(m.Handler())
	t.Cleanup(srv.Close)
	scrape := func() string {
		resp, err := http.Get(srv.URL)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return string(b)
	}
	return m, scrape
}

func want(t *testing.T, body string, lines ...string) {
	t.Helper()
	for _, l := range lines {
		if !strings.Contains(body, l+"\n") {
			t.Errorf("metrics lack %q", l)
		}
	}
}

func TestAgencyMetrics(t *testing.T) {
	m, scrape := newMetrics(t)
	af := &agency{b: ssbtekv1.Bastjanst_BASTJANST_AF, latency: 5 * time.Millisecond}
	fk := &agency{b: ssbtekv1.Bastjanst_BASTJANST_FK, err: bastjanst.Unavailable(errors.New("HTTP status 500"))}
	miv := &agency{b: ssbtekv1.Bastjanst_BASTJANST_MIV, hang: make(chan struct{})}
	core, err := fanout.New(fanout.Config{Observer: m, Default: fanout.AgencyConfig{Breaker: fanout.BreakerConfig{Failures: 2}}}, af, fk, miv)
	if err != nil {
		t.Fatal(err)
	}
	f := &ssbtekv1.Fraga{Personidentitet: "191212121212"}
	both := []ssbtekv1.Bastjanst{af.b, fk.b}
	core.Hamta(context.Background(), f, both)
	core.Hamta(context.Background(), f, both)

	// MIV hangs: one call in flight, then the caller goes away.
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { core.Hamta(ctx, f, []ssbtekv1.Bastjanst{miv.b}); close(done) }()
	deadline := time.Now().Add(2 * time.Second)
	for !strings.Contains(scrape(), `ssbtek_agency_in_flight{bastjanst="MIV"} 1`+"\n") && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	cancel()
	<-done

	var body string
	for deadline := time.Now().Add(2 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		if body = scrape(); strings.Contains(body, `ssbtek_agency_caller_cancelled_total{bastjanst="MIV"} 1`) {
			break
		}
	}
	want(t, body,
		`ssbtek_agency_calls_total{bastjanst="AF",felkod="",kalla="",status="OK"} 2`,
		`ssbtek_agency_calls_total{bastjanst="FK",felkod="2002",kalla="SSBT",status="ANNATFEL"} 2`,
		`ssbtek_agency_call_duration_seconds_count{bastjanst="AF"} 2`,
		`ssbtek_agency_breaker_state{bastjanst="FK"} 2`,
		`ssbtek_agency_breaker_state{bastjanst="AF"} 0`,
		`ssbtek_agency_in_flight{bastjanst="MIV"} 0`,
		`ssbtek_agency_caller_cancelled_total{bastjanst="MIV"} 1`,
	)
	if strings.Contains(body, `bastjanst="MIV",felkod="2006"`) || strings.Contains(body, `ssbtek_agency_call_duration_seconds_count{bastjanst="MIV"}`) {
		t.Error("the caller's cancellation was counted as an agency outcome")
	}
	if strings.Contains(body, "191212121212") {
		t.Error("metrics hold a personnummer")
	}
}

// TestAgencyRateLimitIsCounted: the per-agency rate limit (quota.Limit)
// refusing a call (felkod 2008) counts in ssbtek_rate_limited_total under
// that agency, and nothing else does.
func TestAgencyRateLimitIsCounted(t *testing.T) {
	m, scrape := newMetrics(t)
	af := quota.Limit(&agency{b: ssbtekv1.Bastjanst_BASTJANST_AF}, quota.Limits{Rate: 0.01, Burst: 1}, quota.NewMemory())
	csn := &agency{b: ssbtekv1.Bastjanst_BASTJANST_CSN}
	core, err := fanout.New(fanout.Config{Observer: m, AgencyTimeout: time.Second}, af, csn)
	if err != nil {
		t.Fatal(err)
	}
	f := &ssbtekv1.Fraga{Personidentitet: "191212121212"}
	for range 3 {
		core.Hamta(context.Background(), f, nil)
	}
	body := scrape()
	want(t, body,
		`ssbtek_rate_limited_total{interface="",limit="agency:AF"} 2`,
		`ssbtek_agency_calls_total{bastjanst="AF",felkod="2008",kalla="SSBT",status="ANNATFEL"} 2`,
		`ssbtek_agency_calls_total{bastjanst="AF",felkod="",kalla="",status="OK"} 1`,
	)
	if strings.Contains(body, `limit="agency:CSN"`) {
		t.Error("an agency without a limit counted as rate-limited")
	}
}

func TestRequestsByInterfaceAndResult(t *testing.T) {
	m, scrape := newMetrics(t)
	icpt := m.UnaryInterceptor()
	info := &grpc.UnaryServerInfo{FullMethod: "/ssbtek.v1.SammansattBastjanstService/HamtaSammanstallning"}
	icpt(context.Background(), nil, info, func(context.Context, any) (any, error) { return nil, nil })
	icpt(context.Background(), nil, info, func(context.Context, any) (any, error) {
		return nil, status.Error(codes.InvalidArgument, "bad")
	})

	mux := http.NewServeMux()
	mux.HandleFunc("POST /v1/sammanstallning", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusBadRequest) })
	mux.HandleFunc("/ssbtek", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "<ok/>") })
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, r *http.Request) {})
	h := m.HTTP(mux, func(r *http.Request) string {
		switch {
		case strings.HasPrefix(r.URL.Path, "/v1/"):
			return "rest"
		case r.URL.Path == "/ssbtek":
			return "soap"
		}
		return ""
	})
	srv := httptest.NewServer(h)
	defer srv.Close()
	for _, p := range []string{"/v1/sammanstallning", "/ssbtek", "/healthz", "/v1/random-4711/x"} {
		resp, err := http.Post(srv.URL+p, "text/xml", strings.NewReader("x"))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	m.RateLimited("rest", "organisation")

	body := scrape()
	want(t, body,
		`ssbtek_requests_total{interface="grpc",method="HamtaSammanstallning",result="OK"} 1`,
		`ssbtek_requests_total{interface="grpc",method="HamtaSammanstallning",result="InvalidArgument"} 1`,
		`ssbtek_requests_total{interface="rest",method="POST /v1/sammanstallning",result="400"} 1`,
		`ssbtek_requests_total{interface="soap",method="POST /ssbtek",result="200"} 1`,
		`ssbtek_request_duration_seconds_count{interface="grpc"} 2`,
		`ssbtek_rate_limited_total{interface="rest",limit="organisation"} 1`,
		`ssbtek_requests_total{interface="rest",method="other",result="404"} 1`,
	)
	if strings.Contains(body, "healthz") || strings.Contains(body, "random-4711") {
		t.Error("health checks were counted as requests")
	}
}

func TestNoGlobalRegistry(t *testing.T) {
	// Two gateways in one process (as tests run them) must not collide.
	for range 2 {
		reg := prometheus.NewRegistry()
		if _, err := New(reg, reg); err != nil {
			t.Fatal(err)
		}
	}
}

// BenchmarkHTTP is the request metrics' own cost around one REST request.
func BenchmarkHTTP(b *testing.B) {
	reg := prometheus.NewRegistry()
	m, err := New(reg, reg)
	if err != nil {
		b.Fatal(err)
	}
	h := m.HTTP(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("{}")) }),
		func(*http.Request) string { return "rest" })
	r := httptest.NewRequest(http.MethodPost, "/v1/sammanstallning", nil)
	var w discardWriter
	b.ReportAllocs()
	for b.Loop() {
		h.ServeHTTP(w, r)
	}
}

// discardWriter is a ResponseWriter that keeps nothing.
type discardWriter struct{}

func (discardWriter) Header() http.Header         { return http.Header{} }
func (discardWriter) Write(p []byte) (int, error) { return len(p), nil }
func (discardWriter) WriteHeader(int)             {}

// TestRouteIsTheFirstTwoSegments: route names a request by its method and
// the first two segments of its path, as splitting the path would.
func TestRouteIsTheFirstTwoSegments(t *testing.T) {
	for _, path := range []string{"/v1/sammanstallning", "/v1/sammanstallning/strom", "/v1/a/b/c", "/ssbtek", "/", "",
		"/v1/", "//", "/a//b", "///x", "v1/x/y"} {
		p := strings.SplitN(strings.TrimPrefix(path, "/"), "/", 3)
		want := "POST /" + strings.Join(p[:min(len(p), 2)], "/")
		r := &http.Request{Method: http.MethodPost, URL: &url.URL{Path: path}}
		if got := route(r, http.StatusOK); got != want {
			t.Errorf("route(%q) = %q, want %q", path, got, want)
		}
	}
	if got := statusLabel(http.StatusOK) + statusLabel(http.StatusServiceUnavailable); got != "200503" {
		t.Errorf("status labels %q", got)
	}
}
