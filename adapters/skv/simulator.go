package skv

import (
	"net/http"

	"github.com/ssbtek/gateway/adapters"
	"github.com/ssbtek/gateway/adapters/simkit"
	"github.com/ssbtek/gateway/adapters/soap"
)

// Simulator plays Skatteverket for the test persons, at any path under its
// mount. The SOAP service Beskattningsuppgifter (every path but the JSON
// interface's):
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
//
// The JSON interface (POST …/beskattning-ekonomiskt-bistand/v1/aktorer/{aktorsId}/{del}/fraga)
// answers each part as delsim.go says: data, 404 "Not found", or a
// part-level technical error.
type Simulator struct {
	simkit.Front
	soap *simkit.SOAPSimulator
}

// NewSimulator returns a simulator with no faults injected.
func NewSimulator() adapters.Simulator {
	s := &Simulator{soap: newSOAPSimulator()}
	s.Answer(func(w http.ResponseWriter, r *http.Request) {
		if del, ok := delRoute(r.URL.EscapedPath()); ok {
			serveDel(w, r, del)
			return
		}
		// The outer Front injected any fault already; the SOAP simulator
		// has none of its own.
		s.soap.ServeHTTP(w, r)
	})
	return s
}

// SetWrongNamespace makes the SOAP service answer in a namespace other than
// SKV's (true), or in SKV's again (false).
func (s *Simulator) SetWrongNamespace(on bool) { s.soap.SetWrongNamespace(on) }

// newSOAPSimulator plays Beskattningsuppgifter.
func newSOAPSimulator() *simkit.SOAPSimulator {
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
