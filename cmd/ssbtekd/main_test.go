package main

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
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

// gateway is a running ssbtekd.
type gateway struct {
	grpcAddr, httpAddr string
	// opsAddr is the plain-HTTP operations listener.
	opsAddr string
	// dir is the -dev-certs directory ("" without).
	dir string
	// pid is the process of a gateway run by startGatewayProcess.
	pid            int
	stdout, stderr *syncBuffer
	// cancel begins the shutdown (as SIGTERM does) without waiting for it;
	// stop waits for it too.
	cancel context.CancelFunc
	stop   func() error
	// kill ends a gateway process with SIGKILL (launchGatewayProcess).
	kill func()
}

// freePorts puts every listener on a free loopback port.
var freePorts = []string{"-grpc-addr", "127.0.0.1:0", "-http-addr", "127.0.0.1:0", "-ops-addr", "127.0.0.1:0"}

// startGateway runs the real main on free loopback ports with args, as
// `make run` does, and stops it when the test ends.
func startGateway(t *testing.T, args []string, env map[string]string) *gateway {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	g := &gateway{stdout: &syncBuffer{}, stderr: &syncBuffer{}, cancel: cancel}
	for i, a := range args {
		if a == "-dev-certs" {
			g.dir = args[i+1]
		}
	}
	ready := make(chan listening, 1)
	errc := make(chan error, 1)
	go func() {
		errc <- run(ctx, append(append(append([]string(nil), freePorts...), auditArgs(t)...), args...), func(k string) string { return env[k] }, g.stdout, g.stderr,
			func(at listening) { ready <- at })
	}()
	select {
	case a := <-ready:
		g.grpcAddr, g.httpAddr, g.opsAddr = a.grpc, a.http, a.ops
	case err := <-errc:
		cancel()
		t.Fatalf("run ended early: %v\n%s", err, g.stderr.String())
	case <-time.After(20 * time.Second):
		cancel()
		t.Fatal("gateway did not start")
	}
	var once sync.Once
	var runErr error
	g.stop = func() error {
		once.Do(func() {
			cancel()
			select {
			case runErr = <-errc:
			case <-time.After(20 * time.Second):
				t.Error("gateway did not stop")
			}
		})
		return runErr
	}
	t.Cleanup(func() { g.stop() })
	return g
}

// devGateway is startGateway with every agency simulated and development
// certificates in a fresh directory.
func devGateway(t *testing.T, extra ...string) *gateway {
	return startGateway(t, append([]string{"-simulate", "-dev-certs", filepath.Join(t.TempDir(), "data")}, extra...), nil)
}

// tlsAs is the client TLS of the development certificate name ("kommun",
// "ombud", "utan-tns"), trusting the development CA.
func (g *gateway) tlsAs(t *testing.T, name string) *tls.Config {
	t.Helper()
	dir := filepath.Join(g.dir, "pki")
	ca, err := os.ReadFile(filepath.Join(dir, "ca.pem"))
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(ca)
	cfg := &tls.Config{RootCAs: pool}
	if name != "" {
		cert, err := tls.LoadX509KeyPair(filepath.Join(dir, name+".pem"), filepath.Join(dir, name+"-key.pem"))
		if err != nil {
			t.Fatal(err)
		}
		cfg.Certificates = []tls.Certificate{cert}
	}
	return cfg
}

// client is an HTTPS client presenting the development certificate name.
// Its connections close when the test ends, before the gateway stops: a
// connection dialled but never used would hold a graceful shutdown for 5 s.
func (g *gateway) client(t *testing.T, name string) *http.Client {
	tr := &http.Transport{TLSClientConfig: g.tlsAs(t, name)}
	t.Cleanup(tr.CloseIdleConnections)
	return &http.Client{Transport: tr}
}

// do sends a request and returns the status and body.
func do(t *testing.T, c *http.Client, method, url, contentType, body string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(method, url, strings.NewReader(body))
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(out)
}

const tolvanJSON = `{"fraga":{"organisationsnummer":"162120002411","ingivare":"Exempelkommun","handlaggare":"h1","personidentitet":"191212121212","arendeidentitet":"A1","period":{"from":"2026-08-01","tom":"2026-10-31"},"syfte":"Utredning av ekonomiskt bistånd","lagtext":"SoL 11 kap. 11 §"}}`

// TestRunServesAndStops runs the real main as `make run` does, asks for
// Tolvan over REST with the development certificate, and checks the banner,
// the SIMULATED log lines, and that logs hold no personnummer.
func TestRunServesAndStops(t *testing.T) {
	g := devGateway(t)
	kommun := g.client(t, "kommun")
	base := "https://" + g.httpAddr
	if code, out := do(t, kommun, http.MethodPost, base+"/v1/sammanstallning", "application/json", tolvanJSON); code != 200 || !strings.Contains(out, "BASTJANST_MIV") {
		t.Fatalf("REST: %d %s", code, out)
	}
	// The SOAP shim is mounted on the same port: its WSDL names this server,
	// and a testa call reaches every simulated agency.
	if code, out := do(t, kommun, http.MethodGet, base+"/ssbtek?wsdl", "", ""); code != 200 || !strings.Contains(out, `location="https://`+g.httpAddr+`/ssbtek"`) {
		t.Fatalf("WSDL: %d %s", code, out)
	}
	if out := testa(t, kommun, g.httpAddr); strings.Count(out, "anropad>true</") != 7 {
		t.Fatalf("SOAP testa reached not every agency: %s", out)
	}
	for _, want := range []string{"gRPC", "REST", "OpenAPI", "SOAP", "SIMULATED agencies answer with invented test data", "curl -s --cert ", "grpcurl -cert ", "rights.yaml"} {
		if !strings.Contains(g.stdout.String(), want) {
			t.Errorf("banner lacks %q:\n%s", want, g.stdout.String())
		}
	}
	if n := strings.Count(g.stdout.String(), "SIMULATED "); n < 8 {
		t.Errorf("want every agency's banner line to say SIMULATED, %d do:\n%s", n, g.stdout.String())
	}
	if err := g.stop(); err != nil {
		t.Errorf("run: %v", err)
	}
	logs := g.stderr.String()
	if strings.Contains(logs, "191212121212") || strings.Contains(g.stdout.String(), "191212121212") {
		t.Errorf("a personnummer reached the application log:\n%s", logs)
	}
	if !strings.Contains(logs, `"msg":"lookup"`) || !strings.Contains(logs, `"sender":"162120002411"`) {
		t.Errorf("no lookup log line naming the sender:\n%s", logs)
	}
	if n := strings.Count(logs, `"msg":"SIMULATED agency answer`); n != 7 {
		t.Errorf("%d SIMULATED answer log lines, want one per agency:\n%s", n, logs)
	}
}

// TestDevCertificatesAreKept: a second start keeps the first one's
// certificates, so commands pasted from the banner go on working.
func TestDevCertificatesAreKept(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	g := startGateway(t, []string{"-simulate", "-dev-certs", dir}, nil)
	first, _ := os.ReadFile(filepath.Join(dir, "pki", "ca.pem"))
	g.stop()
	for _, f := range []string{"ca.pem", "server.pem", "server-key.pem", "kommun.pem", "kommun-key.pem", "ombud.pem", "utan-tns.pem"} {
		if _, err := os.Stat(filepath.Join(dir, "pki", f)); err != nil {
			t.Errorf("%s: %v", f, err)
		}
	}
	if fi, err := os.Stat(filepath.Join(dir, "pki", "kommun-key.pem")); err == nil && fi.Mode().Perm()&0o077 != 0 {
		t.Errorf("a client key is readable by others: %v", fi.Mode())
	}
	g = startGateway(t, []string{"-simulate", "-dev-certs", dir}, nil)
	second, _ := os.ReadFile(filepath.Join(dir, "pki", "ca.pem"))
	if len(first) == 0 || !bytes.Equal(first, second) {
		t.Error("the development CA was replaced on the second start")
	}
	if strings.Contains(g.stdout.String(), "created a development CA") {
		t.Error("second start says it created certificates")
	}
	if code, _ := do(t, g.client(t, "kommun"), http.MethodPost, "https://"+g.httpAddr+"/v1/sammanstallning", "application/json", tolvanJSON); code != 200 {
		t.Errorf("REST with the first start's certificate: %d", code)
	}
}

// testa calls testaBastjanstInformation on the SOAP shim at httpAddr and
// returns the answer, failing the test unless it is a 200 without errors.
func testa(t *testing.T, c *http.Client, httpAddr string) string {
	t.Helper()
	env := `<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><t:testaBastjanstInformation xmlns:t="http://schema.forsakringskassan.se/integration/ssbt/10"/></s:Body></s:Envelope>`
	code, out := do(t, c, http.MethodPost, "https://"+httpAddr+"/ssbtek", "text/xml; charset=utf-8", env)
	if code != 200 || strings.Contains(out, "error>") {
		t.Fatalf("SOAP testa: %d %s", code, out)
	}
	return out
}

func TestBadConfigIsReported(t *testing.T) {
	var stderr bytes.Buffer
	dev := []string{"-simulate", "-dev-plaintext"}
	err := run(context.Background(), append(dev, "-agency-timeout", "soon", "-max-body", "0", "-operator", "162011005521"), func(string) string { return "" }, io.Discard, &stderr, nil)
	if err == nil || !strings.Contains(err.Error(), "agency timeout") || !strings.Contains(err.Error(), "max body") || !strings.Contains(err.Error(), "operator") {
		t.Errorf("want every bad value reported, got %v", err)
	}
	err = run(context.Background(), dev, func(k string) string { return map[string]string{"SSBTEK_OPERATOR": "ssbtek-testa"}[k] }, io.Discard, &stderr, nil)
	if err == nil || !strings.Contains(err.Error(), "operator") {
		t.Errorf("SSBTEK_OPERATOR that is no organisationsnummer accepted: %v", err)
	}
	bad := map[string]string{"SSBTEK_MAX_BODY": "1MiB", "SSBTEK_FK_URL": "localhost:8443/lefi", "SSBTEK_AF_URL": "ftp://af.example/ers", "SSBTEK_AGENCY_RATE": "AF=fast", "SSBTEK_AGENCY_BURST": "XX=2", "SSBTEK_SIMULATE": "yes please"}
	err = run(context.Background(), nil, func(k string) string { return bad[k] }, io.Discard, &stderr, nil)
	for _, want := range []string{"max body \"1MiB\"", "fk url", "af url", "agency rate", "unknown agency \"XX\"", "SSBTEK_SIMULATE \"yes please\""} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("want %q reported, got %v", want, err)
		}
	}
	err = run(context.Background(), append(dev, "-overall-timeout", "30s", "-grpc-addr", "127.0.0.1:0", "-http-addr", "127.0.0.1:0"), func(string) string { return "" }, io.Discard, &stderr, nil)
	if err == nil || !strings.Contains(err.Error(), "overall timeout") {
		t.Errorf("overall timeout above 10 s accepted: %v", err)
	}
}

// TestNoSilentSimulators: without -simulate every agency needs a URL, and
// the refusal to start names the ones that have none.
func TestNoSilentSimulators(t *testing.T) {
	err := run(context.Background(), []string{"-dev-plaintext", "-fk-url", "http://127.0.0.1:1/fk"}, func(string) string { return "" }, io.Discard, io.Discard, nil)
	if err == nil || !strings.Contains(err.Error(), "no URL for af, csn, skv, so, tns, miv") || !strings.Contains(err.Error(), "-simulate") {
		t.Errorf("want a refusal naming the agencies without URL, got %v", err)
	}
}

// TestNoListenerWithoutVerifiedCallers: without certificates, or in the
// plaintext mode on a non-loopback address, or without a rights file,
// ssbtekd does not start.
func TestNoListenerWithoutVerifiedCallers(t *testing.T) {
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"-simulate"}, "TLS needs -tls-cert, -tls-key and -client-ca"},
		{[]string{"-simulate", "-tls-cert", "x.pem", "-tls-key", "x-key.pem"}, "TLS needs"},
		{[]string{"-simulate", "-dev-plaintext", "-http-addr", "0.0.0.0:0"}, "loopback only"},
		{[]string{"-simulate", "-dev-plaintext", "-grpc-addr", "192.0.2.1:9090"}, "loopback only"},
		{[]string{"-simulate", "-tls-cert", "x.pem", "-tls-key", "x-key.pem", "-client-ca", "ca.pem"}, "no rights file"},
	} {
		err := run(context.Background(), tt.args, func(string) string { return "" }, io.Discard, io.Discard, nil)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%v: %v, want %q", tt.args, err, tt.want)
		}
	}
}

// TestDevPlaintext: the explicit development mode serves plain HTTP on
// loopback, says so, and every caller is the development organisation.
func TestDevPlaintext(t *testing.T) {
	g := startGateway(t, []string{"-simulate", "-dev-plaintext"}, nil)
	if !strings.Contains(g.stdout.String(), "PLAINTEXT DEVELOPMENT MODE") {
		t.Errorf("banner does not warn:\n%s", g.stdout.String())
	}
	if code, out := do(t, http.DefaultClient, http.MethodPost, "http://"+g.httpAddr+"/v1/sammanstallning", "application/json", tolvanJSON); code != 200 {
		t.Errorf("REST as the development organisation: %d %s", code, out)
	}
	other := strings.Replace(tolvanJSON, "162120002411", "162120001420", 1)
	if code, out := do(t, http.DefaultClient, http.MethodPost, "http://"+g.httpAddr+"/v1/sammanstallning", "application/json", other); code != http.StatusForbidden {
		t.Errorf("REST for another ingivare: %d %s, want 403", code, out)
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
	env := map[string]string{"SSBTEK_OPERATOR": "165566778899", "SSBTEK_DEV_CERTS": filepath.Join(t.TempDir(), "data")}
	for _, a := range registry.Agencies() {
		env["SSBTEK_"+strings.ToUpper(a.Name)+"_URL"] = a.URL(outside.URL)
	}
	g := startGateway(t, nil, env)
	g.dir = env["SSBTEK_DEV_CERTS"]
	if strings.Contains(g.stdout.String(), "SIMULATED") || strings.Count(g.stdout.String(), " external ") != len(registry.Agencies()) {
		t.Errorf("banner should list every agency as external:\n%s", g.stdout.String())
	}
	kommun := g.client(t, "kommun")
	if code, out := do(t, kommun, http.MethodPost, "https://"+g.httpAddr+"/v1/sammanstallning", "application/json", tolvanJSON); code != 200 || strings.Contains(out, `"fel"`) {
		t.Fatalf("REST: %d %s", code, out)
	}
	// The population register answers its own question, not the compiled one.
	personuppgifter := `{"fraga": {"organisationsnummer": "162120002411", "ingivare": "Exempelkommun", "handlaggare": "h1",
		"personidentitet": "191212121212", "arendeidentitet": "A1", "syfte": "s", "lagtext": "l"}}`
	if code, out := do(t, kommun, http.MethodPost, "https://"+g.httpAddr+"/v1/personuppgifter", "application/json", personuppgifter); code != 200 || strings.Contains(out, `"fel"`) {
		t.Fatalf("REST personuppgifter: %d %s", code, out)
	}
	mu.Lock()
	for _, a := range registry.Agencies() {
		want := 1
		if a.Name == "skv" {
			want = 5 // Skatteverket is asked per part, five of them
		}
		if asked[a.Name] != want {
			t.Errorf("%s was asked %d times at its configured URL, want %d", a.Name, asked[a.Name], want)
		}
	}
	mu.Unlock()
	// The pings name the configured operator; FK's carries it in the path.
	testa(t, kommun, g.httpAddr)
	mu.Lock()
	if ping := "/fk/lefi-extern-formansinformation/v9/aktorer/165566778899/tillgangligaInformationstyper"; !paths[ping] {
		t.Errorf("FK was not pinged in SSBTEK_OPERATOR's name (%s); paths asked: %v", ping, paths)
	}
	mu.Unlock()
	if err := g.stop(); err != nil {
		t.Errorf("run: %v", err)
	}
	if strings.Contains(g.stderr.String(), "SIMULATED") {
		t.Error("a real agency's answer was logged as SIMULATED")
	}
}

// TestHandshakeErrorsAreStructuredLogLines: a caller without a client
// certificate is refused at the TLS handshake, and the gateway says so as a
// JSON log line, not as net/http's bare line on stderr.
func TestHandshakeErrorsAreStructuredLogLines(t *testing.T) {
	g := devGateway(t)
	ca, err := os.ReadFile(filepath.Join(g.dir, "pki", "ca.pem"))
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(ca)
	noCert := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
	if resp, err := noCert.Get("https://" + g.httpAddr + "/openapi.json"); err == nil {
		resp.Body.Close()
		t.Fatalf("without a client certificate: %s, want a refused handshake", resp.Status)
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		var found bool
		for _, line := range strings.Split(g.stderr.String(), "\n") {
			if strings.Contains(line, "TLS handshake error") {
				if !strings.HasPrefix(line, "{") || !json.Valid([]byte(line)) {
					t.Fatalf("handshake error is not a JSON log line: %q", line)
				}
				found = true
			}
		}
		if found {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("no log line for the refused handshake:\n%s", g.stderr.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// The banner claims SIMULATED only for what the gateway simulates itself:
// with -simulate and an agency at a URL (here the standalone simulators,
// which the gateway cannot tell from the agency), that agency is external,
// never real, and the others SIMULATED.
func TestBannerSimulatedOrExternal(t *testing.T) {
	sims := httptest.NewServer(registry.NewSimulators(registry.Agencies()).Handler)
	defer sims.Close()
	g := devGateway(t, "-af-url", sims.URL+"/af")
	banner := g.stdout.String()
	n := 0
	for _, l := range strings.Split(banner, "\n") {
		f := strings.Fields(l)
		if len(f) < 3 || !strings.HasPrefix(f[2], "http") {
			continue
		}
		n++
		want := "SIMULATED"
		if f[0] == "AF" {
			want = "external"
		}
		if f[1] != want {
			t.Errorf("banner line %q, want %s", l, want)
		}
	}
	if n < len(registry.Agencies()) || !strings.Contains(banner, "AF   external  "+sims.URL+"/af") {
		t.Errorf("banner:\n%s", banner)
	}
}
