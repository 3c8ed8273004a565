package miv

import (
	"net/http"
	"sync/atomic"

	"github.com/ssbtek/gateway/adapters"
	"github.com/ssbtek/gateway/adapters/simkit"
	"github.com/ssbtek/gateway/adapters/soap"
)

// Simulator plays Migrationsverket's findByPersonnummer service for the test
// persons, at any path under its mount:
//   - Nyanland: one time-limited residence permit;
//   - Felperson: an SSBTEKSoapException fault;
//   - Langsam: the empty answer after simkit.SlowDelay;
//   - everybody else, Tolvan and Skyddad included, and the ping: the empty
//     answer (MIV's contract has no protected-identity flag to set).
type Simulator struct {
	simkit.Front
	// wrongNS makes every answer use a foreign namespace, for the 2003 test.
	wrongNS atomic.Bool
}

// NewSimulator returns a simulator with no faults injected.
func NewSimulator() adapters.Simulator {
	s := &Simulator{}
	s.Answer(s.serve)
	return s
}

// SetWrongNamespace makes the simulator answer findByPersonnummerResponse in
// a namespace other than MIV's (true) or in MIV's own again (false).
func (s *Simulator) SetWrongNamespace(on bool) { s.wrongNS.Store(on) }

func (s *Simulator) serve(w http.ResponseWriter, r *http.Request) {
	env := simkit.ReadSOAP(w, r)
	if env == nil {
		return
	}
	if env.Body.Tag != elemFraga || env.Body.NamespaceURI() != Namespace {
		simkit.WriteFault(w, soap.Fault{Code: "soap:Client", String: "unknown operation; this service offers findByPersonnummer"})
		return
	}
	q := soap.Child(env.Body, "", "query")
	if soap.Child(q, "", "personnummer") == nil || soap.Child(soap.Child(q, "", "ingivare"), "", "handlaggare") == nil {
		simkit.WriteFault(w, soap.Fault{Code: "soap:Client", String: "query needs personnummer and ingivare/handlaggare"})
		return
	}
	pnr := soap.Text(q, "personnummer")
	if !simkit.Delay(r.Context(), pnr) {
		return
	}
	ns := Namespace
	if s.wrongNS.Load() {
		ns = wrongNamespace
	}
	switch pnr {
	case simkit.Felperson:
		simkit.WriteFault(w, felsvar())
	case simkit.Nyanland:
		simkit.WriteSOAP(w, svarNyanland(ns, soap.Text(q, "korrelationsid"), pnr))
	default:
		simkit.WriteSOAP(w, tomtSvar(ns))
	}
}
