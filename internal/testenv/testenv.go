// Package testenv wires the whole gateway for end-to-end tests: every agency's
// simulator on a real loopback server, the real adapters pointed at it, the
// fan-out core and the lookup service.
package testenv

import (
	"net/http/httptest"
	"testing"

	"github.com/ssbtek/gateway/adapters"
	"github.com/ssbtek/gateway/adapters/registry"
	"github.com/ssbtek/gateway/bastjanst"
	"github.com/ssbtek/gateway/fanout"
	ssbtekv1 "github.com/ssbtek/gateway/gen/ssbtek/v1"
	"github.com/ssbtek/gateway/lookup"
)

// Env is a wired gateway core over simulators.
type Env struct {
	Lookup     *lookup.Service
	Core       *fanout.Core
	Simulators *registry.Simulators
	// SimulatorBase is the simulators' base URL.
	SimulatorBase string
}

// New starts every registered agency's simulator and wires the real adapters
// to them. Everything stops when the test ends.
func New(t testing.TB, cfg fanout.Config) *Env {
	t.Helper()
	agencies := registry.Agencies()
	sims := registry.NewSimulators(agencies)
	srv := httptest.NewServer(sims.Handler)
	t.Cleanup(srv.Close)
	var list []bastjanst.Adapter
	for _, a := range agencies {
		list = append(list, a.New(adapters.Config{URL: a.URL(srv.URL)}))
	}
	core, err := fanout.New(cfg, list...)
	if err != nil {
		t.Fatalf("fan-out core: %v", err)
	}
	return &Env{Lookup: lookup.New(core, nil), Core: core, Simulators: sims, SimulatorBase: srv.URL}
}

// Simulator returns agency b's simulator, e.g. to inject faults.
func (e *Env) Simulator(b ssbtekv1.Bastjanst) adapters.Simulator { return e.Simulators.ByAgency[b] }
