package tns

import (
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
type Simulator = simkit.SOAPSimulator

// NewSimulator returns a simulator answering as TS would.
func NewSimulator() adapters.Simulator { return NewSimulatorWith(SimulatorOptions{}) }

// NewSimulatorWith returns a simulator with the given options.
func NewSimulatorWith(opts SimulatorOptions) *Simulator {
	s := simkit.NewSOAPSimulator(serve)
	s.SetWrongNamespace(opts.WrongNamespace)
	return s
}

func serve(env *soap.Envelope) (string, func(bool) simkit.Reply) {
	refuse := func(code, text string) (string, func(bool) simkit.Reply) {
		return "", func(bool) simkit.Reply { return simkit.FaultReply(code, text) }
	}
	// SOAP 1.1 §4.2.3: a header we must understand but do not is a fault.
	for _, h := range env.Headers {
		if mustUnderstand(h) && (h.Tag != "Anropsinformation" || h.NamespaceURI() != NSHeader) {
			return refuse("soap:MustUnderstand", "okänd header med mustUnderstand: "+h.Tag)
		}
	}
	switch {
	case env.Body.Tag == "Ping" && env.Body.NamespaceURI() == NSPing:
		return "", func(bool) simkit.Reply { return simkit.Reply{Body: pingSvar()} }
	case env.Body.Tag != "HamtaUppgifter" || env.Body.NamespaceURI() != NSResponder:
		return refuse("soap:Client", "okänd operation: "+env.Body.Tag)
	}
	if err := checkAnropsinformation(env.Headers); err != nil {
		return refuse("soap:Client", err.Error())
	}
	utanMedgivande := ingivare(env.Headers) == simkit.UtanAvtal
	pnr, ok := identifikation(env.Body)
	if !ok {
		return refuse("soap:Client", "identifikation saknas eller är ogiltig")
	}
	return pnr, func(wrong bool) simkit.Reply {
		ns := NSResponder
		if wrong {
			ns = wrongNS
		}
		switch {
		case utanMedgivande:
			return simkit.Reply{Body: svarFel(ns, felkodUtanMedgivande, feltextUtanMedgivande)}
		case pnr == simkit.Felperson:
			return simkit.Reply{Body: svarFel(ns, felkodSimulerat, feltextSimulerat)}
		}
		return simkit.Reply{Body: svarOK(ns, fordonFor(pnr))}
	}
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
