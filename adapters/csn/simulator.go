package csn

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/beevik/etree"

	"github.com/ssbtek/gateway/adapters"
	"github.com/ssbtek/gateway/adapters/simkit"
	"github.com/ssbtek/gateway/adapters/soap"
)

// Simulator answers SBNUppgEkBistandBegar like CSN's Kommunfråga service for
// the test persons of DESIGN §6, at any path, with fault injection in front.
type Simulator struct {
	simkit.Front
	namespace string
}

// SimulatorOption changes how a simulator answers.
type SimulatorOption func(*Simulator)

// AnswerInNamespace makes the simulator answer with a CSNSvar in ns instead
// of CSN's kommunfraga namespace, so tests can watch the adapter refuse a
// foreign answer (2003).
func AnswerInNamespace(ns string) SimulatorOption {
	return func(s *Simulator) { s.namespace = ns }
}

// NewSimulator returns a CSN simulator answering in CSN's namespaces.
func NewSimulator() adapters.Simulator { return NewSimulatorWith() }

// NewSimulatorWith returns a CSN simulator with the given options.
func NewSimulatorWith(opts ...SimulatorOption) *Simulator {
	s := &Simulator{namespace: NSKommunfraga}
	for _, o := range opts {
		o(s)
	}
	s.Answer(s.serveSOAP)
	return s
}

func (s *Simulator) serveSOAP(w http.ResponseWriter, r *http.Request) {
	env := simkit.ReadSOAP(w, r)
	if env == nil {
		return
	}
	q, err := readBegaran(env.Body)
	if err != nil {
		simkit.WriteFault(w, soap.Fault{Code: "soap:Client", String: err.Error()})
		return
	}
	if !simkit.Delay(r.Context(), q.personidentitet) {
		return
	}
	simkit.WriteSOAP(w, s.csnSvar(q))
}

// begaranIn is what the simulator needs from an SBNUppgEkBistandBegar.
type begaranIn struct {
	el              *etree.Element // echoed in GemensamtFragaEkbistand
	personidentitet string
}

var errBegaran = errors.New("request is not a valid SBNUppgEkBistandBegar")

// readBegaran checks the question as far as the simulator relies on it.
func readBegaran(root *etree.Element) (*begaranIn, error) {
	if root.Tag != "SBNUppgEkBistandBegar" || root.NamespaceURI() != NSKommunfraga {
		return nil, errBegaran
	}
	pnr := ""
	if e := soap.Child(root, NSSambruk, "Personidentitet"); e != nil {
		pnr = e.Text()
	}
	if len(pnr) != 12 {
		return nil, errBegaran
	}
	if _, err := strconv.ParseUint(pnr, 10, 64); err != nil {
		return nil, errBegaran
	}
	return &begaranIn{el: root, personidentitet: pnr}, nil
}
