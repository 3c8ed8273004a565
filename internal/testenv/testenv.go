// Package testenv wires the whole gateway for end-to-end tests: every agency's
// simulator on a real loopback server, the real adapters pointed at it, the
// fan-out core and the lookup service.
package testenv

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
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
	// Tjanster are the sources' own calls, for server.Options.
	Tjanster []adapters.Tjanst
	// SimulatorBase is the simulators' base URL.
	SimulatorBase string
	asked         atomic.Int64

	// recording, when set, keeps the last answer body per agency name.
	recording atomic.Bool
	mu        sync.Mutex
	answers   map[string][]byte
	names     map[ssbtekv1.Bastjanst]string
	// holds are closed to let the agency of that name answer.
	holds map[string]chan struct{}
}

// Hold makes b's simulator keep every question waiting until release is
// called (or the test ends): a test orders the agencies' answers by what it
// has seen instead of by the clock.
func (e *Env) Hold(t testing.TB, b ssbtekv1.Bastjanst) (release func()) {
	ch := make(chan struct{})
	e.mu.Lock()
	e.holds[e.names[b]] = ch
	e.mu.Unlock()
	release = sync.OnceFunc(func() { close(ch) })
	t.Cleanup(release)
	return release
}

// RecordAnswers makes the simulators' server keep the last answer body it
// sent to each agency's adapter, byte for byte, for LastAnswer.
func (e *Env) RecordAnswers() { e.recording.Store(true) }

// LastAnswer is the last answer body b's simulator sent (after
// RecordAnswers), nil when none.
func (e *Env) LastAnswer(b ssbtekv1.Bastjanst) []byte {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.answers[e.names[b]]
}

// recorder copies what the handler writes.
type recorder struct {
	http.ResponseWriter
	body bytes.Buffer
}

func (r *recorder) Write(p []byte) (int, error) {
	r.body.Write(p)
	return r.ResponseWriter.Write(p)
}

func (e *Env) serve(w http.ResponseWriter, r *http.Request) {
	e.asked.Add(1)
	name, _, _ := strings.Cut(strings.TrimPrefix(r.URL.Path, "/"), "/")
	e.mu.Lock()
	hold := e.holds[name]
	e.mu.Unlock()
	if hold != nil {
		select {
		case <-hold:
		case <-r.Context().Done():
			return
		}
	}
	if !e.recording.Load() {
		e.Simulators.Handler.ServeHTTP(w, r)
		return
	}
	rec := &recorder{ResponseWriter: w}
	e.Simulators.Handler.ServeHTTP(rec, r)
	e.mu.Lock()
	e.answers[name] = rec.body.Bytes()
	e.mu.Unlock()
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
	env := &Env{Simulators: sims, answers: map[string][]byte{}, names: map[ssbtekv1.Bastjanst]string{}, holds: map[string]chan struct{}{}, Tjanster: adapters.Tjanster(agencies)}
	srv := httptest.NewServer(http.HandlerFunc(env.serve))
	t.Cleanup(srv.Close)
	var list []bastjanst.Adapter
	for _, a := range agencies {
		env.names[a.Bastjanst] = a.Name
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
