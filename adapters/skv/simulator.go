package skv

import (
	"net/http"
	"sync/atomic"

	"github.com/ssbtek/gateway/adapters"
	"github.com/ssbtek/gateway/adapters/simkit"
	"github.com/ssbtek/gateway/adapters/soap"
)

// Simulator plays Skatteverket's Beskattningsuppgifter service for the test
// persons, at any path under its mount:
//   - Tolvan: capital and taxation data for taxeringsår 2024 and 2025 (the
//     latest only, unless the forfragan's Urval names years);
//   - Skyddad: data for 2025, unmarked (SKV has no protected-identity flag);
//   - Felperson: a soap:Server fault with Exception 9071205;
//   - Langsam: the empty answer after simkit.SlowDelay;
//   - everybody else, and the ping: the empty answer (an empty
//     PersonuppgiftLista);
//   - a forfragan it cannot read: a soap:Client fault with Exception 9071001.
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

// SetWrongNamespace makes the simulator answer BeskattningsuppgifterResponse
// in a namespace other than SKV's (true) or in SKV's own again (false).
func (s *Simulator) SetWrongNamespace(on bool) { s.wrongNS.Store(on) }

func (s *Simulator) serve(w http.ResponseWriter, r *http.Request) {
	env := simkit.ReadSOAP(w, r)
	if env == nil {
		return
	}
	if env.Body.Tag != elemFraga || env.Body.NamespaceURI() != Namespace {
		simkit.WriteFault(w, soap.Fault{Code: "soap:Client", String: "unknown operation; this service offers Beskattningsuppgifter"})
		return
	}
	forfragan := soap.Child(env.Body, "", "forfragan")
	if forfragan == nil {
		simkit.WriteFault(w, felsvar("soap:Client", otolkbarKod, otolkbarText))
		return
	}
	q, err := readForfragan(forfragan.Text())
	if err != nil {
		simkit.WriteFault(w, felsvar("soap:Client", otolkbarKod, otolkbarText))
		return
	}
	if !simkit.Delay(r.Context(), q.personidentitet) {
		return
	}
	ns := Namespace
	if s.wrongNS.Load() {
		ns = wrongNamespace
	}
	if q.personidentitet == simkit.Felperson {
		simkit.WriteFault(w, felsvar("soap:Server", felpersonKod, felpersonText))
		return
	}
	simkit.WriteSOAP(w, svarElement(ns, svarDokument(q.personidentitet, q.ar)))
}
