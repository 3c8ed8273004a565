package main

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"errors"
	"flag"
	"math/big"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/ssbtek/gateway/adapters/simkit"
	"github.com/ssbtek/gateway/fanout"
	ssbtekv1 "github.com/ssbtek/gateway/gen/ssbtek/v1"
	"github.com/ssbtek/gateway/internal/testenv"
	"github.com/ssbtek/gateway/server"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// gateway serves the real gRPC API over every agency's simulator on a
// loopback port, through a TLS listener when tlsCfg is set, and returns its
// address.
func gateway(t *testing.T, tlsCfg *tls.Config) (string, *testenv.Env) {
	t.Helper()
	env := testenv.New(t, fanout.Config{})
	g, err := server.NewGRPC(env.Lookup, server.Options{})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	if tlsCfg != nil {
		ln = tls.NewListener(ln, tlsCfg)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { server.ServeGRPC(ctx, ln, g); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
	return addr, env
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("output differs from %s (run with -update to accept):\n%s", path, got)
	}
}

var tolvanQuery = []string{"--person", simkit.Tolvan, "--from", "2026-08-01", "--to", "2026-10-31"}

func TestQueryPrintsTablesAndIncomeSummary(t *testing.T) {
	addr, _ := gateway(t, nil)
	r := runBinary(t, []string{"SSBTEK_ADDR=" + addr, "SSBTEK_PLAINTEXT=1"}, append([]string{"query"}, tolvanQuery...)...)
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	golden(t, "query_tolvan.golden", r.stdout)
	for _, want := range []string{"== AF  Arbetsförmedlingen  OK", "== MIV  Migrationsverket", "== Inkomstsammanställning 2026-08-01–2026-10-31", "   2026-10\n"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("output lacks %q", want)
		}
	}
}

func TestQueryJSONAndAgencies(t *testing.T) {
	addr, _ := gateway(t, nil)
	r := runBinary(t, nil, append([]string{"query", "--plaintext", "--addr", addr, "--json", "--agencies", "fk,SO"}, tolvanQuery...)...)
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	var res struct {
		Sammanstallning struct {
			Resultat []struct {
				Bastjanst string `json:"bastjanst"`
			} `json:"resultat"`
			Inkomstsammanstallning struct {
				Manader       []json.RawMessage `json:"manader"`
				EjTillfragade []string          `json:"ejTillfragade"`
			} `json:"inkomstsammanstallning"`
		} `json:"sammanstallning"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &res); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, r.stdout)
	}
	s := res.Sammanstallning
	if len(s.Resultat) != 2 || s.Resultat[0].Bastjanst != "BASTJANST_FK" || s.Resultat[1].Bastjanst != "BASTJANST_SO" {
		t.Errorf("results %+v, want FK and SO", s.Resultat)
	}
	if len(s.Inkomstsammanstallning.Manader) != 3 || strings.Join(s.Inkomstsammanstallning.EjTillfragade, ",") != "BASTJANST_CSN,BASTJANST_SKV" {
		t.Errorf("income summary %+v", s.Inkomstsammanstallning)
	}
}

func TestStreamPrintsResultsAsTheyArrive(t *testing.T) {
	addr, env := gateway(t, nil)
	env.Simulator(ssbtekv1.Bastjanst_BASTJANST_AF).Faults().Set(simkit.Fault{Kind: simkit.FaultLatency, Latency: 300 * time.Millisecond})
	r := runBinary(t, []string{"SSBTEK_ADDR=" + addr}, append([]string{"stream", "--plaintext", "--agencies", "AF,FK"}, tolvanQuery...)...)
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	lines := regexp.MustCompile(`(?m)^\[\+(\d+)ms\] == (\w+) `).FindAllStringSubmatch(r.stdout, -1)
	if len(lines) != 2 || lines[0][2] != "FK" || lines[1][2] != "AF" {
		t.Fatalf("want FK then AF, got %q in\n%s", lines, r.stdout)
	}
	if !strings.Contains(r.stdout, "== Inkomstsammanställning") {
		t.Errorf("no income summary at the end:\n%s", r.stdout)
	}
	r = runBinary(t, []string{"SSBTEK_ADDR=" + addr, "SSBTEK_PLAINTEXT=true"}, append([]string{"stream", "--json", "--agencies", "FK"}, tolvanQuery...)...)
	out := strings.Split(strings.TrimSpace(r.stdout), "\n")
	if r.code != 0 || len(out) != 2 || !strings.HasPrefix(out[0], `{"resultat":`) || !strings.HasPrefix(out[1], `{"sammanstallning":`) {
		t.Errorf("stream --json: exit %d, lines %q", r.code, out)
	}
}

func TestPing(t *testing.T) {
	addr, env := gateway(t, nil)
	r := runBinary(t, []string{"SSBTEK_ADDR=" + addr}, "ping", "--plaintext")
	if r.code != 0 || strings.Count(r.stdout, "  ok  ") != 7 {
		t.Fatalf("exit %d, stdout:\n%s\nstderr: %s", r.code, r.stdout, r.stderr)
	}
	env.Simulator(ssbtekv1.Bastjanst_BASTJANST_TNS).Faults().Set(simkit.Fault{Kind: simkit.FaultHTTP500})
	r = runBinary(t, []string{"SSBTEK_ADDR=" + addr}, "ping", "--plaintext")
	if r.code != 1 || !strings.Contains(r.stdout, "TNS") || !strings.Contains(r.stderr, "not reachable: TNS") {
		t.Errorf("one agency down: exit %d, stdout:\n%s\nstderr: %s", r.code, r.stdout, r.stderr)
	}
}

func TestErrorsAndExitCodes(t *testing.T) {
	addr, _ := gateway(t, nil)
	// A port nothing listens on.
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	closed := ln.Addr().String()
	ln.Close()
	plain := []string{"SSBTEK_PLAINTEXT=1", "SSBTEK_ADDR=" + addr}
	tests := []struct {
		name   string
		env    []string
		args   []string
		code   int
		stdout string
		stderr string
	}{
		{"no command", nil, nil, 2, "", "no command given"},
		{"unknown command", nil, []string{"frobnicate"}, 2, "", `unknown command "frobnicate"`},
		{"help", nil, []string{"--help"}, 0, "ssbtek <command> [flags]", ""},
		{"no flags after help", nil, []string{"ping", "extra"}, 2, "", `unexpected argument "extra"`},
		{"query help", nil, []string{"query", "--help"}, 0, "-person string", ""},
		{"ping help", nil, []string{"ping", "-h"}, 0, "Usage: ssbtek ping", ""},
		{"stream help", nil, []string{"stream", "--help"}, 0, "-agencies string", ""},
		{"missing person and dates", plain, []string{"query"}, 2, "", `--person "": want 12 digits`},
		{"unknown flag", plain, []string{"query", "--persn", "1"}, 2, "", "flag provided but not defined: -persn"},
		{"unknown agency", plain, append([]string{"query", "--agencies", "AF,XX"}, tolvanQuery...), 2, "", `unknown agency "XX"`},
		{"refused by the gateway", plain, []string{"query", "--person", "191212121213", "--from", "2026-08-01", "--to", "2026-10-31"}, 3, "",
			"InvalidArgument: VALIDERINGSFEL: fraga.personidentitet"},
		{"bad period", plain, []string{"query", "--person", simkit.Tolvan, "--from", "2026-10-01", "--to", "2026-08-01"}, 3, "", "OGILTIGTIDSPERIOD"},
		{"gateway down", []string{"SSBTEK_PLAINTEXT=1", "SSBTEK_ADDR=" + closed}, []string{"ping", "--timeout", "2s"}, 3, "", "the gateway at " + closed + " answered Unavailable"},
		{"no client certificate", []string{"SSBTEK_CERT=/nonexistent/c.pem", "SSBTEK_ADDR=" + addr}, []string{"ping"}, 3, "",
			"reading the client certificate /nonexistent/c.pem"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := runBinary(t, tt.env, tt.args...)
			if r.code != tt.code || !strings.Contains(r.stdout, tt.stdout) || !strings.Contains(r.stderr, tt.stderr) {
				t.Errorf("exit %d (want %d)\nstdout: %s\nstderr: %s\nwant stdout with %q, stderr with %q", r.code, tt.code, r.stdout, r.stderr, tt.stdout, tt.stderr)
			}
		})
	}
}

// The client presents its certificate and checks the gateway's against the
// CA: against a gateway that requires client certificates, ping works with
// them and is refused without.
func TestMutualTLS(t *testing.T) {
	dir := t.TempDir()
	ca, caKey := newCert(t, nil, nil, "test CA", true)
	srv, srvKey := newCert(t, ca, caKey, "127.0.0.1", false)
	cli, cliKey := newCert(t, ca, caKey, "kommun", false)
	writePEM(t, filepath.Join(dir, "ca.pem"), "CERTIFICATE", ca.Raw)
	writePEM(t, filepath.Join(dir, "kommun.pem"), "CERTIFICATE", cli.Raw)
	writeKey(t, filepath.Join(dir, "kommun-key.pem"), cliKey)
	pool := x509.NewCertPool()
	pool.AddCert(ca)
	addr, _ := gateway(t, &tls.Config{
		Certificates: []tls.Certificate{{Certificate: [][]byte{srv.Raw}, PrivateKey: srvKey}},
		ClientCAs:    pool,
		ClientAuth:   tls.RequireAndVerifyClientCert,
		NextProtos:   []string{"h2"},
		MinVersion:   tls.VersionTLS12,
	})
	env := []string{"SSBTEK_ADDR=" + addr, "SSBTEK_CACERT=" + filepath.Join(dir, "ca.pem")}
	r := runBinary(t, append(env, "SSBTEK_CERT="+filepath.Join(dir, "kommun.pem"), "SSBTEK_KEY="+filepath.Join(dir, "kommun-key.pem")), "ping")
	if r.code != 0 || strings.Count(r.stdout, "  ok  ") != 7 {
		t.Errorf("with the client certificate: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	// The same client without its certificate: the handshake fails.
	other, otherKey := newCert(t, nil, nil, "self-signed", true)
	writePEM(t, filepath.Join(dir, "other.pem"), "CERTIFICATE", other.Raw)
	writeKey(t, filepath.Join(dir, "other-key.pem"), otherKey)
	r = runBinary(t, append(env, "SSBTEK_CERT="+filepath.Join(dir, "other.pem"), "SSBTEK_KEY="+filepath.Join(dir, "other-key.pem")), "ping", "--timeout", "3s")
	if r.code != 3 || !strings.Contains(r.stderr, "Unavailable") {
		t.Errorf("with a certificate from another CA: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
}

func newCert(t *testing.T, parent *x509.Certificate, parentKey *ecdsa.PrivateKey, cn string, isCA bool) (*x509.Certificate, *ecdsa.PrivateKey) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(time.Now().UnixNano()),
		Subject:      pkix.Name{CommonName: cn},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth, x509.ExtKeyUsageClientAuth},
		IsCA:         isCA, BasicConstraintsValid: true,
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")},
	}
	if parent == nil {
		parent, parentKey = tmpl, key
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, &key.PublicKey, parentKey)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return cert, key
}

func writePEM(t *testing.T, path, typ string, der []byte) {
	t.Helper()
	if err := os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
}

func writeKey(t *testing.T, path string, key *ecdsa.PrivateKey) {
	t.Helper()
	der, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	writePEM(t, path, "EC PRIVATE KEY", der)
}

// runBinary runs the built binary (see TestMain) with only the given
// environment.
func runBinary(t *testing.T, env []string, args ...string) result {
	t.Helper()
	cmd := exec.Command(binary, args...)
	cmd.Env = env
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	code := 0
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("running ssbtek: %v", err)
	}
	return result{stdout.String(), stderr.String(), code}
}
