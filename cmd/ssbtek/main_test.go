package main

import (
	"context"
	"encoding/json"
	"flag"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ssbtek/gateway/adapters/simkit"
	"github.com/ssbtek/gateway/bastjanst"
	"github.com/ssbtek/gateway/fanout"
	ssbtekv1 "github.com/ssbtek/gateway/gen/ssbtek/v1"
	"github.com/ssbtek/gateway/identity"
	"github.com/ssbtek/gateway/internal/testenv"
	"github.com/ssbtek/gateway/internal/testpki"
	"github.com/ssbtek/gateway/server"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// gateway serves the real gRPC API over every agency's simulator on a
// loopback port and returns its address. With p it demands client
// certificates from p's CA, as every gateway does; without, it is the
// plaintext development mode, every caller the development organisation.
func gateway(t *testing.T, p *testpki.PKI) (string, *testenv.Env) {
	t.Helper()
	env := testenv.New(t, fanout.Config{})
	opts := server.Options{DevCaller: &identity.Caller{Subject: "dev-plaintext", Organisationsnummer: "162120002411", SerialNumber: "162120002411", Development: true}}
	if p != nil {
		opts = server.Options{TLS: p.ServerTLS()}
	}
	g, err := server.NewGRPC(env.Lookup, opts)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { server.ServeGRPC(ctx, ln, g); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
	return ln.Addr().String(), env
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

// ident is who asks, from the environment: the CLI assumes none of it.
var ident = []string{"SSBTEK_ORG=162120002411", "SSBTEK_INGIVARE=Exempelkommun", "SSBTEK_HANDLAGGARE=h1",
	"SSBTEK_ARENDE=ARENDE-7", "SSBTEK_SYFTE=Utredning av ekonomiskt bistånd", "SSBTEK_LAGTEXT=SoL 11 kap. 11 §"}

// withIdent is env and ident.
func withIdent(env ...string) []string { return append(slices.Clone(ident), env...) }

func TestQueryPrintsTablesAndIncomeSummary(t *testing.T) {
	addr, _ := gateway(t, nil)
	r := runBinary(t, withIdent("SSBTEK_ADDR="+addr, "SSBTEK_PLAINTEXT=1"), append([]string{"query"}, tolvanQuery...)...)
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
	r := runBinary(t, ident, append([]string{"query", "--plaintext", "--addr", addr, "--json", "--agencies", "fk,SO"}, tolvanQuery...)...)
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
	r := runBinary(t, withIdent("SSBTEK_ADDR="+addr), append([]string{"stream", "--plaintext", "--agencies", "AF,FK"}, tolvanQuery...)...)
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
	r = runBinary(t, withIdent("SSBTEK_ADDR="+addr, "SSBTEK_PLAINTEXT=true"), append([]string{"stream", "--json", "--agencies", "FK"}, tolvanQuery...)...)
	out := strings.Split(strings.TrimSpace(r.stdout), "\n")
	if r.code != 0 || len(out) != 2 || !strings.HasPrefix(out[0], `{"resultat":`) || !strings.HasPrefix(out[1], `{"sammanstallning":`) {
		t.Errorf("stream --json: exit %d, lines %q", r.code, out)
	}
}

func TestPing(t *testing.T) {
	addr, env := gateway(t, nil)
	r := runBinary(t, []string{"SSBTEK_ADDR=" + addr}, "ping", "--plaintext")
	if r.code != 0 || strings.Count(r.stdout, "  ok  ") != len(bastjanst.Known()) {
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
	plain := withIdent("SSBTEK_PLAINTEXT=1", "SSBTEK_ADDR="+addr)
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
		{"help", nil, []string{"--help"}, 0, "ssbtek [flags] <command> [subcommand] [flags]", ""},
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
		{"global flags before the command", nil, []string{"--addr", addr, "--plaintext", "ping"}, 0, "MIV", ""},
		{"nothing assumed about who asks", []string{"SSBTEK_PLAINTEXT=1", "SSBTEK_ADDR=" + addr}, append([]string{"query"}, tolvanQuery...), 2, "",
			"missing --org (SSBTEK_ORG), --ingivare (SSBTEK_INGIVARE), --handlaggare (SSBTEK_HANDLAGGARE), --arende (SSBTEK_ARENDE), --syfte (SSBTEK_SYFTE), --lagtext (SSBTEK_LAGTEXT)"},
		{"only the case missing", slices.DeleteFunc(slices.Clone(plain), func(e string) bool { return strings.HasPrefix(e, "SSBTEK_ARENDE=") }), append([]string{"query"}, tolvanQuery...), 2, "",
			"missing --arende (SSBTEK_ARENDE):"},
		{"an agency failed", plain, []string{"query", "--person", simkit.Felperson, "--from", "2026-08-01", "--to", "2026-10-31"}, 1, "== AF", "no answer from AF, CSN, FK, SKV, SO, TNS, MIV"},
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
// them, found where `make run` creates them (data/pki, the defaults), and a
// certificate from another CA is refused.
func TestMutualTLS(t *testing.T) {
	p := testpki.New(t)
	addr, _ := gateway(t, p)
	work := t.TempDir()
	dir := filepath.Join(work, "data", "pki")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	p.Write(t, dir, "kommun", p.Issue(t, testpki.Org("162120002411")))
	r := runIn(t, work, []string{"SSBTEK_ADDR=" + addr}, "ping")
	if r.code != 0 || strings.Count(r.stdout, "  ok  ") != len(bastjanst.Known()) {
		t.Errorf("with the client certificate at the default paths: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	other := testpki.New(t)
	of := other.Write(t, t.TempDir(), "other", other.Issue(t, testpki.Org("162120002411")))
	env := []string{"SSBTEK_ADDR=" + addr, "SSBTEK_CACERT=" + filepath.Join(dir, "ca.pem"), "SSBTEK_CERT=" + of.Cert, "SSBTEK_KEY=" + of.Key}
	r = runBinary(t, env, "ping", "--timeout", "3s")
	if r.code != 3 || !strings.Contains(r.stderr, "Unavailable") {
		t.Errorf("with a certificate from another CA: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
}

// runBinary runs the built binary (see TestMain) with only the given
// environment.
func runBinary(t *testing.T, env []string, args ...string) result {
	t.Helper()
	return runIn(t, "", env, args...)
}
