package simkit

import (
	"net/http"
	"sync/atomic"

	"github.com/beevik/etree"

	"github.com/ssbtek/gateway/adapters/soap"
)

// Reply is a SOAP simulator's answer: a body (with headers) or a fault.
type Reply struct {
	Body    *etree.Element
	Headers []*etree.Element
	Fault   *soap.Fault
}

// FaultReply is a reply with the SOAP fault code and text.
func FaultReply(code, text string) Reply { return Reply{Fault: &soap.Fault{Code: code, String: text}} }

// Serve is one agency's simulated service: it reads the question in env and
// returns the person asked about ("" for a question it refuses) and how to
// answer, in a foreign namespace when wrongNamespace is set (for the
// adapters' 2003 tests).
type Serve func(env *soap.Envelope) (pnr string, answer func(wrongNamespace bool) Reply)

// SOAPSimulator is the scaffolding every SOAP agency simulator shares:
// fault injection in front (Front), the request read as a SOAP envelope, the
// slow test person delayed, the reply written, and one fault option of its
// own, SetWrongNamespace.
type SOAPSimulator struct {
	Front
	serve   Serve
	wrongNS atomic.Bool
	// Write writes a reply; nil means WriteReply.
	Write func(w http.ResponseWriter, r Reply)
}

// NewSOAPSimulator returns a simulator answering with serve.
func NewSOAPSimulator(serve Serve) *SOAPSimulator {
	s := &SOAPSimulator{serve: serve}
	s.Answer(s.answer)
	return s
}

// SetWrongNamespace makes the simulator answer in a namespace other than its
// agency's (true), or in the agency's own again (false).
func (s *SOAPSimulator) SetWrongNamespace(on bool) { s.wrongNS.Store(on) }

func (s *SOAPSimulator) answer(w http.ResponseWriter, r *http.Request) {
	env := ReadSOAP(w, r)
	if env == nil {
		return
	}
	pnr, answer := s.serve(env)
	if pnr != "" && !Delay(r.Context(), pnr) {
		return
	}
	write := s.Write
	if write == nil {
		write = WriteReply
	}
	write(w, answer(s.wrongNS.Load()))
}

// WriteReply writes r as UTF-8: a fault with HTTP 500, else 200.
func WriteReply(w http.ResponseWriter, r Reply) {
	if r.Fault != nil {
		WriteFault(w, *r.Fault)
		return
	}
	WriteSOAP(w, r.Body, r.Headers...)
}

// Question is what a one-operation simulator reads from a request.
type Question interface{ Person() string }

// OneQuestion is the Serve of a simulator with one operation: read checks
// the Body's element (an error is a client fault), and answer builds the
// answer's body element in namespace ns, or in wrong when the simulator is
// asked to answer in a foreign namespace.
func OneQuestion[Q Question](ns, wrong string, read func(*etree.Element) (Q, error), answer func(q Q, ns string) *etree.Element) Serve {
	return func(env *soap.Envelope) (string, func(bool) Reply) {
		q, err := read(env.Body)
		if err != nil {
			return "", func(bool) Reply { return FaultReply("soap:Client", err.Error()) }
		}
		return q.Person(), func(wrongNamespace bool) Reply {
			if wrongNamespace {
				return Reply{Body: answer(q, wrong)}
			}
			return Reply{Body: answer(q, ns)}
		}
	}
}
