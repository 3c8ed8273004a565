package miv

import (
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
type Simulator = simkit.SOAPSimulator

// NewSimulator returns a simulator with no faults injected.
func NewSimulator() adapters.Simulator {
	return simkit.NewSOAPSimulator(func(env *soap.Envelope) (string, func(bool) simkit.Reply) {
		if env.Body.Tag != elemFraga || env.Body.NamespaceURI() != Namespace {
			return refuse("unknown operation; this service offers findByPersonnummer")
		}
		q := soap.Child(env.Body, "", "query")
		if soap.Child(q, "", "personnummer") == nil || soap.Child(soap.Child(q, "", "ingivare"), "", "handlaggare") == nil {
			return refuse("query needs personnummer and ingivare/handlaggare")
		}
		pnr := soap.Text(q, "personnummer")
		return pnr, func(wrong bool) simkit.Reply {
			ns := Namespace
			if wrong {
				ns = wrongNamespace
			}
			switch pnr {
			case simkit.Felperson:
				f := felsvar()
				return simkit.Reply{Fault: &f}
			case simkit.Nyanland:
				return simkit.Reply{Body: svarNyanland(ns, soap.Text(q, "korrelationsid"), pnr)}
			}
			return simkit.Reply{Body: tomtSvar(ns)}
		}
	})
}

func refuse(text string) (string, func(bool) simkit.Reply) {
	return "", func(bool) simkit.Reply { return simkit.FaultReply("soap:Client", text) }
}
