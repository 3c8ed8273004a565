// Package testenv wires the whole gateway for end-to-end tests: every agency's
// simulator on a real loopback server, the real adapters pointed at it, the
// fan-out core and the lookup service.
package testenv

import (
	"net/http"
	"net/http/httptest"
	"sync/atomic"
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
	asked         atomic.Int64
}

// Asked is how many requests the simulators have had, to prove that a
// refused question reached no agency.
func (e *Env) Asked() int64 { return e.asked.Load() }

// New starts every registered agency's simulator and wires the real adapters
// to them. Everything stops when the test ends.
func New(t testing.TB, cfg fanout.Config) *Env {
	t.Helper()
	agencies := registry.Agencies()
	sims := registry.NewSimulators(agencies)
	env := &Env{Simulators: sims}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		env.asked.Add(1)
		sims.Handler.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	var list []bastjanst.Adapter
	for _, a := range agencies {
		list = append(list, a.New(adapters.Config{URL: a.URL(srv.URL)}))
	}
	core, err := fanout.New(cfg, list...)
	if err != nil {
		t.Fatalf("fan-out core: %v", err)
	}
	env.Lookup, env.Core, env.SimulatorBase = lookup.New(core, nil), core, srv.URL
	return env
}

// Simulator returns agency b's simulator, e.g. to inject faults.
func (e *Env) Simulator(b ssbtekv1.Bastjanst) adapters.Simulator { return e.Simulators.ByAgency[b] }
