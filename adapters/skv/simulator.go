package skv

import (
	"github.com/ssbtek/gateway/adapters"
	"github.com/ssbtek/gateway/adapters/simkit"
	"github.com/ssbtek/gateway/adapters/soap"
)

// Simulator plays Skatteverket's Beskattningsuppgifter service for the test
// persons, at any path under its mount:
//   - Tolvan: capital and taxation data for taxeringsår 2024, 2025 and 2026
//     (the latest only, unless the forfragan's Urval names years); a payment
//     to the account holder only when its bokföringsdag lies in the
//     forfragan's Tidsperiod, if it gives one;
//   - Skyddad: data for 2025, unmarked (SKV has no protected-identity flag);
//   - Felperson: a soap:Server fault with Exception 9071205;
//   - Langsam: the empty answer after simkit.SlowDelay;
//   - everybody else, and the ping: the empty answer (an empty
//     PersonuppgiftLista);
//   - a forfragan it cannot read: a soap:Client fault with Exception 9071001.
type Simulator = simkit.SOAPSimulator

// NewSimulator returns a simulator with no faults injected.
func NewSimulator() adapters.Simulator {
	return simkit.NewSOAPSimulator(func(env *soap.Envelope) (string, func(bool) simkit.Reply) {
		if env.Body.Tag != elemFraga || env.Body.NamespaceURI() != Namespace {
			return "", func(bool) simkit.Reply {
				return simkit.FaultReply("soap:Client", "unknown operation; this service offers Beskattningsuppgifter")
			}
		}
		forfragan := soap.Child(env.Body, "", "forfragan")
		text := ""
		if forfragan != nil {
			text = forfragan.Text()
		}
		q, err := readForfragan(text)
		if forfragan == nil || err != nil {
			return "", func(bool) simkit.Reply {
				f := felsvar("soap:Client", otolkbarKod, otolkbarText)
				return simkit.Reply{Fault: &f}
			}
		}
		return q.personidentitet, func(wrong bool) simkit.Reply {
			ns := Namespace
			if wrong {
				ns = wrongNamespace
			}
			if q.personidentitet == simkit.Felperson {
				f := felsvar("soap:Server", felpersonKod, felpersonText)
				return simkit.Reply{Fault: &f}
			}
			return simkit.Reply{Body: svarElement(ns, svarDokument(q))}
		}
	})
}
