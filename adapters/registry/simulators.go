package registry

import (
	"net/http"

	"github.com/ssbtek/gateway/adapters"
	ssbtekv1 "github.com/ssbtek/gateway/gen/ssbtek/v1"
)

// Simulators is every agency's simulator behind one handler, each under
// /<name>/ (e.g. /af/, /fk/lefi-extern-formansinformation/...).
type Simulators struct {
	Handler http.Handler
	// ByAgency gives access to each simulator's fault injector.
	ByAgency map[ssbtekv1.Bastjanst]adapters.Simulator
}

// NewSimulators builds the simulators of the given agencies.
func NewSimulators(agencies []adapters.Agency) *Simulators {
	mux := http.NewServeMux()
	by := make(map[ssbtekv1.Bastjanst]adapters.Simulator, len(agencies))
	for _, a := range agencies {
		sim := a.NewSimulator()
		by[a.Bastjanst] = sim
		a.Mount(mux, sim)
	}
	return &Simulators{Handler: mux, ByAgency: by}
}
