package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ssbtek/gateway/adapters/registry"
)

// syncBuffer is a bytes.Buffer safe for the server's concurrent log writes.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}
func (s *syncBuffer) String() string { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }

// TestRunServesAndStops runs the real main on free ports, as `make run` does,
// asks for Tolvan over REST, and checks that logs hold no personnummer.
func TestRunServesAndStops(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stdout, stderr syncBuffer
	addrs := make(chan string, 1)
	errc := make(chan error, 1)
	go func() {
		errc <- run(ctx, []string{"-grpc-addr", "127.0.0.1:0", "-http-addr", "127.0.0.1:0"}, func(string) string { return "" }, &stdout, &stderr,
			func(_, httpAddr string) { addrs <- httpAddr })
	}()
	var httpAddr string
	select {
	case httpAddr = <-addrs:
	case err := <-errc:
		t.Fatalf("run ended early: %v\n%s", err, stderr.String())
	case <-time.After(10 * time.Second):
		t.Fatal("gateway did not start")
	}
	body := `{"fraga":{"organisationsnummer":"162120002411","ingivare":"Exempelkommun","handlaggare":"h1","personidentitet":"191212121212","arendeidentitet":"A1","period":{"from":"2026-08-01","tom":"2026-10-31"}}}`
	resp, err := http.Post("http://"+httpAddr+"/v1/sammanstallning", "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	out, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(out), "BASTJANST_MIV") {
		t.Fatalf("REST: %d %s", resp.StatusCode, out)
	}
	// The SOAP shim is mounted on the same port: its WSDL names this server,
	// and a testa call reaches every simulated agency.
	resp, err = http.Get("http://" + httpAddr + "/ssbtek?wsdl")
	if err != nil {
		t.Fatal(err)
	}
	out, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(out), `location="http://`+httpAddr+`/ssbtek"`) {
		t.Fatalf("WSDL: %d %s", resp.StatusCode, out)
	}
	if out := testa(t, httpAddr); strings.Count(out, "anropad>true</") != 7 {
		t.Fatalf("SOAP testa reached not every agency: %s", out)
	}
	for _, want := range []string{"gRPC", "REST", "OpenAPI", "SOAP", "simulated"} {
		if !strings.Contains(stdout.String(), want) {
			t.Errorf("banner lacks %q:\n%s", want, stdout.String())
		}
	}
	cancel()
	select {
	case err := <-errc:
		if err != nil {
			t.Errorf("run: %v", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("gateway did not stop")
	}
	if strings.Contains(stderr.String(), "191212121212") || strings.Contains(stdout.String(), "191212121212") {
		t.Errorf("a personnummer reached the application log:\n%s", stderr.String())
	}
	if !strings.Contains(stderr.String(), `"msg":"lookup"`) {
		t.Errorf("no lookup log line:\n%s", stderr.String())
	}
}

// testa calls testaBastjanstInformation on the SOAP shim at httpAddr and
// returns the answer, failing the test unless it is a 200 without errors.
func testa(t *testing.T, httpAddr string) string {
	t.Helper()
	env := `<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><t:testaBastjanstInformation xmlns:t="http://schema.forsakringskassan.se/integration/ssbt/10"/></s:Body></s:Envelope>`
	resp, err := http.Post("http://"+httpAddr+"/ssbtek", "text/xml; charset=utf-8", strings.NewReader(env))
	if err != nil {
		t.Fatal(err)
	}
	out, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || strings.Contains(string(out), "error>") {
		t.Fatalf("SOAP testa: %d %s", resp.StatusCode, out)
	}
	return string(out)
}

func TestBadConfigIsReported(t *testing.T) {
	var stderr bytes.Buffer
	err := run(context.Background(), []string{"-agency-timeout", "soon", "-max-body", "0", "-operator", "162011005521"}, func(string) string { return "" }, io.Discard, &stderr, nil)
	if err == nil || !strings.Contains(err.Error(), "agency timeout") || !strings.Contains(err.Error(), "max body") || !strings.Contains(err.Error(), "operator") {
		t.Errorf("want every bad value reported, got %v", err)
	}
	err = run(context.Background(), nil, func(k string) string { return map[string]string{"SSBTEK_OPERATOR": "ssbtek-testa"}[k] }, io.Discard, &stderr, nil)
	if err == nil || !strings.Contains(err.Error(), "operator") {
		t.Errorf("SSBTEK_OPERATOR that is no organisationsnummer accepted: %v", err)
	}
	bad := map[string]string{"SSBTEK_MAX_BODY": "1MiB", "SSBTEK_FK_URL": "localhost:8443/lefi", "SSBTEK_AF_URL": "ftp://af.example/ers"}
	err = run(context.Background(), nil, func(k string) string { return bad[k] }, io.Discard, &stderr, nil)
	for _, want := range []string{"max body \"1MiB\"", "fk url", "af url"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("want %q reported, got %v", want, err)
		}
	}
	err = run(context.Background(), []string{"-overall-timeout", "30s", "-grpc-addr", "127.0.0.1:0", "-http-addr", "127.0.0.1:0"}, func(string) string { return "" }, io.Discard, &stderr, nil)
	if err == nil || !strings.Contains(err.Error(), "overall timeout") {
		t.Errorf("overall timeout above 10 s accepted: %v", err)
	}
}

// TestRealAgencyURLs points every agency at an outside server through the
// environment, as a deployment does, and checks that the gateway asks there,
// starts no simulator of its own and pings in the configured operator's name.
func TestRealAgencyURLs(t *testing.T) {
	sims := registry.NewSimulators(registry.Agencies())
	var mu sync.Mutex
	asked := map[string]int{}
	paths := map[string]bool{}
	outside := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		asked[strings.SplitN(strings.TrimPrefix(r.URL.Path, "/"), "/", 2)[0]]++
		paths[r.URL.Path] = true
		mu.Unlock()
		sims.Handler.ServeHTTP(w, r)
	}))
	defer outside.Close()
	env := map[string]string{"SSBTEK_OPERATOR": "165566778899"}
	for _, a := range registry.Agencies() {
		env["SSBTEK_"+strings.ToUpper(a.Name)+"_URL"] = a.URL(outside.URL)
	}

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stdout syncBuffer
	addrs := make(chan string, 1)
	errc := make(chan error, 1)
	go func() {
		errc <- run(ctx, []string{"-grpc-addr", "127.0.0.1:0", "-http-addr", "127.0.0.1:0"}, func(k string) string { return env[k] }, &stdout, io.Discard,
			func(_, httpAddr string) { addrs <- httpAddr })
	}()
	var httpAddr string
	select {
	case httpAddr = <-addrs:
	case err := <-errc:
		t.Fatalf("run ended early: %v", err)
	case <-time.After(10 * time.Second):
		t.Fatal("gateway did not start")
	}
	if strings.Contains(stdout.String(), "simulated") || strings.Count(stdout.String(), " real ") != len(registry.Agencies()) {
		t.Errorf("banner should list every agency as real:\n%s", stdout.String())
	}
	body := `{"fraga":{"organisationsnummer":"162120002411","ingivare":"Exempelkommun","handlaggare":"h1","personidentitet":"191212121212","arendeidentitet":"A1","period":{"from":"2026-08-01","tom":"2026-10-31"}}}`
	resp, err := http.Post("http://"+httpAddr+"/v1/sammanstallning", "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	out, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || strings.Contains(string(out), `"fel"`) {
		t.Fatalf("REST: %d %s", resp.StatusCode, out)
	}
	mu.Lock()
	for _, a := range registry.Agencies() {
		if asked[a.Name] != 1 {
			t.Errorf("%s was asked %d times at its configured URL, want 1", a.Name, asked[a.Name])
		}
	}
	mu.Unlock()
	// The pings name the configured operator; FK's carries it in the path.
	testa(t, httpAddr)
	mu.Lock()
	if ping := "/fk/lefi-extern-formansinformation/v9/aktorer/165566778899/tillgangligaInformationstyper"; !paths[ping] {
		t.Errorf("FK was not pinged in SSBTEK_OPERATOR's name (%s); paths asked: %v", ping, paths)
	}
	mu.Unlock()
	cancel()
	if err := <-errc; err != nil {
		t.Errorf("run: %v", err)
	}
}
