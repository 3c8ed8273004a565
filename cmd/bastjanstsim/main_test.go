package main

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/ssbtek/gateway/adapters"
	"github.com/ssbtek/gateway/adapters/registry"
	"github.com/ssbtek/gateway/adapters/simkit"
	"github.com/ssbtek/gateway/bastjanst"
	ssbtekv1 "github.com/ssbtek/gateway/gen/ssbtek/v1"
)

// start runs the command with args on a free port and returns what it
// prints and, once it ends, its error.
func start(ctx context.Context, args ...string) (*io.PipeReader, chan error) {
	pr, pw := io.Pipe()
	errc := make(chan error, 1)
	go func() {
		errc <- run(ctx, append([]string{"-addr", "127.0.0.1:0"}, args...), func(string) string { return "" }, pw, io.Discard)
		pw.Close()
	}()
	return pr, errc
}

// tolvan is a question about Tolvan for Aug-Oct 2026.
func tolvan() *ssbtekv1.Fraga {
	return &ssbtekv1.Fraga{
		Organisationsnummer: "162120002411", Ingivare: "Exempelkommun", Handlaggare: "h1",
		Personidentitet: simkit.Tolvan, Arendeidentitet: "A1", Syfte: "bistånd", Lagtext: "SoL",
		Period: &ssbtekv1.Tidsperiod{From: "2026-08-01", Tom: "2026-10-31"},
	}
}

// TestServesEveryAgency runs the real command on a free port, reads the
// simulator URLs it prints, and asks each through its real adapter.
func TestServesEveryAgency(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pr, errc := start(ctx)

	// The banner: a heading, then "  KOD  SIMULATED url" per agency: none
	// of it is an agency's real answer.
	urls := map[string]string{}
	lines := bufio.NewScanner(pr)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for len(urls) < len(registry.Agencies()) && lines.Scan() {
			if f := strings.Fields(lines.Text()); len(f) == 3 && f[1] == "SIMULATED" && strings.HasPrefix(f[2], "http://") {
				urls[f[0]] = f[2]
			}
		}
	}()
	select {
	case <-done:
	case err := <-errc:
		t.Fatalf("run ended early: %v", err)
	case <-time.After(10 * time.Second):
		t.Fatal("no banner")
	}
	go io.Copy(io.Discard, pr)

	tr := &http.Transport{}
	defer tr.CloseIdleConnections()
	hc := &http.Client{Transport: tr}
	f := tolvan()
	for _, a := range registry.Agencies() {
		kod := bastjanst.Kod(a.Bastjanst)
		u, ok := urls[kod]
		if !ok {
			t.Errorf("%s: not in the banner", kod)
			continue
		}
		res, err := a.New(adapters.Config{URL: u, HTTP: hc}).Hamta(ctx, f, nil)
		if err != nil || res.GetFel() != nil {
			t.Errorf("%s at %s: %v %v", kod, u, err, res.GetFel())
		}
	}

	// The fault header reaches the simulators through the shared mux.
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, urls["AF"], strings.NewReader("<x/>"))
	req.Header.Set(simkit.FaultHeader, string(simkit.FaultHTTP500))
	resp, err := hc.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusInternalServerError {
		t.Errorf("with %s: HTTP %d, want 500", simkit.FaultHeader, resp.StatusCode)
	}

	cancel()
	select {
	case err := <-errc:
		if err != nil {
			t.Errorf("run: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("did not stop")
	}
}

func TestBadAddressIsReported(t *testing.T) {
	err := run(context.Background(), []string{"-addr", "not-an-address"}, func(string) string { return "" }, io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "listening") {
		t.Errorf("err = %v, want a listening error", err)
	}
}
