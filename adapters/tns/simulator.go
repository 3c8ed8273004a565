package tns

import (
	"net/http"
	"strings"

	"github.com/beevik/etree"

	"github.com/ssbtek/gateway/adapters"
	"github.com/ssbtek/gateway/adapters/simkit"
	"github.com/ssbtek/gateway/adapters/soap"
)

// SimulatorOptions change how the simulator answers.
type SimulatorOptions struct {
	// WrongNamespace makes every HamtaUppgifter answer come in a namespace
	// TS's contract does not have, for the unreadable-answer (2003) test.
	WrongNamespace bool
}

// Simulator is Transportstyrelsen's HamtaUppgifter responder for the test
// persons, plus our ping, at any path. Like TS it refuses (SOAP fault) a
// question without a valid Anropsinformation header.
type Simulator struct {
	opts SimulatorOptions
	simkit.Front
}

// NewSimulator returns a simulator answering as TS would.
func NewSimulator() adapters.Simulator { return NewSimulatorWith(SimulatorOptions{}) }

// NewSimulatorWith returns a simulator with the given options.
func NewSimulatorWith(opts SimulatorOptions) *Simulator {
	s := &Simulator{opts: opts}
	s.Answer(s.serve)
	return s
}

func (s *Simulator) serve(w http.ResponseWriter, r *http.Request) {
	env := simkit.ReadSOAP(w, r)
	if env == nil {
		return
	}
	// SOAP 1.1 §4.2.3: a header we must understand but do not is a fault.
	for _, h := range env.Headers {
		if mustUnderstand(h) && (h.Tag != "Anropsinformation" || h.NamespaceURI() != NSHeader) {
			simkit.WriteFault(w, soap.Fault{Code: "soap:MustUnderstand", String: "okänd header med mustUnderstand: " + h.Tag})
			return
		}
	}
	switch {
	case env.Body.Tag == "HamtaUppgifter" && env.Body.NamespaceURI() == NSResponder:
		s.hamtaUppgifter(w, r, env)
	case env.Body.Tag == "Ping" && env.Body.NamespaceURI() == NSPing:
		simkit.WriteSOAP(w, pingSvar())
	default:
		simkit.WriteFault(w, soap.Fault{Code: "soap:Client", String: "okänd operation: " + env.Body.Tag})
	}
}

func (s *Simulator) hamtaUppgifter(w http.ResponseWriter, r *http.Request, env *soap.Envelope) {
	if err := checkAnropsinformation(env.Headers); err != nil {
		simkit.WriteFault(w, soap.Fault{Code: "soap:Client", String: err.Error()})
		return
	}
	pnr, ok := identifikation(env.Body)
	if !ok {
		simkit.WriteFault(w, soap.Fault{Code: "soap:Client", String: "identifikation saknas eller är ogiltig"})
		return
	}
	if !simkit.Delay(r.Context(), pnr) {
		return
	}
	ns := NSResponder
	if s.opts.WrongNamespace {
		ns = wrongNS
	}
	if pnr == simkit.Felperson {
		simkit.WriteSOAP(w, svarFel(ns, felkodSimulerat, feltextSimulerat))
		return
	}
	simkit.WriteSOAP(w, svarOK(ns, fordonFor(pnr)))
}

// identifikation reads the 12-digit personidentitet from a HamtaUppgifter.
func identifikation(req *etree.Element) (string, bool) {
	id := soap.Child(req, NSResponder, "identifikation")
	sekel := soap.Child(id, NSPerson, "sekel")
	nr := soap.Child(id, NSPerson, "personnummer")
	if sekel == nil || nr == nil {
		return "", false
	}
	pnr := strings.TrimSpace(sekel.Text()) + strings.TrimSpace(nr.Text())
	return pnr, isIdentifikation(pnr)
}

// mustUnderstand reports whether a header carries soap:mustUnderstand="1".
func mustUnderstand(h *etree.Element) bool {
	for _, a := range h.Attr {
		if a.Key == "mustUnderstand" && a.NamespaceURI() == soap.EnvelopeNS {
			return a.Value == "1" || a.Value == "true"
		}
	}
	return false
}
