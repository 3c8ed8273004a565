package main

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"

	ssbtekv1 "github.com/ssbtek/gateway/gen/ssbtek/v1"
	"github.com/ssbtek/gateway/guard"
	"github.com/ssbtek/gateway/redact"
	"github.com/ssbtek/gateway/server"
)

func getBody(t *testing.T, c *http.Client, url string) (int, string) {
	t.Helper()
	resp, err := c.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// TestObservabilityEndToEnd runs the real main and checks /readyz, the gRPC
// health service, /metrics after a REST question, and the shutdown order:
// readiness false while the listeners still answer, then exit.
func TestObservabilityEndToEnd(t *testing.T) {
	ctx := context.Background()
	g := devGateway(t, "-shutdown-delay", "400ms", "-digest-secret", "a-secret-of-this-deployment")
	kommun := g.client(t, "kommun")
	base, ops := "https://"+g.httpAddr, "http://"+g.opsAddr
	plain := http.DefaultClient // probes and Prometheus have no client certificate
	if code, body := getBody(t, plain, ops+"/readyz"); code != 200 || body != "ready\n" {
		t.Errorf("/readyz: %d %q", code, body)
	}
	if code, body := getBody(t, plain, ops+"/healthz"); code != 200 || body != "ok\n" {
		t.Errorf("/healthz: %d %q", code, body)
	}
	// The client-certificate listener serves business routes only: a
	// municipality's certificate reads no operator's metrics, and pprof is
	// off unless asked for.
	for _, p := range []string{"/healthz", "/readyz", "/metrics", "/debug/pprof/"} {
		if code, _ := getBody(t, kommun, base+p); code != http.StatusNotFound {
			t.Errorf("%s on the client-certificate listener: %d, want 404", p, code)
		}
	}
	if code, _ := getBody(t, plain, ops+"/debug/pprof/"); code != http.StatusNotFound {
		t.Errorf("pprof without -pprof: %d, want 404", code)
	}
	conn, err := grpc.NewClient(g.grpcAddr, grpc.WithTransportCredentials(credentials.NewTLS(g.tlsAs(t, "kommun"))))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	hc := healthpb.NewHealthClient(conn)
	r, err := hc.Check(ctx, &healthpb.HealthCheckRequest{Service: ssbtekv1.SammansattBastjanstService_ServiceDesc.ServiceName})
	if err != nil || r.GetStatus() != healthpb.HealthCheckResponse_SERVING {
		t.Errorf("gRPC health: %v %v", r, err)
	}

	body := `{"fraga":{"organisationsnummer":"162120002411","ingivare":"Exempelkommun","handlaggare":"h1","personidentitet":"191212121212","arendeidentitet":"A1","korrelationsid":"191212121212","period":{"from":"2026-08-01","tom":"2026-10-31"},"syfte":"Utredning av ekonomiskt bistånd","lagtext":"SoL 11 kap. 11 §"}}`
	if code, out := do(t, kommun, http.MethodPost, base+"/v1/sammanstallning", "application/json", body); code != 200 {
		t.Fatalf("REST: %d %s", code, out)
	}
	_, m := getBody(t, plain, ops+"/metrics")
	for _, want := range []string{
		`ssbtek_requests_total{interface="rest",method="POST /v1/sammanstallning",result="200"} 1`,
		`ssbtek_agency_calls_total{bastjanst="AF",felkod="",kalla="",status="OK"} 1`,
		`ssbtek_agency_call_duration_seconds_count{bastjanst="FK"} 1`,
		`ssbtek_agency_breaker_state{bastjanst="MIV"} 0`,
		`ssbtek_agency_in_flight{bastjanst="SKV"} 0`,
		"go_goroutines ",
	} {
		if !strings.Contains(m, want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
	if strings.Contains(m, "191212121212") {
		t.Error("/metrics holds a personnummer")
	}

	// SIGTERM: not ready at once, while the listener still answers.
	g.cancel()
	time.Sleep(50 * time.Millisecond)
	if code, body := getBody(t, plain, ops+"/readyz"); code != 503 || !strings.Contains(body, "shutting down") {
		t.Errorf("/readyz right after SIGTERM: %d %q", code, body)
	}
	if code, _ := getBody(t, kommun, base+"/openapi.json"); code != 200 {
		t.Errorf("the business listener during -shutdown-delay: %d, want it still serving", code)
	}
	if err := g.stop(); err != nil {
		t.Errorf("run: %v", err)
	}
	for _, u := range []string{base + "/openapi.json", ops + "/readyz"} {
		if resp, err := g.client(t, "kommun").Get(u); err == nil {
			resp.Body.Close()
			t.Errorf("%s still accepting after shutdown", u)
		}
	}
	if strings.Contains(g.stderr.String(), "191212121212") {
		t.Errorf("a personnummer reached the log:\n%s", g.stderr.String())
	}
	// The lookup line names the korrelationsid by the deployment's keyed
	// digest, so an operator with the secret finds the question's lines.
	d, err := redact.NewDigester([]byte("a-secret-of-this-deployment"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(g.stderr.String(), `"korrelationsid_digest":"`+d.Digest("191212121212")+`"`) {
		t.Errorf("no lookup line with the keyed digest of the korrelationsid:\n%s", g.stderr.String())
	}
}

// devConfig is what parseConfig needs besides the flags under test.
var devConfig = []string{"-simulate", "-dev-plaintext"}

func TestObserveFlags(t *testing.T) {
	cfg, err := parseConfig(append(devConfig, "-fk-max-in-flight", "3", "-af-queue-timeout", "50ms", "-breaker-failures", "0", "-log-level", "debug", "-max-conns", "10",
		"-max-conns-per-org", "4", "-max-unidentified-conns", "7", "-handshake-timeout", "2s", "-grpc-max-idle", "1m", "-min-body-rate", "512"),
		func(k string) string {
			return map[string]string{"SSBTEK_SO_QUEUE_TIMEOUT": "2s", "SSBTEK_RETRY_ATTEMPTS": "1"}[k]
		}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	o := cfg.observe
	if o.agencies[ssbtekv1.Bastjanst_BASTJANST_FK].MaxInFlight != 3 || o.agencies[ssbtekv1.Bastjanst_BASTJANST_AF].QueueTimeout != 50*time.Millisecond ||
		o.agencies[ssbtekv1.Bastjanst_BASTJANST_SO].QueueTimeout != 2*time.Second || o.agencies[ssbtekv1.Bastjanst_BASTJANST_CSN].MaxInFlight != 0 {
		t.Errorf("per-agency limits: %+v", o.agencies)
	}
	if !o.def.Breaker.Off || o.def.Retry.Attempts != 1 || o.logLevel != slog.LevelDebug || o.def.MaxInFlight != 64 {
		t.Errorf("defaults: %+v level %v", o.def, o.logLevel)
	}
	if want := (guard.ConnLimits{Identified: 10, PerOrganisation: 4, Unidentified: 7, Handshake: 2 * time.Second}); o.conns != want ||
		o.grpcIdle != time.Minute || o.grpcAge != server.DefaultMaxConnectionAge || o.minBodyRate != 512 {
		t.Errorf("connection bounds %+v, gRPC idle %v age %v, body rate %d", o.conns, o.grpcIdle, o.grpcAge, o.minBodyRate)
	}
	_, err = parseConfig([]string{"-log-level", "loud", "-so-max-in-flight", "0", "-digest-secret", "short", "-queue-timeout", "soon", "-metrics", "maybe", "-handshake-timeout", "0s"}, func(string) string { return "" }, io.Discard)
	for _, want := range []string{"log level", "so max in flight", "digest secret", "queue timeout", "metrics", "handshake timeout"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("want %q reported, got %v", want, err)
		}
	}
}

// TestAgencyPoolMatchesBulkhead: 48 calls in flight, again and again, use
// 48 connections, not new ones each round (the shared pool kept 32).
func TestAgencyPoolMatchesBulkhead(t *testing.T) {
	cfg, err := parseConfig(append(devConfig, "-fk-max-in-flight", "48"), func(string) string { return "" }, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	ob, err := startObservability(context.Background(), cfg.observe, func(string) string { return "" }, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	conns := 0
	release := make(chan struct{})
	var arrived sync.WaitGroup
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		arrived.Done()
		<-release
	}))
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			mu.Lock()
			conns++
			mu.Unlock()
		}
	}
	srv.Start()
	defer srv.Close()
	hc := ob.agencyHTTP(ssbtekv1.Bastjanst_BASTJANST_FK)
	defer hc.CloseIdleConnections()
	for round := range 3 {
		arrived.Add(48)
		var wg sync.WaitGroup
		for range 48 {
			wg.Go(func() {
				resp, err := hc.Get(srv.URL)
				if err != nil {
					t.Error(err)
					return
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
			})
		}
		arrived.Wait() // all 48 in flight at once
		if round == 2 {
			close(release)
		} else {
			release <- struct{}{}
			for range 47 {
				release <- struct{}{}
			}
		}
		wg.Wait()
	}
	if conns != 48 {
		t.Errorf("%d TCP connections for 3 rounds of 48 calls in flight, want 48 (no churn)", conns)
	}
}

// TestPprofOnlyWhenAsked: -pprof serves the profiles on the operations
// listener, never on the client-certificate one, and needs that listener.
func TestPprofOnlyWhenAsked(t *testing.T) {
	g := devGateway(t, "-pprof")
	if code, body := getBody(t, http.DefaultClient, "http://"+g.opsAddr+"/debug/pprof/"); code != 200 || !strings.Contains(body, "goroutine") {
		t.Errorf("pprof with -pprof: %d %.80q", code, body)
	}
	if code, _ := getBody(t, g.client(t, "kommun"), "https://"+g.httpAddr+"/debug/pprof/"); code != http.StatusNotFound {
		t.Errorf("pprof on the client-certificate listener: %d, want 404", code)
	}
	_, err := parseConfig([]string{"-simulate", "-dev-plaintext", "-ops-addr", "", "-pprof"}, func(string) string { return "" }, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "-ops-addr") {
		t.Errorf("-pprof without an operations listener: %v", err)
	}
}
